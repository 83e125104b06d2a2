// SPDX-License-Identifier: LGPL-2.1-or-later
/* read-ahead.c - feed a large file to a digest while a thread reads ahead. */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <unistd.h>

#include "internal.h"

/*
 * The copy out of the page cache costs about a fifth of a sha256 pass.  A
 * reader thread fills buffer n+1 while the caller hashes buffer n, so on a
 * machine with a spare core the digest runs at the speed of the hash alone.
 * Few, large buffers: each hand-over between the threads may cost a wake-up.
 */
#define NBUF 4
#define BUF_SIZE (1024 * 1024)

struct slot {
	unsigned char *data;
	size_t len;
	bool full;
};

struct read_ahead {
	int fd;
	pthread_mutex_t lock;
	pthread_cond_t changed;
	struct slot slots[NBUF];
	int error;		/* -errno from read(), set by the reader */
	bool eof;		/* reader is done (after the last full slot) */
	bool cancel;		/* consumer gave up */
};

/* Fill one buffer completely, or up to EOF; returns bytes or -errno. */
static ssize_t read_full(int fd, unsigned char *buf, size_t size)
{
	size_t got = 0;
	ssize_t n;

	while (got < size) {
		n = read(fd, buf + got, size - got);
		if (n == 0)
			break;
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		got += (size_t)n;
	}
	return (ssize_t)got;
}

static void *reader(void *arg)
{
	struct read_ahead *ra = arg;
	unsigned int i = 0;
	ssize_t n;

	for (;; i = (i + 1) % NBUF) {
		struct slot *s = &ra->slots[i];

		bool stop;

		pthread_mutex_lock(&ra->lock);
		while (s->full && !ra->cancel)
			pthread_cond_wait(&ra->changed, &ra->lock);
		stop = ra->cancel;
		pthread_mutex_unlock(&ra->lock);
		if (stop)
			break;
		n = read_full(ra->fd, s->data, BUF_SIZE);
		pthread_mutex_lock(&ra->lock);
		if (n < 0)
			ra->error = (int)n;
		else if (n > 0) {
			s->len = (size_t)n;
			s->full = true;
		}
		if (n <= 0 || (size_t)n < BUF_SIZE)
			ra->eof = true;
		pthread_cond_broadcast(&ra->changed);
		pthread_mutex_unlock(&ra->lock);
		if (n <= 0 || (size_t)n < BUF_SIZE)	/* eof, as set above */
			break;
	}
	return NULL;
}

static int consume(struct imaevm_ctx *ctx, struct read_ahead *ra, struct imaevm_hasher *h,
		   uint64_t *done)
{
	unsigned int i = 0;
	int err = 0;

	for (;; i = (i + 1) % NBUF) {
		struct slot *s = &ra->slots[i];

		pthread_mutex_lock(&ra->lock);
		while (!s->full && !ra->eof && !ra->error)
			pthread_cond_wait(&ra->changed, &ra->lock);
		if (!s->full)		/* only eof or an error leave it empty */
			err = ra->error;
		pthread_mutex_unlock(&ra->lock);
		if (!s->full)
			return err;
		err = imaevm_hasher_update(ctx, h, s->data, s->len);
		if (err)
			return err;
		*done += s->len;
		pthread_mutex_lock(&ra->lock);
		s->full = false;
		pthread_cond_broadcast(&ra->changed);
		pthread_mutex_unlock(&ra->lock);
	}
}

int imaevm_digest_read_ahead(struct imaevm_ctx *ctx, int fd, struct imaevm_hasher *h,
			     uint64_t *done)
{
	struct read_ahead ra = { .fd = fd };
	unsigned char *mem;
	pthread_t thread;
	int i, err;

	mem = malloc((size_t)NBUF * BUF_SIZE);
	if (!mem)
		return -ENOMEM;
	for (i = 0; i < NBUF; i++)
		ra.slots[i].data = mem + (size_t)i * BUF_SIZE;
	pthread_mutex_init(&ra.lock, NULL);
	pthread_cond_init(&ra.changed, NULL);
	if (pthread_create(&thread, NULL, reader, &ra) != 0) {
		err = -EAGAIN;
		goto out;
	}
	err = consume(ctx, &ra, h, done);
	pthread_mutex_lock(&ra.lock);
	ra.cancel = true;
	pthread_cond_broadcast(&ra.changed);
	pthread_mutex_unlock(&ra.lock);
	pthread_join(thread, NULL);
	if (!err)
		err = ra.error;
out:
	pthread_cond_destroy(&ra.changed);
	pthread_mutex_destroy(&ra.lock);
	free(mem);
	return err;
}
