// SPDX-License-Identifier: LGPL-2.1-or-later
/* evm-file.c - collect a file's EVM inputs: xattrs, inode data, generation, fs UUID. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <blkid/blkid.h>

#include "internal.h"

/* What imaevm_evm_input_from_fd() allocated: one buffer per xattr read. */
struct evm_storage {
	unsigned char *values[IMAEVM_EVM_MAX_XATTRS];
};

IMAEVM_EXPORT void imaevm_evm_input_release(struct imaevm_evm_input *in)
{
	struct evm_storage *st;
	size_t i;

	if (!in || !in->storage)
		return;
	st = in->storage;
	for (i = 0; i < IMAEVM_EVM_MAX_XATTRS; i++)
		free(st->values[i]);
	free(st);
	in->storage = NULL;
}

/* fgetxattr, or through /proc/self/fd for O_PATH descriptors. */
static ssize_t get_xattr(int fd, const char *name, void *buf, size_t size)
{
	char proc[64];
	ssize_t n;

	n = fgetxattr(fd, name, buf, size);
	if (n >= 0 || errno != EBADF)
		return n;
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	return getxattr(proc, name, buf, size);
}

/* flistxattr, or through /proc/self/fd for O_PATH descriptors. */
static ssize_t list_xattrs(int fd, char *buf, size_t size)
{
	char proc[64];
	ssize_t n;

	n = flistxattr(fd, buf, size);
	if (n >= 0 || errno != EBADF)
		return n;
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	return listxattr(proc, buf, size);
}

/*
 * Which of @in's xattrs the file has, as a bit mask, from one listing (most
 * files have few of them, so this saves a lookup per absent name).
 * Returns -1 when the list cannot be had: then every name is tried.
 */
static long present_xattrs(int fd, const struct imaevm_evm_input *in)
{
	char stackbuf[1024], *buf = stackbuf, *p;
	ssize_t n = list_xattrs(fd, stackbuf, sizeof(stackbuf));
	long mask = 0;
	size_t i;

	if (n < 0 && errno == ERANGE) {
		n = list_xattrs(fd, NULL, 0);
		buf = n > 0 ? malloc((size_t)n) : NULL;
		n = buf ? list_xattrs(fd, buf, (size_t)n) : -1;
	}
	if (n < 0) {
		if (buf != stackbuf)
			free(buf);
		return errno == EOPNOTSUPP || errno == ENOTSUP ? 0 : -1;
	}
	for (p = buf; p < buf + n; p += strlen(p) + 1)
		for (i = 0; i < in->n_xattrs; i++)
			if (!strcmp(p, in->xattrs[i].name))
				mask |= 1L << i;
	if (buf != stackbuf)
		free(buf);
	return mask;
}

/* Read xattr @name whole into a new buffer; 0 and NULL when absent. */
static int read_xattr(struct imaevm_ctx *ctx, int fd, const char *name,
		      unsigned char **value, size_t *len)
{
	unsigned char *buf = NULL, *grown;
	ssize_t size, n;

	*value = NULL;
	*len = 0;
	for (;;) {
		size = get_xattr(fd, name, NULL, 0);
		if (size < 0)
			break;
		grown = realloc(buf, size ? (size_t)size : 1);
		if (!grown) {
			free(buf);
			return -ENOMEM;
		}
		buf = grown;
		n = get_xattr(fd, name, buf, (size_t)size);
		if (n >= 0) {
			*value = buf;
			*len = (size_t)n;
			return 0;
		}
		if (errno != ERANGE)	/* ERANGE: it grew meanwhile */
			break;
	}
	free(buf);
	if (errno == ENODATA || errno == EOPNOTSUPP)
		return 0;
	imaevm_log(ctx, LOG_INFO, "cannot read %s: %s", name, strerror(errno));
	return -errno;
}

