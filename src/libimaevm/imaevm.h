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
 *    concurrently with other use of the same context.  Signing keys and key
 *    sets are read-only once loaded and may be shared by any number of
 *    threads; imaevm_keyset_add_file() must not run while the set is in use.
 *  - The old libimaevm calls (sign_hash(), verify_hash(), imaevm_params,
 *    ...) are declared in imaevm-compat.h, which this header includes
 *    unless IMAEVM_NO_COMPAT is defined; they use global state and are not
 *    thread-safe.  See libimaevm(3).
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

/**
 * imaevm_ctx_free() - release a context.
 * @ctx: the context, or NULL (nothing happens)
 *
 * No other thread may be using @ctx.  Keys and key sets loaded with it stay
 * valid: they do not refer to the context after loading.
 */
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

/**
 * imaevm_free() - release memory the library returned to the caller.
 * @ptr: a buffer from imaevm_xattr_encode_digest(), imaevm_sign_digest(),
 *       ...; NULL is a no-op
 */
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

/**
 * imaevm_hash_algo_name() - kernel name of an algorithm.
 * @algo: enum imaevm_hash_algo
 * Return: a static string ("sha256", "sm3-256", ...), or NULL if @algo is
 * out of range.
 */
const char *imaevm_hash_algo_name(int algo);

/**
 * imaevm_hash_algo_size() - digest size of an algorithm.
 * @algo: enum imaevm_hash_algo
 * Return: the size in bytes (> 0), or -EINVAL if @algo is out of range.
 */
int imaevm_hash_algo_size(int algo);

/**
 * imaevm_hash_algo_tpm_id() - TPM 2.0 TPM_ALG_ID of @algo.
 * @algo: enum imaevm_hash_algo
 * Return: the id (> 0), or -EOPNOTSUPP if the TPM defines none, -EINVAL.
 */
int imaevm_hash_algo_tpm_id(int algo);

/**
 * imaevm_hash_algo_by_tpm_id() - algorithm for a TPM 2.0 TPM_ALG_ID.
 * @tpm_alg_id: TPM_ALG_SHA256 (0x000b), ...
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
 * @ctx:  context
 * @buf:  the data (may be NULL when @len is 0)
 * @len:  its length
 * @algo: enum imaevm_hash_algo
 * @out:  receives the digest on success
 * Return: 0; -EINVAL (NULL @ctx or @out, unknown @algo); -EOPNOTSUPP
 * (algorithm unavailable from the crypto provider); -ENOMEM.
 */
int imaevm_digest_buf(struct imaevm_ctx *ctx, const void *buf, size_t len,
		      int algo, struct imaevm_digest *out);

/**
 * imaevm_digest_path() - digest of the regular file at @path.
 * @ctx:  context
 * @path: the file
 * @algo: enum imaevm_hash_algo
 * @out:  receives the digest on success
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

/* ---- Keys ----------------------------------------------------------------- */

/** struct imaevm_signing_key - opaque private key, loaded once, signs many digests. */
struct imaevm_signing_key;

/**
 * struct imaevm_key_params - where and how to load a signing key.
 * @path:      file with a PEM or DER private key (RSA or EC; PKCS#8,
 *             traditional or encrypted), or a "pkcs11:" URI
 * @password:  password of an encrypted key or PIN of a token, or NULL
 * @engine:    OpenSSL engine id to load @path from (NULL: "pkcs11" for
 *             pkcs11: URIs, else a file); when the engine is missing the
 *             URI is tried through OSSL_STORE (a loaded provider)
 * @keyid_set: use @keyid in signatures instead of the key's own id
 * @keyid:     the key id to use when @keyid_set
 */
struct imaevm_key_params {
	const char *path;
	const char *password;
	const char *engine;
	int keyid_set;
	uint32_t keyid;
};

/**
 * imaevm_signing_key_load() - load a private key for signing.
 * @ctx:    context
 * @params: where the key is and how to open it
 * @key:    receives the key on success; free with imaevm_signing_key_free()
 *
 * The key may be used by several threads at once: every signature uses its
 * own OpenSSL operation context.
 *
 * Return: 0; -ENOKEY if the key is encrypted and no password was given, or
 * a token key cannot be found; -EACCES wrong password; -EBADMSG not a key;
 * -EOPNOTSUPP key type other than RSA or EC; -EINVAL; open/read errors.
 */
