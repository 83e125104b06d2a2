// SPDX-License-Identifier: LGPL-2.1-or-later
/* policy-manifest.c - evmctl's manifests ("ALGO:HEX  /PATH" lines) read into a policy, and their path escapes. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "policy-internal.h"

IMAEVM_EXPORT int imaevm_manifest_path_unescape(char *s)
{
	char *w = s;

	if (!s)
		return -EINVAL;
	for (; *s; s++) {
		if (*s != '\\') {
			*w++ = *s;
			continue;
		}
		if (s[1] < '0' || s[1] > '3' || s[2] < '0' || s[2] > '7' ||
		    s[3] < '0' || s[3] > '7')
			return -EBADMSG;
		*w = (char)((s[1] - '0') << 6 | (s[2] - '0') << 3 | (s[3] - '0'));
		if (!*w++)
			return -EBADMSG;
		s += 3;
	}
	*w = '\0';
	return 0;
}

IMAEVM_EXPORT int imaevm_manifest_path_escape(const char *path, char **out)
{
	const unsigned char *p = (const unsigned char *)path;
	char *o, *w;

	if (!path || !out)
		return -EINVAL;
	if (!(o = w = malloc(4 * strlen(path) + 1)))
		return -ENOMEM;
	for (; *p; p++) {
		if (*p == '/' && p[1] == '/')
			continue;
		if (*p == '/' && p[1] == '.' && (p[2] == '/' || !p[2])) {
			p++;	/* "/./" is "/", a trailing "/." nothing */
			continue;
		}
		if (*p == '\\' || *p < 0x20 || *p == 0x7f) {
			*w++ = '\\';
			*w++ = (char)('0' + (*p >> 6));
			*w++ = (char)('0' + ((*p >> 3) & 7));
			*w++ = (char)('0' + (*p & 7));
		} else {
			*w++ = (char)*p;
		}
	}
	*w = '\0';
	*out = o;
	return 0;
}

/* "ALGO:HEX" of @toklen bytes: 0, or -1 if it is not one. */
static int parse_digest(const char *tok, size_t toklen, int *algo, unsigned char *d,
			size_t *len)
{
	const char *colon = memchr(tok, ':', toklen);
	char name[32];
	size_t hexlen;
	int size;

	if (!colon || (size_t)(colon - tok) >= sizeof(name))
		return -1;
	memcpy(name, tok, (size_t)(colon - tok));
	name[colon - tok] = '\0';
	*algo = imaevm_hash_algo_by_name(name);
	size = imaevm_hash_algo_size(*algo);
	hexlen = toklen - (size_t)(colon + 1 - tok);
	if (*algo < 0 || size <= 0 || size > IMAEVM_MAX_DIGEST_SIZE || hexlen != 2 * (size_t)size)
		return -1;
	if (imaevm_unhex(colon + 1, hexlen, d) != size)
		return -1;
	*len = (size_t)size;
	return 0;
}

/* One line, NUL-terminated, without its newline: 0, or a negative errno after *@why. */
static int parse_line(struct imaevm_policy *p, char *s, size_t lineno, char **why)
{
	unsigned char d[IMAEVM_MAX_DIGEST_SIZE];
	char *sp, *path;
	size_t len;
	int algo, rc;

	if (!*s || *s == '#')
		return 0;
	if (!strncmp(s, "exclude ", 8)) {
		char *g = strdup(s + 8);

		if (!g)
			return -ENOMEM;
		if (imaevm_manifest_path_unescape(g)) {
			free(g);
			return pol_why(why, -EBADMSG, "line %zu: bad exclude pattern", lineno);
		}
		return pol_add_glob(p, g);
	}
	sp = strchr(s, ' ');
	path = sp;
	while (path && *path == ' ')
		path++;
	if (!sp || parse_digest(s, (size_t)(sp - s), &algo, d, &len) || *path != '/' ||
	    imaevm_manifest_path_unescape(path))
		return pol_why(why, -EBADMSG,
			       "line %zu: expected 'ALGO:HEX  /PATH' or 'exclude GLOB'", lineno);
	rc = pol_add_rule(p, path, strlen(path), algo, d, len);
	if (rc == -E2BIG)
		return pol_why(why, rc, "line %zu: too many digests", lineno);
	return rc;
}

int pol_parse_manifest(struct imaevm_policy *p, const char *buf, size_t len, char **why)
{
	struct pol_mark mark;
	size_t off = 0, lineno = 0, cap = 0;
	char *line = NULL;
	int rc = 0;

	pol_mark(p, &mark);
	while (!rc && off < len) {
		const char *nl = memchr(buf + off, '\n', len - off);
		size_t n = nl ? (size_t)(nl - (buf + off)) : len - off;

		lineno++;
		if (memchr(buf + off, '\0', n)) {
			rc = pol_why(why, -EBADMSG, "line %zu: a NUL byte", lineno);
			break;
		}
		if (n + 1 > cap) {
			char *g = realloc(line, n + 1);

			if (!g) {
				rc = -ENOMEM;
				break;
			}
			line = g;
			cap = n + 1;
		}
		memcpy(line, buf + off, n);
		while (n > 0 && line[n - 1] == '\r')
			n--;
		line[n] = '\0';
		rc = parse_line(p, line, lineno, why);
		off += (nl ? (size_t)(nl - (buf + off)) + 1 : len - off);
	}
	free(line);
	if (rc)
		pol_undo(p, &mark);
	return rc;
}
