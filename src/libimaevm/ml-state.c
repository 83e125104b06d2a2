// SPDX-License-Identifier: LGPL-2.1-or-later
/* ml-state.c - incremental replay: the state of a verified list, its file format (serialise, parse, load, save). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

#define STATE_MAGIC "IMAEVMST"
#define STATE_MAX_FILE (1u << 20)

/* CRC-32 (IEEE 802.3): the file is small; it detects damage, not forgery. */
static uint32_t crc32_buf(const unsigned char *p, size_t len)
{
	uint32_t c = 0xffffffffu;
	int k;

	while (len--) {
		c ^= *p++;
		for (k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1)));
	}
	return ~c;
}

/* ---- serialising: little-endian, fixed order ---- */

struct wbuf {
	unsigned char *p;
	size_t len, cap;
	bool oom;
};

static void put(struct wbuf *w, const void *d, size_t n)
{
	if (w->oom)
		return;
	if (w->cap - w->len < n) {
		size_t cap = (w->cap + n) * 2;
		unsigned char *g = realloc(w->p, cap);

		if (!g) {
			w->oom = true;
			return;
		}
		w->p = g;
		w->cap = cap;
	}
	memcpy(w->p + w->len, d, n);
	w->len += n;
}

static void put_uint(struct wbuf *w, uint64_t v, unsigned int bytes)
{
	unsigned char b[8];
	unsigned int i;

	for (i = 0; i < bytes; i++)
		b[i] = (unsigned char)(v >> (8 * i));
	put(w, b, bytes);
}

static unsigned int td_size(const struct imaevm_ml_state *s)
{
	return (unsigned int)imaevm_hash_algo_size(s->td_algo);
}

IMAEVM_EXPORT int imaevm_ml_state_serialize(const struct imaevm_ml_state *s,
					    unsigned char **buf, size_t *len)
{
	struct wbuf w = { 0 };
	unsigned int i, p;

	if (!s || !buf || !len)
		return -EINVAL;
	put(&w, STATE_MAGIC, 8);
	put_uint(&w, IMAEVM_ML_STATE_VERSION, 4);
	put_uint(&w, 0, 4);		/* total length, set below */
	put_uint(&w, (uint64_t)s->format, 1);
	put_uint(&w, (uint64_t)s->td_algo, 1);
	put_uint(&w, s->n_banks, 1);
	put_uint(&w, s->boot.have_clock ? 1 : 0, 1);
	put_uint(&w, 0, 4);
	put_uint(&w, s->entries, 8);
	put_uint(&w, s->end_offset, 8);
	put_uint(&w, s->last_offset, 8);
	put_uint(&w, s->boot.machine_len, 1);
	put_uint(&w, 0, 3);
	put(&w, s->boot_td, td_size(s));
	put(&w, s->last_td, td_size(s));
	put(&w, s->boot.machine, s->boot.machine_len);
	put_uint(&w, s->boot.clock, 8);
	put_uint(&w, s->boot.reset_count, 4);
	put_uint(&w, s->boot.restart_count, 4);
	put_uint(&w, s->pcrs, 8);
	for (p = 0; p < IMAEVM_MAX_LIST_PCRS; p++)
		if (s->pcrs & (1ull << p)) {
			put_uint(&w, s->pcr_entries[p], 8);
			put_uint(&w, s->pcr_last[p], 8);
		}
	for (i = 0; i < s->n_banks; i++) {
		const struct state_bank *b = &s->bank[i];
		size_t size = (size_t)imaevm_hash_algo_size(b->algo);

		put_uint(&w, (uint64_t)b->algo, 1);
		put_uint(&w, (uint64_t)b->mode, 1);
		put_uint(&w, 0, 2);
		for (p = 0; p < IMAEVM_MAX_LIST_PCRS; p++)
			if (s->pcrs & (1ull << p))
				put(&w, b->value[p], size);
	}
	if (!w.oom) {
		size_t total = w.len + 4;

		for (i = 0; i < 4; i++)
			w.p[12 + i] = (unsigned char)(total >> (8 * i));
		put_uint(&w, crc32_buf(w.p, w.len), 4);
	}
	if (w.oom) {
		free(w.p);
		return -ENOMEM;
	}
	*buf = w.p;
	*len = w.len;
	return 0;
}

