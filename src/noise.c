#include "noise.h"

#include "buf.h"
#include "msg.h"
#include "stats.h"

#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define PROBE_REPS	11
#define PROBE_CPU_ITERS 6000000UL
#define PROBE_SLEEP_NS	10000000L

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

double noise_spread(const double *v, size_t n)
{
	double *s, lo, hi, med;

	if (n < 2)
		return NAN;
	s = xmalloc(n * sizeof(*s));
	memcpy(s, v, n * sizeof(*s));
	qsort(s, n, sizeof(*s), cmp_double);
	/* one preempted repeat must not make a quiet machine look noisy */
	lo = n >= 5 ? s[1] : s[0];
	hi = n >= 5 ? s[n - 2] : s[n - 1];
	med = stats_median(s, n);
	free(s);
	return med > 0 ? (hi - lo) / med : NAN;
}

static double cpu_loop(void)
{
	volatile unsigned long x = 0;
	unsigned long i;
	double t0 = now();

	/* volatile: the compiler may not fold the loop away */
	for (i = 0; i < PROBE_CPU_ITERS; i++)
		x = x + i * 2654435761UL;
	return now() - t0;
}

static double sleep_once(void)
{
	struct timespec ts = { 0, PROBE_SLEEP_NS };
	double t0 = now();

	while (nanosleep(&ts, &ts) != 0)
		;
	return now() - t0;
}

void noise_probe(struct env_info *e)
{
	double cpu[PROBE_REPS], slp[PROBE_REPS];
	size_t i;

	cpu_loop(); /* warm the core's frequency and caches */
	for (i = 0; i < PROBE_REPS; i++) {
		cpu[i] = cpu_loop();
		slp[i] = sleep_once();
	}
	e->noise_cpu = noise_spread(cpu, PROBE_REPS);
	e->noise_sleep = noise_spread(slp, PROBE_REPS);
}

void noise_steal_read(struct noise_steal *s)
{
	unsigned long long v[10] = { 0 };
	FILE *f = fopen("/proc/stat", "r");
	int n, i;

	memset(s, 0, sizeof(*s));
	if (!f)
		return;
	n = fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2],
		   &v[3], &v[4], &v[5], &v[6], &v[7], &v[8], &v[9]);
	fclose(f);
	if (n < 8)
		return;
	/* guest time (fields 9, 10) is already counted in user */
	for (i = 0; i < 8; i++)
		s->total += v[i];
	s->steal = v[7];
	s->ok = 1;
}

double noise_steal_percent(const struct noise_steal *a, const struct noise_steal *b)
{
	if (!a->ok || !b->ok || b->total <= a->total || b->steal < a->steal)
		return NAN;
	return 100.0 * (double)(b->steal - a->steal) / (double)(b->total - a->total);
}

int noise_warn(const struct env_info *e, const struct thresholds *t)
{
	double tol = INFINITY;
	size_t i;

	for (i = 0; i < t->nchecks; i++) {
		const struct condition *c = &t->checks[i].cond;

		if (c->metric == METRIC_WALL && c->rule == RULE_RATIO_MAX && c->value > 1)
			tol = fmin(tol, c->value - 1);
	}
	if (!isfinite(tol) || !isfinite(e->noise_cpu) || e->noise_cpu <= tol / 2)
		return 0;
	warning("this runner is noisy: a fixed CPU loop varied by %.0f%% between repeats, more "
		"than "
		"half the %.0f%% wall-time tolerance; expect inconclusive checks and more rounds",
		100 * e->noise_cpu, 100 * tol);
	return 1;
}
