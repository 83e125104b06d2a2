/* SPDX-License-Identifier: GPL-2.0-or-later */
/* policy-keylime.h - keylime runtime policies (JSON) read for ima_measurement --policy. */
#ifndef EVMCTL_POLICY_KEYLIME_H
#define EVMCTL_POLICY_KEYLIME_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>

/* One allowed digest: of a file (digests), a key (keyrings) or a buffer (ima-buf). */
struct kl_digest {
	char *name;		/* path, keyring or buffer name */
	size_t len;
	unsigned char d[64];
};

struct kl_policy {
	struct kl_digest *files, *keys, *bufs;
	size_t n_files, n_keys, n_bufs;
	regex_t *excludes;	/* POSIX extended, anchored at the start of the path */
	char **exclude_src;
	size_t n_excludes, n_exclude_src;
	char **ignored_keyrings;	/* "*" ignores every keyring */
	size_t n_ignored;
	int log_hash_algo;	/* -1 if not given */
};

/*
 * Parse a keylime runtime policy of @len bytes.  0 and *@out, or -1 and the
 * reason in @err (naming the member: "digests[\"/bin/sh\"][0]: ...").
 */
int kl_policy_parse(const char *buf, size_t len, struct kl_policy **out, char *err,
		    size_t errsize);
void kl_policy_free(struct kl_policy *p);
/* Does an exclude pattern match @path from its first byte (Python's re.match)? */
bool kl_policy_excluded(const struct kl_policy *p, const char *path);
/* Is keyring @name in ima.ignored_keyrings? */
bool kl_policy_keyring_ignored(const struct kl_policy *p, const char *name);

#endif
