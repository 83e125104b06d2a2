// SPDX-License-Identifier: GPL-2.0-or-later
/* fuzz-sign-hash.c - harness: the input lines of `evmctl sign_hash`.  The
 * first byte picks the options (--veritysig, -a), the rest is the line. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "imaevm.h"
#include "sign-hash-line.h"
#include "fuzz.h"

static const char *const algo_names[] = { NULL, "sha256", "sha1", "md5", "sm3", "nosuch" };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct imaevm_digest d;
	const char *why;
	bool verity;
	char *line;

	if (size < 1)
		return 0;
	verity = data[0] & 1;
	/* a line as getline() gives it: the command strips the newline */
	line = malloc(size);
	if (!line)
		return 0;
	memcpy(line, data + 1, size - 1);
	line[size - 1] = '\0';
	why = sign_hash_parse_line(line, verity,
				   algo_names[(data[0] >> 1) % (sizeof(algo_names) / sizeof(algo_names[0]))],
				   &d);
	if (!why) {
		FUZZ_ASSERT(d.len > 0 && d.len <= IMAEVM_MAX_DIGEST_SIZE);
		FUZZ_ASSERT(imaevm_hash_algo_size(d.algo) == (int)d.len);
	} else {
		FUZZ_ASSERT(*why);
	}
	free(line);
	return 0;
}
