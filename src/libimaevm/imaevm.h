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

/* ---- many files at once ------------------------------------------------ */

/** Files one digest multiplexer hashes at the same time. */
#define IMAEVM_DIGEST_MUX_LANES 4

/*
 * A digest multiplexer hashes several open files on the calling thread.
 * With SHA-256 on a CPU with the SHA extensions, two or four files are
 * hashed together, which about doubles the bytes one core hashes per
 * second; the
 * digests are the same as imaevm_digest_fd()'s.  Keep it full: add files
 * while imaevm_digest_mux_room() is non-zero, then take the one that
 * finishes first from imaevm_digest_mux_next().  One multiplexer belongs
 * to one thread at a time.
 */
struct imaevm_digest_mux;

/**
 * imaevm_digest_mux_new() - an empty digest multiplexer.
 * @ctx: context (must outlive the multiplexer)
 * @out: receives it; free with imaevm_digest_mux_free()
 * Return: 0; -EINVAL; -ENOMEM.
 */
int imaevm_digest_mux_new(struct imaevm_ctx *ctx, struct imaevm_digest_mux **out);

/**
 * imaevm_digest_mux_free() - free a multiplexer, abandoning files in it.
 * @m: the multiplexer, or NULL
 *
 * The descriptors of abandoned files stay open: they belong to the caller.
 */
void imaevm_digest_mux_free(struct imaevm_digest_mux *m);

/**
 * imaevm_digest_mux_room() - how many more files imaevm_digest_mux_add() takes.
 * @m: the multiplexer
 * Return: free lanes, 0 to IMAEVM_DIGEST_MUX_LANES (0 for NULL).
 */
unsigned int imaevm_digest_mux_room(const struct imaevm_digest_mux *m);

/**
 * imaevm_digest_mux_add() - start digesting an open regular file.
 * @m:    the multiplexer
 * @fd:   descriptor open for reading, read from its current offset to EOF;
 *        it stays the caller's, and must stay open until its result is taken
 * @algo: enum imaevm_hash_algo
 * @tag:  any pointer; imaevm_digest_mux_next() hands it back with the result
 *
 * Nothing is read yet: reading and hashing happen in imaevm_digest_mux_next().
 * Return: 0; -EBUSY when no lane is free; -EOPNOTSUPP if @fd is not a
 * regular file or @algo is not available; -EINVAL; fstat() errors.
 */
int imaevm_digest_mux_add(struct imaevm_digest_mux *m, int fd, int algo, void *tag);

/**
 * imaevm_digest_mux_next() - hash until one of the files is done.
 * @m:      the multiplexer
 * @tag:    receives the tag of the file that is done
 * @out:    receives its digest when *@result is 0
 * @result: receives 0, or the file's read or digest error (-EIO, ...)
 *
 * The lane of the file that is done is free again when this returns.
 * Return: 1 when a file is done; 0 when the multiplexer holds no file;
 * -EINVAL.
 */
int imaevm_digest_mux_next(struct imaevm_digest_mux *m, void **tag,
			   struct imaevm_digest *out, int *result);

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

/* ---- EVM metadata digests and HMAC -------------------------------------- */

/*
 * The kernel (security/integrity/evm/evm_crypto.c) hashes, in this order:
 * the values of the protected xattrs that are present, in the order of its
 * evm_config_default_xattrnames list; then a metadata block (struct h_misc:
 * inode number, generation, uid, gid, mode, laid out as a C struct of the
 * target); then the filesystem UUID.  A portable signature (type 0x05)
 * leaves out the inode number, the generation and the UUID.
 *
 * struct imaevm_evm_input holds every one of these inputs, so a caller can
 * fill it from a file (imaevm_evm_input_from_fd()) and then override any
 * field before computing the digest that gets signed (imaevm_evm_digest())
 * or the HMAC (imaevm_evm_hmac()).
 */

/** Most xattrs an EVM digest covers (with the extra SMACK ones). */
#define IMAEVM_EVM_MAX_XATTRS 8
/** Size of a filesystem UUID, as the kernel's super_block.s_uuid. */
#define IMAEVM_UUID_SIZE 16

/* Layout of the metadata block (struct h_misc of the target kernel). */
enum imaevm_evm_layout {
	IMAEVM_EVM_NATIVE = 0,	/* the layout of this machine's kernel */
	IMAEVM_EVM_M32 = 1,	/* 32-bit target: 4-byte inode number, 20 bytes */
	IMAEVM_EVM_M64 = 2,	/* 64-bit target: 8-byte inode number, 24 bytes */
};

/* Flags of imaevm_evm_input_init() and imaevm_evm_input_from_fd(). */
#define IMAEVM_EVM_SMACK	 0x1	/* also SMACK64EXEC, SMACK64TRANSMUTE, SMACK64MMAP */
#define IMAEVM_EVM_NO_UUID	 0x2	/* do not look up the filesystem UUID */
#define IMAEVM_EVM_NO_GENERATION 0x4	/* do not read the inode generation (0) */

/**
 * struct imaevm_evm_xattr - one protected xattr.
 * @name:  "security.selinux", ... (a static string of the library)
 * @value: its value, or NULL when the file does not have it
 * @len:   length of @value (0 is a present, empty value)
 */
struct imaevm_evm_xattr {
	const char *name;
	const unsigned char *value;
	size_t len;
};

