/* SPDX-License-Identifier: GPL-2.0-or-later */
/* evmctl.h - declarations shared by the evmctl command files. */
#ifndef EVMCTL_H
#define EVMCTL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <popt.h>

#include "imaevm.h"
#include "util.h"
#include "walk.h"

/* Exit status, documented in evmctl(1). */
enum {
	EXIT_OK = 0,
	EXIT_FAILED = 1,	/* an operation or a verification failed */
	EXIT_USAGE = 2,		/* bad command line */
};

/* -k, -p, --keyid, --keyid-from-cert, --rsa as given on the command line. */
struct key_opts {
	const char *key;	/* a private key, or the certificates of a verifying command */
	const char *pass;
	bool pass_given;	/* -p seen, with or without a value */
	uint32_t keyid;		/* --keyid, checked when given */
	bool keyid_set;
	const char *keyid_cert;
	bool rsa;		/* --rsa: signature v1, refused for signing */
	bool stdin_busy;	/* stdin carries data: prompt on /dev/tty */
};

/* Run-wide settings of one evmctl invocation (owned by main). */
struct evmctl {
	struct imaevm_ctx *ctx;
	int verbose;
	const char *engine;	/* --engine: OpenSSL engine holding the private key */
	/* --engine and --provider in command-line order, loaded by crypto-load.c */
	struct crypto_module {
		const char *name;
		bool engine;
	} crypto[8];
	size_t n_crypto;
	const char *command;	/* name of the running command */
	/* -a of a command with CMD_ALGO: given or the default sha256 */
	const char *algo_name;
	int algo;
	bool algo_given;
	char **opt_args;	/* option arguments, freed at exit */
	size_t n_opt_args;
	char *argv_pass;	/* -pPASS/--pass=PASS, taken out of argv (keys.c) */
	/* the command line, parsed once (options.c) */
	poptContext pc;
	struct cli_option {
		int code;
		const char *arg;	/* in opt_args, or NULL */
	} *opts;
	size_t n_opts;
	const char **args;	/* operands, the command name first (owned by pc) */
	/* options several commands share, taken by cli_parse() when the command lists them */
	bool xattr_user;	/* --xattr-user: user.ima/user.evm for security.* */
	bool print_only;	/* -n: write no xattr */
	bool sigfile;		/* --sigfile */
	bool jobs_given;	/* -j */
	struct key_opts key;
	struct walk_opts walk;	/* -r and -j, progress for CMD_WALK */
	bool imasig, imahash;	/* sign, hmac: write an IMA signature or digest first */
	struct {
		const char *file;	/* --manifest */
		const char *root;	/* --manifest-root */
		const char *format;	/* --manifest-format: evmctl or keylime */
	} manifest;
	/* made ready by cli_parse() for the command's needs, freed by run() */
	struct imaevm_signing_key *signing_key;	/* CMD_SIGNING_KEY */
	struct imaevm_keyset *keyset;		/* CMD_KEYSET */
};

/*
 * Option codes.  Every option has a unique code, so a command can tell its
 * own options from the ones it ignores (the old tool accepted all options
 * with all commands, so we warn instead of failing on those).
 */
