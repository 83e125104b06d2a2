// SPDX-License-Identifier: LGPL-2.1-or-later
/* keyring.c - find kernel keyrings and add certificates and keys to them (libkeyutils). */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <keyutils.h>
#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "internal.h"

static const struct {
	const char *name;
	key_serial_t id;
} special_keyrings[] = {
	{ "@t", KEY_SPEC_THREAD_KEYRING },
	{ "@p", KEY_SPEC_PROCESS_KEYRING },
	{ "@s", KEY_SPEC_SESSION_KEYRING },
	{ "@u", KEY_SPEC_USER_KEYRING },
	{ "@us", KEY_SPEC_USER_SESSION_KEYRING },
	{ "@g", KEY_SPEC_GROUP_KEYRING },
};

/* 0 if @id is a keyring; -ENOKEY, -ENOTDIR, -EACCES, ... otherwise. */
static int check_keyring(struct imaevm_ctx *ctx, key_serial_t id, const char *spec)
{
	char *desc = NULL;
	int err = 0;

	if (keyctl_describe_alloc(id, &desc) < 0) {
		err = errno == ENOKEY || errno == EKEYREVOKED || errno == EKEYEXPIRED ?
		      -ENOKEY : -errno;
		imaevm_log(ctx, LOG_INFO, "keyring %s: %s", spec,
			   err == -ENOKEY ? "not found" : strerror(-err));
		return err;
	}
	/* "type;uid;gid;perm;description" */
	if (strncmp(desc, "keyring;", 8)) {
		imaevm_log(ctx, LOG_INFO, "%s is not a keyring", spec);
		err = -ENOTDIR;
	}
	free(desc);
	return err;
}

/* Scan /proc/keys for a keyring described @name that the caller may view. */
static key_serial_t scan_proc_keys(const char *name)
{
	size_t nlen = strlen(name);
	key_serial_t found = -1;
	char line[1024];
	FILE *f;

	f = fopen("/proc/keys", "re");
	if (!f)
		return -1;
	while (found < 0 && fgets(line, sizeof(line), f)) {
		unsigned int serial;
		char type[32];
		int off = 0;

		/* serial flags usage expiry perm uid gid type description: ... */
		if (sscanf(line, "%x %*s %*d %*s %*x %*d %*d %31s %n", &serial,
			   type, &off) < 2 || !off)
			continue;
		if (!strcmp(type, "keyring") && !strncmp(line + off, name, nlen) &&
		    line[off + nlen] == ':')
			found = (key_serial_t)serial;
	}
	fclose(f);
	return found;
}

static int find_by_name(struct imaevm_ctx *ctx, const char *name,
			const char *spec, int32_t *serial)
{
	key_serial_t id;

	if (!*name) {
		imaevm_log(ctx, LOG_INFO, "keyring %s: empty name", spec);
		return -EINVAL;
	}
	/* the caller's own keyrings first, without any upcall */
	id = request_key("keyring", name, NULL, 0);
	if (id < 0)
		id = scan_proc_keys(name);
	if (id < 0) {
		imaevm_log(ctx, LOG_INFO, "keyring %s: not found", spec);
		return -ENOKEY;
	}
	*serial = id;
	return 0;
}

