// SPDX-License-Identifier: LGPL-2.1-or-later
/* quote.c - TPM 2.0 quotes: parse TPMS_ATTEST, check its signature with the AK, PCR digest. */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "internal.h"

/* TPM 2.0 Part 2 constants used here. */
#define TPM_ST_ATTEST_QUOTE	0x8018
#define TPM_ALG_RSA		0x0001
#define TPM_ALG_NULL		0x0010
#define TPM_ALG_RSASSA		0x0014
#define TPM_ALG_RSAPSS		0x0016
#define TPM_ALG_ECDSA		0x0018
#define TPM_ALG_ECDAA		0x001a
#define TPM_ALG_RSAES		0x0015
#define TPM_ALG_ECC		0x0023

/* Big-endian reader over a buffer; any overrun sets @bad and reads zeros. */
struct rd {
	const unsigned char *p;
	size_t len, pos;
	bool bad;
};

static const unsigned char *rd_bytes(struct rd *r, size_t n)
{
	const unsigned char *p;

	if (r->bad || n > r->len - r->pos) {
		r->bad = true;
		return NULL;
	}
	p = r->p + r->pos;
	r->pos += n;
	return p;
}

static uint64_t rd_be(struct rd *r, size_t n)
{
	const unsigned char *p = rd_bytes(r, n);
	uint64_t v = 0;
	size_t i;

	for (i = 0; p && i < n; i++)
		v = (v << 8) | p[i];
	return v;
}

/* A TPM2B: 16-bit size, then the bytes. */
static const unsigned char *rd_tpm2b(struct rd *r, size_t *n)
{
	*n = (size_t)rd_be(r, 2);
	return rd_bytes(r, *n);
}

IMAEVM_EXPORT int imaevm_quote_parse(const void *buf, size_t len,
				     struct imaevm_quote *quote)
{
	struct rd r = { .p = buf, .len = len };
	struct imaevm_quote q;
	const unsigned char *p;
	size_t n;
	uint32_t i, j;

	if (!buf || !quote)
		return -EINVAL;
	memset(&q, 0, sizeof(q));
	q.magic = (uint32_t)rd_be(&r, 4);
	q.type = (unsigned int)rd_be(&r, 2);
	if (r.bad || q.type != TPM_ST_ATTEST_QUOTE)
		return -EBADMSG;
	rd_tpm2b(&r, &n);			/* qualifiedSigner */
	p = rd_tpm2b(&r, &n);			/* extraData */
	if (n > sizeof(q.extra_data))
		return -EBADMSG;
	if (p)
		memcpy(q.extra_data, p, n);
	q.extra_len = n;
	q.clock = rd_be(&r, 8);
	q.reset_count = (uint32_t)rd_be(&r, 4);
	q.restart_count = (uint32_t)rd_be(&r, 4);
	q.safe = (int)rd_be(&r, 1);
	q.firmware_version = rd_be(&r, 8);
	q.n_sel = (unsigned int)rd_be(&r, 4);	/* TPML_PCR_SELECTION */
	if (q.n_sel > IMAEVM_MAX_BANKS)
		return -EBADMSG;
	for (i = 0; i < q.n_sel && !r.bad; i++) {
		unsigned int size;

		q.sel[i].tpm_alg = (unsigned int)rd_be(&r, 2);
		q.sel[i].algo = imaevm_hash_algo_by_tpm_id(q.sel[i].tpm_alg);
		size = (unsigned int)rd_be(&r, 1);
		p = rd_bytes(&r, size);
		for (j = 0; p && j < size * 8; j++) {
			if (!(p[j / 8] & (1u << (j % 8))))
				continue;
			if (j >= IMAEVM_NUM_PCRS)
				return -EBADMSG;
			q.sel[i].pcrs |= 1u << j;
		}
	}
	p = rd_tpm2b(&r, &n);			/* pcrDigest */
	if (r.bad || n > sizeof(q.pcr_digest) || r.pos != len)
		return -EBADMSG;
	memcpy(q.pcr_digest, p, n);
	q.pcr_digest_len = n;
	*quote = q;
	return 0;
}

IMAEVM_EXPORT int imaevm_quote_pcr_digest(struct imaevm_ctx *ctx,
					  const struct imaevm_quote *quote,
					  const struct imaevm_pcrs *pcrs, int algo,
					  struct imaevm_digest *out)
{
	const EVP_MD *md;
	EVP_MD_CTX *mc;
	struct imaevm_digest d = { .algo = algo };
	unsigned int i, j, k, dlen = 0;
	int err = 0;

