// SPDX-License-Identifier: GPL-2.0-or-later
/* keys.c - key options, password sources and key loading for evmctl commands. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <termios.h>
#include <unistd.h>

#include "input.h"
#include "keys.h"

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
		if (imaevm_keyid_parse(arg, &k->keyid)) {
			cli_error(NULL, "--keyid: '%s' is not a 32-bit hex value", arg);
			return EXIT_USAGE;
		}
		/* 0 is no key id: the kernel could never find the key */
		if (!k->keyid) {
			cli_error(NULL, "--keyid: 0 is not a key id");
			return EXIT_USAGE;
		}
		k->keyid_set = true;
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

/* Wipe and free a secret string (NULL is fine). */
static void free_secret(char *s)
{
	if (s) {
		explicit_bzero(s, strlen(s));
		free(s);
	}
}

/*
 * Read one line from stdin (or the terminal), without echo when it is a
 * terminal.  Read with read(2) into one buffer, so no stdio buffer or
 * grown-and-freed copy of the password is left behind.
 */
#define PASSWORD_MAX 1024
static char *prompt_password(const char *what, bool stdin_busy)
{
	struct termios old, quiet;
	int fd = STDIN_FILENO;
	bool tty, ok = false;
	size_t n = 0;
	char *line, c;

	if (stdin_busy) {
		/* stdin carries the data: only the terminal can give a password */
		fd = open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY);
		if (fd < 0)
			return NULL;
	}
	line = malloc(PASSWORD_MAX);
	if (!line) {
		if (fd != STDIN_FILENO)
			close(fd);
		return NULL;
	}
	tty = isatty(fd);
	if (tty) {
		/* echo goes off before the prompt shows: nothing typed is echoed */
		if (tcgetattr(fd, &old) == 0) {
			quiet = old;
			quiet.c_lflag &= ~(tcflag_t)ECHO;
			quiet.c_lflag |= ECHONL;
			if (tcsetattr(fd, TCSAFLUSH, &quiet) != 0)
				tty = false;
		} else {
			tty = false;
		}
		fprintf(stderr, "Password for %s: ", what);
		fflush(stderr);
	}
	for (;;) {
		ssize_t r = read(fd, &c, 1);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			ok = n > 0;	/* a last line without a newline counts */
			break;
		}
		if (c == '\n') {
			ok = true;
			break;
		}
		if (n == PASSWORD_MAX - 1)
			break;	/* too long: refuse rather than cut it */
		line[n++] = c;
	}
	explicit_bzero(&c, sizeof(c));
	if (tty)	/* TCSANOW: input typed after the password is kept */
		(void)tcsetattr(fd, TCSANOW, &old);
	if (fd != STDIN_FILENO)
		close(fd);
	line[n] = '\0';
	if (!ok) {
		explicit_bzero(line, PASSWORD_MAX);
		free(line);
		return NULL;
	}
	return line;
}

/*
 * A password in the arguments (-pPASS, --pass=PASS) is visible to every user
 * in ps and /proc/PID/cmdline: keep a private copy for load_signing_key(),
 * overwrite the argument in place (what /proc shows) and warn.  popt then
 * parses the overwritten argument and never holds the password.
 */
void take_argv_password(struct evmctl *g, char *value, bool warn)
{
	free_secret(g->argv_pass);
	g->argv_pass = strdup(value);
	if (g->argv_pass)
		memset(value, 'x', strlen(value));
	if (warn)
		fprintf(stderr, "evmctl: warning: a password on the command line is visible "
			"to other users (ps, /proc/PID/cmdline); set EVMCTL_KEY_PASSWORD "
			"or give -p alone to be prompted\n");
}

void drop_argv_password(struct evmctl *g)
{
	free_secret(g->argv_pass);
	g->argv_pass = NULL;
}

