// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * compat-prog.c - a program written against the OLD libimaevm API (the
 * ima-evm-utils 1.4 imaevm.h), built by tests/compat-*.test against
 * Debian's header and against ours.  Signs FILE with the old calls, writes
 * the security.ima value to OUT, verifies with the old calls.  It runs on
 * our library, which follows 1.6.2 where 1.4 differs: verify_hash() takes
 * the whole value (type byte first).
 *
 * usage: compat-prog KEY.pem CERT.der FILE OUT [OUT2]
 * OUT2 (our header only): the value imaevm_signhash() (1.6) made.
 *        compat-prog --v1 PUB.pem FILE
 * checks the v1 signature in FILE's security.ima (made by evmctl 1.4 --rsa)
 * with ima_verify_signature(), and its key id with key2bin()/calc_keyid_v1().
 */
/* it frees the RSA key read_pub_key() gives, with OpenSSL 3 deprecated calls,
 * and calls the old functions 1.6 marked deprecated */
#define OPENSSL_SUPPRESS_DEPRECATED 1
#define IMAEVM_SUPPRESS_DEPRECATED 1
#include <imaevm.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/xattr.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#if defined(EXPECT_DEBIAN_HEADER) && defined(IMAEVM_H)
#error "built against our imaevm.h, not Debian's"
#endif
#if defined(EXPECT_OUR_HEADER) && !defined(IMAEVM_H)
#error "built against another imaevm.h than ours"
#endif

static int failures;

static void expect(int ok, const char *what)
{
	printf("%s: %s\n", ok ? "ok" : "FAIL", what);
	if (!ok)
		failures++;
}

static int write_file(const char *path, const unsigned char *buf, int len)
{
	FILE *f = fopen(path, "wb");
	int ok = f && fwrite(buf, 1, (size_t)len, f) == (size_t)len;

	if (f && fclose(f))
		ok = 0;
	return ok;
}

static int check_v1(const char *pub, const char *file)
{
	unsigned char sig[MAX_SIGNATURE_SIZE + 1], blob[2048];
	uint8_t keyid[8];
	char str[20];
	ssize_t len = getxattr(file, "security.ima", sig, sizeof(sig));
	RSA *rsa;

	expect(len > 16 && sig[0] == EVM_IMA_XATTR_DIGSIG && sig[1] == DIGSIG_VERSION_1,
	       "a v1 signature in security.ima");
	if (len <= 16)
		return 1;
	imaevm_params.keyfile = pub;
	rsa = read_pub_key(pub, 0);
	expect(rsa != NULL, "read_pub_key of a PEM public key");
	if (rsa) {
		calc_keyid_v1(keyid, str, blob, key2bin(rsa, blob));
		expect(!memcmp(keyid, sig + 8, 8), "calc_keyid_v1(key2bin()) is the key id evmctl 1.4 wrote");
		printf("v1 keyid %s\n", str);
		RSA_free(rsa);
	}
	expect(imaevm_hash_algo_from_sig(sig + 1) == PKEY_HASH_SHA1, "imaevm_hash_algo_from_sig of a sha1 v1");
	expect(ima_verify_signature(file, sig, (int)len, NULL, 0) == 0, "ima_verify_signature: v1 valid");
	sig[len - 1] ^= 1;
	expect(ima_verify_signature(file, sig, (int)len, NULL, 0) == 1, "ima_verify_signature: damaged v1 is 1");
	printf("%d failed\n", failures);
	return failures ? 1 : 0;
}

