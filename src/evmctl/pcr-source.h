/* SPDX-License-Identifier: GPL-2.0-or-later */
/* pcr-source.h - where the attestation commands read PCR values from, and their PCR-list options. */
#ifndef EVMCTL_PCR_SOURCE_H
#define EVMCTL_PCR_SOURCE_H

#include "evmctl.h"

/* Where PCR values come from (command-line options). */
struct pcr_source {
	const char **files;	/* --pcrs [algo,]file, in order */
	size_t n_files;
	bool hwtpm;		/* --hwtpm: sysfs */
	const char *tcti;	/* --tcti */
};

/* Take --pcrs, --hwtpm or --tcti: 0, EXIT_FAILED (out of memory) or OPTION_UNUSED. */
int pcr_source_option(struct pcr_source *src, int code, const char *arg);
void pcr_source_free(struct pcr_source *src);

/*
 * Read the PCRs: --pcrs files if any, else sysfs with --hwtpm, else the TPM
 * through --tcti (or the environment); with no option, sysfs then the TPM.
 * *what names the source for messages.  Return: 0, or EXIT_FAILED/EXIT_USAGE
 * after printing why.
 */
int pcr_source_read(struct evmctl *g, const struct pcr_source *src,
		    struct imaevm_pcrs *pcrs, const char **what);

/* PCR rules of ima_measurement and ima_attest (--ima-pcr, --account-pcrs). */
#define IMA_PCR_DEFAULT (1u << 10)

/*
 * Add the PCRs of "10", "10,11" or "8-9" to *mask; EXIT_USAGE after saying
 * why (naming @option) if @arg is not such a list of PCRs 0..23.
 */
int parse_pcr_list(const char *option, const char *arg, uint32_t *mask);

/* Why an event log could not be read or replayed, for a message naming it. */
const char *evlog_error_text(const char *path, int err);

#endif /* EVMCTL_PCR_SOURCE_H */
