// SPDX-License-Identifier: GPL-2.0-or-later
/* cmd-evm-verify.c - `evmctl verify`: check the EVM signature in security.evm of files. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/xattr.h>

#include "evm-cmds.h"
#include "evm-opts.h"
#include "label.h"
#include "verify-tally.h"
#include "walk.h"

#define EVM_XATTR_MAX 65536

struct evm_verify_cmd {
	struct evmctl *g;
	struct evm_opts evm;
	struct verify_tally tally;
};

static int evm_verify_option(void *state, int code, const char *arg)
{
	struct evm_verify_cmd *c = state;

	switch (code) {
	/* accepted as the old tool did: the signature's type says whether it
	 * is portable, and its header which algorithm it used */
	case OPT_PORTABLE:
		return 0;
	}
	return evm_option(&c->evm, code, arg);
}

/* security.evm (or user.evm) of the open file; other types through /proc. */
static int read_evm(struct evm_verify_cmd *c, int fd, const struct walk_entry *e,
		    unsigned char **value, size_t *len)
{
	const char *name = evm_xattr_name(c->g->xattr_user);
	unsigned char *buf = malloc(EVM_XATTR_MAX);
	char proc[64];
	ssize_t n;

	if (!buf) {
		cli_error(e->path, "out of memory");
		return -ENOMEM;
	}
	if (S_ISREG(e->st.st_mode)) {
		n = fgetxattr(fd, name, buf, EVM_XATTR_MAX);
	} else {
		snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
		n = getxattr(proc, name, buf, EVM_XATTR_MAX);
	}
	if (n < 0) {
		int err = -errno;

		free(buf);
		if (err == -ENODATA) {
			cli_error(e->path, "no EVM signature (%s is not set)", name);
			tally_fail(&c->tally, VR_NO_LABEL);
		} else {
			cli_error(e->path, "cannot read %s: %s", name, strerror(-err));
			tally_fail(&c->tally, VR_UNREADABLE);
		}
		return err;
	}
	*value = buf;
	*len = (size_t)n;
	return 0;
}

/* Is the parsed value one this command can check?  Reports why not. */
static int check_type(const struct walk_entry *e, const struct imaevm_xattr_info *info)
{
	switch (info->type) {
	case IMAEVM_XATTR_DIGSIG:
		if (info->sig_version == 1) {
			/* the old tool's --rsa form: it records no digest algorithm */
			cli_error(e->path, "unsupported: security.evm holds a signature v1 "
				  "(legacy --rsa format); only v2 EVM signatures are checked");
			return -EOPNOTSUPP;
		}
		return 0;
	case IMAEVM_XATTR_PORTABLE_DIGSIG:
	case IMAEVM_EVM_IMMUTABLE_DIGSIG:
		return 0;
	case IMAEVM_XATTR_HMAC:
		cli_error(e->path, "no EVM signature: security.evm holds an HMAC "
			  "(only the kernel, with its EVM key, can check it)");
		break;
	default:
		cli_error(e->path, "no EVM signature: security.evm holds a value of type 0x%02x",
			  info->type);
	}
	return -ENODATA;
}

static int verify_fd(struct evm_verify_cmd *c, int fd, const struct walk_entry *e)
{
	struct imaevm_verify_result r = { 0 };
	struct imaevm_xattr_info info;
	struct imaevm_digest d;
	unsigned char *value = NULL;
	size_t len = 0;
	int algo, err;

	err = read_evm(c, fd, e, &value, &len);
	if (err)
		return err;
	err = imaevm_evm_sig_parse(value, len, &info);
	if (err == -EOPNOTSUPP) {
		cli_error(e->path, "unsupported algorithm (hash id %u)", len > 2 ? value[2] : 0);
		tally_fail(&c->tally, VR_UNSUPPORTED);
		goto out;
	}
	if (err) {
		cli_error(e->path, "malformed security.evm: %s", imaevm_strerror(err));
		tally_fail(&c->tally, VR_MALFORMED);
		goto out;
	}
	err = check_type(e, &info);
	if (err) {
		tally_fail(&c->tally, err == -EOPNOTSUPP ? VR_UNSUPPORTED : VR_NO_SIGNATURE);
		goto out;
	}
	algo = info.hash_algo;
	err = evm_file_digest(c->g, &c->evm, info.type, algo, fd, e->path, &d);
	if (err)
		goto out;
	if (c->g->verbose) {
		flockfile(stderr);
		fprintf(stderr, "evmctl: %s: EVM digest(%s): ", e->path,
			imaevm_hash_algo_name(algo));
		print_hex(stderr, d.value, d.len);
		fputc('\n', stderr);
		funlockfile(stderr);
	}
	err = imaevm_evm_verify_sig(c->g->ctx, c->g->keyset, value, len, &d, &r);
	tally_verdict(&c->tally, c->g, e, err, &info, &r,
		      "bad signature: the file's metadata or protected xattrs differ from what was signed");
out:
	free(value);
	return err;
}

static int evm_verify_entry(void *arg, const struct walk_entry *e)
{
	struct evm_verify_cmd *c = arg;
	int fd, err;

	err = evm_open_entry(e, c->g->walk.recursive, &fd);
	if (err)
		return tally_unopened(&c->tally, e, err);
	err = verify_fd(c, fd, e);
	close(fd);
	return err;
}

int cmd_evm_verify(struct evmctl *g, const struct command *cmd, int argc,
		   const char **argv)
{
	struct evm_verify_cmd c = { .g = g };
	const char **files;
	unsigned long failed;
	int err;

	err = cli_parse(g, cmd, evm_verify_option, &c, &files);
	if (err)
		goto out;
	c.evm.xattr_user = g->xattr_user;
	failed = walk_paths(files, &g->walk, evm_verify_entry, &c);
	if (g->walk.recursive)
		tally_print(stdout, &c.tally, failed);
	err = failed ? EXIT_FAILED : EXIT_OK;
out:
	evm_opts_free(&c.evm);
	return err;
}

const struct poptOption *const groups_evm_verify[] = {
	opts_verify_key, opts_evm, opts_recursive, opts_jobs, opts_xattr_user, NULL
};
