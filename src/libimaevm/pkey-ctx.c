// SPDX-License-Identifier: LGPL-2.1-or-later
/* pkey-ctx.c - key operations: signing and verifying contexts, set up once per key and digest and copied per call; verification. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <openssl/err.h>
#include <openssl/rsa.h>

#include "internal.h"

EVP_PKEY_CTX *imaevm_pkey_ctx(struct imaevm_ctx *ctx, EVP_PKEY *pkey,
			      enum imaevm_pkey_home home)
{
	if (home == IMAEVM_PKEY_ENGINE)
		return EVP_PKEY_CTX_new(pkey, NULL);
	return EVP_PKEY_CTX_new_from_pkey(ctx->libctx, pkey, ctx->propq);
}

/*
 * Setting up an EVP_PKEY_CTX (provider fetch, padding, digest) costs about
 * 3 us, a sixth of an RSA-2048 verification; a copy of one set up before
 * costs nothing measurable.  The template is read only after it is
 * published, so any number of threads may copy it.
 */
EVP_PKEY_CTX *imaevm_pkey_op_ctx_new(struct imaevm_ctx *ctx, EVP_PKEY *pkey,
				     enum imaevm_pkey_home home, enum imaevm_pkey_op op,
				     const EVP_MD *md)
{
	EVP_PKEY_CTX *pctx = imaevm_pkey_ctx(ctx, pkey, home);
	bool sign = op == IMAEVM_PKEY_SIGN;

	if (!pctx)
		return NULL;
	if ((sign ? EVP_PKEY_sign_init(pctx) : EVP_PKEY_verify_init(pctx)) <= 0 ||
	    (EVP_PKEY_is_a(pkey, "RSA") &&
	     EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) <= 0) ||
	    (md && EVP_PKEY_CTX_set_signature_md(pctx, md) <= 0)) {
		imaevm_log_ossl(ctx, LOG_INFO, sign ? "sign" : "verify");
		EVP_PKEY_CTX_free(pctx);
		return NULL;
	}
	return pctx;
}

EVP_PKEY_CTX *imaevm_pkey_op_ctx(struct imaevm_ctx *ctx, EVP_PKEY *pkey,
				 _Atomic(EVP_PKEY_CTX *) *slot, enum imaevm_pkey_op op,
				 const EVP_MD *md)
{
	EVP_PKEY_CTX *tmpl = atomic_load(slot), *fresh = NULL;

	if (!tmpl) {
		fresh = imaevm_pkey_op_ctx_new(ctx, pkey, IMAEVM_PKEY_PROVIDER, op, md);
		if (!fresh)
			return NULL;
		/* another thread may have published one meanwhile: keep that */
		if (atomic_compare_exchange_strong(slot, &tmpl, fresh))
			tmpl = fresh;
		else
			EVP_PKEY_CTX_free(fresh);
	}
	return EVP_PKEY_CTX_dup(tmpl);
}

bool imaevm_rsa_recovers(struct imaevm_ctx *ctx, EVP_PKEY *pkey, const EVP_MD *md,
			 const unsigned char *sig, size_t siglen)
{
	unsigned char *out;
	size_t outlen;
	EVP_PKEY_CTX *pctx;
	bool ok = false;

	if (!EVP_PKEY_is_a(pkey, "RSA"))
		return false;
	outlen = (size_t)EVP_PKEY_get_size(pkey);
	out = malloc(outlen);
	pctx = imaevm_pkey_ctx(ctx, pkey, IMAEVM_PKEY_PROVIDER);
	if (out && pctx && EVP_PKEY_verify_recover_init(pctx) > 0 &&
	    EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) > 0 &&
	    EVP_PKEY_CTX_set_signature_md(pctx, md) > 0 &&
	    EVP_PKEY_verify_recover(pctx, out, &outlen, sig, siglen) > 0)
		ok = outlen == (size_t)EVP_MD_get_size(md);
	EVP_PKEY_CTX_free(pctx);
	free(out);
	ERR_clear_error();
	return ok;
}

int imaevm_pkey_ctx_verify(struct imaevm_ctx *ctx, EVP_PKEY_CTX *pctx,
			   const unsigned char *sig, size_t siglen,
			   const unsigned char *tbs, size_t tbslen)
{
	int rc;

	if (!pctx)
		return -EOPNOTSUPP;
	rc = EVP_PKEY_verify(pctx, sig, siglen, tbs, tbslen);
	EVP_PKEY_CTX_free(pctx);
	if (rc != 1)
		imaevm_log_ossl(ctx, LOG_DEBUG, "verify");
	ERR_clear_error();
	return rc == 1;
}

int imaevm_pkey_verify(struct imaevm_ctx *ctx, EVP_PKEY *pkey, const EVP_MD *md,
		       const unsigned char *sig, size_t siglen,
		       const unsigned char *tbs, size_t tbslen)
{
	return imaevm_pkey_ctx_verify(ctx, imaevm_pkey_op_ctx_new(ctx, pkey, IMAEVM_PKEY_PROVIDER,
							       IMAEVM_PKEY_VERIFY, md),
			       sig, siglen, tbs, tbslen);
}

void imaevm_pkey_op_ctx_free_all(_Atomic(EVP_PKEY_CTX *) *slots, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		EVP_PKEY_CTX_free(atomic_load(&slots[i]));
}