/**
 * struct imaevm_evm_input - everything an EVM digest or HMAC covers.
 * @n_xattrs:   entries used in @xattrs
 * @xattrs:     the protected xattrs in the kernel's order
 * @ino:        inode number (only the low 32 bits with IMAEVM_EVM_M32)
 * @generation: inode generation (FS_IOC_GETVERSION)
 * @uid:        owner, as seen from the initial user namespace
 * @gid:        group
 * @mode:       st_mode; the kernel keeps the low 16 bits (umode_t)
 * @layout:     enum imaevm_evm_layout of the metadata block
 * @has_uuid:   nonzero to hash @uuid after the metadata block
 * @uuid:       filesystem UUID, as the kernel's super_block.s_uuid
 * @storage:    private to the library: the memory imaevm_evm_input_from_fd()
 *              allocated for the values it read; released by
 *              imaevm_evm_input_release().  Values a caller puts in @xattrs
 *              stay owned by the caller.
 */
struct imaevm_evm_input {
	size_t n_xattrs;
	struct imaevm_evm_xattr xattrs[IMAEVM_EVM_MAX_XATTRS];
	uint64_t ino;
	uint32_t generation;
	uint32_t uid;
	uint32_t gid;
	uint32_t mode;
	int layout;
	int has_uuid;
	unsigned char uuid[IMAEVM_UUID_SIZE];
	void *storage;
};

/**
 * imaevm_evm_input_init() - an empty input: the xattr names of the kernel's
 * list (with the extra SMACK ones if @flags has IMAEVM_EVM_SMACK), all
 * values absent, metadata zero, native layout, no UUID.
 * @in:    the input to set
 * @flags: IMAEVM_EVM_* flags
 */
void imaevm_evm_input_init(struct imaevm_evm_input *in, unsigned int flags);

/**
 * imaevm_evm_input_from_fd() - fill an input from an open file.
 * @ctx:   context
 * @fd:    the file; any descriptor works, an O_PATH one too (xattrs are then
 *         read through /proc/self/fd), so symlinks and device nodes can be
 *         described without opening them
 * @flags: IMAEVM_EVM_* flags
 * @in:    receives the input; release it with imaevm_evm_input_release()
 *
 * Reads the protected xattrs, fstat() (inode number, uid, gid, mode), the
 * generation through FS_IOC_GETVERSION (regular files and directories
 * only, as the old evmctl; other types, and all with
 * IMAEVM_EVM_NO_GENERATION, get 0) and the UUID of the filesystem's block device through libblkid
 * (unless IMAEVM_EVM_NO_UUID).
 *
 * Return: 0; -ENOTTY when the filesystem cannot report the generation;
 * -ENODEV when the filesystem has no block device to read a UUID from;
 * -EOPNOTSUPP when it has no 128-bit UUID; system errors (-EACCES, ...);
 * -ENOMEM; -EINVAL.
 */
int imaevm_evm_input_from_fd(struct imaevm_ctx *ctx, int fd, unsigned int flags,
			     struct imaevm_evm_input *in);

/** imaevm_evm_input_release() - free what the library allocated in @in. */
void imaevm_evm_input_release(struct imaevm_evm_input *in);

/**
 * imaevm_evm_input_set_xattr() - override (or remove) one xattr value.
 * @in:    the input
 * @name:  an xattr name of @in's list
 * @value: the new value (kept by pointer: it must outlive the use of @in),
 *         or NULL to treat the xattr as absent
 * @len:   its length
 *
 * Return: 0, -ENOENT if @name is not in the list, -EINVAL.
 */
int imaevm_evm_input_set_xattr(struct imaevm_evm_input *in, const char *name,
			       const void *value, size_t len);

/**
 * imaevm_evm_digest() - the digest an EVM signature signs.
 * @ctx:  context
 * @in:   the inputs
 * @type: IMAEVM_XATTR_DIGSIG (inode number, generation and, if
 *        @in->has_uuid, the UUID included) or IMAEVM_XATTR_PORTABLE_DIGSIG
 *        (none of them)
 * @algo: enum imaevm_hash_algo
 * @out:  receives the digest
 *
 * Return: 0; -ENODATA for a portable digest without security.ima (the
 * kernel refuses those); -EOPNOTSUPP (algorithm); -EINVAL.
 */
int imaevm_evm_digest(struct imaevm_ctx *ctx, const struct imaevm_evm_input *in,
		      int type, int algo, struct imaevm_digest *out);

/**
 * imaevm_evm_hmac() - the EVM HMAC (security.evm type 0x02) of @in.
 * @ctx:    context
 * @in:     the inputs (inode number, generation, UUID if @in->has_uuid)
 * @key:    the EVM key as the kernel holds it (the decrypted payload of the
 *          "evm-key" encrypted key)
 * @keylen: 1 to 128 bytes
 * @out:    receives the sha1 HMAC
 *
 * As the kernel, the key is zero-padded to 128 bytes before use and the
 * HMAC is hmac(sha1).
 *
 * Return: 0; -EINVAL (no key, key longer than 128 bytes); -EOPNOTSUPP.
 */
int imaevm_evm_hmac(struct imaevm_ctx *ctx, const struct imaevm_evm_input *in,
		    const void *key, size_t keylen, struct imaevm_digest *out);

/**
 * imaevm_uuid_parse() - parse a UUID as blkid prints it.
 * @str:  32 hex digits, dashes anywhere allowed ("0011...-..." or plain)
 * @uuid: receives 16 bytes in the order written
 * Return: 0 or -EINVAL.
 */
