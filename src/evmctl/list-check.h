/* SPDX-License-Identifier: GPL-2.0-or-later */
/* list-check.h - the per-entry loop of ima_measurement and ima_attest: read, replay, check. */
#ifndef EVMCTL_LIST_CHECK_H
#define EVMCTL_LIST_CHECK_H

#include "evmctl.h"

/*
 * What a command adds to the loop.  @fail is required; the others may be
 * NULL.  Each gets the command's @arg of struct list_check.
 */
struct list_check_ops {
	/* One failing entry (a message, a JSON record). */
	void (*fail)(void *arg, const struct imaevm_ml_entry *e, const char *reason);
	/* Every entry as read, before it is replayed. */
	void (*seen)(void *arg, const struct imaevm_ml_entry *e);
	/*
	 * imaevm_replay_extend() failed with @rc other than -EBADMSG and
	 * -ERANGE: the loop stops, returning what this returns (0: as at the
	 * end of the list; < 0: as a list error); without it, @rc.
	 */
	int (*replay_error)(void *arg, const struct imaevm_ml_entry *e, int rc);
	/*
	 * The entry's content (files, signatures, policy or manifest): called
	 * for an entry whose fields parsed, before its violation is counted.
	 */
	void (*check)(void *arg, const struct imaevm_ml_entry *e);
	/* Last, for every entry replayed (e.g. entry 1 is the boot_aggregate). */
	void (*done)(void *arg, const struct imaevm_ml_entry *e);
};

struct list_check {
	struct imaevm_ml *ml;		/* the list, opened by list_check_open() */
	struct imaevm_replay *replay;
	bool ignore_violations;		/* --ignore-violations */
	uint32_t allowed_pcrs;		/* entries on other PCRs (0..23) fail; 0: any */
	const struct list_check_ops *ops;
	void *arg;
	/* results */
	uint64_t entries, violations;
};

/*
 * Open @path: with @resume where @state (may be NULL: a first run) left
 * off (imaevm_ml_state_open_list()), else from its start with template
 * digests of @td_algo (-1: as the file says).  Return: 0 or -errno, *why
 * set when the list does not continue the state.
 */
int list_check_open(struct evmctl *g, bool resume, const struct imaevm_ml_state *state,
		    const char *path, int td_algo, struct imaevm_ml **ml, const char **why);

/*
 * Read the rest of the list, replay every entry and check it: the replay's
 * template digest and PCR index, the allowed PCRs, the template fields,
 * violations, then the command's hooks.
 * Return: 0 at the end of the list, or < 0 (a list error, see
 * imaevm_ml_error(), or what @ops->replay_error returned).
 */
int list_check_run(struct list_check *lc);

#endif /* EVMCTL_LIST_CHECK_H */
