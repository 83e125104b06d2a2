/* SPDX-License-Identifier: GPL-2.0-or-later */
/* sigfile.h - signatures kept in FILE.sig beside the file instead of an xattr. */
#ifndef EVMCTL_SIGFILE_H
#define EVMCTL_SIGFILE_H

#include <stdbool.h>
#include <stddef.h>

/*
 * sigfile_write_at() - write NAME.sig in the directory open as @dirfd
 * atomically: a temporary NAME.sig.XXXXXX (random suffix) is created there
 * with O_EXCL|O_NOFOLLOW, written, given 0666 less the umask and renamed
 * over NAME.sig, all relative to @dirfd, so a directory swapped for a link
 * cannot send either file elsewhere.  @path names FILE in messages.
 * Return: 0 or -errno (reported).
 */
int sigfile_write_at(int dirfd, const char *name, const char *path,
		     const unsigned char *value, size_t len);
/* The same for a path named on the command line (AT_FDCWD, @path itself). */
int sigfile_write(const char *path, const unsigned char *value, size_t len);
/*
 * sigfile_read_at() - read NAME.sig of @dirfd (at most 64 KiB, a regular
 * file only); @nofollow refuses a link under that name (walks).
 * Return: 0 or -errno (reported); free *value.
 */
int sigfile_read_at(int dirfd, const char *name, const char *path, bool nofollow,
		    unsigned char **value, size_t *len);
/* FILE.sig of a path named on the command line. */
int sigfile_read(const char *path, unsigned char **value, size_t *len);
/* The same from the signature file @name itself. */
int sigfile_read_named(const char *name, unsigned char **value, size_t *len);

#endif /* EVMCTL_SIGFILE_H */
