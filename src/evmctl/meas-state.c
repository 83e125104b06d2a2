// SPDX-License-Identifier: GPL-2.0-or-later
/* meas-state.c - ima_measurement --state: where the last passing run ended, read and recorded. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>

#include "meas.h"

int meas_load_state(struct meas_cmd *c)
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
 * Entries that came after the PCRs were read are replayed again by the next
 * run, from the state before them: the state is recorded only when the
 * verdict of every bank matched each PCR at its last entry.
 */
int meas_save_state(struct meas_cmd *c, struct imaevm_replay *r,
		    const struct report_bank *banks, unsigned int n)
{
	struct imaevm_ml_state *st = NULL;
	int algos[IMAEVM_MAX_BANKS], modes[IMAEVM_MAX_BANKS];
	unsigned int i, k;
	int rc;

	for (i = 0; i < n; i++) {
		const struct report_bank *b = &banks[i];
		uint64_t late = b->v.partial & b->used;

		for (k = 0; late && k < IMAEVM_MAX_LIST_PCRS; k++) {
			if (!(late & (1ull << k)))
				continue;
			if (!c->json)
				printf("State not updated: %s PCR-%u was read before its last "
				       "%" PRIu64 " entries; the next run replays them\n",
				       imaevm_hash_algo_name(b->algo), k,
				       b->pcr[k].entries - b->pcr[k].matched_n);
			return 0;
		}
		algos[i] = b->algo;
		modes[i] = b->mode;
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

int meas_state_banks(struct meas_cmd *c, const int *algos, unsigned int n)
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
