// SPDX-License-Identifier: LGPL-2.1-or-later
/* verity.c - the fs-verity file digest: the kernel's measurement, or computed here (Merkle tree, no salt). */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/fsverity.h>

#include "internal.h"

#define VERITY_BLOCK 4096
#define VERITY_LOG_BLOCK 12
#define VERITY_MAX_LEVELS 12	/* 4096-byte blocks of 32-byte hashes: 2^64 bytes need 8 */
#define VERITY_DESC_SIZE 256

struct tree {
	struct imaevm_ctx *ctx;
	const EVP_MD *md;
	size_t ds;				/* digest size */
	unsigned char *buf[VERITY_MAX_LEVELS];	/* the block being filled per level */
	size_t fill[VERITY_MAX_LEVELS];
	unsigned long long emitted[VERITY_MAX_LEVELS];
};

static int hash_block(struct tree *t, const unsigned char *block, unsigned char *out)
{
	unsigned int n;

	if (!EVP_Digest(block, VERITY_BLOCK, out, &n, t->md, NULL)) {
		imaevm_log_ossl(t->ctx, LOG_INFO, "fs-verity digest");
		return -EIO;
	}
	return 0;
}

/* Append a hash to @level; a full block is hashed into the next level. */
static int add_hash(struct tree *t, int level, const unsigned char *h)
{
	unsigned char up[EVP_MAX_MD_SIZE];
	int err;

	if (level >= VERITY_MAX_LEVELS)
		return -EFBIG;
	if (!t->buf[level]) {
		t->buf[level] = calloc(1, VERITY_BLOCK);
		if (!t->buf[level])
			return -ENOMEM;
	}
	memcpy(t->buf[level] + t->fill[level], h, t->ds);
	t->fill[level] += t->ds;
	if (t->fill[level] + t->ds > VERITY_BLOCK) {
		memset(t->buf[level] + t->fill[level], 0, VERITY_BLOCK - t->fill[level]);
		err = hash_block(t, t->buf[level], up);
		if (err)
			return err;
		t->fill[level] = 0;
		t->emitted[level]++;
		return add_hash(t, level + 1, up);
	}
	return 0;
}

/* The root hash: the hash of the single block of the top level. */
static int finish_tree(struct tree *t, unsigned char *root)
{
	unsigned char h[EVP_MAX_MD_SIZE];
	int level, err;

	for (level = 0; level < VERITY_MAX_LEVELS && t->buf[level]; level++) {
		unsigned long long total = t->emitted[level] + (t->fill[level] ? 1 : 0);

		if (total == 1 && t->fill[level]) {
			memset(t->buf[level] + t->fill[level], 0, VERITY_BLOCK - t->fill[level]);
			return hash_block(t, t->buf[level], root);
		}
		if (total == 1) {
			/* its one block is already hashed, first in the level above */
			memcpy(root, t->buf[level + 1], t->ds);
			return 0;
		}
		if (t->fill[level]) {
			memset(t->buf[level] + t->fill[level], 0, VERITY_BLOCK - t->fill[level]);
			err = hash_block(t, t->buf[level], h);
			if (err)
				return err;
			t->fill[level] = 0;
			t->emitted[level]++;
			err = add_hash(t, level + 1, h);
			if (err)
				return err;
		}
	}
	return -EIO;
}

static int verity_alg(int algo)
{
	switch (algo) {
	case IMAEVM_HASH_SHA256:
		return 1;	/* FS_VERITY_HASH_ALG_SHA256 */
	case IMAEVM_HASH_SHA512:
		return 2;	/* FS_VERITY_HASH_ALG_SHA512 */
	}
	return -EOPNOTSUPP;
}

IMAEVM_EXPORT int imaevm_verity_digest_fd(struct imaevm_ctx *ctx, int fd, int algo,
					  struct imaevm_digest *out)
{
	struct tree t = { .ctx = ctx };
	unsigned char desc[VERITY_DESC_SIZE] = { 0 };
	unsigned char h[EVP_MAX_MD_SIZE], *block;
	unsigned long long size = 0, blocks = 0;
	struct imaevm_file_state st;
	unsigned int n;
	int i, err = 0, valg = verity_alg(algo);

