// SPDX-License-Identifier: GPL-2.0-or-later
/* options.c - the option groups of evmctl and command-line parsing with popt. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "evmctl.h"
#include "keys.h"

#define OPT(l, s, flags, code, desc, argname) \
	{ l, s, flags, NULL, code, desc, argname }
#define OPT_STR POPT_ARG_STRING
#define OPT_OPTSTR (POPT_ARG_STRING | POPT_ARGFLAG_OPTIONAL)

const struct poptOption opts_global[] = {
	OPT(NULL, 'v', POPT_ARG_NONE, OPT_VERBOSE, "increase verbosity (repeatable)", NULL),
	OPT("version", '\0', POPT_ARG_NONE, OPT_VERSION, "print the version and exit", NULL),
	OPT("help", 'h', POPT_ARG_NONE, OPT_HELP, "show help and exit", NULL),
	OPT("engine", '\0', OPT_STR, OPT_ENGINE, "load an OpenSSL engine (deprecated)", "ENGINE"),
	OPT("provider", '\0', OPT_STR, OPT_PROVIDER, "load an OpenSSL provider", "PROVIDER"),
	POPT_TABLEEND
};

const struct poptOption opts_hash[] = {
	OPT("hashalgo", 'a', OPT_STR, OPT_HASHALGO,
	    "hash algorithm: sha1, sha224, sha256, sha384, sha512, sm3, streebog256, streebog512, ... (default: sha256)",
	    "ALGO"),
	POPT_TABLEEND
};

const struct poptOption opts_xattr_user[] = {
	OPT("xattr-user", '\0', POPT_ARG_NONE, OPT_XATTR_USER,
	    "use user.ima/user.evm instead of security.* (for tests without root)", NULL),
	POPT_TABLEEND
};

const struct poptOption opts_noxattr[] = {
	OPT(NULL, 'n', POPT_ARG_NONE, OPT_NOXATTR, "print the result only; do not write xattrs", NULL),
	POPT_TABLEEND
};

const struct poptOption opts_sigfile[] = {
	OPT("sigfile", 'f', POPT_ARG_NONE, OPT_SIGFILE, "use FILE.sig instead of the xattr", NULL),
	POPT_TABLEEND
};

const struct poptOption opts_recursive[] = {
	OPT("recursive", 'r', POPT_ARG_NONE, OPT_RECURSIVE, "recurse into directories", NULL),
	POPT_TABLEEND
};

const struct poptOption opts_jobs[] = {
	OPT("jobs", 'j', OPT_STR, OPT_JOBS, "worker threads (default: one per CPU)", "N"),
	POPT_TABLEEND
};

int parse_jobs(const char *arg, unsigned int *jobs)
{
	char *end;
	unsigned long n;

	errno = 0;
	n = strtoul(arg, &end, 10);
	if (errno || end == arg || *end || n > 1024 || arg[0] == '-') {
		cli_error(NULL, "--jobs '%s': expected a number from 0 to 1024", arg);
		return EXIT_USAGE;
	}
	*jobs = (unsigned int)n;
	return 0;
}

const struct poptOption opts_type[] = {
	OPT("type", 't', OPT_STR, OPT_TYPE,
	    "file types: f regular, d directory, s symlink, x skip labelled, m one filesystem", "fdsxm"),
	POPT_TABLEEND
};

/* The key options of the signing commands. */
const struct poptOption opts_private_key[] = {
	OPT("key", 'k', OPT_STR, OPT_KEY,
	    "private key file (PEM/DER) or pkcs11: URI (default: " DEFAULT_SIGNING_KEY ")", "KEY"),
	OPT("pass", 'p', OPT_OPTSTR, OPT_PASS,
	    "password or PIN: -pPASS or --pass=PASS; a bare -p asks for it", "PASSWORD"),
	OPT("keyid", '\0', OPT_STR, OPT_KEYID, "32-bit key id in hex to put in signatures", "HEX"),
	OPT("keyid-from-cert", '\0', OPT_STR, OPT_KEYID_FROM_CERT,
	    "take the key id from the certificate's subject key identifier", "CERT"),
	POPT_TABLEEND
};

