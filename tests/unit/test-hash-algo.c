// SPDX-License-Identifier: GPL-2.0-or-later
/* test-hash-algo.c - the algorithm table against the kernel's hash_info ids. */
#include "config.h"

#include <errno.h>

#include "imaevm.h"
#include "unit.h"

/* Kernel ids, names and sizes from include/uapi/linux/hash_info.h and
 * crypto/hash_info.c, written out independently of the table under test. */
static const struct { int id; const char *name; int size; } kernel[] = {
	{ 0, "md4", 16 }, { 1, "md5", 16 }, { 2, "sha1", 20 }, { 3, "rmd160", 20 },
	{ 4, "sha256", 32 }, { 5, "sha384", 48 }, { 6, "sha512", 64 },
	{ 7, "sha224", 28 }, { 8, "rmd128", 16 }, { 9, "rmd256", 32 },
	{ 10, "rmd320", 40 }, { 11, "wp256", 32 }, { 12, "wp384", 48 },
	{ 13, "wp512", 64 }, { 14, "tgr128", 16 }, { 15, "tgr160", 20 },
	{ 16, "tgr192", 24 }, { 17, "sm3", 32 }, { 18, "streebog256", 32 },
	{ 19, "streebog512", 64 }, { 20, "sha3-256", 32 }, { 21, "sha3-384", 48 },
	{ 22, "sha3-512", 64 },
};

int main(void)
{
	size_t i;

	CHECK_EQ_INT(IMAEVM_HASH_ALGO_COUNT, sizeof(kernel) / sizeof(kernel[0]));
	for (i = 0; i < sizeof(kernel) / sizeof(kernel[0]); i++) {
		CHECK_EQ_INT(imaevm_hash_algo_by_name(kernel[i].name), kernel[i].id);
		CHECK(!strcmp(imaevm_hash_algo_name(kernel[i].id), kernel[i].name));
		CHECK_EQ_INT(imaevm_hash_algo_size(kernel[i].id), kernel[i].size);
		CHECK(imaevm_hash_algo_size(kernel[i].id) <= IMAEVM_MAX_DIGEST_SIZE);
	}
	/* spellings */
	/* the kernel's names are case-sensitive */
	CHECK_EQ_INT(imaevm_hash_algo_by_name("SHA256"), -EINVAL);
	CHECK_EQ_INT(imaevm_hash_algo_by_name("SM3"), -EINVAL);
	CHECK_EQ_INT(imaevm_hash_algo_by_name("Sha1"), -EINVAL);
	CHECK_EQ_INT(imaevm_hash_algo_by_name("SHA2-256"), -EINVAL);
	/* OpenSSL names the old tool passed on */
	CHECK_EQ_INT(imaevm_hash_algo_by_name("ripemd160"), IMAEVM_HASH_RIPEMD160);
	CHECK_EQ_INT(imaevm_hash_algo_by_name("md_gost12_256"), IMAEVM_HASH_STREEBOG256);
	CHECK_EQ_INT(imaevm_hash_algo_by_name("md_gost12_512"), IMAEVM_HASH_STREEBOG512);
	CHECK_EQ_INT(imaevm_hash_algo_by_name("RIPEMD160"), -EINVAL);
	CHECK_EQ_INT(imaevm_hash_algo_by_name("whirlpool"), -EINVAL);
	CHECK_EQ_INT(imaevm_hash_algo_by_name("sha255"), -EINVAL);
	CHECK_EQ_INT(imaevm_hash_algo_by_name(""), -EINVAL);
	CHECK_EQ_INT(imaevm_hash_algo_by_name(NULL), -EINVAL);
	/* out of range */
	CHECK(imaevm_hash_algo_name(-1) == NULL);
	CHECK(imaevm_hash_algo_name(IMAEVM_HASH_ALGO_COUNT) == NULL);
	CHECK_EQ_INT(imaevm_hash_algo_size(99), -EINVAL);
	/* TPM 2.0 algorithm ids (TCG Algorithm Registry) */
	CHECK_EQ_INT(imaevm_hash_algo_tpm_id(IMAEVM_HASH_SHA1), 0x0004);
	CHECK_EQ_INT(imaevm_hash_algo_tpm_id(IMAEVM_HASH_SHA256), 0x000b);
	CHECK_EQ_INT(imaevm_hash_algo_tpm_id(IMAEVM_HASH_SHA384), 0x000c);
	CHECK_EQ_INT(imaevm_hash_algo_tpm_id(IMAEVM_HASH_SHA512), 0x000d);
	CHECK_EQ_INT(imaevm_hash_algo_tpm_id(IMAEVM_HASH_SM3_256), 0x0012);
	CHECK_EQ_INT(imaevm_hash_algo_tpm_id(IMAEVM_HASH_MD5), -EOPNOTSUPP);
	CHECK_EQ_INT(imaevm_hash_algo_by_tpm_id(0x000b), IMAEVM_HASH_SHA256);
	CHECK_EQ_INT(imaevm_hash_algo_by_tpm_id(0x0012), IMAEVM_HASH_SM3_256);
	CHECK_EQ_INT(imaevm_hash_algo_by_tpm_id(0x0000), -EOPNOTSUPP);
	CHECK_EQ_INT(imaevm_hash_algo_by_tpm_id(0x0010), -EOPNOTSUPP);
	return unit_done("test-hash-algo");
}
