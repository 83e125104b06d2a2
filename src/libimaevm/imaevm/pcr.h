/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* imaevm/pcr.h - libimaevm's public interface: attestation: PCR values and firmware event logs. */
#ifndef IMAEVM_PCR_H
#define IMAEVM_PCR_H

#ifndef IMAEVM_H
#error "include <imaevm.h>, which includes this part in its place"
#endif

/* ---- Attestation: PCR values -------------------------------------------- */

/** PCRs of a TPM (PC Client platform); PCR values are kept for 0..23. */
#define IMAEVM_NUM_PCRS 24
/** PCR indexes a measurement list may use (the kernel's policy limit). */
#define IMAEVM_MAX_LIST_PCRS 64
/** Banks a struct imaevm_pcrs can hold. */
#define IMAEVM_MAX_BANKS 8

/**
 * struct imaevm_pcr_bank - PCR values of one bank.
 * @algo:  enum imaevm_hash_algo
 * @valid: bit N set when pcr[N] holds a value
 * @pcr:   the values (digest size of @algo used)
 */
struct imaevm_pcr_bank {
	int algo;
	uint32_t valid;
	unsigned char pcr[IMAEVM_NUM_PCRS][IMAEVM_MAX_DIGEST_SIZE];
};

/** struct imaevm_pcrs - PCR values of several banks. */
struct imaevm_pcrs {
	unsigned int n_banks;
	struct imaevm_pcr_bank bank[IMAEVM_MAX_BANKS];
};

/**
 * imaevm_pcrs_bank() - the bank of @algo in @pcrs.
 * @create: add an empty bank if there is none (and there is room)
 * Return: the bank, or NULL.
 */
struct imaevm_pcr_bank *imaevm_pcrs_bank(struct imaevm_pcrs *pcrs, int algo,
					 int create);

/**
 * imaevm_pcrs_read_file() - read PCR values from a text file.
 * @ctx:  context
 * @path: the file
 * @algo: the bank of the values, or -1 for sha1 unless the file names banks
 * @pcrs: banks are added or updated
 *
 * Lines "PCR-NN: hex" (NN decimal, as the old evmctl reads them; bytes may
 * be separated by spaces as in the TPM 1.2 sysfs file), "N: hex" (tsspcrread)
 * and "  N : 0xhex" (tpm2_pcrread, tpm2_eventlog) are read; a line "algo:"
 * alone (tpm2_pcrread) switches to that bank.  Other lines are ignored.
 *
 * Return: number of values read (> 0); -EBADMSG if none or a value has the
 * wrong length; -EINVAL; -ENOSPC too many banks; -EIO read error; -ENODEV
 * @path is not a regular file (a FIFO or device is not opened for
 * reading); open errors.  @pcrs is unchanged on error.
 */
int imaevm_pcrs_read_file(struct imaevm_ctx *ctx, const char *path, int algo,
			  struct imaevm_pcrs *pcrs);

/**
 * imaevm_pcrs_read_sysfs() - read PCRs of every bank the kernel exports.
 * @ctx:  context
 * @dir:  "/sys/class/tpm/tpm0" or NULL for that; reads pcr-<algo>/<n>
 *        (TPM 2.0) or else device/pcrs (TPM 1.2)
 * @pcrs: banks are added or updated; unchanged on error
 * Return: number of values read (> 0); -EINVAL (@ctx or @pcrs NULL);
 * -ENODEV if @dir does not exist or holds no PCR values; -ENOSPC too many
 * banks; other errors of opening @dir (-EACCES, ...).
 */
int imaevm_pcrs_read_sysfs(struct imaevm_ctx *ctx, const char *dir,
			   struct imaevm_pcrs *pcrs);

