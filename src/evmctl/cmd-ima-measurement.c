// SPDX-License-Identifier: GPL-2.0-or-later
/* cmd-ima-measurement.c - `evmctl ima_measurement`: replay a measurement list, compare with PCRs. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "pcr-source.h"
#include "report.h"
#include "keys.h"
#include "list-check.h"
#include "policy.h"

/* Banks replayed when there are no PCR values to compare with. */
static const int default_banks[] = {
	IMAEVM_HASH_SHA1, IMAEVM_HASH_SHA256, IMAEVM_HASH_SHA384,
	IMAEVM_HASH_SHA512, IMAEVM_HASH_SM3_256,
};

/* Unknown template names warned about one by one; the rest are counted. */
#define UNKNOWN_SHOWN 10

struct meas_cmd {
	struct evmctl *g;
	struct pcr_source src;
	bool ignore_violations;
	bool verify_sig;
	struct imaevm_keyset *keys;	/* -k: certificates for --verify-sig */
	uint64_t sigs_checked;
	bool json;
	const char *verify_bank;
	const char *list_bank;		/* --list-bank: a per-bank list */
	int list_algo;			/* its bank, or -1: a sha1 list */
	const char *file;
	uint32_t ima_pcrs;		/* --ima-pcr (default PCR 10) */
	uint32_t account_pcrs;		/* --account-pcrs */
	bool ima_pcrs_set;
	/* results */
	uint64_t entries, violations, failures;
	bool intact;
	char **unknown;		/* unknown template names, reported once each */
	size_t n_unknown, unknown_cap;
	size_t *unknown_set;	/* open addressing: index + 1 into unknown[] */
	size_t set_cap;
	struct policy_opts popts;	/* --policy */
	struct policy *policy;
	struct imaevm_ml *ml;		/* the list being read: entry offsets */
	const char *state_file;		/* --state */
	struct imaevm_ml_state *state;	/* where the last passing run ended, or NULL */
	uint64_t recorded;		/* entries recorded by this run, 0 if none */
	struct report rep;		/* --json: the failures */
};

static int meas_option(void *state, int code, const char *arg)
{
	struct meas_cmd *c = state;

	switch (code) {
	case OPT_PCRS:
		return pcr_source_add_file(&c->src, arg);
	case OPT_HWTPM:
		c->src.hwtpm = true;
		break;
	case OPT_TCTI:
		c->src.tcti = arg;
		break;
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
		return policy_option(&c->popts, code, arg);
	}
	return 0;
}

/* One failing entry: on stderr, and recorded for the JSON "failures" array. */
static void entry_failure(struct meas_cmd *c, const struct imaevm_ml_entry *e,
			  const char *reason)
{
	char *t, *p;

	c->intact = false;
	if (c->json)
		report_failure(&c->rep, e, e->index,
			       c->ml ? imaevm_ml_entry_offset(c->ml) : (int64_t)-1, reason);
	t = shown_name(e->template_name);
	p = shown_name(e->path ? e->path : "no name");
	c->failures++;
	cli_error(c->file, "entry %" PRIu64 " (%s, %s): %s", e->index,
		  t ? t : "?", p ? p : "?", reason);
	free(t);
	free(p);
}

/* ima-modsig: the appended signature against the digest without it. */
static bool check_modsig(struct meas_cmd *c, const struct imaevm_ml_entry *e)
{
	struct imaevm_verify_result res = { 0 };
	struct imaevm_digest d = { .algo = e->modsig_digest_algo,
				   .len = e->modsig_digest_len };
	char why[112];
	int rc;

	if (!e->modsig_digest || e->modsig_digest_len > sizeof(d.value) ||
	    e->modsig_digest_algo < 0) {
		entry_failure(c, e, "modsig without a usable d-modsig digest");
		return false;
	}
	memcpy(d.value, e->modsig_digest, e->modsig_digest_len);
	c->sigs_checked++;
	rc = imaevm_verify_modsig(c->g->ctx, c->keys, e->modsig, e->modsig_len, &d, &res);
	if (rc == 0)
		return true;
	if (rc == -ENOKEY)
		snprintf(why, sizeof(why), "modsig: no key for the signer");
	else if (rc == -EKEYREJECTED)
		snprintf(why, sizeof(why), "modsig does not verify (key id %08x)", res.keyid);
	else if (rc == -EINVAL)
		snprintf(why, sizeof(why), "modsig: d-modsig is not in the signer's digest algorithm");
	else
		snprintf(why, sizeof(why), "modsig: %s", imaevm_strerror(rc));
	entry_failure(c, e, why);
	return false;
}

/*
 * --verify-sig: the entry's signatures (xattr and appended) against the file
 * digests it records; true if one verified (an allow rule for --policy).
 */
