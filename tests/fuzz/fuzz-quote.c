// SPDX-License-Identifier: GPL-2.0-or-later
/* fuzz-quote.c - harness: TPM 2.0 quote parser, signature and AK parsers. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "imaevm.h"
#include "fuzz.h"

/*
 * Input: a selector byte, then for selector 0 a TPMS_ATTEST; for selector 1
 * two big-endian 16-bit lengths and the quote, the signature and the AK.
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct imaevm_ctx *ctx = NULL;
	struct imaevm_quote q;
	/* a private copy, so reads past the end hit ASan's redzone */
	uint8_t *buf = malloc(size ? size : 1);

	if (!buf || size < 1)
		goto out;
	memcpy(buf, data, size);
	if (buf[0] % 2 == 0) {
		if (imaevm_quote_parse(buf + 1, size - 1, &q) == 0) {
			struct imaevm_pcrs pcrs = { 0 };
			struct imaevm_digest d;
			unsigned int i;

			FUZZ_ASSERT(q.extra_len <= sizeof(q.extra_data));
			FUZZ_ASSERT(q.pcr_digest_len <= sizeof(q.pcr_digest));
			FUZZ_ASSERT(q.n_sel <= IMAEVM_MAX_BANKS);
			for (i = 0; i < q.n_sel; i++)
				FUZZ_ASSERT(!(q.sel[i].pcrs >> IMAEVM_NUM_PCRS));
			if (imaevm_ctx_new(&ctx) == 0) {
				/* all-zero PCRs of every known bank selected */
				for (i = 0; i < q.n_sel; i++) {
					struct imaevm_pcr_bank *b = q.sel[i].algo < 0 ? NULL :
						imaevm_pcrs_bank(&pcrs, q.sel[i].algo, 1);

					if (b)
						b->valid = 0xffffff;
				}
				imaevm_quote_pcr_digest(ctx, &q, &pcrs, IMAEVM_HASH_SHA256, &d);
			}
		}
	} else if (size >= 5) {
		size_t qlen = (size_t)buf[1] << 8 | buf[2], slen = (size_t)buf[3] << 8 | buf[4];
		int algo;

		if (qlen + slen <= size - 5 && imaevm_ctx_new(&ctx) == 0)
			imaevm_quote_verify_signature(ctx, buf + 5, qlen, buf + 5 + qlen, slen,
						      buf + 5 + qlen + slen,
						      size - 5 - qlen - slen, &algo);
	}
out:
	imaevm_ctx_free(ctx);
	free(buf);
	return 0;
}
