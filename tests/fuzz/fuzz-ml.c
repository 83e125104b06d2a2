// SPDX-License-Identifier: GPL-2.0-or-later
/* fuzz-ml.c - measurement list reader and template field parser, shared by
 * the binary and the ASCII harness (FUZZ_ML_FORMAT picks the format). */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "imaevm.h"
#include "fuzz.h"

/* Enough entries to reach every state; bounded so a run stays fast. */
#define MAX_ENTRIES 4096

static void check_entry(struct imaevm_ctx *ctx, const struct imaevm_ml_entry *e)
{
	unsigned int i;
	char *line;

	FUZZ_ASSERT(e->template_name && e->template_name[0]);
	FUZZ_ASSERT(e->data || !e->data_len);
	FUZZ_ASSERT(e->n_fields <= IMAEVM_ML_MAX_FIELDS);
	for (i = 0; i < e->n_fields; i++) {
		FUZZ_ASSERT(e->fields[i].id);
		FUZZ_ASSERT(fuzz_within(e->fields[i].data, e->fields[i].len,
					e->data, e->data_len));
	}
	if (e->digest) {
		FUZZ_ASSERT(fuzz_within(e->digest, e->digest_len, e->data, e->data_len));
		if (e->digest_algo >= 0)
			FUZZ_ASSERT(e->digest_len == (size_t)imaevm_hash_algo_size(e->digest_algo));
	}
	if (e->path) {
		/* the name is a C string inside the template data */
		FUZZ_ASSERT(fuzz_within(e->path, 1, e->data, e->data_len));
		FUZZ_ASSERT(memchr(e->path, '\0', e->data_len -
				   (size_t)((const unsigned char *)e->path - e->data)));
	}
	if (e->sig)
		FUZZ_ASSERT(fuzz_within(e->sig, e->sig_len, e->data, e->data_len));
	if (e->buf)
		FUZZ_ASSERT(fuzz_within(e->buf, e->buf_len, e->data, e->data_len));
	/* the data is read (ASan sees a short buffer) and hashed */
	(void)imaevm_ml_entry_check(ctx, e);
	if (imaevm_ml_entry_format(e, &line) == 0) {
		FUZZ_ASSERT(strlen(line) > 0);
		imaevm_free(line);
	}
	if (e->sig) {
		struct imaevm_xattr_info info;

		(void)imaevm_xattr_parse(e->sig, e->sig_len, &info);
	}
}

int fuzz_ml(const uint8_t *data, size_t size, int format)
{
	struct imaevm_ctx *ctx = fuzz_ctx();
	const struct imaevm_ml_entry *e;
	struct imaevm_ml *ml;
	char path[32];
	int fd, rc = 0, n = 0;

	/* the classic sha1 list, then each per-bank template digest size */
	static const int algos[] = { -1, IMAEVM_HASH_SHA256, IMAEVM_HASH_SHA384,
				     IMAEVM_HASH_SHA512, IMAEVM_HASH_SM3_256 };
	unsigned int a;

	fd = fuzz_file(data, size, path);
	if (fd < 0)
		return 0;
	for (a = 0; a < sizeof(algos) / sizeof(algos[0]); a++) {
		if (lseek(fd, 0, SEEK_SET) != 0 ||
		    imaevm_ml_open_fd(ctx, fd, format, &ml) != 0)
			break;
		n = 0;
		rc = 0;
		if (algos[a] >= 0)
			FUZZ_ASSERT(imaevm_ml_set_digest_algo(ml, algos[a]) == 0);
		while (n++ < MAX_ENTRIES && (rc = imaevm_ml_next(ml, &e)) == 1) {
			FUZZ_ASSERT(e->template_digest_len ==
				    (size_t)imaevm_hash_algo_size(e->template_digest_algo));
			if (algos[a] >= 0)
				FUZZ_ASSERT(e->template_digest_algo == algos[a]);
			check_entry(ctx, e);
		}
		if (rc < 0 && rc != -ENOMEM)
			FUZZ_ASSERT(rc == -EBADMSG && imaevm_ml_error(ml));
		/* too late once entries were read */
		if (n > 1)
			FUZZ_ASSERT(imaevm_ml_set_digest_algo(ml, IMAEVM_HASH_SHA1) == -EINVAL);
		imaevm_ml_close(ml);
	}
	close(fd);
	return 0;
}
