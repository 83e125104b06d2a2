// SPDX-License-Identifier: GPL-2.0-or-later
/* input.c - the files evmctl reads whole: regular files only, under a cap, lines bounded. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "evmctl.h"
#include "input.h"

#define KIB 1024u
#define MIB (1024u * 1024u)

/*
 * The caps: keys and certificates are kilobytes (the library's own cap);
 * a manifest of every file of a large system stays well under 256 MiB,
 * and a line of one holds a digest and an escaped path (PATH_MAX 4096,
 * at most 4 bytes per escaped byte); the quote files of ima_attest are
 * TPM structures of a few hundred bytes.
 */
const struct input_kind input_key = { "the key", "a key", IMAEVM_KEY_FILE_MAX, 0 };
const struct input_kind input_cert = { "the certificate", "a certificate", IMAEVM_KEY_FILE_MAX, 0 };
const struct input_kind input_hmac_key = { "the HMAC key", "an HMAC key", 0, 0 };
const struct input_kind input_policy = { "the policy", "a policy", 256 * MIB, 64 * KIB };
const struct input_kind input_sig_manifest = { "the manifest", "a signature manifest", 1024 * MIB,
					       64 * KIB };
const struct input_kind input_event_log = { "the event log", "an event log",
					    IMAEVM_EVLOG_MAX_SIZE, 0 };
const struct input_kind input_sign_hash = { "standard input", "a sign_hash input", 0, 64 * KIB };
const struct input_kind input_quote = { "the quote", "a quote", 1 * MIB, 0 };
const struct input_kind input_quote_sig = { "the quote signature", "a quote signature", 1 * MIB, 0 };
const struct input_kind input_ak = { "the attestation key", "an attestation key", 1 * MIB, 0 };
const struct input_kind input_nonce = { "the nonce", "a nonce file", 1 * MIB, 0 };
const struct input_kind input_quote_pcrs = { "the quoted PCR values", "a quoted PCR values file",
					     1 * MIB, 0 };

static const char *type_text(mode_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFDIR:
		return "a directory";
	case S_IFLNK:
		return "a symbolic link";
	case S_IFCHR:
		return "a character device";
	case S_IFBLK:
		return "a block device";
	case S_IFIFO:
		return "a FIFO";
	case S_IFSOCK:
		return "a socket";
	}
	return "an unknown file type";
}

static void size_text(uint64_t n, char *out, size_t size)
{
	if (n >= MIB && n % MIB == 0)
		snprintf(out, size, "%llu MiB", (unsigned long long)(n / MIB));
	else if (n >= KIB && n % KIB == 0)
		snprintf(out, size, "%llu KiB", (unsigned long long)(n / KIB));
	else
		snprintf(out, size, "%llu-byte", (unsigned long long)n);
}

static const char *not_regular(mode_t mode)
{
	static __thread char text[64];

	snprintf(text, sizeof(text), "not a regular file (%s)", type_text(mode));
	return text;
}

static const char *too_large(const struct input_kind *k)
{
	static __thread char text[128];
	char cap[32];

	size_text(k->max, cap, sizeof(cap));
	snprintf(text, sizeof(text), "larger than the %s limit for %s", cap, k->a);
	return text;
}

const char *input_line_error(const struct input_kind *k)
{
	static __thread char text[128];
	char cap[32];

	size_text(k->line_max, cap, sizeof(cap));
	snprintf(text, sizeof(text), "longer than the %s limit for %s line", cap, k->a);
	return text;
}

int input_open(const char *path, const struct input_kind *k)
{
	struct stat st;
	int fd, err;

	/* a device is not even opened: opening some has side effects */
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		cli_error(path, "%s", not_regular(st.st_mode));
		return -1;
	}
	fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		cli_error(path, "cannot open %s: %s", k->the, strerror(errno));
		return -1;
	}
	/* the descriptor decides: the path may have been swapped since */
	if (fstat(fd, &st) < 0) {
		err = errno;
		cli_error(path, "cannot read %s: %s", k->the, strerror(err));
		close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		cli_error(path, "%s", not_regular(st.st_mode));
		close(fd);
		return -1;
	}
	if (k->max && (uint64_t)st.st_size > k->max) {
		cli_error(path, "%s", too_large(k));
		close(fd);
		return -1;
	}
	return fd;
}

FILE *input_fopen(const char *path, const struct input_kind *k)
{
	int fd = input_open(path, k);
	FILE *f;

	if (fd < 0)
		return NULL;
	f = fdopen(fd, "re");
	if (!f) {
		cli_error(path, "cannot read %s: %s", k->the, strerror(errno));
		close(fd);
	}
	return f;
}

int input_read(const char *path, const struct input_kind *k, unsigned char **bufp,
	       size_t *lenp)
{
	int fd, err;

	fd = input_open(path, k);
	if (fd < 0)
		return fd < -1 ? fd : -EIO;
	/* the cap again: the file may have grown after the size was checked */
	err = read_fd_all(fd, k->max, bufp, lenp);
	close(fd);
	if (err == -EFBIG)
		cli_error(path, "%s", too_large(k));
	else if (err)
		cli_error(path, "cannot read %s: %s", k->the, strerror(-err));
	return err;
}

int input_getline(FILE *f, const struct input_kind *k, char *buf, size_t *lenp)
{
	size_t n = 0;
	bool over = false;
	int c;

	flockfile(f);
	while ((c = getc_unlocked(f)) != EOF && c != '\n') {
		if (n < k->line_max)
			buf[n++] = (char)c;
		else
			over = true;
	}
	funlockfile(f);
	buf[n] = '\0';
	*lenp = n;
	if (c == EOF && ferror(f))
		return -EIO;
	if (over)
		return -E2BIG;
	return c == EOF && n == 0 ? 0 : 1;
}

const char *input_error_text(const char *path, int err, const struct input_kind *k)
{
	struct stat st;

	if (err == -ENODEV && stat(path, &st) == 0 && !S_ISREG(st.st_mode))
		return not_regular(st.st_mode);
	if (err == -ENODEV)
		return "not a regular file";
	if (err == -EFBIG && k->max)
		return too_large(k);
	return NULL;
}

int input_lib_error(const char *path, int err, const struct input_kind *k)
{
	struct stat st;
	const char *text;

	/* -ENODEV means "not a regular file" only for a path that is one */
	if (err == -ENODEV && (stat(path, &st) != 0 || S_ISREG(st.st_mode)))
		return 0;
	text = input_error_text(path, err, k);
	if (!text)
		return 0;
	cli_error(path, "%s", text);
	return 1;
}
