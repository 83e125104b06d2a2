/* SPDX-License-Identifier: GPL-2.0-or-later */
/* pool-stats.h - EVMCTL_WALK_STATS: where a walk's time went, printed at its end. */
#ifndef EVMCTL_POOL_STATS_H
#define EVMCTL_POOL_STATS_H

struct walk_stats;

/*
 * NULL unless EVMCTL_WALK_STATS is set (or without memory); otherwise
 * counts from now for the calling thread (the walk) and up to @workers.
 */
struct walk_stats *walk_stats_new(unsigned int workers);
/* Monotonic seconds. */
double walk_stats_now(void);
/* The calling worker waited @seconds for work. */
void walk_stats_idle(double seconds);
/* The walk waited @seconds for room. */
void walk_stats_walk_waited(struct walk_stats *s, double seconds);
/* The calling worker ends: takes its CPU time (callers serialize). */
void walk_stats_worker_done(struct walk_stats *s);
/* Print the lines on stderr (from the walk thread) and free @s. */
void walk_stats_finish(struct walk_stats *s, unsigned long files, unsigned long long bytes,
		       double wall);

#endif /* EVMCTL_POOL_STATS_H */
