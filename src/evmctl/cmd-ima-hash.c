// SPDX-License-Identifier: GPL-2.0-or-later
/* cmd-ima-hash.c - `evmctl ima_hash`: write (or print) security.ima digests. */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "evmctl.h"
#include "label.h"
#include "policy.h"
#include "walk.h"

struct hash_cmd {
	struct evmctl *g;
	const char *algo_name;
	int algo;
	bool show_path;		/* more than one file can be printed */
	struct manifest *manifest;	/* --manifest */
};

static int hash_start(void *arg, const struct walk_entry *e, struct walk_job *job)
{
	struct hash_cmd *c = arg;
	int err;

	err = walk_open_regular(e, c->g->walk.recursive, "; use -r to hash its files", job);
	if (err)
		return err > 0 ? 1 : err;
	job->algo = c->algo;
	return 0;
}

/* Label the file through the fd that was hashed. */
static int hash_finish(void *arg, const struct walk_entry *e, struct walk_job *job,
		       int err, const struct imaevm_digest *d)
{
	struct hash_cmd *c = arg;
	const char *path = e->path;
	unsigned char *value = NULL;
	size_t len;

	if (err == -ESTALE) {
		cli_error(path, "changed while it was read; not labelled");
		return err;
	}
	if (err) {
		cli_error(path, "cannot hash: %s", err == -EOPNOTSUPP ?
			  "unsupported" : imaevm_strerror(err));
		return err;
	}
	err = imaevm_xattr_encode_digest(d, &value, &len);
	if (err) {
		cli_error(path, "%s", imaevm_strerror(err));
		return err;
	}
	if (!c->g->print_only)
		err = label_write(job->fd, path, ima_xattr_name(c->g->xattr_user), value, len);
	if (!err && c->manifest && manifest_add(c->manifest, path, d)) {
		cli_error(path, "outside the --manifest-root tree: not in the manifest");
		err = -EINVAL;
	}
	if (!err)
		err = label_print(e, c->show_path, value, len);
	imaevm_free(value);
	return err;
}

int cmd_ima_hash(struct evmctl *g, const struct command *cmd, int argc,
		 const char **argv)
{
	struct hash_cmd c = { .g = g };
	struct walk_digest_ops ops = { hash_start, hash_finish, g->ctx };
	struct imaevm_digest probe;
	const char **files;
	unsigned long failed;
	int err;

	err = cli_parse(g, cmd, NULL, NULL, &files);
	if (err)
		return err;
	c.algo = g->algo;
	c.algo_name = g->algo_name;
	/* fail before touching any file if OpenSSL cannot make this digest */
	if (imaevm_digest_buf(g->ctx, "", 0, c.algo, &probe)) {
		cli_error(NULL, "hash algorithm %s is not available from OpenSSL",
			  c.algo_name);
		return EXIT_FAILED;
	}
	if (g->manifest.file &&
	    manifest_open(g->manifest.file, g->manifest.root,
			  g->manifest.format && !strcmp(g->manifest.format, "keylime"), &c.manifest)) {
		return EXIT_FAILED;
	}
	c.show_path = g->walk.recursive || files[1];
	failed = walk_paths_digest(files, &g->walk, &ops, &c);
	if (manifest_close(c.manifest))
		failed++;
	return failed ? EXIT_FAILED : EXIT_OK;
}
