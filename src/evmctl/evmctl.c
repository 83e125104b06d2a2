// SPDX-License-Identifier: GPL-2.0-or-later
/* evmctl.c - main: the command table, global options, help and exit status. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "evmctl.h"

static int cmd_help(struct evmctl *g, const struct command *cmd, int argc,
		    const char **argv);

static const struct poptOption *const groups_none[] = { NULL };
static const struct poptOption *const groups_hash[] = {
	opts_hash, opts_recursive, opts_noxattr, opts_xattr_user, NULL
};

static const struct command commands[] = {
	{ "ima_hash", cmd_ima_hash, groups_hash,
	  "[-a ALGO] [-r] [-n] [--xattr-user] FILE...",
	  "Write the content digest of each FILE to security.ima and print it." },
	/* == signatures (issue 3) == */

	/* == EVM and keyrings (issue 4) == */

	/* == attestation (issue 5) == */
	{ "ima_measurement", cmd_ima_measurement, (const struct poptOption *const[]){ opts_attest, NULL },
	  "[--ignore-violations] [--pcrs [ALGO,]FILE]... [--hwtpm | --tcti TCTI] "
	  "[--verify-bank ALGO] [--json] FILE",
	  "Replay a measurement list into every PCR bank and compare with the TPM." },
	{ "ima_boot_aggregate", cmd_ima_boot_aggregate, (const struct poptOption *const[]){ opts_attest, NULL },
	  "[--pcrs [ALGO,]FILE]... [--hwtpm | --tcti TCTI] [EVENT-LOG]",
	  "Print the boot_aggregate of each PCR bank (from an event log or PCRs)." },

	{ "help", cmd_help, groups_none, "[COMMAND]",
	  "Show the commands, or the options of one command." },
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
}

static int cmd_help(struct evmctl *g, const struct command *cmd, int argc,
		    const char **argv)
{
	const struct command *target;
	const char **args;
	poptContext pc;
	int err;

	err = cli_parse(g, cmd, argc, argv, NULL, NULL, &pc, &args);
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
	poptFreeContext(pc);
	return err;
}

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

int main(int argc, const char **argv)
{
	struct evmctl g = { 0 };
	const struct command *cmd;
	const char *name;
	int usage_error, status;

	name = cli_find_command(argc, argv, &usage_error);
	if (usage_error)
		return EXIT_USAGE;
	if (has_arg(argc, argv, "--version", NULL)) {
		printf("evmctl %s\n", PACKAGE_VERSION);
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
	if (imaevm_ctx_new(&g.ctx) < 0) {
		cli_error(NULL, "out of memory");
		return EXIT_FAILED;
	}
	raise_fd_limit();
	g.command = cmd->name;
	status = cmd->run(&g, cmd, argc, argv);
	imaevm_ctx_free(g.ctx);
	cli_free_strings(&g);
	return finish_stdout(status);
}
