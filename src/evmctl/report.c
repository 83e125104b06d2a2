// SPDX-License-Identifier: GPL-2.0-or-later
/* report.c - results of the verifying commands, collected while they check and printed at the end, as text or JSON. */
#include "config.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

void report_check(struct report *r, const char *name, bool ok, char *reason)
{
	if (r->max_checks && r->n_checks >= r->max_checks) {
		free(reason);
		return;
	}
	if (r->n_checks == r->checks_cap) {
		size_t cap = r->checks_cap ? 2 * r->checks_cap : 16;
		struct report_check *grown = realloc(r->checks, cap * sizeof(*grown));

		if (!grown) {
			free(reason);
			return;
		}
		r->checks = grown;
		r->checks_cap = cap;
	}
	r->checks[r->n_checks].name = name;
	r->checks[r->n_checks].ok = ok;
	r->checks[r->n_checks].reason = reason;
	r->n_checks++;
}

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

void report_failure(struct report *r, const struct imaevm_ml_entry *e, uint64_t index,
		    int64_t offset, const char *reason)
{
	struct report_failure *f;

	r->n_failures++;
	if (r->max_fails && r->n_fails >= r->max_fails)
		return;
	if (r->n_fails == r->fails_cap) {
		size_t cap = r->fails_cap ? 2 * r->fails_cap : 16;
		struct report_failure *grown = realloc(r->fails, cap * sizeof(*grown));

		if (!grown)
			return;
		r->fails = grown;
		r->fails_cap = cap;
	}
	f = &r->fails[r->n_fails++];
	memset(f, 0, sizeof(*f));
	f->list_error = !e;
	f->index = e ? e->index : index;
	f->pcr = e ? e->pcr : 0;
	f->template_name = e ? dup_or_null(e->template_name) : NULL;
	f->path = e ? dup_or_null(e->path) : NULL;
	f->offset = offset;
	f->reason = dup_or_null(reason);
}

void report_entry_failure(struct report *r, const char *list, const struct imaevm_ml_entry *e,
			  int64_t offset, const char *reason)
{
	char *t = shown_name(e->template_name ? e->template_name : "?");
	char *p = shown_name(e->path ? e->path : "no name");

	cli_error(list, "entry %" PRIu64 " (%s, %s): %s", e->index, t ? t : "?", p ? p : "?",
		  reason);
	free(t);
	free(p);
	if (r)
		report_failure(r, e, e->index, offset, reason);
}

void report_free(struct report *r)
{
	size_t i;

	for (i = 0; i < r->n_checks; i++)
		free(r->checks[i].reason);
	for (i = 0; i < r->n_fails; i++) {
		free(r->fails[i].template_name);
		free(r->fails[i].path);
		free(r->fails[i].reason);
	}
	free(r->checks);
	free(r->fails);
	memset(r, 0, sizeof(*r));
}

void json_begin(struct json_doc *d)
{
	d->members = false;
	putchar('{');
}

void json_member(struct json_doc *d, const char *name)
{
	printf("%s\n  \"%s\": ", d->members ? "," : "", name);
	d->members = true;
}

void json_end(struct json_doc *d)
{
	(void)d;
	fputs("\n}\n", stdout);
}

void json_record(bool first)
{
	fputs(first ? "\n    " : ",\n    ", stdout);
}

void json_array_end(void)
{
	fputs("\n  ]", stdout);
}

void json_string_n(const unsigned char *s, size_t len)
{
	size_t i;

	putchar('"');
	for (i = 0; i < len; i++) {
		unsigned char c = s[i];

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c == '\n')
			fputs("\\n", stdout);
		else if (c < 0x20 || c >= 0x7f)
			printf("\\u%04x", c);	/* bytes above 0x7e as Latin-1 */
		else
			putchar(c);
	}
	putchar('"');
}

void json_string(const char *s)
{
	if (!s)
		fputs("null", stdout);
	else
		json_string_n((const unsigned char *)s, strlen(s));
}

void json_hex(const unsigned char *buf, size_t len)
{
	putchar('"');
	print_hex(stdout, buf, len);
	putchar('"');
}

void json_bool(bool b)
{
	fputs(b ? "true" : "false", stdout);
}

void report_json_checks(const struct report *r)
{
	size_t i;

	putchar('[');
	for (i = 0; i < r->n_checks; i++) {
		json_record(i == 0);
		fputs("{\"check\": ", stdout);
		json_string(r->checks[i].name);
		printf(", \"result\": \"%s\", \"reason\": ", r->checks[i].ok ? "pass" : "fail");
		json_string(r->checks[i].reason);
		putchar('}');
	}
	json_array_end();
}

void report_json_failures(const struct report *r, bool detail)
{
	size_t i;

	putchar('[');
	for (i = 0; i < r->n_fails; i++) {
		const struct report_failure *f = &r->fails[i];

		json_record(i == 0);
		printf("{\"index\": %" PRIu64, f->index);
		if (!f->list_error) {
			printf(", \"pcr\": %u", f->pcr);
			if (detail) {
				fputs(", \"template\": ", stdout);
				json_string(f->template_name);
			}
			fputs(", \"path\": ", stdout);
			json_string(f->path);
			if (detail)
				printf(", \"offset\": %" PRId64, f->offset);
		}
		fputs(", \"reason\": ", stdout);
		json_string(f->reason);
		putchar('}');
	}
	json_array_end();
}

void report_pcr_set(FILE *out, uint64_t mask, const char *sep)
{
	unsigned int i;
	bool first = true;

	for (i = 0; i < IMAEVM_MAX_LIST_PCRS; i++)
		if (mask & (1ull << i)) {
			fprintf(out, "%s%u", first ? "" : sep, i);
			first = false;
		}
}

