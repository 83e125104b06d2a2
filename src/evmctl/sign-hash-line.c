// SPDX-License-Identifier: GPL-2.0-or-later
/* sign-hash-line.c - parse one input line of `evmctl sign_hash` into a digest
 * (a file of its own so the fuzzing harness can call it). */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <string.h>

#include "sign-hash-line.h"
#include "util.h"

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
	if (n == 0 || hex_decode(hex, n, d->value, sizeof(d->value), &d->len))
		return "expected a hex digest at the start of the line";
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
