// SPDX-License-Identifier: GPL-2.0-or-later
/* meas-entry.c - ima_measurement's pass over the list: open it, replay it, check each entry. */
#include "config.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "list-check.h"
#include "meas.h"

void meas_entry_failure(struct meas_cmd *c, const struct imaevm_ml_entry *e,
			const char *reason)
{
	c->intact = false;
	c->failures++;
	report_entry_failure(c->json ? &c->rep : NULL, c->file, e,
			     c->ml ? imaevm_ml_entry_offset(c->ml) : (int64_t)-1, reason);
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

void meas_unknown_free(struct meas_cmd *c)
{
	size_t i;

	for (i = 0; i < c->n_unknown; i++)
		free(c->unknown[i]);
	free(c->unknown);
	free(c->unknown_set);
}

static void print_entry(const struct imaevm_ml_entry *e)
{
	char *line = NULL;

	if (imaevm_ml_entry_format(e, &line) == 0) {
		puts(line);
		imaevm_free(line);
	}
}

int meas_open_list(struct meas_cmd *c)
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
	meas_entry_failure(arg, e, reason);
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
		meas_entry_failure(c, e, "unknown template: its fields cannot be checked");
		return;
	}
	if ((c->policy || c->verify_sig) && e->buf && e->path && e->path[0] == '/') {
		meas_entry_failure(c, e, "a buffer entry naming a file: not checked as a file");
		return;
	}
	sig_ok = c->keys && meas_check_signature(c, e);
	bad = policy_check(c->policy, e, sig_ok, why, sizeof(why));
	if (bad)
		meas_entry_failure(c, e, bad);
	else if (c->verify_sig && !c->policy && checked == c->sigs_checked &&
		 failed == c->failures && meas_measures_file(c, e))
		/* fail closed: a file no check vouched for */
		meas_entry_failure(c, e, "no signature to verify");
}

static const struct list_check_ops meas_ops = {
	.fail = meas_fail,
	.seen = meas_seen,
	.replay_error = meas_replay_error,
	.check = meas_check,
};

/* Read and replay the list from where meas_open_list() left it. */
void meas_replay_list(struct meas_cmd *c, struct imaevm_replay *r)
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
