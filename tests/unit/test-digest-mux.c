// SPDX-License-Identifier: GPL-2.0-or-later
/* test-digest-mux.c - the SHA extensions' SHA-256 and the digest multiplexer against OpenSSL. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>
#include <openssl/evp.h>

#include "imaevm.h"
#include "internal.h"
#include "unit.h"

/* deterministic data, different for every offset and seed */
static void fill(unsigned char *p, size_t n, uint32_t seed)
{
	uint32_t x = seed * 2654435761u + 1;
	size_t i;

	for (i = 0; i < n; i++) {
		x ^= x << 13; x ^= x >> 17; x ^= x << 5;
		p[i] = (unsigned char)x;
	}
}

static void openssl_digest(const char *name, const void *p, size_t n, unsigned char *out)
{
	unsigned int len;

	EVP_Digest(p, n, out, &len, EVP_get_digestbyname(name), NULL);
}

/* the block functions, one stream and two, at every tail length */
static void check_ni_streams(void)
{
	static unsigned char a[3000], b[3000];
	unsigned char want[32], got[32];
	size_t n, split;

	fill(a, sizeof(a), 1);
	fill(b, sizeof(b), 2);
	for (n = 0; n < sizeof(a); n += n < 300 ? 1 : 97) {
		struct imaevm_sha256_ni s;

		openssl_digest("SHA256", a, n, want);
		/* in one piece, and in two at a point that is rarely a block edge */
		split = n / 3;
		imaevm_sha256_ni_init(&s);
		imaevm_sha256_ni_update(&s, a, split);
		imaevm_sha256_ni_update(&s, a + split, n - split);
		imaevm_sha256_ni_final(&s, got);
		CHECK(!memcmp(want, got, 32));
	}
	for (n = 0; n <= 40; n++) {	/* blocks through four streams at once */
		static unsigned char c[3000], e[3000];
		struct imaevm_sha256_ni s4[4], *sp[4] = { &s4[0], &s4[1], &s4[2], &s4[3] };
		const unsigned char *dp[4] = { a, b, c, e };
		unsigned char w4[32], g4[32];
		int k;

		fill(c, sizeof(c), 3);
		fill(e, sizeof(e), 4);
		for (k = 0; k < 4; k++)
			imaevm_sha256_ni_init(&s4[k]);
		imaevm_sha256_ni_update_x4(sp, dp, n);
		for (k = 0; k < 4; k++) {
			imaevm_sha256_ni_update(&s4[k], dp[k] + 64 * n, (size_t)k * 21);
			imaevm_sha256_ni_final(&s4[k], g4);
			openssl_digest("SHA256", dp[k], 64 * n + (size_t)k * 21, w4);
			CHECK(!memcmp(w4, g4, 32));
		}
	}
	for (n = 0; n <= 40; n++) {	/* blocks through two streams at once */
		struct imaevm_sha256_ni sa, sb;
		unsigned char wa[32], wb[32], ga[32], gb[32];

		imaevm_sha256_ni_init(&sa);
		imaevm_sha256_ni_init(&sb);
		imaevm_sha256_ni_update_x2(&sa, a, &sb, b, n);
		imaevm_sha256_ni_update(&sa, a + 64 * n, 7);
		imaevm_sha256_ni_final(&sa, ga);
		imaevm_sha256_ni_final(&sb, gb);
		openssl_digest("SHA256", a, 64 * n + 7, wa);
		openssl_digest("SHA256", b, 64 * n, wb);
		CHECK(!memcmp(wa, ga, 32));
		CHECK(!memcmp(wb, gb, 32));
	}
}

