// SPDX-License-Identifier: LGPL-2.1-or-later
/* pcrs.c - PCR value sets: banks, PCR files, the kernel's sysfs PCR files. */
#include "config.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

IMAEVM_EXPORT struct imaevm_pcr_bank *imaevm_pcrs_bank(struct imaevm_pcrs *pcrs,
						       int algo, int create)
{
	unsigned int i;

	if (!pcrs || imaevm_hash_algo_size(algo) < 0)
		return NULL;
	for (i = 0; i < pcrs->n_banks && i < IMAEVM_MAX_BANKS; i++)
		if (pcrs->bank[i].algo == algo)
			return &pcrs->bank[i];
	if (!create || pcrs->n_banks >= IMAEVM_MAX_BANKS)
		return NULL;
	memset(&pcrs->bank[pcrs->n_banks], 0, sizeof(pcrs->bank[0]));
	pcrs->bank[pcrs->n_banks].algo = algo;
	return &pcrs->bank[pcrs->n_banks++];
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Hex bytes, optionally "0x"-prefixed and separated by single spaces. */
int pcrs_hex_value(const char *s, unsigned char *out, size_t max, size_t *len)
{
	size_t n = 0;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	for (;;) {
		if (n && *s == ' ' && hexval(s[1]) >= 0)
			s++;	/* "7a 8b ..." as in the TPM 1.2 sysfs file */
		if (hexval(s[0]) < 0)
			break;
		if (hexval(s[1]) < 0 || n == max)
			return -EBADMSG;
		out[n++] = (unsigned char)(hexval(s[0]) << 4 | hexval(s[1]));
		s += 2;
	}
	while (isspace((unsigned char)*s))
		s++;
	if (*s || n == 0)
		return -EBADMSG;
	*len = n;
	return 0;
}

/* "sha256:" alone on a line names the bank that follows (tpm2_pcrread). */
static bool bank_heading(const char *s, char *name, size_t size)
{
	size_t n = strcspn(s, ":");
	const char *p;

	if (n == 0 || n >= size || s[n] != ':')
		return false;
	for (p = s + n + 1; *p; p++)
		if (!isspace((unsigned char)*p))
			return false;
	memcpy(name, s, n);
	name[n] = '\0';
	return true;
}

/* Parse "PCR-NN: hex", "N: hex", "N : 0xhex"; 1 taken, 0 not a PCR line. */
static int pcr_line(const char *s, unsigned int *pcr, const char **value)
{
	unsigned long n;
	char *end;

	if (!strncmp(s, "PCR-", 4))
		s += 4;
	else if (!strncmp(s, "PCR", 3) && isdigit((unsigned char)s[3]))
		s += 3;
	if (!isdigit((unsigned char)*s))
		return 0;
	n = strtoul(s, &end, 10);
	if (n >= IMAEVM_NUM_PCRS)
		return 0;
	s = end;
	while (*s == ' ' || *s == '\t')
		s++;
	if (*s == ':')
		s++;
	else if (s == end)
		return 0;
	while (*s == ' ' || *s == '\t')
		s++;
	if (hexval(*s) < 0)
		return 0;
	*pcr = (unsigned int)n;
	*value = s;
	return 1;
}

IMAEVM_EXPORT int imaevm_pcrs_read_file(struct imaevm_ctx *ctx, const char *path,
					int algo, struct imaevm_pcrs *pcrs)
{
	struct imaevm_pcrs tmp;
	char *line = NULL;
	size_t cap = 0, lineno = 0;
	int cur = algo >= 0 ? algo : IMAEVM_HASH_SHA1, count = 0, err = 0, fd;
	bool skipping = false;
	FILE *f;

	if (!ctx || !path || !pcrs || (algo >= 0 && imaevm_hash_algo_size(algo) < 0))
		return -EINVAL;
	/* a FIFO or device given as the file would block or never end */
	fd = imaevm_open_regular(path, NULL);
	if (fd < 0)
		return fd;
	f = fdopen(fd, "re");
	if (!f) {
		err = -errno;
		close(fd);
		return err;
	}
	tmp = *pcrs;
	while (!err && getline(&line, &cap, f) > 0) {
		unsigned char v[IMAEVM_MAX_DIGEST_SIZE];
		struct imaevm_pcr_bank *b;
		const char *s = line, *value;
		unsigned int pcr;
		char name[32];
		size_t len;

		lineno++;
		while (isspace((unsigned char)*s))
			s++;
		if (bank_heading(s, name, sizeof(name))) {
			int a = imaevm_hash_algo_by_name_nocase(name);

			if (a >= 0) {
				skipping = algo >= 0 && a != algo;
				cur = a;
			}
			continue;
		}
		if (skipping || !pcr_line(s, &pcr, &value))
			continue;
		if (pcrs_hex_value(value, v, sizeof(v), &len) ||
		    len != (size_t)imaevm_hash_algo_size(cur)) {
			imaevm_log(ctx, LOG_ERR, "%s:%zu: PCR %u: not a %s value",
				   path, lineno, pcr, imaevm_hash_algo_name(cur));
			err = -EBADMSG;
			break;
		}
		b = imaevm_pcrs_bank(&tmp, cur, 1);
		if (!b) {
			err = -ENOSPC;
			break;
		}
		memcpy(b->pcr[pcr], v, len);
		b->valid |= 1u << pcr;
		count++;
	}
	if (!err && ferror(f))
		err = -EIO;
	free(line);
	fclose(f);
	if (!err && count == 0) {
		imaevm_log(ctx, LOG_ERR, "%s: no PCR values found", path);
		err = -EBADMSG;
	}
	if (err)
		return err;
	*pcrs = tmp;
	return count;
}

static int read_sysfs_value(const char *path, unsigned char *v, size_t *len)
{
	char text[2 * IMAEVM_MAX_DIGEST_SIZE + 8];
	size_t n;
	FILE *f = fopen(path, "re");

	if (!f)
		return -errno;
	n = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	text[n] = '\0';
	return pcrs_hex_value(text, v, IMAEVM_MAX_DIGEST_SIZE, len);
}

IMAEVM_EXPORT int imaevm_pcrs_read_sysfs(struct imaevm_ctx *ctx, const char *dir,
					 struct imaevm_pcrs *pcrs)
{
	struct imaevm_pcrs tmp;
	struct dirent *de;
	char path[4096];
	int count = 0, err = 0;
	DIR *d;

	if (!ctx || !pcrs)
		return -EINVAL;
	if (!dir)
		dir = "/sys/class/tpm/tpm0";
	tmp = *pcrs;
	d = opendir(dir);
	if (!d)
		return errno == ENOENT ? -ENODEV : -errno;
	while (!err && (de = readdir(d))) {
		struct imaevm_pcr_bank *b;
		unsigned int i;
		int algo;

		if (strncmp(de->d_name, "pcr-", 4))
			continue;
		algo = imaevm_hash_algo_by_name(de->d_name + 4);
		if (algo < 0) {
			imaevm_log(ctx, LOG_INFO, "%s/%s: unknown bank", dir, de->d_name);
			continue;
		}
		b = imaevm_pcrs_bank(&tmp, algo, 1);
		if (!b) {
			err = -ENOSPC;
			break;
		}
		for (i = 0; i < IMAEVM_NUM_PCRS; i++) {
			size_t len;

			snprintf(path, sizeof(path), "%s/%s/%u", dir, de->d_name, i);
			if (read_sysfs_value(path, b->pcr[i], &len) ||
			    len != (size_t)imaevm_hash_algo_size(algo))
				continue;
			b->valid |= 1u << i;
			count++;
		}
	}
	closedir(d);
	if (err)
		return err;
	if (count == 0) {
		/* TPM 1.2: one file, "PCR-00: xx xx ..." */
		snprintf(path, sizeof(path), "%s/device/pcrs", dir);
		count = imaevm_pcrs_read_file(ctx, path, IMAEVM_HASH_SHA1, &tmp);
		if (count <= 0)
			return -ENODEV;
	}
	*pcrs = tmp;
	return count;
}