	if (!ctx || !quote || !pcrs || !out)
		return -EINVAL;
	if (!(md = imaevm_md_get(ctx, algo)))
		return -EOPNOTSUPP;
	for (i = 0; i < quote->n_sel; i++) {
		const struct imaevm_pcr_bank *b = NULL;

		for (k = 0; k < pcrs->n_banks; k++)
			if (quote->sel[i].algo >= 0 && pcrs->bank[k].algo == quote->sel[i].algo)
				b = &pcrs->bank[k];
		if (quote->sel[i].pcrs && (!b || (b->valid & quote->sel[i].pcrs) !=
					   quote->sel[i].pcrs))
			return -ENOENT;
	}
	if (!(mc = EVP_MD_CTX_new()))
		return -ENOMEM;
	if (!EVP_DigestInit_ex(mc, md, NULL))
		err = -EOPNOTSUPP;
	/* selection order: banks as listed, PCRs ascending */
	for (i = 0; !err && i < quote->n_sel; i++) {
		const struct imaevm_pcr_bank *b = NULL;
		int size = imaevm_hash_algo_size(quote->sel[i].algo);

		for (k = 0; k < pcrs->n_banks; k++)
			if (pcrs->bank[k].algo == quote->sel[i].algo)
				b = &pcrs->bank[k];
		for (j = 0; b && j < IMAEVM_NUM_PCRS && !err; j++)
			if ((quote->sel[i].pcrs & (1u << j)) &&
			    !EVP_DigestUpdate(mc, b->pcr[j], (size_t)size))
				err = -EOPNOTSUPP;
	}
	if (!err && !EVP_DigestFinal_ex(mc, d.value, &dlen))
		err = -EOPNOTSUPP;
	EVP_MD_CTX_free(mc);
	if (err) {
		imaevm_log_ossl(ctx, LOG_INFO, "quote PCR digest");
		return err;
	}
	d.len = dlen;
	*out = d;
	return 0;
}

/* OpenSSL key from n and e (RSA) or a curve and a point (ECC). */
static EVP_PKEY *pkey_fromdata(struct imaevm_ctx *ctx, const char *type,
			       OSSL_PARAM_BLD *bld)
{
	OSSL_PARAM *params = OSSL_PARAM_BLD_to_param(bld);
	EVP_PKEY_CTX *pc = EVP_PKEY_CTX_new_from_name(ctx->libctx, type, ctx->propq);
	EVP_PKEY *pkey = NULL;

	if (!params || !pc || EVP_PKEY_fromdata_init(pc) <= 0 ||
	    EVP_PKEY_fromdata(pc, &pkey, EVP_PKEY_PUBLIC_KEY, params) <= 0)
		pkey = NULL;
	EVP_PKEY_CTX_free(pc);
	OSSL_PARAM_free(params);
	return pkey;
}

/* OpenSSL's name and the coordinate size of a TPM_ECC_CURVE. */
static const char *tpm_curve_name(unsigned int id, size_t *size)
{
	switch (id) {
	case 0x0001: *size = 24; return "P-192";
	case 0x0002: *size = 28; return "P-224";
	case 0x0003: *size = 32; return "P-256";
	case 0x0004: *size = 48; return "P-384";
	case 0x0005: *size = 66; return "P-521";
	case 0x0020: *size = 32; return "SM2";
	default: return NULL;
	}
}

