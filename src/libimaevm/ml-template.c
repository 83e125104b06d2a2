// SPDX-License-Identifier: LGPL-2.1-or-later
/* ml-template.c - IMA template descriptors: split, interpret and print fields. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct template_desc {
	const char *name;
	unsigned int n;
	const char *fields[9];
};

/* The kernel's built-in template descriptors (ima_template.c). */
static const struct template_desc templates[] = {
	{ "ima", 2, { "d", "n" } },
	{ "ima-ng", 2, { "d-ng", "n-ng" } },
	{ "ima-ngv2", 2, { "d-ngv2", "n-ng" } },
	{ "ima-sig", 3, { "d-ng", "n-ng", "sig" } },
	{ "ima-sigv2", 3, { "d-ngv2", "n-ng", "sig" } },
	{ "ima-buf", 3, { "d-ng", "n-ng", "buf" } },
	{ "ima-modsig", 5, { "d-ng", "n-ng", "sig", "d-modsig", "modsig" } },
	{ "evm-sig", 9, { "d-ng", "n-ng", "evmsig", "xattrnames", "xattrlengths",
			  "xattrvalues", "iuid", "igid", "imode" } },
};

const char *const *ml_template_fields(const char *name, unsigned int *n)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(templates); i++)
		if (!strcmp(templates[i].name, name)) {
			*n = templates[i].n;
			return templates[i].fields;
		}
	return NULL;
}

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

/* Split length-prefixed fields; returns the count, or -1 if they don't tile. */
static int split_generic(struct imaevm_ml_entry *e, const char *const *ids,
			 unsigned int want)
{
	size_t pos = 0;
	unsigned int n = 0;

	while (pos < e->data_len) {
		uint32_t len;

		if (n == IMAEVM_ML_MAX_FIELDS || e->data_len - pos < 4)
			return -1;
		len = le32(e->data + pos);
		pos += 4;
		if (len > e->data_len - pos)
			return -1;
		e->fields[n].id = ids && n < want ? ids[n] : "?";
		e->fields[n].data = e->data + pos;
		e->fields[n].len = len;
		pos += len;
		n++;
	}
	return (int)n;
}

/* Where interpret_digest() puts what it finds. */
struct digest_out {
	int *algo;
	const unsigned char **digest;
	size_t *len;
	const char **type;	/* NULL: untyped field */
};

/* "[type:]algo:\0digest" -> algorithm, type and digest. */
static const char *interpret_digest(const struct imaevm_ml_field *f,
				    const struct digest_out *o)
{
	const unsigned char *nul;
	char prefix[64];
	char *algo, *colon;
	size_t plen;

	if (f->len == 0)
		return NULL;
	nul = memchr(f->data, '\0', f->len);
	if (!nul)
		return "digest field without an algorithm prefix";
	plen = (size_t)(nul - f->data);
	if (plen == 0 || plen >= sizeof(prefix) || f->data[plen - 1] != ':')
		return "digest field with a malformed algorithm prefix";
	memcpy(prefix, f->data, plen - 1);
	prefix[plen - 1] = '\0';
	algo = prefix;
	if (o->type) {
		colon = strchr(prefix, ':');
		if (!colon)
			return "digest field without a digest type";
		*colon = '\0';
		if (!strcmp(prefix, "ima"))
			*o->type = "ima";
		else if (!strcmp(prefix, "verity"))
			*o->type = "verity";
		else
			return "digest field with an unknown digest type";
		algo = colon + 1;
	}
	*o->algo = imaevm_hash_algo_by_name(algo);
	if (*o->algo < 0)
		*o->algo = -1;
	/* a digest is exposed only with the length of its algorithm, so
	 * callers may trust imaevm_hash_algo_size() of its algorithm */
	if (*o->algo >= 0 &&
	    f->len - plen - 1 != (size_t)imaevm_hash_algo_size(*o->algo)) {
		*o->algo = -1;
		return "digest length does not match its algorithm";
	}
	*o->digest = nul + 1;
	*o->len = f->len - plen - 1;
	return NULL;
}

