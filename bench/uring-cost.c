// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * uring-cost.c - the per-file work of bench/io-cost.c (open O_NOATIME, stat,
 * read to EOF in 128 KiB reads, statx after the read, one xattr write or
 * read, close) submitted through io_uring instead of one system call each,
 * to measure whether batching those calls saves CPU or wall time.
 *
 * Each worker thread owns one ring and keeps up to DEPTH files in flight.
 * Per file: a linked chain OPENAT (into a direct descriptor slot) -> STATX ->
 * READ; further READs as their completions arrive (size from the STATX);
 * then STATX -> FSETXATTR (or FGETXATTR) -> CLOSE.  With -n the chain is
 * OPENAT -> STATX -> xattr -> CLOSE in one go.  The kernel refuses STATX on a
 * fixed file, so with direct descriptors both STATX go by path (dirfd +
 * name).  -p (or a failed file table registration) uses plain fds: OPENAT
 * alone, then the chain on the returned fd, STATX with AT_EMPTY_PATH.
 *
 * Usage: uring-cost [-j THREADS] [-n] [-g] [-p] [-q DEPTH] DIR
 * Prints: files bytes wall_s cpu_s (user + system of the whole process, the
 * kernel's io_uring worker threads included); failures go to stderr.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <liburing.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include "file-list.h"

#define CHUNK (128 * 1024)
#define XATTR "user.iocost"
#define OFLAGS (O_RDONLY | O_NOFOLLOW | O_NOCTTY | O_NOATIME) /* O_CLOEXEC: EINVAL direct */
#define LINK IOSQE_IO_LINK	/* a failure cancels the rest of the chain */
#define HARD IOSQE_IO_HARDLINK	/* the rest runs anyway (the close must) */

enum { OP_OPEN, OP_STAT1, OP_READ, OP_STAT2, OP_XATTR, OP_CLOSE, NOPS };
static const char *opname[NOPS] = { "openat", "statx", "read", "statx (after read)",
				    "fsetxattr", "close" };

struct slot {
	const struct file *f;
	int fd;		/* plain fd (-p) */
	int pending;	/* CQEs still to come */
	int open;	/* needs a close */
	unsigned long long got, size;
	struct statx sx1, sx2;
	unsigned char *buf;
	unsigned char v[600];
};

struct worker {
	struct io_uring ring;
	struct slot *s;
	int direct, active;
};

static atomic_ulong fails[NOPS], cancelled, fallback;
static atomic_int first_err[NOPS];
static int no_read, get_xattr, plain, depth = 32;
static const unsigned char value[34] = { 0x04, 0x04 };

/* An SQE for slot i; room for a whole chain was made by room(). */
static struct io_uring_sqe *sqe(struct worker *w, int i, int op)
{
	struct io_uring_sqe *e = io_uring_get_sqe(&w->ring);

	if (!e)		/* cannot happen after room() */
		abort();
	w->s[i].pending++;
	io_uring_sqe_set_data64(e, (__u64)i << 8 | (unsigned)op);
	return e;
}

/* A chain must not be split over two submissions: the kernel ends it there. */
static void room(struct worker *w, unsigned n)
{
	if (io_uring_sq_space_left(&w->ring) < n)
		io_uring_submit(&w->ring);
}

/* The file's fd operand and flags: the slot index in direct mode. */
#define fdof(w, i) ((w)->direct ? (i) : (w)->s[i].fd)
#define fixed(w) ((w)->direct ? IOSQE_FIXED_FILE : 0)

static void prep_statx(struct worker *w, int i, int op, struct statx *sx)
{
	struct slot *s = &w->s[i];
	struct io_uring_sqe *e = sqe(w, i, op);

	if (w->direct)
		io_uring_prep_statx(e, s->f->dirfd, s->f->name, AT_SYMLINK_NOFOLLOW,
				    STATX_BASIC_STATS, sx);
	else
		io_uring_prep_statx(e, s->fd, "", AT_EMPTY_PATH, STATX_BASIC_STATS, sx);
	e->flags |= HARD;
}

static void prep_read(struct worker *w, int i)
{
	struct slot *s = &w->s[i];
	struct io_uring_sqe *e = sqe(w, i, OP_READ);

	io_uring_prep_read(e, fdof(w, i), s->buf, CHUNK, s->got);
	e->flags |= fixed(w);
}

/* [STATX ->] xattr -> CLOSE, hard-linked so the close always runs. */
static void tail(struct worker *w, int i, int with_statx)
{
	struct slot *s = &w->s[i];
	struct io_uring_sqe *e;

	room(w, 3);
	if (with_statx)
		prep_statx(w, i, OP_STAT2, &s->sx2);
	e = sqe(w, i, OP_XATTR);
	if (get_xattr)
		io_uring_prep_fgetxattr(e, fdof(w, i), XATTR, (char *)s->v, sizeof(s->v));
	else
		io_uring_prep_fsetxattr(e, fdof(w, i), XATTR, (const char *)value, 0,
					sizeof(value));
	e->flags |= fixed(w) | HARD;
	e = sqe(w, i, OP_CLOSE);
	if (w->direct)
		io_uring_prep_close_direct(e, (unsigned)i);
	else
		io_uring_prep_close(e, s->fd);
}

/* The chain after the open: STATX -> READ, or STATX -> xattr -> CLOSE. */
static void body(struct worker *w, int i)
{
	room(w, 4);
	prep_statx(w, i, OP_STAT1, &w->s[i].sx1);
	if (no_read)
		tail(w, i, 0);
	else
		prep_read(w, i);
}

static int start(struct worker *w, int i)
{
	size_t n = atomic_fetch_add(&next_file, 1);
	struct slot *s = &w->s[i];
	struct io_uring_sqe *e;

	if (n >= nfiles)
		return 0;
	s->f = &files[n];
	s->open = 0;
	s->got = s->size = 0;
	room(w, 5);
	e = sqe(w, i, OP_OPEN);
	if (w->direct) {
		io_uring_prep_openat_direct(e, s->f->dirfd, s->f->name, OFLAGS, 0, (unsigned)i);
		e->flags |= LINK;
		body(w, i);
	} else {
		io_uring_prep_openat(e, s->f->dirfd, s->f->name, OFLAGS | O_CLOEXEC, 0);
	}
	return 1;
}

static void complete(struct worker *w, struct io_uring_cqe *cqe)
{
	int i = (int)(cqe->user_data >> 8), op = (int)(cqe->user_data & 0xff);
	struct slot *s = &w->s[i];
	int res = cqe->res;

	s->pending--;
	if (res == -ECANCELED) {
		atomic_fetch_add(&cancelled, 1);
	} else if (res < 0 && atomic_fetch_add(&fails[op], 1) == 0) {
		first_err[op] = -res;
	}
	switch (op) {
	case OP_OPEN:
		if (res < 0)
			break;
		s->open = 1;
		if (!w->direct) {
			s->fd = res;
			body(w, i);
		}
		break;
	case OP_STAT1:
		if (res == 0)
			s->size = s->sx1.stx_size;
		break;
	case OP_READ:
		if (!s->open)
			break;
		if (res > 0)
			s->got += (unsigned long long)res;
		if (res > 0 && !(res < CHUNK && s->got == s->size)) {
			room(w, 1);
			prep_read(w, i);
		} else {
			atomic_fetch_add(&total_bytes, s->got);
			tail(w, i, 1);
		}
		break;
	}
	if (s->pending == 0 && !start(w, i))
		w->active--;
}

static void *worker(void *arg)
{
	struct io_uring_params p = { .flags = IORING_SETUP_SINGLE_ISSUER |
					      IORING_SETUP_DEFER_TASKRUN };
	unsigned entries = (unsigned)depth * 8;
	struct io_uring_cqe *cqe;
	struct worker w = { 0 };
	unsigned head, n;
	int i, ret;

	(void)arg;
	ret = io_uring_queue_init_params(entries, &w.ring, &p);
	if (ret == -EINVAL) {
		memset(&p, 0, sizeof(p));
		ret = io_uring_queue_init_params(entries, &w.ring, &p);
	}
	if (ret < 0) {
		fprintf(stderr, "uring-cost: io_uring_queue_init: %s\n", strerror(-ret));
		exit(1);
	}
	w.direct = !plain && io_uring_register_files_sparse(&w.ring, (unsigned)depth) == 0;
	if (!plain && !w.direct)
		atomic_fetch_add(&fallback, 1);
	w.s = must(calloc((size_t)depth, sizeof(*w.s)));
	for (i = 0; i < depth; i++) {
		if (!no_read)
			w.s[i].buf = must(malloc(CHUNK));
		if (start(&w, i))
			w.active++;
	}
	while (w.active) {
		ret = io_uring_submit_and_wait(&w.ring, 1);
		if (ret < 0 && ret != -EINTR) {
			fprintf(stderr, "uring-cost: io_uring_enter: %s\n", strerror(-ret));
			exit(1);
		}
		n = 0;
		io_uring_for_each_cqe(&w.ring, head, cqe) {
			complete(&w, cqe);
			n++;
		}
		io_uring_cq_advance(&w.ring, n);
	}
	io_uring_queue_exit(&w.ring);
	for (i = 0; i < depth; i++)
		free(w.s[i].buf);
	free(w.s);
	return NULL;
}

static int usage(void)
{
	fprintf(stderr, "usage: uring-cost [-j THREADS] [-n] [-g] [-p] [-q DEPTH] DIR\n");
	return 2;
}

int main(int argc, char **argv)
{
	long jobs = sysconf(_SC_NPROCESSORS_ONLN);
	int c, i;

	while ((c = getopt(argc, argv, "j:ngpq:")) != -1) {
		switch (c) {
		case 'j': jobs = strtol(optarg, NULL, 10); break;
		case 'n': no_read = 1; break;
		case 'g': get_xattr = 1; opname[OP_XATTR] = "fgetxattr"; break;
		case 'p': plain = 1; break;
		case 'q': depth = (int)strtol(optarg, NULL, 10); break;
		default: return usage();
		}
	}
	if (optind != argc - 1 || jobs < 1 || depth < 1 || depth > 4096)
		return usage();
	if (file_list_run(argv[optind], jobs, worker))
		return 1;
	if (fallback)
		fprintf(stderr, "uring-cost: %lu rings without direct descriptors, plain fds\n",
			(unsigned long)fallback);
	for (i = 0; i < NOPS; i++)
		if (fails[i])
			fprintf(stderr, "uring-cost: %s: %lu failed (first: %s)\n", opname[i],
				(unsigned long)fails[i], strerror(first_err[i]));
	if (cancelled)
		fprintf(stderr, "uring-cost: %lu operations cancelled by a failed link\n",
			(unsigned long)cancelled);
	return 0;
}
