// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * policy-keylime.c - read keylime runtime policies (JSON, keylime's
 * documented format) into digest tables and exclude patterns.
 *
 * Members: meta.version (1), release, digests {path: [hex]}, excludes
 * [regex], keyrings {keyring: [hex]}, ima-buf {name: [hex]}, ima
 * {ignored_keyrings, log_hash_alg, dm_policy}, verification-keys.  What the
 * verdicts make of them is in policy.c and evmctl(1).
 */
#include "config.h"

#include <json.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <imaevm.h>

#include "policy-keylime.h"

#define KL_DEPTH 16		/* the format nests 3 deep */
#define KL_VERSION 1

struct ctx {
	char *err;
	size_t errsize;
};

static int fail(struct ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fail(struct ctx *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->err, c->errsize, fmt, ap);
	va_end(ap);
	return -1;
}

static const char *type_name(json_object *o)
{
	switch (json_object_get_type(o)) {
	case json_type_null: return "null";
	case json_type_boolean: return "a boolean";
	case json_type_double:
	case json_type_int: return "a number";
	case json_type_object: return "an object";
	case json_type_array: return "a list";
	case json_type_string: return "a string";
	}
	return "something else";
}

/* A string without NUL bytes, or NULL. */
static const char *get_string(json_object *o)
{
	const char *s;

	if (!json_object_is_type(o, json_type_string))
		return NULL;
	s = json_object_get_string(o);
	return strlen(s) == (size_t)json_object_get_string_len(o) ? s : NULL;
}

/* lowercase hex digit values, -1 for any other byte (a table: 100,000s of digests) */
static signed char hexval_tab[256];

static void hexval_init(void)
{
	int i;

	if (hexval_tab['0'] == 0 && hexval_tab['1'] == 1)
		return;
	memset(hexval_tab, -1, sizeof(hexval_tab));
	for (i = 0; i < 10; i++)
		hexval_tab['0' + i] = (signed char)i;
	for (i = 0; i < 6; i++)
		hexval_tab['a' + i] = (signed char)(10 + i);
}

/* keylime's digests: bare lowercase hex, 40 to 128 digits. */
static int parse_hex(const char *s, size_t n, struct kl_digest *d)
{
	size_t i;

	if (n < 40 || n > 128 || n % 2)
		return -1;
	for (i = 0; i < n / 2; i++) {
		int hi = hexval_tab[(unsigned char)s[2 * i]];
		int lo = hexval_tab[(unsigned char)s[2 * i + 1]];

		if (hi < 0 || lo < 0)
			return -1;
		d->d[i] = (unsigned char)(hi << 4 | lo);
	}
	d->len = n / 2;
	return 0;
}

/* {name: [hex, ...]} into *@v. */
static int parse_table(struct ctx *c, const char *member, json_object *o,
		       struct kl_digest **v, size_t *n)
{
	size_t cap = 0;

	if (!json_object_is_type(o, json_type_object))
		return fail(c, "%s: expected an object, not %s", member, type_name(o));
	json_object_object_foreach(o, key, val) {
		size_t i, len;

		if (strlen(key) == 0)
			return fail(c, "%s: an empty name", member);
		if (!json_object_is_type(val, json_type_array))
			return fail(c, "%s[\"%.200s\"]: expected a list of hex digests, not %s",
				    member, key, type_name(val));
		len = json_object_array_length(val);
		for (i = 0; i < len; i++) {
			json_object *it = json_object_array_get_idx(val, i);
			const char *s = get_string(it);
			struct kl_digest *d;
			size_t slen = s ? strlen(s) : 0;

			if (!s)
				return fail(c, "%s[\"%.200s\"][%zu]: expected a hex digest, not %s",
					    member, key, i, type_name(it));
			if (*n == cap) {
				size_t nc = cap ? 2 * cap : 64;
				struct kl_digest *g = realloc(*v, nc * sizeof(*g));

				if (!g)
					return fail(c, "out of memory");
				*v = g;
				cap = nc;
			}
			d = &(*v)[*n];
			memset(d, 0, sizeof(*d));
			if (parse_hex(s, slen, d))
				return fail(c, "%s[\"%.200s\"][%zu]: '%.140s' is not a digest "
					    "(40 to 128 lowercase hex digits)", member, key, i, s);
			if (!(d->name = strdup(key)))
				return fail(c, "out of memory");
			(*n)++;
		}
	}
	return 0;
}

static int parse_strings(struct ctx *c, const char *member, json_object *o, char ***v,
			 size_t *n)
{
	size_t len, i;

	if (!json_object_is_type(o, json_type_array))
		return fail(c, "%s: expected a list of strings, not %s", member, type_name(o));
	len = json_object_array_length(o);
	if (!(*v = calloc(len ? len : 1, sizeof(**v))))
		return fail(c, "out of memory");
	for (i = 0; i < len; i++) {
		json_object *it = json_object_array_get_idx(o, i);
		const char *s = get_string(it);

		if (!s)
			return fail(c, "%s[%zu]: expected a string, not %s", member, i,
				    type_name(it));
		if (!((*v)[i] = strdup(s)))
			return fail(c, "out of memory");
		*n = i + 1;
	}
	return 0;
}

