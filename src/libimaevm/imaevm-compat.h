/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * imaevm-compat.h - the interface of the old libimaevm (ima-evm-utils 1.6.2,
 * which contains 1.4's), kept so existing programs build and run unchanged.
 *
 * imaevm.h includes this file at its end unless IMAEVM_NO_COMPAT is
 * defined, so "#include <imaevm.h>" gives an old program everything the
 * old header declared.  New code should define IMAEVM_NO_COMPAT and use
 * the context-based API only: these functions share global state
 * (imaevm_params, the key list of init_public_keys()) and are NOT
 * thread-safe.
 *
 * As the old header did, this one includes OpenSSL's headers (RSA,
 * EVP_PKEY, ENGINE and OSSL_PROVIDER are declared for the program), and it
 * keeps the old logging macros (log_info() ...; see below).
 *
 * Return conventions are the OLD ones, not the negative errno values of
 * the new API: see each function.  The library's own messages go to stderr
 * when their priority is at most imaevm_params.verbose.
 */
#ifndef IMAEVM_COMPAT_H
#define IMAEVM_COMPAT_H

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <sys/types.h>
#include <linux/fs.h>
#include <openssl/opensslconf.h>
#include <openssl/rsa.h>
#if !defined(OPENSSL_NO_ENGINE)
#include <openssl/engine.h>
#endif
#if OPENSSL_VERSION_NUMBER >= 0x30000000L
#include <openssl/provider.h>
#endif

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Old logging macros, for the program's own messages (the library does not
 * use them).  With USE_FPRINTF defined before the include, do_log() prints
 * to stderr when @level <= imaevm_params.verbose; without it, it calls
 * syslog().  log_debug() is active only with DEBUG defined.  They need
 * GNU C (variadic macro extension).
 */
