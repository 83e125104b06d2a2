// SPDX-License-Identifier: GPL-2.0-or-later
/* crypto-load.c - --engine and --provider: OpenSSL modules loaded into the run's context. */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "evmctl.h"

int cli_add_crypto(struct evmctl *g, const char *name, bool engine)
{
	if (!name || !*name) {
		cli_error(NULL, "%s: a name is needed", engine ? "--engine" : "--provider");
		return EXIT_USAGE;
	}
	if (g->n_crypto == sizeof(g->crypto) / sizeof(g->crypto[0])) {
		cli_error(NULL, "%s %s: too many --engine and --provider options",
			  engine ? "--engine" : "--provider", name);
		return EXIT_USAGE;
	}
	g->crypto[g->n_crypto].name = name;
	g->crypto[g->n_crypto].engine = engine;
	g->n_crypto++;
	return 0;
}

/*
 * In the order given, once per run.  One that cannot be loaded ends the
 * run: going on would hash or sign with something else than was asked.
 */
int cli_load_crypto(struct evmctl *g)
{
	size_t i;
	int err;

	for (i = 0; i < g->n_crypto; i++) {
		const struct crypto_module *m = &g->crypto[i];

		err = m->engine ? imaevm_ctx_load_engine(g->ctx, m->name) :
				  imaevm_ctx_load_provider(g->ctx, m->name);
		if (err) {
			cli_error(NULL, "%s %s: cannot load the OpenSSL %s: %s%s",
				  m->engine ? "--engine" : "--provider", m->name,
				  m->engine ? "engine" : "provider",
				  err == -ENOENT ? "not found or does not initialise" :
				  err == -EOPNOTSUPP ? "this build has no support for it" :
				  imaevm_strerror(err),
				  g->verbose ? "" : " (-v tells why)");
			return EXIT_FAILED;
		}
		cli_info(g, 1, "loaded OpenSSL %s %s", m->engine ? "engine" : "provider", m->name);
	}
	/* a command may parse twice (help): load once */
	g->n_crypto = 0;
	return 0;
}