int imaevm_uuid_parse(const char *str, unsigned char uuid[IMAEVM_UUID_SIZE]);

/**
 * imaevm_fs_uuid() - UUID of the filesystem on a block device, via libblkid.
 * @ctx:  context
 * @dev:  the device number (st_dev of a file on the filesystem)
 * @uuid: receives the 16 bytes
 *
 * Return: 0; -ENODEV if no block device has that number (tmpfs, overlay,
 * ...); -ENODATA if the device holds no filesystem with a UUID;
 * -EOPNOTSUPP if the UUID is not 128 bits (e.g. FAT); -EACCES, -ENOMEM.
 */
int imaevm_fs_uuid(struct imaevm_ctx *ctx, uint64_t dev,
		   unsigned char uuid[IMAEVM_UUID_SIZE]);

/* ---- Kernel keyrings ------------------------------------------------------ */

/**
 * imaevm_keyring_find() - the serial of a keyring named on a command line.
 * @ctx:    context
 * @spec:   a decimal serial; a special keyring "@s", "@u", "@us", "@p",
 *          "@t" ("@g" and "@a" as keyctl knows them); "%keyring:NAME" or
 *          "%:NAME"; or a bare keyring name ("_ima", ".ima", "_evm", ...)
 * @serial: receives the serial number
 *
 * Names are looked up in the caller's keyrings first (request_key), then in
 * every keyring the caller may view (/proc/keys), which finds the kernel's
 * ".ima" and ".evm" keyrings.
 *
 * Return: 0; -ENOKEY when no such keyring exists; -ENOTDIR when @spec names
 * a key that is not a keyring; -EINVAL for a malformed @spec.
 */
int imaevm_keyring_find(struct imaevm_ctx *ctx, const char *spec, int32_t *serial);

/**
 * imaevm_keyring_import_cert() - add an X.509 certificate as an
 * "asymmetric" key to a keyring.
 * @ctx:     context
 * @cert:    the certificate, DER or PEM
 * @len:     its length
 * @keyring: serial of the keyring (or a KEY_SPEC_* value)
 * @serial:  receives the new key's serial
 *
 * The kernel picks the description ("CN: skid") itself.
 *
 * Return: 0; -EBADMSG when @cert is not a certificate; -ENOKEY when the
 * keyring does not exist; -EKEYREJECTED when the keyring's restriction
 * refuses the key (e.g. not signed by a trusted CA); -ENODEV when the
 * kernel lacks the asymmetric key type; -EOPNOTSUPP when the kernel lacks
 * the key's algorithm (e.g. ECDSA without CONFIG_CRYPTO_ECDSA); -EACCES;
 * other add_key(2) errors.
 */
int imaevm_keyring_import_cert(struct imaevm_ctx *ctx, const void *cert,
			       size_t len, int32_t keyring, int32_t *serial);

/**
 * imaevm_keyring_import_rsa_v1() - add an RSA public key for signature v1
 * (the legacy --rsa format) as a "user" key.
 * @ctx:     context
 * @key:     a PEM public key or an X.509 certificate (DER or PEM)
 * @len:     its length
 * @keyring: serial of the keyring
 * @serial:  receives the new key's serial
 *
 * The payload is the v1 public key blob (version 1, timestamp 0, RSA, two
 * MPIs n and e); the description is its 64-bit key id in upper-case hex.
 *
 * Return: as imaevm_keyring_import_cert(); -EOPNOTSUPP also for a non-RSA key.
 */
int imaevm_keyring_import_rsa_v1(struct imaevm_ctx *ctx, const void *key,
				 size_t len, int32_t keyring, int32_t *serial);
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
 * own OpenSSL operation context (signatures with a token key are made one
 * at a time, since token sessions are not safe for concurrent use).
 *
 * Return: 0; -ENOKEY if the key is encrypted and no password was given, or
 * a token key cannot be found; -EACCES wrong password; -EBADMSG not a key;
 * -EOPNOTSUPP key type other than RSA, EC or SM2, or neither the engine
 * nor an OSSL_STORE provider can load the URI; -EINVAL; open/read errors.
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
/* ---- Attestation: measurement lists ------------------------------------ */

/* Input formats of imaevm_ml_open(). */
enum imaevm_ml_format {
	IMAEVM_ML_AUTO = 0,	/* binary or ASCII, told apart by the first bytes */
	IMAEVM_ML_BINARY = 1,	/* binary_runtime_measurements (little-endian) */
	IMAEVM_ML_ASCII = 2,	/* ascii_runtime_measurements */
};

/** Template digest size in a measurement list (always sha1). */
#define IMAEVM_ML_TEMPLATE_DIGEST_SIZE 20
/** Most template fields a template may have. */
#define IMAEVM_ML_MAX_FIELDS 16

/**
 * struct imaevm_ml_field - one field of a template (a view into the entry).
 * @id:   field id as in the kernel's template descriptors ("d-ng", "n-ng",
 *        "sig", ...); "?" for fields of templates the library does not know
 * @data: field data as the kernel hashes it (for "n-ng" it includes the NUL)
 * @len:  its length
 */
struct imaevm_ml_field {
	const char *id;
	const unsigned char *data;
	uint32_t len;
};

