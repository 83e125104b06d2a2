// SPDX-License-Identifier: GPL-2.0-or-later
/* walk.c - recursive walk relative to directory fds, never following links. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>

#include "evmctl.h"
#include "pool.h"
#include "walk.h"

/*
 * Directory fds.  Every directory fd the walk opens is "tracked": the walk
 * keeps one reference on it, the queued entries of that directory one each,
 * and a level of the current path one while the walk holds it.  An fd whose
 * only reference is the tracking one is closed when room is needed, so the
 * walk never has more than its budget of directory fds open (the open-file
 * limit less what the workers need).  A level whose fd was given up is
 * opened again from the nearest ancestor still held, one name at a time,
 * with O_NOFOLLOW, each step checked against the device and inode first
 * seen, so depth is bounded by memory, not by the open-file limit.
 */
struct level {
	struct level *up;	/* NULL for an operand */
	const char *name;	/* relative to up's fd (AT_FDCWD for an operand) */
	const char *path;	/* for messages */
	dev_t dev;
	ino_t ino;
	struct dir_ref *ref;	/* held (one reference), or NULL when given up */
	unsigned int depth;
	unsigned int pins;	/* in use: not to be given up */
};

struct walk {
	const struct walk_opts *opts;
	struct pool *pool;
	dev_t root_dev;
	struct dir_ref **tracked;	/* every directory fd open */
	size_t ntracked, cap;
	long budget;			/* how many may be open at once */
	unsigned long limit;		/* the soft open-file limit, for messages */
	struct level *cur;		/* deepest level of the current path */
	struct level **stack;		/* the current path by depth */
	size_t stack_cap;
	size_t nheld;			/* levels holding their fd */
	unsigned int low;		/* no unpinned level above this depth holds one */
	unsigned int max_depth;
	bool stat_from_fd;		/* regular files: no fstatat(), see walk_stat_entry() */
};

/* Descriptors the workers may need at once, besides the directories. */
#define RESERVE_FIXED 16
#define RESERVE_PER_JOB (IMAEVM_DIGEST_MUX_LANES + 1)
/*
 * The walk recurses once per level (a few hundred bytes of stack each): at
 * most MAX_DEPTH levels, fewer when the stack limit would not hold them.
 */
#define MAX_DEPTH 8192
#if defined(__SANITIZE_ADDRESS__)
#define WALK_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define WALK_ASAN 1
#endif
#endif
#ifdef WALK_ASAN
/* AddressSanitizer's redzones make each frame about twice as large */
#define STACK_PER_LEVEL 1536
#else
#define STACK_PER_LEVEL 768
#endif
#define STACK_RESERVE (1024 * 1024)
/* Waiting for queued entries to release directory fds: polls, then gives up. */
#define WAIT_STEP_NS 200000L
#define WAIT_MAX_STEPS 300000L

/* The soft open-file limit (main() has raised it to the hard one). */
static unsigned long nofile_limit(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return 1024;
	return rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur > LONG_MAX ?
	       (unsigned long)LONG_MAX : (unsigned long)rl.rlim_cur;
}

/* Levels the main thread's stack holds, up to MAX_DEPTH. */
static unsigned int depth_limit(void)
{
	struct rlimit rl;
	rlim_t n;

	if (getrlimit(RLIMIT_STACK, &rl) < 0 || rl.rlim_cur == RLIM_INFINITY)
		return MAX_DEPTH;
	/* the rest of the program's stack: a quarter of it, at most 1 MiB */
	n = rl.rlim_cur / 4 < STACK_RESERVE ? rl.rlim_cur / 4 : STACK_RESERVE;
	n = (rl.rlim_cur - n) / STACK_PER_LEVEL;
	return n < MAX_DEPTH ? (unsigned int)n : MAX_DEPTH;
}

/* Close the fds nothing but the tracking reference keeps.  Return: how many. */
static size_t reclaim(struct walk *w)
{
	size_t i, kept = 0, n = w->ntracked;

	for (i = 0; i < n; i++) {
		struct dir_ref *d = w->tracked[i];

		/* only the walk adds references: one that is alone stays alone */
		if (atomic_load(&d->refs) == 1)
			dir_ref_put(d);
		else
			w->tracked[kept++] = d;
	}
	w->ntracked = kept;
	return n - kept;
}