int main(int argc, char **argv)
{
	unsigned char hash[MAX_DIGEST_SIZE], bad[MAX_DIGEST_SIZE];
	unsigned char sig[MAX_SIGNATURE_SIZE + 1];
	uint32_t keyid_be = 0, sig_keyid;
	char keyid_str[20];
	const char *key, *cert, *file;
	EVP_PKEY *pkey;
	int hashlen, len;

	if (argc == 4 && !strcmp(argv[1], "--v1")) {
		imaevm_params.verbose = LOG_ERR;
		return check_v1(argv[2], argv[3]);
	}
	if (argc < 5) {
		fprintf(stderr, "usage: %s KEY CERT FILE OUT [OUT2]\n", argv[0]);
		return 2;
	}
	key = argv[1];
	cert = argv[2];
	file = argv[3];
	imaevm_params.verbose = LOG_ERR;
	imaevm_params.hash_algo = "sha256";

	expect(imaevm_get_hash_algo("sha256") == PKEY_HASH_SHA256, "imaevm_get_hash_algo(sha256)");
	expect(imaevm_get_hash_algo("no-such-hash") == -1, "imaevm_get_hash_algo(unknown) is -1");
	expect(imaevm_get_hash_algo("SHA256") == -1, "imaevm_get_hash_algo(SHA256) is -1: names are case-sensitive");
	expect(imaevm_hash_algo_by_id(PKEY_HASH_SHA512) &&
	       !strcmp(imaevm_hash_algo_by_id(PKEY_HASH_SHA512), "sha512"), "imaevm_hash_algo_by_id(sha512)");

	hashlen = ima_calc_hash(file, hash);
	expect(hashlen == 32, "ima_calc_hash gives a sha256 digest");
	if (hashlen != 32)
		return 1;
	printf("digest ");
	imaevm_hexdump(hash, hashlen);

	sig[0] = EVM_IMA_XATTR_DIGSIG;
	len = sign_hash("sha256", hash, hashlen, key, NULL, sig + 1);
	expect(len > (int)sizeof(struct signature_v2_hdr), "sign_hash returns the signature length");
	if (len <= 0)
		return 1;
	expect(sig[1] == DIGSIG_VERSION_2 && sig[2] == PKEY_HASH_SHA256, "sign_hash makes a v2 sha256 header");
	expect(imaevm_hash_algo_from_sig(sig + 1) == PKEY_HASH_SHA256, "imaevm_hash_algo_from_sig");
	expect(write_file(argv[4], sig, len + 1), "value written");
	{
		unsigned char junk[MAX_SIGNATURE_SIZE];

		expect(sign_hash("sha256", hash, 20, key, NULL, junk) == -1,
		       "sign_hash of a wrong-size digest is -1");
	}

	memcpy(&sig_keyid, sig + 3, 4);
	pkey = read_pub_pkey(cert, 1);
	expect(pkey != NULL, "read_pub_pkey of the certificate");
	if (pkey) {
		calc_keyid_v2(&keyid_be, keyid_str, pkey);
		EVP_PKEY_free(pkey);
	}
	expect(keyid_be == sig_keyid, "calc_keyid_v2 matches the key id in the signature");
	expect(imaevm_read_keyid(cert) == ntohl(sig_keyid), "imaevm_read_keyid matches it too");
	printf("keyid %s\n", keyid_str);

	init_public_keys(cert);
	expect(verify_hash(file, hash, hashlen, sig, len + 1) == 0, "verify_hash: valid");
	expect(ima_verify_signature(file, sig, len + 1, NULL, 0) == 0, "ima_verify_signature (file hashed): valid");
	expect(ima_verify_signature(file, sig, len + 1, hash, hashlen) == 0, "ima_verify_signature (digest given): valid");
	memcpy(bad, hash, sizeof(bad));
	bad[0] ^= 1;
	expect(verify_hash(file, bad, hashlen, sig, len + 1) == 1, "verify_hash: other digest is 1");
	sig[len] ^= 1;
	expect(verify_hash(file, hash, hashlen, sig, len + 1) == 1, "verify_hash: damaged signature is 1");
	sig[len] ^= 1;
	sig[3] ^= 0xff;
	expect(verify_hash(file, hash, hashlen, sig, len + 1) == -1, "verify_hash: unknown key id is -1");
	sig[3] ^= 0xff;
	sig[0] = IMA_XATTR_DIGEST_NG;
	expect(ima_verify_signature(file, sig, len + 1, NULL, 0) == -1, "ima_verify_signature: not a signature is -1");
	sig[0] = EVM_IMA_XATTR_DIGSIG;

#ifdef IMAEVM_SIGFLAG_SIGNATURE_V1
	/* the 1.6 calls, declared by our header (not by Debian's 1.4 one) */
	{
		unsigned char sig2[MAX_SIGNATURE_SIZE + 1];
		struct public_key_entry *pk = NULL;
		unsigned char v3[MAX_DIGEST_SIZE];
		int len2;

		sig2[0] = EVM_IMA_XATTR_DIGSIG;
		len2 = imaevm_signhash("sha256", hash, hashlen, key, NULL, sig2 + 1, 0, NULL, 0);
		expect(len2 == len, "imaevm_signhash returns the signature length");
		expect(imaevm_signhash("sha256", hash, hashlen, key, NULL, sig2 + 1,
				       IMAEVM_SIGFLAG_SIGNATURE_V1, NULL, 0) == -1,
		       "imaevm_signhash refuses v1");
		expect(imaevm_init_public_keys(cert, &pk) == 0 && pk, "imaevm_init_public_keys");
		expect(ima_verify_signature2(pk, file, sig2, len2 + 1, NULL, 0) == 0, "ima_verify_signature2: valid");
		expect(imaevm_verify_hash(pk, file, "sha256", hash, hashlen, sig2, len2 + 1) == 0,
		       "imaevm_verify_hash: valid");
		expect(imaevm_verify_hash(pk, file, "sha256", bad, hashlen, sig2, len2 + 1) == 1,
		       "imaevm_verify_hash: other digest is 1");
		imaevm_free_public_keys(pk);
		expect(imaevm_init_public_keys("/nonexistent.der", &pk) == 0 && !pk,
		       "imaevm_init_public_keys: a missing file is skipped, no list");
		expect(ima_calc_hash2(file, "sha512", v3) == 64, "ima_calc_hash2(sha512)");
		{
			/* struct ima_file_id {type, algo, digest}, hashed here directly */
			unsigned char id[2 + 32], md[EVP_MAX_MD_SIZE];
			unsigned int mdlen = 0;

			id[0] = IMA_VERITY_DIGSIG;
			id[1] = PKEY_HASH_SHA256;
			memcpy(id + 2, hash, 32);
			EVP_Digest(id, sizeof(id), md, &mdlen, EVP_sha256(), NULL);
			expect(calc_hash_sigv3(IMA_VERITY_DIGSIG, "sha256", hash, v3) == 32 &&
			       mdlen == 32 && !memcmp(v3, md, 32), "calc_hash_sigv3 = sha256(file id)");
		}
		expect(calc_hash_sigv3(IMA_XATTR_DIGEST_NG, "sha256", hash, v3) == -EINVAL,
		       "calc_hash_sigv3: other type is -EINVAL");
		if (argc > 5)
			expect(write_file(argv[5], sig2, len2 + 1), "imaevm_signhash value written");
	}
#endif
	printf("%d failed\n", failures);
	return failures ? 1 : 0;
}
