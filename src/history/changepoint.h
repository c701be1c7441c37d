#ifndef SPIN_GATE_CHANGEPOINT_H
#define SPIN_GATE_CHANGEPOINT_H
/*
 * changepoint: where a series of one scenario's metric over a history
 * steps, by e-divisive means with a significance test, as Apache Otava
 * (Hunter) does (otava/analysis.py, docs/MATH.md): split the series where
 * the divergence between the two sides is largest, keep the split when the
 * test says the sides differ (p <= max_pvalue) and the step is big enough
 * (|after/before - 1| >= min_magnitude), then split each side again.
 * Pure: a function of the values and the options, no I/O, deterministic.
 *
 * Stability: appending points to a series moves no earlier change point
 * except where the new points change the test's answer for it (the rule and
 * its test are in docs/history.md).
 */
#include <stddef.h>

struct cp_options {
	double max_pvalue;    /* a split is kept when its p-value <= this */
	double min_magnitude; /* and |after/before - 1| >= this */
	size_t window;	      /* points each side a split is tested over; 0: all */
};

struct change_point {
	size_t index;	  /* first point after the step: x[index] is "after" */
	double before;	  /* mean of the segment before */
	double after;	  /* mean of the segment after */
	double pvalue;	  /* the test's */
	double magnitude; /* after / before - 1 */
};

/* The defaults for a metric kind: "seconds", "fraction", "count". */
void cp_options_default(struct cp_options *o, const char *kind);

/*
 * The change points of x[0..n) in order of index; *out is malloc'd (NULL
 * when none), *nout their number. NaN values are not allowed (the caller
 * drops them and maps indexes). 0, or -1 on allocation failure.
 */
int changepoints_find(const double *x, size_t n, const struct cp_options *o,
		      struct change_point **out, size_t *nout);

#endif
