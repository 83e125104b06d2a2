// SPDX-License-Identifier: GPL-2.0-or-later
/* cmd-ima-measurement.c - `evmctl ima_measurement`: replay a measurement list, compare with PCRs. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "keys.h"
#include "meas.h"

/* Banks replayed when there are no PCR values to compare with. */
static const int default_banks[] = {
	IMAEVM_HASH_SHA1, IMAEVM_HASH_SHA256, IMAEVM_HASH_SHA384,
	IMAEVM_HASH_SHA512, IMAEVM_HASH_SM3_256,
};

static int meas_option(void *state, int code, const char *arg)
{
	struct meas_cmd *c = state;
	int err;

	switch (code) {
	case OPT_IGNORE_VIOLATIONS:
		c->ignore_violations = true;
		break;
	case OPT_VERIFY_SIG:
		c->verify_sig = true;
		break;
	case OPT_VERIFY_BANK:
		c->verify_bank = arg && *arg ? arg : "sha256";
		break;
	case OPT_JSON:
		c->json = true;
		break;
	case OPT_LIST_BANK:
		c->list_bank = arg;
		break;
	case OPT_IMA_PCR:
		if (!c->ima_pcrs_set) {
			c->ima_pcrs = 0;
			c->ima_pcrs_set = true;
		}
		return parse_pcr_list("--ima-pcr", arg, &c->ima_pcrs);
	case OPT_ACCOUNT_PCRS:
		return parse_pcr_list("--account-pcrs", arg, &c->account_pcrs);
	case OPT_STATE:
		c->state_file = arg;
		break;
	default:
		err = pcr_source_option(&c->src, code, arg);
		return err == OPTION_UNUSED ? policy_option(&c->popts, code, arg) : err;
	}
	return 0;
}

/* The library's verdict of bank @algo in @mode over the PCRs of @cmp; false unless it matches. */
static bool bank_matches(struct imaevm_replay *r, int algo, int mode, uint64_t cmp,
			 struct imaevm_replay_verdict *v)
{
	*v = (struct imaevm_replay_verdict){ .version = IMAEVM_REPLAY_VERDICT_VERSION,
					     .algo = algo, .mode = mode, .compare = cmp };
	return imaevm_replay_verdict(r, v) == 0 && v->match;
}

/* Collect bank @algo's results in the mode its verdict names. */
static void collect_bank(struct imaevm_replay *r, struct report_bank *b)
{
	unsigned int i;

	b->mode = b->verdict == BANK_MATCH_PADDED ? IMAEVM_REPLAY_PADDED : IMAEVM_REPLAY_BANK;
	for (i = 0; i < IMAEVM_MAX_LIST_PCRS; i++)
		b->have_pcr[i] = (b->used & (1ull << i)) &&
				 !imaevm_replay_result(r, b->algo, b->mode, i, &b->pcr[i]);
}

/* The whole run as one JSON document. */
static void print_json(struct meas_cmd *c, const char *pcr_source,
		       const struct report_bank *banks, unsigned int n, int err)
{
	struct json_doc d;
	unsigned int i;

	json_begin(&d);
	json_member(&d, "file");
	json_string(c->file);
	json_member(&d, "pcr_source");
	json_string(pcr_source);
	json_member(&d, "failures");
	report_json_failures(&c->rep, true);
	json_member(&d, "entries");
	printf("%" PRIu64, c->entries);
	json_member(&d, "violations");
	printf("%" PRIu64, c->violations);
	json_member(&d, "ignore_violations");
	json_bool(c->ignore_violations);
	json_member(&d, "intact");
	json_bool(c->intact);
	json_member(&d, "unknown_templates");
	putchar('[');
	for (i = 0; i < c->n_unknown; i++) {
		fputs(i ? ", " : "", stdout);
		json_string(c->unknown[i]);
	}
	putchar(']');
	json_member(&d, "banks");
	putchar('[');
	for (i = 0; i < n; i++)
		report_bank_json(&banks[i], i == 0);
	json_array_end();
	policy_report(c->policy, true);
	if (c->state_file) {
		json_member(&d, "state");
		fputs("{\"file\": ", stdout);
		json_string(c->state_file);
		printf(", \"continued_after\": %" PRIu64 ", \"recorded\": %" PRIu64 "}",
		       imaevm_ml_state_entries(c->state), c->recorded);
	}
	json_member(&d, "verdict");
	printf("\"%s\"", err ? "fail" : "pass");
	json_end(&d);
}

/*
 * The list's template-digest bank: --list-bank, else a file name ending in
 * "_<algo>" (as the library reads it); -1 if neither names one.
 */
