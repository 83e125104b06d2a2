// SPDX-License-Identifier: GPL-2.0-or-later
/* evm-opts.c - parse the EVM options and gather a file's EVM inputs with them applied. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/xattr.h>

#include "evm-opts.h"

/* Strict decimal, as the old tool read these (it used base 10, even for --mode). */
static int parse_u64(const char *opt, const char *arg, uint64_t max, uint64_t *out)
{
	unsigned long long v;
	char *end;

	if (!arg || !*arg || *arg == '-' || *arg == '+')
		goto bad;
	errno = 0;
	v = strtoull(arg, &end, 10);
	if (errno || *end || v > max)
		goto bad;
	*out = v;
	return 0;
bad:
	cli_error(NULL, "--%s: '%s' is not a decimal number up to %llu", opt,
		  arg ? arg : "", (unsigned long long)max);
	return EXIT_USAGE;
}

static int parse_u32(const char *opt, const char *arg, uint32_t *out)
{
	uint64_t v;

	if (parse_u64(opt, arg, UINT32_MAX, &v))
		return EXIT_USAGE;
	*out = (uint32_t)v;
	return 0;
}

/* --ima HEX: any even number of digits, empty included (the old tool's rule) */
static int parse_hex(const char *arg, unsigned char **out, size_t *len)
{
	size_t n = strlen(arg);
	unsigned char *buf = malloc(n / 2 + 1);

	if (!buf)
		return -ENOMEM;
	if (hex_decode(arg, n, buf, n / 2, len)) {
		free(buf);
		return -EINVAL;
	}
	*out = buf;
	return 0;
}

int evm_option(struct evm_opts *o, int code, const char *arg)
{
	uint64_t v;

	switch (code) {
	case OPT_PORTABLE:
		o->portable = true;
		return 0;
	case OPT_SMACK:
		o->smack = true;
		return 0;
	case OPT_M32:
		o->layout = IMAEVM_EVM_M32;
		return 0;
	case OPT_M64:
		o->layout = IMAEVM_EVM_M64;
		return 0;
	case OPT_UUID:
		o->uuid_set = true;
		/* -u alone (old meaning) or --uuid= (empty): no UUID */
		o->no_uuid = !arg || !*arg;
		if (!o->no_uuid && imaevm_uuid_parse(arg, o->uuid)) {
			cli_error(NULL, "--uuid: '%s' is not a UUID (32 hex digits, dashes allowed)",
				  arg);
			return EXIT_USAGE;
		}
		return 0;
	case OPT_INO:
		o->ino_set = true;
		return parse_u64("ino", arg, UINT64_MAX, &o->ino);
	case OPT_UID:
		o->uid_set = true;
		return parse_u32("uid", arg, &o->uid);
	case OPT_GID:
		o->gid_set = true;
		return parse_u32("gid", arg, &o->gid);
	case OPT_MODE:
		o->mode_set = true;
		if (parse_u64("mode", arg, UINT32_MAX, &v))
			return EXIT_USAGE;
		o->mode = (uint32_t)v;
		return 0;
	case OPT_GENERATION:
		o->generation_set = true;
		/* empty: 0, as the old tool */
		if (arg && !*arg) {
			o->generation = 0;
			return 0;
		}
		return parse_u32("generation", arg, &o->generation);
	case OPT_IMA:
		free(o->ima);
		o->ima = NULL;
		o->ima_set = true;
		if (!arg || parse_hex(arg, &o->ima, &o->ima_len)) {
			cli_error(NULL, "--ima: '%s' is not a hex string", arg ? arg : "");
			return EXIT_USAGE;
		}
		return 0;
	case OPT_SELINUX:
		o->selinux = arg ? arg : "";
		return 0;
	case OPT_CAPS:
		o->caps_set = true;
		o->caps = arg ? arg : "";
		return 0;
	case OPT_IMMUTABLE:
		o->immutable = true;
		return 0;
	}
	return OPTION_UNUSED;
}

int evm_sig_type(const struct evm_opts *o)
{
	if (o->immutable && o->portable)
		cli_warn("-i and -o exclude each other: an immutable signature is made");
	if (o->immutable)
		return IMAEVM_EVM_IMMUTABLE_DIGSIG;
	return o->portable ? IMAEVM_XATTR_PORTABLE_DIGSIG : IMAEVM_XATTR_DIGSIG;
}

/*
 * --xattr-user: the value of user.ima, hashed in place of security.ima.  A
 * buffer per thread: the input that points at it is used and released
 * before the same thread collects the next file.
 */
static int user_ima(int fd, const char *path, struct imaevm_evm_input *in)
{
	static __thread unsigned char buf[65536];
	char proc[64];
	ssize_t n;

	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	n = getxattr(proc, "user.ima", buf, sizeof(buf));
	if (n < 0 && errno != ENODATA && errno != ENOTSUP) {
		int err = -errno;	/* before the message can change errno */

		cli_error(path, "cannot read user.ima: %s", strerror(-err));
		return err;
	}
	return imaevm_evm_input_set_xattr(in, "security.ima", n < 0 ? NULL : buf,
					  n < 0 ? 0 : (size_t)n);
}

void evm_opts_free(struct evm_opts *o)
{
	free(o->ima);
	o->ima = NULL;
}

int evm_open_entry(const struct walk_entry *e, bool recursive, int *fd)
{
	if (!e->operand && !S_ISREG(e->st.st_mode))
		return 1;
	if (e->operand && S_ISDIR(e->st.st_mode) && recursive)
		return 1;
	*fd = evm_open(e);
	return *fd < 0 ? *fd : 0;
}

