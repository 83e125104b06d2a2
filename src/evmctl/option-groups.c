// SPDX-License-Identifier: GPL-2.0-or-later
/* option-groups.c - every evmctl option's popt row (parsing and help), in the groups commands list. */
#include "config.h"

#include "evmctl.h"
#include "keys.h"

#define OPT(l, s, flags, code, desc, argname) \
	{ l, s, flags, NULL, code, desc, argname }
#define OPT_STR POPT_ARG_STRING
#define OPT_OPTSTR (POPT_ARG_STRING | POPT_ARGFLAG_OPTIONAL)

const struct poptOption opts_global[] = {
	OPT(NULL, 'v', POPT_ARG_NONE, OPT_VERBOSE, "increase verbosity (repeatable)", NULL),
	OPT("version", '\0', POPT_ARG_NONE, OPT_VERSION, "print the version and exit", NULL),
	OPT("help", 'h', POPT_ARG_NONE, OPT_HELP, "show help and exit", NULL),
	OPT("engine", '\0', OPT_STR, OPT_ENGINE, "load an OpenSSL engine (deprecated)", "ENGINE"),
	OPT("provider", '\0', OPT_STR, OPT_PROVIDER, "load an OpenSSL provider", "PROVIDER"),
	POPT_TABLEEND
};

const struct poptOption opts_hash[] = {
	OPT("hashalgo", 'a', OPT_STR, OPT_HASHALGO,
	    "hash algorithm: sha1, sha224, sha256, sha384, sha512, sm3, streebog256, streebog512, ... (default: sha256)",
	    "ALGO"),
	POPT_TABLEEND
};

const struct poptOption opts_xattr_user[] = {
	OPT("xattr-user", '\0', POPT_ARG_NONE, OPT_XATTR_USER,
	    "use user.ima/user.evm instead of security.* (for tests without root)", NULL),
	POPT_TABLEEND
};

const struct poptOption opts_noxattr[] = {
	OPT(NULL, 'n', POPT_ARG_NONE, OPT_NOXATTR, "print the result only; do not write xattrs", NULL),
	POPT_TABLEEND
};

const struct poptOption opts_sigfile[] = {
	OPT("sigfile", 'f', POPT_ARG_NONE, OPT_SIGFILE, "use FILE.sig instead of the xattr", NULL),
	POPT_TABLEEND
};

const struct poptOption opts_recursive[] = {
	OPT("recursive", 'r', POPT_ARG_NONE, OPT_RECURSIVE, "recurse into directories", NULL),
	POPT_TABLEEND
};

const struct poptOption opts_jobs[] = {
	OPT("jobs", 'j', OPT_STR, OPT_JOBS, "worker threads (default: one per CPU)", "N"),
	POPT_TABLEEND
};

const struct poptOption opts_type[] = {
	OPT("type", 't', OPT_STR, OPT_TYPE,
	    "file types: f regular, d directory, s symlink, x skip labelled, m one filesystem", "fdsxm"),
	POPT_TABLEEND
};

/* The key options of the signing commands. */
const struct poptOption opts_private_key[] = {
	OPT("key", 'k', OPT_STR, OPT_KEY,
	    "private key file (PEM/DER) or pkcs11: URI (default: " DEFAULT_SIGNING_KEY ")", "KEY"),
	OPT("pass", 'p', OPT_OPTSTR, OPT_PASS,
	    "password or PIN: -pPASS or --pass=PASS; a bare -p asks for it", "PASSWORD"),
	OPT("keyid", '\0', OPT_STR, OPT_KEYID, "32-bit key id in hex to put in signatures", "HEX"),
	OPT("keyid-from-cert", '\0', OPT_STR, OPT_KEYID_FROM_CERT,
	    "take the key id from the certificate's subject key identifier", "CERT"),
	POPT_TABLEEND
};

/* The signature forms of ima_sign and sign_hash. */
const struct poptOption opts_sign_key[] = {
	OPT("veritysig", '\0', POPT_ARG_NONE, OPT_VERITYSIG, "signature v3 over the fs-verity digest", NULL),
	OPT("rsa", '\0', POPT_ARG_NONE, OPT_RSA, "signature v1 (refused: signing v1 is not supported)", NULL),
	POPT_TABLEEND
};

/* What sign and hmac write to security.ima first. */
const struct poptOption opts_evm_sign_key[] = {
	OPT("imasig", 's', POPT_ARG_NONE, OPT_IMASIG,
	    "first write an IMA signature of the content to security.ima", NULL),
	OPT("imahash", 'd', POPT_ARG_NONE, OPT_IMAHASH,
	    "first write the content digest to security.ima", NULL),
	POPT_TABLEEND
};

/* -k of the verifying commands: the same option, naming certificates (same code). */
const struct poptOption opts_verify_key[] = {
	OPT("key", 'k', OPT_STR, OPT_KEY,
	    "certificate(s) or public keys, comma-separated (default: " DEFAULT_VERIFY_KEY ")",
	    "CERT[,CERT...]"),
	POPT_TABLEEND
};

