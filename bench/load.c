/*
 * load: bounded background load for spin-gate's benchmark.
 *
 *   load [--busy N] [--burst M] [--intermittent K [--cycle-ms C] [--duty D]]
 *        [--seed S] [--seconds T]
 *
 * Starts N processes that spin on a core without pause, M processes that
 * alternate bursts of 20-180 ms of spinning with 20-180 ms of sleep, and K
 * processes that spin for a share D (default 0.5) of cycles of about C ms
 * (default 2000: bursts of about a second), each cycle's length drawn from
 * 0.75 C..1.25 C and the first cycle starting at a random point, so the
 * bursts fall on the gate's runs at random. The draws come from a generator
 * seeded with S (default 0): the same S gives the same pattern of phases.
 * Stops them all after T seconds (default 600) or on SIGTERM/SIGINT.
 * Children die with the parent (PR_SET_PDEATHSIG), so nothing outlives it.
 *
 * The benchmark's loads (bench/README.md): steady = --busy 1; intermittent
 * = --busy 0 --intermittent 1; loaded (the synthetic subject's) = --busy 1
 * --burst 1.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void spin_for(double ms)
{
	double until = now_ms() + ms;

	while (now_ms() < until)
		;
}

static void sleep_for(double ms)
{
	struct timespec ts;

	if (ms <= 0)
		return;
	ts.tv_sec = (time_t)(ms / 1e3);
	ts.tv_nsec = (long)((ms - (double)ts.tv_sec * 1e3) * 1e6);
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* The next draw of a 64-bit LCG: uniform in [0, 1). */
static double draw(unsigned long *x)
{
	*x = *x * 6364136223846793005ul + 1442695040888963407ul;
	return (double)(*x >> 11) / 9007199254740992.0;
}

enum load_kind {
	LOAD_BUSY,
	LOAD_BURST,
	LOAD_INTERMITTENT
};

struct load_cycle {
	double cycle_ms;
	double duty;
};

static void child(enum load_kind kind, unsigned long seed, const struct load_cycle *cy)
{
	/* 32-bit product, as the load of bench/RESULTS.md had it: --seed 0
	 * gives the bursts of that run */
	unsigned long x = (unsigned)seed * 2654435761u + 1;
	double len;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	if (kind == LOAD_INTERMITTENT)
		/* start anywhere in a cycle: idle first, for a random share of it */
		sleep_for(draw(&x) * cy->cycle_ms * (1 - cy->duty));
	for (;;) {
		switch (kind) {
		case LOAD_BUSY: spin_for(1000); break;
		case LOAD_BURST:
			x = x * 6364136223846793005ul + 1442695040888963407ul;
			spin_for(20 + (double)((x >> 33) % 161));
			x = x * 6364136223846793005ul + 1442695040888963407ul;
			usleep((useconds_t)(20 + (x >> 33) % 161) * 1000);
			break;
		case LOAD_INTERMITTENT:
			len = cy->cycle_ms * (0.75 + 0.5 * draw(&x));
			spin_for(len * cy->duty);
			sleep_for(len * (1 - cy->duty));
			break;
		}
	}
}

static int parse_frac(const char *opt, const char *s, double *out)
{
	char *end;

	errno = 0;
	*out = s ? strtod(s, &end) : -1;
	if (!s || errno || end == s || *end || !(*out >= 0 && *out <= 1)) {
		fprintf(stderr, "load: error: %s needs a number 0..1\n", opt);
		return -1;
	}
	return 0;
}

static int parse(const char *opt, const char *s, long max, long *out)
{
	char *end;

	errno = 0;
	*out = s ? strtol(s, &end, 10) : -1;
	if (!s || errno || end == s || *end || *out < 0 || *out > max) {
		fprintf(stderr, "load: error: %s needs a whole number 0..%ld\n", opt, max);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	long busy = 1, burst = 0, inter = 0, cycle_ms = 2000, seed = 0, seconds = 600, n, i;
	struct load_cycle cy = { 2000, 0.5 };
	pid_t pids[48];
	double until;
	int a;

	for (a = 1; a < argc; a += 2) {
		const char *v = a + 1 < argc ? argv[a + 1] : NULL;
		if (!strcmp(argv[a], "--busy")) {
			if (parse("--busy", v, 16, &busy) < 0)
				return 2;
		} else if (!strcmp(argv[a], "--burst")) {
			if (parse("--burst", v, 16, &burst) < 0)
				return 2;
		} else if (!strcmp(argv[a], "--intermittent")) {
			if (parse("--intermittent", v, 16, &inter) < 0)
				return 2;
		} else if (!strcmp(argv[a], "--cycle-ms")) {
			if (parse("--cycle-ms", v, 3600000, &cycle_ms) < 0)
				return 2;
			cy.cycle_ms = (double)cycle_ms;
		} else if (!strcmp(argv[a], "--duty")) {
			if (parse_frac("--duty", v, &cy.duty) < 0)
				return 2;
		} else if (!strcmp(argv[a], "--seed")) {
			if (parse("--seed", v, 1000000000, &seed) < 0)
				return 2;
		} else if (!strcmp(argv[a], "--seconds")) {
			if (parse("--seconds", v, 86400, &seconds) < 0)
				return 2;
		} else {
			fprintf(stderr, "usage: load [--busy N] [--burst M] [--intermittent K "
					"[--cycle-ms C]\n"
					"            [--duty D]] [--seed S] [--seconds T]\n");
			return 2;
		}
	}
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	n = busy + burst + inter;
	for (i = 0; i < n; i++) {
		pids[i] = fork();
		if (pids[i] < 0) {
			perror("load: error: fork");
			n = i;
			break;
		}
		if (pids[i] == 0)
			child(i < busy		 ? LOAD_BUSY
			      : i < busy + burst ? LOAD_BURST
						 : LOAD_INTERMITTENT,
			      (unsigned long)seed * 1000 + (unsigned long)i + 1, &cy);
	}
	until = now_ms() + (double)seconds * 1e3;
	while (!stop && now_ms() < until)
		usleep(50000);
	for (i = 0; i < n; i++)
		kill(pids[i], SIGKILL);
	for (i = 0; i < n; i++)
		waitpid(pids[i], NULL, 0);
	return 0;
}
