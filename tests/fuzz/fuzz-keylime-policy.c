// SPDX-License-Identifier: GPL-2.0-or-later
/* fuzz-keylime-policy.c - harness: a keylime runtime policy (JSON), as
 * ima_measurement --policy reads it, then the exclude and keyring lookups. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "policy-keylime.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kl_policy *p;
	char err[400];
	size_t i;

	if (kl_policy_parse((const char *)data, size, &p, err, sizeof(err))) {
		FUZZ_ASSERT(p == NULL);
		FUZZ_ASSERT(err[0] && memchr(err, '\0', sizeof(err)));
		return 0;
	}
	FUZZ_ASSERT(p != NULL);
	FUZZ_ASSERT(p->n_excludes == p->n_exclude_src);
	for (i = 0; i < p->n_files; i++) {
		FUZZ_ASSERT(p->files[i].name && p->files[i].name[0]);
		FUZZ_ASSERT(p->files[i].len >= 20 && p->files[i].len <= 64);
	}
	for (i = 0; i < p->n_keys; i++)
		FUZZ_ASSERT(p->keys[i].len >= 20 && p->keys[i].len <= 64);
	for (i = 0; i < p->n_bufs; i++)
		FUZZ_ASSERT(p->bufs[i].len >= 20 && p->bufs[i].len <= 64);
	/* every exclude source matches itself only if it is a literal; the call
	 * must not crash either way */
	for (i = 0; i < p->n_exclude_src; i++)
		(void)kl_policy_excluded(p, p->exclude_src[i]);
	(void)kl_policy_excluded(p, "/usr/bin/sh");
	(void)kl_policy_keyring_ignored(p, ".ima");
	kl_policy_free(p);
	return 0;
}
