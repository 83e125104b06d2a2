// SPDX-License-Identifier: GPL-2.0-or-later
/* test-ml-state.c - incremental replay state: a continued replay equals a full one; boot checks; errors. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <unistd.h>

#include "imaevm.h"
#include "unit.h"

static struct imaevm_ctx *ctx;
static char dir[] = "/tmp/test-ml-state-XXXXXX";

static size_t put_le32(unsigned char *p, uint32_t v)
{
	p[0] = v & 0xff;
	p[1] = (v >> 8) & 0xff;
	p[2] = (v >> 16) & 0xff;
	p[3] = v >> 24;
	return 4;
}

/* A binary sha1 ima-ng entry of @name on @pcr, its template digest computed. */
static size_t entry(unsigned char *p, uint32_t pcr, const char *name)
{
	unsigned char data[256];
	struct imaevm_digest td;
	size_t n = 0, d = 0;

	d += put_le32(data + d, 8 + 32);
	memcpy(data + d, "sha256:\0", 8);
	d += 8;
	memset(data + d, name[strlen(name) - 1], 32);
	d += 32;
	d += put_le32(data + d, (uint32_t)strlen(name) + 1);
	memcpy(data + d, name, strlen(name) + 1);
	d += strlen(name) + 1;
	imaevm_digest_buf(ctx, data, d, IMAEVM_HASH_SHA1, &td);
	n += put_le32(p + n, pcr);
	memcpy(p + n, td.value, 20);
	n += 20;
	n += put_le32(p + n, 6);
	memcpy(p + n, "ima-ng", 6);
	n += 6;
	n += put_le32(p + n, (uint32_t)d);
	memcpy(p + n, data, d);
	return n + d;
}

static const char *write_file(const char *name, const unsigned char *buf, size_t len)
{
	static char path[8][64];
	static unsigned int k;
	char *p = path[k++ % 8];
	int fd;

	snprintf(p, 64, "%s/%s", dir, name);
	fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || write(fd, buf, len) != (ssize_t)len)
		exit(99);
	close(fd);
	return p;
}

/* Replay @path from @prev (NULL: from the start) and record the state after it. */
static int run(const struct imaevm_ml_state *prev, const char *path,
	       struct imaevm_ml_state **out, uint64_t *first_index)
{
	const int algos[] = { IMAEVM_HASH_SHA256, IMAEVM_HASH_SHA1 };
	const int modes[] = { IMAEVM_REPLAY_BANK, IMAEVM_REPLAY_BANK };
	const struct imaevm_ml_entry *e;
	struct imaevm_replay *r = NULL;
	struct imaevm_ml *ml = NULL;
	const char *why = NULL;
	int rc;

	*first_index = 0;
	rc = imaevm_ml_state_replay_new(ctx, prev, algos, 2, NULL, &r, &why);
	if (!rc)
		rc = imaevm_ml_state_open_list(ctx, prev, path, -1, &ml, &why);
	while (!rc && (rc = imaevm_ml_next(ml, &e)) == 1) {
		if (!*first_index)
			*first_index = e->index;
		rc = imaevm_replay_extend(r, e);
	}
	if (!rc)
		rc = imaevm_ml_state_record(ctx, prev, ml, r, algos, modes, 2, NULL, out);
	imaevm_ml_close(ml);
	imaevm_replay_free(r);
	return rc;
}

static int same_bytes(const struct imaevm_ml_state *a, const struct imaevm_ml_state *b)
{
	unsigned char *x = NULL, *y = NULL;
	size_t xl = 0, yl = 0;
	int same;

	imaevm_ml_state_serialize(a, &x, &xl);
	imaevm_ml_state_serialize(b, &y, &yl);
	same = x && y && xl == yl && !memcmp(x, y, xl);
	imaevm_free(x);
	imaevm_free(y);
	return same;
}

