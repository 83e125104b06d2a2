// SPDX-License-Identifier: LGPL-2.1-or-later
/* context.c - the library context: log routing, crypto provider, errors. */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/err.h>

#include "internal.h"

IMAEVM_EXPORT int imaevm_ctx_new(struct imaevm_ctx **ctx)
{
	struct imaevm_ctx *c;

	if (!ctx)
		return -EINVAL;
	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->log_max_priority = LOG_DEBUG;
	c->sha_ni = imaevm_sha256_ni_wanted();
	*ctx = c;
	return 0;
}

IMAEVM_EXPORT void imaevm_ctx_free(struct imaevm_ctx *ctx)
{
	size_t i;

	if (!ctx)
		return;
	for (i = 0; i < ARRAY_SIZE(ctx->md_cache); i++)
		EVP_MD_free(atomic_load(&ctx->md_cache[i]));
	/* after the digests, which may come from them */
	imaevm_ctx_release_modules(ctx);
	free(ctx);
}

IMAEVM_EXPORT void imaevm_ctx_set_log(struct imaevm_ctx *ctx, imaevm_log_fn fn,
				      void *opaque, int max_priority)
{
	if (!ctx)
		return;
	ctx->log_fn = fn;
	ctx->log_opaque = opaque;
	ctx->log_max_priority = max_priority;
}

IMAEVM_EXPORT void imaevm_free(void *ptr)
{
	free(ptr);
}

void imaevm_log(const struct imaevm_ctx *ctx, int priority, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	if (!ctx || !ctx->log_fn || priority > ctx->log_max_priority)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ctx->log_fn(ctx->log_opaque, priority, msg);
}

void imaevm_log_ossl(const struct imaevm_ctx *ctx, int priority, const char *what)
{
	char buf[256];
	unsigned long e;

	while ((e = ERR_get_error()) != 0) {
		ERR_error_string_n(e, buf, sizeof(buf));
		imaevm_log(ctx, priority, "%s: %s", what, buf);
	}
}

IMAEVM_EXPORT const char *imaevm_strerror(int err)
{
	const char *s;

	if (err < 0)
		err = -err;
	switch (err) {
	case 0:
		return "success";
	case EBADMSG:
		return "malformed input";
	case EKEYREJECTED:
		return "signature does not verify";
	case ENOKEY:
		return "no key with that id";
	case EOPNOTSUPP:
		return "not supported";
	case EINVAL:
		return "invalid argument";
	case ESTALE:
		return "changed while it was read";
	}
	s = strerrordesc_np(err);
	return s ? s : "unknown error";
}
