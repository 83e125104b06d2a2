/* SPDX-License-Identifier: GPL-2.0-or-later */
/* policy.h - reference manifests (ima_hash --manifest) and runtime policy checks (ima_measurement --policy). */
#ifndef EVMCTL_POLICY_H
#define EVMCTL_POLICY_H

#include <pthread.h>
#include "evmctl.h"

/* --policy, --policy-any-path, --policy-exclude as given. */
struct policy_opts {
	const char **files;
	size_t n_files;
	const char **excludes;
	size_t n_excludes;
	bool any_path;
	uint32_t ima_pcrs;	/* --ima-pcr of the command: where entry 1 is the boot_aggregate */
};

struct policy;

/* Take one policy option: 0, OPTION_UNUSED (not ours) or EXIT_FAILED. */
int policy_option(struct policy_opts *o, int code, const char *arg);
/* Load the manifests named by --policy (NULL *p if none); 0 or EXIT_FAILED. */
int policy_load(struct evmctl *g, const struct policy_opts *o, struct policy **p);
/*
 * Is the file of @e allowed?  NULL if so (or if @e measures no file), else
 * the reason, written to @buf.  @sig_ok: the entry's signature verified
 * with a trusted key, an alternative allow rule.
 */
const char *policy_check(const struct policy *p, const struct imaevm_ml_entry *e,
			 bool sig_ok, char *buf, size_t size);
/*
 * Every --policy rule for @e in a command without signature checks
 * (ima_attest): as policy_check(), and a template of unknown fields or a
 * buffer naming a file is refused.  Call it for entries without a
 * field_error.
 */
const char *policy_check_entry(const struct policy *p, const struct imaevm_ml_entry *e,
			       char *buf, size_t size);
/* The counts as text in @buf; true if no entry was refused. */
bool policy_summary(const struct policy *p, char *buf, size_t size);
/* Print the counts: a text line, or a JSON member (",\n  \"policy\": {...}"). */
void policy_report(const struct policy *p, bool json);
void policy_free(struct policy *p);
void policy_opts_free(struct policy_opts *o);

/* Manifest writer for ima_hash --manifest (safe to call from walk threads). */
struct manifest;
/* @keylime: a keylime runtime policy (JSON) instead of evmctl's lines. */
int manifest_open(const char *path, const char *root, bool keylime, struct manifest **m);
/* Record @path's digest; 0, or -EINVAL if @path is outside the root. */
int manifest_add(struct manifest *m, const char *path, const struct imaevm_digest *d);
/* Flush and close; 0 or EXIT_FAILED after saying why. */
int manifest_close(struct manifest *m);

#endif /* EVMCTL_POLICY_H */
