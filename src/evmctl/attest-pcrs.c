// SPDX-License-Identifier: GPL-2.0-or-later
/* attest-pcrs.c - ima_attest: replay the list and the event log into the quoted banks, check selection and PCR digest. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "attest-quote.h"
#include "input.h"
#include "list-check.h"

static void pcr_list_text(uint32_t mask, char *buf, size_t size)
{
	size_t pos = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < IMAEVM_NUM_PCRS && pos < size; i++)
		if (mask & (1u << i))
			pos += (size_t)snprintf(buf + pos, size - pos, "%s%u", pos ? "," : "", i);
}

void pcr_ranges_text(uint32_t mask, char *buf, size_t size)
{
	size_t pos = 0;
	unsigned int i, j;

	buf[0] = '\0';
	for (i = 0; i < IMAEVM_NUM_PCRS && pos < size; i = j) {
		if (!(mask & (1u << i))) {
			j = i + 1;
			continue;
		}
		for (j = i + 1; j < IMAEVM_NUM_PCRS && (mask & (1u << j)); j++)
			;
		if (j - i == 1)
			pos += (size_t)snprintf(buf + pos, size - pos, "%s%u", pos ? "," : "", i);
		else
			pos += (size_t)snprintf(buf + pos, size - pos, "%s%u-%u", pos ? "," : "",
						i, j - 1);
	}
}

/*
 * The selection must cover the IMA PCRs, the --account-pcrs and, with an
 * event log, PCRs 0-9, in every bank: the verifier's rules decide, not
 * what the list happens to hold.
 */
static void check_selection(struct attest_cmd *c, const struct imaevm_quote *q)
{
	uint32_t need = c->ima_pcrs | c->account_pcrs | (c->evlog_file ? 0x3ffu : 0);
	char have[200], missing[100], why[100];
	unsigned int i;
	bool ok = true;

	if (!q->n_sel) {
		verdict(c, "pcr selection", false, "the quote selects no PCR");
		return;
	}
	for (i = 0; i < q->n_sel; i++) {
		uint32_t miss, extra;

		if (q->sel[i].algo < 0) {
			verdict(c, "pcr selection", false, "bank of TPM algorithm 0x%04x unknown",
				q->sel[i].tpm_alg);
			ok = false;
			continue;
		}
		miss = need & ~q->sel[i].pcrs;
		if (miss) {
			pcr_list_text(miss, missing, sizeof(missing));
			snprintf(why, sizeof(why), "%s%s%s",
				 miss & c->ima_pcrs ? ", an IMA PCR (--ima-pcr)" : "",
				 miss & c->account_pcrs & ~c->ima_pcrs ? ", --account-pcrs" : "",
				 miss & 0x3ff & ~(c->ima_pcrs | c->account_pcrs) ?
				 ", the event log's PCRs 0-9" : "");
			verdict(c, "pcr selection", false, "%s: PCR %s not quoted (needed: %s)",
				imaevm_hash_algo_name(q->sel[i].algo), missing, why + 2);
			ok = false;
		}
		extra = q->sel[i].pcrs & 0x3ff & ~need;
		if (extra) {
			pcr_list_text(extra, missing, sizeof(missing));
			verdict(c, "pcr selection", false, "%s: PCR %s quoted, but no event log "
				"(--eventlog) gives its value", imaevm_hash_algo_name(q->sel[i].algo),
				missing);
			ok = false;
		}
	}
	if (ok) {
		size_t pos = 0;

		have[0] = '\0';
		for (i = 0; i < q->n_sel && pos < sizeof(have); i++) {
			char l[70];

			pcr_list_text(q->sel[i].pcrs, l, sizeof(l));
			pos += (size_t)snprintf(have + pos, sizeof(have) - pos, "%s%s:%s",
						i ? " " : "", imaevm_hash_algo_name(q->sel[i].algo), l);
		}
		verdict(c, "pcr selection", true, "%s", have);
	}
}

