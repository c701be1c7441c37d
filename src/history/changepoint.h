#ifndef SPIN_GATE_CHANGEPOINT_H
#define SPIN_GATE_CHANGEPOINT_H
/*
 * changepoint: where a series of one scenario's metric over a history
 * steps, by e-divisive means with a significance test, as Apache Otava
 * (Hunter) does (otava/analysis.py, docs/MATH.md), in two steps:
 *
 *  - split: over windows of `window` points (each starting half a window
 *    after the last, or at the last point found there), split a segment
 *    where Matteson and James's divergence q-hat between its two sides is
 *    largest, and keep the split while a two-sided t-test of the sides gives
 *    p <= a looser first-pass level (10 x max_pvalue below 0.05); then split
 *    each side again. These are the candidates ("weak change points").
 *  - merge: test every candidate against its neighbouring candidates; drop
 *    first a point beside a segment of fewer than min_segment points (the
 *    largest p-value of them), then the one with the largest p-value while
 *    some p >= max_pvalue, then the one with the smallest change while some
 *    change <= min_magnitude, each time testing its two neighbours again.
 *
 * The change of a point, for min_magnitude, is read either way:
 * max(|after/before - 1|, |before/after - 1|) (Otava's change_magnitude(): a
 * drop to a fifth counts 4, like a rise to five times; a side whose mean is
 * 0 counts 0). The field `magnitude` is the signed after/before - 1.
 * Pure: a function of the values and the options, no I/O, deterministic.
 *
 * Where it differs from Otava 0.8.0 (docs/history.md, "Change points"):
 *  - min_segment (3 by default; Otava has none, i.e. 1): a lone outlier
 *    record makes no pair of change points, and a step at the end of the
 *    history is reported from its third record on.
 *  - when the merge drops a point, Otava tests again the point after it
 *    and the one after that, and leaves the point before with the stats of
 *    a segment that no longer exists; this tests the point before and the
 *    point after (otava_merge = 1 does as Otava, for the comparison tests).
 *  - a t-test of two sides with no spread and equal means gives p = 1
 *    (scipy: NaN, which Otava's comparisons treat as not significant).
 *
 * Stability, the rule (tested in tests/unit/test_changepoint.c; window > 0):
 * appending points to x[0..n) never adds, moves or removes a candidate at
 * an index <= n - window: the windows there see the same points and start
 * at the same places. So a change point of the longer series up to there
 * was a candidate of the shorter one at the same index, and a change point
 * of the shorter one there is still a candidate. Whether it is kept is the
 * merge's to say again: its t-test sees the new points only when its after
 * segment reaches the end, or when a neighbour is dropped or added (the
 * order of the merge's drops is global, so that can reach back). In the
 * tests, a step keeps its index record after record, and when a later step
 * joins it; what comes and goes is a point near the end.
 */
#include <stddef.h>

#include "thresholds.h"

struct cp_options {
	double max_pvalue;    /* a point is kept when its p-value < this */
	double min_magnitude; /* and its change (read either way) > this */
	size_t window;	    /* the split step's window (Otava's window_len); 0: the whole series */
	size_t min_segment; /* fewest points each side of a kept point (Otava: 1; 0 acts as 1) */
	int otava_merge;    /* 1: the merge tests again as Otava 0.8.0 does (tests only) */
};

struct change_point {
	size_t index;	  /* first point after the step: x[index] is "after" */
	double before;	  /* mean of the segment before */
	double after;	  /* mean of the segment after */
	double pvalue;	  /* the test's */
	double magnitude; /* after / before - 1; +-INFINITY when before is 0 and after is not */
};

/*
 * The defaults for a metric kind: "seconds", "fraction", "count" (NULL or
 * another name: seconds'): max_pvalue 0.001, window 50 (Otava's),
 * min_segment 3, and min_magnitude 0.10 for seconds and fractions, 0.20
 * for counts (bench/RESULTS.md, "Change points", says why).
 */
void cp_options_default(struct cp_options *o, const char *kind);
/* The kind of a metric of thresholds.h: "seconds" (wall, user, system,
 * cpu), "fraction" (cpu_util, cpu_share, contention), else "count". */
const char *cp_metric_kind(enum metric m);
/* The defaults overridden by thresholds.json's "history" (thresholds.h);
 * t may be NULL. */
void cp_options_from_thresholds(struct cp_options *o, const char *kind, const struct thresholds *t);

/*
 * The change points of x[0..n) in order of index; *out is malloc'd (NULL
 * when none), *nout their number. NaN values are not allowed (the caller
 * drops them and maps indexes). 0, or -1 on allocation failure.
 */
int changepoints_find(const double *x, size_t n, const struct cp_options *o,
		      struct change_point **out, size_t *nout);
/* The candidates of the split step, each tested against its neighbouring
 * candidates, as changepoints_find() starts its merge from; same contract. */
int changepoints_candidates(const double *x, size_t n, const struct cp_options *o,
			    struct change_point **out, size_t *nout);

#endif
