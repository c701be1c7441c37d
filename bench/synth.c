/*
 * synth: a workload whose truth is known, for spin-gate's benchmark.
 *
 *   synth [--sleep-ms S] [--cpu-ms C] [--spin] [--config FILE]
 *         [--long-input True|False --heavy-map True|False]
 *
 * It processes 10 items; each item does C/10 ms of CPU work and then waits
 * S/10 ms. The CPU work is a busy loop that runs until the process has used
 * that much CPU time (CLOCK_PROCESS_CPUTIME_ID), so it is real CPU whatever
 * the machine's load: under contention it takes longer in wall time, never
 * more or less CPU. The wait is nanosleep (idle), or with --spin a busy poll
 * of CLOCK_MONOTONIC until the same deadline (the spin bug: same wall time,
 * CPU time of the whole wait).
 *
 * --long-input/--heavy-map pick the mix of the benchmark suite's four
 * scenarios (bench/suite/suite.json), named like the bytewax suite's
 * parameters so the default thresholds.json applies:
 *
 *   long_input heavy_map   sleep  cpu   what
 *   True       False        80    20    idle: waits for input (cpu_util 0.2)
 *   False      True          0   100    cpu-bound map (cpu_util ~1)
 *   True       True         50    50    mixed
 *   False      False        60    40    light
 *
 * Injected changes (the "revision" under test) come from --config FILE, lines
 * of KEY=VALUE ('#' starts a comment), then from the environment, which wins:
 *
 *   wall_factor  SYNTH_WALL_FACTOR  multiplies sleep and CPU (1.10: +10% wall)
 *   cpu_factor   SYNTH_CPU_FACTOR   multiplies CPU work only (2: twice the CPU)
 *   spin         SYNTH_SPIN         1: waits busy-poll instead of sleeping
 *   scale        SYNTH_SCALE        multiplies sleep and CPU like wall_factor;
 *                                   the benchmark sets it on both sides to
 *                                   make every run shorter or longer
 *
 * Prints one line to stdout (what it did) and exits 0; 2 on a usage error.
 */
#define _GNU_SOURCE
#define KVCONF_PROG "synth"
#include "kvconf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define ITEMS 10

struct synth {
	double sleep_ms;
	double cpu_ms;
	double wall_factor;
	double cpu_factor;
	double scale;
	int spin;
};

static int usage(const char *why)
{
	fprintf(stderr, "synth: error: %s\n"
			"usage: synth [--sleep-ms S] [--cpu-ms C] [--spin] [--config FILE]\n"
			"             [--long-input True|False --heavy-map True|False]\n",
		why);
	return 2;
}

static int parse_num(const char *what, const char *s, double *out)
{
	return kvconf_num(what, s, 1e6, out);
}

static int parse_bool(const char *what, const char *s, int *out)
{
	return kvconf_bool(what, s, out);
}

static int set_key(struct synth *s, const char *key, const char *val, const char *where)
{
	double v;
	int b;

	if (!strcmp(key, "wall_factor"))
		return parse_num(where, val, &s->wall_factor);
	if (!strcmp(key, "cpu_factor"))
		return parse_num(where, val, &s->cpu_factor);
	if (!strcmp(key, "scale"))
		return parse_num(where, val, &s->scale);
	if (!strcmp(key, "spin")) {
		if (parse_num(where, val, &v) < 0)
			return -1;
		b = v != 0;
		s->spin = b;
		return 0;
	}
	fprintf(stderr, "synth: error: %s: unknown key '%s'\n", where, key);
	return -1;
}

static int set_key_cb(void *ctx, const char *key, const char *val, const char *where)
{
	return set_key(ctx, key, val, where);
}

static int read_config(struct synth *s, const char *path)
{
	return kvconf_read_file(path, set_key_cb, s);
}

static int read_env(struct synth *s)
{
	static const char *const keys[][2] = {
		{ "SYNTH_WALL_FACTOR", "wall_factor" },
		{ "SYNTH_CPU_FACTOR", "cpu_factor" },
		{ "SYNTH_SPIN", "spin" },
		{ "SYNTH_SCALE", "scale" },
	};

	return kvconf_read_env(keys, sizeof(keys) / sizeof(keys[0]), set_key_cb, s);
}

