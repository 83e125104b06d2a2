/* SPDX-License-Identifier: GPL-2.0-or-later */
/* sign-hash-line.h - the line parser of `evmctl sign_hash`. */
#ifndef EVMCTL_SIGN_HASH_LINE_H
#define EVMCTL_SIGN_HASH_LINE_H

#include <stdbool.h>

#include "imaevm.h"

/*
 * sign_hash_parse_line() - fill @d from one input line (without its newline):
 * "HEX  NAME" as sha*sum prints it or, with @veritysig, "ALGO:HEX NAME" as
 * `fsverity digest` prints it.  @algo_name (-a) names the algorithm of a
 * plain hex digest; NULL: told from its length.
 * Return: NULL, or a message for the user (@d is then undefined).
 */
const char *sign_hash_parse_line(const char *line, bool veritysig,
				 const char *algo_name, struct imaevm_digest *d);

#endif /* EVMCTL_SIGN_HASH_LINE_H */
