// SPDX-License-Identifier: LGPL-2.1-or-later
/* hash-algo.c - the hash algorithm table: kernel ids, names, sizes, TPM ids. */
#include "config.h"

#include <errno.h>
#include <strings.h>
#include <openssl/err.h>

#include "internal.h"

struct hash_algo_info {
	const char *name;	/* kernel's hash_algo_name[] */
	const char *ossl_name;	/* OpenSSL fetch name, NULL if none */
	unsigned int tpm_alg;	/* TPM_ALG_ID, 0 if the TPM defines none */
	int size;		/* digest bytes */
};

/* Indexed by the kernel's hash_info id (include/uapi/linux/hash_info.h). */
static const struct hash_algo_info hash_algos[IMAEVM_HASH_ALGO_COUNT] = {
	[IMAEVM_HASH_MD4]	  = { "md4", "MD4", 0, 16 },
	[IMAEVM_HASH_MD5]	  = { "md5", "MD5", 0, 16 },
	[IMAEVM_HASH_SHA1]	  = { "sha1", "SHA1", 0x0004, 20 },
	[IMAEVM_HASH_RIPEMD160]	  = { "rmd160", "RIPEMD160", 0, 20 },
	[IMAEVM_HASH_SHA256]	  = { "sha256", "SHA256", 0x000b, 32 },
	[IMAEVM_HASH_SHA384]	  = { "sha384", "SHA384", 0x000c, 48 },
	[IMAEVM_HASH_SHA512]	  = { "sha512", "SHA512", 0x000d, 64 },
	[IMAEVM_HASH_SHA224]	  = { "sha224", "SHA224", 0, 28 },
	[IMAEVM_HASH_RIPEMD128]	  = { "rmd128", NULL, 0, 16 },
	[IMAEVM_HASH_RIPEMD256]	  = { "rmd256", NULL, 0, 32 },
	[IMAEVM_HASH_RIPEMD320]	  = { "rmd320", NULL, 0, 40 },
	[IMAEVM_HASH_WP256]	  = { "wp256", NULL, 0, 32 },
	[IMAEVM_HASH_WP384]	  = { "wp384", NULL, 0, 48 },
	[IMAEVM_HASH_WP512]	  = { "wp512", "WHIRLPOOL", 0, 64 },
	[IMAEVM_HASH_TGR128]	  = { "tgr128", NULL, 0, 16 },
	[IMAEVM_HASH_TGR160]	  = { "tgr160", NULL, 0, 20 },
	[IMAEVM_HASH_TGR192]	  = { "tgr192", NULL, 0, 24 },
	[IMAEVM_HASH_SM3_256]	  = { "sm3", "SM3", 0x0012, 32 },
	[IMAEVM_HASH_STREEBOG256] = { "streebog256", "md_gost12_256", 0, 32 },
	[IMAEVM_HASH_STREEBOG512] = { "streebog512", "md_gost12_512", 0, 64 },
	[IMAEVM_HASH_SHA3_256]	  = { "sha3-256", "SHA3-256", 0x0027, 32 },
	[IMAEVM_HASH_SHA3_384]	  = { "sha3-384", "SHA3-384", 0x0028, 48 },
	[IMAEVM_HASH_SHA3_512]	  = { "sha3-512", "SHA3-512", 0x0029, 64 },
};

static const struct hash_algo_info *algo_info(int algo)
{
	if (algo < 0 || algo >= IMAEVM_HASH_ALGO_COUNT)
		return NULL;
	return &hash_algos[algo];
}

/*
 * OpenSSL names taken besides the kernel's, spelled exactly so: the ones
 * scripts pass to -a because the old tool handed them to OpenSSL.
 */
static const struct {
	const char *name;
	int algo;
} hash_aliases[] = {
	{ "ripemd160", IMAEVM_HASH_RIPEMD160 },
	{ "md_gost12_256", IMAEVM_HASH_STREEBOG256 },
	{ "md_gost12_512", IMAEVM_HASH_STREEBOG512 },
};

