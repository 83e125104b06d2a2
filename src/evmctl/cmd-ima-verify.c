// SPDX-License-Identifier: GPL-2.0-or-later
/* cmd-ima-verify.c - `evmctl ima_verify`: check the signatures of files. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/xattr.h>

#include "evmctl.h"
#include "label.h"
#include "sigfile.h"
#include "verify-tally.h"
#include "walk.h"

/* Larger than any v2/v3 signature (RSA-4096 with its header is 521 bytes). */
#define LABEL_GUESS 1024

struct verify_cmd {
	struct evmctl *g;
	struct verify_tally tally;
};

/* The value of xattr @name of @fd into a new buffer of @size: length or -errno. */
static ssize_t xattr_get_sized(int fd, const char *name, size_t size, unsigned char **out)
{
	unsigned char *buf = malloc(size ? size : 1);
	ssize_t n;

	if (!buf)
		return -ENOMEM;
	n = fgetxattr(fd, name, buf, size);
	if (n < 0) {
		n = -errno;
		free(buf);
		return n;
	}
	*out = buf;
	return n;
}

/*
 * The value of xattr @name of @fd in a new buffer: its length, or -errno.
 * The kernel allocates as much as it is offered before it reads a value, so
 * offer what any signature fits in, and ask the size only for larger values.
 */
static ssize_t xattr_get_alloc(int fd, const char *name, unsigned char **out)
{
	ssize_t n = xattr_get_sized(fd, name, LABEL_GUESS, out);

	if (n != -ERANGE)
		return n;
	n = fgetxattr(fd, name, NULL, 0);
	if (n < 0)
		return -errno;
	return xattr_get_sized(fd, name, (size_t)n, out);
}

static int read_label(struct verify_cmd *c, int fd, const struct walk_entry *e,
		      unsigned char **value, size_t *len)
{
	const char *path = e->path;
	const char *name = ima_xattr_name(c->g->xattr_user);
	ssize_t n;
	int err;

	if (c->g->sigfile) {
		/* next to the file, through the walk's directory fd; no links in a tree */
		err = sigfile_read_at(e->dirfd, e->name, path, !e->operand, value, len);
		if (err)
			tally_fail(&c->tally, err == -ENOENT ? VR_NO_LABEL : VR_UNREADABLE);
		return err;
	}
	n = xattr_get_alloc(fd, name, value);
	if (n == -ENODATA) {
		cli_error(path, "no signature (%s is not set)", name);
		tally_fail(&c->tally, VR_NO_LABEL);
	} else if (n < 0) {
		cli_error(path, "cannot read %s: %s", name, strerror((int)-n));
		tally_fail(&c->tally, VR_UNREADABLE);
	}
	if (n < 0)
		return (int)n;
	*len = (size_t)n;
	return 0;
}

/*
 * The fs-verity digest: the kernel's measurement when verity is enabled on
 * the file, else computed from the content (offline checks of images).
 */
static int verity_digest(struct verify_cmd *c, int fd, const char *path, int algo,
			 struct imaevm_digest *d)
{
	enum imaevm_verity_source from = IMAEVM_VERITY_COMPUTED;
	unsigned int tries = 0;
	int err;

	do
		err = imaevm_verity_measure_fd(c->g->ctx, fd, algo, IMAEVM_VERITY_KERNEL_FIRST,
					       d, &from);
	while (digest_again(fd, err, &tries));
	if (!err && from == IMAEVM_VERITY_COMPUTED)
		cli_info(c->g, 1, "%s: fs-verity not enabled; its digest computed", path);
	if (err == -EOPNOTSUPP)
		cli_error(path, "unsupported algorithm (%s) for an fs-verity digest",
			  imaevm_hash_algo_name(algo));
	else if (err == -EMEDIUMTYPE)
		cli_error(path, "unsupported algorithm: the file's fs-verity digest algorithm does not match the signature");
	else if (err && err != -ESTALE)	/* reported by verify_label() */
		cli_error(path, "cannot compute the fs-verity digest: %s", imaevm_strerror(err));
	if (err == -EMEDIUMTYPE)
		err = -EOPNOTSUPP;
	return err;
}

/* A signature read by verify_start(), for verify_finish(). */
struct verify_label {
	unsigned char *value;
	size_t len;
	struct imaevm_xattr_info info;
};

/* Check @l against the content digest @d (or report why there is none). */
static int verify_label(struct verify_cmd *c, const struct walk_entry *e,
			struct verify_label *l, int err, const struct imaevm_digest *d)
{
	struct imaevm_verify_result r = { 0 };
	const char *path = e->path;

