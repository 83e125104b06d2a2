// SPDX-License-Identifier: GPL-2.0-or-later
/* test-quote.c - TPM 2.0 quote parsing, PCR digest and signature checks on structures built here by the spec's layout. */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "imaevm.h"
#include "unit.h"

static size_t be(unsigned char *p, uint64_t v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (unsigned char)(v >> (8 * (n - 1 - i)));
	return n;
}

/*
 * TPMS_ATTEST (Part 2, 10.12.12): magic, type, qualifiedSigner, extraData,
 * clockInfo, firmwareVersion, TPMS_QUOTE_INFO (TPML_PCR_SELECTION, pcrDigest).
 */
static size_t make_quote(unsigned char *p, uint16_t type, const unsigned char *nonce,
			 size_t nlen, uint32_t sel, size_t sel_size, const unsigned char *digest)
{
	size_t n = 0;

	n += be(p + n, 0xff544347, 4);
	n += be(p + n, type, 2);
	n += be(p + n, 2, 2);				/* qualifiedSigner: 2 bytes */
	n += be(p + n, 0xabcd, 2);
	n += be(p + n, nlen, 2);
	memcpy(p + n, nonce, nlen);
	n += nlen;
	n += be(p + n, 0x1122334455667788ull, 8);	/* clock */
	n += be(p + n, 7, 4);				/* resetCount */
	n += be(p + n, 9, 4);				/* restartCount */
	n += be(p + n, 1, 1);				/* safe */
	n += be(p + n, 0x0102030405060708ull, 8);	/* firmwareVersion */
	n += be(p + n, 1, 4);				/* one bank */
	n += be(p + n, 0x000b, 2);			/* sha256 */
	n += be(p + n, sel_size, 1);
	n += be(p + n, sel, sel_size);			/* byte i: PCRs 8i..8i+7, bit 0 first */
	n += be(p + n, 32, 2);
	memcpy(p + n, digest, 32);
	return n + 32;
}