int imaevm_signing_key_load(struct imaevm_ctx *ctx,
			    const struct imaevm_key_params *params,
			    struct imaevm_signing_key **key);

/**
 * imaevm_signing_key_free() - release a signing key.
 * @key: the key, or NULL (nothing happens); no thread may still sign with it
 */
void imaevm_signing_key_free(struct imaevm_signing_key *key);

/**
 * imaevm_signing_key_id() - the key id put into v2/v3 signatures.
 * @key: the key
 * Return: the 32-bit id (host order): the one given in the load parameters,
 * else the key's own; 0 for NULL.
 */
uint32_t imaevm_signing_key_id(const struct imaevm_signing_key *key);

/**
 * imaevm_signing_key_max_size() - largest raw signature the key makes.
 * @key: the key
 * Return: the size in bytes (the value of imaevm_sign_digest() is 9 bytes
 * longer), or -EINVAL for NULL.
 */
int imaevm_signing_key_max_size(const struct imaevm_signing_key *key);

/**
 * imaevm_keyid_parse() - parse a key id given as up to 8 hex digits.
 * @hex:   "1a2b3c4d" (an optional 0x prefix is allowed)
 * @keyid: receives the value on success
 * Return: 0, or -EINVAL (NULL argument, empty, too long, not hex).
 */
int imaevm_keyid_parse(const char *hex, uint32_t *keyid);

/**
 * imaevm_keyid_from_cert() - key id from a certificate's subject key identifier.
 * @ctx:   context
 * @path:  X.509 certificate, DER or PEM (the first one is used)
 * @keyid: receives the last 4 bytes of the subject key identifier
 * Return: 0; -ENOKEY no subject key identifier; -EBADMSG no certificate or
 * an identifier shorter than 4 bytes; -EINVAL; open/read errors.
 */
int imaevm_keyid_from_cert(struct imaevm_ctx *ctx, const char *path, uint32_t *keyid);

/** struct imaevm_keyset - opaque set of verification keys, read-only once loaded. */
struct imaevm_keyset;

/**
 * imaevm_keyset_new() - create an empty key set.
 * @ks: receives the set; free with imaevm_keyset_free()
 * Return: 0, -EINVAL (@ks is NULL), -ENOMEM.
 */
int imaevm_keyset_new(struct imaevm_keyset **ks);

/**
 * imaevm_keyset_free() - release a key set and its keys.
 * @ks: the set, or NULL (nothing happens); no thread may still verify with
 *      it, and &struct imaevm_verify_result.key_name pointers into it die
 */
void imaevm_keyset_free(struct imaevm_keyset *ks);

/**
 * imaevm_keyset_add_file() - add the keys of one file to a key set.
 * @ctx:  context
 * @ks:   the set; must not be in use by other threads during the call
 * @path: X.509 certificate(s) in DER or PEM, or a PEM/DER public key
 *
 * Each key is found by its key id as evmctl computes it, and also by the
 * last 4 bytes of its certificate's subject key identifier.  Once loaded,
 * the set may be shared by any number of threads verifying at once.
 *
 * Return: number of keys added (> 0); -EBADMSG nothing usable in the file;
 * -EINVAL; -ENOMEM; open/read errors.
 */
int imaevm_keyset_add_file(struct imaevm_ctx *ctx, struct imaevm_keyset *ks,
			   const char *path);

/**
 * imaevm_keyset_count() - number of keys in a set.
 * @ks: the set
 * Return: the count; 0 for NULL.
 */
size_t imaevm_keyset_count(const struct imaevm_keyset *ks);

/* ---- Signatures ------------------------------------------------------------ */

