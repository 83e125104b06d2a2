// SPDX-License-Identifier: GPL-2.0-or-later
/* label.c - writing labels through the fd that was hashed, with clear errors. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>

#include "evmctl.h"
#include "label.h"
#include "walk.h"

static const char *xattr_error(int err, const char *name)
{
	switch (err) {
	case EOPNOTSUPP:
		return "the filesystem does not support these xattrs";
	case EPERM:
		return strncmp(name, "security.", 9) ?
		       "not permitted" :
		       "not permitted (security.* xattrs need CAP_SYS_ADMIN; try --xattr-user)";
	case ENOSPC:
	case EDQUOT:
		return "no space for the xattr";
	case E2BIG:
		return "value too large for the filesystem";
	}
	return strerror(err);
}

int label_write(int fd, const char *path, const char *name,
		const void *value, size_t len)
{
	int err;

	if (fsetxattr(fd, name, value, len, 0) == 0)
		return 0;
	err = errno;	/* the message may change errno */
	cli_error(path, "cannot write %s: %s", name, xattr_error(err, name));
	return -err;
}

int label_write_any(int fd, const struct walk_entry *e, const char *name,
		    const void *value, size_t len)
{
	char proc[64];
	int err;

	if (S_ISREG(e->st.st_mode))
		return label_write(fd, e->path, name, value, len);
	/* an O_PATH fd: set through /proc, which names exactly that inode */
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	if (setxattr(proc, name, value, len, 0) == 0)
		return 0;
	err = errno;
	cli_error(e->path, "cannot write %s: %s", name, xattr_error(err, name));
	return -err;
}

int label_print(const struct walk_entry *e, bool show_path,
		const unsigned char *value, size_t len)
{
	/* a line per file: formatted by hand, it costs no vsnprintf() */
	size_t path_len = show_path ? strlen(e->path) : 0;
	size_t n = 2 * len + (show_path ? 2 + path_len : 0) + 1;
	char *line = walk_reserve(e, n), *p = line;

	if (!line) {
		cli_error(e->path, "out of memory");
		return -ENOMEM;
	}
	hex_encode(value, len, p);
	p += 2 * len;
	if (show_path) {
		memcpy(p, "  ", 2);
		memcpy(p + 2, e->path, path_len);
		p += 2 + path_len;
	}
	*p = '\n';
	walk_commit(e, n);
	return 0;
}