IMAEVM_EXPORT int imaevm_keyring_find(struct imaevm_ctx *ctx, const char *spec,
				      int32_t *serial)
{
	key_serial_t id;
	char *end;
	size_t i;
	long v;
	int err;

	if (!ctx || !spec || !serial || !*spec)
		return -EINVAL;
	if (spec[0] == '@') {
		for (i = 0; i < ARRAY_SIZE(special_keyrings); i++)
			if (!strcmp(spec, special_keyrings[i].name))
				break;
		if (i == ARRAY_SIZE(special_keyrings)) {
			imaevm_log(ctx, LOG_INFO, "unknown special keyring %s", spec);
			return -EINVAL;
		}
		/* create as add_key(2) would: a user keyring always exists */
		id = keyctl_get_keyring_ID(special_keyrings[i].id, 1);
		if (id < 0) {
			err = errno == ENOKEY ? -ENOKEY : -errno;
			imaevm_log(ctx, LOG_INFO, "keyring %s: %s", spec,
				   err == -ENOKEY ? "not found" : strerror(-err));
			return err;
		}
		*serial = id;
		return 0;
	}
	if (spec[0] == '%') {
		const char *colon = strchr(spec, ':');

		if (!colon || (colon != spec + 1 && strncmp(spec, "%keyring:", 9))) {
			imaevm_log(ctx, LOG_INFO, "%s: not a keyring specification "
				   "(%%keyring:NAME)", spec);
			return -EINVAL;
		}
		err = find_by_name(ctx, colon + 1, spec, &id);
	} else {
		errno = 0;
		v = strtol(spec, &end, 10);
		if (*end != '\0') {
			err = find_by_name(ctx, spec, spec, &id);
		} else if (errno || v <= 0 || v > INT32_MAX) {
			imaevm_log(ctx, LOG_INFO, "keyring %s: not a valid serial", spec);
			return -EINVAL;
		} else {
			id = (key_serial_t)v;
			err = 0;
		}
	}
	if (err)
		return err;
	err = check_keyring(ctx, id, spec);
	if (err)
		return err;
	*serial = id;
	return 0;
}

/* add_key(2) with errors told apart for the caller. */
static int add_key_checked(struct imaevm_ctx *ctx, const char *type,
			   const char *desc, const void *payload, size_t plen,
			   int32_t keyring, int32_t *serial)
{
	key_serial_t id;
	int err;

	id = add_key(type, desc, payload, plen, keyring);
	if (id >= 0) {
		*serial = id;
		return 0;
	}
	err = -errno;
	switch (err) {
	case -ENOKEY:
		/* a missing keyring, or a restriction that did not find the signer */
		if (keyring > 0 && check_keyring(ctx, keyring, "given") == 0) {
			imaevm_log(ctx, LOG_INFO, "the keyring accepts only keys signed "
				   "by a trusted key, and the signer was not found");
			err = -EKEYREJECTED;
		}
		break;
	case -EKEYREJECTED:
	case -EPERM:
		imaevm_log(ctx, LOG_INFO, "the keyring's restriction rejected the key");
		err = -EKEYREJECTED;
		break;
	case -ENODEV:
		imaevm_log(ctx, LOG_INFO, "the kernel has no \"%s\" key type", type);
		break;
	case -ENOENT:
	case -ENOPKG:
		/* the parser found no crypto for the key's algorithm */
		imaevm_log(ctx, LOG_INFO, "the kernel cannot use the key's algorithm (%s)",
			   strerror(-err));
		err = -EOPNOTSUPP;
		break;
	case -EBADMSG:
	case -EINVAL:
		imaevm_log(ctx, LOG_INFO, "the kernel cannot parse the key (%s)",
			   strerror(-err));
		err = -EBADMSG;
		break;
	default:
		imaevm_log(ctx, LOG_INFO, "add_key: %s", strerror(-err));
	}
	return err;
}

static int is_pem(const void *buf, size_t len)
{
	return len >= 11 && memmem(buf, len, "-----BEGIN ", 11) != NULL;
}

static X509 *parse_cert(const void *buf, size_t len)
{
	const unsigned char *p = buf;
	X509 *x = NULL;
	BIO *bio;

	if (is_pem(buf, len)) {
		bio = BIO_new_mem_buf(buf, (int)len);
		if (bio)
			x = PEM_read_bio_X509(bio, NULL, NULL, NULL);
		BIO_free(bio);
		return x;
	}
	x = d2i_X509(NULL, &p, (long)len);
	if (x && p != (const unsigned char *)buf + len) {
		X509_free(x);	/* trailing bytes: not one DER certificate */
		x = NULL;
	}
	return x;
}

