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
