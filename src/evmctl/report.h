/* SPDX-License-Identifier: GPL-2.0-or-later */
/* report.h - results of the verifying commands, collected while they check and printed at the end, as text or JSON. */
#ifndef EVMCTL_REPORT_H
#define EVMCTL_REPORT_H

#include <stdio.h>
#include "evmctl.h"

/* One named check (ima_attest): passed or not, and why. */
struct report_check {
	const char *name;
	bool ok;
	char *reason;		/* why it failed, or a note; NULL if none */
};

/* One failing entry, or (@list_error) the list itself at entry @index. */
struct report_failure {
	uint64_t index;
	uint32_t pcr;
	bool list_error;
	char *template_name;
	char *path;
	int64_t offset;		/* of the entry in the list, -1 if unknown */
	char *reason;
};

struct report {
	struct report_check *checks;
	size_t n_checks, checks_cap;
	size_t max_checks;	/* checks kept (0: all); the rest are dropped */
	struct report_failure *fails;
	size_t n_fails, fails_cap;
	size_t max_fails;	/* failures kept (0: all); the rest are only counted */
	uint64_t n_failures;	/* every failure reported, kept or not */
};

/* Record a check; @reason (malloc'ed, may be NULL) is the report's now. */
void report_check(struct report *r, const char *name, bool ok, char *reason);
/* Record a failing entry (or a list error, with @e NULL, at @index). */
void report_failure(struct report *r, const struct imaevm_ml_entry *e, uint64_t index,
		    int64_t offset, const char *reason);
/*
 * One failing entry of the list @list: "LIST: entry N (template, path):
 * REASON" on stderr, and recorded as report_failure() does unless @r is NULL.
 */
void report_entry_failure(struct report *r, const char *list, const struct imaevm_ml_entry *e,
			  int64_t offset, const char *reason);
void report_free(struct report *r);

/*
 * JSON documents on stdout: an object whose members each start a line
 * ("{\n  \"name\": value,\n  ...\n}\n"), arrays of one record a line.
 */
struct json_doc {
	bool members;		/* a member was written */
};

void json_begin(struct json_doc *d);
/* Start member @name; its value follows. */
void json_member(struct json_doc *d, const char *name);
/* End the object (and the line). */
void json_end(struct json_doc *d);
/* An array of records: "[", then "\n    " before each, "\n  ]" at the end. */
void json_record(bool first);
void json_array_end(void);
void json_string(const char *s);
void json_string_n(const unsigned char *s, size_t len);
void json_hex(const unsigned char *buf, size_t len);
void json_bool(bool b);

/* The checks as records {"check", "result", "reason"}. */
void report_json_checks(const struct report *r);
/*
 * The failures as records {"index", "pcr", ["template",] "path",
 * ["offset",] "reason"} (@detail: with the bracketed ones); a list error
 * is {"index", "reason"}.
 */
void report_json_failures(const struct report *r, bool detail);

/* "3,10,11" (@sep ",") or "3, 10, 11" (", "): the PCRs of @mask. */
void report_pcr_set(FILE *out, uint64_t mask, const char *sep);

/* ima_measurement's verdict of one bank. */
enum bank_verdict { BANK_NO_VALUES, BANK_MATCH, BANK_MATCH_PADDED, BANK_MISMATCH };

/* One bank's results: what the replay computed and what it was compared with. */
struct report_bank {
	int algo;
	enum bank_verdict verdict;
	int mode;				/* the mode reported (enum imaevm_replay_mode) */
	const struct imaevm_pcr_bank *tpm;	/* the values read, NULL if none */
	struct imaevm_replay_verdict v;		/* the library's verdict in @mode */
	uint64_t used, cmp;			/* PCRs the list extended, PCRs judged */
	struct imaevm_replay_pcr pcr[IMAEVM_MAX_LIST_PCRS];	/* of @used, in @mode */
	bool have_pcr[IMAEVM_MAX_LIST_PCRS];
};

/* The bank as text lines on stdout (@verbose: every PCR; @intact: the list is). */
void report_bank_text(const struct report_bank *b, int verbose, bool intact);
/* The bank as a JSON record of the "banks" array. */
void report_bank_json(const struct report_bank *b, bool first);

/*
 * A summary line "N verified, N failed (N reason, ...), N skipped" on
 * @out: @counts[i] failures of each reason @names[i] (those not zero are
 * named), and @other more failures of no known reason.
 */
void report_counts(FILE *out, unsigned long verified, unsigned long failed,
		   const char *const *names, const unsigned long *counts, size_t n,
		   unsigned long other, unsigned long skipped);

#endif /* EVMCTL_REPORT_H */