/* Entry 1: the boot_aggregate, on an IMA PCR; with an event log, its value. */
static void check_boot_aggregate(struct attest_cmd *c, const struct imaevm_ml_entry *e,
				 const struct imaevm_pcrs *log)
{
	const struct imaevm_pcr_bank *b = NULL;
	struct imaevm_digest d;
	unsigned int i;
	char msg[200];

	if (!e->path || strcmp(e->path, "boot_aggregate") || !e->digest || e->violation) {
		char *p = shown_name(e->path ? e->path : "no name");

		entry_failure(c, e, "entry 1 is not a boot_aggregate");
		verdict(c, "boot_aggregate", false, "entry 1 (%s) is not a boot_aggregate: "
			"the list is not tied to the boot", p ? p : "?");
		free(p);
		return;
	}
	if (e->pcr >= IMAEVM_NUM_PCRS || !(c->ima_pcrs & (1u << e->pcr))) {
		verdict(c, "boot_aggregate", false, "entry 1 is on PCR %u, not on an IMA PCR "
			"(see --ima-pcr)", e->pcr);
		return;
	}
	for (i = 0; log && i < log->n_banks; i++)
		if (log->bank[i].algo == e->digest_algo)
			b = &log->bank[i];
	if (!log) {
		verdict(c, "boot_aggregate", true, "not checked (no --eventlog)");
	} else if (!b) {
		snprintf(msg, sizeof(msg), "boot_aggregate: the event log has no %s bank",
			 imaevm_hash_algo_name(e->digest_algo) ?
			 imaevm_hash_algo_name(e->digest_algo) : "such");
		entry_failure(c, e, msg);
		verdict(c, "boot_aggregate", false, "entry %" PRIu64 ": %s", e->index, msg + 16);
	} else if (imaevm_boot_aggregate(c->g->ctx, b, &d) ||
		   d.len != e->digest_len || memcmp(d.value, e->digest, d.len)) {
		entry_failure(c, e, "boot_aggregate does not match the event log");
		verdict(c, "boot_aggregate", false, "entry %" PRIu64
			" does not match the event log's PCRs 0-%d (%s)", e->index,
			e->digest_algo == IMAEVM_HASH_SHA1 ? 7 : 9,
			imaevm_hash_algo_name(e->digest_algo));
	} else {
		verdict(c, "boot_aggregate", true, "entry %" PRIu64 " matches the event log (%s)",
			e->index, imaevm_hash_algo_name(e->digest_algo));
	}
}

/* The loop's argument: the command, and the event log entry 1 is checked against. */
struct attest_loop {
	struct attest_cmd *c;
	const struct imaevm_pcrs *log;
};

static void attest_fail(void *arg, const struct imaevm_ml_entry *e, const char *reason)
{
	entry_failure(((struct attest_loop *)arg)->c, e, reason);
}

static void attest_seen(void *arg, const struct imaevm_ml_entry *e)
{
	struct attest_cmd *c = ((struct attest_loop *)arg)->c;

	if (c->list_algo < 0)
		c->list_algo = e->template_digest_len ? e->template_digest_algo :
			       IMAEVM_HASH_SHA1;
}

static int attest_replay_error(void *arg, const struct imaevm_ml_entry *e, int rc)
{
	struct attest_cmd *c = ((struct attest_loop *)arg)->c;

	(void)e;
	if (rc == -EINVAL && c->list_algo != IMAEVM_HASH_SHA1) {
		/* a per-bank list replays its own bank only */
		verdict(c, "measurement list", false, "a per-bank %s list, and the quote "
			"selects no %s bank", imaevm_hash_algo_name(c->list_algo),
			imaevm_hash_algo_name(c->list_algo));
		return 0;
	}
	return rc;
}

static void attest_done(void *arg, const struct imaevm_ml_entry *e)
{
	struct attest_loop *l = arg;

	/* only the first entry counts: a later "boot_aggregate" is a file name */
	if (e->index == 1)
		check_boot_aggregate(l->c, e, l->log);
}

/* --policy: the entry's digest and path against the runtime policy. */
static void attest_check(void *arg, const struct imaevm_ml_entry *e)
{
	struct attest_cmd *c = ((struct attest_loop *)arg)->c;
	char text[160];
	const char *bad;

	if (!c->policy)
		return;
	bad = policy_check_entry(c->policy, e, text, sizeof(text));
	if (bad)
		entry_failure(c, e, bad);
}

static const struct list_check_ops attest_ops = {
	.fail = attest_fail,
	.seen = attest_seen,
	.replay_error = attest_replay_error,
	.check = attest_check,
	.done = attest_done,
};

