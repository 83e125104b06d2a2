// SPDX-License-Identifier: LGPL-2.1-or-later
/* key-engine.c - private keys from OpenSSL engines (pkcs11:) or OSSL_STORE URIs. */
#include "config.h"

/* The ENGINE API is deprecated in OpenSSL 3 but is how Debian's pkcs11 module loads. */
#define OPENSSL_SUPPRESS_DEPRECATED 1

#include <errno.h>
#include <string.h>
#include <openssl/err.h>
#include <openssl/store.h>
#include <openssl/ui.h>
#ifdef ENABLE_ENGINE
#include <openssl/engine.h>
#endif

#include "internal.h"

/* An OSSL_STORE URI (a provider such as pkcs11-provider is loaded). */
int imaevm_store_load_key(struct imaevm_ctx *ctx, const char *uri,
			  const char *password, EVP_PKEY **out)
{
#ifndef ENABLE_PROVIDER
	(void)password;
	(void)out;
	imaevm_log(ctx, LOG_INFO, "%s: this libimaevm was built without provider key loading "
		   "(OSSL_STORE URIs)", uri);
	return -EOPNOTSUPP;
#else
	UI_METHOD *ui = NULL;
	OSSL_STORE_CTX *sctx;
	OSSL_STORE_INFO *info;
	EVP_PKEY *pkey = NULL;

	if (password)
		ui = UI_UTIL_wrap_read_pem_callback(NULL, 0);
	sctx = OSSL_STORE_open_ex(uri, ctx->libctx, ctx->propq, ui, (void *)password,
				  NULL, NULL, NULL);
	if (!sctx) {
		UI_destroy_method(ui);
		imaevm_log_ossl(ctx, LOG_INFO, uri);
		return -ENOKEY;
	}
	OSSL_STORE_expect(sctx, OSSL_STORE_INFO_PKEY);
	while (!pkey && !OSSL_STORE_eof(sctx)) {
		info = OSSL_STORE_load(sctx);
		if (!info)
			break;
		if (OSSL_STORE_INFO_get_type(info) == OSSL_STORE_INFO_PKEY)
			pkey = OSSL_STORE_INFO_get1_PKEY(info);
		OSSL_STORE_INFO_free(info);
	}
	OSSL_STORE_close(sctx);
	UI_destroy_method(ui);
	if (!pkey) {
		imaevm_log_ossl(ctx, LOG_INFO, uri);
		imaevm_log(ctx, LOG_INFO, "%s: no private key found", uri);
		return -ENOKEY;
	}
	ERR_clear_error();
	*out = pkey;
	return 0;
#endif
}

int imaevm_engine_load_key(struct imaevm_ctx *ctx, const char *engine_id,
			   const char *uri, const char *password,
			   EVP_PKEY **out, void **enginep)
{
#ifdef ENABLE_ENGINE
	ENGINE *e;
	EVP_PKEY *pkey;

	e = ENGINE_by_id(engine_id);
	if (!e) {
		int err;

		ERR_clear_error();
		imaevm_log(ctx, LOG_INFO, "OpenSSL engine %s not available; trying OSSL_STORE",
			   engine_id);
		err = imaevm_store_load_key(ctx, uri, password, out);
		/* neither the engine nor a provider: say so rather than "no key" */
		return err == -ENOKEY ? -EOPNOTSUPP : err;
	}
	if (!ENGINE_init(e)) {
		imaevm_log_ossl(ctx, LOG_INFO, engine_id);
		imaevm_log(ctx, LOG_INFO, "cannot initialise OpenSSL engine %s", engine_id);
		ENGINE_free(e);
		return -ENOKEY;
	}
	/* structural reference no longer needed: the functional one keeps it */
	ENGINE_free(e);
	if (password && !ENGINE_ctrl_cmd_string(e, "PIN", password, 0)) {
		imaevm_log_ossl(ctx, LOG_INFO, engine_id);
		imaevm_log(ctx, LOG_INFO, "engine %s does not take a PIN", engine_id);
		ENGINE_finish(e);
		return -EINVAL;
	}
	pkey = ENGINE_load_private_key(e, uri, NULL, NULL);
	if (!pkey) {
		imaevm_log_ossl(ctx, LOG_INFO, uri);
		imaevm_log(ctx, LOG_INFO, "%s: engine %s cannot load the private key", uri, engine_id);
		ENGINE_finish(e);
		return -ENOKEY;
	}
	*out = pkey;
	*enginep = e;
	return 0;
#else
	(void)engine_id;
	*enginep = NULL;
	return imaevm_store_load_key(ctx, uri, password, out);
#endif
}

void imaevm_engine_release(void *engine)
{
#ifdef ENABLE_ENGINE
	if (engine)
		ENGINE_finish(engine);
#else
	(void)engine;
#endif
}
