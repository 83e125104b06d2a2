/* SPDX-License-Identifier: GPL-2.0-or-later */
/* meas.h - what the files of `evmctl ima_measurement` share: the run's state and its steps. */
#ifndef EVMCTL_MEAS_H
#define EVMCTL_MEAS_H

#include "pcr-source.h"
#include "policy.h"
#include "report.h"

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

/* meas-entry.c: the list, entry by entry */
/* Open the list (from its start or after --state's entries): 0 or EXIT_FAILED. */
int meas_open_list(struct meas_cmd *c);
/* Read, replay and check the rest of the list; failures are counted in @c. */
void meas_replay_list(struct meas_cmd *c, struct imaevm_replay *r);
/* One failing entry: on stderr, and recorded for the JSON "failures" array. */
void meas_entry_failure(struct meas_cmd *c, const struct imaevm_ml_entry *e,
			const char *reason);
void meas_unknown_free(struct meas_cmd *c);

/* meas-sig.c: --verify-sig */
/* The entry's signatures against the digests it records: true if one verified. */
bool meas_check_signature(struct meas_cmd *c, const struct imaevm_ml_entry *e);
/* Does @e record a file's digest that --verify-sig must vouch for? */
bool meas_measures_file(const struct meas_cmd *c, const struct imaevm_ml_entry *e);

/* meas-state.c: --state */
/* Read the state of the last passing run (none yet: a full replay): 0 or EXIT_FAILED. */
int meas_load_state(struct meas_cmd *c);
/* Every bank judged must be one the state recorded: 0 or EXIT_FAILED. */
int meas_state_banks(struct meas_cmd *c, const int *algos, unsigned int n);
/* After a pass, record where the list ended if the PCRs cover it: 0 or EXIT_FAILED. */
int meas_save_state(struct meas_cmd *c, struct imaevm_replay *r,
		    const struct report_bank *banks, unsigned int n);

#endif /* EVMCTL_MEAS_H */
