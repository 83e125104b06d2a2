// SPDX-License-Identifier: GPL-2.0-or-later
/* evmctl.c - main: the command table, global options, help and exit status. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "evmctl.h"
#include "evm-cmds.h"
#include "keys.h"

static int cmd_help(struct evmctl *g, const struct command *cmd, int argc,
		    const char **argv);

static const struct poptOption *const groups_none[] = { NULL };
static const struct poptOption *const groups_hash[] = {
	opts_hash, opts_recursive, opts_jobs, opts_noxattr, opts_xattr_user, opts_manifest,
	opts_manifest_format, NULL
};

static const struct command commands[] = {
	{ "ima_hash", cmd_ima_hash, groups_hash,
	  "[-a ALGO] [-r] [-j N] [-n] [--xattr-user] [--manifest FILE [--manifest-root DIR] [--manifest-format FORMAT]] FILE...",
	  "Write the content digest of each FILE to security.ima and print it.",
	  CMD_FILES | CMD_ALGO | CMD_WALK },
	/* == signatures == */
	{ "ima_sign", cmd_ima_sign,
	  (const struct poptOption *const[]){ opts_hash, opts_private_key, opts_sign_key, opts_recursive, opts_jobs,
		opts_noxattr, opts_sigfile, opts_xattr_user, opts_manifest, NULL },
	  "[-a ALGO] [-k KEY] [-p[PASS]] [--keyid HEX|--keyid-from-cert CERT] [--veritysig] [-r] [-j N] [--sigfile] [--xattr-user] [-n] [--manifest FILE [--manifest-root DIR]] FILE...",
	  "Sign the content digest of each FILE into security.ima (signature v2; v3 with --veritysig).",
	  CMD_FILES | CMD_ALGO | CMD_SIGNING_KEY | CMD_WALK },
	{ "ima_verify", cmd_ima_verify,
	  (const struct poptOption *const[]){ opts_verify_key, opts_recursive, opts_jobs, opts_sigfile,
		opts_xattr_user, NULL },
	  "[-k CERT[,CERT...]] [-r] [-j N] [--sigfile] [--xattr-user] FILE...",
	  "Check the IMA signature of each FILE; exit 1 if any fails.",
	  CMD_FILES | CMD_KEYSET | CMD_WALK },
	{ "ima_setxattr", cmd_ima_setxattr,
	  (const struct poptOption *const[]){ opts_sigfile, opts_xattr_user, opts_apply_manifest,
		opts_json, opts_verify_key, opts_jobs, NULL },
	  "[--xattr-user] FILE... | --sigfile SIG FILE... | --manifest FILE [--root DIR] [-k CERT[,CERT...]] [-j N] [--json]",
	  "Write the signature in FILE.sig (with --sigfile: in SIG) into FILE's security.ima; with --manifest, each signature of a manifest whose digest is the file's.",
	  0 },
	{ "sign_hash", cmd_sign_hash,
	  (const struct poptOption *const[]){ opts_hash, opts_private_key, opts_sign_key, NULL },
	  "[-a ALGO] [--veritysig] [-k KEY] [-p[PASS]] [--keyid HEX|--keyid-from-cert CERT] < DIGESTS",
	  "Sign sha*sum (or fsverity digest) lines from stdin; print each line and its signature.",
	  CMD_ALGO | CMD_STDIN | CMD_SIGNING_KEY },

	/* == EVM and keyrings == */
	{ "sign", cmd_evm_sign, groups_evm_sign,
	  "[--imasig|--imahash] [-o] [-a ALGO] [-k KEY] [-p[PASS]] [-r] [-j N] [--xattr-user] [--uuid[=UUID]] [--m32|--m64] [overrides] FILE...",
	  "Sign the EVM digest of each FILE into security.evm (type 0x03; portable 0x05 with -o).",
	  CMD_FILES | CMD_ALGO | CMD_SIGNING_KEY | CMD_WALK },
	{ "verify", cmd_evm_verify, groups_evm_verify,
	  "[-k CERT[,CERT...]] [-r] [-j N] [--xattr-user] [--uuid[=UUID]] [--m32|--m64] [overrides] FILE...",
	  "Check the EVM signature in security.evm of each FILE; exit 1 if any fails.",
	  CMD_FILES | CMD_KEYSET | CMD_WALK },
	{ "hmac", cmd_hmac, groups_hmac,
	  "[--hmackey KEY] [--imahash [-a ALGO] | --imasig [-k KEY]] [-n] [-r] [--uuid[=UUID]] [overrides] FILE...",
	  "Write the kernel's EVM HMAC (type 0x02) of each FILE to security.evm.",
	  CMD_FILES | CMD_ALGO },
	{ "evm_digest", cmd_evm_digest, groups_evm_digest,
	  "[-a ALGO] [-o] [--uuid[=UUID]] [--m32|--m64] [overrides] FILE...",
	  "Print the EVM digest an EVM signature of each FILE signs.",
	  CMD_FILES | CMD_ALGO },
	{ "import", cmd_import, groups_import, "[--rsa] CERT [KEYRING]",
	  "Add a certificate to a kernel keyring (default: the user keyring @u); print the key's serial.",
	  0 },
	{ "ima_fix", cmd_ima_fix, groups_fix, "[-r] [-t fdsxm] PATH...",
	  "Open files so a kernel in IMA/EVM fix mode labels them.",
	  0 },
	{ "ima_clear", cmd_ima_clear, groups_fix, "[-r] [-t fdsm] PATH...",
	  "Remove security.ima and security.evm.",
	  0 },

	/* == attestation == */
	{ "ima_measurement", cmd_ima_measurement, (const struct poptOption *const[]){ opts_attest, opts_violations, opts_json, opts_pcr_rules, opts_state, opts_verify_key, opts_policy, NULL },
	  "[--ignore-violations] [--pcrs [ALGO,]FILE]... [--hwtpm | --tcti TCTI] "
	  "[--verify-bank ALGO] [--json] [--policy FILE [--policy-any-path] [--policy-exclude GLOB]...] "
	  "[--state FILE] FILE",
	  "Replay a measurement list into every PCR bank and compare with the TPM.",
	  0 },
	{ "ima_boot_aggregate", cmd_ima_boot_aggregate, (const struct poptOption *const[]){ opts_attest, NULL },
	  "[--pcrs [ALGO,]FILE]... [--hwtpm | --tcti TCTI] [EVENT-LOG]",
	  "Print the boot_aggregate of each PCR bank (from an event log or PCRs).",
	  0 },

	/* == remote attestation == */
	{ "ima_attest", cmd_ima_attest, (const struct poptOption *const[]){ opts_quote, opts_violations, opts_json, opts_pcr_rules, opts_state, opts_policy, NULL },
	  "--quote FILE --quote-sig FILE --ak FILE (--nonce HEX | --nonce-file FILE) "
	  "[--eventlog FILE] [--quote-pcrs FILE] [--ima-pcr LIST]... [--account-pcrs LIST]... "
	  "[--ignore-violations] [--json] [--state FILE] "
	  "[--policy FILE [--policy-any-path] [--policy-exclude GLOB]...] [MEASUREMENT-LIST]",
	  "Verify a TPM 2.0 quote: signature, nonce, and PCRs replayed from the measurement list "
	  "and the event log (no measurement list: --eventlog required, a machine without IMA).",
	  0 },

	{ "help", cmd_help, groups_none, "[COMMAND]",
	  "Show the commands, or the options of one command.",
	  0 },
};