/* Give up the fd of the shallowest held, unpinned level.  Return: one was. */
static bool release_one(struct walk *w)
{
	unsigned int d;

	for (d = w->low; w->cur && d <= w->cur->depth; d++) {
		struct level *l = w->stack[d];

		if (l->ref && !l->pins) {
			dir_ref_put(l->ref);
			l->ref = NULL;
			w->nheld--;
			w->low = d + 1;
			return true;
		}
	}
	return false;
}

/* Level @l holds fd @d from now on. */
static void hold(struct walk *w, struct level *l, struct dir_ref *d)
{
	l->ref = d;
	w->nheld++;
	if (l->depth < w->low)
		w->low = l->depth;
}

/* Level @l gives its fd up (queued entries keep it open as long as they need it). */
static void unhold(struct walk *w, struct level *l)
{
	if (l->ref) {
		dir_ref_put(l->ref);
		l->ref = NULL;
		w->nheld--;
	}
}

/*
 * Make room for one more directory fd.  Return: true when there is, false
 * when the limit leaves none (the current path alone fills the budget).
 */
static bool room_for_fd(struct walk *w)
{
	long steps = 0;

	while ((long)w->ntracked >= w->budget) {
		if (reclaim(w) || release_one(w))
			continue;
		/* the rest not held by the path is held by queued entries: wait */
		if (w->ntracked <= w->nheld || ++steps > WAIT_MAX_STEPS)
			return false;
		pool_flush(w->pool);	/* including those not handed over yet */
		nanosleep(&(struct timespec){ .tv_nsec = WAIT_STEP_NS }, NULL);
	}
	return true;
}

/* Track a new directory fd, held by one level: NULL on no memory (fd closed). */
static struct dir_ref *track(struct walk *w, int fd)
{
	struct dir_ref *d;

	if (w->ntracked == w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 64;
		struct dir_ref **grown = realloc(w->tracked, cap * sizeof(*grown));

		if (!grown) {
			close(fd);
			return NULL;
		}
		w->tracked = grown;
		w->cap = cap;
	}
	d = dir_ref_new(fd);
	if (!d) {
		close(fd);
		return NULL;
	}
	atomic_fetch_add(&d->refs, 1);	/* the level's */
	w->tracked[w->ntracked++] = d;
	return d;
}

static void untrack_all(struct walk *w)
{
	while (w->ntracked)
		dir_ref_put(w->tracked[--w->ntracked]);
	free(w->tracked);
	w->tracked = NULL;
	w->cap = 0;
}

/*
 * Open directory @name of @parent_fd, without following a link, and check
 * that it is the one seen (@dev, @ino).  Return: the fd, -errno, or -ESTALE
 * when it was replaced.
 */
