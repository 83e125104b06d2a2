// SPDX-License-Identifier: GPL-2.0-or-later
/* fuzz-pcrs.c - harness: PCR files ("PCR-NN: hex", "N: hex", tpm2_pcrread). */
#include "config.h"

#include <string.h>
#include <unistd.h>

#include "imaevm.h"
#include "fuzz.h"

static void read_as(struct imaevm_ctx *ctx, const char *path, int algo)
{
	struct imaevm_pcrs pcrs, before;
	unsigned int i;
	int n;

	memset(&pcrs, 0, sizeof(pcrs));
	before = pcrs;
	n = imaevm_pcrs_read_file(ctx, path, algo, &pcrs);
	if (n < 0) {
		/* unchanged on error */
		FUZZ_ASSERT(!memcmp(&pcrs, &before, sizeof(pcrs)));
		return;
	}
	FUZZ_ASSERT(n > 0);
	FUZZ_ASSERT(pcrs.n_banks >= 1 && pcrs.n_banks <= IMAEVM_MAX_BANKS);
	for (i = 0; i < pcrs.n_banks; i++) {
		struct imaevm_digest d;

		FUZZ_ASSERT(imaevm_hash_algo_size(pcrs.bank[i].algo) > 0);
		FUZZ_ASSERT(!(pcrs.bank[i].valid >> IMAEVM_NUM_PCRS));
		if (algo >= 0)
			FUZZ_ASSERT(pcrs.bank[i].algo == algo);
		(void)imaevm_boot_aggregate(ctx, &pcrs.bank[i], &d);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct imaevm_ctx *ctx = fuzz_ctx();
	char path[32];
	int fd;

	fd = fuzz_file(data, size, path);
	if (fd < 0)
		return 0;
	read_as(ctx, path, -1);
	read_as(ctx, path, IMAEVM_HASH_SHA256);
	close(fd);
	return 0;
}
