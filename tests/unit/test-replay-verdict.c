// SPDX-License-Identifier: GPL-2.0-or-later
/* test-replay-verdict.c - imaevm_replay_verdict(): per-bank verdicts against PCR values computed here with OpenSSL. */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <openssl/evp.h>

#include "imaevm.h"
#include "unit.h"

static struct imaevm_ctx *ctx;

/* out = H(a || b) with OpenSSL, independent of the library's replay */
static void h2(const char *md, const unsigned char *a, size_t alen,
	       const unsigned char *b, size_t blen, unsigned char *out)
{
	EVP_MD_CTX *c = EVP_MD_CTX_new();

	EVP_DigestInit_ex(c, EVP_get_digestbyname(md), NULL);
	EVP_DigestUpdate(c, a, alen);
	if (blen)
		EVP_DigestUpdate(c, b, blen);
	EVP_DigestFinal_ex(c, out, NULL);
	EVP_MD_CTX_free(c);
}

/* One sha1-list entry of @data on @pcr; @pcr256 is extended as sha256 does. */
static void extend(struct imaevm_replay *r, uint64_t index, uint32_t pcr, const char *data,
		   unsigned char *pcr256)
{
	struct imaevm_ml_entry e = { .index = index, .pcr = pcr, .template_name = "x",
				     .data = (const unsigned char *)data,
				     .data_len = strlen(data) };
	unsigned char td[32];

	h2("sha1", e.data, e.data_len, NULL, 0, e.template_digest);
	CHECK_EQ_INT(imaevm_replay_extend(r, &e), 0);
	if (pcr256) {
		h2("sha256", e.data, e.data_len, NULL, 0, td);
		h2("sha256", pcr256, 32, td, 32, pcr256);
	}
}

static struct imaevm_replay_verdict ask(int algo, int mode, uint64_t compare)
{
	struct imaevm_replay_verdict v = { .version = IMAEVM_REPLAY_VERDICT_VERSION,
					   .algo = algo, .mode = mode, .compare = compare };
	return v;
}

