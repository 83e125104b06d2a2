/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* imaevm/keyring.h - libimaevm's public interface: kernel keyrings. */
#ifndef IMAEVM_KEYRING_H
#define IMAEVM_KEYRING_H

#ifndef IMAEVM_H
#error "include <imaevm.h>, which includes this part in its place"
#endif

/* ---- Kernel keyrings ------------------------------------------------------ */

/**
 * imaevm_keyring_find() - the serial of a keyring named on a command line.
 * @ctx:    context
 * @spec:   a decimal serial; a special keyring "@s", "@u", "@us", "@p",
 *          "@t" ("@g" and "@a" as keyctl knows them); "%keyring:NAME" or
 *          "%:NAME"; or a bare keyring name ("_ima", ".ima", "_evm", ...)
 * @serial: receives the serial number
 *
 * Names are looked up in the caller's keyrings first (request_key), then in
 * every keyring the caller may view (/proc/keys), which finds the kernel's
 * ".ima" and ".evm" keyrings.
 *
 * Return: 0; -ENOKEY when no such keyring exists; -ENOTDIR when @spec names
 * a key that is not a keyring; -EINVAL for a malformed @spec.
 */
int imaevm_keyring_find(struct imaevm_ctx *ctx, const char *spec, int32_t *serial);

/**
 * imaevm_keyring_import_cert() - add an X.509 certificate as an
 * "asymmetric" key to a keyring.
 * @ctx:     context
 * @cert:    the certificate, DER or PEM
 * @len:     its length
 * @keyring: serial of the keyring (or a KEY_SPEC_* value)
 * @serial:  receives the new key's serial
 *
 * The kernel picks the description ("CN: skid") itself.
 *
 * Return: 0; -EBADMSG when @cert is not a certificate; -ENOKEY when the
 * keyring does not exist; -EKEYREJECTED when the keyring's restriction
 * refuses the key (e.g. not signed by a trusted CA); -ENODEV when the
 * kernel lacks the asymmetric key type; -EOPNOTSUPP when the kernel lacks
 * the key's algorithm (e.g. ECDSA without CONFIG_CRYPTO_ECDSA); -EACCES;
 * other add_key(2) errors.
 */
int imaevm_keyring_import_cert(struct imaevm_ctx *ctx, const void *cert,
			       size_t len, int32_t keyring, int32_t *serial);

/**
 * imaevm_keyring_import_rsa_v1() - add an RSA public key for signature v1
 * (the legacy --rsa format) as a "user" key.
 * @ctx:     context
 * @key:     a PEM public key or an X.509 certificate (DER or PEM)
 * @len:     its length
 * @keyring: serial of the keyring
 * @serial:  receives the new key's serial
 *
 * The payload is the v1 public key blob (version 1, timestamp 0, RSA, two
 * MPIs n and e); the description is its 64-bit key id in upper-case hex.
 *
 * Return: as imaevm_keyring_import_cert(); -EOPNOTSUPP also for a non-RSA key.
 */
int imaevm_keyring_import_rsa_v1(struct imaevm_ctx *ctx, const void *key,
				 size_t len, int32_t keyring, int32_t *serial);

#endif /* IMAEVM_KEYRING_H */
