// SPDX-License-Identifier: GPL-2.0-or-later
/* verify-tally.c - counts of a verification run over many files, by outcome. */
#include "config.h"

#include <errno.h>

#include "report.h"
#include "verify-tally.h"
#include "walk.h"

static const char *const reason_names[VR_COUNT] = {
	[VR_NO_LABEL] = "no label",
	[VR_NO_SIGNATURE] = "no signature",
	[VR_UNKNOWN_KEY] = "unknown key",
	[VR_BAD_SIGNATURE] = "bad signature",
	[VR_DIGEST_MISMATCH] = "digest mismatch",
	[VR_MALFORMED] = "malformed label",
	[VR_UNSUPPORTED] = "unsupported algorithm",
	[VR_UNREADABLE] = "unreadable",
	[VR_CHANGED] = "changed while read",
};

void tally_ok(struct verify_tally *t)
{
	atomic_fetch_add_explicit(&t->verified, 1, memory_order_relaxed);
}

void tally_skip(struct verify_tally *t)
{
	atomic_fetch_add_explicit(&t->skipped, 1, memory_order_relaxed);
}

void tally_fail(struct verify_tally *t, enum verify_reason why)
{
	atomic_fetch_add_explicit(&t->failed[why], 1, memory_order_relaxed);
}

int tally_unopened(struct verify_tally *t, const struct walk_entry *e, int err)
{
	if (err > 0) {
		if (!S_ISDIR(e->st.st_mode))
			tally_skip(t);
		return 0;
	}
	if (err != -EOPNOTSUPP)
		tally_fail(t, VR_UNREADABLE);
	return err;
}

void tally_print(FILE *out, const struct verify_tally *t, unsigned long failed)
{
	unsigned long known = 0, counts[VR_COUNT];
	int i;

	for (i = 0; i < VR_COUNT; i++) {
		counts[i] = atomic_load(&t->failed[i]);
		known += counts[i];
	}
	/* the walk counts every failure, ours only those we classified */
	if (failed < known)
		failed = known;
	report_counts(out, atomic_load(&t->verified), failed, reason_names, counts, VR_COUNT,
		      failed - known, atomic_load(&t->skipped));
}

void tally_verdict(struct verify_tally *t, const struct evmctl *g, const struct walk_entry *e,
		   int err, const struct imaevm_xattr_info *info,
		   const struct imaevm_verify_result *r, const char *mismatch)
{
	const char *path = e->path;
	bool v1 = info->sig_version == 1;	/* an RSA signature without a key id */

	switch (err) {
	case 0:
		tally_ok(t);
		/* a tree prints its failures and a summary; -v every result */
		if (g->walk.recursive && !g->verbose)
			break;
		if (g->verbose && !v1)
			walk_print_stderr(e, "%s: verification is OK (key id %08x, %s)\n", path,
					  r->keyid, r->key_name ? r->key_name : "");
		else
			walk_print_stderr(e, "%s: verification is OK\n", path);
		break;
	case -ENOKEY:
		tally_fail(t, VR_UNKNOWN_KEY);
		if (v1)
			cli_error(path, "unknown key id: no RSA key verifies the v1 signature");
		else
			cli_error(path, "unknown key id %08x (no such key in the verification keys)",
				  r->keyid);
		break;
	case -EKEYREJECTED:
		tally_fail(t, r->digest_mismatch ? VR_DIGEST_MISMATCH : VR_BAD_SIGNATURE);
		if (r->digest_mismatch)
			cli_error(path, "%s (key id %08x)", mismatch, r->keyid);
		else if (v1)
			cli_error(path, "bad signature (v1)");
		else
			cli_error(path, "bad signature: does not verify (key id %08x)", r->keyid);
		break;
	case -EOPNOTSUPP:
		tally_fail(t, VR_UNSUPPORTED);
		cli_error(path, "unsupported algorithm (%s)",
			  imaevm_hash_algo_name(info->hash_algo) ?
			  imaevm_hash_algo_name(info->hash_algo) : "unknown");
		break;
	default:
		if (err == -EBADMSG)
			tally_fail(t, VR_MALFORMED);
		cli_error(path, "cannot verify: %s", imaevm_strerror(err));
	}
}
