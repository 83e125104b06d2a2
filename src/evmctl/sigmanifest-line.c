// SPDX-License-Identifier: GPL-2.0-or-later
/* sigmanifest-line.c - parse one line of a signature manifest (a file of its
 * own so the fuzzing harness can call it). */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "sigmanifest-line.h"

static int hexval(int ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	ch = tolower(ch);
	return ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : -1;
}

/* @n hex digits at @s into @out (at most @max bytes); 0 or -1. */
static int parse_hex(const char *s, size_t n, unsigned char *out, size_t max, size_t *len)
{
	size_t i;

	if (n == 0 || n % 2 || n / 2 > max)
		return -1;
	for (i = 0; i < n; i += 2) {
		int hi = hexval(s[i]), lo = hexval(s[i + 1]);

		if (hi < 0 || lo < 0)
			return -1;
		out[i / 2] = (unsigned char)(hi << 4 | lo);
	}
	*len = n / 2;
	return 0;
}

static size_t hex_span(const char *s)
{
	return strspn(s, "0123456789abcdefABCDEF");
}

/* sha*sum escapes (a line starting with '\'): \\, \n and \r. */
static int unescape_sum(char *s)
{
	char *w = s;

	for (; *s; s++) {
		if (*s != '\\') {
			*w++ = *s;
			continue;
		}
		s++;
		if (*s == '\\')
			*w++ = '\\';
		else if (*s == 'n')
			*w++ = '\n';
		else if (*s == 'r')
			*w++ = '\r';
		else
			return -1;
	}
	*w = '\0';
	return 0;
}

/*
 * Make @p relative to the root in place: leading slashes, empty and "."
 * components go; ".." is refused, as it could leave the root.
 */
static const char *relative_path(char *p)
{
	char *r = p, *w = p;

	while (*r) {
		size_t n;

		while (*r == '/')
			r++;
		n = strcspn(r, "/");
		if (n == 0)
			break;
		if (n == 1 && r[0] == '.') {
			r += 1;
			continue;
		}
		if (n == 2 && r[0] == '.' && r[1] == '.')
			return "the path has a '..' component";
		if (w != p)
			*w++ = '/';
		memmove(w, r, n);
		w += n;
		r += n;
	}
	*w = '\0';
	return *p ? NULL : "the path names no file below the root";
}

/* The value must be a v2 or v3 signature over a digest of @d's algorithm. */
static const char *check_value(struct sigmanifest_line *out, bool algo_known)
{
	struct imaevm_xattr_info info;
	int err = imaevm_xattr_parse(out->value, out->value_len, &info);

	if (err == -EOPNOTSUPP)
		return "the signature names a hash algorithm this evmctl does not know";
	if (err)
		return "the security.ima value is malformed";
	if (info.type != IMAEVM_XATTR_DIGSIG && info.type != IMAEVM_XATTR_VERITY_DIGSIG)
		return "the security.ima value is not a signature";
	if (info.sig_version != 2 && info.sig_version != 3)
		return "signature v1 is not supported in manifests";
	if (!algo_known)
		out->digest.algo = info.hash_algo;
	else if (out->digest.algo != info.hash_algo)
		return "the digest's algorithm is not the signature's";
	if (imaevm_hash_algo_size(info.hash_algo) != (int)out->digest.len)
		return "the digest's length does not match the signature's hash algorithm";
	return NULL;
}

/* VALUEHEX ALGO:DIGESTHEX  PATH */
static const char *parse_own(char *line, size_t n, struct sigmanifest_line *out)
{
	char *algo = line + n + 1, *colon, *path;
	size_t dn, len;

	if (parse_hex(line, n, out->value, sizeof(out->value), &out->value_len))
		return "bad hex in the security.ima value";
	colon = algo + strcspn(algo, ": ");
	if (*colon != ':' || colon == algo)
		return "expected 'VALUEHEX ALGO:DIGESTHEX  /PATH' or a sign_hash line";
	*colon = '\0';
	out->digest.algo = imaevm_hash_algo_by_name(algo);
	if (out->digest.algo < 0)
		return "unknown hash algorithm";
	dn = hex_span(colon + 1);
	if (colon[1 + dn] != ' ' ||
	    parse_hex(colon + 1, dn, out->digest.value, sizeof(out->digest.value), &len))
		return "bad hex digest";
	out->digest.len = len;
	path = colon + 1 + dn;
	while (*path == ' ')
		path++;
	if (!*path)
		return "no path";
	if (imaevm_manifest_path_unescape(path))
		return "bad escape in the path";
	out->path = path;
	return check_value(out, true);
}

/*
 * What `evmctl sign_hash` prints: the input line, a space, the signature.
 * sha*sum lines: [\]HEX  PATH or [\]HEX *PATH; fsverity digest: ALGO:HEX PATH.
 */
static const char *parse_sign_hash(char *line, struct sigmanifest_line *out)
{
	bool escaped = *line == '\\', algo_known = false;
	char *hex = line + escaped, *path, *sig, *colon = NULL;
	size_t dn, len;

	dn = strcspn(hex, " :");
	if (hex[dn] == ':' && !escaped) {
		colon = hex + dn;
		*colon = '\0';
		out->digest.algo = imaevm_hash_algo_by_name(hex);
		if (out->digest.algo < 0)
			return "unknown hash algorithm";
		algo_known = true;
		hex = colon + 1;
		dn = hex_span(hex);
		if (hex[dn] != ' ')
			return "bad hex digest";
		path = hex + dn + 1;
	} else {
		dn = hex_span(hex);
		if (hex[dn] != ' ' || (hex[dn + 1] != ' ' && hex[dn + 1] != '*'))
			return "expected 'VALUEHEX ALGO:DIGESTHEX  /PATH' or a sign_hash line";
		path = hex + dn + 2;
	}
	if (parse_hex(hex, dn, out->digest.value, sizeof(out->digest.value), &len))
		return "bad hex digest";
	out->digest.len = len;
	sig = strrchr(path, ' ');
	if (!sig || sig == path)
		return "no signature after the path";
	*sig++ = '\0';
	if (hex_span(sig) != strlen(sig) ||
	    parse_hex(sig, strlen(sig), out->value, sizeof(out->value), &out->value_len))
		return "bad hex in the signature";
	if (escaped && unescape_sum(path))
		return "bad escape in the path";
	out->path = path;
	return check_value(out, algo_known);
}

const char *sigmanifest_parse_line(char *line, struct sigmanifest_line *out)
{
	size_t n = hex_span(line);
	const char *why;

	memset(&out->digest, 0, sizeof(out->digest));
	out->path = NULL;
	out->value_len = 0;
	if (*line != '\\' && line[n] == ' ' && line[n + 1] != ' ' && line[n + 1] != '*')
		why = parse_own(line, n, out);
	else
		why = parse_sign_hash(line, out);
	if (!why)
		why = relative_path(out->path);
	return why;
}
