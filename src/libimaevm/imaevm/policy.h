/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* imaevm/policy.h - libimaevm's public interface: attestation: runtime policies (manifests, keylime). */
#ifndef IMAEVM_POLICY_H
#define IMAEVM_POLICY_H

#ifndef IMAEVM_H
#error "include <imaevm.h>, which includes this part in its place"
#endif

/* ---- Attestation: runtime policies ------------------------------------- */

/**
 * struct imaevm_policy - opaque runtime policy: the digests allowed for each
 * path, exclude patterns, and what keylime runtime policies add (keyrings,
 * ima-buf, ignored keyrings).  Filled by imaevm_policy_add() and
 * imaevm_policy_add_exclude(), then read-only: any number of threads may
 * check entries against it at once (each with its own tally).
 */
struct imaevm_policy;

/** Formats of imaevm_policy_add(). */
enum imaevm_policy_format {
	IMAEVM_POLICY_AUTO = 0,		/* keylime if the first non-space byte is '{' */
	IMAEVM_POLICY_MANIFEST = 1,	/* evmctl's manifest: "ALGO:HEX  /PATH" lines */
	IMAEVM_POLICY_KEYLIME = 2,	/* a keylime runtime policy (JSON) */
};

/** Flag of struct imaevm_policy_params: a digest is allowed under any path. */
#define IMAEVM_POLICY_ANY_PATH 0x1u

/**
 * struct imaevm_policy_params - how a policy judges entries.
 * @version:  0
 * @flags:    IMAEVM_POLICY_ANY_PATH, or 0
 * @ima_pcrs: the PCRs IMA extends (bit n for PCR n), 0 for PCR 10 only:
 *            entry 1 there is the boot_aggregate, and under a keylime
 *            policy an entry on any other PCR is refused
 * @reserved32: must be zero
 * @reserved: must be zero
 */
struct imaevm_policy_params {
	unsigned int version;
	unsigned int flags;
	uint32_t ima_pcrs;
	uint32_t reserved32;
	uint64_t reserved[6];
};

/**
 * imaevm_policy_new() - an empty policy (it allows nothing).
 * @ctx:    context (for messages; it must outlive the policy)
 * @params: settings, or NULL for the defaults (all zero)
 * @policy: receives the policy (release it with imaevm_policy_free())
 * Return: 0; -EINVAL (a NULL argument, a version, flag or reserved field
 * not zero); -ENOMEM.
 */
int imaevm_policy_new(struct imaevm_ctx *ctx, const struct imaevm_policy_params *params,
		      struct imaevm_policy **policy);

/**
 * imaevm_policy_add() - add the rules of a manifest or keylime runtime policy.
 * @policy: the policy (not in use by imaevm_policy_check() meanwhile)
 * @buf:    the text of the file
 * @len:    its length
 * @format: enum imaevm_policy_format
 * @why:    receives why the text was refused (release it with
 *          imaevm_free()), or NULL
 *
 * Manifest, one item a line: "ALGO:HEX  /PATH" (a digest allowed for that
 * path), "exclude GLOB" (paths not checked, fnmatch(3) without flags), a
 * "#" comment or an empty line; in paths and globs \ooo (three octal
 * digits) stands for a byte (see imaevm_manifest_path_unescape()).
 *
 * keylime runtime policy: a JSON object (meta.version 1) with digests
 * {path: [hex]}, excludes [POSIX extended regular expressions, matched
 * from the first byte of the path], keyrings {keyring: [hex]}, ima-buf
 * {name: [hex]}, ima {ignored_keyrings, log_hash_alg, dm_policy: null},
 * release, and an empty verification-keys.  Its digests are allowed in any
 * algorithm of their length, and once one is added boot_aggregate and
 * ima-buf entries are checked too, as keylime does.
 *
 * Nothing is added unless all of @buf is read.
 * Return: the format read (IMAEVM_POLICY_MANIFEST or _KEYLIME); -EINVAL;
 * -EBADMSG (malformed: *@why names the line or the member, e.g.
 * "line 3: ..." or "keylime runtime policy: digests["/bin/sh"][0]: ...");
 * -EOPNOTSUPP (a keylime feature not supported: dm_policy, keys in the
 * policy, another meta.version); -E2BIG (more than 2^31 rules, or an
 * exclude pattern too costly to compile); -ENOMEM.
 */
int imaevm_policy_add(struct imaevm_policy *policy, const void *buf, size_t len,
		      int format, char **why);

/**
 * imaevm_policy_add_exclude() - paths matching @glob (fnmatch(3), no flags)
 * are not checked.
 * @policy: the policy
 * @glob:   the pattern (copied)
 * Return: 0, -EINVAL, -ENOMEM.
 */
int imaevm_policy_add_exclude(struct imaevm_policy *policy, const char *glob);

/**
 * struct imaevm_policy_info - what a policy holds.
 * @version:  0 (set by the caller)
 * @digests:  file digests (rules of manifests and keylime digests)
 * @excludes: glob patterns (manifests and imaevm_policy_add_exclude())
 * @keylime:  keylime runtime policies added
 * @reserved: set to zero
 */
