// SPDX-License-Identifier: LGPL-2.1-or-later
/* verify.c - check IMA signatures v2 and v3 against a key set; v1 read-only. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* v1: the signed hash covers the header from the version byte to nmpi. */
#define SIG_V1_HDR_FIRST 1
#define SIG_V1_HDR_END 17

static int verify_v1(struct imaevm_ctx *ctx, const struct imaevm_keyset *ks,
		     const unsigned char *v, const struct imaevm_xattr_info *info,
		     const struct imaevm_digest *digest,
		     struct imaevm_verify_result *res)
{
	unsigned char buf[IMAEVM_MAX_DIGEST_SIZE + SIG_V1_HDR_END], *sig;
	struct imaevm_digest sighash;
	size_t i, mpilen = info->sig_len - 2;
	bool tried = false;
	int err;

	/* the file digest is in the header's algorithm; the outer hash is sha1 */
	if (digest->algo != info->hash_algo || digest->len > IMAEVM_MAX_DIGEST_SIZE) {
		imaevm_log(ctx, LOG_INFO, "signature v1 needs a %s file digest",
			   imaevm_hash_algo_name(info->hash_algo));
		return -EINVAL;
	}
	memcpy(buf, digest->value, digest->len);
	memcpy(buf + digest->len, v + SIG_V1_HDR_FIRST, SIG_V1_HDR_END - SIG_V1_HDR_FIRST);
	err = imaevm_digest_buf(ctx, buf, digest->len + SIG_V1_HDR_END - SIG_V1_HDR_FIRST,
				IMAEVM_HASH_SHA1, &sighash);
	if (err)
		return err;
	for (i = 0; i < ks->n; i++) {
		EVP_PKEY *pkey = ks->keys[i].pkey;
		size_t modlen = (size_t)EVP_PKEY_get_size(pkey);

		if (!EVP_PKEY_is_a(pkey, "RSA") || mpilen > modlen)
			continue;
		tried = true;
		/* the MPI drops leading zero bytes; RSA wants the modulus length */
		sig = calloc(1, modlen);
		if (!sig)
			return -ENOMEM;
		memcpy(sig + modlen - mpilen, info->sig + 2, mpilen);
		err = imaevm_pkey_verify(ctx, pkey, NULL, sig, modlen, sighash.value, sighash.len);
		free(sig);
		if (err < 0)
			return err;
		if (err == 1) {
			res->key_name = ks->keys[i].name;
			return 0;
		}
	}
	if (!tried) {
		imaevm_log(ctx, LOG_INFO, "no RSA key to check a v1 signature with");
		return -ENOKEY;
	}
	return -EKEYREJECTED;
}

/* Check the parsed signature @info of @value against @digest. */
static int verify_parsed(struct imaevm_ctx *ctx, const struct imaevm_keyset *ks,
			 const void *value, const struct imaevm_xattr_info *parsed,
			 const struct imaevm_digest *digest, struct imaevm_verify_result *res)
{
	const struct imaevm_xattr_info info = *parsed;
	struct imaevm_digest signed_digest;
	const struct imaevm_pubkey *key;
	const EVP_MD *md;
	int err;

	if (info.sig_version == 1)
		return verify_v1(ctx, ks, value, &info, digest, res);
	res->keyid = info.keyid;
	if (digest->algo != info.hash_algo ||
	    digest->len != (size_t)imaevm_hash_algo_size(digest->algo)) {
		imaevm_log(ctx, LOG_INFO, "the digest is %s, the signature is over %s",
			   imaevm_hash_algo_name(digest->algo) ?
			   imaevm_hash_algo_name(digest->algo) : "?",
			   imaevm_hash_algo_name(info.hash_algo));
		return -EINVAL;
	}
	md = imaevm_md_get(ctx, info.hash_algo);
	if (!md)
		return -EOPNOTSUPP;
	/* v3 signs the file id; the immutable EVM form has version 3 but signs the digest */
	if (info.type == IMAEVM_XATTR_VERITY_DIGSIG) {
		err = imaevm_file_id_digest(ctx, IMAEVM_XATTR_VERITY_DIGSIG, digest,
					    &signed_digest);
		if (err)
			return err;
	} else {
		signed_digest = *digest;
	}
	key = imaevm_keyset_find(ks, info.keyid);
	if (!key) {
		imaevm_log(ctx, LOG_INFO, "no key with id %08x", info.keyid);
		return -ENOKEY;
	}
	res->key_name = key->name;
	/* the template slot is a cache: the key set stays logically const */
	err = imaevm_pkey_ctx_verify(ctx, imaevm_pkey_op_ctx(ctx, key->pkey,
				(_Atomic(EVP_PKEY_CTX *) *)&key->verify_tmpl[info.hash_algo],
				IMAEVM_PKEY_VERIFY, md),
			      info.sig, info.sig_len, signed_digest.value, signed_digest.len);
	if (err == 1) {
		err = 0;
	} else if (err == 0) {
		res->digest_mismatch = imaevm_rsa_recovers(ctx, key->pkey, md, info.sig,
						   info.sig_len);
		err = -EKEYREJECTED;
	}
	return err;
}

/* Which signature types a value may have: security.ima's or security.evm's. */
static bool type_ok(bool evm, int type)
{
	if (evm)
		return type == IMAEVM_XATTR_DIGSIG || type == IMAEVM_XATTR_PORTABLE_DIGSIG ||
		       type == IMAEVM_EVM_IMMUTABLE_DIGSIG;
	return type == IMAEVM_XATTR_DIGSIG || type == IMAEVM_XATTR_VERITY_DIGSIG;
}

static int verify_value(struct imaevm_ctx *ctx, const struct imaevm_keyset *ks, bool evm,
			const void *value, size_t len, const struct imaevm_digest *digest,
			struct imaevm_verify_result *result)
{
	struct imaevm_verify_result res = { 0 };
	struct imaevm_xattr_info info;
	int err;

	/* the detail is defined on every failure, bad arguments too */
	if (result)
		*result = res;
	if (!ctx || !ks || !value || !digest)
		return -EINVAL;
	err = evm ? imaevm_evm_sig_parse(value, len, &info) : imaevm_xattr_parse(value, len, &info);
	if (!err && !type_ok(evm, info.type))
		err = -EBADMSG;
	if (!err)
		err = verify_parsed(ctx, ks, value, &info, digest, &res);
	if (result)
		*result = res;
	return err;
}

IMAEVM_EXPORT int imaevm_verify_digest(struct imaevm_ctx *ctx,
				       const struct imaevm_keyset *ks,
				       const void *value, size_t len,
				       const struct imaevm_digest *digest,
				       struct imaevm_verify_result *result)
{
	return verify_value(ctx, ks, false, value, len, digest, result);
}

IMAEVM_EXPORT int imaevm_evm_verify_sig(struct imaevm_ctx *ctx,
					const struct imaevm_keyset *ks,
					const void *value, size_t len,
					const struct imaevm_digest *digest,
					struct imaevm_verify_result *result)
{
	return verify_value(ctx, ks, true, value, len, digest, result);
}
