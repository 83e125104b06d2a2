// SPDX-License-Identifier: LGPL-2.1-or-later
/* event-log.c - TPM 1.2 and TPM 2.0 crypto-agile firmware event logs, replay. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

#define EV_NO_ACTION 0x00000003u
#define SPEC_ID_SIG "Spec ID Event03"	/* with its NUL: 16 bytes */
#define LOCALITY_SIG "StartupLocality"	/* with its NUL: 16 bytes */

struct imaevm_evlog {
	struct imaevm_ctx *ctx;
	unsigned char *buf;		/* the whole log (firmware logs are small) */
	size_t len, pos;
	size_t start;			/* where the event being read starts */
	int format;
	int pcr0_extended;		/* a StartupLocality event is too late then */
	uint64_t index;
	unsigned int n_algs;
	struct {
		unsigned int tpm_alg;
		unsigned int size;
	} algs[IMAEVM_MAX_BANKS];
	char *err;
	struct imaevm_evlog_event ev;
};

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static unsigned int le16(const unsigned char *p)
{
	return (unsigned int)p[0] | (unsigned int)p[1] << 8;
}

static int __attribute__((format(printf, 2, 3)))
ev_fail(struct imaevm_evlog *log, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	free(log->err);
	if (asprintf(&log->err, "event %llu (offset %zu): %s",
		     (unsigned long long)log->index, log->start, msg) < 0)
		log->err = NULL;
	imaevm_log(log->ctx, LOG_INFO, "event log: %s", log->err ? log->err : msg);
	return -EBADMSG;
}

