// SPDX-License-Identifier: LGPL-2.1-or-later
/* pkey-ctx.c - signing and verifying contexts: set up once per key and digest, copied per call. */
#include "config.h"

#include <errno.h>
#include <openssl/rsa.h>

#include "internal.h"

/*
 * Setting up an EVP_PKEY_CTX (provider fetch, padding, digest) costs about
 * 3 us, a sixth of an RSA-2048 verification; a copy of one set up before
 * costs nothing measurable.  The template is read only after it is
 * published, so any number of threads may copy it.
 */
EVP_PKEY_CTX *imaevm_pkey_op_ctx_new(struct imaevm_ctx *ctx, EVP_PKEY *pkey,
				     bool legacy, bool sign, const EVP_MD *md)
{
	EVP_PKEY_CTX *pctx = imaevm_pkey_ctx(ctx, pkey, legacy);

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
				 _Atomic(EVP_PKEY_CTX *) *slot, bool sign,
				 const EVP_MD *md)
{
	EVP_PKEY_CTX *tmpl = atomic_load(slot), *fresh = NULL;

	if (!tmpl) {
		fresh = imaevm_pkey_op_ctx_new(ctx, pkey, false, sign, md);
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

void imaevm_pkey_op_ctx_free_all(_Atomic(EVP_PKEY_CTX *) *slots, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		EVP_PKEY_CTX_free(atomic_load(&slots[i]));
}
