// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * compat-probe.c - calls the old libimaevm API and prints what each call
 * returned, one line a call, so tests/upstream-abi.test can run the same
 * binary on ima-evm-utils 1.6.2's libimaevm.so.5 and on ours and compare.
 * It uses only names 1.6.2's library exports, so it links against either.
 *
 * usage: compat-probe DIR
 * DIR holds k.pem (private key), kc.pem (the key, then its certificate),
 * k.der (the certificate, DER), f (a file), k2.der (another certificate).
 */
#define IMAEVM_SUPPRESS_DEPRECATED
#include <imaevm.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/evp.h>

static char path_buf[4][4096];

static const char *in_dir(int slot, const char *dir, const char *name)
{
	snprintf(path_buf[slot], sizeof(path_buf[slot]), "%s/%s", dir, name);
	return path_buf[slot];
}

static void hex(const char *what, const unsigned char *p, int len)
{
	int i;

	printf("%s ", what);
	for (i = 0; i < len; i++)
		printf("%02x", p[i]);
	printf("\n");
}

static void names(void)
{
	static const char *const algos[] = {
		"sha1", "sha256", "SHA256", "Sha512", "sha224", "sha384", "md4", "md5",
		"rmd160", "ripemd160", "wp512", "tgr192", "sm3", "sm3-256",
		"md_gost12_256", "md_gost12_512", "streebog256", "streebog512", "", "nope",
	};
	size_t i;
	int id;

	for (i = 0; i < sizeof(algos) / sizeof(algos[0]); i++)
		printf("get_hash_algo(%s) = %d\n", algos[i], imaevm_get_hash_algo(algos[i]));
	/* (ids past streebog512 are known here and not in 1.6.2: not compared) */
	for (id = 0; id < PKEY_HASH__LAST; id++) {
		const char *n = imaevm_hash_algo_by_id(id);

		printf("hash_algo_by_id(%d) = %s\n", id, n ? n : "(null)");
	}
}

static void params(void)
{
	printf("sizeof(imaevm_params) = %zu\n", sizeof(imaevm_params));
	printf("params.verbose = %d x509 = %d hash_algo = %s keyid = %u\n",
	       imaevm_params.verbose, imaevm_params.x509,
	       imaevm_params.hash_algo ? imaevm_params.hash_algo : "(null)",
	       imaevm_params.keyid);
	printf("params.keyfile = %s keypass = %s eng = %s hmackeyfile = %s\n",
	       imaevm_params.keyfile ? "set" : "NULL", imaevm_params.keypass ? "set" : "NULL",
	       imaevm_params.eng ? "set" : "NULL", imaevm_params.hmackeyfile ? "set" : "NULL");
}

/* A signature of @hash as a whole security.ima value in @sig; its length. */
static int sign_value(const char *key, const unsigned char *hash, int hlen,
		      uint32_t keyid, unsigned char *sig)
{
	int len = imaevm_signhash("sha256", hash, hlen, key, NULL, sig + 1, 0, NULL, keyid);

	sig[0] = EVM_IMA_XATTR_DIGSIG;
	return len > 0 ? len + 1 : len;
}