/* Replay the list; entry 1 must be the boot_aggregate, every entry on an allowed PCR. */
static int replay_list(struct attest_cmd *c, struct imaevm_replay *r,
		       const struct imaevm_pcrs *log)
{
	struct attest_loop l = { .c = c, .log = log };
	struct list_check lc = {
		.replay = r, .ignore_violations = c->ignore_violations,
		.allowed_pcrs = c->ima_pcrs | c->account_pcrs, .ops = &attest_ops, .arg = &l,
	};
	const char *why = NULL;
	int rc;

	/* without a state: from entry 1; with one: after the recorded entries */
	rc = list_check_open(c->g, true, c->state, c->list_file, -1, &c->ml, &why);
	if (rc && why) {
		verdict(c, "state", false, "%s does not continue the list recorded in %s "
			"(%" PRIu64 " entries, %" PRIu64 " bytes): %s", c->list_file,
			c->state_file, imaevm_ml_state_entries(c->state),
			imaevm_ml_state_offset(c->state), why);
		return EXIT_FAILED;
	}
	if (rc) {
		cli_error(c->list_file, "cannot open the measurement list: %s",
			  imaevm_strerror(rc));
		return EXIT_FAILED;
	}
	if (c->state)
		verdict(c, "state", true, "continuing after entry %" PRIu64 " (%" PRIu64 " bytes)",
			imaevm_ml_state_entries(c->state), imaevm_ml_state_offset(c->state));
	lc.ml = c->ml;
	rc = list_check_run(&lc);
	c->entries = lc.entries;
	c->violations = lc.violations;
	if (c->policy) {
		char sum[200];

		verdict(c, "policy", policy_summary(c->policy, sum, sizeof(sum)), "%s", sum);
	}
	if (rc < 0) {
		why = imaevm_ml_error(c->ml);
		c->failed = true;
		verdict(c, "measurement list", false, "%s", why ? why : imaevm_strerror(rc));
	} else if (!c->entries && !c->state) {
		verdict(c, "boot_aggregate", false, "the list is empty: entry 1 must be "
			"the boot_aggregate");
	}
	return imaevm_replay_finish(r) ? EXIT_FAILED : 0;
}

/*
 * The PCR values the quote should cover: the list's PCRs from @r in @mode,
 * IMA PCRs without entries at their reset value, the rest from the log.
 */
static void compose(const struct imaevm_quote *q, struct imaevm_replay *r, int mode,
		    uint64_t used, uint32_t ima, const struct imaevm_pcrs *log,
		    struct imaevm_pcrs *out)
{
	unsigned int i, k, p;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < q->n_sel; i++) {
		int size = imaevm_hash_algo_size(q->sel[i].algo);
		struct imaevm_pcr_bank *b;
		const struct imaevm_pcr_bank *lb = NULL;

		if (q->sel[i].algo < 0 || !(b = imaevm_pcrs_bank(out, q->sel[i].algo, 1)))
			continue;
		for (k = 0; log && k < log->n_banks; k++)
			if (log->bank[k].algo == q->sel[i].algo)
				lb = &log->bank[k];
		for (p = 0; p < IMAEVM_NUM_PCRS; p++) {
			struct imaevm_replay_pcr rp;

			if (used & (1ull << p)) {
				if (imaevm_replay_result(r, q->sel[i].algo, mode, p, &rp))
					continue;
				memcpy(b->pcr[p], rp.value, (size_t)size);
			} else if (log && p < 10) {
				if (!lb)
					continue;	/* no value: the digest cannot be made */
				memcpy(b->pcr[p], lb->pcr[p], (size_t)size);
			} else if (!(ima & (1u << p)) && lb && (lb->valid & (1u << p))) {
				memcpy(b->pcr[p], lb->pcr[p], (size_t)size);
			} else {
				/* reset values: PCRs 17-22 start all ones */
				memset(b->pcr[p], p >= 17 && p <= 22 ? 0xff : 0, (size_t)size);
			}
			b->valid |= 1u << p;
		}
	}
}

/* --quote-pcrs (tpm2_quote -o FILE -F values): the quoted values, in selection order. */
static int read_quoted_pcrs(struct attest_cmd *c, const struct imaevm_quote *q,
			    struct imaevm_pcrs *out)
{
	unsigned char *buf;
	size_t len, pos = 0;
	unsigned int i, p;

	if (input_read(c->qpcrs_file, &input_quote_pcrs, &buf, &len))
		return EXIT_FAILED;
	memset(out, 0, sizeof(*out));
	for (i = 0; i < q->n_sel; i++) {
		int size = imaevm_hash_algo_size(q->sel[i].algo);
		struct imaevm_pcr_bank *b;

		if (q->sel[i].algo < 0 || !(b = imaevm_pcrs_bank(out, q->sel[i].algo, 1)))
			break;
		for (p = 0; p < IMAEVM_NUM_PCRS; p++) {
			if (!(q->sel[i].pcrs & (1u << p)))
				continue;
			if (len - pos < (size_t)size)
				break;
			memcpy(b->pcr[p], buf + pos, (size_t)size);
			b->valid |= 1u << p;
			pos += (size_t)size;
		}
	}
	free(buf);
	if (i < q->n_sel || pos != len) {
		cli_error(c->qpcrs_file, "not the PCR values of this quote's selection "
			  "(expected tpm2_quote -o FILE -F values)");
		return EXIT_FAILED;
	}
	return 0;
}

