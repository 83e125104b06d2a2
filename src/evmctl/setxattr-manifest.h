/* SPDX-License-Identifier: GPL-2.0-or-later */
/* setxattr-manifest.h - `evmctl ima_setxattr --manifest`: apply a signature manifest below a root. */
#ifndef EVMCTL_SETXATTR_MANIFEST_H
#define EVMCTL_SETXATTR_MANIFEST_H

#include <stdbool.h>
#include "evmctl.h"

struct apply_opts {
	const char *manifest;	/* FILE, "-" for stdin */
	const char *root;	/* --root, default "/" */
	const char *keys;	/* -k: also verify each signature over the content */
	bool xattr_user;
	bool json;
	unsigned int jobs;	/* 0: one per CPU */
};

/* Apply the manifest.  Return: EXIT_OK only if every line was applied. */
int apply_manifest(struct evmctl *g, const struct apply_opts *o);

#endif /* EVMCTL_SETXATTR_MANIFEST_H */