int main(void)
{
	unsigned char q[512], nonce[5] = { 0, 0x11, 0x22, 0x33, 0x44 }, dg[32];
	unsigned char sig[600], pub[600], nb[512];
	struct imaevm_ctx *ctx;
	struct imaevm_quote quote;
	struct imaevm_pcrs pcrs = { 0 };
	struct imaevm_pcr_bank *b;
	struct imaevm_digest d;
	EVP_PKEY *pkey = NULL;
	EVP_PKEY_CTX *kc;
	BIGNUM *nbn = NULL;
	size_t qlen, slen, plen, siglen, nlen;
	unsigned int dlen;
	int algo = -1;
	char *pem;
	long pemlen;
	BIO *bio;

	CHECK_EQ_INT(imaevm_ctx_new(&ctx), 0);
	/* PCRs 0, 1 and 10 of sha256: bytes 03 04 00 */
	b = imaevm_pcrs_bank(&pcrs, IMAEVM_HASH_SHA256, 1);
	memset(b->pcr[0], 0x10, 32);
	memset(b->pcr[1], 0x11, 32);
	memset(b->pcr[10], 0xaa, 32);
	b->valid = 1u << 0 | 1u << 1 | 1u << 10;
	{
		unsigned char cat[96];

		memcpy(cat, b->pcr[0], 32);
		memcpy(cat + 32, b->pcr[1], 32);
		memcpy(cat + 64, b->pcr[10], 32);
		EVP_Digest(cat, sizeof(cat), dg, &dlen, EVP_sha256(), NULL);
	}
	qlen = make_quote(q, 0x8018, nonce, sizeof(nonce), 0x030400, 3, dg);

	CHECK_EQ_INT(imaevm_quote_parse(q, qlen, &quote), 0);
	CHECK_EQ_INT(quote.magic, IMAEVM_QUOTE_MAGIC);
	CHECK_EQ_INT(quote.type, 0x8018);
	CHECK_EQ_INT(quote.extra_len, 5);
	CHECK(!memcmp(quote.extra_data, nonce, 5));
	CHECK_EQ_INT(quote.clock, 0x1122334455667788ull);
	CHECK_EQ_INT(quote.reset_count, 7);
	CHECK_EQ_INT(quote.restart_count, 9);
	CHECK_EQ_INT(quote.safe, 1);
	CHECK_EQ_INT(quote.firmware_version, 0x0102030405060708ull);
	CHECK_EQ_INT(quote.n_sel, 1);
	CHECK_EQ_INT(quote.sel[0].algo, IMAEVM_HASH_SHA256);
	CHECK_EQ_INT(quote.sel[0].pcrs, 1u << 0 | 1u << 1 | 1u << 10);
	CHECK_EQ_INT(quote.pcr_digest_len, 32);

	/* the digest of the PCR values, in selection order */
	CHECK_EQ_INT(imaevm_quote_pcr_digest(ctx, &quote, &pcrs, IMAEVM_HASH_SHA256, &d), 0);
	CHECK_EQ_INT(d.len, 32);
	CHECK(!memcmp(d.value, quote.pcr_digest, 32));
	b->valid &= ~(1u << 10);
	CHECK_EQ_INT(imaevm_quote_pcr_digest(ctx, &quote, &pcrs, IMAEVM_HASH_SHA256, &d), -ENOENT);
	b->valid |= 1u << 10;

	/* malformed: truncated, trailing byte, not a quote, PCR 24 */
	CHECK_EQ_INT(imaevm_quote_parse(q, qlen - 1, &quote), -EBADMSG);
	CHECK_EQ_INT(imaevm_quote_parse(q, 10, &quote), -EBADMSG);
	q[qlen] = 0;
	CHECK_EQ_INT(imaevm_quote_parse(q, qlen + 1, &quote), -EBADMSG);
	qlen = make_quote(q, 0x8017, nonce, sizeof(nonce), 0x030400, 3, dg);
	CHECK_EQ_INT(imaevm_quote_parse(q, qlen, &quote), -EBADMSG);
	qlen = make_quote(q, 0x8018, nonce, sizeof(nonce), 0x03040001, 4, dg);
	CHECK_EQ_INT(imaevm_quote_parse(q, qlen, &quote), -EBADMSG);
	CHECK_EQ_INT(imaevm_quote_parse(NULL, qlen, &quote), -EINVAL);
	qlen = make_quote(q, 0x8018, nonce, sizeof(nonce), 0x030400, 3, dg);

	/* an RSASSA signature made with OpenSSL, checked with the key as PEM and as TPM2B_PUBLIC */
	kc = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL);
	CHECK(kc && EVP_PKEY_keygen_init(kc) > 0 && EVP_PKEY_CTX_set_rsa_keygen_bits(kc, 2048) > 0 &&
	      EVP_PKEY_keygen(kc, &pkey) > 0);
	EVP_PKEY_CTX_free(kc);
	EVP_Digest(q, qlen, dg, &dlen, EVP_sha256(), NULL);
	kc = EVP_PKEY_CTX_new(pkey, NULL);
	siglen = sizeof(sig) - 6;
	CHECK(EVP_PKEY_sign_init(kc) > 0 && EVP_PKEY_CTX_set_rsa_padding(kc, RSA_PKCS1_PADDING) > 0 &&
	      EVP_PKEY_CTX_set_signature_md(kc, EVP_sha256()) > 0 &&
	      EVP_PKEY_sign(kc, sig + 6, &siglen, dg, 32) > 0);
	EVP_PKEY_CTX_free(kc);
	slen = be(sig, 0x0014, 2);			/* TPM_ALG_RSASSA */
	slen += be(sig + slen, 0x000b, 2);		/* sha256 */
	slen += be(sig + slen, siglen, 2) + siglen;

	bio = BIO_new(BIO_s_mem());
	CHECK(PEM_write_bio_PUBKEY(bio, pkey) == 1);
	pemlen = BIO_get_mem_data(bio, &pem);
	CHECK_EQ_INT(imaevm_quote_verify_signature(ctx, q, qlen, sig, slen, pem, (size_t)pemlen,
						   &algo), 0);
	CHECK_EQ_INT(algo, IMAEVM_HASH_SHA256);
	{
		/* a certificate of the AK (self-signed here) works as well */
		X509 *cert = X509_new();
		BIO *cb = BIO_new(BIO_s_mem());
		char *cpem;
		long cl;

		CHECK(cert && cb && X509_set_pubkey(cert, pkey) == 1 &&
		      ASN1_INTEGER_set(X509_get_serialNumber(cert), 1) == 1 &&
		      X509_gmtime_adj(X509_getm_notBefore(cert), 0) &&
		      X509_gmtime_adj(X509_getm_notAfter(cert), 3600) &&
		      X509_sign(cert, pkey, EVP_sha256()) > 0 && PEM_write_bio_X509(cb, cert) == 1);
		cl = BIO_get_mem_data(cb, &cpem);
		CHECK_EQ_INT(imaevm_quote_verify_signature(ctx, q, qlen, sig, slen, cpem,
							   (size_t)cl, NULL), 0);
		X509_free(cert);
		BIO_free(cb);
	}

	/* TPM2B_PUBLIC (Part 2, 12.2.5): type, nameAlg, attributes, authPolicy, RSA parms, unique */
	CHECK(EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_RSA_N, &nbn) == 1);
	nlen = (size_t)BN_bn2bin(nbn, nb);
	plen = 2;
	plen += be(pub + plen, 0x0001, 2);		/* TPM_ALG_RSA */
	plen += be(pub + plen, 0x000b, 2);		/* nameAlg sha256 */
	plen += be(pub + plen, 0x00050072, 4);		/* objectAttributes */
	plen += be(pub + plen, 0, 2);			/* authPolicy */
	plen += be(pub + plen, 0x0010, 2);		/* symmetric: TPM_ALG_NULL */
	plen += be(pub + plen, 0x0014, 2);		/* scheme: RSASSA */
	plen += be(pub + plen, 0x000b, 2);		/*   sha256 */
	plen += be(pub + plen, 2048, 2);		/* keyBits */
	plen += be(pub + plen, 0, 4);			/* exponent: default 65537 */
	plen += be(pub + plen, nlen, 2);
	memcpy(pub + plen, nb, nlen);
	plen += nlen;
	be(pub, plen - 2, 2);
	CHECK_EQ_INT(imaevm_quote_verify_signature(ctx, q, qlen, sig, slen, pub, plen, NULL), 0);
	/* the bare TPMT_PUBLIC works too; a trailing byte does not */
	CHECK_EQ_INT(imaevm_quote_verify_signature(ctx, q, qlen, sig, slen, pub + 2, plen - 2, NULL), 0);
	CHECK_EQ_INT(imaevm_quote_verify_signature(ctx, q, qlen, sig, slen, pub + 2, plen - 1, NULL),
		     -EBADMSG);

	/* a changed quote, a changed signature: rejected */
	q[20] ^= 1;
	CHECK_EQ_INT(imaevm_quote_verify_signature(ctx, q, qlen, sig, slen, pub, plen, NULL),
		     -EKEYREJECTED);
	q[20] ^= 1;
	sig[slen - 1] ^= 1;
	CHECK_EQ_INT(imaevm_quote_verify_signature(ctx, q, qlen, sig, slen, pub, plen, NULL),
		     -EKEYREJECTED);
	sig[slen - 1] ^= 1;
	/* an ECDSA signature for an RSA key; an HMAC signature; a truncated one */
	be(sig, 0x0018, 2);
	CHECK(imaevm_quote_verify_signature(ctx, q, qlen, sig, slen, pub, plen, NULL) < 0);
	be(sig, 0x0005, 2);
	CHECK_EQ_INT(imaevm_quote_verify_signature(ctx, q, qlen, sig, slen, pub, plen, NULL),
		     -EOPNOTSUPP);
	be(sig, 0x0014, 2);
	CHECK_EQ_INT(imaevm_quote_verify_signature(ctx, q, qlen, sig, slen - 1, pub, plen, NULL),
		     -EBADMSG);
	CHECK_EQ_INT(imaevm_quote_verify_signature(ctx, q, qlen, sig, slen, "junk", 4, NULL),
		     -EBADMSG);

	BN_free(nbn);
	BIO_free(bio);
	EVP_PKEY_free(pkey);
	imaevm_ctx_free(ctx);
	return unit_done("test-quote");
}
