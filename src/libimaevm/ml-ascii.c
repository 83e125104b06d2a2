// SPDX-License-Identifier: LGPL-2.1-or-later
/* ml-ascii.c - read ascii_runtime_measurements lines back into template data. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Next line into ml->line (without the newline): 1, 0 at the end, <0. */
static int read_line(struct imaevm_ml *ml, size_t *len, size_t *usedp)
{
	size_t scanned = 0, n, used;
	const unsigned char *nl;
	int rc;

	for (;;) {
		nl = memchr(ml->buf + ml->start + scanned, '\n',
			    ml->end - ml->start - scanned);
		if (nl) {
			n = (size_t)(nl - (ml->buf + ml->start));
			used = n + 1;
			break;
		}
		scanned = ml->end - ml->start;
		rc = ml_fill(ml, scanned + 1);
		if (rc < 0)
			return rc;
		if (rc == 0) {
			if (scanned == 0)
				return 0;
			n = used = scanned;	/* last line without a newline */
			break;
		}
	}
	if (n + 1 > ml->line_cap) {
		char *p = realloc(ml->line, n + 1);

		if (!p)
			return -ENOMEM;
		ml->line = p;
		ml->line_cap = n + 1;
	}
	memcpy(ml->line, ml->buf + ml->start, n);
	if (n && ml->line[n - 1] == '\r')
		n--;
	ml->line[n] = '\0';
	ml->start += used;
	*len = n;
	*usedp = used;
	return 1;
}

static void put_le(unsigned char *p, unsigned long long v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++, v >>= 8)
		p[i] = (unsigned char)v;
}

/* Encode one field's text as the kernel stores it; returns its length. */
static long encode_field(const char *id, const char *text, size_t tlen,
			 unsigned char *out)
{
	long n;

	if (!strcmp(id, "d-ng") || !strcmp(id, "d-ngv2") || !strcmp(id, "d-modsig")) {
		const char *colon;
		size_t plen;

		if (tlen == 0)
			return 0;
		colon = memrchr(text, ':', tlen);
		if (!colon)
			return -1;
		plen = (size_t)(colon - text) + 1;
		memcpy(out, text, plen);
		out[plen] = '\0';
		n = imaevm_unhex(colon + 1, tlen - plen, out + plen + 1);
		return n < 0 ? -1 : (long)plen + 1 + n;
	}
	if (!strcmp(id, "n-ng") || (!strcmp(id, "xattrnames") && tlen)) {
		memcpy(out, text, tlen);
		out[tlen] = '\0';
		return (long)tlen + 1;
	}
	if (!strcmp(id, "iuid") || !strcmp(id, "igid") || !strcmp(id, "imode")) {
		unsigned long long v = 0;
		size_t i, size = id[1] == 'm' ? 2 : 4;

		if (tlen == 0)
			return 0;
		for (i = 0; i < tlen; i++) {
			if (text[i] < '0' || text[i] > '9' || v > 0xffffffffULL)
				return -1;
			v = v * 10 + (unsigned long long)(text[i] - '0');
		}
		if (v >> (size * 8))
			return -1;
		put_le(out, v, size);
		return (long)size;
	}
	return imaevm_unhex(text, tlen, out);
}

/* Template "ima": "<sha1 hex> <name>", hashed as digest + name padded to 256. */
static int rebuild_ima(struct imaevm_ml *ml, char *rest)
{
	char *sp = strchr(rest, ' ');
	size_t nlen;

	if (!sp || sp - rest != 40)
		return ml_fail(ml, "ima template: expected a sha1 digest and a name");
	nlen = strlen(sp + 1);
	if (nlen >= ML_IMA_NAME_LEN)
		return ml_fail(ml, "ima template: file name longer than %d bytes",
			       ML_IMA_NAME_LEN - 1);
	if (ml_data_reserve(ml, 20 + ML_IMA_NAME_LEN))
		return -ENOMEM;
	memset(ml->data, 0, 20 + ML_IMA_NAME_LEN);
	if (imaevm_unhex(rest, 40, ml->data) != 20)
		return ml_fail(ml, "ima template: file digest is not hex");
	memcpy(ml->data + 20, sp + 1, nlen);
	ml->entry.data = ml->data;
	ml->entry.data_len = 20 + ML_IMA_NAME_LEN;
	return 0;
}

/*
 * The first field (a digest) has no spaces and fields after the name are
 * hex or numbers, so the name - which may contain spaces - is what is left
 * between them.
 */