/* ---- parsing: every field checked, nothing trusted ---- */

struct rbuf {
	const unsigned char *p;
	size_t len, pos;
	bool short_read;
};

static uint64_t get_uint(struct rbuf *r, unsigned int bytes)
{
	uint64_t v = 0;
	unsigned int i;

	if (r->len - r->pos < bytes) {
		r->short_read = true;
		r->pos = r->len;
		return 0;
	}
	for (i = 0; i < bytes; i++)
		v |= (uint64_t)r->p[r->pos + i] << (8 * i);
	r->pos += bytes;
	return v;
}

static bool get(struct rbuf *r, void *out, size_t n)
{
	if (r->len - r->pos < n) {
		r->short_read = true;
		r->pos = r->len;
		return false;
	}
	memcpy(out, r->p + r->pos, n);
	r->pos += n;
	return true;
}

static bool bank_algo_ok(int algo)
{
	int size = imaevm_hash_algo_size(algo);

	return size > 0 && size <= IMAEVM_MAX_DIGEST_SIZE;
}

int ml_state_bad(const char **why, const char *reason, int err)
{
	if (why)
		*why = reason;
	return err;
}

/* The fields after the header; -EBADMSG with @why on anything impossible. */
static int parse_body(struct rbuf *r, struct imaevm_ml_state *s, const char **why)
{
	unsigned int i, j, p, flags, mlen;
	uint64_t sum = 0;

	s->format = (int)get_uint(r, 1);
	s->td_algo = (int)get_uint(r, 1);
	s->n_banks = (unsigned int)get_uint(r, 1);
	flags = (unsigned int)get_uint(r, 1);
	if (get_uint(r, 4))
		return ml_state_bad(why, "reserved bytes are not zero", -EBADMSG);
	s->entries = get_uint(r, 8);
	s->end_offset = get_uint(r, 8);
	s->last_offset = get_uint(r, 8);
	mlen = (unsigned int)get_uint(r, 1);
	if (get_uint(r, 3))
		return ml_state_bad(why, "reserved bytes are not zero", -EBADMSG);
	if (r->short_read)
		return ml_state_bad(why, "truncated", -EBADMSG);
	if (s->format != IMAEVM_ML_BINARY && s->format != IMAEVM_ML_ASCII)
		return ml_state_bad(why, "unknown list format", -EBADMSG);
	if (!bank_algo_ok(s->td_algo))
		return ml_state_bad(why, "unknown template digest algorithm", -EBADMSG);
	if (flags > 1)
		return ml_state_bad(why, "unknown flags", -EBADMSG);
	if (s->n_banks == 0 || s->n_banks > IMAEVM_MAX_BANKS)
		return ml_state_bad(why, "impossible number of banks", -EBADMSG);
	if (!s->entries || s->last_offset >= s->end_offset ||
	    (s->entries == 1 && s->last_offset))
		return ml_state_bad(why, "impossible entry count or offsets", -EBADMSG);
	if (mlen > IMAEVM_ML_STATE_MACHINE_MAX)
		return ml_state_bad(why, "machine identifier too long", -EBADMSG);
	s->boot.have_clock = (int)flags;
	s->boot.machine_len = mlen;
	get(r, s->boot_td, td_size(s));
	get(r, s->last_td, td_size(s));
	get(r, s->boot.machine, mlen);
	s->boot.clock = get_uint(r, 8);
	s->boot.reset_count = (uint32_t)get_uint(r, 4);
	s->boot.restart_count = (uint32_t)get_uint(r, 4);
	if (!s->boot.have_clock && (s->boot.clock || s->boot.reset_count ||
				    s->boot.restart_count))
		return ml_state_bad(why, "clock values without the clock flag", -EBADMSG);
	s->pcrs = get_uint(r, 8);
	if (!s->pcrs && !r->short_read)
		return ml_state_bad(why, "no PCR recorded", -EBADMSG);
	for (p = 0; p < IMAEVM_MAX_LIST_PCRS; p++) {
		if (!(s->pcrs & (1ull << p)))
			continue;
		s->pcr_entries[p] = get_uint(r, 8);
		s->pcr_last[p] = get_uint(r, 8);
		if (r->short_read)
			break;
		if (!s->pcr_entries[p] || s->pcr_entries[p] > s->entries ||
		    s->pcr_last[p] < s->pcr_entries[p] || s->pcr_last[p] > s->entries)
			return ml_state_bad(why, "impossible per-PCR entry counts", -EBADMSG);
		sum += s->pcr_entries[p];
	}
	if (!r->short_read && sum != s->entries)
		return ml_state_bad(why, "the per-PCR entry counts do not add up to the entries",
			   -EBADMSG);
	for (i = 0; i < s->n_banks && !r->short_read; i++) {
		struct state_bank *b = &s->bank[i];

		b->algo = (int)get_uint(r, 1);
		b->mode = (int)get_uint(r, 1);
		if (get_uint(r, 2) && !r->short_read)
			return ml_state_bad(why, "reserved bytes are not zero", -EBADMSG);
		if (r->short_read)
			break;
		if (!bank_algo_ok(b->algo))
			return ml_state_bad(why, "unknown bank algorithm", -EBADMSG);
		if (b->mode != IMAEVM_REPLAY_BANK && b->mode != IMAEVM_REPLAY_PADDED)
			return ml_state_bad(why, "unknown replay mode", -EBADMSG);
		for (j = 0; j < i; j++)
			if (s->bank[j].algo == b->algo)
				return ml_state_bad(why, "a bank is recorded twice", -EBADMSG);
		for (p = 0; p < IMAEVM_MAX_LIST_PCRS; p++)
			if (s->pcrs & (1ull << p))
				get(r, b->value[p], (size_t)imaevm_hash_algo_size(b->algo));
	}
	if (r->short_read)
		return ml_state_bad(why, "truncated", -EBADMSG);
	if (r->pos != r->len)
		return ml_state_bad(why, "trailing bytes", -EBADMSG);
	return 0;
}

