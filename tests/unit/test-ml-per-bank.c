// SPDX-License-Identifier: GPL-2.0-or-later
/* test-ml-per-bank.c - per-bank measurement lists: reader, check, format, replay. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <unistd.h>

#include "imaevm.h"
#include "unit.h"

static struct imaevm_ctx *ctx;
static char dir[] = "/tmp/test-ml-per-bank-XXXXXX";

static size_t put_le32(unsigned char *p, uint32_t v)
{
	p[0] = v & 0xff;
	p[1] = (v >> 8) & 0xff;
	p[2] = (v >> 16) & 0xff;
	p[3] = v >> 24;
	return 4;
}

/* ima-ng template data of @name */
static size_t ima_ng_data(unsigned char *data, const char *name)
{
	size_t d = 0;

	d += put_le32(data + d, 8 + 32);
	memcpy(data + d, "sha256:\0", 8);
	d += 8;
	memset(data + d, 0x5a, 32);
	d += 32;
	d += put_le32(data + d, (uint32_t)strlen(name) + 1);
	memcpy(data + d, name, strlen(name) + 1);
	return d + strlen(name) + 1;
}

/* A binary ima-ng entry with a template digest of @algo (zeros if @violation). */
static size_t entry(unsigned char *p, int algo, const char *name, int violation,
		    struct imaevm_digest *td)
{
	unsigned char data[256];
	size_t n = 0, d = ima_ng_data(data, name);

	imaevm_digest_buf(ctx, data, d, algo, td);
	if (violation)
		memset(td->value, 0, td->len);
	n += put_le32(p + n, 10);
	memcpy(p + n, td->value, td->len);
	n += td->len;
	n += put_le32(p + n, 6);
	memcpy(p + n, "ima-ng", 6);
	n += 6;
	n += put_le32(p + n, (uint32_t)d);
	memcpy(p + n, data, d);
	return n + d;
}

static void write_file(const char *path, const void *buf, size_t len)
{
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(buf, 1, len, f) != len)
		exit(99);
	fclose(f);
}

