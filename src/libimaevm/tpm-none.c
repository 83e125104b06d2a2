// SPDX-License-Identifier: LGPL-2.1-or-later
/* tpm-none.c - imaevm_pcrs_read_tpm() of a library built without tpm2-tss (--without-tss2). */
#include "config.h"

#include <errno.h>
#include <stddef.h>

#include "internal.h"

/* Kept exported so the ABI is the same whatever was configured. */
IMAEVM_EXPORT int imaevm_pcrs_read_tpm(struct imaevm_ctx *ctx, const char *tcti,
				       int timeout_ms, struct imaevm_pcrs *pcrs)
{
	if (!ctx || !pcrs || timeout_ms < 0)
		return -EINVAL;
	imaevm_log(ctx, LOG_INFO, "TPM %s: this libimaevm was built without tpm2-tss "
		   "(read PCRs from sysfs or a PCR file instead)",
		   tcti ? tcti : "(default TCTI search)");
	return -EOPNOTSUPP;
}