/**
 * imaevm_pcrs_read_tpm() - read PCRs 0..23 of every allocated bank from a
 * TPM 2.0 through tpm2-tss ESYS.
 * @ctx:        context
 * @tcti:       TCTI configuration ("device:/dev/tpmrm0", "swtpm:port=2321",
 *              "mssim:host=...", "tabrmd", ...); NULL takes $TPM2TOOLS_TCTI,
 *              then $TCTI, then tpm2-tss's own default search
 *              (libtss2-tcti-default.so, tabrmd, /dev/tpmrm0, /dev/tpm0,
 *              swtpm and mssim on localhost), all under @timeout_ms
 * @timeout_ms: give up after this long (0: 10 seconds); the TPM is talked
 *              to in a worker thread, so a TCTI that blocks cannot hold
 *              the caller beyond it
 * @pcrs:       banks are added or updated; unchanged on error
 *
 * Return: number of values read (> 0); -EINVAL (@ctx or @pcrs NULL,
 * @timeout_ms negative); -ENODEV no TPM reachable (no TCTI found,
 * connection failed, or no value read); -ETIMEDOUT; -EIO for a TPM error
 * (logged with its text); -ENOSPC too many banks; -ENOMEM; -EAGAIN (no
 * thread); -EOPNOTSUPP the library was built without tpm2-tss
 * (configure --without-tss2: imaevm_pcrs_read_sysfs() and PCR files work).
 */
int imaevm_pcrs_read_tpm(struct imaevm_ctx *ctx, const char *tcti,
			 int timeout_ms, struct imaevm_pcrs *pcrs);

/* ---- Attestation: firmware event logs ----------------------------------- */

enum imaevm_evlog_format {
	IMAEVM_EVLOG_TPM12 = 1,		/* SHA1 log (TCG_PCClientPCREvent) */
	IMAEVM_EVLOG_CRYPTO_AGILE = 2,	/* TPM 2.0 log (TCG_PCR_EVENT2) */
};

/**
 * struct imaevm_evlog_event - one firmware event (views into the reader,
 * valid until the next imaevm_evlog_next()).
 * @index:     0-based event number (the Spec ID event is event 0)
 * @pcr:       PCR index
 * @type:      event type (EV_*)
 * @n_digests: digests in @digests
 * @digests:   @algo (enum imaevm_hash_algo, -1 if the library does not know
 *             the TPM algorithm @tpm_alg), @value, @len
 * @data:      event data, @data_len its length
 */
struct imaevm_evlog_event {
	uint64_t index;
	uint32_t pcr;
	uint32_t type;
	unsigned int n_digests;
	struct {
		int algo;
		unsigned int tpm_alg;
		const unsigned char *value;
		size_t len;
	} digests[IMAEVM_MAX_BANKS];
	const unsigned char *data;
	size_t data_len;
};

/*
 * The largest event log read: firmware logs are kilobytes to a few
 * megabytes; a bigger input is not one (and /dev/zero would never end).
 */
#define IMAEVM_EVLOG_MAX_SIZE (64u << 20)

/** struct imaevm_evlog - opaque firmware event log reader. */
struct imaevm_evlog;

/**
 * imaevm_evlog_open() - start reading a firmware event log
 * (binary_bios_measurements); the format is detected from the first event.
 * @ctx:  context (must outlive the reader)
 * @path: the log file; it is read whole and closed before returning
 * @log:  receives the reader (release it with imaevm_evlog_close())
 * Return: 0; -EINVAL (a NULL argument); -EBADMSG (no valid first event or
 * Spec ID event, logged); -ENODEV (@path is not a
 * regular file); -EFBIG (over IMAEVM_EVLOG_MAX_SIZE bytes); -ENOMEM; open
 * and read errors (-ENOENT, -EACCES, -EIO, ...).
 */
int imaevm_evlog_open(struct imaevm_ctx *ctx, const char *path,
		      struct imaevm_evlog **log);

/**
 * imaevm_evlog_format() - the format of the log.
 * @log: the reader
 * Return: IMAEVM_EVLOG_TPM12 or IMAEVM_EVLOG_CRYPTO_AGILE (enum
 * imaevm_evlog_format); -EINVAL if @log is NULL.
 */