const struct poptOption opts_evm[] = {
	OPT("portable", 'o', POPT_ARG_NONE, OPT_PORTABLE, "portable EVM signature", NULL),
	OPT("uuid", 'u', OPT_OPTSTR, OPT_UUID, "filesystem UUID (empty: none)", "UUID"),
	OPT("smack", '\0', POPT_ARG_NONE, OPT_SMACK, "include the extra SMACK xattrs", NULL),
	OPT("m32", '\0', POPT_ARG_NONE, OPT_M32, "metadata layout of a 32-bit target", NULL),
	OPT("m64", '\0', POPT_ARG_NONE, OPT_M64, "metadata layout of a 64-bit target", NULL),
	OPT("inode", '\0', OPT_STR, OPT_INO, "inode number to use (decimal; --ino also works)", "INO"),
	OPT("uid", '\0', OPT_STR, OPT_UID, "uid to use (decimal)", "UID"),
	OPT("gid", '\0', OPT_STR, OPT_GID, "gid to use (decimal)", "GID"),
	OPT("mode", '\0', OPT_STR, OPT_MODE, "st_mode to use, in decimal as the old tool (33188 = 0100644)", "MODE"),
	OPT("generation", '\0', OPT_STR, OPT_GENERATION, "inode generation to use (empty: 0)", "GEN"),
	OPT("ima", '\0', OPT_STR, OPT_IMA, "security.ima value to use (hex)", "HEX"),
	OPT("selinux", '\0', OPT_STR, OPT_SELINUX, "SELinux label to use (hashed with its NUL)", "LABEL"),
	OPT("caps", '\0', OPT_OPTSTR, OPT_CAPS,
	    "security.capability to use: the bytes of CAPS (bare or empty: none)", "CAPS"),
	OPT(NULL, 'i', POPT_ARG_NONE, OPT_IMMUTABLE,
	    "immutable signature as ima-evm-utils 1.6.2 makes it (type 0x03 v3: uid, gid, mode only)",
	    NULL),
	POPT_TABLEEND
};

/* hmac only: apart from opts_evm so that sign, verify and evm_digest do not list it */
const struct poptOption opts_hmackey[] = {
	OPT("hmackey", '\0', OPT_STR, OPT_HMACKEY, "EVM HMAC key file (default /etc/keys/evm-key-plain)", "FILE"),
	POPT_TABLEEND
};

const struct poptOption opts_attest[] = {
	OPT("verify-sig", '\0', POPT_ARG_NONE, OPT_VERIFY_SIG, "verify the signatures in the list", NULL),
	OPT("pcrs", '\0', OPT_STR, OPT_PCRS, "PCR values of a bank from a file", "[ALGO,]FILE"),
	OPT("verify-bank", '\0', OPT_OPTSTR, OPT_VERIFY_BANK, "verify only this bank (bare: sha256)", "ALGO"),
	OPT("list-bank", '\0', OPT_STR, OPT_LIST_BANK,
	    "the list is the per-bank list of bank ALGO (default: from a name ending in _ALGO)", "ALGO"),
	OPT("hwtpm", '\0', POPT_ARG_NONE, OPT_HWTPM, "read PCRs from the TPM through sysfs", NULL),
	OPT("tcti", '\0', OPT_STR, OPT_TCTI, "TPM 2.0 TCTI, e.g. device:/dev/tpmrm0", "TCTI"),
	OPT("aggregate-pcrs", '\0', OPT_STR, OPT_AGGREGATE_PCRS,
	    "boot_aggregate over PCRs 0..N in every bank (7: kernels 5.8/5.9)", "N"),
	POPT_TABLEEND
};

/* ima_measurement and ima_attest */
const struct poptOption opts_violations[] = {
	OPT("ignore-violations", '\0', POPT_ARG_NONE, OPT_IGNORE_VIOLATIONS, "ignore ToMToU violations", NULL),
	POPT_TABLEEND
};

/* ima_measurement, ima_attest and ima_setxattr --manifest */
const struct poptOption opts_json[] = {
	OPT("json", '\0', POPT_ARG_NONE, OPT_JSON, "machine-readable output (JSON)", NULL),
	POPT_TABLEEND
};

/* ima_measurement and ima_attest: which PCRs the list must account for */
const struct poptOption opts_pcr_rules[] = {
	OPT("ima-pcr", '\0', OPT_STR, OPT_IMA_PCR,
	    "PCRs IMA extends (default 10): always compared, entry 1 is their boot_aggregate", "LIST"),
	OPT("account-pcrs", '\0', OPT_STR, OPT_ACCOUNT_PCRS,
	    "further PCRs the list must account for: compared even without entries", "LIST"),
	POPT_TABLEEND
};

