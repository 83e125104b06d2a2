// SPDX-License-Identifier: GPL-2.0-or-later
/* walk-entry.c - one entry of the walk as a command sees it: its output, kept for walk order, and opening it. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "evmctl.h"
#include "pool.h"
#include "walk.h"

/*
 * The item's output is chunks: its stream's tag, the text, a NUL (see
 * pool.c).  Room for a chunk of @n bytes of text; NULL: no memory.
 */
static char *out_room(struct pool_item *it, char tag, size_t n)
{
	if (it->out_len + n + 2 > it->out_cap) {
		size_t cap = (it->out_len + n + 2) * 2;
		char *grown = realloc(it->out, cap < 256 ? 256 : cap);

		if (!grown)
			return NULL;
		it->out = grown;
		it->out_cap = cap < 256 ? 256 : cap;
	}
	it->out[it->out_len] = tag;
	return it->out + it->out_len + 1;
}

/* Close the chunk of @n bytes written after out_room(). */
static void out_commit(struct pool_item *it, size_t n)
{
	it->out[it->out_len + 1 + n] = '\0';
	it->out_len += n + 2;
}

__attribute__((format(printf, 3, 0)))
static void walk_vprint(const struct walk_entry *e, char tag, const char *fmt, va_list ap)
{
	/* the entry is the first member of its pool item */
	struct pool_item *it = (struct pool_item *)e;
	va_list again;
	char *room;
	int n;

	va_copy(again, ap);
	n = vsnprintf(NULL, 0, fmt, ap);
	if (n >= 0 && (room = out_room(it, tag, (size_t)n))) {
		vsnprintf(room, (size_t)n + 1, fmt, again);
		out_commit(it, (size_t)n);
	}
	va_end(again);
}

char *walk_reserve(const struct walk_entry *e, size_t n)
{
	return out_room((struct pool_item *)e, POOL_STDOUT, n);
}

void walk_commit(const struct walk_entry *e, size_t n)
{
	out_commit((struct pool_item *)e, n);
}

void walk_print(const struct walk_entry *e, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	walk_vprint(e, POOL_STDOUT, fmt, ap);
	va_end(ap);
}

void walk_print_stderr(const struct walk_entry *e, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	walk_vprint(e, POOL_STDERR, fmt, ap);
	va_end(ap);
}

int walk_open_regular(const struct walk_entry *e, bool recursive,
		      const char *hint, struct walk_job *job)
{
	int fd;

	if (!S_ISREG(e->st.st_mode)) {
		/* the kernel appraises regular files only; walks pass over the rest */
		if (!e->operand || (recursive && S_ISDIR(e->st.st_mode)))
			return 1;
		cli_error(e->path, "unsupported file type (%s)%s",
			  file_type_name(e->st.st_mode),
			  S_ISDIR(e->st.st_mode) && hint ? hint : "");
		return -EOPNOTSUPP;
	}
	fd = open_entry(e, &job->st);
	if (fd < 0) {
		cli_error(e->path, "cannot open: %s", fd == -ESTALE ?
			  "file was replaced during the walk" : strerror(-fd));
		return fd;
	}
	job->fd = fd;
	job->st_known = true;
	return 0;
}

/*
 * Open a regular file for reading.  O_NONBLOCK: a FIFO swapped in must not
 * block the open.  O_NOATIME: labelling a tree should not dirty every
 * inode it reads; only the owner (or root) may ask for it, so others open
 * without it.  Return: the fd, or -errno.
 */
static int open_regular(int dirfd, const char *name)
{
	int fd;

	fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY |
		    O_CLOEXEC | O_NOATIME);
	if (fd < 0 && errno == EPERM)
		fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY |
			    O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

int walk_stat_entry(struct pool_item *it)
{
	struct stat st;
	int fd;

	fd = open_regular(it->e.dirfd, it->e.name);
	if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
		it->e.st = st;
		it->pre_fd = fd;
		it->pre_open = true;
		it->stat_pending = false;
		return 0;
	}
	if (fd >= 0)
		close(fd);
	/*
	 * Unreadable, gone, swapped, or not what readdir() said (a device
	 * bound over the name, as containers mask files with /dev/null): take
	 * the stat the walk would have taken, and let the command meet the
	 * entry as it would have.
	 */
	if (fstatat(it->e.dirfd, it->e.name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		int err = -errno;

		it->e.st.st_mode = 0;
		cli_error(it->e.path, "%s", strerror(-err));
		return err;
	}
	it->e.st = st;
	it->stat_pending = false;
	return 0;
}

int open_entry(const struct walk_entry *e, struct stat *out)
{
	/* the entry is the first member of its pool item */
	struct pool_item *it = (struct pool_item *)e;
	struct stat own, *st = out ? out : &own;
	int fd;

	if (it->pre_open) {	/* opened and stat'ed by walk_stat_entry() */
		it->pre_open = false;
		*st = e->st;
		return it->pre_fd;
	}
	fd = open_regular(e->dirfd, e->name);
	if (fd < 0)
		return fd;
	if (fstat(fd, st) < 0) {
		int err = -errno;

		close(fd);
		return err;
	}
	if (st->st_dev != e->st.st_dev || st->st_ino != e->st.st_ino ||
	    (st->st_mode & S_IFMT) != (e->st.st_mode & S_IFMT)) {
		close(fd);
		return -ESTALE;
	}
	return fd;
}
