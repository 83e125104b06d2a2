// SPDX-License-Identifier: GPL-2.0-or-later
/* policy.c - reference manifests (ima_hash --manifest) and the runtime policy check of ima_measurement --policy. */
#include "config.h"

#include <errno.h>
#include <fnmatch.h>
#include <openssl/x509.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "input.h"
#include "policy.h"
#include "policy-keylime.h"

/*
 * Manifest format, one item a line (documented in evmctl(1)):
 *   ALGO:HEX  /runtime/path     a digest allowed for that path
 *   exclude GLOB                  paths not checked (fnmatch, '*' crosses '/')
 *   # comment, or an empty line
 * In paths, a backslash, control characters and DEL are written \ooo (octal).
 *
 * A file whose first non-space byte is '{' is a keylime runtime policy
 * (policy-keylime.c): its digests become rules of any algorithm of the
 * digest's length (keylime compares hex only), and once one is loaded the
 * boot_aggregate and ima-buf entries are checked too, as keylime does.
 */

struct rule {
	char *path;
	int algo;		/* -1: any algorithm (keylime's digests) */
	size_t len;
	unsigned char d[IMAEVM_MAX_DIGEST_SIZE];
};

#define POLICY_IMA_PCR 10	/* the kernel's default */

struct policy {
	struct rule *rules;		/* sorted by path */
	size_t n;
	struct rule **by_digest;	/* sorted by algo, digest (--policy-any-path) */
	char **excludes;
	size_t n_excludes;
	bool any_path;
	uint32_t ima_pcrs;
	struct kl_policy **kl;		/* keylime policies */
	size_t n_kl;
	uint64_t checked, by_digest_ok, by_sig, excluded;
};

static int add_string(const char ***v, size_t *n, const char *s)
{
	const char **g = realloc(*v, (*n + 1) * sizeof(*g));

	if (!g) {
		cli_error(NULL, "out of memory");
		return EXIT_FAILED;
	}
	g[(*n)++] = s;
	*v = g;
	return 0;
}

int policy_option(struct policy_opts *o, int code, const char *arg)
{
	switch (code) {
	case OPT_POLICY:
		return add_string(&o->files, &o->n_files, arg);
	case OPT_POLICY_EXCLUDE:
		return add_string(&o->excludes, &o->n_excludes, arg);
	case OPT_POLICY_ANY_PATH:
		o->any_path = true;
		return 0;
	default:
		return OPTION_UNUSED;
	}
}

void policy_opts_free(struct policy_opts *o)
{
	free(o->files);
	free(o->excludes);
	memset(o, 0, sizeof(*o));
}

static int cmp_path(const void *a, const void *b)
{
	return strcmp(((const struct rule *)a)->path, ((const struct rule *)b)->path);
}

static int cmp_digest(const void *a, const void *b)
{
	const struct rule *x = *(const struct rule *const *)a, *y = *(const struct rule *const *)b;

	if (x->algo != y->algo)
		return x->algo < y->algo ? -1 : 1;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	return memcmp(x->d, y->d, x->len);
}

/* Undo the \ooo escapes in place; -1 for a bad escape. */
static int unescape(char *s)
{
	char *w = s;

	for (; *s; s++) {
		if (*s != '\\') {
			*w++ = *s;
			continue;
		}
		if (s[1] < '0' || s[1] > '3' || s[2] < '0' || s[2] > '7' ||
		    s[3] < '0' || s[3] > '7')
			return -1;
		*w++ = (char)((s[1] - '0') << 6 | (s[2] - '0') << 3 | (s[3] - '0'));
		if (!w[-1])
			return -1;
		s += 3;
	}
	*w = '\0';
	return 0;
}