struct imaevm_policy_info {
	unsigned int version;
	unsigned int reserved32;
	uint64_t digests;
	uint64_t excludes;
	uint64_t keylime;
	uint64_t reserved[4];
};

/**
 * imaevm_policy_get_info() - the counts of a policy.
 * @policy: the policy
 * @info:   receives them; its @version must be 0
 * Return: 0, -EINVAL.
 */
int imaevm_policy_get_info(const struct imaevm_policy *policy, struct imaevm_policy_info *info);

/** Results of imaevm_policy_check(): allowed below IMAEVM_POLICY_REFUSED. */
enum imaevm_policy_result {
	IMAEVM_POLICY_UNCHECKED = 0,	/* measures nothing the policy speaks of */
	IMAEVM_POLICY_ALLOWED = 1,	/* its digest is allowed */
	IMAEVM_POLICY_ALLOWED_SIG = 2,	/* allowed by its verified signature */
	IMAEVM_POLICY_EXCLUDED = 3,	/* an exclude pattern or ignored keyring */
	IMAEVM_POLICY_REFUSED = 16,	/* the first refusal */
	IMAEVM_POLICY_NOT_IMA_PCR = 16,	/* keylime: an entry on another PCR than ima_pcrs */
	IMAEVM_POLICY_UNKNOWN_KEY = 17,	/* keylime: a key not in keyrings */
	IMAEVM_POLICY_UNKNOWN_BUFFER = 18,	/* keylime: a buffer not in ima-buf */
	IMAEVM_POLICY_VERITY = 19,	/* an fs-verity digest (not a file digest) */
	IMAEVM_POLICY_DIGEST_MISMATCH = 20,	/* the path has other digests of this algorithm */
	IMAEVM_POLICY_NO_ALGO = 21,	/* the path has digests of other algorithms only */
	IMAEVM_POLICY_UNKNOWN_FILE = 22,	/* neither the path (nor with ANY_PATH the digest) */
};

/**
 * struct imaevm_policy_tally - counts of the results of imaevm_policy_check().
 * @checked:   entries the policy judged (every result but UNCHECKED and
 *             NOT_IMA_PCR)
 * @allowed:   IMAEVM_POLICY_ALLOWED
 * @by_sig:    IMAEVM_POLICY_ALLOWED_SIG
 * @excluded:  IMAEVM_POLICY_EXCLUDED
 * @refused:   refusals counted in @checked
 * @reserved:  zero
 */
struct imaevm_policy_tally {
	uint64_t checked;
	uint64_t allowed;
	uint64_t by_sig;
	uint64_t excluded;
	uint64_t refused;
	uint64_t reserved[3];
};

/** Flag of imaevm_policy_check(): the entry's signature verified with a trusted key. */
#define IMAEVM_POLICY_SIG_OK 0x1u

/**
 * imaevm_policy_check() - does the policy allow this entry?
 * @policy: the policy
 * @entry:  an entry of imaevm_ml_next()
 * @flags:  IMAEVM_POLICY_SIG_OK (an alternative allow rule), or 0
 * @tally:  counts to add the result to, or NULL
 *
 * Not checked: violations, entries without a file digest, ima-buf entries
 * and the boot_aggregate (entry 1 on an IMA PCR) unless a keylime policy
 * was added.  An ima-buf entry holding an X.509 certificate is a key,
 * checked against keyrings (unless its keyring is ignored); any other
 * buffer against ima-buf.  A file is excluded, allowed by signature, or
 * allowed if its digest is one of its path's (keylime digests: any
 * algorithm of the digest's length), or with IMAEVM_POLICY_ANY_PATH of any
 * path's.
 * Return: enum imaevm_policy_result; -EINVAL (a NULL argument, an unknown flag).
 */
int imaevm_policy_check(const struct imaevm_policy *policy,
			const struct imaevm_ml_entry *entry, unsigned int flags,
			struct imaevm_policy_tally *tally);

/**
 * imaevm_policy_result_text() - a short text for a result.
 * @result: enum imaevm_policy_result
 * Return: a constant string ("unknown file (not in the policy)", ...).
 */
const char *imaevm_policy_result_text(int result);

/**
 * imaevm_policy_free() - release a policy.
 * @policy: the policy; NULL is a no-op
 */
void imaevm_policy_free(struct imaevm_policy *policy);

/**
 * imaevm_manifest_path_unescape() - undo a manifest's \ooo escapes in place.
 * @s: a NUL-terminated path or glob
 * Return: 0; -EBADMSG (a backslash not followed by three octal digits of
 * at most \377, or \000); -EINVAL (@s NULL).  On error @s is undefined.
 */
int imaevm_manifest_path_unescape(char *s);

/**
 * imaevm_manifest_path_escape() - a path as manifests write it: "//" and
 * "/./" collapsed, a backslash, control characters and DEL as \ooo.
 * @path: the path
 * @out:  receives the escaped path (release it with imaevm_free())
 * Return: 0, -EINVAL, -ENOMEM.
 */
int imaevm_manifest_path_escape(const char *path, char **out);

#endif /* IMAEVM_POLICY_H */
