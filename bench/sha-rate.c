// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sha-rate.c - the SHA-256 rate of one core through libimaevm, reading from
 * the page cache as a tree job does: four files at once through a digest
 * multiplexer (the multi-stream rate a walk's worker gets), and one file
 * alone in it (one stream).  Files of SIZE bytes (default
 * 64 MiB) live in memfds, so no disk is involved.
 *
 * Usage: sha-rate [SIZE]
 * Prints: mux_bytes_per_s single_bytes_per_s
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>

#include <openssl/evp.h>

#include "internal.h"

#define FILES 4
#define ROUNDS 3

static double cpu_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int memfile(size_t size, unsigned int seed)
{
	unsigned char *buf = malloc(size);
	int fd = memfd_create("sha-rate", MFD_CLOEXEC);
	size_t i;

	if (!buf || fd < 0) {
		perror("memfd");
		exit(1);
	}
	for (i = 0; i < size; i++)
		buf[i] = (unsigned char)(i * 31 + seed);
	if (write(fd, buf, size) != (ssize_t)size) {
		perror("write");
		exit(1);
	}
	free(buf);
	return fd;
}

#define LANE (128 * 1024)
#define PASSES 2048

/* Bytes per CPU-second of @streams (4 or 1) streams, hashing alone. */
static double hash_rate(int streams)
{
	static unsigned char buf[FILES][LANE];
	struct imaevm_sha256_ni st[FILES], *sp[FILES];
	const unsigned char *dp[FILES];
	unsigned char out[32];
	double t;
	int i, p;

	memset(buf, 0x5a, sizeof(buf));
	if (!imaevm_sha256_ni_cpu()) {
		EVP_MD_CTX *c = EVP_MD_CTX_new();

		t = cpu_now();
		EVP_DigestInit_ex(c, EVP_sha256(), NULL);
		for (p = 0; p < PASSES; p++)
			EVP_DigestUpdate(c, buf[0], LANE);
		EVP_DigestFinal_ex(c, out, NULL);
		EVP_MD_CTX_free(c);
		return (double)LANE * PASSES / (cpu_now() - t);	/* one stream, whatever asked */
	}
	for (i = 0; i < FILES; i++) {
		imaevm_sha256_ni_init(&st[i]);
		sp[i] = &st[i];
		dp[i] = buf[i];
	}
	t = cpu_now();
	for (p = 0; p < PASSES; p++)
		if (streams == FILES)
			imaevm_sha256_ni_update_x4(sp, dp, LANE / 64);
		else
			imaevm_sha256_ni_update(sp[0], dp[0], LANE);
	t = cpu_now() - t;
	imaevm_sha256_ni_final(&st[0], out);
	return (double)LANE * PASSES * streams / t;
}

int main(int argc, char **argv)
{
	size_t size = argc > 1 ? strtoull(argv[1], NULL, 0) : (64u << 20);
	struct imaevm_digest_mux *mux;
	struct imaevm_digest d;
	struct imaevm_ctx *ctx;
	double t, best_mux = 1e9, best_one = 1e9;
	int fds[FILES], i, r, result;
	void *tag;

	if (imaevm_ctx_new(&ctx) || imaevm_digest_mux_new(ctx, &mux)) {
		fprintf(stderr, "sha-rate: no context\n");
		return 1;
	}
	for (i = 0; i < FILES; i++)
		fds[i] = memfile(size, (unsigned int)i);
	for (r = 0; r < ROUNDS; r++) {
		t = cpu_now();
		for (i = 0; i < FILES; i++) {
			lseek(fds[i], 0, SEEK_SET);
			if (imaevm_digest_mux_add(mux, fds[i], IMAEVM_HASH_SHA256, NULL)) {
				fprintf(stderr, "sha-rate: mux_add failed\n");
				return 1;
			}
		}
		while (imaevm_digest_mux_next(mux, &tag, &d, &result) == 1)
			if (result) {
				fprintf(stderr, "sha-rate: %s\n", imaevm_strerror(result));
				return 1;
			}
		t = cpu_now() - t;
		if (t < best_mux)
			best_mux = t;
		t = cpu_now();
		lseek(fds[0], 0, SEEK_SET);
		if (imaevm_digest_mux_add(mux, fds[0], IMAEVM_HASH_SHA256, NULL) ||
		    imaevm_digest_mux_next(mux, &tag, &d, &result) != 1 || result) {
			fprintf(stderr, "sha-rate: digest failed\n");
			return 1;
		}
		t = cpu_now() - t;
		if (t < best_one)
			best_one = t;
	}
	printf("%.0f %.0f %.0f %.0f\n", hash_rate(FILES), hash_rate(1),
	       (double)size * FILES / best_mux,
	       (double)size / best_one);
	imaevm_digest_mux_free(mux);
	imaevm_ctx_free(ctx);
	return 0;
}
