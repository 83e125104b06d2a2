/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* internal.h - private declarations shared by the libimaevm sources. */
#ifndef IMAEVM_INTERNAL_H
#define IMAEVM_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <syslog.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

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
	bool sha_ni;			/* content SHA-256 on the SHA extensions */
	/* engines and providers loaded for this context (crypto-modules.c) */
	void **modules;
	bool *module_is_engine;
	size_t n_modules;
};

/* crypto-modules.c */
/* Release the engines and providers the context loaded. */
void imaevm_ctx_release_modules(struct imaevm_ctx *ctx);

/* context.c */
void imaevm_log(const struct imaevm_ctx *ctx, int priority, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Drain OpenSSL's error queue of this thread into the log, after @what. */
void imaevm_log_ossl(const struct imaevm_ctx *ctx, int priority, const char *what);

/* hex.c */
/* @len hex digits (any case) at @s into @out: len / 2, or -1 if @len is odd
 * or a byte is not a hex digit (@out is then clobbered). */
long imaevm_unhex(const char *s, size_t len, unsigned char *out);
/* The same, lowercase digits only. */
long imaevm_unhex_lower(const char *s, size_t len, unsigned char *out);

/* hash-algo.c */
/* Also OpenSSL's names, any case ("SHA256", "RIPEMD160"): for names OpenSSL
 * or other tools wrote, never for names a user gives. */
int imaevm_hash_algo_by_name_nocase(const char *name);
/* OpenSSL's name for @algo, or NULL if OpenSSL has none. */
const char *imaevm_hash_algo_ossl_name(int algo);
/* The EVP_MD for @algo (owned by @ctx), or NULL after logging why. */
const EVP_MD *imaevm_md_get(struct imaevm_ctx *ctx, int algo);

/* sha256-ni.c: SHA-256 on the x86 SHA extensions (call only if _cpu() said yes) */
struct imaevm_sha256_ni {
	uint32_t h[8];
	uint64_t bytes;
	unsigned char tail[64];	/* bytes of an unfinished block */
	size_t tail_len;
};
bool imaevm_sha256_ni_cpu(void);
void imaevm_sha256_ni_blocks(uint32_t state[8], const unsigned char *data, size_t nblocks);
void imaevm_sha256_ni_blocks_x2(uint32_t sa[8], const unsigned char *da,
				uint32_t sb[8], const unsigned char *db, size_t nblocks);
void imaevm_sha256_ni_blocks_x4(uint32_t *s[4], const unsigned char *d[4], size_t nblocks);
void imaevm_sha256_ni_init(struct imaevm_sha256_ni *s);
void imaevm_sha256_ni_update(struct imaevm_sha256_ni *s, const void *data, size_t len);
/* Whole blocks into two (four) streams at once; each must be at a block boundary. */
void imaevm_sha256_ni_update_x2(struct imaevm_sha256_ni *a, const unsigned char *da,
				struct imaevm_sha256_ni *b, const unsigned char *db,
				size_t nblocks);
void imaevm_sha256_ni_update_x4(struct imaevm_sha256_ni *s[4], const unsigned char *d[4],
				size_t nblocks);
void imaevm_sha256_ni_final(struct imaevm_sha256_ni *s, unsigned char out[32]);

/* hasher.c: a content digest in progress (OpenSSL, or the SHA extensions) */
struct imaevm_hasher {
	int algo;
	EVP_MD_CTX *md;			/* NULL: ni is in use */
	struct imaevm_sha256_ni ni;
};
/* At context creation: the CPU has them and IMAEVM_SHA_NI is not "0". */
bool imaevm_sha256_ni_wanted(void);
bool imaevm_sha256_ni_usable(const struct imaevm_ctx *ctx);
int imaevm_hasher_begin(struct imaevm_ctx *ctx, int algo, struct imaevm_hasher *h);
int imaevm_hasher_update(struct imaevm_ctx *ctx, struct imaevm_hasher *h,
			 const void *data, size_t len);
/* Finish (or, with @err set, abandon) the digest; frees what begin took. */
int imaevm_hasher_end(struct imaevm_ctx *ctx, struct imaevm_hasher *h, int err,
		      struct imaevm_digest *out);

/* file-state.c */
/* What a file's digest depends on: it changed if any of these did. */
struct imaevm_file_state {
	uint32_t mode;
	uint64_t ino;
	uint64_t size;		/* 0 also for files that do not say, as in procfs */
	int64_t mtime_ns, ctime_ns;
	unsigned int known;	/* STATX_* of the fields the filesystem gave */
};
/*
 * Look at @fd before its content is read.  A file changed in the current
 * clock tick is looked at again after the tick (waits a few ms at most).
 * Return: 0; -ESTALE if it keeps changing; fstat errors.
 */
int imaevm_file_state_begin(struct imaevm_ctx *ctx, int fd, struct imaevm_file_state *s);
/*
 * The same from the caller's fstat() of @fd taken after it was opened, when
 * its change time is from an earlier clock tick than now (else -EAGAIN:
 * look again with imaevm_file_state_begin()).
 */
int imaevm_file_state_from_stat(const struct stat *st, struct imaevm_file_state *s);
/*
 * After @done bytes were read to EOF: -ESTALE if the file is not as @b
 * says (size, times, inode), or the read did not end at its size.
 */
int imaevm_file_state_check(struct imaevm_ctx *ctx, int fd,
			    const struct imaevm_file_state *b, uint64_t done);

/* digest.c */
/*
 * The start of every file digest: @fd must be a regular file; begins @h
 * and gives the file's state now, for imaevm_file_state_check() at the end.
 */
int imaevm_digest_fd_begin(struct imaevm_ctx *ctx, int fd, int algo,
			   struct imaevm_hasher *h, struct imaevm_file_state *st);
/* The same, with the caller's fstat() of @fd after its open (NULL: none). */
int imaevm_digest_fd_begin_known(struct imaevm_ctx *ctx, int fd, int algo,
				 const struct stat *known, struct imaevm_hasher *h,
				 struct imaevm_file_state *st);
/* From this size on a file hashed alone is read ahead on a second thread, overlapping the copy with the hash. */
#define IMAEVM_READ_AHEAD_MIN (16 * 1024 * 1024)

/* read-ahead.c */
/*
 * Digest @fd to EOF with a reader thread, counting the bytes in *@done;
 * -EAGAIN if no thread could start.
 */
int imaevm_digest_read_ahead(struct imaevm_ctx *ctx, int fd, struct imaevm_hasher *h,
			     uint64_t *done);

/* key.c */
/*
 * Open an input file for reading: a regular file only, refused before it
 * is read (O_NONBLOCK: a FIFO does not wait for a writer; the type is
 * checked on the descriptor; its stat in *@st if not NULL).  The fd,
 * -ENODEV not a regular file, or an open error.
 */
struct stat;
int imaevm_open_regular(const char *path, struct stat *st);
struct imaevm_signing_key {
	EVP_PKEY *pkey;		/* read-only after load; one EVP_PKEY_CTX per call */
	void *engine;		/* ENGINE holding the key, or NULL */
	uint32_t keyid;
	/*
	 * A key in a token, a TPM or an engine: its sessions are not safe
	 * for concurrent operations, so they are serialised, and each gets a
	 * context of its own (such providers need not copy contexts).
	 */
	bool token;
	pthread_mutex_t token_lock;
	/* set-up signing contexts by digest, copied per call (pkey-ctx.c) */
	_Atomic(EVP_PKEY_CTX *) sign_tmpl[IMAEVM_HASH_ALGO_COUNT];
};

/* One verification key. */
struct imaevm_pubkey {
	EVP_PKEY *pkey;
	uint32_t keyid;		/* from the public key, as evmctl computes it */
	uint32_t skid_keyid;	/* last 4 bytes of the subject key identifier */
	bool has_skid;
	char *name;		/* file it came from */
	X509 *cert;		/* its certificate (for PKCS#7 signers), or NULL */
	/* set-up verifying contexts by digest, copied per call (pkey-ctx.c) */
	_Atomic(EVP_PKEY_CTX *) verify_tmpl[IMAEVM_HASH_ALGO_COUNT];
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

/* xattr.c */
/* Signature v2/v3 header: type, version, hash id, be32 key id, be16 size. */
#define IMAEVM_SIG_HDR_LEN 9
/*
 * Write the header of a signature of @siglen bytes for xattr @type
 * (IMAEVM_XATTR_DIGSIG, _PORTABLE_DIGSIG, _VERITY_DIGSIG or
 * IMAEVM_EVM_IMMUTABLE_DIGSIG) to @v.  Return: 0 or -EINVAL.
 */
int imaevm_xattr_put_sig_header(unsigned char *v, int type, int algo,
				uint32_t keyid, size_t siglen);

/* pkey-ctx.c */
enum imaevm_pkey_op { IMAEVM_PKEY_VERIFY, IMAEVM_PKEY_SIGN };
/* where a key's operations run */
enum imaevm_pkey_home {
	IMAEVM_PKEY_PROVIDER,	/* the context's library context and properties */
	IMAEVM_PKEY_ENGINE,	/* the key lives in an ENGINE (a token): its own */
};
/* A new EVP_PKEY_CTX for one operation: keys are shared, these never are. */
EVP_PKEY_CTX *imaevm_pkey_ctx(struct imaevm_ctx *ctx, EVP_PKEY *pkey,
			      enum imaevm_pkey_home home);
/* A new context set up for @op with @md digests (NULL: raw), or NULL. */
EVP_PKEY_CTX *imaevm_pkey_op_ctx_new(struct imaevm_ctx *ctx, EVP_PKEY *pkey,
				     enum imaevm_pkey_home home, enum imaevm_pkey_op op,
				     const EVP_MD *md);
/*
 * A ready context for @op with @md digests and @pkey (in a provider): a
 * copy of the template in @slot, made there on first use.  Free it after
 * the one call.
 */
EVP_PKEY_CTX *imaevm_pkey_op_ctx(struct imaevm_ctx *ctx, EVP_PKEY *pkey,
				 _Atomic(EVP_PKEY_CTX *) *slot, enum imaevm_pkey_op op,
				 const EVP_MD *md);
void imaevm_pkey_op_ctx_free_all(_Atomic(EVP_PKEY_CTX *) *slots, size_t n);
/* Run a verification on a set-up @pctx (freed); 1 valid, 0 invalid, < 0. */
int imaevm_pkey_ctx_verify(struct imaevm_ctx *ctx, EVP_PKEY_CTX *pctx,
			   const unsigned char *sig, size_t siglen,
			   const unsigned char *tbs, size_t tbslen);
/* Check @sig over @tbs (a digest in @md, or NULL); 1 valid, 0 invalid, < 0. */
int imaevm_pkey_verify(struct imaevm_ctx *ctx, EVP_PKEY *pkey, const EVP_MD *md,
		       const unsigned char *sig, size_t siglen,
		       const unsigned char *tbs, size_t tbslen);
/* RSA only: does the signature recover to a digest at all (wrong data)? */
bool imaevm_rsa_recovers(struct imaevm_ctx *ctx, EVP_PKEY *pkey, const EVP_MD *md,
			 const unsigned char *sig, size_t siglen);

/* key-engine.c */
/* The private key at OSSL_STORE @uri, through the loaded providers. */
int imaevm_store_load_key(struct imaevm_ctx *ctx, const char *uri,
			  const char *password, EVP_PKEY **out);
int imaevm_engine_load_key(struct imaevm_ctx *ctx, const char *engine_id,
			   const char *uri, const char *password,
			   EVP_PKEY **out, void **enginep);
void imaevm_engine_release(void *engine);
/* ---- attestation ---- */
#include <stdbool.h>

/* measurement-list.c: the reader, shared with ml-ascii.c and ml-template.c */
struct imaevm_ml {
	struct imaevm_ctx *ctx;
	int fd;
	bool own_fd;
	bool eof;
	int format;			/* enum imaevm_ml_format */
	unsigned char *buf;		/* input window: bytes [start, end) unread */
	size_t cap, start, end;
	uint64_t offset;		/* input offset of buf[start] */
	uint64_t entry_offset;		/* where the last entry returned starts */
	uint64_t index;			/* entries returned so far */
	char *name;			/* template name, NUL-terminated */
	size_t name_cap;
	/* looked up when the name changes, not per entry */
	const char *const *tmpl_ids;	/* field ids of a known template, or NULL */
	unsigned int tmpl_n;
	bool tmpl_ima;			/* template "ima" */
	unsigned char *data;		/* rebuilt template data (ima, ASCII) */
	size_t data_cap;
	char *line;			/* current ASCII line, NUL-terminated */
	size_t line_cap;
	char *err;			/* last error message, or NULL */
	/* template digests: sha1, or a bank's hash (per-bank lists) */
	int td_algo;
	unsigned int td_size;
	bool td_set;			/* by the file name or the caller */
	bool td_seen;			/* ASCII: fixed by the first line */
	struct imaevm_ml_entry entry;
	/* incremental replay (ml-state.c) */
	bool again;			/* next imaevm_ml_next() returns @entry again */
	bool at_end;			/* imaevm_ml_next() returned 0 */
	uint64_t entry_end;		/* where the last entry returned ends */
	unsigned char first_td[IMAEVM_MAX_DIGEST_SIZE];	/* entry 1's template digest */
	unsigned int first_td_len;
};

/* Move the reader forward to input offset @off (seek, or read and drop on a pipe). */
int ml_seek(struct imaevm_ml *ml, uint64_t off);

/* Make at least @need unread bytes available; 1 ok, 0 at EOF before, <0. */
int ml_fill(struct imaevm_ml *ml, size_t need);
/* Record why entry @ml->index + 1 is bad; returns -EBADMSG. */
int ml_fail(struct imaevm_ml *ml, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Ensure ml->data holds @len bytes; 0 or -ENOMEM. */
int ml_data_reserve(struct imaevm_ml *ml, size_t len);
int ml_name_set(struct imaevm_ml *ml, const void *name, size_t len);

/* Record the entry's template digest (@ml->td_size bytes at @p). */
void ml_set_template_digest(struct imaevm_ml *ml, struct imaevm_ml_entry *e,
			    const unsigned char *p);

/* ml-ascii.c */
int ml_next_ascii(struct imaevm_ml *ml);

/* ml-template.c */
/* Field ids of a known template, or NULL. */
const char *const *ml_template_fields(const char *name, unsigned int *n);
/* Fill the field views and the convenience members of @e from e->data. */
void ml_split_fields(const struct imaevm_ml *ml, struct imaevm_ml_entry *e);
/* Length of the "ima" template's padded name. */
#define ML_IMA_NAME_LEN 256

/* ml-state.c: the recorded state of a verified list (see imaevm/ml-state.h) */
struct state_bank {
	int algo;
	int mode;
	unsigned char value[IMAEVM_MAX_LIST_PCRS][IMAEVM_MAX_DIGEST_SIZE];
};

struct imaevm_ml_state {
	int format;			/* IMAEVM_ML_BINARY or IMAEVM_ML_ASCII */
	int td_algo;			/* the list's template digests */
	uint64_t entries, end_offset, last_offset;
	unsigned char boot_td[IMAEVM_MAX_DIGEST_SIZE];	/* entry 1 */
	unsigned char last_td[IMAEVM_MAX_DIGEST_SIZE];	/* the boundary entry */
	struct imaevm_ml_state_boot boot;
	uint64_t pcrs;			/* PCRs with recorded values */
	uint64_t pcr_entries[IMAEVM_MAX_LIST_PCRS], pcr_last[IMAEVM_MAX_LIST_PCRS];
	unsigned int n_banks;
	struct state_bank bank[IMAEVM_MAX_BANKS];
};

/* Set *@why to @reason (if @why); return @err. */
int ml_state_bad(const char **why, const char *reason, int err);
const struct state_bank *ml_state_find_bank(const struct imaevm_ml_state *s, int algo);

/* pcr-replay.c: start PCR @pcr of bank @algo (both modes) at @value, before any entry. */
int replay_seed(struct imaevm_replay *r, int algo, unsigned int pcr,
		const unsigned char *value, uint64_t entries, uint64_t last_index);

/* pcrs.c */
int pcrs_hex_value(const char *s, unsigned char *out, size_t max, size_t *len);

#endif /* IMAEVM_INTERNAL_H */
