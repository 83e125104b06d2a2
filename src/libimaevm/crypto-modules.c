// SPDX-License-Identifier: LGPL-2.1-or-later
/* crypto-modules.c - OpenSSL engines and providers a context loads for algorithms and keys. */
#include "config.h"

/* The ENGINE API is deprecated in OpenSSL 3, yet GOST still ships as one. */
#define OPENSSL_SUPPRESS_DEPRECATED 1

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/err.h>
#include <openssl/provider.h>
#ifdef ENABLE_ENGINE
#include <openssl/engine.h>
#endif

#include "internal.h"

#if defined(ENABLE_ENGINE) || defined(ENABLE_PROVIDER)
/* Keep @p in the context's list, to release it with the context. */
static int remember(struct imaevm_ctx *ctx, void *p, bool engine)
{
	void **grown = realloc(ctx->modules, (ctx->n_modules + 1) * sizeof(*grown));
	bool *kinds;

	if (!grown)
		return -ENOMEM;
	ctx->modules = grown;
	kinds = realloc(ctx->module_is_engine, (ctx->n_modules + 1) * sizeof(*kinds));
	if (!kinds)
		return -ENOMEM;
	ctx->module_is_engine = kinds;
	ctx->modules[ctx->n_modules] = p;
	ctx->module_is_engine[ctx->n_modules] = engine;
	ctx->n_modules++;
	return 0;
}
#endif

IMAEVM_EXPORT int imaevm_ctx_load_engine(struct imaevm_ctx *ctx, const char *id)
{
#ifdef ENABLE_ENGINE
	/* what the engine may offer that signing and hashing use */
	const unsigned int methods = ENGINE_METHOD_DIGESTS | ENGINE_METHOD_PKEY_METHS |
				     ENGINE_METHOD_PKEY_ASN1_METHS;
	ENGINE *e;
	int err;

	if (!ctx || !id || !*id)
		return -EINVAL;
	e = ENGINE_by_id(id);
	if (!e) {
		imaevm_log_ossl(ctx, LOG_INFO, id);
		imaevm_log(ctx, LOG_INFO, "OpenSSL engine %s is not available", id);
		return -ENOENT;
	}
	if (!ENGINE_init(e)) {
		imaevm_log_ossl(ctx, LOG_INFO, id);
		imaevm_log(ctx, LOG_INFO, "OpenSSL engine %s does not initialise", id);
		ENGINE_free(e);
		return -ENOENT;
	}
	ENGINE_free(e);		/* the functional reference keeps it */
	/*
	 * Defaults, as "openssl -engine" sets them: the engine's key types
	 * (GOST keys in files and certificates) and digests are found by
	 * the ordinary lookups.  Defaults are OpenSSL's, for the process.
	 */
	if (!ENGINE_set_default(e, methods)) {
		imaevm_log_ossl(ctx, LOG_INFO, id);
		imaevm_log(ctx, LOG_INFO, "OpenSSL engine %s cannot be made a default", id);
		ENGINE_finish(e);
		return -ENOENT;
	}
	ERR_clear_error();
	err = remember(ctx, e, true);
	if (err)
		ENGINE_finish(e);
	else
		imaevm_log(ctx, LOG_DEBUG, "OpenSSL engine %s loaded", id);
	return err;
#else
	if (!ctx || !id || !*id)
		return -EINVAL;
	imaevm_log(ctx, LOG_INFO, "OpenSSL engine %s: this libimaevm was built without "
		   "ENGINE support", id);
	return -EOPNOTSUPP;
#endif
}

IMAEVM_EXPORT int imaevm_ctx_load_provider(struct imaevm_ctx *ctx, const char *name)
{
#ifdef ENABLE_PROVIDER
	OSSL_PROVIDER *p;
	int err;

	if (!ctx || !name || !*name)
		return -EINVAL;
	/* retain the fallback: "legacy" or "tpm2" adds to the default, never replaces it */
	p = OSSL_PROVIDER_try_load(ctx->libctx, name, 1);
	if (!p) {
		imaevm_log_ossl(ctx, LOG_INFO, name);
		imaevm_log(ctx, LOG_INFO, "OpenSSL provider %s is not available", name);
		return -ENOENT;
	}
	err = remember(ctx, p, false);
	if (err)
		OSSL_PROVIDER_unload(p);
	else
		imaevm_log(ctx, LOG_DEBUG, "OpenSSL provider %s loaded", name);
	return err;
#else
	if (!ctx || !name || !*name)
		return -EINVAL;
	imaevm_log(ctx, LOG_INFO, "OpenSSL provider %s: this libimaevm was built without "
		   "provider loading", name);
	return -EOPNOTSUPP;
#endif
}

void imaevm_ctx_release_modules(struct imaevm_ctx *ctx)
{
	size_t i = ctx->n_modules;

	/* in reverse: a provider may have been loaded for an engine's sake */
	while (i--) {
#ifdef ENABLE_ENGINE
		if (ctx->module_is_engine[i]) {
			ENGINE_finish(ctx->modules[i]);
			continue;
		}
#endif
		OSSL_PROVIDER_unload(ctx->modules[i]);
	}
	free(ctx->modules);
	free(ctx->module_is_engine);
	ctx->modules = NULL;
	ctx->module_is_engine = NULL;
	ctx->n_modules = 0;
}
