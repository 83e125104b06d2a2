// SPDX-License-Identifier: LGPL-2.1-or-later
/* tpm.c - read PCRs of every bank from a TPM 2.0 through tpm2-tss ESYS, with a timeout. */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <tss2/tss2_esys.h>
#include <tss2/tss2_rc.h>
#include <tss2/tss2_tctildr.h>

#include "internal.h"

#define DEFAULT_TIMEOUT_MS 10000
#define POLL_MS 100

/*
 * The read runs in a worker thread: a TCTI may block inside its own
 * connect or receive (a stopped simulator, a wedged device), where no ESYS
 * timeout reaches.  If the deadline passes the caller returns -ETIMEDOUT and
 * the worker, abandoned, frees the job if it ever finishes.  The worker
 * never touches the caller's context: messages wait in the job.
 */
struct tpm_session {
	ESYS_CONTEXT *esys;
	struct timespec deadline;
	char msg[512];
	int msg_prio;
	/* job */
	char *tcti;
	struct imaevm_pcrs pcrs;
	int result;
	bool done, abandoned;
	pthread_mutex_t lock;
	pthread_cond_t cond;
};

static void sess_log(struct tpm_session *s, int prio, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void sess_log(struct tpm_session *s, int prio, const char *fmt, ...)
{
	va_list ap;

	if (s->msg[0] && prio >= s->msg_prio)
		return;		/* keep the most severe, first message */
	va_start(ap, fmt);
	vsnprintf(s->msg, sizeof(s->msg), fmt, ap);
	va_end(ap);
	s->msg_prio = prio;
}

static bool past(const struct timespec *t)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec > t->tv_sec ||
	       (now.tv_sec == t->tv_sec && now.tv_nsec >= t->tv_nsec);
}

static int tpm_error(struct tpm_session *s, const char *what, TSS2_RC rc)
{
	sess_log(s, LOG_ERR, "TPM %s: %s", what, Tss2_RC_Decode(rc));
	return -EIO;
}

/* Wait for a _Finish() that reports TRY_AGAIN until the deadline. */
#define FINISH(s, what, call) ({					\
	TSS2_RC rc_;							\
	while ((rc_ = (call)) != TSS2_RC_SUCCESS &&			\
	       (rc_ & 0xffff) == TSS2_BASE_RC_TRY_AGAIN &&		\
	       !past(&(s)->deadline))					\
		;							\
	rc_;								\
})

static int timed_out(struct tpm_session *s, const char *what)
{
	sess_log(s, LOG_ERR, "TPM %s: no answer before the timeout", what);
	return -ETIMEDOUT;
}

static int get_banks(struct tpm_session *s, TPMS_CAPABILITY_DATA **cap)
{
	TPMI_YES_NO more;
	TSS2_RC rc;
	bool started = false;

again:
	rc = Esys_GetCapability_Async(s->esys, ESYS_TR_NONE, ESYS_TR_NONE,
				      ESYS_TR_NONE, TPM2_CAP_PCRS, 0, 1);
	if (rc != TSS2_RC_SUCCESS)
		return tpm_error(s, "GetCapability", rc);
	rc = FINISH(s, "GetCapability", Esys_GetCapability_Finish(s->esys, &more, cap));
	if ((rc & 0xffff) == TSS2_BASE_RC_TRY_AGAIN)
		return timed_out(s, "GetCapability");
	if (rc == TPM2_RC_INITIALIZE && !started) {
		/* a fresh simulator: start it as firmware would */
		started = true;
		rc = Esys_Startup_Async(s->esys, TPM2_SU_CLEAR);
		if (rc == TSS2_RC_SUCCESS)
			rc = FINISH(s, "Startup", Esys_Startup_Finish(s->esys));
		if (rc != TSS2_RC_SUCCESS)
			return tpm_error(s, "Startup", rc);
		goto again;
	}
	if (rc != TSS2_RC_SUCCESS)
		return tpm_error(s, "GetCapability", rc);
	return 0;
}

/* Read PCRs 0..23 of one bank; a TPM returns at most 8 values per command. */
static int read_bank(struct tpm_session *s, TPMI_ALG_HASH alg,
		     struct imaevm_pcr_bank *b, unsigned int size)
{
	uint32_t want = (1u << IMAEVM_NUM_PCRS) - 1, counter = 0;
	int tries = 0;
	bool first = true;

