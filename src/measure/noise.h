#ifndef SPIN_GATE_NOISE_H
#define SPIN_GATE_NOISE_H
/*
 * noise: how noisy is this runner? Measured in-process before the rounds
 * (nothing is spawned), so a reader of the verdict can tell a noisy machine
 * from a real change.
 *
 * - CPU probe: a fixed busy loop (about 10 ms here) timed 11 times by wall
 *   clock; its spread is the range without the extreme repeat at each end,
 *   over the median (one preempted repeat does not count). On an idle core
 *   it is a few percent; when other work competes for the core, it grows.
 * - Sleep probe: a 10 ms nanosleep timed 11 times; spread likewise (timer
 *   slack and scheduling latency).
 *
 * Both are recorded in results.json, and no longer warned on: the CPU loop's
 * spread was above the old warning level on a quiet machine too, so it said
 * nothing. The gate warns from what other work took during the runs
 * themselves (sysload.h, judge_contention_busy()). The CPU steal over the
 * whole gate comes from sysload.
 */
#include "results.h"

/* Run both probes and store their spreads in e->noise_cpu / e->noise_sleep. */
void noise_probe(struct env_info *e);

/* The relative spread of v: (second largest - second smallest) / median
 * from 5 values on, (max - min) / median below; NaN when n < 2. */
double noise_spread(const double *v, size_t n);

#endif