static const char *interpret(struct imaevm_ml_entry *e)
{
	const char *err = NULL;
	unsigned int i;

	for (i = 0; i < e->n_fields && !err; i++) {
		const struct imaevm_ml_field *f = &e->fields[i];
		const char *id = f->id;

		struct digest_out file = { &e->digest_algo, &e->digest,
					    &e->digest_len, NULL };
		struct digest_out mod = { &e->modsig_digest_algo, &e->modsig_digest,
					   &e->modsig_digest_len, NULL };

		if (!strcmp(id, "d-ng")) {
			err = interpret_digest(f, &file);
		} else if (!strcmp(id, "d-ngv2")) {
			file.type = &e->digest_type;
			err = interpret_digest(f, &file);
		} else if (!strcmp(id, "d-modsig")) {
			err = interpret_digest(f, &mod);
		} else if (!strcmp(id, "modsig")) {
			if (f->len) {
				e->modsig = f->data;
				e->modsig_len = f->len;
			}
		} else if (!strcmp(id, "n-ng")) {
			if (f->len == 0 || f->data[f->len - 1] != '\0')
				err = "file name not NUL-terminated";
			else
				e->path = (const char *)f->data;
		} else if (!strcmp(id, "sig") || !strcmp(id, "evmsig")) {
			if (f->len && id[0] == 's') {
				e->sig = f->data;
				e->sig_len = f->len;
			}
		} else if (!strcmp(id, "buf")) {
			if (f->len) {
				e->buf = f->data;
				e->buf_len = f->len;
			}
		}
	}
	return err;
}

static bool buffer_template(const char *const *ids, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (!strcmp(ids[i], "buf"))
			return true;
	return false;
}

/*
 * The kernel records the digest of the buffer it measured: an entry whose
 * digest is not the buffer's is no buffer measurement (an ima-sig entry
 * renamed ima-buf has the same field layout, and its signature as "buf").
 */
static const char *check_buffer_digest(const struct imaevm_ml *ml,
				       const struct imaevm_ml_entry *e)
{
	struct imaevm_digest d;

	if (!e->digest)
		return "buffer entry without a usable digest";
	if (imaevm_digest_buf(ml->ctx, e->buf, e->buf_len, e->digest_algo, &d))
		return "buffer digest cannot be checked: its hash is unavailable";
	if (d.len != e->digest_len || memcmp(d.value, e->digest, d.len))
		return "buffer digest does not match the buffer";
	return NULL;
}

void ml_split_fields(const struct imaevm_ml *ml, struct imaevm_ml_entry *e)
{
	const char *const *ids = ml->tmpl_ids;
	unsigned int want = ml->tmpl_n;
	int n;

	e->digest_algo = -1;
	e->modsig_digest_algo = -1;
	e->known_template = ids != NULL;
	if (ml->tmpl_ima) {
		/* the rebuilt hashed form: sha1 digest + name padded to 256 */
		e->n_fields = 2;
		e->fields[0] = (struct imaevm_ml_field){ "d", e->data, 20 };
		e->fields[1] = (struct imaevm_ml_field){ "n", e->data + 20,
			(uint32_t)strnlen((const char *)e->data + 20, ML_IMA_NAME_LEN) };
		e->digest_algo = IMAEVM_HASH_SHA1;
		e->digest = e->data;
		e->digest_len = 20;
		e->path = (const char *)e->data + 20;
		return;
	}
	n = split_generic(e, ids, want);
	if (n < 0) {
		e->n_fields = 0;
		e->field_error = "template data is not a sequence of length-prefixed fields";
		return;
	}
	e->n_fields = (unsigned int)n;
	if (ids && (unsigned int)n != want) {
		e->field_error = "wrong number of template fields";
		return;
	}
	if (ids)
		e->field_error = interpret(e);
	if (!e->field_error && ids && buffer_template(ids, want) && !e->violation)
		e->field_error = check_buffer_digest(ml, e);
}

/* ---- the kernel's ASCII form ---- */

struct out {
	char *s;
	size_t len, cap;
	bool oom;
};

