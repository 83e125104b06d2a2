// SPDX-License-Identifier: LGPL-2.1-or-later
/* sign.c - make IMA signatures v2 (type 0x03) and v3 (type 0x06, fs-verity). */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define SIG_HDR_LEN IMAEVM_SIG_HDR_LEN

IMAEVM_EXPORT int imaevm_file_id_digest(struct imaevm_ctx *ctx, int type,
					const struct imaevm_digest *digest,
					struct imaevm_digest *out)
{
	/* struct ima_file_id: hash_type, hash_algorithm, hash (used part only) */
	unsigned char id[2 + IMAEVM_MAX_DIGEST_SIZE];
	int size;

	if (!ctx || !digest || !out || type < 0 || type > 0xff)
		return -EINVAL;
	size = imaevm_hash_algo_size(digest->algo);
	if (size < 0 || digest->len != (size_t)size)
		return -EINVAL;
	id[0] = (unsigned char)type;
	id[1] = (unsigned char)digest->algo;
	memcpy(id + 2, digest->value, digest->len);
	return imaevm_digest_buf(ctx, id, 2 + digest->len, digest->algo, out);
}

static int raw_sign_locked(struct imaevm_ctx *ctx, const struct imaevm_signing_key *key,
			   const struct imaevm_digest *d, unsigned char *sig, size_t *siglen)
{
	const EVP_MD *md = imaevm_md_get(ctx, d->algo);
	EVP_PKEY_CTX *pctx;
	int err = 0;

	if (!md)
		return -EOPNOTSUPP;
	if (key->token)		/* a token's key: set up anew, under the token lock */
		pctx = imaevm_pkey_op_ctx_new(ctx, key->pkey, IMAEVM_PKEY_ENGINE,
					      IMAEVM_PKEY_SIGN, md);
	else			/* the template slot is a cache: the key stays const */
		pctx = imaevm_pkey_op_ctx(ctx, key->pkey,
					  (_Atomic(EVP_PKEY_CTX *) *)&key->sign_tmpl[d->algo],
					  IMAEVM_PKEY_SIGN, md);
	if (!pctx) {
		imaevm_log(ctx, LOG_INFO, "the %s key cannot sign %s digests",
			   EVP_PKEY_get0_type_name(key->pkey) ?
			   EVP_PKEY_get0_type_name(key->pkey) : "private",
			   imaevm_hash_algo_name(d->algo));
		return -EOPNOTSUPP;
	}
	if (EVP_PKEY_sign(pctx, sig, siglen, d->value, d->len) <= 0) {
		imaevm_log_ossl(ctx, LOG_INFO, "sign");
		imaevm_log(ctx, LOG_INFO, "signing failed");
		err = -EIO;
	}
	EVP_PKEY_CTX_free(pctx);
	return err;
}

static int raw_sign(struct imaevm_ctx *ctx, struct imaevm_signing_key *key,
		    const struct imaevm_digest *d, unsigned char *sig, size_t *siglen)
{
	int err;

	if (!key->token)
		return raw_sign_locked(ctx, key, d, sig, siglen);
	pthread_mutex_lock(&key->token_lock);
	err = raw_sign_locked(ctx, key, d, sig, siglen);
	pthread_mutex_unlock(&key->token_lock);
	return err;
}

IMAEVM_EXPORT int imaevm_sign_xattr(struct imaevm_ctx *ctx,
				    const struct imaevm_signing_key *key,
				    const struct imaevm_digest *digest, int type,
				    unsigned char **value, size_t *value_len)
{
	struct imaevm_digest signed_digest;
	unsigned char *v;
	size_t siglen;
	int size, err;

	if (!ctx || !key || !digest || !value || !value_len)
		return -EINVAL;
	if (type != IMAEVM_XATTR_DIGSIG && type != IMAEVM_XATTR_VERITY_DIGSIG &&
	    type != IMAEVM_XATTR_PORTABLE_DIGSIG && type != IMAEVM_EVM_IMMUTABLE_DIGSIG)
		return -EINVAL;
	size = imaevm_hash_algo_size(digest->algo);
	if (size < 0 || digest->len != (size_t)size)
		return -EINVAL;
	if (type == IMAEVM_XATTR_VERITY_DIGSIG) {
		err = imaevm_file_id_digest(ctx, IMAEVM_XATTR_VERITY_DIGSIG, digest,
					    &signed_digest);
		if (err)
			return err;
	} else {
		signed_digest = *digest;
	}
	size = EVP_PKEY_get_size(key->pkey);
	if (size <= 0 || size > 0xffff)
		return -EOPNOTSUPP;
	v = malloc(SIG_HDR_LEN + (size_t)size);
	if (!v)
		return -ENOMEM;
	siglen = (size_t)size;
	/* the key stays logically const: the lock only orders token access */
	err = raw_sign(ctx, (struct imaevm_signing_key *)key, &signed_digest,
		       v + SIG_HDR_LEN, &siglen);
	if (!err)
		err = imaevm_xattr_put_sig_header(v, type, digest->algo, key->keyid, siglen);
	if (err) {
		free(v);
		return err;
	}
	*value = v;
	*value_len = SIG_HDR_LEN + siglen;
	return 0;
}

IMAEVM_EXPORT int imaevm_sign_digest(struct imaevm_ctx *ctx,
				     const struct imaevm_signing_key *key,
				     const struct imaevm_digest *digest, int version,
				     unsigned char **value, size_t *value_len)
{
	if (!ctx || !key || !digest || !value || !value_len)
		return -EINVAL;
	if (version == 1) {
		imaevm_log(ctx, LOG_INFO, "signing v1 is not supported (use signature v2)");
		return -EOPNOTSUPP;
	}
	if (version != 2 && version != 3)
		return -EINVAL;
	return imaevm_sign_xattr(ctx, key, digest, version == 3 ?
				 IMAEVM_XATTR_VERITY_DIGSIG : IMAEVM_XATTR_DIGSIG,
				 value, value_len);
}
