// SPDX-License-Identifier: LGPL-2.1-or-later
/* policy.c - runtime policies: the digest tables and the check of each measurement list entry. */
#include "config.h"

#include <errno.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/err.h>

#include "policy-internal.h"

#define POLICY_IMA_PCR 10	/* the kernel's default */
#define POLICY_MAX_RULES 0x7fffffffu

int pol_why(char **why, int err, const char *fmt, ...)
{
	va_list ap;

	if (!why)
		return err;
	va_start(ap, fmt);
	if (vasprintf(why, fmt, ap) < 0)
		*why = NULL;
	va_end(ap);
	return err;
}

/* Eight bytes at a time: a path hash costs about as much as its strlen. */
static uint32_t path_hash(const char *s, size_t n)
{
	uint64_t h = 0x9e3779b97f4a7c15ull ^ n, w;

	while (n >= 8) {
		memcpy(&w, s, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdull;
		h ^= h >> 32;
		s += 8;
		n -= 8;
	}
	w = 0;
	memcpy(&w, s, n);
	h = (h ^ w) * 0xc4ceb9fe1a85ec53ull;
	h ^= h >> 29;
	return (uint32_t)h;
}

/* Digests are uniform already; the length keeps sha1 and its padded kin apart. */
static uint32_t digest_hash(const unsigned char *d, size_t len)
{
	uint32_t h = 0;

	memcpy(&h, d, len < 4 ? len : 4);
	return h ^ (uint32_t)len * 0x9e3779b9u;
}

static const char *rule_path(const struct imaevm_policy *p, const struct pol_rule *r)
{
	return p->names + r->path;
}

static void insert_path(struct imaevm_policy *p, uint32_t i)
{
	struct pol_rule *r = &p->rules[i];
	size_t mask = p->slots - 1, j;

	for (j = r->hash & mask; p->by_path[j]; j = (j + 1) & mask) {
		const struct pol_rule *h = &p->rules[p->by_path[j] - 1];

		if (h->hash == r->hash && h->path_len == r->path_len &&
		    !memcmp(rule_path(p, h), rule_path(p, r), r->path_len))
			break;
	}
	r->next = p->by_path[j];
	p->by_path[j] = i + 1;
}

static void insert_digest(struct imaevm_policy *p, uint32_t i)
{
	struct pol_rule *r = &p->rules[i];
	size_t mask = p->slots - 1, j;

	for (j = digest_hash(r->d, r->len) & mask; p->by_digest[j]; j = (j + 1) & mask) {
		const struct pol_rule *h = &p->rules[p->by_digest[j] - 1];

		if (h->len == r->len && !memcmp(h->d, r->d, r->len))
			break;
	}
	r->dnext = p->by_digest[j];
	p->by_digest[j] = i + 1;
}

/* Tables of @slots for the rules there are. */
static int rebuild(struct imaevm_policy *p, size_t slots)
{
	uint32_t *bp = calloc(slots, sizeof(*bp)), *bd = NULL;
	size_t i;

	if (!bp || ((p->flags & IMAEVM_POLICY_ANY_PATH) && !(bd = calloc(slots, sizeof(*bd))))) {
		free(bp);
		return -ENOMEM;
	}
	free(p->by_path);
	free(p->by_digest);
	p->by_path = bp;
	p->by_digest = bd;
	p->slots = slots;
	for (i = 0; i < p->n_rules; i++) {
		insert_path(p, (uint32_t)i);
		if (bd)
			insert_digest(p, (uint32_t)i);
	}
	return 0;
}

int pol_reserve(struct imaevm_policy *p, size_t rules, size_t names)
{
	size_t slots = p->slots ? p->slots : 1024;

	if (rules > POLICY_MAX_RULES - p->n_rules)
		return -E2BIG;
	rules += p->n_rules;
	if (rules > p->cap_rules) {
		struct pol_rule *g = realloc(p->rules, rules * sizeof(*g));

		if (!g)
			return -ENOMEM;
		p->rules = g;
		p->cap_rules = rules;
	}
	if (names > p->names_cap - p->names_len) {
		char *g = realloc(p->names, p->names_len + names);

		if (!g)
			return -ENOMEM;
		p->names = g;
		p->names_cap = p->names_len + names;
	}
	while (slots < 2 * rules)
		slots *= 2;
	return slots > p->slots ? rebuild(p, slots) : 0;
}

int pol_add_rule(struct imaevm_policy *p, const char *path, size_t path_len, int algo,
		 const unsigned char *d, size_t len)
{
	struct pol_rule *r;

	if (len > IMAEVM_MAX_DIGEST_SIZE || path_len > UINT32_MAX - 1)
		return -EINVAL;
	if (p->n_rules >= POLICY_MAX_RULES)
		return -E2BIG;
	if (p->n_rules == p->cap_rules) {
		size_t cap = p->cap_rules ? 2 * p->cap_rules : 256;
		struct pol_rule *g = realloc(p->rules, cap * sizeof(*g));

		if (!g)
			return -ENOMEM;
		p->rules = g;
		p->cap_rules = cap;
	}
	if (p->names_cap - p->names_len < path_len + 1) {
		size_t cap = p->names_cap ? p->names_cap : 4096;
		char *g;

		while (cap - p->names_len < path_len + 1)
			cap *= 2;
		if (!(g = realloc(p->names, cap)))
			return -ENOMEM;
		p->names = g;
		p->names_cap = cap;
	}
	if (2 * (p->n_rules + 1) > p->slots) {
		int rc = rebuild(p, p->slots ? 2 * p->slots : 1024);

		if (rc)
			return rc;
	}
	r = &p->rules[p->n_rules];
	memset(r, 0, sizeof(*r));
	r->path = p->names_len;
	r->path_len = (uint32_t)path_len;
	r->hash = path_hash(path, path_len);
	r->algo = (int16_t)algo;
	r->len = (uint8_t)len;
	memcpy(r->d, d, len);
	memcpy(p->names + p->names_len, path, path_len);
	p->names[p->names_len + path_len] = '\0';
	p->names_len += path_len + 1;
	insert_path(p, (uint32_t)p->n_rules);
	if (p->by_digest)
		insert_digest(p, (uint32_t)p->n_rules);
	p->n_rules++;
	return 0;
}

int pol_add_glob(struct imaevm_policy *p, char *glob)
{
	char **g = realloc(p->globs, (p->n_globs + 1) * sizeof(*g));

	if (!g) {
		free(glob);
		return -ENOMEM;
	}
	p->globs = g;
	p->globs[p->n_globs++] = glob;
	return 0;
}

void pol_mark(const struct imaevm_policy *p, struct pol_mark *m)
{
	m->n_rules = p->n_rules;
	m->names_len = p->names_len;
	m->n_globs = p->n_globs;
}

void pol_undo(struct imaevm_policy *p, const struct pol_mark *m)
{
	while (p->n_globs > m->n_globs)
		free(p->globs[--p->n_globs]);
	if (p->n_rules == m->n_rules)
		return;
	p->n_rules = m->n_rules;
	p->names_len = m->names_len;
	/* the tables exist at this size already: clearing them needs no memory */
	memset(p->by_path, 0, p->slots * sizeof(*p->by_path));
	if (p->by_digest)
		memset(p->by_digest, 0, p->slots * sizeof(*p->by_digest));
	for (size_t i = 0; i < p->n_rules; i++) {
		insert_path(p, (uint32_t)i);
		if (p->by_digest)
			insert_digest(p, (uint32_t)i);
	}
}

IMAEVM_EXPORT int imaevm_policy_new(struct imaevm_ctx *ctx,
				    const struct imaevm_policy_params *params,
				    struct imaevm_policy **policy)
{
	static const struct imaevm_policy_params defaults;
	const struct imaevm_policy_params *q = params ? params : &defaults;
	struct imaevm_policy *p;
	size_t i;

	if (!ctx || !policy || q->version || q->reserved32 ||
	    (q->flags & ~IMAEVM_POLICY_ANY_PATH))
		return -EINVAL;
	for (i = 0; i < ARRAY_SIZE(q->reserved); i++)
		if (q->reserved[i])
			return -EINVAL;
	if (!(p = calloc(1, sizeof(*p))))
		return -ENOMEM;
	p->ctx = ctx;
	p->flags = q->flags;
	p->ima_pcrs = q->ima_pcrs ? q->ima_pcrs : 1u << POLICY_IMA_PCR;
	*policy = p;
	return 0;
}

IMAEVM_EXPORT void imaevm_policy_free(struct imaevm_policy *p)
{
	size_t i;

	if (!p)
		return;
	for (i = 0; i < p->n_globs; i++)
		free(p->globs[i]);
	for (i = 0; i < p->n_kl; i++)
		pol_keylime_free(p->kl[i]);
	free(p->globs);
	free(p->kl);
	free(p->rules);
	free(p->names);
	free(p->by_path);
	free(p->by_digest);
	free(p);
}

IMAEVM_EXPORT int imaevm_policy_add(struct imaevm_policy *p, const void *buf, size_t len,
				    int format, char **why)
{
	const char *s = buf;
	size_t i = 0;
	int rc;

	if (why)
		*why = NULL;
	if (!p || (!buf && len))
		return -EINVAL;
	if (format == IMAEVM_POLICY_AUTO) {
		while (i < len && strchr(" \t\r\n", s[i]) && s[i])
			i++;
		format = i < len && s[i] == '{' ? IMAEVM_POLICY_KEYLIME : IMAEVM_POLICY_MANIFEST;
	}
	if (format == IMAEVM_POLICY_MANIFEST)
		rc = pol_parse_manifest(p, s, len, why);
	else if (format == IMAEVM_POLICY_KEYLIME)
		rc = pol_parse_keylime(p, s, len, why);
	else
		return -EINVAL;
	if (rc < 0) {
		imaevm_log(p->ctx, LOG_DEBUG, "policy refused: %s", why && *why ? *why : "");
		return rc;
	}
	return format;
}

IMAEVM_EXPORT int imaevm_policy_add_exclude(struct imaevm_policy *p, const char *glob)
{
	char *g;

	if (!p || !glob)
		return -EINVAL;
	if (!(g = strdup(glob)))
		return -ENOMEM;
	return pol_add_glob(p, g);
}

IMAEVM_EXPORT int imaevm_policy_get_info(const struct imaevm_policy *p,
					 struct imaevm_policy_info *info)
{
	if (!p || !info || info->version)
		return -EINVAL;
	memset(info, 0, sizeof(*info));
	info->digests = p->n_rules;
	info->excludes = p->n_globs;
	info->keylime = p->n_kl;
	return 0;
}

static int tally(struct imaevm_policy_tally *t, int result)
{
	if (!t)
		return result;
	t->checked++;
	if (result == IMAEVM_POLICY_ALLOWED)
		t->allowed++;
	else if (result == IMAEVM_POLICY_ALLOWED_SIG)
		t->by_sig++;
	else if (result == IMAEVM_POLICY_EXCLUDED)
		t->excluded++;
	else
		t->refused++;
	return result;
}

static bool in_named(const struct pol_named *t, size_t n, const char *name,
		     const struct imaevm_ml_entry *e)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (t[i].len == e->digest_len && !strcmp(t[i].name, name) &&
		    !memcmp(t[i].d, e->digest, e->digest_len))
			return true;
	return false;
}