/* Say why the key at @p->path did not load (@err from imaevm_signing_key_load()). */
static void signing_key_error(const struct imaevm_key_params *p, int err)
{
	/* a FIFO, device or huge file: refused before it was read */
	if (input_lib_error(p->path, err, &input_key))
		return;
	if (err == -ENODEV && !strncasecmp(p->path, "file:", 5)) {
		cli_error(p->path, "not a regular file");
		return;
	}
	if (err == -ENOKEY && !p->engine && strncmp(p->path, "pkcs11:", 7)) {
		cli_error(p->path, "the private key is encrypted: give its password with -p or EVMCTL_KEY_PASSWORD");
		return;
	}
	if (err == -EACCES) {
		cli_error(p->path, "cannot decrypt the private key: wrong password");
		return;
	}
	if (err == -ENOKEY) {
		cli_error(p->path, "no such private key on the token (or wrong PIN)");
		return;
	}
	if (err == -EBADMSG) {
		cli_error(p->path, "not a PEM or DER private key");
		return;
	}
	if (err == -EOPNOTSUPP) {
		/* a URI (no file of that name): what could load it is missing */
		cli_error(p->path, p->engine || (strchr(p->path, ':') && access(p->path, F_OK)) ?
			  "no OpenSSL engine or provider can load this key (see -v)" :
			  "unsupported key type (RSA, EC or SM2 keys sign IMA signatures)");
		return;
	}
	cli_error(p->path, "cannot load the private key: %s", imaevm_strerror(err));
}

int load_signing_key(struct evmctl *g, const struct key_opts *k,
		     struct imaevm_signing_key **key)
{
	struct imaevm_key_params p = {
		.path = k->key ? k->key : DEFAULT_SIGNING_KEY,
		.engine = g->engine,
	};
	char *prompted = NULL, *env_pass = NULL;
	int err;

	if (k->rsa) {
		cli_error(NULL, "signing v1 (--rsa) is not supported; drop --rsa to make v2 signatures");
		return -EOPNOTSUPP;
	}
	if (k->keyid_set) {
		p.keyid = k->keyid;
		p.keyid_set = 1;
	} else if (k->keyid_cert) {
		err = imaevm_keyid_from_cert(g->ctx, k->keyid_cert, &p.keyid);
		if (err) {
			if (!input_lib_error(k->keyid_cert, err, &input_cert))
				cli_error(k->keyid_cert, "cannot take the key id: %s",
					  imaevm_strerror(err));
			return err;
		}
		p.keyid_set = 1;
	}
	if (k->pass_given && k->pass) {
		/* the argument itself was overwritten by take_argv_password() */
		p.password = g->argv_pass ? g->argv_pass : k->pass;
	} else if (k->pass_given) {
		prompted = prompt_password(p.path, k->stdin_busy);
		if (!prompted) {
			cli_error(p.path, "no password could be read");
			return -EIO;
		}
		p.password = prompted;
	} else {
		env_pass = getenv("EVMCTL_KEY_PASSWORD");
		p.password = env_pass;
	}
	err = imaevm_signing_key_load(g->ctx, &p, key);
	if (err == -ENOKEY && !p.password && isatty(STDIN_FILENO) && !p.engine &&
	    strncmp(p.path, "pkcs11:", 7)) {
		prompted = prompt_password(p.path, k->stdin_busy);
		p.password = prompted;
		if (prompted)
			err = imaevm_signing_key_load(g->ctx, &p, key);
	}
	/* the key is loaded once per run: no copy of the password is needed now */
	free_secret(prompted);
	drop_argv_password(g);
	if (env_pass)
		explicit_bzero(env_pass, strlen(env_pass));
	if (err) {
		signing_key_error(&p, err);
		return err;
	}
	cli_info(g, 1, "signing key %s, key id %08x", p.path, imaevm_signing_key_id(*key));
	return 0;
}

int load_keyset(struct evmctl *g, const char *list, struct imaevm_keyset **ksp)
{
	struct imaevm_keyset *ks;
	char *copy, *name, *save = NULL;
	int err = 0, given = 0;

	if (imaevm_keyset_new(&ks))
		return -ENOMEM;
	copy = strdup(list ? list : DEFAULT_VERIFY_KEY);
	if (!copy) {
		imaevm_keyset_free(ks);
		return -ENOMEM;
	}
	for (name = strtok_r(copy, ",", &save); name;
	     name = strtok_r(NULL, ",", &save)) {
		int n = imaevm_keyset_add_file(g->ctx, ks, name);

		/* as the old tool: the other keys of the list still serve */
		if (n < 0)
			cli_warn("%s: cannot load verification key: %s (skipped)", name, n == -EBADMSG ?
				 "no certificate, public key or unencrypted private key in the file" :
				 input_error_text(name, n, &input_key) ?
				 input_error_text(name, n, &input_key) : imaevm_strerror(n));
		else
			given++;
	}
	free(copy);
	if (!given) {
		cli_error(NULL, "no verification key could be loaded");
		err = -ENOKEY;
	}
	if (err) {
		imaevm_keyset_free(ks);
		return err;
	}
	*ksp = ks;
	return 0;
}
