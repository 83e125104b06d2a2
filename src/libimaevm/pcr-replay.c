// SPDX-License-Identifier: LGPL-2.1-or-later
/* pcr-replay.c - replay a measurement list into PCR banks; boot_aggregate. */
#include "config.h"

/* The one-shot low-level digests: no allocation or dispatch per call. */
#define OPENSSL_SUPPRESS_DEPRECATED
#include <errno.h>
#include <pthread.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/sha.h>

#include "internal.h"

struct replay_bank {
	int algo;
	bool fast;		/* default provider: low-level digest functions */
	unsigned int size;
	const EVP_MD *md;
	EVP_MD_CTX *mdctx;
	const struct imaevm_pcr_bank *expected;	/* NULL: nothing to watch */
	struct imaevm_replay_pcr pcr[IMAEVM_REPLAY_MODES][IMAEVM_MAX_LIST_PCRS];
};

/* Entries wait in a batch so the banks can be replayed in parallel. */
#define BATCH_ITEMS 4096
#define BATCH_BYTES (1024 * 1024)

struct batch_item {
	uint64_t index;
	uint32_t pcr;
	bool violation, bad;
	unsigned char recorded[20];	/* template digest in the list */
	unsigned char sha1[20];		/* recomputed */
	size_t off, len;		/* template data in bdata */
};

