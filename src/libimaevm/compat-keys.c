// SPDX-License-Identifier: LGPL-2.1-or-later
/* compat-keys.c - old libimaevm helpers: hex dumps, algorithm names, public keys, key ids. */
#include "config.h"

/* read_pub_key() and key2bin() hand out RSA objects, as the old API did. */
#define OPENSSL_SUPPRESS_DEPRECATED 1

#include <arpa/inet.h>
#include <string.h>
#include <unistd.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "internal.h"
#include "compat-internal.h"

/* ---- hex dumps and algorithm names --------------------------------------- */

IMAEVM_EXPORT void imaevm_do_hexdump(FILE *fp, const void *ptr, int len, bool cr)
{
	const unsigned char *p = ptr;
	int i;

	for (i = 0; i < len; i++)
		fprintf(fp, "%02x", p[i]);
	if (cr)
		fputc('\n', fp);
}

IMAEVM_EXPORT void imaevm_hexdump(const void *ptr, int len)
{
	imaevm_do_hexdump(stdout, ptr, len, true);
}

/*
 * The kernel's names of its hash ids up to sm3 (linux/hash_info.h), exported
 * under the name and with the size ima-evm-utils 1.6.2's library has, for
 * binaries linked against it; not declared in a header.
 */
IMAEVM_EXPORT const char *const hash_algo_name[PKEY_HASH_SM3_256 + 1] = {
	"md4", "md5", "sha1", "ripemd160", "sha256", "sha384", "sha512", "sha224",
	"ripemd128", "ripemd256", "ripemd320", "wp256", "wp384", "wp512",
	"tgr128", "tgr160", "tgr192", "sm3",
};

/* Names imaevm_get_hash_algo() takes besides hash_algo_name[]: the kernel's
 * newer ones and the OpenSSL names the old library gave out. */
static const struct {
	int id;
	const char *name;
} more_names[] = {
	{ PKEY_HASH_STREEBOG_256, "streebog256" },
	{ PKEY_HASH_STREEBOG_512, "streebog512" },
	{ IMAEVM_HASH_SHA3_256, "sha3-256" },
	{ IMAEVM_HASH_SHA3_384, "sha3-384" },
	{ IMAEVM_HASH_SHA3_512, "sha3-512" },
	{ PKEY_HASH_RIPE_MD_160, "rmd160" },
	{ PKEY_HASH_STREEBOG_256, "md_gost12_256" },
	{ PKEY_HASH_STREEBOG_512, "md_gost12_512" },
};

/* What imaevm_hash_algo_by_id() answers: OpenSSL's names of the ids the old
 * library could sign and verify with (NULL for the others, as there). */
static const char *const openssl_names[] = {
	[PKEY_HASH_MD4] = "md4",
	[PKEY_HASH_MD5] = "md5",
	[PKEY_HASH_SHA1] = "sha1",
	[PKEY_HASH_RIPE_MD_160] = "rmd160",
	[PKEY_HASH_SHA256] = "sha256",
	[PKEY_HASH_SHA384] = "sha384",
	[PKEY_HASH_SHA512] = "sha512",
	[PKEY_HASH_SHA224] = "sha224",
	[PKEY_HASH_SM3_256] = "sm3",
	[PKEY_HASH_STREEBOG_256] = "md_gost12_256",
	[PKEY_HASH_STREEBOG_512] = "md_gost12_512",
	[IMAEVM_HASH_SHA3_256] = "sha3-256",
	[IMAEVM_HASH_SHA3_384] = "sha3-384",
	[IMAEVM_HASH_SHA3_512] = "sha3-512",
};

/* Exact, case-sensitive names, as the old library compared them. */
IMAEVM_EXPORT int imaevm_get_hash_algo(const char *algo)
{
	size_t i;

	if (!algo)
		return -1;
	for (i = 0; i < ARRAY_SIZE(hash_algo_name); i++)
		if (!strcmp(algo, hash_algo_name[i]))
			return (int)i;
	for (i = 0; i < ARRAY_SIZE(more_names); i++)
		if (!strcmp(algo, more_names[i].name))
			return more_names[i].id;
	return -1;
}

IMAEVM_EXPORT const char *imaevm_hash_algo_by_id(int algo)
{
	if (algo >= 0 && (size_t)algo < ARRAY_SIZE(openssl_names) && openssl_names[algo])
		return openssl_names[algo];
	compat_msg(LOG_INFO, "digest %d not found", algo);
	return NULL;
}

