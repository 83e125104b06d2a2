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
	uint64_t next;		/* next batch to replay (guarded by the lock) */
	bool busy;		/* a thread is replaying a batch (ditto) */
	struct imaevm_replay_pcr pcr[IMAEVM_REPLAY_MODES][IMAEVM_MAX_LIST_PCRS];
};

/*
 * Entries wait in batches so the banks can be hashed while the next batch is
 * read.  Batch number s lives in ring[s % RING]; a bank replays batches in
 * order, one thread at a time, and a slot is reused once every bank is past
 * it, so memory stays constant however long the list is.  Batches are small
 * enough that one stays in L2 while every bank reads it.
 */
#define RING 4
#define BATCH_ITEMS 1024
#define BATCH_BYTES (256 * 1024)

struct batch_item {
	uint64_t index;
	uint32_t pcr;
	bool violation, bad;
	int algo;			/* per-bank entry: its bank; -1: sha1 list */
	unsigned char recorded[20];	/* template digest in the list */
	unsigned char sha1[IMAEVM_MAX_DIGEST_SIZE];	/* recomputed (@algo's) */
	size_t off, len;		/* template data in the batch's data */
};

struct batch {
	struct batch_item *items;
	size_t n_items;
	unsigned char *data;
	size_t len, cap;
};

struct imaevm_replay {
	struct imaevm_ctx *ctx;
	bool threads;			/* more than one CPU: start a worker */
	unsigned int modes;		/* bit per enum imaevm_replay_mode */
	unsigned int n_banks;
	uint64_t used;
	const EVP_MD *sha1;
	EVP_MD_CTX *sha1ctx;
	struct imaevm_pcrs expected;
	/* the pipeline; everything below the lock is guarded by it */
	struct batch ring[RING];
	pthread_mutex_t lock;
	pthread_cond_t changed;
	pthread_t worker;
	bool worker_running, stop;
	uint64_t filled;		/* batches handed to the banks */
	int err;
	struct replay_bank bank[IMAEVM_MAX_BANKS];
};

static void stop_worker(struct imaevm_replay *r);

