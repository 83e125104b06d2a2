/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * imaevm.h - public interface of libimaevm, the IMA/EVM userspace library.
 *
 * Conventions for every function below:
 *  - Success is 0 (or a count); failure is a negative errno value, never -1
 *    with errno set.  Common codes: -EINVAL bad argument, -EBADMSG malformed
 *    input, -EOPNOTSUPP algorithm or format not supported, -ENOMEM.  Codes
 *    from the system (-ENOENT, -EACCES, ...) are passed up unchanged.
 *  - The library never prints.  Messages go to the log callback of the
 *    context (syslog priorities); a new context is silent.
 *  - Outputs are written only on success.  Memory returned to the caller is
 *    released with imaevm_free(); imaevm_free(NULL) does nothing.
 *  - There is no global mutable state.  A context may be shared by threads
 *    once its settings are made; functions that change settings must not run
 *    concurrently with other use of the same context.
 */
#ifndef IMAEVM_H
#define IMAEVM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Context ---------------------------------------------------------- */

/** struct imaevm_ctx - opaque library context (log sink, crypto provider). */
struct imaevm_ctx;

/**
 * typedef imaevm_log_fn - receives one log message.
 * @opaque:   the pointer given to imaevm_ctx_set_log()
 * @priority: syslog priority (LOG_ERR .. LOG_DEBUG)
 * @msg:      the message, without a trailing newline; valid during the call
 *
 * May be called from any thread that uses the context.
 */
typedef void (*imaevm_log_fn)(void *opaque, int priority, const char *msg);

/**
 * imaevm_ctx_new() - create a context.
 * @ctx: receives the new context on success
 *
 * Return: 0, -EINVAL if @ctx is NULL, -ENOMEM.
 */
int imaevm_ctx_new(struct imaevm_ctx **ctx);

/** imaevm_ctx_free() - release a context; NULL is a no-op. */
void imaevm_ctx_free(struct imaevm_ctx *ctx);

/**
 * imaevm_ctx_set_log() - route messages to @fn.
 * @ctx:          the context
 * @fn:           the callback, or NULL to be silent again
 * @opaque:       passed to @fn unchanged
 * @max_priority: messages with a priority value above this (less severe)
 *                are not delivered; LOG_DEBUG delivers everything
 */
void imaevm_ctx_set_log(struct imaevm_ctx *ctx, imaevm_log_fn fn, void *opaque,
			int max_priority);

/**
 * imaevm_strerror() - short text for an error code returned by the library.
 * @err: a negative (or positive) errno value
 *
 * Return: a static string, never NULL.  Library-specific meanings are used
 * where they differ from strerror() (e.g. -EBADMSG is "malformed input").
 */
const char *imaevm_strerror(int err);

/** imaevm_free() - release memory returned by the library; NULL is a no-op. */
void imaevm_free(void *ptr);

/* ---- Hash algorithms ---------------------------------------------------- */

/*
 * Algorithms are identified by the kernel's hash_info ids
 * (include/uapi/linux/hash_info.h), the numbers stored in xattrs and
 * signature headers.
 */
enum imaevm_hash_algo {
	IMAEVM_HASH_MD4 = 0,
	IMAEVM_HASH_MD5 = 1,
	IMAEVM_HASH_SHA1 = 2,
	IMAEVM_HASH_RIPEMD160 = 3,
	IMAEVM_HASH_SHA256 = 4,
	IMAEVM_HASH_SHA384 = 5,
	IMAEVM_HASH_SHA512 = 6,
	IMAEVM_HASH_SHA224 = 7,
	IMAEVM_HASH_RIPEMD128 = 8,
	IMAEVM_HASH_RIPEMD256 = 9,
	IMAEVM_HASH_RIPEMD320 = 10,
	IMAEVM_HASH_WP256 = 11,
	IMAEVM_HASH_WP384 = 12,
	IMAEVM_HASH_WP512 = 13,
	IMAEVM_HASH_TGR128 = 14,
	IMAEVM_HASH_TGR160 = 15,
	IMAEVM_HASH_TGR192 = 16,
	IMAEVM_HASH_SM3_256 = 17,
	IMAEVM_HASH_STREEBOG256 = 18,
	IMAEVM_HASH_STREEBOG512 = 19,
	IMAEVM_HASH_SHA3_256 = 20,
	IMAEVM_HASH_SHA3_384 = 21,
	IMAEVM_HASH_SHA3_512 = 22,
	IMAEVM_HASH_ALGO_COUNT
};

/** Largest digest any supported algorithm produces, in bytes. */
#define IMAEVM_MAX_DIGEST_SIZE 64

/**
 * imaevm_hash_algo_by_name() - look up an algorithm by its kernel name.
 * @name: "sha256", "sm3", "streebog512", ... (case-insensitive); the
 *        OpenSSL spelling ("SHA2-256", "SM3") is accepted too
 *
 * Return: the algorithm id (>= 0), or -EINVAL for an unknown name.
 */
int imaevm_hash_algo_by_name(const char *name);

/** imaevm_hash_algo_name() - kernel name of @algo, or NULL if out of range. */
const char *imaevm_hash_algo_name(int algo);

/** imaevm_hash_algo_size() - digest size of @algo in bytes, or -EINVAL. */
int imaevm_hash_algo_size(int algo);

/**
 * imaevm_hash_algo_tpm_id() - TPM 2.0 TPM_ALG_ID of @algo.
 * Return: the id (> 0), or -EOPNOTSUPP if the TPM defines none, -EINVAL.
 */