	b->valid = 0;
	while (want) {
		TPML_PCR_SELECTION sel = { .count = 1 };
		TPML_PCR_SELECTION *out = NULL;
		TPML_DIGEST *values = NULL;
		uint32_t got = 0, upd;
		unsigned int i, k = 0;
		TSS2_RC rc;

		sel.pcrSelections[0].hash = alg;
		sel.pcrSelections[0].sizeofSelect = 3;
		for (i = 0; i < 3; i++)
			sel.pcrSelections[0].pcrSelect[i] = (want >> (8 * i)) & 0xff;
		rc = Esys_PCR_Read_Async(s->esys, ESYS_TR_NONE, ESYS_TR_NONE,
					 ESYS_TR_NONE, &sel);
		if (rc != TSS2_RC_SUCCESS)
			return tpm_error(s, "PCR_Read", rc);
		rc = FINISH(s, "PCR_Read", Esys_PCR_Read_Finish(s->esys, &upd, &out, &values));
		if ((rc & 0xffff) == TSS2_BASE_RC_TRY_AGAIN)
			return timed_out(s, "PCR_Read");
		if (rc != TSS2_RC_SUCCESS)
			return tpm_error(s, "PCR_Read", rc);
		if (out->count == 1)
			for (i = 0; i < 3 && i < out->pcrSelections[0].sizeofSelect; i++)
				got |= (uint32_t)out->pcrSelections[0].pcrSelect[i] << (8 * i);
		got &= want;
		/* values come in the order of the selected PCRs */
		for (i = 0; i < IMAEVM_NUM_PCRS && k < values->count; i++) {
			if (!(got & (1u << i)))
				continue;
			if (values->digests[k].size != size) {
				Esys_Free(out);
				Esys_Free(values);
				sess_log(s, LOG_ERR, "TPM PCR_Read: %u-byte value",
					   values->digests[k].size);
				return -EIO;
			}
			memcpy(b->pcr[i], values->digests[k].buffer, size);
			b->valid |= 1u << i;
			k++;
		}
		Esys_Free(out);
		Esys_Free(values);
		if (!got)
			break;		/* the TPM has no more of these PCRs */
		if (!first && upd != counter) {
			/* a PCR changed between reads: read the whole bank again */
			if (++tries > 3)
				return tpm_error(s, "PCR_Read (PCRs keep changing)", 0);
			want = (1u << IMAEVM_NUM_PCRS) - 1;
			b->valid = 0;
			first = true;
			continue;
		}
		counter = upd;
		first = false;
		want &= ~got;
	}
	return __builtin_popcount(b->valid);
}

/*
 * The TCTI named by the environment, or NULL: tpm2-tss then searches its
 * own default list (libtss2-tcti-default.so, tabrmd, /dev/tpmrm0, /dev/tpm0,
 * swtpm and mssim on localhost), as programs that pass no TCTI get it.
 */
static const char *env_tcti(void)
{
	const char *t = getenv("TPM2TOOLS_TCTI");

	if (!t || !*t)
		t = getenv("TCTI");
	return t && *t ? t : NULL;
}

static const char *tcti_name(const char *tcti)
{
	return tcti ? tcti : "(default TCTI search)";
}

