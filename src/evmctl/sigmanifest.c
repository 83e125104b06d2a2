// SPDX-License-Identifier: GPL-2.0-or-later
/* sigmanifest.c - the signature manifest writer of ima_sign --manifest. */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sigmanifest.h"

struct sigmanifest {
	FILE *f;
	char *name;
	char *root;		/* without trailing '/', "" for none */
	char *cwd;		/* prefix of relative paths without a root */
	pthread_mutex_t lock;
	/* sorted by path at the end: the output is the same whatever -j */
	struct sline { char *path, *line; } *lines;
	size_t n, cap;
	bool failed;
};

int sigmanifest_open(const char *path, const char *root, struct sigmanifest **out)
{
	struct sigmanifest *m = calloc(1, sizeof(*m));
	size_t n;

	if (!m)
		return EXIT_FAILED;
	m->name = strdup(path);
	m->root = strdup(root ? root : "");
	m->cwd = root ? strdup("") : getcwd(NULL, 0);
	if (!m->name || !m->root || !m->cwd) {
		cli_error(path, "cannot open the manifest: %s", strerror(errno ? errno : ENOMEM));
		goto fail;
	}
	n = strlen(m->root);
	while (n > 1 && m->root[n - 1] == '/')
		m->root[--n] = '\0';
	if (!strcmp(m->root, "/"))
		m->root[0] = '\0';
	m->f = strcmp(path, "-") ? fopen(path, "we") : stdout;
	if (!m->f) {
		cli_error(path, "cannot open the manifest: %s", strerror(errno));
		goto fail;
	}
	pthread_mutex_init(&m->lock, NULL);
	fprintf(m->f, "# evmctl signature manifest: VALUEHEX ALGO:DIGESTHEX  /PATH (see evmctl(1))\n");
	*out = m;
	return 0;
fail:
	free(m->name);
	free(m->root);
	free(m->cwd);
	free(m);
	return EXIT_FAILED;
}

/* @s with '//' and '/./' collapsed and unsafe bytes escaped, to @f. */
static void put_path(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	for (; *p; p++) {
		if (*p == '/' && (p[1] == '/' || (p[1] == '.' && (p[2] == '/' || !p[2]))))
			continue;
		if (*p == '\\' || *p < 0x20 || *p == 0x7f)
			fprintf(f, "\\%03o", *p);
		else
			fputc(*p, f);
	}
}

int sigmanifest_add(struct sigmanifest *m, const char *path, const unsigned char *value,
		    size_t len, const struct imaevm_digest *d)
{
	size_t rl = strlen(m->root), i;
	const char *rest = path;
	char *full, *line = NULL;
	size_t line_len = 0;
	FILE *mf;

	if (rl) {
		if (strncmp(path, m->root, rl) || (path[rl] && path[rl] != '/'))
			return -EINVAL;
		rest = path + rl;
	}
	if (asprintf(&full, "%s/%s", *rest == '/' ? "" : m->cwd,
		     *rest == '/' ? rest + 1 : rest) < 0)
		return -ENOMEM;
	mf = open_memstream(&line, &line_len);
	if (!mf) {
		free(full);
		return -ENOMEM;
	}
	print_hex(mf, value, len);
	fprintf(mf, " %s:", imaevm_hash_algo_name(d->algo));
	for (i = 0; i < d->len; i++)
		fprintf(mf, "%02x", d->value[i]);
	fputs("  ", mf);
	put_path(mf, full);
	fputc('\n', mf);
	if (fclose(mf) || !line) {
		free(line);
		free(full);
		return -ENOMEM;
	}
	pthread_mutex_lock(&m->lock);
	if (m->n == m->cap) {
		size_t cap = m->cap ? 2 * m->cap : 256;
		struct sline *g = realloc(m->lines, cap * sizeof(*g));

		if (!g) {
			m->failed = true;
			pthread_mutex_unlock(&m->lock);
			free(line);
			free(full);
			return -ENOMEM;
		}
		m->lines = g;
		m->cap = cap;
	}
	m->lines[m->n].path = full;
	m->lines[m->n++].line = line;
	pthread_mutex_unlock(&m->lock);
	return 0;
}

static int cmp_sline(const void *a, const void *b)
{
	return strcmp(((const struct sline *)a)->path, ((const struct sline *)b)->path);
}

int sigmanifest_close(struct sigmanifest *m)
{
	size_t i;
	int err = 0;

	if (!m)
		return 0;
	if (m->n)
		qsort(m->lines, m->n, sizeof(*m->lines), cmp_sline);
	for (i = 0; i < m->n; i++) {
		fputs(m->lines[i].line, m->f);
		free(m->lines[i].line);
		free(m->lines[i].path);
	}
	free(m->lines);
	if (fflush(m->f) || ferror(m->f) || m->failed ||
	    (m->f != stdout && fclose(m->f))) {
		cli_error(m->name, "cannot write the manifest: %s", strerror(errno));
		err = EXIT_FAILED;
	}
	pthread_mutex_destroy(&m->lock);
	free(m->name);
	free(m->root);
	free(m->cwd);
	free(m);
	return err;
}
