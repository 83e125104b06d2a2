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
/* From this size on, a reader thread overlaps the copy with the hash. */
#define READ_AHEAD_MIN (16 * 1024 * 1024)
/* Below this size the read-ahead hint costs more than it can save. */
#define FADVISE_MIN (1024 * 1024)

struct digest_run {
	EVP_MD_CTX *mdctx;
	int algo;
};

static int digest_begin(struct imaevm_ctx *ctx, int algo, struct digest_run *run)
{
	const EVP_MD *md;

	if (!ctx || imaevm_hash_algo_size(algo) < 0)
		return -EINVAL;
	md = imaevm_md_get(ctx, algo);
	if (!md)
		return -EOPNOTSUPP;
	run->algo = algo;
	run->mdctx = EVP_MD_CTX_new();
	if (!run->mdctx)
		return -ENOMEM;
	if (!EVP_DigestInit_ex2(run->mdctx, md, NULL)) {
		imaevm_log_ossl(ctx, LOG_INFO, "digest init");
		EVP_MD_CTX_free(run->mdctx);
		return -EOPNOTSUPP;
	}
	return 0;
}

static int digest_end(struct imaevm_ctx *ctx, struct digest_run *run, int err,
		      struct imaevm_digest *out)
{
	unsigned char value[EVP_MAX_MD_SIZE];
	unsigned int len = 0;

	if (!err && !EVP_DigestFinal_ex(run->mdctx, value, &len)) {
		imaevm_log_ossl(ctx, LOG_INFO, "digest final");
		err = -EIO;
	}
	if (!err && (int)len != imaevm_hash_algo_size(run->algo))
		err = -EOPNOTSUPP;
	EVP_MD_CTX_free(run->mdctx);
	if (err)
		return err;
	out->algo = run->algo;
	out->len = len;
	memcpy(out->value, value, len);
	return 0;
}

IMAEVM_EXPORT int imaevm_digest_buf(struct imaevm_ctx *ctx, const void *buf,
				    size_t len, int algo, struct imaevm_digest *out)
{
	struct digest_run run;
	int err;

	if (!out || (!buf && len))
		return -EINVAL;
	err = digest_begin(ctx, algo, &run);
	if (err)
		return err;
	if (len && !EVP_DigestUpdate(run.mdctx, buf, len))
		err = -EIO;
	return digest_end(ctx, &run, err, out);
}

/*
 * Read to the end of the file.  @size is its size at fstat time: a short
 * read that ends exactly there is the end (a regular file returns all it
 * has), so the read() that would return 0 is saved, one syscall per small
 * file.  Files whose size says nothing (0 in procfs) are read to the end.
 */
static int digest_read_all(struct imaevm_ctx *ctx, int fd, EVP_MD_CTX *mdctx,
			   off_t size)
{
	unsigned char buf[READ_CHUNK];
	off_t done = 0;
	ssize_t n;

	for (;;) {
		n = read(fd, buf, sizeof(buf));
		if (n == 0)
			return 0;
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (!EVP_DigestUpdate(mdctx, buf, (size_t)n)) {
			imaevm_log_ossl(ctx, LOG_INFO, "digest update");
			return -EIO;
		}
		done += n;
		if ((size_t)n < sizeof(buf) && size > 0 && done == size)
			return 0;
	}
}

IMAEVM_EXPORT int imaevm_digest_fd(struct imaevm_ctx *ctx, int fd, int algo,
				   struct imaevm_digest *out)
{
	struct digest_run run;
	struct stat st;
	int err;

	if (!out || fd < 0)
		return -EINVAL;
	if (fstat(fd, &st) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode)) {
		imaevm_log(ctx, LOG_INFO, "not a regular file (mode 0%o)",
			   (unsigned int)st.st_mode);
		return -EOPNOTSUPP;
	}
	err = digest_begin(ctx, algo, &run);
	if (err)
		return err;
	/* Only a hint; a filesystem that refuses it is still read correctly. */
	if (st.st_size >= FADVISE_MIN)
		(void)posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	err = -EAGAIN;
	if (st.st_size >= READ_AHEAD_MIN)
		err = imaevm_digest_read_ahead(ctx, fd, run.mdctx);
	/* nothing was read when no thread could start: read it here */
	if (err == -EAGAIN)
		err = digest_read_all(ctx, fd, run.mdctx, st.st_size);
	return digest_end(ctx, &run, err, out);
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