static int list_bank(struct meas_cmd *c)
{
	const char *base = strrchr(c->file, '/'), *us;

	c->list_algo = -1;
	if (c->list_bank) {
		c->list_algo = imaevm_hash_algo_by_name(c->list_bank);
		if (c->list_algo < 0) {
			cli_error(NULL, "--list-bank: unknown hash algorithm '%s'",
				  c->list_bank);
			return EXIT_USAGE;
		}
	} else if (strcmp(c->file, "-")) {
		base = base ? base + 1 : c->file;
		us = strrchr(base, '_');
		if (us && us[1])
			c->list_algo = imaevm_hash_algo_by_name(us + 1);
	}
	/* new entries of a per-bank list, under any name: the recorded list's bank */
	if (c->list_algo < 0 && c->state)
		c->list_algo = imaevm_ml_state_template_algo(c->state);
	return 0;
}

static int setup_banks(struct meas_cmd *c, const struct imaevm_pcrs *pcrs,
		       int *algos, unsigned int *n)
{
	const char *bank_name = c->verify_bank;
	int want = -1, err;
	unsigned int i;

	*n = 0;
	if (c->verify_bank) {
		want = imaevm_hash_algo_by_name(c->verify_bank);
		if (want < 0) {
			cli_error(NULL, "--verify-bank: unknown hash algorithm '%s'",
				  c->verify_bank);
			return EXIT_USAGE;
		}
	}
	if ((err = list_bank(c)))
		return err;
	if (c->list_algo >= 0 && c->list_algo != IMAEVM_HASH_SHA1) {
		/* a per-bank list extends its own bank only: judge that one */
		if (want >= 0 && want != c->list_algo) {
			cli_error(NULL, "--verify-bank %s: the list is the per-bank "
				  "list of %s", c->verify_bank,
				  imaevm_hash_algo_name(c->list_algo));
			return EXIT_USAGE;
		}
		want = c->list_algo;
		bank_name = imaevm_hash_algo_name(want);
	}
	for (i = 0; i < pcrs->n_banks; i++)
		if ((want < 0 || pcrs->bank[i].algo == want) && pcrs->bank[i].valid)
			algos[(*n)++] = pcrs->bank[i].algo;
	if (*n == 0 && want >= 0 && pcrs->n_banks) {
		cli_error(NULL, "no %s PCR values to verify", bank_name);
		return EXIT_FAILED;
	}
	if (*n == 0) {
		/* nothing to compare with: compute (and show) every bank */
		for (i = 0; i < sizeof(default_banks) / sizeof(default_banks[0]); i++)
			if (want < 0 || default_banks[i] == want)
				algos[(*n)++] = default_banks[i];
	}
	return 0;
}