static double clock_ms(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Keeps the busy loop's arithmetic alive through the optimiser. */
static volatile unsigned long sink;

/* Use `ms` of this process's CPU time. */
static void burn_cpu(double ms)
{
	double until = clock_ms(CLOCK_PROCESS_CPUTIME_ID) + ms;
	unsigned long x = sink | 1;
	int i;

	while (clock_ms(CLOCK_PROCESS_CPUTIME_ID) < until) {
		/* ~20 us of work between clock reads: the read is a syscall. */
		for (i = 0; i < 20000; i++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
		}
	}
	sink = x;
}

/* Wait `ms` of wall time: sleep, or busy-poll the clock (the spin bug). */
static void wait_ms(double ms, int spin)
{
	struct timespec ts;
	double until;

	if (ms <= 0)
		return;
	if (spin) {
		until = clock_ms(CLOCK_MONOTONIC) + ms;
		while (clock_ms(CLOCK_MONOTONIC) < until)
			;
		return;
	}
	ts.tv_sec = (time_t)(ms / 1e3);
	ts.tv_nsec = (long)((ms - (double)ts.tv_sec * 1e3) * 1e6);
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

int main(int argc, char **argv)
{
	struct synth s = { .sleep_ms = -1, .cpu_ms = -1, .wall_factor = 1, .cpu_factor = 1,
			  .scale = 1 };
	int long_input = -1, heavy_map = -1, i;
	double t0 = clock_ms(CLOCK_MONOTONIC), sleep_ms, cpu_ms;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "--spin")) {
			s.spin = 1;
			continue;
		}
		if (!v)
			return usage("an option is unknown or lacks its value");
		if (!strcmp(a, "--sleep-ms")) {
			if (parse_num(a, v, &s.sleep_ms) < 0)
				return 2;
		} else if (!strcmp(a, "--cpu-ms")) {
			if (parse_num(a, v, &s.cpu_ms) < 0)
				return 2;
		} else if (!strcmp(a, "--config")) {
			if (read_config(&s, v) < 0)
				return 2;
		} else if (!strcmp(a, "--long-input")) {
			if (parse_bool(a, v, &long_input) < 0)
				return 2;
		} else if (!strcmp(a, "--heavy-map")) {
			if (parse_bool(a, v, &heavy_map) < 0)
				return 2;
		} else {
			return usage("unknown option");
		}
		i++;
	}
	if (read_env(&s) < 0)
		return 2;
	if ((long_input < 0) != (heavy_map < 0))
		return usage("--long-input and --heavy-map go together");
	if (long_input >= 0) {
		static const double mix[2][2][2] = {
			/* [long_input][heavy_map] = { sleep, cpu } */
			{ { 60, 40 }, { 0, 100 } },
			{ { 80, 20 }, { 50, 50 } },
		};
		if (s.sleep_ms < 0)
			s.sleep_ms = mix[long_input][heavy_map][0];
		if (s.cpu_ms < 0)
			s.cpu_ms = mix[long_input][heavy_map][1];
	}
	if (s.sleep_ms < 0 || s.cpu_ms < 0)
		return usage("give --sleep-ms and --cpu-ms, or --long-input and --heavy-map");

	sleep_ms = s.sleep_ms * s.scale * s.wall_factor;
	cpu_ms = s.cpu_ms * s.scale * s.wall_factor * s.cpu_factor;
	for (i = 0; i < ITEMS; i++) {
		burn_cpu(cpu_ms / ITEMS);
		wait_ms(sleep_ms / ITEMS, s.spin);
	}
	printf("synth wall_factor=%g cpu_factor=%g spin=%d: sleep %.1f ms, cpu %.1f ms: "
	       "wall %.1f ms, cpu %.1f ms\n",
	       s.wall_factor, s.cpu_factor, s.spin, sleep_ms, cpu_ms,
	       clock_ms(CLOCK_MONOTONIC) - t0, clock_ms(CLOCK_PROCESS_CPUTIME_ID));
	return 0;
}
