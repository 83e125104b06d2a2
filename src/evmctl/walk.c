// SPDX-License-Identifier: GPL-2.0-or-later
/* walk.c - recursive walk relative to directory fds, never following links. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "evmctl.h"
#include "pool.h"
#include "walk.h"

struct walk {
	const struct walk_opts *opts;
	struct pool *pool;
	dev_t root_dev;
};

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void free_names(char **names, size_t count)
{
	while (count)
		free(names[--count]);
	free(names);
}

/* Read all names of @dirfd (sorted, without . and ..); -errno on failure. */
static int read_names(int dirfd, char ***names_out, size_t *count_out)
{
	char **names = NULL, **grown;
	size_t count = 0, cap = 0;
	struct dirent *de;
	int fd, err = 0;
	DIR *dir;

	fd = dup(dirfd);
	if (fd < 0)
		return -errno;
	dir = fdopendir(fd);
	if (!dir) {
		err = -errno;
		close(fd);
		return err;
	}
	for (;;) {
		errno = 0;
		de = readdir(dir);
		if (!de) {
			err = -errno;
			break;
		}
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (count == cap) {
			cap = cap ? cap * 2 : 32;
			grown = realloc(names, cap * sizeof(*names));
			if (!grown) {
				err = -ENOMEM;
				break;
			}
			names = grown;
		}
		names[count] = strdup(de->d_name);
		if (!names[count]) {
			err = -ENOMEM;
			break;
		}
		count++;
	}
	closedir(dir);
	if (err) {
		free_names(names, count);
		return err;
	}
	if (count)
		qsort(names, count, sizeof(*names), cmp_names);
	*names_out = names;
	*count_out = count;
	return 0;
}

static char *join_path(const char *dir, const char *name)
{
	size_t dl = strlen(dir), nl = strlen(name);
	bool slash = dl && dir[dl - 1] != '/';
	char *p = malloc(dl + slash + nl + 1);

	if (!p)
		return NULL;
	memcpy(p, dir, dl);
	if (slash)
		p[dl] = '/';
	memcpy(p + dl + slash, name, nl + 1);
	return p;
}

/* Queue one entry; takes ownership of @name and @path. */
static void submit(struct walk *w, struct dir_ref *dir, char *name, char *path,
		   const struct stat *st, bool operand)
{
	struct pool_item *it = calloc(1, sizeof(*it));

	if (!it) {
		cli_error(path, "out of memory");
		pool_count_failure(w->pool);
		free(name);
		free(path);
		return;
	}
	if (dir)
		atomic_fetch_add(&dir->refs, 1);
	it->dir = dir;
	it->name = name;
	it->path = path;
	it->e = (struct walk_entry){
		.dirfd = dir ? dir->fd : AT_FDCWD, .name = name, .path = path,
		.st = *st, .operand = operand,
	};
	pool_submit(w->pool, it);
}

static void walk_dir(struct walk *w, int parent_fd, const char *name,
		     const char *path, const struct stat *seen);

static void walk_children(struct walk *w, struct dir_ref *dir, const char *path)
{
	char **names = NULL;
	size_t count = 0, i;
	int err;

	err = read_names(dir->fd, &names, &count);
	if (err) {
		cli_error(path, "cannot read directory: %s", strerror(-err));
		pool_count_failure(w->pool);
		return;
	}
	for (i = 0; i < count; i++) {
		char *child = join_path(path, names[i]);
		struct stat st;

		if (!child) {
			cli_error(path, "out of memory");
			pool_count_failure(w->pool);
		} else if (fstatat(dir->fd, names[i], &st, AT_SYMLINK_NOFOLLOW) < 0) {
			/* vanished since readdir: report, carry on */
			cli_error(child, "%s", strerror(errno));
			pool_count_failure(w->pool);
		} else {
			char *name = strdup(names[i]);
			char *child_copy = strdup(child);

			if (!name || !child_copy) {
				free(name);
				free(child_copy);
			} else {
				/* the pool may free the item at once: pass copies */
				submit(w, dir, name, child_copy, &st, false);
			}
			if (S_ISDIR(st.st_mode) &&
			    !(w->opts->one_filesystem && st.st_dev != w->root_dev))
				walk_dir(w, dir->fd, names[i], child, &st);
		}
		free(child);
	}
	free_names(names, count);
}

static void walk_dir(struct walk *w, int parent_fd, const char *name,
		     const char *path, const struct stat *seen)
{
	struct dir_ref *dir;
	struct stat st;
	int fd;

	fd = openat(parent_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		cli_error(path, "cannot open directory: %s", strerror(errno));
		pool_count_failure(w->pool);
		return;
	}
	/* a directory swapped for another (or a link) since lstat is not walked */
	if (fstat(fd, &st) < 0 || st.st_dev != seen->st_dev || st.st_ino != seen->st_ino) {
		cli_error(path, "directory was replaced during the walk");
		pool_count_failure(w->pool);
		close(fd);
		return;
	}
	dir = dir_ref_new(fd);
	if (!dir) {
		close(fd);
		cli_error(path, "out of memory");
		pool_count_failure(w->pool);
		return;
	}
	walk_children(w, dir, path);
	dir_ref_put(dir);
}

