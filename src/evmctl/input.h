/* SPDX-License-Identifier: GPL-2.0-or-later */
/* input.h - the files evmctl reads whole: regular files only, under a cap, lines bounded. */
#ifndef EVMCTL_INPUT_H
#define EVMCTL_INPUT_H

#include <stdint.h>
#include <stdio.h>

/* What an input is, for its messages, and its caps. */
struct input_kind {
	const char *the;	/* "the policy": "cannot open the policy: ..." */
	const char *a;		/* "a policy": "larger than the 256 MiB limit for a policy" */
	uint64_t max;		/* bytes; 0: the caller bounds the read itself */
	size_t line_max;	/* bytes of one line, for line-based inputs */
};

extern const struct input_kind input_key, input_cert;	/* 1 MiB (the library's cap) */
extern const struct input_kind input_hmac_key;	/* the caller reads at most 129 bytes */
extern const struct input_kind input_policy;	/* 256 MiB, lines 64 KiB */
extern const struct input_kind input_sig_manifest;	/* 1 GiB, lines 64 KiB */
extern const struct input_kind input_event_log;	/* 64 MiB (the library's cap) */
extern const struct input_kind input_sign_hash;	/* stdin lines of sign_hash: 64 KiB */
extern const struct input_kind input_quote, input_quote_sig, input_ak,
	input_nonce, input_quote_pcrs;	/* ima_attest's inputs: 1 MiB each */

/*
 * Open @path for reading.  Only a regular file is read: anything else is
 * refused before it can block or stream without end (O_NONBLOCK, and the
 * type checked on the descriptor), as is a file over @k->max.  The fd, or
 * -1 after a message naming the file and the reason:
 *   PATH: cannot open the policy: No such file or directory
 *   PATH: not a regular file (a FIFO)
 *   PATH: larger than the 256 MiB limit for a policy
 */
int input_open(const char *path, const struct input_kind *k);

/* As input_open(), as a stdio stream ("re"); NULL after the message. */
FILE *input_fopen(const char *path, const struct input_kind *k);

/*
 * Read all of @path (input_open(), and at most @k->max bytes even if it
 * grows while read) into *buf (NUL-terminated, free()), its length in *len.
 * 0, or -errno after the message (-EIO when it cannot be opened).
 */
int input_read(const char *path, const struct input_kind *k, unsigned char **buf,
	       size_t *len);

/*
 * The next line of @f into @buf of @k->line_max + 1 bytes, without its
 * newline, NUL-terminated (the line may hold NUL bytes: *len counts them).
 * 1 a line, 0 the end, -E2BIG the line is longer than @k->line_max (its
 * rest is skipped, so reading may go on), -EIO a read error.
 */
int input_getline(FILE *f, const struct input_kind *k, char *buf, size_t *len);

/* The message for an overlong line: "longer than the 64 KiB limit for a policy line". */
const char *input_line_error(const struct input_kind *k);

/*
 * For a library error on @path: print and return 1 for -ENODEV (when @path
 * is indeed not a regular file) and -EFBIG, with input_open()'s messages;
 * 0 (nothing printed) for any other.
 */
int input_lib_error(const char *path, int err, const struct input_kind *k);

/* The same texts, for messages the caller composes (static buffer). */
const char *input_error_text(const char *path, int err, const struct input_kind *k);

#endif
