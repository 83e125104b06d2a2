// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * poll-machines.c - libimaevm example: a verifier that polls several
 * machines from one process, one thread per machine.  Each poll replays
 * only what is new since the machine's last passing poll (its state file),
 * checks each new entry against one runtime policy shared by every machine
 * (a keylime runtime policy or an evmctl manifest), and compares the
 * sha256 bank with the PCR values the machine reported.
 * Build: make -C examples (uses pkg-config).
 *
 * usage: poll-machines [--policy POLICY] STATE-DIR NAME:LIST:SHA256-PCRS...
 *   LIST is the machine's whole list or only its new entries; SHA256-PCRS
 *   a file of "PCR-NN: hex" lines (as the TPM has them now).
 * Exit status: 0 if every machine passed, 1 otherwise, 2 usage.
 */
#define IMAEVM_NO_COMPAT	/* the new, thread-safe API only */
#include <errno.h>
#include <imaevm.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define IMA_PCR 10

struct machine {
	char *name, *list, *pcrs;
	const struct imaevm_policy *policy;	/* shared: read-only once loaded */
	struct imaevm_policy_tally tally;	/* this machine's counts */
	char state[4096];
	char refused[400];
	char verdict[512];
	int ok;
};

/* Is @e allowed by the machine's policy?  0, or -EACCES with the reason in m->refused. */
static int policy_allows(struct machine *m, const struct imaevm_ml_entry *e)
{
	int res;

	if (!m->policy)
		return 0;
	res = imaevm_policy_check(m->policy, e, 0, &m->tally);
	if (res < 0)
		return res;
	if (res < IMAEVM_POLICY_REFUSED)
		return 0;
	snprintf(m->refused, sizeof(m->refused), "entry %" PRIu64 " (%.200s): policy: %s",
		 e->index, e->path ? e->path : "no name", imaevm_policy_result_text(res));
	return -EACCES;
}

/* Every PCR the list used, and the IMA PCR, equal the TPM's after the last entry. */
static int pcrs_match(struct imaevm_replay *r, int mode, const struct imaevm_pcr_bank *tpm,
		      const char **why)
{
	uint64_t used = imaevm_replay_pcrs_used(r) | 1ull << IMA_PCR;
	struct imaevm_replay_pcr p;
	unsigned int i;

	for (i = 0; i < IMAEVM_NUM_PCRS; i++) {
		if (!(used & (1ull << i)))
			continue;
		if (!(tpm->valid & (1u << i)) ||
		    imaevm_replay_result(r, IMAEVM_HASH_SHA256, mode, i, &p) ||
		    memcmp(p.value, tpm->pcr[i], 32)) {
			*why = "the replayed PCRs are not the TPM's";
			return 0;
		}
	}
	return 1;
}

static void poll_one(struct machine *m, struct imaevm_ctx *ctx)
{
	const int algo = IMAEVM_HASH_SHA256;
	struct imaevm_ml_state *st = NULL, *next = NULL;
	struct imaevm_ml_state_boot boot = { 0 };
	const struct imaevm_ml_entry *e;
	struct imaevm_replay *r = NULL;
	struct imaevm_pcrs pcrs = { 0 };
	struct imaevm_ml *ml = NULL;
	const char *why = NULL;
	uint64_t before = 0, n = 0;
	int err, mode = IMAEVM_REPLAY_BANK;

	err = imaevm_ml_state_load(ctx, m->state, &st, &why);
	if (err == -ENOENT)
		err = 0;	/* first poll: the whole list */
	if (!err && st && (err = imaevm_ml_state_check_boot(st, &boot, &why)) == 0)
		mode = imaevm_ml_state_bank_mode(st, algo);
	if (!err && mode < 0)
		err = mode;
	if (!err && (err = imaevm_pcrs_read_file(ctx, m->pcrs, algo, &pcrs)) > 0)
		err = 0;
	if (!err)
		err = imaevm_ml_state_replay_new(ctx, st, &algo, 1, &pcrs, &r, &why);
	if (!err)
		err = imaevm_ml_state_open_list(ctx, st, m->list, -1, &ml, &why);
	before = imaevm_ml_state_entries(st);
	while (!err && (err = imaevm_ml_next(ml, &e)) == 1) {
		n++;
		err = imaevm_replay_extend(r, e);
		if (err == -EBADMSG)
			why = "a template digest does not match its entry";
		else if (!err && (err = policy_allows(m, e)) == -EACCES)
			why = m->refused;
	}
	if (err < 0 && !why)
		why = ml && imaevm_ml_error(ml) ? imaevm_ml_error(ml) : imaevm_strerror(err);
	if (!err && !imaevm_replay_finish(r) &&
	    pcrs_match(r, mode, imaevm_pcrs_bank(&pcrs, algo, 0), &why) &&
	    !(err = imaevm_ml_state_record(ctx, st, ml, r, &algo, &mode, 1, NULL, &next)) &&
	    !(err = imaevm_ml_state_save(ctx, next, m->state))) {
		m->ok = 1;
		int len = snprintf(m->verdict, sizeof(m->verdict), "pass: %" PRIu64 " entries (%"
				   PRIu64 " new)", imaevm_ml_state_entries(next),
				   imaevm_ml_state_entries(next) - before);

		if (m->policy && len > 0 && (size_t)len < sizeof(m->verdict))
			snprintf(m->verdict + len, sizeof(m->verdict) - (size_t)len,
				 ", policy: %" PRIu64 " checked, %" PRIu64 " allowed, %" PRIu64
				 " excluded", m->tally.checked, m->tally.allowed, m->tally.excluded);
	} else {
		snprintf(m->verdict, sizeof(m->verdict), "FAIL: %s",
			 why ? why : err ? imaevm_strerror(err) : "failed");
	}
	imaevm_ml_state_free(next);
	imaevm_ml_close(ml);
	imaevm_replay_free(r);
	imaevm_ml_state_free(st);
}