static int read_all(int fd, unsigned char **bufp, size_t *lenp)
{
	size_t cap = 64 * 1024, len = 0;
	unsigned char *buf = malloc(cap), *p;
	ssize_t n;

	if (!buf)
		return -ENOMEM;
	for (;;) {
		if (len == cap) {
			/* one byte past the cap read: the input is too large */
			size_t next = cap * 2 > IMAEVM_EVLOG_MAX_SIZE + 1 ?
				      IMAEVM_EVLOG_MAX_SIZE + 1 : cap * 2;

			if (cap == IMAEVM_EVLOG_MAX_SIZE + 1) {
				free(buf);
				return -EFBIG;
			}
			p = realloc(buf, next);
			if (!p) {
				free(buf);
				return -ENOMEM;
			}
			buf = p;
			cap = next;
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int err = -errno;

			free(buf);
			return err;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	*bufp = buf;
	*lenp = len;
	return 0;
}

/* TCG_EfiSpecIDEvent: signature, class, versions, uintn, algorithms, vendor. */
static int parse_spec_id(struct imaevm_evlog *log, const unsigned char *d,
			 size_t len)
{
	uint32_t n, i;
	size_t pos = 16 + 4 + 4;

	if (len < pos + 4)
		return ev_fail(log, "Spec ID event too short");
	n = le32(d + pos);
	pos += 4;
	if (n == 0 || n > IMAEVM_MAX_BANKS)
		return ev_fail(log, "Spec ID event lists %u algorithms (1..%d supported)",
			       n, IMAEVM_MAX_BANKS);
	if (len - pos < (size_t)n * 4 + 1)
		return ev_fail(log, "Spec ID event: algorithm list truncated");
	for (i = 0; i < n; i++, pos += 4) {
		int algo;
		uint32_t j;

		log->algs[i].tpm_alg = le16(d + pos);
		log->algs[i].size = le16(d + pos + 2);
		if (!log->algs[i].size || log->algs[i].size > IMAEVM_MAX_DIGEST_SIZE)
			return ev_fail(log, "Spec ID event: digest size %u",
				       log->algs[i].size);
		/* a known algorithm has one size; another would misparse every event */
		algo = imaevm_hash_algo_by_tpm_id(log->algs[i].tpm_alg);
		if (algo >= 0 &&
		    (unsigned int)imaevm_hash_algo_size(algo) != log->algs[i].size)
			return ev_fail(log, "Spec ID event: algorithm 0x%04x (%s) with "
				       "digest size %u, not %d", log->algs[i].tpm_alg,
				       imaevm_hash_algo_name(algo), log->algs[i].size,
				       imaevm_hash_algo_size(algo));
		for (j = 0; j < i; j++)
			if (log->algs[j].tpm_alg == log->algs[i].tpm_alg)
				return ev_fail(log, "Spec ID event: algorithm 0x%04x "
					       "listed twice", log->algs[i].tpm_alg);
	}
	/* EventSize decides, as in the kernel and tpm2-tools: firmware exists
	 * whose vendorInfoSize runs past the end of the event */
	if (len - pos < 1u + d[pos])
		imaevm_log(log->ctx, LOG_WARNING, "event log: event 0 (offset 0): "
			   "Spec ID event: vendor info of %u bytes runs past the "
			   "event's %zu bytes; the event is sized by its EventSize",
			   d[pos], len);
	log->n_algs = n;
	return 0;
}

/* TCG_PCClientPCREvent: pcr, type, sha1 digest, size, data. */
static int next_tpm12(struct imaevm_evlog *log)
{
	struct imaevm_evlog_event *ev = &log->ev;
	const unsigned char *p = log->buf + log->pos;
	size_t left = log->len - log->pos;
	uint32_t size;

	if (left < 32)
		return ev_fail(log, "truncated event header (%zu bytes)", left);
	size = le32(p + 28);
	if (size > left - 32)
		return ev_fail(log, "event data of %u bytes truncated", size);
	memset(ev, 0, sizeof(*ev));
	ev->pcr = le32(p);
	ev->type = le32(p + 4);
	ev->n_digests = 1;
	ev->digests[0].algo = IMAEVM_HASH_SHA1;
	ev->digests[0].tpm_alg = 0x0004;
	ev->digests[0].value = p + 8;
	ev->digests[0].len = 20;
	ev->data = p + 32;
	ev->data_len = size;
	log->pos += 32 + (size_t)size;
	return 1;
}

/* TCG_PCR_EVENT2: pcr, type, TPML_DIGEST_VALUES, size, data. */
static int next_agile(struct imaevm_evlog *log)
{
	struct imaevm_evlog_event *ev = &log->ev;
	const unsigned char *p = log->buf + log->pos;
	size_t left = log->len - log->pos, pos = 12;
	uint32_t count, size, i, j, j2;

	if (left < 12)
		return ev_fail(log, "truncated event header (%zu bytes)", left);
	memset(ev, 0, sizeof(*ev));
	ev->pcr = le32(p);
	ev->type = le32(p + 4);
	count = le32(p + 8);
	/* one digest per algorithm of the Spec ID event, each once: a bank
	 * without its digest would replay short of what the TPM holds */
	if (count != log->n_algs)
		return ev_fail(log, "%u digests, the Spec ID event declares %u",
			       count, log->n_algs);
	for (i = 0; i < count; i++) {
		unsigned int alg;

		if (left - pos < 2)
			return ev_fail(log, "digest list truncated");
		alg = le16(p + pos);
		for (j = 0; j < log->n_algs; j++)
			if (log->algs[j].tpm_alg == alg)
				break;
		if (j == log->n_algs)
			return ev_fail(log, "digest of algorithm 0x%04x not declared "
				       "in the Spec ID event", alg);
		for (j2 = 0; j2 < i; j2++)
			if (ev->digests[j2].tpm_alg == alg)
				return ev_fail(log, "algorithm 0x%04x has two digests", alg);
		pos += 2;
		if (left - pos < log->algs[j].size)
			return ev_fail(log, "digest truncated");
		ev->digests[i].tpm_alg = alg;
		ev->digests[i].algo = imaevm_hash_algo_by_tpm_id(alg);
		if (ev->digests[i].algo < 0)
			ev->digests[i].algo = -1;
		ev->digests[i].value = p + pos;
		ev->digests[i].len = log->algs[j].size;
		pos += log->algs[j].size;
	}
	ev->n_digests = count;
	if (left - pos < 4)
		return ev_fail(log, "event size truncated");
	size = le32(p + pos);
	pos += 4;
	if (size > left - pos)
		return ev_fail(log, "event data of %u bytes truncated", size);
	ev->data = p + pos;
	ev->data_len = size;
	log->pos += pos + size;
	return 1;
}

IMAEVM_EXPORT int imaevm_evlog_next(struct imaevm_evlog *log,
				    const struct imaevm_evlog_event **event)
{
	int rc;

	if (!log || !event)
		return -EINVAL;
	if (log->err)
		return -EBADMSG;
	if (log->pos == log->len)
		return 0;
	log->start = log->pos;
	if (log->index == 0 || log->format == IMAEVM_EVLOG_TPM12)
		rc = next_tpm12(log);
	else
		rc = next_agile(log);
	if (rc == 1 && log->ev.type == EV_NO_ACTION && log->ev.data_len == 17 &&
	    !memcmp(log->ev.data, LOCALITY_SIG, 16) && log->pcr0_extended)
		/* the locality is PCR 0's starting value: after an extend it lies */
		rc = ev_fail(log, "StartupLocality event after PCR 0 was extended");
	if (rc == 1 && log->ev.type != EV_NO_ACTION && log->ev.pcr == 0)
		log->pcr0_extended = 1;
	if (rc == 1) {
		log->ev.index = log->index++;
		*event = &log->ev;
	}
	return rc;
}

IMAEVM_EXPORT int imaevm_evlog_open(struct imaevm_ctx *ctx, const char *path,
				    struct imaevm_evlog **logp)
{
	struct imaevm_evlog *log;
	const unsigned char *d;
	struct stat st;
	int fd, err;

	if (!ctx || !path || !logp)
		return -EINVAL;
	log = calloc(1, sizeof(*log));
	if (!log)
		return -ENOMEM;
	log->ctx = ctx;
	log->format = IMAEVM_EVLOG_TPM12;
	/* securityfs logs are regular files; a device or pipe is not a log
	 * (refused before it is read: a FIFO does not block the open) */
	fd = imaevm_open_regular(path, &st);
	if (fd < 0) {
		free(log);
		return fd;
	}
	err = read_all(fd, &log->buf, &log->len);
	close(fd);
	if (err) {
		free(log);
		return err;
	}
	/* the first event is in TPM 1.2 format; a Spec ID event makes it agile */
	if (log->len < 32)
		err = ev_fail(log, "too short for an event log (%zu bytes)", log->len);
	d = log->buf + 32;
	if (!err && le32(log->buf + 4) == EV_NO_ACTION && le32(log->buf + 28) >= 16 &&
	    log->len - 32 >= le32(log->buf + 28) && !memcmp(d, SPEC_ID_SIG, 16)) {
		err = parse_spec_id(log, d, le32(log->buf + 28));
		log->format = IMAEVM_EVLOG_CRYPTO_AGILE;
	}
	if (err) {
		if (log->err)
			imaevm_log(ctx, LOG_ERR, "%s: %s", path, log->err);
		imaevm_evlog_close(log);
		return err;
	}
	*logp = log;
	return 0;
}

IMAEVM_EXPORT int imaevm_evlog_format(const struct imaevm_evlog *log)
{
	return log ? log->format : -EINVAL;
}

IMAEVM_EXPORT const char *imaevm_evlog_error(const struct imaevm_evlog *log)
{
	return log ? log->err : NULL;
}

IMAEVM_EXPORT void imaevm_evlog_close(struct imaevm_evlog *log)
{
	if (!log)
		return;
	free(log->buf);
	free(log->err);
	free(log);
}

static int extend(struct imaevm_ctx *ctx, EVP_MD_CTX *c,
		  struct imaevm_pcr_bank *b, uint32_t pcr,
		  const unsigned char *digest, size_t len)
{
	unsigned int size = (unsigned int)imaevm_hash_algo_size(b->algo);
	const EVP_MD *md = imaevm_md_get(ctx, b->algo);

	if (!md)
		return -EOPNOTSUPP;
	if (len != size)
		return -EBADMSG;
	if (!EVP_DigestInit_ex2(c, md, NULL) ||
	    !EVP_DigestUpdate(c, b->pcr[pcr], size) ||
	    !EVP_DigestUpdate(c, digest, size) ||
	    !EVP_DigestFinal_ex(c, b->pcr[pcr], NULL))
		return -EOPNOTSUPP;
	return 0;
}

IMAEVM_EXPORT int imaevm_evlog_replay(struct imaevm_ctx *ctx, const char *path,
				      struct imaevm_pcrs *out)
{
	const struct imaevm_evlog_event *ev;
	struct imaevm_pcrs pcrs = { 0 };
	struct imaevm_evlog *log;
	EVP_MD_CTX *c;
	unsigned int i;
	int rc, err, n = 0;

	if (!out)
		return -EINVAL;
	err = imaevm_evlog_open(ctx, path, &log);
	if (err)
		return err;
	c = EVP_MD_CTX_new();
	if (!c) {
		imaevm_evlog_close(log);
		return -ENOMEM;
	}
	if (log->format == IMAEVM_EVLOG_TPM12) {
		imaevm_pcrs_bank(&pcrs, IMAEVM_HASH_SHA1, 1);
	} else {
		for (i = 0; i < log->n_algs; i++) {
			int algo = imaevm_hash_algo_by_tpm_id(log->algs[i].tpm_alg);

			if (algo >= 0 && (unsigned int)imaevm_hash_algo_size(algo) == log->algs[i].size)
				imaevm_pcrs_bank(&pcrs, algo, 1);
			else
				imaevm_log(ctx, LOG_INFO, "event log: bank 0x%04x not replayed",
					   log->algs[i].tpm_alg);
		}
	}
	for (i = 0; i < pcrs.n_banks; i++) {
		unsigned int p;

		pcrs.bank[i].valid = (1u << IMAEVM_NUM_PCRS) - 1;
		/* the dynamic PCRs 17-22 reset to all ones; zero only after a
		 * dynamic launch, which a firmware event log does not record */
		for (p = 17; p <= 22; p++)
			memset(pcrs.bank[i].pcr[p], 0xff,
			       (size_t)imaevm_hash_algo_size(pcrs.bank[i].algo));
	}
	while ((rc = imaevm_evlog_next(log, &ev)) == 1) {
		/* never extended, whatever PCR index they carry (0xFFFFFFFF is common) */
		if (ev->type == EV_NO_ACTION) {
			/* H-CRTM locality: PCR 0 starts at the locality, not zero */
			if (ev->pcr == 0 && ev->data_len == 17 &&
			    !memcmp(ev->data, LOCALITY_SIG, 16))
				for (i = 0; i < pcrs.n_banks; i++)
					pcrs.bank[i].pcr[0][imaevm_hash_algo_size(pcrs.bank[i].algo) - 1] =
						ev->data[16];
			continue;
		}
		if (ev->pcr >= IMAEVM_NUM_PCRS) {
			log->index = ev->index;
			rc = ev_fail(log, "PCR %u out of range", ev->pcr);
			break;
		}
		for (i = 0; i < ev->n_digests && rc == 1; i++) {
			struct imaevm_pcr_bank *b;

			if (ev->digests[i].algo < 0 ||
			    !(b = imaevm_pcrs_bank(&pcrs, ev->digests[i].algo, 0)))
				continue;
			err = extend(ctx, c, b, ev->pcr, ev->digests[i].value,
				     ev->digests[i].len);
			if (err == -EBADMSG) {
				log->index = ev->index;
				rc = ev_fail(log, "digest size does not match its bank");
			}
			else if (err)
				rc = err;
		}
		if (rc != 1)
			break;
		n++;
	}
	EVP_MD_CTX_free(c);
	if (rc < 0 && log->err)
		imaevm_log(ctx, LOG_ERR, "%s: %s", path, log->err);
	imaevm_evlog_close(log);
	if (rc < 0)
		return rc;
	*out = pcrs;
	return n;
}
