// SPDX-License-Identifier: GPL-2.0-or-later
/* test-digest.c - file and buffer digests against published test vectors. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <syslog.h>
#include <unistd.h>

#include "imaevm.h"
#include "unit.h"

/* FIPS 180-2 / GB/T 32905 "abc" vectors */
static const struct { int algo; const char *hex; } abc[] = {
	{ IMAEVM_HASH_SHA1, "a9993e364706816aba3e25717850c26c9cd0d89d" },
	{ IMAEVM_HASH_SHA256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
	{ IMAEVM_HASH_SHA384, "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7" },
	{ IMAEVM_HASH_SHA512, "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f" },
	{ IMAEVM_HASH_SM3_256, "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0" },
};

static int log_count;

static void count_log(void *opaque, int priority, const char *msg)
{
	(void)opaque; (void)priority; (void)msg;
	log_count++;
}

static void check_digest(const struct imaevm_digest *d, int algo, const char *hex)
{
	unsigned char want[IMAEVM_MAX_DIGEST_SIZE];
	size_t n = unhex(hex, want, sizeof(want));

	CHECK_EQ_INT(d->algo, algo);
	CHECK_EQ_INT(d->len, n);
	CHECK(!memcmp(d->value, want, n));
}

int main(void)
{
	struct imaevm_ctx *ctx = NULL;
	struct imaevm_digest d;
	char path[] = "/tmp/test-digest-XXXXXX";
	size_t i;
	int fd;

	CHECK_EQ_INT(imaevm_ctx_new(NULL), -EINVAL);
	CHECK_EQ_INT(imaevm_ctx_new(&ctx), 0);
	if (!ctx)
		return 99;

	for (i = 0; i < sizeof(abc) / sizeof(abc[0]); i++) {
		memset(&d, 0, sizeof(d));
		CHECK_EQ_INT(imaevm_digest_buf(ctx, "abc", 3, abc[i].algo, &d), 0);
		check_digest(&d, abc[i].algo, abc[i].hex);
	}
	/* empty input */
	CHECK_EQ_INT(imaevm_digest_buf(ctx, NULL, 0, IMAEVM_HASH_SHA256, &d), 0);
	check_digest(&d, IMAEVM_HASH_SHA256,
		     "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");

	/* a file read in several chunks: one million 'a' (FIPS 180-2 vector) */
	fd = mkstemp(path);
	CHECK(fd >= 0);
	if (fd >= 0) {
		static char block[1000];
		int k;

		memset(block, 'a', sizeof(block));
		for (k = 0; k < 1000; k++)
			CHECK_EQ_INT(write(fd, block, sizeof(block)), sizeof(block));
		CHECK_EQ_INT(lseek(fd, 0, SEEK_SET), 0);
		CHECK_EQ_INT(imaevm_digest_fd(ctx, fd, IMAEVM_HASH_SHA256, &d), 0);
		check_digest(&d, IMAEVM_HASH_SHA256,
			     "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
		CHECK_EQ_INT(imaevm_digest_path(ctx, path, IMAEVM_HASH_SHA1, &d), 0);
		check_digest(&d, IMAEVM_HASH_SHA1, "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
		close(fd);
		unlink(path);
	}

	/* large files take the read-ahead path: sizes around its buffer edges */
	{
		static const size_t sizes[] = { 16u << 20, (32u << 20) + 5, 40u << 20 };
		size_t total = 40u << 20, k;
		unsigned char *data = malloc(total);
		struct imaevm_digest from_buf;

		CHECK(data != NULL);
		for (k = 0; data && k < total; k++)
			data[k] = (unsigned char)(k * 2654435761u >> 13);
		for (k = 0; data && k < sizeof(sizes) / sizeof(sizes[0]); k++) {
			char big[] = "/tmp/test-digest-big-XXXXXX";
			int bfd = mkstemp(big);

			CHECK(bfd >= 0);
			if (bfd < 0)
				break;
			CHECK_EQ_INT(write(bfd, data, sizes[k]), sizes[k]);
			CHECK_EQ_INT(lseek(bfd, 0, SEEK_SET), 0);
			CHECK_EQ_INT(imaevm_digest_fd(ctx, bfd, IMAEVM_HASH_SHA256, &d), 0);
			CHECK_EQ_INT(imaevm_digest_buf(ctx, data, sizes[k], IMAEVM_HASH_SHA256, &from_buf), 0);
			CHECK(d.len == from_buf.len && !memcmp(d.value, from_buf.value, d.len));
			close(bfd);
			unlink(big);
		}
		free(data);
	}

	/* failures leave the output untouched and are logged only when asked */
	memset(&d, 0x5a, sizeof(d));
	CHECK_EQ_INT(imaevm_digest_path(ctx, "/nonexistent/file", IMAEVM_HASH_SHA256, &d), -ENOENT);
	CHECK_EQ_INT(imaevm_digest_path(ctx, "/tmp", IMAEVM_HASH_SHA256, &d), -EOPNOTSUPP);
	CHECK_EQ_INT(imaevm_digest_path(ctx, "/dev/null", IMAEVM_HASH_SHA256, &d), -EOPNOTSUPP);
	CHECK_EQ_INT(imaevm_digest_buf(ctx, "abc", 3, -1, &d), -EINVAL);
	CHECK_EQ_INT(imaevm_digest_buf(ctx, "abc", 3, IMAEVM_HASH_TGR192, &d), -EOPNOTSUPP);
	CHECK_EQ_INT(d.algo, 0x5a5a5a5a);
	fd = open("/tmp", O_RDONLY | O_DIRECTORY);
	CHECK_EQ_INT(imaevm_digest_fd(ctx, fd, IMAEVM_HASH_SHA256, &d), -EOPNOTSUPP);
	close(fd);

	CHECK_EQ_INT(log_count, 0);
	imaevm_ctx_set_log(ctx, count_log, NULL, LOG_DEBUG);
	CHECK_EQ_INT(imaevm_digest_buf(ctx, "abc", 3, IMAEVM_HASH_TGR192, &d), -EOPNOTSUPP);
	CHECK(log_count > 0);

	CHECK(strcmp(imaevm_strerror(-EBADMSG), "malformed input") == 0);
	CHECK(strcmp(imaevm_strerror(-ENOENT), "No such file or directory") == 0);
	imaevm_ctx_free(ctx);
	imaevm_ctx_free(NULL);
	return unit_done("test-digest");
}
