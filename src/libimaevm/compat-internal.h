/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* compat-internal.h - private glue between compat.c and compat-keys.c (the old API). */
#ifndef IMAEVM_COMPAT_INTERNAL_H
#define IMAEVM_COMPAT_INTERNAL_H

/* the library defines the calls it marks deprecated for programs */
#define IMAEVM_SUPPRESS_DEPRECATED
#include "imaevm-compat.h"

/* The context of the old calls, made on first use (NULL if that failed). */
struct imaevm_ctx *compat_ctx(void);
/* A message to stderr if @priority <= imaevm_params.verbose, as the old library. */
void compat_msg(int priority, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif /* IMAEVM_COMPAT_INTERNAL_H */
