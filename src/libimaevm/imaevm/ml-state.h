/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* imaevm/ml-state.h - libimaevm's public interface: attestation: incremental replay state. */
#ifndef IMAEVM_ML_STATE_H
#define IMAEVM_ML_STATE_H

#ifndef IMAEVM_H
#error "include <imaevm.h>, which includes this part in its place"
#endif

/* ---- Attestation: incremental replay of a growing list ----------------- */

/**
 * Version of the state file format written by imaevm_ml_state_serialize();
 * imaevm_ml_state_parse() reads this version only.
 */
#define IMAEVM_ML_STATE_VERSION 1
/** Most bytes of the machine identifier a state records. */
#define IMAEVM_ML_STATE_MACHINE_MAX 64

/**
 * struct imaevm_ml_state - opaque record of where a verified list ended:
 * the entry count and byte offset, the boundary entry's template digest,
 * entry 1's (the boot_aggregate's) template digest, the replayed value of
 * every PCR in every bank with the bank's replay mode, and what identifies
 * the boot and machine (a quote's TPMS_CLOCK_INFO, a machine identifier).
 * A state is never changed once made (imaevm_ml_state_record() makes a
 * new one), so threads may share it; the calls that take a context use it
 * as every call does (one context per thread).
 */
struct imaevm_ml_state;

/**
 * imaevm_ml_state_parse() - read a serialised state.
 * @buf:   the bytes of a state file
 * @len:   their length
 * @state: receives the state (release it with imaevm_ml_state_free())
 * @why:   receives why it was refused (a constant string), or NULL
 *
 * The format is checked strictly: magic, version, length, CRC-32 of the
 * whole file, every count and algorithm, reserved bytes zero, no trailing
 * bytes.
 *
 * Return: 0; -EINVAL (a NULL argument); -EBADMSG (damaged: truncated,
 * bad magic or checksum, impossible values); -EPROTO (another version);
 * -ENOMEM.
 */
int imaevm_ml_state_parse(const void *buf, size_t len,
			  struct imaevm_ml_state **state, const char **why);

/**
 * imaevm_ml_state_load() - read a state file.
 * @ctx:   context
 * @path:  the file
 * @state: receives the state
 * @why:   receives why it was refused (a constant string), or NULL
 * Return: as imaevm_ml_state_parse(); -ENOENT if the file does not exist
 * (a first run), other open and read errors; -EFBIG above 1 MiB.
 */
int imaevm_ml_state_load(struct imaevm_ctx *ctx, const char *path,
			 struct imaevm_ml_state **state, const char **why);

/**
 * imaevm_ml_state_serialize() - the state as the bytes of a state file.
 * @state: the state
 * @buf:   receives the bytes (release them with imaevm_free())
 * @len:   receives their length
 * Return: 0, -EINVAL, -ENOMEM.
 */
int imaevm_ml_state_serialize(const struct imaevm_ml_state *state,
			      unsigned char **buf, size_t *len);

/**
 * imaevm_ml_state_save() - write a state file atomically: a temporary file
 * in the same directory, fsync, rename over @path, fsync of the directory.
 * @ctx:   context (for messages)
 * @state: the state
 * @path:  the file; on error it is left as it was
 * Return: 0, -EINVAL, -ENOMEM, or the error of open/write/fsync/rename.
 */
int imaevm_ml_state_save(struct imaevm_ctx *ctx,
			 const struct imaevm_ml_state *state, const char *path);

/**
 * imaevm_ml_state_free() - release a state.
 * @state: the state; NULL is a no-op
 */
void imaevm_ml_state_free(struct imaevm_ml_state *state);

/**
 * imaevm_ml_state_entries() - how many entries the state has replayed.
 * @state: the state, or NULL
 * Return: the count (0 for NULL).
 */
uint64_t imaevm_ml_state_entries(const struct imaevm_ml_state *state);

/**
 * imaevm_ml_state_offset() - the byte offset where the replayed entries end
 * in the whole list (binary or ASCII).
 * @state: the state, or NULL
 * Return: the offset (0 for NULL).
 */
uint64_t imaevm_ml_state_offset(const struct imaevm_ml_state *state);

/**
 * imaevm_ml_state_template_algo() - the algorithm of the recorded list's
 * template digests: IMAEVM_HASH_SHA1 for the classic lists, the bank's for
 * a per-bank list (see imaevm_ml_set_digest_algo()).
 * @state: the state
 * Return: enum imaevm_hash_algo; -EINVAL if @state is NULL.
 */
int imaevm_ml_state_template_algo(const struct imaevm_ml_state *state);

/**
 * imaevm_ml_state_bank_mode() - the replay mode a bank was verified in.
 * @state: the state
 * @algo:  the bank (enum imaevm_hash_algo)
 * Return: IMAEVM_REPLAY_BANK or IMAEVM_REPLAY_PADDED; -ENOENT if the state
 * has no such bank; -EINVAL if @state is NULL.
 */
int imaevm_ml_state_bank_mode(const struct imaevm_ml_state *state, int algo);

