// SPDX-License-Identifier: GPL-2.0-or-later
/* sigfile.c - FILE.sig signature files, written atomically next to FILE. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "evmctl.h"
#include "sigfile.h"

#define SIGFILE_MAX 65536
/* Names tried before giving up on a temporary file (each one random). */
#define TMP_TRIES 100

static mode_t file_mask;
static pthread_once_t mask_once = PTHREAD_ONCE_INIT;

/*
 * The umask, read once: /proc tells it without changing it; umask() is the
 * fallback, and it cannot race with our own file creations, which all give
 * their mode (0600) explicitly and are fixed up by fchmod().
 */
static void read_mask(void)
{
	FILE *f = fopen("/proc/self/status", "re");
	char line[128];
	unsigned int m;

	if (f) {
		while (fgets(line, sizeof(line), f))
			if (sscanf(line, "Umask: %o", &m) == 1) {
				file_mask = (mode_t)m & 0777;
				fclose(f);
				return;
			}
		fclose(f);
	}
	file_mask = umask(022);
	umask(file_mask);
}

/* Create "NAME.sig.XXXXXX" with a random suffix in @dirfd: the fd, or -errno. */
static int create_tmp(int dirfd, const char *name, char **tmp_out)
{
	static const char set[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	unsigned char rnd[6];
	size_t len = strlen(name) + sizeof(".sig.XXXXXX");
	char *tmp = malloc(len);
	int try, i, fd = -EEXIST;

	if (!tmp)
		return -ENOMEM;
	for (try = 0; try < TMP_TRIES && fd == -EEXIST; try++) {
		if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd)) {
			fd = -errno;
			break;
		}
		snprintf(tmp, len, "%s.sig.", name);
		for (i = 0; i < 6; i++)
			tmp[len - 7 + i] = set[rnd[i] % (sizeof(set) - 1)];
		tmp[len - 1] = '\0';
		/* O_EXCL|O_NOFOLLOW: never through a link planted under that name */
		fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
			    O_NOCTTY | O_CLOEXEC, 0600);
		if (fd < 0)
			fd = -errno;
	}
	if (fd < 0)
		free(tmp);
	else
		*tmp_out = tmp;
	return fd;
}

int sigfile_write_at(int dirfd, const char *name, const char *path,
		     const unsigned char *value, size_t len)
{
	char *tmp = NULL, *final = NULL, *shown = NULL;
	size_t done = 0;
	int fd, err = 0;

	pthread_once(&mask_once, read_mask);
	if (asprintf(&final, "%s.sig", name) < 0 || asprintf(&shown, "%s.sig", path) < 0) {
		free(final);
		cli_error(path, "out of memory");
		return -ENOMEM;
	}
	fd = create_tmp(dirfd, name, &tmp);
	if (fd < 0) {
		err = fd;
		cli_error(shown, "cannot create: %s", strerror(-err));
		goto out;
	}
	while (!err && done < len) {
		ssize_t n = write(fd, value + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			err = n < 0 ? -errno : -EIO;
		else
			done += (size_t)n;
	}
	if (!err && fchmod(fd, 0666 & ~file_mask) < 0)
		err = -errno;
	if (close(fd) < 0 && !err)
		err = -errno;
	/* renameat() replaces a link named NAME.sig, never writes through it */
	if (!err && renameat(dirfd, tmp, dirfd, final) < 0)
		err = -errno;
	if (err) {
		cli_error(shown, "cannot write: %s", strerror(-err));
		unlinkat(dirfd, tmp, 0);
	}
out:
	free(tmp);
	free(final);
	free(shown);
	return err;
}

int sigfile_write(const char *path, const unsigned char *value, size_t len)
{
	return sigfile_write_at(AT_FDCWD, path, path, value, len);
}

/* Read the signature file @name of @dirfd (@shown in messages). */
static int read_sig(int dirfd, const char *name, const char *shown, bool nofollow,
		    unsigned char **value, size_t *len)
{
	struct stat st;
	int fd, err = 0;

	/* O_NONBLOCK: a FIFO under that name must not hang the run */
	fd = openat(dirfd, name, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC |
		    (nofollow ? O_NOFOLLOW : 0));
	if (fd < 0) {
		err = -errno;
		if (nofollow && errno == ELOOP)
			cli_error(shown, "cannot open: a symbolic link (not followed)");
		else
			cli_error(shown, "cannot open: %s", strerror(errno));
		return err;
	}
	if (fstat(fd, &st) < 0) {
		err = -errno;
		cli_error(shown, "cannot open: %s", strerror(errno));
		goto out_close;
	}
	if (!S_ISREG(st.st_mode)) {
		err = -EINVAL;
		cli_error(shown, "not a signature file (not a regular file)");
		goto out_close;
	}
	if (st.st_size > SIGFILE_MAX) {
		err = -EINVAL;
		cli_error(shown, "not a signature file (larger than %d bytes)", SIGFILE_MAX);
		goto out_close;
	}
	err = read_fd_all(fd, SIGFILE_MAX, value, len);
	if (err == -EFBIG) {
		err = -EINVAL;
		cli_error(shown, "not a signature file (larger than %d bytes)", SIGFILE_MAX);
	} else if (err)
		cli_error(shown, "cannot read: %s", strerror(-err));
out_close:
	close(fd);
	return err;
}

int sigfile_read_at(int dirfd, const char *name, const char *path, bool nofollow,
		    unsigned char **value, size_t *len)
{
	char *sig = NULL, *shown = NULL;
	int err;

	if (asprintf(&sig, "%s.sig", name) < 0 || asprintf(&shown, "%s.sig", path) < 0) {
		free(sig);
		cli_error(path, "out of memory");
		return -ENOMEM;
	}
	err = read_sig(dirfd, sig, shown, nofollow, value, len);
	free(sig);
	free(shown);
	return err;
}

int sigfile_read(const char *path, unsigned char **value, size_t *len)
{
	return sigfile_read_at(AT_FDCWD, path, path, false, value, len);
}

int sigfile_read_named(const char *name, unsigned char **value, size_t *len)
{
	return read_sig(AT_FDCWD, name, name, false, value, len);
}
