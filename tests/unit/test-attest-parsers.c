// SPDX-License-Identifier: GPL-2.0-or-later
/* test-attest-parsers.c - measurement list, event log and PCR file parsers on good and malformed input. */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "imaevm.h"
#include "unit.h"

static struct imaevm_ctx *ctx;
static int memfd;
static char path[] = "/tmp/test-attest-XXXXXX";

static void write_file(const void *buf, size_t len)
{
	FILE *f = fopen(path, "wb");

	if (!f || (len && fwrite(buf, 1, len, f) != len)) {
		perror(path);
		exit(99);
	}
	fclose(f);
}

/* Build a binary entry; returns its length. */
static size_t put_le32(unsigned char *p, uint32_t v)
{
	p[0] = v & 0xff;
	p[1] = (v >> 8) & 0xff;
	p[2] = (v >> 16) & 0xff;
	p[3] = v >> 24;
	return 4;
}

static size_t ima_ng_entry(unsigned char *p, uint32_t pcr, const char *name)
{
	unsigned char data[256];
	size_t n = 0, d = 0;
	struct imaevm_digest td;

	d += put_le32(data + d, 8 + 32);
	memcpy(data + d, "sha256:\0", 8);
	d += 8;
	memset(data + d, 0x5a, 32);
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

/* Open @buf as a list and read it; returns the status of the last next(). */
static int read_list(const void *buf, size_t len, int format, int *entries,
		     const char **err_out)
{
	static char last_err[512];
	const struct imaevm_ml_entry *e;
	struct imaevm_ml *ml;
	int rc;

	/* in memory: thousands of mutated lists go through here */
	if (ftruncate(memfd, 0) || (len && pwrite(memfd, buf, len, 0) != (ssize_t)len) ||
	    lseek(memfd, 0, SEEK_SET) != 0)
		exit(99);
	*entries = 0;
	rc = imaevm_ml_open_fd(ctx, memfd, format, &ml);
	if (rc)
		return rc;
	while ((rc = imaevm_ml_next(ml, &e)) == 1)
		(*entries)++;
	snprintf(last_err, sizeof(last_err), "%s", imaevm_ml_error(ml) ? imaevm_ml_error(ml) : "");
	if (err_out)
		*err_out = last_err;
	imaevm_ml_close(ml);
	return rc;
}

static void test_binary(void)
{
	unsigned char buf[4096];
	const struct imaevm_ml_entry *e;
	struct imaevm_ml *ml;
	const char *err;
	size_t n;
	int entries;

	CHECK_EQ_INT(read_list("", 0, IMAEVM_ML_AUTO, &entries, NULL), 0);
	CHECK_EQ_INT(entries, 0);

	n = ima_ng_entry(buf, 10, "/bin/sh");
	n += ima_ng_entry(buf + n, 11, "/bin/ls");
	CHECK_EQ_INT(read_list(buf, n, IMAEVM_ML_AUTO, &entries, NULL), 0);
	CHECK_EQ_INT(entries, 2);

	/* fields of a good entry */
	write_file(buf, n);
	CHECK_EQ_INT(imaevm_ml_open(ctx, path, IMAEVM_ML_BINARY, &ml), 0);
	CHECK_EQ_INT(imaevm_ml_next(ml, &e), 1);
	CHECK_EQ_INT(e->index, 1);
	CHECK_EQ_INT(e->pcr, 10);
	CHECK(e->known_template && !e->field_error && !e->violation);
	CHECK_EQ_INT(e->n_fields, 2);
	CHECK_EQ_INT(e->digest_algo, IMAEVM_HASH_SHA256);
	CHECK_EQ_INT(e->digest_len, 32);
	CHECK(e->path && !strcmp(e->path, "/bin/sh"));
	CHECK_EQ_INT(imaevm_ml_entry_check(ctx, e), 0);
	CHECK_EQ_INT(imaevm_ml_next(ml, &e), 1);
	CHECK_EQ_INT(e->index, 2);
	CHECK_EQ_INT(imaevm_ml_next(ml, &e), 0);
	imaevm_ml_close(ml);

	/* the second entry cut short, anywhere: entry 2 is named */
	for (size_t cut = 1; cut < n / 2; cut += 7) {
		CHECK_EQ_INT(read_list(buf, n - cut, IMAEVM_ML_BINARY, &entries, &err), -EBADMSG);
		CHECK_EQ_INT(entries, 1);
		CHECK(!strncmp(err, "entry 2 ", 8));
	}
	/* an absurd name length costs no huge allocation, just an error */
	n = ima_ng_entry(buf, 10, "/x");
	put_le32(buf + 24, 0xfffffff0u);
	CHECK_EQ_INT(read_list(buf, n, IMAEVM_ML_BINARY, &entries, &err), -EBADMSG);
	CHECK(strstr(err, "template name") != NULL);
	/* absurd data length */
	n = ima_ng_entry(buf, 10, "/x");
	put_le32(buf + 34, 0xffffffffu);
	CHECK_EQ_INT(read_list(buf, n, IMAEVM_ML_BINARY, &entries, &err), -EBADMSG);
	CHECK(strstr(err, "template data") != NULL);
	/* empty template name, NUL in the name */
	n = ima_ng_entry(buf, 10, "/x");
	put_le32(buf + 24, 0);
	CHECK_EQ_INT(read_list(buf, n, IMAEVM_ML_BINARY, &entries, NULL), -EBADMSG);
	n = ima_ng_entry(buf, 10, "/x");
	buf[30] = '\0';
	CHECK_EQ_INT(read_list(buf, n, IMAEVM_ML_BINARY, &entries, NULL), -EBADMSG);

	/* fields that do not tile: still an entry, with field_error */
	n = ima_ng_entry(buf, 10, "/x");
	put_le32(buf + 38, 41);	/* d-ng length one too many */
	write_file(buf, n);
	CHECK_EQ_INT(imaevm_ml_open(ctx, path, IMAEVM_ML_BINARY, &ml), 0);
	CHECK_EQ_INT(imaevm_ml_next(ml, &e), 1);
	CHECK(e->field_error != NULL);
	CHECK_EQ_INT(e->n_fields, 0);
	imaevm_ml_close(ml);
	/* a digest field without its algorithm prefix */
	n = ima_ng_entry(buf, 10, "/x");
	memcpy(buf + 42, "sha256:X", 8);
	write_file(buf, n);
	CHECK_EQ_INT(imaevm_ml_open(ctx, path, IMAEVM_ML_BINARY, &ml), 0);
	CHECK_EQ_INT(imaevm_ml_next(ml, &e), 1);
	CHECK(e->field_error != NULL);
	CHECK_EQ_INT(imaevm_ml_entry_check(ctx, e), -EBADMSG);
	imaevm_ml_close(ml);

	/* template "ima": a name of 256 bytes is more than the kernel writes */
	n = 0;
	n += put_le32(buf + n, 10);
	memset(buf + n, 1, 20);
	n += 20;
	n += put_le32(buf + n, 3);
	memcpy(buf + n, "ima", 3);
	n += 3;
	memset(buf + n, 2, 20);
	n += 20;
	n += put_le32(buf + n, 256);
	memset(buf + n, 'a', 256);
	n += 256;
	CHECK_EQ_INT(read_list(buf, n, IMAEVM_ML_BINARY, &entries, &err), -EBADMSG);
	CHECK(strstr(err, "256") != NULL);
}

static void test_ascii(void)
{
	static const char good[] =
		"10 0000000000000000000000000000000000000000 ima-ng sha256:"
		"00000000000000000000000000000000000000000000000000000000000000ff /a b\r\n"
		"\n"
		"11 1111111111111111111111111111111111111111 ima-sig sha1:"
		"0000000000000000000000000000000000000001 /c 030204";
	const struct imaevm_ml_entry *e;
	struct imaevm_ml *ml;
	const char *err;
	int entries;

	write_file(good, strlen(good));
	CHECK_EQ_INT(imaevm_ml_open(ctx, path, IMAEVM_ML_AUTO, &ml), 0);
	CHECK_EQ_INT(imaevm_ml_next(ml, &e), 1);
	CHECK_EQ_INT(imaevm_ml_format(ml), IMAEVM_ML_ASCII);
	CHECK(e->violation && e->path && !strcmp(e->path, "/a b"));
	CHECK_EQ_INT(e->digest_len, 32);
	CHECK_EQ_INT(imaevm_ml_next(ml, &e), 1);
	CHECK_EQ_INT(e->index, 2);
	CHECK(e->sig && e->sig_len == 3 && e->sig[0] == 3);
	CHECK_EQ_INT(imaevm_ml_next(ml, &e), 0);
	imaevm_ml_close(ml);

	CHECK_EQ_INT(read_list("10 abc ima-ng sha1:00 /x\n", 25, IMAEVM_ML_ASCII,
			       &entries, &err), -EBADMSG);
	CHECK(strstr(err, "template digest") != NULL);
	CHECK_EQ_INT(read_list("x0 0000000000000000000000000000000000000000 ima-ng sha1:00 /x\n",
			       61, IMAEVM_ML_ASCII, &entries, NULL), -EBADMSG);
	CHECK_EQ_INT(read_list("10 0000000000000000000000000000000000000000 new-tmpl ab\n",
			       56, IMAEVM_ML_ASCII, &entries, &err), -EBADMSG);
	CHECK(strstr(err, "new-tmpl") != NULL);
	CHECK_EQ_INT(read_list("10 0000000000000000000000000000000000000000 ima-ng sha1:0g /x\n",
			       62, IMAEVM_ML_ASCII, &entries, NULL), -EBADMSG);
	CHECK_EQ_INT(read_list("10 0000000000000000000000000000000000000000 ima-sig sha1:00\n",
			       59, IMAEVM_ML_ASCII, &entries, NULL), -EBADMSG);
}

static void test_pcr_files(void)
{
	struct imaevm_pcrs pcrs = { 0 };
	static const char old[] =
		"PCR-00: 00 11 22 33 44 55 66 77 88 99 aa bb cc dd ee ff 00 11 22 33\n"
		"PCR-10: 0x00112233445566778899AABBCCDDEEFF00112233\n";
	static const char two[] =
		"  sha1:\n    0 : 0x0000000000000000000000000000000000000001\n"
		"  sha256:\n    0 : 0x00000000000000000000000000000000000000000000000000000000000000ff\n";

	write_file(old, strlen(old));
	CHECK_EQ_INT(imaevm_pcrs_read_file(ctx, path, -1, &pcrs), 2);
	CHECK_EQ_INT(pcrs.n_banks, 1);
	CHECK_EQ_INT(pcrs.bank[0].valid, (1u << 0) | (1u << 10));
	CHECK_EQ_INT(pcrs.bank[0].pcr[0][19], 0x33);
	CHECK_EQ_INT(imaevm_pcrs_read_file(ctx, path, IMAEVM_HASH_SHA256, &pcrs), -EBADMSG);
	write_file(two, strlen(two));
	memset(&pcrs, 0, sizeof(pcrs));
	CHECK_EQ_INT(imaevm_pcrs_read_file(ctx, path, -1, &pcrs), 2);
	CHECK_EQ_INT(pcrs.n_banks, 2);
	memset(&pcrs, 0, sizeof(pcrs));
	CHECK_EQ_INT(imaevm_pcrs_read_file(ctx, path, IMAEVM_HASH_SHA256, &pcrs), 1);
	CHECK(imaevm_pcrs_bank(&pcrs, IMAEVM_HASH_SHA256, 0) &&
	      imaevm_pcrs_bank(&pcrs, IMAEVM_HASH_SHA256, 0)->pcr[0][31] == 0xff);
	write_file("nothing here\n", 13);
	CHECK_EQ_INT(imaevm_pcrs_read_file(ctx, path, -1, &pcrs), -EBADMSG);
}

static void test_sysfs(void)
{
	char dir[] = "/tmp/test-sysfs-XXXXXX", p[256];
	struct imaevm_pcrs pcrs = { 0 };
	unsigned int i;
	FILE *f;

	if (!mkdtemp(dir))
		exit(99);
	CHECK_EQ_INT(imaevm_pcrs_read_sysfs(ctx, dir, &pcrs), -ENODEV);
	snprintf(p, sizeof(p), "%s/pcr-sha256", dir);
	mkdir(p, 0700);
	for (i = 0; i < IMAEVM_NUM_PCRS; i++) {
		snprintf(p, sizeof(p), "%s/pcr-sha256/%u", dir, i);
		f = fopen(p, "w");
		if (!f)
			exit(99);
		fprintf(f, "%064X\n", i);	/* the kernel writes upper case */
		fclose(f);
	}
	CHECK_EQ_INT(imaevm_pcrs_read_sysfs(ctx, dir, &pcrs), IMAEVM_NUM_PCRS);
	CHECK_EQ_INT(pcrs.n_banks, 1);
	CHECK_EQ_INT(pcrs.bank[0].algo, IMAEVM_HASH_SHA256);
	CHECK_EQ_INT(pcrs.bank[0].pcr[23][31], 23);
	for (i = 0; i < IMAEVM_NUM_PCRS; i++) {
		snprintf(p, sizeof(p), "%s/pcr-sha256/%u", dir, i);
		unlink(p);
	}
	snprintf(p, sizeof(p), "%s/pcr-sha256", dir);
	rmdir(p);
	rmdir(dir);
}

static void test_event_logs(void)
{
	unsigned char buf[512];
	struct imaevm_pcrs pcrs;
	size_t n = 0, m;

	write_file("short", 5);
	CHECK_EQ_INT(imaevm_evlog_replay(ctx, path, &pcrs), -EBADMSG);
	/* Spec ID event declaring no algorithm */
	memset(buf, 0, sizeof(buf));
	n += put_le32(buf + n, 0);
	n += put_le32(buf + n, 3);
	n += 20;
	n += put_le32(buf + n, 29);
	memcpy(buf + n, "Spec ID Event03", 16);
	n += 16 + 4 + 4;
	n += put_le32(buf + n, 0);
	n += 1;
	write_file(buf, n);
	CHECK_EQ_INT(imaevm_evlog_replay(ctx, path, &pcrs), -EBADMSG);
	/* one sha256 algorithm, then an event with an undeclared sha1 digest */
	put_le32(buf + 28, 33);
	put_le32(buf + 56, 1);
	buf[60] = 0x0b;
	buf[62] = 32;
	buf[64] = 0;
	n = 65;
	n += put_le32(buf + n, 0);
	n += put_le32(buf + n, 8);
	n += put_le32(buf + n, 1);
	buf[n] = 0x04;
	n += 2 + 20;
	n += put_le32(buf + n, 0);
	write_file(buf, n);
	CHECK_EQ_INT(imaevm_evlog_replay(ctx, path, &pcrs), -EBADMSG);
	/* the same event with a sha256 digest replays */
	n = 65 + 12;
	buf[n] = 0x0b;
	n += 2 + 32;
	n += put_le32(buf + n, 0);
	write_file(buf, n);
	CHECK_EQ_INT(imaevm_evlog_replay(ctx, path, &pcrs), 1);
	CHECK_EQ_INT(pcrs.n_banks, 1);
	CHECK_EQ_INT(pcrs.bank[0].algo, IMAEVM_HASH_SHA256);
	/* then an EV_NO_ACTION event on PCR 0xFFFFFFFF: not extended, accepted */
	m = n;
	n += put_le32(buf + n, 0xFFFFFFFFu);
	n += put_le32(buf + n, 3);
	n += put_le32(buf + n, 1);
	buf[n] = 0x0b;
	n += 2 + 32;
	n += put_le32(buf + n, 0);
	write_file(buf, n);
	CHECK_EQ_INT(imaevm_evlog_replay(ctx, path, &pcrs), 1);
	/* an event of another type on that PCR fails */
	put_le32(buf + m + 4, 8);
	write_file(buf, n);
	CHECK_EQ_INT(imaevm_evlog_replay(ctx, path, &pcrs), -EBADMSG);
}

static void test_replay(void)
{
	int algos[] = { IMAEVM_HASH_SHA256, IMAEVM_HASH_SHA256 };
	struct imaevm_ml_entry e = { .index = 1, .pcr = 64, .template_name = "x" };
	struct imaevm_replay *r;

	CHECK_EQ_INT(imaevm_replay_new(ctx, algos, 2, NULL, &r), -EINVAL);
	CHECK_EQ_INT(imaevm_replay_new(ctx, algos, 1, NULL, &r), 0);
	e.data = (const unsigned char *)"x";
	e.data_len = 1;
	CHECK_EQ_INT(imaevm_replay_extend(r, &e), -ERANGE);
	e.pcr = 63;
	CHECK_EQ_INT(imaevm_replay_extend(r, &e), -EBADMSG);	/* digest is zero */
	CHECK_EQ_INT(imaevm_replay_pcrs_used(r), 1ull << 63);
	imaevm_replay_free(r);
}

/* Mutated inputs must fail cleanly or parse: never crash (run with ASan). */
static void test_mutations(void)
{
	static const char ascii[] =
		"10 1111111111111111111111111111111111111111 evm-sig sha256:"
		"00000000000000000000000000000000000000000000000000000000000000ff /a "
		"0502 security.ima 0a000000 0403 0 0 33261\n"
		"10 1111111111111111111111111111111111111111 ima 0000000000000000000000000000000000000001 /b\n";
	unsigned char buf[1024], orig[1024];
	uint32_t seed = 12345;
	size_t n, i, k;
	int entries, rc, ok = 1;

	n = ima_ng_entry(orig, 10, "/bin/sh");
	n += ima_ng_entry(orig + n, 11, "/usr/lib/x");
	for (i = 0; i < 3000; i++) {
		memcpy(buf, orig, n);
		for (k = 0; k < 1 + i % 4; k++) {
			seed = seed * 1103515245 + 12345;
			buf[(seed >> 8) % n] ^= (unsigned char)(1u << (seed % 8));
		}
		seed = seed * 1103515245 + 12345;
		rc = read_list(buf, n - (i % 7 ? 0 : (seed >> 8) % n), IMAEVM_ML_AUTO,
			       &entries, NULL);
		if (rc != 0 && rc != -EBADMSG)
			ok = 0;
	}
	CHECK(ok);
	memcpy(orig, ascii, sizeof(ascii) - 1);
	n = sizeof(ascii) - 1;
	CHECK_EQ_INT(read_list(orig, n, IMAEVM_ML_ASCII, &entries, NULL), 0);
	CHECK_EQ_INT(entries, 2);
	for (i = 0; i < 3000; i++) {
		memcpy(buf, orig, n);
		seed = seed * 1103515245 + 12345;
		buf[(seed >> 8) % n] = (unsigned char)(seed >> 3);
		rc = read_list(buf, n, IMAEVM_ML_ASCII, &entries, NULL);
		if (rc != 0 && rc != -EBADMSG)
			ok = 0;
	}
	CHECK(ok);
}

/* Appended signatures that are not a one-signer SignedData are malformed. */
static void test_modsig(void)
{
	static const unsigned char cut[] = { 0x30, 0x82, 0x10, 0x00, 0x06, 0x09 };
	static const unsigned char not_ci[] = { 0x30, 0x03, 0x02, 0x01, 0x01 };
	/* ContentInfo of type id-data (1.2.840.113549.1.7.1), no content */
	static const unsigned char data_ci[] = {
		0x30, 0x0b, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01
	};
	unsigned char trailing[sizeof(data_ci) + 1];
	struct imaevm_digest d = { .algo = IMAEVM_HASH_SHA256, .len = 32 };
	struct imaevm_keyset *ks;

	if (imaevm_keyset_new(&ks))
		exit(99);
	CHECK_EQ_INT(imaevm_verify_modsig(ctx, ks, cut, sizeof(cut), &d, NULL), -EBADMSG);
	CHECK_EQ_INT(imaevm_verify_modsig(ctx, ks, not_ci, sizeof(not_ci), &d, NULL), -EBADMSG);
	CHECK_EQ_INT(imaevm_verify_modsig(ctx, ks, data_ci, sizeof(data_ci), &d, NULL), -EBADMSG);
	memcpy(trailing, data_ci, sizeof(data_ci));
	trailing[sizeof(data_ci)] = 0;
	CHECK_EQ_INT(imaevm_verify_modsig(ctx, ks, trailing, sizeof(trailing), &d, NULL), -EBADMSG);
	CHECK_EQ_INT(imaevm_verify_modsig(ctx, ks, cut, 0, &d, NULL), -EINVAL);
	CHECK_EQ_INT(imaevm_verify_modsig(ctx, NULL, cut, sizeof(cut), &d, NULL), -EINVAL);
	CHECK_EQ_INT(imaevm_verify_modsig(ctx, ks, NULL, 4, &d, NULL), -EINVAL);
	CHECK_EQ_INT(imaevm_verify_modsig(ctx, ks, cut, sizeof(cut), NULL, NULL), -EINVAL);
	imaevm_keyset_free(ks);
}

int main(void)
{
	int fd = mkstemp(path);

	memfd = memfd_create("list", 0);
	if (fd < 0 || memfd < 0 || imaevm_ctx_new(&ctx))
		return 99;
	close(fd);
	test_binary();
	test_ascii();
	test_pcr_files();
	test_sysfs();
	test_event_logs();
	test_replay();
	test_mutations();
	test_modsig();
	unlink(path);
	imaevm_ctx_free(ctx);
	return unit_done("test-attest-parsers");
}