static unsigned long walk_all(const char *const *paths, const struct walk_opts *o,
			      walk_fn fn, const struct walk_digest_ops *ops, void *arg)
{
	struct walk w = { .opts = o };

	w.pool = pool_new(o->jobs ? o->jobs : walk_default_jobs(), fn, ops, arg,
			  o->progress);

	if (!w.pool) {
		cli_error(NULL, "out of memory");
		return 1;
	}
	for (; paths && *paths; paths++) {
		char *name, *path;
		struct stat st;

		if (lstat(*paths, &st) < 0) {
			cli_error(*paths, "%s", strerror(errno));
			pool_count_failure(w.pool);
			continue;
		}
		name = NULL;
		if (o->recursive && S_ISLNK(st.st_mode)) {
			/*
			 * A link to a directory named on the command line is
			 * followed, as the old tool (and find -H) did; the tree
			 * is then walked from the directory's real path, so no
			 * link below it is followed.  Messages keep the name given.
			 */
			struct stat target;

			if (stat(*paths, &target) == 0 && S_ISDIR(target.st_mode) &&
			    (name = realpath(*paths, NULL)) && lstat(name, &st) < 0) {
				cli_error(*paths, "%s", strerror(errno));
				pool_count_failure(w.pool);
				free(name);
				continue;
			}
		}
		if (!name)
			name = strdup(*paths);
		path = strdup(*paths);
		if (!name || !path) {
			free(name);
			free(path);
			cli_error(*paths, "out of memory");
			pool_count_failure(w.pool);
			continue;
		}
		if (S_ISDIR(st.st_mode) && o->recursive) {
			/* the pool may free the item at once: keep a copy of the name */
			char *dir_name = strdup(name);

			submit(&w, NULL, name, path, &st, true);
			w.root_dev = st.st_dev;
			if (dir_name)
				walk_dir(&w, AT_FDCWD, dir_name, *paths, &st);
			free(dir_name);
		} else {
			submit(&w, NULL, name, path, &st, true);
		}
	}
	return pool_finish(w.pool);
}

unsigned long walk_paths(const char *const *paths, const struct walk_opts *o,
			 walk_fn fn, void *arg)
{
	return walk_all(paths, o, fn, NULL, arg);
}

unsigned long walk_paths_digest(const char *const *paths, const struct walk_opts *o,
				const struct walk_digest_ops *ops, void *arg)
{
	return walk_all(paths, o, NULL, ops, arg);
}

/* Buffer one chunk: its stream's tag, the text, a NUL (see pool.c). */
__attribute__((format(printf, 3, 0)))
static void walk_vprint(const struct walk_entry *e, char tag, const char *fmt, va_list ap)
{
	/* the entry is the first member of its pool item */
	struct pool_item *it = (struct pool_item *)e;
	va_list again;
	int n;

	va_copy(again, ap);
	n = vsnprintf(NULL, 0, fmt, ap);
	if (n < 0)
		goto out;
	if (it->out_len + (size_t)n + 2 > it->out_cap) {
		size_t cap = (it->out_len + (size_t)n + 2) * 2;
		char *grown = realloc(it->out, cap);

		if (!grown)
			goto out;
		it->out = grown;
		it->out_cap = cap;
	}
	it->out[it->out_len] = tag;
	vsnprintf(it->out + it->out_len + 1, it->out_cap - it->out_len - 1, fmt, again);
	it->out_len += (size_t)n + 2;
out:
	va_end(again);
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
		      const char *hint, int *fd)
{
	if (!S_ISREG(e->st.st_mode)) {
		/* the kernel appraises regular files only; walks pass over the rest */
		if (!e->operand || (recursive && S_ISDIR(e->st.st_mode)))
			return 1;
		cli_error(e->path, "unsupported file type (%s)%s",
			  file_type_name(e->st.st_mode),
			  S_ISDIR(e->st.st_mode) && hint ? hint : "");
		return -EOPNOTSUPP;
	}
	*fd = open_entry(e);
	if (*fd < 0) {
		cli_error(e->path, "cannot open: %s", *fd == -ESTALE ?
			  "file was replaced during the walk" : strerror(-*fd));
		return *fd;
	}
	return 0;
}

unsigned int walk_default_jobs(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n > 0 ? (unsigned int)n : 1;
}

int open_entry(const struct walk_entry *e)
{
	struct stat st;
	int fd;

	/*
	 * O_NONBLOCK: a FIFO swapped in must not block the open.  O_NOATIME:
	 * labelling a tree should not dirty every inode it reads; only the
	 * owner (or root) may ask for it, so others open without it.
	 */
	fd = openat(e->dirfd, e->name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK |
		    O_NOCTTY | O_CLOEXEC | O_NOATIME);
	if (fd < 0 && errno == EPERM)
		fd = openat(e->dirfd, e->name,
			    O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0) {
		int err = -errno;

		close(fd);
		return err;
	}
	if (st.st_dev != e->st.st_dev || st.st_ino != e->st.st_ino ||
	    (st.st_mode & S_IFMT) != (e->st.st_mode & S_IFMT)) {
		close(fd);
		return -ESTALE;
	}
	return fd;
}
