/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* policy-internal.h - the runtime policy's tables, shared by policy*.c. */
#ifndef IMAEVM_POLICY_INTERNAL_H
#define IMAEVM_POLICY_INTERNAL_H

#include <regex.h>

#include "internal.h"

/* A digest allowed for a path; rules of one path are chained. */
struct pol_rule {
	size_t path;		/* offset of the NUL-terminated path in names */
	uint32_t path_len;
	uint32_t hash;		/* of the path */
	uint32_t next;		/* 1 + index of the next rule of the same path, 0: none */
	uint32_t dnext;		/* 1 + index of the next rule of the same digest, 0: none */
	int16_t algo;		/* -1: any algorithm of this length (keylime) */
	uint8_t len;
	unsigned char d[IMAEVM_MAX_DIGEST_SIZE];
};

/* A named digest of a keylime policy's keyrings or ima-buf. */
struct pol_named {
	char *name;
	size_t len;
	unsigned char d[IMAEVM_MAX_DIGEST_SIZE];
};

/* What a keylime runtime policy adds beyond its file digests. */
struct pol_keylime {
	struct pol_named *keys, *bufs;
	size_t n_keys, n_bufs;
	regex_t *excludes;	/* POSIX extended, anchored at the start of the path */
	size_t n_excludes;
	char **ignored;		/* ima.ignored_keyrings; "*" ignores every keyring */
	size_t n_ignored;
	int log_hash_algo;	/* -1 if not given */
};

struct imaevm_policy {
	struct imaevm_ctx *ctx;
	unsigned int flags;
	uint32_t ima_pcrs;
	struct pol_rule *rules;
	size_t n_rules, cap_rules;
	char *names;		/* every rule's path, NUL-terminated */
	size_t names_len, names_cap;
	uint32_t *by_path;	/* open addressing: 1 + index of a path's first rule */
	uint32_t *by_digest;	/* ANY_PATH only: 1 + index of a digest's first rule */
	size_t slots;		/* of each table, a power of two */
	char **globs;
	size_t n_globs;
	struct pol_keylime **kl;
	size_t n_kl;
};

/* policy.c */
int pol_add_rule(struct imaevm_policy *p, const char *path, size_t path_len, int algo,
		 const unsigned char *d, size_t len);
/* Room for @rules more rules and @names more bytes of paths (a hint: 0 or -ENOMEM, -E2BIG). */
int pol_reserve(struct imaevm_policy *p, size_t rules, size_t names);
int pol_add_glob(struct imaevm_policy *p, char *glob);	/* takes @glob */
/* The rule count and names length before a load, to undo it on failure. */
struct pol_mark {
	size_t n_rules, names_len, n_globs;
};
void pol_mark(const struct imaevm_policy *p, struct pol_mark *m);
void pol_undo(struct imaevm_policy *p, const struct pol_mark *m);
/* *@why = the message (allocated); returns @err. */
int pol_why(char **why, int err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* policy-manifest.c */
int pol_parse_manifest(struct imaevm_policy *p, const char *buf, size_t len, char **why);

/* policy-keylime.c */
int pol_parse_keylime(struct imaevm_policy *p, const char *buf, size_t len, char **why);
void pol_keylime_free(struct pol_keylime *k);
bool pol_keylime_excluded(const struct pol_keylime *k, const char *path);
bool pol_keylime_keyring_ignored(const struct pol_keylime *k, const char *name);

#endif /* IMAEVM_POLICY_INTERNAL_H */
