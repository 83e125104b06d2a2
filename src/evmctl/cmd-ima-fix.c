// SPDX-License-Identifier: GPL-2.0-or-later
/* cmd-ima-fix.c - `evmctl ima_fix` (open files so a kernel in fix mode labels them) and `ima_clear`. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/xattr.h>

#include "evm-cmds.h"
#include "label.h"
#include "walk.h"

struct fix_cmd {
	struct evmctl *g;
	bool clear;		/* ima_clear, else ima_fix */
	const char *types;	/* -t letters */
	bool files, dirs, links;
	bool skip_labelled;	/* x */
	bool one_fs;		/* m */
};

static int parse_types(struct fix_cmd *c)
{
	const char *t;

	if (!c->types) {
		c->files = true;	/* regular files only by default */
		return 0;
	}
	for (t = c->types; *t; t++) {
		switch (*t) {
		case 'f': c->files = true; break;
		case 'd': c->dirs = true; break;
		case 's': c->links = true; break;
		case 'x': c->skip_labelled = true; break;
		case 'm': c->one_fs = true; break;
		default:
			cli_error(NULL, "-t: unknown type '%c' (f, d, s, x, m)", *t);
			return EXIT_USAGE;
		}
	}
	if (!c->files && !c->dirs && !c->links)
		c->files = true;	/* "-t x" or "-t m" alone: files */
	return 0;
}

static int fix_option(void *state, int code, const char *arg)
{
	struct fix_cmd *c = state;

	switch (code) {
	case OPTIONS_DONE:
		return parse_types(c);
	case OPT_TYPE:
		c->types = arg;
		return 0;
	}
	return OPTION_UNUSED;
}

static bool selected(const struct fix_cmd *c, mode_t mode)
{
	return (S_ISREG(mode) && c->files) || (S_ISDIR(mode) && c->dirs) ||
	       (S_ISLNK(mode) && c->links);
}

/* Does the object open as O_PATH @proc carry both labels already? (not opened for it) */
static bool has_both_labels(const struct fix_cmd *c, const char *proc)
{
	const char *ima = ima_xattr_name(c->g->xattr_user);
	const char *evm = evm_xattr_name(c->g->xattr_user);

	return getxattr(proc, ima, NULL, 0) >= 0 && getxattr(proc, evm, NULL, 0) >= 0;
}

/*
 * Open (and close) the object: the kernel appraises, and in fix mode labels,
 * on open.  The name is resolved once, with O_PATH (no open hooks, no FIFO
 * or device opened); the object found is checked, and only a regular file
 * or a directory is opened for real, through that fd, never by name again,
 * so a link or name switched to a FIFO or a device meanwhile is not opened.
 */
static int fix_one(struct fix_cmd *c, const struct walk_entry *e)
{
	bool link = S_ISLNK(e->st.st_mode);
	char proc[64];
	struct stat st;
	int fd, rfd, err;

	/* a link is opened through, as the old tool did: its target */
	fd = openat(e->dirfd, e->name, O_PATH | O_CLOEXEC | (link ? 0 : O_NOFOLLOW));
	if (fd < 0) {
		err = -errno;
		if (link)
			cli_error(e->path, "dangling link: %s", strerror(errno));
		else
			cli_error(e->path, "cannot open: %s", strerror(errno));
		return err;
	}
	if (fstat(fd, &st) < 0) {
		err = -errno;
		cli_error(e->path, "cannot open: %s", strerror(errno));
		close(fd);
		return err;
	}
	if (!link && (st.st_dev != e->st.st_dev || st.st_ino != e->st.st_ino ||
		       (st.st_mode & S_IFMT) != (e->st.st_mode & S_IFMT))) {
		cli_error(e->path, "cannot open: file was replaced during the walk");
		close(fd);
		return -ESTALE;
	}
	if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
		close(fd);
		return 0;	/* never open devices or FIFOs */
	}
	/* the object the O_PATH fd holds, reached by its /proc link */
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	if (c->skip_labelled && has_both_labels(c, proc)) {
		cli_info(c->g, 2, "%s: already labelled, skipped", e->path);
		close(fd);
		return 0;
	}
	cli_info(c->g, 1, "%s", e->path);
	rfd = open(proc, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC |
		   (S_ISDIR(st.st_mode) ? O_DIRECTORY : 0));
	if (rfd < 0 && errno == ENOENT && access("/proc/self/fd", F_OK) < 0)
		errno = ENOSYS;
	err = rfd < 0 ? -errno : 0;
	if (rfd < 0)
		cli_error(e->path, "cannot open: %s%s",
			  errno == ENOSYS ? "/proc is not mounted" : strerror(errno),
			  errno == EACCES ? " (appraisal denied it?)" : "");
	else
		close(rfd);
	close(fd);
	return err;
}

static int clear_one(struct fix_cmd *c, const struct walk_entry *e)
{
	const char *names[2] = { ima_xattr_name(c->g->xattr_user),
				 evm_xattr_name(c->g->xattr_user) };
	char proc[64];
	struct stat st;
	int fd, i, err = 0;

	/* O_PATH: no open hooks run, and we act on the very inode the walk saw */
	fd = openat(e->dirfd, e->name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0 || st.st_ino != e->st.st_ino ||
	    st.st_dev != e->st.st_dev) {
		err = fd < 0 ? -errno : -ESTALE;
		cli_error(e->path, "cannot open: %s", err == -ESTALE ?
			  "file was replaced during the walk" : strerror(-err));
		if (fd >= 0)
			close(fd);
		return err;
	}
	cli_info(c->g, 1, "%s", e->path);
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	for (i = 0; i < 2; i++) {
		if (removexattr(proc, names[i]) == 0 || errno == ENODATA)
			continue;
		if (errno == EOPNOTSUPP && S_ISLNK(st.st_mode))
			continue;	/* no xattrs of this namespace on links */
		err = -errno;
		cli_error(e->path, "cannot remove %s: %s", names[i], strerror(errno));
	}
	close(fd);
	return err;
}

static int fix_entry(void *arg, const struct walk_entry *e)
{
	struct fix_cmd *c = arg;

	/* a directory named without -r is acted on itself, as the old tool */
	bool itself = e->operand && S_ISDIR(e->st.st_mode) && !c->g->walk.recursive;

	if (!itself && !selected(c, e->st.st_mode))
		return 0;
	return c->clear ? clear_one(c, e) : fix_one(c, e);
}

static int run_fix(struct evmctl *g, const struct command *cmd, int argc,
		   const char **argv, bool clear)
{
	struct fix_cmd c = { .g = g, .clear = clear };
	const char **paths;
	unsigned long failed;
	int err;

	err = cli_parse(g, cmd, fix_option, &c, &paths);
	if (err)
		return err;
	if (!paths || !paths[0]) {
		cli_error(NULL, "%s: no path given (see 'evmctl help %s')",
			  cmd->name, cmd->name);
		return EXIT_USAGE;
	}
	g->walk.one_filesystem = c.one_fs;
	failed = walk_paths(paths, &g->walk, fix_entry, &c);
	return failed ? EXIT_FAILED : EXIT_OK;
}

int cmd_ima_fix(struct evmctl *g, const struct command *cmd, int argc,
		const char **argv)
{
	return run_fix(g, cmd, argc, argv, false);
}

int cmd_ima_clear(struct evmctl *g, const struct command *cmd, int argc,
		  const char **argv)
{
	return run_fix(g, cmd, argc, argv, true);
}

const struct poptOption *const groups_fix[] = {
	opts_type, opts_recursive, opts_xattr_user, NULL
};