IMAEVM_EXPORT int imaevm_ml_state_parse(const void *buf, size_t len,
					struct imaevm_ml_state **state,
					const char **why)
{
	const unsigned char *b = buf;
	struct imaevm_ml_state *s;
	struct rbuf r;
	uint32_t version, total, crc;
	int err;

	if (why)
		*why = NULL;
	if (!buf || !state)
		return -EINVAL;
	if (len < 8 || memcmp(b, STATE_MAGIC, 8))
		return ml_state_bad(why, "not a state file (no IMAEVMST magic)", -EBADMSG);
	if (len < 16 + 4)
		return ml_state_bad(why, "truncated", -EBADMSG);
	r = (struct rbuf){ .p = b, .len = len, .pos = 8 };
	version = (uint32_t)get_uint(&r, 4);
	total = (uint32_t)get_uint(&r, 4);
	if (version != IMAEVM_ML_STATE_VERSION)
		return ml_state_bad(why, "another version of the state format (this library reads version 1)",
			   -EPROTO);
	if (total != len)
		return ml_state_bad(why, total > len ? "truncated" : "trailing bytes", -EBADMSG);
	crc = (uint32_t)b[len - 4] | (uint32_t)b[len - 3] << 8 |
	      (uint32_t)b[len - 2] << 16 | (uint32_t)b[len - 1] << 24;
	if (crc != crc32_buf(b, len - 4))
		return ml_state_bad(why, "checksum mismatch (the file is damaged)", -EBADMSG);
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	r.len = len - 4;
	err = parse_body(&r, s, why);
	if (err) {
		free(s);
		return err;
	}
	*state = s;
	return 0;
}