/* TPMT_PUBLIC (after the TPM2B_PUBLIC size) of an RSA or ECC key. */
static int pkey_from_tpmt_public(struct imaevm_ctx *ctx, struct rd *r, EVP_PKEY **out)
{
	unsigned int type, scheme, sym;
	OSSL_PARAM_BLD *bld;
	const unsigned char *p;
	size_t n;
	int err = -EBADMSG;

	type = (unsigned int)rd_be(r, 2);
	rd_be(r, 2);				/* nameAlg */
	rd_be(r, 4);				/* objectAttributes */
	rd_tpm2b(r, &n);			/* authPolicy */
	sym = (unsigned int)rd_be(r, 2);	/* TPMT_SYM_DEF_OBJECT */
	if (sym != TPM_ALG_NULL)
		rd_be(r, 4);			/* keyBits, mode */
	scheme = (unsigned int)rd_be(r, 2);
	if (r->bad)
		return -EBADMSG;
	if (!(bld = OSSL_PARAM_BLD_new()))
		return -ENOMEM;
	if (type == TPM_ALG_RSA) {
		BIGNUM *nb, *eb;
		uint32_t exp;

		if (scheme != TPM_ALG_NULL && scheme != TPM_ALG_RSAES)
			rd_be(r, 2);		/* scheme hashAlg */
		rd_be(r, 2);			/* keyBits */
		exp = (uint32_t)rd_be(r, 4);
		p = rd_tpm2b(r, &n);		/* unique: the modulus */
		if (!p || !n)
			goto out;
		nb = BN_bin2bn(p, (int)n, NULL);
		eb = BN_new();
		if (nb && eb && BN_set_word(eb, exp ? exp : 65537) &&
		    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, nb) &&
		    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, eb))
			*out = pkey_fromdata(ctx, "RSA", bld);
		BN_free(nb);
		BN_free(eb);
	} else if (type == TPM_ALG_ECC) {
		unsigned char point[1 + 2 * 66];
		const unsigned char *x, *y;
		const char *curve;
		size_t xn, yn, fn = 0;
		unsigned int kdf;

		if (scheme != TPM_ALG_NULL)
			rd_be(r, scheme == TPM_ALG_ECDAA ? 4 : 2);
		curve = tpm_curve_name((unsigned int)rd_be(r, 2), &fn);
		kdf = (unsigned int)rd_be(r, 2);
		if (kdf != TPM_ALG_NULL)
			rd_be(r, 2);
		x = rd_tpm2b(r, &xn);
		y = rd_tpm2b(r, &yn);
		if (!x || !y || !xn || !yn)
			goto out;
		if (!curve) {
			err = -EOPNOTSUPP;
			goto out;
		}
		if (xn > fn || yn > fn)
			goto out;
		/* uncompressed point; coordinates left-padded to the field size */
		memset(point, 0, sizeof(point));
		point[0] = 0x04;
		memcpy(point + 1 + fn - xn, x, xn);
		memcpy(point + 1 + 2 * fn - yn, y, yn);
		if (OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, curve, 0) &&
		    OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point, 1 + 2 * fn))
			*out = pkey_fromdata(ctx, "EC", bld);
	} else {
		imaevm_log(ctx, LOG_INFO, "AK: key type 0x%04x is neither RSA nor ECC", type);
		err = -EOPNOTSUPP;
		goto out;
	}
	err = *out ? 0 : -EBADMSG;
	if (err)
		imaevm_log_ossl(ctx, LOG_INFO, "AK public key");
out:
	OSSL_PARAM_BLD_free(bld);
	return err;
}

/* The AK: PEM or DER SubjectPublicKeyInfo, TPM2B_PUBLIC, or TPMT_PUBLIC. */
static int load_ak(struct imaevm_ctx *ctx, const unsigned char *ak, size_t len,
		   EVP_PKEY **out)
{
	struct rd r = { .p = ak, .len = len };
	const unsigned char *der = ak;
	int err;

	*out = NULL;
	if (len > 11 && !memcmp(ak, "-----BEGIN ", 11)) {
		BIO *bio = BIO_new_mem_buf(ak, (int)len);

		if (bio && len > 27 && !memcmp(ak, "-----BEGIN CERTIFICATE-----", 27)) {
			X509 *cert = PEM_read_bio_X509(bio, NULL, NULL, NULL);

			*out = cert ? X509_get_pubkey(cert) : NULL;
			X509_free(cert);
		} else if (bio) {
			*out = PEM_read_bio_PUBKEY_ex(bio, NULL, NULL, NULL,
						      ctx->libctx, ctx->propq);
		}
		BIO_free(bio);
		if (!*out)
			imaevm_log_ossl(ctx, LOG_INFO, "AK: PEM public key");
		return *out ? 0 : -EBADMSG;
	}
	if (len > 2 && ak[0] == 0x30) {
		*out = d2i_PUBKEY_ex(NULL, &der, (long)len, ctx->libctx, ctx->propq);
		if (*out)
			return 0;
	}
	/* TPM2B_PUBLIC: the size covers the rest; else a bare TPMT_PUBLIC */
	if (len >= 2 && ((size_t)ak[0] << 8 | ak[1]) == len - 2)
		r.pos = 2;
	err = pkey_from_tpmt_public(ctx, &r, out);
	if (!err && r.pos != len) {
		EVP_PKEY_free(*out);
		*out = NULL;
		err = -EBADMSG;
	}
	if (err == -EBADMSG)
		imaevm_log(ctx, LOG_INFO, "AK: neither a PEM/DER public key nor a TPM2B_PUBLIC");
	return err;
}

/* ECDSA r and s as the DER structure OpenSSL verifies. */
static int ecdsa_der(const unsigned char *rv, size_t rn, const unsigned char *sv,
		     size_t sn, unsigned char **der, int *der_len)
{
	ECDSA_SIG *es = ECDSA_SIG_new();
	BIGNUM *br = BN_bin2bn(rv, (int)rn, NULL), *bs = BN_bin2bn(sv, (int)sn, NULL);
	int err = -ENOMEM;

	*der = NULL;
	if (es && br && bs && ECDSA_SIG_set0(es, br, bs)) {
		br = bs = NULL;
		*der_len = i2d_ECDSA_SIG(es, der);
		err = *der_len > 0 ? 0 : -ENOMEM;
	}
	BN_free(br);
	BN_free(bs);
	ECDSA_SIG_free(es);
	return err;
}

