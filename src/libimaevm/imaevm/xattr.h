/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* imaevm/xattr.h - libimaevm's public interface: security.ima and security.evm values. */
#ifndef IMAEVM_XATTR_H
#define IMAEVM_XATTR_H

#ifndef IMAEVM_H
#error "include <imaevm.h>, which includes this part in its place"
#endif

/* ---- security.ima / security.evm values -------------------------------- */

/* The first byte of every value (the kernel's enum evm_ima_xattr_type). */
enum imaevm_xattr_type {
	IMAEVM_XATTR_DIGEST = 0x01,		/* legacy: sha1 or md5 digest */
	IMAEVM_XATTR_HMAC = 0x02,		/* EVM HMAC (sha1) */
	IMAEVM_XATTR_DIGSIG = 0x03,		/* signature v1 or v2 */
	IMAEVM_XATTR_DIGEST_NG = 0x04,		/* algorithm byte + digest */
	IMAEVM_XATTR_PORTABLE_DIGSIG = 0x05,	/* EVM portable signature */
	IMAEVM_XATTR_VERITY_DIGSIG = 0x06,	/* signature v3 (fs-verity) */
};

/**
 * struct imaevm_xattr_info - a parsed xattr value.  Pointers point into the
 * buffer given to imaevm_xattr_parse() and live as long as it does.
 * @type:        enum imaevm_xattr_type
 * @hash_algo:   enum imaevm_hash_algo of the digest or signature
 * @digest:      the digest (digest and HMAC types), else NULL
 * @digest_len:  its length
 * @sig_version: 1, 2 or 3 for signature types, else 0
 * @keyid:       low 32 bits of the key identifier (v2/v3, host order)
 * @keyid_v1:    8-byte key identifier of a v1 signature, else NULL
 * @sig:         the signature bytes (v2/v3: after the header; v1: the MPI
 *               including its 2-byte bit-length prefix), else NULL
 * @sig_len:     their length
 */
struct imaevm_xattr_info {
	int type;
	int hash_algo;
	const unsigned char *digest;
	size_t digest_len;
	int sig_version;
	uint32_t keyid;
	const unsigned char *keyid_v1;
	const unsigned char *sig;
	size_t sig_len;
};

/**
 * imaevm_xattr_parse() - check and split a security.ima/security.evm value.
 * @value: the raw value
 * @len:   its length
 * @info:  receives the fields on success
 *
 * Lengths are checked exactly as the kernel checks them: a digest must be
 * as long as its algorithm's output, a signature header's size field must
 * match the remaining bytes.
 *
 * Return: 0; -EBADMSG for a malformed value (truncated, wrong lengths,
 * unknown type or version); -EOPNOTSUPP for an algorithm id the library
 * does not know; -EINVAL.
 */
int imaevm_xattr_parse(const void *value, size_t len,
		       struct imaevm_xattr_info *info);

/**
 * imaevm_xattr_encode_digest() - the security.ima value for a digest.
 * @digest:    the digest
 * @value:     receives a buffer allocated by the library (imaevm_free())
 * @value_len: receives its length
 *
 * sha1 and md5 digests use the legacy type 0x01, which the kernel tells
 * apart by length; every other algorithm uses 0x04 with the algorithm byte.
 * A sha1 digest ending in four zero bytes, which the kernel would read as
 * md5 in the legacy form, is written as 0x04 too.
 *
 * Return: 0, -EINVAL (bad algorithm or length), -ENOMEM.
 */
int imaevm_xattr_encode_digest(const struct imaevm_digest *digest,
			       unsigned char **value, size_t *value_len);

/**
 * imaevm_xattr_encode_hmac() - the security.evm value (type 0x02) for an
 * EVM HMAC from imaevm_evm_hmac().
 * @hmac:      the HMAC (sha1, 20 bytes)
 * @value:     receives a buffer allocated by the library (imaevm_free())
 * @value_len: receives its length
 * Return: 0, -EINVAL (not a sha1-sized HMAC), -ENOMEM.
 */
int imaevm_xattr_encode_hmac(const struct imaevm_digest *hmac,
			     unsigned char **value, size_t *value_len);

/**
 * imaevm_evm_sig_parse() - imaevm_xattr_parse() for a security.evm value,
 * which may also hold the immutable signature of ima-evm-utils (type 0x03,
 * version IMAEVM_EVM_IMMUTABLE_VERSION, otherwise the v2 layout): that one
 * comes back with @info->type IMAEVM_EVM_IMMUTABLE_DIGSIG and
 * @info->sig_version 3, ready for imaevm_evm_digest() of that type.
 * @value: the raw security.evm value
 * @len:   its length
 * @info:  receives the parts (pointing into @value)
 * Return: as imaevm_xattr_parse().
 */
int imaevm_evm_sig_parse(const void *value, size_t len,
			 struct imaevm_xattr_info *info);

#endif /* IMAEVM_XATTR_H */
