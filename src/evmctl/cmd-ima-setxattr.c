// SPDX-License-Identifier: GPL-2.0-or-later
/* cmd-ima-setxattr.c - `evmctl ima_setxattr`: copy FILE.sig (or --sigfile SIG) into FILE's security.ima. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "evmctl.h"
#include "label.h"
#include "sigfile.h"
#include "setxattr-manifest.h"

struct setxattr_cmd {
	struct apply_opts m;	/* --manifest and the options that go with it */
	bool root_given;
};

static int setxattr_option(void *state, int code, const char *arg)
{
	struct setxattr_cmd *c = state;

	switch (code) {
	case OPT_ROOT:
		c->m.root = arg;
		c->root_given = true;
		break;
	case OPT_JSON:
		c->m.json = true;
		break;
	default:
		return OPTION_UNUSED;
	}
	return 0;
}

/* @sig: the signature file, NULL for @path.sig */
static int set_one(const struct evmctl *g, const char *sig, const char *path)
{
	struct imaevm_xattr_info info;
	unsigned char *value;
	struct stat st;
	size_t len;
	int fd, err;

	err = sig ? sigfile_read_named(sig, &value, &len) : sigfile_read(path, &value, &len);
	if (err)
		return err;
	err = imaevm_xattr_parse(value, len, &info);
	if (!err && info.type != IMAEVM_XATTR_DIGSIG &&
	    info.type != IMAEVM_XATTR_VERITY_DIGSIG)
		err = -EBADMSG;
	if (err) {
		if (sig)
			cli_error(sig, "does not hold an IMA signature: %s", imaevm_strerror(err));
		else
			cli_error(path, "%s.sig does not hold an IMA signature: %s", path,
				  imaevm_strerror(err));
		free(value);
		return err;
	}
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0) {
		err = -errno;
		cli_error(path, "cannot open: %s", strerror(errno));
	} else if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		err = -EOPNOTSUPP;
		cli_error(path, "unsupported file type (only regular files carry IMA signatures)");
		close(fd);
	} else {
		err = label_write(fd, path, ima_xattr_name(g->xattr_user), value, len);
		close(fd);
	}
	free(value);
	return err;
}

int cmd_ima_setxattr(struct evmctl *g, const struct command *cmd, int argc,
		     const char **argv)
{
	struct setxattr_cmd c = { 0 };
	const char **files, *sig = NULL;
	unsigned long failed = 0;
	int err;

	err = cli_parse(g, cmd, setxattr_option, &c, &files);
	if (err)
		return err;
	c.m.manifest = g->manifest.file;
	if (c.m.manifest) {
		if (files && files[0]) {
			cli_error(NULL, "ima_setxattr --manifest: the manifest names the files, not '%s'",
				  files[0]);
			err = EXIT_USAGE;
		} else if (g->sigfile) {
			cli_error(NULL, "ima_setxattr: --manifest and --sigfile exclude each other");
			err = EXIT_USAGE;
		} else {
			c.m.xattr_user = g->xattr_user;
			c.m.keys = g->key.key;
			c.m.jobs = g->walk.jobs;
			if (!c.m.root)
				c.m.root = "/";
			err = apply_manifest(g, &c.m);
		}
		return err;
	}
	if (c.root_given || c.m.json) {
		cli_error(NULL, "ima_setxattr: --root and --json go with --manifest FILE");
		return EXIT_USAGE;
	}
	/* the old tool took any option with any command: these stay harmless */
	if (g->key.key || g->jobs_given)
		cli_warn("ima_setxattr: -k and -j are used with --manifest only; ignored");
	if (!files || !files[0]) {
		cli_error(NULL, "%s: no file given (see 'evmctl help %s')", cmd->name, cmd->name);
		return EXIT_USAGE;
	}
	/* the old tool's form: --sigfile SIG FILE; one FILE alone reads FILE.sig */
	if (g->sigfile && files[1])
		sig = *files++;
	for (; *files; files++)
		if (set_one(g, sig, *files))
			failed++;
	return failed ? EXIT_FAILED : EXIT_OK;
}
