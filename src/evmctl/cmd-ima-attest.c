// SPDX-License-Identifier: GPL-2.0-or-later
/* cmd-ima-attest.c - `evmctl ima_attest`: verify a TPM 2.0 quote against a measurement list and event log. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "attest-quote.h"
#include "input.h"

#define MAX_REPORTED 1000	/* entry failures kept for the JSON output */
#define MAX_CHECKS 64		/* checks kept for the JSON output */

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
	case OPT_STATE: c->state_file = arg; break;
	case OPT_IGNORE_VIOLATIONS: c->ignore_violations = true; break;
	case OPT_IMA_PCR: return parse_pcr_list("--ima-pcr", arg, &c->ima_pcrs);
	case OPT_ACCOUNT_PCRS: return parse_pcr_list("--account-pcrs", arg, &c->account_pcrs);
	default: return policy_option(&c->popts, code, arg);
	}
	return 0;
}


/* Record the result of one check; failures also go to stderr. */
void verdict(struct attest_cmd *c, const char *name, bool ok, const char *fmt, ...)
{
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
	report_check(&c->rep, name, ok, reason);
}

void entry_failure(struct attest_cmd *c, const struct imaevm_ml_entry *e,
		   const char *reason)
{
	c->failed = true;
	report_entry_failure(&c->rep, c->list_file, e, -1, reason);
}

/* --nonce: hex, 0x allowed */
static int parse_hex(const char *s, unsigned char *out, size_t max, size_t *len)
{
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	return hex_decode(s, strlen(s), out, max, len);
}

static void print_json(struct attest_cmd *c)
{
	struct json_doc d;

	json_begin(&d);
	json_member(&d, "quote");
	json_string(c->quote_file);
	json_member(&d, "list");
	json_string(c->list_file);
	json_member(&d, "eventlog");
	json_string(c->evlog_file);
	json_member(&d, "checks");
	report_json_checks(&c->rep);
	json_member(&d, "failures");
	report_json_failures(&c->rep, false);
	json_member(&d, "entries");
	printf("%" PRIu64, c->entries);
	json_member(&d, "violations");
	printf("%" PRIu64, c->violations);
	json_member(&d, "verdict");
	printf("\"%s\"", c->failed ? "fail" : "pass");
	json_end(&d);
}

/* The closing line of a pass: what was compared, bank by bank. */
static void print_verified(const struct attest_cmd *c, const struct imaevm_quote *q)
{
	unsigned int i;

	printf("Quote verified: %s %s what the TPM attested (", c->list_file ?
	       (c->evlog_file ? "the list and the event log" : "the list") :
	       "the event log (no measurement list)", c->list_file && c->evlog_file ? "are" : "is");
	for (i = 0; i < q->n_sel; i++) {
		char l[100];

		pcr_ranges_text(q->sel[i].pcrs, l, sizeof(l));
		printf("%s%s PCRs %s", i ? "; " : "", imaevm_hash_algo_name(q->sel[i].algo), l);
	}
	printf(").\n");
}

/*
 * --state: what identifies this boot and machine (the quote's clock, a hash
 * of the AK), and the recorded state, which must be of the same ones.
 * false after a failed verdict.
 */
static bool use_state(struct attest_cmd *c, const struct imaevm_quote *q,
		      const unsigned char *ak, size_t alen)
{
	const char *why = NULL;
	struct imaevm_digest d;
	int rc;

	c->boot.have_clock = 1;
	c->boot.clock = q->clock;
	c->boot.reset_count = q->reset_count;
	c->boot.restart_count = q->restart_count;
	if ((rc = imaevm_digest_buf(c->g->ctx, ak, alen, IMAEVM_HASH_SHA256, &d))) {
		verdict(c, "state", false, "cannot hash the AK: %s", imaevm_strerror(rc));
		return false;
	}
	memcpy(c->boot.machine, d.value, d.len);
	c->boot.machine_len = d.len;
	rc = imaevm_ml_state_load(c->g->ctx, c->state_file, &c->state, &why);
	if (rc == -ENOENT)
		return true;	/* a first run: the whole list */
	if (rc) {
		verdict(c, "state", false, "%s: unusable state file: %s", c->state_file,
			why ? why : imaevm_strerror(rc));
		return false;
	}
	rc = imaevm_ml_state_check_boot(c->state, &c->boot, &why);
	if (rc) {
		verdict(c, "state", false, "%s: %s", c->state_file, why ? why : imaevm_strerror(rc));
		return false;
	}
	return true;
}

