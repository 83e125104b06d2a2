/* SPDX-License-Identifier: GPL-2.0-or-later */
/* verify-tally.h - counts of a verification run over many files, by outcome. */
#ifndef EVMCTL_VERIFY_TALLY_H
#define EVMCTL_VERIFY_TALLY_H

#include <stdatomic.h>
#include <stdio.h>

/* Why a file failed verification; the order is the summary's order. */
enum verify_reason {
	VR_NO_LABEL,		/* the xattr (or .sig file) is not there */
	VR_NO_SIGNATURE,	/* a label, but a digest or HMAC, not a signature */
	VR_UNKNOWN_KEY,		/* no verification key with the signature's key id */
	VR_BAD_SIGNATURE,	/* the signature does not verify */
	VR_DIGEST_MISMATCH,	/* a valid signature, made for other content */
	VR_MALFORMED,		/* the label cannot be parsed */
	VR_UNSUPPORTED,		/* algorithm or signature version not supported */
	VR_UNREADABLE,		/* the file or its label could not be read */
	VR_CHANGED,		/* the file changed while it was read */
	VR_COUNT
};

/* Updated from worker threads: every counter is atomic. */
struct verify_tally {
	atomic_ulong verified;
	atomic_ulong skipped;	/* not regular files, passed over in a walk */
	atomic_ulong failed[VR_COUNT];
};

void tally_ok(struct verify_tally *t);
void tally_skip(struct verify_tally *t);
void tally_fail(struct verify_tally *t, enum verify_reason why);

struct walk_entry;
struct evmctl;
struct imaevm_xattr_info;
struct imaevm_verify_result;

/*
 * tally_verdict() - count the verification outcome @err of @e and say it:
 * "verification is OK" on stderr (-v: with the key; in a tree only with
 * -v), or why it failed on stderr.  @mismatch: what a valid signature made
 * for another digest means for this kind of label.
 */
void tally_verdict(struct verify_tally *t, const struct evmctl *g, const struct walk_entry *e,
		   int err, const struct imaevm_xattr_info *info,
		   const struct imaevm_verify_result *r, const char *mismatch);

/*
 * tally_unopened() - count an entry whose open returned @err != 0: passed
 * over (> 0; directories are not counted) or not opened (< 0, reported by
 * the open; a refused operand type counts as "other").
 * Return: what the walk callback returns for it.
 */
int tally_unopened(struct verify_tally *t, const struct walk_entry *e, int err);

/*
 * Print "N verified, N failed (N reason, ...), N skipped" on @out.
 * @failed is the walk's own count of failed entries, which also holds
 * failures met outside the verification (directories that cannot be read):
 * those are shown as "other".
 */
void tally_print(FILE *out, const struct verify_tally *t, unsigned long failed);

#endif /* EVMCTL_VERIFY_TALLY_H */
