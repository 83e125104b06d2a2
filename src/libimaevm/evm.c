// SPDX-License-Identifier: LGPL-2.1-or-later
/* evm.c - the EVM metadata digest and HMAC, computed as the kernel does. */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <openssl/core_names.h>
#include <openssl/params.h>

#include "internal.h"

/* The kernel's evm_config_default_xattrnames, in its order. */
static const char *const evm_xattrs[] = {
	"security.selinux",
	"security.SMACK64",
	"security.apparmor",
	"security.ima",
	"security.capability",
};

/* The same list with CONFIG_EVM_EXTRA_SMACK_XATTRS. */
static const char *const evm_xattrs_smack[] = {
	"security.selinux",
	"security.SMACK64",
	"security.SMACK64EXEC",
	"security.SMACK64TRANSMUTE",
	"security.SMACK64MMAP",
	"security.apparmor",
	"security.ima",
	"security.capability",
};

/* The kernel's key buffer: the key is copied in and the rest stays zero. */
#define EVM_HMAC_KEY_SIZE 128

IMAEVM_EXPORT void imaevm_evm_input_init(struct imaevm_evm_input *in,
					 unsigned int flags)
{
	const char *const *names = evm_xattrs;
	size_t n = ARRAY_SIZE(evm_xattrs), i;

	if (!in)
		return;
	if (flags & IMAEVM_EVM_SMACK) {
		names = evm_xattrs_smack;
		n = ARRAY_SIZE(evm_xattrs_smack);
	}
	memset(in, 0, sizeof(*in));
	in->n_xattrs = n;
	for (i = 0; i < n; i++)
		in->xattrs[i].name = names[i];
	in->layout = IMAEVM_EVM_NATIVE;
}

IMAEVM_EXPORT int imaevm_evm_input_set_xattr(struct imaevm_evm_input *in,
					     const char *name, const void *value,
					     size_t len)
{
	size_t i;

	if (!in || !name || in->n_xattrs > IMAEVM_EVM_MAX_XATTRS)
		return -EINVAL;
	for (i = 0; i < in->n_xattrs; i++) {
		if (in->xattrs[i].name && !strcmp(in->xattrs[i].name, name)) {
			in->xattrs[i].value = value;
			in->xattrs[i].len = value ? len : 0;
			return 0;
		}
	}
	return -ENOENT;
}

IMAEVM_EXPORT int imaevm_evm_input_set_mode(struct imaevm_evm_input *in, uint32_t mode)
{
	if (!in)
		return -EINVAL;
	in->mode = mode;
	/* the generation rule of imaevm_evm_input_from_fd(), for the stated type */
	if (!S_ISREG(mode) && !S_ISDIR(mode))
		in->generation = 0;
	return 0;
}

/*
 * The kernel's struct h_misc { unsigned long ino; __u32 generation; uid_t uid;
 * gid_t gid; umode_t mode; } in the target's layout, host byte order.
 * Returns its size: 20 for 32-bit targets, 24 for 64-bit ones.
 */
static size_t evm_misc_block(const struct imaevm_evm_input *in, int portable,
			     unsigned char *buf)
{
	int layout = in->layout;
	uint64_t ino = portable ? 0 : in->ino;
	uint32_t gen = portable ? 0 : in->generation;
	uint16_t mode = (uint16_t)in->mode;
	size_t off;

	if (layout == IMAEVM_EVM_NATIVE)
		layout = sizeof(unsigned long) == 8 ? IMAEVM_EVM_M64 : IMAEVM_EVM_M32;
	memset(buf, 0, 24);
	if (layout == IMAEVM_EVM_M64) {
		memcpy(buf, &ino, 8);
		off = 8;
	} else {
		uint32_t ino32 = (uint32_t)ino;

		memcpy(buf, &ino32, 4);
		off = 4;
	}
	memcpy(buf + off, &gen, 4);
	memcpy(buf + off + 4, &in->uid, 4);
	memcpy(buf + off + 8, &in->gid, 4);
	memcpy(buf + off + 12, &mode, 2);
	/* padded to the alignment of the first member */
	return layout == IMAEVM_EVM_M64 ? 24 : 20;
}