IMAEVM_EXPORT void imaevm_replay_free(struct imaevm_replay *r)
{
	unsigned int i;

	if (!r)
		return;
	stop_worker(r);
	for (i = 0; i < r->n_banks; i++)
		EVP_MD_CTX_free(r->bank[i].mdctx);
	EVP_MD_CTX_free(r->sha1ctx);
	for (i = 0; i < RING; i++) {
		free(r->ring[i].items);
		free(r->ring[i].data);
	}
	pthread_cond_destroy(&r->changed);
	pthread_mutex_destroy(&r->lock);
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
	pthread_mutex_init(&r->lock, NULL);
	pthread_cond_init(&r->changed, NULL);
	for (i = 0; i < RING; i++) {
		r->ring[i].items = malloc(BATCH_ITEMS * sizeof(*r->ring[i].items));
		r->ring[i].data = malloc(BATCH_BYTES);
		r->ring[i].cap = BATCH_BYTES;
		if (!r->ring[i].items || !r->ring[i].data) {
			imaevm_replay_free(r);
			return -ENOMEM;
		}
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

	if (it->algo >= 0) {
		/* a per-bank entry: its own bank, in bank mode, only */
		if (b->algo != it->algo || !(modes & (1u << IMAEVM_REPLAY_BANK)))
			return 0;
		if (it->violation)
			memset(td, 0xff, b->size);
		else
			memcpy(td, it->sha1, b->size);
		if (bank_hash2(b, p->value, b->size, td, b->size, p->value))
			return -EOPNOTSUPP;
		p->entries++;
		p->last_index = it->index;
		note(b, IMAEVM_REPLAY_BANK, it->pcr, it->index);
		return 0;
	}
	if (!(modes & (1u << IMAEVM_REPLAY_BANK)))
		goto padded;
	if (it->violation)
		memset(td, 0xff, b->size);
	else if (b->algo == IMAEVM_HASH_SHA1)
		memcpy(td, it->sha1, 20);
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

/* One bank through one batch; no lock held, the batch is not written now. */
static int replay_batch(struct imaevm_replay *r, struct replay_bank *b)
{
	const struct batch *bt = &r->ring[b->next % RING];
	size_t k;

	for (k = 0; k < bt->n_items; k++)
		if (replay_item(b, &bt->items[k], bt->data + bt->items[k].off, r->modes))
			return -EOPNOTSUPP;
	return 0;
}

/*
 * With the lock held: a bank that has a batch to replay and no thread on it,
 * the one furthest behind first (it holds the oldest slot), the costliest
 * of those (so the threads finish together); NULL if there is none.
 */
static struct replay_bank *claim(struct imaevm_replay *r)
{
	struct replay_bank *best = NULL;
	unsigned int i;

	for (i = 0; i < r->n_banks; i++) {
		struct replay_bank *b = &r->bank[i];

		if (b->busy || b->next >= r->filled)
			continue;
		if (!best || b->next < best->next ||
		    (b->next == best->next && b->size > best->size))
			best = b;
	}
	if (best)
		best->busy = true;
	return best;
}

/* With the lock held: claim a bank and replay one batch; false if none. */
static bool run_one(struct imaevm_replay *r)
{
	struct replay_bank *b = claim(r);
	int err;

	if (!b)
		return false;
	pthread_mutex_unlock(&r->lock);
	err = replay_batch(r, b);
	pthread_mutex_lock(&r->lock);
	if (err && !r->err)
		r->err = err;
	b->next++;
	b->busy = false;
	pthread_cond_broadcast(&r->changed);
	return true;
}

static void *bank_worker(void *arg)
{
	struct imaevm_replay *r = arg;

	pthread_mutex_lock(&r->lock);
	while (!r->stop)
		if (!run_one(r))
			pthread_cond_wait(&r->changed, &r->lock);
	pthread_mutex_unlock(&r->lock);
	return NULL;
}

static void stop_worker(struct imaevm_replay *r)
{
	if (!r->worker_running)
		return;
	pthread_mutex_lock(&r->lock);
	r->stop = true;
	pthread_cond_broadcast(&r->changed);
	pthread_mutex_unlock(&r->lock);
	pthread_join(r->worker, NULL);
	r->worker_running = false;
	r->stop = false;
}

/* With the lock held: has every bank replayed batch @seq? */
static bool batch_done(const struct imaevm_replay *r, uint64_t seq)
{
	unsigned int i;

	for (i = 0; i < r->n_banks; i++)
		if (r->bank[i].next <= seq)
			return false;
	return true;
}

/*
 * Hand the batch being filled to the banks, then wait until the next slot
 * is free (@drain: until every bank has replayed everything), replaying
 * banks in this thread meanwhile.
 */
static int publish(struct imaevm_replay *r, bool drain)
{
	struct batch *bt = &r->ring[r->filled % RING];
	int err;

	if (bt->n_items && r->threads && !r->worker_running && r->n_banks)
		r->worker_running = !pthread_create(&r->worker, NULL, bank_worker, r);
	pthread_mutex_lock(&r->lock);
	if (bt->n_items) {
		r->filled++;
		pthread_cond_broadcast(&r->changed);
	}
	while (drain ? r->filled && !batch_done(r, r->filled - 1) :
	       r->filled >= RING && !batch_done(r, r->filled - RING))
		if (!run_one(r))
			pthread_cond_wait(&r->changed, &r->lock);
	err = r->err;
	pthread_mutex_unlock(&r->lock);
	bt = &r->ring[r->filled % RING];
	bt->n_items = 0;
	bt->len = 0;
	if (drain)
		stop_worker(r);
	return err;
}

static int flush(struct imaevm_replay *r)
{
	return publish(r, true);
}

IMAEVM_EXPORT int imaevm_replay_extend(struct imaevm_replay *r,
				       const struct imaevm_ml_entry *e)
{
	struct batch_item *it;
	struct batch *bt;
	unsigned char sha1[IMAEVM_MAX_DIGEST_SIZE];
	int algo = -1, bad, err;
	unsigned int i;

	if (!r || !e || (!e->data && e->data_len))
		return -EINVAL;
	if (e->template_digest_len && e->template_digest_algo != IMAEVM_HASH_SHA1) {
		/* per-bank list: the bank must be replayed here */
		algo = e->template_digest_algo;
		for (i = 0; i < r->n_banks; i++)
			if (r->bank[i].algo == algo)
				break;
		if (i == r->n_banks || e->template_digest_len != r->bank[i].size)
			return -EINVAL;
	} else if (e->template_digest_len && e->template_digest_len != 20) {
		return -EINVAL;
	}
	if (e->pcr >= IMAEVM_MAX_LIST_PCRS)
		return -ERANGE;
	if (algo >= 0) {
		struct imaevm_digest d;

		if (!ctx_fast(r) || !fast_hash2(algo, e->data, e->data_len, "", 0, sha1)) {
			if ((err = imaevm_digest_buf(r->ctx, e->data, e->data_len, algo, &d)))
				return err;
			memcpy(sha1, d.value, d.len);
		}
		bad = !e->violation && memcmp(sha1, e->template_digest_value,
					      e->template_digest_len);
	} else {
		if (!ctx_fast(r) ||
		    !fast_hash2(IMAEVM_HASH_SHA1, e->data, e->data_len, "", 0, sha1))
			if (hash2(r->sha1ctx, r->sha1, e->data, e->data_len, NULL, 0, sha1))
				return -EOPNOTSUPP;
		bad = !e->violation && memcmp(sha1, e->template_digest, 20);
	}
	bt = &r->ring[r->filled % RING];
	if (bt->cap - bt->len < e->data_len) {
		if ((err = publish(r, false)))
			return err;
		bt = &r->ring[r->filled % RING];
		if (bt->cap < e->data_len) {
			/* one large entry: this slot grows, the others keep their size */
			unsigned char *p = realloc(bt->data, e->data_len);

			if (!p)
				return -ENOMEM;
			bt->data = p;
			bt->cap = e->data_len;
		}
	}
	it = &bt->items[bt->n_items++];
	it->index = e->index;
	it->pcr = e->pcr;
	it->violation = e->violation;
	it->bad = bad;
	it->algo = algo;
	memcpy(it->recorded, e->template_digest, sizeof(it->recorded));
	memcpy(it->sha1, sha1, sizeof(sha1));
	it->off = bt->len;
	it->len = e->data_len;
	if (e->data_len)
		memcpy(bt->data + bt->len, e->data, e->data_len);
	bt->len += e->data_len;
	r->used |= 1ull << e->pcr;
	if (bt->n_items == BATCH_ITEMS && (err = publish(r, false)))
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

int replay_seed(struct imaevm_replay *r, int algo, unsigned int pcr,
		const unsigned char *value, uint64_t entries, uint64_t last_index)
{
	unsigned int i;
	int mode;

	if (!r || pcr >= IMAEVM_MAX_LIST_PCRS || r->filled || r->ring[0].n_items)
		return -EINVAL;
	for (i = 0; i < r->n_banks; i++) {
		struct replay_bank *b = &r->bank[i];

		if (b->algo != algo)
			continue;
		/* both modes start there: only the recorded one is judged */
		for (mode = 0; mode < IMAEVM_REPLAY_MODES; mode++) {
			struct imaevm_replay_pcr *p = &b->pcr[mode][pcr];

			memcpy(p->value, value, b->size);
			p->entries = entries;
			p->last_index = last_index;
			p->matched_at = 0;
			p->matched_n = 0;
			note(b, mode, pcr, last_index);
		}
		r->used |= 1ull << pcr;
		return 0;
	}
	return -EINVAL;
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

/* A PCR no entry extended holds its reset value: all ones for 17-22 (TPM 2.0 locality PCRs). */
static bool pcr_at_reset(const struct imaevm_pcr_bank *b, unsigned int pcr, unsigned int size)
{
	unsigned char want = pcr >= 17 && pcr <= 22 ? 0xff : 0;
	unsigned int k;

	for (k = 0; k < size; k++)
		if (b->pcr[pcr][k] != want)
			return false;
	return true;
}

IMAEVM_EXPORT int imaevm_replay_verdict(struct imaevm_replay *r,
					struct imaevm_replay_verdict *v)
{
	const struct replay_bank *b = NULL;
	uint64_t matched = 0, mismatched = 0, missing = 0, at_reset = 0, partial = 0;
	unsigned int i;
	int err;

	if (!r || !v || v->version != IMAEVM_REPLAY_VERDICT_VERSION || v->reserved0 ||
	    v->reserved1 || v->mode < 0 || v->mode >= IMAEVM_REPLAY_MODES)
		return -EINVAL;
	for (i = 0; i < sizeof(v->reserved) / sizeof(v->reserved[0]); i++)
		if (v->reserved[i])
			return -EINVAL;
	for (i = 0; i < r->n_banks; i++)
		if (r->bank[i].algo == v->algo)
			b = &r->bank[i];
	if (!b)
		return -EINVAL;
	if (!b->expected)
		return -ENODATA;
	if ((err = flush(r)))
		return err;
	for (i = 0; i < IMAEVM_MAX_LIST_PCRS; i++) {
		const struct imaevm_replay_pcr *p = &b->pcr[v->mode][i];
		uint64_t bit = 1ull << i;

		if (!(v->compare & bit))
			continue;
		if (i >= IMAEVM_NUM_PCRS || !(b->expected->valid & (1u << i))) {
			missing |= bit;
		} else if (!(r->used & bit)) {
			if (pcr_at_reset(b->expected, i, b->size)) {
				matched |= bit;
				at_reset |= bit;
			} else {
				mismatched |= bit;
			}
		} else if (p->matched_at) {
			matched |= bit;
			if (p->matched_n < p->entries)
				partial |= bit;
		} else {
			mismatched |= bit;
		}
	}
	v->matched = matched;
	v->mismatched = mismatched;
	v->missing = missing;
	v->at_reset = at_reset;
	v->partial = partial;
	v->match = !(mismatched | missing);
	return 0;
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