/**
 * struct imaevm_ml_entry - one measurement list entry.  Every pointer points
 * into the reader and stays valid until the next imaevm_ml_next() or
 * imaevm_ml_close().
 * @index:           1-based position in the list (the line in the ASCII list)
 * @pcr:             PCR the kernel extended
 * @template_digest: the recorded sha1 template digest
 * @violation:       the template digest is all zero (a measurement violation)
 * @template_name:   NUL-terminated template name
 * @data:            template data as the kernel hashes it for the template
 *                   digest (for template "ima": the sha1 digest and the name
 *                   zero-padded to 256 bytes)
 * @data_len:        its length
 * @known_template:  the field layout of @template_name is known
 * @n_fields:        number of entries in @fields (0 if none could be split)
 * @fields:          the fields of the template data
 * @field_error:     NULL, or why the template data could not be split into
 *                   the fields of a known template (the entry can still be
 *                   replayed from @data)
 * @digest_algo:     algorithm of the file (or buffer) digest, or -1
 * @digest_type:     "ima" or "verity" (template ima-ngv2/ima-sigv2), or NULL
 * @digest:          the file digest, NULL if none or if its length is not
 *                   the size of @digest_algo; @digest_len its length
 * @path:            NUL-terminated file name or event name, NULL if none
 * @sig:             signature (xattr format, type 0x03/0x06), NULL if none
 * @buf:             measured buffer (ima-buf), NULL if none
 * @modsig_digest_algo: algorithm of @modsig_digest, or -1
 * @modsig_digest:   "d-modsig" (ima-modsig): the digest of the file without
 *                   its appended signature, NULL if none; @modsig_digest_len
 *                   its length
 * @modsig:          "modsig" (ima-modsig): the appended signature, a DER
 *                   PKCS#7/CMS SignedData, NULL if none; @modsig_len its length
 */
struct imaevm_ml_entry {
	uint64_t index;
	uint32_t pcr;
	unsigned char template_digest[IMAEVM_ML_TEMPLATE_DIGEST_SIZE];
	int violation;
	const char *template_name;
	const unsigned char *data;
	size_t data_len;
	int known_template;
	unsigned int n_fields;
	struct imaevm_ml_field fields[IMAEVM_ML_MAX_FIELDS];
	const char *field_error;
	int digest_algo;
	const char *digest_type;
	const unsigned char *digest;
	size_t digest_len;
	const char *path;
	const unsigned char *sig;
	size_t sig_len;
	const unsigned char *buf;
	size_t buf_len;
	int modsig_digest_algo;
	const unsigned char *modsig_digest;
	size_t modsig_digest_len;
	const unsigned char *modsig;
	size_t modsig_len;
};

/** struct imaevm_ml - opaque measurement list reader. */
struct imaevm_ml;

/**
 * imaevm_ml_open() - start reading a measurement list.
 * @ctx:    context (must outlive the reader)
 * @path:   file to read; "-" reads standard input
 * @format: enum imaevm_ml_format
 * @ml:     receives the reader
 *
 * The reader makes one pass over its input with memory bounded by the
 * largest entry; it works on pipes and on the kernel's securityfs files.
 *
 * Return: 0; -EINVAL; -ENOMEM; open errors (-ENOENT, -EACCES, ...).
 */
int imaevm_ml_open(struct imaevm_ctx *ctx, const char *path, int format,
		   struct imaevm_ml **ml);

/**
 * imaevm_ml_open_fd() - as imaevm_ml_open(), on an open descriptor.
 * @ctx:    context (must outlive the reader)
 * @fd:     read from its current offset; stays owned by the caller: it is
 *          not closed by imaevm_ml_close()
 * @format: enum imaevm_ml_format
 * @ml:     receives the reader (release it with imaevm_ml_close())
 *
 * Nothing is read yet: the format of IMAEVM_ML_AUTO is detected, and read
 * errors are reported, by the first imaevm_ml_next().
 *
 * Return: 0; -EINVAL (@ctx or @ml NULL, @fd negative, unknown @format);
 * -ENOMEM.
 */
int imaevm_ml_open_fd(struct imaevm_ctx *ctx, int fd, int format,
		      struct imaevm_ml **ml);

/**
 * imaevm_ml_next() - read the next entry.
 * @ml:    the reader
 * @entry: receives a pointer to the entry (owned by the reader)
 *
 * Return: 1 with an entry, 0 at the end of the list, -EBADMSG for an entry
 * that cannot be read (truncated, impossible lengths, bad ASCII line: see
 * imaevm_ml_error()); the reader cannot continue after that.  Read errors
 * (-EIO, ...) and -ENOMEM are passed up.
 */
int imaevm_ml_next(struct imaevm_ml *ml, const struct imaevm_ml_entry **entry);

/**
 * imaevm_ml_error() - why the last imaevm_ml_next() failed.
 * @ml: the reader, or NULL
 * Return: a message naming the entry index and byte offset (valid until the
 * reader is closed), or NULL if nothing failed.
 */
const char *imaevm_ml_error(const struct imaevm_ml *ml);

/**
 * imaevm_ml_format() - the format being read.
 * @ml: the reader
 * Return: IMAEVM_ML_BINARY or IMAEVM_ML_ASCII; IMAEVM_ML_AUTO if the reader
 * was opened with it and imaevm_ml_next() was not called yet; -EINVAL if
 * @ml is NULL.
 */
int imaevm_ml_format(const struct imaevm_ml *ml);

/**
 * imaevm_ml_close() - release the reader and every entry it returned.
 * @ml: the reader; NULL is a no-op
 *
 * The file opened by imaevm_ml_open() is closed; a descriptor passed to
 * imaevm_ml_open_fd() (and standard input for "-") is left open.
 */