/* Name each PCR whose replayed value differs from the quoted one. */
static void compare_pcrs(struct attest_cmd *c, const struct imaevm_quote *q,
			 struct imaevm_replay *r, uint64_t used,
			 const struct imaevm_pcrs *calc, const struct imaevm_pcrs *quoted)
{
	unsigned int i, p, k;
	bool all = true;

	for (i = 0; i < q->n_sel; i++) {
		int algo = q->sel[i].algo, size = imaevm_hash_algo_size(algo);
		const struct imaevm_pcr_bank *cb = NULL, *qb = NULL;
		const char *name = imaevm_hash_algo_name(algo);
		/* the list's PCRs: the library's verdict against the quoted values */
		struct imaevm_replay_verdict v = {
			.version = IMAEVM_REPLAY_VERDICT_VERSION, .algo = algo,
			.mode = IMAEVM_REPLAY_BANK, .compare = used & q->sel[i].pcrs,
		};

		for (k = 0; k < calc->n_banks; k++)
			if (calc->bank[k].algo == algo)
				cb = &calc->bank[k];
		for (k = 0; k < quoted->n_banks; k++)
			if (quoted->bank[k].algo == algo)
				qb = &quoted->bank[k];
		if (qb && imaevm_replay_verdict(r, &v))
			v.matched = 0;	/* no verdict: every list PCR is named below */
		for (p = 0; qb && p < IMAEVM_NUM_PCRS; p++) {
			struct imaevm_replay_pcr rp = { 0 };

			if (!(q->sel[i].pcrs & (1u << p)))
				continue;
			if (used & (1ull << p)) {
				/* only for the message: the verdict decided */
				imaevm_replay_result(r, algo, IMAEVM_REPLAY_BANK, p, &rp);
				/* the list may have grown after the quote: a prefix is fine */
				if (v.partial & (1ull << p))
					verdict(c, "pcr", true, "%s PCR %u: quoted after entry %"
						PRIu64 " (%" PRIu64 " later entries not covered)",
						name, p, rp.matched_at, rp.entries - rp.matched_n);
				if (v.matched & (1ull << p))
					continue;
				verdict(c, "pcr", false, "%s PCR %u: the list (%" PRIu64
					" entries, last %" PRIu64 ") does not replay to the quoted value",
					name, p, rp.entries, rp.last_index);
				all = false;
			} else if (!cb || !(cb->valid & (1u << p))) {
				verdict(c, "pcr", false, "%s PCR %u: no value from the event log", name, p);
				all = false;
			} else if (memcmp(cb->pcr[p], qb->pcr[p], (size_t)size)) {
				if ((c->ima_pcrs & (1u << p)) && !(c->evlog_file && p < 10))
					verdict(c, "pcr", false, "%s PCR %u: an IMA PCR without "
						"entries, not at its reset value", name, p);
				else
					verdict(c, "pcr", false, "%s PCR %u: the %s does not replay "
						"to the quoted value", name, p,
						c->evlog_file ? "event log" : "reset value");
				all = false;
			}
		}
	}
	if (all)
		verdict(c, "pcr digest", true, "the quoted PCR values match the replay");
	if (all && c->state_file && !c->failed)
		verdict(c, "state", true, "not updated: the quote does not cover the whole list "
			"(the next run replays the rest)");
}

/*
 * --state, after the quote matched the whole replay (every entry is
 * covered): if every check passed, record where the list ended.
 */
static void record_state(struct attest_cmd *c, struct imaevm_replay *r,
			 const int *algos, unsigned int n, int mode)
{
	struct imaevm_ml_state *st = NULL;
	int modes[IMAEVM_MAX_BANKS];
	unsigned int i;
	int rc;

	if (c->failed)
		return;
	for (i = 0; i < n; i++)
		modes[i] = mode;
	rc = imaevm_ml_state_record(c->g->ctx, c->state, c->ml, r, algos, modes, n,
				    &c->boot, &st);
	if (!rc)
		rc = imaevm_ml_state_save(c->g->ctx, st, c->state_file);
	if (rc)
		verdict(c, "state", false, "%s: cannot record the state: %s", c->state_file,
			imaevm_strerror(rc));
	else
		verdict(c, "state", true, "recorded %" PRIu64 " entries (%" PRIu64 " bytes) in %s",
			imaevm_ml_state_entries(st), imaevm_ml_state_offset(st), c->state_file);
	imaevm_ml_state_free(st);
}

