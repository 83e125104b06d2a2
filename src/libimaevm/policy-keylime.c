// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * policy-keylime.c - keylime runtime policies (JSON, keylime's documented
 * format, parsed with json-c) read into a policy's tables.
 *
 * Members: meta.version (1), release, digests {path: [hex]}, excludes
 * [regex], keyrings {keyring: [hex]}, ima-buf {name: [hex]}, ima
 * {ignored_keyrings, log_hash_alg, dm_policy}, verification-keys.  What the
 * checks make of them is in policy.c.
 */
#include "config.h"

#include <errno.h>
#include <json.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy-internal.h"

#define KL_DEPTH 16		/* the format nests 3 deep */
#define KL_VERSION 1

struct kl_parse {
	struct imaevm_policy *p;
	struct pol_keylime *k;
	char **why;
};

static int fail(struct kl_parse *c, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct kl_parse *c, int err, const char *fmt, ...)
{
	char text[640];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	return pol_why(c->why, err, "keylime runtime policy: %s", text);
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
static const char *get_string(json_object *o, size_t *len)
{
	const char *s;
	size_t n;

	if (!json_object_is_type(o, json_type_string))
		return NULL;
	s = json_object_get_string(o);
	n = (size_t)json_object_get_string_len(o);
	if (strlen(s) != n)
		return NULL;
	if (len)
		*len = n;
	return s;
}

/* keylime's digests: bare lowercase hex, 40 to 128 digits. */
static int parse_hex(const char *s, size_t n, unsigned char *d, size_t *len)
{
	if (n < 40 || n > 128 || imaevm_unhex_lower(s, n, d) < 0)
		return -1;
	*len = n / 2;
	return 0;
}

static int add_named(struct pol_named **v, size_t *n, const char *name,
		     const unsigned char *d, size_t len)
{
	struct pol_named *g;

	if (!(*n & (*n - 1)) || !*n) {
		/* grow at powers of two */
		if (!(g = realloc(*v, (*n ? 2 * *n : 1) * sizeof(*g))))
			return -ENOMEM;
		*v = g;
	}
	g = &(*v)[*n];
	if (!(g->name = strdup(name)))
		return -ENOMEM;
	g->len = len;
	memcpy(g->d, d, len);
	(*n)++;
	return 0;
}

/*
 * {name: [hex, ...]}: file digests into the policy's rules (@v NULL), or
 * into the named table *@v.
 */
static int parse_table(struct kl_parse *c, const char *member, json_object *o,
		       struct pol_named **v, size_t *n)
{
	if (!json_object_is_type(o, json_type_object))
		return fail(c, -EBADMSG, "%s: expected an object, not %s", member, type_name(o));
	/* one digest a path, paths of about 64 bytes: the tables at their size at once */
	if (!v && pol_reserve(c->p, (size_t)json_object_object_length(o),
			      64 * (size_t)json_object_object_length(o)) == -ENOMEM)
		return fail(c, -ENOMEM, "out of memory");
	json_object_object_foreach(o, key, val) {
		size_t i, len, klen = strlen(key);

		if (klen == 0)
			return fail(c, -EBADMSG, "%s: an empty name", member);
		if (!json_object_is_type(val, json_type_array))
			return fail(c, -EBADMSG,
				    "%s[\"%.200s\"]: expected a list of hex digests, not %s",
				    member, key, type_name(val));
		len = json_object_array_length(val);
		for (i = 0; i < len; i++) {
			json_object *it = json_object_array_get_idx(val, i);
			unsigned char d[IMAEVM_MAX_DIGEST_SIZE];
			size_t slen, dlen;
			const char *s = get_string(it, &slen);
			int rc;

			if (!s)
				return fail(c, -EBADMSG,
					    "%s[\"%.200s\"][%zu]: expected a hex digest, not %s",
					    member, key, i, type_name(it));
			if (parse_hex(s, slen, d, &dlen))
				return fail(c, -EBADMSG, "%s[\"%.200s\"][%zu]: '%.140s' is not a "
					    "digest (40 to 128 lowercase hex digits)", member, key, i, s);
			rc = v ? add_named(v, n, key, d, dlen) :
				 pol_add_rule(c->p, key, klen, -1, d, dlen);
			if (rc == -E2BIG)
				return fail(c, rc, "%s: too many digests", member);
			if (rc)
				return fail(c, rc, "out of memory");
		}
	}
	return 0;
}

static int parse_strings(struct kl_parse *c, const char *member, json_object *o, char ***v,
			 size_t *n)
{
	size_t len, i;

	if (!json_object_is_type(o, json_type_array))
		return fail(c, -EBADMSG, "%s: expected a list of strings, not %s", member,
			    type_name(o));
	len = json_object_array_length(o);
	if (!(*v = calloc(len ? len : 1, sizeof(**v))))
		return fail(c, -ENOMEM, "out of memory");
	for (i = 0; i < len; i++) {
		json_object *it = json_object_array_get_idx(o, i);
		const char *s = get_string(it, NULL);

		if (!s)
			return fail(c, -EBADMSG, "%s[%zu]: expected a string, not %s", member, i,
				    type_name(it));
		if (!((*v)[i] = strdup(s)))
			return fail(c, -ENOMEM, "out of memory");
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

static int parse_excludes(struct kl_parse *c, json_object *o)
{
	struct pol_keylime *k = c->k;
	char **src = NULL;
	size_t n = 0, i;
	int rc;

	if (k->excludes)
		return fail(c, -EBADMSG, "excludes: given twice");
	rc = parse_strings(c, "excludes", o, &src, &n);
	if (!rc && !(k->excludes = calloc(n + 1, sizeof(*k->excludes))))
		rc = fail(c, -ENOMEM, "out of memory");
	for (i = 0; !rc && i < n; i++) {
		const char *costly = exclude_too_costly(src[i]);
		int r;

		if (costly) {
			rc = fail(c, -E2BIG, "excludes[%zu]: '%.140s': %s", i, src[i], costly);
			break;
		}
		r = regcomp(&k->excludes[i], src[i], REG_EXTENDED);
		if (r) {
			char text[128];

			regerror(r, &k->excludes[i], text, sizeof(text));
			rc = fail(c, -EBADMSG, "excludes[%zu]: '%.140s' is not a POSIX extended "
				  "regular expression: %s", i, src[i], text);
			break;
		}
		k->n_excludes = i + 1;
	}
	for (i = 0; i < n; i++)
		free(src[i]);
	free(src);
	return rc;
}

static bool known_log_algo(const char *s)
{
	return !strcmp(s, "sha1") || !strcmp(s, "sha256") || !strcmp(s, "sha384") ||
	       !strcmp(s, "sha512") || !strcmp(s, "sm3_256");
}

static int parse_ima(struct kl_parse *c, json_object *o)
{
	struct pol_keylime *k = c->k;

	if (!json_object_is_type(o, json_type_object))
		return fail(c, -EBADMSG, "ima: expected an object, not %s", type_name(o));
	json_object_object_foreach(o, key, val) {
		if (!strcmp(key, "ignored_keyrings")) {
			if (k->ignored)
				return fail(c, -EBADMSG, "ima.ignored_keyrings: given twice");
			int rc = parse_strings(c, "ima.ignored_keyrings", val, &k->ignored,
					       &k->n_ignored);

			if (rc)
				return rc;
		} else if (!strcmp(key, "log_hash_alg")) {
			const char *s = get_string(val, NULL);

			if (!s)
				return fail(c, -EBADMSG, "ima.log_hash_alg: expected a string, not %s",
					    type_name(val));
			k->log_hash_algo = imaevm_hash_algo_by_name(s);
			if (k->log_hash_algo < 0 || !known_log_algo(s))
				return fail(c, -EBADMSG,
					    "ima.log_hash_alg: unknown hash algorithm '%.40s'", s);
		} else if (!strcmp(key, "dm_policy")) {
			if (!json_object_is_type(val, json_type_null))
				return fail(c, -EOPNOTSUPP, "ima.dm_policy: device-mapper policies "
					    "are not supported (only null)");
		} else {
			return fail(c, -EBADMSG, "ima: unknown member '%.100s'", key);
		}
	}
	return 0;
}

static int parse_meta(struct kl_parse *c, json_object *o, bool *seen)
{
	if (!json_object_is_type(o, json_type_object))
		return fail(c, -EBADMSG, "meta: expected an object, not %s", type_name(o));
	json_object_object_foreach(o, key, val) {
		if (!strcmp(key, "version")) {
			if (!json_object_is_type(val, json_type_int))
				return fail(c, -EBADMSG, "meta.version: expected a number, not %s",
					    type_name(val));
			if (json_object_get_int64(val) != KL_VERSION)
				return fail(c, -EOPNOTSUPP,
					    "meta.version %lld: only version %d is known",
					    (long long)json_object_get_int64(val), KL_VERSION);
			*seen = true;
		}
		/* generator, timestamp: informative */
	}
	return 0;
}

static int parse_root(struct kl_parse *c, json_object *root)
{
	struct pol_keylime *k = c->k;
	bool version = false;

	if (!json_object_is_type(root, json_type_object))
		return fail(c, -EBADMSG, "expected a JSON object, not %s", type_name(root));
	json_object_object_foreach(root, key, val) {
		int rc = 0;

		if (!strcmp(key, "meta")) {
			rc = parse_meta(c, val, &version);
		} else if (!strcmp(key, "release")) {
			if (!json_object_is_type(val, json_type_int) &&
			    !json_object_is_type(val, json_type_double))
				rc = fail(c, -EBADMSG, "release: expected a number, not %s",
					  type_name(val));
		} else if (!strcmp(key, "digests")) {
			rc = parse_table(c, "digests", val, NULL, NULL);
		} else if (!strcmp(key, "keyrings")) {
			rc = parse_table(c, "keyrings", val, &k->keys, &k->n_keys);
		} else if (!strcmp(key, "ima-buf")) {
			rc = parse_table(c, "ima-buf", val, &k->bufs, &k->n_bufs);
		} else if (!strcmp(key, "excludes")) {
			rc = parse_excludes(c, val);
		} else if (!strcmp(key, "ima")) {
			rc = parse_ima(c, val);
		} else if (!strcmp(key, "verification-keys")) {
			const char *s = get_string(val, NULL);

			if (!s)
				rc = fail(c, -EBADMSG, "verification-keys: expected a string, not %s",
					  type_name(val));
			else if (*s)
				/* fail closed rather than trust keys we do not load */
				rc = fail(c, -EOPNOTSUPP, "verification-keys: keys in the policy "
					  "are not supported (give them with --key)");
		} else {
			rc = fail(c, -EBADMSG, "unknown member '%.100s'", key);
		}
		if (rc)
			return rc;
	}
	if (!version)
		return fail(c, -EBADMSG, "meta.version: missing (a keylime runtime policy has "
			    "meta.version %d)", KL_VERSION);
	return 0;
}

static int parse_json(struct kl_parse *c, const char *buf, size_t len, json_object **out)
{
	struct json_tokener *tok;
	json_object *root;
	size_t end;

	if (len > (size_t)INT32_MAX)
		return fail(c, -E2BIG, "too large for a JSON policy");
	/* json-c cuts member names at a NUL: refuse it rather than allow a shorter path */
	if (memmem(buf, len, "\\u0000", 6))
		return fail(c, -EBADMSG, "a NUL character (\\u0000) is not allowed in a policy");
	if (!(tok = json_tokener_new_ex(KL_DEPTH)))
		return fail(c, -ENOMEM, "out of memory");
	root = json_tokener_parse_ex(tok, buf, (int)len);
	if (!root) {
		enum json_tokener_error je = json_tokener_get_error(tok);
		int rc;

		if (je == json_tokener_continue)
			rc = fail(c, -EBADMSG, "not valid JSON: the text ends inside the object");
		else
			rc = fail(c, -EBADMSG, "not valid JSON at byte %zu: %s",
				  json_tokener_get_parse_end(tok), json_tokener_error_desc(je));
		json_tokener_free(tok);
		return rc;
	}
	end = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	while (end < len && buf[end] && strchr(" \t\r\n", buf[end]))
		end++;
	if (end < len) {
		json_object_put(root);
		return fail(c, -EBADMSG, "not valid JSON: data after the object at byte %zu", end);
	}
	*out = root;
	return 0;
}

int pol_parse_keylime(struct imaevm_policy *p, const char *buf, size_t len, char **why)
{
	struct kl_parse c = { .p = p, .why = why };
	struct pol_keylime **grown;
	struct pol_mark mark;
	json_object *root = NULL;
	int rc;

	if ((rc = parse_json(&c, buf, len, &root)))
		return rc;
	pol_mark(p, &mark);
	if (!(c.k = calloc(1, sizeof(*c.k)))) {
		json_object_put(root);
		return fail(&c, -ENOMEM, "out of memory");
	}
	c.k->log_hash_algo = -1;
	rc = parse_root(&c, root);
	json_object_put(root);
	if (!rc && !(grown = realloc(p->kl, (p->n_kl + 1) * sizeof(*grown))))
		rc = fail(&c, -ENOMEM, "out of memory");
	if (rc) {
		pol_keylime_free(c.k);
		pol_undo(p, &mark);
		return rc;
	}
	p->kl = grown;
	p->kl[p->n_kl++] = c.k;
	return 0;
}

void pol_keylime_free(struct pol_keylime *k)
{
	size_t i;

	if (!k)
		return;
	for (i = 0; i < k->n_keys; i++)
		free(k->keys[i].name);
	for (i = 0; i < k->n_bufs; i++)
		free(k->bufs[i].name);
	for (i = 0; i < k->n_excludes; i++)
		regfree(&k->excludes[i]);
	for (i = 0; i < k->n_ignored; i++)
		free(k->ignored[i]);
	free(k->keys);
	free(k->bufs);
	free(k->excludes);
	free(k->ignored);
	free(k);
}

bool pol_keylime_excluded(const struct pol_keylime *k, const char *path)
{
	regmatch_t m;
	size_t i;

	for (i = 0; i < k->n_excludes; i++)
		if (!regexec(&k->excludes[i], path, 1, &m, 0) && m.rm_so == 0)
			return true;
	return false;
}

bool pol_keylime_keyring_ignored(const struct pol_keylime *k, const char *name)
{
	size_t i;

	for (i = 0; i < k->n_ignored; i++)
		if (!strcmp(k->ignored[i], "*") || !strcmp(k->ignored[i], name))
			return true;
	return false;
}