void imaevm_ml_close(struct imaevm_ml *ml);

/**
 * imaevm_ml_entry_check() - recompute the sha1 template digest of @entry.
 * @ctx:   context
 * @entry: an entry from imaevm_ml_next()
 * Return: 0 if it matches (or the entry is a violation), -EBADMSG if not,
 * -EINVAL (@ctx or @entry NULL), -EOPNOTSUPP if sha1 is unavailable, or
 * another error of imaevm_digest_buf() (-ENOMEM).
 */
int imaevm_ml_entry_check(struct imaevm_ctx *ctx,
			  const struct imaevm_ml_entry *entry);

/**
 * imaevm_ml_entry_format() - the entry as a line of the kernel's ASCII list
 * (without the newline), e.g. "10 <sha1> ima-ng sha256:<hex> /bin/sh".
 * @entry: an entry from imaevm_ml_next() (or filled in by the caller)
 * @line:  receives a NUL-terminated string, owned by the caller, to release
 *         with imaevm_free(); unchanged on error
 * Return: 0, -ENOMEM, -EINVAL (@entry or @line NULL).
 */
int imaevm_ml_entry_format(const struct imaevm_ml_entry *entry, char **line);

/* ---- Attestation: PCR values -------------------------------------------- */

/** PCRs of a TPM (PC Client platform); PCR values are kept for 0..23. */
#define IMAEVM_NUM_PCRS 24
/** PCR indexes a measurement list may use (the kernel's policy limit). */
#define IMAEVM_MAX_LIST_PCRS 64
/** Banks a struct imaevm_pcrs can hold. */
#define IMAEVM_MAX_BANKS 8

/**
 * struct imaevm_pcr_bank - PCR values of one bank.
 * @algo:  enum imaevm_hash_algo
 * @valid: bit N set when pcr[N] holds a value
 * @pcr:   the values (digest size of @algo used)
 */
struct imaevm_pcr_bank {
	int algo;
	uint32_t valid;
	unsigned char pcr[IMAEVM_NUM_PCRS][IMAEVM_MAX_DIGEST_SIZE];
};

/** struct imaevm_pcrs - PCR values of several banks. */
struct imaevm_pcrs {
	unsigned int n_banks;
	struct imaevm_pcr_bank bank[IMAEVM_MAX_BANKS];
};

/**
 * imaevm_pcrs_bank() - the bank of @algo in @pcrs.
 * @create: add an empty bank if there is none (and there is room)
 * Return: the bank, or NULL.
 */
struct imaevm_pcr_bank *imaevm_pcrs_bank(struct imaevm_pcrs *pcrs, int algo,
					 int create);

/**
 * imaevm_pcrs_read_file() - read PCR values from a text file.
 * @ctx:  context
 * @path: the file
 * @algo: the bank of the values, or -1 for sha1 unless the file names banks
 * @pcrs: banks are added or updated
 *
 * Lines "PCR-NN: hex" (NN decimal, as the old evmctl reads them; bytes may
 * be separated by spaces as in the TPM 1.2 sysfs file), "N: hex" (tsspcrread)
 * and "  N : 0xhex" (tpm2_pcrread, tpm2_eventlog) are read; a line "algo:"
 * alone (tpm2_pcrread) switches to that bank.  Other lines are ignored.
 *
 * Return: number of values read (> 0); -EBADMSG if none or a value has the
 * wrong length; -EINVAL; -ENOSPC too many banks; -EIO read error; open
 * errors.  @pcrs is unchanged on error.
 */
int imaevm_pcrs_read_file(struct imaevm_ctx *ctx, const char *path, int algo,
			  struct imaevm_pcrs *pcrs);

/**
 * imaevm_pcrs_read_sysfs() - read PCRs of every bank the kernel exports.
 * @ctx:  context
 * @dir:  "/sys/class/tpm/tpm0" or NULL for that; reads pcr-<algo>/<n>
 *        (TPM 2.0) or else device/pcrs (TPM 1.2)
 * @pcrs: banks are added or updated; unchanged on error
 * Return: number of values read (> 0); -EINVAL (@ctx or @pcrs NULL);
 * -ENODEV if @dir does not exist or holds no PCR values; -ENOSPC too many
 * banks; other errors of opening @dir (-EACCES, ...).
 */
int imaevm_pcrs_read_sysfs(struct imaevm_ctx *ctx, const char *dir,
			   struct imaevm_pcrs *pcrs);

/**
 * imaevm_pcrs_read_tpm() - read PCRs 0..23 of every allocated bank from a
 * TPM 2.0 through tpm2-tss ESYS.
 * @ctx:        context
 * @tcti:       TCTI configuration ("device:/dev/tpmrm0", "swtpm:port=2321",
 *              "mssim:host=...", "tabrmd", ...); NULL takes $TPM2TOOLS_TCTI,
 *              then $TCTI, then the kernel device if present
 *              (/dev/tpmrm0, then /dev/tpm0)
 * @timeout_ms: give up after this long (0: 10 seconds); the TPM is talked
 *              to in a worker thread, so a TCTI that blocks cannot hold
 *              the caller beyond it
 * @pcrs:       banks are added or updated; unchanged on error
 *
 * Return: number of values read (> 0); -EINVAL (@ctx or @pcrs NULL,
 * @timeout_ms negative); -ENODEV no TPM reachable (no TCTI, connection
 * failed, or no value read); -ETIMEDOUT; -EIO for a TPM error (logged with
 * its text); -ENOSPC too many banks; -ENOMEM; -EAGAIN (no thread).
 */