int main(int argc, char **argv)
{
	unsigned char hash[MAX_DIGEST_SIZE], out[MAX_DIGEST_SIZE];
	unsigned char sig[MAX_SIGNATURE_SIZE + 1];
	struct public_key_entry *pk = NULL;
	const char *dir;
	EVP_PKEY *pkey;
	uint32_t kid = 0;
	char kstr[20] = "";
	int hlen, len, ret;

	if (argc != 2) {
		fprintf(stderr, "usage: %s DIR\n", argv[0]);
		return 2;
	}
	dir = argv[1];
	params();
	imaevm_params.verbose = LOG_EMERG; /* library messages are not compared */
	names();

	hlen = ima_calc_hash2(in_dir(0, dir, "f"), "sha256", hash);
	printf("ima_calc_hash2(f, sha256) = %d\n", hlen);
	/* an unknown algorithm: 1.6.2 says 1, we say -1; both are "<= 1", failure */
	printf("ima_calc_hash2(f, nope) fails: %d\n", ima_calc_hash2(in_dir(0, dir, "f"), "nope", out) <= 1);
	printf("ima_calc_hash2(missing) = %d\n", ima_calc_hash2(in_dir(0, dir, "missing"), "sha256", out));
	printf("ima_calc_hash2(DIR) = %d\n", ima_calc_hash2(dir, "sha256", out));
	imaevm_params.hash_algo = "sha512";
	printf("ima_calc_hash(f) [sha512] = %d\n", ima_calc_hash(in_dir(0, dir, "f"), out));
	imaevm_params.hash_algo = "sha256";
	if (hlen != 32)
		return 1;

	ret = calc_hash_sigv3(IMA_VERITY_DIGSIG, "sha256", hash, out);
	printf("calc_hash_sigv3(verity, sha256) = %d\n", ret);
	if (ret == 32)
		hex("  digest", out, ret);
	printf("calc_hash_sigv3(digest_ng) = %d\n", calc_hash_sigv3(IMA_XATTR_DIGEST_NG, "sha256", hash, out));
	printf("calc_hash_sigv3(verity, nope) = %d\n", calc_hash_sigv3(IMA_VERITY_DIGSIG, "nope", hash, out));

	printf("read_keyid(k.der) = %08x\n", imaevm_read_keyid(in_dir(0, dir, "k.der")));
	printf("read_keyid(missing) = %08x\n", imaevm_read_keyid(in_dir(0, dir, "missing")));
	pkey = read_pub_pkey(in_dir(0, dir, "k.der"), 1);
	printf("read_pub_pkey(k.der, 1) = %s\n", pkey ? "key" : "NULL");
	if (pkey) {
		calc_keyid_v2(&kid, kstr, pkey);
		printf("calc_keyid_v2 = %08x %s\n", ntohl(kid), kstr);
		EVP_PKEY_free(pkey);
	}
	pkey = read_pub_pkey(in_dir(0, dir, "missing"), 1);
	printf("read_pub_pkey(missing, 1) = %s\n", pkey ? "key" : "NULL");

	/* key ids: the key's own, the certificate appended to the key, an override */
	len = sign_value(in_dir(0, dir, "k.pem"), hash, hlen, 0, sig);
	printf("imaevm_signhash(k.pem) = %d\n", len > 0 ? len - 1 : len);
	if (len > 7)
		hex("  header", sig, 7);
	len = sign_value(in_dir(0, dir, "kc.pem"), hash, hlen, 0, sig);
	printf("imaevm_signhash(kc.pem) = %d\n", len > 0 ? len - 1 : len);
	if (len > 7)
		hex("  header", sig, 7);
	len = sign_value(in_dir(0, dir, "k.pem"), hash, hlen, 0x01020304, sig);
	printf("imaevm_signhash(k.pem, keyid) = %d\n", len > 0 ? len - 1 : len);
	if (len > 7)
		hex("  header", sig, 7);
	printf("imaevm_signhash(sigflags 2) = %d\n",
	       imaevm_signhash("sha256", hash, hlen, in_dir(0, dir, "k.pem"), NULL, out, 2, NULL, 0));
	printf("imaevm_signhash(missing key) = %d\n",
	       imaevm_signhash("sha256", hash, hlen, in_dir(0, dir, "missing"), NULL, sig + 1, 0, NULL, 0));

	len = sign_value(in_dir(0, dir, "k.pem"), hash, hlen, 0, sig);
	if (len > 0)
		printf("verify_hash(no list, no global keys) = %d\n",
		       imaevm_verify_hash(NULL, "f", "sha256", hash, hlen, sig, len));

	/* key lists: an unreadable file among readable ones, or alone */
	snprintf(path_buf[3], sizeof(path_buf[3]), "%s/missing,%s/k.der", dir, dir);
	ret = imaevm_init_public_keys(path_buf[3], &pk);
	printf("init_public_keys(missing,k.der) = %d list %s\n", ret, pk ? "set" : "NULL");
	len = sign_value(in_dir(0, dir, "k.pem"), hash, hlen, 0, sig);
	if (len > 0) {
		printf("verify_hash(whole value) = %d\n",
		       imaevm_verify_hash(pk, "f", "sha256", hash, hlen, sig, len));
		printf("ima_verify_signature2(value, file) = %d\n",
		       ima_verify_signature2(pk, in_dir(0, dir, "f"), sig, len, NULL, 0));
		printf("ima_verify_signature2(value, digest) = %d\n",
		       ima_verify_signature2(pk, in_dir(0, dir, "f"), sig, len, hash, hlen));
		hash[0] ^= 1;
		printf("verify_hash(other digest) = %d\n",
		       imaevm_verify_hash(pk, "f", "sha256", hash, hlen, sig, len));
		hash[0] ^= 1;
		sig[len - 1] ^= 1;
		printf("verify_hash(damaged) = %d\n",
		       imaevm_verify_hash(pk, "f", "sha256", hash, hlen, sig, len));
		sig[len - 1] ^= 1;
		sig[3] ^= 0xff;
		printf("verify_hash(unknown key id) = %d\n",
		       imaevm_verify_hash(pk, "f", "sha256", hash, hlen, sig, len));
		sig[3] ^= 0xff;
		sig[0] = EVM_XATTR_PORTABLE_DIGSIG;
		printf("verify_hash(portable type) = %d\n",
		       imaevm_verify_hash(pk, "f", "sha256", hash, hlen, sig, len));
		sig[0] = IMA_XATTR_DIGEST_NG;
		printf("ima_verify_signature2(digest_ng) = %d\n",
		       ima_verify_signature2(pk, in_dir(0, dir, "f"), sig, len, NULL, 0));
		sig[0] = EVM_IMA_XATTR_DIGSIG;
		printf("hash_algo_from_sig = %d\n", imaevm_hash_algo_from_sig(sig + 1));
	}
	imaevm_free_public_keys(pk);
	pk = NULL;
	ret = imaevm_init_public_keys(in_dir(0, dir, "k2.der"), &pk);
	printf("init_public_keys(k2.der) = %d list %s\n", ret, pk ? "set" : "NULL");
	if (len > 0)
		printf("verify_hash(other key list) = %d\n",
		       imaevm_verify_hash(pk, "f", "sha256", hash, hlen, sig, len));
	imaevm_free_public_keys(pk);
	pk = NULL;
	ret = imaevm_init_public_keys(in_dir(0, dir, "missing"), &pk);
	printf("init_public_keys(missing) = %d list %s\n", ret, pk ? "set" : "NULL");
	imaevm_free_public_keys(pk);

	/* the global list and the 1.4 calls */
	init_public_keys(in_dir(0, dir, "k.der"));
	if (len > 0) {
		printf("verify_hash(global) = %d\n", verify_hash("f", hash, hlen, sig, len));
		printf("ima_verify_signature(global) = %d\n",
		       ima_verify_signature(in_dir(0, dir, "f"), sig, len, NULL, 0));
	}
	imaevm_params.keyid = 0x0a0b0c0d;
	len = sign_hash("sha256", hash, hlen, in_dir(0, dir, "k.pem"), NULL, sig + 1);
	printf("sign_hash(params.keyid) = %d\n", len);
	if (len > 6)
		hex("  header", sig + 1, 6);
	imaevm_params.keyid = 0;
	printf("sign_hash(wrong size) = %d\n",
	       sign_hash("sha256", hash, 20, in_dir(0, dir, "k.pem"), NULL, sig + 1));
	return 0;
}