static int tpm_read_all(struct tpm_session *s)
{
	TSS2_TCTI_CONTEXT *tctx = NULL;
	TPMS_CAPABILITY_DATA *cap = NULL;
	int err, total = 0;
	unsigned int i;
	TSS2_RC rc;

	rc = Tss2_TctiLdr_Initialize(s->tcti, &tctx);
	if (rc != TSS2_RC_SUCCESS) {
		sess_log(s, LOG_ERR, "TPM %s: cannot connect: %s", tcti_name(s->tcti),
			 Tss2_RC_Decode(rc));
		return -ENODEV;
	}
	rc = Esys_Initialize(&s->esys, tctx, NULL);
	if (rc != TSS2_RC_SUCCESS) {
		Tss2_TctiLdr_Finalize(&tctx);
		sess_log(s, LOG_ERR, "TPM %s: %s", tcti_name(s->tcti), Tss2_RC_Decode(rc));
		return -ENODEV;
	}
	Esys_SetTimeout(s->esys, POLL_MS);
	err = get_banks(s, &cap);
	for (i = 0; !err && i < cap->data.assignedPCR.count; i++) {
		const TPMS_PCR_SELECTION *ps = &cap->data.assignedPCR.pcrSelections[i];
		int algo = imaevm_hash_algo_by_tpm_id(ps->hash), n;
		struct imaevm_pcr_bank *b;

		if (algo < 0) {
			sess_log(s, LOG_INFO, "TPM bank 0x%04x: unknown algorithm", ps->hash);
			continue;
		}
		if (!ps->pcrSelect[0] && !ps->pcrSelect[1] && !ps->pcrSelect[2])
			continue;	/* bank not allocated */
		b = imaevm_pcrs_bank(&s->pcrs, algo, 1);
		if (!b) {
			err = -ENOSPC;
			break;
		}
		n = read_bank(s, ps->hash, b, (unsigned int)imaevm_hash_algo_size(algo));
		if (n < 0)
			err = n;
		else
			total += n;
	}
	Esys_Free(cap);
	Esys_Finalize(&s->esys);
	Tss2_TctiLdr_Finalize(&tctx);
	if (err)
		return err;
	return total ? total : -ENODEV;
}

static void job_free(struct tpm_session *s)
{
	pthread_mutex_destroy(&s->lock);
	pthread_cond_destroy(&s->cond);
	free(s->tcti);
	free(s);
}

static void *tpm_worker(void *arg)
{
	struct tpm_session *s = arg;
	int result = tpm_read_all(s);
	bool abandoned;

	pthread_mutex_lock(&s->lock);
	s->result = result;
	s->done = true;
	abandoned = s->abandoned;
	pthread_cond_signal(&s->cond);
	pthread_mutex_unlock(&s->lock);
	if (abandoned)
		job_free(s);
	return NULL;
}

IMAEVM_EXPORT int imaevm_pcrs_read_tpm(struct imaevm_ctx *ctx, const char *tcti,
				       int timeout_ms, struct imaevm_pcrs *pcrs)
{
	struct tpm_session *s;
	pthread_condattr_t ca;
	pthread_t thread;
	int rc = 0, result;

	if (!ctx || !pcrs || timeout_ms < 0)
		return -EINVAL;
	if (!tcti)
		tcti = env_tcti();
	s = calloc(1, sizeof(*s));
	if (!s || (tcti && !(s->tcti = strdup(tcti)))) {
		free(s);
		return -ENOMEM;
	}
	s->pcrs = *pcrs;
	clock_gettime(CLOCK_MONOTONIC, &s->deadline);
	timeout_ms = timeout_ms ? timeout_ms : DEFAULT_TIMEOUT_MS;
	s->deadline.tv_sec += timeout_ms / 1000;
	s->deadline.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
	if (s->deadline.tv_nsec >= 1000000000L) {
		s->deadline.tv_sec++;
		s->deadline.tv_nsec -= 1000000000L;
	}
	pthread_mutex_init(&s->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&s->cond, &ca);
	pthread_condattr_destroy(&ca);
	if (pthread_create(&thread, NULL, tpm_worker, s)) {
		job_free(s);
		return -EAGAIN;
	}
	pthread_mutex_lock(&s->lock);
	while (!s->done && rc != ETIMEDOUT)
		rc = pthread_cond_timedwait(&s->cond, &s->lock, &s->deadline);
	if (!s->done) {
		s->abandoned = true;
		pthread_mutex_unlock(&s->lock);
		pthread_detach(thread);
		imaevm_log(ctx, LOG_ERR, "TPM %s: no answer within %d ms", tcti_name(tcti),
			   timeout_ms);
		return -ETIMEDOUT;
	}
	pthread_mutex_unlock(&s->lock);
	pthread_join(thread, NULL);
	if (s->msg[0])
		imaevm_log(ctx, s->msg_prio, "%s", s->msg);
	result = s->result;
	if (result > 0)
		*pcrs = s->pcrs;
	job_free(s);
	return result;
}
