// SPDX-License-Identifier: GPL-2.0-or-later
/* pool.c - worker threads for the walk, with output kept in submission order. */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "evmctl.h"
#include "label.h"
#include "pool.h"
#include "pool-links.h"
#include "pool-stats.h"

/*
 * Items finished out of order wait in a ring, as their output alone, until
 * the ones before them are done; the walk stops while the ring is full or
 * LIVE items are queued or in flight, so memory stays flat however large
 * the tree.  A large file being hashed holds back the output of everything
 * after it, and a chain of hard links to one (13 links to a 25 MB library
 * in /usr, hashed one after the other) for longer: with a ring of 16,384
 * whole items the walk stopped behind it until one worker of two ran dry.
 * A finished item keeps only its output, so the ring can be long, while
 * the walk needs to be only a little ahead of the workers.
 */
#define WINDOW 65536
#define LIVE 4096
/*
 * The walk hands items over in batches, not taking the lock for each, and
 * frees the finished ones itself, so that the allocator's arena is not
 * locked by two threads for each item.
 */
#define BATCH 32

/* A finished item waiting for the ones before it. */
struct done_item {
	bool full;
	bool reg;		/* a regular file: counted for the progress line */
	int result;
	unsigned long seq;
	off_t size;
	char *out;		/* the item's output chunks (see emit_output()) */
	size_t out_len;
};

struct pool {
	walk_fn fn;
	const struct walk_digest_ops *ops;	/* instead of fn: split at the digest */
	void *arg;
	unsigned int jobs;
	pthread_t *threads;
	pthread_mutex_t lock;
	pthread_cond_t work_ready;	/* queue got an item, or stopping */
	pthread_cond_t room;		/* the window is half empty again */
	bool producer_waits;		/* the walk waits for room */
	struct pool_item *head, *tail;	/* submitted, not yet started */
	struct done_item done[WINDOW];	/* finished, indexed by seq */
	unsigned long next_seq;		/* seq of the next submission */
	unsigned long emit_seq;		/* seq of the next item to print */
	unsigned long live;		/* submitted, not yet finished */
	bool emitting;			/* a thread prints (see emit_ready()) */
	struct pool_item *freed;	/* finished, for the walk thread to free */
	/* the walk thread's own: submitted, not handed over yet */
	struct pool_item *staged, *staged_tail;
	unsigned int n_staged;
	atomic_bool hungry;		/* a worker waits for work: hand over at once */
	unsigned long failed;
	bool stopping;
	/* progress on a terminal */
	bool progress;
	unsigned long files;
	unsigned long long bytes;
	struct timespec start, last_shown;
	/* inodes with several links in flight, and the links waiting for them */
	struct link_table links;
	struct walk_stats *stats;	/* EVMCTL_WALK_STATS, NULL when off */
};

struct dir_ref *dir_ref_new(int fd)
{
	struct dir_ref *d = malloc(sizeof(*d));

	if (!d)
		return NULL;
	d->fd = fd;
	atomic_init(&d->refs, 1);
	return d;
}

void dir_ref_put(struct dir_ref *d)
{
	if (d && atomic_fetch_sub(&d->refs, 1) == 1) {
		close(d->fd);
		free(d);
	}
}

/* Give back the descriptors an item holds (the walk may be waiting for one). */
static void item_release(struct pool_item *it)
{
	if (it->pre_open)
		close(it->pre_fd);
	it->pre_open = false;
	dir_ref_put(it->dir);
	it->dir = NULL;
}

static void item_free(struct pool_item *it)
{
	item_release(it);
	free(it->name);
	free(it->path);
	free(it->out);
	free(it);
}

