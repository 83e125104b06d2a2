// SPDX-License-Identifier: GPL-2.0-or-later
/* fuzz-ml-state.c - harness: the incremental replay state parser, and continuing a list from it. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "imaevm.h"
#include "fuzz.h"

/*
 * A small binary list on PCR 10, three entries: with @boot_td, entry 1 is a
 * boot_aggregate of that template digest (the whole list of a state whose
 * entry 1 it is), else a file (a list of new entries).
 */
static size_t make_list(unsigned char *out, const unsigned char *boot_td)
{
	static const char *const names[] = { "boot_aggregate", "/a", "/b" };
	size_t pos = 0, i;

	for (i = 0; i < 3; i++) {
		const char *name = i == 0 && !boot_td ? "/first" : names[i];
		uint32_t v = 10, dlen = (uint32_t)strlen(name) + 1 + 4, nlen;

		memcpy(out + pos, &v, 4);
		if (i == 0 && boot_td)
			memcpy(out + pos + 4, boot_td, 20);
		else
			memset(out + pos + 4, (int)(0x11 * (i + 1)), 20);
		v = 6;
		memcpy(out + pos + 24, &v, 4);
		memcpy(out + pos + 28, "ima-ng", 6);
		pos += 34;
		memcpy(out + pos, &dlen, 4);
		nlen = dlen - 4;
		memcpy(out + pos + 4, &nlen, 4);
		memcpy(out + pos + 8, name, nlen);
		pos += 4 + dlen;
	}
	return pos;
}

/* Continue @list from @st, and record the state after it. */
static void continue_from(struct imaevm_ctx *ctx, const struct imaevm_ml_state *st,
			  const int *algos, unsigned int n, const unsigned char *list,
			  size_t llen)
{
	const struct imaevm_ml_entry *e;
	struct imaevm_ml_state *next = NULL, *again = NULL;
	struct imaevm_replay *r = NULL;
	struct imaevm_ml *ml = NULL;
	int modes[IMAEVM_MAX_BANKS];
	const char *why = NULL;
	unsigned char *o2 = NULL;
	unsigned int i;
	size_t l2 = 0;
	char path[32];
	int fd = fuzz_file(list, llen, path), rc;

	if (fd < 0)
		return;
	if (imaevm_ml_state_replay_new(ctx, st, algos, n, NULL, &r, &why) ||
	    imaevm_ml_state_open_list(ctx, st, path, -1, &ml, &why))
		goto out;
	while ((rc = imaevm_ml_next(ml, &e)) == 1) {
		FUZZ_ASSERT(e->index > imaevm_ml_state_entries(st));
		imaevm_replay_extend(r, e);
	}
	if (rc || imaevm_replay_finish(r))
		goto out;
	for (i = 0; i < n; i++)
		modes[i] = imaevm_ml_state_bank_mode(st, algos[i]);
	if (imaevm_ml_state_record(ctx, st, ml, r, algos, modes, n, NULL, &next) == 0) {
		FUZZ_ASSERT(imaevm_ml_state_entries(next) >= imaevm_ml_state_entries(st));
		FUZZ_ASSERT(imaevm_ml_state_serialize(next, &o2, &l2) == 0);
		FUZZ_ASSERT(imaevm_ml_state_parse(o2, l2, &again, &why) == 0);
	}
out:
	imaevm_free(o2);
	imaevm_ml_state_free(again);
	imaevm_ml_state_free(next);
	imaevm_ml_close(ml);
	imaevm_replay_free(r);
	close(fd);
}

/* Set the length field and the CRC-32 of a state file to fit its bytes. */
static void fix_crc(uint8_t *b, size_t len)
{
	uint32_t c = 0xffffffffu;
	size_t i;
	int k;

	for (i = 0; i < 4; i++)
		b[12 + i] = (uint8_t)(len >> (8 * i));
	for (i = 0; i < len - 4; i++) {
		c ^= b[i];
		for (k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1)));
	}
	c = ~c;
	for (i = 0; i < 4; i++)
		b[len - 4 + i] = (uint8_t)(c >> (8 * i));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct imaevm_ctx *ctx = fuzz_ctx();
	struct imaevm_ml_state_boot boot = { 0 };
	struct imaevm_ml_state *st = NULL, *again = NULL;
	unsigned char *out = NULL, list[256];
	const char *why = NULL;
	int algos[IMAEVM_MAX_BANKS];
	unsigned int n = 0;
	size_t len = 0, llen;
	int algo, rc;
	/* a private copy, so reads past the end hit ASan's redzone */
	uint8_t *buf = malloc(size ? size : 1);

	if (!buf || !ctx)
		goto out;
	memcpy(buf, data, size);
	if (size >= 20 && size % 2)
		fix_crc(buf, size);	/* get past the checksum to the fields */
	rc = imaevm_ml_state_parse(buf, size, &st, &why);
	FUZZ_ASSERT(rc == 0 || why || rc == -ENOMEM);
	if (rc)
		goto out;
	/* the format is canonical: what parses serialises to the same bytes */
	FUZZ_ASSERT(imaevm_ml_state_serialize(st, &out, &len) == 0);
	FUZZ_ASSERT(len == size && !memcmp(out, buf, size));
	FUZZ_ASSERT(imaevm_ml_state_parse(out, len, &again, &why) == 0);
	FUZZ_ASSERT(imaevm_ml_state_entries(st) >= 1);
	imaevm_ml_state_check_boot(st, &boot, &why);
	for (algo = 0; algo < 32 && n < IMAEVM_MAX_BANKS; algo++) {
		rc = imaevm_ml_state_bank_mode(st, algo);
		FUZZ_ASSERT(rc == -ENOENT || rc == IMAEVM_REPLAY_BANK || rc == IMAEVM_REPLAY_PADDED);
		if (rc >= 0)
			algos[n++] = algo;
	}
	FUZZ_ASSERT(n >= 1);
	/* continue lists from the state: offsets and counts are the input's */
	llen = make_list(list, NULL);
	continue_from(ctx, st, algos, n, list, llen);
	if (size >= 72) {
		/* entry 1's template digest as serialised (a sha1 list) */
		llen = make_list(list, buf + 52);
		continue_from(ctx, st, algos, n, list, llen);
	}
out:
	imaevm_free(out);
	imaevm_ml_state_free(again);
	imaevm_ml_state_free(st);
	free(buf);
	return 0;
}
