/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fuzz.h - what every harness defines, for libFuzzer and for the replay main. */
#ifndef FUZZ_H
#define FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A broken invariant is a crash: libFuzzer and the replay both report it. */
#define FUZZ_ASSERT(cond) do { if (!(cond)) __builtin_trap(); } while (0)

struct imaevm_ctx;

/* fuzz-util.c */
/* One library context for the whole run (the library keeps no other state). */
struct imaevm_ctx *fuzz_ctx(void);
/*
 * The input as a file for the APIs that take a path: an anonymous memory
 * file, named by @path ("/proc/self/fd/N").  Return the fd to close, or -1.
 */
int fuzz_file(const uint8_t *data, size_t size, char path[32]);
/* @p[0..n) lies inside [base, base + size). */
int fuzz_within(const void *p, size_t n, const void *base, size_t size);

/* fuzz-ml.c: one measurement list in @format (enum imaevm_ml_format). */
int fuzz_ml(const uint8_t *data, size_t size, int format);

#endif /* FUZZ_H */
