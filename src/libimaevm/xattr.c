// SPDX-License-Identifier: LGPL-2.1-or-later
/* xattr.c - encode and parse security.ima / security.evm values. */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define SIG_V2_HDR_LEN IMAEVM_SIG_HDR_LEN
/* v1 offsets: type, version, be32 time, pkey algo, hash id, keyid[8], nmpi, MPI. */
#define SIG_V1_PKEY_ALGO 6
#define SIG_V1_HASH 7
#define SIG_V1_KEYID 8
#define SIG_V1_NMPI 16
#define SIG_V1_MPI 17
#define HMAC_SHA1_LEN 20

static uint32_t get_be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static unsigned int get_be16(const unsigned char *p)
{
	return (unsigned int)p[0] << 8 | p[1];
}

/* The kernel tells md5 from sha1 in a legacy value by length and padding. */
static int parse_legacy_digest(const unsigned char *v, size_t len,
			       struct imaevm_xattr_info *info)
{
	static const unsigned char zero[4];

	if (len == 1 + 20)
		info->hash_algo = memcmp(v + 1 + 16, zero, 4) ?
				  IMAEVM_HASH_SHA1 : IMAEVM_HASH_MD5;
	else if (len == 1 + 16)
		info->hash_algo = IMAEVM_HASH_MD5;
	else
		return -EBADMSG;
	info->digest = v + 1;
	info->digest_len = (size_t)imaevm_hash_algo_size(info->hash_algo);
	return 0;
}

static int parse_digest_ng(const unsigned char *v, size_t len,
			   struct imaevm_xattr_info *info)
{
	int size;

	if (len < 2)
		return -EBADMSG;
	size = imaevm_hash_algo_size(v[1]);
	if (size < 0)
		return -EOPNOTSUPP;
	if (len != 2 + (size_t)size)
		return -EBADMSG;
	info->hash_algo = v[1];
	info->digest = v + 2;
	info->digest_len = (size_t)size;
	return 0;
}

static int parse_sig_v1(const unsigned char *v, size_t len,
			struct imaevm_xattr_info *info)
{
	unsigned int bits;

	if (len < SIG_V1_MPI + 2)
		return -EBADMSG;
	if (v[SIG_V1_PKEY_ALGO] != 0 /* RSA */ || v[SIG_V1_NMPI] != 1)
		return -EBADMSG;
	bits = get_be16(v + SIG_V1_MPI);
	if (len != SIG_V1_MPI + 2 + (bits + 7) / 8)
		return -EBADMSG;
	/* v1 numbers its file digest algorithm on its own: 0 sha1, 1 sha256 */
	switch (v[SIG_V1_HASH]) {
	case 0:
		info->hash_algo = IMAEVM_HASH_SHA1;
		break;
	case 1:
		info->hash_algo = IMAEVM_HASH_SHA256;
		break;
	default:
		return -EOPNOTSUPP;
	}
	info->sig_version = 1;
	info->keyid_v1 = v + SIG_V1_KEYID;
	info->sig = v + SIG_V1_MPI;
	info->sig_len = len - SIG_V1_MPI;
	return 0;
}

static int parse_sig_v2(const unsigned char *v, size_t len,
			struct imaevm_xattr_info *info)
{
	if (len <= SIG_V2_HDR_LEN)
		return -EBADMSG;
	if (get_be16(v + 7) != len - SIG_V2_HDR_LEN)
		return -EBADMSG;
	if (imaevm_hash_algo_size(v[2]) < 0)
		return -EOPNOTSUPP;
	info->sig_version = v[1];
	info->hash_algo = v[2];
	info->keyid = get_be32(v + 3);
	info->sig = v + SIG_V2_HDR_LEN;
	info->sig_len = len - SIG_V2_HDR_LEN;
	return 0;
}

IMAEVM_EXPORT int imaevm_xattr_parse(const void *value, size_t len,
				     struct imaevm_xattr_info *info)
{
	const unsigned char *v = value;
	struct imaevm_xattr_info out = { .hash_algo = -1 };
	int err;

	if (!info || (!value && len))
		return -EINVAL;
	if (len < 1)
		return -EBADMSG;
	out.type = v[0];
	switch (v[0]) {
	case IMAEVM_XATTR_DIGEST:
		err = parse_legacy_digest(v, len, &out);
		break;
	case IMAEVM_XATTR_DIGEST_NG:
		err = parse_digest_ng(v, len, &out);
		break;
	case IMAEVM_XATTR_HMAC:
		err = len == 1 + HMAC_SHA1_LEN ? 0 : -EBADMSG;
		out.hash_algo = IMAEVM_HASH_SHA1;
		out.digest = v + 1;
		out.digest_len = HMAC_SHA1_LEN;
		break;
	case IMAEVM_XATTR_DIGSIG:
		if (len < 2)
			err = -EBADMSG;
		else if (v[1] == 1)
			err = parse_sig_v1(v, len, &out);
		else if (v[1] == 2)
			err = parse_sig_v2(v, len, &out);
		else
			err = -EBADMSG;
		break;
	case IMAEVM_XATTR_PORTABLE_DIGSIG:
		err = len >= 2 && v[1] == 2 ? parse_sig_v2(v, len, &out) : -EBADMSG;
		break;
	case IMAEVM_XATTR_VERITY_DIGSIG:
		err = len >= 2 && v[1] == 3 ? parse_sig_v2(v, len, &out) : -EBADMSG;
		break;
	default:
		err = -EBADMSG;
	}
	if (err)
		return err;
	*info = out;
	return 0;
}