static const char *const verdict_name[] = {
	"no-pcr-values", "match", "match-padded", "mismatch"
};

static bool have_value(const struct report_bank *b, unsigned int i)
{
	return b->tpm && i < IMAEVM_NUM_PCRS && (b->tpm->valid & (1u << i));
}

void report_bank_text(const struct report_bank *b, int verbose, bool intact)
{
	const char *name = imaevm_hash_algo_name(b->algo);
	size_t size = (size_t)imaevm_hash_algo_size(b->algo);
	enum bank_verdict v = b->verdict;
	unsigned int i;

	for (i = 0; i < IMAEVM_MAX_LIST_PCRS; i++) {
		const struct imaevm_replay_pcr *p = &b->pcr[i];
		bool have = have_value(b, i);

		if (b->tpm && (b->cmp & ~b->used & (1ull << i))) {
			/* required, but no entry extended it */
			if (!have)
				printf("%s: PCR-%u: no value to compare with (no entries)\n",
				       name, i);
			else if (!(b->v.at_reset & (1ull << i))) {
				printf("%s: TPM PCR-%u: ", name, i);
				print_hex(stdout, b->tpm->pcr[i], size);
				printf("\n%s: PCR-%u: no entry extended it, but it is not at its reset value\n",
				       name, i);
			} else if (verbose)
				printf("%s PCR-%u: at its reset value (no entries)\n", name, i);
			continue;
		}
		if (!b->have_pcr[i])
			continue;
		if (verbose || !p->matched_at) {
			printf("%s: PCRAgg  %u: ", name, i);
			print_hex(stdout, p->value, size);
			putchar('\n');
			if (have) {
				printf("%s: TPM PCR-%u: ", name, i);
				print_hex(stdout, b->tpm->pcr[i], size);
				putchar('\n');
			}
		}
		if (!b->tpm)
			continue;
		if (!have)
			printf("%s: PCR-%u: no value to compare with (%" PRIu64 " entries)\n",
			       name, i, p->entries);
		else if (!p->matched_at)
			printf("%s: PCR-%u: does not match after entry %" PRIu64
			       " (its last of %" PRIu64 " entries)\n",
			       name, i, p->last_index, p->entries);
		else if (p->matched_n < p->entries)
			printf("%s PCR-%u: succeed at entry %" PRIu64 " (%" PRIu64
			       " of %" PRIu64 " entries; the rest came after the PCRs were read)\n",
			       name, i, p->matched_at, p->matched_n, p->entries);
		else
			printf("%s PCR-%u: succeed at entry %" PRIu64 " (all %" PRIu64
			       " entries)\n", name, i, p->matched_at, p->entries);
	}
	if (b->tpm) {
		printf("%s: PCRs compared: ", name);
		report_pcr_set(stdout, b->cmp, ",");
		putchar('\n');
	}
	if ((v == BANK_MATCH || v == BANK_MATCH_PADDED) && !intact)
		printf("%s: PCRs match the replay%s, but the list is not intact\n", name,
		       v == BANK_MATCH_PADDED ? " (zero-padded sha1 template digests)" : "");
	else
		printf("%s: %s\n", name, v == BANK_MATCH ? "matches" : v == BANK_MATCH_PADDED ?
		       "matches (zero-padded sha1 template digests)" :
		       v == BANK_MISMATCH ? "DOES NOT MATCH" : "no PCR values to compare with");
}

void report_bank_json(const struct report_bank *b, bool first)
{
	size_t size = (size_t)imaevm_hash_algo_size(b->algo);
	unsigned int i;
	bool first_pcr = true;

	json_record(first);
	printf("{\"algo\": \"%s\", \"verdict\": \"%s\", \"mode\": \"%s\", \"pcrs\": [",
	       imaevm_hash_algo_name(b->algo), verdict_name[b->verdict],
	       b->mode == IMAEVM_REPLAY_PADDED ? "padded-sha1" : "bank");
	for (i = 0; i < IMAEVM_MAX_LIST_PCRS; i++) {
		const struct imaevm_replay_pcr *p = &b->pcr[i];

		if (!b->have_pcr[i])
			continue;
		printf("%s\n      {\"pcr\": %u, \"entries\": %" PRIu64
		       ", \"last_entry\": %" PRIu64 ", \"replayed\": ",
		       first_pcr ? "" : ",", i, p->entries, p->last_index);
		json_hex(p->value, size);
		fputs(", \"tpm\": ", stdout);
		if (have_value(b, i))
			json_hex(b->tpm->pcr[i], size);
		else
			fputs("null", stdout);
		printf(", \"matched\": %s, \"matched_at\": %" PRIu64
		       ", \"entries_after_match\": %" PRIu64 "}",
		       p->matched_at ? "true" : "false", p->matched_at,
		       p->matched_at ? p->entries - p->matched_n : 0);
		first_pcr = false;
	}
	fputs("], \"pcrs_compared\": [", stdout);
	if (b->tpm)
		report_pcr_set(stdout, b->cmp, ", ");
	fputs("]}", stdout);
}

void report_counts(FILE *out, unsigned long verified, unsigned long failed,
		   const char *const *names, const unsigned long *counts, size_t n,
		   unsigned long other, unsigned long skipped)
{
	const char *sep = " (";
	size_t i;

	fprintf(out, "%lu verified, %lu failed", verified, failed);
	for (i = 0; i < n; i++) {
		if (!counts[i])
			continue;
		fprintf(out, "%s%lu %s", sep, counts[i], names[i]);
		sep = ", ";
	}
	if (other) {
		fprintf(out, "%s%lu other", sep, other);
		sep = ", ";
	}
	fprintf(out, "%s, %lu skipped\n", *sep == ',' ? ")" : "", skipped);
}