/* The signature forms of ima_sign and sign_hash. */
const struct poptOption opts_sign_key[] = {
	OPT("veritysig", '\0', POPT_ARG_NONE, OPT_VERITYSIG, "signature v3 over the fs-verity digest", NULL),
	OPT("rsa", '\0', POPT_ARG_NONE, OPT_RSA, "signature v1 (refused: signing v1 is not supported)", NULL),
	POPT_TABLEEND
};

/* What sign and hmac write to security.ima first. */
const struct poptOption opts_evm_sign_key[] = {
	OPT("imasig", 's', POPT_ARG_NONE, OPT_IMASIG,
	    "first write an IMA signature of the content to security.ima", NULL),
	OPT("imahash", 'd', POPT_ARG_NONE, OPT_IMAHASH,
	    "first write the content digest to security.ima", NULL),
	POPT_TABLEEND
};

/* -k of the verifying commands: the same option, naming certificates (same code). */
const struct poptOption opts_verify_key[] = {
	OPT("key", 'k', OPT_STR, OPT_KEY,
	    "certificate(s) or public keys, comma-separated (default: " DEFAULT_VERIFY_KEY ")",
	    "CERT[,CERT...]"),
	POPT_TABLEEND
};

const struct poptOption opts_evm[] = {
	OPT("portable", 'o', POPT_ARG_NONE, OPT_PORTABLE, "portable EVM signature", NULL),
	OPT("uuid", 'u', OPT_OPTSTR, OPT_UUID, "filesystem UUID (empty: none)", "UUID"),
	OPT("smack", '\0', POPT_ARG_NONE, OPT_SMACK, "include the extra SMACK xattrs", NULL),
	OPT("m32", '\0', POPT_ARG_NONE, OPT_M32, "metadata layout of a 32-bit target", NULL),
	OPT("m64", '\0', POPT_ARG_NONE, OPT_M64, "metadata layout of a 64-bit target", NULL),
	OPT("inode", '\0', OPT_STR, OPT_INO, "inode number to use (decimal; --ino also works)", "INO"),
	OPT("uid", '\0', OPT_STR, OPT_UID, "uid to use (decimal)", "UID"),
	OPT("gid", '\0', OPT_STR, OPT_GID, "gid to use (decimal)", "GID"),
	OPT("mode", '\0', OPT_STR, OPT_MODE, "st_mode to use, in decimal as the old tool (33188 = 0100644)", "MODE"),
	OPT("generation", '\0', OPT_STR, OPT_GENERATION, "inode generation to use (empty: 0)", "GEN"),
	OPT("ima", '\0', OPT_STR, OPT_IMA, "security.ima value to use (hex)", "HEX"),
	OPT("selinux", '\0', OPT_STR, OPT_SELINUX, "SELinux label to use (hashed with its NUL)", "LABEL"),
	OPT("caps", '\0', OPT_OPTSTR, OPT_CAPS,
	    "security.capability to use: the bytes of CAPS (bare or empty: none)", "CAPS"),
	OPT(NULL, 'i', POPT_ARG_NONE, OPT_IMMUTABLE,
	    "immutable signature as ima-evm-utils 1.6.2 makes it (type 0x03 v3: uid, gid, mode only)",
	    NULL),
	POPT_TABLEEND
};

/* hmac only: apart from opts_evm so that sign, verify and evm_digest do not list it */
const struct poptOption opts_hmackey[] = {
	OPT("hmackey", '\0', OPT_STR, OPT_HMACKEY, "EVM HMAC key file (default /etc/keys/evm-key-plain)", "FILE"),
	POPT_TABLEEND
};

const struct poptOption opts_attest[] = {
	OPT("verify-sig", '\0', POPT_ARG_NONE, OPT_VERIFY_SIG, "verify the signatures in the list", NULL),
	OPT("pcrs", '\0', OPT_STR, OPT_PCRS, "PCR values of a bank from a file", "[ALGO,]FILE"),
	OPT("verify-bank", '\0', OPT_OPTSTR, OPT_VERIFY_BANK, "verify only this bank (bare: sha256)", "ALGO"),
	OPT("list-bank", '\0', OPT_STR, OPT_LIST_BANK,
	    "the list is the per-bank list of bank ALGO (default: from a name ending in _ALGO)", "ALGO"),
	OPT("hwtpm", '\0', POPT_ARG_NONE, OPT_HWTPM, "read PCRs from the TPM through sysfs", NULL),
	OPT("tcti", '\0', OPT_STR, OPT_TCTI, "TPM 2.0 TCTI, e.g. device:/dev/tpmrm0", "TCTI"),
	OPT("aggregate-pcrs", '\0', OPT_STR, OPT_AGGREGATE_PCRS,
	    "boot_aggregate over PCRs 0..N in every bank (7: kernels 5.8/5.9)", "N"),
	POPT_TABLEEND
};

