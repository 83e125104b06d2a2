// SPDX-License-Identifier: GPL-2.0-or-later
/* cmd-sign-hash.c - `evmctl sign_hash`: sign sha*sum / fsverity digest lines from stdin. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "evmctl.h"
#include "input.h"
#include "sign-hash-line.h"

struct sign_hash_cmd {
	struct evmctl *g;
	const char *algo_name;	/* -a, or NULL: from the digest length */
	bool veritysig;
};

static int sign_hash_option(void *state, int code, const char *arg)
{
	struct sign_hash_cmd *c = state;

	switch (code) {
	case OPT_VERITYSIG:
		c->veritysig = true;
		break;
	default:
		return OPTION_UNUSED;
	}
	return 0;
}

int cmd_sign_hash(struct evmctl *g, const struct command *cmd, int argc,
		  const char **argv)
{
	struct sign_hash_cmd c = { .g = g };
	struct imaevm_signing_key *key;
	const char **args;
	char *line = NULL;
	size_t n, lineno = 0;
	unsigned long failed = 0;
	int err, rc;

	err = cli_parse(g, cmd, sign_hash_option, &c, &args);
	if (err)
		return err;
	key = g->signing_key;
	c.algo_name = g->algo_given ? g->algo_name : NULL;
	/* a line is a digest and a path: a longer one is refused, not read whole */
	line = malloc(input_sign_hash.line_max + 1);
	while (line && (rc = input_getline(stdin, &input_sign_hash, line, &n)) != 0) {
		struct imaevm_digest d;
		unsigned char *value;
		const char *why;
		size_t len;
		char where[48];

		lineno++;
		if (rc == -EIO)
			break;
		snprintf(where, sizeof(where), "stdin:%zu", lineno);
		if (rc == -E2BIG) {
			cli_error(where, "%s", input_line_error(&input_sign_hash));
			failed++;
			continue;
		}
		if (n == 0)
			continue;
		why = sign_hash_parse_line(line, c.veritysig, c.algo_name, &d);
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
	if (!line) {
		cli_error(NULL, "out of memory");
		failed++;
	} else if (ferror(stdin)) {
		cli_error(NULL, "cannot read standard input");
		failed++;
	}
	free(line);
	return failed ? EXIT_FAILED : EXIT_OK;
}
