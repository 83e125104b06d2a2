// SPDX-License-Identifier: GPL-2.0-or-later
/* keys.c - key options, password sources and key loading for evmctl commands. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "keys.h"

/*
 * The key options of the signature commands, as shown in their help.  The
 * codes are those of opts_key (options.c), which does the parsing; these
 * tables leave out the EVM-only --imasig/--imahash and, for ima_verify,
 * everything but the certificates.
 */
const struct poptOption opts_sign_key[] = {
	{ "key", 'k', POPT_ARG_STRING, NULL, OPT_KEY,
	  "private key file (PEM/DER) or pkcs11: URI (default: " DEFAULT_SIGNING_KEY ")", "KEY" },
	{ "pass", 'p', POPT_ARG_STRING | POPT_ARGFLAG_OPTIONAL, NULL, OPT_PASS,
	  "password or PIN: -pPASS or --pass=PASS; a bare -p asks for it", "PASSWORD" },
	{ "keyid", '\0', POPT_ARG_STRING, NULL, OPT_KEYID,
	  "32-bit key id in hex to put in signatures", "HEX" },
	{ "keyid-from-cert", '\0', POPT_ARG_STRING, NULL, OPT_KEYID_FROM_CERT,
	  "take the key id from the certificate's subject key identifier", "CERT" },
	{ "veritysig", '\0', POPT_ARG_NONE, NULL, OPT_VERITYSIG,
	  "signature v3 over the fs-verity digest", NULL },
	{ "rsa", '\0', POPT_ARG_NONE, NULL, OPT_RSA,
	  "signature v1 (refused: signing v1 is not supported)", NULL },
	POPT_TABLEEND
};

const struct poptOption opts_verify_key[] = {
	{ "key", 'k', POPT_ARG_STRING, NULL, OPT_KEY,
	  "certificate(s) or public keys, comma-separated (default: " DEFAULT_VERIFY_KEY ")",
	  "CERT[,CERT...]" },
	POPT_TABLEEND
};

int key_option(struct key_opts *k, int code, const char *arg)
{
	switch (code) {
	case OPT_KEY:
		k->key = arg;
		break;
	case OPT_PASS:
		/* "--pass=" (or a bare -p) means: ask for it */
		k->pass = arg && *arg ? arg : NULL;
		k->pass_given = true;
		break;
	case OPT_KEYID:
		k->keyid = arg;
		break;
	case OPT_KEYID_FROM_CERT:
		k->keyid_cert = arg;
		break;
	case OPT_RSA:
		k->rsa = true;
		break;
	default:
		return OPTION_UNUSED;
	}
	return 0;
}

/* Read one line from stdin, without echo when it is a terminal. */
static char *prompt_password(const char *what, bool stdin_busy)
{
	struct termios old, quiet;
	FILE *in = stdin;
	bool tty;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	if (stdin_busy) {
		/* stdin carries the data: only the terminal can give a password */
		in = fopen("/dev/tty", "r+e");
		if (!in)
			return NULL;
	}
	tty = isatty(fileno(in));
	if (tty) {
		/* echo goes off before the prompt shows: nothing typed is echoed */
		if (tcgetattr(fileno(in), &old) == 0) {
			quiet = old;
			quiet.c_lflag &= ~(tcflag_t)ECHO;
			quiet.c_lflag |= ECHONL;
			if (tcsetattr(fileno(in), TCSAFLUSH, &quiet) != 0)
				tty = false;
		} else {
			tty = false;
		}
		fprintf(stderr, "Password for %s: ", what);
		fflush(stderr);
	}
	n = getline(&line, &cap, in);
	if (tty)
		(void)tcsetattr(fileno(in), TCSAFLUSH, &old);
	if (in != stdin)
		fclose(in);
	if (n < 0) {
		free(line);
		return NULL;
	}
	if (n > 0 && line[n - 1] == '\n')
		line[--n] = '\0';
	return line;
}

static void free_secret(char *s)
{
	if (s) {
		explicit_bzero(s, strlen(s));
		free(s);
	}
}

int load_signing_key(struct evmctl *g, const struct key_opts *k,
		     struct imaevm_signing_key **key)
{
	struct imaevm_key_params p = {
		.path = k->key ? k->key : DEFAULT_SIGNING_KEY,
		.engine = g->engine,
	};
	char *prompted = NULL;
	int err;