IMAEVM_EXPORT int imaevm_keyring_import_cert(struct imaevm_ctx *ctx,
					     const void *cert, size_t len,
					     int32_t keyring, int32_t *serial)
{
	unsigned char *der = NULL;
	X509 *x;
	int dlen, err;

	if (!ctx || !cert || !len || len > INT32_MAX || !serial)
		return -EINVAL;
	x = parse_cert(cert, len);
	if (!x) {
		imaevm_log_ossl(ctx, LOG_DEBUG, "certificate");
		imaevm_log(ctx, LOG_INFO, "not an X.509 certificate (DER or PEM)");
		return -EBADMSG;
	}
	dlen = i2d_X509(x, &der);
	X509_free(x);
	if (dlen <= 0)
		return -ENOMEM;
	/* the kernel makes the description from the subject and key id */
	err = add_key_checked(ctx, "asymmetric", NULL, der, (size_t)dlen, keyring,
			      serial);
	OPENSSL_free(der);
	return err;
}

static EVP_PKEY *parse_public_key(const void *buf, size_t len)
{
	EVP_PKEY *pkey = NULL;
	X509 *x;
	BIO *bio;

	if (is_pem(buf, len) && (bio = BIO_new_mem_buf(buf, (int)len))) {
		pkey = PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL);
		BIO_free(bio);
		if (pkey)
			return pkey;
	}
	x = parse_cert(buf, len);
	if (x) {
		pkey = X509_get_pubkey(x);
		X509_free(x);
	}
	return pkey;
}

/* MPI as signature v1 stores it: 16-bit big-endian bit count, magnitude. */
static size_t put_mpi(unsigned char *out, const BIGNUM *bn)
{
	int bits = BN_num_bits(bn);

	out[0] = (unsigned char)(bits >> 8);
	out[1] = (unsigned char)bits;
	return 2 + (size_t)BN_bn2bin(bn, out + 2);
}

IMAEVM_EXPORT int imaevm_keyring_import_rsa_v1(struct imaevm_ctx *ctx,
					       const void *key, size_t len,
					       int32_t keyring, int32_t *serial)
{
	BIGNUM *n = NULL, *e = NULL;
	unsigned char *blob = NULL, sha1[20];
	struct imaevm_digest d;
	unsigned long long id = 0;
	char desc[17];
	size_t blen;
	EVP_PKEY *pkey;
	int err, i;

	if (!ctx || !key || !len || len > INT32_MAX || !serial)
		return -EINVAL;
	pkey = parse_public_key(key, len);
	if (!pkey) {
		imaevm_log_ossl(ctx, LOG_DEBUG, "public key");
		imaevm_log(ctx, LOG_INFO, "not a PEM public key or X.509 certificate");
		return -EBADMSG;
	}
	if (!EVP_PKEY_is_a(pkey, "RSA") ||
	    !EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_RSA_N, &n) ||
	    !EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_RSA_E, &e) ||
	    BN_num_bits(n) > 0xffff) {
		imaevm_log(ctx, LOG_INFO, "--rsa needs an RSA key");
		err = -EOPNOTSUPP;
		goto out;
	}
	blob = malloc(7 + 4 + (size_t)BN_num_bytes(n) + (size_t)BN_num_bytes(e));
	if (!blob) {
		err = -ENOMEM;
		goto out;
	}
	/* struct pubkey_hdr: version 1, timestamp 0, algo 0 (RSA), 2 MPIs */
	memset(blob, 0, 7);
	blob[0] = 1;
	blob[6] = 2;
	blen = 7;
	blen += put_mpi(blob + blen, n);
	blen += put_mpi(blob + blen, e);
	/* key id: bytes 12..19 of the blob's sha1, as in gpg */
	err = imaevm_digest_buf(ctx, blob, blen, IMAEVM_HASH_SHA1, &d);
	if (err)
		goto out;
	memcpy(sha1, d.value, sizeof(sha1));
	for (i = 12; i < 20; i++)
		id = id << 8 | sha1[i];
	snprintf(desc, sizeof(desc), "%llX", id);
	err = add_key_checked(ctx, "user", desc, blob, blen, keyring, serial);
out:
	free(blob);
	BN_free(n);
	BN_free(e);
	EVP_PKEY_free(pkey);
	return err;
}
