// SPDX-License-Identifier: LGPL-2.1-or-later
/* digest-mux.c - digest several open files on one thread, SHA-256 streams interleaved. */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

/*
 * Each lane holds one file.  When lanes hold SHA-256 files, the blocks they
 * have in common go through the four- or two-stream block function; when a
 * file ends, its lane returns at once so the caller can refill it and the
 * interleaving goes on.  Buffers are small enough for all lanes of every
 * core to stay in L2 between read() and the hash: on a tree of large
 * libraries 32 KiB lanes hash about 8% faster than 128 KiB ones, on a whole
 * /usr the same.
 */
#define LANE_BUF (32 * 1024)

struct lane {
	bool busy;
	int fd;
	void *tag;
	struct imaevm_file_state st;	/* at the start; size 0: read to EOF */
	uint64_t done;		/* bytes read so far */
	bool eof;
	bool alone;		/* read ahead on a second thread if no other lane is busy */
	int err;		/* -errno of a failed read */
	struct imaevm_hasher h;
	unsigned char *buf;
	size_t pos, len;	/* bytes [pos, len) of buf are not hashed yet */
};

struct imaevm_digest_mux {
	struct imaevm_ctx *ctx;
	struct lane lanes[IMAEVM_DIGEST_MUX_LANES];
	unsigned char *mem;
	unsigned int turn;	/* where step_interleaved() starts looking */
};

IMAEVM_EXPORT int imaevm_digest_mux_new(struct imaevm_ctx *ctx,
					struct imaevm_digest_mux **out)
{
	struct imaevm_digest_mux *m;
	unsigned int i;

	if (!ctx || !out)
		return -EINVAL;
	m = calloc(1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	m->mem = malloc((size_t)IMAEVM_DIGEST_MUX_LANES * LANE_BUF);
	if (!m->mem) {
		free(m);
		return -ENOMEM;
	}
	m->ctx = ctx;
	for (i = 0; i < IMAEVM_DIGEST_MUX_LANES; i++)
		m->lanes[i].buf = m->mem + (size_t)i * LANE_BUF;
	*out = m;
	return 0;
}

IMAEVM_EXPORT void imaevm_digest_mux_free(struct imaevm_digest_mux *m)
{
	unsigned int i;

	if (!m)
		return;
	for (i = 0; i < IMAEVM_DIGEST_MUX_LANES; i++)
		if (m->lanes[i].busy)
			imaevm_hasher_end(m->ctx, &m->lanes[i].h, -ECANCELED, NULL);
	free(m->mem);
	free(m);
}

IMAEVM_EXPORT unsigned int imaevm_digest_mux_room(const struct imaevm_digest_mux *m)
{
	unsigned int i, n = 0;

	for (i = 0; m && i < IMAEVM_DIGEST_MUX_LANES; i++)
		n += !m->lanes[i].busy;
	return n;
}

IMAEVM_EXPORT int imaevm_digest_mux_add_file(struct imaevm_digest_mux *m,
					     const struct imaevm_mux_file *f)
{
	struct imaevm_file_state st;
	struct lane *l = NULL;
	unsigned int i;
	int err;

	if (!m || !f || f->version != IMAEVM_MUX_FILE_VERSION || f->fd < 0 ||
	    (f->flags & ~IMAEVM_MUX_LAST))
		return -EINVAL;
	for (i = 0; i < ARRAY_SIZE(f->reserved); i++)
		if (f->reserved[i])
			return -EINVAL;
	for (i = 0; i < IMAEVM_DIGEST_MUX_LANES && !l; i++)
		if (!m->lanes[i].busy)
			l = &m->lanes[i];
	if (!l)
		return -EBUSY;
	err = imaevm_digest_fd_begin_known(m->ctx, f->fd, f->algo, f->st, &l->h, &st);
	if (err)
		return err;
	l->busy = true;
	l->fd = f->fd;
	l->tag = f->tag;
	l->st = st;
	l->done = 0;
	l->eof = false;
	l->alone = (f->flags & IMAEVM_MUX_LAST) && st.size >= IMAEVM_READ_AHEAD_MIN;
	l->err = 0;
	l->pos = l->len = 0;
	return 0;
}

IMAEVM_EXPORT int imaevm_digest_mux_add(struct imaevm_digest_mux *m, int fd,
					int algo, void *tag)
{
	struct imaevm_mux_file f = {
		.version = IMAEVM_MUX_FILE_VERSION, .fd = fd, .algo = algo, .tag = tag,
	};

	return imaevm_digest_mux_add_file(m, &f);
}

static bool lane_is_ni(const struct lane *l)
{
	return !l->h.md;
}

static size_t lane_avail(const struct lane *l)
{
	return l->len - l->pos;
}

/*
 * Read more into the lane, keeping the unhashed rest (less than a block).
 * A short read that ends at the fstat size is the end, as in
 * imaevm_digest_fd(): one read() per small file.
 */
static void lane_fill(struct lane *l)
{
	size_t want;
	ssize_t n;

	if (l->pos) {
		memmove(l->buf, l->buf + l->pos, lane_avail(l));
		l->len -= l->pos;
		l->pos = 0;
	}
	want = LANE_BUF - l->len;
	do
		n = read(l->fd, l->buf + l->len, want);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		l->err = -errno;
		return;
	}
	if (n == 0) {
		l->eof = true;
		return;
	}
	l->len += (size_t)n;
	l->done += (uint64_t)n;
	if ((size_t)n < want && l->st.size > 0 && l->done == l->st.size)
		l->eof = true;
}

