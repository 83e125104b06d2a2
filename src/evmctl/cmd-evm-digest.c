// SPDX-License-Identifier: GPL-2.0-or-later
/* cmd-evm-digest.c - `evmctl evm_digest` (the digest EVM signatures sign) and `evmctl hmac`. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/xattr.h>

#include "evm-cmds.h"
#include "evm-opts.h"
#include "input.h"
#include "keys.h"
#include "label.h"
#include "walk.h"

#define DEFAULT_HMAC_KEY "/etc/keys/evm-key-plain"
#define EVM_HMAC_KEY_MAX 128

struct evm_cmd {
	struct evmctl *g;
	struct evm_opts evm;
	const char *algo_name;
	int algo;
	bool hmac;		/* hmac, else evm_digest */
	const char *keyfile;
	unsigned char hmac_key[EVM_HMAC_KEY_MAX];
	size_t keylen;
	bool show_path;
	int type;		/* evm_digest: evm_sig_type() */
};

static int evm_cmd_option(void *state, int code, const char *arg)
{
	struct evm_cmd *c = state;

	switch (code) {
	case OPTIONS_DONE:
		if (!c->hmac)
			return 0;
		if (c->evm.portable || c->evm.immutable) {
			cli_error(NULL, "hmac: an HMAC cannot be %s",
				  c->evm.portable ? "portable" : "immutable");
			return EXIT_USAGE;
		}
		/* the HMAC is always hmac(sha1), as the kernel's: -a is for --imahash */
		if (c->g->algo_given && !c->g->imasig && !c->g->imahash)
			cli_warn("option --hashalgo has no effect with hmac without --imahash or --imasig "
				 "(the HMAC is hmac(sha1))");
		return 0;
	case OPT_HMACKEY:
		c->keyfile = arg;
		return 0;
	}
	return evm_option(&c->evm, code, arg);
}

/* The old tool wrote any file type it was given; so do we, the right way for each. */
static int write_evm(struct evm_cmd *c, int fd, const struct walk_entry *e,
		     const unsigned char *value, size_t len)
{
	return label_write_any(fd, e, evm_xattr_name(c->g->xattr_user), value, len);
}

static void print_line(struct evm_cmd *c, const unsigned char *v, size_t len,
		       const char *path)
{
	flockfile(stdout);
	print_hex(stdout, v, len);
	if (c->show_path)
		printf("  %s", path);
	putchar('\n');
	funlockfile(stdout);
}

/*
 * hmac --imahash/--imasig: the IMA value of a regular file's content,
 * written first (unless -n) and printed; *value is what the HMAC covers.
 */
static int hmac_ima(struct evm_cmd *c, int fd, const struct walk_entry *e,
		    unsigned char **value, size_t *len)
{
	struct imaevm_digest d;
	unsigned int tries = 0;
	int err;

	if (!S_ISREG(e->st.st_mode)) {
		cli_error(e->path, "--%s: only regular files have content to label (this is a %s)",
			  c->g->imasig ? "imasig" : "imahash", file_type_name(e->st.st_mode));
		return -EOPNOTSUPP;
	}
	do
		err = imaevm_digest_fd(c->g->ctx, fd, c->algo, &d);
	while (digest_again(fd, err, &tries));
	if (err == -ESTALE) {
		cli_error(e->path, "changed while it was read; not labelled");
		return err;
	}
	if (!err && c->g->imasig)
		err = imaevm_sign_digest(c->g->ctx, c->g->signing_key, &d, 2, value, len);
	else if (!err)
		err = imaevm_xattr_encode_digest(&d, value, len);
	if (err) {
		cli_error(e->path, "cannot make the IMA %s: %s",
			  c->g->imasig ? "signature" : "digest", imaevm_strerror(err));
		return err;
	}
	if (!c->g->print_only)
		err = label_write(fd, e->path, ima_xattr_name(c->g->xattr_user), *value, *len);
	if (!err)
		print_line(c, *value, *len, e->path);
	if (err) {
		imaevm_free(*value);
		*value = NULL;
	}
	return err;
}

