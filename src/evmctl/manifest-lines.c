// SPDX-License-Identifier: GPL-2.0-or-later
/* manifest-lines.c - the line collector both manifest writers (ima_hash, ima_sign --manifest) share. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "evmctl.h"
#include "manifest-lines.h"

int manifest_lines_open(struct manifest_lines *m, const char *path, const char *root)
{
	size_t n;

	memset(m, 0, sizeof(*m));
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
	return 0;
fail:
	free(m->name);
	free(m->root);
	free(m->cwd);
	memset(m, 0, sizeof(*m));
	return EXIT_FAILED;
}

int manifest_lines_path(const struct manifest_lines *m, const char *path, char **full)
{
	size_t rl = strlen(m->root);
	const char *rest = path;

	if (rl) {
		if (strncmp(path, m->root, rl) || (path[rl] && path[rl] != '/'))
			return -EINVAL;
		rest = path + rl;
	}
	if (asprintf(full, "%s/%s", *rest == '/' ? "" : m->cwd,
		     *rest == '/' ? rest + 1 : rest) < 0)
		return -ENOMEM;
	return 0;
}

int manifest_lines_add(struct manifest_lines *m, char *full, char *line)
{
	pthread_mutex_lock(&m->lock);
	if (m->n == m->cap) {
		size_t cap = m->cap ? 2 * m->cap : 256;
		struct manifest_line *g = realloc(m->lines, cap * sizeof(*g));

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

static int cmp_line(const void *a, const void *b)
{
	return strcmp(((const struct manifest_line *)a)->path,
		      ((const struct manifest_line *)b)->path);
}

void manifest_lines_sort(struct manifest_lines *m)
{
	if (m->n)
		qsort(m->lines, m->n, sizeof(*m->lines), cmp_line);
}

int manifest_lines_close(struct manifest_lines *m)
{
	size_t i;
	int err = 0;

	for (i = 0; i < m->n; i++) {
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
	return err;
}