static double seconds_between(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

/* Called with the lock held, at most every 200 ms. */
static void show_progress(struct pool *p, bool final)
{
	struct timespec now;
	double secs;

	clock_gettime(CLOCK_MONOTONIC, &now);
	if (!final && seconds_between(&p->last_shown, &now) < 0.2)
		return;
	p->last_shown = now;
	secs = seconds_between(&p->start, &now);
	cli_progress(final ? NULL : "%lu files, %.1f MiB, %.1f MiB/s", p->files,
		     (double)p->bytes / 1048576.0,
		     secs > 0 ? (double)p->bytes / 1048576.0 / secs : 0.0);
}

/* Write an item's chunks, each to its stream, in the order printed. */
static void emit_output(const struct done_item *d)
{
	size_t off = 0;

	while (off < d->out_len) {
		const char *text = d->out + off + 1;
		size_t n = strlen(text);

		if (d->out[off] == POOL_STDERR) {
			fflush(stdout);
			fwrite(text, 1, n, stderr);
		} else {
			fwrite(text, 1, n, stdout);
		}
		off += n + 2;
	}
}

/*
 * Print and free finished items in order, called and returning with the
 * lock held.  One thread prints at a time, without the lock: the finished
 * run behind a large file can be tens of thousands of items, and a slow
 * reader of the output would otherwise stop every worker at the lock.
 * The slots printed are given back only after, so the walk cannot reuse
 * them meanwhile.
 */
static void emit_ready(struct pool *p)
{
	if (p->emitting)
		return;		/* that thread takes ours too before it stops */
	p->emitting = true;
	for (;;) {
		unsigned long from = p->emit_seq, to = from, failed = 0, files = 0, seq;
		unsigned long long bytes = 0;
		struct done_item *d;

		while ((d = &p->done[to % WINDOW])->full && d->seq == to)
			to++;
		if (to == from)
			break;
		pthread_mutex_unlock(&p->lock);
		for (seq = from; seq < to; seq++) {
			d = &p->done[seq % WINDOW];
			emit_output(d);
			failed += d->result < 0;
			if (d->reg) {
				files++;
				bytes += (unsigned long long)d->size;
			}
			free(d->out);
		}
		pthread_mutex_lock(&p->lock);
		for (seq = from; seq < to; seq++)
			p->done[seq % WINDOW].full = false;
		p->emit_seq = to;
		p->failed += failed;
		p->files += files;
		p->bytes += bytes;
		if (p->progress)
			show_progress(p, false);
	}
	p->emitting = false;
}

/* Whether the walk may submit another item (lock held). */
static bool has_room(const struct pool *p)
{
	return p->next_seq - p->emit_seq < WINDOW && p->live < LIVE;
}

/*
 * Hand a finished item to the in-order printer; its descriptors are closed
 * now, its memory goes back to the walk thread to free.
 */
static void complete(struct pool *p, struct pool_item *it)
{
	struct pool_item *next;
	bool wake;

	item_release(it);
	pthread_mutex_lock(&p->lock);
	if (p->threads && (next = links_done(&p->links, it))) {
		/* to the front of the queue: it was taken before what is queued now */
		next->next = p->head;
		p->head = next;
		if (!p->tail)
			p->tail = next;
		pthread_cond_signal(&p->work_ready);
	}
	p->done[it->seq % WINDOW] = (struct done_item){
		.full = true, .reg = S_ISREG(it->e.st.st_mode), .result = it->result,
		.seq = it->seq, .size = it->e.st.st_size, .out = it->out, .out_len = it->out_len,
	};
	it->out = NULL;
	p->live--;
	emit_ready(p);
	/*
	 * Wake the walk when it can queue LIVE / 2 items, not at every item:
	 * with slow items (RSA signing) it would otherwise wake, queue one
	 * item and sleep again for each file, two context switches per file.
	 */
	wake = p->producer_waits && p->live <= LIVE / 2 &&
	       p->next_seq - p->emit_seq <= WINDOW - LIVE / 2;
	if (wake)
		p->producer_waits = false;
	if (p->threads) {
		it->next = p->freed;
		p->freed = it;
		it = NULL;
	}
	pthread_mutex_unlock(&p->lock);
	if (wake)
		pthread_cond_signal(&p->room);
	if (it)
		item_free(it);
}

enum start { START_DIGEST, START_DONE, START_WAITS };

/*
 * The first half of a split command.  START_DIGEST: the item needs its
 * digest; START_DONE: it is finished; START_WAITS: another link of its
 * inode is in flight (only known once the walk's readdir-only entry is
 * stat'ed), and the item waits behind it.
 */
static enum start start_item(struct pool *p, struct pool_item *it)
{
	int r;

	if (it->stat_pending) {
		r = walk_stat_entry(it);
		if (r) {
			it->result = r;
			return START_DONE;
		}
		if (p->threads && links_many(it)) {
			int fd = -1;

			/*
			 * Once queued behind the other link, another worker may
			 * take the item: it gives up its fd before the lock goes.
			 * The fd is opened again when its turn comes.
			 */
			pthread_mutex_lock(&p->lock);
			if (!links_start(&p->links, it)) {
				fd = it->pre_fd;
				it->pre_open = false;
			}
			pthread_mutex_unlock(&p->lock);
			if (fd >= 0) {
				close(fd);
				return START_WAITS;
			}
		}
	}
	it->job = (struct walk_job){ .fd = -1 };
	r = p->ops->start(p->arg, &it->e, &it->job);
	if (it->pre_open) {	/* not taken by the command */
		close(it->pre_fd);
		it->pre_open = false;
	}
	if (r == 0)
		return START_DIGEST;
	it->result = r > 0 ? 0 : r;
	return START_DONE;
}

static void finish_item(struct pool *p, struct pool_item *it, int err,
			const struct imaevm_digest *d)
{
	it->result = p->ops->finish(p->arg, &it->e, &it->job, err, err ? NULL : d);
	close(it->job.fd);
}

/* One item, start to end, on the calling thread. */
static void run_item(struct pool *p, struct pool_item *it)
{
	struct imaevm_digest d;
	int err;

	if (!p->ops) {
		it->result = p->fn(p->arg, &it->e);
	} else {
		switch (start_item(p, it)) {
		case START_WAITS:
			return;
		case START_DIGEST:
			do
				err = imaevm_digest_fd(p->ops->ctx, it->job.fd, it->job.algo, &d);
			while (digest_again(it->job.fd, err, &it->tries));
			finish_item(p, it, err, &d);
			break;
		case START_DONE:
			break;
		}
	}
	complete(p, it);
}

/*
 * Put a started item in the multiplexer (@last: nothing is queued behind
 * it); one it cannot take is finished.  Return: whether it went in.
 */
static bool mux_start(struct pool *p, struct imaevm_digest_mux *mux, struct pool_item *it,
		      bool last)
{
	struct imaevm_mux_file f = {
		.version = IMAEVM_MUX_FILE_VERSION,
		.flags = last ? IMAEVM_MUX_LAST : 0,
		.fd = it->job.fd,
		.algo = it->job.algo,
		.tag = it,
		/* a second try looks at the file again */
		.st = it->job.st_known && !it->tries ? &it->job.st : NULL,
	};
	int err;

	for (;;) {
		err = imaevm_digest_mux_add_file(mux, &f);
		if (!err || !digest_again(it->job.fd, err, &it->tries))
			break;
		f.st = NULL;
	}
	if (err) {
		finish_item(p, it, err, NULL);
		complete(p, it);
	}
	return !err;
}

/*
 * Files in the multiplexer beside one with several links.  Its other links
 * wait for it, and with three small files beside it a lane moves only as
 * fast as they bring in blocks: 13 links to a 25 MB library in /usr then
 * took 40-120 ms each, and the last of them ran alone after everything
 * else was done.  One file beside it still hashes two streams at once,
 * almost as fast per byte as four.
 */
#define BESIDE_LINKED 1

/*
 * Next queued item; waits for one only if @wait.  NULL: none (or stopping).
 * *@alone tells whether the queue is empty after it.
 */
static struct pool_item *take_item(struct pool *p, bool wait, bool *alone)
{
	struct pool_item *it;

	pthread_mutex_lock(&p->lock);
	if (wait && !p->head && !p->stopping) {
		double t = p->stats ? walk_stats_now() : 0;

		atomic_store_explicit(&p->hungry, true, memory_order_relaxed);
		while (!p->head && !p->stopping)
			pthread_cond_wait(&p->work_ready, &p->lock);
		if (p->stats)
			walk_stats_idle(walk_stats_now() - t);
	}
	for (;;) {
		while (wait && !p->head && !p->stopping)
			pthread_cond_wait(&p->work_ready, &p->lock);
		it = p->head;
		if (!it)
			break;
		p->head = it->next;
		if (!p->head)
			p->tail = NULL;
		if (links_start(&p->links, it))
			break;
	}
	*alone = !p->head;
	pthread_mutex_unlock(&p->lock);
	return it;
}

static void *worker(void *arg)
{
	struct pool *p = arg;
	struct pool_item *it;
	bool alone;

	while ((it = take_item(p, true, &alone)))
		run_item(p, it);
	return NULL;
}

/*
 * A worker for split commands keeps its multiplexer full: it waits for work
 * only when no file is in it, so files are hashed together whenever the
 * queue has them.  A file with nothing queued after it (one big operand,
 * the end of a tree) goes in marked last: the multiplexer reads a large one
 * ahead on a spare core.
 */
static void *digest_worker(void *arg)
{
	struct pool *p = arg;
	struct imaevm_digest_mux *mux;
	struct imaevm_digest d;
	struct pool_item *it;
	unsigned int linked = 0;	/* files in the multiplexer with several links */
	bool idle, alone, many;
	void *tag;
	int err;

	if (imaevm_digest_mux_new(p->ops->ctx, &mux))
		return worker(arg);	/* no memory for lanes: one file at a time */
	for (;;) {
		unsigned int room;

		while ((room = imaevm_digest_mux_room(mux)) &&
		       !(linked && IMAEVM_DIGEST_MUX_LANES - room > BESIDE_LINKED)) {
			idle = room == IMAEVM_DIGEST_MUX_LANES;
			it = take_item(p, idle, &alone);
			if (!it)
				break;
			switch (start_item(p, it)) {
			case START_WAITS:
				continue;
			case START_DONE:
				complete(p, it);
				continue;
			case START_DIGEST:
				if (mux_start(p, mux, it, idle && alone) && links_many(it))
					linked++;
				break;
			}
		}
		if (imaevm_digest_mux_next(mux, &tag, &d, &err) != 1)
			break;	/* empty, and nothing more to take */
		it = tag;
		many = links_many(it);
		/* changed while it was read: read it again, in the lane just freed */
		if (digest_again(it->job.fd, err, &it->tries)) {
			if (!mux_start(p, mux, it, false) && many)
				linked--;
			continue;
		}
		linked -= many;
		finish_item(p, it, err, &d);
		complete(p, it);
	}
	imaevm_digest_mux_free(mux);
	return NULL;
}

static void *thread_main(void *arg)
{
	struct pool *p = arg;

	if (p->ops)
		digest_worker(p);
	else
		worker(p);
	if (p->stats) {
		pthread_mutex_lock(&p->lock);
		walk_stats_worker_done(p->stats);
		pthread_mutex_unlock(&p->lock);
	}
	return NULL;
}

struct pool *pool_new(unsigned int jobs, walk_fn fn, const struct walk_digest_ops *ops,
		      void *arg, int progress)
{
	struct pool *p = calloc(1, sizeof(*p));
	unsigned int i;

	if (!p)
		return NULL;
	p->fn = fn;
	p->ops = ops;
	p->arg = arg;
	p->jobs = jobs ? jobs : 1;
	p->progress = progress && isatty(STDERR_FILENO);
	clock_gettime(CLOCK_MONOTONIC, &p->start);
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->work_ready, NULL);
	pthread_cond_init(&p->room, NULL);
	p->stats = walk_stats_new(p->jobs);
	if (p->jobs == 1)
		return p;
	p->threads = calloc(p->jobs, sizeof(*p->threads));
	if (!p->threads) {
		p->jobs = 1;
		return p;
	}
	for (i = 0; i < p->jobs; i++)
		if (pthread_create(&p->threads[i], NULL, thread_main, p) != 0)
			break;
	if (i == 0) {		/* no threads at all: run inline */
		free(p->threads);
		p->threads = NULL;
		p->jobs = 1;
	} else {
		p->jobs = i;
	}
	return p;
}