/**
 * imaevm_ml_state_open_list() - open a list where @state left off.
 * @ctx:   context
 * @state: the state of the last passing run, or NULL (a first run: the
 *         list is read from its start, as imaevm_ml_open() does)
 * @path:  the list: either the whole list as the kernel has it now, or
 *         only the entries after the recorded ones ("-" reads standard
 *         input)
 * @td_algo: algorithm of the list's template digests, or -1 (the state's,
 *         or for a first run the file name's, as imaevm_ml_open())
 * @ml:    receives the reader, positioned after the recorded entries: the
 *         entries it returns are numbered and their offsets counted as in
 *         the whole list
 * @why:   receives why the list was refused (a constant string), or NULL
 *
 * Which of the two the file is, is told by its first entry: the whole list
 * starts with entry 1, the boot_aggregate, whose template digest the state
 * records.  For a whole list the recorded prefix is not read again: the
 * reader moves to the recorded boundary entry, which must be the one
 * recorded (its template digest) and end at the recorded offset.  Any
 * other first entry starts a list of new entries only; its PCR values are
 * proven by replaying it from the recorded values to the PCRs read now.
 *
 * Return: 0; -ESTALE (another boot: the first entry is a boot_aggregate
 * other than the recorded one); -EBADMSG (the whole list does not continue
 * the recorded one: shorter, another format, or the boundary entry is not
 * the recorded one); -EINVAL (a NULL argument, @td_algo not the state's);
 * errors of imaevm_ml_open() and of reading.
 */
int imaevm_ml_state_open_list(struct imaevm_ctx *ctx,
			      const struct imaevm_ml_state *state,
			      const char *path, int td_algo,
			      struct imaevm_ml **ml, const char **why);

/**
 * imaevm_ml_state_replay_new() - replay state that continues @state.
 * @ctx:      context
 * @state:    the recorded state, or NULL (then as imaevm_replay_new())
 * @algos:    the banks to replay; each must be one the state recorded
 * @n_banks:  their number
 * @expected: PCR values to compare with, or NULL (see imaevm_replay_new())
 * @replay:   receives the replay state: every recorded PCR starts at its
 *            recorded value, with its recorded entry count, and counts as
 *            used (imaevm_replay_pcrs_used()); a recorded value equal to
 *            the expected one is matched at the PCR's last recorded entry.
 *            Only the recorded replay modes are replayed.
 * @why:      receives why the banks do not fit the state (a constant
 *            string), or NULL
 * Return: 0; -ENOENT (a bank the state does not have: a full replay is
 * needed); errors of imaevm_replay_new().
 */
int imaevm_ml_state_replay_new(struct imaevm_ctx *ctx,
			       const struct imaevm_ml_state *state,
			       const int *algos, unsigned int n_banks,
			       const struct imaevm_pcrs *expected,
			       struct imaevm_replay **replay, const char **why);

/**
 * struct imaevm_ml_state_boot - what identifies the boot and the machine.
 * @version:       0
 * @have_clock:    nonzero if the next three fields are from a quote
 * @clock:         TPMS_CLOCK_INFO.clock of the quote
 * @reset_count:   TPMS_CLOCK_INFO.resetCount
 * @restart_count: TPMS_CLOCK_INFO.restartCount
 * @machine:       an identifier of the machine (e.g. a hash of its
 *                 attestation key), @machine_len bytes (at most
 *                 IMAEVM_ML_STATE_MACHINE_MAX), or none
 * @reserved:      must be zero
 */
struct imaevm_ml_state_boot {
	unsigned int version;
	int have_clock;
	uint64_t clock;
	uint32_t reset_count;
	uint32_t restart_count;
	unsigned char machine[IMAEVM_ML_STATE_MACHINE_MAX];
	size_t machine_len;
	uint64_t reserved[4];
};

/**
 * imaevm_ml_state_check_boot() - is this still the recorded boot and machine?
 * @state: the recorded state
 * @boot:  what identifies the boot now (a new quote's clock, the machine)
 * @why:   receives why not (a constant string), or NULL
 *
 * A state without clock information accepts any; with it, the resetCount
 * and restartCount must be the recorded ones and the clock must not have
 * gone back.  A recorded machine identifier must be @boot's.
 *
 * Return: 0; -ESTALE (another boot: TPM reset or restart, the clock went
 * back); -EXDEV (another machine); -EINVAL.
 */
int imaevm_ml_state_check_boot(const struct imaevm_ml_state *state,
			       const struct imaevm_ml_state_boot *boot,
			       const char **why);

/**
 * imaevm_ml_state_record() - the state after a run that passed.
 * @ctx:     context
 * @prev:    the state the run continued, or NULL (a full replay)
 * @ml:      the reader of imaevm_ml_state_open_list(), read to its end
 * @replay:  the replay of the run (imaevm_ml_state_replay_new())
 * @algos:   the banks to record, as replayed
 * @modes:   the mode each bank was verified in (enum imaevm_replay_mode)
 * @n_banks: their number
 * @boot:    what identifies the boot (see imaevm_ml_state_boot), or NULL
 * @state:   receives the new state
 * Return: 0; -ENODATA (the list had no entry: there is no boot to record);
 * -EINVAL (NULL arguments, a bank not replayed, a bad mode, the reader not
 * at its end or failed); -ENOMEM.
 */
int imaevm_ml_state_record(struct imaevm_ctx *ctx,
			   const struct imaevm_ml_state *prev,
			   struct imaevm_ml *ml, struct imaevm_replay *replay,
			   const int *algos, const int *modes, unsigned int n_banks,
			   const struct imaevm_ml_state_boot *boot,
			   struct imaevm_ml_state **state);

#endif /* IMAEVM_ML_STATE_H */
