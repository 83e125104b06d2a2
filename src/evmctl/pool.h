/* SPDX-License-Identifier: GPL-2.0-or-later */
/* pool.h - worker threads for the walk, with output kept in submission order. */
#ifndef EVMCTL_POOL_H
#define EVMCTL_POOL_H

#include <stdatomic.h>
#include <stddef.h>

#include "walk.h"

/* A directory fd shared by the entries in it; closed with the last one. */
struct dir_ref {
	int fd;
	atomic_uint refs;
};

struct dir_ref *dir_ref_new(int fd);
void dir_ref_put(struct dir_ref *d);

/* One unit of work: an entry, its storage and its buffered output. */
struct pool_item {
	struct walk_entry e;	/* first: walk_print() finds the item from it */
	struct dir_ref *dir;	/* NULL for operands */
	char *name;		/* owned storage behind e.name / e.path */
	char *path;
	unsigned long seq;
	char *out;		/* output chunks (tag, text, NUL), printed in seq order */
	size_t out_len, out_cap;
	int result;
	unsigned int tries;	/* digests made so far (see digest_again()) */
	bool stat_pending;	/* e.st holds only the type: walk_stat_entry() stats it */
	bool pre_open;		/* @pre_fd is open on it, for open_entry() */
	int pre_fd;
	struct walk_job job;	/* split commands: state between start and finish */
	struct pool_item *next;	/* queue link */
};

struct pool;

/* Tags of the output chunks of an item: the stream each goes to. */
#define POOL_STDOUT '\1'
#define POOL_STDERR '\2'

/*
 * Start @jobs workers calling @fn, or the two halves in @ops around a
 * digest (jobs == 1: run inline, no threads).
 */
struct pool *pool_new(unsigned int jobs, walk_fn fn, const struct walk_digest_ops *ops,
		      void *arg, int progress);
/*
 * Hand over @it (the pool frees it); blocks while too much is in flight.
 * Items go to the workers in batches: pool_flush() hands over the rest,
 * for a walk about to block (reading a directory).
 */
void pool_submit(struct pool *p, struct pool_item *it);
void pool_flush(struct pool *p);
/* Count a failure found outside the callbacks (walk errors). */
void pool_count_failure(struct pool *p);
/* Wait for all work, stop the workers. Return: failed entries. */
unsigned long pool_finish(struct pool *p);

#endif /* EVMCTL_POOL_H */
