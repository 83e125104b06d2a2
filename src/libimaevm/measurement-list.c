// SPDX-License-Identifier: LGPL-2.1-or-later
/* measurement-list.c - one-pass, bounded-memory reader of IMA measurement lists. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

/* First window; it grows only when one entry is larger. */
#define ML_WINDOW (256 * 1024)
#define ML_READ_MIN (64 * 1024)

static uint32_t get_le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

int ml_fail(struct imaevm_ml *ml, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	free(ml->err);
	n = asprintf(&ml->err, "entry %llu (offset %llu): %s",
		     (unsigned long long)ml->index + 1,
		     (unsigned long long)ml->offset, msg);
	if (n < 0)
		ml->err = NULL;
	imaevm_log(ml->ctx, LOG_INFO, "measurement list: %s",
		   ml->err ? ml->err : msg);
	return -EBADMSG;
}

/*
 * Grow the window only as data actually arrives, so a corrupt length field
 * costs at most about twice the bytes really present, never what it claims.
 */
int ml_fill(struct imaevm_ml *ml, size_t need)
{
	while (ml->end - ml->start < need) {
		ssize_t n;

		if (ml->eof)
			return 0;
		if (ml->start && ml->cap - ml->start < need) {
			memmove(ml->buf, ml->buf + ml->start, ml->end - ml->start);
			ml->end -= ml->start;
			ml->start = 0;
		}
		if (ml->cap - ml->end < ML_READ_MIN) {
			size_t want = ml->cap * 2;
			unsigned char *grown;

			if (want < ml->end + ML_READ_MIN)
				want = ml->end + ML_READ_MIN;
			grown = realloc(ml->buf, want);
			if (!grown)
				return -ENOMEM;
			ml->buf = grown;
			ml->cap = want;
		}
		n = read(ml->fd, ml->buf + ml->end, ml->cap - ml->end);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			ml->eof = true;
		ml->end += (size_t)n;
	}
	return 1;
}

int ml_data_reserve(struct imaevm_ml *ml, size_t len)
{
	unsigned char *p;

	if (len <= ml->data_cap)
		return 0;
	p = realloc(ml->data, len);
	if (!p)
		return -ENOMEM;
	ml->data = p;
	ml->data_cap = len;
	return 0;
}

int ml_name_set(struct imaevm_ml *ml, const void *name, size_t len)
{
	/* lists mostly repeat one template: keep the name and its lookup */
	if (len < ml->name_cap && !memcmp(ml->name, name, len) && !ml->name[len])
		return 0;
	if (len + 1 > ml->name_cap) {
		char *p = realloc(ml->name, len + 1);

		if (!p)
			return -ENOMEM;
		ml->name = p;
		ml->name_cap = len + 1;
	}
	memcpy(ml->name, name, len);
	ml->name[len] = '\0';
	ml->tmpl_ids = ml_template_fields(ml->name, &ml->tmpl_n);
	ml->tmpl_ima = !strcmp(ml->name, "ima");
	return 0;
}

/* Fill from the window at @need bytes; -EBADMSG naming @what if cut short. */
static int need_bytes(struct imaevm_ml *ml, size_t need, const char *what)
{
	int rc = ml_fill(ml, need);

	if (rc == 0)
		return ml_fail(ml, "truncated in the %s (%zu bytes needed, %zu left)",
			       what, need, ml->end - ml->start);
	return rc < 0 ? rc : 0;
}

static bool all_zero(const unsigned char *p, size_t len)
{
	while (len--)
		if (*p++)
			return false;
	return true;
}

void ml_set_template_digest(struct imaevm_ml *ml, struct imaevm_ml_entry *e,
			    const unsigned char *p)
{
	size_t n = ml->td_size < IMAEVM_ML_TEMPLATE_DIGEST_SIZE ?
		   ml->td_size : IMAEVM_ML_TEMPLATE_DIGEST_SIZE;

	memcpy(e->template_digest, p, n);
	memcpy(e->template_digest_value, p, ml->td_size);
	e->template_digest_algo = ml->td_algo;
	e->template_digest_len = ml->td_size;
	/* a violation: zeros of the digest's full size */
	e->violation = all_zero(p, ml->td_size);
}