/* ima_measurement and ima_attest */
const struct poptOption opts_violations[] = {
	OPT("ignore-violations", '\0', POPT_ARG_NONE, OPT_IGNORE_VIOLATIONS, "ignore ToMToU violations", NULL),
	POPT_TABLEEND
};

/* ima_measurement, ima_attest and ima_setxattr --manifest */
const struct poptOption opts_json[] = {
	OPT("json", '\0', POPT_ARG_NONE, OPT_JSON, "machine-readable output (JSON)", NULL),
	POPT_TABLEEND
};

/* ima_measurement and ima_attest: which PCRs the list must account for */
const struct poptOption opts_pcr_rules[] = {
	OPT("ima-pcr", '\0', OPT_STR, OPT_IMA_PCR,
	    "PCRs IMA extends (default 10): always compared, entry 1 is their boot_aggregate", "LIST"),
	OPT("account-pcrs", '\0', OPT_STR, OPT_ACCOUNT_PCRS,
	    "further PCRs the list must account for: compared even without entries", "LIST"),
	POPT_TABLEEND
};

/* ima_measurement and ima_attest: incremental replay */
const struct poptOption opts_state[] = {
	OPT("state", '\0', OPT_STR, OPT_STATE,
	    "continue from where the last passing run ended; record this run there", "FILE"),
	POPT_TABLEEND
};

/* == remote attestation == */
const struct poptOption opts_quote[] = {
	OPT("quote", '\0', OPT_STR, OPT_QUOTE, "the quote: TPMS_ATTEST (tpm2_quote -m)", "FILE"),
	OPT("quote-sig", '\0', OPT_STR, OPT_QUOTE_SIG, "its signature: TPMT_SIGNATURE (tpm2_quote -s)", "FILE"),
	OPT("ak", '\0', OPT_STR, OPT_AK, "attestation key: PEM, or TPM2B_PUBLIC (tpm2_createak -u)", "FILE"),
	OPT("nonce", '\0', OPT_STR, OPT_NONCE, "expected qualifying data, in hex", "HEX"),
	OPT("nonce-file", '\0', OPT_STR, OPT_NONCE_FILE, "expected qualifying data, raw bytes", "FILE"),
	OPT("eventlog", '\0', OPT_STR, OPT_EVENTLOG, "firmware event log for PCRs 0-9 and boot_aggregate (alone: no IMA)", "FILE"),
	OPT("quote-pcrs", '\0', OPT_STR, OPT_QUOTE_PCRS,
	    "quoted PCR values (tpm2_quote -o FILE -F values): name the PCR that differs", "FILE"),
	POPT_TABLEEND
};

const struct poptOption opts_policy[] = {
	OPT("policy", '\0', OPT_STR, OPT_POLICY, "check every measured file against a manifest or keylime runtime policy (repeatable)", "FILE"),
	OPT("policy-any-path", '\0', POPT_ARG_NONE, OPT_POLICY_ANY_PATH,
	    "a digest of the policy is allowed under any path", NULL),
	OPT("policy-exclude", '\0', OPT_STR, OPT_POLICY_EXCLUDE,
	    "do not check paths matching this glob (repeatable)", "GLOB"),
	POPT_TABLEEND
};

const struct poptOption opts_manifest[] = {
	OPT("manifest", '\0', OPT_STR, OPT_MANIFEST, "also write each digest and path to a manifest", "FILE"),
	OPT("manifest-root", '\0', OPT_STR, OPT_MANIFEST_ROOT,
	    "the tree's root: paths in the manifest are relative to it, written from /", "DIR"),
	POPT_TABLEEND
};

