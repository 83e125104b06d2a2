/* SPDX-License-Identifier: GPL-2.0-or-later */
/* util.h - hex and whole-file helpers shared by evmctl's files (no messages, 0/-errno). */
#ifndef EVMCTL_UTIL_H
#define EVMCTL_UTIL_H

#include <stddef.h>
#include <stdio.h>

/* Write @len bytes as lowercase hex plus a NUL to @out (2 * len + 1 bytes). */
void hex_encode(const unsigned char *buf, size_t len, char *out);

/* Print @len bytes as lowercase hex to @out (no newline). */
void print_hex(FILE *out, const unsigned char *buf, size_t len);

/*
 * hex_decode() - the @n hex digits at @s (either case, no prefix) into @out.
 * @max: room in @out, in bytes.  *len gets the number of bytes (0 for n == 0).
 * Return: 0, -EINVAL (odd count or not a hex digit) or -E2BIG (over @max bytes).
 */
int hex_decode(const char *s, size_t n, unsigned char *out, size_t max, size_t *len);

/*
 * read_fd_all() - read @fd to its end into *buf (malloc'd, NUL-terminated,
 * free()), its length in *len.  @max: the most bytes accepted (0: no limit);
 * under 4 KiB the buffer is allocated once, so a secret is never left behind
 * in memory given back by realloc().
 * Return: 0, -EFBIG (more than @max bytes), -ENOMEM or read(2)'s -errno;
 * nothing is returned in *buf on failure.
 */
int read_fd_all(int fd, size_t max, unsigned char **buf, size_t *len);

#endif /* EVMCTL_UTIL_H */
