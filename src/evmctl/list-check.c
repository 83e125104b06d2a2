// SPDX-License-Identifier: GPL-2.0-or-later
/* list-check.c - the per-entry loop of ima_measurement and ima_attest: read, replay, check. */
#include "config.h"

#include <errno.h>

#include "list-check.h"

int list_check_open(struct evmctl *g, bool resume, const struct imaevm_ml_state *state,
		    const char *path, int td_algo, struct imaevm_ml **ml, const char **why)
{
	int rc;

	*ml = NULL;
	if (resume)
		return imaevm_ml_state_open_list(g->ctx, state, path, td_algo, ml, why);
	rc = imaevm_ml_open(g->ctx, path, IMAEVM_ML_AUTO, ml);
	if (!rc && td_algo >= 0 && (rc = imaevm_ml_set_digest_algo(*ml, td_algo))) {
		imaevm_ml_close(*ml);
		*ml = NULL;
	}
	return rc;
}

int list_check_run(struct list_check *lc)
{
	const struct list_check_ops *ops = lc->ops;
	const struct imaevm_ml_entry *e;
	int rc;

	while ((rc = imaevm_ml_next(lc->ml, &e)) == 1) {
		lc->entries++;
		if (ops->seen)
			ops->seen(lc->arg, e);
		rc = imaevm_replay_extend(lc->replay, e);
		if (rc == -EBADMSG) {
			ops->fail(lc->arg, e, "template digest does not match the template data");
		} else if (rc == -ERANGE) {
			ops->fail(lc->arg, e, "PCR index out of range");
		} else if (rc) {
			rc = ops->replay_error ? ops->replay_error(lc->arg, e, rc) : rc;
			break;
		}
		rc = 0;
		if (lc->allowed_pcrs && e->pcr < IMAEVM_NUM_PCRS &&
		    !(lc->allowed_pcrs & (1u << e->pcr))) {
			char msg[80];

			snprintf(msg, sizeof(msg), "on PCR %u: not an IMA PCR "
				 "(see --ima-pcr, --account-pcrs)", e->pcr);
			ops->fail(lc->arg, e, msg);
		}
		if (e->field_error)
			ops->fail(lc->arg, e, e->field_error);
		else if (ops->check)
			ops->check(lc->arg, e);
		if (e->violation) {
			lc->violations++;
			if (!lc->ignore_violations)
				ops->fail(lc->arg, e, "measurement violation (see --ignore-violations)");
		}
		if (ops->done)
			ops->done(lc->arg, e);
	}
	return rc;
}
