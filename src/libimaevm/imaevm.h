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
 *
 * Return: 0, -EINVAL (bad algorithm or length), -ENOMEM.
 */
int imaevm_xattr_encode_digest(const struct imaevm_digest *digest,
			       unsigned char **value, size_t *value_len);

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
 * @digest:          the file digest, NULL if none; @digest_len its length
 * @path:            NUL-terminated file name or event name, NULL if none
 * @sig:             signature (xattr format, type 0x03/0x06), NULL if none
 * @buf:             measured buffer (ima-buf), NULL if none
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
 * @fd: read from its current offset; not closed by imaevm_ml_close()
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
 * Return: a message naming the entry index and byte offset (valid until the
 * reader is closed), or NULL if nothing failed.
 */
const char *imaevm_ml_error(const struct imaevm_ml *ml);

/** imaevm_ml_format() - the format being read (known after the first entry). */
int imaevm_ml_format(const struct imaevm_ml *ml);

/** imaevm_ml_close() - release the reader; NULL is a no-op. */
void imaevm_ml_close(struct imaevm_ml *ml);

/**
 * imaevm_ml_entry_check() - recompute the sha1 template digest of @entry.
 * Return: 0 if it matches (or the entry is a violation), -EBADMSG if not,
 * -EOPNOTSUPP if sha1 is unavailable.
 */
int imaevm_ml_entry_check(struct imaevm_ctx *ctx,
			  const struct imaevm_ml_entry *entry);

/**
 * imaevm_ml_entry_format() - the entry as a line of the kernel's ASCII list
 * (without the newline), e.g. "10 <sha1> ima-ng sha256:<hex> /bin/sh".
 * @line: receives a NUL-terminated string to release with imaevm_free()
 * Return: 0, -ENOMEM, -EINVAL.
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
 * wrong length; -EINVAL; -ENOSPC too many banks; open errors.
 */
int imaevm_pcrs_read_file(struct imaevm_ctx *ctx, const char *path, int algo,
			  struct imaevm_pcrs *pcrs);

/**
 * imaevm_pcrs_read_sysfs() - read PCRs of every bank the kernel exports.
 * @dir: "/sys/class/tpm/tpm0" or NULL for that; reads pcr-<algo>/<n>
 *       (TPM 2.0) or else device/pcrs (TPM 1.2)
 * Return: number of values read (> 0); -ENODEV if none; -ENOSPC.
 */
int imaevm_pcrs_read_sysfs(struct imaevm_ctx *ctx, const char *dir,
			   struct imaevm_pcrs *pcrs);

/**
 * imaevm_pcrs_read_tpm() - read PCRs 0..23 of every allocated bank from a
 * TPM 2.0 through tpm2-tss ESYS.
 * @tcti:       TCTI configuration ("device:/dev/tpmrm0", "swtpm:port=2321",
 *              "mssim:host=...", "tabrmd", ...); NULL takes $TPM2TOOLS_TCTI,
 *              then $TCTI, then the kernel device if present
 * @timeout_ms: give up after this long (0: 10 seconds)
 *
 * Return: number of values read; -ENODEV no TPM reachable; -ETIMEDOUT;
 * -EIO for a TPM error (logged with its text); -ENOSPC.
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
 * Return: 0; -EBADMSG (no valid first event); -ENOMEM; open errors.
 */
int imaevm_evlog_open(struct imaevm_ctx *ctx, const char *path,
		      struct imaevm_evlog **log);

/** imaevm_evlog_format() - enum imaevm_evlog_format of the log. */
int imaevm_evlog_format(const struct imaevm_evlog *log);

/**
 * imaevm_evlog_next() - read the next event.
 * Return: 1 with an event, 0 at the end, -EBADMSG for a malformed event
 * (imaevm_evlog_error() says which and why), read errors.
 */
int imaevm_evlog_next(struct imaevm_evlog *log,
		      const struct imaevm_evlog_event **event);

/** imaevm_evlog_error() - why the last call failed, or NULL. */
const char *imaevm_evlog_error(const struct imaevm_evlog *log);

/** imaevm_evlog_close() - release the reader; NULL is a no-op. */
void imaevm_evlog_close(struct imaevm_evlog *log);

