/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fuzz.h - what every harness defines, for libFuzzer and for the replay main. */
#ifndef FUZZ_H
#define FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A broken invariant is a crash: libFuzzer and the replay both report it. */
#define FUZZ_ASSERT(cond) do { if (!(cond)) __builtin_trap(); } while (0)

#endif /* FUZZ_H */
