/*
 * cp_series: the change-point detector (src/history/changepoint.h) on one
 * series, for the tests that compare it with Apache Otava
 * (tests/e2e/35-otava.sh, bench/changepoint.sh).
 *
 *   build/tests/cp_series [--kind KIND] [--pvalue P] [--magnitude M]
 *                         [--window W] [--min-segment K] [--otava-merge]
 *                         [--prefixes] < SERIES
 *
 * SERIES: numbers separated by white space. Prints one line of JSON:
 *   {"n": N, "change_points": [{"index": I, "before": B, "after": A,
 *    "pvalue": P, "magnitude": M}, ...], "candidates": [...]}
 * (a magnitude that is not finite is null). --prefixes: one such line for
 * each prefix x[0..n), n = 1..N, as a history is seen commit after commit
 * (bench/changepoint.py). Exit 0, or 2 on bad input.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "changepoint.h"

static void print_points(const char *key, const struct change_point *cp, size_t n)
{
	size_t i;

	printf("\"%s\": [", key);
	for (i = 0; i < n; i++) {
		printf("%s{\"index\": %zu, \"before\": %.17g, \"after\": %.17g, \"pvalue\": %.17g, ",
		       i ? ", " : "", cp[i].index, cp[i].before, cp[i].after, cp[i].pvalue);
		if (isfinite(cp[i].magnitude))
			printf("\"magnitude\": %.17g}", cp[i].magnitude);
		else
			printf("\"magnitude\": null}");
	}
	printf("]");
}

static int number(const char *s, double *out)
{
	char *end;

	*out = strtod(s, &end);
	return *s && !*end && isfinite(*out) ? 0 : -1;
}

int main(int argc, char **argv)
{
	struct cp_options o;
	struct change_point *cps = NULL, *cands = NULL;
	size_t ncp = 0, ncand = 0, n = 0, cap = 0;
	double *x = NULL, v, d;
	const char *kind = "seconds";
	int i, ret = 2, prefixes = 0;
	size_t k;

	for (i = 1; i + 1 < argc; i++)
		if (!strcmp(argv[i], "--kind"))
			kind = argv[i + 1];
	cp_options_default(&o, kind);
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--otava-merge")) {
			o.otava_merge = 1;
			continue;
		}
		if (!strcmp(argv[i], "--prefixes")) {
			prefixes = 1;
			continue;
		}
		if (i + 1 >= argc)
			goto usage;
		if (!strcmp(argv[i], "--kind")) {
			i++;
			continue;
		}
		if (number(argv[i + 1], &d) < 0)
			goto usage;
		if (!strcmp(argv[i], "--pvalue"))
			o.max_pvalue = d;
		else if (!strcmp(argv[i], "--magnitude"))
			o.min_magnitude = d;
		else if (!strcmp(argv[i], "--window") && d >= 0 && d == floor(d))
			o.window = (size_t)d;
		else if (!strcmp(argv[i], "--min-segment") && d >= 0 && d == floor(d))
			o.min_segment = (size_t)d;
		else
			goto usage;
		i++;
	}
	while (scanf("%lf", &v) == 1) {
		if (!isfinite(v))
			goto bad;
		if (n == cap) {
			double *nx = realloc(x, (cap ? cap * 2 : 64) * sizeof(*x));

			if (!nx)
				goto out;
			x = nx;
			cap = cap ? cap * 2 : 64;
		}
		x[n++] = v;
	}
	if (!feof(stdin))
		goto bad;
	for (k = prefixes ? 1 : n; k <= n; k++) {
		free(cps);
		free(cands);
		cps = cands = NULL;
		if (changepoints_find(x, k, &o, &cps, &ncp) < 0 ||
		    changepoints_candidates(x, k, &o, &cands, &ncand) < 0) {
			fprintf(stderr, "cp_series: out of memory\n");
			ret = 1;
			goto out;
		}
		printf("{\"n\": %zu, ", k);
		print_points("change_points", cps, ncp);
		printf(", ");
		print_points("candidates", cands, ncand);
		printf("}\n");
	}
	ret = 0;
	goto out;
bad:
	fprintf(stderr, "cp_series: error: expected numbers on stdin\n");
	goto out;
usage:
	fprintf(stderr, "usage: cp_series [--kind KIND] [--pvalue P] [--magnitude M] [--window W] "
			"[--min-segment K] [--otava-merge] [--prefixes] < SERIES\n");
out:
	free(x);
	free(cps);
	free(cands);
	return ret;
}