static int open_dir_checked(int parent_fd, const char *name, dev_t dev, ino_t ino)
{
	struct stat st;
	int fd;

	fd = openat(parent_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return errno == ELOOP || errno == ENOTDIR ? -ESTALE : -errno;
	if (fstat(fd, &st) < 0 || st.st_dev != dev || st.st_ino != ino) {
		close(fd);
		return -ESTALE;
	}
	return fd;
}

static const char *fd_limit_reason(struct walk *w, char *buf, size_t size)
{
	snprintf(buf, size, "the open-file limit (%lu) leaves no descriptor for this directory",
		 w->limit);
	return buf;
}

/*
 * The fd of level @l (on the current path), opened again from its nearest
 * held ancestor when it was given up, one level at a time: each level on
 * the way is held again, so the next levels up need no reopening.
 * Return: the dir_ref, or NULL (reported, naming the level that failed).
 */
static struct dir_ref *level_ref(struct walk *w, struct level *l)
{
	struct level *from, *step;
	struct dir_ref *d;
	unsigned int depth;
	char why[128];
	bool room;
	int fd;

	if (l->ref)
		return l->ref;
	for (from = l->up; from && !from->ref; from = from->up)
		;
	for (depth = from ? from->depth + 1 : 0; depth <= l->depth; depth++) {
		step = w->stack[depth];
		from = step->up;	/* held: the previous step, or the one found */
		if (from)
			from->pins++;
		room = room_for_fd(w);
		fd = !room ? -EMFILE : open_dir_checked(from ? from->ref->fd : AT_FDCWD,
							 step->name, step->dev, step->ino);
		if (from)
			from->pins--;
		if (fd < 0) {
			if (fd == -ESTALE)
				cli_error(step->path, "directory was replaced during the walk; its remaining entries are not walked");
			else
				cli_error(step->path, "cannot open directory again: %s; its remaining entries are not walked",
					  !room || fd == -EMFILE || fd == -ENFILE ?
					  fd_limit_reason(w, why, sizeof(why)) : strerror(-fd));
			return NULL;
		}
		d = track(w, fd);
		if (!d) {
			cli_error(step->path, "out of memory");
			return NULL;
		}
		hold(w, step, d);
	}
	return l->ref;
}

/* A directory entry as readdir() gave it: its name and its d_type. */
struct dent {
	char *name;
	unsigned char type;
};

static int cmp_names(const void *a, const void *b)
{
	return strcmp(((const struct dent *)a)->name, ((const struct dent *)b)->name);
}

static void free_names(struct dent *names, size_t count)
{
	while (count)
		free(names[--count].name);
	free(names);
}

/* Read all entries of @dirfd (sorted by name, without . and ..); -errno on failure. */
static int read_names(int dirfd, struct dent **names_out, size_t *count_out)
{
	struct dent *names = NULL, *grown;
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
		names[count].name = strdup(de->d_name);
		names[count].type = de->d_type;
		if (!names[count].name) {
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

/*
 * Queue one entry; takes ownership of @name and @path.  @type_only: @st
 * holds only the type readdir() gave.
 */
static void submit(struct walk *w, struct dir_ref *dir, char *name, char *path,
		   const struct stat *st, bool operand, bool type_only)
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
	it->stat_pending = type_only;
	pool_submit(w->pool, it);
}

static void walk_dir(struct walk *w, struct level *up, const char *name,
		     const char *path, const struct stat *seen, bool last);

static void walk_children(struct walk *w, struct level *l)
{
	struct dent *names = NULL;
	size_t count = 0, i;
	struct dir_ref *d;
	int err;

	pool_flush(w->pool);	/* the workers need not wait for this directory */
	err = read_names(l->ref->fd, &names, &count);
	if (err) {
		cli_error(l->path, "cannot read directory: %s", strerror(-err));
		pool_count_failure(w->pool);
		return;
	}
	for (i = 0; i < count; i++) {
		const char *name = names[i].name;
		struct stat st = { .st_mode = S_IFREG };
		char *child;

		/* given up while a subdirectory was walked: open it again */
		d = level_ref(w, l);
		if (!d) {
			pool_count_failure(w->pool);
			break;
		}
		child = join_path(l->path, name);
		if (!child) {
			cli_error(l->path, "out of memory");
			pool_count_failure(w->pool);
		} else if (w->stat_from_fd && names[i].type == DT_REG) {
			/* a worker stats it from the fd it opens (see walk_stat_entry()) */
			submit(w, d, names[i].name, child, &st, false, true);
			names[i].name = NULL;
		} else if (fstatat(d->fd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			/* vanished since readdir: report, carry on */
			cli_error(child, "%s", strerror(errno));
			pool_count_failure(w->pool);
			free(child);
		} else if (S_ISDIR(st.st_mode)) {
			/* the pool may free the item at once: the walk goes on with copies */
			char *name_copy = strdup(name), *path = strdup(child);

			if (name_copy && path) {
				submit(w, d, name_copy, path, &st, false, false);
			} else {
				cli_error(child, "out of memory");
				pool_count_failure(w->pool);
				free(name_copy);
				free(path);
			}
			if (!(w->opts->one_filesystem && st.st_dev != w->root_dev))
				walk_dir(w, l, name, child, &st, i + 1 == count);
			free(child);
		} else {
			/* the item takes the name and the path */
			submit(w, d, names[i].name, child, &st, false, false);
			names[i].name = NULL;
		}
	}
	free_names(names, count);
}

/* Make @l, open as @fd, the deepest level of the path.  Return: false on no memory. */
static bool push(struct walk *w, struct level *l, int fd)
{
	struct dir_ref *d;

	if (l->depth >= w->stack_cap) {
		size_t cap = w->stack_cap ? w->stack_cap * 2 : 64;
		struct level **grown = realloc(w->stack, cap * sizeof(*grown));

		if (!grown) {
			close(fd);
			return false;
		}
		w->stack = grown;
		w->stack_cap = cap;
	}
	d = track(w, fd);
	if (!d)
		return false;
	w->stack[l->depth] = l;
	w->cur = l;
	hold(w, l, d);
	return true;
}

/*
 * Walk directory @name of level @up (an operand when NULL), seen as @seen;
 * @last: the last entry of @up, whose fd is then no longer needed.
 */
static void walk_dir(struct walk *w, struct level *up, const char *name,
		     const char *path, const struct stat *seen, bool last)
{
	struct level l = {
		.up = up, .name = name, .path = path, .dev = seen->st_dev,
		.ino = seen->st_ino, .depth = up ? up->depth + 1 : 0,
	};
	char why[128];
	bool room;
	int fd;

	if (l.depth > w->max_depth) {
		cli_error(path, "not walked: nested deeper than %u directories (the stack limit allows no more)",
			  w->max_depth);
		pool_count_failure(w->pool);
		return;
	}
	if (up)
		up->pins++;
	room = room_for_fd(w);
	fd = !room ? -EMFILE : open_dir_checked(up ? up->ref->fd : AT_FDCWD, name,
						 l.dev, l.ino);
	if (up)
		up->pins--;
	if (fd < 0) {
		/* a directory swapped for another (or a link) since lstat is not walked */
		if (fd == -ESTALE)
			cli_error(path, "directory was replaced during the walk");
		else if (!room || fd == -EMFILE || fd == -ENFILE)
			cli_error(path, "cannot open directory: %s; not walked",
				  fd_limit_reason(w, why, sizeof(why)));
		else
			cli_error(path, "cannot open directory: %s", strerror(-fd));
		pool_count_failure(w->pool);
		return;
	}
	if (!push(w, &l, fd)) {
		cli_error(path, "out of memory");
		pool_count_failure(w->pool);
		return;
	}
	/* nothing more to open in @up: its fd goes with its last queued entry */
	if (last)
		unhold(w, up);
	walk_children(w, &l);
	unhold(w, &l);
	w->cur = up;
}

static unsigned long walk_all(const char *const *paths, const struct walk_opts *o,
			      walk_fn fn, const struct walk_digest_ops *ops, void *arg)
{
	unsigned int jobs = o->jobs ? o->jobs : walk_default_jobs();
	/* split commands open every regular file anyway: its stat comes with that */
	struct walk w = { .opts = o, .stat_from_fd = ops != NULL };
	unsigned long failed;

	w.limit = nofile_limit();
	w.max_depth = depth_limit();
	w.budget = (long)w.limit - RESERVE_FIXED - (long)jobs * RESERVE_PER_JOB;
	w.pool = pool_new(jobs, fn, ops, arg, o->progress);
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

			submit(&w, NULL, name, path, &st, true, false);
			w.root_dev = st.st_dev;
			if (dir_name)
				walk_dir(&w, NULL, dir_name, *paths, &st, false);
			free(dir_name);
		} else {
			submit(&w, NULL, name, path, &st, true, false);
		}
	}
	untrack_all(&w);	/* the queued entries close what they still use */
	free(w.stack);
	failed = pool_finish(w.pool);
	return failed;
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

unsigned int walk_default_jobs(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n > 0 ? (unsigned int)n : 1;
}
