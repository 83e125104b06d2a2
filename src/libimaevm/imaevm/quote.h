/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* imaevm/quote.h - libimaevm's public interface: attestation: TPM 2.0 quotes. */
#ifndef IMAEVM_QUOTE_H
#define IMAEVM_QUOTE_H

#ifndef IMAEVM_H
#error "include <imaevm.h>, which includes this part in its place"
#endif

/* ---- Attestation: TPM 2.0 quotes ----------------------------- */

/** TPM_GENERATED_VALUE: the magic of every TPMS_ATTEST the TPM made. */
#define IMAEVM_QUOTE_MAGIC 0xff544347u

/**
 * struct imaevm_quote - a TPMS_ATTEST of type TPM_ST_ATTEST_QUOTE, parsed.
 * @magic:            TPM_GENERATED_VALUE (IMAEVM_QUOTE_MAGIC) if the TPM made it
 * @type:             0x8018 (TPM_ST_ATTEST_QUOTE)
 * @extra_data:       the qualifying data (nonce) the quote was asked with
 * @extra_len:        its length (0..64)
 * @clock:            TPMS_CLOCK_INFO.clock
 * @reset_count:      TPMS_CLOCK_INFO.resetCount
 * @restart_count:    TPMS_CLOCK_INFO.restartCount
 * @safe:             TPMS_CLOCK_INFO.safe
 * @firmware_version: the TPM's firmware version
 * @n_sel:            banks in @sel
 * @sel:              PCR selection, in the quote's order: @algo (enum
 *                    imaevm_hash_algo, or -EOPNOTSUPP for a TPM algorithm
 *                    the library does not know), @tpm_alg (TPM_ALG_ID),
 *                    @pcrs (bit N set: PCR N quoted)
 * @pcr_digest:       hash of the selected PCR values, @pcr_digest_len bytes
 */
struct imaevm_quote {
	uint32_t magic;
	unsigned int type;
	unsigned char extra_data[64];
	size_t extra_len;
	uint64_t clock;
	uint32_t reset_count;
	uint32_t restart_count;
	int safe;
	uint64_t firmware_version;
	unsigned int n_sel;
	struct {
		int algo;
		unsigned int tpm_alg;
		uint32_t pcrs;
	} sel[IMAEVM_MAX_BANKS];
	unsigned char pcr_digest[IMAEVM_MAX_DIGEST_SIZE];
	size_t pcr_digest_len;
};

/**
 * imaevm_quote_parse() - parse a quote (TPMS_ATTEST, as tpm2_quote -m writes it).
 * @buf:   the marshalled TPMS_ATTEST (big-endian, as the TPM signed it)
 * @len:   its length
 * @quote: receives the fields (unchanged on error)
 *
 * The magic is returned, not checked: callers report it as a verdict.
 *
 * Return: 0; -EINVAL (a NULL argument); -EBADMSG (truncated, trailing
 * bytes, not a quote, more than IMAEVM_MAX_BANKS banks, a PCR above 23,
 * over-long extraData or pcrDigest).
 */
int imaevm_quote_parse(const void *buf, size_t len, struct imaevm_quote *quote);

/**
 * imaevm_quote_verify_signature() - check the TPM's signature of a quote.
 * @ctx:        context
 * @attest:     the marshalled TPMS_ATTEST, as signed
 * @attest_len: its length
 * @sig:        TPMT_SIGNATURE (tpm2_quote -s): RSASSA, RSAPSS or ECDSA
 * @sig_len:    its length
 * @ak:         the attestation key's public part: PEM (public key or
 *              certificate) or DER
 *              SubjectPublicKeyInfo, TPM2B_PUBLIC (tpm2_createak -u) or a
 *              bare TPMT_PUBLIC, RSA or ECC (NIST P-192..P-521, SM2 curve)
 * @ak_len:     its length
 * @hash_algo:  receives the signature's hash algorithm (the TPM hashes the
 *              PCR digest with it too), or NULL
 *
 * Return: 0 when the signature verifies; -EKEYREJECTED when it does not
 * (or the key type does not fit the scheme); -EBADMSG (malformed signature
 * or key); -EOPNOTSUPP (scheme, curve, key type or hash not supported);
 * -EINVAL; -ENOMEM.  Why is logged.
 */
int imaevm_quote_verify_signature(struct imaevm_ctx *ctx,
				  const void *attest, size_t attest_len,
				  const void *sig, size_t sig_len,
				  const void *ak, size_t ak_len, int *hash_algo);

/**
 * imaevm_quote_pcr_digest() - the PCR digest a TPM would quote for @pcrs.
 * @ctx:   context
 * @quote: gives the selection (banks in its order, PCRs ascending)
 * @pcrs:  the PCR values
 * @algo:  hash of the digest (the signature's hash algorithm)
 * @out:   receives the digest; compare it with @quote->pcr_digest
 * Return: 0; -ENOENT if a selected PCR has no value in @pcrs (or its bank
 * is unknown); -EOPNOTSUPP (@algo unavailable); -EINVAL; -ENOMEM.
 */
int imaevm_quote_pcr_digest(struct imaevm_ctx *ctx,
			    const struct imaevm_quote *quote,
			    const struct imaevm_pcrs *pcrs, int algo,
			    struct imaevm_digest *out);

#endif /* IMAEVM_QUOTE_H */
