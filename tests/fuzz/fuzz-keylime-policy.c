// SPDX-License-Identifier: GPL-2.0-or-later
/* fuzz-keylime-policy.c - harness: a keylime runtime policy (JSON) read by
 * imaevm_policy_add(), then entries checked against it.  Built with
 * FUZZ_POLICY_FORMAT=IMAEVM_POLICY_MANIFEST it is fuzz-policy-manifest. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "imaevm.h"
#include "fuzz.h"

#ifndef FUZZ_POLICY_FORMAT
#define FUZZ_POLICY_FORMAT IMAEVM_POLICY_KEYLIME
#endif

/* Entries of each kind the checks tell apart: a file, the boot_aggregate, a buffer, PCR 11. */
static void check_entries(const struct imaevm_policy *p, const uint8_t *data, size_t size)
{
	static const char *const paths[] = { "/usr/bin/sh", "boot_aggregate", ".ima", "/" };
	unsigned char d[32] = { 0 };
	struct imaevm_policy_tally t = { 0 };
	size_t i;

	memcpy(d, data, size < sizeof(d) ? size : sizeof(d));
	for (i = 0; i < 8; i++) {
		struct imaevm_ml_entry e = { .index = i + 1, .pcr = i == 7 ? 11 : 10 };
		int r;

		e.path = paths[i % 4];
		e.digest = d;
		e.digest_len = i & 1 ? 20 : 32;
		e.digest_algo = i & 1 ? IMAEVM_HASH_SHA1 : IMAEVM_HASH_SHA256;
		if (i == 2) {
			e.buf = data;
			e.buf_len = size;
		}
		r = imaevm_policy_check(p, &e, i == 5 ? IMAEVM_POLICY_SIG_OK : 0, &t);
		FUZZ_ASSERT(r >= 0 && r <= IMAEVM_POLICY_UNKNOWN_FILE);
		FUZZ_ASSERT(imaevm_policy_result_text(r)[0]);
	}
	FUZZ_ASSERT(t.checked == t.allowed + t.by_sig + t.excluded + t.refused);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct imaevm_policy_params params = { .flags = size & 1 ? IMAEVM_POLICY_ANY_PATH : 0 };
	struct imaevm_policy_info info = { 0 };
	struct imaevm_policy *p;
	char *why = NULL;
	int rc;

	FUZZ_ASSERT(imaevm_policy_new(fuzz_ctx(), &params, &p) == 0);
	rc = imaevm_policy_add(p, data, size, FUZZ_POLICY_FORMAT, &why);
	FUZZ_ASSERT(imaevm_policy_get_info(p, &info) == 0);
	if (rc < 0) {
		/* refused: a reason, and nothing of it added */
		FUZZ_ASSERT(rc == -ENOMEM || (why && why[0]));
		FUZZ_ASSERT(info.digests == 0 && info.excludes == 0 && info.keylime == 0);
		imaevm_free(why);
	} else {
		FUZZ_ASSERT(rc == FUZZ_POLICY_FORMAT && !why);
		FUZZ_ASSERT(info.keylime == (rc == IMAEVM_POLICY_KEYLIME));
	}
	check_entries(p, data, size);
	imaevm_policy_free(p);
	return 0;
}
