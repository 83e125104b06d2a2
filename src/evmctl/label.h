/* SPDX-License-Identifier: GPL-2.0-or-later */
/* label.h - writing security.ima/security.evm labels through an open fd. */
#ifndef EVMCTL_LABEL_H
#define EVMCTL_LABEL_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <unistd.h>

#define XATTR_IMA_SECURITY "security.ima"
#define XATTR_IMA_USER "user.ima"
#define XATTR_EVM_SECURITY "security.evm"
#define XATTR_EVM_USER "user.evm"

static inline const char *ima_xattr_name(bool user)
{
	return user ? XATTR_IMA_USER : XATTR_IMA_SECURITY;
}

static inline const char *evm_xattr_name(bool user)
{
	return user ? XATTR_EVM_USER : XATTR_EVM_SECURITY;
}

/*
 * label_write() - set xattr @name on the file open as @fd, in one call, so
 * the old value stays whole if the write fails.  Reports failures naming
 * @path.  Return: 0 or -errno.
 */
int label_write(int fd, const char *path, const char *name,
		const void *value, size_t len);

/*
 * Reads of a file's content a label is made from, when it changes while
 * it is read (-ESTALE from the library): the first and three more.
 */
#define DIGEST_TRIES 4

/*
 * digest_again() - whether to make the digest of the file open as @fd
 * again after @err: it changed while it was read and *@tries (counted
 * here) are not used up.  Rewinds @fd for the next read.
 */
static inline bool digest_again(int fd, int err, unsigned int *tries)
{
	return err == -ESTALE && ++*tries < DIGEST_TRIES && lseek(fd, 0, SEEK_SET) == 0;
}

struct walk_entry;

/*
 * label_write_any() - label_write() for a walk entry of any file type: a
 * regular file through @fd, others (@fd is O_PATH) through /proc, which
 * names exactly that inode.  Return: 0 or -errno (reported).
 */
int label_write_any(int fd, const struct walk_entry *e, const char *name,
		    const void *value, size_t len);

/*
 * label_print() - print a label value as hex for @e, in walk order: the
 * bare value (as the old tool prints one file), or "VALUE  PATH" when
 * @show_path (several operands or a tree).  Return: 0 or -ENOMEM (reported).
 */
int label_print(const struct walk_entry *e, bool show_path,
		const unsigned char *value, size_t len);

#endif /* EVMCTL_LABEL_H */