static const struct command *find_command(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

static void print_usage(FILE *out)
{
	size_t i;

	fprintf(out, "Usage: evmctl [-v] COMMAND [OPTIONS] [ARGS]\n\nCommands:\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-20s %s\n", commands[i].name, commands[i].summary);
	fprintf(out, "\n'evmctl help COMMAND' shows the options of COMMAND.\n"
		"Exit status: 0 success, 1 failure, 2 usage error.\n");
	/* every option, as the old tool's help listed them (scripts probe it) */
	fprintf(out, "\nOptions (each command takes its own; see 'evmctl help COMMAND'):\n");
	cli_print_all_options(out);
}

static int cmd_help(struct evmctl *g, const struct command *cmd, int argc,
		    const char **argv)
{
	const struct command *target;
	const char **args;
	int err;

	err = cli_parse(g, cmd, NULL, NULL, &args);
	if (err)
		return err;
	if (!args || !args[0]) {
		print_usage(stdout);
	} else if ((target = find_command(args[0]))) {
		cli_print_command_help(target, stdout);
	} else {
		cli_error(NULL, "unknown command '%s' (see 'evmctl help')", args[0]);
		err = EXIT_USAGE;
	}
	return err;
}

#ifdef ENABLE_ENGINE
#define FEATURE_ENGINE '+'
#else
#define FEATURE_ENGINE '-'
#endif
#ifdef ENABLE_PROVIDER
#define FEATURE_PROVIDER '+'
#else
#define FEATURE_PROVIDER '-'
#endif
#ifdef ENABLE_TSS2
#define FEATURE_TSS2 '+'
#else
#define FEATURE_TSS2 '-'
#endif
#define FEATURE(name) FEATURE_##name

static bool has_arg(int argc, const char **argv, const char *a, const char *b)
{
	int i;

	for (i = 1; i < argc && strcmp(argv[i], "--"); i++)
		if (!strcmp(argv[i], a) || (b && !strcmp(argv[i], b)))
			return true;
	return false;
}

/* Deep trees hold one directory fd per level: allow as many as we may. */
static void raise_fd_limit(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		(void)setrlimit(RLIMIT_NOFILE, &rl);
	}
}

