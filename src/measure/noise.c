#include "noise.h"

#include "buf.h"
#include "clock.h"
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

double noise_spread(const double *v, size_t n)
{
	double *s, lo, hi, med;

	if (n < 2)
		return NAN;
	s = xmalloc(n * sizeof(*s));
	memcpy(s, v, n * sizeof(*s));
	stats_sort(s, n);
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
	double t0 = clock_now();

	/* volatile: the compiler may not fold the loop away */
	for (i = 0; i < PROBE_CPU_ITERS; i++)
		x = x + i * 2654435761UL;
	return clock_now() - t0;
}

static double sleep_once(void)
{
	struct timespec ts = { 0, PROBE_SLEEP_NS };
	double t0 = clock_now();

	while (nanosleep(&ts, &ts) != 0)
		;
	return clock_now() - t0;
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