static int rebuild_fields(struct imaevm_ml *ml, char *rest, size_t rlen,
			  const char *const *ids, unsigned int n)
{
	const char *text[9];
	size_t tlen[9], pos = 0;
	unsigned int i;
	char *sp, *mid;
	size_t mlen;

	if (ml_data_reserve(ml, 4 * n + rlen + 16))
		return -ENOMEM;
	sp = strchr(rest, ' ');
	if (!sp)
		return ml_fail(ml, "%s: fields missing after the digest",
			       ml->entry.template_name);
	text[0] = rest;
	tlen[0] = (size_t)(sp - rest);
	mid = sp + 1;
	mlen = rlen - tlen[0] - 1;
	for (i = n - 1; i >= 2; i--) {
		sp = memrchr(mid, ' ', mlen);
		if (!sp)
			return ml_fail(ml, "%s: %u fields expected",
				       ml->entry.template_name, n);
		text[i] = sp + 1;
		tlen[i] = mlen - (size_t)(sp + 1 - mid);
		mlen = (size_t)(sp - mid);
	}
	text[1] = mid;
	tlen[1] = mlen;
	for (i = 0; i < n; i++) {
		long len = encode_field(ids[i], text[i], tlen[i], ml->data + pos + 4);

		if (len < 0)
			return ml_fail(ml, "%s: field %u (%s) is malformed",
				       ml->entry.template_name, i + 1, ids[i]);
		put_le(ml->data + pos, (unsigned long long)len, 4);
		pos += 4 + (size_t)len;
	}
	ml->entry.data = ml->data;
	ml->entry.data_len = pos;
	return 0;
}

/*
 * The template digest's hex length tells its algorithm: the first line sets
 * it (unless the file name or the caller did: 64 digits are sm3 only then),
 * every later line must repeat it.
 */
static int read_template_digest(struct imaevm_ml *ml, struct imaevm_ml_entry *e,
				const char *p, size_t *hlenp)
{
	unsigned char d[IMAEVM_MAX_DIGEST_SIZE];
	const char *sp = strchr(p, ' ');
	size_t hlen = sp ? (size_t)(sp - p) : strlen(p);
	int algo;

	if (!sp || hlen > 2 * IMAEVM_MAX_DIGEST_SIZE ||
	    imaevm_unhex(p, hlen, d) != (long)hlen / 2 || hlen == 0)
		return ml_fail(ml, "bad template digest");
	if (!ml->td_set && !ml->td_seen) {
		switch (hlen) {
		case 40: algo = IMAEVM_HASH_SHA1; break;
		case 64: algo = IMAEVM_HASH_SHA256; break;
		case 96: algo = IMAEVM_HASH_SHA384; break;
		case 128: algo = IMAEVM_HASH_SHA512; break;
		default:
			return ml_fail(ml, "template digest of %zu hex digits: "
				       "no bank has that size", hlen);
		}
		ml->td_algo = algo;
		ml->td_size = (unsigned int)hlen / 2;
		ml->td_seen = true;
	}
	if (hlen != 2 * (size_t)ml->td_size)
		return ml_fail(ml, "template digest of %zu hex digits in a list "
			       "of %s template digests (%u digits)", hlen,
			       imaevm_hash_algo_name(ml->td_algo), 2 * ml->td_size);
	ml_set_template_digest(ml, e, d);
	*hlenp = hlen;
	return 0;
}

int ml_next_ascii(struct imaevm_ml *ml)
{
	struct imaevm_ml_entry *e = &ml->entry;
	const char *const *ids;
	unsigned int n = 0;
	char *p, *end, *name, *rest;
	unsigned long pcr;
	size_t len, nlen, hlen = 0, used = 0;
	int rc;

	do {
		ml->offset += used;	/* ml->offset: where this line starts */
		rc = read_line(ml, &len, &used);
		if (rc <= 0)
			return rc;
	} while (len == 0);
	memset(e, 0, sizeof(*e));
	p = ml->line;
	if (*p < '0' || *p > '9')
		return ml_fail(ml, "line does not start with a PCR number");
	pcr = strtoul(p, &end, 10);
	if (*end != ' ' || pcr > 0xffffffffUL)
		return ml_fail(ml, "bad PCR number");
	e->pcr = (uint32_t)pcr;
	p = end + 1;
	if ((rc = read_template_digest(ml, e, p, &hlen)))
		return rc;
	name = p + hlen + 1;
	rest = strchr(name, ' ');
	nlen = rest ? (size_t)(rest - name) : strlen(name);
	if (nlen == 0)
		return ml_fail(ml, "no template name");
	if ((rc = ml_name_set(ml, name, nlen)))
		return rc;
	e->template_name = ml->name;
	rest = rest ? rest + 1 : name + nlen;
	ids = ml->tmpl_ids;
	n = ml->tmpl_n;
	if (!ids)
		return ml_fail(ml, "template '%s' is unknown: its data cannot be "
			       "rebuilt from the ASCII list", ml->name);
	if (ml->tmpl_ima)
		rc = rebuild_ima(ml, rest);
	else
		rc = rebuild_fields(ml, rest, strlen(rest), ids, n);
	if (rc)
		return rc;
	ml_split_fields(ml, e);
	ml->entry_offset = ml->offset;
	ml->offset += used;
	return 1;
}
