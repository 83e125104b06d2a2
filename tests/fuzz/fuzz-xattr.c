// SPDX-License-Identifier: GPL-2.0-or-later
/* fuzz-xattr.c - harness: security.ima/evm value parser and digest encoder. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "imaevm.h"
#include "fuzz.h"

static int within(const unsigned char *p, size_t n, const uint8_t *buf, size_t size)
{
	return p >= buf && n <= size && p + n <= buf + size;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct imaevm_xattr_info info;
	/* a private copy, so reads past the end hit ASan's redzone */
	uint8_t *buf = malloc(size ? size : 1);

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	if (imaevm_xattr_parse(buf, size, &info) == 0) {
		FUZZ_ASSERT(info.type == buf[0]);
		if (info.digest)
			FUZZ_ASSERT(within(info.digest, info.digest_len, buf, size));
		if (info.sig)
			FUZZ_ASSERT(within(info.sig, info.sig_len, buf, size));
		if (info.type == IMAEVM_XATTR_DIGEST || info.type == IMAEVM_XATTR_DIGEST_NG) {
			/* decode -> encode -> decode keeps algorithm and digest
			 * (the encoding itself may differ: sha1 also parses
			 * from 0x04 but is written as 0x01) */
			struct imaevm_digest d = { .algo = info.hash_algo, .len = info.digest_len };
			unsigned char *v;
			size_t len;

			FUZZ_ASSERT(info.digest_len == (size_t)imaevm_hash_algo_size(info.hash_algo));
			memcpy(d.value, info.digest, d.len);
			if (imaevm_xattr_encode_digest(&d, &v, &len) == 0) {
				struct imaevm_xattr_info again;

				FUZZ_ASSERT(imaevm_xattr_parse(v, len, &again) == 0);
				FUZZ_ASSERT(again.hash_algo == info.hash_algo);
				FUZZ_ASSERT(again.digest_len == info.digest_len);
				FUZZ_ASSERT(!memcmp(again.digest, info.digest, info.digest_len));
				imaevm_free(v);
			}
		}
	}
	free(buf);
	return 0;
}