/**
 * imaevm_evlog_replay() - replay a whole event log into PCRs 0..23.
 * @pcrs: receives one bank per algorithm of the log (sha1 only for a
 *        TPM 1.2 log); EV_NO_ACTION events are not extended, and a
 *        StartupLocality event sets the initial value of PCR 0
 * Return: number of events extended; errors as imaevm_evlog_open() and
 * imaevm_evlog_next() (the message is logged).
 */
int imaevm_evlog_replay(struct imaevm_ctx *ctx, const char *path,
			struct imaevm_pcrs *pcrs);

/**
 * imaevm_boot_aggregate() - the boot_aggregate of one bank, as the kernel
 * computes it: the bank's hash over PCRs 0..7 (sha1) or 0..9 (other banks).
 * @bank: PCR values (PCRs without a value count as zero)
 * @out:  receives the digest
 * Return: 0, -EOPNOTSUPP (algorithm unavailable), -EINVAL.
 */
int imaevm_boot_aggregate(struct imaevm_ctx *ctx,
			  const struct imaevm_pcr_bank *bank,
			  struct imaevm_digest *out);

/**
 * imaevm_boot_aggregate_pcrs() - as imaevm_boot_aggregate(), over PCRs
 * 0..@last_pcr whatever the bank (kernels 5.8 and 5.9 hashed PCRs 0..7 in
 * every bank).
 * Return: 0, -EOPNOTSUPP, -EINVAL (@last_pcr >= IMAEVM_NUM_PCRS).
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
 * @algos: enum imaevm_hash_algo of each bank (sha1, sha256, sha384, sha512,
 *         sm3, ...)
 * @expected: PCR values to watch for (e.g. read from the TPM), or NULL;
 *         copied.  After each entry the extended PCR is compared with them,
 *         so imaevm_replay_result() can say at which entry each PCR matched.
 * Return: 0, -EINVAL, -EOPNOTSUPP (an algorithm is unavailable), -ENOMEM.
 */
int imaevm_replay_new(struct imaevm_ctx *ctx, const int *algos,
		      unsigned int n_banks, const struct imaevm_pcrs *expected,
		      struct imaevm_replay **replay);

/**
 * imaevm_replay_extend() - extend every bank with one entry, in both modes.
 * Violations extend all-0xff of the bank's size (padded mode: 20 bytes of
 * 0xff, zero-padded, as older kernels did).  The recorded sha1 template
 * digest is checked at once; the banks are replayed in batches (in
 * parallel on machines with several CPUs), so results are complete only
 * after imaevm_replay_finish() or imaevm_replay_result().
 * Return: 0; -EBADMSG if the recorded template digest does not match the
 * template data (the entry is replayed all the same); -ERANGE if
 * @entry->pcr >= IMAEVM_MAX_LIST_PCRS (not replayed); -EOPNOTSUPP; -ENOMEM.
 */
int imaevm_replay_extend(struct imaevm_replay *replay,
			 const struct imaevm_ml_entry *entry);

/**
 * imaevm_replay_set_modes() - replay only some modes (before the first entry).
 * @modes: bit (1 << enum imaevm_replay_mode) per mode; both by default.
 *         Each mode costs one extend per entry and bank: a caller that can
 *         read the list twice may replay the padded mode only if needed.
 * Return: 0, -EINVAL (no mode, unknown mode, or entries already extended).
 */
int imaevm_replay_set_modes(struct imaevm_replay *replay, unsigned int modes);

/**
 * imaevm_replay_finish() - replay the entries still batched.
 * Return: 0, or the first error of a batch (-EOPNOTSUPP).
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
 * @algo: bank; @mode: enum imaevm_replay_mode; @pcr: 0..63
 * Return: 0, -EINVAL (no such bank, mode or PCR), errors of
 * imaevm_replay_finish().
 */
int imaevm_replay_result(struct imaevm_replay *replay, int algo,
			 int mode, unsigned int pcr,
			 struct imaevm_replay_pcr *out);

/** imaevm_replay_pcrs_used() - bit N set if the list used PCR N. */
uint64_t imaevm_replay_pcrs_used(const struct imaevm_replay *replay);

/** imaevm_replay_free() - release; NULL is a no-op. */
void imaevm_replay_free(struct imaevm_replay *replay);

#ifdef __cplusplus
}
#endif

#endif /* IMAEVM_H */