IMAEVM_EXPORT int imaevm_ml_state_load(struct imaevm_ctx *ctx, const char *path,
				       struct imaevm_ml_state **state,
				       const char **why)
{
	unsigned char *buf;
	struct stat st;
	size_t n = 0;
	int fd, err;

	if (why)
		*why = NULL;
	if (!ctx || !path || !state)
		return -EINVAL;
	/* O_NONBLOCK: a FIFO in its place must not block the verifier */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		return ml_state_bad(why, "not a regular file", -EBADMSG);
	}
	if (st.st_size > STATE_MAX_FILE) {
		close(fd);
		return ml_state_bad(why, "larger than 1 MiB: not a state file", -EFBIG);
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	for (;;) {
		ssize_t r = read(fd, buf + n, (size_t)st.st_size + 1 - n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			err = -errno;
			close(fd);
			free(buf);
			return err;
		}
		if (r == 0 || (n += (size_t)r) > (size_t)st.st_size)
			break;
	}
	close(fd);
	err = imaevm_ml_state_parse(buf, n, state, why);
	if (err)
		imaevm_log(ctx, LOG_INFO, "%s: state file refused: %s", path,
			   why && *why ? *why : "error");
	free(buf);
	return err;
}

static int write_all(int fd, const unsigned char *p, size_t len)
{
	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

IMAEVM_EXPORT int imaevm_ml_state_save(struct imaevm_ctx *ctx,
				       const struct imaevm_ml_state *s,
				       const char *path)
{
	unsigned char *buf = NULL;
	char *tmp = NULL, *dir = NULL, *slash;
	size_t len;
	int fd, dfd, err;

	if (!ctx || !s || !path || !*path)
		return -EINVAL;
	if ((err = imaevm_ml_state_serialize(s, &buf, &len)))
		return err;
	if (asprintf(&tmp, "%s.tmp.XXXXXX", path) < 0 || !(dir = strdup(path))) {
		tmp = NULL;
		err = -ENOMEM;
		goto out;
	}
	slash = strrchr(dir, '/');
	if (!slash)
		strcpy(dir, ".");
	else if (slash == dir)
		dir[1] = '\0';
	else
		*slash = '\0';
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		free(tmp);
		tmp = NULL;
		goto out;
	}
	err = write_all(fd, buf, len);
	if (!err && fsync(fd))
		err = -errno;
	if (close(fd) && !err)
		err = -errno;
	if (err)
		goto out;
	if (rename(tmp, path)) {
		err = -errno;
		goto out;
	}
	free(tmp);
	tmp = NULL;
	/* the rename itself must reach the disk */
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		if (fsync(dfd) && errno != EINVAL)
			err = -errno;
		close(dfd);
	}
out:
	if (err)
		imaevm_log(ctx, LOG_INFO, "%s: cannot write the state file: %s", path,
			   strerror(-err));
	if (tmp) {
		unlink(tmp);
		free(tmp);
	}
	free(dir);
	free(buf);
	return err;
}

IMAEVM_EXPORT void imaevm_ml_state_free(struct imaevm_ml_state *s)
{
	free(s);
}

IMAEVM_EXPORT uint64_t imaevm_ml_state_entries(const struct imaevm_ml_state *s)
{
	return s ? s->entries : 0;
}

IMAEVM_EXPORT uint64_t imaevm_ml_state_offset(const struct imaevm_ml_state *s)
{
	return s ? s->end_offset : 0;
}

const struct state_bank *ml_state_find_bank(const struct imaevm_ml_state *s, int algo)
{
	unsigned int i;

	for (i = 0; i < s->n_banks; i++)
		if (s->bank[i].algo == algo)
			return &s->bank[i];
	return NULL;
}

IMAEVM_EXPORT int imaevm_ml_state_template_algo(const struct imaevm_ml_state *s)
{
	return s ? s->td_algo : -EINVAL;
}

IMAEVM_EXPORT int imaevm_ml_state_bank_mode(const struct imaevm_ml_state *s, int algo)
{
	const struct state_bank *b;

	if (!s)
		return -EINVAL;
	b = ml_state_find_bank(s, algo);
	return b ? b->mode : -ENOENT;
}
