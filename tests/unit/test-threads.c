// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test-threads.c - 8 threads sign and verify at once, each with its own
 * context, sharing the signing keys and one read-only key set; every value
 * is checked in the thread and again afterwards with OpenSSL directly.
 * Built into THREAD_TESTS: CI runs it under ThreadSanitizer.
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "imaevm.h"
#include "unit.h"

#define NTHREADS 8
#define ROUNDS 24

static char dir[] = "/tmp/test-threads.XXXXXX";

struct shared {
	const struct imaevm_signing_key *key[2];	/* RSA, EC */
	uint32_t keyid[2];
	const struct imaevm_keyset *ks;
};

struct result {
	unsigned char *value;
	size_t len;
	struct imaevm_digest digest;	/* what was signed (v2) */
	int key;
	int sign_err, verify_err, tampered_err, wrong_err;
	uint32_t keyid;
};

struct worker {
	const struct shared *sh;
	int id;
	unsigned long log_lines;	/* this thread's own log callback count */
	struct result res[ROUNDS];
	int failures;
};

static void count_log(void *opaque, int priority, const char *msg)
{
	struct worker *w = opaque;

	(void)priority;
	(void)msg;
	w->log_lines++;
}

static void *work(void *p)
{
	struct worker *w = p;
	struct imaevm_ctx *ctx;
	char buf[64];
	int r;

	if (imaevm_ctx_new(&ctx)) {
		w->failures++;
		return NULL;
	}
	imaevm_ctx_set_log(ctx, count_log, w, LOG_DEBUG);
	for (r = 0; r < ROUNDS; r++) {
		struct result *res = &w->res[r];
		struct imaevm_digest other;
		struct imaevm_verify_result vr;
		int algo = (r % 3 == 0) ? IMAEVM_HASH_SHA512 : IMAEVM_HASH_SHA256;
		int n = snprintf(buf, sizeof(buf), "thread %d round %d", w->id, r);

		res->key = (w->id + r) % 2;
		if (imaevm_digest_buf(ctx, buf, (size_t)n, algo, &res->digest)) {
			w->failures++;
			continue;
		}
		res->sign_err = imaevm_sign_digest(ctx, w->sh->key[res->key], &res->digest, 2,
						   &res->value, &res->len);
		if (res->sign_err)
			continue;
		memset(&vr, 0, sizeof(vr));
		res->verify_err = imaevm_verify_digest(ctx, w->sh->ks, res->value, res->len,
						       &res->digest, &vr);
		res->keyid = vr.keyid;
		/* the digest of another round must be refused */
		other = res->digest;
		other.value[0] ^= 0x80;
		res->tampered_err = imaevm_verify_digest(ctx, w->sh->ks, res->value, res->len,
							 &other, NULL);
		/* a digest of the wrong algorithm is a usage error */
		other.algo = algo == IMAEVM_HASH_SHA256 ? IMAEVM_HASH_SHA512 : IMAEVM_HASH_SHA256;
		other.len = (size_t)imaevm_hash_algo_size(other.algo);
		res->wrong_err = imaevm_verify_digest(ctx, w->sh->ks, res->value, res->len,
						      &other, NULL);
	}
	imaevm_ctx_free(ctx);
	return NULL;
}

static void write_pair(EVP_PKEY *pkey, const char *name, char *priv, char *pub)
{
	FILE *f;

	sprintf(priv, "%s/%s.pem", dir, name);
	sprintf(pub, "%s/%s.pub", dir, name);
	f = fopen(priv, "w");
	CHECK(f && PEM_write_PrivateKey(f, pkey, NULL, NULL, 0, NULL, NULL));
	if (f)
		fclose(f);
	f = fopen(pub, "w");
	CHECK(f && PEM_write_PUBKEY(f, pkey));
	if (f)
		fclose(f);
}