static int parse_digest(const char *tok, size_t toklen, struct rule *r)
{
	const char *colon = memchr(tok, ':', toklen);
	char name[32];
	size_t i, hexlen;
	int size;

	if (!colon || (size_t)(colon - tok) >= sizeof(name))
		return -1;
	memcpy(name, tok, (size_t)(colon - tok));
	name[colon - tok] = '\0';
	r->algo = imaevm_hash_algo_by_name(name);
	size = imaevm_hash_algo_size(r->algo);
	hexlen = toklen - (size_t)(colon + 1 - tok);
	if (r->algo < 0 || size <= 0 || hexlen != 2 * (size_t)size)
		return -1;
	for (i = 0; i < (size_t)size; i++) {
		char b[3] = { colon[1 + 2 * i], colon[2 + 2 * i], 0 };
		char *end;

		if (!strchr("0123456789abcdefABCDEF", b[0]) || !strchr("0123456789abcdefABCDEF", b[1]))
			return -1;
		r->d[i] = (unsigned char)strtoul(b, &end, 16);
	}
	r->len = (size_t)size;
	return 0;
}

static int add_rule(struct policy *p, const struct rule *r)
{
	if (!(p->n & (p->n + 1)) || !p->n) {
		/* grow at powers of two */
		struct rule *g = realloc(p->rules, (p->n + 1) * 2 * sizeof(*g));

		if (!g) {
			cli_error(NULL, "out of memory");
			return EXIT_FAILED;
		}
		p->rules = g;
	}
	p->rules[p->n++] = *r;
	return 0;
}

/* A keylime runtime policy: the whole file, under the policy cap. */
static int load_keylime(struct policy *p, const char *file)
{
	struct kl_policy *kl, **grown;
	unsigned char *text;
	char why[400];
	size_t len, i;

	if (input_read(file, &input_policy, &text, &len))
		return EXIT_FAILED;
	if (kl_policy_parse((const char *)text, len, &kl, why, sizeof(why))) {
		free(text);
		cli_error(file, "keylime runtime policy: %s", why);
		return EXIT_FAILED;
	}
	free(text);
	if (!(grown = realloc(p->kl, (p->n_kl + 1) * sizeof(*grown)))) {
		kl_policy_free(kl);
		cli_error(NULL, "out of memory");
		return EXIT_FAILED;
	}
	p->kl = grown;
	p->kl[p->n_kl++] = kl;
	for (i = 0; i < kl->n_files; i++) {
		struct rule r = { .algo = -1, .len = kl->files[i].len };

		memcpy(r.d, kl->files[i].d, r.len);
		/* the name moves to the rule */
		r.path = kl->files[i].name;
		kl->files[i].name = NULL;
		if (add_rule(p, &r)) {
			free(r.path);
			return EXIT_FAILED;
		}
	}
	return 0;
}

/* The caps (256 MiB, lines of 64 KiB) are input_policy's (input.c). */
static int load_file(struct policy *p, const char *file)
{
	FILE *f = input_fopen(file, &input_policy);
	char *line = NULL;
	size_t lineno = 0, total = 0, n;
	int err = 0, rc;

	if (!f)
		return EXIT_FAILED;
	{
		int ch;

		while ((ch = getc(f)) == ' ' || ch == '\t' || ch == '\r' || ch == '\n')
			;
		if (ch == '{') {
			fclose(f);
			return load_keylime(p, file);
		}
		if (ch != EOF)
			ungetc(ch, f);
		rewind(f);
	}
	line = malloc(input_policy.line_max + 1);
	if (!line) {
		cli_error(NULL, "out of memory");
		fclose(f);
		return EXIT_FAILED;
	}
	/* the size was checked at open; the count below catches a file that
	 * grows while it is read, the line cap one huge line */
	while (!err && (rc = input_getline(f, &input_policy, line, &n)) != 0) {
		char *s = line, *sp, *path;
		struct rule r = { 0 };

		lineno++;
		if (rc == -E2BIG) {
			cli_error(file, "line %zu: %s", lineno, input_line_error(&input_policy));
			err = EXIT_FAILED;
			break;
		}
		if (rc < 0)
			break;
		total += n + 1;
		if (total > input_policy.max + 1) {
			cli_error(file, "larger than the %" PRIu64 " MiB limit for a policy",
				  input_policy.max >> 20);
			err = EXIT_FAILED;
			break;
		}
		while (n > 0 && s[n - 1] == '\r')
			s[--n] = '\0';
		if (!*s || *s == '#')
			continue;
		if (!strncmp(s, "exclude ", 8)) {
			char *g = strdup(s + 8), **grown;

			grown = g ? realloc(p->excludes, (p->n_excludes + 1) * sizeof(*grown)) : NULL;
			if (!grown || unescape(g)) {
				free(g);
				cli_error(file, "line %zu: bad exclude pattern", lineno);
				err = EXIT_FAILED;
				break;
			}
			p->excludes = grown;
			p->excludes[p->n_excludes++] = g;
			continue;
		}
		sp = strchr(s, ' ');
		path = sp;
		while (path && *path == ' ')
			path++;
		if (!sp || parse_digest(s, (size_t)(sp - s), &r) || *path != '/' || unescape(path)) {
			cli_error(file, "line %zu: expected 'ALGO:HEX  /PATH' or 'exclude GLOB'",
				  lineno);
			err = EXIT_FAILED;
			break;
		}
		if (!(r.path = strdup(path))) {
			err = EXIT_FAILED;
			break;
		}
		if (add_rule(p, &r)) {
			free(r.path);
			err = EXIT_FAILED;
			break;
		}
	}
	if (!err && ferror(f)) {
		cli_error(file, "cannot read the policy: %s", strerror(errno));
		err = EXIT_FAILED;
	}
	free(line);
	fclose(f);
	return err;
}