IMAEVM_EXPORT int imaevm_quote_verify_signature(struct imaevm_ctx *ctx,
						const void *attest, size_t attest_len,
						const void *sig, size_t sig_len,
						const void *ak, size_t ak_len,
						int *hash_algo)
{
	struct rd r = { .p = sig, .len = sig_len };
	unsigned char dv[EVP_MAX_MD_SIZE], *der = NULL;
	const unsigned char *sv, *rv = NULL;
	unsigned int sig_alg, dlen = 0;
	size_t sn, rn = 0;
	int algo, der_len = 0, err, rc;
	EVP_PKEY_CTX *pc = NULL;
	EVP_PKEY *pkey = NULL;
	const EVP_MD *md;

	if (!ctx || !attest || !sig || !ak)
		return -EINVAL;
	sig_alg = (unsigned int)rd_be(&r, 2);	/* TPMT_SIGNATURE */
	algo = imaevm_hash_algo_by_tpm_id((unsigned int)rd_be(&r, 2));
	if (sig_alg == TPM_ALG_ECDSA) {
		rv = rd_tpm2b(&r, &rn);
		sv = rd_tpm2b(&r, &sn);
	} else {
		sv = rd_tpm2b(&r, &sn);
	}
	if (r.bad || r.pos != sig_len || !sv) {
		imaevm_log(ctx, LOG_INFO, "quote signature: not a TPMT_SIGNATURE");
		return -EBADMSG;
	}
	if (sig_alg != TPM_ALG_RSASSA && sig_alg != TPM_ALG_RSAPSS &&
	    sig_alg != TPM_ALG_ECDSA) {
		imaevm_log(ctx, LOG_INFO, "quote signature: scheme 0x%04x not supported "
			   "(RSASSA, RSAPSS, ECDSA)", sig_alg);
		return -EOPNOTSUPP;
	}
	if (algo < 0 || !(md = imaevm_md_get(ctx, algo)))
		return -EOPNOTSUPP;
	if ((err = load_ak(ctx, ak, ak_len, &pkey)))
		return err;
	if (!EVP_Digest(attest, attest_len, dv, &dlen, md, NULL)) {
		err = -EOPNOTSUPP;
		goto out;
	}
	if ((sig_alg == TPM_ALG_ECDSA) != (EVP_PKEY_is_a(pkey, "EC") != 0)) {
		imaevm_log(ctx, LOG_INFO, "quote signature: the AK is %s, the signature is not",
			   EVP_PKEY_get0_type_name(pkey));
		err = -EKEYREJECTED;
		goto out;
	}
	if (sig_alg == TPM_ALG_ECDSA && (err = ecdsa_der(rv, rn, sv, sn, &der, &der_len)))
		goto out;
	pc = imaevm_pkey_ctx(ctx, pkey, IMAEVM_PKEY_PROVIDER);
	if (!pc || EVP_PKEY_verify_init(pc) <= 0 ||
	    (sig_alg == TPM_ALG_RSASSA &&
	     EVP_PKEY_CTX_set_rsa_padding(pc, RSA_PKCS1_PADDING) <= 0) ||
	    (sig_alg == TPM_ALG_RSAPSS &&
	     (EVP_PKEY_CTX_set_rsa_padding(pc, RSA_PKCS1_PSS_PADDING) <= 0 ||
	      EVP_PKEY_CTX_set_rsa_pss_saltlen(pc, RSA_PSS_SALTLEN_AUTO) <= 0)) ||
	    EVP_PKEY_CTX_set_signature_md(pc, md) <= 0) {
		imaevm_log_ossl(ctx, LOG_INFO, "quote signature");
		err = -EOPNOTSUPP;
		goto out;
	}
	rc = der ? EVP_PKEY_verify(pc, der, (size_t)der_len, dv, dlen) :
		   EVP_PKEY_verify(pc, sv, sn, dv, dlen);
	if (rc != 1) {
		imaevm_log_ossl(ctx, LOG_DEBUG, "quote signature");
		err = -EKEYREJECTED;
		goto out;
	}
	if (hash_algo)
		*hash_algo = algo;
out:
	OPENSSL_free(der);
	EVP_PKEY_CTX_free(pc);
	EVP_PKEY_free(pkey);
	return err;
}
