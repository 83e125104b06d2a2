/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* internal.h - private declarations shared by the libimaevm sources. */
#ifndef IMAEVM_INTERNAL_H
#define IMAEVM_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
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

/* key.c */
struct imaevm_signing_key {
	EVP_PKEY *pkey;		/* read-only after load; one EVP_PKEY_CTX per call */
	void *engine;		/* ENGINE holding the key, or NULL */
	uint32_t keyid;
	/* token sessions are not safe for concurrent operations: serialise */
	pthread_mutex_t engine_lock;
};

/* One verification key. */
struct imaevm_pubkey {
	EVP_PKEY *pkey;
	uint32_t keyid;		/* from the public key, as evmctl computes it */
	uint32_t skid_keyid;	/* last 4 bytes of the subject key identifier */
	bool has_skid;
	char *name;		/* file it came from */
};

struct imaevm_keyset {
	struct imaevm_pubkey *keys;
	size_t n;
};

/* The v2 key id of @pkey: low 4 bytes of SHA-1 of the public key bits. */
int imaevm_pkey_keyid(struct imaevm_ctx *ctx, EVP_PKEY *pkey, uint32_t *keyid);
/* The key with @keyid (by public key, then by subject key id), or NULL. */
const struct imaevm_pubkey *imaevm_keyset_find(const struct imaevm_keyset *ks,
					       uint32_t keyid);

/* sign.c */
/* A new EVP_PKEY_CTX for one operation (legacy: the key lives in an ENGINE). */
EVP_PKEY_CTX *imaevm_pkey_ctx(struct imaevm_ctx *ctx, EVP_PKEY *pkey, bool legacy);

/* key-engine.c */
int imaevm_engine_load_key(struct imaevm_ctx *ctx, const char *engine_id,
			   const char *uri, const char *password,
			   EVP_PKEY **out, void **enginep);
void imaevm_engine_release(void *engine);

#endif /* IMAEVM_INTERNAL_H */
