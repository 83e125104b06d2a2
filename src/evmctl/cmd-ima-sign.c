// SPDX-License-Identifier: GPL-2.0-or-later
/* cmd-ima-sign.c - `evmctl ima_sign`: sign file digests into security.ima or FILE.sig. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "evmctl.h"
#include "label.h"
#include "sigfile.h"
#include "sigmanifest.h"
#include "walk.h"

struct sign_cmd {
	struct evmctl *g;
	const char *algo_name;
	int algo;
	bool show_path;
	bool veritysig;		/* signature v3 over the fs-verity digest */
	struct sigmanifest *manifest;	/* --manifest */
};

static int sign_option(void *state, int code, const char *arg)
{
	struct sign_cmd *c = state;

	switch (code) {
	case OPTIONS_DONE:
		if (c->veritysig && c->g->algo != IMAEVM_HASH_SHA256 &&
		    c->g->algo != IMAEVM_HASH_SHA512) {
			cli_error(NULL, "--veritysig: fs-verity digests are sha256 or sha512, not %s",
				  c->g->algo_name);
			return EXIT_FAILED;
		}
		break;
	case OPT_VERITYSIG:
		c->veritysig = true;
		break;
	default:
		return OPTION_UNUSED;
	}
	return 0;
}

/* Sign the digest, then label through the fd that was hashed. */
static int sign_digest(struct sign_cmd *c, int fd, const struct walk_entry *e,
		       const struct imaevm_digest *d)
{
	const char *path = e->path;
	unsigned char *value = NULL;
	size_t len;
	int err;

	if (c->g->verbose) {
		flockfile(stderr);
		fprintf(stderr, "evmctl: %s: %s(%s): ", path,
			c->veritysig ? "fs-verity digest" : "hash", c->algo_name);
		print_hex(stderr, d->value, d->len);
		fputc('\n', stderr);
		funlockfile(stderr);
	}
	err = imaevm_sign_digest(c->g->ctx, c->g->signing_key, d, c->veritysig ? 3 : 2, &value, &len);
	if (err) {
		cli_error(path, "cannot sign: %s", err == -EOPNOTSUPP ?
			  "the key cannot sign digests of this algorithm" : imaevm_strerror(err));
		return err;
	}
	/* as the old tool: -n drops the xattr only, so -n --sigfile makes .sig files */
	if (c->g->sigfile)
		err = sigfile_write_at(e->dirfd, e->name, path, value, len);
	if (!err && !c->g->print_only)
		err = label_write(fd, path, ima_xattr_name(c->g->xattr_user), value, len);
	if (!err && c->manifest && sigmanifest_add(c->manifest, path, value, len, d)) {
		cli_error(path, "outside the --manifest-root tree: not in the manifest");
		err = -EINVAL;
	}
	if (!err)
		err = label_print(e, c->show_path, value, len);
	imaevm_free(value);
	return err;
}

static int sign_finish(void *arg, const struct walk_entry *e, struct walk_job *job,
		       int err, const struct imaevm_digest *d)
{
	if (err == -ESTALE) {
		cli_error(e->path, "changed while it was read; not labelled");
		return err;
	}
	if (err) {
		cli_error(e->path, "cannot hash: %s", imaevm_strerror(err));
		return err;
	}
	return sign_digest(arg, job->fd, e, d);
}

static int sign_start(void *arg, const struct walk_entry *e, struct walk_job *job)
{
	struct sign_cmd *c = arg;
	struct imaevm_digest d;
	unsigned int tries = 0;
	int err;

	err = walk_open_regular(e, c->g->walk.recursive, "; use -r to sign its files", job);
	if (err)
		return err > 0 ? 1 : err;
	job->algo = c->algo;
	if (!c->veritysig)
		return 0;
	/* the fs-verity digest is a Merkle tree, made here, not by the walk */
	do
		err = imaevm_verity_digest_fd(c->g->ctx, job->fd, c->algo, &d);
	while (digest_again(job->fd, err, &tries));
	err = sign_finish(c, e, job, err, &d);
	close(job->fd);
	return err ? err : 1;
}

int cmd_ima_sign(struct evmctl *g, const struct command *cmd, int argc,
		 const char **argv)
{
	struct sign_cmd c = { .g = g };
	struct walk_digest_ops ops = { sign_start, sign_finish, g->ctx };
	const char **files;
	unsigned long failed;
	int err;

	err = cli_parse(g, cmd, sign_option, &c, &files);
	if (err)
		return err;
	c.algo = g->algo;
	c.algo_name = g->algo_name;
	if (g->manifest.file && sigmanifest_open(g->manifest.file, g->manifest.root, &c.manifest))
		return EXIT_FAILED;
	c.show_path = g->walk.recursive || files[1];
	failed = walk_paths_digest(files, &g->walk, &ops, &c);
	if (sigmanifest_close(c.manifest))
		failed++;
	return failed ? EXIT_FAILED : EXIT_OK;
}