/* ima_hash --manifest-format */
const struct poptOption opts_manifest_format[] = {
	OPT("manifest-format", '\0', OPT_STR, OPT_MANIFEST_FORMAT,
	    "the manifest's format: evmctl (default) or keylime (a runtime policy)", "FORMAT"),
	POPT_TABLEEND
};

/* ima_setxattr --manifest */
const struct poptOption opts_apply_manifest[] = {
	OPT("manifest", '\0', OPT_STR, OPT_MANIFEST, "apply a signature manifest (- for stdin)", "FILE"),
	OPT("root", '\0', OPT_STR, OPT_ROOT, "the manifest's paths are below DIR (default /)", "DIR"),
	POPT_TABLEEND
};

#define INCLUDE(t, title) { NULL, '\0', POPT_ARG_INCLUDE_TABLE, (void *)(t), 0, title, NULL }

/* Every option of every command: the old tool accepted them anywhere. */
static const struct poptOption opts_all[] = {
	INCLUDE(opts_global, NULL),
	INCLUDE(opts_hash, NULL),
	INCLUDE(opts_xattr_user, NULL),
	INCLUDE(opts_noxattr, NULL),
	INCLUDE(opts_sigfile, NULL),
	INCLUDE(opts_recursive, NULL),
	INCLUDE(opts_type, NULL),
	INCLUDE(opts_jobs, NULL),
	INCLUDE(opts_private_key, NULL),
	INCLUDE(opts_sign_key, NULL),
	INCLUDE(opts_evm_sign_key, NULL),
	INCLUDE(opts_verify_key, NULL),
	INCLUDE(opts_evm, NULL),
	INCLUDE(opts_hmackey, NULL),
	INCLUDE(opts_attest, NULL),
	INCLUDE(opts_violations, NULL),
	INCLUDE(opts_json, NULL),
	INCLUDE(opts_pcr_rules, NULL),
	INCLUDE(opts_state, NULL),
	INCLUDE(opts_quote, NULL),
	INCLUDE(opts_policy, NULL),
	INCLUDE(opts_manifest, NULL),
	INCLUDE(opts_manifest_format, NULL),
	INCLUDE(opts_apply_manifest, NULL),
	POPT_TABLEEND
};

static const char *option_name(poptContext pc)
{
	return poptBadOption(pc, POPT_BADOPTION_NOALIAS);
}

/* "--name" or "-c" of the option with @code, for messages. */
static const char *option_label(int code, char *buf, size_t size)
{
	const struct poptOption *grp, *o;

	for (grp = opts_all; grp->argInfo; grp++)
		for (o = grp->arg; o->longName || o->shortName; o++)
			if (o->val == code) {
				if (o->longName)
					snprintf(buf, size, "--%s", o->longName);
				else
					snprintf(buf, size, "-%c", o->shortName);
				return buf;
			}
	return "?";
}

static bool group_has(const struct poptOption *t, int code)
{
	for (; t->longName || t->shortName || t->argInfo; t++)
		if (t->val == code)
			return true;
	return false;
}

static bool command_has(const struct command *cmd, int code)
{
	const struct poptOption *const *g;

	for (g = cmd->groups; g && *g; g++)
		if (group_has(*g, code))
			return true;
	return false;
}

static poptContext new_context(int argc, const char **argv)
{
	/* No config files or aliases: behaviour must not depend on $HOME. */
	return poptGetContext("evmctl", argc, argv, opts_all, 0);
}

/*
 * The long options of ima-evm-utils 1.6.2, whose getopt took any
 * unambiguous prefix ("--hash" for --hashalgo).  A prefix that names one of
 * these keeps that meaning even where an option of ours shares it ("--t"
 * is --type, though --tcti also begins so).
 */
static const char *const old_long_names[] = {
	"caps", "engine", "gid", "generation", "hashalgo", "help", "hmackey", "hwtpm",
	"ignore-violations", "ima", "imahash", "imasig", "inode", "key", "keyid",
	"keyid-from-cert", "m32", "m64", "mode", "pass", "pcrs", "portable", "provider",
	"recursive", "rsa", "selinux", "sigfile", "smack", "type", "uid", "uuid",
	"verify-bank", "verify-sig", "veritysig", "version", "xattr-user",
};

