// SPDX-License-Identifier: GPL-2.0-or-later
/* sign-hash-line.c - parse one input line of `evmctl sign_hash` into a digest
 * (a file of its own so the fuzzing harness can call it). */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <string.h>

#include "sign-hash-line.h"

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

const char *sign_hash_parse_line(const char *line, bool veritysig,
				 const char *algo_name, struct imaevm_digest *d)
{
	const char *hex = line, *colon;
	size_t n;
	int algo = -1;

	if (veritysig) {
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
	if (algo < 0 && algo_name)
		algo = imaevm_hash_algo_by_name(algo_name);
	if (algo < 0)
		algo = algo_for_length(d->len);
	if (algo < 0)
		return "cannot tell the hash algorithm from the digest length (use -a)";
	if (imaevm_hash_algo_size(algo) != (int)d->len)
		return "digest length does not match the hash algorithm";
	d->algo = algo;
	return NULL;
}