/*
 * An ima-buf entry under a keylime policy: a key (an X.509 certificate, as
 * the kernel measures keys added to a keyring) against keyrings unless its
 * keyring is ignored, any other buffer against ima-buf.
 */
static int check_buffer(const struct imaevm_policy *p, const struct imaevm_ml_entry *e)
{
	const unsigned char *q = e->buf;
	const char *name = e->path ? e->path : "";
	X509 *x = e->buf_len < 0x7fffffff ? d2i_X509(NULL, &q, (long)e->buf_len) : NULL;
	bool key = x && q == e->buf + e->buf_len;
	size_t i;

	X509_free(x);
	if (!x)
		ERR_clear_error();	/* not a key: nothing to report */
	for (i = 0; i < p->n_kl; i++) {
		const struct pol_keylime *k = p->kl[i];

		if (key && pol_keylime_keyring_ignored(k, name))
			return IMAEVM_POLICY_EXCLUDED;
		if (key ? in_named(k->keys, k->n_keys, name, e) :
			  in_named(k->bufs, k->n_bufs, name, e))
			return IMAEVM_POLICY_ALLOWED;
	}
	return key ? IMAEVM_POLICY_UNKNOWN_KEY : IMAEVM_POLICY_UNKNOWN_BUFFER;
}

static bool digest_allowed(const struct imaevm_policy *p, const struct imaevm_ml_entry *e,
			   size_t len)
{
	size_t mask = p->slots - 1, j;
	uint32_t i;

	if (!p->by_digest || !len)
		return false;
	for (j = digest_hash(e->digest, len) & mask; (i = p->by_digest[j]); j = (j + 1) & mask) {
		const struct pol_rule *r = &p->rules[i - 1];

		if (r->len != len || memcmp(r->d, e->digest, len))
			continue;
		for (; i; i = p->rules[i - 1].dnext)
			if (p->rules[i - 1].algo == -1 || p->rules[i - 1].algo == e->digest_algo)
				return true;
		return false;
	}
	return false;
}