int policy_load(struct evmctl *g, const struct policy_opts *o, struct policy **out)
{
	struct policy *p;
	size_t i;
	int err = 0;

	*out = NULL;
	if (!o->n_files) {
		if (o->n_excludes || o->any_path) {
			cli_error(NULL, "--policy-exclude and --policy-any-path need --policy FILE");
			return EXIT_USAGE;
		}
		return 0;
	}
	if (!(p = calloc(1, sizeof(*p))))
		return EXIT_FAILED;
	p->any_path = o->any_path;
	p->ima_pcrs = o->ima_pcrs ? o->ima_pcrs : 1u << POLICY_IMA_PCR;
	for (i = 0; !err && i < o->n_files; i++)
		err = load_file(p, o->files[i]);
	for (i = 0; !err && i < o->n_excludes; i++) {
		char **grown = realloc(p->excludes, (p->n_excludes + 1) * sizeof(*grown));

		if (!grown || !(grown[p->n_excludes] = strdup(o->excludes[i]))) {
			if (grown)
				p->excludes = grown;
			err = EXIT_FAILED;
			break;
		}
		p->excludes = grown;
		p->n_excludes++;
	}
	if (!err && p->n) {
		/* manifests and policies evmctl writes are sorted already */
		for (i = 1; i < p->n && strcmp(p->rules[i - 1].path, p->rules[i].path) <= 0; i++)
			;
		if (i < p->n)
			qsort(p->rules, p->n, sizeof(*p->rules), cmp_path);
	}
	/* the digest index serves --policy-any-path only */
	if (!err && p->n && p->any_path) {
		if (!(p->by_digest = malloc(p->n * sizeof(*p->by_digest))))
			err = EXIT_FAILED;
		for (i = 0; !err && i < p->n; i++)
			p->by_digest[i] = &p->rules[i];
		if (!err)
			qsort(p->by_digest, p->n, sizeof(*p->by_digest), cmp_digest);
	}
	if (err) {
		policy_free(p);
		return err;
	}
	cli_info(g, 1, "policy: %zu digests, %zu exclude patterns, %zu keylime policies", p->n,
		 p->n_excludes, p->n_kl);
	*out = p;
	return 0;
}

void policy_free(struct policy *p)
{
	size_t i;

	if (!p)
		return;
	for (i = 0; i < p->n; i++)
		free(p->rules[i].path);
	for (i = 0; i < p->n_excludes; i++)
		free(p->excludes[i]);
	free(p->rules);
	free(p->by_digest);
	free(p->excludes);
	for (i = 0; i < p->n_kl; i++)
		kl_policy_free(p->kl[i]);
	free(p->kl);
	free(p);
}

