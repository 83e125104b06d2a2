/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* internal.h - private declarations shared by the libimaevm sources. */
#ifndef IMAEVM_INTERNAL_H
#define IMAEVM_INTERNAL_H

#include <stdatomic.h>
#include <syslog.h>
#include <openssl/evp.h>

#include "imaevm.h"

#define IMAEVM_EXPORT __attribute__((visibility("default")))

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

struct imaevm_ctx {
	imaevm_log_fn log_fn;
	void *log_opaque;
	int log_max_priority;
	OSSL_LIB_CTX *libctx;		/* NULL: OpenSSL's default */
	const char *propq;		/* property query for fetches, or NULL */
	/* Digests fetched on first use; filled lock-free, freed with the ctx. */
	_Atomic(EVP_MD *) md_cache[IMAEVM_HASH_ALGO_COUNT];
};

/* context.c */
void imaevm_log(const struct imaevm_ctx *ctx, int priority, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Drain OpenSSL's error queue of this thread into the log, after @what. */
void imaevm_log_ossl(const struct imaevm_ctx *ctx, int priority, const char *what);

/* hash-algo.c */
/* OpenSSL's name for @algo, or NULL if OpenSSL has none. */
const char *imaevm_hash_algo_ossl_name(int algo);
/* The EVP_MD for @algo (owned by @ctx), or NULL after logging why. */
const EVP_MD *imaevm_md_get(struct imaevm_ctx *ctx, int algo);

/* read-ahead.c */
/* Digest @fd to EOF with a reader thread; -EAGAIN if no thread could start. */
int imaevm_digest_read_ahead(struct imaevm_ctx *ctx, int fd, EVP_MD_CTX *mdctx);

#endif /* IMAEVM_INTERNAL_H */