static void test_binary(void)
{
	unsigned char buf[1024];
	struct imaevm_digest td, td2;
	const struct imaevm_ml_entry *e;
	struct imaevm_ml *ml;
	char named[128], plain[128], *line = NULL, hex[2 * 48 + 1];
	size_t n = 0;
	unsigned int i;
	int fd;

	n += entry(buf + n, IMAEVM_HASH_SHA384, "/bin/a", 0, &td);
	n += entry(buf + n, IMAEVM_HASH_SHA384, "/bin/b", 1, &td2);
	snprintf(named, sizeof(named), "%s/binary_runtime_measurements_sha384", dir);
	snprintf(plain, sizeof(plain), "%s/list", dir);
	write_file(named, buf, n);
	write_file(plain, buf, n);

	/* by the file name */
	CHECK_EQ_INT(imaevm_ml_open(ctx, named, IMAEVM_ML_AUTO, &ml), 0);
	CHECK_EQ_INT(imaevm_ml_next(ml, &e), 1);
	CHECK_EQ_INT(e->template_digest_algo, IMAEVM_HASH_SHA384);
	CHECK_EQ_INT(e->template_digest_len, 48);
	CHECK(!memcmp(e->template_digest_value, td.value, 48));
	CHECK(!memcmp(e->template_digest, td.value, 20));
	CHECK_EQ_INT(e->violation, 0);
	CHECK(e->path && !strcmp(e->path, "/bin/a"));
	CHECK_EQ_INT(imaevm_ml_entry_check(ctx, e), 0);
	CHECK_EQ_INT(imaevm_ml_entry_format(e, &line), 0);
	for (i = 0; i < 48; i++)
		sprintf(hex + 2 * i, "%02x", td.value[i]);
	CHECK(line && !strncmp(line, "10 ", 3) && !strncmp(line + 3, hex, 96) &&
	      line[99] == ' ');
	imaevm_free(line);
	/* too late to change the algorithm */
	CHECK_EQ_INT(imaevm_ml_set_digest_algo(ml, IMAEVM_HASH_SHA256), -EINVAL);
	CHECK_EQ_INT(imaevm_ml_next(ml, &e), 1);
	CHECK_EQ_INT(e->violation, 1);
	CHECK_EQ_INT(imaevm_ml_entry_check(ctx, e), 0);
	CHECK_EQ_INT(imaevm_ml_next(ml, &e), 0);
	imaevm_ml_close(ml);

	/* another name: read as sha1 digests, which does not parse */
	CHECK_EQ_INT(imaevm_ml_open(ctx, plain, IMAEVM_ML_BINARY, &ml), 0);
	CHECK(imaevm_ml_next(ml, &e) != 1 || imaevm_ml_entry_check(ctx, e) != 0 ||
	      e->template_digest_len != 48);
	imaevm_ml_close(ml);

	/* explicitly, on a descriptor */
	fd = open(plain, O_RDONLY);
	CHECK_EQ_INT(imaevm_ml_open_fd(ctx, fd, IMAEVM_ML_AUTO, &ml), 0);
	CHECK_EQ_INT(imaevm_ml_set_digest_algo(ml, -1), -EINVAL);
	CHECK_EQ_INT(imaevm_ml_set_digest_algo(ml, IMAEVM_HASH_ALGO_COUNT), -EINVAL);
	CHECK_EQ_INT(imaevm_ml_set_digest_algo(NULL, IMAEVM_HASH_SHA384), -EINVAL);
	CHECK_EQ_INT(imaevm_ml_set_digest_algo(ml, IMAEVM_HASH_SHA384), 0);
	CHECK_EQ_INT(imaevm_ml_next(ml, &e), 1);
	CHECK_EQ_INT(e->template_digest_algo, IMAEVM_HASH_SHA384);
	CHECK_EQ_INT(imaevm_ml_entry_check(ctx, e), 0);
	imaevm_ml_close(ml);
	close(fd);

	/* a wrong bank (sha512 read from a sha384 list): an error */
	fd = open(plain, O_RDONLY);
	CHECK_EQ_INT(imaevm_ml_open_fd(ctx, fd, IMAEVM_ML_BINARY, &ml), 0);
	CHECK_EQ_INT(imaevm_ml_set_digest_algo(ml, IMAEVM_HASH_SHA512), 0);
	CHECK(imaevm_ml_next(ml, &e) != 1 || imaevm_ml_entry_check(ctx, e) != 0);
	imaevm_ml_close(ml);
	close(fd);
}

static void test_ascii(void)
{
	char path[128], line[512], hex[129];
	const struct imaevm_ml_entry *e;
	struct imaevm_ml *ml;
	const char *err;
	FILE *f;
	int i;

	for (i = 0; i < 128; i++)
		hex[i] = "0123456789abcdef"[i % 16];
	hex[128] = '\0';
	snprintf(path, sizeof(path), "%s/ascii", dir);
	f = fopen(path, "w");
	fprintf(f, "10 %s ima-ng sha256:%.64s /bin/a\n", hex, hex);
	fprintf(f, "10 %.64s ima-ng sha256:%.64s /bin/b\n", hex, hex);
	fclose(f);
	CHECK_EQ_INT(imaevm_ml_open(ctx, path, IMAEVM_ML_AUTO, &ml), 0);
	CHECK_EQ_INT(imaevm_ml_next(ml, &e), 1);
	CHECK_EQ_INT(e->template_digest_algo, IMAEVM_HASH_SHA512);
	CHECK_EQ_INT(e->template_digest_len, 64);
	CHECK_EQ_INT(imaevm_ml_entry_check(ctx, e), -EBADMSG);	/* made-up digest */
	CHECK_EQ_INT(imaevm_ml_next(ml, &e), -EBADMSG);
	err = imaevm_ml_error(ml);
	CHECK(err && strstr(err, "entry 2 ") && strstr(err, "64 hex digits"));
	imaevm_ml_close(ml);

	/* 64 digits: sha256, or sm3 when set */
	snprintf(line, sizeof(line), "%s/ascii_runtime_measurements_sm3", dir);
	f = fopen(line, "w");
	fprintf(f, "10 %.64s ima-ng sha256:%.64s /bin/a\n", hex, hex);
	fclose(f);
	CHECK_EQ_INT(imaevm_ml_open(ctx, line, IMAEVM_ML_AUTO, &ml), 0);
	CHECK_EQ_INT(imaevm_ml_next(ml, &e), 1);
	CHECK_EQ_INT(e->template_digest_algo, IMAEVM_HASH_SM3_256);
	imaevm_ml_close(ml);
	CHECK_EQ_INT(imaevm_ml_open(ctx, path, IMAEVM_ML_AUTO, &ml), 0);
	CHECK_EQ_INT(imaevm_ml_set_digest_algo(ml, IMAEVM_HASH_SHA384), 0);
	CHECK_EQ_INT(imaevm_ml_next(ml, &e), -EBADMSG);	/* 128 digits, not 96 */
	err = imaevm_ml_error(ml);
	CHECK(err && strstr(err, "entry 1 ") && strstr(err, "sha384"));
	imaevm_ml_close(ml);
}

