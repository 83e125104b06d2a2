// SPDX-License-Identifier: GPL-2.0-or-later
/* fuzz-modsig.c - harness: appended PKCS#7/CMS signatures (imaevm_verify_modsig). */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "imaevm.h"
#include "fuzz.h"

static const int algos[] = {
	IMAEVM_HASH_SHA1, IMAEVM_HASH_SHA256, IMAEVM_HASH_SHA384, IMAEVM_HASH_SHA512,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct imaevm_ctx *ctx;
	static struct imaevm_keyset *ks;
	/* a private copy, so reads past the end hit ASan's redzone */
	uint8_t *buf = malloc(size ? size : 1);
	size_t i;

	if (!buf)
		return 0;
	if (!ctx && (imaevm_ctx_new(&ctx) || imaevm_keyset_new(&ks)))
		abort();
	memcpy(buf, data, size);
	/* no keys: everything up to the key search runs, for every digest size */
	for (i = 0; i < sizeof(algos) / sizeof(algos[0]); i++) {
		struct imaevm_verify_result res;
		struct imaevm_digest d = { .algo = algos[i] };
		int rc;

		d.len = (size_t)imaevm_hash_algo_size(algos[i]);
		memset(d.value, 0x5a, d.len);
		rc = imaevm_verify_modsig(ctx, ks, buf, size, &d, &res);
		FUZZ_ASSERT(rc != 0);	/* nothing verifies without a key */
		FUZZ_ASSERT(rc == -EBADMSG || rc == -EINVAL || rc == -ENOKEY ||
			    rc == -EKEYREJECTED || rc == -EOPNOTSUPP || rc == -ENOMEM);
		FUZZ_ASSERT(res.key_name == NULL);
	}
	free(buf);
	return 0;
}
