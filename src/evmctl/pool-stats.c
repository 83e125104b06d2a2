// SPDX-License-Identifier: GPL-2.0-or-later
/* pool-stats.c - EVMCTL_WALK_STATS: where a walk's time went, printed at its end. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

#include "pool-stats.h"

struct thread_stats {
	double user, sys, idle;
};

struct walk_stats {
	struct thread_stats walk_before;	/* the walk thread at the start */
	double walk_waited;			/* the walk waiting for room */
	unsigned int n, max;
	struct thread_stats workers[];
};

/* Seconds this thread waited for work. */
static __thread double idle_seconds;

double walk_stats_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void thread_cpu(struct thread_stats *t)
{
	struct rusage ru;

	getrusage(RUSAGE_THREAD, &ru);
	t->user = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6;
	t->sys = (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
	t->idle = idle_seconds;
}

struct walk_stats *walk_stats_new(unsigned int workers)
{
	struct walk_stats *s;

	if (!getenv("EVMCTL_WALK_STATS"))
		return NULL;
	s = calloc(1, sizeof(*s) + workers * sizeof(s->workers[0]));
	if (!s)
		return NULL;
	s->max = workers;
	thread_cpu(&s->walk_before);
	return s;
}

void walk_stats_idle(double seconds)
{
	idle_seconds += seconds;
}

void walk_stats_walk_waited(struct walk_stats *s, double seconds)
{
	s->walk_waited += seconds;
}

void walk_stats_worker_done(struct walk_stats *s)
{
	if (s->n < s->max)
		thread_cpu(&s->workers[s->n++]);
}

void walk_stats_finish(struct walk_stats *s, unsigned long files, unsigned long long bytes,
		       double wall)
{
	struct thread_stats w;
	double cpu, sys;
	unsigned int i;

	thread_cpu(&w);
	w.user -= s->walk_before.user;
	w.sys -= s->walk_before.sys;
	cpu = w.user + w.sys;
	sys = w.sys;
	fprintf(stderr, "evmctl: walk stats: %lu files, %.1f MB in %.3f s; walk thread %.3f s CPU (%.3f user, %.3f system), %.3f s waiting for the window\n",
		files, (double)bytes / 1e6, wall, w.user + w.sys, w.user, w.sys, s->walk_waited);
	for (i = 0; i < s->n; i++) {
		const struct thread_stats *t = &s->workers[i];

		fprintf(stderr, "evmctl: walk stats: worker %u %.3f s CPU (%.3f user, %.3f system), idle %.3f s\n",
			i, t->user + t->sys, t->user, t->sys, t->idle);
		cpu += t->user + t->sys;
		sys += t->sys;
	}
	fprintf(stderr, "evmctl: walk stats: %.2f us system time per file, %.0f MB per CPU-second\n",
		files ? sys * 1e6 / (double)files : 0.0, cpu > 0 ? (double)bytes / 1e6 / cpu : 0.0);
	free(s);
}