#ifdef USE_FPRINTF
#define do_log(level, fmt, ...) \
	((level) <= imaevm_params.verbose ? fprintf(stderr, fmt, ##__VA_ARGS__) : 0)
#define do_log_dump(level, p, len, cr) \
	do { if ((level) <= imaevm_params.verbose) imaevm_do_hexdump(stderr, p, len, cr); } while (0)
#else
#define do_log(level, fmt, ...)		syslog(level, fmt, ##__VA_ARGS__)
#define do_log_dump(level, p, len, cr)	do { } while (0)
#endif
#ifdef DEBUG
#define log_debug(fmt, ...) \
	do_log(LOG_DEBUG, "%s:%d " fmt, __func__, __LINE__, ##__VA_ARGS__)
#define log_debug_dump(p, len)		do_log_dump(LOG_DEBUG, p, len, true)
#define log_debug_dump_n(p, len)	do_log_dump(LOG_DEBUG, p, len, false)
#else
#define log_debug(fmt, ...)		do { } while (0)
#define log_debug_dump(p, len)		do { } while (0)
#define log_debug_dump_n(p, len)	do { } while (0)
#endif
#define log_dump(p, len)		do_log_dump(LOG_INFO, p, len, true)
#define log_dump_n(p, len)		do_log_dump(LOG_INFO, p, len, false)
#define log_info(fmt, ...)		do_log(LOG_INFO, fmt, ##__VA_ARGS__)
#define log_err(fmt, ...)		do_log(LOG_ERR, fmt, ##__VA_ARGS__)
/* @fmt plus ": errno: <text> (<number>)" and a newline */
#define log_errno(fmt, ...) \
	do_log(LOG_ERR, fmt ": errno: %s (%d)\n", ##__VA_ARGS__, strerror(errno), errno)

/* The calls 1.6 marked deprecated warn unless IMAEVM_SUPPRESS_DEPRECATED. */
#ifdef IMAEVM_SUPPRESS_DEPRECATED
#define IMAEVM_DEPRECATED
#else
#define IMAEVM_DEPRECATED __attribute__((deprecated))
#endif

#ifndef DEFAULT_HASH_ALGO
#define DEFAULT_HASH_ALGO "sha256"
#endif
#define DATA_SIZE		4096
#define SHA1_HASH_LEN		20
#define MAX_DIGEST_SIZE		64
#define MAX_SIGNATURE_SIZE	1024
/* room for the data of one measurement list entry (ima-modsig is the largest) */
#define MAX_TEMPLATE_SIZE	(MAX_SIGNATURE_SIZE * 4)
#define NUM_PCRS		24
#define DEFAULT_PCR		10
#ifndef __packed
#define __packed __attribute__((packed))
#endif

/* First byte of security.ima / security.evm (enum imaevm_xattr_type). */
enum evm_ima_xattr_type {
	IMA_XATTR_DIGEST = 0x01,
	EVM_XATTR_HMAC,
	EVM_IMA_XATTR_DIGSIG,
	IMA_XATTR_DIGEST_NG,
	EVM_XATTR_PORTABLE_DIGSIG,
	IMA_VERITY_DIGSIG,
};

/* File metadata hashed into an EVM HMAC / signature (old layouts). */
struct h_misc {
	unsigned long ino;
	uint32_t generation;
	uid_t uid;
	gid_t gid;
	unsigned short mode;
};

struct h_misc_32 {
	uint32_t ino;
	uint32_t generation;
	uid_t uid;
	gid_t gid;
	unsigned short mode;
};

struct h_misc_64 {
	uint64_t ino;
	uint32_t generation;
	uid_t uid;
	gid_t gid;
	unsigned short mode;
};

struct h_misc_digsig {
	uid_t uid;
	gid_t gid;
	unsigned short mode;
};

enum pubkey_algo {
	PUBKEY_ALGO_RSA,
	PUBKEY_ALGO_MAX,
};

/* Hash field of a v1 signature header. */
enum digest_algo {
	DIGEST_ALGO_SHA1,
	DIGEST_ALGO_SHA256,
	DIGEST_ALGO_MAX
};

enum digsig_version {
	DIGSIG_VERSION_1 = 1,
	DIGSIG_VERSION_2,
	DIGSIG_VERSION_3,
};

/* Header of a v1 public key blob (key2bin()). */
struct pubkey_hdr {
	uint8_t version;
	uint32_t timestamp;
	uint8_t algo;
	uint8_t nmpi;
	char mpi[];
} __attribute__((packed));

/* Header of a v1 signature. */
struct signature_hdr {
	uint8_t version;
	uint32_t timestamp;
	uint8_t algo;
	uint8_t hash;
	uint8_t keyid[8];
	uint8_t nmpi;
	char mpi[];
} __attribute__((packed));

/* Kernel hash_info ids (same numbers as enum imaevm_hash_algo). */
enum pkey_hash_algo {
	PKEY_HASH_MD4,
	PKEY_HASH_MD5,
	PKEY_HASH_SHA1,
	PKEY_HASH_RIPE_MD_160,
	PKEY_HASH_SHA256,
	PKEY_HASH_SHA384,
	PKEY_HASH_SHA512,
	PKEY_HASH_SHA224,
	PKEY_HASH_RIPE_MD_128,
	PKEY_HASH_RIPE_MD_256,
	PKEY_HASH_RIPE_MD_320,
	PKEY_HASH_WP_256,
	PKEY_HASH_WP_384,
	PKEY_HASH_WP_512,
	PKEY_HASH_TGR_128,
	PKEY_HASH_TGR_160,
	PKEY_HASH_TGR_192,
	PKEY_HASH_SM3_256,
	PKEY_HASH_STREEBOG_256,
	PKEY_HASH_STREEBOG_512,
	PKEY_HASH__LAST
};

/* Header of a v2 (and v3) signature, after the xattr type byte; big endian. */
struct signature_v2_hdr {
	uint8_t version;
	uint8_t hash_algo;
	uint32_t keyid;
	uint16_t sig_size;
	uint8_t sig[];
} __attribute__((packed));

/**
 * struct libimaevm_params - settings of the old calls (global: not thread-safe).
 * @verbose:   messages up to this syslog priority go to stderr (LOG_INFO)
 * @x509:      1: keys are X.509 certificates and signatures are v2 (default);
 *             0: v1 (RSA public keys in PEM; signing v1 is not supported)
 * @hash_algo: algorithm of ima_calc_hash() ("sha256")
 * @keyfile:   RSA public key for v1 verification (NULL: /etc/keys/pubkey_evm.pem)
 * @keypass:   password of the private key when sign_hash() is given none
 * @keyid:     key id for new signatures instead of the key's own, unless 0
 *             (host order)
 * @eng:       OpenSSL ENGINE to load private keys from, or NULL
 * @hmackeyfile: for the program (1.6.2's evmctl keeps its --hmackey here);
 *             the library does not read it
 *
 * The layout (and size: a program may hold a copy of the variable) is that
 * of ima-evm-utils 1.6.2; 1.4's struct is its prefix, so programs built
 * with 1.4's header keep working too.
 */
struct libimaevm_params {
	int verbose;
	int x509;
	const char *hash_algo;
	const char *keyfile;
	const char *keypass;
	uint32_t keyid;
	struct engine_st *eng;
	const char *hmackeyfile;
};

struct RSA_ASN1_template {
	const uint8_t *data;
	size_t size;
};

/** imaevm_params - the settings of the old calls. */
extern struct libimaevm_params imaevm_params;

/** struct public_key_entry - opaque list of verification keys (1.6). */
struct public_key_entry;

/**
 * struct imaevm_ossl_access - how imaevm_signhash() reaches the key (1.6).
 * @type: IMAEVM_OSSL_ACCESS_TYPE_NONE (a key file), _ENGINE (@u.engine
 *        loads the key) or _PROVIDER (a loaded provider, through OSSL_STORE)
 */
struct imaevm_ossl_access {
	int type;
#define IMAEVM_OSSL_ACCESS_TYPE_NONE		0
#define IMAEVM_OSSL_ACCESS_TYPE_ENGINE		1
#define IMAEVM_OSSL_ACCESS_TYPE_PROVIDER	2
	union {
		struct engine_st *engine;
		struct ossl_provider_st *provider;
	} u;
};

#define IMAEVM_SIGFLAG_SIGNATURE_V1	(1 << 0)
#define IMAEVM_SIGFLAGS_SUPPORT		(1 << 0)

/**
 * imaevm_do_hexdump() - print bytes in lower-case hex.
 * @fp:  the stream
 * @ptr: the bytes
 * @len: their number
 * @cr:  end with a newline
 */
void imaevm_do_hexdump(FILE *fp, const void *ptr, int len, bool cr);

/**
 * imaevm_hexdump() - imaevm_do_hexdump() to stdout with a newline.
 * @ptr: the bytes
 * @len: their number
 */
void imaevm_hexdump(const void *ptr, int len);

/**
 * imaevm_get_hash_algo() - kernel hash id of an algorithm name.
 * @algo: the kernel's name ("sha256", "ripemd160", "streebog256", ...) or
 *        one imaevm_hash_algo_by_id() gives ("rmd160", "md_gost12_256");
 *        compared exactly: "SHA256" is unknown
 * Return: the id, or -1 if unknown.
 */
int imaevm_get_hash_algo(const char *algo);

/**
 * imaevm_hash_algo_by_id() - OpenSSL name of a kernel hash id.
 * @algo: enum pkey_hash_algo
 * Return: a static string, or NULL for an id the old library did not sign
 * with (ripemd128/256/320, whirlpool, tiger; unknown ids).
 */
const char *imaevm_hash_algo_by_id(int algo);

/**
 * imaevm_hash_algo_from_sig() - hash id named in a signature header.
 * @sig: the signature from its version byte (the xattr value + 1)
 * Return: the kernel hash id, or -1 (unknown version or algorithm).
 */
int imaevm_hash_algo_from_sig(unsigned char *sig);

/**
 * ima_calc_hash() - digest of a file with imaevm_params.hash_algo.
 * @file: path; regular files hash their content, symlinks their target,
 *        device nodes, fifos and sockets their st_rdev; directories are
 *        not supported
 * @hash: receives the digest (MAX_DIGEST_SIZE bytes of room)
 * Return: the digest length, or -1.
 */
IMAEVM_DEPRECATED int ima_calc_hash(const char *file, uint8_t *hash);

/**
 * ima_calc_hash2() - ima_calc_hash() with an explicit algorithm (1.6).
 * @file:      as ima_calc_hash()
 * @hash_algo: algorithm name, as imaevm_get_hash_algo() knows them
 * @hash:      receives the digest
 * Return: the digest length, or -1.
 */
int ima_calc_hash2(const char *file, const char *hash_algo, uint8_t *hash);

/**
 * calc_hash_sigv3() - the digest a v3 signature signs: hash of
 * struct ima_file_id {@type, algorithm, @in_hash}.
 * @type:     IMA_VERITY_DIGSIG (or EVM_IMA_XATTR_DIGSIG)
 * @algo:     hash algorithm name of @in_hash
 * @in_hash:  the fs-verity digest
 * @out_hash: receives the digest (same length as @in_hash)
 * Return: the length of @out_hash's digest (1.6.2; 1.6 returned 0), or
 * -EINVAL (bad type or algorithm), -ENOMEM.
 */
int calc_hash_sigv3(enum evm_ima_xattr_type type, const char *algo,
		    const unsigned char *in_hash, unsigned char *out_hash);

/**
 * read_pub_pkey() - read a public key.
 * @x509:    non-zero: @keyfile is a certificate
 * @keyfile: X.509 certificate (@x509 != 0; DER or PEM) or public key (PEM or DER)
 * Return: a new EVP_PKEY the caller frees with EVP_PKEY_free(), or NULL.
 */
struct evp_pkey_st *read_pub_pkey(const char *keyfile, int x509);

/**
 * read_pub_key() - read_pub_pkey() for RSA keys.
 * @keyfile: as read_pub_pkey()
 * @x509:    as read_pub_pkey()
 * Return: a new RSA the caller frees with RSA_free(), or NULL (also for
 * keys of other types).
 */
struct rsa_st *read_pub_key(const char *keyfile, int x509);

/**
 * key2bin() - an RSA public key in the v1 blob format (struct pubkey_hdr,
 * MPI n, MPI e).
 * @key: the RSA key
 * @pub: receives the blob; room for sizeof(struct pubkey_hdr) + key size * 2 + 4
 * Return: its length.
 */
int key2bin(struct rsa_st *key, unsigned char *pub);

/**
 * calc_keyid_v1() - v1 key id: bytes 12..19 of SHA-1 of a key2bin() blob.
 * @keyid: receives 8 bytes
 * @str:   receives the id as upper-case hex (17 bytes of room), or NULL
 * @pkey:  the key2bin() blob
 * @len:   its length
 */
void calc_keyid_v1(uint8_t *keyid, char *str, const unsigned char *pkey, int len);

/**
 * calc_keyid_v2() - v2 key id of @pkey.
 * @keyid: receives the 4 bytes in network byte order (0 on failure)
 * @str:   receives the id as lower-case hex (9 bytes of room), or NULL
 */
void calc_keyid_v2(uint32_t *keyid, char *str, struct evp_pkey_st *pkey);

/**
 * imaevm_read_keyid() - key id from a certificate's subject key identifier.
 * @certfile: X.509 certificate, DER or PEM
 * Return: the last 4 bytes (host order), or 0 on failure.
 */
uint32_t imaevm_read_keyid(const char *certfile);

/**
 * sign_hash() - a v2 signature of a digest.
 * @algo:    hash algorithm name of @hash
 * @hash:    the digest, @size bytes
 * @keyfile: private key file (or URI with imaevm_params.eng)
 * @keypass: its password; NULL: imaevm_params.keypass
 * @sig:     receives struct signature_v2_hdr + signature, without the
 *           xattr type byte (MAX_SIGNATURE_SIZE bytes of room)
 *
 * The key id is imaevm_params.keyid if set, else that of a certificate
 * following the key in @keyfile (PEM), else the key's own.  With
 * imaevm_params.x509 == 0 the old library made v1 signatures; this one
 * refuses.
 * Return: the length written to @sig, or -1.
 */
IMAEVM_DEPRECATED int sign_hash(const char *algo, const unsigned char *hash, int size,
	      const char *keyfile, const char *keypass, unsigned char *sig);

/**
 * imaevm_signhash() - sign_hash() with explicit settings (1.6).
 * @hashalgo:    hash algorithm name of @hash
 * @hash:        the digest, @size bytes
 * @size:        its length
 * @keyfile:     private key file, or URI
 * @keypass:     its password, or NULL
 * @sig:         receives the signature as for sign_hash()
 * @sigflags:    0 (IMAEVM_SIGFLAG_SIGNATURE_V1 is refused)
 * @access_info: how to reach the key, or NULL for a file
 * @keyid:       key id for the signature, or 0: that of a certificate
 *               following the key in @keyfile (PEM), else the key's own
 *
 * imaevm_params is not used.
 * Return: the length written to @sig, or -1 (errno EINVAL for bad flags).
 */
int imaevm_signhash(const char *hashalgo, const unsigned char *hash, int size,
		    const char *keyfile, const char *keypass,
		    unsigned char *sig, long sigflags,
		    const struct imaevm_ossl_access *access_info,
		    uint32_t keyid);

/**
 * init_public_keys() - load verification keys into the global key list.
 * @keyfiles: comma-separated certificate (or public key) files; files that
 *            cannot be read are reported (LOG_INFO) and skipped
 */
IMAEVM_DEPRECATED void init_public_keys(const char *keyfiles);

/**
 * imaevm_init_public_keys() - load keys into a new list (1.6).
 * @keyfiles:    comma-separated certificate (or public key) files; one that
 *               cannot be read is reported (LOG_INFO) and skipped
 * @public_keys: receives the list (imaevm_free_public_keys()); NULL when no
 *               key was read
 * Return: 0 (also when no key was read, as 1.6.2), -1 out of memory,
 * -EINVAL for a NULL @public_keys.
 */
int imaevm_init_public_keys(const char *keyfiles,
			    struct public_key_entry **public_keys);

/**
 * imaevm_free_public_keys() - release a key list.
 * @public_keys: from imaevm_init_public_keys(), or NULL (nothing happens)
 */
void imaevm_free_public_keys(struct public_key_entry *public_keys);

/**
 * verify_hash() - check a signature against a digest with the global keys.
 * @file:   name for messages
 * @hash:   v1/v2: the digest; v3: the fs-verity digest
 * @size:   its length
 * @sig:    the whole xattr value, type byte first (EVM_IMA_XATTR_DIGSIG,
 *          EVM_XATTR_PORTABLE_DIGSIG or IMA_VERITY_DIGSIG), @siglen bytes.
 *          This is 1.6.2's convention: 1.4 took the value without its
 *          type byte (sig + 1), so a 1.4 program must now pass the value.
 *
 * v1 signatures are checked with the RSA key in imaevm_params.keyfile.
 * Return: 0 valid, 1 the signature does not verify, -1 no key with its key
 * id, malformed signature or other error.
 */
IMAEVM_DEPRECATED int verify_hash(const char *file, const unsigned char *hash, int size,
		unsigned char *sig, int siglen);

/**
 * imaevm_verify_hash() - verify_hash() with a given key list (1.6).
 * @public_keys: keys from imaevm_init_public_keys(); NULL: the global list
 * @file:        name for messages
 * @hash_algo:   algorithm of @hash when the signature does not name one
 * @hash:        as verify_hash()
 * @size:        its length
 * @sig:         the whole xattr value, as verify_hash()
 * @siglen:      its length
 * Return: as verify_hash().
 */
int imaevm_verify_hash(struct public_key_entry *public_keys, const char *file,
		       const char *hash_algo, const unsigned char *hash,
		       int size, unsigned char *sig, int siglen);

/**
 * ima_verify_signature() - check a security.ima value against a file.
 * @file:   the file (hashed when @digest is NULL; named in messages)
 * @siglen: length of @sig
 * @digestlen: length of @digest
 * @sig:    the whole value (type byte EVM_IMA_XATTR_DIGSIG or IMA_VERITY_DIGSIG)
 * @digest: the file digest, or NULL (@digestlen 0) to compute it from @file
 *          with the signature's algorithm
 * Return: as verify_hash().
 */
IMAEVM_DEPRECATED int ima_verify_signature(const char *file, unsigned char *sig, int siglen,
			 unsigned char *digest, int digestlen);

/**
 * ima_verify_signature2() - ima_verify_signature() with a given key list (1.6).
 * @public_keys: keys from imaevm_init_public_keys(); NULL: the global list
 * @file:        as ima_verify_signature()
 * @sig:         the whole security.ima value
 * @siglen:      its length
 * @digest:      the file digest, or NULL to compute it
 * @digestlen:   its length
 * Return: as verify_hash().
 */
int ima_verify_signature2(struct public_key_entry *public_keys, const char *file,
			  unsigned char *sig, int siglen,
			  unsigned char *digest, int digestlen);

#ifdef __cplusplus
}
#endif

#endif /* IMAEVM_COMPAT_H */