/* The option table entry with long name @name (NULL if none). */
static const struct poptOption *find_long(const char *name, size_t len)
{
	const struct poptOption *grp, *o;

	for (grp = opts_all; grp->argInfo; grp++)
		for (o = grp->arg; o->longName || o->shortName; o++)
			if (o->longName && strlen(o->longName) == len &&
			    !strncmp(o->longName, name, len))
				return o;
	return NULL;
}

static const struct poptOption *find_short(char c)
{
	const struct poptOption *grp, *o;

	for (grp = opts_all; grp->argInfo; grp++)
		for (o = grp->arg; o->longName || o->shortName; o++)
			if (o->shortName == c)
				return o;
	return NULL;
}

static bool takes_next_word(const struct poptOption *o)
{
	return o && (o->argInfo & POPT_ARG_MASK) != POPT_ARG_NONE &&
	       !(o->argInfo & POPT_ARGFLAG_OPTIONAL);
}

/* Every long name beginning with @len bytes of @name, counted; one kept. */
static size_t prefix_matches(const char *name, size_t len, bool old_only,
			     const char **found)
{
	const struct poptOption *grp, *o;
	size_t i, n = 0;

	if (old_only) {
		for (i = 0; i < sizeof(old_long_names) / sizeof(old_long_names[0]); i++)
			if (!strncmp(old_long_names[i], name, len)) {
				*found = old_long_names[i];
				n++;
			}
		return n;
	}
	for (grp = opts_all; grp->argInfo; grp++)
		for (o = grp->arg; o->longName || o->shortName; o++)
			if (o->longName && !strncmp(o->longName, name, len) &&
			    (!n || strcmp(*found, o->longName))) {
				*found = o->longName;
				n++;
			}
	return n;
}

static void print_candidates(const char *name, size_t len)
{
	const struct poptOption *grp, *o;

	fprintf(stderr, "evmctl: option '--%.*s' is ambiguous; possibilities:", (int)len, name);
	for (grp = opts_all; grp->argInfo; grp++)
		for (o = grp->arg; o->longName || o->shortName; o++)
			if (o->longName && !strncmp(o->longName, name, len))
				fprintf(stderr, " --%s", o->longName);
	fputc('\n', stderr);
}

/* The expanded words: argv points at them until exit. */
static char **expanded;
static size_t n_expanded;

static void free_expanded(void)
{
	while (n_expanded)
		free(expanded[--n_expanded]);
	free(expanded);
	expanded = NULL;
}

static const char *keep_expanded(char *s)
{
	char **grown = realloc(expanded, (n_expanded + 1) * sizeof(*grown));

	if (!grown) {
		free(s);
		return NULL;
	}
	if (!expanded)
		atexit(free_expanded);
	expanded = grown;
	expanded[n_expanded++] = s;
	return s;
}

static bool optional_value(const struct poptOption *o)
{
	return o && o->longName && (o->argInfo & POPT_ARGFLAG_OPTIONAL);
}

/* "--PREFIX[=VALUE]" with the full name of @full: a word kept until exit. */
static const char *expand_word(const char *full, const char *rest)
{
	char *word = malloc(strlen(full) + strlen(rest) + 3);

	if (!word || !keep_expanded(word))
		return NULL;
	sprintf(word, "--%s%s", full, rest);
	return word;
}

/*
 * One pass over argv before popt sees it:
 * - a prefix of a long option becomes the full name, as getopt_long took it;
 * - getopt's rule for optional values, which the old tool followed: only an
 *   attached value counts ("--uuid=X", "-uX", "-pPASS"); popt would take the
 *   next word ("-u file" would read the file name as the UUID, "-p FILE" the
 *   file name as the password), so a bare one becomes "--NAME=";
 * - a password in the arguments is copied out and overwritten (keys.c).
 * The argument of an option that takes the next word is skipped.
 */
