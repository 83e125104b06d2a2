// SPDX-License-Identifier: GPL-2.0-or-later
/* fuzz-ml-binary.c - harness: binary measurement lists through the streaming reader. */
#include "config.h"

#include "imaevm.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_ml(data, size, IMAEVM_ML_BINARY);
}