/* Whether the lane needs read() before it can be hashed further. */
static bool lane_hungry(const struct lane *l)
{
	if (!l->busy || l->eof || l->err)
		return false;
	return lane_is_ni(l) ? lane_avail(l) < 64 : lane_avail(l) == 0;
}

/* Whether the lane's file is read and hashed up to its last partial block. */
static bool lane_finished(const struct lane *l)
{
	return l->busy && (l->err || (l->eof && (lane_is_ni(l) ? lane_avail(l) < 64 :
						 lane_avail(l) == 0)));
}

/* Hash what the lane holds: whole blocks, or everything once at EOF. */
static int lane_hash(struct imaevm_digest_mux *m, struct lane *l)
{
	size_t n = lane_avail(l);
	int err;

	if (lane_is_ni(l) && !l->eof)
		n &= ~(size_t)63;
	if (!n)
		return 0;
	err = imaevm_hasher_update(m->ctx, &l->h, l->buf + l->pos, n);
	l->pos += n;
	return err;
}

static int lane_end(struct imaevm_digest_mux *m, struct lane *l, void **tag,
		    struct imaevm_digest *out)
{
	int err = l->err;

	if (!err)
		err = lane_hash(m, l);
	/* as in imaevm_digest_fd(): no digest of a file that changed meanwhile */
	if (!err)
		err = imaevm_file_state_check(m->ctx, l->fd, &l->st, l->done);
	err = imaevm_hasher_end(m->ctx, &l->h, err, out);
	*tag = l->tag;
	l->busy = false;
	return err;
}

/* Lanes whose next blocks can go through the interleaved block functions. */
static bool lane_ready(const struct lane *l)
{
	return l->busy && lane_is_ni(l) && !l->err && lane_avail(l) >= 64;
}

/*
 * One interleaved step over the ready lanes: four at once, or two (taken
 * from a rotating start, so that a third ready lane is not left behind).
 * Return: false when fewer than two lanes are ready.
 */
static bool step_interleaved(struct imaevm_digest_mux *m)
{
	struct imaevm_sha256_ni *st[IMAEVM_DIGEST_MUX_LANES];
	const unsigned char *data[IMAEVM_DIGEST_MUX_LANES];
	struct lane *ready[IMAEVM_DIGEST_MUX_LANES];
	size_t n = 0, blocks = SIZE_MAX, i;

	for (i = 0; i < IMAEVM_DIGEST_MUX_LANES; i++) {
		struct lane *l = &m->lanes[(m->turn + i) % IMAEVM_DIGEST_MUX_LANES];

		if (lane_ready(l))
			ready[n++] = l;
	}
	m->turn++;
	if (n < 2)
		return false;
	n = n == 4 ? 4 : 2;
	for (i = 0; i < n; i++) {
		if (lane_avail(ready[i]) / 64 < blocks)
			blocks = lane_avail(ready[i]) / 64;
		st[i] = &ready[i]->h.ni;
		data[i] = ready[i]->buf + ready[i]->pos;
	}
	if (n == 4)
		imaevm_sha256_ni_update_x4(st, data, blocks);
	else
		imaevm_sha256_ni_update_x2(st[0], data[0], st[1], data[1], blocks);
	for (i = 0; i < n; i++)
		ready[i]->pos += blocks * 64;
	return true;
}

/*
 * A large file that came last, with no other file to interleave it with,
 * is read by a second thread while this one hashes (the copy out of the
 * page cache then costs no hashing time).  Nothing is read when no thread
 * could start: the lane then goes on as any other.
 */
static void read_ahead_alone(struct imaevm_digest_mux *m)
{
	struct lane *l = NULL;
	unsigned int i, busy = 0;
	int err;

	for (i = 0; i < IMAEVM_DIGEST_MUX_LANES; i++) {
		if (!m->lanes[i].busy)
			continue;
		busy++;
		if (m->lanes[i].alone && !m->lanes[i].done)
			l = &m->lanes[i];
	}
	if (!l || busy != 1)
		return;
	l->alone = false;
	err = imaevm_digest_read_ahead(m->ctx, l->fd, &l->h, &l->done);
	if (err == -EAGAIN)
		return;
	l->err = err;
	l->eof = true;
}

IMAEVM_EXPORT int imaevm_digest_mux_next(struct imaevm_digest_mux *m, void **tag,
					 struct imaevm_digest *out, int *result)
{
	unsigned int i;

	if (!m || !tag || !out || !result)
		return -EINVAL;
	read_ahead_alone(m);
	for (;;) {
		bool busy = false;

		for (i = 0; i < IMAEVM_DIGEST_MUX_LANES; i++) {
			struct lane *l = &m->lanes[i];

			if (lane_hungry(l))
				lane_fill(l);
			if (lane_finished(l)) {
				*result = lane_end(m, l, tag, out);
				return 1;
			}
			busy |= l->busy;
		}
		if (!busy)
			return 0;
		/* no lane is finished, so each busy one holds data */
		if (step_interleaved(m))
			continue;
		for (i = 0; i < IMAEVM_DIGEST_MUX_LANES; i++) {
			struct lane *l = &m->lanes[i];

			if (l->busy && !l->err)
				l->err = lane_hash(m, l);
		}
	}
}