static bool check_signature(struct meas_cmd *c, const struct imaevm_ml_entry *e)
{
	struct imaevm_verify_result res = { 0 };
	struct imaevm_digest d = { .algo = e->digest_algo, .len = e->digest_len };
	struct imaevm_xattr_info info;
	bool modsig_ok = false;
	bool verity;
	char why[96];
	int rc;

	if (e->modsig && e->modsig_len)
		modsig_ok = check_modsig(c, e);
	if (!e->sig || !e->sig_len)
		return modsig_ok;	/* no xattr signature: nothing more, as the old tool */
	/*
	 * Without an IMA signature the kernel records the file's EVM portable
	 * signature here (since 5.14).  It signs the file's metadata, which
	 * this entry does not hold, so it cannot be checked against it; the
	 * kernel's EVM checked it when it appraised the file.
	 */
	if (e->sig[0] == IMAEVM_XATTR_PORTABLE_DIGSIG) {
		cli_info(c->g, 1, "%s: entry %" PRIu64 " (%s): EVM portable signature, not checked",
			 c->file, e->index, e->path ? e->path : "no name");
		return modsig_ok;
	}
	if (!e->digest || e->digest_len > sizeof(d.value) || e->digest_algo < 0) {
		entry_failure(c, e, "signature without a usable file digest");
		return false;
	}
	/*
	 * The digest type decides what the signature signs: a v3 signature
	 * (0x06) the fs-verity digest, a v2 (0x03) the file content digest.
	 * Either one taken for the other would let a signature of one file
	 * vouch for a digest of another kind.
	 */
	verity = e->digest_type && !strcmp(e->digest_type, "verity");
	if (imaevm_xattr_parse(e->sig, e->sig_len, &info) == 0 &&
	    (info.type == IMAEVM_XATTR_VERITY_DIGSIG) != verity) {
		c->sigs_checked++;
		entry_failure(c, e, verity ?
			      "signature: an fs-verity digest needs a v3 signature (type 0x06)" :
			      "signature: a file content digest needs a v2 signature (type 0x03)");
		return false;
	}
	memcpy(d.value, e->digest, e->digest_len);
	c->sigs_checked++;
	rc = imaevm_verify_digest(c->g->ctx, c->keys, e->sig, e->sig_len, &d, &res);
	if (rc == 0)
		return true;
	if (rc == -ENOKEY)
		snprintf(why, sizeof(why), "signature: no key with id %08x", res.keyid);
	else if (rc == -EKEYREJECTED)
		snprintf(why, sizeof(why), "signature does not verify (key id %08x)", res.keyid);
	else
		snprintf(why, sizeof(why), "signature: %s", imaevm_strerror(rc));
	entry_failure(c, e, why);
	return false;
}

