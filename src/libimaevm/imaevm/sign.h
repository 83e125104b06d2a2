/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* imaevm/sign.h - libimaevm's public interface: keys and signatures. */
#ifndef IMAEVM_SIGN_H
#define IMAEVM_SIGN_H

#ifndef IMAEVM_H
#error "include <imaevm.h>, which includes this part in its place"
#endif

/* ---- Keys ----------------------------------------------------------------- */

/*
 * The largest key or certificate file read (key files are kilobytes).  Key
 * files must be regular files: a FIFO or device is refused with -ENODEV
 * before it is read, a bigger file with -EFBIG.
 */
#define IMAEVM_KEY_FILE_MAX (1u << 20)

/** struct imaevm_signing_key - opaque private key, loaded once, signs many digests. */
struct imaevm_signing_key;

/**
 * struct imaevm_key_params - where and how to load a signing key.
 * @path:      file with a PEM or DER private key (RSA, EC, SM2; GOST with
 *             the GOST engine loaded; PKCS#8, traditional or encrypted; a
 *             TSS2 key file with the tpm2 provider loaded), a "pkcs11:"
 *             URI, or another OSSL_STORE URI ("handle:0x81000001" with the
 *             tpm2 provider) when no file has that name
 * @password:  password of an encrypted key or PIN of a token, or NULL
 * @engine:    OpenSSL engine id to load a "pkcs11:" @path with (NULL:
 *             "pkcs11"); when the engine is missing the URI is tried
 *             through OSSL_STORE (a loaded provider).  Files are read as
 *             files whatever @engine says.
 * @keyid_set: use @keyid in signatures instead of the key's own id (else
 *             a PEM key file followed by a certificate signs with the
 *             id of the certificate's subject key identifier, else with
 *             the key's own id)
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
 * own OpenSSL operation context (signatures with a token key are made one
 * at a time, since token sessions are not safe for concurrent use).
 *
 * Return: 0; -ENOKEY if the key is encrypted and no password was given, or
 * a token key cannot be found; -EACCES wrong password; -EBADMSG not a key;
 * -EOPNOTSUPP key type other than RSA, EC, SM2 or GOST, or neither the
 * engine nor an OSSL_STORE provider can load the URI; -ENODEV the file
 * (or the file of a "file:" URI) is not a regular file; -EFBIG over
 * IMAEVM_KEY_FILE_MAX bytes; -EINVAL; open/read errors.
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
 * an identifier shorter than 4 bytes; -ENODEV not a regular file; -EFBIG
 * over IMAEVM_KEY_FILE_MAX bytes; -EINVAL; open/read errors.
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
 * @path: X.509 certificate(s) in DER or PEM, or a PEM/DER public key, or
 *        an unencrypted PEM/DER private key (only its public half is kept)
 *
 * Each key is found by its key id as evmctl computes it, and also by the
 * last 4 bytes of its certificate's subject key identifier.  Once loaded,
 * the set may be shared by any number of threads verifying at once.
 *
 * Return: number of keys added (> 0); -EBADMSG nothing usable in the file;
 * -ENODEV not a regular file; -EFBIG over IMAEVM_KEY_FILE_MAX bytes;
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
 * Return: 0; -ESTALE the file changed while it was read (as
 * imaevm_digest_fd()); -EOPNOTSUPP other algorithms or not a regular file;
 * -EINVAL; -ENOMEM; read errors.
 */
int imaevm_verity_digest_fd(struct imaevm_ctx *ctx, int fd, int algo,
			    struct imaevm_digest *out);

/* imaevm_verity_measure_fd() flags */
#define IMAEVM_VERITY_KERNEL_FIRST	(1u << 0)	/* the kernel's measurement where fs-verity is on */

/* where imaevm_verity_measure_fd()'s digest came from */
enum imaevm_verity_source {
	IMAEVM_VERITY_COMPUTED = 0,	/* computed here from the content */
	IMAEVM_VERITY_FROM_KERNEL = 1,	/* FS_IOC_MEASURE_VERITY */
};

