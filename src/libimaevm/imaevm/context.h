/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* imaevm/context.h - libimaevm's public interface: the context, hash algorithms and content digests. */
#ifndef IMAEVM_CONTEXT_H
#define IMAEVM_CONTEXT_H

#ifndef IMAEVM_H
#error "include <imaevm.h>, which includes this part in its place"
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
 * imaevm_ctx_load_engine() - load an OpenSSL engine for digests and key types.
 * @ctx: the context
 * @id:  the engine's id ("gost", "pkcs11", ...), as ENGINE_by_id() takes it
 *
 * The engine is initialised and made OpenSSL's default for the digests,
 * key types and key methods it offers, as "openssl -engine" does: GOST
 * digests ("md_gost12_256", "streebog256") are then available, and GOST
 * keys and certificates are read from files.  Defaults are OpenSSL's own,
 * so they hold for the whole process, not for @ctx only.  Keys go through
 * an engine only when they are "pkcs11:" URIs (imaevm_signing_key_load()).
 * The engine stays loaded until imaevm_ctx_free().  The ENGINE API is
 * deprecated in OpenSSL 3; providers are its successor.
 *
 * Return: 0; -EINVAL; -ENOENT the engine cannot be found or initialised
 * (the reason is logged); -EOPNOTSUPP OpenSSL was built without engines;
 * -ENOMEM.
 */
int imaevm_ctx_load_engine(struct imaevm_ctx *ctx, const char *id);

/**
 * imaevm_ctx_load_provider() - load an OpenSSL provider for @ctx's fetches.
 * @ctx:  the context
 * @name: the provider's name ("legacy", "tpm2", "pkcs11", ...) or module path
 *
 * The provider is added beside OpenSSL's default one, which stays in use:
 * "legacy" adds MD4 and RIPEMD-160, "tpm2" (tpm2-openssl) adds keys that
 * live in a TPM ("handle:0x81000001" URIs and TSS2 PEM key files), which
 * imaevm_signing_key_load() then loads.  It stays loaded until
 * imaevm_ctx_free().
 *
 * Return: 0; -EINVAL; -ENOENT the provider cannot be loaded (the reason is
 * logged); -ENOMEM.
 */
int imaevm_ctx_load_provider(struct imaevm_ctx *ctx, const char *name);

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
 * @name: "sha256", "sm3", "streebog512", ..., spelled exactly as the
 *        kernel does (case-sensitive: "SHA256" is unknown); also the
 *        OpenSSL names "ripemd160", "md_gost12_256" and "md_gost12_512"
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
 * A digest of a file written to while it is read matches none of its
 * versions, so the file's size, mtime, ctime and inode (statx) are
 * compared before and after the read, and a read that does not end at the
 * size counts as a change too.  A file changed in the current clock tick
 * is looked at again once the tick is over (a few ms at most).  Callers
 * may rewind @fd and try again, a few times, before giving up on the file.
 *
 * Return: 0; -ESTALE the file changed while it was read (no digest);
 * -EOPNOTSUPP if @fd is not a regular file or @algo is not available from
 * the crypto provider; -EINVAL; a read error (-EIO, ...).
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
 * regular file or @algo is not available; -ESTALE the file is being
 * written (as imaevm_digest_fd()); -EINVAL; fstat() errors.
 */
int imaevm_digest_mux_add(struct imaevm_digest_mux *m, int fd, int algo, void *tag);

/* struct imaevm_mux_file flags */
/* Nothing is queued behind this file: if it is large and the multiplexer
 * holds nothing else, it is read ahead on a second thread, as by
 * imaevm_digest_fd() */
#define IMAEVM_MUX_LAST		(1u << 0)

#define IMAEVM_MUX_FILE_VERSION	1

struct stat;

/**
 * struct imaevm_mux_file - a file for imaevm_digest_mux_add_file().
 * @version:  IMAEVM_MUX_FILE_VERSION; later versions grow into @reserved
 * @flags:    IMAEVM_MUX_* flags
 * @fd:       as imaevm_digest_mux_add()'s
 * @algo:     enum imaevm_hash_algo
 * @tag:      handed back by imaevm_digest_mux_next()
 * @st:       the caller's fstat() of @fd, taken after it was opened, or NULL;
 *            it stands for the look at the file before its content is read
 *            (unless the file changed in the current clock tick)
 * @reserved: zero
 */
struct imaevm_mux_file {
	uint32_t version;
	uint32_t flags;
	int fd;
	int algo;
	void *tag;
	const struct stat *st;
	uint64_t reserved[6];
};

/**
 * imaevm_digest_mux_add_file() - imaevm_digest_mux_add() with what the
 * caller knows of the file.
 * @m: the multiplexer
 * @f: the file
 *
 * The multiplexer decides how to read it: interleaved with other files, or
 * with IMAEVM_MUX_LAST, when it is large and alone, ahead on a second
 * thread.  The digest is the same either way.
 * Return: as imaevm_digest_mux_add(); -EINVAL also for an unknown
 * @version, unknown @flags or non-zero @reserved.
 */
int imaevm_digest_mux_add_file(struct imaevm_digest_mux *m, const struct imaevm_mux_file *f);

/**
 * imaevm_digest_mux_next() - hash until one of the files is done.
 * @m:      the multiplexer
 * @tag:    receives the tag of the file that is done
 * @out:    receives its digest when *@result is 0
 * @result: receives 0, or the file's read or digest error (-EIO, ...;
 *          -ESTALE when it changed while it was read, as imaevm_digest_fd())
 *
 * The lane of the file that is done is free again when this returns.
 * Return: 1 when a file is done; 0 when the multiplexer holds no file;
 * -EINVAL.
 */
int imaevm_digest_mux_next(struct imaevm_digest_mux *m, void **tag,
			   struct imaevm_digest *out, int *result);

#endif /* IMAEVM_CONTEXT_H */