static void free_list(struct pool_item *it)
{
	struct pool_item *next;

	for (; it; it = next) {
		next = it->next;
		item_free(it);
	}
}

void pool_flush(struct pool *p)
{
	struct pool_item *it, *freed;

	if (!p->staged)
		return;
	pthread_mutex_lock(&p->lock);
	while ((it = p->staged)) {
		if (!has_room(p)) {
			double t = p->stats ? walk_stats_now() : 0;

			pthread_cond_broadcast(&p->work_ready);
			while (!has_room(p)) {
				p->producer_waits = true;
				pthread_cond_wait(&p->room, &p->lock);
			}
			if (p->stats)
				walk_stats_walk_waited(p->stats, walk_stats_now() - t);
		}
		p->staged = it->next;
		it->next = NULL;
		it->seq = p->next_seq++;
		p->live++;
		if (p->tail)
			p->tail->next = it;
		else
			p->head = it;
		p->tail = it;
	}
	p->staged_tail = NULL;
	p->n_staged = 0;
	atomic_store_explicit(&p->hungry, false, memory_order_relaxed);
	pthread_cond_broadcast(&p->work_ready);
	freed = p->freed;
	p->freed = NULL;
	pthread_mutex_unlock(&p->lock);
	free_list(freed);
}

void pool_submit(struct pool *p, struct pool_item *it)
{
	it->next = NULL;
	if (!p->threads) {
		pthread_mutex_lock(&p->lock);
		it->seq = p->next_seq++;
		p->live++;
		pthread_mutex_unlock(&p->lock);
		run_item(p, it);
		return;
	}
	if (p->staged_tail)
		p->staged_tail->next = it;
	else
		p->staged = it;
	p->staged_tail = it;
	if (++p->n_staged >= BATCH || atomic_load_explicit(&p->hungry, memory_order_relaxed))
		pool_flush(p);
}