typedef int (*evm_update_fn)(void *state, const unsigned char *data, size_t len);

static int md_update(void *state, const unsigned char *data, size_t len)
{
	return EVP_DigestUpdate(state, data, len) ? 0 : -EIO;
}

static int mac_update(void *state, const unsigned char *data, size_t len)
{
	return EVP_MAC_update(state, data, len) ? 0 : -EIO;
}

static int evm_check_input(const struct imaevm_evm_input *in)
{
	size_t i;

	if (!in || in->n_xattrs > IMAEVM_EVM_MAX_XATTRS ||
	    (in->layout != IMAEVM_EVM_NATIVE && in->layout != IMAEVM_EVM_M32 &&
	     in->layout != IMAEVM_EVM_M64))
		return -EINVAL;
	for (i = 0; i < in->n_xattrs; i++)
		if (!in->xattrs[i].name)
			return -EINVAL;
	return 0;
}

/*
 * The metadata of an immutable signature (ima-evm-utils 1.6.2's -i): only
 * uid, gid and mode, laid out as a struct of those three whatever the
 * target (12 bytes), as that tool hashes them.
 */
static size_t evm_immutable_misc(const struct imaevm_evm_input *in, unsigned char *buf)
{
	uint16_t mode = (uint16_t)in->mode;

	memset(buf, 0, 12);
	memcpy(buf, &in->uid, 4);
	memcpy(buf + 4, &in->gid, 4);
	memcpy(buf + 8, &mode, 2);
	return 12;
}

/* Feed everything the kernel hashes for @type, in its order. */
static int evm_feed(struct imaevm_ctx *ctx, const struct imaevm_evm_input *in,
		    int type, evm_update_fn update, void *state)
{
	int portable = type == IMAEVM_XATTR_PORTABLE_DIGSIG;
	int immutable = type == IMAEVM_EVM_IMMUTABLE_DIGSIG;
	unsigned char misc[24];
	int ima_present = 0, err;
	size_t i, n;

	for (i = 0; i < in->n_xattrs; i++) {
		const struct imaevm_evm_xattr *x = &in->xattrs[i];

		if (!x->value)
			continue;
		if (!strcmp(x->name, "security.ima"))
			ima_present = 1;
		imaevm_log(ctx, LOG_DEBUG, "evm: %s (%zu bytes)", x->name, x->len);
		if (x->len && (err = update(state, x->value, x->len)))
			return err;
	}
	if (portable && !ima_present) {
		imaevm_log(ctx, LOG_INFO,
			   "a portable EVM signature needs security.ima");
		return -ENODATA;
	}
	n = immutable ? evm_immutable_misc(in, misc) : evm_misc_block(in, portable, misc);
	if ((err = update(state, misc, n)))
		return err;
	if (!portable && !immutable && in->has_uuid)
		return update(state, in->uuid, IMAEVM_UUID_SIZE);
	return 0;
}

IMAEVM_EXPORT int imaevm_evm_digest(struct imaevm_ctx *ctx,
				    const struct imaevm_evm_input *in, int type,
				    int algo, struct imaevm_digest *out)
{
	unsigned char value[EVP_MAX_MD_SIZE];
	unsigned int len = 0;
	const EVP_MD *md;
	EVP_MD_CTX *mdctx;
	int err;

	if (!ctx || !out || evm_check_input(in) ||
	    (type != IMAEVM_XATTR_DIGSIG && type != IMAEVM_XATTR_PORTABLE_DIGSIG &&
	     type != IMAEVM_EVM_IMMUTABLE_DIGSIG) ||
	    imaevm_hash_algo_size(algo) < 0)
		return -EINVAL;
	md = imaevm_md_get(ctx, algo);
	if (!md)
		return -EOPNOTSUPP;
	mdctx = EVP_MD_CTX_new();
	if (!mdctx)
		return -ENOMEM;
	err = EVP_DigestInit_ex2(mdctx, md, NULL) ? 0 : -EOPNOTSUPP;
	if (!err)
		err = evm_feed(ctx, in, type, md_update, mdctx);
	if (!err && !EVP_DigestFinal_ex(mdctx, value, &len))
		err = -EIO;
	if (!err && (int)len != imaevm_hash_algo_size(algo))
		err = -EOPNOTSUPP;
	if (err == -EIO || err == -EOPNOTSUPP)
		imaevm_log_ossl(ctx, LOG_INFO, "evm digest");
	EVP_MD_CTX_free(mdctx);
	if (err)
		return err;
	out->algo = algo;
	out->len = len;
	memcpy(out->value, value, len);
	return 0;
}