enum option_code {
	OPT_VERBOSE = 1,
	OPT_VERSION,
	OPT_HELP,
	OPT_ENGINE,
	OPT_PROVIDER,
	/* labels */
	OPT_HASHALGO,
	OPT_XATTR_USER,
	OPT_NOXATTR,
	OPT_SIGFILE,
	/* tree walks */
	OPT_RECURSIVE,
	OPT_JOBS,
	OPT_TYPE,
	/* keys and signatures */
	OPT_KEY,
	OPT_PASS,
	OPT_KEYID,
	OPT_KEYID_FROM_CERT,
	OPT_RSA,
	OPT_VERITYSIG,
	OPT_IMASIG,
	OPT_IMAHASH,
	/* EVM */
	OPT_PORTABLE,
	OPT_UUID,
	OPT_SMACK,
	OPT_M32,
	OPT_M64,
	OPT_INO,
	OPT_UID,
	OPT_GID,
	OPT_MODE,
	OPT_GENERATION,
	OPT_IMA,
	OPT_SELINUX,
	OPT_CAPS,
	OPT_IMMUTABLE,
	OPT_HMACKEY,
	/* attestation */
	OPT_VERIFY_SIG,
	OPT_PCRS,
	OPT_VERIFY_BANK,
	OPT_LIST_BANK,
	OPT_IGNORE_VIOLATIONS,
	OPT_HWTPM,
	OPT_TCTI,
	OPT_JSON,
	OPT_AGGREGATE_PCRS,
	OPT_IMA_PCR,
	OPT_ACCOUNT_PCRS,
	/* == remote attestation == */
	OPT_QUOTE,
	OPT_QUOTE_SIG,
	OPT_AK,
	OPT_NONCE,
	OPT_NONCE_FILE,
	OPT_EVENTLOG,
	OPT_QUOTE_PCRS,
	OPT_POLICY,
	OPT_POLICY_ANY_PATH,
	OPT_POLICY_EXCLUDE,
	OPT_MANIFEST,
	OPT_MANIFEST_ROOT,
	OPT_MANIFEST_FORMAT,
	OPT_ROOT,
	OPT_STATE,
};

/* Option groups (popt tables) a command picks from; see options.c. */
extern const struct poptOption opts_global[];
extern const struct poptOption opts_hash[];
extern const struct poptOption opts_xattr_user[];
extern const struct poptOption opts_noxattr[];
extern const struct poptOption opts_sigfile[];
extern const struct poptOption opts_recursive[];
extern const struct poptOption opts_type[];
extern const struct poptOption opts_jobs[];
extern const struct poptOption opts_private_key[];	/* -k KEY, -p, --keyid... */
extern const struct poptOption opts_sign_key[];		/* --veritysig, --rsa */
extern const struct poptOption opts_evm_sign_key[];	/* --imasig, --imahash */
extern const struct poptOption opts_verify_key[];	/* -k CERT[,CERT...] */
extern const struct poptOption opts_evm[];
extern const struct poptOption opts_hmackey[];
extern const struct poptOption opts_attest[];
extern const struct poptOption opts_violations[];
extern const struct poptOption opts_json[];
extern const struct poptOption opts_pcr_rules[];
extern const struct poptOption opts_state[];
/* == remote attestation == */
extern const struct poptOption opts_quote[];
extern const struct poptOption opts_policy[];
extern const struct poptOption opts_manifest[];
extern const struct poptOption opts_manifest_format[];
extern const struct poptOption opts_apply_manifest[];
/* A popt row that includes table @t (help title @title, or NULL). */
#define OPTS_INCLUDE(t, title) { NULL, '\0', POPT_ARG_INCLUDE_TABLE, (void *)(t), 0, title, NULL }
/* The union of the groups: the old tool accepted any option anywhere. */
extern const struct poptOption opts_all[];

/*
 * What a command needs before it runs: made ready by cli_parse(), in this
 * order, after the options are taken; the command's option callback checks
 * how its options combine (OPTIONS_DONE) between CMD_ALGO and the keys.
 */
enum command_needs {
	CMD_FILES = 1 << 0,	/* at least one operand, else a usage error */
	CMD_ALGO = 1 << 1,	/* -a resolved into g->algo; a bad name fails (exit 1) */
	CMD_SIGNING_KEY = 1 << 2, /* g->signing_key loaded from the key options (exit 1) */
	CMD_KEYSET = 1 << 3,	/* g->keyset loaded from -k or the default (exit 1) */
	CMD_WALK = 1 << 4,	/* g->walk shows a progress line on a terminal */
	CMD_STDIN = 1 << 5,	/* reads stdin: no operand; prompts go to /dev/tty */
};