void verify_pcrs(struct attest_cmd *c, const struct imaevm_quote *q, int hash_algo,
			const struct imaevm_pcrs *log)
{
	struct imaevm_pcrs calc, quoted;
	struct imaevm_replay *r = NULL;
	struct imaevm_digest d;
	int algos[IMAEVM_MAX_BANKS];
	unsigned int i, n = 0;
	uint64_t used;
	int mode, rc;

	for (i = 0; i < q->n_sel; i++)
		if (q->sel[i].algo >= 0)
			algos[n++] = q->sel[i].algo;
	if (c->qpcrs_file) {
		if (read_quoted_pcrs(c, q, &quoted)) {
			verdict(c, "pcr digest", false, "unusable --quote-pcrs file");
			return;
		}
		if (imaevm_quote_pcr_digest(c->g->ctx, q, &quoted, hash_algo, &d) ||
		    d.len != q->pcr_digest_len || memcmp(d.value, q->pcr_digest, d.len)) {
			verdict(c, "pcr digest", false, "the PCR values of --quote-pcrs are "
				"not the ones the TPM quoted");
			return;
		}
	}
	for (i = 0; c->state && i < n; i++)
		if (imaevm_ml_state_bank_mode(c->state, algos[i]) < 0) {
			verdict(c, "state", false, "%s has no %s bank: a full replay (a new "
				"state file) is needed", c->state_file,
				imaevm_hash_algo_name(algos[i]));
			return;
		}
	rc = imaevm_ml_state_replay_new(c->g->ctx, c->state, algos, n,
					c->qpcrs_file ? &quoted : NULL, &r, NULL);
	if (rc) {
		verdict(c, "pcr digest", false, "cannot replay: %s", imaevm_strerror(rc));
		return;
	}
	if (c->list_file && replay_list(c, r, log)) {
		verdict(c, "pcr digest", false, "cannot replay the measurement list");
		imaevm_replay_free(r);
		return;
	}
	used = c->list_file ? imaevm_replay_pcrs_used(r) : 0;
	check_selection(c, q);
	for (i = 0; c->list_algo >= 0 && c->list_algo != IMAEVM_HASH_SHA1 && i < n; i++)
		if (algos[i] != c->list_algo)
			verdict(c, "pcr selection", false, "%s: the list is a per-bank %s list, "
				"which accounts for no other bank", imaevm_hash_algo_name(algos[i]),
				imaevm_hash_algo_name(c->list_algo));
	/* a continued replay stays in the mode the recorded run matched in */
	for (mode = c->state && n ? imaevm_ml_state_bank_mode(c->state, algos[0]) :
		    IMAEVM_REPLAY_BANK; mode < IMAEVM_REPLAY_MODES; mode++) {
		if (c->state && n && mode != imaevm_ml_state_bank_mode(c->state, algos[0]))
			break;
		compose(q, r, mode, used, c->ima_pcrs, log, &calc);
		rc = imaevm_quote_pcr_digest(c->g->ctx, q, &calc, hash_algo, &d);
		if (rc == 0 && d.len == q->pcr_digest_len &&
		    !memcmp(d.value, q->pcr_digest, d.len)) {
			verdict(c, "pcr digest", true, "%s", mode == IMAEVM_REPLAY_BANK ?
				"the replayed PCRs are the quoted ones" :
				"the replayed PCRs are the quoted ones (zero-padded sha1 template digests)");
			if (c->state_file && c->list_file)
				record_state(c, r, algos, n, mode);
			imaevm_replay_free(r);
			return;
		}
	}
	compose(q, r, IMAEVM_REPLAY_BANK, used, c->ima_pcrs, log, &calc);
	if (c->qpcrs_file)
		compare_pcrs(c, q, r, used, &calc, &quoted);
	else if (rc == -ENOENT)
		verdict(c, "pcr digest", false, "the event log has no value for a quoted bank");
	else
		verdict(c, "pcr digest", false, "the replayed PCRs are not the quoted ones "
			"(give --quote-pcrs to name the PCR)");
	imaevm_replay_free(r);
}