IMAEVM_EXPORT int imaevm_hash_algo_from_sig(unsigned char *sig)
{
	if (!sig)
		return -1;
	if (sig[0] == DIGSIG_VERSION_1) {
		const struct signature_hdr *hdr = (const struct signature_hdr *)sig;

		switch (hdr->hash) {
		case DIGEST_ALGO_SHA1:
			return PKEY_HASH_SHA1;
		case DIGEST_ALGO_SHA256:
			return PKEY_HASH_SHA256;
		default:
			return -1;
		}
	}
	if (sig[0] == DIGSIG_VERSION_2 || sig[0] == DIGSIG_VERSION_3)
		return sig[1] < IMAEVM_HASH_ALGO_COUNT ? sig[1] : -1;
	return -1;
}

/* ---- public keys ------------------------------------------------------------ */

IMAEVM_EXPORT EVP_PKEY *read_pub_pkey(const char *keyfile, int x509)
{
	EVP_PKEY *pkey = NULL;
	X509 *crt = NULL;
	FILE *fp;
	int fd;

	if (!keyfile)
		return NULL;
	/* a FIFO or device given as the key would block or never end */
	fd = imaevm_open_regular(keyfile, NULL);
	fp = fd >= 0 ? fdopen(fd, "r") : NULL;
	if (!fp) {
		if (fd >= 0)
			close(fd);
		compat_msg(LOG_INFO, "Failed to open keyfile: %s", keyfile);
		return NULL;
	}
	if (x509) {
		crt = d2i_X509_fp(fp, NULL);
		if (!crt) {
			rewind(fp);
			crt = PEM_read_X509(fp, NULL, NULL, NULL);
		}
		if (crt)
			pkey = X509_get_pubkey(crt);
		X509_free(crt);
	} else {
		pkey = PEM_read_PUBKEY(fp, NULL, NULL, NULL);
		if (!pkey) {
			rewind(fp);
			pkey = d2i_PUBKEY_fp(fp, NULL);
		}
	}
	fclose(fp);
	ERR_clear_error();
	if (!pkey)
		compat_msg(LOG_ERR, "%s: cannot read %s", keyfile,
			   x509 ? "an X.509 certificate" : "a public key");
	return pkey;
}

IMAEVM_EXPORT RSA *read_pub_key(const char *keyfile, int x509)
{
	EVP_PKEY *pkey = read_pub_pkey(keyfile, x509);
	RSA *key;

	if (!pkey)
		return NULL;
	key = EVP_PKEY_get1_RSA(pkey);
	EVP_PKEY_free(pkey);
	ERR_clear_error();
	if (!key)
		compat_msg(LOG_ERR, "read_pub_key: unsupported key type");
	return key;
}

/* An MPI: 2-byte big-endian bit count, then the magnitude. */
static int put_mpi(unsigned char *p, const BIGNUM *bn)
{
	int bits = BN_num_bits(bn);

	p[0] = (unsigned char)(bits >> 8);
	p[1] = (unsigned char)bits;
	return 2 + BN_bn2bin(bn, p + 2);
}

IMAEVM_EXPORT int key2bin(RSA *key, unsigned char *pub)
{
	struct pubkey_hdr *pkh = (struct pubkey_hdr *)pub;
	const BIGNUM *n, *e;
	int off = (int)sizeof(*pkh);

	RSA_get0_key(key, &n, &e, NULL);
	pkh->version = 1;
	pkh->timestamp = 0;
	pkh->algo = PUBKEY_ALGO_RSA;
	pkh->nmpi = 2;
	off += put_mpi(pub + off, n);
	off += put_mpi(pub + off, e);
	return off;
}

IMAEVM_EXPORT void calc_keyid_v1(uint8_t *keyid, char *str, const unsigned char *pkey, int len)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	unsigned long long id = 0;
	int i;

	if (len < 0 || !EVP_Digest(pkey, (size_t)len, md, &mdlen, EVP_sha1(), NULL) ||
	    mdlen != 20)
		memset(md, 0, sizeof(md));
	memcpy(keyid, md + 12, 8);
	for (i = 0; i < 8; i++)
		id = id << 8 | keyid[i];
	if (str)
		sprintf(str, "%llX", id);
}

IMAEVM_EXPORT void calc_keyid_v2(uint32_t *keyid, char *str, EVP_PKEY *pkey)
{
	struct imaevm_ctx *ctx = compat_ctx();
	uint32_t id = 0;

	if (!ctx || !pkey || imaevm_pkey_keyid(ctx, pkey, &id))
		id = 0;
	*keyid = htonl(id);
	if (str)
		sprintf(str, "%x", id);
}

IMAEVM_EXPORT uint32_t imaevm_read_keyid(const char *certfile)
{
	struct imaevm_ctx *ctx = compat_ctx();
	uint32_t id;

	if (!ctx || imaevm_keyid_from_cert(ctx, certfile, &id))
		return 0;
	return id;
}