int main(void)
{
	static const char *const names[] = { "boot_aggregate", "/a1", "/a2", "/a3", "/a4",
					     "/b5", "/b6", "/b7" };
	unsigned char list[4096], *buf = NULL;
	size_t off[9] = { 0 }, len;
	struct imaevm_ml_state *s5 = NULL, *s8 = NULL, *inc = NULL, *whole = NULL, *back = NULL;
	struct imaevm_ml_state_boot boot = { 0 };
	struct imaevm_replay *r = NULL;
	struct imaevm_ml *ml = NULL;
	const char *why = NULL, *p5, *p8, *pnew;
	const int sha384 = IMAEVM_HASH_SHA384;
	uint64_t first;
	unsigned int i;

	if (imaevm_ctx_new(&ctx) || !mkdtemp(dir))
		return 99;
	for (i = 0; i < 8; i++)
		off[i + 1] = off[i] + entry(list + off[i], i % 3 == 2 ? 11 : 10, names[i]);
	p5 = write_file("five", list, off[5]);
	p8 = write_file("eight", list, off[8]);
	pnew = write_file("new", list + off[5], off[8] - off[5]);

	CHECK_EQ_INT(run(NULL, p5, &s5, &first), 0);
	CHECK_EQ_INT(imaevm_ml_state_entries(s5), 5);
	CHECK_EQ_INT(imaevm_ml_state_offset(s5), off[5]);
	CHECK_EQ_INT(imaevm_ml_state_bank_mode(s5, IMAEVM_HASH_SHA1), IMAEVM_REPLAY_BANK);
	CHECK_EQ_INT(imaevm_ml_state_bank_mode(s5, IMAEVM_HASH_SHA512), -ENOENT);
	CHECK_EQ_INT(run(NULL, p8, &s8, &first), 0);

	/* the round trip is byte for byte */
	CHECK_EQ_INT(imaevm_ml_state_serialize(s5, &buf, &len), 0);
	CHECK_EQ_INT(imaevm_ml_state_parse(buf, len, &back, &why), 0);
	CHECK(back && same_bytes(back, s5));
	imaevm_ml_state_free(back);
	back = NULL;
	buf[len - 1] ^= 1;
	CHECK_EQ_INT(imaevm_ml_state_parse(buf, len, &back, &why), -EBADMSG);
	CHECK(why && strstr(why, "checksum"));
	buf[len - 1] ^= 1;
	CHECK_EQ_INT(imaevm_ml_state_parse(buf, len - 1, &back, &why), -EBADMSG);
	buf[8] = 9;
	CHECK_EQ_INT(imaevm_ml_state_parse(buf, len, &back, &why), -EPROTO);
	CHECK(back == NULL);
	imaevm_free(buf);

	/* continued from 5, with the new entries or with the whole list: as the full replay */
	CHECK_EQ_INT(run(s5, pnew, &inc, &first), 0);
	CHECK_EQ_INT(first, 6);
	CHECK(inc && same_bytes(inc, s8));
	CHECK_EQ_INT(run(s5, p8, &whole, &first), 0);
	CHECK_EQ_INT(first, 6);
	CHECK(whole && same_bytes(whole, s8));
	imaevm_ml_state_free(whole);
	whole = NULL;

	/* refusals */
	CHECK_EQ_INT(run(s8, p5, &whole, &first), -EBADMSG);		/* shorter */
	CHECK_EQ_INT(imaevm_ml_state_replay_new(ctx, s5, &sha384, 1, NULL, &r, &why), -ENOENT);
	CHECK(r == NULL);
	list[4] ^= 1;	/* another boot_aggregate */
	CHECK_EQ_INT(run(s5, write_file("reboot", list, off[8]), &whole, &first), -ESTALE);
	list[4] ^= 1;
	/* the boundary entry (entry 5) is not the recorded one */
	list[off[4] + 4] ^= 1;
	CHECK_EQ_INT(run(s5, write_file("rewritten", list, off[8]), &whole, &first), -EBADMSG);
	list[off[4] + 4] ^= 1;
	CHECK(whole == NULL);

	/* record needs the reader at its end, and an entry */
	CHECK_EQ_INT(imaevm_ml_state_open_list(ctx, NULL, p8, -1, &ml, &why), 0);
	{
		const int a = IMAEVM_HASH_SHA1, m = IMAEVM_REPLAY_BANK;
		const struct imaevm_ml_entry *e;

		CHECK_EQ_INT(imaevm_replay_new(ctx, &a, 1, NULL, &r), 0);
		CHECK_EQ_INT(imaevm_ml_next(ml, &e), 1);
		imaevm_replay_extend(r, e);
		CHECK_EQ_INT(imaevm_ml_state_record(ctx, NULL, ml, r, &a, &m, 1, NULL, &whole),
			     -EINVAL);
		imaevm_ml_close(ml);
		imaevm_replay_free(r);
		r = NULL;
		CHECK_EQ_INT(imaevm_ml_state_open_list(ctx, NULL, write_file("empty", list, 0),
						       -1, &ml, &why), 0);
		CHECK_EQ_INT(imaevm_replay_new(ctx, &a, 1, NULL, &r), 0);
		CHECK_EQ_INT(imaevm_ml_next(ml, &e), 0);
		CHECK_EQ_INT(imaevm_ml_state_record(ctx, NULL, ml, r, &a, &m, 1, NULL, &whole),
			     -ENODATA);
		imaevm_ml_close(ml);
		imaevm_replay_free(r);
	}

	/* the boot: no clock recorded accepts none; a quote's clock must go on */
	CHECK_EQ_INT(imaevm_ml_state_check_boot(s5, &boot, &why), 0);
	boot.machine_len = 1;
	CHECK_EQ_INT(imaevm_ml_state_check_boot(s5, &boot, &why), -EXDEV);
	imaevm_ml_state_free(inc);
	inc = NULL;
	boot = (struct imaevm_ml_state_boot){ .have_clock = 1, .clock = 100, .reset_count = 3,
					      .restart_count = 1, .machine_len = 2 };
	{
		const int algos[] = { IMAEVM_HASH_SHA1 }, modes[] = { IMAEVM_REPLAY_BANK };
		const struct imaevm_ml_entry *e;

		CHECK_EQ_INT(imaevm_ml_state_replay_new(ctx, NULL, algos, 1, NULL, &r, &why), 0);
		CHECK_EQ_INT(imaevm_ml_state_open_list(ctx, NULL, p5, -1, &ml, &why), 0);
		while (imaevm_ml_next(ml, &e) == 1)
			imaevm_replay_extend(r, e);
		CHECK_EQ_INT(imaevm_ml_state_record(ctx, NULL, ml, r, algos, modes, 1, &boot,
						    &inc), 0);
		imaevm_ml_close(ml);
		imaevm_replay_free(r);
	}
	CHECK_EQ_INT(imaevm_ml_state_check_boot(inc, &boot, &why), 0);
	boot.clock = 99;
	CHECK_EQ_INT(imaevm_ml_state_check_boot(inc, &boot, &why), -ESTALE);
	boot.clock = 1000;
	boot.reset_count = 4;
	CHECK_EQ_INT(imaevm_ml_state_check_boot(inc, &boot, &why), -ESTALE);
	CHECK(why && strstr(why, "resetCount"));
	boot.reset_count = 3;
	boot.restart_count = 2;
	CHECK_EQ_INT(imaevm_ml_state_check_boot(inc, &boot, &why), -ESTALE);
	CHECK(why && strstr(why, "restartCount"));
	boot.restart_count = 1;
	boot.machine[0] = 1;
	CHECK_EQ_INT(imaevm_ml_state_check_boot(inc, &boot, &why), -EXDEV);
	boot.machine[0] = 0;
	CHECK_EQ_INT(imaevm_ml_state_check_boot(inc, &boot, &why), 0);
	boot.have_clock = 0;
	CHECK_EQ_INT(imaevm_ml_state_check_boot(inc, &boot, &why), -ESTALE);

	/* save and load */
	snprintf((char *)list, sizeof(list), "%s/state", dir);
	CHECK_EQ_INT(imaevm_ml_state_save(ctx, inc, (char *)list), 0);
	CHECK_EQ_INT(imaevm_ml_state_load(ctx, (char *)list, &back, &why), 0);
	CHECK(back && same_bytes(back, inc));
	unlink((char *)list);
	CHECK_EQ_INT(imaevm_ml_state_load(ctx, (char *)list, &whole, &why), -ENOENT);

	imaevm_ml_state_free(back);
	imaevm_ml_state_free(inc);
	imaevm_ml_state_free(s5);
	imaevm_ml_state_free(s8);
	imaevm_ctx_free(ctx);
	for (i = 0; i < 8; i++) {
		static const char *const files[] = { "five", "eight", "new", "reboot",
						     "rewritten", "empty", NULL, NULL };

		if (files[i]) {
			snprintf((char *)list, sizeof(list), "%s/%s", dir, files[i]);
			unlink((char *)list);
		}
	}
	rmdir(dir);
	return unit_done("test-ml-state");
}