	if (err == -EOPNOTSUPP && l->info.sig_version != 3) {
		cli_error(path, "unsupported algorithm (%s)",
			  imaevm_hash_algo_name(l->info.hash_algo));
		tally_fail(&c->tally, VR_UNSUPPORTED);
		return err;
	}
	/* a torn read is no verdict on the file, either way */
	if (err == -ESTALE) {
		cli_error(path, "changed while it was read; not verified");
		tally_fail(&c->tally, VR_CHANGED);
		return err;
	}
	if (err) {
		if (l->info.sig_version != 3)
			cli_error(path, "cannot hash: %s", imaevm_strerror(err));
		tally_fail(&c->tally, err == -EOPNOTSUPP ? VR_UNSUPPORTED : VR_UNREADABLE);
		return err;
	}
	err = imaevm_verify_digest(c->g->ctx, c->g->keyset, l->value, l->len, d, &r);
	tally_verdict(&c->tally, c->g, e, err, &l->info, &r,
		      "digest mismatch: the signature was made for other content");
	return err;
}

static void label_free(struct verify_label *l)
{
	if (l)
		free(l->value);
	free(l);
}

/* Read and check the label; 0 when it is a signature to check against a digest. */
static int label_load(struct verify_cmd *c, int fd, const struct walk_entry *e,
		      struct verify_label *l)
{
	struct imaevm_xattr_info *info = &l->info;
	const char *path = e->path;
	int err;

	err = read_label(c, fd, e, &l->value, &l->len);
	if (err)
		return err;
	err = imaevm_xattr_parse(l->value, l->len, info);
	if (err == -EOPNOTSUPP) {
		cli_error(path, "unsupported algorithm (hash id %u)",
			  l->len > 2 ? l->value[2] : 0);
		tally_fail(&c->tally, VR_UNSUPPORTED);
		return err;
	}
	if (err) {
		cli_error(path, "malformed signature: %s", imaevm_strerror(err));
		tally_fail(&c->tally, VR_MALFORMED);
		return err;
	}
	if (info->type != IMAEVM_XATTR_DIGSIG && info->type != IMAEVM_XATTR_VERITY_DIGSIG) {
		cli_error(path, "no signature (the label holds a %s)",
			  info->type == IMAEVM_XATTR_DIGEST || info->type == IMAEVM_XATTR_DIGEST_NG ?
			  "digest only" : "value of another type");
		tally_fail(&c->tally, VR_NO_SIGNATURE);
		return -ENODATA;
	}
	return 0;
}

static int verify_start(void *arg, const struct walk_entry *e, struct walk_job *job)
{
	struct verify_cmd *c = arg;
	struct verify_label *l;
	struct imaevm_digest d;
	int err;

	err = walk_open_regular(e, c->g->walk.recursive, NULL, job);
	if (err) {
		err = tally_unopened(&c->tally, e, err);
		return err ? err : 1;
	}
	l = calloc(1, sizeof(*l));
	err = l ? label_load(c, job->fd, e, l) : -ENOMEM;
	if (!err && l->info.sig_version != 3) {
		job->algo = l->info.hash_algo;
		job->data = l;
		return 0;
	}
	if (!err) {	/* v3: the fs-verity digest, from the kernel or made here */
		err = verity_digest(c, job->fd, e->path, l->info.hash_algo, &d);
		err = verify_label(c, e, l, err, &d);
	} else if (err == -ENOMEM) {
		cli_error(e->path, "out of memory");
	}
	label_free(l);
	close(job->fd);
	return err ? err : 1;
}

static int verify_finish(void *arg, const struct walk_entry *e, struct walk_job *job,
			 int err, const struct imaevm_digest *d)
{
	err = verify_label(arg, e, job->data, err, d);
	label_free(job->data);
	return err;
}

int cmd_ima_verify(struct evmctl *g, const struct command *cmd, int argc,
		   const char **argv)
{
	struct verify_cmd c = { .g = g };
	struct walk_digest_ops ops = { verify_start, verify_finish, g->ctx };
	const char **files;
	unsigned long failed;
	int err;

	err = cli_parse(g, cmd, NULL, &c, &files);
	if (err)
		return err;
	failed = walk_paths_digest(files, &g->walk, &ops, &c);
	if (g->walk.recursive)
		tally_print(stdout, &c.tally, failed);
	return failed ? EXIT_FAILED : EXIT_OK;
}
