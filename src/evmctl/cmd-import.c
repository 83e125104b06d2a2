// SPDX-License-Identifier: GPL-2.0-or-later
/* cmd-import.c - `evmctl import`: add a certificate (or a v1 RSA key) to a kernel keyring. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evm-cmds.h"
#include "input.h"

/* The certificate: a regular file of at most 1 MiB (a FIFO would block). */
static int read_file(const char *path, unsigned char **buf, size_t *len)
{
	if (input_read(path, &input_cert, buf, len))
		return -1;
	if (!*len) {
		cli_error(path, "empty file");
		free(*buf);
		return -1;
	}
	return 0;
}

static const char *import_error(int err, bool rsa)
{
	switch (err) {
	case -EBADMSG:
		return rsa ? "not a PEM public key or X.509 certificate the kernel can use" :
			     "not an X.509 certificate (DER or PEM) the kernel can use";
	case -EOPNOTSUPP:
		return rsa ? "--rsa needs an RSA key" :
			     "the kernel refused the key: it does not support the "
			     "key's algorithm (ECDSA needs CONFIG_CRYPTO_ECDSA)";
	case -ENOKEY:
		return "keyring not found";
	case -EKEYREJECTED:
		return "the kernel refused the key: the keyring accepts only keys "
		       "signed by a trusted key";
	case -ENODEV:
		return rsa ? "the kernel refused the key: no \"user\" key type" :
			     "the kernel refused the key: no \"asymmetric\" key type "
			     "(CONFIG_ASYMMETRIC_KEY_TYPE)";
	case -EACCES:
		return "the kernel refused the key: no write permission on the keyring";
	case -EDQUOT:
		return "the kernel refused the key: key quota exceeded";
	}
	return imaevm_strerror(err);
}

int cmd_import(struct evmctl *g, const struct command *cmd, int argc,
	       const char **argv)
{
	const char **args, *keyring;
	unsigned char *data = NULL;
	size_t len;
	int32_t ring, serial;
	int err;

	err = cli_parse(g, cmd, NULL, NULL, &args);
	if (err)
		return err;
	if (!args || !args[0] || (args[1] && args[2])) {
		cli_error(NULL, "import: need a certificate and at most one keyring "
			  "(see 'evmctl help import')");
		return EXIT_USAGE;
	}
	/* no keyring: the user keyring, as the old tool */
	keyring = args[1] ? args[1] : "@u";
	err = imaevm_keyring_find(g->ctx, keyring, &ring);
	if (err) {
		cli_error(keyring, "%s", err == -ENOKEY ? "keyring not found" :
			  err == -ENOTDIR ? "not a keyring" :
			  err == -EINVAL ? "not a keyring serial, @s-style name or keyring name" :
			  imaevm_strerror(err));
		return EXIT_FAILED;
	}
	if (read_file(args[0], &data, &len))
		return EXIT_FAILED;
	if (g->key.rsa)
		err = imaevm_keyring_import_rsa_v1(g->ctx, data, len, ring, &serial);
	else
		err = imaevm_keyring_import_cert(g->ctx, data, len, ring, &serial);
	free(data);
	if (err) {
		cli_error(args[0], "%s", import_error(err, g->key.rsa));
	} else {
		cli_info(g, 1, "%s: added to keyring %d", args[0], ring);
		printf("%d\n", serial);
	}
	return err ? EXIT_FAILED : EXIT_OK;
}

/* import uses --rsa only; the other key options are for signing */
static const struct poptOption opts_import[] = {
	{ "rsa", '\0', POPT_ARG_NONE, NULL, OPT_RSA,
	  "import as an RSA key for signature format v1 (legacy)", NULL },
	POPT_TABLEEND
};

const struct poptOption *const groups_import[] = { opts_import, NULL };
