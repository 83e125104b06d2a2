// SPDX-License-Identifier: LGPL-2.1-or-later
/* key.c - signing keys (PEM, DER, encrypted, PKCS#11), key ids, verification key sets. */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <openssl/bio.h>
#include <openssl/decoder.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/provider.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "internal.h"

#define KEY_FILE_MAX IMAEVM_KEY_FILE_MAX

int imaevm_open_regular(const char *path, struct stat *stp)
{
	struct stat st;
	int fd, err;

	/* a device is not even opened (opening some has side effects) */
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode))
		return -ENODEV;
	fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0) {
		err = -errno;
		close(fd);
		return err;
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return -ENODEV;
	}
	if (stp)
		*stp = st;
	return fd;
}

/*
 * Read a whole key or certificate file into memory: a regular file
 * (imaevm_open_regular()) of at most KEY_FILE_MAX bytes.  -ENODEV not a
 * regular file, -EFBIG over the cap.
 */
static int read_small_file(struct imaevm_ctx *ctx, const char *path,
			   unsigned char **data, size_t *len)
{
	unsigned char *buf;
	struct stat st;
	size_t got = 0;
	ssize_t n;
	int fd, err = 0;

	fd = imaevm_open_regular(path, &st);
	if (fd < 0) {
		/* the caller names the file and the reason: detail only */
		imaevm_log(ctx, LOG_DEBUG, "%s: %s", path, fd == -ENODEV ?
			   "not a regular file" : strerror(-fd));
		return fd;
	}
	if (st.st_size > KEY_FILE_MAX) {
		imaevm_log(ctx, LOG_DEBUG, "%s: larger than %u bytes, the cap for a key file",
			   path, KEY_FILE_MAX);
		close(fd);
		return -EFBIG;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	while (got < (size_t)st.st_size) {
		n = read(fd, buf + got, (size_t)st.st_size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			err = n < 0 ? -errno : -EIO;
			break;
		}
		got += (size_t)n;
	}
	close(fd);
	if (err) {
		free(buf);
		return err;
	}
	*data = buf;
	*len = got;
	return 0;
}

/* ---- key ids ------------------------------------------------------------- */

/*
 * The kernel and evmctl name a v2 key by the last four bytes of the SHA-1
 * of the subjectPublicKey BIT STRING content (RFC 5280 4.2.1.2 method 1),
 * which is also what X.509 tools put in the subject key identifier.
 */
int imaevm_pkey_keyid(struct imaevm_ctx *ctx, EVP_PKEY *pkey, uint32_t *keyid)
{
	X509_PUBKEY *pk = NULL;
	const unsigned char *pub;
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	int publen, err = 0;

	if (!X509_PUBKEY_set(&pk, pkey) ||
	    !X509_PUBKEY_get0_param(NULL, &pub, &publen, NULL, pk) ||
	    !EVP_Digest(pub, (size_t)publen, md, &mdlen, EVP_sha1(), NULL) ||
	    mdlen != 20) {
		imaevm_log_ossl(ctx, LOG_INFO, "cannot compute the key id");
		err = -EOPNOTSUPP;
	} else {
		*keyid = (uint32_t)md[16] << 24 | (uint32_t)md[17] << 16 |
			 (uint32_t)md[18] << 8 | md[19];
	}
	X509_PUBKEY_free(pk);
	return err;
}

IMAEVM_EXPORT int imaevm_keyid_parse(const char *hex, uint32_t *keyid)
{
	unsigned long v;
	char *end;

	if (!hex || !keyid)
		return -EINVAL;
	if (hex[0] == '0' && (hex[1] == 'x' || hex[1] == 'X'))
		hex += 2;
	if (!*hex || strlen(hex) > 8 || strspn(hex, "0123456789abcdefABCDEF") != strlen(hex))
		return -EINVAL;
	v = strtoul(hex, &end, 16);
	*keyid = (uint32_t)v;
	return 0;
}

/* Parse every certificate in @data (one DER, or one or more PEM). */
static int parse_certs(const unsigned char *data, size_t len,
		       STACK_OF(X509) *out)
{
	const unsigned char *p = data;
	X509 *x;
	BIO *bio;

	if (len >= 5 && !memcmp(data, "-----", 5)) {
		bio = BIO_new_mem_buf(data, (int)len);
		if (!bio)
			return -ENOMEM;
		while ((x = PEM_read_bio_X509(bio, NULL, NULL, NULL)))
			sk_X509_push(out, x);
		BIO_free(bio);
		ERR_clear_error();
		return 0;
	}
	x = d2i_X509(NULL, &p, (long)len);
	if (x)
		sk_X509_push(out, x);
	ERR_clear_error();
	return 0;
}

static int cert_skid_keyid(const X509 *x, uint32_t *keyid)
{
	const ASN1_OCTET_STRING *skid = X509_get0_subject_key_id((X509 *)x);
	const unsigned char *d;
	int n;

	if (!skid)
		return -ENOKEY;
	d = ASN1_STRING_get0_data(skid);
	n = ASN1_STRING_length(skid);
	if (n < 4)
		return -EBADMSG;
	*keyid = (uint32_t)d[n - 4] << 24 | (uint32_t)d[n - 3] << 16 |
		 (uint32_t)d[n - 2] << 8 | d[n - 1];
	return 0;
}

IMAEVM_EXPORT int imaevm_keyid_from_cert(struct imaevm_ctx *ctx, const char *path,
					 uint32_t *keyid)
{
	STACK_OF(X509) *certs;
	unsigned char *data;
	size_t len;
	int err;

	if (!ctx || !path || !keyid)
		return -EINVAL;
	err = read_small_file(ctx, path, &data, &len);
	if (err)
		return err;
	certs = sk_X509_new_null();
	if (!certs) {
		free(data);
		return -ENOMEM;
	}
	err = parse_certs(data, len, certs);
	free(data);
	if (!err && sk_X509_num(certs) < 1) {
		imaevm_log(ctx, LOG_INFO, "%s: no X.509 certificate found", path);
		err = -EBADMSG;
	}
	if (!err) {
		err = cert_skid_keyid(sk_X509_value(certs, 0), keyid);
		if (err == -ENOKEY)
			imaevm_log(ctx, LOG_INFO, "%s: certificate has no subject key identifier", path);
		else if (err)
			imaevm_log(ctx, LOG_INFO, "%s: subject key identifier is shorter than 4 bytes", path);
	}
	sk_X509_pop_free(certs, X509_free);
	return err;
}

/*
 * The key id of a PEM key file that also holds a certificate: that of the
 * certificate's subject key identifier, as 1.6.2 signs (-ENOKEY if there is
 * no certificate with one; then the key's own id is used).
 */
static int appended_cert_keyid(const unsigned char *data, size_t len, uint32_t *keyid)
{
	STACK_OF(X509) *certs = sk_X509_new_null();
	int err = -ENOKEY;

	if (!certs)
		return -ENOMEM;
	if (len >= 5 && !memcmp(data, "-----", 5) && parse_certs(data, len, certs) == 0 &&
	    sk_X509_num(certs) > 0)
		err = cert_skid_keyid(sk_X509_value(certs, 0), keyid);
	sk_X509_pop_free(certs, X509_free);
	return err;
}

/* ---- signing keys -------------------------------------------------------- */

struct pass_state {
	const char *password;
	bool asked;
};

static int pass_cb(char *buf, size_t size, size_t *len,
		   const OSSL_PARAM params[], void *arg)
{
	struct pass_state *ps = arg;
	size_t n;

	(void)params;
	ps->asked = true;
	if (!ps->password)
		return 0;
	n = strlen(ps->password);
	if (n > size)
		return 0;
	memcpy(buf, ps->password, n);
	*len = n;
	return 1;
}

static EVP_PKEY *legacy_decode_private(struct imaevm_ctx *ctx, const unsigned char *data,
					size_t len, const char *password)
{
	const unsigned char *p = data;
	EVP_PKEY *pkey;
	BIO *bio;

	if (len > INT_MAX)
		return NULL;
	if (len < 5 || memcmp(data, "-----", 5))
		return d2i_AutoPrivateKey_ex(NULL, &p, (long)len, ctx->libctx, ctx->propq);
	bio = BIO_new_mem_buf(data, (int)len);
	if (!bio)
		return NULL;
	/* a NULL callback with a password passes it as the passphrase */
	pkey = PEM_read_bio_PrivateKey_ex(bio, NULL, NULL, (void *)password,
					  ctx->libctx, ctx->propq);
	BIO_free(bio);
	return pkey;
}

static int decode_private(struct imaevm_ctx *ctx, const char *path,
			  const unsigned char *data, size_t len,
			  const char *password, EVP_PKEY **out)
{
	struct pass_state ps = { .password = password };
	OSSL_DECODER_CTX *dctx;
	EVP_PKEY *pkey = NULL;
	const unsigned char *p = data;
	size_t left = len;
	int ok;

	dctx = OSSL_DECODER_CTX_new_for_pkey(&pkey, NULL, NULL, NULL,
					     EVP_PKEY_KEYPAIR, ctx->libctx, ctx->propq);
	if (!dctx)
		return -ENOMEM;
	OSSL_DECODER_CTX_set_passphrase_cb(dctx, pass_cb, &ps);
	ok = OSSL_DECODER_from_data(dctx, &p, &left);
	OSSL_DECODER_CTX_free(dctx);
	if (ok && pkey) {
		ERR_clear_error();
		*out = pkey;
		return 0;
	}
	EVP_PKEY_free(pkey);
	if (ps.asked) {
		ERR_clear_error();
		if (!password) {
			imaevm_log(ctx, LOG_INFO, "%s: the private key is encrypted: a password is needed", path);
			return -ENOKEY;
		}
		imaevm_log(ctx, LOG_INFO, "%s: the key does not decrypt with the password given", path);
		return -EACCES;
	}
	/* key types only an engine knows (GOST) are read by the old readers */
	pkey = legacy_decode_private(ctx, data, len, password);
	if (pkey) {
		ERR_clear_error();
		*out = pkey;
		return 0;
	}
	imaevm_log_ossl(ctx, LOG_INFO, path);
	imaevm_log(ctx, LOG_INFO, "%s: not a PEM or DER private key", path);
	return -EBADMSG;
}

static int check_key_type(struct imaevm_ctx *ctx, const char *name, EVP_PKEY *pkey)
{
	if (EVP_PKEY_is_a(pkey, "RSA") || EVP_PKEY_is_a(pkey, "EC"))
		return 0;
	if (EVP_PKEY_is_a(pkey, "SM2"))
		return 0;
	/* GOST R 34.10 keys, from the GOST engine or provider */
	switch (EVP_PKEY_get_base_id(pkey)) {
	case NID_id_GostR3410_2001:
	case NID_id_GostR3410_2012_256:
	case NID_id_GostR3410_2012_512:
		return 0;
	}
	if (EVP_PKEY_is_a(pkey, "gost2012_256") || EVP_PKEY_is_a(pkey, "gost2012_512") ||
	    EVP_PKEY_is_a(pkey, "gost2001"))
		return 0;
	imaevm_log(ctx, LOG_INFO, "%s: unsupported key type %s (need RSA, EC, SM2 or GOST)", name,
		   EVP_PKEY_get0_type_name(pkey) ? EVP_PKEY_get0_type_name(pkey) : "?");
	return -EOPNOTSUPP;
}

/*
 * "handle:0x81000001", "tpm2:...", "file:...": an OSSL_STORE URI, for a
 * loaded provider.  A file of that name, if there is one, wins.
 */
static bool is_store_uri(const char *path)
{
	size_t n = strspn(path, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-");
	struct stat st;

	if (n < 2 || path[n] != ':' || !((path[0] | 0x20) >= 'a' && (path[0] | 0x20) <= 'z'))
		return false;
	return stat(path, &st) != 0;
}

/*
 * A "file:" URI names a file, which OSSL_STORE would open blocking: the
 * same refusal of FIFOs and devices as for a path (-ENODEV).
 */
static int store_uri_file_check(struct imaevm_ctx *ctx, const char *uri)
{
	const char *p = uri + 5;
	struct stat st;

	if (strncasecmp(uri, "file:", 5))
		return 0;
	if (!strncmp(p, "//", 2)) {
		p += 2;
		if (!strncasecmp(p, "localhost", 9))
			p += 9;
	}
	if (*p == '/' && stat(p, &st) == 0 && !S_ISREG(st.st_mode)) {
		imaevm_log(ctx, LOG_DEBUG, "%s: not a regular file", p);
		return -ENODEV;
	}
	return 0;
}

/* Whether OpenSSL's own providers hold @pkey (not a TPM, token or engine). */
static bool in_builtin_provider(struct imaevm_ctx *ctx, EVP_PKEY *pkey)
{
	EVP_PKEY_CTX *pctx = EVP_PKEY_CTX_new_from_pkey(ctx->libctx, pkey, ctx->propq);
	const OSSL_PROVIDER *prov = NULL;
	const char *name = NULL;
	bool builtin;

	/* the provider that signs is known once signing is set up */
	if (pctx && EVP_PKEY_sign_init(pctx) > 0)
		prov = EVP_PKEY_CTX_get0_provider(pctx);
	name = prov ? OSSL_PROVIDER_get0_name(prov) : NULL;
	builtin = name && (!strcmp(name, "default") || !strcmp(name, "fips") ||
			   !strcmp(name, "base"));

	EVP_PKEY_CTX_free(pctx);
	ERR_clear_error();
	return builtin;
}

IMAEVM_EXPORT int imaevm_signing_key_load(struct imaevm_ctx *ctx,
					  const struct imaevm_key_params *params,
					  struct imaevm_signing_key **keyp)
{
	struct imaevm_signing_key *key;
	unsigned char *data = NULL;
	EVP_PKEY *pkey = NULL;
	void *engine = NULL;
	bool from_store = false, have_cert_keyid = false;
	uint32_t cert_keyid = 0;
	size_t len;
	int err;

	if (!ctx || !params || !params->path || !keyp)
		return -EINVAL;
	if (!strncmp(params->path, "pkcs11:", 7)) {
		/* the only keys an engine loads: a file stays a file */
		err = imaevm_engine_load_key(ctx, params->engine ? params->engine : "pkcs11",
					     params->path, params->password, &pkey, &engine);
		from_store = !engine;
	} else if (is_store_uri(params->path)) {
		err = store_uri_file_check(ctx, params->path);
		if (!err)
			err = imaevm_store_load_key(ctx, params->path, params->password, &pkey);
		from_store = true;
	} else {
		err = read_small_file(ctx, params->path, &data, &len);
		if (!err)
			err = decode_private(ctx, params->path, data, len,
					     params->password, &pkey);
		if (!err && !params->keyid_set &&
		    appended_cert_keyid(data, len, &cert_keyid) == 0)
			have_cert_keyid = true;
		if (data)
			OPENSSL_cleanse(data, len);
		free(data);
	}
	if (err)
		return err;
	err = check_key_type(ctx, params->path, pkey);
	if (err)
		goto fail;
	key = calloc(1, sizeof(*key));
	if (!key) {
		err = -ENOMEM;
		goto fail;
	}
	if (pthread_mutex_init(&key->token_lock, NULL)) {
		free(key);
		err = -ENOMEM;
		goto fail;
	}
	key->pkey = pkey;
	key->engine = engine;
	key->token = engine || from_store || !in_builtin_provider(ctx, pkey);
	if (params->keyid_set) {
		key->keyid = params->keyid;
	} else if (have_cert_keyid) {
		key->keyid = cert_keyid;
	} else {
		err = imaevm_pkey_keyid(ctx, pkey, &key->keyid);
		if (err) {
			pthread_mutex_destroy(&key->token_lock);
			free(key);
			goto fail;
		}
	}
	imaevm_log(ctx, LOG_DEBUG, "%s: %s key, %d bits, key id %08x%s", params->path,
		   EVP_PKEY_get0_type_name(pkey) ? EVP_PKEY_get0_type_name(pkey) : "?",
		   EVP_PKEY_get_bits(pkey), key->keyid,
		   key->token ? " (in a token, TPM or engine: signs one at a time)" : "");
	*keyp = key;
	return 0;
fail:
	EVP_PKEY_free(pkey);
	imaevm_engine_release(engine);
	return err;
}

IMAEVM_EXPORT void imaevm_signing_key_free(struct imaevm_signing_key *key)
{
	if (!key)
		return;
	imaevm_pkey_op_ctx_free_all(key->sign_tmpl, ARRAY_SIZE(key->sign_tmpl));
	EVP_PKEY_free(key->pkey);
	imaevm_engine_release(key->engine);
	pthread_mutex_destroy(&key->token_lock);
	free(key);
}

IMAEVM_EXPORT uint32_t imaevm_signing_key_id(const struct imaevm_signing_key *key)
{
	return key ? key->keyid : 0;
}

IMAEVM_EXPORT int imaevm_signing_key_max_size(const struct imaevm_signing_key *key)
{
	return key ? EVP_PKEY_get_size(key->pkey) : -EINVAL;
}

/* ---- verification key sets ---------------------------------------------- */

IMAEVM_EXPORT int imaevm_keyset_new(struct imaevm_keyset **ksp)
{
	if (!ksp)
		return -EINVAL;
	*ksp = calloc(1, sizeof(**ksp));
	return *ksp ? 0 : -ENOMEM;
}

IMAEVM_EXPORT void imaevm_keyset_free(struct imaevm_keyset *ks)
{
	size_t i;

	if (!ks)
		return;
	for (i = 0; i < ks->n; i++) {
		imaevm_pkey_op_ctx_free_all(ks->keys[i].verify_tmpl,
					    ARRAY_SIZE(ks->keys[i].verify_tmpl));
		EVP_PKEY_free(ks->keys[i].pkey);
		X509_free(ks->keys[i].cert);
		free(ks->keys[i].name);
	}
	free(ks->keys);
	free(ks);
}

static int keyset_push(struct imaevm_ctx *ctx, struct imaevm_keyset *ks,
		       const char *path, EVP_PKEY *pkey, const X509 *cert)
{
	struct imaevm_pubkey *grown, *k;
	int err;

	grown = realloc(ks->keys, (ks->n + 1) * sizeof(*grown));
	if (!grown)
		return -ENOMEM;
	ks->keys = grown;
	k = &ks->keys[ks->n];
	memset(k, 0, sizeof(*k));
	err = imaevm_pkey_keyid(ctx, pkey, &k->keyid);
	if (err)
		return err;
	if (cert && cert_skid_keyid(cert, &k->skid_keyid) == 0)
		k->has_skid = true;
	k->name = strdup(path);
	if (!k->name)
		return -ENOMEM;
	if (cert) {
		if (!X509_up_ref((X509 *)cert)) {
			free(k->name);
			return -ENOMEM;
		}
		k->cert = (X509 *)cert;
	}
	k->pkey = pkey;
	ks->n++;
	imaevm_log(ctx, LOG_INFO, "key %zu: %08x %s", ks->n, k->keyid, path);
	return 0;
}

/* Verification never asks for a password (OpenSSL would prompt on the tty). */
static int no_password(char *buf, int size, int rwflag, void *arg)
{
	(void)buf;
	(void)size;
	(void)rwflag;
	(void)arg;
	return -1;
}

static EVP_PKEY *decode_pubkey(const unsigned char *data, size_t len)
{
	const unsigned char *p = data;
	EVP_PKEY *pkey;
	BIO *bio;

	if (len >= 5 && !memcmp(data, "-----", 5)) {
		bio = BIO_new_mem_buf(data, (int)len);
		pkey = bio ? PEM_read_bio_PUBKEY(bio, NULL, no_password, NULL) : NULL;
		BIO_free(bio);
	} else {
		pkey = d2i_PUBKEY(NULL, &p, (long)len);
	}
	ERR_clear_error();
	return pkey;
}

/*
 * A private key given for verification serves by its public half, as
 * openssl dgst -verify takes it; only that half is kept in the set.  An
 * encrypted one is not opened (no password is asked to verify).
 */
static EVP_PKEY *public_of_private(struct imaevm_ctx *ctx, const char *path,
				   const unsigned char *data, size_t len)
{
	EVP_PKEY *priv = NULL, *pub = NULL;
	unsigned char *der = NULL;
	const unsigned char *p;
	int n;

	if (decode_private(ctx, path, data, len, NULL, &priv))
		return NULL;
	n = i2d_PUBKEY(priv, &der);
	if (n > 0) {
		p = der;
		pub = d2i_PUBKEY_ex(NULL, &p, n, ctx->libctx, ctx->propq);
	}
	OPENSSL_free(der);
	EVP_PKEY_free(priv);
	ERR_clear_error();
	if (pub)
		imaevm_log(ctx, LOG_INFO, "%s: a private key: verifying with its public half", path);
	return pub;
}

IMAEVM_EXPORT int imaevm_keyset_add_file(struct imaevm_ctx *ctx,
					 struct imaevm_keyset *ks, const char *path)
{
	STACK_OF(X509) *certs;
	unsigned char *data;
	EVP_PKEY *pkey;
	size_t len;
	int i, err, added = 0;

	if (!ctx || !ks || !path)
		return -EINVAL;
	err = read_small_file(ctx, path, &data, &len);
	if (err)
		return err;
	certs = sk_X509_new_null();
	if (!certs) {
		free(data);
		return -ENOMEM;
	}
	err = parse_certs(data, len, certs);
	for (i = 0; !err && i < sk_X509_num(certs); i++) {
		X509 *x = sk_X509_value(certs, i);

		pkey = X509_get_pubkey(x);
		if (!pkey) {
			imaevm_log_ossl(ctx, LOG_INFO, path);
			err = -EBADMSG;
			break;
		}
		err = keyset_push(ctx, ks, path, pkey, x);
		if (err)
			EVP_PKEY_free(pkey);
		else
			added++;
	}
	if (!err && !added) {
		pkey = decode_pubkey(data, len);
		if (!pkey)
			pkey = public_of_private(ctx, path, data, len);
		if (pkey) {
			err = keyset_push(ctx, ks, path, pkey, NULL);
			if (err)
				EVP_PKEY_free(pkey);
			else
				added++;
		} else {
			imaevm_log(ctx, LOG_INFO, "%s: no certificate, public key or unencrypted private key found",
				   path);
			err = -EBADMSG;
		}
	}
	sk_X509_pop_free(certs, X509_free);
	free(data);
	return err ? err : added;
}

IMAEVM_EXPORT size_t imaevm_keyset_count(const struct imaevm_keyset *ks)
{
	return ks ? ks->n : 0;
}

const struct imaevm_pubkey *imaevm_keyset_find(const struct imaevm_keyset *ks,
					       uint32_t keyid)
{
	size_t i;

	for (i = 0; i < ks->n; i++)
		if (ks->keys[i].keyid == keyid)
			return &ks->keys[i];
	for (i = 0; i < ks->n; i++)
		if (ks->keys[i].has_skid && ks->keys[i].skid_keyid == keyid)
			return &ks->keys[i];
	return NULL;
}