static void test_replay(void)
{
	int algos[] = { IMAEVM_HASH_SHA256, IMAEVM_HASH_SHA384 };
	unsigned char buf[512], zero[48] = { 0 }, both[96];
	struct imaevm_digest td, want;
	struct imaevm_ml_entry e;
	struct imaevm_replay_pcr res;
	struct imaevm_replay *r;
	unsigned char data[256];
	size_t d = ima_ng_data(data, "/bin/a");

	entry(buf, IMAEVM_HASH_SHA384, "/bin/a", 0, &td);
	memset(&e, 0, sizeof(e));
	e.index = 1;
	e.pcr = 10;
	e.template_name = "ima-ng";
	e.data = data;
	e.data_len = d;
	e.template_digest_algo = IMAEVM_HASH_SHA384;
	e.template_digest_len = 48;
	memcpy(e.template_digest_value, td.value, 48);
	memcpy(e.template_digest, td.value, 20);

	/* no sha384 bank: not replayed */
	CHECK_EQ_INT(imaevm_replay_new(ctx, algos, 1, NULL, &r), 0);
	CHECK_EQ_INT(imaevm_replay_extend(r, &e), -EINVAL);
	imaevm_replay_free(r);

	CHECK_EQ_INT(imaevm_replay_new(ctx, algos, 2, NULL, &r), 0);
	CHECK_EQ_INT(imaevm_replay_extend(r, &e), 0);
	e.index = 2;
	e.template_digest_value[47] ^= 1;
	CHECK_EQ_INT(imaevm_replay_extend(r, &e), -EBADMSG);
	CHECK_EQ_INT(imaevm_replay_result(r, IMAEVM_HASH_SHA384, IMAEVM_REPLAY_BANK, 10, &res), 0);
	CHECK_EQ_INT(res.entries, 2);
	/* the recomputed digest is extended, twice */
	memcpy(both, zero, 48);
	memcpy(both + 48, td.value, 48);
	imaevm_digest_buf(ctx, both, 96, IMAEVM_HASH_SHA384, &want);
	memcpy(both, want.value, 48);
	imaevm_digest_buf(ctx, both, 96, IMAEVM_HASH_SHA384, &want);
	CHECK(!memcmp(res.value, want.value, 48));
	/* the other bank and the padded mode do not see it */
	CHECK_EQ_INT(imaevm_replay_result(r, IMAEVM_HASH_SHA256, IMAEVM_REPLAY_BANK, 10, &res), 0);
	CHECK_EQ_INT(res.entries, 0);
	CHECK_EQ_INT(imaevm_replay_result(r, IMAEVM_HASH_SHA384, IMAEVM_REPLAY_PADDED, 10, &res), 0);
	CHECK_EQ_INT(res.entries, 0);
	/* a length that is not the bank's */
	e.template_digest_len = 32;
	CHECK_EQ_INT(imaevm_replay_extend(r, &e), -EINVAL);
	imaevm_replay_free(r);
}

int main(void)
{
	static const char *const files[] = {
		"binary_runtime_measurements_sha384", "list", "ascii",
		"ascii_runtime_measurements_sm3",
	};
	char p[160];
	unsigned int i;

	if (!mkdtemp(dir) || imaevm_ctx_new(&ctx))
		return 99;
	test_binary();
	test_ascii();
	test_replay();
	imaevm_ctx_free(ctx);
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(p, sizeof(p), "%s/%s", dir, files[i]);
		unlink(p);
	}
	rmdir(dir);
	return unit_done("test-ml-per-bank");
}
