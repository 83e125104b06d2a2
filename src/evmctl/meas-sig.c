// SPDX-License-Identifier: GPL-2.0-or-later
/* meas-sig.c - ima_measurement --verify-sig: the signatures a list's entries record. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "meas.h"

/* ima-modsig: the appended signature against the digest without it. */
static bool check_modsig(struct meas_cmd *c, const struct imaevm_ml_entry *e)
{
	struct imaevm_verify_result res = { 0 };
	struct imaevm_digest d = { .algo = e->modsig_digest_algo,
				   .len = e->modsig_digest_len };
	char why[112];
	int rc;

	if (!e->modsig_digest || e->modsig_digest_len > sizeof(d.value) ||
	    e->modsig_digest_algo < 0) {
		meas_entry_failure(c, e, "modsig without a usable d-modsig digest");
		return false;
	}
	memcpy(d.value, e->modsig_digest, e->modsig_digest_len);
	c->sigs_checked++;
	rc = imaevm_verify_modsig(c->g->ctx, c->keys, e->modsig, e->modsig_len, &d, &res);
	if (rc == 0)
		return true;
	if (rc == -ENOKEY)
		snprintf(why, sizeof(why), "modsig: no key for the signer");
	else if (rc == -EKEYREJECTED)
		snprintf(why, sizeof(why), "modsig does not verify (key id %08x)", res.keyid);
	else if (rc == -EINVAL)
		snprintf(why, sizeof(why), "modsig: d-modsig is not in the signer's digest algorithm");
	else
		snprintf(why, sizeof(why), "modsig: %s", imaevm_strerror(rc));
	meas_entry_failure(c, e, why);
	return false;
}

/* The xattr and the appended signature; one that verified is an allow rule for --policy. */
bool meas_check_signature(struct meas_cmd *c, const struct imaevm_ml_entry *e)
{
	struct imaevm_verify_result res = { 0 };
	struct imaevm_digest d = { .algo = e->digest_algo, .len = e->digest_len };
	struct imaevm_xattr_info info;
	bool modsig_ok = false;
	bool verity;
	char why[96];
	int rc;

	if (e->modsig && e->modsig_len)
		modsig_ok = check_modsig(c, e);
	if (!e->sig || !e->sig_len)
		return modsig_ok;	/* no xattr signature: nothing more, as the old tool */
	/*
	 * Without an IMA signature the kernel records the file's EVM portable
	 * signature here (since 5.14).  It signs the file's metadata, which
	 * this entry does not hold, so it cannot be checked against it; the
	 * kernel's EVM checked it when it appraised the file.
	 */
	if (e->sig[0] == IMAEVM_XATTR_PORTABLE_DIGSIG) {
		cli_info(c->g, 1, "%s: entry %" PRIu64 " (%s): EVM portable signature, not checked",
			 c->file, e->index, e->path ? e->path : "no name");
		return modsig_ok;
	}
	if (!e->digest || e->digest_len > sizeof(d.value) || e->digest_algo < 0) {
		meas_entry_failure(c, e, "signature without a usable file digest");
		return false;
	}
	/*
	 * The digest type decides what the signature signs: a v3 signature
	 * (0x06) the fs-verity digest, a v2 (0x03) the file content digest.
	 * Either one taken for the other would let a signature of one file
	 * vouch for a digest of another kind.
	 */
	verity = e->digest_type && !strcmp(e->digest_type, "verity");
	if (imaevm_xattr_parse(e->sig, e->sig_len, &info) == 0 &&
	    (info.type == IMAEVM_XATTR_VERITY_DIGSIG) != verity) {
		c->sigs_checked++;
		meas_entry_failure(c, e, verity ?
			      "signature: an fs-verity digest needs a v3 signature (type 0x06)" :
			      "signature: a file content digest needs a v2 signature (type 0x03)");
		return false;
	}
	memcpy(d.value, e->digest, e->digest_len);
	c->sigs_checked++;
	rc = imaevm_verify_digest(c->g->ctx, c->keys, e->sig, e->sig_len, &d, &res);
	if (rc == 0)
		return true;
	if (rc == -ENOKEY)
		snprintf(why, sizeof(why), "signature: no key with id %08x", res.keyid);
	else if (rc == -EKEYREJECTED)
		snprintf(why, sizeof(why), "signature does not verify (key id %08x)", res.keyid);
	else
		snprintf(why, sizeof(why), "signature: %s", imaevm_strerror(rc));
	meas_entry_failure(c, e, why);
	return false;
}

/*
 * Does @e record a file's digest that --verify-sig must vouch for?  Not the
 * boot_aggregate (entry 1, on an IMA PCR), a violation, a buffer entry
 * (the library checks its digest against the buffer), or an entry with an
 * EVM portable signature.
 */
bool meas_measures_file(const struct meas_cmd *c, const struct imaevm_ml_entry *e)
{
	if (!e->path || !e->digest || e->violation || e->buf)
		return false;
	/* the kernel's EVM verified a portable signature when it appraised the file */
	if (e->sig && e->sig_len && e->sig[0] == IMAEVM_XATTR_PORTABLE_DIGSIG)
		return false;
	return !(e->index == 1 && e->pcr < 32 && (c->ima_pcrs & (1u << e->pcr)) &&
		 !strcmp(e->path, "boot_aggregate"));
}
