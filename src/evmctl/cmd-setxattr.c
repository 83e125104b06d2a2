// SPDX-License-Identifier: GPL-2.0-or-later
/* cmd-setxattr.c - `evmctl ima_setxattr`: copy FILE.sig (or --sigfile SIG) into FILE's security.ima. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "evmctl.h"
#include "keys.h"
#include "label.h"

struct setxattr_cmd {
	bool xattr_user;
	bool sigfile;		/* --sigfile: the first operand is the signature */
};

static int setxattr_option(void *state, int code, const char *arg)
{
	struct setxattr_cmd *c = state;

	(void)arg;
	switch (code) {
	case OPT_SIGFILE:
		c->sigfile = true;
		break;
	case OPT_XATTR_USER:
		c->xattr_user = true;
		break;
	default:
		return OPTION_UNUSED;
	}
	return 0;
}

/* @sig: the signature file, NULL for @path.sig */
static int set_one(struct setxattr_cmd *c, const char *sig, const char *path)
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
		err = label_write(fd, path, ima_xattr_name(c->xattr_user), value, len);
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
	poptContext pc;
	unsigned long failed = 0;
	int err;

	err = cli_parse_files(g, cmd, argc, argv, setxattr_option, &c, &pc, &files);
	if (err)
		return err;
	/* the old tool's form: --sigfile SIG FILE; one FILE alone reads FILE.sig */
	if (c.sigfile && files[1])
		sig = *files++;
	for (; *files; files++)
		if (set_one(&c, sig, *files))
			failed++;
	poptFreeContext(pc);
	return failed ? EXIT_FAILED : EXIT_OK;
}
