// SPDX-License-Identifier: LGPL-2.1-or-later
/* compat.c - the old libimaevm calls (1.4 and 1.6 names) as wrappers over the new API:
 * global settings, key lists, hashing, signing, verification. */
#include "config.h"

/* read_pub_key() and key2bin() hand out RSA objects, as the old API did. */
#define OPENSSL_SUPPRESS_DEPRECATED 1

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#ifdef ENABLE_ENGINE
#include <openssl/engine.h>
#endif

#include "internal.h"
#include "compat-internal.h"

/* The only global state of the library: the old API is defined by it. */
IMAEVM_EXPORT struct libimaevm_params imaevm_params = {
	.verbose = LOG_INFO,
	.x509 = 1,
	.hash_algo = DEFAULT_HASH_ALGO,
};

struct public_key_entry {
	struct imaevm_keyset *ks;
};

static struct public_key_entry *g_public_keys;
static struct imaevm_ctx *g_ctx;
static pthread_once_t g_ctx_once = PTHREAD_ONCE_INIT;

static void compat_log_fn(void *opaque, int priority, const char *msg)
{
	(void)opaque;
	if (priority <= imaevm_params.verbose)
		fprintf(stderr, "%s\n", msg);
}

static void compat_ctx_init(void)
{
	if (imaevm_ctx_new(&g_ctx) == 0)
		imaevm_ctx_set_log(g_ctx, compat_log_fn, NULL, LOG_DEBUG);
}

/* The context of the old calls (messages to stderr by imaevm_params.verbose). */
struct imaevm_ctx *compat_ctx(void)
{
	pthread_once(&g_ctx_once, compat_ctx_init);
	return g_ctx;
}