#define EXCLUDE_MAX_LEN 4096
#define EXCLUDE_MAX_COUNT 16

/*
 * glibc's regcomp() copies the tree of a repeated part once per repetition:
 * stacked quantifiers ("a+++") or large counts ("(a{255}){255}") make it use
 * memory exponential in the pattern's length.  Refuse both (Python's re,
 * keylime's, refuses stacked quantifiers too), and long patterns.
 */
static const char *exclude_too_costly(const char *re)
{
	bool quantified = false;
	size_t len = strlen(re);

	if (len > EXCLUDE_MAX_LEN)
		return "longer than 4096 bytes";
	for (size_t i = 0; i < len; i++) {
		char ch = re[i];

		if (ch == '\\' && i + 1 < len) {
			i++;
			quantified = false;
		} else if (ch == '*' || ch == '+' || ch == '?') {
			if (quantified)
				return "a quantifier follows a quantifier";
			quantified = true;
		} else if (ch == '{') {
			unsigned long n = 0;

			if (quantified)
				return "a quantifier follows a quantifier";
			for (i++; i < len && re[i] != '}'; i++) {
				if (re[i] >= '0' && re[i] <= '9') {
					n = n * 10 + (unsigned long)(re[i] - '0');
					if (n > EXCLUDE_MAX_COUNT)
						return "a repetition count above 16";
				} else if (re[i] == ',') {
					n = 0;
				}
			}
			quantified = true;
		} else {
			quantified = false;
		}
	}
	return NULL;
}

static int parse_excludes(struct ctx *c, struct kl_policy *p, json_object *o)
{
	size_t i;

	if (p->exclude_src)
		return fail(c, "excludes: given twice");
	if (parse_strings(c, "excludes", o, &p->exclude_src, &p->n_exclude_src))
		return -1;
	if (!(p->excludes = calloc(p->n_exclude_src + 1, sizeof(*p->excludes))))
		return fail(c, "out of memory");
	for (i = 0; i < p->n_exclude_src; i++) {
		const char *costly = exclude_too_costly(p->exclude_src[i]);
		int rc;

		if (costly)
			return fail(c, "excludes[%zu]: '%.140s': %s", i, p->exclude_src[i], costly);
		rc = regcomp(&p->excludes[i], p->exclude_src[i], REG_EXTENDED);
		if (rc) {
			char why[128];

			regerror(rc, &p->excludes[i], why, sizeof(why));
			return fail(c, "excludes[%zu]: '%.140s' is not a POSIX extended "
				    "regular expression: %s", i, p->exclude_src[i], why);
		}
		p->n_excludes = i + 1;
	}
	return 0;
}

static int parse_ima(struct ctx *c, struct kl_policy *p, json_object *o)
{
	if (!json_object_is_type(o, json_type_object))
		return fail(c, "ima: expected an object, not %s", type_name(o));
	json_object_object_foreach(o, key, val) {
		if (!strcmp(key, "ignored_keyrings")) {
			if (p->ignored_keyrings)
				return fail(c, "ima.ignored_keyrings: given twice");
			if (parse_strings(c, "ima.ignored_keyrings", val, &p->ignored_keyrings,
					  &p->n_ignored))
				return -1;
		} else if (!strcmp(key, "log_hash_alg")) {
			const char *s = get_string(val);

			if (!s)
				return fail(c, "ima.log_hash_alg: expected a string, not %s",
					    type_name(val));
			p->log_hash_algo = imaevm_hash_algo_by_name(s);
			if (p->log_hash_algo < 0 || (strcmp(s, "sha1") && strcmp(s, "sha256") &&
			    strcmp(s, "sha384") && strcmp(s, "sha512") && strcmp(s, "sm3_256")))
				return fail(c, "ima.log_hash_alg: unknown hash algorithm '%.40s'", s);
		} else if (!strcmp(key, "dm_policy")) {
			if (!json_object_is_type(val, json_type_null))
				return fail(c, "ima.dm_policy: device-mapper policies are not "
					    "supported (only null)");
		} else {
			return fail(c, "ima: unknown member '%.100s'", key);
		}
	}
	return 0;
}

static int parse_meta(struct ctx *c, json_object *o, bool *seen)
{
	if (!json_object_is_type(o, json_type_object))
		return fail(c, "meta: expected an object, not %s", type_name(o));
	json_object_object_foreach(o, key, val) {
		if (!strcmp(key, "version")) {
			if (!json_object_is_type(val, json_type_int))
				return fail(c, "meta.version: expected a number, not %s",
					    type_name(val));
			if (json_object_get_int64(val) != KL_VERSION)
				return fail(c, "meta.version %lld: only version %d is known",
					    (long long)json_object_get_int64(val), KL_VERSION);
			*seen = true;
		}
		/* generator, timestamp: informative */
	}
	return 0;
}

