/* SPDX-License-Identifier: GPL-2.0-or-later */
/* attest-quote.h - what the ima_attest files share: the command's state and its verdicts. */
#ifndef EVMCTL_ATTEST_QUOTE_H
#define EVMCTL_ATTEST_QUOTE_H

#include "pcr-source.h"
#include "report.h"
#include "policy.h"

struct attest_cmd {
	struct evmctl *g;
	const char *quote_file, *sig_file, *ak_file, *nonce_hex, *nonce_file;
	const char *evlog_file, *qpcrs_file, *list_file;
	bool json, ignore_violations;
	uint32_t ima_pcrs;		/* --ima-pcr (default IMA_PCR_DEFAULT) */
	uint32_t account_pcrs;		/* --account-pcrs */
	int list_algo;			/* template digests of the list (-1: none read) */
	unsigned char nonce[64];	/* expected qualifying data */
	size_t nonce_len;
	struct report rep;		/* the checks and the failing entries */
	uint64_t entries, violations;
	bool failed;
	/* --state: incremental replay */
	const char *state_file;
	struct imaevm_ml_state *state;	/* the last passing run's, or NULL */
	struct imaevm_ml *ml;		/* the list, kept open to record its end */
	struct imaevm_ml_state_boot boot;	/* this quote's clock, the AK's hash */
	struct policy_opts popts;	/* --policy */
	struct policy *policy;
};

/* Record the result of one check (text on stdout, failures on stderr). */
void verdict(struct attest_cmd *c, const char *name, bool ok, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* One failing entry of the list. */
void entry_failure(struct attest_cmd *c, const struct imaevm_ml_entry *e,
		   const char *reason);

/* attest-pcrs.c: replay the list (and the event log's PCRs), check the selection and the PCR digest. */
void verify_pcrs(struct attest_cmd *c, const struct imaevm_quote *q, int hash_algo,
		 const struct imaevm_pcrs *log);
/* "0-10,17": the PCRs of @mask, with runs as ranges. */
void pcr_ranges_text(uint32_t mask, char *buf, size_t size);

#endif /* EVMCTL_ATTEST_QUOTE_H */