/* The signature checked by OpenSSL alone: header fields, then EVP_PKEY_verify. */
static int ossl_check(EVP_PKEY *pkey, uint32_t keyid, const struct result *res)
{
	const unsigned char *v = res->value;
	EVP_PKEY_CTX *pctx;
	const EVP_MD *md;
	int ok;

	if (res->len < 9 || v[0] != 0x03 || v[1] != 2 || v[2] != res->digest.algo ||
	    ((uint32_t)v[3] << 24 | (uint32_t)v[4] << 16 | (uint32_t)v[5] << 8 | v[6]) != keyid ||
	    ((size_t)v[7] << 8 | v[8]) != res->len - 9)
		return 0;
	md = res->digest.algo == IMAEVM_HASH_SHA256 ? EVP_sha256() : EVP_sha512();
	pctx = EVP_PKEY_CTX_new(pkey, NULL);
	ok = pctx && EVP_PKEY_verify_init(pctx) > 0 &&
	     EVP_PKEY_CTX_set_signature_md(pctx, md) > 0 &&
	     EVP_PKEY_verify(pctx, v + 9, res->len - 9, res->digest.value, res->digest.len) == 1;
	EVP_PKEY_CTX_free(pctx);
	return ok;
}

int main(void)
{
	static struct worker w[NTHREADS];
	struct imaevm_signing_key *key[2] = { NULL, NULL };
	struct imaevm_keyset *ks = NULL;
	struct imaevm_ctx *ctx = NULL;
	struct shared sh;
	pthread_t th[NTHREADS];
	EVP_PKEY *pkey[2];
	char priv[2][128], pub[2][128];
	int i, r, k;

	CHECK(mkdtemp(dir) != NULL);
	pkey[0] = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
	pkey[1] = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "prime256v1");
	CHECK(pkey[0] && pkey[1]);
	if (!pkey[0] || !pkey[1])
		return unit_done("test-threads");
	write_pair(pkey[0], "rsa", priv[0], pub[0]);
	write_pair(pkey[1], "ec", priv[1], pub[1]);

	CHECK_EQ_INT(imaevm_ctx_new(&ctx), 0);
	CHECK_EQ_INT(imaevm_keyset_new(&ks), 0);
	for (k = 0; k < 2; k++) {
		struct imaevm_key_params kp = { .path = priv[k] };

		CHECK_EQ_INT(imaevm_signing_key_load(ctx, &kp, &key[k]), 0);
		CHECK_EQ_INT(imaevm_keyset_add_file(ctx, ks, pub[k]), 1);
		sh.key[k] = key[k];
		sh.keyid[k] = imaevm_signing_key_id(key[k]);
	}
	CHECK(sh.keyid[0] != sh.keyid[1]);
	sh.ks = ks;
	if (!key[0] || !key[1])
		return unit_done("test-threads");

	for (i = 0; i < NTHREADS; i++) {
		w[i].sh = &sh;
		w[i].id = i;
		CHECK_EQ_INT(pthread_create(&th[i], NULL, work, &w[i]), 0);
	}
	for (i = 0; i < NTHREADS; i++)
		pthread_join(th[i], NULL);

	for (i = 0; i < NTHREADS; i++) {
		CHECK_EQ_INT(w[i].failures, 0);
		for (r = 0; r < ROUNDS; r++) {
			struct result *res = &w[i].res[r];

			CHECK_EQ_INT(res->sign_err, 0);
			CHECK_EQ_INT(res->verify_err, 0);
			CHECK_EQ_INT(res->keyid, sh.keyid[res->key]);
			CHECK_EQ_INT(res->tampered_err, -EKEYREJECTED);
			CHECK_EQ_INT(res->wrong_err, -EINVAL);
			CHECK(res->value && ossl_check(pkey[res->key], sh.keyid[res->key], res));
			/* the other key's id is not the one in the value */
			CHECK(!res->value || !ossl_check(pkey[!res->key], sh.keyid[!res->key], res));
			imaevm_free(res->value);
		}
	}
	/* every round of every thread was checked, by the library and by OpenSSL */
	printf("%d threads x %d rounds signed and verified\n", NTHREADS, ROUNDS);

	imaevm_signing_key_free(key[0]);
	imaevm_signing_key_free(key[1]);
	imaevm_keyset_free(ks);
	imaevm_ctx_free(ctx);
	EVP_PKEY_free(pkey[0]);
	EVP_PKEY_free(pkey[1]);
	for (k = 0; k < 2; k++) {
		unlink(priv[k]);
		unlink(pub[k]);
	}
	rmdir(dir);
	return unit_done("test-threads");
}