struct command {
	const char *name;
	int (*run)(struct evmctl *g, const struct command *cmd, int argc,
		   const char **argv);
	/* option groups this command uses, NULL-terminated */
	const struct poptOption *const *groups;
	const char *usage;	/* operands, e.g. "[-r] file..." */
	const char *summary;
	unsigned int needs;	/* enum command_needs */
};

/*
 * Called for each option of the command's groups that cli_parse() does not
 * take itself (the shared ones in struct evmctl): returns 0 when taken,
 * OPTION_UNUSED for an option of a group the command does not use (warned
 * about), or EXIT_USAGE after printing why the value is bad.  Called once
 * more with OPTIONS_DONE after the last option and -a, to check how the
 * options combine: 0, or the exit status after printing why.
 */
#define OPTION_UNUSED (-1)
#define OPTIONS_DONE 0
typedef int (*option_fn)(void *state, int code, const char *arg);

/*
 * argv_prepare() - rewrite @argv for popt, in one pass: long-option prefixes
 * expanded, bare optional-value options given their empty value, passwords
 * taken out.  Return: 0, or EXIT_USAGE after naming the candidates of an
 * ambiguous prefix (EXIT_FAILED: out of memory).
 */
int argv_prepare(struct evmctl *g, int argc, const char **argv);
/*
 * cli_parse_argv() - run popt once over the whole command line: every
 * option is kept in g->opts, the operands in g->args.
 * Return: 0 or EXIT_USAGE (message printed).
 */
int cli_parse_argv(struct evmctl *g, int argc, const char **argv);
/*
 * cli_parse() - apply the options for @cmd: global and shared options update
 * @g, the command's own go to @fn, options of other commands draw a warning;
 * then what @cmd->needs is made ready.  On success *operands is the NULL-ended
 * list of operands (the command name removed), owned by @g.
 * Return: 0, or the exit status (message printed).
 */
int cli_parse(struct evmctl *g, const struct command *cmd, option_fn fn, void *state,
	      const char ***operands);
/* Free the parsed command line and the option arguments it kept. */
void cli_free_strings(struct evmctl *g);
void cli_print_command_help(const struct command *cmd, FILE *out);
/* The help lines of every option, each once. */
void cli_print_all_options(FILE *out);

/* crypto-load.c */
/* Note --engine/--provider NAME; EXIT_USAGE if there are too many. */
int cli_add_crypto(struct evmctl *g, const char *name, bool engine);
/* Load them into g->ctx; EXIT_FAILED (message printed) if one cannot be. */
int cli_load_crypto(struct evmctl *g);

/* messages.c */
void cli_error(const char *path, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void cli_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cli_info(const struct evmctl *g, int level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Replace the progress line on a terminal with this text (NULL: clear it). */
void cli_progress(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cli_log_to_stderr(void *opaque, int priority, const char *msg);
const char *file_type_name(unsigned int mode);
/*
 * A name from a list or log as shown in a message: control characters and
 * backslashes as \xNN.  Return: a malloc'd string, or NULL (out of memory).
 */
char *shown_name(const char *s);

/* commands */
int cmd_ima_hash(struct evmctl *g, const struct command *cmd, int argc,
		 const char **argv);
/* signatures */
int cmd_ima_sign(struct evmctl *g, const struct command *cmd, int argc,
		 const char **argv);
int cmd_ima_verify(struct evmctl *g, const struct command *cmd, int argc,
		   const char **argv);
int cmd_ima_setxattr(struct evmctl *g, const struct command *cmd, int argc,
		     const char **argv);
int cmd_sign_hash(struct evmctl *g, const struct command *cmd, int argc,
		  const char **argv);
/* attestation */
int cmd_ima_measurement(struct evmctl *g, const struct command *cmd, int argc,
			const char **argv);
int cmd_ima_boot_aggregate(struct evmctl *g, const struct command *cmd,
			   int argc, const char **argv);
/* remote attestation */
int cmd_ima_attest(struct evmctl *g, const struct command *cmd, int argc,
		   const char **argv);

#endif /* EVMCTL_H */
