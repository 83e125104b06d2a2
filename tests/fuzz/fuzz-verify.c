// SPDX-License-Identifier: GPL-2.0-or-later
/* fuzz-verify.c - harness: signature values (v1, v2, v3 headers and bodies)
 * checked against a key set, as a verifier does with labels it is sent.
 * The keys are tests/fuzz/verify-keys/ (test keys, made by make-seeds.sh). */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "imaevm.h"
#include "fuzz.h"

#ifndef FUZZ_KEYDIR
#error FUZZ_KEYDIR must name tests/fuzz/verify-keys
#endif

static struct imaevm_keyset *keyset(struct imaevm_ctx *ctx)
{
	static struct imaevm_keyset *ks;

	if (!ks) {
		if (imaevm_keyset_new(&ks) ||
		    imaevm_keyset_add_file(ctx, ks, FUZZ_KEYDIR "/ec-cert.pem") != 1 ||
		    imaevm_keyset_add_file(ctx, ks, FUZZ_KEYDIR "/rsa-pub.pem") != 1)
			abort();
	}
	return ks;
}

static void verify(struct imaevm_ctx *ctx, const uint8_t *value, size_t size, int algo)
{
	struct imaevm_verify_result res;
	struct imaevm_digest d = { .algo = algo };
	int err;

	d.len = (size_t)imaevm_hash_algo_size(algo);
	memset(d.value, 0x5a, d.len);
	err = imaevm_verify_digest(ctx, keyset(ctx), value, size, &d, &res);
	FUZZ_ASSERT(err == 0 || err == -ENOKEY || err == -EKEYREJECTED ||
		    err == -EOPNOTSUPP || err == -EBADMSG || err == -EINVAL ||
		    err == -ENOMEM);
	if (err == 0)
		FUZZ_ASSERT(res.key_name);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct imaevm_ctx *ctx = fuzz_ctx();
	struct imaevm_xattr_info info;
	uint8_t *buf = malloc(size ? size : 1);

	if (!buf)
		return 0;
	memcpy(buf, data, size);	/* exact size: ASan sees reads past it */
	if (imaevm_xattr_parse(buf, size, &info) == 0 && info.hash_algo >= 0 &&
	    imaevm_hash_algo_size(info.hash_algo) > 0)
		verify(ctx, buf, size, info.hash_algo);
	verify(ctx, buf, size, IMAEVM_HASH_SHA256);
	free(buf);
	return 0;
}
