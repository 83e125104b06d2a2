// SPDX-License-Identifier: GPL-2.0-or-later
/* test-sign.c - key ids, signature header encoding, sign/verify v2 and v3, fs-verity digests, threads. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "internal.h"
#include "unit.h"

static char dir[] = "/tmp/test-sign.XXXXXX";

/* Length of a DER TLV header at @p (short and long forms), 0 if malformed. */
static size_t der_hdr(const unsigned char *p, size_t *len)
{
	size_t n, i;

	if (p[1] < 0x80) {
		*len = p[1];
		return 2;
	}
	n = p[1] & 0x7f;
	if (n == 0 || n > 3)
		return 0;
	*len = 0;
	for (i = 0; i < n; i++)
		*len = *len << 8 | p[2 + i];
	return 2 + n;
}

/*
 * The key id computed the long way: walk SubjectPublicKeyInfo by hand,
 * SEQUENCE { AlgorithmIdentifier, BIT STRING }, and take the last 4 bytes
 * of SHA-1 over the BIT STRING content after its unused-bits byte.
 */
static uint32_t expected_keyid(EVP_PKEY *pkey)
{
	unsigned char *der = NULL, *p, md[20];
	size_t len, h;
	unsigned int mdlen;
	uint32_t id;
	int n = i2d_PUBKEY(pkey, &der);

	CHECK(n > 0);
	p = der;
	h = der_hdr(p, &len);			/* outer SEQUENCE */
	p += h;
	h = der_hdr(p, &len);			/* AlgorithmIdentifier */
	p += h + len;
	CHECK(p[0] == 0x03);			/* BIT STRING */
	h = der_hdr(p, &len);
	p += h;
	CHECK(p[0] == 0);			/* no unused bits */
	EVP_Digest(p + 1, len - 1, md, &mdlen, EVP_sha1(), NULL);
	id = (uint32_t)md[16] << 24 | (uint32_t)md[17] << 16 | (uint32_t)md[18] << 8 | md[19];
	OPENSSL_free(der);
	return id;
}

static void write_keys(EVP_PKEY *pkey, const char *name, char *priv, char *pub)
{
	FILE *f;

	sprintf(priv, "%s/%s.pem", dir, name);
	sprintf(pub, "%s/%s.pub", dir, name);
	f = fopen(priv, "w");
	CHECK(f && PEM_write_PrivateKey(f, pkey, NULL, NULL, 0, NULL, NULL));
	fclose(f);
	f = fopen(pub, "w");
	CHECK(f && PEM_write_PUBKEY(f, pkey));
	fclose(f);
}

struct thread_arg {
	struct imaevm_ctx *ctx;
	struct imaevm_signing_key *key;
	struct imaevm_keyset *ks;
	int failures;
};

static void *sign_many(void *p)
{
	struct thread_arg *a = p;
	struct imaevm_digest d;
	unsigned char *v;
	size_t len;
	int i;

	for (i = 0; i < 50; i++) {
		if (imaevm_digest_buf(a->ctx, &i, sizeof(i), IMAEVM_HASH_SHA256, &d) ||
		    imaevm_sign_digest(a->ctx, a->key, &d, 2, &v, &len)) {
			a->failures++;
			continue;
		}
		if (imaevm_verify_digest(a->ctx, a->ks, v, len, &d, NULL))
			a->failures++;
		imaevm_free(v);
	}
	return NULL;
}