/* Case-sensitive, as the kernel's names are: "SHA256" is not one. */
IMAEVM_EXPORT int imaevm_hash_algo_by_name(const char *name)
{
	size_t i;

	if (!name)
		return -EINVAL;
	for (i = 0; i < IMAEVM_HASH_ALGO_COUNT; i++)
		if (hash_algos[i].name && !strcmp(name, hash_algos[i].name))
			return (int)i;
	for (i = 0; i < ARRAY_SIZE(hash_aliases); i++)
		if (!strcmp(name, hash_aliases[i].name))
			return hash_aliases[i].algo;
	return -EINVAL;
}

int imaevm_hash_algo_by_name_nocase(const char *name)
{
	int i;

	if (!name)
		return -EINVAL;
	for (i = 0; i < IMAEVM_HASH_ALGO_COUNT; i++) {
		const struct hash_algo_info *a = &hash_algos[i];

		if (!strcasecmp(name, a->name) ||
		    (a->ossl_name && !strcasecmp(name, a->ossl_name)))
			return i;
	}
	return imaevm_hash_algo_by_name(name);
}

IMAEVM_EXPORT const char *imaevm_hash_algo_name(int algo)
{
	const struct hash_algo_info *a = algo_info(algo);

	return a ? a->name : NULL;
}

IMAEVM_EXPORT int imaevm_hash_algo_size(int algo)
{
	const struct hash_algo_info *a = algo_info(algo);

	return a ? a->size : -EINVAL;
}

IMAEVM_EXPORT int imaevm_hash_algo_tpm_id(int algo)
{
	const struct hash_algo_info *a = algo_info(algo);

	if (!a)
		return -EINVAL;
	return a->tpm_alg ? (int)a->tpm_alg : -EOPNOTSUPP;
}

IMAEVM_EXPORT int imaevm_hash_algo_by_tpm_id(unsigned int tpm_alg_id)
{
	int i;

	for (i = 0; i < IMAEVM_HASH_ALGO_COUNT; i++)
		if (tpm_alg_id && hash_algos[i].tpm_alg == tpm_alg_id)
			return i;
	return -EOPNOTSUPP;
}

const char *imaevm_hash_algo_ossl_name(int algo)
{
	const struct hash_algo_info *a = algo_info(algo);

	return a ? a->ossl_name : NULL;
}

/*
 * A digest OpenSSL knows by name outside its providers, in practice one
 * an engine added.  It counts only if it initialises: OpenSSL's built-in
 * MD4 has a name but no implementation without the legacy provider.
 */
static EVP_MD *legacy_md(const char *name)
{
	const EVP_MD *md = EVP_get_digestbyname(name);
	EVP_MD_CTX *mctx;
	int ok;

	if (!md)
		return NULL;
	mctx = EVP_MD_CTX_new();
	if (!mctx)
		return NULL;
	ok = EVP_DigestInit_ex(mctx, md, NULL);
	EVP_MD_CTX_free(mctx);
	/* not reference-counted: EVP_MD_free() leaves it alone */
	return ok ? (EVP_MD *)md : NULL;
}

const EVP_MD *imaevm_md_get(struct imaevm_ctx *ctx, int algo)
{
	const struct hash_algo_info *a = algo_info(algo);
	EVP_MD *md, *expected = NULL;

	if (!a)
		return NULL;
	md = atomic_load(&ctx->md_cache[algo]);
	if (md)
		return md;
	if (!a->ossl_name) {
		imaevm_log(ctx, LOG_INFO, "%s: no OpenSSL implementation", a->name);
		return NULL;
	}
	md = EVP_MD_fetch(ctx->libctx, a->ossl_name, ctx->propq);
	if (!md) {
		/* an engine's digest (GOST) is found only by the old lookup */
		md = legacy_md(a->ossl_name);
		if (!md) {
			imaevm_log_ossl(ctx, LOG_INFO, a->name);
			return NULL;
		}
		ERR_clear_error();
	}
	/* Another thread may have won the race; keep its copy. */
	if (!atomic_compare_exchange_strong(&ctx->md_cache[algo], &expected, md)) {
		EVP_MD_free(md);
		md = expected;
	}
	return md;
}
