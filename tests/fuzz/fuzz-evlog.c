// SPDX-License-Identifier: GPL-2.0-or-later
/* fuzz-evlog.c - harness: TPM 1.2 and TPM 2.0 crypto-agile firmware event
 * logs (reader, replay, boot_aggregate of the replayed banks). */
#include "config.h"

#include <errno.h>
#include <unistd.h>

#include "imaevm.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct imaevm_ctx *ctx = fuzz_ctx();
	const struct imaevm_evlog_event *ev;
	struct imaevm_pcrs pcrs;
	struct imaevm_evlog *log;
	unsigned int i;
	char path[32];
	int fd, rc, n;

	fd = fuzz_file(data, size, path);
	if (fd < 0)
		return 0;
	if (imaevm_evlog_open(ctx, path, &log) == 0) {
		int fmt = imaevm_evlog_format(log);

		FUZZ_ASSERT(fmt == IMAEVM_EVLOG_TPM12 || fmt == IMAEVM_EVLOG_CRYPTO_AGILE);
		while ((rc = imaevm_evlog_next(log, &ev)) == 1) {
			FUZZ_ASSERT(ev->n_digests <= IMAEVM_MAX_BANKS);
			FUZZ_ASSERT(ev->data || !ev->data_len);
			for (i = 0; i < ev->n_digests; i++) {
				FUZZ_ASSERT(ev->digests[i].value);
				FUZZ_ASSERT(ev->digests[i].len <= IMAEVM_MAX_DIGEST_SIZE);
				if (ev->digests[i].algo >= 0 &&
				    imaevm_hash_algo_size(ev->digests[i].algo) ==
				    (int)ev->digests[i].len)
					/* touch every byte: ASan checks the bounds */
					(void)imaevm_digest_buf(ctx, ev->digests[i].value,
								ev->digests[i].len,
								IMAEVM_HASH_SHA1, &(struct imaevm_digest){ 0 });
			}
			if (ev->data_len)
				(void)imaevm_digest_buf(ctx, ev->data, ev->data_len,
							IMAEVM_HASH_SHA1, &(struct imaevm_digest){ 0 });
		}
		FUZZ_ASSERT(rc == 0 || (rc == -EBADMSG && imaevm_evlog_error(log)));
		imaevm_evlog_close(log);
	}
	n = imaevm_evlog_replay(ctx, path, &pcrs);
	if (n >= 0) {
		FUZZ_ASSERT(pcrs.n_banks <= IMAEVM_MAX_BANKS);
		for (i = 0; i < pcrs.n_banks; i++) {
			struct imaevm_digest d;

			FUZZ_ASSERT(imaevm_hash_algo_size(pcrs.bank[i].algo) > 0);
			(void)imaevm_boot_aggregate(ctx, &pcrs.bank[i], &d);
		}
	}
	close(fd);
	return 0;
}
