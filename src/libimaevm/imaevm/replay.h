/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* imaevm/replay.h - libimaevm's public interface: attestation: PCR replay of a measurement list. */
#ifndef IMAEVM_REPLAY_H
#define IMAEVM_REPLAY_H

#ifndef IMAEVM_H
#error "include <imaevm.h>, which includes this part in its place"
#endif

/* ---- Attestation: PCR replay of a measurement list ---------------------- */

/** Replay modes: how the kernel extended a bank. */
enum imaevm_replay_mode {
	IMAEVM_REPLAY_BANK = 0,		/* template digest in the bank's hash */
	IMAEVM_REPLAY_PADDED = 1,	/* sha1 template digest, zero-padded */
	IMAEVM_REPLAY_MODES
};

/** struct imaevm_replay - opaque replay state of one or more banks. */
struct imaevm_replay;

/**
 * imaevm_replay_new() - replay state for @n_banks banks.
 * @ctx:   context (must outlive the replay state)
 * @algos: enum imaevm_hash_algo of each bank (sha1, sha256, sha384, sha512,
 *         sm3, ...)
 * @expected: PCR values to watch for (e.g. read from the TPM), or NULL;
 *         copied.  After each entry the extended PCR is compared with them,
 *         so imaevm_replay_result() can say at which entry each PCR matched.
 * @n_banks: number of entries in @algos (at most IMAEVM_MAX_BANKS)
 * @replay: receives the state (release it with imaevm_replay_free())
 * Return: 0, -EINVAL (@ctx or @replay NULL, @algos NULL with banks, too
 * many banks, an unknown or repeated algorithm), -EOPNOTSUPP (an algorithm, or sha1, is unavailable),
 * -ENOMEM.
 */
int imaevm_replay_new(struct imaevm_ctx *ctx, const int *algos,
		      unsigned int n_banks, const struct imaevm_pcrs *expected,
		      struct imaevm_replay **replay);

/**
 * imaevm_replay_extend() - extend every bank with one entry, in both modes.
 * Violations extend all-0xff of the bank's size (padded mode: 20 bytes of
 * 0xff, zero-padded, as older kernels did).  The recorded sha1 template
 * digest is checked at once; the banks are replayed in batches (on machines
 * with several CPUs by a worker thread, started here, while the caller fills
 * the next batch), so results are complete only after imaevm_replay_finish()
 * or imaevm_replay_result().  One replay state is used by one thread.
 * @replay: the replay state
 * @entry:  the entry (copied: it need not outlive the call)
 * Return: 0; -EINVAL (a NULL argument); -EBADMSG if the recorded template digest does not match the
 * template data (the entry is replayed all the same); -ERANGE if
 * @entry->pcr >= IMAEVM_MAX_LIST_PCRS (not replayed); -EOPNOTSUPP (sha1
 * unavailable, or a batch replayed now failed); -ENOMEM.
 *
 * Per-bank lists: an entry whose @template_digest_algo is not sha1 (from
 * binary_runtime_measurements_sha256, ...) extends only the bank of that
 * algorithm, in bank mode only: its recorded digest (checked against the
 * template data hashed with that algorithm, -EBADMSG if they differ) is the
 * one extended.  The other banks, and every bank's padded mode, do not see
 * it (their results do not count it): replay such a list with that single
 * bank.  -EINVAL (not replayed) if the replay state has no bank of that
 * algorithm, or the digest length is not its size.
 */
int imaevm_replay_extend(struct imaevm_replay *replay,
			 const struct imaevm_ml_entry *entry);

/**
 * imaevm_replay_set_modes() - replay only some modes (before the first entry).
 * @replay: the replay state
 * @modes: bit (1 << enum imaevm_replay_mode) per mode; both by default.
 *         Each mode costs one extend per entry and bank: a caller that can
 *         read the list twice may replay the padded mode only if needed.
 * Return: 0, -EINVAL (no mode, unknown mode, or entries already extended).
 */
int imaevm_replay_set_modes(struct imaevm_replay *replay, unsigned int modes);

/**
 * imaevm_replay_finish() - replay the entries still batched; the worker
 * thread, if any, has ended when it returns.
 * @replay: the replay state (more entries may still be extended after it)
 * Return: 0, -EINVAL (@replay NULL), or the first error of a batch
 * (-EOPNOTSUPP).
 */