int argv_prepare(struct evmctl *g, int argc, const char **argv)
{
	bool warned = false;
	int i;

	for (i = 1; i < argc && strcmp(argv[i], "--"); i++) {
		const char *a = argv[i], *eq, *full = NULL, *form;
		const struct poptOption *o;
		size_t len;

		if (a[0] != '-')
			continue;
		if (a[1] != '-') {
			if (a[1] == 'p' && a[2]) {
				take_argv_password(g, (char *)a + 2, !warned);
				warned = true;
			} else if (a[1] && !a[2] && optional_value(o = find_short(a[1]))) {
				form = expand_word(o->longName, "=");
				if (!form)
					goto nomem;
				argv[i] = form;
			} else if (a[1] && !a[2] && takes_next_word(find_short(a[1]))) {
				i++;	/* "-k KEY": the key is not an option, whatever it looks like */
			}
			continue;
		}
		eq = strchr(a + 2, '=');
		len = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
		if (!len)
			continue;
		o = find_long(a + 2, len);
		if (!o) {
			if (prefix_matches(a + 2, len, true, &full) != 1 &&
			    prefix_matches(a + 2, len, false, &full) > 1) {
				print_candidates(a + 2, len);
				return EXIT_USAGE;
			}
			if (!full)
				continue;	/* unknown: popt says so */
			o = find_long(full, strlen(full));
			form = expand_word(full, a + 2 + len);
			if (!form)
				goto nomem;
			argv[i] = form;
			/* the expanded copy is wiped below; so is the original */
			if (eq && !strcmp(full, "pass"))
				memset((char *)eq + 1, 'x', strlen(eq + 1));
			eq = strchr(argv[i] + 2, '=');
		}
		if (eq && !strcmp(o->longName, "pass") && eq[1]) {
			take_argv_password(g, (char *)eq + 1, !warned);
			warned = true;
		} else if (!eq && optional_value(o)) {
			form = expand_word(o->longName, "=");
			if (!form)
				goto nomem;
			argv[i] = form;
		} else if (!eq && takes_next_word(o)) {
			i++;
		}
	}
	return 0;
nomem:
	cli_error(NULL, "out of memory");
	return EXIT_FAILED;
}

static int keep_string(struct evmctl *g, char *s)
{
	char **grown = realloc(g->opt_args, (g->n_opt_args + 1) * sizeof(*grown));

	if (!grown)
		return -1;
	g->opt_args = grown;
	g->opt_args[g->n_opt_args++] = s;
	return 0;
}

void cli_free_strings(struct evmctl *g)
{
	if (g->pc)
		poptFreeContext(g->pc);
	g->pc = NULL;
	g->args = NULL;
	free(g->opts);
	g->opts = NULL;
	g->n_opts = 0;
	while (g->n_opt_args)
		free(g->opt_args[--g->n_opt_args]);
	free(g->opt_args);
	g->opt_args = NULL;
}

static int keep_option(struct evmctl *g, int code, const char *arg)
{
	struct cli_option *grown = realloc(g->opts, (g->n_opts + 1) * sizeof(*grown));

	if (!grown)
		return -ENOMEM;
	g->opts = grown;
	g->opts[g->n_opts++] = (struct cli_option){ code, arg };
	return 0;
}

int cli_parse_argv(struct evmctl *g, int argc, const char **argv)
{
	poptContext pc = new_context(argc, argv);
	int rc;

	while ((rc = poptGetNextOpt(pc)) > 0) {
		char *arg = poptGetOptArg(pc);

		/* popt hands over the string; commands keep pointers until exit */
		if (arg && keep_string(g, arg) < 0) {
			free(arg);
			arg = NULL;
			rc = -ENOMEM;
		}
		if (rc == -ENOMEM || keep_option(g, rc, arg) < 0) {
			cli_error(NULL, "out of memory");
			poptFreeContext(pc);
			return EXIT_FAILED;
		}
	}
	if (rc < -1) {
		fprintf(stderr, "evmctl: %s: %s\n", option_name(pc), poptStrerror(rc));
		poptFreeContext(pc);
		return EXIT_USAGE;
	}
	g->pc = pc;
	g->args = poptGetArgs(pc);
	return 0;
}

static bool has_upper(const char *s)
{
	for (; *s; s++)
		if (*s >= 'A' && *s <= 'Z')
			return true;
	return false;
}

static int handle_global(struct evmctl *g, int code, const char *arg)
{
	if (code == OPT_VERBOSE)
		g->verbose++;
	else if (code == OPT_ENGINE || code == OPT_PROVIDER) {
		if (code == OPT_ENGINE)
			g->engine = arg;
		return cli_add_crypto(g, arg, code == OPT_ENGINE);
	}
	/* --version and --help were acted on before the command ran */
	return 0;
}

