/* SPDX-License-Identifier: GPL-2.0-or-later */
/* evm-opts.h - the EVM options (overrides, layout, UUID) shared by sign, verify, hmac, evm_digest. */
#ifndef EVMCTL_EVM_OPTS_H
#define EVMCTL_EVM_OPTS_H

#include <stdbool.h>
#include <stdint.h>

#include "evmctl.h"
#include "walk.h"

/* What the EVM options of one command line asked for. */
struct evm_opts {
	bool portable;		/* -o: type 0x05, no inode/generation/UUID */
	bool immutable;		/* -i: 1.6.2's immutable signature (type 0x03 v3) */
	bool xattr_user;	/* --xattr-user: user.ima stands for security.ima */
	bool smack;		/* --smack: the extra SMACK xattrs */
	int layout;		/* enum imaevm_evm_layout (--m32, --m64) */
	bool uuid_set;		/* --uuid given */
	bool no_uuid;		/* --uuid without a value, or empty */
	unsigned char uuid[IMAEVM_UUID_SIZE];
	bool ino_set, uid_set, gid_set, mode_set, generation_set;
	uint64_t ino;
	uint32_t uid, gid, mode, generation;
	bool ima_set;		/* --ima=HEX */
	unsigned char *ima;	/* decoded value (owned) */
	size_t ima_len;
	const char *selinux;	/* --selinux=LABEL (hashed with its NUL) */
	bool caps_set;		/* --caps given */
	const char *caps;	/* hashed as the bytes of the string; "" none */
	/* filesystem UUID of the last device seen: probed once per device */
	bool uuid_cached;
	uint64_t uuid_dev;
	unsigned char uuid_of_dev[IMAEVM_UUID_SIZE];
};

/*
 * evm_option() - take an EVM option (OPT_PORTABLE .. OPT_CAPS).
 * Return: 0, OPTION_UNUSED for other codes, EXIT_USAGE (message printed).
 */
int evm_option(struct evm_opts *o, int code, const char *arg);
/*
 * evm_sig_type() - the signature -o/-i ask for: IMAEVM_XATTR_DIGSIG,
 * IMAEVM_XATTR_PORTABLE_DIGSIG or IMAEVM_EVM_IMMUTABLE_DIGSIG (which wins
 * over -o, with a warning, as in the old tool).
 */
int evm_sig_type(const struct evm_opts *o);
void evm_opts_free(struct evm_opts *o);

/*
 * evm_open() - open a walk entry for EVM: regular files for reading, every
 * other type as an O_PATH descriptor (the library reads through it).
 * Return: the fd or -errno (-ESTALE if swapped); reported.
 */
int evm_open(const struct walk_entry *e);

/*
 * evm_open_entry() - the start of every EVM command: in a walk only regular
 * files, operands of any type (as the old tool), directory operands of a
 * recursive run only walked.  Return: 0 with *fd open, 1 when passed over,
 * or -errno (reported).
 */
int evm_open_entry(const struct walk_entry *e, bool recursive, int *fd);

/*
 * evm_collect() - the EVM inputs of the file open as @fd with the command
 * line's overrides applied, for a signature of @type (0x03 or 0x05) or an
 * HMAC (0x02).  Reports failures naming @path.  Release @in with
 * imaevm_evm_input_release().  Return: 0 or a negative errno.
 */
int evm_collect(struct evmctl *g, struct evm_opts *o, int type, int fd,
		const char *path, struct imaevm_evm_input *in);

/*
 * evm_file_digest() - evm_collect() + imaevm_evm_digest(): the digest an EVM
 * signature of @type (IMAEVM_XATTR_DIGSIG or _PORTABLE_DIGSIG) made with
 * @algo signs.  This is what `sign` signs and `verify` checks a signature
 * against.  Reports failures naming @path.  Return: 0 or a negative errno.
 */
int evm_file_digest(struct evmctl *g, struct evm_opts *o, int type, int algo,
		    int fd, const char *path, struct imaevm_digest *out);

#endif /* EVMCTL_EVM_OPTS_H */
