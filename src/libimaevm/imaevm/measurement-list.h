/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* imaevm/measurement-list.h - libimaevm's public interface: attestation: measurement lists. */
#ifndef IMAEVM_MEASUREMENT_LIST_H
#define IMAEVM_MEASUREMENT_LIST_H

#ifndef IMAEVM_H
#error "include <imaevm.h>, which includes this part in its place"
#endif

/* ---- Attestation: measurement lists ------------------------------------ */

/* Input formats of imaevm_ml_open(). */
enum imaevm_ml_format {
	IMAEVM_ML_AUTO = 0,	/* binary or ASCII, told apart by the first bytes */
	IMAEVM_ML_BINARY = 1,	/* binary_runtime_measurements (little-endian) */
	IMAEVM_ML_ASCII = 2,	/* ascii_runtime_measurements */
};

/**
 * Size of @template_digest in struct imaevm_ml_entry: the sha1 template
 * digest of the classic lists (per-bank lists: see @template_digest_value).
 */
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
 * @template_digest: the recorded template digest of a classic (sha1) list;
 *                   for a per-bank list its first 20 bytes only (use
 *                   @template_digest_value)
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
 *                   the fields of a known template, or why they are not
 *                   what the template says (ima-buf: a digest that is not
 *                   the hash of the buffer); the entry can still be
 *                   replayed from @data
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
 * @template_digest_algo: algorithm of the list's template digests
 *                   (enum imaevm_hash_algo): IMAEVM_HASH_SHA1 for the
 *                   classic lists, the bank's for a per-bank list
 *                   (binary_runtime_measurements_sha256, ...)
 * @template_digest_len: size of @template_digest_value.  0 in an entry
 *                   filled in by a caller that predates these members: it
 *                   is then read as a sha1 entry from @template_digest
 * @template_digest_value: the recorded template digest, all of it
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
	/* appended in IMAEVM_2.4: members are only ever added at the end */
	int template_digest_algo;
	size_t template_digest_len;
	unsigned char template_digest_value[IMAEVM_MAX_DIGEST_SIZE];
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
 * Per-bank lists (Linux 6.10 and later, one per TPM bank:
 * binary_runtime_measurements_<algo>, ascii_runtime_measurements_<algo>)
 * have template digests of the bank's hash.  A binary list cannot tell
 * their size: a @path whose name ends in "_<algo>" with a kernel hash name
 * (e.g. "_sha256", "_sm3") sets that algorithm, as
 * imaevm_ml_set_digest_algo() does; any other name reads sha1 digests.
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
 * imaevm_ml_set_digest_algo() - the algorithm of the list's template digests.
 * @ml:   the reader, before its first imaevm_ml_next()
 * @algo: enum imaevm_hash_algo (IMAEVM_HASH_SHA1 for the classic lists)
 *
 * It overrides the algorithm imaevm_ml_open() took from the file name.
 * Binary lists: the template digests are read with this size.  ASCII lists
 * tell the size from the hex length of the first template digest (40 sha1,
 * 64 sha256, 96 sha384, 128 sha512; 64 is sha256 unless sm3 was set by the
 * name or this call); once the algorithm is set every line must have its
 * size, and without it every line must have the first line's size: another
 * length is an error naming the entry.
 *
 * Return: 0; -EINVAL (@ml NULL, unknown @algo, entries already read).
 */
int imaevm_ml_set_digest_algo(struct imaevm_ml *ml, int algo);

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
 * imaevm_ml_entry_offset() - where the last entry returned starts.
 * @ml: the reader
 *
 * For messages naming an entry: the byte offset of its first byte in the
 * input (binary list) or of its line (ASCII list), counted from where the
 * reader started reading.
 *
 * Return: the offset; -EINVAL if @ml is NULL or no entry was returned yet.
 */
int64_t imaevm_ml_entry_offset(const struct imaevm_ml *ml);

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
 * imaevm_ml_entry_check() - recompute the template digest of @entry with
 * its @template_digest_algo (sha1 for classic lists).
 * @ctx:   context
 * @entry: an entry from imaevm_ml_next()
 * Return: 0 if it matches (or the entry is a violation), -EBADMSG if not,
 * -EINVAL (@ctx or @entry NULL, a digest length that is not the
 * algorithm's), -EOPNOTSUPP if the algorithm is unavailable, or
 * another error of imaevm_digest_buf() (-ENOMEM).
 */
int imaevm_ml_entry_check(struct imaevm_ctx *ctx,
			  const struct imaevm_ml_entry *entry);

/**
 * imaevm_ml_entry_format() - the entry as a line of the kernel's ASCII list
 * (without the newline), e.g. "10 <sha1> ima-ng sha256:<hex> /bin/sh";
 * the template digest is printed in full (64 hex digits in a sha256 list).
 * Control bytes and DEL in the template name and file names are written as
 * \xNN, so a name cannot end the line and forge another.
 * @entry: an entry from imaevm_ml_next() (or filled in by the caller)
 * @line:  receives a NUL-terminated string, owned by the caller, to release
 *         with imaevm_free(); unchanged on error
 * Return: 0, -ENOMEM, -EINVAL (@entry or @line NULL).
 */
int imaevm_ml_entry_format(const struct imaevm_ml_entry *entry, char **line);

#endif /* IMAEVM_MEASUREMENT_LIST_H */