void policy_report(const struct policy *p, bool json)
{
	uint64_t bad;

	if (!p)
		return;
	bad = p->checked - p->by_digest_ok - p->by_sig - p->excluded;
	if (json)
		printf(",\n  \"policy\": {\"checked\": %" PRIu64 ", \"allowed_by_digest\": %" PRIu64
		       ", \"allowed_by_signature\": %" PRIu64 ", \"excluded\": %" PRIu64
		       ", \"not_allowed\": %" PRIu64 "}", p->checked, p->by_digest_ok,
		       p->by_sig, p->excluded, bad);
	else
		printf("Policy: %" PRIu64 " measured files, %" PRIu64 " allowed by digest, %" PRIu64
		       " by signature, %" PRIu64 " excluded, %" PRIu64 " not allowed.\n",
		       p->checked, p->by_digest_ok, p->by_sig, p->excluded, bad);
}

static bool in_table(const struct kl_digest *t, size_t n, const char *name,
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
static const char *check_buffer(struct policy *p, const struct imaevm_ml_entry *e,
				char *buf, size_t size)
{
	const unsigned char *q = e->buf;
	const char *name = e->path ? e->path : "";
	X509 *x = e->buf_len < 0x7fffffff ? d2i_X509(NULL, &q, (long)e->buf_len) : NULL;
	bool key = x && q == e->buf + e->buf_len;
	size_t i;

	X509_free(x);
	p->checked++;
	for (i = 0; i < p->n_kl; i++) {
		if (key && kl_policy_keyring_ignored(p->kl[i], name)) {
			p->excluded++;
			return NULL;
		}
		if (key ? in_table(p->kl[i]->keys, p->kl[i]->n_keys, name, e) :
			  in_table(p->kl[i]->bufs, p->kl[i]->n_bufs, name, e)) {
			p->by_digest_ok++;
			return NULL;
		}
	}
	if (key)
		snprintf(buf, size, "policy: key on keyring '%.60s' is not in the policy's keyrings",
			 name);
	else
		snprintf(buf, size, "policy: buffer '%.60s' is not in the policy's ima-buf", name);
	return buf;
}

const char *policy_check(const struct policy *cp, const struct imaevm_ml_entry *e,
			 bool sig_ok, char *buf, size_t size)
{
	struct policy *p = (struct policy *)cp;	/* counters only */
	struct rule key = { 0 }, *kp = &key;
	size_t lo = 0, hi, i, first;
	bool same_algo = false;
	const char *algo;

	if (!p || e->violation || !e->digest)
		return NULL;		/* nothing measured */
	/* keylime knows PCR 10 only: another PCR must be named by --ima-pcr */
	if (p->n_kl && (e->pcr >= 32 || !(p->ima_pcrs & (1u << e->pcr)))) {
		snprintf(buf, size, "policy: entry on PCR %" PRIu32 ", not an IMA PCR (see --ima-pcr)",
			 e->pcr);
		return buf;
	}
	if (e->buf)
		return p->n_kl ? check_buffer(p, e, buf, size) : NULL;
	if (!e->path)
		return NULL;
	/* the kernel writes the boot_aggregate first, on the IMA PCR; a later one
	 * is a file; keylime policies list it in digests */
	if (!p->n_kl && e->index == 1 && e->pcr < 32 && (p->ima_pcrs & (1u << e->pcr)) &&
	    !strcmp(e->path, "boot_aggregate"))
		return NULL;
	p->checked++;
	for (i = 0; i < p->n_excludes; i++)
		if (fnmatch(p->excludes[i], e->path, 0) == 0) {
			p->excluded++;
			return NULL;
		}
	for (i = 0; i < p->n_kl; i++)
		if (kl_policy_excluded(p->kl[i], e->path)) {
			p->excluded++;
			return NULL;
		}
	if (sig_ok) {
		p->by_sig++;
		return NULL;
	}
	algo = imaevm_hash_algo_name(e->digest_algo);
	if (e->digest_type && !strcmp(e->digest_type, "verity")) {
		snprintf(buf, size, "policy: fs-verity digest (only file digests are in manifests)");
		return buf;
	}
	key.path = (char *)e->path;
	key.algo = e->digest_algo;
	key.len = e->digest_len > sizeof(key.d) ? 0 : e->digest_len;
	memcpy(key.d, e->digest, key.len);
	/* first rule of this path */
	hi = p->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(p->rules[mid].path, e->path) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	first = lo;
	for (i = first; i < p->n && !strcmp(p->rules[i].path, e->path); i++) {
		if (p->rules[i].algo != e->digest_algo && p->rules[i].algo != -1)
			continue;
		same_algo = true;
		if (p->rules[i].len == key.len && !memcmp(p->rules[i].d, key.d, key.len)) {
			p->by_digest_ok++;
			return NULL;
		}
	}
	if (p->any_path && p->n &&
	    bsearch(&kp, p->by_digest, p->n, sizeof(*p->by_digest), cmp_digest)) {
		p->by_digest_ok++;
		return NULL;
	}
	if (same_algo)
		snprintf(buf, size, "policy: digest mismatch (the %s digest is not the one "
			 "the policy allows for this path)", algo ? algo : "file");
	else if (first < p->n && !strcmp(p->rules[first].path, e->path))
		snprintf(buf, size, "policy: no %s digest for this path in the policy",
			 algo ? algo : "such");
	else if (p->any_path)
		snprintf(buf, size, "policy: unknown file (neither its path nor its digest "
			 "is in the policy)");
	else
		snprintf(buf, size, "policy: unknown file (not in the policy)");
	return buf;
}

/* ---- manifest writer ---- */

struct manifest {
	FILE *f;
	char *path;
	char *root;		/* without trailing '/', "" for none */
	char *cwd;		/* prefix of relative paths without a root */
	pthread_mutex_t lock;
	/* lines, sorted by path at the end: the output is the same whatever -j */
	struct mline { char *path, *line; } *lines;
	size_t n, cap;
	bool failed;
	bool keylime;
};

int manifest_open(const char *path, const char *root, bool keylime, struct manifest **out)
{
	struct manifest *m = calloc(1, sizeof(*m));
	size_t n;

	if (!m)
		return EXIT_FAILED;
	m->path = strdup(path);
	m->root = strdup(root ? root : "");
	m->cwd = root ? strdup("") : getcwd(NULL, 0);
	if (!m->path || !m->root || !m->cwd) {
		cli_error(path, "cannot open the manifest: %s", strerror(errno ? errno : ENOMEM));
		goto fail;
	}
	n = strlen(m->root);
	while (n > 1 && m->root[n - 1] == '/')
		m->root[--n] = '\0';
	if (!strcmp(m->root, "/"))
		m->root[0] = '\0';
	m->f = strcmp(path, "-") ? fopen(path, "we") : stdout;
	if (!m->f) {
		cli_error(path, "cannot open the manifest: %s", strerror(errno));
		goto fail;
	}
	pthread_mutex_init(&m->lock, NULL);
	m->keylime = keylime;
	if (!keylime)
		fprintf(m->f, "# evmctl manifest: ALGO:HEX  /PATH (see evmctl(1))\n");
	*out = m;
	return 0;
fail:
	free(m->path);
	free(m->root);
	free(m->cwd);
	free(m);
	return EXIT_FAILED;
}

/* @s with '//' and '/./' collapsed and unsafe bytes escaped, to @f. */
static void put_path(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	for (; *p; p++) {
		if (*p == '/' && (p[1] == '/' || (p[1] == '.' && (p[2] == '/' || !p[2]))))
			continue;
		if (*p == '\\' || *p < 0x20 || *p == 0x7f)
			fprintf(f, "\\%03o", *p);
		else
			fputc(*p, f);
	}
}

/* @s as a JSON string, '//' and '/./' collapsed as put_path() does. */
static void put_json_path(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	fputc('"', f);
	for (; *p; p++) {
		if (*p == '/' && (p[1] == '/' || (p[1] == '.' && (p[2] == '/' || !p[2]))))
			continue;
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(f, "\\u%04x", *p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

static int cmp_mline(const void *a, const void *b)
{
	return strcmp(((const struct mline *)a)->path, ((const struct mline *)b)->path);
}

int manifest_add(struct manifest *m, const char *path, const struct imaevm_digest *d)
{
	size_t rl = strlen(m->root), i;
	const char *rest = path;
	char hex[2 * IMAEVM_MAX_DIGEST_SIZE + 1], *full;

	if (rl) {
		if (strncmp(path, m->root, rl) || (path[rl] && path[rl] != '/'))
			return -EINVAL;
		rest = path + rl;
	}
	for (i = 0; i < d->len; i++)
		snprintf(hex + 2 * i, 3, "%02x", d->value[i]);
	if (asprintf(&full, "%s/%s", *rest == '/' ? "" : m->cwd,
		     *rest == '/' ? rest + 1 : rest) < 0)
		return -ENOMEM;
	{
		char *line = NULL;
		size_t len = 0;
		FILE *mf = open_memstream(&line, &len);

		if (!mf) {
			free(full);
			return -ENOMEM;
		}
		if (m->keylime) {
			fputs(hex, mf);
		} else {
			fprintf(mf, "%s:%s  ", imaevm_hash_algo_name(d->algo), hex);
			put_path(mf, full);
			fputc('\n', mf);
		}
		if (fclose(mf) || !line) {
			free(line);
			free(full);
			return -ENOMEM;
		}
		pthread_mutex_lock(&m->lock);
		if (m->n == m->cap) {
			size_t cap = m->cap ? 2 * m->cap : 256;
			struct mline *g = realloc(m->lines, cap * sizeof(*g));

			if (!g) {
				m->failed = true;
				pthread_mutex_unlock(&m->lock);
				free(line);
				free(full);
				return -ENOMEM;
			}
			m->lines = g;
			m->cap = cap;
		}
		m->lines[m->n].path = full;
		m->lines[m->n++].line = line;
		pthread_mutex_unlock(&m->lock);
	}
	return 0;
}

int manifest_close(struct manifest *m)
{
	size_t i;
	int err = 0;

	if (!m)
		return 0;
	if (m->n)
		qsort(m->lines, m->n, sizeof(*m->lines), cmp_mline);
	if (m->keylime)
		fputs("{\"meta\": {\"version\": 1, \"generator\": 0}, \"release\": 0, "
		      "\"digests\": {", m->f);
	for (i = 0; i < m->n; i++) {
		if (!m->keylime) {
			fputs(m->lines[i].line, m->f);
		} else if (i && !strcmp(m->lines[i].path, m->lines[i - 1].path)) {
			fprintf(m->f, ", \"%s\"", m->lines[i].line);
		} else {
			fputs(i ? "],\n  " : "\n  ", m->f);
			put_json_path(m->f, m->lines[i].path);
			fprintf(m->f, ": [\"%s\"", m->lines[i].line);
		}
	}
	if (m->keylime)
		fputs(m->n ? "]\n}, \"excludes\": [], \"keyrings\": {}, \"ima\": "
		      "{\"ignored_keyrings\": [], \"log_hash_alg\": \"sha1\", \"dm_policy\": null}, "
		      "\"ima-buf\": {}, \"verification-keys\": \"\"}\n" :
		      "}, \"excludes\": [], \"keyrings\": {}, \"ima\": "
		      "{\"ignored_keyrings\": [], \"log_hash_alg\": \"sha1\", \"dm_policy\": null}, "
		      "\"ima-buf\": {}, \"verification-keys\": \"\"}\n", m->f);
	for (i = 0; i < m->n; i++) {
		free(m->lines[i].line);
		free(m->lines[i].path);
	}
	free(m->lines);
	if (fflush(m->f) || ferror(m->f) || m->failed ||
	    (m->f != stdout && fclose(m->f))) {
		cli_error(m->path, "cannot write the manifest: %s", strerror(errno));
		err = EXIT_FAILED;
	}
	pthread_mutex_destroy(&m->lock);
	free(m->path);
	free(m->root);
	free(m->cwd);
	free(m);
	return err;
}