IMAEVM_EXPORT int imaevm_evm_hmac(struct imaevm_ctx *ctx,
				  const struct imaevm_evm_input *in,
				  const void *key, size_t keylen,
				  struct imaevm_digest *out)
{
	unsigned char kbuf[EVM_HMAC_KEY_SIZE] = { 0 };
	unsigned char value[EVP_MAX_MD_SIZE];
	char digest_name[] = "SHA1";
	OSSL_PARAM params[2];
	EVP_MAC_CTX *mctx = NULL;
	EVP_MAC *mac;
	size_t len = 0;
	int err;

	if (!ctx || !out || evm_check_input(in) || !key || !keylen ||
	    keylen > EVM_HMAC_KEY_SIZE)
		return -EINVAL;
	/* the kernel keys hmac(sha1) with its whole zero-padded buffer */
	memcpy(kbuf, key, keylen);
	mac = EVP_MAC_fetch(ctx->libctx, "HMAC", ctx->propq);
	if (!mac) {
		imaevm_log_ossl(ctx, LOG_INFO, "HMAC");
		OPENSSL_cleanse(kbuf, sizeof(kbuf));
		return -EOPNOTSUPP;
	}
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
						     digest_name, 0);
	params[1] = OSSL_PARAM_construct_end();
	mctx = EVP_MAC_CTX_new(mac);
	if (!mctx)
		err = -ENOMEM;
	else if (!EVP_MAC_init(mctx, kbuf, sizeof(kbuf), params))
		err = -EOPNOTSUPP;
	else
		err = evm_feed(ctx, in, IMAEVM_XATTR_HMAC, mac_update, mctx);
	if (!err && !EVP_MAC_final(mctx, value, &len, sizeof(value)))
		err = -EIO;
	if (!err && len != 20)
		err = -EOPNOTSUPP;
	if (err == -EIO || err == -EOPNOTSUPP)
		imaevm_log_ossl(ctx, LOG_INFO, "evm hmac");
	EVP_MAC_CTX_free(mctx);
	EVP_MAC_free(mac);
	OPENSSL_cleanse(kbuf, sizeof(kbuf));
	if (err)
		return err;
	out->algo = IMAEVM_HASH_SHA1;
	out->len = len;
	memcpy(out->value, value, len);
	return 0;
}

IMAEVM_EXPORT int imaevm_uuid_parse(const char *str,
				    unsigned char uuid[IMAEVM_UUID_SIZE])
{
	unsigned char tmp[IMAEVM_UUID_SIZE];
	size_t n = 0;
	int hi = -1;

	if (!str || !uuid)
		return -EINVAL;
	for (; *str; str++) {
		int v;

		if (*str == '-')
			continue;
		if (*str >= '0' && *str <= '9')
			v = *str - '0';
		else if (*str >= 'a' && *str <= 'f')
			v = *str - 'a' + 10;
		else if (*str >= 'A' && *str <= 'F')
			v = *str - 'A' + 10;
		else
			return -EINVAL;
		if (hi < 0) {
			hi = v;
			continue;
		}
		if (n == IMAEVM_UUID_SIZE)
			return -EINVAL;
		tmp[n++] = (unsigned char)(hi << 4 | v);
		hi = -1;
	}
	if (n != IMAEVM_UUID_SIZE || hi >= 0)
		return -EINVAL;
	memcpy(uuid, tmp, sizeof(tmp));
	return 0;
}
