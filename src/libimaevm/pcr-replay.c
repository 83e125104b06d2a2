// SPDX-License-Identifier: LGPL-2.1-or-later
/* pcr-replay.c - replay a measurement list into PCR banks; boot_aggregate. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct replay_bank {
	int algo;
	unsigned int size;
	const EVP_MD *md;
	EVP_MD_CTX *mdctx;
	const struct imaevm_pcr_bank *expected;	/* NULL: nothing to watch */
	struct imaevm_replay_pcr pcr[IMAEVM_REPLAY_MODES][IMAEVM_MAX_LIST_PCRS];
};

struct imaevm_replay {
	struct imaevm_ctx *ctx;
	unsigned int n_banks;
	uint64_t used;
	EVP_MD_CTX *sha1ctx;
	const EVP_MD *sha1;
	struct imaevm_pcrs expected;
	struct replay_bank bank[IMAEVM_MAX_BANKS];
};

IMAEVM_EXPORT void imaevm_replay_free(struct imaevm_replay *r)
{
	unsigned int i;

	if (!r)
		return;
	for (i = 0; i < r->n_banks; i++)
		EVP_MD_CTX_free(r->bank[i].mdctx);
	EVP_MD_CTX_free(r->sha1ctx);
	free(r);
}

IMAEVM_EXPORT int imaevm_replay_new(struct imaevm_ctx *ctx, const int *algos,
				    unsigned int n_banks,
				    const struct imaevm_pcrs *expected,
				    struct imaevm_replay **rp)
{
	struct imaevm_replay *r;
	unsigned int i, j;

	if (!ctx || !rp || (n_banks && !algos) || n_banks > IMAEVM_MAX_BANKS)
		return -EINVAL;
	for (i = 0; i < n_banks; i++) {
		if (imaevm_hash_algo_size(algos[i]) < 0)
			return -EINVAL;
		for (j = 0; j < i; j++)
			if (algos[j] == algos[i])
				return -EINVAL;
	}
	r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	r->ctx = ctx;
	if (expected)
		r->expected = *expected;
	r->sha1 = imaevm_md_get(ctx, IMAEVM_HASH_SHA1);
	r->sha1ctx = EVP_MD_CTX_new();
	if (!r->sha1 || !r->sha1ctx) {
		int err = r->sha1 ? -ENOMEM : -EOPNOTSUPP;

		imaevm_replay_free(r);
		return err;
	}
	for (i = 0; i < n_banks; i++) {
		struct replay_bank *b = &r->bank[i];

		b->algo = algos[i];
		b->size = (unsigned int)imaevm_hash_algo_size(algos[i]);
		b->md = imaevm_md_get(ctx, algos[i]);
		b->mdctx = EVP_MD_CTX_new();
		r->n_banks = i + 1;
		if (!b->md || !b->mdctx) {
			int err = b->md ? -ENOMEM : -EOPNOTSUPP;

			imaevm_log(ctx, LOG_ERR, "PCR bank %s: hash not available",
				   imaevm_hash_algo_name(algos[i]));
			imaevm_replay_free(r);
			return err;
		}
		if (expected)
			b->expected = imaevm_pcrs_bank(&r->expected, algos[i], 0);
	}
	*rp = r;
	return 0;
}

static int hash2(EVP_MD_CTX *c, const EVP_MD *md, const void *a, size_t alen,
		 const void *b, size_t blen, unsigned char *out)
{
	if (!EVP_DigestInit_ex2(c, md, NULL) || !EVP_DigestUpdate(c, a, alen) ||
	    (blen && !EVP_DigestUpdate(c, b, blen)) ||
	    !EVP_DigestFinal_ex(c, out, NULL))
		return -EOPNOTSUPP;
	return 0;
}

static void note(struct replay_bank *b, int mode, uint32_t pcr,
		 const struct imaevm_ml_entry *e)
{
	struct imaevm_replay_pcr *p = &b->pcr[mode][pcr];

	if (b->expected && pcr < IMAEVM_NUM_PCRS &&
	    (b->expected->valid & (1u << pcr)) &&
	    !memcmp(p->value, b->expected->pcr[pcr], b->size)) {
		p->matched_at = e->index;
		p->matched_n = p->entries;
	}
}

