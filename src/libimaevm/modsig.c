// SPDX-License-Identifier: LGPL-2.1-or-later
/* modsig.c - check appended PKCS#7/CMS signatures (template ima-modsig) against a file digest. */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <string.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/pkcs7.h>

#include "internal.h"

/* What the SignerInfo says, with the digest the signature covers. */
struct signer {
	CMS_SignerInfo *si;
	int algo;			/* digest algorithm (enum imaevm_hash_algo) */
	const EVP_MD *md;
	const ASN1_OCTET_STRING *sig;
	struct imaevm_digest tbs;	/* what was signed: content or attributes */
};

static uint32_t tail_be32(const unsigned char *p, int len)
{
	uint32_t v = 0;
	int i;

	for (i = len < 4 ? 0 : len - 4; i < len; i++)
		v = v << 8 | p[i];
	return v;
}

static int signer_algo(struct imaevm_ctx *ctx, struct signer *s)
{
	X509_ALGOR *dig = NULL, *sigalg = NULL;
	const ASN1_OBJECT *obj;
	int nid;

	CMS_SignerInfo_get0_algs(s->si, NULL, NULL, &dig, &sigalg);
	if (!dig || !sigalg)
		return -EBADMSG;
	X509_ALGOR_get0(&obj, NULL, NULL, dig);
	nid = OBJ_obj2nid(obj);
	s->algo = nid == NID_undef ? -1 : imaevm_hash_algo_by_name_nocase(OBJ_nid2sn(nid));
	if (s->algo < 0) {
		imaevm_log(ctx, LOG_INFO, "modsig: unsupported digest algorithm (nid %d)", nid);
		return -EOPNOTSUPP;
	}
	X509_ALGOR_get0(&obj, NULL, NULL, sigalg);
	if (OBJ_obj2nid(obj) == NID_rsassaPss) {
		imaevm_log(ctx, LOG_INFO, "modsig: RSASSA-PSS signatures are not supported");
		return -EOPNOTSUPP;
	}
	s->md = imaevm_md_get(ctx, s->algo);
	return s->md ? 0 : -EOPNOTSUPP;
}

/*
 * With authenticated attributes the signature covers the DER of the
 * attributes (as a SET OF, RFC 5652 5.4) and messageDigest binds the
 * content.  The kernel records the digest of the attributes in d-modsig
 * then (pkcs7_get_digest()); a content digest is accepted as well.
 */
static int signed_attrs(struct imaevm_ctx *ctx, struct signer *s,
			const struct imaevm_digest *digest)
{
	STACK_OF(X509_ATTRIBUTE) *attrs;
	const ASN1_OCTET_STRING *md_attr;
	unsigned char *der = NULL;
	int i, n, len, err;

	md_attr = CMS_signed_get0_data_by_OBJ(s->si, OBJ_nid2obj(NID_pkcs9_messageDigest),
					      -3, V_ASN1_OCTET_STRING);
	if (!md_attr) {
		imaevm_log(ctx, LOG_INFO, "modsig: signed attributes without one messageDigest");
		return -EBADMSG;
	}
	attrs = sk_X509_ATTRIBUTE_new_null();
	if (!attrs)
		return -ENOMEM;
	n = CMS_signed_get_attr_count(s->si);
	for (i = 0; i < n; i++)
		if (!sk_X509_ATTRIBUTE_push(attrs, CMS_signed_get_attr(s->si, i))) {
			sk_X509_ATTRIBUTE_free(attrs);
			return -ENOMEM;
		}
	len = ASN1_item_i2d((const ASN1_VALUE *)attrs, &der, ASN1_ITEM_rptr(PKCS7_ATTR_VERIFY));
	sk_X509_ATTRIBUTE_free(attrs);	/* the attributes stay in the SignerInfo */
	if (len <= 0)
		return -EBADMSG;
	err = imaevm_digest_buf(ctx, der, (size_t)len, s->algo, &s->tbs);
	OPENSSL_free(der);
	if (err)
		return err;
	if (digest->len == s->tbs.len && !memcmp(digest->value, s->tbs.value, s->tbs.len))
		return 0;
	if (digest->len == (size_t)ASN1_STRING_length(md_attr) &&
	    !memcmp(digest->value, ASN1_STRING_get0_data(md_attr), digest->len))
		return 0;
	imaevm_log(ctx, LOG_INFO, "modsig: the digest is neither the signed messageDigest "
		   "nor the digest of the signed attributes");
	return -EKEYREJECTED;
}