static void put(struct out *o, const void *p, size_t n)
{
	if (o->oom)
		return;
	if (o->len + n + 1 > o->cap) {
		size_t cap = (o->len + n + 1) * 2;
		char *s = realloc(o->s, cap);

		if (!s) {
			o->oom = true;
			return;
		}
		o->s = s;
		o->cap = cap;
	}
	memcpy(o->s + o->len, p, n);
	o->len += n;
	o->s[o->len] = '\0';
}

static void put_str(struct out *o, const char *s)
{
	put(o, s, strlen(s));
}

/* A name from the list: control bytes and DEL as \xNN, so it cannot end the line. */
static void put_name(struct out *o, const char *s, size_t n)
{
	size_t i, from = 0;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		char esc[5];

		if (c >= 0x20 && c != 0x7f)
			continue;
		put(o, s + from, i - from);
		snprintf(esc, sizeof(esc), "\\x%02x", c);
		put(o, esc, 4);
		from = i + 1;
	}
	put(o, s + from, n - from);
}

static void put_hex(struct out *o, const unsigned char *p, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	char chunk[128];
	size_t i, k = 0;

	for (i = 0; i < n; i++) {
		chunk[k++] = digits[p[i] >> 4];
		chunk[k++] = digits[p[i] & 15];
		if (k == sizeof(chunk)) {
			put(o, chunk, k);
			k = 0;
		}
	}
	put(o, chunk, k);
}

static void put_uint(struct out *o, const unsigned char *p, size_t n)
{
	unsigned long long v = 0;
	char num[24];
	size_t i;

	if (n != 1 && n != 2 && n != 4 && n != 8) {
		put_hex(o, p, n);
		return;
	}
	for (i = n; i-- > 0;)
		v = v << 8 | p[i];
	snprintf(num, sizeof(num), "%llu", v);
	put_str(o, num);
}

static void put_field(struct out *o, const struct imaevm_ml_field *f)
{
	const char *id = f->id;
	const unsigned char *nul;

	if (!strcmp(id, "d-ng") || !strcmp(id, "d-ngv2") || !strcmp(id, "d-modsig")) {
		nul = memchr(f->data, '\0', f->len);
		if (nul) {
			put(o, f->data, (size_t)(nul - f->data));
			put_hex(o, nul + 1, f->len - (size_t)(nul - f->data) - 1);
			return;
		}
	} else if (!strcmp(id, "n-ng") || !strcmp(id, "n") ||
		   !strcmp(id, "xattrnames")) {
		put_name(o, (const char *)f->data, strnlen((const char *)f->data, f->len));
		return;
	} else if (!strcmp(id, "iuid") || !strcmp(id, "igid") ||
		   !strcmp(id, "imode")) {
		put_uint(o, f->data, f->len);
		return;
	}
	put_hex(o, f->data, f->len);
}

IMAEVM_EXPORT int imaevm_ml_entry_format(const struct imaevm_ml_entry *e,
					 char **line)
{
	struct out o = { 0 };
	char num[16];
	unsigned int i;

	if (!e || !line)
		return -EINVAL;
	snprintf(num, sizeof(num), "%u ", e->pcr);
	put_str(&o, num);
	if (e->template_digest_len &&
	    e->template_digest_len <= sizeof(e->template_digest_value))
		put_hex(&o, e->template_digest_value, e->template_digest_len);
	else
		put_hex(&o, e->template_digest, sizeof(e->template_digest));
	put_str(&o, " ");
	put_name(&o, e->template_name, strlen(e->template_name));
	if (e->n_fields == 0 && e->data_len) {
		/* not splittable: show the raw data */
		put_str(&o, " ");
		put_hex(&o, e->data, e->data_len);
	}
	for (i = 0; i < e->n_fields; i++) {
		put_str(&o, " ");
		if (e->fields[i].len)
			put_field(&o, &e->fields[i]);
	}
	if (o.oom || !o.s) {
		free(o.s);
		return -ENOMEM;
	}
	*line = o.s;
	return 0;
}