/* Header: pcr u32, template digest (sha1 or the bank's), name length u32, name. */
static int next_binary(struct imaevm_ml *ml)
{
	struct imaevm_ml_entry *e = &ml->entry;
	const size_t hdr = 4 + ml->td_size + 4;
	const unsigned char *p;
	uint32_t name_len, dlen;
	size_t pos;
	int rc;

	rc = ml_fill(ml, 1);
	if (rc <= 0)
		return rc;
	if ((rc = need_bytes(ml, hdr, "entry header")))
		return rc;
	p = ml->buf + ml->start;
	name_len = get_le32(p + 4 + ml->td_size);
	if (name_len == 0)
		return ml_fail(ml, "empty template name");
	if ((rc = need_bytes(ml, hdr + name_len, "template name")))
		return rc;
	p = ml->buf + ml->start;
	if (memchr(p + hdr, '\0', name_len))
		return ml_fail(ml, "template name contains a NUL byte");
	if ((rc = ml_name_set(ml, p + hdr, name_len)))
		return rc;
	pos = hdr + name_len;
	memset(e, 0, sizeof(*e));
	e->pcr = get_le32(p);
	ml_set_template_digest(ml, e, p + 4);
	e->template_name = ml->name;

	if (ml->tmpl_ima) {
		/* digest, name length, name: hashed as digest + name padded to 256 */
		if ((rc = need_bytes(ml, pos + 20 + 4, "ima template data")))
			return rc;
		dlen = get_le32(ml->buf + ml->start + pos + 20);
		if (dlen >= ML_IMA_NAME_LEN)
			return ml_fail(ml, "ima template: file name of %u bytes (at most %d)",
				       dlen, ML_IMA_NAME_LEN - 1);
		if ((rc = need_bytes(ml, pos + 24 + dlen, "ima template file name")))
			return rc;
		if ((rc = ml_data_reserve(ml, 20 + ML_IMA_NAME_LEN)))
			return rc;
		p = ml->buf + ml->start + pos;
		memset(ml->data, 0, 20 + ML_IMA_NAME_LEN);
		memcpy(ml->data, p, 20);
		memcpy(ml->data + 20, p + 24, dlen);
		e->data = ml->data;
		e->data_len = 20 + ML_IMA_NAME_LEN;
		pos += 24 + dlen;
	} else {
		if ((rc = need_bytes(ml, pos + 4, "template data length")))
			return rc;
		dlen = get_le32(ml->buf + ml->start + pos);
		if ((rc = need_bytes(ml, pos + 4 + (size_t)dlen, "template data")))
			return rc;
		e->data = ml->buf + ml->start + pos + 4;
		e->data_len = dlen;
		pos += 4 + (size_t)dlen;
	}
	ml_split_fields(ml, e);
	ml->entry_offset = ml->offset;
	ml->start += pos;
	ml->offset += pos;
	return 1;
}

static int detect_format(struct imaevm_ml *ml)
{
	int rc = ml_fill(ml, 4);

	if (rc < 0)
		return rc;
	if (rc == 0) {
		/* empty or tiny: binary (an empty list is a valid list) */
		ml->format = ml->end - ml->start && ml->buf[ml->start] >= '0' &&
			     ml->buf[ml->start] <= '9' ? IMAEVM_ML_ASCII : IMAEVM_ML_BINARY;
		return 0;
	}
	/* a binary list starts with a small little-endian PCR index */
	ml->format = get_le32(ml->buf + ml->start) < 0x10000 ?
		     IMAEVM_ML_BINARY : IMAEVM_ML_ASCII;
	return 0;
}

IMAEVM_EXPORT int imaevm_ml_open_fd(struct imaevm_ctx *ctx, int fd, int format,
				    struct imaevm_ml **mlp)
{
	struct imaevm_ml *ml;

	if (!ctx || fd < 0 || !mlp || format < IMAEVM_ML_AUTO ||
	    format > IMAEVM_ML_ASCII)
		return -EINVAL;
	ml = calloc(1, sizeof(*ml));
	if (!ml)
		return -ENOMEM;
	ml->buf = malloc(ML_WINDOW);
	if (!ml->buf) {
		free(ml);
		return -ENOMEM;
	}
	ml->cap = ML_WINDOW;
	ml->ctx = ctx;
	ml->fd = fd;
	ml->format = format;
	ml->td_algo = IMAEVM_HASH_SHA1;
	ml->td_size = 20;
	*mlp = ml;
	return 0;
}

IMAEVM_EXPORT int imaevm_ml_set_digest_algo(struct imaevm_ml *ml, int algo)
{
	int size = imaevm_hash_algo_size(algo);

	if (!ml || size <= 0 || size > IMAEVM_MAX_DIGEST_SIZE || ml->index ||
	    ml->err)
		return -EINVAL;
	ml->td_algo = algo;
	ml->td_size = (unsigned int)size;
	ml->td_set = true;
	return 0;
}

/* "..._sha256": the kernel's name of a per-bank list; -1 for other names. */
static int algo_from_name(const char *path)
{
	const char *base = strrchr(path, '/'), *us;

	base = base ? base + 1 : path;
	us = strrchr(base, '_');
	if (!us || !us[1])
		return -1;
	return imaevm_hash_algo_by_name(us + 1);
}