int cmd_ima_measurement(struct evmctl *g, const struct command *cmd,
			int argc, const char **argv)
{
	struct meas_cmd c = { .g = g, .intact = true, .ima_pcrs = IMA_PCR_DEFAULT };
	struct imaevm_replay *r = NULL;
	struct report_bank *banks = NULL;
	struct imaevm_pcrs pcrs = { 0 };
	struct stat st;
	int algos[IMAEVM_MAX_BANKS];
	const char **args, *what = NULL;
	bool have_pcrs, all_match = true, all_padded = true;
	unsigned int i, n = 0;
	uint64_t used, cmp;
	int err;

	err = cli_parse(g, cmd, meas_option, &c, &args);
	if (err) {
		pcr_source_free(&c.src);
		return err;
	}
	if (!args || !args[0] || args[1]) {
		cli_error(NULL, "ima_measurement: one measurement list expected "
			  "(see 'evmctl help ima_measurement')");
		err = EXIT_USAGE;
		goto out;
	}
	c.file = args[0];
	/* a device would be read forever or not be a list at all */
	if (strcmp(c.file, "-") && stat(c.file, &st) == 0 &&
	    !S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode)) {
		cli_error(c.file, "not a regular file or a pipe: not read as a measurement list");
		err = EXIT_FAILED;
		goto out;
	}
	err = EXIT_FAILED;
	if (c.verify_sig && load_keyset(g, g->key.key, &c.keys))
		goto out;
	c.popts.ima_pcrs = c.ima_pcrs;
	if ((err = policy_load(g, &c.popts, &c.policy)))
		goto out;
	if (c.state_file && (err = meas_load_state(&c)))
		goto out;
	/* PCRs first: everything measured before the read is in the list */
	err = pcr_source_read(g, &c.src, &pcrs, &what);
	if (err == EXIT_USAGE || (err && c.src.n_files))
		goto out;
	have_pcrs = err == 0;
	if ((err = setup_banks(&c, &pcrs, algos, &n)) || (err = meas_state_banks(&c, algos, n)))
		goto out;
	err = imaevm_ml_state_replay_new(g->ctx, c.state, algos, n, have_pcrs ? &pcrs : NULL,
					 &r, NULL);
	if (!err)
		err = meas_open_list(&c) ? -EBADMSG : 0;
	if (err == -EBADMSG) {
		err = EXIT_FAILED;
		goto out;
	}
	if (err) {
		cli_error(NULL, "cannot replay: %s", imaevm_strerror(err));
		err = EXIT_FAILED;
		goto out;
	}
	banks = calloc(n ? n : 1, sizeof(*banks));
	if (!banks) {
		cli_error(NULL, "out of memory");
		err = EXIT_FAILED;
		goto out;
	}
	/* both modes (bank and zero-padded sha1) in one read: the list read is the list judged */
	if (c.state && !c.json)
		printf("State: continuing after entry %" PRIu64 " (%" PRIu64 " bytes)\n",
		       imaevm_ml_state_entries(c.state), imaevm_ml_state_offset(c.state));
	meas_replay_list(&c, r);
	if ((err = imaevm_replay_finish(r))) {
		cli_error(c.file, "replay: %s", imaevm_strerror(err));
		err = EXIT_FAILED;
		goto out;
	}
	used = imaevm_replay_pcrs_used(r);
	/* the IMA and accounted PCRs are compared even when no entry extended them */
	cmp = used | c.ima_pcrs | c.account_pcrs;
	if (!c.json && c.n_unknown > UNKNOWN_SHOWN)
		cli_warn("%s: %zu more unknown templates not shown", c.file,
			 c.n_unknown - UNKNOWN_SHOWN);
	for (i = 0; i < n; i++) {
		struct report_bank *b = &banks[i];

		b->algo = algos[i];
		b->tpm = have_pcrs ? imaevm_pcrs_bank(&pcrs, algos[i], 0) : NULL;
		b->used = used;
		b->cmp = cmp;
		b->verdict = BANK_NO_VALUES;
		if (b->tpm && c.state) {
			/* a bank continues in the mode it was verified in */
			int mode = imaevm_ml_state_bank_mode(c.state, algos[i]);

			b->verdict = !bank_matches(r, algos[i], mode, cmp, &b->v) ?
				     BANK_MISMATCH : mode == IMAEVM_REPLAY_BANK ?
				     BANK_MATCH : BANK_MATCH_PADDED;
		} else if (b->tpm) {
			b->verdict = bank_matches(r, algos[i], IMAEVM_REPLAY_BANK, cmp, &b->v) ?
				     BANK_MATCH :
				     bank_matches(r, algos[i], IMAEVM_REPLAY_PADDED, cmp, &b->v) ?
				     BANK_MATCH_PADDED : BANK_MISMATCH;
		}
		collect_bank(r, b);
		all_match &= b->verdict == BANK_MATCH;
		all_padded &= b->verdict == BANK_MATCH || b->verdict == BANK_MATCH_PADDED;
		if (!c.json)
			report_bank_text(b, g->verbose, c.intact);
	}
	if (!have_pcrs) {
		all_match = all_padded = false;
	} else if (!c.json) {
		/* the old tool's closing lines, which scripts look for on stderr */
		fflush(stdout);
		if (all_match && c.intact)
			fputs("Matched per TPM bank calculated digest(s).\n", stderr);
		else if (all_padded && c.intact)
			fputs("Matched SHA1 padded TPM digest(s).\n", stderr);
		else
			fputs("Failed to match per TPM bank or SHA1 padded TPM digest(s).\n", stderr);
	}
	if (have_pcrs && !all_padded)
		cli_error(c.file, "the replayed PCRs do not match the PCR values read "
			  "(per bank and PCR on standard output)");
	if (!c.json)
		policy_report(c.policy, false);
	if (!c.intact && !c.json)
		printf("Measurement list is not intact: %" PRIu64 " failure(s).\n",
		       c.failures);
	err = c.intact && all_padded ? EXIT_OK : EXIT_FAILED;
	if (err == EXIT_OK && c.state_file)
		err = meas_save_state(&c, r, banks, n);
	else if (c.state_file && !c.json)
		printf("State not updated: the run did not pass\n");
	if (c.json)
		print_json(&c, have_pcrs ? what : NULL, banks, n, err);
out:
	imaevm_ml_close(c.ml);
	imaevm_ml_state_free(c.state);
	policy_free(c.policy);
	policy_opts_free(&c.popts);
	imaevm_keyset_free(c.keys);
	meas_unknown_free(&c);
	imaevm_replay_free(r);
	report_free(&c.rep);
	free(banks);
	pcr_source_free(&c.src);
	return err;
}