int imaevm_pcrs_read_tpm(struct imaevm_ctx *ctx, const char *tcti,
			 int timeout_ms, struct imaevm_pcrs *pcrs);

/* ---- Attestation: firmware event logs ----------------------------------- */

enum imaevm_evlog_format {
	IMAEVM_EVLOG_TPM12 = 1,		/* SHA1 log (TCG_PCClientPCREvent) */
	IMAEVM_EVLOG_CRYPTO_AGILE = 2,	/* TPM 2.0 log (TCG_PCR_EVENT2) */
};

/**
 * struct imaevm_evlog_event - one firmware event (views into the reader,
 * valid until the next imaevm_evlog_next()).
 * @index:     0-based event number (the Spec ID event is event 0)
 * @pcr:       PCR index
 * @type:      event type (EV_*)
 * @n_digests: digests in @digests
 * @digests:   @algo (enum imaevm_hash_algo, -1 if the library does not know
 *             the TPM algorithm @tpm_alg), @value, @len
 * @data:      event data, @data_len its length
 */
struct imaevm_evlog_event {
	uint64_t index;
	uint32_t pcr;
	uint32_t type;
	unsigned int n_digests;
	struct {
		int algo;
		unsigned int tpm_alg;
		const unsigned char *value;
		size_t len;
	} digests[IMAEVM_MAX_BANKS];
	const unsigned char *data;
	size_t data_len;
};

/** struct imaevm_evlog - opaque firmware event log reader. */
struct imaevm_evlog;

/**
 * imaevm_evlog_open() - start reading a firmware event log
 * (binary_bios_measurements); the format is detected from the first event.
 * @ctx:  context (must outlive the reader)
 * @path: the log file; it is read whole and closed before returning
 * @log:  receives the reader (release it with imaevm_evlog_close())
 * Return: 0; -EINVAL (a NULL argument); -EBADMSG (no valid first event or
 * Spec ID event, logged); -ENOMEM; open and read errors (-ENOENT, -EACCES,
 * -EIO, ...).
 */
int imaevm_evlog_open(struct imaevm_ctx *ctx, const char *path,
		      struct imaevm_evlog **log);

/**
 * imaevm_evlog_format() - the format of the log.
 * @log: the reader
 * Return: IMAEVM_EVLOG_TPM12 or IMAEVM_EVLOG_CRYPTO_AGILE (enum
 * imaevm_evlog_format); -EINVAL if @log is NULL.
 */
int imaevm_evlog_format(const struct imaevm_evlog *log);

/**
 * imaevm_evlog_next() - read the next event.
 * @log:   the reader
 * @event: receives a pointer to the event (owned by the reader)
 * Return: 1 with an event, 0 at the end, -EBADMSG for a malformed event
 * (imaevm_evlog_error() says which and why; the reader cannot continue
 * after that), -EINVAL (@log or @event NULL).  The log is read whole by
 * imaevm_evlog_open(), so there are no read errors here.
 */
int imaevm_evlog_next(struct imaevm_evlog *log,
		      const struct imaevm_evlog_event **event);

/**
 * imaevm_evlog_error() - why the last call failed.
 * @log: the reader, or NULL
 * Return: the message (valid until the reader is closed), or NULL if
 * nothing failed.
 */
const char *imaevm_evlog_error(const struct imaevm_evlog *log);

/**
 * imaevm_evlog_close() - release the reader and every event it returned.
 * @log: the reader; NULL is a no-op
 */
void imaevm_evlog_close(struct imaevm_evlog *log);

/**
 * imaevm_evlog_replay() - replay a whole event log into PCRs 0..23.
 * @ctx:  context
 * @path: the log file (as imaevm_evlog_open())
 * @pcrs: overwritten on success (unchanged on error): one bank per algorithm of the log (sha1 only for a
 *        TPM 1.2 log); EV_NO_ACTION events are not extended, and a
 *        StartupLocality event sets the initial value of PCR 0; banks of
 *        algorithms the library does not know are left out
 * Return: number of events extended; -EINVAL (@pcrs NULL); errors of
 * imaevm_evlog_open() and imaevm_evlog_next(); -EBADMSG also for an event
 * of a PCR above 23 or a digest whose size does not match its bank (the
 * message is logged); -EOPNOTSUPP (a bank's hash unavailable); -ENOMEM.
 */
int imaevm_evlog_replay(struct imaevm_ctx *ctx, const char *path,
			struct imaevm_pcrs *pcrs);

/**
 * imaevm_boot_aggregate() - the boot_aggregate of one bank, as the kernel
 * computes it: the bank's hash over PCRs 0..7 (sha1) or 0..9 (other banks).
 * @ctx:  context
 * @bank: PCR values (PCRs without a value count as zero)
 * @out:  receives the digest (algorithm and length of @bank)
 * Return: 0, -EOPNOTSUPP (algorithm unavailable), -EINVAL (a NULL argument
 * or an unknown algorithm), -ENOMEM.
 */
int imaevm_boot_aggregate(struct imaevm_ctx *ctx,
			  const struct imaevm_pcr_bank *bank,
			  struct imaevm_digest *out);

