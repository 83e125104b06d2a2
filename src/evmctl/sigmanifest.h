/* SPDX-License-Identifier: GPL-2.0-or-later */
/* sigmanifest.h - signature manifests: written by ima_sign --manifest, applied by ima_setxattr --manifest. */
#ifndef EVMCTL_SIGMANIFEST_H
#define EVMCTL_SIGMANIFEST_H

#include <stddef.h>
#include "evmctl.h"
#include "sigmanifest-line.h"

/*
 * One line a file (documented in evmctl(1), SIGNATURE MANIFESTS):
 *   VALUEHEX ALGO:DIGESTHEX  /PATH
 * VALUEHEX is the whole security.ima value, DIGESTHEX the content digest
 * it signs (the fs-verity digest for a v3 signature), so the target can
 * check the content without keys.  Paths are escaped as in reference
 * manifests (\ooo for a backslash, control characters and DEL).  The lines
 * `evmctl sign_hash` prints (sha*sum or fsverity digest lines with the
 * signature appended) are read too.
 */

/* Writer for ima_sign --manifest (safe to call from walk threads). */
struct sigmanifest;
/* @root: --manifest-root, or NULL (paths written absolute). 0 or EXIT_FAILED. */
int sigmanifest_open(const char *path, const char *root, struct sigmanifest **m);
/* Record @path's value and digest; 0, -EINVAL (@path outside the root) or -ENOMEM. */
int sigmanifest_add(struct sigmanifest *m, const char *path, const unsigned char *value,
		    size_t len, const struct imaevm_digest *d);
/* Write the lines sorted by path, close; 0 or EXIT_FAILED after saying why. */
int sigmanifest_close(struct sigmanifest *m);

#endif /* EVMCTL_SIGMANIFEST_H */
