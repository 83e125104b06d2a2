// SPDX-License-Identifier: LGPL-2.1-or-later
/* ml-state-continue.c - incremental replay: continue a list and its PCRs from a recorded state. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "internal.h"

static bool same_td(const struct imaevm_ml *ml, const struct imaevm_ml_entry *e,
		    const unsigned char *td)
{
	return e->template_digest_len == ml->td_size &&
	       !memcmp(e->template_digest_value, td, ml->td_size);
}

/* The whole list: move to the recorded boundary entry and check it. */
static int skip_recorded(const struct imaevm_ml_state *s, struct imaevm_ml *ml,
			 const char **why)
{
	const struct imaevm_ml_entry *e;
	struct stat st;
	int rc;

	if (fstat(ml->fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    (uint64_t)st.st_size < s->end_offset)
		return ml_state_bad(why, "the list is shorter than the recorded one", -EBADMSG);
	if (s->entries > 1) {
		if ((rc = ml_seek(ml, s->last_offset)))
			return rc;
		ml->index = s->entries - 1;
		rc = imaevm_ml_next(ml, &e);
		if (rc == 0)
			return ml_state_bad(why, "the list is shorter than the recorded one", -EBADMSG);
		if (rc == -EBADMSG)
			return ml_state_bad(why, "no entry starts at the recorded boundary: the list "
				   "before it was rewritten", -EBADMSG);
		if (rc < 0)
			return rc;
		if (!same_td(ml, e, s->last_td) || ml->entry_offset != s->last_offset)
			return ml_state_bad(why, "the entry at the recorded boundary is not the "
				   "recorded one: the list before it was rewritten", -EBADMSG);
	}
	if (ml->entry_end != s->end_offset)
		return ml_state_bad(why, "the recorded boundary entry does not end at the recorded "
			   "offset: the list before it was rewritten", -EBADMSG);
	return 0;
}

IMAEVM_EXPORT int imaevm_ml_state_open_list(struct imaevm_ctx *ctx,
					    const struct imaevm_ml_state *s,
					    const char *path, int td_algo,
					    struct imaevm_ml **mlp, const char **why)
{
	const struct imaevm_ml_entry *e;
	struct imaevm_ml *ml;
	int rc;

	if (why)
		*why = NULL;
	if (!ctx || !path || !mlp)
		return -EINVAL;
	if (s && td_algo >= 0 && td_algo != s->td_algo)
		return ml_state_bad(why, "the recorded list has template digests of another "
			   "algorithm", -EINVAL);
	if ((rc = imaevm_ml_open(ctx, path, IMAEVM_ML_AUTO, &ml)))
		return rc;
	if (s)
		td_algo = s->td_algo;
	if (td_algo >= 0 && (rc = imaevm_ml_set_digest_algo(ml, td_algo)))
		goto fail;
	rc = imaevm_ml_next(ml, &e);
	if (!s && (rc >= 0 || rc == -EBADMSG)) {
		/* a first run: a bad entry is reported by the caller's next read */
		ml->again = rc == 1;
		*mlp = ml;
		return 0;
	}
	if (rc == -EBADMSG)
		rc = ml_state_bad(why, "the first entry of the list cannot be read", -EBADMSG);
	if (rc < 0)
		goto fail;
	if (rc == 1 && ml->format != s->format) {
		rc = ml_state_bad(why, "the list is in another format than the recorded one", -EBADMSG);
		goto fail;
	}
	if (rc == 1 && same_td(ml, e, s->boot_td)) {
		if ((rc = skip_recorded(s, ml, why)))
			goto fail;
		*mlp = ml;
		return 0;
	}
	if (rc == 1 && e->path && !strcmp(e->path, "boot_aggregate")) {
		rc = ml_state_bad(why, "another boot: entry 1, the boot_aggregate, is not the "
			 "recorded one", -ESTALE);
		goto fail;
	}
	/* only new entries: numbered and placed after the recorded ones */
	ml->index = s->entries + (rc == 1);
	ml->entry.index = ml->index;
	ml->entry_offset = s->end_offset;
	ml->entry_end += s->end_offset;
	ml->offset += s->end_offset;
	ml->again = rc == 1;
	*mlp = ml;
	return 0;
fail:
	imaevm_ml_close(ml);
	return rc;
}

IMAEVM_EXPORT int imaevm_ml_state_replay_new(struct imaevm_ctx *ctx,
					     const struct imaevm_ml_state *s,
					     const int *algos, unsigned int n,
					     const struct imaevm_pcrs *expected,
					     struct imaevm_replay **rp,
					     const char **why)
{
	struct imaevm_replay *r;
	unsigned int i, p, modes = 0;
	int err;

	if (why)
		*why = NULL;
	if (!s)
		return imaevm_replay_new(ctx, algos, n, expected, rp);
	if (!rp || (n && !algos))
		return -EINVAL;
	for (i = 0; i < n; i++) {
		const struct state_bank *b = ml_state_find_bank(s, algos[i]);

		if (!b)
			return ml_state_bad(why, "a bank to replay is not in the state: a full "
				   "replay is needed", -ENOENT);
		modes |= 1u << b->mode;
	}
	if ((err = imaevm_replay_new(ctx, algos, n, expected, &r)))
		return err;
	if (modes && (err = imaevm_replay_set_modes(r, modes)))
		goto fail;
	for (i = 0; i < n; i++) {
		const struct state_bank *b = ml_state_find_bank(s, algos[i]);

		for (p = 0; p < IMAEVM_MAX_LIST_PCRS; p++)
			if ((s->pcrs & (1ull << p)) &&
			    (err = replay_seed(r, b->algo, p, b->value[p],
					       s->pcr_entries[p], s->pcr_last[p])))
				goto fail;
	}
	*rp = r;
	return 0;
fail:
	imaevm_replay_free(r);
	return err;
}

IMAEVM_EXPORT int imaevm_ml_state_check_boot(const struct imaevm_ml_state *s,
					     const struct imaevm_ml_state_boot *boot,
					     const char **why)
{
	if (why)
		*why = NULL;
	if (!s || !boot)
		return -EINVAL;
	if (s->boot.have_clock && !boot->have_clock)
		return ml_state_bad(why, "the state records a TPM clock, and there is no quote "
			   "to compare it with", -ESTALE);
	if (s->boot.machine_len != boot->machine_len ||
	    memcmp(s->boot.machine, boot->machine, s->boot.machine_len))
		return ml_state_bad(why, "the state was recorded for another machine", -EXDEV);
	if (!s->boot.have_clock)
		return 0;
	if (boot->reset_count != s->boot.reset_count)
		return ml_state_bad(why, "the TPM was reset since the recorded run (resetCount "
			   "changed): another boot", -ESTALE);
	if (boot->restart_count != s->boot.restart_count)
		return ml_state_bad(why, "the TPM was restarted since the recorded run "
			   "(restartCount changed)", -ESTALE);
	if (boot->clock < s->boot.clock)
		return ml_state_bad(why, "the TPM clock went back since the recorded run: "
			   "another boot or an old quote", -ESTALE);
	return 0;
}

IMAEVM_EXPORT int imaevm_ml_state_record(struct imaevm_ctx *ctx,
					 const struct imaevm_ml_state *prev,
					 struct imaevm_ml *ml, struct imaevm_replay *r,
					 const int *algos, const int *modes,
					 unsigned int n,
					 const struct imaevm_ml_state_boot *boot,
					 struct imaevm_ml_state **out)
{
	struct imaevm_replay_pcr rp;
	struct imaevm_ml_state *s;
	unsigned int i, p, j;
	uint64_t sum = 0;
	int err;

	if (!ctx || !ml || !r || !out || !n || n > IMAEVM_MAX_BANKS || !algos || !modes)
		return -EINVAL;
	if (!ml->at_end || ml->err || ml->again)
		return -EINVAL;
	if (!ml->index)
		return -ENODATA;
	if (boot && (boot->version || boot->machine_len > IMAEVM_ML_STATE_MACHINE_MAX ||
		     boot->reserved[0] || boot->reserved[1] || boot->reserved[2] ||
		     boot->reserved[3]))
		return -EINVAL;
	if (prev && prev->td_algo != ml->td_algo)
		return -EINVAL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->format = ml->format;
	s->td_algo = ml->td_algo;
	s->entries = ml->index;
	if (prev && ml->index == prev->entries) {
		s->end_offset = prev->end_offset;
		s->last_offset = prev->last_offset;
		memcpy(s->last_td, prev->last_td, sizeof(s->last_td));
	} else {
		s->end_offset = ml->entry_end;
		s->last_offset = ml->entry_offset;
		memcpy(s->last_td, ml->entry.template_digest_value, ml->td_size);
	}
	if (prev)
		memcpy(s->boot_td, prev->boot_td, sizeof(s->boot_td));
	else if (ml->first_td_len == ml->td_size)
		memcpy(s->boot_td, ml->first_td, ml->td_size);
	else
		goto inval;
	if (boot)
		s->boot = *boot;
	else if (prev)
		s->boot = prev->boot;
	s->pcrs = imaevm_replay_pcrs_used(r);
	for (p = 0; p < IMAEVM_MAX_LIST_PCRS; p++) {
		if (!(s->pcrs & (1ull << p)))
			continue;
		if ((err = imaevm_replay_result(r, algos[0], modes[0], p, &rp)))
			goto fail;
		s->pcr_entries[p] = rp.entries;
		s->pcr_last[p] = rp.last_index;
		sum += rp.entries;
	}
	if (sum != s->entries || (s->entries > 1 && s->last_offset >= s->end_offset))
		goto inval;
	for (i = 0; i < n; i++) {
		struct state_bank *b = &s->bank[i];

		if (modes[i] != IMAEVM_REPLAY_BANK && modes[i] != IMAEVM_REPLAY_PADDED)
			goto inval;
		for (j = 0; j < i; j++)
			if (algos[j] == algos[i])
				goto inval;
		b->algo = algos[i];
		b->mode = modes[i];
		for (p = 0; p < IMAEVM_MAX_LIST_PCRS; p++) {
			if (!(s->pcrs & (1ull << p)))
				continue;
			if ((err = imaevm_replay_result(r, algos[i], modes[i], p, &rp)))
				goto fail;
			memcpy(b->value[p], rp.value, (size_t)imaevm_hash_algo_size(algos[i]));
		}
	}
	s->n_banks = n;
	*out = s;
	return 0;
inval:
	err = -EINVAL;
fail:
	free(s);
	return err;
}