IMAEVM_EXPORT int imaevm_replay_extend(struct imaevm_replay *r,
				       const struct imaevm_ml_entry *e)
{
	unsigned char sha1[20], td[IMAEVM_MAX_DIGEST_SIZE], pad[IMAEVM_MAX_DIGEST_SIZE];
	unsigned int i;
	int bad = 0;

	if (!r || !e || (!e->data && e->data_len))
		return -EINVAL;
	if (e->pcr >= IMAEVM_MAX_LIST_PCRS)
		return -ERANGE;
	if (hash2(r->sha1ctx, r->sha1, e->data, e->data_len, NULL, 0, sha1))
		return -EOPNOTSUPP;
	if (!e->violation && memcmp(sha1, e->template_digest, sizeof(sha1)))
		bad = 1;
	r->used |= 1ull << e->pcr;
	for (i = 0; i < r->n_banks; i++) {
		struct replay_bank *b = &r->bank[i];
		struct imaevm_replay_pcr *p = &b->pcr[IMAEVM_REPLAY_BANK][e->pcr];
		struct imaevm_replay_pcr *pp = &b->pcr[IMAEVM_REPLAY_PADDED][e->pcr];

		if (e->violation)
			memset(td, 0xff, b->size);
		else if (b->algo == IMAEVM_HASH_SHA1)
			memcpy(td, sha1, sizeof(sha1));
		else if (hash2(b->mdctx, b->md, e->data, e->data_len, NULL, 0, td))
			return -EOPNOTSUPP;
		if (hash2(b->mdctx, b->md, p->value, b->size, td, b->size, p->value))
			return -EOPNOTSUPP;
		p->entries++;
		p->last_index = e->index;
		note(b, IMAEVM_REPLAY_BANK, e->pcr, e);

		/* older kernels: the recorded sha1 digest, zero-padded */
		memset(pad, 0, b->size);
		if (e->violation)
			memset(pad, 0xff, 20);
		else
			memcpy(pad, e->template_digest, 20);
		if (hash2(b->mdctx, b->md, pp->value, b->size, pad, b->size, pp->value))
			return -EOPNOTSUPP;
		pp->entries++;
		pp->last_index = e->index;
		note(b, IMAEVM_REPLAY_PADDED, e->pcr, e);
	}
	return bad ? -EBADMSG : 0;
}

IMAEVM_EXPORT int imaevm_replay_result(const struct imaevm_replay *r, int algo,
				       int mode, unsigned int pcr,
				       struct imaevm_replay_pcr *out)
{
	unsigned int i;

	if (!r || !out || mode < 0 || mode >= IMAEVM_REPLAY_MODES ||
	    pcr >= IMAEVM_MAX_LIST_PCRS)
		return -EINVAL;
	for (i = 0; i < r->n_banks; i++)
		if (r->bank[i].algo == algo) {
			*out = r->bank[i].pcr[mode][pcr];
			return 0;
		}
	return -EINVAL;
}

IMAEVM_EXPORT uint64_t imaevm_replay_pcrs_used(const struct imaevm_replay *r)
{
	return r ? r->used : 0;
}

IMAEVM_EXPORT int imaevm_boot_aggregate(struct imaevm_ctx *ctx,
					const struct imaevm_pcr_bank *bank,
					struct imaevm_digest *out)
{
	if (!bank)
		return -EINVAL;
	/* ima_calc_boot_aggregate(): PCRs 8 and 9 only for banks other than sha1 */
	return imaevm_boot_aggregate_pcrs(ctx, bank,
					  bank->algo == IMAEVM_HASH_SHA1 ? 7 : 9, out);
}

IMAEVM_EXPORT int imaevm_boot_aggregate_pcrs(struct imaevm_ctx *ctx,
					     const struct imaevm_pcr_bank *bank,
					     unsigned int last_pcr,
					     struct imaevm_digest *out)
{
	unsigned char zero[IMAEVM_MAX_DIGEST_SIZE] = { 0 };
	unsigned int i, n, size;
	const EVP_MD *md;
	EVP_MD_CTX *c;
	int err = 0;

	if (!ctx || !bank || !out || imaevm_hash_algo_size(bank->algo) <= 0 ||
	    last_pcr >= IMAEVM_NUM_PCRS)
		return -EINVAL;
	size = (unsigned int)imaevm_hash_algo_size(bank->algo);
	md = imaevm_md_get(ctx, bank->algo);
	if (!md)
		return -EOPNOTSUPP;
	c = EVP_MD_CTX_new();
	if (!c)
		return -ENOMEM;
	n = last_pcr + 1;
	if (!EVP_DigestInit_ex2(c, md, NULL))
		err = -EOPNOTSUPP;
	for (i = 0; i < n && !err; i++)
		if (!EVP_DigestUpdate(c, bank->valid & (1u << i) ? bank->pcr[i] : zero, size))
			err = -EOPNOTSUPP;
	if (!err && !EVP_DigestFinal_ex(c, out->value, NULL))
		err = -EOPNOTSUPP;
	EVP_MD_CTX_free(c);
	if (err)
		return err;
	out->algo = bank->algo;
	out->len = size;
	return 0;
}