int imaevm_hash_algo_tpm_id(int algo);

/**
 * imaevm_hash_algo_by_tpm_id() - algorithm for a TPM 2.0 TPM_ALG_ID.
 * Return: the algorithm id, or -EOPNOTSUPP for an id with no kernel hash.
 */
int imaevm_hash_algo_by_tpm_id(unsigned int tpm_alg_id);

/* ---- Digests ------------------------------------------------------------ */

/** struct imaevm_digest - a digest and the algorithm that made it. */
struct imaevm_digest {
	int algo;		/* enum imaevm_hash_algo */
	size_t len;		/* bytes used in @value */
	unsigned char value[IMAEVM_MAX_DIGEST_SIZE];
};

/**
 * imaevm_digest_fd() - digest of the content of an open regular file.
 * @ctx:  context
 * @fd:   descriptor open for reading; read from its current offset to EOF
 * @algo: enum imaevm_hash_algo
 * @out:  receives the digest on success
 *
 * Only regular files have content the kernel appraises; other types fail.
 *
 * Return: 0; -EOPNOTSUPP if @fd is not a regular file or @algo is not
 * available from the crypto provider; -EINVAL; a read error (-EIO, ...).
 */
int imaevm_digest_fd(struct imaevm_ctx *ctx, int fd, int algo,
		     struct imaevm_digest *out);

/**
 * imaevm_digest_buf() - digest of a memory buffer.
 * Return: 0, -EINVAL, -EOPNOTSUPP (algorithm unavailable).
 */
int imaevm_digest_buf(struct imaevm_ctx *ctx, const void *buf, size_t len,
		      int algo, struct imaevm_digest *out);

/**
 * imaevm_digest_path() - digest of the regular file at @path.
 *
 * The file is opened without following a final symlink (O_NOFOLLOW).
 * Return: as imaevm_digest_fd(), plus open errors (-ENOENT, -ELOOP, ...).
 */
int imaevm_digest_path(struct imaevm_ctx *ctx, const char *path, int algo,
		       struct imaevm_digest *out);

/* ---- security.ima / security.evm values -------------------------------- */

/* The first byte of every value (the kernel's enum evm_ima_xattr_type). */
enum imaevm_xattr_type {
	IMAEVM_XATTR_DIGEST = 0x01,		/* legacy: sha1 or md5 digest */
	IMAEVM_XATTR_HMAC = 0x02,		/* EVM HMAC (sha1) */
	IMAEVM_XATTR_DIGSIG = 0x03,		/* signature v1 or v2 */
	IMAEVM_XATTR_DIGEST_NG = 0x04,		/* algorithm byte + digest */
	IMAEVM_XATTR_PORTABLE_DIGSIG = 0x05,	/* EVM portable signature */
	IMAEVM_XATTR_VERITY_DIGSIG = 0x06,	/* signature v3 (fs-verity) */
};

/**
 * struct imaevm_xattr_info - a parsed xattr value.  Pointers point into the
 * buffer given to imaevm_xattr_parse() and live as long as it does.
 * @type:        enum imaevm_xattr_type
 * @hash_algo:   enum imaevm_hash_algo of the digest or signature
 * @digest:      the digest (digest and HMAC types), else NULL
 * @digest_len:  its length
 * @sig_version: 1, 2 or 3 for signature types, else 0
 * @keyid:       low 32 bits of the key identifier (v2/v3, host order)
 * @keyid_v1:    8-byte key identifier of a v1 signature, else NULL
 * @sig:         the signature bytes (v2/v3: after the header; v1: the MPI
 *               including its 2-byte bit-length prefix), else NULL
 * @sig_len:     their length
 */
struct imaevm_xattr_info {
	int type;
	int hash_algo;
	const unsigned char *digest;
	size_t digest_len;
	int sig_version;
	uint32_t keyid;
	const unsigned char *keyid_v1;
	const unsigned char *sig;
	size_t sig_len;
};

/**
 * imaevm_xattr_parse() - check and split a security.ima/security.evm value.
 * @value: the raw value
 * @len:   its length
 * @info:  receives the fields on success
 *
 * Lengths are checked exactly as the kernel checks them: a digest must be
 * as long as its algorithm's output, a signature header's size field must
 * match the remaining bytes.
 *
 * Return: 0; -EBADMSG for a malformed value (truncated, wrong lengths,
 * unknown type or version); -EOPNOTSUPP for an algorithm id the library
 * does not know; -EINVAL.
 */
int imaevm_xattr_parse(const void *value, size_t len,
		       struct imaevm_xattr_info *info);

/**
 * imaevm_xattr_encode_digest() - the security.ima value for a digest.
 * @digest:    the digest
 * @value:     receives a buffer allocated by the library (imaevm_free())
 * @value_len: receives its length
 *
 * sha1 and md5 digests use the legacy type 0x01, which the kernel tells
 * apart by length; every other algorithm uses 0x04 with the algorithm byte.
 * A sha1 digest ending in four zero bytes, which the kernel would read as
 * md5 in the legacy form, is written as 0x04 too.
 *
 * Return: 0, -EINVAL (bad algorithm or length), -ENOMEM.
 */
int imaevm_xattr_encode_digest(const struct imaevm_digest *digest,
			       unsigned char **value, size_t *value_len);

#ifdef __cplusplus
}
#endif

#endif /* IMAEVM_H */