static int try_key(struct imaevm_ctx *ctx, const struct signer *s,
		   const struct imaevm_pubkey *k, struct imaevm_verify_result *res)
{
	int rc;

	if (!EVP_PKEY_is_a(k->pkey, "RSA") && !EVP_PKEY_is_a(k->pkey, "EC"))
		return -EOPNOTSUPP;
	rc = imaevm_pkey_verify(ctx, k->pkey, s->md, ASN1_STRING_get0_data(s->sig),
				(size_t)ASN1_STRING_length(s->sig), s->tbs.value, s->tbs.len);
	res->keyid = k->keyid;		/* the key used, or the last one tried */
	res->key_name = k->name;
	if (rc == 1)
		return 0;
	return rc < 0 ? rc : -EKEYREJECTED;
}

/* The certificates that name the signer; failing that, bare public keys. */
static int find_and_verify(struct imaevm_ctx *ctx, const struct imaevm_keyset *ks,
			   const struct signer *s, struct imaevm_verify_result *res)
{
	int pass, rc, err = -ENOKEY;
	size_t i;

	for (pass = 0; pass < 2 && err == -ENOKEY; pass++)
		for (i = 0; i < ks->n; i++) {
			const struct imaevm_pubkey *k = &ks->keys[i];

			if (pass == 0 ? !k->cert || CMS_SignerInfo_cert_cmp(s->si, k->cert) :
			    k->cert != NULL)
				continue;
			rc = try_key(ctx, s, k, res);
			if (rc == 0)
				return 0;
			if (err == -ENOKEY || rc == -EKEYREJECTED)
				err = rc;
		}
	ERR_clear_error();
	return err;
}

IMAEVM_EXPORT int imaevm_verify_modsig(struct imaevm_ctx *ctx,
				       const struct imaevm_keyset *ks,
				       const void *pkcs7, size_t len,
				       const struct imaevm_digest *digest,
				       struct imaevm_verify_result *result)
{
	struct imaevm_verify_result res = { 0 };
	struct signer s = { 0 };
	const unsigned char *p = pkcs7;
	STACK_OF(CMS_SignerInfo) *sis;
	ASN1_OCTET_STRING *skid = NULL;
	CMS_ContentInfo *cms;
	int err;

	/* the detail is defined on every failure, bad arguments too */
	if (result)
		*result = res;
	if (!ctx || !ks || !pkcs7 || !len || len > LONG_MAX || !digest ||
	    digest->len > sizeof(digest->value))
		return -EINVAL;
	cms = d2i_CMS_ContentInfo(NULL, &p, (long)len);
	if (!cms || p != (const unsigned char *)pkcs7 + len) {
		imaevm_log_ossl(ctx, LOG_INFO, "modsig: not a DER PKCS#7/CMS message");
		err = -EBADMSG;
		goto out;
	}
	sis = OBJ_obj2nid(CMS_get0_type(cms)) == NID_pkcs7_signed ?
	      CMS_get0_SignerInfos(cms) : NULL;
	if (sk_CMS_SignerInfo_num(sis) != 1) {
		imaevm_log(ctx, LOG_INFO, "modsig: not a SignedData with one signer");
		err = -EBADMSG;
		goto out;
	}
	s.si = sk_CMS_SignerInfo_value(sis, 0);
	s.sig = CMS_SignerInfo_get0_signature(s.si);
	if (CMS_SignerInfo_get0_signer_id(s.si, &skid, NULL, NULL) && skid)
		res.keyid = tail_be32(ASN1_STRING_get0_data(skid), ASN1_STRING_length(skid));
	if ((err = signer_algo(ctx, &s)))
		goto out;
	if (digest->algo != s.algo ||
	    digest->len != (size_t)imaevm_hash_algo_size(s.algo)) {
		imaevm_log(ctx, LOG_INFO, "modsig: signed with %s, the digest is not",
			   imaevm_hash_algo_name(s.algo));
		err = -EINVAL;
		goto out;
	}
	if (CMS_signed_get_attr_count(s.si) >= 0) {
		if ((err = signed_attrs(ctx, &s, digest)))
			goto out;
	} else {
		s.tbs = *digest;	/* no attributes: the content digest is signed */
	}
	err = find_and_verify(ctx, ks, &s, &res);
	if (err == -ENOKEY)
		imaevm_log(ctx, LOG_INFO, "modsig: no key for the signer");
out:
	CMS_ContentInfo_free(cms);
	ERR_clear_error();
	if (result)
		*result = res;
	return err;
}