/**
 * imaevm_file_id_digest() - the digest a signature v3 signs.
 * @ctx:    context
 * @type:   xattr type the signature is for: IMAEVM_XATTR_VERITY_DIGSIG for
 *          an fs-verity file digest (the only one the kernel uses now)
 * @digest: the fs-verity (or file) digest
 * @out:    receives hash(struct ima_file_id) with @digest's algorithm: the
 *          hash of the bytes {type, algorithm, digest}
 * Return: 0, -EINVAL, -EOPNOTSUPP (algorithm unavailable).
 */
int imaevm_file_id_digest(struct imaevm_ctx *ctx, int type,
			  const struct imaevm_digest *digest,
			  struct imaevm_digest *out);

/**
 * imaevm_verity_digest_fd() - the fs-verity digest of a file, computed here.
 * @ctx:  context
 * @fd:   regular file open for reading, read from its current offset to EOF
 * @algo: IMAEVM_HASH_SHA256 or IMAEVM_HASH_SHA512
 * @out:  receives the digest `fsverity digest` prints and the kernel
 *        measures for a verity file built with 4096-byte blocks and no salt
 *
 * Works on any file, whether or not the filesystem has fs-verity enabled.
 * Return: 0; -EOPNOTSUPP other algorithms or not a regular file; -EINVAL;
 * -ENOMEM; read errors.
 */
int imaevm_verity_digest_fd(struct imaevm_ctx *ctx, int fd, int algo,
			    struct imaevm_digest *out);

/**
 * imaevm_sign_digest() - make a security.ima signature value for a digest.
 * @ctx:       context
 * @key:       the signing key (may be shared by threads)
 * @digest:    v2: the file content digest; v3: the fs-verity digest
 * @version:   2 (type 0x03) or 3 (type 0x06, fs-verity); 1 is refused
 * @value:     receives the value: type, version, hash id, be32 key id,
 *             be16 size, signature (free with imaevm_free())
 * @value_len: receives its length
 *
 * RSA keys make PKCS#1 v1.5 signatures, EC keys DER-encoded ECDSA.
 *
 * Return: 0; -EOPNOTSUPP version 1 (signing v1 is not supported) or an
 * algorithm the key or provider cannot use; -EINVAL; -ENOMEM; -EIO the
 * signing operation (or token) failed.
 */
int imaevm_sign_digest(struct imaevm_ctx *ctx, const struct imaevm_signing_key *key,
		       const struct imaevm_digest *digest, int version,
		       unsigned char **value, size_t *value_len);

/**
 * struct imaevm_verify_result - detail of a verification.
 * @keyid:           key id named in the signature (v2/v3)
 * @key_name:        file of the key that was used, or NULL; valid while
 *                   the key set lives
 * @digest_mismatch: the signature is well-formed for the key but was made
 *                   over a different digest (known for RSA only)
 */
struct imaevm_verify_result {
	uint32_t keyid;
	const char *key_name;
	int digest_mismatch;
};

/**
 * imaevm_verify_digest() - check a signature value against a digest.
 * @ctx:    context
 * @ks:     verification keys (shared read-only)
 * @value:  security.ima value with a signature (type 0x03 v1/v2, 0x06 v3)
 * @len:    its length
 * @digest: v1: the sha1 file digest; v2: the file digest in the
 *          signature's algorithm; v3: the fs-verity digest
 * @result: optional; receives detail (also on failure)
 *
 * Return: 0 valid; -ENOKEY no key with the signature's key id (v1: no RSA
 * key verifies it); -EKEYREJECTED the signature does not verify;
 * -EOPNOTSUPP unsupported algorithm; -EBADMSG malformed value or not a
 * signature; -EINVAL (e.g. @digest's algorithm differs from the signature's).
 */
int imaevm_verify_digest(struct imaevm_ctx *ctx, const struct imaevm_keyset *ks,
			 const void *value, size_t len,
			 const struct imaevm_digest *digest,
			 struct imaevm_verify_result *result);

#ifdef __cplusplus
}
#endif

/*
 * The calls of the old libimaevm (global settings, not thread-safe), so
 * programs written for it build unchanged.  New code: define
 * IMAEVM_NO_COMPAT before including this header to leave them out.
 */
#ifndef IMAEVM_NO_COMPAT
#include "imaevm-compat.h"
#endif

#endif /* IMAEVM_H */
