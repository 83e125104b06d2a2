/* SPDX-License-Identifier: GPL-2.0-or-later */
/* manifest-lines.h - the lines of a manifest being written: collected from walk threads, written sorted by path. */
#ifndef EVMCTL_MANIFEST_LINES_H
#define EVMCTL_MANIFEST_LINES_H

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>

struct manifest_lines {
	FILE *f;
	char *name;		/* the manifest's file name, for messages */
	char *root;		/* without trailing '/', "" for none */
	char *cwd;		/* prefix of relative paths without a root */
	pthread_mutex_t lock;
	/* sorted by path at the end: the output is the same whatever -j */
	struct manifest_line { char *path, *line; } *lines;
	size_t n, cap;
	bool failed;
};

/* Open @path ("-": stdout) for @m; @root: --manifest-root or NULL. 0 or EXIT_FAILED after saying why. */
int manifest_lines_open(struct manifest_lines *m, const char *path, const char *root);
/* The absolute path the manifest names @path by; 0, -EINVAL (outside the root) or -ENOMEM. */
int manifest_lines_path(const struct manifest_lines *m, const char *path, char **full);
/* Record a line for @full (takes both, freed on failure too); 0 or -ENOMEM (thread-safe). */
int manifest_lines_add(struct manifest_lines *m, char *full, char *line);
/* Sort the lines by path. */
void manifest_lines_sort(struct manifest_lines *m);
/* Flush and close, free everything; 0 or EXIT_FAILED after saying why. */
int manifest_lines_close(struct manifest_lines *m);

#endif /* EVMCTL_MANIFEST_LINES_H */