int imaevm_evlog_format(const struct imaevm_evlog *log);

/**
 * imaevm_evlog_next() - read the next event.
 * @log:   the reader
 * @event: receives a pointer to the event (owned by the reader)
 * Return: 1 with an event, 0 at the end, -EBADMSG for a malformed event,
 * one without exactly one digest per Spec ID algorithm, or a StartupLocality
 * event after an event on PCR 0 (imaevm_evlog_error() says which, where it
 * starts and why; the reader cannot continue
 * after that), -EINVAL (@log or @event NULL).  The log is read whole by
 * imaevm_evlog_open(), so there are no read errors here.
 */
int imaevm_evlog_next(struct imaevm_evlog *log,
		      const struct imaevm_evlog_event **event);

/**
 * imaevm_evlog_error() - why the last call failed.
 * @log: the reader, or NULL
 * Return: the message (valid until the reader is closed), or NULL if
 * nothing failed.
 */
const char *imaevm_evlog_error(const struct imaevm_evlog *log);

/**
 * imaevm_evlog_close() - release the reader and every event it returned.
 * @log: the reader; NULL is a no-op
 */
void imaevm_evlog_close(struct imaevm_evlog *log);

/**
 * imaevm_evlog_replay() - replay a whole event log into PCRs 0..23.
 * @ctx:  context
 * @path: the log file (as imaevm_evlog_open())
 * @pcrs: overwritten on success (unchanged on error): one bank per algorithm of the log (sha1 only for a
 *        TPM 1.2 log); EV_NO_ACTION events are not extended, and a
 *        StartupLocality event sets the initial value of PCR 0; banks of
 *        algorithms the library does not know are left out
 * Return: number of events extended; -EINVAL (@pcrs NULL); errors of
 * imaevm_evlog_open() and imaevm_evlog_next(); -EBADMSG also for an
 * extended (not EV_NO_ACTION) event of a PCR above 23 or a digest whose size does not match its bank (the
 * message is logged); -EOPNOTSUPP (a bank's hash unavailable); -ENOMEM.
 */
int imaevm_evlog_replay(struct imaevm_ctx *ctx, const char *path,
			struct imaevm_pcrs *pcrs);

/**
 * imaevm_boot_aggregate() - the boot_aggregate of one bank, as the kernel
 * computes it: the bank's hash over PCRs 0..7 (sha1) or 0..9 (other banks).
 * @ctx:  context
 * @bank: PCR values (PCRs without a value count as zero)
 * @out:  receives the digest (algorithm and length of @bank)
 * Return: 0, -EOPNOTSUPP (algorithm unavailable), -EINVAL (a NULL argument
 * or an unknown algorithm), -ENOMEM.
 */
int imaevm_boot_aggregate(struct imaevm_ctx *ctx,
			  const struct imaevm_pcr_bank *bank,
			  struct imaevm_digest *out);

/**
 * imaevm_boot_aggregate_pcrs() - as imaevm_boot_aggregate(), over PCRs
 * 0..@last_pcr whatever the bank (kernels 5.8 and 5.9 hashed PCRs 0..7 in
 * every bank).
 * @ctx:      context
 * @bank:     PCR values (PCRs without a value count as zero)
 * @last_pcr: last PCR hashed
 * @out:      receives the digest (algorithm and length of @bank)
 * Return: 0, -EOPNOTSUPP (algorithm unavailable), -EINVAL (a NULL argument,
 * an unknown algorithm, or @last_pcr >= IMAEVM_NUM_PCRS), -ENOMEM.
 */
int imaevm_boot_aggregate_pcrs(struct imaevm_ctx *ctx,
			       const struct imaevm_pcr_bank *bank,
			       unsigned int last_pcr, struct imaevm_digest *out);

#endif /* IMAEVM_PCR_H */