void pool_count_failure(struct pool *p)
{
	pthread_mutex_lock(&p->lock);
	p->failed++;
	pthread_mutex_unlock(&p->lock);
}

unsigned long pool_finish(struct pool *p)
{
	unsigned long failed;
	unsigned int i;

	pool_flush(p);
	pthread_mutex_lock(&p->lock);
	p->stopping = true;
	pthread_cond_broadcast(&p->work_ready);
	pthread_mutex_unlock(&p->lock);
	for (i = 0; p->threads && i < p->jobs; i++)
		pthread_join(p->threads[i], NULL);
	free_list(p->freed);
	if (p->progress)
		show_progress(p, true);
	if (p->emit_seq != p->next_seq) {	/* never: but a lost file must not pass */
		cli_error(NULL, "internal error: %lu files were not done",
			  p->next_seq - p->emit_seq);
		p->failed += p->next_seq - p->emit_seq;
	}
	if (p->stats)
		walk_stats_finish(p->stats, p->files, p->bytes,
				  walk_stats_now() - ((double)p->start.tv_sec +
						      (double)p->start.tv_nsec / 1e9));
	links_free(&p->links);
	failed = p->failed;
	free(p->threads);
	pthread_cond_destroy(&p->room);
	pthread_cond_destroy(&p->work_ready);
	pthread_mutex_destroy(&p->lock);
	free(p);
	return failed;
}
