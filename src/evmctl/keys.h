/* SPDX-License-Identifier: GPL-2.0-or-later */
/* keys.h - key options shared by the signing and verifying commands. */
#ifndef EVMCTL_KEYS_H
#define EVMCTL_KEYS_H

#include <stdbool.h>
#include <stddef.h>

#include "evmctl.h"

#define DEFAULT_SIGNING_KEY "/etc/keys/privkey_evm.pem"
#define DEFAULT_VERIFY_KEY "/etc/keys/x509_evm.der"

/*
 * Take a key option: 0, OPTION_UNUSED when @code is not one, or EXIT_USAGE
 * (message printed) for a --keyid that is not one.
 */
int key_option(struct key_opts *k, int code, const char *arg);

/*
 * take_argv_password() - copy a password given as -pPASS or --pass=PASS
 * (@value, not empty) into g->argv_pass, overwrite it in argv (so ps no
 * longer shows it) and, with @warn, say that it was visible.  Called by
 * argv_prepare() before any parsing.
 */
void take_argv_password(struct evmctl *g, char *value, bool warn);
/* drop_argv_password() - wipe and free g->argv_pass. */
void drop_argv_password(struct evmctl *g);

/*
 * load_signing_key() - load the private key once for the whole run:
 * password from -p VALUE, a prompt for -p alone, EVMCTL_KEY_PASSWORD, or a
 * prompt when the key turns out encrypted and stdin is a terminal.
 * Return: 0 or a negative errno (message printed).
 */
int load_signing_key(struct evmctl *g, const struct key_opts *k,
		     struct imaevm_signing_key **key);

/*
 * load_keyset() - verification keys from a comma-separated list of files
 * (the default certificate when @list is NULL).
 * Return: 0, -ENOKEY (none could be loaded: message printed) or -ENOMEM.
 */
int load_keyset(struct evmctl *g, const char *list, struct imaevm_keyset **ks);

#endif /* EVMCTL_KEYS_H */