IMAEVM_EXPORT int imaevm_ml_open(struct imaevm_ctx *ctx, const char *path,
				 int format, struct imaevm_ml **mlp)
{
	int fd, err;

	if (!path || !mlp)
		return -EINVAL;
	if (!strcmp(path, "-"))
		return imaevm_ml_open_fd(ctx, STDIN_FILENO, format, mlp);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	err = imaevm_ml_open_fd(ctx, fd, format, mlp);
	if (err) {
		close(fd);
		return err;
	}
	(*mlp)->own_fd = true;
	if (algo_from_name(path) >= 0)
		imaevm_ml_set_digest_algo(*mlp, algo_from_name(path));
	return 0;
}

IMAEVM_EXPORT int imaevm_ml_next(struct imaevm_ml *ml,
				 const struct imaevm_ml_entry **entry)
{
	int rc;

	if (!ml || !entry)
		return -EINVAL;
	if (ml->err)
		return -EBADMSG;
	if (ml->again) {
		ml->again = false;
		*entry = &ml->entry;
		return 1;
	}
	if (ml->format == IMAEVM_ML_AUTO && (rc = detect_format(ml)) < 0)
		return rc;
	rc = ml->format == IMAEVM_ML_ASCII ? ml_next_ascii(ml) : next_binary(ml);
	if (rc == 1) {
		ml->entry.index = ++ml->index;
		ml->entry_end = ml->offset;
		if (ml->index == 1) {
			memcpy(ml->first_td, ml->entry.template_digest_value, ml->td_size);
			ml->first_td_len = ml->td_size;
		}
		*entry = &ml->entry;
	} else if (rc == 0) {
		ml->at_end = true;
	}
	return rc;
}

int ml_seek(struct imaevm_ml *ml, uint64_t off)
{
	uint64_t skip;
	unsigned char drop[65536];

	if (off < ml->offset)
		return -EINVAL;
	if (off - ml->offset <= ml->end - ml->start) {
		ml->start += (size_t)(off - ml->offset);
		ml->offset = off;
		return 0;
	}
	/* bytes past the window, from where the descriptor is now */
	skip = off - ml->offset - (ml->end - ml->start);
	ml->start = ml->end = 0;
	ml->offset = off;
	if (ml->eof)
		return 0;	/* the next read reports the list cut short */
	if (skip <= INT64_MAX && lseek(ml->fd, (off_t)skip, SEEK_CUR) >= 0)
		return 0;
	if (errno != ESPIPE)
		return -errno;
	while (skip) {
		ssize_t n = read(ml->fd, drop, skip < sizeof(drop) ? (size_t)skip : sizeof(drop));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0) {
			ml->eof = true;
			break;
		}
		skip -= (uint64_t)n;
	}
	return 0;
}

IMAEVM_EXPORT int64_t imaevm_ml_entry_offset(const struct imaevm_ml *ml)
{
	if (!ml || !ml->index)
		return -EINVAL;
	return (int64_t)ml->entry_offset;
}

IMAEVM_EXPORT const char *imaevm_ml_error(const struct imaevm_ml *ml)
{
	return ml ? ml->err : NULL;
}

IMAEVM_EXPORT int imaevm_ml_format(const struct imaevm_ml *ml)
{
	return ml ? ml->format : -EINVAL;
}

IMAEVM_EXPORT void imaevm_ml_close(struct imaevm_ml *ml)
{
	if (!ml)
		return;
	if (ml->own_fd)
		close(ml->fd);
	free(ml->buf);
	free(ml->name);
	free(ml->data);
	free(ml->line);
	free(ml->err);
	free(ml);
}

IMAEVM_EXPORT int imaevm_ml_entry_check(struct imaevm_ctx *ctx,
					const struct imaevm_ml_entry *e)
{
	struct imaevm_digest d;
	int err;

	if (!ctx || !e)
		return -EINVAL;
	if (e->violation)
		return 0;
	if (e->template_digest_len) {
		/* per-bank lists: the bank's hash, in full */
		if (imaevm_hash_algo_size(e->template_digest_algo) !=
		    (int)e->template_digest_len)
			return -EINVAL;
		err = imaevm_digest_buf(ctx, e->data, e->data_len,
					e->template_digest_algo, &d);
		if (err)
			return err;
		return memcmp(d.value, e->template_digest_value, d.len) ? -EBADMSG : 0;
	}
	err = imaevm_digest_buf(ctx, e->data, e->data_len, IMAEVM_HASH_SHA1, &d);
	if (err)
		return err;
	return memcmp(d.value, e->template_digest, d.len) ? -EBADMSG : 0;
}
