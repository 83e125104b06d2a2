// SPDX-License-Identifier: GPL-2.0-or-later
/* policy.c - ima_measurement --policy (the files read, the library's results as messages) and the reference manifest writer of ima_hash --manifest. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "input.h"
#include "manifest-lines.h"
#include "policy.h"

/* The formats (manifests, keylime runtime policies) and checks are libimaevm's: imaevm/policy.h. */
struct policy {
	struct imaevm_policy *lib;
	struct imaevm_policy_tally tally;
	uint64_t refused;	/* every refusal, those the tally leaves out too */
	bool any_path;
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

/* The first manifest line over the line cap (1-based), or 0. */
static size_t overlong_line(const unsigned char *text, size_t len)
{
	size_t off = 0, lineno = 0;

	while (off < len) {
		const unsigned char *nl = memchr(text + off, '\n', len - off);
		size_t n = nl ? (size_t)(nl - (text + off)) : len - off;

		lineno++;
		if (n > input_policy.line_max)
			return lineno;
		off += n + 1;
	}
	return 0;
}

/* The caps (256 MiB, manifest lines of 64 KiB) are input_policy's (input.c). */
static int load_file(struct policy *p, const char *file)
{
	unsigned char *text;
	char *why = NULL;
	size_t len, i, bad;
	int rc;

	if (input_read(file, &input_policy, &text, &len))
		return EXIT_FAILED;
	for (i = 0; i < len && strchr(" \t\r\n", text[i]) && text[i]; i++)
		;
	if ((i == len || text[i] != '{') && (bad = overlong_line(text, len))) {
		cli_error(file, "line %zu: %s", bad, input_line_error(&input_policy));
		free(text);
		return EXIT_FAILED;
	}
	rc = imaevm_policy_add(p->lib, text, len, IMAEVM_POLICY_AUTO, &why);
	free(text);
	if (rc >= 0)
		return 0;
	if (why)
		cli_error(file, "%s", why);
	else
		cli_error(file, "cannot read the policy: %s", imaevm_strerror(rc));
	imaevm_free(why);
	return EXIT_FAILED;
}

int policy_load(struct evmctl *g, const struct policy_opts *o, struct policy **out)
{
	struct imaevm_policy_params params = { 0 };
	struct imaevm_policy_info info = { 0 };
	struct policy *p;
	size_t i;
	int err = 0, rc;

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
	params.flags = o->any_path ? IMAEVM_POLICY_ANY_PATH : 0;
	params.ima_pcrs = o->ima_pcrs;
	if ((rc = imaevm_policy_new(g->ctx, &params, &p->lib))) {
		cli_error(NULL, "policy: %s", imaevm_strerror(rc));
		free(p);
		return EXIT_FAILED;
	}
	for (i = 0; !err && i < o->n_files; i++)
		err = load_file(p, o->files[i]);
	for (i = 0; !err && i < o->n_excludes; i++)
		if (imaevm_policy_add_exclude(p->lib, o->excludes[i])) {
			cli_error(NULL, "out of memory");
			err = EXIT_FAILED;
		}
	if (err) {
		policy_free(p);
		return err;
	}
	imaevm_policy_get_info(p->lib, &info);
	cli_info(g, 1, "policy: %" PRIu64 " digests, %" PRIu64 " exclude patterns, %" PRIu64
		 " keylime policies", info.digests, info.excludes, info.keylime);
	*out = p;
	return 0;
}

void policy_free(struct policy *p)
{
	if (!p)
		return;
	imaevm_policy_free(p->lib);
	free(p);
}

void policy_report(const struct policy *p, bool json)
{
	const struct imaevm_policy_tally *t;

	if (!p)
		return;
	t = &p->tally;
	if (json)
		printf(",\n  \"policy\": {\"checked\": %" PRIu64 ", \"allowed_by_digest\": %" PRIu64
		       ", \"allowed_by_signature\": %" PRIu64 ", \"excluded\": %" PRIu64
		       ", \"not_allowed\": %" PRIu64 "}", t->checked, t->allowed,
		       t->by_sig, t->excluded, t->refused);
	else
		printf("Policy: %" PRIu64 " measured files, %" PRIu64 " allowed by digest, %" PRIu64
		       " by signature, %" PRIu64 " excluded, %" PRIu64 " not allowed.\n",
		       t->checked, t->allowed, t->by_sig, t->excluded, t->refused);
}

const char *policy_check(const struct policy *cp, const struct imaevm_ml_entry *e,
			 bool sig_ok, char *buf, size_t size)
{
	struct policy *p = (struct policy *)cp;	/* the tally only */
	const char *algo, *name;
	int r;

	if (!p)
		return NULL;
	r = imaevm_policy_check(p->lib, e, sig_ok ? IMAEVM_POLICY_SIG_OK : 0, &p->tally);
	if (r >= 0 && r < IMAEVM_POLICY_REFUSED)
		return NULL;
	p->refused++;
	algo = imaevm_hash_algo_name(e->digest_algo);
	name = e->path ? e->path : "";
	switch (r) {
	case IMAEVM_POLICY_NOT_IMA_PCR:
		snprintf(buf, size, "policy: entry on PCR %" PRIu32 ", not an IMA PCR (see --ima-pcr)",
			 e->pcr);
		break;
	case IMAEVM_POLICY_UNKNOWN_KEY:
		snprintf(buf, size, "policy: key on keyring '%.60s' is not in the policy's keyrings",
			 name);
		break;
	case IMAEVM_POLICY_UNKNOWN_BUFFER:
		snprintf(buf, size, "policy: buffer '%.60s' is not in the policy's ima-buf", name);
		break;
	case IMAEVM_POLICY_VERITY:
		snprintf(buf, size, "policy: fs-verity digest (only file digests are in manifests)");
		break;
	case IMAEVM_POLICY_DIGEST_MISMATCH:
		snprintf(buf, size, "policy: digest mismatch (the %s digest is not the one "
			 "the policy allows for this path)", algo ? algo : "file");
		break;
	case IMAEVM_POLICY_NO_ALGO:
		snprintf(buf, size, "policy: no %s digest for this path in the policy",
			 algo ? algo : "such");
		break;
	case IMAEVM_POLICY_UNKNOWN_FILE:
		if (p->any_path)
			snprintf(buf, size, "policy: unknown file (neither its path nor its digest "
				 "is in the policy)");
		else
			snprintf(buf, size, "policy: unknown file (not in the policy)");
		break;
	default:
		snprintf(buf, size, "policy: %s", r < 0 ? imaevm_strerror(r) :
			 imaevm_policy_result_text(r));
	}
	return buf;
}

const char *policy_check_entry(const struct policy *p, const struct imaevm_ml_entry *e,
			       char *buf, size_t size)
{
	if (!p)
		return NULL;
	/* the name is covered by no digest: it cannot excuse an entry */
	if (!e->known_template)
		return "unknown template: its fields cannot be checked";
	if (e->buf && e->path && e->path[0] == '/')
		return "a buffer entry naming a file: not checked as a file";
	return policy_check(p, e, false, buf, size);
}

bool policy_summary(const struct policy *p, char *buf, size_t size)
{
	const struct imaevm_policy_tally *t = &p->tally;

	snprintf(buf, size, "%" PRIu64 " measured files, %" PRIu64 " allowed by digest, %" PRIu64
		 " excluded, %" PRIu64 " not allowed", t->checked, t->allowed, t->excluded,
		 t->refused);
	return p->refused == 0;
}

/* ---- manifest writer ---- */

struct manifest {
	struct manifest_lines lines;
	bool keylime;
};

int manifest_open(const char *path, const char *root, bool keylime, struct manifest **out)
{
	struct manifest *m = calloc(1, sizeof(*m));

	if (!m)
		return EXIT_FAILED;
	if (manifest_lines_open(&m->lines, path, root)) {
		free(m);
		return EXIT_FAILED;
	}
	m->keylime = keylime;
	if (!keylime)
		fprintf(m->lines.f, "# evmctl manifest: ALGO:HEX  /PATH (see evmctl(1))\n");
	*out = m;
	return 0;
}

/* @s as a JSON string, '//' and '/./' collapsed as imaevm_manifest_path_escape() does. */
static void put_json_path(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	fputc('"', f);
	for (; *p; p++) {
		if (*p == '/' && p[1] == '/')
			continue;
		if (*p == '/' && p[1] == '.' && (p[2] == '/' || !p[2])) {
			p++;	/* "/./" is "/", a trailing "/." nothing */
			continue;
		}
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(f, "\\u%04x", *p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

int manifest_add(struct manifest *m, const char *path, const struct imaevm_digest *d)
{
	char hex[2 * IMAEVM_MAX_DIGEST_SIZE + 1], *full, *line, *escaped;
	size_t i;
	int rc;

	if ((rc = manifest_lines_path(&m->lines, path, &full)))
		return rc;
	for (i = 0; i < d->len; i++)
		snprintf(hex + 2 * i, 3, "%02x", d->value[i]);
	hex[2 * d->len] = '\0';
	if (m->keylime) {
		line = strdup(hex);
	} else if ((rc = imaevm_manifest_path_escape(full, &escaped)) == 0) {
		if (asprintf(&line, "%s:%s  %s\n", imaevm_hash_algo_name(d->algo), hex,
			     escaped) < 0)
			line = NULL;
		imaevm_free(escaped);
	} else {
		line = NULL;
	}
	if (!line) {
		free(full);
		return -ENOMEM;
	}
	return manifest_lines_add(&m->lines, full, line);
}

int manifest_close(struct manifest *m)
{
	const struct manifest_line *l;
	size_t i, n;
	int err;

	if (!m)
		return 0;
	manifest_lines_sort(&m->lines);
	l = m->lines.lines;
	n = m->lines.n;
	if (m->keylime)
		fputs("{\"meta\": {\"version\": 1, \"generator\": 0}, \"release\": 0, "
		      "\"digests\": {", m->lines.f);
	for (i = 0; i < n; i++) {
		if (!m->keylime) {
			fputs(l[i].line, m->lines.f);
		} else if (i && !strcmp(l[i].path, l[i - 1].path)) {
			fprintf(m->lines.f, ", \"%s\"", l[i].line);
		} else {
			fputs(i ? "],\n  " : "\n  ", m->lines.f);
			put_json_path(m->lines.f, l[i].path);
			fprintf(m->lines.f, ": [\"%s\"", l[i].line);
		}
	}
	if (m->keylime)
		fputs(n ? "]\n}, \"excludes\": [], \"keyrings\": {}, \"ima\": "
		      "{\"ignored_keyrings\": [], \"log_hash_alg\": \"sha1\", \"dm_policy\": null}, "
		      "\"ima-buf\": {}, \"verification-keys\": \"\"}\n" :
		      "}, \"excludes\": [], \"keyrings\": {}, \"ima\": "
		      "{\"ignored_keyrings\": [], \"log_hash_alg\": \"sha1\", \"dm_policy\": null}, "
		      "\"ima-buf\": {}, \"verification-keys\": \"\"}\n", m->lines.f);
	err = manifest_lines_close(&m->lines);
	free(m);
	return err;
}
