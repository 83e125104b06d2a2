// SPDX-License-Identifier: GPL-2.0-or-later
/* setxattr-manifest.c - `evmctl ima_setxattr --manifest`: write each signature of a manifest to its file below a root, only if it signs that file's content. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/xattr.h>
#if defined(__has_include)
#if __has_include(<linux/openat2.h>)
#include <linux/openat2.h>
#define HAVE_OPENAT2 1
#endif
#endif

#include "report.h"
#include "keys.h"
#include "label.h"
#include "pool.h"
#include "input.h"
#include "setxattr-manifest.h"
#include "sigmanifest.h"

struct failure {
	size_t line;
	char *path;		/* as shown, NULL when the line has none */
	char *reason;
};

struct apply {
	struct evmctl *g;
	const struct apply_opts *o;
	int rootfd;
	struct imaevm_keyset *ks;
	atomic_ulong applied;
	atomic_ulong failed;
	atomic_int no_openat2;	/* the kernel (or a seccomp filter) lacks it */
	pthread_mutex_t lock;
	struct failure *fails;	/* kept for --json (all of them, memory allowing) */
	size_t n_fails, cap_fails;
	/* paths seen, to refuse a second line for the same file */
	struct seen { char *path; size_t line; } *seen;
	size_t n_seen, cap_seen;
};

/* One manifest line in the pool: the walk entry's item first. */
struct apply_item {
	struct pool_item it;
	size_t line;
	struct imaevm_digest want;
	int type;
	size_t len;
	unsigned char value[];
};

static void record(struct apply *a, size_t line, const char *shown, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Report a line that was not applied, and keep it for --json. */
static void record(struct apply *a, size_t line, const char *shown, const char *fmt, ...)
{
	char *reason = NULL;
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&reason, fmt, ap) < 0)
		reason = NULL;
	va_end(ap);
	if (shown)
		cli_error(NULL, "%s:%zu: %s: %s; not labelled", a->o->manifest, line, shown,
			  reason ? reason : "out of memory");
	else
		cli_error(NULL, "%s:%zu: %s", a->o->manifest, line,
			  reason ? reason : "out of memory");
	pthread_mutex_lock(&a->lock);
	if (a->n_fails == a->cap_fails) {
		size_t cap = a->cap_fails ? 2 * a->cap_fails : 16;
		struct failure *g = realloc(a->fails, cap * sizeof(*g));

		if (g) {
			a->fails = g;
			a->cap_fails = cap;
		}
	}
	if (a->n_fails < a->cap_fails) {
		a->fails[a->n_fails++] = (struct failure){
			line, shown ? strdup(shown) : NULL, reason,
		};
		reason = NULL;
	}
	pthread_mutex_unlock(&a->lock);
	atomic_fetch_add(&a->failed, 1);
	free(reason);
}

/* ---- opening below the root ---- */

