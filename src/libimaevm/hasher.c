// SPDX-License-Identifier: LGPL-2.1-or-later
/* hasher.c - one content digest in progress: OpenSSL's, or SHA-256 on the CPU's SHA extensions. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/*
 * Our SHA-256 stands in only for OpenSSL's default provider: not when a
 * library context or property query is chosen, nor when OpenSSL is set up
 * for FIPS (the digests must then come from the validated module).
 * IMAEVM_SHA_NI=0 turns it off, e.g. under valgrind, which cannot run the
 * SHA instructions.
 */
bool imaevm_sha256_ni_usable(const struct imaevm_ctx *ctx)
{
	return ctx->sha_ni && !ctx->libctx && !ctx->propq;
}

bool imaevm_sha256_ni_wanted(void)
{
	const char *env = getenv("IMAEVM_SHA_NI");

	if (env && !strcmp(env, "0"))
		return false;
	if (EVP_default_properties_is_fips_enabled(NULL))
		return false;
	return imaevm_sha256_ni_cpu();
}

int imaevm_hasher_begin(struct imaevm_ctx *ctx, int algo, struct imaevm_hasher *h)
{
	const EVP_MD *md;

	if (!ctx || imaevm_hash_algo_size(algo) < 0)
		return -EINVAL;
	h->algo = algo;
	h->md = NULL;
	if (algo == IMAEVM_HASH_SHA256 && imaevm_sha256_ni_usable(ctx)) {
		imaevm_sha256_ni_init(&h->ni);
		return 0;
	}
	md = imaevm_md_get(ctx, algo);
	if (!md)
		return -EOPNOTSUPP;
	h->md = EVP_MD_CTX_new();
	if (!h->md)
		return -ENOMEM;
	if (!EVP_DigestInit_ex2(h->md, md, NULL)) {
		imaevm_log_ossl(ctx, LOG_INFO, "digest init");
		EVP_MD_CTX_free(h->md);
		h->md = NULL;
		return -EOPNOTSUPP;
	}
	return 0;
}

int imaevm_hasher_update(struct imaevm_ctx *ctx, struct imaevm_hasher *h,
			 const void *data, size_t len)
{
	if (!h->md) {
		imaevm_sha256_ni_update(&h->ni, data, len);
		return 0;
	}
	if (!EVP_DigestUpdate(h->md, data, len)) {
		imaevm_log_ossl(ctx, LOG_INFO, "digest update");
		return -EIO;
	}
	return 0;
}

int imaevm_hasher_end(struct imaevm_ctx *ctx, struct imaevm_hasher *h, int err,
		      struct imaevm_digest *out)
{
	unsigned char value[EVP_MAX_MD_SIZE];
	unsigned int len = 32;

	if (!h->md) {
		if (!err)
			imaevm_sha256_ni_final(&h->ni, value);
	} else {
		if (!err && !EVP_DigestFinal_ex(h->md, value, &len)) {
			imaevm_log_ossl(ctx, LOG_INFO, "digest final");
			err = -EIO;
		}
		EVP_MD_CTX_free(h->md);
		h->md = NULL;
	}
	if (!err && (int)len != imaevm_hash_algo_size(h->algo))
		err = -EOPNOTSUPP;
	if (err)
		return err;
	out->algo = h->algo;
	out->len = len;
	memcpy(out->value, value, len);
	return 0;
}