/* ima_measurement and ima_attest: incremental replay */
const struct poptOption opts_state[] = {
	OPT("state", '\0', OPT_STR, OPT_STATE,
	    "continue from where the last passing run ended; record this run there", "FILE"),
	POPT_TABLEEND
};

/* == remote attestation == */
const struct poptOption opts_quote[] = {
	OPT("quote", '\0', OPT_STR, OPT_QUOTE, "the quote: TPMS_ATTEST (tpm2_quote -m)", "FILE"),
	OPT("quote-sig", '\0', OPT_STR, OPT_QUOTE_SIG, "its signature: TPMT_SIGNATURE (tpm2_quote -s)", "FILE"),
	OPT("ak", '\0', OPT_STR, OPT_AK, "attestation key: PEM, or TPM2B_PUBLIC (tpm2_createak -u)", "FILE"),
	OPT("nonce", '\0', OPT_STR, OPT_NONCE, "expected qualifying data, in hex", "HEX"),
	OPT("nonce-file", '\0', OPT_STR, OPT_NONCE_FILE, "expected qualifying data, raw bytes", "FILE"),
	OPT("eventlog", '\0', OPT_STR, OPT_EVENTLOG, "firmware event log for PCRs 0-9 and boot_aggregate (alone: no IMA)", "FILE"),
	OPT("quote-pcrs", '\0', OPT_STR, OPT_QUOTE_PCRS,
	    "quoted PCR values (tpm2_quote -o FILE -F values): name the PCR that differs", "FILE"),
	POPT_TABLEEND
};

const struct poptOption opts_policy[] = {
	OPT("policy", '\0', OPT_STR, OPT_POLICY, "check every measured file against a manifest or keylime runtime policy (repeatable)", "FILE"),
	OPT("policy-any-path", '\0', POPT_ARG_NONE, OPT_POLICY_ANY_PATH,
	    "a digest of the policy is allowed under any path", NULL),
	OPT("policy-exclude", '\0', OPT_STR, OPT_POLICY_EXCLUDE,
	    "do not check paths matching this glob (repeatable)", "GLOB"),
	POPT_TABLEEND
};

const struct poptOption opts_manifest[] = {
	OPT("manifest", '\0', OPT_STR, OPT_MANIFEST, "also write each digest and path to a manifest", "FILE"),
	OPT("manifest-root", '\0', OPT_STR, OPT_MANIFEST_ROOT,
	    "the tree's root: paths in the manifest are relative to it, written from /", "DIR"),
	POPT_TABLEEND
};

/* ima_hash --manifest-format */
const struct poptOption opts_manifest_format[] = {
	OPT("manifest-format", '\0', OPT_STR, OPT_MANIFEST_FORMAT,
	    "the manifest's format: evmctl (default) or keylime (a runtime policy)", "FORMAT"),
	POPT_TABLEEND
};

/* ima_setxattr --manifest */
const struct poptOption opts_apply_manifest[] = {
	OPT("manifest", '\0', OPT_STR, OPT_MANIFEST, "apply a signature manifest (- for stdin)", "FILE"),
	OPT("root", '\0', OPT_STR, OPT_ROOT, "the manifest's paths are below DIR (default /)", "DIR"),
	POPT_TABLEEND
};


/* Every option of every command: the old tool accepted them anywhere. */
const struct poptOption opts_all[] = {
	OPTS_INCLUDE(opts_global, NULL),
	OPTS_INCLUDE(opts_hash, NULL),
	OPTS_INCLUDE(opts_xattr_user, NULL),
	OPTS_INCLUDE(opts_noxattr, NULL),
	OPTS_INCLUDE(opts_sigfile, NULL),
	OPTS_INCLUDE(opts_recursive, NULL),
	OPTS_INCLUDE(opts_type, NULL),
	OPTS_INCLUDE(opts_jobs, NULL),
	OPTS_INCLUDE(opts_private_key, NULL),
	OPTS_INCLUDE(opts_sign_key, NULL),
	OPTS_INCLUDE(opts_evm_sign_key, NULL),
	OPTS_INCLUDE(opts_verify_key, NULL),
	OPTS_INCLUDE(opts_evm, NULL),
	OPTS_INCLUDE(opts_hmackey, NULL),
	OPTS_INCLUDE(opts_attest, NULL),
	OPTS_INCLUDE(opts_violations, NULL),
	OPTS_INCLUDE(opts_json, NULL),
	OPTS_INCLUDE(opts_pcr_rules, NULL),
	OPTS_INCLUDE(opts_state, NULL),
	OPTS_INCLUDE(opts_quote, NULL),
	OPTS_INCLUDE(opts_policy, NULL),
	OPTS_INCLUDE(opts_manifest, NULL),
	OPTS_INCLUDE(opts_manifest_format, NULL),
	OPTS_INCLUDE(opts_apply_manifest, NULL),
	POPT_TABLEEND
};