static int check_file(const struct imaevm_policy *p, const struct imaevm_ml_entry *e,
		      unsigned int flags)
{
	size_t plen = strlen(e->path), len, i, mask = p->slots - 1, j;
	bool same_algo = false;
	uint32_t h, k = 0;

	for (i = 0; i < p->n_globs; i++)
		if (fnmatch(p->globs[i], e->path, 0) == 0)
			return IMAEVM_POLICY_EXCLUDED;
	for (i = 0; i < p->n_kl; i++)
		if (pol_keylime_excluded(p->kl[i], e->path))
			return IMAEVM_POLICY_EXCLUDED;
	if (flags & IMAEVM_POLICY_SIG_OK)
		return IMAEVM_POLICY_ALLOWED_SIG;
	if (e->digest_type && !strcmp(e->digest_type, "verity"))
		return IMAEVM_POLICY_VERITY;
	len = e->digest_len > IMAEVM_MAX_DIGEST_SIZE ? 0 : e->digest_len;
	h = path_hash(e->path, plen);
	for (j = h & mask; p->slots && (k = p->by_path[j]); j = (j + 1) & mask) {
		const struct pol_rule *r = &p->rules[k - 1];

		if (r->hash == h && r->path_len == plen && !memcmp(rule_path(p, r), e->path, plen))
			break;
	}
	for (i = k; i; i = p->rules[i - 1].next) {
		const struct pol_rule *r = &p->rules[i - 1];

		if (r->algo != e->digest_algo && r->algo != -1)
			continue;
		same_algo = true;
		if (len && r->len == len && !memcmp(r->d, e->digest, len))
			return IMAEVM_POLICY_ALLOWED;
	}
	if (digest_allowed(p, e, len))
		return IMAEVM_POLICY_ALLOWED;
	if (same_algo)
		return IMAEVM_POLICY_DIGEST_MISMATCH;
	return k ? IMAEVM_POLICY_NO_ALGO : IMAEVM_POLICY_UNKNOWN_FILE;
}

