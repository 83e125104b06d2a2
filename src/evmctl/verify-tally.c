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