static void check_key(struct imaevm_ctx *ctx, EVP_PKEY *pkey, const char *name, bool rsa)
{
	struct imaevm_key_params params = { 0 };
	struct imaevm_signing_key *key = NULL;
	struct imaevm_keyset *ks = NULL;
	struct imaevm_verify_result r;
	struct imaevm_digest d, other, fid;
	char priv[128], pub[128];
	unsigned char *v = NULL, *v3 = NULL, id[2 + 32];
	size_t len, len3, siglen;
	uint32_t kid = 0, want = expected_keyid(pkey);
	struct thread_arg ta[4];
	pthread_t th[4];
	int i;

	CHECK_EQ_INT(imaevm_pkey_keyid(ctx, pkey, &kid), 0);
	CHECK_EQ_INT(kid, want);
	write_keys(pkey, name, priv, pub);
	params.path = priv;
	CHECK_EQ_INT(imaevm_signing_key_load(ctx, &params, &key), 0);
	if (!key)
		return;
	CHECK_EQ_INT(imaevm_signing_key_id(key), want);
	CHECK_EQ_INT(imaevm_signing_key_max_size(key), EVP_PKEY_get_size(pkey));
	CHECK_EQ_INT(imaevm_keyset_new(&ks), 0);
	CHECK_EQ_INT(imaevm_keyset_add_file(ctx, ks, pub), 1);

	/* v2 header: 03 02 hash be32-keyid be16-size signature */
	CHECK_EQ_INT(imaevm_digest_buf(ctx, "abc", 3, IMAEVM_HASH_SHA384, &d), 0);
	CHECK_EQ_INT(imaevm_sign_digest(ctx, key, &d, 2, &v, &len), 0);
	CHECK_EQ_INT(v[0], 0x03);
	CHECK_EQ_INT(v[1], 2);
	CHECK_EQ_INT(v[2], IMAEVM_HASH_SHA384);
	CHECK_EQ_INT((uint32_t)v[3] << 24 | (uint32_t)v[4] << 16 | (uint32_t)v[5] << 8 | v[6], want);
	siglen = (size_t)v[7] << 8 | v[8];
	CHECK_EQ_INT(siglen, len - 9);
	if (rsa)
		CHECK_EQ_INT(siglen, EVP_PKEY_get_size(pkey));
	else
		CHECK(siglen <= (size_t)EVP_PKEY_get_size(pkey));
	CHECK_EQ_INT(imaevm_verify_digest(ctx, ks, v, len, &d, &r), 0);
	CHECK_EQ_INT(r.keyid, want);

	/* wrong digest, wrong algorithm, flipped bit, unknown key id */
	CHECK_EQ_INT(imaevm_digest_buf(ctx, "abd", 3, IMAEVM_HASH_SHA384, &other), 0);
	CHECK_EQ_INT(imaevm_verify_digest(ctx, ks, v, len, &other, &r), -EKEYREJECTED);
	CHECK_EQ_INT(r.digest_mismatch, rsa);
	CHECK_EQ_INT(imaevm_digest_buf(ctx, "abc", 3, IMAEVM_HASH_SHA256, &other), 0);
	CHECK_EQ_INT(imaevm_verify_digest(ctx, ks, v, len, &other, NULL), -EINVAL);
	v[len - 1] ^= 1;
	CHECK_EQ_INT(imaevm_verify_digest(ctx, ks, v, len, &d, &r), -EKEYREJECTED);
	v[len - 1] ^= 1;
	v[6] ^= 0x55;
	CHECK_EQ_INT(imaevm_verify_digest(ctx, ks, v, len, &d, &r), -ENOKEY);
	v[6] ^= 0x55;
	CHECK_EQ_INT(imaevm_verify_digest(ctx, ks, v, len - 1, &d, NULL), -EBADMSG);
	/* the detail is cleared on bad arguments too, not left as it was */
	memset(&r, 0xa5, sizeof(r));
	CHECK_EQ_INT(imaevm_verify_digest(ctx, ks, NULL, len, &d, &r), -EINVAL);
	CHECK(r.keyid == 0 && r.key_name == NULL && !r.digest_mismatch);
	memset(&r, 0xa5, sizeof(r));
	CHECK_EQ_INT(imaevm_verify_modsig(ctx, ks, v, 0, &d, &r), -EINVAL);
	CHECK(r.keyid == 0 && r.key_name == NULL && !r.digest_mismatch);

	/* v1 signing is refused; bad versions are bad arguments */
	CHECK_EQ_INT(imaevm_sign_digest(ctx, key, &d, 1, &v3, &len3), -EOPNOTSUPP);
	CHECK_EQ_INT(imaevm_sign_digest(ctx, key, &d, 4, &v3, &len3), -EINVAL);

	/* v3: type 06, version 3, signs hash({0x06, algo, digest}) */
	CHECK_EQ_INT(imaevm_digest_buf(ctx, "verity", 6, IMAEVM_HASH_SHA256, &d), 0);
	CHECK_EQ_INT(imaevm_sign_digest(ctx, key, &d, 3, &v3, &len3), 0);
	CHECK_EQ_INT(v3[0], 0x06);
	CHECK_EQ_INT(v3[1], 3);
	CHECK_EQ_INT(v3[2], IMAEVM_HASH_SHA256);
	CHECK_EQ_INT(imaevm_verify_digest(ctx, ks, v3, len3, &d, NULL), 0);
	id[0] = 0x06;
	id[1] = IMAEVM_HASH_SHA256;
	memcpy(id + 2, d.value, 32);
	CHECK_EQ_INT(imaevm_digest_buf(ctx, id, sizeof(id), IMAEVM_HASH_SHA256, &other), 0);
	CHECK_EQ_INT(imaevm_file_id_digest(ctx, IMAEVM_XATTR_VERITY_DIGSIG, &d, &fid), 0);
	CHECK(fid.len == 32 && !memcmp(fid.value, other.value, 32));
	/* a v3 signature is not a v2 signature of the same digest */
	v3[0] = 0x03;
	v3[1] = 2;
	CHECK_EQ_INT(imaevm_verify_digest(ctx, ks, v3, len3, &d, NULL), -EKEYREJECTED);
	/* ... but it is one of the ima_file_id digest */
	CHECK_EQ_INT(imaevm_verify_digest(ctx, ks, v3, len3, &fid, NULL), 0);

	/* security.evm types: the same v2 layout, told apart by type and version */
	{
		static const int types[] = { IMAEVM_XATTR_DIGSIG, IMAEVM_XATTR_PORTABLE_DIGSIG,
					     IMAEVM_EVM_IMMUTABLE_DIGSIG };
		static const unsigned char hdr[][2] = { { 0x03, 2 }, { 0x05, 2 }, { 0x03, 3 } };
		struct imaevm_xattr_info info;
		unsigned char *e;
		size_t elen;
		unsigned int t;

		struct imaevm_digest sha1;

		CHECK_EQ_INT(imaevm_digest_buf(ctx, "evm", 3, IMAEVM_HASH_SHA256, &d), 0);
		CHECK_EQ_INT(imaevm_digest_buf(ctx, "evm", 3, IMAEVM_HASH_SHA1, &sha1), 0);
		CHECK_EQ_INT(imaevm_digest_buf(ctx, "evn", 3, IMAEVM_HASH_SHA256, &other), 0);
		for (t = 0; t < 3; t++) {
			CHECK_EQ_INT(imaevm_sign_xattr(ctx, key, &d, types[t], &e, &elen), 0);
			CHECK(e[0] == hdr[t][0] && e[1] == hdr[t][1] && e[2] == IMAEVM_HASH_SHA256);
			CHECK_EQ_INT(imaevm_evm_sig_parse(e, elen, &info), 0);
			CHECK_EQ_INT(info.type, types[t]);
			CHECK_EQ_INT(info.keyid, want);
			CHECK_EQ_INT(imaevm_evm_verify_sig(ctx, ks, e, elen, &d, &r), 0);
			CHECK_EQ_INT(r.keyid, want);
			CHECK_EQ_INT(imaevm_evm_verify_sig(ctx, ks, e, elen, &sha1, NULL),
				     -EINVAL);
			CHECK_EQ_INT(imaevm_evm_verify_sig(ctx, ks, e, elen, &other, NULL),
				     -EKEYREJECTED);
			e[elen - 1] ^= 1;
			CHECK_EQ_INT(imaevm_evm_verify_sig(ctx, ks, e, elen, &d, NULL),
				     -EKEYREJECTED);
			e[elen - 1] ^= 1;
			/* a security.ima verification takes only 0x03 v2 of these */
			CHECK_EQ_INT(imaevm_verify_digest(ctx, ks, e, elen, &d, NULL),
				     t == 0 ? 0 : -EBADMSG);
			imaevm_free(e);
		}
		/* sign_xattr v2/v3 are sign_digest's values */
		CHECK_EQ_INT(imaevm_sign_xattr(ctx, key, &d, IMAEVM_XATTR_VERITY_DIGSIG, &e, &elen), 0);
		CHECK(e[0] == 0x06 && e[1] == 3);
		CHECK_EQ_INT(imaevm_verify_digest(ctx, ks, e, elen, &d, NULL), 0);
		CHECK_EQ_INT(imaevm_evm_verify_sig(ctx, ks, e, elen, &d, NULL), -EBADMSG);
		imaevm_free(e);
		CHECK_EQ_INT(imaevm_sign_xattr(ctx, key, &d, IMAEVM_XATTR_HMAC, &e, &elen), -EINVAL);
		CHECK_EQ_INT(imaevm_sign_xattr(ctx, key, &d, IMAEVM_XATTR_DIGEST_NG, &e, &elen),
			     -EINVAL);
	}

	/* one key, one key set, four threads */
	for (i = 0; i < 4; i++) {
		ta[i] = (struct thread_arg){ .ctx = ctx, .key = key, .ks = ks };
		CHECK_EQ_INT(pthread_create(&th[i], NULL, sign_many, &ta[i]), 0);
	}
	for (i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		CHECK_EQ_INT(ta[i].failures, 0);
	}

	/* a key id override goes into the header */
	imaevm_signing_key_free(key);
	params.keyid_set = 1;
	params.keyid = 0x01020304;
	CHECK_EQ_INT(imaevm_signing_key_load(ctx, &params, &key), 0);
	imaevm_free(v);
	CHECK_EQ_INT(imaevm_sign_digest(ctx, key, &d, 2, &v, &len), 0);
	CHECK(v[3] == 1 && v[4] == 2 && v[5] == 3 && v[6] == 4);
	CHECK_EQ_INT(imaevm_verify_digest(ctx, ks, v, len, &d, NULL), -ENOKEY);

	imaevm_free(v);
	imaevm_free(v3);
	imaevm_signing_key_free(key);
	imaevm_keyset_free(ks);
	unlink(priv);
	unlink(pub);
}

