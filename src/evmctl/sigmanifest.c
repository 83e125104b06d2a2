// SPDX-License-Identifier: GPL-2.0-or-later
/* sigmanifest.c - the signature manifest writer of ima_sign --manifest. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "manifest-lines.h"
#include "sigmanifest.h"

struct sigmanifest {
	struct manifest_lines lines;
};

int sigmanifest_open(const char *path, const char *root, struct sigmanifest **out)
{
	struct sigmanifest *m = calloc(1, sizeof(*m));

	if (!m)
		return EXIT_FAILED;
	if (manifest_lines_open(&m->lines, path, root)) {
		free(m);
		return EXIT_FAILED;
	}
	fprintf(m->lines.f,
		"# evmctl signature manifest: VALUEHEX ALGO:DIGESTHEX  /PATH (see evmctl(1))\n");
	*out = m;
	return 0;
}

int sigmanifest_add(struct sigmanifest *m, const char *path, const unsigned char *value,
		    size_t len, const struct imaevm_digest *d)
{
	char *full, *escaped, *line = NULL;
	size_t line_len = 0, i;
	FILE *mf;
	int rc;

	if ((rc = manifest_lines_path(&m->lines, path, &full)))
		return rc;
	if ((rc = imaevm_manifest_path_escape(full, &escaped))) {
		free(full);
		return rc;
	}
	mf = open_memstream(&line, &line_len);
	if (!mf) {
		imaevm_free(escaped);
		free(full);
		return -ENOMEM;
	}
	print_hex(mf, value, len);
	fprintf(mf, " %s:", imaevm_hash_algo_name(d->algo));
	for (i = 0; i < d->len; i++)
		fprintf(mf, "%02x", d->value[i]);
	fprintf(mf, "  %s\n", escaped);
	imaevm_free(escaped);
	if (fclose(mf) || !line) {
		free(line);
		free(full);
		return -ENOMEM;
	}
	return manifest_lines_add(&m->lines, full, line);
}

int sigmanifest_close(struct sigmanifest *m)
{
	size_t i;
	int err;

	if (!m)
		return 0;
	manifest_lines_sort(&m->lines);
	for (i = 0; i < m->lines.n; i++)
		fputs(m->lines.lines[i].line, m->lines.f);
	err = manifest_lines_close(&m->lines);
	free(m);
	return err;
}