int evm_open(const struct walk_entry *e)
{
	struct stat st;
	int fd;

	if (S_ISREG(e->st.st_mode)) {
		fd = open_entry(e, NULL);	/* checked against the walk's stat there */
	} else {
		fd = openat(e->dirfd, e->name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0) {
			fd = -errno;
		} else if (fstat(fd, &st) < 0 || st.st_dev != e->st.st_dev ||
			   st.st_ino != e->st.st_ino) {
			close(fd);
			fd = -ESTALE;
		}
	}
	if (fd < 0)
		cli_error(e->path, "cannot open: %s", fd == -ESTALE ?
			  "file was replaced during the walk" : strerror(-fd));
	return fd;
}

static const char *collect_error(int err)
{
	switch (err) {
	case -ENOTTY:
		return "the filesystem cannot report the inode generation "
		       "(use --generation or --portable)";
	case -ENODEV:
		return "no block device to read the filesystem UUID from "
		       "(use --uuid=UUID, or --uuid= for none)";
	case -ENODATA:
		return "no filesystem UUID found on the device (use --uuid)";
	case -EOPNOTSUPP:
		return "the filesystem UUID is not 128 bits (use --uuid)";
	case -EACCES:
	case -EPERM:
		return "cannot read the block device for the filesystem UUID "
		       "(root needed, or use --uuid)";
	}
	return imaevm_strerror(err);
}

/* The walk's worker threads share the per-device UUID cache of struct evm_opts. */
static pthread_mutex_t uuid_lock = PTHREAD_MUTEX_INITIALIZER;

/* The filesystem UUID of @fd's device into @uuid, probed once per device. */
static int device_uuid(struct evmctl *g, struct evm_opts *o, int fd,
		       unsigned char *uuid)
{
	struct stat st;
	int err = 0;

	if (fstat(fd, &st) < 0)
		return -errno;
	pthread_mutex_lock(&uuid_lock);
	if (!o->uuid_cached || o->uuid_dev != (uint64_t)st.st_dev) {
		o->uuid_cached = false;
		err = imaevm_fs_uuid(g->ctx, st.st_dev, o->uuid_of_dev);
		if (!err) {
			o->uuid_cached = true;
			o->uuid_dev = st.st_dev;
		}
	}
	if (!err)
		memcpy(uuid, o->uuid_of_dev, IMAEVM_UUID_SIZE);
	pthread_mutex_unlock(&uuid_lock);
	return err;
}

int evm_collect(struct evmctl *g, struct evm_opts *o, int type, int fd,
		const char *path, struct imaevm_evm_input *in)
{
	/* an immutable digest leaves out what a portable one does */
	bool portable = type == IMAEVM_XATTR_PORTABLE_DIGSIG ||
			type == IMAEVM_EVM_IMMUTABLE_DIGSIG;
	bool want_uuid = !portable && !o->uuid_set;
	unsigned int flags = o->smack ? IMAEVM_EVM_SMACK : 0;
	int err = 0;

	/* what a portable digest leaves out, or an override replaces, is not
	 * read; the UUID is looked up here, once per device, not per file */
	flags |= IMAEVM_EVM_NO_UUID;
	if (portable || o->generation_set)
		flags |= IMAEVM_EVM_NO_GENERATION;
	err = imaevm_evm_input_from_fd(g->ctx, fd, flags, in);
	if (!err && want_uuid && (err = device_uuid(g, o, fd, in->uuid)))
		imaevm_evm_input_release(in);
	if (err) {
		cli_error(path, "%s", collect_error(err));
		return err;
	}
	if (want_uuid)
		in->has_uuid = 1;
	in->layout = o->layout;
	if (o->uuid_set && !o->no_uuid) {
		memcpy(in->uuid, o->uuid, sizeof(in->uuid));
		in->has_uuid = 1;
	}
	if (o->ino_set)
		in->ino = o->ino;
	if (o->uid_set)
		in->uid = o->uid;
	if (o->gid_set)
		in->gid = o->gid;
	if (o->mode_set)
		imaevm_evm_input_set_mode(in, o->mode);
	if (o->generation_set)
		in->generation = o->generation;
	if (o->ima_set)
		imaevm_evm_input_set_xattr(in, "security.ima", o->ima, o->ima_len);
	else if (o->xattr_user && (err = user_ima(fd, path, in))) {
		imaevm_evm_input_release(in);
		return err;
	}
	if (o->selinux)	/* the kernel's SELinux labels end with their NUL */
		imaevm_evm_input_set_xattr(in, "security.selinux", o->selinux,
					   strlen(o->selinux) + 1);
	if (o->caps_set)
		imaevm_evm_input_set_xattr(in, "security.capability",
					   *o->caps ? o->caps : NULL, strlen(o->caps));
	return 0;
}

int evm_file_digest(struct evmctl *g, struct evm_opts *o, int type, int algo,
		    int fd, const char *path, struct imaevm_digest *out)
{
	struct imaevm_evm_input in;
	int err;

	err = evm_collect(g, o, type, fd, path, &in);
	if (err)
		return err;
	err = imaevm_evm_digest(g->ctx, &in, type, algo, out);
	imaevm_evm_input_release(&in);
	if (err)
		cli_error(path, "%s", err == -ENODATA ?
			  "a portable EVM signature needs security.ima" :
			  imaevm_strerror(err));
	return err;
}