int imaevm_replay_finish(struct imaevm_replay *replay);

/**
 * struct imaevm_replay_pcr - replay result of one PCR in one bank and mode.
 * @entries:    entries the list has for this PCR
 * @last_index: index of the last entry for this PCR (0 if none)
 * @value:      the replayed value after the last entry
 * @matched_at: index of the entry after which the replayed value equalled
 *              the expected one (the last such entry), 0 if never
 * @matched_n:  entries of this PCR up to and including @matched_at
 */
struct imaevm_replay_pcr {
	uint64_t entries;
	uint64_t last_index;
	unsigned char value[IMAEVM_MAX_DIGEST_SIZE];
	uint64_t matched_at;
	uint64_t matched_n;
};

/**
 * imaevm_replay_result() - the state of one PCR (finishes pending batches).
 * @replay: the replay state
 * @algo:   bank (enum imaevm_hash_algo)
 * @mode:   enum imaevm_replay_mode
 * @pcr:    0..63
 * @out:    receives the result (a copy)
 * Return: 0, -EINVAL (a NULL argument, no such bank, mode or PCR), errors
 * of imaevm_replay_finish().
 */
int imaevm_replay_result(struct imaevm_replay *replay, int algo,
			 int mode, unsigned int pcr,
			 struct imaevm_replay_pcr *out);

/**
 * struct imaevm_replay_verdict - the verdict of one bank in one mode.
 * @version:    IMAEVM_REPLAY_VERDICT_VERSION, set by the caller
 * @algo:       in: the bank (enum imaevm_hash_algo)
 * @mode:       in: enum imaevm_replay_mode
 * @compare:    in: the PCRs to judge (bit N: PCR N); a PCR no entry
 *              extended must hold its reset value (all ones for PCRs 17-22
 *              of TPM 2.0, zeros for the others)
 * @matched:    out: PCRs of @compare that matched: the replayed value
 *              equalled the expected one after some entry, or no entry
 *              extended the PCR and it is at its reset value
 * @mismatched: out: PCRs of @compare with an expected value that did not
 *              match
 * @missing:    out: PCRs of @compare without an expected value (PCRs 24
 *              and up never have one)
 * @at_reset:   out: PCRs of @matched that no entry extended
 * @partial:    out: PCRs of @matched that matched before their last entry
 *              (the entries after it came after the PCRs were read)
 * @match:      out: 1 if every PCR of @compare matched, else 0
 * @reserved:   must be zero (room for later fields)
 */
struct imaevm_replay_verdict {
	uint32_t version;
	int32_t algo;
	int32_t mode;
	uint32_t reserved0;
	uint64_t compare;
	uint64_t matched;
	uint64_t mismatched;
	uint64_t missing;
	uint64_t at_reset;
	uint64_t partial;
	int32_t match;
	uint32_t reserved1;
	uint64_t reserved[8];
};

#define IMAEVM_REPLAY_VERDICT_VERSION 1

/**
 * imaevm_replay_verdict() - does one bank match the expected PCR values?
 * (finishes pending batches)
 * @replay:  the replay state, made with expected PCR values
 * @verdict: in: @version, @algo, @mode and @compare, the rest zero; out:
 *           the other fields (written only on success)
 *
 * The expected values are those given to imaevm_replay_new() (or
 * imaevm_ml_state_replay_new()).  An empty @compare matches.
 *
 * Return: 0 (whatever the verdict); -EINVAL (a NULL argument, another
 * @version, reserved fields not zero, no such bank or mode); -ENODATA (no
 * expected values for this bank); errors of imaevm_replay_finish().
 */
int imaevm_replay_verdict(struct imaevm_replay *replay,
			  struct imaevm_replay_verdict *verdict);

/**
 * imaevm_replay_pcrs_used() - the PCRs the extended entries used.
 * @replay: the replay state
 * Return: bit N set if an entry extended PCR N; 0 if @replay is NULL.
 */
uint64_t imaevm_replay_pcrs_used(const struct imaevm_replay *replay);

/**
 * imaevm_replay_free() - release the replay state (entries still batched
 * are dropped).
 * @replay: the replay state; NULL is a no-op
 */
void imaevm_replay_free(struct imaevm_replay *replay);

#endif /* IMAEVM_REPLAY_H */