IMAEVM_EXPORT int imaevm_policy_check(const struct imaevm_policy *p,
				      const struct imaevm_ml_entry *e, unsigned int flags,
				      struct imaevm_policy_tally *t)
{
	bool ima_pcr;

	if (!p || !e || (flags & ~IMAEVM_POLICY_SIG_OK))
		return -EINVAL;
	if (e->violation || !e->digest)
		return IMAEVM_POLICY_UNCHECKED;	/* nothing measured */
	ima_pcr = e->pcr < 32 && (p->ima_pcrs & (1u << e->pcr));
	/* keylime knows PCR 10 only: another PCR must be named in ima_pcrs */
	if (p->n_kl && !ima_pcr)
		return IMAEVM_POLICY_NOT_IMA_PCR;
	if (e->buf)
		return p->n_kl ? tally(t, check_buffer(p, e)) : IMAEVM_POLICY_UNCHECKED;
	if (!e->path)
		return IMAEVM_POLICY_UNCHECKED;
	/* the kernel writes the boot_aggregate first, on the IMA PCR; a later one
	 * is a file; keylime policies list it in digests */
	if (!p->n_kl && e->index == 1 && ima_pcr && !strcmp(e->path, "boot_aggregate"))
		return IMAEVM_POLICY_UNCHECKED;
	return tally(t, check_file(p, e, flags));
}

IMAEVM_EXPORT const char *imaevm_policy_result_text(int result)
{
	switch (result) {
	case IMAEVM_POLICY_UNCHECKED: return "not checked";
	case IMAEVM_POLICY_ALLOWED: return "allowed by digest";
	case IMAEVM_POLICY_ALLOWED_SIG: return "allowed by signature";
	case IMAEVM_POLICY_EXCLUDED: return "excluded";
	case IMAEVM_POLICY_NOT_IMA_PCR: return "entry on a PCR that is not an IMA PCR";
	case IMAEVM_POLICY_UNKNOWN_KEY: return "key not in the policy's keyrings";
	case IMAEVM_POLICY_UNKNOWN_BUFFER: return "buffer not in the policy's ima-buf";
	case IMAEVM_POLICY_VERITY: return "fs-verity digest (only file digests are in manifests)";
	case IMAEVM_POLICY_DIGEST_MISMATCH: return "digest mismatch";
	case IMAEVM_POLICY_NO_ALGO: return "no digest of this algorithm for this path";
	case IMAEVM_POLICY_UNKNOWN_FILE: return "unknown file (not in the policy)";
	}
	return "unknown result";
}
