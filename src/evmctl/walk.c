// SPDX-License-Identifier: GPL-2.0-or-later
/* walk.c - recursive walk relative to directory fds, never following links. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "evmctl.h"
#include "walk.h"

struct walk {
	const struct walk_opts *opts;
	walk_fn fn;
	void *arg;
	dev_t root_dev;
	unsigned long failed;
};

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
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
		while (count)
			free(names[--count]);
		free(names);
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

static void visit(struct walk *w, const struct walk_entry *e);

static void walk_children(struct walk *w, const struct walk_entry *dir)
{
	char **names = NULL;
	size_t count = 0, i;
	int fd, err;

	fd = openat(dir->dirfd, dir->name,
		    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		cli_error(dir->path, "cannot open directory: %s", strerror(errno));
		w->failed++;
		return;
	}
	err = read_names(fd, &names, &count);
	if (err) {
		cli_error(dir->path, "cannot read directory: %s", strerror(-err));
		w->failed++;
	}
	for (i = 0; i < count; i++) {
		struct walk_entry child = { .dirfd = fd, .name = names[i] };
		char *path = join_path(dir->path, names[i]);

		if (!path) {
			cli_error(dir->path, "out of memory");
			w->failed++;
		} else if (fstatat(fd, names[i], &child.st, AT_SYMLINK_NOFOLLOW) < 0) {
			/* vanished since readdir: report, carry on */
			cli_error(path, "%s", strerror(errno));
			w->failed++;
		} else {
			child.path = path;
			visit(w, &child);
		}
		free(path);
		free(names[i]);
	}
	free(names);
	close(fd);
}

static void visit(struct walk *w, const struct walk_entry *e)
{
	if (w->fn(w->arg, e) < 0)
		w->failed++;
	if (!S_ISDIR(e->st.st_mode) || !w->opts->recursive)
		return;
	if (w->opts->one_filesystem && e->st.st_dev != w->root_dev)
		return;
	walk_children(w, e);
}

unsigned long walk_paths(const char *const *paths, const struct walk_opts *o,
			 walk_fn fn, void *arg)
{
	struct walk w = { .opts = o, .fn = fn, .arg = arg };

	for (; paths && *paths; paths++) {
		struct walk_entry e = {
			.dirfd = AT_FDCWD, .name = *paths, .path = *paths, .operand = true,
		};

		if (lstat(*paths, &e.st) < 0) {
			cli_error(*paths, "%s", strerror(errno));
			w.failed++;
			continue;
		}
		w.root_dev = e.st.st_dev;
		visit(&w, &e);
	}
	return w.failed;
}

int open_entry(const struct walk_entry *e)
{
	struct stat st;
	int fd;

	/* O_NONBLOCK: a FIFO swapped in must not block the open */
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