/**
 * imaevm_verity_measure_fd() - the fs-verity digest, from the kernel if it has it.
 * @ctx:    context
 * @fd:     regular file open for reading at offset 0
 * @algo:   IMAEVM_HASH_SHA256 or IMAEVM_HASH_SHA512
 * @flags:  0 (compute, as imaevm_verity_digest_fd()) or
 *          IMAEVM_VERITY_KERNEL_FIRST: ask the kernel for the digest it
 *          measured when fs-verity is enabled on the file, else compute it
 *          (offline checks of images)
 * @out:    receives the digest
 * @source: receives where it came from (may be NULL)
 *
 * Return: as imaevm_verity_digest_fd(), and -EMEDIUMTYPE: fs-verity is
 * enabled on the file with another hash algorithm than @algo (the kernel
 * would never measure the digest asked for); -EINVAL unknown @flags.
 */
int imaevm_verity_measure_fd(struct imaevm_ctx *ctx, int fd, int algo,
			     unsigned int flags, struct imaevm_digest *out,
			     enum imaevm_verity_source *source);

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
 * imaevm_sign_xattr() - make the signature value of an xattr type.
 * @ctx:       context
 * @key:       the signing key (may be shared by threads)
 * @digest:    what the type signs: the file content digest
 *             (IMAEVM_XATTR_DIGSIG, signature v2), the fs-verity digest
 *             (IMAEVM_XATTR_VERITY_DIGSIG, v3), or the imaevm_evm_digest()
 *             of the same type (IMAEVM_XATTR_DIGSIG for security.evm,
 *             IMAEVM_XATTR_PORTABLE_DIGSIG, IMAEVM_EVM_IMMUTABLE_DIGSIG)
 * @type:      one of those types
 * @value:     receives the whole value, header included (imaevm_free())
 * @value_len: receives its length
 *
 * Return: 0; -EINVAL another type or a bad digest; otherwise as
 * imaevm_sign_digest().
 */
int imaevm_sign_xattr(struct imaevm_ctx *ctx, const struct imaevm_signing_key *key,
		      const struct imaevm_digest *digest, int type,
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

/**
 * imaevm_evm_verify_sig() - check a security.evm signature value against
 * the imaevm_evm_digest() of its type (see imaevm_evm_sig_parse()).
 * @ctx:    context
 * @ks:     verification keys
 * @value:  type 0x03 (v1, v2, or the immutable version 3) or 0x05
 * @len:    its length
 * @digest: the EVM digest for that type, in the signature's algorithm
 * @result: optional; receives detail (also on failure)
 * Return: as imaevm_verify_digest(); -EBADMSG for other value types.
 */
int imaevm_evm_verify_sig(struct imaevm_ctx *ctx, const struct imaevm_keyset *ks,
			  const void *value, size_t len,
			  const struct imaevm_digest *digest,
			  struct imaevm_verify_result *result);

/**
 * imaevm_verify_modsig() - check an appended (module-style) signature
 * against the digest of the file it was appended to.
 * @ctx:    context
 * @ks:     verification keys (shared read-only); the signer is found among
 *          its certificates by issuer and serial number or by subject key
 *          identifier; bare public keys are tried when no certificate matches
 * @pkcs7:  the signature: a DER PKCS#7/CMS SignedData with one signer and
 *          detached content, as in the "modsig" field of template ima-modsig
 * @len:    its length
 * @digest: the digest of the file without the signature ("d-modsig"), in
 *          the signer's digest algorithm
 * @result: optional; receives detail (also on failure): @keyid is the key id
 *          of the key used (or the end of the signer's subject key id)
 *
 * Without authenticated attributes (as the kernel's sign-file makes them)
 * the signature is over @digest itself.  With them, it is over the DER of the
 * attributes, and @digest must be either their messageDigest attribute (the
 * content digest) or the digest of the attributes (what the kernel records
 * then).
 *
 * Return: 0 valid; -ENOKEY no key for the signer; -EKEYREJECTED the signature
 * does not verify or @digest is not what was signed; -EOPNOTSUPP unsupported
 * algorithm (RSA PKCS#1 v1.5 and ECDSA are supported); -EBADMSG
 * malformed, not SignedData or not one signer; -EINVAL bad arguments or
 * @digest's algorithm differs from the signer's.
 */
int imaevm_verify_modsig(struct imaevm_ctx *ctx, const struct imaevm_keyset *ks,
			 const void *pkcs7, size_t len,
			 const struct imaevm_digest *digest,
			 struct imaevm_verify_result *result);

#endif /* IMAEVM_SIGN_H */