int main(void)
{
	static const int algos[] = { IMAEVM_HASH_SHA256, IMAEVM_HASH_SHA1 };
	unsigned char p10[32] = { 0 }, p11[32] = { 0 };
	struct imaevm_replay_verdict v;
	struct imaevm_replay *r;
	struct imaevm_pcr_bank *b;
	struct imaevm_pcrs pcrs = { 0 };

	CHECK_EQ_INT(imaevm_ctx_new(&ctx), 0);
	/*
	 * PCR 10: the TPM was read after its first entry (a second came later);
	 * PCR 11: its whole replay; 12 and 17 untouched at reset (17 is all
	 * ones); 13 untouched but not at reset; 14 has no value.
	 */
	b = imaevm_pcrs_bank(&pcrs, IMAEVM_HASH_SHA256, 1);
	CHECK(b != NULL);
	{
		unsigned char td[32];

		h2("sha256", (const unsigned char *)"first", 5, NULL, 0, td);
		h2("sha256", p10, 32, td, 32, b->pcr[10]);
		h2("sha256", (const unsigned char *)"eleven", 6, NULL, 0, td);
		h2("sha256", p11, 32, td, 32, b->pcr[11]);
	}
	memset(b->pcr[17], 0xff, 32);
	b->pcr[13][0] = 1;
	b->valid = (1u << 10) | (1u << 11) | (1u << 12) | (1u << 13) | (1u << 17);
	/* a sha1 bank without values: judged, it has nothing that matches */
	CHECK(imaevm_pcrs_bank(&pcrs, IMAEVM_HASH_SHA1, 1) != NULL);

	CHECK_EQ_INT(imaevm_replay_new(ctx, algos, 2, &pcrs, &r), 0);
	extend(r, 1, 10, "first", p10);
	extend(r, 2, 11, "eleven", p11);
	extend(r, 3, 10, "second", p10);
	CHECK(memcmp(p10, b->pcr[10], 32) != 0);

	v = ask(IMAEVM_HASH_SHA256, IMAEVM_REPLAY_BANK,
		(1u << 10) | (1u << 11) | (1u << 12) | (1u << 17));
	CHECK_EQ_INT(imaevm_replay_verdict(r, &v), 0);
	CHECK_EQ_INT(v.match, 1);
	CHECK_EQ_INT(v.matched, (1u << 10) | (1u << 11) | (1u << 12) | (1u << 17));
	CHECK_EQ_INT(v.at_reset, (1u << 12) | (1u << 17));
	CHECK_EQ_INT(v.partial, 1u << 10);
	CHECK_EQ_INT(v.mismatched, 0);
	CHECK_EQ_INT(v.missing, 0);

	/* 13 is not at reset, 14 and 40 have no value */
	v = ask(IMAEVM_HASH_SHA256, IMAEVM_REPLAY_BANK,
		(1ull << 11) | (1ull << 13) | (1ull << 14) | (1ull << 40));
	CHECK_EQ_INT(imaevm_replay_verdict(r, &v), 0);
	CHECK_EQ_INT(v.match, 0);
	CHECK_EQ_INT(v.matched, 1u << 11);
	CHECK_EQ_INT(v.mismatched, 1u << 13);
	CHECK(v.missing == ((1ull << 14) | (1ull << 40)));

	/* the zero-padded sha1 replay of a sha256 bank is another value */
	v = ask(IMAEVM_HASH_SHA256, IMAEVM_REPLAY_PADDED, (1u << 10) | (1u << 11));
	CHECK_EQ_INT(imaevm_replay_verdict(r, &v), 0);
	CHECK_EQ_INT(v.match, 0);
	CHECK_EQ_INT(v.mismatched, (1u << 10) | (1u << 11));

	v = ask(IMAEVM_HASH_SHA1, IMAEVM_REPLAY_BANK, 1u << 10);
	CHECK_EQ_INT(imaevm_replay_verdict(r, &v), 0);
	CHECK_EQ_INT(v.match, 0);
	CHECK_EQ_INT(v.missing, 1u << 10);

	/* nothing to compare: a match */
	v = ask(IMAEVM_HASH_SHA256, IMAEVM_REPLAY_BANK, 0);
	CHECK_EQ_INT(imaevm_replay_verdict(r, &v), 0);
	CHECK_EQ_INT(v.match, 1);

	/* bad requests; the output is not written */
	v = ask(IMAEVM_HASH_SHA256, IMAEVM_REPLAY_BANK, 1u << 10);
	v.version = 0;
	CHECK_EQ_INT(imaevm_replay_verdict(r, &v), -EINVAL);
	CHECK_EQ_INT(v.matched, 0);
	v = ask(IMAEVM_HASH_SHA256, IMAEVM_REPLAY_BANK, 1u << 10);
	v.reserved[7] = 1;
	CHECK_EQ_INT(imaevm_replay_verdict(r, &v), -EINVAL);
	v = ask(IMAEVM_HASH_SHA384, IMAEVM_REPLAY_BANK, 1u << 10);
	CHECK_EQ_INT(imaevm_replay_verdict(r, &v), -EINVAL);
	v = ask(IMAEVM_HASH_SHA256, IMAEVM_REPLAY_MODES, 1u << 10);
	CHECK_EQ_INT(imaevm_replay_verdict(r, &v), -EINVAL);
	CHECK_EQ_INT(imaevm_replay_verdict(NULL, &v), -EINVAL);
	CHECK_EQ_INT(imaevm_replay_verdict(r, NULL), -EINVAL);
	imaevm_replay_free(r);

	/* no expected values at all */
	CHECK_EQ_INT(imaevm_replay_new(ctx, algos, 1, NULL, &r), 0);
	extend(r, 1, 10, "first", NULL);
	v = ask(IMAEVM_HASH_SHA256, IMAEVM_REPLAY_BANK, 1u << 10);
	CHECK_EQ_INT(imaevm_replay_verdict(r, &v), -ENODATA);
	imaevm_replay_free(r);

	imaevm_ctx_free(ctx);
	return unit_done("test-replay-verdict");
}