static void *poll_thread(void *arg)
{
	struct machine *m = arg;
	struct imaevm_ctx *ctx = NULL;

	/* one context per thread: nothing is shared between machines */
	if (imaevm_ctx_new(&ctx)) {
		snprintf(m->verdict, sizeof(m->verdict), "FAIL: no library context");
		return NULL;
	}
	poll_one(m, ctx);
	imaevm_ctx_free(ctx);
	return NULL;
}

/* One policy for every machine, loaded once. */
static struct imaevm_policy *load_policy(struct imaevm_ctx *ctx, const char *path)
{
	struct imaevm_policy *p = NULL;
	char *text = NULL, *why = NULL;
	size_t len = 0, cap = 0, got;
	FILE *f = fopen(path, "re");
	int rc;

	if (!f) {
		perror(path);
		return NULL;
	}
	do {
		if (len == cap) {
			char *g = realloc(text, cap = cap ? 2 * cap : 65536);

			if (!g) {
				fclose(f);
				free(text);
				return NULL;
			}
			text = g;
		}
		got = fread(text + len, 1, cap - len, f);
		len += got;
	} while (got);
	rc = ferror(f) ? -EIO : imaevm_policy_new(ctx, NULL, &p);
	fclose(f);
	if (!rc)
		rc = imaevm_policy_add(p, text, len, IMAEVM_POLICY_AUTO, &why);
	free(text);
	if (rc < 0) {
		fprintf(stderr, "%s: %s\n", path, why ? why : imaevm_strerror(rc));
		imaevm_free(why);
		imaevm_policy_free(p);
		return NULL;
	}
	return p;
}

int main(int argc, char **argv)
{
	struct imaevm_policy *policy = NULL;
	struct imaevm_ctx *ctx = NULL;
	struct machine *m;
	pthread_t *t;
	char *started;
	int i, n, ret = 0;

	if (argc > 2 && !strcmp(argv[1], "--policy")) {
		if (imaevm_ctx_new(&ctx) || !(policy = load_policy(ctx, argv[2])))
			return 1;
		argv += 2;
		argc -= 2;
	}
	n = argc - 2;
	if (argc < 3) {
		fprintf(stderr, "usage: poll-machines [--policy POLICY] STATE-DIR "
			"NAME:LIST:SHA256-PCRS...\n");
		return 2;
	}
	m = calloc((size_t)n, sizeof(*m));
	t = calloc((size_t)n, sizeof(*t));
	started = calloc((size_t)n, 1);
	if (!m || !t || !started)
		return 1;
	for (i = 0; i < n; i++) {
		m[i].name = argv[i + 2];
		m[i].list = strchr(m[i].name, ':');
		m[i].pcrs = m[i].list ? strchr(m[i].list + 1, ':') : NULL;
		if (!m[i].pcrs) {
			fprintf(stderr, "%s: expected NAME:LIST:SHA256-PCRS\n", argv[i + 2]);
			return 2;
		}
		*m[i].list++ = '\0';
		*m[i].pcrs++ = '\0';
		m[i].policy = policy;
		snprintf(m[i].state, sizeof(m[i].state), "%s/%s.state", argv[1], m[i].name);
	}
	for (i = 0; i < n; i++) {
		started[i] = !pthread_create(&t[i], NULL, poll_thread, &m[i]);
		if (!started[i])
			poll_thread(&m[i]);
	}
	for (i = 0; i < n; i++) {
		if (started[i])
			pthread_join(t[i], NULL);
		printf("%s: %s\n", m[i].name, m[i].verdict);
		if (!m[i].ok)
			ret = 1;
	}
	free(started);
	free(m);
	free(t);
	imaevm_policy_free(policy);
	imaevm_ctx_free(ctx);
	return ret;
}
