// SPDX-License-Identifier: GPL-2.0-or-later
/* cmd-attest.c - `evmctl ima_attest`: verify a TPM 2.0 quote against a measurement list and event log. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "attest.h"

#define MAX_REPORTED 1000	/* entry failures kept for the JSON output */

struct check {
	const char *name;
	bool ok;
	char *reason;		/* why it failed, or a note */
};

struct entry_fail {
	uint64_t index;
	uint32_t pcr;
	char *path;
	char *reason;
};

struct attest_cmd {
	struct evmctl *g;
	const char *quote_file, *sig_file, *ak_file, *nonce_hex, *nonce_file;
	const char *evlog_file, *qpcrs_file, *list_file;
	bool json, ignore_violations;
	unsigned char nonce[64];	/* expected qualifying data */
	size_t nonce_len;
	struct check checks[64];
	unsigned int n_checks;
	struct entry_fail *ef;
	size_t n_ef;
	uint64_t n_entry_failures, entries, violations;
	bool failed, saw_boot_aggregate;
};

static int attest_option(void *state, int code, const char *arg)
{
	struct attest_cmd *c = state;

	switch (code) {
	case OPT_QUOTE: c->quote_file = arg; break;
	case OPT_QUOTE_SIG: c->sig_file = arg; break;
	case OPT_AK: c->ak_file = arg; break;
	case OPT_NONCE: c->nonce_hex = arg; break;
	case OPT_NONCE_FILE: c->nonce_file = arg; break;
	case OPT_EVENTLOG: c->evlog_file = arg; break;
	case OPT_QUOTE_PCRS: c->qpcrs_file = arg; break;
	case OPT_JSON: c->json = true; break;
	case OPT_IGNORE_VIOLATIONS: c->ignore_violations = true; break;
	default: return OPTION_UNUSED;
	}
	return 0;
}

/* Record the result of one check; failures also go to stderr. */
static void __attribute__((format(printf, 4, 5)))
verdict(struct attest_cmd *c, const char *name, bool ok, const char *fmt, ...)
{
	struct check *k;
	char *reason = NULL;
	va_list ap;

	if (fmt) {
		va_start(ap, fmt);
		if (vasprintf(&reason, fmt, ap) < 0)
			reason = NULL;
		va_end(ap);
	}
	if (!ok) {
		c->failed = true;
		cli_error(c->quote_file, "%s: %s", name, reason ? reason : "failed");
	}
	if (!c->json)
		printf("%s: %s%s%s\n", name, ok ? "ok" : "FAILED",
		       reason ? ": " : "", reason ? reason : "");
	if (c->n_checks == sizeof(c->checks) / sizeof(c->checks[0])) {
		free(reason);
		return;
	}
	k = &c->checks[c->n_checks++];
	k->name = name;
	k->ok = ok;
	k->reason = reason;
}

static void entry_failure(struct attest_cmd *c, const struct imaevm_ml_entry *e,
			  const char *reason)
{
	c->failed = true;
	c->n_entry_failures++;
	cli_error(c->list_file, "entry %" PRIu64 " (%s, %s): %s", e->index,
		  e->template_name, e->path ? e->path : "no name", reason);
	if (c->n_ef < MAX_REPORTED) {
		struct entry_fail *grown = realloc(c->ef, (c->n_ef + 1) * sizeof(*grown));

		if (!grown)
			return;
		c->ef = grown;
		grown[c->n_ef].index = e->index;
		grown[c->n_ef].pcr = e->pcr;
		grown[c->n_ef].path = e->path ? strdup(e->path) : NULL;
		grown[c->n_ef].reason = strdup(reason);
		c->n_ef++;
	}
}

