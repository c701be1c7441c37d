/*
 * load: bounded background load for spin-gate's benchmark.
 *
 *   load [--busy N] [--burst M] [--seconds T]
 *
 * Starts N processes that spin on a core without pause and M processes that
 * alternate bursts of 20-180 ms of spinning with 20-180 ms of sleep (a
 * seeded generator, so every loaded trial sees the same pattern of phases),
 * then stops them all after T seconds (default 600) or on SIGTERM/SIGINT.
 * Children die with the parent (PR_SET_PDEATHSIG), so nothing outlives it.
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

static void child(int burst, unsigned seed)
{
	unsigned long x = seed * 2654435761u + 1;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	for (;;) {
		if (!burst) {
			spin_for(1000);
			continue;
		}
		x = x * 6364136223846793005ul + 1442695040888963407ul;
		spin_for(20 + (double)((x >> 33) % 161));
		x = x * 6364136223846793005ul + 1442695040888963407ul;
		usleep((useconds_t)(20 + (x >> 33) % 161) * 1000);
	}
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
	long busy = 1, burst = 0, seconds = 600, n, i;
	pid_t pids[64];
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
		} else if (!strcmp(argv[a], "--seconds")) {
			if (parse("--seconds", v, 86400, &seconds) < 0)
				return 2;
		} else {
			fprintf(stderr, "usage: load [--busy N] [--burst M] [--seconds T]\n");
			return 2;
		}
	}
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	n = busy + burst;
	for (i = 0; i < n; i++) {
		pids[i] = fork();
		if (pids[i] < 0) {
			perror("load: error: fork");
			n = i;
			break;
		}
		if (pids[i] == 0)
			child(i >= busy, (unsigned)i + 1);
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