/*
 * The kernel-first fs-verity digest on a file without fs-verity (the test
 * directory's filesystem): computed, and the same as imaevm_verity_digest_fd().
 */
static void test_verity_measure(struct imaevm_ctx *ctx)
{
	struct imaevm_digest a, b;
	enum imaevm_verity_source from = IMAEVM_VERITY_FROM_KERNEL;
	unsigned char buf[10000];
	char path[128];
	size_t i;
	int fd;

	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (unsigned char)(i * 7);
	sprintf(path, "%s/verity", dir);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	CHECK(fd >= 0);
	CHECK(write(fd, buf, sizeof(buf)) == (ssize_t)sizeof(buf));
	CHECK(lseek(fd, 0, SEEK_SET) == 0);
	CHECK_EQ_INT(imaevm_verity_digest_fd(ctx, fd, IMAEVM_HASH_SHA256, &a), 0);
	CHECK(lseek(fd, 0, SEEK_SET) == 0);
	CHECK_EQ_INT(imaevm_verity_measure_fd(ctx, fd, IMAEVM_HASH_SHA256,
					      IMAEVM_VERITY_KERNEL_FIRST, &b, &from), 0);
	CHECK_EQ_INT(from, IMAEVM_VERITY_COMPUTED);
	CHECK_EQ_INT(b.algo, IMAEVM_HASH_SHA256);
	CHECK(a.len == 32 && b.len == 32 && memcmp(a.value, b.value, 32) == 0);
	CHECK(lseek(fd, 0, SEEK_SET) == 0);
	CHECK_EQ_INT(imaevm_verity_measure_fd(ctx, fd, IMAEVM_HASH_SHA512, 0, &b, NULL), 0);
	CHECK_EQ_INT(b.len, 64);
	CHECK_EQ_INT(imaevm_verity_measure_fd(ctx, fd, IMAEVM_HASH_SHA1,
					      IMAEVM_VERITY_KERNEL_FIRST, &b, NULL), -EOPNOTSUPP);
	CHECK_EQ_INT(imaevm_verity_measure_fd(ctx, fd, IMAEVM_HASH_SHA256, 1u << 5, &b, NULL),
		     -EINVAL);
	close(fd);
	unlink(path);
}

