// SPDX-License-Identifier: GPL-2.0-or-later
/* fuzz-sigmanifest.c - harness: one line of a signature manifest, as
 * ima_setxattr --manifest parses it. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "imaevm.h"
#include "sigmanifest-line.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sigmanifest_line *l = malloc(sizeof(*l));
	struct imaevm_xattr_info info;
	const char *why;
	char *line;

	line = malloc(size + 1);
	if (!line || !l) {
		free(line);
		free(l);
		return 0;
	}
	/* a line as getline() gives it, the newline stripped */
	memcpy(line, data, size);
	line[size] = '\0';
	why = sigmanifest_parse_line(line, l);
	if (!why) {
		FUZZ_ASSERT(l->path && *l->path && *l->path != '/');
		FUZZ_ASSERT(!strstr(l->path, "//"));
		FUZZ_ASSERT(strcmp(l->path, "..") && strncmp(l->path, "../", 3) &&
			    !strstr(l->path, "/../"));
		FUZZ_ASSERT(imaevm_xattr_parse(l->value, l->value_len, &info) == 0);
		FUZZ_ASSERT(info.type == IMAEVM_XATTR_DIGSIG || info.type == IMAEVM_XATTR_VERITY_DIGSIG);
		FUZZ_ASSERT(info.hash_algo == l->digest.algo);
		FUZZ_ASSERT(imaevm_hash_algo_size(l->digest.algo) == (int)l->digest.len);
	} else {
		FUZZ_ASSERT(*why);
	}
	free(line);
	free(l);
	return 0;
}