/* Read a whole (small) file; 0 or EXIT_FAILED after saying why. */
static int slurp(const char *path, const char *what, unsigned char **buf, size_t *len)
{
	size_t cap = 4096, n = 0;
	unsigned char *b = malloc(cap);
	ssize_t r;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || !b) {
		cli_error(path, "cannot read the %s: %s", what, strerror(errno));
		free(b);
		if (fd >= 0)
			close(fd);
		return EXIT_FAILED;
	}
	for (;;) {
		if (n == cap) {
			unsigned char *g = cap < (16u << 20) ? realloc(b, cap * 2) : NULL;

			if (!g) {
				cli_error(path, "the %s is too large", what);
				free(b);
				close(fd);
				return EXIT_FAILED;
			}
			b = g;
			cap *= 2;
		}
		r = read(fd, b + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			cli_error(path, "cannot read the %s: %s", what, strerror(errno));
			free(b);
			close(fd);
			return EXIT_FAILED;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	*buf = b;
	*len = n;
	return 0;
}

static int parse_hex(const char *s, unsigned char *out, size_t max, size_t *len)
{
	size_t n = strlen(s), i;

	if (n >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		s += 2;
		n -= 2;
	}
	if (n % 2 || n / 2 > max)
		return -1;
	for (i = 0; i < n / 2; i++) {
		unsigned int v;

		if (sscanf(s + 2 * i, "%2x", &v) != 1 || !strchr("0123456789abcdefABCDEF", s[2 * i]) ||
		    !strchr("0123456789abcdefABCDEF", s[2 * i + 1]))
			return -1;
		out[i] = (unsigned char)v;
	}
	*len = n / 2;
	return 0;
}

static void pcr_list_text(uint32_t mask, char *buf, size_t size)
{
	size_t pos = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < IMAEVM_NUM_PCRS && pos < size; i++)
		if (mask & (1u << i))
			pos += (size_t)snprintf(buf + pos, size - pos, "%s%u", pos ? "," : "", i);
}

