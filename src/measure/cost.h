#ifndef SPIN_GATE_COST_H
#define SPIN_GATE_COST_H
/*
 * cost: what the gate itself costs while it measures, so every verdict
 * shows that its own work is small beside the work it times.
 *
 * cost_mark() before the noise probe, cost_finish() after the last round:
 * the gate's own CPU over that span (the probe included), the CPU of its
 * children (hyperfine and, through it, every run) beyond what hyperfine
 * measured for the runs themselves, and the span's wall time beyond the
 * runs' wall times. Warm-up runs count as runs. The revisions' setup
 * happens before the mark and is not counted.
 */
#include "results.h"

struct cost_mark {
	double self_cpu;     /* getrusage(RUSAGE_SELF) user + system, seconds */
	double children_cpu; /* getrusage(RUSAGE_CHILDREN) likewise */
	double wall;	     /* CLOCK_MONOTONIC, seconds */
};

void cost_mark(struct cost_mark *m);

/* Fill r->env.overhead from the span since `m` and r's samples; `probe`
 * is the mark taken after the noise probe. */
void cost_finish(const struct cost_mark *m, const struct cost_mark *probe, struct results *r);

#endif