static int parse_root(struct ctx *c, struct kl_policy *p, json_object *root)
{
	bool version = false;

	if (!json_object_is_type(root, json_type_object))
		return fail(c, "expected a JSON object, not %s", type_name(root));
	json_object_object_foreach(root, key, val) {
		int rc = 0;

		if (!strcmp(key, "meta"))
			rc = parse_meta(c, val, &version);
		else if (!strcmp(key, "release")) {
			if (!json_object_is_type(val, json_type_int) &&
			    !json_object_is_type(val, json_type_double))
				rc = fail(c, "release: expected a number, not %s", type_name(val));
		} else if (!strcmp(key, "digests"))
			rc = parse_table(c, "digests", val, &p->files, &p->n_files);
		else if (!strcmp(key, "keyrings"))
			rc = parse_table(c, "keyrings", val, &p->keys, &p->n_keys);
		else if (!strcmp(key, "ima-buf"))
			rc = parse_table(c, "ima-buf", val, &p->bufs, &p->n_bufs);
		else if (!strcmp(key, "excludes"))
			rc = parse_excludes(c, p, val);
		else if (!strcmp(key, "ima"))
			rc = parse_ima(c, p, val);
		else if (!strcmp(key, "verification-keys")) {
			const char *s = get_string(val);

			if (!s)
				rc = fail(c, "verification-keys: expected a string, not %s",
					  type_name(val));
			else if (*s)
				/* fail closed rather than trust keys we do not load */
				rc = fail(c, "verification-keys: keys in the policy are not "
					  "supported (give them with --key)");
		} else
			rc = fail(c, "unknown member '%.100s'", key);
		if (rc)
			return rc;
	}
	if (!version)
		return fail(c, "meta.version: missing (a keylime runtime policy has meta.version %d)",
			    KL_VERSION);
	return 0;
}

int kl_policy_parse(const char *buf, size_t len, struct kl_policy **out, char *err,
		    size_t errsize)
{
	struct ctx c = { err, errsize };
	struct json_tokener *tok;
	struct kl_policy *p;
	json_object *root;
	size_t end;
	int rc;

	*out = NULL;
	hexval_init();
	if (len > (size_t)INT32_MAX)
		return fail(&c, "too large for a JSON policy");
	/* json-c cuts member names at a NUL: refuse it rather than allow a shorter path */
	if (memmem(buf, len, "\\u0000", 6))
		return fail(&c, "a NUL character (\\u0000) is not allowed in a policy");
	if (!(tok = json_tokener_new_ex(KL_DEPTH)))
		return fail(&c, "out of memory");
	root = json_tokener_parse_ex(tok, buf, (int)len);
	if (!root) {
		enum json_tokener_error je = json_tokener_get_error(tok);

		if (je == json_tokener_continue)
			fail(&c, "not valid JSON: the text ends inside the object");
		else
			fail(&c, "not valid JSON at byte %zu: %s",
			     json_tokener_get_parse_end(tok), json_tokener_error_desc(je));
		json_tokener_free(tok);
		return -1;
	}
	end = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	while (end < len && strchr(" \t\r\n", buf[end]) && buf[end])
		end++;
	if (end < len) {
		json_object_put(root);
		return fail(&c, "not valid JSON: data after the object at byte %zu", end);
	}
	if (!(p = calloc(1, sizeof(*p)))) {
		json_object_put(root);
		return fail(&c, "out of memory");
	}
	p->log_hash_algo = -1;
	rc = parse_root(&c, p, root);
	json_object_put(root);
	if (rc) {
		kl_policy_free(p);
		return -1;
	}
	*out = p;
	return 0;
}

void kl_policy_free(struct kl_policy *p)
{
	size_t i;

	if (!p)
		return;
	for (i = 0; i < p->n_files; i++)
		free(p->files[i].name);
	for (i = 0; i < p->n_keys; i++)
		free(p->keys[i].name);
	for (i = 0; i < p->n_bufs; i++)
		free(p->bufs[i].name);
	for (i = 0; i < p->n_excludes; i++)
		regfree(&p->excludes[i]);
	for (i = 0; i < p->n_exclude_src; i++)
		free(p->exclude_src[i]);
	for (i = 0; i < p->n_ignored; i++)
		free(p->ignored_keyrings[i]);
	free(p->files);
	free(p->keys);
	free(p->bufs);
	free(p->excludes);
	free(p->exclude_src);
	free(p->ignored_keyrings);
	free(p);
}

bool kl_policy_excluded(const struct kl_policy *p, const char *path)
{
	regmatch_t m;
	size_t i;

	for (i = 0; i < p->n_excludes; i++)
		if (!regexec(&p->excludes[i], path, 1, &m, 0) && m.rm_so == 0)
			return true;
	return false;
}

bool kl_policy_keyring_ignored(const struct kl_policy *p, const char *name)
{
	size_t i;

	for (i = 0; i < p->n_ignored; i++)
		if (!strcmp(p->ignored_keyrings[i], "*") || !strcmp(p->ignored_keyrings[i], name))
			return true;
	return false;
}