/* The selection must cover what the list and the event log extended. */
static void check_selection(struct attest_cmd *c, const struct imaevm_quote *q,
			    uint64_t list_used)
{
	uint32_t need = (uint32_t)(list_used & ((1ull << IMAEVM_NUM_PCRS) - 1));
	char have[100], missing[100];
	unsigned int i;
	bool ok = true;

	if (list_used >> IMAEVM_NUM_PCRS) {
		verdict(c, "pcr selection", false, "the list extends PCRs above 23, "
			"which no quote can cover");
		return;
	}
	if (c->evlog_file)
		need |= 0x3ff;		/* PCRs 0-9 */
	if (!q->n_sel) {
		verdict(c, "pcr selection", false, "the quote selects no PCR");
		return;
	}
	for (i = 0; i < q->n_sel; i++) {
		if (q->sel[i].algo < 0) {
			verdict(c, "pcr selection", false, "bank of TPM algorithm 0x%04x unknown",
				q->sel[i].tpm_alg);
			ok = false;
			continue;
		}
		if ((q->sel[i].pcrs & need) != need) {
			pcr_list_text(need & ~q->sel[i].pcrs, missing, sizeof(missing));
			verdict(c, "pcr selection", false, "%s: PCR %s not quoted%s",
				imaevm_hash_algo_name(q->sel[i].algo), missing,
				c->evlog_file ? "" : " (used by the list)");
			ok = false;
		}
		if (!c->evlog_file && (q->sel[i].pcrs & 0x3ff & ~need)) {
			pcr_list_text(q->sel[i].pcrs & 0x3ff & ~need, missing, sizeof(missing));
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

/* Replay the list; check boot_aggregate entries against the event log. */
static int replay_list(struct attest_cmd *c, struct imaevm_replay *r,
		       const struct imaevm_pcrs *log)
{
	const struct imaevm_ml_entry *e;
	struct imaevm_ml *ml;
	int rc;

	rc = imaevm_ml_open(c->g->ctx, c->list_file, IMAEVM_ML_AUTO, &ml);
	if (rc) {
		cli_error(c->list_file, "cannot open the measurement list: %s",
			  imaevm_strerror(rc));
		return EXIT_FAILED;
	}
	while ((rc = imaevm_ml_next(ml, &e)) == 1) {
		c->entries++;
		rc = imaevm_replay_extend(r, e);
		if (rc == -EBADMSG)
			entry_failure(c, e, "template digest does not match the template data");
		else if (rc == -ERANGE)
			entry_failure(c, e, "PCR index out of range");
		else if (rc)
			break;
		rc = 0;
		if (e->field_error)
			entry_failure(c, e, e->field_error);
		if (e->violation && ++c->violations && !c->ignore_violations)
			entry_failure(c, e, "measurement violation (see --ignore-violations)");
		if (e->path && !strcmp(e->path, "boot_aggregate") && e->digest && !e->violation &&
		    !c->saw_boot_aggregate) {
			const struct imaevm_pcr_bank *b = NULL;
			struct imaevm_digest d;
			unsigned int i;
			char msg[200];

			c->saw_boot_aggregate = true;
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
	}
	if (rc < 0) {
		const char *why = imaevm_ml_error(ml);

		c->failed = true;
		verdict(c, "measurement list", false, "%s", why ? why : imaevm_strerror(rc));
	} else if (log && !c->saw_boot_aggregate) {
		verdict(c, "boot_aggregate", false, "the list has no boot_aggregate entry "
			"to tie it to the event log");
	}
	imaevm_ml_close(ml);
	return imaevm_replay_finish(r) ? EXIT_FAILED : 0;
}

/* The PCR values the quote should cover: the list's PCRs from @r in @mode, the rest from the log. */
static void compose(const struct imaevm_quote *q, struct imaevm_replay *r, int mode,
		    uint64_t used, const struct imaevm_pcrs *log, struct imaevm_pcrs *out)
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
			} else if (lb && (lb->valid & (1u << p))) {
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
	int err;

	if ((err = slurp(c->qpcrs_file, "quoted PCR values", &buf, &len)))
		return err;
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

		for (k = 0; k < calc->n_banks; k++)
			if (calc->bank[k].algo == algo)
				cb = &calc->bank[k];
		for (k = 0; k < quoted->n_banks; k++)
			if (quoted->bank[k].algo == algo)
				qb = &quoted->bank[k];
		for (p = 0; qb && p < IMAEVM_NUM_PCRS; p++) {
			struct imaevm_replay_pcr rp;

			if (!(q->sel[i].pcrs & (1u << p)))
				continue;
			if (used & (1ull << p)) {
				/* the list may have grown after the quote: a prefix is fine */
				if (imaevm_replay_result(r, algo, IMAEVM_REPLAY_BANK, p, &rp) == 0 &&
				    rp.matched_at) {
					if (rp.matched_n < rp.entries && !c->json)
						printf("%s PCR %u: quoted after entry %" PRIu64
						       " (%" PRIu64 " later entries not covered)\n",
						       name, p, rp.matched_at, rp.entries - rp.matched_n);
					continue;
				}
				verdict(c, "pcr", false, "%s PCR %u: the list (%" PRIu64
					" entries, last %" PRIu64 ") does not replay to the quoted value",
					name, p, rp.entries, rp.last_index);
				all = false;
			} else if (!cb || !(cb->valid & (1u << p))) {
				verdict(c, "pcr", false, "%s PCR %u: no value from the event log", name, p);
				all = false;
			} else if (memcmp(cb->pcr[p], qb->pcr[p], (size_t)size)) {
				verdict(c, "pcr", false, "%s PCR %u: the %s does not replay to the quoted value",
					name, p, c->evlog_file ? "event log" : "reset value");
				all = false;
			}
		}
	}
	if (all)
		verdict(c, "pcr digest", true, "the quoted PCR values match the replay");
}

static void verify_pcrs(struct attest_cmd *c, const struct imaevm_quote *q, int hash_algo,
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
	rc = imaevm_replay_new(c->g->ctx, algos, n, c->qpcrs_file ? &quoted : NULL, &r);
	if (rc) {
		verdict(c, "pcr digest", false, "cannot replay: %s", imaevm_strerror(rc));
		return;
	}
	if (replay_list(c, r, log)) {
		verdict(c, "pcr digest", false, "cannot replay the measurement list");
		imaevm_replay_free(r);
		return;
	}
	used = imaevm_replay_pcrs_used(r);
	check_selection(c, q, used);
	for (mode = IMAEVM_REPLAY_BANK; mode < IMAEVM_REPLAY_MODES; mode++) {
		compose(q, r, mode, used, log, &calc);
		rc = imaevm_quote_pcr_digest(c->g->ctx, q, &calc, hash_algo, &d);
		if (rc == 0 && d.len == q->pcr_digest_len &&
		    !memcmp(d.value, q->pcr_digest, d.len)) {
			verdict(c, "pcr digest", true, "%s", mode == IMAEVM_REPLAY_BANK ?
				"the replayed PCRs are the quoted ones" :
				"the replayed PCRs are the quoted ones (zero-padded sha1 template digests)");
			imaevm_replay_free(r);
			return;
		}
	}
	compose(q, r, IMAEVM_REPLAY_BANK, used, log, &calc);
	if (c->qpcrs_file)
		compare_pcrs(c, q, r, used, &calc, &quoted);
	else if (rc == -ENOENT)
		verdict(c, "pcr digest", false, "the event log has no value for a quoted bank");
	else
		verdict(c, "pcr digest", false, "the replayed PCRs are not the quoted ones "
			"(give --quote-pcrs to name the PCR)");
	imaevm_replay_free(r);
}

static void print_json(struct attest_cmd *c)
{
	unsigned int i;
	size_t j;

	fputs("{\n  \"quote\": ", stdout);
	json_string(c->quote_file);
	fputs(",\n  \"list\": ", stdout);
	json_string(c->list_file);
	fputs(",\n  \"eventlog\": ", stdout);
	json_string(c->evlog_file);
	fputs(",\n  \"checks\": [", stdout);
	for (i = 0; i < c->n_checks; i++) {
		printf("%s\n    {\"check\": ", i ? "," : "");
		json_string(c->checks[i].name);
		printf(", \"result\": \"%s\", \"reason\": ", c->checks[i].ok ? "pass" : "fail");
		json_string(c->checks[i].reason);
		putchar('}');
	}
	fputs("\n  ],\n  \"failures\": [", stdout);
	for (j = 0; j < c->n_ef; j++) {
		printf("%s\n    {\"index\": %" PRIu64 ", \"pcr\": %u, \"path\": ",
		       j ? "," : "", c->ef[j].index, c->ef[j].pcr);
		json_string(c->ef[j].path);
		fputs(", \"reason\": ", stdout);
		json_string(c->ef[j].reason);
		putchar('}');
	}
	printf("\n  ],\n  \"entries\": %" PRIu64 ",\n  \"violations\": %" PRIu64
	       ",\n  \"verdict\": \"%s\"\n}\n", c->entries, c->violations,
	       c->failed ? "fail" : "pass");
}

static int run(struct attest_cmd *c)
{
	unsigned char *quote = NULL, *sig = NULL, *ak = NULL, *nf = NULL;
	size_t qlen, slen, alen, nlen;
	struct imaevm_pcrs log;
	struct imaevm_quote q;
	int err, hash_algo = -1;

	if ((err = slurp(c->quote_file, "quote", &quote, &qlen)) ||
	    (err = slurp(c->sig_file, "quote signature", &sig, &slen)) ||
	    (err = slurp(c->ak_file, "attestation key", &ak, &alen)))
		goto out;
	if (c->nonce_file) {
		if ((err = slurp(c->nonce_file, "nonce", &nf, &nlen)))
			goto out;
		if (nlen > sizeof(c->nonce)) {
			cli_error(c->nonce_file, "a nonce has at most 64 bytes");
			err = EXIT_FAILED;
			goto out;
		}
		memcpy(c->nonce, nf, nlen);
		c->nonce_len = nlen;
	}
	if (c->evlog_file && (err = imaevm_evlog_replay(c->g->ctx, c->evlog_file, &log)) < 0) {
		cli_error(c->evlog_file, "cannot replay the event log: %s", imaevm_strerror(err));
		err = EXIT_FAILED;
		goto out;
	}
	err = imaevm_quote_parse(quote, qlen, &q);
	if (err) {
		verdict(c, "quote", false, "not a TPM 2.0 quote (TPMS_ATTEST of type "
			"TPM_ST_ATTEST_QUOTE)");
		goto done;
	}
	verdict(c, "magic", q.magic == IMAEVM_QUOTE_MAGIC, q.magic == IMAEVM_QUOTE_MAGIC ?
		NULL : "0x%08x is not TPM_GENERATED_VALUE: the TPM did not make this quote",
		q.magic);
	err = imaevm_quote_verify_signature(c->g->ctx, quote, qlen, sig, slen, ak, alen,
					    &hash_algo);
	if (err == 0)
		verdict(c, "signature", true, "verified with the AK (%s)",
			imaevm_hash_algo_name(hash_algo));
	else
		verdict(c, "signature", false, "%s", err == -EKEYREJECTED ?
			"does not verify with the AK" : err == -EBADMSG ?
			"malformed signature or AK (see -v)" : imaevm_strerror(err));
	if (hash_algo < 0) {
		/* without a verified signature, the digest size names its hash */
		static const int guess[] = { IMAEVM_HASH_SHA256, IMAEVM_HASH_SHA1,
					     IMAEVM_HASH_SHA384, IMAEVM_HASH_SHA512 };
		unsigned int i;

		for (i = 0; i < sizeof(guess) / sizeof(guess[0]); i++)
			if ((size_t)imaevm_hash_algo_size(guess[i]) == q.pcr_digest_len)
				hash_algo = guess[i];
	}
	if (c->nonce_len != q.extra_len || memcmp(c->nonce, q.extra_data, q.extra_len)) {
		char hex[2 * 64 + 1];

		hex_encode(q.extra_data, q.extra_len, hex);
		verdict(c, "nonce", false, "the quote's qualifying data is %s%s, not the "
			"expected nonce", q.extra_len ? "" : "empty", hex);
	} else {
		verdict(c, "nonce", true, NULL);
	}
	verify_pcrs(c, &q, hash_algo, c->evlog_file ? &log : NULL);
done:
	if (c->json)
		print_json(c);
	else if (c->failed)
		printf("Quote NOT verified.\n");
	else
		printf("Quote verified: the list%s is what the TPM attested.\n",
		       c->evlog_file ? " and the event log" : "");
	err = c->failed ? EXIT_FAILED : EXIT_OK;
out:
	free(quote);
	free(sig);
	free(ak);
	free(nf);
	return err;
}

int cmd_ima_attest(struct evmctl *g, const struct command *cmd, int argc,
		   const char **argv)
{
	struct attest_cmd c = { .g = g };
	const char **args;
	unsigned int i;
	size_t j;
	poptContext pc;
	int err;

	err = cli_parse(g, cmd, argc, argv, attest_option, &c, &pc, &args);
	if (err)
		return err;
	err = EXIT_USAGE;
	if (!args || !args[0] || args[1])
		cli_error(NULL, "ima_attest: one measurement list expected "
			  "(see 'evmctl help ima_attest')");
	else if (!c.quote_file || !c.sig_file || !c.ak_file)
		cli_error(NULL, "ima_attest: --quote, --quote-sig and --ak are required");
	else if (!c.nonce_hex == !c.nonce_file)
		cli_error(NULL, "ima_attest: give the expected nonce, with --nonce HEX "
			  "or --nonce-file FILE");
	else
		err = 0;
	if (!err) {
		c.list_file = args[0];
		if (c.nonce_hex && parse_hex(c.nonce_hex, c.nonce, sizeof(c.nonce),
					     &c.nonce_len)) {
			cli_error(NULL, "--nonce '%s': expected up to 64 bytes in hex",
				  c.nonce_hex);
			err = EXIT_USAGE;
		} else {
			err = run(&c);
		}
	}
	for (i = 0; i < c.n_checks; i++)
		free(c.checks[i].reason);
	for (j = 0; j < c.n_ef; j++) {
		free(c.ef[j].path);
		free(c.ef[j].reason);
	}
	free(c.ef);
	poptFreeContext(pc);
	return err;
}