static int evm_entry(void *arg, const struct walk_entry *e)
{
	struct evm_cmd *c = arg;
	int type = c->hmac ? IMAEVM_XATTR_HMAC : c->type;
	struct imaevm_evm_input in;
	struct imaevm_digest d;
	unsigned char *value = NULL, *ima = NULL;
	size_t len = 0, ima_len = 0;
	int fd, err;

	err = evm_open_entry(e, c->g->walk.recursive, &fd);
	if (err)
		return err > 0 ? 0 : err;
	if (!c->hmac) {
		err = evm_file_digest(c->g, &c->evm, type, c->algo, fd, e->path, &d);
		if (!err)
			print_line(c, d.value, d.len, e->path);
		close(fd);
		return err;
	}
	if ((c->g->imasig || c->g->imahash) && (err = hmac_ima(c, fd, e, &ima, &ima_len))) {
		close(fd);
		return err;
	}
	err = evm_collect(c->g, &c->evm, type, fd, e->path, &in);
	if (err) {
		imaevm_free(ima);
		close(fd);
		return err;
	}
	if (ima)	/* what was written; with -n, what would have been */
		imaevm_evm_input_set_xattr(&in, "security.ima", ima, ima_len);
	err = imaevm_evm_hmac(c->g->ctx, &in, c->hmac_key, c->keylen, &d);
	imaevm_evm_input_release(&in);
	imaevm_free(ima);
	if (err) {
		cli_error(e->path, "%s", imaevm_strerror(err));
	} else {
		/* 1.6.2's -v line, which scripts read (its evm_hmac.test does) */
		if (c->g->verbose) {
			flockfile(stderr);
			fputs("hmac: ", stderr);
			print_hex(stderr, d.value, d.len);
			fputc('\n', stderr);
			funlockfile(stderr);
		}
		err = imaevm_xattr_encode_hmac(&d, &value, &len);
		if (err)
			cli_error(e->path, "%s", imaevm_strerror(err));
		else if (!c->g->print_only)
			err = write_evm(c, fd, e, value, len);
		if (!err)
			print_line(c, value, len, e->path);
		imaevm_free(value);
	}
	close(fd);
	return err;
}

static int read_key(struct evm_cmd *c)
{
	unsigned char *buf;
	size_t n = 0;
	int fd, err;

	/* a regular file only: a FIFO would block, a device never end */
	fd = input_open(c->keyfile, &input_hmac_key);
	if (fd < 0)
		return -1;
	err = read_fd_all(fd, EVM_HMAC_KEY_MAX, &buf, &n);
	close(fd);
	if (err && err != -EFBIG) {
		cli_error(c->keyfile, "cannot read the HMAC key: %s", strerror(-err));
		return -1;
	}
	if (err || n == 0) {
		if (!err)
			free(buf);
		cli_error(c->keyfile, "an EVM HMAC key has 1 to %d bytes, this one %s",
			  EVM_HMAC_KEY_MAX, err ? "more" : "none");
		return -1;
	}
	memcpy(c->hmac_key, buf, n);
	c->keylen = n;
	explicit_bzero(buf, n);
	free(buf);
	return 0;
}

static int run_evm(struct evmctl *g, const struct command *cmd, int argc,
		   const char **argv, bool hmac)
{
	struct evm_cmd c = {
		.g = g, .hmac = hmac, .keyfile = DEFAULT_HMAC_KEY,
	};
	const char **files;
	unsigned long failed;
	int err;

	err = cli_parse(g, cmd, evm_cmd_option, &c, &files);
	if (err)
		goto out;
	c.algo = g->algo;
	c.algo_name = g->algo_name;
	c.evm.xattr_user = g->xattr_user;
	if (!hmac)
		c.type = evm_sig_type(&c.evm);
	err = EXIT_FAILED;
	if (hmac && read_key(&c))
		goto out;
	/* freed by run() */
	if (hmac && g->imasig && load_signing_key(g, &g->key, &g->signing_key))
		goto out;
	c.show_path = g->walk.recursive || files[1];
	failed = walk_paths(files, &g->walk, evm_entry, &c);
	err = failed ? EXIT_FAILED : EXIT_OK;
out:
	memset(c.hmac_key, 0, sizeof(c.hmac_key));
	evm_opts_free(&c.evm);
	return err;
}

int cmd_evm_digest(struct evmctl *g, const struct command *cmd, int argc,
		   const char **argv)
{
	return run_evm(g, cmd, argc, argv, false);
}

int cmd_hmac(struct evmctl *g, const struct command *cmd, int argc,
	     const char **argv)
{
	return run_evm(g, cmd, argc, argv, true);
}

const struct poptOption *const groups_evm_digest[] = {
	opts_hash, opts_evm, opts_recursive, NULL
};
const struct poptOption *const groups_hmac[] = {
	opts_hmackey, opts_evm_sign_key, opts_hash, opts_private_key, opts_evm, opts_noxattr,
	opts_xattr_user, opts_recursive, NULL
};
