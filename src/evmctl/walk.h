/* SPDX-License-Identifier: GPL-2.0-or-later */
/* walk.h - the parallel tree walk shared by the commands that act on many files. */
#ifndef EVMCTL_WALK_H
#define EVMCTL_WALK_H

#include <stdbool.h>
#include <sys/stat.h>

#include "imaevm.h"

/* One file system object met by the walk. */
struct walk_entry {
	int dirfd;		/* directory holding it, or AT_FDCWD for operands */
	const char *name;	/* name relative to dirfd */
	const char *path;	/* path for messages */
	struct stat st;		/* lstat() of the entry: links are not followed */
	bool operand;		/* named on the command line */
};

/*
 * Called once per entry, from any worker thread (so it must be
 * thread-safe); prints results with walk_print() so that output keeps the
 * walk order whatever the number of jobs.  Returns 0 when done, < 0 when
 * the entry failed (after reporting why).
 */
typedef int (*walk_fn)(void *arg, const struct walk_entry *e);

struct walk_opts {
	bool recursive;		/* descend into directory operands */
	bool one_filesystem;	/* do not cross mount points (like find -xdev) */
	unsigned int jobs;	/* worker threads; 0: one per online CPU */
	bool progress;		/* progress line on stderr (when it is a terminal) */
};

/*
 * walk_paths() - call @fn for every operand and, when recursive, every
 * object below a directory operand, parents before children, entries of a
 * directory in name order.  Symlinks are reported, never followed.  Output
 * from walk_print() appears in that order, as with one job.
 * Directory fds stay within the open-file limit (less what the workers
 * need): those of ancestors are given up under pressure and opened again
 * later, checked against the device and inode first seen.  An entry's
 * dirfd is open until its callbacks return; a subtree the limit (or the
 * stack) does not allow is reported, naming it, and counted as failed.
 * Return: the number of entries that failed (walk errors included).
 */
unsigned long walk_paths(const char *const *paths, const struct walk_opts *o,
			 walk_fn fn, void *arg);

/* A command's work on one entry, between its start and its finish. */
struct walk_job {
	int fd;			/* opened by start(), closed by the walk after finish() */
	bool st_known;		/* @st is fstat(@fd) taken after the open */
	struct stat st;
	int algo;		/* the digest finish() needs (enum imaevm_hash_algo) */
	void *data;		/* the command's own, for finish() (which frees it) */
};

/*
 * Commands that act on a file's content digest split their work at the
 * digest, so that a worker can hash several files at once (imaevm_digest_mux).
 * start() returns 0 with job->fd and job->algo set to have that digest
 * made, then finish() gets it, or the error that stopped it with @d NULL;
 * start() returns 1 when it finished the entry itself (nothing to digest)
 * and < 0 when the entry failed (after reporting why).  finish() returns
 * the entry's result.  Both run on any worker thread.
 */
struct walk_digest_ops {
	int (*start)(void *arg, const struct walk_entry *e, struct walk_job *job);
	int (*finish)(void *arg, const struct walk_entry *e, struct walk_job *job,
		      int err, const struct imaevm_digest *d);
	struct imaevm_ctx *ctx;
};

/* walk_paths() for a command split at the digest. */
unsigned long walk_paths_digest(const char *const *paths, const struct walk_opts *o,
				const struct walk_digest_ops *ops, void *arg);

/* Print to stdout for @e, in walk order (only from a walk_fn, start or finish). */
void walk_print(const struct walk_entry *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* The same to stderr (the old tool's verdict lines, which scripts read there). */
void walk_print_stderr(const struct walk_entry *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/*
 * The same as walk_print() without formatting: fill the room for @n bytes
 * walk_reserve() returns (NULL: no memory), then walk_commit() them.
 */
char *walk_reserve(const struct walk_entry *e, size_t n);
void walk_commit(const struct walk_entry *e, size_t n);

/*
 * open_entry() - open a regular file met by the walk for reading, refusing
 * anything that is no longer the object the walk saw (a swap between the
 * walk and the open).  @st (may be NULL) receives the fstat() of the fd.
 * Return: the fd, or -errno (-ESTALE for a swap).
 */
int open_entry(const struct walk_entry *e, struct stat *st);

/*
 * For a regular file the walk knows from readdir() alone (split commands,
 * which open every regular file anyway): open it and take its stat from
 * the fd, one system call less than fstatat() before the open.  The fd
 * waits in the item for open_entry().  If it cannot be opened, the stat
 * is the one the walk would have taken, and the command meets the entry
 * as it would have.  Called by the pool before the command's start().
 * Return: 0, or -errno (reported).
 */
struct pool_item;
int walk_stat_entry(struct pool_item *it);

/*
 * walk_open_regular() - the start of every command that acts on file
 * content: open @e if it is a regular file.  Other types are passed over
 * inside a recursive walk, and refused ("unsupported file type") when named
 * as an operand; @hint ends that message (e.g. "; use -r to hash its files").
 * Return: 0 with @job's fd open (and its stat known), 1 when passed over,
 * or < 0 when refused or the open failed (reported, naming the path).
 */
int walk_open_regular(const struct walk_entry *e, bool recursive,
		      const char *hint, struct walk_job *job);

/* Worker count for 0 jobs: the online CPUs. */
unsigned int walk_default_jobs(void);

#endif /* EVMCTL_WALK_H */
