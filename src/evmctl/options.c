// SPDX-License-Identifier: GPL-2.0-or-later
/* options.c - evmctl's command line: argv prepared, parsed with popt, applied for a command; help. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "evmctl.h"
#include "keys.h"

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

/* A -j value: 1..1024, or 0 for one per CPU; EXIT_USAGE if bad. */
static int parse_jobs(const char *arg, unsigned int *jobs)
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
		table[n++] = (struct poptOption)OPTS_INCLUDE(*grp, NULL);
	table[n++] = (struct poptOption)OPTS_INCLUDE(opts_global, "Global options:");
	table[n] = (struct poptOption)POPT_TABLEEND;
	pc = poptGetContext("evmctl", 0, NULL, table, 0);
	snprintf(usage, sizeof(usage), "evmctl %s %s\n\n%s\n", cmd->name, cmd->usage, cmd->summary);
	poptSetOtherOptionHelp(pc, usage);
	poptPrintHelp(pc, out, 0);
	poptFreeContext(pc);
}
