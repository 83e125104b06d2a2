/* SPDX-License-Identifier: GPL-2.0-or-later */
/* sigmanifest-line.h - one line of a signature manifest (format: sigmanifest.h, evmctl(1)). */
#ifndef EVMCTL_SIGMANIFEST_LINE_H
#define EVMCTL_SIGMANIFEST_LINE_H

#include <stddef.h>
#include "imaevm.h"

/* Largest security.ima value a manifest line may carry. */
#define SIGMANIFEST_MAX_VALUE 4096

struct sigmanifest_line {
	unsigned char value[SIGMANIFEST_MAX_VALUE];
	size_t value_len;
	struct imaevm_digest digest;	/* the content digest the line names */
	char *path;			/* relative to the root, no "." or ".." (in the line's buffer) */
};

/*
 * sigmanifest_parse_line() - split one line (no newline) into @out; the
 * line is modified (the path is unescaped in place).
 * Return: NULL, or why the line is malformed.
 */
const char *sigmanifest_parse_line(char *line, struct sigmanifest_line *out);

#endif /* EVMCTL_SIGMANIFEST_LINE_H */