/* -a for a command that uses it: the kernel's names only, lowercase. */
static int resolve_algo(struct evmctl *g)
{
	if (!g->algo_name)
		g->algo_name = "sha256";
	g->algo = imaevm_hash_algo_by_name(g->algo_name);
	if (g->algo >= 0 && !has_upper(g->algo_name))
		return 0;
	cli_error(NULL, "unknown hash algorithm '%s'%s", g->algo_name, has_upper(g->algo_name) ?
		  " (names are the kernel's, lowercase: sha256, ...)" : "");
	return EXIT_FAILED;
}

/*
 * The options several commands share, kept in @g for the command and for
 * what cli_parse() makes ready: 0 when taken, OPTION_UNUSED when @code is
 * not one of them, or EXIT_USAGE (message printed).
 */
static int take_shared(struct evmctl *g, int code, const char *arg)
{
	switch (code) {
	case OPT_XATTR_USER:
		g->xattr_user = true;
		return 0;
	case OPT_NOXATTR:
		g->print_only = true;
		return 0;
	case OPT_SIGFILE:
		g->sigfile = true;
		return 0;
	case OPT_RECURSIVE:
		g->walk.recursive = true;
		return 0;
	case OPT_JOBS:
		g->jobs_given = true;
		return parse_jobs(arg, &g->walk.jobs);
	case OPT_IMASIG:
		g->imasig = true;
		return 0;
	case OPT_IMAHASH:
		g->imahash = true;
		return 0;
	case OPT_MANIFEST:
		g->manifest.file = arg;
		return 0;
	case OPT_MANIFEST_ROOT:
		g->manifest.root = arg;
		return 0;
	case OPT_MANIFEST_FORMAT:
		if (strcmp(arg, "evmctl") && strcmp(arg, "keylime")) {
			cli_error(NULL, "--manifest-format '%s': expected evmctl or keylime", arg);
			return EXIT_USAGE;
		}
		g->manifest.format = arg;
		return 0;
	}
	return key_option(&g->key, code, arg);
}

/* How the shared options combine: 0 or EXIT_USAGE (message printed). */
static int check_shared(const struct evmctl *g, const struct command *cmd)
{
	if (g->imasig && g->imahash) {
		cli_error(NULL, "%s: --imasig and --imahash both write security.ima; give one",
			  cmd->name);
		return EXIT_USAGE;
	}
	if ((g->manifest.root || g->manifest.format) && !g->manifest.file) {
		cli_error(NULL, "%s needs --manifest FILE",
			  g->manifest.root ? "--manifest-root" : "--manifest-format");
		return EXIT_USAGE;
	}
	return 0;
}

/* What @cmd->needs after its options are checked: keys and the walk. */
static int make_ready(struct evmctl *g, const struct command *cmd)
{
	int err;

	if (cmd->needs & CMD_SIGNING_KEY) {
		/* the key is loaded once for the whole run */
		err = load_signing_key(g, &g->key, &g->signing_key);
		if (err)
			return EXIT_FAILED;
	}
	if (cmd->needs & CMD_KEYSET) {
		err = load_keyset(g, g->key.key, &g->keyset);
		if (err == -ENOMEM)
			cli_error(NULL, "out of memory");
		if (err)
			return EXIT_FAILED;
	}
	if (cmd->needs & CMD_WALK)
		g->walk.progress = true;
	return 0;
}