int main(void)
{
	struct imaevm_ctx *ctx;
	struct imaevm_key_params params = { 0 };
	struct imaevm_signing_key *key = (void *)1;
	uint32_t kid;
	EVP_PKEY *pkey;
	char path[128];
	FILE *f;

	CHECK(mkdtemp(dir) != NULL);
	CHECK_EQ_INT(imaevm_ctx_new(&ctx), 0);

	CHECK_EQ_INT(imaevm_keyid_parse("0a0b0c0d", &kid), 0);
	CHECK_EQ_INT(kid, 0x0a0b0c0d);
	CHECK_EQ_INT(imaevm_keyid_parse("0xDEADBEEF", &kid), 0);
	CHECK_EQ_INT(kid, 0xdeadbeef);
	CHECK_EQ_INT(imaevm_keyid_parse("1", &kid), 0);
	CHECK_EQ_INT(kid, 1);
	CHECK_EQ_INT(imaevm_keyid_parse("123456789", &kid), -EINVAL);
	CHECK_EQ_INT(imaevm_keyid_parse("xyz", &kid), -EINVAL);
	CHECK_EQ_INT(imaevm_keyid_parse("", &kid), -EINVAL);

	pkey = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
	CHECK(pkey != NULL);
	check_key(ctx, pkey, "rsa", true);
	EVP_PKEY_free(pkey);
	pkey = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-384");
	CHECK(pkey != NULL);
	check_key(ctx, pkey, "ec", false);
	EVP_PKEY_free(pkey);

	/* not a key; a missing file; a type other than RSA/EC */
	sprintf(path, "%s/junk", dir);
	f = fopen(path, "w");
	fputs("not a key\n", f);
	fclose(f);
	params.path = path;
	CHECK_EQ_INT(imaevm_signing_key_load(ctx, &params, &key), -EBADMSG);
	CHECK(key == (void *)1);
	params.path = "/nonexistent/key.pem";
	CHECK_EQ_INT(imaevm_signing_key_load(ctx, &params, &key), -ENOENT);
	pkey = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	if (pkey) {
		char priv[128], pub[128];

		write_keys(pkey, "ed", priv, pub);
		params.path = priv;
		CHECK_EQ_INT(imaevm_signing_key_load(ctx, &params, &key), -EOPNOTSUPP);
		unlink(priv);
		unlink(pub);
		EVP_PKEY_free(pkey);
	}
	unlink(path);
	test_verity_measure(ctx);
	rmdir(dir);
	imaevm_signing_key_free(NULL);
	imaevm_keyset_free(NULL);
	imaevm_ctx_free(ctx);
	return unit_done("test-sign");
}