struct imaevm_replay {
	struct imaevm_ctx *ctx;
	bool threads;
	unsigned int modes;		/* bit per enum imaevm_replay_mode */
	struct batch_item *items;
	size_t n_items;
	unsigned char *bdata;
	size_t bdata_len, bdata_cap;
	atomic_uint next_bank;
	atomic_int err;
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
	free(r->items);
	free(r->bdata);
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
	r->threads = sysconf(_SC_NPROCESSORS_ONLN) > 1;
	r->modes = (1u << IMAEVM_REPLAY_MODES) - 1;
	r->items = malloc(BATCH_ITEMS * sizeof(*r->items));
	r->bdata = malloc(BATCH_BYTES);
	r->bdata_cap = BATCH_BYTES;
	if (!r->items || !r->bdata) {
		imaevm_replay_free(r);
		return -ENOMEM;
	}
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
		b->fast = !ctx->libctx && !ctx->propq;
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

/*
 * A list has two or three small digests per entry and bank; through EVP
 * each costs an allocation and provider dispatch that outweigh the hashing.
 * With OpenSSL's default provider (no library context or property query
 * set) the same implementations are called directly.
 */
static bool fast_hash2(int algo, const void *a, size_t alen, const void *b,
		       size_t blen, unsigned char *out)
{
	union {
		SHA_CTX s1;
		SHA256_CTX s256;
		SHA512_CTX s512;
	} c;

	switch (algo) {
	case IMAEVM_HASH_SHA1:
		SHA1_Init(&c.s1);
		SHA1_Update(&c.s1, a, alen);
		SHA1_Update(&c.s1, b, blen);
		SHA1_Final(out, &c.s1);
		return true;
	case IMAEVM_HASH_SHA256:
		SHA256_Init(&c.s256);
		SHA256_Update(&c.s256, a, alen);
		SHA256_Update(&c.s256, b, blen);
		SHA256_Final(out, &c.s256);
		return true;
	case IMAEVM_HASH_SHA384:
		SHA384_Init(&c.s512);
		SHA384_Update(&c.s512, a, alen);
		SHA384_Update(&c.s512, b, blen);
		SHA384_Final(out, &c.s512);
		return true;
	case IMAEVM_HASH_SHA512:
		SHA512_Init(&c.s512);
		SHA512_Update(&c.s512, a, alen);
		SHA512_Update(&c.s512, b, blen);
		SHA512_Final(out, &c.s512);
		return true;
	}
	return false;
}

static int bank_hash2(const struct replay_bank *b, const void *x, size_t xlen,
		      const void *y, size_t ylen, unsigned char *out)
{
	if (b->fast && fast_hash2(b->algo, x, xlen, y, ylen, out))
		return 0;
	if (!EVP_DigestInit_ex2(b->mdctx, b->md, NULL) ||
	    !EVP_DigestUpdate(b->mdctx, x, xlen) ||
	    (ylen && !EVP_DigestUpdate(b->mdctx, y, ylen)) ||
	    !EVP_DigestFinal_ex(b->mdctx, out, NULL))
		return -EOPNOTSUPP;
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

static void note(struct replay_bank *b, int mode, uint32_t pcr, uint64_t index)
{
	struct imaevm_replay_pcr *p = &b->pcr[mode][pcr];

	if (b->expected && pcr < IMAEVM_NUM_PCRS &&
	    (b->expected->valid & (1u << pcr)) &&
	    !memcmp(p->value, b->expected->pcr[pcr], b->size)) {
		p->matched_at = index;
		p->matched_n = p->entries;
	}
}

static bool ctx_fast(const struct imaevm_replay *r)
{
	return !r->ctx->libctx && !r->ctx->propq;
}

/* One bank, one entry (in a batch). */
static int replay_item(struct replay_bank *b, const struct batch_item *it,
		       const unsigned char *data, unsigned int modes)
{
	unsigned char td[IMAEVM_MAX_DIGEST_SIZE], pad[IMAEVM_MAX_DIGEST_SIZE];
	struct imaevm_replay_pcr *p = &b->pcr[IMAEVM_REPLAY_BANK][it->pcr];
	struct imaevm_replay_pcr *pp = &b->pcr[IMAEVM_REPLAY_PADDED][it->pcr];

	if (!(modes & (1u << IMAEVM_REPLAY_BANK)))
		goto padded;
	if (it->violation)
		memset(td, 0xff, b->size);
	else if (b->algo == IMAEVM_HASH_SHA1)
		memcpy(td, it->sha1, sizeof(it->sha1));
	else if (bank_hash2(b, data, it->len, "", 0, td))
		return -EOPNOTSUPP;
	if (bank_hash2(b, p->value, b->size, td, b->size, p->value))
		return -EOPNOTSUPP;
	p->entries++;
	p->last_index = it->index;
	note(b, IMAEVM_REPLAY_BANK, it->pcr, it->index);

padded:
	/* older kernels: the recorded sha1 digest, zero-padded */
	if (!(modes & (1u << IMAEVM_REPLAY_PADDED)))
		return 0;
	if (b->algo == IMAEVM_HASH_SHA1 && !it->bad &&
	    (modes & (1u << IMAEVM_REPLAY_BANK))) {
		*pp = *p;	/* that is the bank's own replay */
		return 0;
	}
	memset(pad, 0, b->size);
	if (it->violation)
		memset(pad, 0xff, 20);
	else
		memcpy(pad, it->recorded, 20);
	if (bank_hash2(b, pp->value, b->size, pad, b->size, pp->value))
		return -EOPNOTSUPP;
	pp->entries++;
	pp->last_index = it->index;
	note(b, IMAEVM_REPLAY_PADDED, it->pcr, it->index);
	return 0;
}

/* Take banks until none is left; the caller and one worker run this. */
static void run_banks(struct imaevm_replay *r)
{
	unsigned int i;
	size_t k;

	while ((i = atomic_fetch_add(&r->next_bank, 1)) < r->n_banks)
		for (k = 0; k < r->n_items; k++)
			if (replay_item(&r->bank[i], &r->items[k],
					r->bdata + r->items[k].off, r->modes)) {
				atomic_store(&r->err, -EOPNOTSUPP);
				break;
			}
}

static void *bank_worker(void *arg)
{
	run_banks(arg);
	return NULL;
}

/* Replay the batched entries, banks spread over two threads. */
static int flush(struct imaevm_replay *r)
{
	bool threaded = false;
	pthread_t t;

	if (r->n_items) {
		atomic_store(&r->next_bank, 0);
		if (r->threads && r->n_banks > 1)
			threaded = !pthread_create(&t, NULL, bank_worker, r);
		run_banks(r);
		if (threaded)
			pthread_join(t, NULL);
		r->n_items = 0;
		r->bdata_len = 0;
	}
	return atomic_load(&r->err);
}

IMAEVM_EXPORT int imaevm_replay_extend(struct imaevm_replay *r,
				       const struct imaevm_ml_entry *e)
{
	struct batch_item *it;
	unsigned char sha1[20];
	int bad, err;

	if (!r || !e || (!e->data && e->data_len))
		return -EINVAL;
	if (e->pcr >= IMAEVM_MAX_LIST_PCRS)
		return -ERANGE;
	if (!ctx_fast(r) || !fast_hash2(IMAEVM_HASH_SHA1, e->data, e->data_len, "", 0, sha1))
		if (hash2(r->sha1ctx, r->sha1, e->data, e->data_len, NULL, 0, sha1))
			return -EOPNOTSUPP;
	bad = !e->violation && memcmp(sha1, e->template_digest, sizeof(sha1));
	if (r->bdata_cap - r->bdata_len < e->data_len) {
		if ((err = flush(r)))
			return err;
		if (r->bdata_cap < e->data_len) {
			unsigned char *p = realloc(r->bdata, e->data_len);

			if (!p)
				return -ENOMEM;
			r->bdata = p;
			r->bdata_cap = e->data_len;
		}
	}
	it = &r->items[r->n_items++];
	it->index = e->index;
	it->pcr = e->pcr;
	it->violation = e->violation;
	it->bad = bad;
	memcpy(it->recorded, e->template_digest, sizeof(it->recorded));
	memcpy(it->sha1, sha1, sizeof(sha1));
	it->off = r->bdata_len;
	it->len = e->data_len;
	if (e->data_len)
		memcpy(r->bdata + r->bdata_len, e->data, e->data_len);
	r->bdata_len += e->data_len;
	r->used |= 1ull << e->pcr;
	if (r->n_items == BATCH_ITEMS && (err = flush(r)))
		return err;
	return bad ? -EBADMSG : 0;
}

IMAEVM_EXPORT int imaevm_replay_set_modes(struct imaevm_replay *r,
					  unsigned int modes)
{
	if (!r || !modes || modes >= (1u << IMAEVM_REPLAY_MODES) || r->used)
		return -EINVAL;
	r->modes = modes;
	return 0;
}

IMAEVM_EXPORT int imaevm_replay_finish(struct imaevm_replay *r)
{
	return r ? flush(r) : -EINVAL;
}

IMAEVM_EXPORT int imaevm_replay_result(struct imaevm_replay *r, int algo,
				       int mode, unsigned int pcr,
				       struct imaevm_replay_pcr *out)
{
	unsigned int i;
	int err;

	if (!r || !out || mode < 0 || mode >= IMAEVM_REPLAY_MODES ||
	    pcr >= IMAEVM_MAX_LIST_PCRS)
		return -EINVAL;
	if ((err = flush(r)))
		return err;
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
