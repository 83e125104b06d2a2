// SPDX-License-Identifier: GPL-2.0-or-later
/* sigfile.c - FILE.sig signature files, written atomically. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "keys.h"

#define SIGFILE_MAX 65536

int sigfile_write(const char *path, const unsigned char *value, size_t len)
{
	char *tmp = NULL, *final = NULL;
	size_t done = 0;
	mode_t mask;
	int fd, err = 0;

	if (asprintf(&final, "%s.sig", path) < 0 ||
	    asprintf(&tmp, "%s.sig.XXXXXX", path) < 0) {
		free(final);
		cli_error(path, "out of memory");
		return -ENOMEM;
	}
	fd = mkstemp(tmp);
	if (fd < 0) {
		err = -errno;
		cli_error(final, "cannot create: %s", strerror(errno));
		goto out;
	}
	mask = umask(0);
	umask(mask);
	while (!err && done < len) {
		ssize_t n = write(fd, value + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			err = n < 0 ? -errno : -EIO;
		else
			done += (size_t)n;
	}
	if (!err && fchmod(fd, 0666 & ~mask) < 0)
		err = -errno;
	if (close(fd) < 0 && !err)
		err = -errno;
	if (!err && rename(tmp, final) < 0)
		err = -errno;
	if (err) {
		cli_error(final, "cannot write: %s", strerror(-err));
		unlink(tmp);
	}
out:
	free(tmp);
	free(final);
	return err;
}

int sigfile_read(const char *path, unsigned char **value, size_t *len)
{
	char *name = NULL;
	int err;

	if (asprintf(&name, "%s.sig", path) < 0) {
		cli_error(path, "out of memory");
		return -ENOMEM;
	}
	err = sigfile_read_named(name, value, len);
	free(name);
	return err;
}

int sigfile_read_named(const char *name, unsigned char **value, size_t *len)
{
	unsigned char *buf = NULL;
	struct stat st;
	size_t got = 0;
	int fd, err = 0;

	fd = open(name, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		cli_error(name, "cannot open: %s", strerror(errno));
		goto out;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size > SIGFILE_MAX) {
		err = -EINVAL;
		cli_error(name, "not a signature file");
		goto out_close;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		err = -ENOMEM;
		goto out_close;
	}
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			err = n < 0 ? -errno : -EIO;
			cli_error(name, "cannot read: %s", strerror(-err));
			break;
		}
		got += (size_t)n;
	}
	if (!err) {
		*value = buf;
		*len = got;
		buf = NULL;
	}
	free(buf);
out_close:
	close(fd);
out:
	return err;
}
