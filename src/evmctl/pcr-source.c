// SPDX-License-Identifier: GPL-2.0-or-later
/* pcr-source.c - where the attestation commands read PCR values from, and their PCR-list options. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "pcr-source.h"
#include "input.h"

#define PCR_FILE_MAX (1 << 20)

int pcr_source_option(struct pcr_source *src, int code, const char *arg)
{
	const char **grown;

	switch (code) {
	case OPT_HWTPM:
		src->hwtpm = true;
		return 0;
	case OPT_TCTI:
		src->tcti = arg;
		return 0;
	case OPT_PCRS:
		grown = realloc(src->files, (src->n_files + 1) * sizeof(*grown));
		if (!grown) {
			cli_error(NULL, "out of memory");
			return EXIT_FAILED;
		}
		src->files = grown;
		src->files[src->n_files++] = arg;
		return 0;
	}
	return OPTION_UNUSED;
}

void pcr_source_free(struct pcr_source *src)
{
	free(src->files);
	src->files = NULL;
	src->n_files = 0;
}

/* "[algo,]file": the prefix counts as an algorithm only if it names one. */
static int read_pcr_file(struct evmctl *g, const char *arg, struct imaevm_pcrs *pcrs)
{
	const char *comma = strchr(arg, ','), *path = arg;
	struct stat st;
	int algo = -1, n;

	if (comma) {
		char name[32];
		size_t len = (size_t)(comma - arg);

		if (len < sizeof(name)) {
			memcpy(name, arg, len);
			name[len] = '\0';
			algo = imaevm_hash_algo_by_name(name);
		}
		if (algo >= 0) {
			path = comma + 1;
		} else if (stat(arg, &st) != 0) {
			cli_error(NULL, "--pcrs %s: unknown hash algorithm '%.*s'",
				  arg, (int)len, arg);
			return EXIT_USAGE;
		}
	}
	if (stat(path, &st) != 0) {
		cli_error(path, "PCR file: %s", strerror(errno));
		return EXIT_FAILED;
	}
	if (!S_ISREG(st.st_mode)) {
		cli_error(path, "PCR file: not a regular file");
		return EXIT_FAILED;
	}
	/* 24 PCRs of 8 banks fit in a few kB: a bigger file is not PCR values */
	if (st.st_size > PCR_FILE_MAX) {
		cli_error(path, "PCR file: larger than %d bytes (1 MiB), not read",
			  PCR_FILE_MAX);
		return EXIT_FAILED;
	}
	n = imaevm_pcrs_read_file(g->ctx, path, algo, pcrs);
	if (n == -ENODEV) {	/* replaced by a FIFO or device since the stat */
		cli_error(path, "PCR file: not a regular file");
		return EXIT_FAILED;
	}
	if (n < 0) {
		cli_error(path, "cannot read PCR values: %s", n == -EBADMSG ?
			  "no PCR values of the expected size (see -v)" :
			  imaevm_strerror(n));
		return EXIT_FAILED;
	}
	return 0;
}

int pcr_source_read(struct evmctl *g, const struct pcr_source *src,
		    struct imaevm_pcrs *pcrs, const char **what)
{
	size_t i;
	int n;

	memset(pcrs, 0, sizeof(*pcrs));
	if (src->n_files) {
		for (i = 0; i < src->n_files; i++) {
			n = read_pcr_file(g, src->files[i], pcrs);
			if (n)
				return n;
		}
		*what = "PCR file";
		return 0;
	}
	if (src->hwtpm || !src->tcti) {
		n = imaevm_pcrs_read_sysfs(g->ctx, NULL, pcrs);
		if (n > 0) {
			*what = "sysfs";
			return 0;
		}
		if (src->hwtpm) {
			cli_error(NULL, "cannot read PCRs from /sys/class/tpm/tpm0: %s",
				  n == -ENODEV ? "no TPM" : imaevm_strerror(n));
			return EXIT_FAILED;
		}
	}
	/* tpm2-tss logs to stderr by itself: only with -vv */
	if (g->verbose < 2)
		setenv("TSS2_LOG", "all+none", 0);
	n = imaevm_pcrs_read_tpm(g->ctx, src->tcti, 0, pcrs);
	if (n <= 0) {
		cli_error(NULL, "Failed to read any TPM PCRs: %s",
			  n == -ENODEV ? "no TPM found" : n == -ETIMEDOUT ?
			  "the TPM did not answer in time" : n == -EOPNOTSUPP ?
			  "built without tpm2-tss, so no --tcti; use --pcrs FILE or --hwtpm (sysfs)" :
			  imaevm_strerror(n));
		return EXIT_FAILED;
	}
	*what = "TPM";
	return 0;
}

const char *evlog_error_text(const char *path, int err)
{
	const char *text = input_error_text(path, err, &input_event_log);

	return text ? text : imaevm_strerror(err);
}

int parse_pcr_list(const char *option, const char *arg, uint32_t *mask)
{
	const char *s = arg;
	uint32_t m = 0;

	if (!arg || !*arg)
		goto bad;
	for (;;) {
		char *end;
		unsigned long lo = strtoul(s, &end, 10), hi = lo;

		if (end == s || *s == '-' || *s == '+')
			goto bad;
		s = end;
		if (*s == '-') {
			hi = strtoul(++s, &end, 10);
			if (end == s || *s == '-' || *s == '+')
				goto bad;
			s = end;
		}
		if (lo > hi || hi >= IMAEVM_NUM_PCRS)
			goto bad;
		for (; lo <= hi; lo++)
			m |= 1u << lo;
		if (!*s)
			break;
		if (*s++ != ',')
			goto bad;
	}
	*mask |= m;
	return 0;
bad:
	cli_error(NULL, "%s '%s': expected PCR numbers 0..%d, e.g. 10 or 10,11 or 8-9",
		  option, arg ? arg : "", IMAEVM_NUM_PCRS - 1);
	return EXIT_USAGE;
}