/*
 * The kernel reads a 0x01 value as md5 when it is 17 bytes, or 21 bytes
 * ending in four zero bytes, else as sha1.  A sha1 digest that happens to end
 * in four zeros would be misread, so it gets the explicit 0x04 form.
 */
static bool legacy_form_is_unambiguous(const struct imaevm_digest *d)
{
	static const unsigned char zero[4];

	if (d->algo == IMAEVM_HASH_MD5)
		return true;
	return d->algo == IMAEVM_HASH_SHA1 && memcmp(d->value + 16, zero, 4) != 0;
}

IMAEVM_EXPORT int imaevm_xattr_encode_digest(const struct imaevm_digest *digest,
					     unsigned char **value, size_t *value_len)
{
	unsigned char *v;
	size_t hdr;
	int size;

	if (!digest || !value || !value_len)
		return -EINVAL;
	size = imaevm_hash_algo_size(digest->algo);
	if (size < 0 || digest->len != (size_t)size)
		return -EINVAL;
	hdr = legacy_form_is_unambiguous(digest) ? 1 : 2;
	v = malloc(hdr + digest->len);
	if (!v)
		return -ENOMEM;
	if (hdr == 1) {
		v[0] = IMAEVM_XATTR_DIGEST;
	} else {
		v[0] = IMAEVM_XATTR_DIGEST_NG;
		v[1] = (unsigned char)digest->algo;
	}
	memcpy(v + hdr, digest->value, digest->len);
	*value = v;
	*value_len = hdr + digest->len;
	return 0;
}

int imaevm_xattr_put_sig_header(unsigned char *v, int type, int algo,
				uint32_t keyid, size_t siglen)
{
	if (siglen > 0xffff || imaevm_hash_algo_size(algo) < 0)
		return -EINVAL;
	switch (type) {
	case IMAEVM_XATTR_DIGSIG:
	case IMAEVM_XATTR_PORTABLE_DIGSIG:
		v[0] = (unsigned char)type;
		v[1] = 2;
		break;
	case IMAEVM_XATTR_VERITY_DIGSIG:
		v[0] = IMAEVM_XATTR_VERITY_DIGSIG;
		v[1] = 3;
		break;
	case IMAEVM_EVM_IMMUTABLE_DIGSIG:
		/* the v2 layout; only the version byte says "immutable" */
		v[0] = IMAEVM_XATTR_DIGSIG;
		v[1] = IMAEVM_EVM_IMMUTABLE_VERSION;
		break;
	default:
		return -EINVAL;
	}
	v[2] = (unsigned char)algo;
	v[3] = (unsigned char)(keyid >> 24);
	v[4] = (unsigned char)(keyid >> 16);
	v[5] = (unsigned char)(keyid >> 8);
	v[6] = (unsigned char)keyid;
	v[7] = (unsigned char)(siglen >> 8);
	v[8] = (unsigned char)siglen;
	return 0;
}

IMAEVM_EXPORT int imaevm_xattr_encode_hmac(const struct imaevm_digest *hmac,
					   unsigned char **value, size_t *value_len)
{
	unsigned char *v;

	if (!hmac || !value || !value_len)
		return -EINVAL;
	if (hmac->algo != IMAEVM_HASH_SHA1 || hmac->len != HMAC_SHA1_LEN)
		return -EINVAL;
	v = malloc(1 + HMAC_SHA1_LEN);
	if (!v)
		return -ENOMEM;
	v[0] = IMAEVM_XATTR_HMAC;
	memcpy(v + 1, hmac->value, HMAC_SHA1_LEN);
	*value = v;
	*value_len = 1 + HMAC_SHA1_LEN;
	return 0;
}

IMAEVM_EXPORT int imaevm_evm_sig_parse(const void *value, size_t len,
				       struct imaevm_xattr_info *info)
{
	const unsigned char *v = value;
	struct imaevm_xattr_info out = { .hash_algo = -1 };
	int err;

	if (!info || (!value && len))
		return -EINVAL;
	if (len < 2 || v[0] != IMAEVM_XATTR_DIGSIG || v[1] != IMAEVM_EVM_IMMUTABLE_VERSION)
		return imaevm_xattr_parse(value, len, info);
	err = parse_sig_v2(v, len, &out);
	if (err)
		return err;
	out.type = IMAEVM_EVM_IMMUTABLE_DIGSIG;
	*info = out;
	return 0;
}