	if (!ctx || !out || fd < 0)
		return -EINVAL;
	if (valg < 0) {
		imaevm_log(ctx, LOG_INFO, "fs-verity digests are sha256 or sha512");
		return valg;
	}
	err = imaevm_file_state_begin(ctx, fd, &st);
	if (err)
		return err;
	if (!S_ISREG(st.mode))
		return -EOPNOTSUPP;
	t.md = imaevm_md_get(ctx, algo);
	if (!t.md)
		return -EOPNOTSUPP;
	t.ds = (size_t)EVP_MD_get_size(t.md);
	block = malloc(VERITY_BLOCK);
	if (!block)
		return -ENOMEM;
	for (;;) {
		size_t got = 0;
		ssize_t r;

		while (got < VERITY_BLOCK) {
			r = read(fd, block + got, VERITY_BLOCK - got);
			if (r < 0 && errno == EINTR)
				continue;
			if (r < 0) {
				err = -errno;
				break;
			}
			if (r == 0)
				break;
			got += (size_t)r;
		}
		if (err || got == 0)
			break;
		size += got;
		memset(block + got, 0, VERITY_BLOCK - got);
		err = hash_block(&t, block, h);
		if (!err)
			err = add_hash(&t, 0, h);
		blocks++;
		if (err || got < VERITY_BLOCK)
			break;
	}
	free(block);
	/* the tree of a file that changed meanwhile matches no version of it */
	if (!err)
		err = imaevm_file_state_check(ctx, fd, &st, size);
	/* empty file: all-zero root; one block: the root is that block's hash */
	if (!err && blocks == 1)
		memcpy(desc + 16, h, t.ds);
	else if (!err && blocks > 1)
		err = finish_tree(&t, desc + 16);
	for (i = 0; i < VERITY_MAX_LEVELS; i++)
		free(t.buf[i]);
	if (err)
		return err;
	desc[0] = 1;				/* version */
	desc[1] = (unsigned char)valg;		/* hash_algorithm */
	desc[2] = VERITY_LOG_BLOCK;		/* log_blocksize */
	desc[3] = 0;				/* salt_size */
	for (i = 0; i < 8; i++)			/* __le64 data_size */
		desc[8 + i] = (unsigned char)(size >> (8 * i));
	if (!EVP_Digest(desc, sizeof(desc), out->value, &n, t.md, NULL)) {
		imaevm_log_ossl(ctx, LOG_INFO, "fs-verity descriptor");
		return -EIO;
	}
	out->algo = algo;
	out->len = n;
	return 0;
}

/* The kernel's own measurement of a file fs-verity is enabled on. */
static int kernel_measure(struct imaevm_ctx *ctx, int fd, int valg,
			  struct imaevm_digest *out)
{
	union {
		struct fsverity_digest d;
		/* the kernel's struct ends in a flexible array: room for any digest */
		unsigned char room[sizeof(struct fsverity_digest) + IMAEVM_MAX_DIGEST_SIZE];
	} m;

	memset(&m, 0, sizeof(m));
	m.d.digest_size = IMAEVM_MAX_DIGEST_SIZE;
	if (ioctl(fd, FS_IOC_MEASURE_VERITY, &m) < 0)
		return -errno;
	if (m.d.digest_algorithm != (unsigned int)valg ||
	    m.d.digest_size > IMAEVM_MAX_DIGEST_SIZE) {
		imaevm_log(ctx, LOG_INFO, "the file's fs-verity uses hash algorithm %u",
			   m.d.digest_algorithm);
		return -EMEDIUMTYPE;
	}
	out->len = m.d.digest_size;
	memcpy(out->value, m.d.digest, out->len);
	return 0;
}

IMAEVM_EXPORT int imaevm_verity_measure_fd(struct imaevm_ctx *ctx, int fd, int algo,
					   unsigned int flags, struct imaevm_digest *out,
					   enum imaevm_verity_source *source)
{
	int valg = verity_alg(algo), err;

	if (!ctx || !out || fd < 0 || (flags & ~IMAEVM_VERITY_KERNEL_FIRST))
		return -EINVAL;
	if (valg < 0)
		return imaevm_verity_digest_fd(ctx, fd, algo, out);
	if (flags & IMAEVM_VERITY_KERNEL_FIRST) {
		err = kernel_measure(ctx, fd, valg, out);
		if (!err) {
			out->algo = algo;
			if (source)
				*source = IMAEVM_VERITY_FROM_KERNEL;
			return 0;
		}
		/* else not a verity file, or a filesystem without fs-verity */
		if (err == -EMEDIUMTYPE)
			return err;
	}
	err = imaevm_verity_digest_fd(ctx, fd, algo, out);
	if (!err && source)
		*source = IMAEVM_VERITY_COMPUTED;
	return err;
}
