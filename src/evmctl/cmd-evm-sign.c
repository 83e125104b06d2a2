// SPDX-License-Identifier: GPL-2.0-or-later
/* cmd-evm-sign.c - `evmctl sign`: EVM signatures (type 0x03, portable 0x05) into security.evm. */
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
#include "walk.h"

struct evm_sign_cmd {
	struct evmctl *g;
	struct evm_opts evm;
	const char *algo_name;
	int algo;
	int type;		/* evm_sig_type() */
	bool show_path;
};

static int evm_sign_option(void *state, int code, const char *arg)
{
	struct evm_sign_cmd *c = state;

	return evm_option(&c->evm, code, arg);
}

/*
 * --imahash/--imasig: label the content first, so the EVM digest covers it.
 * @d is the content digest the walk made; NULL for other than regular files.
 */
static int write_ima(struct evm_sign_cmd *c, int fd, const struct walk_entry *e,
		     const struct imaevm_digest *d, unsigned char **valuep, size_t *lenp)
{
	unsigned char *value = NULL;
	size_t len;
	int err;

	if (!d) {
		cli_error(e->path, "--%s: only regular files have content to label (this is a %s)",
			  c->g->imasig ? "imasig" : "imahash", file_type_name(e->st.st_mode));
		return -EOPNOTSUPP;
	}
	if (c->g->imasig)
		err = imaevm_sign_digest(c->g->ctx, c->g->signing_key, d, 2, &value, &len);
	else
		err = imaevm_xattr_encode_digest(d, &value, &len);
	if (err) {
		cli_error(e->path, "cannot make the IMA %s: %s",
			  c->g->imasig ? "signature" : "digest", imaevm_strerror(err));
		return err;
	}
	err = c->g->print_only ? 0 : label_write(fd, e->path, ima_xattr_name(c->g->xattr_user),
						 value, len);
	if (!err)
		err = label_print(e, c->show_path, value, len);
	if (err) {
		imaevm_free(value);
		return err;
	}
	*valuep = value;
	*lenp = len;
	return 0;
}

/* Regular files through their fd; other types (O_PATH) through /proc. */
static int write_evm(struct evm_sign_cmd *c, int fd, const struct walk_entry *e,
		     const unsigned char *value, size_t len)
{
	return label_write_any(fd, e, evm_xattr_name(c->g->xattr_user), value, len);
}

/* @content: the content digest for --imahash/--imasig, else NULL */
static int sign_fd(struct evm_sign_cmd *c, int fd, const struct walk_entry *e,
		   const struct imaevm_digest *content)
{
	int type = c->type;
	struct imaevm_evm_input in;
	struct imaevm_digest d;
	unsigned char *value = NULL, *ima = NULL;
	size_t len, ima_len = 0;
	int err;

	if ((c->g->imasig || c->g->imahash) && (err = write_ima(c, fd, e, content, &ima, &ima_len)))
		return err;
	err = evm_collect(c->g, &c->evm, type, fd, e->path, &in);
	if (err) {
		imaevm_free(ima);
		return err;
	}
	/* the new IMA value is what the digest covers, written (or, -n) not */
	if (ima)
		imaevm_evm_input_set_xattr(&in, "security.ima", ima, ima_len);
	err = imaevm_evm_digest(c->g->ctx, &in, type, c->algo, &d);
	imaevm_evm_input_release(&in);
	imaevm_free(ima);
	if (err) {
		cli_error(e->path, "%s", err == -ENODATA ?
			  "a portable EVM signature needs security.ima" : imaevm_strerror(err));
		return err;
	}
	if (c->g->verbose) {
		flockfile(stderr);
		fprintf(stderr, "evmctl: %s: EVM digest(%s): ", e->path, c->algo_name);
		print_hex(stderr, d.value, d.len);
		fputc('\n', stderr);
		funlockfile(stderr);
	}
	err = imaevm_sign_xattr(c->g->ctx, c->g->signing_key, &d, type, &value, &len);
	if (err) {
		cli_error(e->path, "cannot sign: %s", err == -EOPNOTSUPP ?
			  "the key cannot sign digests of this algorithm" : imaevm_strerror(err));
		return err;
	}
	err = c->g->print_only ? 0 : write_evm(c, fd, e, value, len);
	if (!err)
		err = label_print(e, c->show_path, value, len);
	imaevm_free(value);
	return err;
}

/* With --imahash/--imasig, a regular file's content digest comes first. */
static int evm_sign_start(void *arg, const struct walk_entry *e, struct walk_job *job)
{
	struct evm_sign_cmd *c = arg;
	int err;

	err = evm_open_entry(e, c->g->walk.recursive, &job->fd);
	if (err)
		return err > 0 ? 1 : err;
	if ((c->g->imasig || c->g->imahash) && S_ISREG(e->st.st_mode)) {
		job->algo = c->algo;
		return 0;
	}
	err = sign_fd(c, job->fd, e, NULL);
	close(job->fd);
	return err ? err : 1;
}

static int evm_sign_finish(void *arg, const struct walk_entry *e, struct walk_job *job,
			   int err, const struct imaevm_digest *d)
{
	/* neither label: security.evm would cover a security.ima of no version */
	if (err == -ESTALE) {
		cli_error(e->path, "changed while it was read; not labelled");
		return err;
	}
	if (err) {
		cli_error(e->path, "cannot hash: %s", imaevm_strerror(err));
		return err;
	}
	return sign_fd(arg, job->fd, e, d);
}

int cmd_evm_sign(struct evmctl *g, const struct command *cmd, int argc,
		 const char **argv)
{
	struct evm_sign_cmd c = { .g = g };
	struct walk_digest_ops ops = { evm_sign_start, evm_sign_finish, g->ctx };
	const char **files;
	unsigned long failed;
	int err;

	err = cli_parse(g, cmd, evm_sign_option, &c, &files);
	if (err)
		goto out;
	c.algo = g->algo;
	c.algo_name = g->algo_name;
	c.evm.xattr_user = g->xattr_user;
	c.type = evm_sig_type(&c.evm);
	c.show_path = g->walk.recursive || files[1];
	failed = walk_paths_digest(files, &g->walk, &ops, &c);
	err = failed ? EXIT_FAILED : EXIT_OK;
out:
	evm_opts_free(&c.evm);
	return err;
}

const struct poptOption *const groups_evm_sign[] = {
	opts_hash, opts_private_key, opts_evm_sign_key, opts_evm, opts_recursive, opts_jobs,
	opts_xattr_user, opts_noxattr, NULL
};