/**
 * imaevm_boot_aggregate_pcrs() - as imaevm_boot_aggregate(), over PCRs
 * 0..@last_pcr whatever the bank (kernels 5.8 and 5.9 hashed PCRs 0..7 in
 * every bank).
 * @ctx:      context
 * @bank:     PCR values (PCRs without a value count as zero)
 * @last_pcr: last PCR hashed
 * @out:      receives the digest (algorithm and length of @bank)
 * Return: 0, -EOPNOTSUPP (algorithm unavailable), -EINVAL (a NULL argument,
 * an unknown algorithm, or @last_pcr >= IMAEVM_NUM_PCRS), -ENOMEM.
 */
int imaevm_boot_aggregate_pcrs(struct imaevm_ctx *ctx,
			       const struct imaevm_pcr_bank *bank,
			       unsigned int last_pcr, struct imaevm_digest *out);

/* ---- Attestation: PCR replay of a measurement list ---------------------- */

/** Replay modes: how the kernel extended a bank. */
enum imaevm_replay_mode {
	IMAEVM_REPLAY_BANK = 0,		/* template digest in the bank's hash */
	IMAEVM_REPLAY_PADDED = 1,	/* sha1 template digest, zero-padded */
	IMAEVM_REPLAY_MODES
};

/** struct imaevm_replay - opaque replay state of one or more banks. */
struct imaevm_replay;

/**
 * imaevm_replay_new() - replay state for @n_banks banks.
 * @ctx:   context (must outlive the replay state)
 * @algos: enum imaevm_hash_algo of each bank (sha1, sha256, sha384, sha512,
 *         sm3, ...)
 * @expected: PCR values to watch for (e.g. read from the TPM), or NULL;
 *         copied.  After each entry the extended PCR is compared with them,
 *         so imaevm_replay_result() can say at which entry each PCR matched.
 * @n_banks: number of entries in @algos (at most IMAEVM_MAX_BANKS)
 * @replay: receives the state (release it with imaevm_replay_free())
 * Return: 0, -EINVAL (@ctx or @replay NULL, @algos NULL with banks, too
 * many banks, an unknown or repeated algorithm), -EOPNOTSUPP (an algorithm, or sha1, is unavailable),
 * -ENOMEM.
 */
int imaevm_replay_new(struct imaevm_ctx *ctx, const int *algos,
		      unsigned int n_banks, const struct imaevm_pcrs *expected,
		      struct imaevm_replay **replay);

/**
 * imaevm_replay_extend() - extend every bank with one entry, in both modes.
 * Violations extend all-0xff of the bank's size (padded mode: 20 bytes of
 * 0xff, zero-padded, as older kernels did).  The recorded sha1 template
 * digest is checked at once; the banks are replayed in batches (on machines
 * with several CPUs by a worker thread, started here, while the caller fills
 * the next batch), so results are complete only after imaevm_replay_finish()
 * or imaevm_replay_result().  One replay state is used by one thread.
 * @replay: the replay state
 * @entry:  the entry (copied: it need not outlive the call)
 * Return: 0; -EINVAL (a NULL argument); -EBADMSG if the recorded template digest does not match the
 * template data (the entry is replayed all the same); -ERANGE if
 * @entry->pcr >= IMAEVM_MAX_LIST_PCRS (not replayed); -EOPNOTSUPP (sha1
 * unavailable, or a batch replayed now failed); -ENOMEM.
 */
int imaevm_replay_extend(struct imaevm_replay *replay,
			 const struct imaevm_ml_entry *entry);

/**
 * imaevm_replay_set_modes() - replay only some modes (before the first entry).
 * @replay: the replay state
 * @modes: bit (1 << enum imaevm_replay_mode) per mode; both by default.
 *         Each mode costs one extend per entry and bank: a caller that can
 *         read the list twice may replay the padded mode only if needed.
 * Return: 0, -EINVAL (no mode, unknown mode, or entries already extended).
 */
int imaevm_replay_set_modes(struct imaevm_replay *replay, unsigned int modes);

/**
 * imaevm_replay_finish() - replay the entries still batched; the worker
 * thread, if any, has ended when it returns.
 * @replay: the replay state (more entries may still be extended after it)
 * Return: 0, -EINVAL (@replay NULL), or the first error of a batch
 * (-EOPNOTSUPP).
 */
int imaevm_replay_finish(struct imaevm_replay *replay);

/**
 * struct imaevm_replay_pcr - replay result of one PCR in one bank and mode.
 * @entries:    entries the list has for this PCR
 * @last_index: index of the last entry for this PCR (0 if none)
 * @value:      the replayed value after the last entry
 * @matched_at: index of the entry after which the replayed value equalled
 *              the expected one (the last such entry), 0 if never
 * @matched_n:  entries of this PCR up to and including @matched_at
 */
struct imaevm_replay_pcr {
	uint64_t entries;
	uint64_t last_index;
	unsigned char value[IMAEVM_MAX_DIGEST_SIZE];
	uint64_t matched_at;
	uint64_t matched_n;
};

/**
 * imaevm_replay_result() - the state of one PCR (finishes pending batches).
 * @replay: the replay state
 * @algo:   bank (enum imaevm_hash_algo)
 * @mode:   enum imaevm_replay_mode
 * @pcr:    0..63
 * @out:    receives the result (a copy)
 * Return: 0, -EINVAL (a NULL argument, no such bank, mode or PCR), errors
 * of imaevm_replay_finish().
 */
int imaevm_replay_result(struct imaevm_replay *replay, int algo,
			 int mode, unsigned int pcr,
			 struct imaevm_replay_pcr *out);