void compat_msg(int priority, const char *fmt, ...)
{
	va_list ap;

	if (priority > imaevm_params.verbose)
		return;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* ---- file digests ---------------------------------------------------------- */

IMAEVM_EXPORT int ima_calc_hash2(const char *file, const char *hash_algo, uint8_t *hash)
{
	struct imaevm_ctx *ctx = compat_ctx();
	struct imaevm_digest d;
	struct stat st;
	int algo = imaevm_get_hash_algo(hash_algo);
	int err;

	if (!ctx || !file || !hash)
		return -1;
	if (algo < 0) {
		compat_msg(LOG_ERR, "unknown hash algorithm: %s", hash_algo ? hash_algo : "(null)");
		return -1;
	}
	if (lstat(file, &st) < 0) {
		compat_msg(LOG_ERR, "Failed to stat: %s: %s", file, strerror(errno));
		return -1;
	}
	switch (st.st_mode & S_IFMT) {
	case S_IFREG:
		err = imaevm_digest_path(ctx, file, algo, &d);
		break;
	case S_IFLNK: {
		char target[4096];
		ssize_t n = readlink(file, target, sizeof(target));

		if (n < 0) {
			compat_msg(LOG_ERR, "readlink() failed: %s", file);
			return -1;
		}
		err = imaevm_digest_buf(ctx, target, (size_t)n, algo, &d);
		break;
	}
	case S_IFIFO:
	case S_IFSOCK:
	case S_IFCHR:
	case S_IFBLK: {
		uint32_t dev = (uint32_t)st.st_rdev;

		err = imaevm_digest_buf(ctx, &dev, sizeof(dev), algo, &d);
		break;
	}
	default:
		compat_msg(LOG_ERR, "%s: unsupported file type", file);
		return -1;
	}
	if (err) {
		compat_msg(LOG_ERR, "%s: cannot hash: %s", file, imaevm_strerror(err));
		return -1;
	}
	memcpy(hash, d.value, d.len);
	return (int)d.len;
}

IMAEVM_EXPORT int ima_calc_hash(const char *file, uint8_t *hash)
{
	return ima_calc_hash2(file, imaevm_params.hash_algo, hash);
}

IMAEVM_EXPORT int calc_hash_sigv3(enum evm_ima_xattr_type type, const char *algo,
				  const unsigned char *in_hash, unsigned char *out_hash)
{
	struct imaevm_ctx *ctx = compat_ctx();
	struct imaevm_digest in, out;
	int id = imaevm_get_hash_algo(algo), size, err;

	if (type != IMA_VERITY_DIGSIG && type != EVM_IMA_XATTR_DIGSIG) {
		compat_msg(LOG_ERR, "Only fsverity and IMA/EVM support signature format v3 (sigv3)");
		return -EINVAL;
	}
	if (!ctx)
		return -ENOMEM;
	size = imaevm_hash_algo_size(id);
	if (id < 0 || size < 0 || !in_hash || !out_hash)
		return -EINVAL;
	in.algo = id;
	in.len = (size_t)size;
	memcpy(in.value, in_hash, in.len);
	err = imaevm_file_id_digest(ctx, (int)type, &in, &out);
	if (err)
		return err == -ENOMEM ? -ENOMEM : -EINVAL;
	memcpy(out_hash, out.value, out.len);
	return (int)out.len;
}

/* Add each file of the comma-separated @keyfiles; one that cannot be read
 * is reported and skipped (as 1.6.2 does).  -1 only without memory. */
static int add_keyfiles(struct imaevm_keyset *ks, const char *keyfiles)
{
	struct imaevm_ctx *ctx = compat_ctx();
	char *list, *name, *save = NULL;
	int ret = 0, err;

	if (!ctx || !keyfiles)
		return -1;
	list = strdup(keyfiles);
	if (!list)
		return -1;
	for (name = strtok_r(list, ",", &save); name; name = strtok_r(NULL, ",", &save)) {
		err = imaevm_keyset_add_file(ctx, ks, name);
		if (err == -ENOMEM)
			ret = -1;
		else if (err < 0)
			compat_msg(LOG_INFO, "%s: cannot read a public key, skipped: %s", name,
				   imaevm_strerror(err));
	}
	free(list);
	return ret;
}

IMAEVM_EXPORT void imaevm_free_public_keys(struct public_key_entry *public_keys)
{
	if (!public_keys)
		return;
	imaevm_keyset_free(public_keys->ks);
	free(public_keys);
}

static struct public_key_entry *new_key_list(void)
{
	struct public_key_entry *pk = calloc(1, sizeof(*pk));

	if (pk && imaevm_keyset_new(&pk->ks)) {
		free(pk);
		pk = NULL;
	}
	return pk;
}

IMAEVM_EXPORT int imaevm_init_public_keys(const char *keyfiles,
					  struct public_key_entry **public_keys)
{
	struct public_key_entry *pk;

	if (!public_keys)
		return -EINVAL;
	*public_keys = NULL;
	pk = new_key_list();
	if (!pk)
		return -1;
	if (add_keyfiles(pk->ks, keyfiles) < 0) {
		imaevm_free_public_keys(pk);
		return -1;
	}
	/* no key read: success with no list, as 1.6.2 answers */
	if (imaevm_keyset_count(pk->ks) == 0) {
		imaevm_free_public_keys(pk);
		return 0;
	}
	*public_keys = pk;
	return 0;
}

IMAEVM_EXPORT void init_public_keys(const char *keyfiles)
{
	if (!g_public_keys)
		g_public_keys = new_key_list();
	if (g_public_keys)
		add_keyfiles(g_public_keys->ks, keyfiles);
}

/* ---- signing ------------------------------------------------------------------ */

static int do_sign(const char *hashalgo, const unsigned char *hash, int size,
		   const char *keyfile, const char *keypass, const char *engine,
		   uint32_t keyid, unsigned char *sig)
{
	struct imaevm_ctx *ctx = compat_ctx();
	struct imaevm_key_params kp = { 0 };
	struct imaevm_signing_key *key = NULL;
	struct imaevm_digest d;
	unsigned char *value = NULL;
	size_t len = 0;
	int algo = imaevm_get_hash_algo(hashalgo), err;

	if (!ctx || !hash || size < 0 || !keyfile || !sig)
		return -1;
	if (algo < 0 || size != imaevm_hash_algo_size(algo) || size > IMAEVM_MAX_DIGEST_SIZE) {
		compat_msg(LOG_ERR, "sign_hash: bad hash algorithm or size: %s, %d",
			   hashalgo ? hashalgo : "(null)", size);
		return -1;
	}
	d.algo = algo;
	d.len = (size_t)size;
	memcpy(d.value, hash, d.len);
	/* the engine loads "pkcs11:" URIs only: a file is read as a file (with
	 * the engine as OpenSSL's default, as the program set it) */
	if (engine && strncmp(keyfile, "pkcs11:", 7))
		engine = NULL;
	kp.path = keyfile;
	kp.password = keypass;
	kp.engine = engine;
	kp.keyid_set = keyid != 0;
	kp.keyid = keyid;
	err = imaevm_signing_key_load(ctx, &kp, &key);
	if (!err)
		err = imaevm_sign_digest(ctx, key, &d, 2, &value, &len);
	imaevm_signing_key_free(key);
	if (err) {
		compat_msg(LOG_ERR, "sign_hash: %s: %s", keyfile, imaevm_strerror(err));
		return -1;
	}
	if (len - 1 > MAX_SIGNATURE_SIZE - 1) {
		imaevm_free(value);
		return -1;
	}
	/* the old calls return the signature without the xattr type byte */
	memcpy(sig, value + 1, len - 1);
	imaevm_free(value);
	return (int)(len - 1);
}

static const char *engine_id(struct engine_st *eng)
{
#ifdef ENABLE_ENGINE
	return eng ? ENGINE_get_id(eng) : NULL;
#else
	(void)eng;
	return NULL;
#endif
}

IMAEVM_EXPORT int sign_hash(const char *algo, const unsigned char *hash, int size,
			    const char *keyfile, const char *keypass, unsigned char *sig)
{
	if (!imaevm_params.x509) {
		compat_msg(LOG_ERR, "sign_hash: signature v1 is not supported");
		return -1;
	}
	if (!keypass)
		keypass = imaevm_params.keypass;
	return do_sign(algo, hash, size, keyfile, keypass, engine_id(imaevm_params.eng),
		       imaevm_params.keyid, sig);
}

IMAEVM_EXPORT int imaevm_signhash(const char *hashalgo, const unsigned char *hash, int size,
				  const char *keyfile, const char *keypass,
				  unsigned char *sig, long sigflags,
				  const struct imaevm_ossl_access *access_info,
				  uint32_t keyid)
{
	const char *engine = NULL;

	if (sigflags & ~(long)IMAEVM_SIGFLAGS_SUPPORT) {
		errno = EINVAL;
		return -1;
	}
	if (sigflags & IMAEVM_SIGFLAG_SIGNATURE_V1) {
		compat_msg(LOG_INFO, "Signature version 1 deprecated.");
		return -1;
	}
	if (access_info) {
		switch (access_info->type) {
		case IMAEVM_OSSL_ACCESS_TYPE_NONE:
		case IMAEVM_OSSL_ACCESS_TYPE_PROVIDER:
			break;
		case IMAEVM_OSSL_ACCESS_TYPE_ENGINE:
			engine = engine_id(access_info->u.engine);
			break;
		default:
			errno = EINVAL;
			return -1;
		}
	}
	return do_sign(hashalgo, hash, size, keyfile, keypass, engine, keyid, sig);
}

/* ---- verification ----------------------------------------------------------- */

/* Map a new-API result to the old one: 0 valid, 1 bad signature, -1 error. */
static int old_result(const char *file, int err, int version)
{
	if (!err)
		return 0;
	compat_msg(LOG_ERR, "%s: verification failed: %s", file ? file : "", imaevm_strerror(err));
	if (err == -EKEYREJECTED || (version == 1 && err == -ENOKEY))
		return 1;
	return -1;
}

IMAEVM_EXPORT int imaevm_verify_hash(struct public_key_entry *public_keys, const char *file,
				     const char *hash_algo, const unsigned char *hash,
				     int size, unsigned char *sig, int siglen)
{
	struct imaevm_ctx *ctx = compat_ctx();
	struct imaevm_keyset *v1ks = NULL;
	const struct imaevm_keyset *ks;
	struct imaevm_digest d;
	unsigned char *value;
	int algo, err;

	/* @sig is the whole xattr value: type byte, then version */
	if (!ctx || !hash || !sig || siglen < 3 || size < 0 || size > IMAEVM_MAX_DIGEST_SIZE)
		return -1;
	if (sig[0] != EVM_IMA_XATTR_DIGSIG && sig[0] != EVM_XATTR_PORTABLE_DIGSIG &&
	    sig[0] != IMA_VERITY_DIGSIG) {
		compat_msg(LOG_ERR, "%s: not a signature (type %d)", file ? file : "", sig[0]);
		return -1;
	}
	algo = imaevm_hash_algo_from_sig(sig + 1);
	if (algo < 0 && hash_algo)
		algo = imaevm_get_hash_algo(hash_algo);
	if (algo < 0) {
		compat_msg(LOG_ERR, "%s: unknown signature version or algorithm", file ? file : "");
		return -1;
	}
	if (sig[1] == DIGSIG_VERSION_1) {
		const char *kf = imaevm_params.keyfile ? imaevm_params.keyfile :
				 "/etc/keys/pubkey_evm.pem";

		if (imaevm_keyset_new(&v1ks) || imaevm_keyset_add_file(ctx, v1ks, kf) < 0) {
			compat_msg(LOG_ERR, "%s: cannot read the v1 key", kf);
			imaevm_keyset_free(v1ks);
			return -1;
		}
		ks = v1ks;
	} else {
		if (!public_keys)
			public_keys = g_public_keys;
		if (!public_keys) {
			compat_msg(LOG_ERR, "%s: no public keys loaded", file ? file : "");
			return -1;
		}
		ks = public_keys->ks;
	}
	value = malloc((size_t)siglen);
	if (!value) {
		imaevm_keyset_free(v1ks);
		return -1;
	}
	/* a portable EVM signature is a v2 signature under another type byte */
	memcpy(value, sig, (size_t)siglen);
	if (value[0] == EVM_XATTR_PORTABLE_DIGSIG)
		value[0] = EVM_IMA_XATTR_DIGSIG;
	d.algo = algo;
	d.len = (size_t)size;
	memcpy(d.value, hash, d.len);
	err = imaevm_verify_digest(ctx, ks, value, (size_t)siglen, &d, NULL);
	free(value);
	imaevm_keyset_free(v1ks);
	return old_result(file, err, sig[1]);
}

IMAEVM_EXPORT int verify_hash(const char *file, const unsigned char *hash, int size,
			      unsigned char *sig, int siglen)
{
	return imaevm_verify_hash(NULL, file, NULL, hash, size, sig, siglen);
}

IMAEVM_EXPORT int ima_verify_signature2(struct public_key_entry *public_keys, const char *file,
					unsigned char *sig, int siglen,
					unsigned char *digest, int digestlen)
{
	unsigned char hash[MAX_DIGEST_SIZE];
	int algo, len;

	if (!sig || siglen < 3)
		return -1;
	if (sig[0] != EVM_IMA_XATTR_DIGSIG && sig[0] != IMA_VERITY_DIGSIG) {
		compat_msg(LOG_ERR, "%s: xattr ima has no signature", file ? file : "");
		return -1;
	}
	if (digest && digestlen > 0)
		return imaevm_verify_hash(public_keys, file, NULL, digest, digestlen, sig, siglen);
	algo = imaevm_hash_algo_from_sig(sig + 1);
	if (algo < 0 || !file) {
		compat_msg(LOG_ERR, "%s: Invalid signature", file ? file : "");
		return -1;
	}
	if (sig[0] == IMA_VERITY_DIGSIG) {
		struct imaevm_digest d;
		int fd = open(file, O_RDONLY | O_CLOEXEC);
		int err = -errno;

		if (fd >= 0) {
			err = imaevm_verity_digest_fd(compat_ctx(), fd, algo, &d);
			close(fd);
		}
		if (err) {
			compat_msg(LOG_ERR, "%s: %s", file, imaevm_strerror(err));
			return -1;
		}
		memcpy(hash, d.value, d.len);
		len = (int)d.len;
	} else {
		len = ima_calc_hash2(file, imaevm_hash_algo_by_id(algo), hash);
		if (len <= 1)
			return len;
	}
	return imaevm_verify_hash(public_keys, file, NULL, hash, len, sig, siglen);
}

IMAEVM_EXPORT int ima_verify_signature(const char *file, unsigned char *sig, int siglen,
				       unsigned char *digest, int digestlen)
{
	return ima_verify_signature2(NULL, file, sig, siglen, digest, digestlen);
}
