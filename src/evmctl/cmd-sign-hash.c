// SPDX-License-Identifier: GPL-2.0-or-later
/* cmd-sign-hash.c - `evmctl sign_hash`: sign sha*sum / fsverity digest lines from stdin. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "evmctl.h"
#include "keys.h"

struct sign_hash_cmd {
	struct evmctl *g;
	struct key_opts k;
	const char *algo_name;	/* -a, or NULL: from the digest length */
	bool veritysig;
};

static int sign_hash_option(void *state, int code, const char *arg)
{
	struct sign_hash_cmd *c = state;

	switch (code) {
	case OPT_HASHALGO:
		c->algo_name = arg;
		break;
	case OPT_VERITYSIG:
		c->veritysig = true;
		break;
	default:
		return key_option(&c->k, code, arg);
	}
	return 0;
}

static int hexval(int ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	ch = tolower(ch);
	return ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : -1;
}

/* Parse @n hex digits at @s into @out (n even, at most 2 * IMAEVM_MAX_DIGEST_SIZE). */
static int parse_hex(const char *s, size_t n, unsigned char *out)
{
	size_t i;

	if (n == 0 || n % 2 || n > 2 * IMAEVM_MAX_DIGEST_SIZE)
		return -EINVAL;
	for (i = 0; i < n; i += 2) {
		int hi = hexval(s[i]), lo = hexval(s[i + 1]);

		if (hi < 0 || lo < 0)
			return -EINVAL;
		out[i / 2] = (unsigned char)(hi << 4 | lo);
	}
	return 0;
}

static int algo_for_length(size_t len)
{
	switch (len) {
	case 20:
		return IMAEVM_HASH_SHA1;
	case 28:
		return IMAEVM_HASH_SHA224;
	case 32:
		return IMAEVM_HASH_SHA256;
	case 48:
		return IMAEVM_HASH_SHA384;
	case 64:
		return IMAEVM_HASH_SHA512;
	}
	return -EINVAL;
}

/*
 * Fill @d from one input line: "HEX  NAME" (sha*sum) or, with --veritysig,
 * "ALGO:HEX NAME" (fsverity digest).  Return 0 or a message for the user.
 */
static const char *parse_line(struct sign_hash_cmd *c, const char *line,
			      struct imaevm_digest *d)
{
	const char *hex = line, *colon;
	size_t n;
	int algo = -1;

	if (c->veritysig) {
		colon = strchr(line, ':');
		if (!colon || colon == line)
			return "expected 'ALGO:HEX FILE' as printed by 'fsverity digest'";
		char name[32];

		n = (size_t)(colon - line);
		if (n >= sizeof(name))
			return "unknown hash algorithm";
		memcpy(name, line, n);
		name[n] = '\0';
		algo = imaevm_hash_algo_by_name(name);
		if (algo < 0)
			return "unknown hash algorithm";
		hex = colon + 1;
	}
	n = strspn(hex, "0123456789abcdefABCDEF");
	if (hex[n] && !isspace((unsigned char)hex[n]))
		return "expected a hex digest at the start of the line";
	if (parse_hex(hex, n, d->value))
		return "expected a hex digest at the start of the line";
	d->len = n / 2;
	if (algo < 0 && c->algo_name)
		algo = imaevm_hash_algo_by_name(c->algo_name);
	if (algo < 0)
		algo = algo_for_length(d->len);
	if (algo < 0)
		return "cannot tell the hash algorithm from the digest length (use -a)";
	if (imaevm_hash_algo_size(algo) != (int)d->len)
		return "digest length does not match the hash algorithm";
	d->algo = algo;
	return NULL;
}

int cmd_sign_hash(struct evmctl *g, const struct command *cmd, int argc,
		  const char **argv)
{
	struct sign_hash_cmd c = { .g = g };
	struct imaevm_signing_key *key = NULL;
	const char **args;
	poptContext pc;
	char *line = NULL;
	size_t cap = 0, lineno = 0;
	unsigned long failed = 0;
	ssize_t n;
	int err;

	c.k.stdin_busy = true;
	err = cli_parse(g, cmd, argc, argv, sign_hash_option, &c, &pc, &args);
	if (err)
		return err;
	if (args && args[0]) {
		cli_error(NULL, "sign_hash reads digests from standard input, not '%s'", args[0]);
		poptFreeContext(pc);
		return EXIT_USAGE;
	}
	if (c.algo_name && imaevm_hash_algo_by_name(c.algo_name) < 0) {
		cli_error(NULL, "unknown hash algorithm '%s'", c.algo_name);
		poptFreeContext(pc);
		return EXIT_FAILED;
	}
	err = load_signing_key(g, &c.k, &key);
	if (err) {
		poptFreeContext(pc);
		return err;
	}
	while ((n = getline(&line, &cap, stdin)) >= 0) {
		struct imaevm_digest d;
		unsigned char *value;
		const char *why;
		size_t len;
		char where[48];

		lineno++;
		if (n > 0 && line[n - 1] == '\n')
			line[--n] = '\0';
		if (n == 0)
			continue;
		snprintf(where, sizeof(where), "stdin:%zu", lineno);
		why = parse_line(&c, line, &d);
		if (why) {
			cli_error(where, "%s", why);
			failed++;
			continue;
		}
		err = imaevm_sign_digest(g->ctx, key, &d, c.veritysig ? 3 : 2, &value, &len);
		if (err) {
			cli_error(where, "cannot sign: %s", err == -EOPNOTSUPP ?
				  "the key cannot sign digests of this algorithm" : imaevm_strerror(err));
			failed++;
			continue;
		}
		printf("%s ", line);
		print_hex(stdout, value, len);
		putchar('\n');
		imaevm_free(value);
	}
	if (ferror(stdin)) {
		cli_error(NULL, "cannot read standard input");
		failed++;
	}
	free(line);
	imaevm_signing_key_free(key);
	poptFreeContext(pc);
	return failed ? EXIT_FAILED : EXIT_OK;
}