/* Output that cannot be written is a failure, not silence. */
static int finish_stdout(int status)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		cli_error(NULL, "cannot write standard output: %s", strerror(errno));
		return EXIT_FAILED;
	}
	return status;
}

static int run(struct evmctl *g, int argc, const char **argv)
{
	const struct command *cmd;
	const char *name;
	int status;

	status = cli_parse_argv(g, argc, argv);
	if (status)
		return status;
	name = g->args ? g->args[0] : NULL;
	if (has_arg(argc, argv, "--version", NULL)) {
		printf("evmctl %s\n", PACKAGE_VERSION);
		/* -v: what configure built in (the library is from the same build) */
		if (has_arg(argc, argv, "-v", "--verbose"))
			printf("features: %cengine %cprovider %ctss2\n", FEATURE(ENGINE),
			       FEATURE(PROVIDER), FEATURE(TSS2));
		return finish_stdout(EXIT_OK);
	}
	if (!name) {
		if (has_arg(argc, argv, "--help", "-h")) {
			print_usage(stdout);
			return finish_stdout(EXIT_OK);
		}
		print_usage(stderr);
		return EXIT_USAGE;
	}
	cmd = find_command(name);
	if (!cmd) {
		cli_error(NULL, "unknown command '%s' (see 'evmctl help')", name);
		return EXIT_USAGE;
	}
	if (has_arg(argc, argv, "--help", "-h")) {
		cli_print_command_help(cmd, stdout);
		return finish_stdout(EXIT_OK);
	}
	if (imaevm_ctx_new(&g->ctx) < 0) {
		cli_error(NULL, "out of memory");
		return EXIT_FAILED;
	}
	raise_fd_limit();
	g->command = cmd->name;
	status = cmd->run(g, cmd, argc, argv);
	imaevm_signing_key_free(g->signing_key);
	imaevm_keyset_free(g->keyset);
	imaevm_ctx_free(g->ctx);
	return finish_stdout(status);
}

int main(int argc, const char **argv)
{
	struct evmctl g = { 0 };
	int status;

	status = argv_prepare(&g, argc, argv);
	if (!status)
		status = run(&g, argc, argv);
	cli_free_strings(&g);
	drop_argv_password(&g);
	return status;
}