int cli_parse(struct evmctl *g, const struct command *cmd, option_fn fn, void *state,
	      const char ***operands)
{
	size_t i;
	int err = 0;

	for (i = 0; i < g->n_opts && !err; i++) {
		int code = g->opts[i].code;
		const char *arg = g->opts[i].arg;
		char label[64];

		if (code == OPT_HASHALGO && (cmd->needs & CMD_ALGO)) {
			g->algo_name = arg;
			g->algo_given = true;
			continue;
		}
		if (group_has(opts_global, code))
			err = handle_global(g, code, arg);
		else if (!command_has(cmd, code))
			err = OPTION_UNUSED;
		else if ((err = take_shared(g, code, arg)) == OPTION_UNUSED && fn)
			err = fn(state, code, arg);
		if (err == OPTION_UNUSED) {
			cli_warn("option %s has no effect with %s",
				 option_label(code, label, sizeof(label)), cmd->name);
			err = 0;
		}
	}
	if (err)
		return err;
	/* library detail: warnings by default, more with -v and -vv */
	imaevm_ctx_set_log(g->ctx, cli_log_to_stderr, NULL,
			   g->verbose >= 2 ? LOG_DEBUG : g->verbose ? LOG_INFO : LOG_WARNING);
	/* before any key or digest is looked up, and with messages routed */
	err = cli_load_crypto(g);
	if (err)
		return err;
	/* skip the command name */
	*operands = g->args && g->args[0] ? g->args + 1 : NULL;
	if ((cmd->needs & CMD_FILES) && (!*operands || !(*operands)[0])) {
		cli_error(NULL, "%s: no file given (see 'evmctl help %s')",
			  cmd->name, cmd->name);
		return EXIT_USAGE;
	}
	if ((cmd->needs & CMD_STDIN) && *operands && (*operands)[0]) {
		cli_error(NULL, "%s reads its input from standard input, not '%s'",
			  cmd->name, (*operands)[0]);
		return EXIT_USAGE;
	}
	/* a password prompt must not eat the data */
	g->key.stdin_busy = cmd->needs & CMD_STDIN;
	if ((cmd->needs & CMD_ALGO) && (err = resolve_algo(g)))
		return err;
	if ((err = check_shared(g, cmd)))
		return err;
	if (fn && (err = fn(state, OPTIONS_DONE, NULL)) != 0 && err != OPTION_UNUSED)
		return err;
	return make_ready(g, cmd);
}

/* Long name of a popt help line ("  -a, --hashalgo=ALGO   ..."), or NULL. */
static const char *help_line_name(const char *line, size_t *len)
{
	const char *p = line + strspn(line, " ");

	if (p == line || p > line + 6 || *p != '-' || !(p = strstr(p, "--")) || p > line + 10)
		return NULL;
	p += 2;
	*len = strcspn(p, "=[ \n");
	return p;
}

void cli_print_all_options(FILE *out)
{
	char *text = NULL, *line, *save = NULL, seen[2048] = " ";
	size_t size = 0, len;
	bool skipping = false;
	poptContext pc;
	FILE *mem;

	mem = open_memstream(&text, &size);
	if (!mem)
		return;
	pc = poptGetContext("evmctl", 0, NULL, opts_all, 0);
	poptPrintHelp(pc, mem, 0);
	poptFreeContext(pc);
	if (fclose(mem) || !text)
		goto out;
	/* drop popt's own usage line; print an option listed twice once */
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		const char *name = help_line_name(line, &len);
		char key[64];

		if (!strncmp(line, "Usage:", 6))
			continue;
		if (name) {
			snprintf(key, sizeof(key), " %.*s ", (int)len, name);
			skipping = strstr(seen, key) != NULL;
			if (!skipping && strlen(seen) + strlen(key) < sizeof(seen))
				strcat(seen, key + 1);
		} else if (line[strspn(line, " ")] == '-') {
			skipping = false;	/* a short option alone */
		}
		if (!skipping)
			fprintf(out, "%s\n", line);
	}
out:
	free(text);
}

void cli_print_command_help(const struct command *cmd, FILE *out)
{
	struct poptOption table[16];
	const struct poptOption *const *grp;
	size_t n = 0;
	poptContext pc;
	char usage[512];

	for (grp = cmd->groups; grp && *grp && n < sizeof(table) / sizeof(table[0]) - 2; grp++)
		table[n++] = (struct poptOption)INCLUDE(*grp, NULL);
	table[n++] = (struct poptOption)INCLUDE(opts_global, "Global options:");
	table[n] = (struct poptOption)POPT_TABLEEND;
	pc = poptGetContext("evmctl", 0, NULL, table, 0);
	snprintf(usage, sizeof(usage), "evmctl %s %s\n\n%s\n", cmd->name, cmd->usage, cmd->summary);
	poptSetOtherOptionHelp(pc, usage);
	poptPrintHelp(pc, out, 0);
	poptFreeContext(pc);
}