	if (k->rsa) {
		cli_error(NULL, "signing v1 (--rsa) is not supported; drop --rsa to make v2 signatures");
		return EXIT_FAILED;
	}
	if (k->keyid) {
		if (imaevm_keyid_parse(k->keyid, &p.keyid)) {
			cli_error(NULL, "--keyid: '%s' is not a 32-bit hex value", k->keyid);
			return EXIT_USAGE;
		}
		p.keyid_set = 1;
	} else if (k->keyid_cert) {
		err = imaevm_keyid_from_cert(g->ctx, k->keyid_cert, &p.keyid);
		if (err) {
			cli_error(k->keyid_cert, "cannot take the key id: %s", imaevm_strerror(err));
			return EXIT_FAILED;
		}
		p.keyid_set = 1;
	}
	if (k->pass_given && k->pass) {
		p.password = k->pass;
	} else if (k->pass_given) {
		prompted = prompt_password(p.path, k->stdin_busy);
		if (!prompted) {
			cli_error(p.path, "no password could be read");
			return EXIT_FAILED;
		}
		p.password = prompted;
	} else {
		p.password = getenv("EVMCTL_KEY_PASSWORD");
	}
	err = imaevm_signing_key_load(g->ctx, &p, key);
	if (err == -ENOKEY && !p.password && isatty(STDIN_FILENO) && !p.engine &&
	    strncmp(p.path, "pkcs11:", 7)) {
		prompted = prompt_password(p.path, k->stdin_busy);
		p.password = prompted;
		if (prompted)
			err = imaevm_signing_key_load(g->ctx, &p, key);
	}
	free_secret(prompted);
	if (err == -ENOKEY && !p.engine && strncmp(p.path, "pkcs11:", 7)) {
		cli_error(p.path, "the private key is encrypted: give its password with -p or EVMCTL_KEY_PASSWORD");
		return EXIT_FAILED;
	}
	if (err == -EACCES) {
		cli_error(p.path, "cannot decrypt the private key: wrong password");
		return EXIT_FAILED;
	}
	if (err == -ENOKEY) {
		cli_error(p.path, "no such private key on the token (or wrong PIN)");
		return EXIT_FAILED;
	}
	if (err == -EBADMSG) {
		cli_error(p.path, "not a PEM or DER private key");
		return EXIT_FAILED;
	}
	if (err == -EOPNOTSUPP) {
		cli_error(p.path, p.engine || !strncmp(p.path, "pkcs11:", 7) ?
			  "no OpenSSL engine or provider can load this key (see -v)" :
			  "unsupported key type (RSA, EC or SM2 keys sign IMA signatures)");
		return EXIT_FAILED;
	}
	if (err) {
		cli_error(p.path, "cannot load the private key: %s", imaevm_strerror(err));
		return EXIT_FAILED;
	}
	cli_info(g, 1, "signing key %s, key id %08x", p.path, imaevm_signing_key_id(*key));
	return 0;
}

int load_keyset(struct evmctl *g, const char *list, struct imaevm_keyset **ksp)
{
	struct imaevm_keyset *ks;
	char *copy, *name, *save = NULL;
	int err = 0;

	if (imaevm_keyset_new(&ks))
		return EXIT_FAILED;
	copy = strdup(list ? list : DEFAULT_VERIFY_KEY);
	if (!copy) {
		imaevm_keyset_free(ks);
		return EXIT_FAILED;
	}
	for (name = strtok_r(copy, ",", &save); name && !err;
	     name = strtok_r(NULL, ",", &save)) {
		int n = imaevm_keyset_add_file(g->ctx, ks, name);

		if (n < 0) {
			cli_error(name, "cannot load verification key: %s", n == -EBADMSG ?
				  "no certificate or public key in the file" : imaevm_strerror(n));
			err = EXIT_FAILED;
		}
	}
	free(copy);
	if (!err && imaevm_keyset_count(ks) == 0) {
		cli_error(NULL, "no verification key given");
		err = EXIT_USAGE;
	}
	if (err) {
		imaevm_keyset_free(ks);
		return err;
	}
	*ksp = ks;
	return 0;
}
