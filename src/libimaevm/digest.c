// SPDX-License-Identifier: LGPL-2.1-or-later
/* digest.c - content digests of regular files and buffers. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "internal.h"

/* Fits in L2 so the copy out of the page cache stays cheap. */
#define READ_CHUNK (128 * 1024)
/* Below this size the read-ahead hint costs more than it can save. */
#define FADVISE_MIN (1024 * 1024)

IMAEVM_EXPORT int imaevm_digest_buf(struct imaevm_ctx *ctx, const void *buf,
				    size_t len, int algo, struct imaevm_digest *out)
{
	struct imaevm_hasher h;
	int err;

	if (!out || (!buf && len))
		return -EINVAL;
	err = imaevm_hasher_begin(ctx, algo, &h);
	if (err)
		return err;
	if (len)
		err = imaevm_hasher_update(ctx, &h, buf, len);
	return imaevm_hasher_end(ctx, &h, err, out);
}

/*
 * Read to the end of the file, counting the bytes in *@done.  @size is its
 * size at the start: a short read that ends exactly there is the end (a
 * regular file returns all it has), so the read() that would return 0 is
 * saved, one syscall per small file; a file that grew meanwhile shows in
 * imaevm_file_state_check().  Files whose size says nothing (0 in procfs)
 * are read to the end.
 */
static int digest_read_all(struct imaevm_ctx *ctx, int fd, struct imaevm_hasher *h,
			   uint64_t size, uint64_t *done)
{
	unsigned char buf[READ_CHUNK];
	ssize_t n;
	int err;

	for (;;) {
		n = read(fd, buf, sizeof(buf));
		if (n == 0)
			return 0;
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		err = imaevm_hasher_update(ctx, h, buf, (size_t)n);
		if (err)
			return err;
		*done += (uint64_t)n;
		if ((size_t)n < sizeof(buf) && size > 0 && *done == size)
			return 0;
	}
}

int imaevm_digest_fd_begin(struct imaevm_ctx *ctx, int fd, int algo,
			   struct imaevm_hasher *h, struct imaevm_file_state *st)
{
	return imaevm_digest_fd_begin_known(ctx, fd, algo, NULL, h, st);
}

int imaevm_digest_fd_begin_known(struct imaevm_ctx *ctx, int fd, int algo,
				 const struct stat *known, struct imaevm_hasher *h,
				 struct imaevm_file_state *st)
{
	int err = -EAGAIN;

	if (known)
		err = imaevm_file_state_from_stat(known, st);
	if (err == -EAGAIN)
		err = imaevm_file_state_begin(ctx, fd, st);
	if (err)
		return err;
	if (!S_ISREG(st->mode)) {
		imaevm_log(ctx, LOG_INFO, "not a regular file (mode 0%o)", st->mode);
		return -EOPNOTSUPP;
	}
	err = imaevm_hasher_begin(ctx, algo, h);
	if (err)
		return err;
	/* Only a hint; a filesystem that refuses it is still read correctly. */
	if (st->size >= FADVISE_MIN)
		(void)posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	return 0;
}

IMAEVM_EXPORT int imaevm_digest_fd(struct imaevm_ctx *ctx, int fd, int algo,
				   struct imaevm_digest *out)
{
	struct imaevm_file_state st;
	struct imaevm_hasher h;
	uint64_t done = 0;
	int err;

	if (!out || fd < 0)
		return -EINVAL;
	err = imaevm_digest_fd_begin(ctx, fd, algo, &h, &st);
	if (err)
		return err;
	err = -EAGAIN;
	if (st.size >= IMAEVM_READ_AHEAD_MIN)
		err = imaevm_digest_read_ahead(ctx, fd, &h, &done);
	/* nothing was read when no thread could start: read it here */
	if (err == -EAGAIN)
		err = digest_read_all(ctx, fd, &h, st.size, &done);
	/* a digest of a file that changed meanwhile matches no version of it */
	if (!err)
		err = imaevm_file_state_check(ctx, fd, &st, done);
	return imaevm_hasher_end(ctx, &h, err, out);
}

IMAEVM_EXPORT int imaevm_digest_path(struct imaevm_ctx *ctx, const char *path,
				     int algo, struct imaevm_digest *out)
{
	struct stat st;
	int fd, err;

	if (!path)
		return -EINVAL;
	/* Never open device nodes or FIFOs: opening alone can have effects. */
	if (lstat(path, &st) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode))
		return -EOPNOTSUPP;
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	err = imaevm_digest_fd(ctx, fd, algo, out);
	close(fd);
	return err;
}