static int run(struct attest_cmd *c)
{
	unsigned char *quote = NULL, *sig = NULL, *ak = NULL, *nf = NULL;
	size_t qlen, slen, alen, nlen;
	struct imaevm_pcrs log;
	struct imaevm_quote q;
	int err, hash_algo = -1;

	err = EXIT_FAILED;
	if (input_read(c->quote_file, &input_quote, &quote, &qlen) ||
	    input_read(c->sig_file, &input_quote_sig, &sig, &slen) ||
	    input_read(c->ak_file, &input_ak, &ak, &alen))
		goto out;
	if (c->nonce_file) {
		if (input_read(c->nonce_file, &input_nonce, &nf, &nlen))
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
		cli_error(c->evlog_file, "cannot replay the event log: %s", evlog_error_text(c->evlog_file, err));
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
	if (c->state_file && !use_state(c, &q, ak, alen))
		goto done;
	verify_pcrs(c, &q, hash_algo, c->evlog_file ? &log : NULL);
done:
	if (c->json)
		print_json(c);
	else if (c->failed)
		printf("Quote NOT verified.\n");
	else
		print_verified(c, &q);
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
	struct attest_cmd c = { .list_algo = -1, .g = g,
				.rep = { .max_checks = MAX_CHECKS, .max_fails = MAX_REPORTED } };
	const char **args;
	int err;

	err = cli_parse(g, cmd, attest_option, &c, &args);
	if (err)
		return err;
	if (!c.ima_pcrs)
		c.ima_pcrs = IMA_PCR_DEFAULT;
	err = EXIT_USAGE;
	/* no list: a machine without IMA, judged by its event log alone */
	if (args && args[0] && args[1])
		cli_error(NULL, "ima_attest: one measurement list at most "
			  "(see 'evmctl help ima_attest')");
	else if ((!args || !args[0]) && !c.evlog_file)
		cli_error(NULL, "ima_attest: a measurement list expected; without one, "
			  "--eventlog is required (see 'evmctl help ima_attest')");
	else if (!c.quote_file || !c.sig_file || !c.ak_file)
		cli_error(NULL, "ima_attest: --quote, --quote-sig and --ak are required");
	else if (c.state_file && (!args || !args[0]))
		cli_error(NULL, "ima_attest: --state needs a measurement list");
	else if (c.popts.n_files && (!args || !args[0]))
		cli_error(NULL, "ima_attest: --policy needs a measurement list");
	else if (!c.nonce_hex == !c.nonce_file)
		cli_error(NULL, "ima_attest: give the expected nonce, with --nonce HEX "
			  "or --nonce-file FILE");
	else
		err = 0;
	if (!err) {
		c.popts.ima_pcrs = c.ima_pcrs;
		err = policy_load(g, &c.popts, &c.policy);
	}
	if (!err) {
		c.list_file = args ? args[0] : NULL;
		if (c.nonce_hex && parse_hex(c.nonce_hex, c.nonce, sizeof(c.nonce),
					     &c.nonce_len)) {
			cli_error(NULL, "--nonce '%s': expected up to 64 bytes in hex",
				  c.nonce_hex);
			err = EXIT_USAGE;
		} else {
			err = run(&c);
		}
	}
	report_free(&c.rep);
	imaevm_ml_close(c.ml);
	imaevm_ml_state_free(c.state);
	policy_free(c.policy);
	policy_opts_free(&c.popts);
	return err;
}