IMAEVM_EXPORT int imaevm_fs_uuid(struct imaevm_ctx *ctx, uint64_t dev,
				 unsigned char uuid[IMAEVM_UUID_SIZE])
{
	unsigned int maj = major(dev), min = minor(dev);
	const char *value = NULL;
	blkid_probe pr;
	char *devname;
	size_t len = 0;
	int rc, err;

	if (!uuid)
		return -EINVAL;
	devname = blkid_devno_to_devname((dev_t)dev);
	if (!devname) {
		imaevm_log(ctx, LOG_INFO, "no block device %u:%u for a filesystem UUID",
			   maj, min);
		return -ENODEV;
	}
	errno = 0;
	pr = blkid_new_probe_from_filename(devname);
	if (!pr) {
		err = errno ? -errno : -EIO;
		imaevm_log(ctx, LOG_INFO, "cannot probe %s: %s", devname, strerror(-err));
		free(devname);
		return err;
	}
	blkid_probe_enable_superblocks(pr, 1);
	blkid_probe_set_superblocks_flags(pr, BLKID_SUBLKS_UUID | BLKID_SUBLKS_TYPE);
	rc = blkid_do_safeprobe(pr);
	if (rc == 0 && blkid_probe_lookup_value(pr, "UUID", &value, &len) == 0 &&
	    value) {
		err = imaevm_uuid_parse(value, uuid) ? -EOPNOTSUPP : 0;
		if (err)
			imaevm_log(ctx, LOG_INFO, "%s: UUID %s is not 128 bits",
				   devname, value);
		else
			imaevm_log(ctx, LOG_DEBUG, "%s: UUID %s", devname, value);
	} else {
		err = -ENODATA;
		imaevm_log(ctx, LOG_INFO, "%s: no filesystem UUID found", devname);
	}
	blkid_free_probe(pr);
	free(devname);
	return err;
}

/* FS_IOC_GETVERSION stores an int, whatever its _IOR size says. */
static int read_generation(struct imaevm_ctx *ctx, int fd, uint32_t *gen)
{
	int value = 0, rc, tmpfd = -1;
	char proc[64];

	rc = ioctl(fd, FS_IOC_GETVERSION, &value);
	if (rc < 0 && errno == EBADF) {
		/* an O_PATH descriptor: ask through a real one */
		snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
		tmpfd = open(proc, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
		rc = tmpfd < 0 ? -1 : ioctl(tmpfd, FS_IOC_GETVERSION, &value);
		if (tmpfd >= 0) {
			int saved = errno;

			close(tmpfd);
			errno = saved;
		}
	}
	if (rc < 0) {
		int err = -errno;

		imaevm_log(ctx, LOG_INFO, "cannot read the inode generation: %s",
			   strerror(errno));
		return err == -EINVAL || err == -EOPNOTSUPP ? -ENOTTY : err;
	}
	*gen = (uint32_t)value;
	return 0;
}

IMAEVM_EXPORT int imaevm_evm_input_from_fd(struct imaevm_ctx *ctx, int fd,
					   unsigned int flags,
					   struct imaevm_evm_input *in)
{
	struct imaevm_evm_input tmp;
	struct evm_storage *st;
	struct stat sb;
	long present;
	size_t i;
	int err = 0;

	if (!ctx || fd < 0 || !in)
		return -EINVAL;
	if (fstat(fd, &sb) < 0)
		return -errno;
	imaevm_evm_input_init(&tmp, flags);
	st = calloc(1, sizeof(*st));
	if (!st)
		return -ENOMEM;
	tmp.storage = st;
	present = present_xattrs(fd, &tmp);
	for (i = 0; i < tmp.n_xattrs && !err; i++) {
		if (present >= 0 && !(present & (1L << i)))
			continue;
		err = read_xattr(ctx, fd, tmp.xattrs[i].name, &st->values[i],
				 &tmp.xattrs[i].len);
		tmp.xattrs[i].value = st->values[i];
	}
	tmp.ino = sb.st_ino;
	tmp.uid = sb.st_uid;
	tmp.gid = sb.st_gid;
	tmp.mode = sb.st_mode;
	/* the old evmctl reads generations of files and directories only */
	if (!err && !(flags & IMAEVM_EVM_NO_GENERATION) &&
	    (S_ISREG(sb.st_mode) || S_ISDIR(sb.st_mode)))
		err = read_generation(ctx, fd, &tmp.generation);
	if (!err && !(flags & IMAEVM_EVM_NO_UUID)) {
		err = imaevm_fs_uuid(ctx, sb.st_dev, tmp.uuid);
		tmp.has_uuid = !err;
	}
	if (err) {
		imaevm_evm_input_release(&tmp);
		return err;
	}
	*in = tmp;
	return 0;
}
