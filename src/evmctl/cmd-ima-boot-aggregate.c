// SPDX-License-Identifier: GPL-2.0-or-later
/* cmd-ima-boot-aggregate.c - `evmctl ima_boot_aggregate`: boot_aggregate per PCR bank. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "pcr-source.h"

struct bootaggr_cmd {
	struct evmctl *g;
	struct pcr_source src;
	int last_pcr;		/* --aggregate-pcrs, -1: the kernel's rule */
};

static int bootaggr_option(void *state, int code, const char *arg)
{
	struct bootaggr_cmd *c = state;

	switch (code) {
	case OPT_AGGREGATE_PCRS: {
		char *end;
		unsigned long n = strtoul(arg, &end, 10);

		if (*end || end == arg || n >= IMAEVM_NUM_PCRS) {
			cli_error(NULL, "--aggregate-pcrs: a PCR number 0..%d expected",
				  IMAEVM_NUM_PCRS - 1);
			return EXIT_USAGE;
		}
		c->last_pcr = (int)n;
		break;
	}
	default:
		return pcr_source_option(&c->src, code, arg);
	}
	return 0;
}

#define TCG_EV_NO_ACTION 3	/* never extended */

/*
 * Which banks of @pcrs the event log extended at least once (bit i: bank[i]):
 * the replay starts every declared bank at its reset value, and a bank that
 * no event extended has no boot_aggregate to speak of.
 */
static int evlog_extended_banks(struct evmctl *g, const char *path,
				const struct imaevm_pcrs *pcrs, unsigned int *mask)
{
	const struct imaevm_evlog_event *ev;
	struct imaevm_evlog *log;
	unsigned int i, k;
	int rc;

	*mask = 0;
	rc = imaevm_evlog_open(g->ctx, path, &log);
	if (rc)
		return rc;
	while ((rc = imaevm_evlog_next(log, &ev)) == 1) {
		if (ev->type == TCG_EV_NO_ACTION)
			continue;
		for (i = 0; i < ev->n_digests; i++)
			for (k = 0; k < pcrs->n_banks; k++)
				if (ev->digests[i].algo >= 0 && ev->digests[i].algo == pcrs->bank[k].algo)
					*mask |= 1u << k;
	}
	imaevm_evlog_close(log);
	return rc < 0 ? rc : 0;
}

static void show_pcrs(const struct imaevm_pcr_bank *b)
{
	int size = imaevm_hash_algo_size(b->algo);
	unsigned int i;

	for (i = 0; i < IMAEVM_NUM_PCRS; i++) {
		if (!(b->valid & (1u << i)))
			continue;
		fprintf(stderr, "%s: PCR-%02u: ", imaevm_hash_algo_name(b->algo), i);
		print_hex(stderr, b->pcr[i], (size_t)size);
		fputc('\n', stderr);
	}
}

int cmd_ima_boot_aggregate(struct evmctl *g, const struct command *cmd,
			   int argc, const char **argv)
{
	struct bootaggr_cmd c = { .g = g, .last_pcr = -1 };
	struct imaevm_pcrs pcrs;
	const char **args, *what = NULL;
	unsigned int extended = ~0u;	/* banks with a value (all, from PCR sources) */
	unsigned int i;
	int err, printed = 0;

	err = cli_parse(g, cmd, bootaggr_option, &c, &args);
	if (err) {
		pcr_source_free(&c.src);
		return err;
	}
	if (args && args[0] && args[1]) {
		cli_error(NULL, "ima_boot_aggregate: one event log at most");
		err = EXIT_USAGE;
	} else if (args && args[0]) {
		if (c.src.n_files || c.src.hwtpm || c.src.tcti)
			cli_warn("reading the event log; PCR options are ignored");
		err = imaevm_evlog_replay(g->ctx, args[0], &pcrs);
		if (err < 0) {
			cli_error(args[0], "cannot replay the event log: %s",
				  evlog_error_text(args[0], err));
			err = EXIT_FAILED;
		} else {
			cli_info(g, 1, "%s: %d events replayed", args[0], err);
			err = evlog_extended_banks(g, args[0], &pcrs, &extended);
			if (err) {
				cli_error(args[0], "cannot read the event log: %s",
					  evlog_error_text(args[0], err));
				err = EXIT_FAILED;
			}
		}
	} else {
		err = pcr_source_read(g, &c.src, &pcrs, &what);
	}
	for (i = 0; !err && i < pcrs.n_banks; i++) {
		struct imaevm_digest d;
		int rc;

		if (!(extended & (1u << i))) {
			cli_warn("bank %s: empty, the event log extends nothing in it: "
				 "no boot_aggregate", imaevm_hash_algo_name(pcrs.bank[i].algo));
			continue;
		}
		if (g->verbose)
			show_pcrs(&pcrs.bank[i]);
		rc = c.last_pcr < 0 ? imaevm_boot_aggregate(g->ctx, &pcrs.bank[i], &d) :
			imaevm_boot_aggregate_pcrs(g->ctx, &pcrs.bank[i],
						   (unsigned int)c.last_pcr, &d);
		if (rc) {
			cli_warn("bank %s: %s", imaevm_hash_algo_name(pcrs.bank[i].algo),
				 imaevm_strerror(rc));
			continue;
		}
		printf("%s:", imaevm_hash_algo_name(d.algo));
		print_hex(stdout, d.value, d.len);
		putchar('\n');
		printed++;
	}
	if (!err && !printed) {
		cli_error(NULL, "%s", args && args[0] ? "no boot_aggregate: the event log "
			  "extends no PCR bank" : "no PCR bank to compute a boot_aggregate from");
		err = EXIT_FAILED;
	}
	pcr_source_free(&c.src);
	return err;
}