/* The directory holding @rel (below the root, no symlinks); @last gets the name. */
static int open_parent(struct apply *a, const char *rel, const char **last)
{
	const char *slash = strrchr(rel, '/');
	char *dir;
	int fd, next;

	*last = slash ? slash + 1 : rel;
	if (!slash) {
		fd = fcntl(a->rootfd, F_DUPFD_CLOEXEC, 0);
		return fd < 0 ? -errno : fd;
	}
	dir = strndup(rel, (size_t)(slash - rel));
	if (!dir)
		return -ENOMEM;
#if defined(HAVE_OPENAT2) && defined(SYS_openat2)
	if (!atomic_load(&a->no_openat2)) {
		struct open_how how = {
			.flags = O_PATH | O_DIRECTORY | O_CLOEXEC,
			.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
		};

		fd = (int)syscall(SYS_openat2, a->rootfd, dir, &how, sizeof(how));
		if (fd >= 0 || (errno != ENOSYS && errno != EPERM)) {
			int err = -errno;

			free(dir);
			return fd >= 0 ? fd : err;
		}
		atomic_store(&a->no_openat2, 1);
	}
#endif
	/* one component at a time, none followed if it is a link */
	fd = fcntl(a->rootfd, F_DUPFD_CLOEXEC, 0);
	for (char *c = dir, *end; fd >= 0 && c; c = end) {
		end = strchr(c, '/');
		if (end)
			*end++ = '\0';
		next = openat(fd, c, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (next < 0) {
			int err = -errno;

			close(fd);
			free(dir);
			return err;
		}
		close(fd);
		fd = next;
	}
	free(dir);
	return fd < 0 ? -errno : fd;
}

static const char *open_error(int err)
{
	switch (-err) {
	case ENOENT:
		return "no such file";
	case ELOOP:
	case ENOTDIR:
		return "a directory of its path is a symbolic link or not a directory";
	case EXDEV:
		return "the path leaves the root";
	}
	return strerror(-err);
}

/* Open a regular file @rel below the root, without following any link. */
static int open_below_root(struct apply *a, struct apply_item *ai, const char *shown, int *out)
{
	struct stat before, st;
	const char *last;
	int dir, fd;

	dir = open_parent(a, ai->it.e.name, &last);
	if (dir < 0) {
		record(a, ai->line, shown, "%s", open_error(dir));
		return dir;
	}
	if (fstatat(dir, last, &before, AT_SYMLINK_NOFOLLOW) < 0) {
		int err = -errno;

		record(a, ai->line, shown, "%s", open_error(err));
		close(dir);
		return err;
	}
	/* checked before opening, so that no device or FIFO is ever opened */
	if (!S_ISREG(before.st_mode)) {
		record(a, ai->line, shown, "not a regular file (%s)", file_type_name(before.st_mode));
		close(dir);
		return -EOPNOTSUPP;
	}
	fd = openat(dir, last, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	close(dir);
	if (fd < 0) {
		int err = -errno;

		record(a, ai->line, shown, "cannot open: %s", open_error(err));
		return err;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_ino != before.st_ino ||
	    st.st_dev != before.st_dev) {
		record(a, ai->line, shown, "replaced while it was opened");
		close(fd);
		return -ESTALE;
	}
	ai->it.e.st = st;	/* for the progress line */
	*out = fd;
	return 0;
}

/* ---- the pool's two halves ---- */

static const char *shown_of(const struct walk_entry *e)
{
	return e->path;
}

static int apply_finish(void *arg, const struct walk_entry *e, struct walk_job *job,
			int err, const struct imaevm_digest *d)
{
	struct apply *a = arg;
	struct apply_item *ai = (struct apply_item *)e;
	const char *shown = shown_of(e), *name = ima_xattr_name(a->o->xattr_user);
	struct imaevm_verify_result res = { 0 };

	if (err) {
		record(a, ai->line, shown, "cannot hash: %s", imaevm_strerror(err));
		return err;
	}
	if (d->algo != ai->want.algo || d->len != ai->want.len ||
	    memcmp(d->value, ai->want.value, d->len)) {
		record(a, ai->line, shown, "the %s%s digest of the content is not the one signed",
		       ai->type == IMAEVM_XATTR_VERITY_DIGSIG ? "fs-verity " : "",
		       imaevm_hash_algo_name(d->algo));
		return -EKEYREJECTED;
	}
	if (a->ks) {
		err = imaevm_verify_digest(a->g->ctx, a->ks, ai->value, ai->len, d, &res);
		if (err == -ENOKEY) {
			record(a, ai->line, shown, "no key with the signature's key id %08x", res.keyid);
			return err;
		}
		if (err) {
			record(a, ai->line, shown, "the signature does not verify (key id %08x): %s",
			       res.keyid, imaevm_strerror(err));
			return err;
		}
	}
	/* one call on the fd that was hashed: the old value stays whole if it fails */
	if (fsetxattr(job->fd, name, ai->value, ai->len, 0) < 0) {
		err = -errno;
		record(a, ai->line, shown, "cannot write %s: %s%s", name, strerror(-err),
		       err == -EPERM && !a->o->xattr_user ?
		       " (security.* xattrs need CAP_SYS_ADMIN; try --xattr-user)" : "");
		return err;
	}
	atomic_fetch_add(&a->applied, 1);
	if (a->g->verbose)
		walk_print_stderr(e, "evmctl: %s: %s written\n", shown, name);
	return 0;
}

static int apply_start(void *arg, const struct walk_entry *e, struct walk_job *job)
{
	struct apply *a = arg;
	struct apply_item *ai = (struct apply_item *)e;
	struct imaevm_digest d;
	int err;

	err = open_below_root(a, ai, shown_of(e), &job->fd);
	if (err)
		return err;
	job->algo = ai->want.algo;
	if (ai->type != IMAEVM_XATTR_VERITY_DIGSIG)
		return 0;
	/* the fs-verity digest is a Merkle tree, made here, not by the pool */
	err = imaevm_verity_digest_fd(a->g->ctx, job->fd, ai->want.algo, &d);
	err = apply_finish(a, e, job, err, err ? NULL : &d);
	close(job->fd);
	job->fd = -1;
	return err ? err : 1;
}

/* ---- duplicate paths ---- */

static uint64_t hash_path(const char *s)
{
	uint64_t h = 1469598103934665603ull;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

/* 0 if @rel is new (now remembered), else the line that named it first. */
static size_t seen_before(struct apply *a, const char *rel, size_t line)
{
	size_t i;

	if (2 * (a->n_seen + 1) > a->cap_seen) {
		size_t cap = a->cap_seen ? 2 * a->cap_seen : 1024;
		struct seen *t = calloc(cap, sizeof(*t));

		if (!t)
			return 0;
		for (i = 0; i < a->cap_seen; i++)
			if (a->seen[i].path) {
				size_t j = hash_path(a->seen[i].path) & (cap - 1);

				while (t[j].path)
					j = (j + 1) & (cap - 1);
				t[j] = a->seen[i];
			}
		free(a->seen);
		a->seen = t;
		a->cap_seen = cap;
	}
	for (i = hash_path(rel) & (a->cap_seen - 1); a->seen[i].path;
	     i = (i + 1) & (a->cap_seen - 1))
		if (!strcmp(a->seen[i].path, rel))
			return a->seen[i].line;
	a->seen[i].path = strdup(rel);
	a->seen[i].line = line;
	if (a->seen[i].path)
		a->n_seen++;
	return 0;
}

/* ---- the run ---- */

/* Queue one parsed line; the pool frees the item. */
static void submit_line(struct apply *a, struct pool *p, size_t line,
			const struct sigmanifest_line *l)
{
	struct imaevm_xattr_info info;
	struct apply_item *ai = calloc(1, sizeof(*ai) + l->value_len);
	char *shown = NULL, *slashed = NULL;

	if (ai && asprintf(&slashed, "/%s", l->path) >= 0)
		shown = shown_name(slashed);
	free(slashed);
	if (!ai || !shown || !(ai->it.name = strdup(l->path))) {
		record(a, line, NULL, "out of memory");
		free(shown);
		free(ai);
		return;
	}
	imaevm_xattr_parse(l->value, l->value_len, &info);	/* checked by the parser */
	ai->it.path = shown;
	ai->it.e = (struct walk_entry){
		.dirfd = a->rootfd, .name = ai->it.name, .path = shown, .operand = true,
	};
	ai->line = line;
	ai->want = l->digest;
	ai->type = info.type;
	ai->len = l->value_len;
	memcpy(ai->value, l->value, l->value_len);
	pool_submit(p, &ai->it);
}

static int cmp_failure(const void *x, const void *y)
{
	const struct failure *a = x, *b = y;

	return a->line < b->line ? -1 : a->line > b->line;
}

static void print_json(struct apply *a, unsigned long applied, unsigned long failed)
{
	size_t kept = a->n_fails;
	size_t i;

	printf("{\n  \"manifest\": ");
	json_string(a->o->manifest);
	printf(",\n  \"root\": ");
	json_string(a->o->root);
	printf(",\n  \"applied\": %lu,\n  \"failed\": %lu,\n  \"failures\": [", applied,
	       failed);
	for (i = 0; i < kept; i++) {
		printf("%s\n    {\"line\": %zu, \"path\": ", i ? "," : "", a->fails[i].line);
		if (a->fails[i].path)
			json_string(a->fails[i].path);
		else
			printf("null");
		printf(", \"reason\": ");
		json_string(a->fails[i].reason ? a->fails[i].reason : "out of memory");
		printf("}");
	}
	printf("%s]\n}\n", kept ? "\n  " : "");
}

/* A malformed line: name its path (as "/PATH", escaped) when it has one. */
static void record_line(struct apply *a, size_t line, const char *rel, const char *why)
{
	char *slashed = NULL, *shown = NULL;

	if (rel && asprintf(&slashed, "%s%s", *rel == '/' ? "" : "/", rel) >= 0)
		shown = shown_name(slashed);
	record(a, line, shown, "%s", why);
	free(slashed);
	free(shown);
}

static int run(struct apply *a, FILE *in)
{
	struct walk_digest_ops ops = { apply_start, apply_finish, a->g->ctx };
	const struct input_kind *k = &input_sig_manifest;
	struct sigmanifest_line *l = malloc(sizeof(*l));
	char *buf = malloc(k->line_max + 1);
	size_t line = 0, n, i;
	unsigned long applied, failed;
	struct pool *p;
	int status, rc;

	if (!l || !buf) {
		free(l);
		free(buf);
		return EXIT_FAILED;
	}
	p = pool_new(a->o->jobs ? a->o->jobs : walk_default_jobs(), NULL, &ops, a,
		     !a->o->json);
	while ((rc = input_getline(in, k, buf, &n)) != 0) {
		const char *why;
		size_t first;
		char *s = buf;

		line++;
		if (rc == -E2BIG) {
			record(a, line, NULL, "%s", input_line_error(k));
			continue;
		}
		if (rc < 0)
			break;
		if (strlen(s) != n) {
			record(a, line, NULL, "a NUL byte in the line");
			continue;
		}
		while (n > 0 && s[n - 1] == '\r')
			s[--n] = '\0';
		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s || *s == '#')
			continue;
		why = sigmanifest_parse_line(s, l);
		if (why) {
			record_line(a, line, l->path, why);
			continue;
		}
		first = seen_before(a, l->path, line);
		if (first) {
			char why2[64];

			snprintf(why2, sizeof(why2), "the same file as line %zu", first);
			record_line(a, line, l->path, why2);
			continue;
		}
		submit_line(a, p, line, l);
	}
	if (rc == -EIO)
		record(a, line + 1, NULL, "cannot read the manifest: %s", strerror(errno));
	pool_finish(p);
	free(buf);
	free(l);
	applied = atomic_load(&a->applied);
	failed = atomic_load(&a->failed);
	if (a->n_fails)
		qsort(a->fails, a->n_fails, sizeof(*a->fails), cmp_failure);
	if (a->o->json)
		print_json(a, applied, failed);
	else
		printf("%s: %lu applied, %lu failed\n", a->o->manifest, applied, failed);
	status = failed ? EXIT_FAILED : EXIT_OK;
	for (i = 0; i < a->n_fails; i++) {
		free(a->fails[i].path);
		free(a->fails[i].reason);
	}
	return status;
}

int apply_manifest(struct evmctl *g, const struct apply_opts *o)
{
	struct apply a = { .g = g, .o = o, .rootfd = -1 };
	FILE *in;
	size_t i;
	int status;

	if (o->keys && load_keyset(g, o->keys, &a.ks))
		return EXIT_FAILED;
	a.rootfd = open(o->root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (a.rootfd < 0) {
		cli_error(o->root, "cannot open the root directory: %s", strerror(errno));
		imaevm_keyset_free(a.ks);
		return EXIT_FAILED;
	}
	/* a file: regular and under the cap, refused before it can block */
	in = strcmp(o->manifest, "-") ? input_fopen(o->manifest, &input_sig_manifest) : stdin;
	if (!in) {
		close(a.rootfd);
		imaevm_keyset_free(a.ks);
		return EXIT_FAILED;
	}
	/* EVMCTL_OPENAT2=0: the per-component walk, as on kernels before 5.6 */
	if (getenv("EVMCTL_OPENAT2") && !strcmp(getenv("EVMCTL_OPENAT2"), "0"))
		atomic_store(&a.no_openat2, 1);
	pthread_mutex_init(&a.lock, NULL);
	status = run(&a, in);
	if (in != stdin)
		fclose(in);
	if (fflush(stdout) || ferror(stdout)) {
		cli_error(NULL, "cannot write standard output");
		status = EXIT_FAILED;
	}
	pthread_mutex_destroy(&a.lock);
	for (i = 0; i < a.cap_seen; i++)
		free(a.seen[i].path);
	free(a.seen);
	free(a.fails);
	close(a.rootfd);
	imaevm_keyset_free(a.ks);
	return status;
}