/* FNV-1a: the set of unknown names must stay linear for lists of many names */
static size_t name_hash(const char *s)
{
	size_t h = 2166136261u;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

static bool unknown_grow(struct meas_cmd *c)
{
	size_t cap = c->set_cap ? c->set_cap * 2 : 64, i, j;
	size_t *set = calloc(cap, sizeof(*set));

	if (!set)
		return false;
	for (i = 0; i < c->n_unknown; i++) {
		for (j = name_hash(c->unknown[i]) & (cap - 1); set[j]; j = (j + 1) & (cap - 1))
			;
		set[j] = i + 1;
	}
	free(c->unknown_set);
	c->unknown_set = set;
	c->set_cap = cap;
	return true;
}

static void note_unknown(struct meas_cmd *c, const char *name)
{
	size_t j;

	if (2 * (c->n_unknown + 1) > c->set_cap && !unknown_grow(c))
		return;
	for (j = name_hash(name) & (c->set_cap - 1); c->unknown_set[j];
	     j = (j + 1) & (c->set_cap - 1))
		if (!strcmp(c->unknown[c->unknown_set[j] - 1], name))
			return;
	if (c->n_unknown == c->unknown_cap) {
		size_t cap = c->unknown_cap ? 2 * c->unknown_cap : 16;
		char **grown = realloc(c->unknown, cap * sizeof(*grown));

		if (!grown)
			return;
		c->unknown = grown;
		c->unknown_cap = cap;
	}
	c->unknown[c->n_unknown] = strdup(name);
	if (!c->unknown[c->n_unknown])
		return;
	c->unknown_set[j] = ++c->n_unknown;
	if (!c->json && c->n_unknown <= UNKNOWN_SHOWN) {
		char *t = shown_name(name);

		cli_warn("%s: template '%s' is unknown: replayed from its data",
			 c->file, t ? t : "?");
		free(t);
	}
}

/*
 * Does @e record a file's digest that --verify-sig must vouch for?  Not the
 * boot_aggregate (entry 1, on an IMA PCR), a violation, a buffer entry
 * (the library checks its digest against the buffer), or an entry with an
 * EVM portable signature.
 */
static bool measures_file(const struct meas_cmd *c, const struct imaevm_ml_entry *e)
{
	if (!e->path || !e->digest || e->violation || e->buf)
		return false;
	/* the kernel's EVM verified a portable signature when it appraised the file */
	if (e->sig && e->sig_len && e->sig[0] == IMAEVM_XATTR_PORTABLE_DIGSIG)
		return false;
	return !(e->index == 1 && e->pcr < 32 && (c->ima_pcrs & (1u << e->pcr)) &&
		 !strcmp(e->path, "boot_aggregate"));
}

static void print_entry(const struct imaevm_ml_entry *e)
{
	char *line = NULL;

	if (imaevm_ml_entry_format(e, &line) == 0) {
		puts(line);
		imaevm_free(line);
	}
}

/*
 * Open the list: from its start, or with --state after the entries the last
 * passing run recorded.  0 or EXIT_FAILED after saying why.
 */
static int open_list(struct meas_cmd *c)
{
	const char *why = NULL;
	int rc;

	/* without --state the template digests are --list-bank's or the file name's */
	rc = list_check_open(c->g, c->state_file != NULL, c->state, c->file,
			     c->state_file || c->list_bank ? c->list_algo : -1, &c->ml, &why);
	if (!rc)
		return 0;
	c->ml = NULL;
	if (why)
		cli_error(c->file, "does not continue the list recorded in %s (%" PRIu64
			  " entries, %" PRIu64 " bytes): %s", c->state_file,
			  imaevm_ml_state_entries(c->state), imaevm_ml_state_offset(c->state), why);
	else
		cli_error(c->file, "cannot open the measurement list: %s", imaevm_strerror(rc));
	return EXIT_FAILED;
}

static void meas_fail(void *arg, const struct imaevm_ml_entry *e, const char *reason)
{
	entry_failure(arg, e, reason);
}

static void meas_seen(void *arg, const struct imaevm_ml_entry *e)
{
	struct meas_cmd *c = arg;

	if (c->g->verbose && !c->json)
		print_entry(e);
	if (!e->known_template)
		note_unknown(c, e->template_name);
}

static int meas_replay_error(void *arg, const struct imaevm_ml_entry *e, int rc)
{
	struct meas_cmd *c = arg;

	(void)e;
	cli_error(c->file, "replay: %s", imaevm_strerror(rc));
	return rc;
}

/* Signatures (--verify-sig) and the policy (--policy) of one entry. */
static void meas_check(void *arg, const struct imaevm_ml_entry *e)
{
	struct meas_cmd *c = arg;
	uint64_t checked = c->sigs_checked, failed = c->failures;
	const char *bad;
	bool sig_ok;
	char why[160];

	if ((c->policy || c->verify_sig) && !e->known_template) {
		/* the name is covered by no digest: it cannot excuse an entry */
		entry_failure(c, e, "unknown template: its fields cannot be checked");
		return;
	}
	if ((c->policy || c->verify_sig) && e->buf && e->path && e->path[0] == '/') {
		entry_failure(c, e, "a buffer entry naming a file: not checked as a file");
		return;
	}
	sig_ok = c->keys && check_signature(c, e);
	bad = policy_check(c->policy, e, sig_ok, why, sizeof(why));
	if (bad)
		entry_failure(c, e, bad);
	else if (c->verify_sig && !c->policy && checked == c->sigs_checked &&
		 failed == c->failures && measures_file(c, e))
		/* fail closed: a file no check vouched for */
		entry_failure(c, e, "no signature to verify");
}

static const struct list_check_ops meas_ops = {
	.fail = meas_fail,
	.seen = meas_seen,
	.replay_error = meas_replay_error,
	.check = meas_check,
};

/* Read and replay the list from where open_list() left it. */
static void replay_list(struct meas_cmd *c, struct imaevm_replay *r)
{
	struct list_check lc = {
		.ml = c->ml, .replay = r, .ignore_violations = c->ignore_violations,
		.ops = &meas_ops, .arg = c,
	};
	int rc = list_check_run(&lc);

	c->entries = lc.entries;
	c->violations = lc.violations;
	if (rc < 0) {
		const char *why = imaevm_ml_error(c->ml);

		c->intact = false;
		if (c->json)
			report_failure(&c->rep, NULL, c->entries + 1, -1,
				       why ? why : imaevm_strerror(rc));
		c->failures++;
		cli_error(c->file, "%s", why ? why : imaevm_strerror(rc));
	}
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

/* --state: read the state of the last passing run (none yet: a full replay). */
static int load_state(struct meas_cmd *c)
{
	struct imaevm_ml_state_boot boot = { 0 };
	const char *why = NULL;
	int rc;

	rc = imaevm_ml_state_load(c->g->ctx, c->state_file, &c->state, &why);
	if (rc == -ENOENT) {
		cli_info(c->g, 1, "%s: no state yet: the whole list is replayed", c->state_file);
		return 0;
	}
	if (rc) {
		cli_error(c->state_file, "unusable state file: %s",
			  why ? why : imaevm_strerror(rc));
		return EXIT_FAILED;
	}
	/* no quote here: a state that records a TPM clock needs ima_attest */
	rc = imaevm_ml_state_check_boot(c->state, &boot, &why);
	if (rc) {
		cli_error(c->state_file, "%s", why ? why : imaevm_strerror(rc));
		return EXIT_FAILED;
	}
	return 0;
}

/*
 * After a pass: record where the list ended, if the PCRs read cover every
 * entry replayed (entries that came after the read are replayed again by
 * the next run, from the state before them).  0 or EXIT_FAILED.
 */
static int save_state(struct meas_cmd *c, struct imaevm_replay *r, const int *algos,
		      const int *modes, unsigned int n, uint64_t used)
{
	struct imaevm_ml_state *st = NULL;
	struct imaevm_replay_pcr p;
	unsigned int i, k;
	int rc;

	for (i = 0; i < n; i++)
		for (k = 0; k < IMAEVM_MAX_LIST_PCRS; k++)
			if ((used & (1ull << k)) &&
			    (imaevm_replay_result(r, algos[i], modes[i], k, &p) ||
			     p.matched_n != p.entries)) {
				if (!c->json)
					printf("State not updated: %s PCR-%u was read before its last "
					       "%" PRIu64 " entries; the next run replays them\n",
					       imaevm_hash_algo_name(algos[i]), k,
					       p.entries - p.matched_n);
				return 0;
			}
	rc = imaevm_ml_state_record(c->g->ctx, c->state, c->ml, r, algos, modes, n,
				    NULL, &st);
	if (!rc)
		rc = imaevm_ml_state_save(c->g->ctx, st, c->state_file);
	if (rc) {
		cli_error(c->state_file, "cannot record the state: %s", imaevm_strerror(rc));
		imaevm_ml_state_free(st);
		return EXIT_FAILED;
	}
	c->recorded = imaevm_ml_state_entries(st);
	if (!c->json)
		printf("State recorded: %" PRIu64 " entries (%" PRIu64 " bytes) in %s\n",
		       imaevm_ml_state_entries(st), imaevm_ml_state_offset(st), c->state_file);
	imaevm_ml_state_free(st);
	return 0;
}

/* --state: every bank judged must be one the state recorded. */
static int state_banks(struct meas_cmd *c, const int *algos, unsigned int n)
{
	unsigned int i;

	for (i = 0; c->state && i < n; i++)
		if (imaevm_ml_state_bank_mode(c->state, algos[i]) < 0) {
			cli_error(c->state_file, "the state has no %s bank: a full replay "
				  "(a new state file) is needed", imaevm_hash_algo_name(algos[i]));
			return EXIT_FAILED;
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
	int algos[IMAEVM_MAX_BANKS], modes[IMAEVM_MAX_BANKS];
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
	if (c.state_file && (err = load_state(&c)))
		goto out;
	/* PCRs first: everything measured before the read is in the list */
	err = pcr_source_read(g, &c.src, &pcrs, &what);
	if (err == EXIT_USAGE || (err && c.src.n_files))
		goto out;
	have_pcrs = err == 0;
	if ((err = setup_banks(&c, &pcrs, algos, &n)) || (err = state_banks(&c, algos, n)))
		goto out;
	err = imaevm_ml_state_replay_new(g->ctx, c.state, algos, n, have_pcrs ? &pcrs : NULL,
					 &r, NULL);
	if (!err)
		err = open_list(&c) ? -EBADMSG : 0;
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
	replay_list(&c, r);
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
			modes[i] = imaevm_ml_state_bank_mode(c.state, algos[i]);
			b->verdict = !bank_matches(r, algos[i], modes[i], cmp, &b->v) ?
				     BANK_MISMATCH : modes[i] == IMAEVM_REPLAY_BANK ?
				     BANK_MATCH : BANK_MATCH_PADDED;
		} else if (b->tpm) {
			b->verdict = bank_matches(r, algos[i], IMAEVM_REPLAY_BANK, cmp, &b->v) ?
				     BANK_MATCH :
				     bank_matches(r, algos[i], IMAEVM_REPLAY_PADDED, cmp, &b->v) ?
				     BANK_MATCH_PADDED : BANK_MISMATCH;
		}
		collect_bank(r, b);
		modes[i] = b->mode;
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
		err = save_state(&c, r, algos, modes, n, used);
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
	for (i = 0; i < c.n_unknown; i++)
		free(c.unknown[i]);
	free(c.unknown);
	free(c.unknown_set);
	imaevm_replay_free(r);
	report_free(&c.rep);
	free(banks);
	pcr_source_free(&c.src);
	return err;
}