/**
 * imaevm_replay_pcrs_used() - the PCRs the extended entries used.
 * @replay: the replay state
 * Return: bit N set if an entry extended PCR N; 0 if @replay is NULL.
 */
uint64_t imaevm_replay_pcrs_used(const struct imaevm_replay *replay);

/**
 * imaevm_replay_free() - release the replay state (entries still batched
 * are dropped).
 * @replay: the replay state; NULL is a no-op
 */
void imaevm_replay_free(struct imaevm_replay *replay);

/* ---- Attestation: TPM 2.0 quotes (issue 10) ----------------------------- */

/** TPM_GENERATED_VALUE: the magic of every TPMS_ATTEST the TPM made. */
#define IMAEVM_QUOTE_MAGIC 0xff544347u

/**
 * struct imaevm_quote - a TPMS_ATTEST of type TPM_ST_ATTEST_QUOTE, parsed.
 * @magic:            TPM_GENERATED_VALUE (IMAEVM_QUOTE_MAGIC) if the TPM made it
 * @type:             0x8018 (TPM_ST_ATTEST_QUOTE)
 * @extra_data:       the qualifying data (nonce) the quote was asked with
 * @extra_len:        its length (0..64)
 * @clock:            TPMS_CLOCK_INFO.clock
 * @reset_count:      TPMS_CLOCK_INFO.resetCount
 * @restart_count:    TPMS_CLOCK_INFO.restartCount
 * @safe:             TPMS_CLOCK_INFO.safe
 * @firmware_version: the TPM's firmware version
 * @n_sel:            banks in @sel
 * @sel:              PCR selection, in the quote's order: @algo (enum
 *                    imaevm_hash_algo, or -EOPNOTSUPP for a TPM algorithm
 *                    the library does not know), @tpm_alg (TPM_ALG_ID),
 *                    @pcrs (bit N set: PCR N quoted)
 * @pcr_digest:       hash of the selected PCR values, @pcr_digest_len bytes
 */
struct imaevm_quote {
	uint32_t magic;
	unsigned int type;
	unsigned char extra_data[64];
	size_t extra_len;
	uint64_t clock;
	uint32_t reset_count;
	uint32_t restart_count;
	int safe;
	uint64_t firmware_version;
	unsigned int n_sel;
	struct {
		int algo;
		unsigned int tpm_alg;
		uint32_t pcrs;
	} sel[IMAEVM_MAX_BANKS];
	unsigned char pcr_digest[IMAEVM_MAX_DIGEST_SIZE];
	size_t pcr_digest_len;
};

/**
 * imaevm_quote_parse() - parse a quote (TPMS_ATTEST, as tpm2_quote -m writes it).
 * @buf:   the marshalled TPMS_ATTEST (big-endian, as the TPM signed it)
 * @len:   its length
 * @quote: receives the fields (unchanged on error)
 *
 * The magic is returned, not checked: callers report it as a verdict.
 *
 * Return: 0; -EINVAL (a NULL argument); -EBADMSG (truncated, trailing
 * bytes, not a quote, more than IMAEVM_MAX_BANKS banks, a PCR above 23,
 * over-long extraData or pcrDigest).
 */
int imaevm_quote_parse(const void *buf, size_t len, struct imaevm_quote *quote);

/**
 * imaevm_quote_verify_signature() - check the TPM's signature of a quote.
 * @ctx:        context
 * @attest:     the marshalled TPMS_ATTEST, as signed
 * @attest_len: its length
 * @sig:        TPMT_SIGNATURE (tpm2_quote -s): RSASSA, RSAPSS or ECDSA
 * @sig_len:    its length
 * @ak:         the attestation key's public part: PEM (public key or
 *              certificate) or DER
 *              SubjectPublicKeyInfo, TPM2B_PUBLIC (tpm2_createak -u) or a
 *              bare TPMT_PUBLIC, RSA or ECC (NIST P-192..P-521, SM2 curve)
 * @ak_len:     its length
 * @hash_algo:  receives the signature's hash algorithm (the TPM hashes the
 *              PCR digest with it too), or NULL
 *
 * Return: 0 when the signature verifies; -EKEYREJECTED when it does not
 * (or the key type does not fit the scheme); -EBADMSG (malformed signature
 * or key); -EOPNOTSUPP (scheme, curve, key type or hash not supported);
 * -EINVAL; -ENOMEM.  Why is logged.
 */
int imaevm_quote_verify_signature(struct imaevm_ctx *ctx,
				  const void *attest, size_t attest_len,
				  const void *sig, size_t sig_len,
				  const void *ak, size_t ak_len, int *hash_algo);

/**
 * imaevm_quote_pcr_digest() - the PCR digest a TPM would quote for @pcrs.
 * @ctx:   context
 * @quote: gives the selection (banks in its order, PCRs ascending)
 * @pcrs:  the PCR values
 * @algo:  hash of the digest (the signature's hash algorithm)
 * @out:   receives the digest; compare it with @quote->pcr_digest
 * Return: 0; -ENOENT if a selected PCR has no value in @pcrs (or its bank
 * is unknown); -EOPNOTSUPP (@algo unavailable); -EINVAL; -ENOMEM.
 */
int imaevm_quote_pcr_digest(struct imaevm_ctx *ctx,
			    const struct imaevm_quote *quote,
			    const struct imaevm_pcrs *pcrs, int algo,
			    struct imaevm_digest *out);

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