static int temp_file(const unsigned char *data, size_t n)
{
	char path[] = "/tmp/test-digest-mux-XXXXXX";
	int fd = mkstemp(path);

	if (fd < 0)
		return -1;
	unlink(path);
	if (write(fd, data, n) != (ssize_t)n || lseek(fd, 0, SEEK_SET) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* sizes around the block, the lane buffer (128 KiB) and the fadvise hint */
static const size_t sizes[] = {
	0, 1, 55, 56, 63, 64, 65, 119, 120, 4096, 16383, 131071, 131072, 131073,
	131072 * 3 + 64, (1u << 20) + 17, 2, 200000, 7, (3u << 20) + 1,
};
#define NFILES (sizeof(sizes) / sizeof(sizes[0]))

/* Feed every file through one multiplexer, keeping it full; check each. */
static void check_mux(struct imaevm_ctx *ctx, const int *algos, size_t nalgos)
{
	static unsigned char data[(3u << 20) + 1];
	struct imaevm_digest_mux *mux = NULL;
	struct imaevm_digest d, ref;
	int fds[NFILES], seen[NFILES] = { 0 };
	size_t next = 0, i;
	void *tag;
	int result, r;

	CHECK_EQ_INT(imaevm_digest_mux_new(ctx, &mux), 0);
	if (!mux)
		return;
	for (i = 0; i < NFILES; i++) {
		fill(data, sizes[i], (uint32_t)i + 7);
		fds[i] = temp_file(data, sizes[i]);
		CHECK(fds[i] >= 0);
	}
	for (;;) {
		while (next < NFILES && imaevm_digest_mux_room(mux)) {
			CHECK_EQ_INT(imaevm_digest_mux_add(mux, fds[next],
							   algos[next % nalgos],
							   (void *)(uintptr_t)next), 0);
			next++;
		}
		r = imaevm_digest_mux_next(mux, &tag, &d, &result);
		if (r == 0)
			break;
		CHECK_EQ_INT(r, 1);
		i = (size_t)(uintptr_t)tag;
		CHECK(i < NFILES);
		if (i >= NFILES)
			break;
		seen[i]++;
		CHECK_EQ_INT(result, 0);
		fill(data, sizes[i], (uint32_t)i + 7);
		CHECK_EQ_INT(imaevm_digest_buf(ctx, data, sizes[i], algos[i % nalgos], &ref), 0);
		CHECK_EQ_INT(d.algo, algos[i % nalgos]);
		CHECK(d.len == ref.len && !memcmp(d.value, ref.value, d.len));
		if (algos[i % nalgos] == IMAEVM_HASH_SHA256) {	/* OpenSSL as the oracle */
			unsigned char want[32];

			openssl_digest("SHA256", data, sizes[i], want);
			CHECK(d.len == 32 && !memcmp(d.value, want, 32));
		}
	}
	for (i = 0; i < NFILES; i++) {
		CHECK_EQ_INT(seen[i], 1);
		close(fds[i]);
	}
	imaevm_digest_mux_free(mux);
}

static void check_mux_errors(struct imaevm_ctx *ctx)
{
	struct imaevm_digest_mux *mux = NULL;
	unsigned char data[100];
	struct imaevm_digest d;
	void *tag = NULL;
	int result = 1, fd, wfd, dir, lane, extra[IMAEVM_DIGEST_MUX_LANES];
	char path[] = "/tmp/test-digest-mux-w-XXXXXX";

	CHECK_EQ_INT(imaevm_digest_mux_new(NULL, &mux), -EINVAL);
	CHECK_EQ_INT(imaevm_digest_mux_new(ctx, NULL), -EINVAL);
	CHECK_EQ_INT(imaevm_digest_mux_new(ctx, &mux), 0);
	if (!mux)
		return;
	CHECK_EQ_INT(imaevm_digest_mux_room(mux), IMAEVM_DIGEST_MUX_LANES);
	CHECK_EQ_INT(imaevm_digest_mux_room(NULL), 0);
	CHECK_EQ_INT(imaevm_digest_mux_next(mux, &tag, &d, &result), 0);
	CHECK_EQ_INT(imaevm_digest_mux_next(NULL, &tag, &d, &result), -EINVAL);
	dir = open("/tmp", O_RDONLY | O_DIRECTORY);
	CHECK_EQ_INT(imaevm_digest_mux_add(mux, dir, IMAEVM_HASH_SHA256, NULL), -EOPNOTSUPP);
	close(dir);
	CHECK_EQ_INT(imaevm_digest_mux_add(mux, -1, IMAEVM_HASH_SHA256, NULL), -EINVAL);

	fill(data, sizeof(data), 3);
	fd = temp_file(data, sizeof(data));
	CHECK_EQ_INT(imaevm_digest_mux_add(mux, fd, -1, NULL), -EINVAL);
	CHECK_EQ_INT(imaevm_digest_mux_add(mux, fd, IMAEVM_HASH_TGR192, NULL), -EOPNOTSUPP);
	CHECK_EQ_INT(imaevm_digest_mux_room(mux), IMAEVM_DIGEST_MUX_LANES);
	/* a read error is that file's result; the other lane carries on */
	wfd = mkstemp(path);
	CHECK(wfd >= 0);
	CHECK_EQ_INT(write(wfd, data, sizeof(data)), sizeof(data));
	close(wfd);
	wfd = open(path, O_WRONLY);
	unlink(path);
	CHECK_EQ_INT(imaevm_digest_mux_add(mux, wfd, IMAEVM_HASH_SHA256, (void *)1), 0);
	CHECK_EQ_INT(imaevm_digest_mux_add(mux, fd, IMAEVM_HASH_SHA256, (void *)2), 0);
	for (lane = 2; lane < IMAEVM_DIGEST_MUX_LANES; lane++) {	/* fill the rest */
		extra[lane] = temp_file(data, sizeof(data));
		CHECK_EQ_INT(imaevm_digest_mux_add(mux, extra[lane], IMAEVM_HASH_SHA256,
						   (void *)(uintptr_t)(lane + 1)), 0);
	}
	CHECK_EQ_INT(imaevm_digest_mux_room(mux), 0);
	CHECK_EQ_INT(imaevm_digest_mux_add(mux, fd, IMAEVM_HASH_SHA256, NULL), -EBUSY);
	CHECK_EQ_INT(imaevm_digest_mux_next(mux, &tag, &d, &result), 1);
	CHECK(tag == (void *)1);
	CHECK_EQ_INT(result, -EBADF);
	for (lane = 1; lane < IMAEVM_DIGEST_MUX_LANES; lane++) {
		CHECK_EQ_INT(imaevm_digest_mux_next(mux, &tag, &d, &result), 1);
		CHECK_EQ_INT(result, 0);
		CHECK(tag != (void *)1);
	}
	CHECK_EQ_INT(imaevm_digest_mux_next(mux, &tag, &d, &result), 0);
	for (lane = 2; lane < IMAEVM_DIGEST_MUX_LANES; lane++)
		close(extra[lane]);
	/* freeing with files inside abandons them; their fds stay the caller's */
	CHECK_EQ_INT(lseek(fd, 0, SEEK_SET), 0);
	CHECK_EQ_INT(imaevm_digest_mux_add(mux, fd, IMAEVM_HASH_SHA1, NULL), 0);
	imaevm_digest_mux_free(mux);
	imaevm_digest_mux_free(NULL);
	CHECK_EQ_INT(lseek(fd, 0, SEEK_SET), 0);
	close(wfd);
	close(fd);
}

/* imaevm_digest_mux_add_file(): version and reserved checked, the caller's
 * stat taken as the first look, a large last file read ahead or not. */
static void check_mux_add_file(struct imaevm_ctx *ctx)
{
	static unsigned char data[(20u << 20) + 3];
	const struct timespec tick = { 0, 30 * 1000000 };
	struct imaevm_digest_mux *mux = NULL;
	struct imaevm_mux_file f = { .version = IMAEVM_MUX_FILE_VERSION };
	struct imaevm_digest d, ref;
	struct stat st;
	void *tag;
	int result, big, small;

	CHECK_EQ_INT(imaevm_digest_mux_new(ctx, &mux), 0);
	if (!mux)
		return;
	fill(data, sizeof(data), 11);
	big = temp_file(data, sizeof(data));
	small = temp_file(data, 1000);
	CHECK(big >= 0 && small >= 0);
	f.fd = small;
	f.algo = IMAEVM_HASH_SHA256;
	f.version = 0;
	CHECK_EQ_INT(imaevm_digest_mux_add_file(mux, &f), -EINVAL);
	f.version = IMAEVM_MUX_FILE_VERSION;
	f.reserved[5] = 1;
	CHECK_EQ_INT(imaevm_digest_mux_add_file(mux, &f), -EINVAL);
	f.reserved[5] = 0;
	f.flags = 1u << 7;
	CHECK_EQ_INT(imaevm_digest_mux_add_file(mux, &f), -EINVAL);
	CHECK_EQ_INT(imaevm_digest_mux_add_file(NULL, &f), -EINVAL);
	CHECK_EQ_INT(imaevm_digest_mux_room(mux), IMAEVM_DIGEST_MUX_LANES);

	/* written in an earlier tick: the stat given is the first look, so a
	 * stat that does not match the file makes the digest stale */
	nanosleep(&tick, NULL);
	CHECK_EQ_INT(fstat(small, &st), 0);
	st.st_size++;
	f.flags = 0;
	f.st = &st;
	CHECK_EQ_INT(imaevm_digest_mux_add_file(mux, &f), 0);
	CHECK_EQ_INT(imaevm_digest_mux_next(mux, &tag, &d, &result), 1);
	CHECK_EQ_INT(result, -ESTALE);
	CHECK_EQ_INT(lseek(small, 0, SEEK_SET), 0);
	st.st_size--;
	CHECK_EQ_INT(imaevm_digest_mux_add_file(mux, &f), 0);
	CHECK_EQ_INT(imaevm_digest_mux_next(mux, &tag, &d, &result), 1);
	CHECK_EQ_INT(result, 0);
	CHECK_EQ_INT(imaevm_digest_buf(ctx, data, 1000, IMAEVM_HASH_SHA256, &ref), 0);
	CHECK(d.len == ref.len && !memcmp(d.value, ref.value, d.len));

	/* a large last file alone (read ahead), then with a small one beside */
	CHECK_EQ_INT(imaevm_digest_buf(ctx, data, sizeof(data), IMAEVM_HASH_SHA256, &ref), 0);
	f.fd = big;
	f.st = NULL;
	f.flags = IMAEVM_MUX_LAST;
	f.tag = &f;
	CHECK_EQ_INT(imaevm_digest_mux_add_file(mux, &f), 0);
	CHECK_EQ_INT(imaevm_digest_mux_next(mux, &tag, &d, &result), 1);
	CHECK(tag == &f);
	CHECK_EQ_INT(result, 0);
	CHECK(d.len == ref.len && !memcmp(d.value, ref.value, d.len));
	CHECK_EQ_INT(lseek(big, 0, SEEK_SET), 0);
	CHECK_EQ_INT(lseek(small, 0, SEEK_SET), 0);
	CHECK_EQ_INT(imaevm_digest_mux_add_file(mux, &f), 0);
	CHECK_EQ_INT(imaevm_digest_mux_add(mux, small, IMAEVM_HASH_SHA256, NULL), 0);
	CHECK_EQ_INT(imaevm_digest_mux_next(mux, &tag, &d, &result), 1);
	CHECK(tag == NULL);
	CHECK_EQ_INT(result, 0);
	CHECK_EQ_INT(imaevm_digest_mux_next(mux, &tag, &d, &result), 1);
	CHECK(tag == &f);
	CHECK_EQ_INT(result, 0);
	CHECK(d.len == ref.len && !memcmp(d.value, ref.value, d.len));
	CHECK_EQ_INT(imaevm_digest_mux_next(mux, &tag, &d, &result), 0);
	close(big);
	close(small);
	imaevm_digest_mux_free(mux);
}

int main(void)
{
	static const int sha256_only[] = { IMAEVM_HASH_SHA256 };
	static const int mixed[] = { IMAEVM_HASH_SHA256, IMAEVM_HASH_SHA1,
				     IMAEVM_HASH_SHA256, IMAEVM_HASH_SHA512 };
	struct imaevm_ctx *ctx = NULL;

	bool ni = imaevm_sha256_ni_wanted();

	/* IMAEVM_SHA_NI=0 (valgrind cannot run the instructions) skips them */
	if (ni)
		check_ni_streams();
	else
		printf("SHA extensions absent or turned off: OpenSSL's SHA-256 only\n");
	/* with the SHA extensions (where the CPU has them), then without */
	CHECK_EQ_INT(imaevm_ctx_new(&ctx), 0);
	if (!ctx)
		return 99;
	CHECK_EQ_INT(ctx->sha_ni, ni);
	check_mux(ctx, sha256_only, 1);
	check_mux(ctx, mixed, 4);
	check_mux_errors(ctx);
	check_mux_add_file(ctx);
	imaevm_ctx_free(ctx);

	setenv("IMAEVM_SHA_NI", "0", 1);
	CHECK_EQ_INT(imaevm_ctx_new(&ctx), 0);
	if (!ctx)
		return 99;
	CHECK_EQ_INT(ctx->sha_ni, 0);
	check_mux(ctx, sha256_only, 1);
	check_mux(ctx, mixed, 4);
	imaevm_ctx_free(ctx);
	return unit_done("test-digest-mux");
}
