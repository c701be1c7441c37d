/*
 * crew: a multi-process workload whose processes wait on each other, for
 * spin-gate's benchmark (the mechanism of the bytewax spin, without bytewax).
 *
 *   crew [--workers W] [--config FILE] [--items N] [--work K] [--batch B]
 *        [--pace-ms P] [--spin] [--serial]
 *        [--long-input True|False --heavy-map True|False]
 *
 * A coordinator forks W workers (default: the online cores) and hands out
 * W x N items over pipes, in batches of B items per worker. An item is K
 * thousand iterations of a fixed integer loop (~600 per ms on the machine of
 * bench/RESULTS.md): a fixed amount of work, not a fixed CPU time, so
 * contention stretches it as it stretches real work. After its items a
 * worker sends a token to every other worker and waits for theirs (the
 * exchange of a timely dataflow's progress), then reports to the
 * coordinator, which sends the next batch at once or, with P > 0, at the
 * next multiple of P ms from the start (the paced input of bytewax's
 * long_input). So every worker waits twice per batch: for its peers and for
 * work. The coordinator itself always sleeps while it waits.
 *
 * How a worker waits is the revision under test:
 *
 *   parked (default)  poll() on its inbox without a timeout: the core goes to
 *                     whoever else wants it (bytewax 0.16.1 parks workers)
 *   spin=1            poll() with a zero timeout in a loop, no sleep: the
 *                     worker keeps its core while it waits (bytewax 0.16.0)
 *   serial=1          every item of a batch goes to worker 0; the others only
 *                     take part in the exchange, parked: the work is
 *                     serialised onto one core (the saturation regression a
 *                     fix for the spin must not introduce)
 *
 * --long-input/--heavy-map pick the crew suite's four scenarios (named like
 * the bytewax suite's parameters, so the shipped thresholds.json applies);
 * on an idle 2-core machine each run takes 1-1.3 s with 2 workers:
 *
 *   long_input heavy_map  N    K      B  P      what
 *   True       False      20   600    1  60 ms  idle: waits for paced input
 *   False      True       40   15000  4  0      CPU-bound map (~25 ms items)
 *   True       True       20   15000  1  60 ms  paced and heavy
 *   False      False      100  5400   1  0      short items, an exchange each
 *
 * Settings come from --config FILE (KEY=VALUE lines, '#' starts a comment),
 * then from the environment, which wins: spin (CREW_SPIN), serial
 * (CREW_SERIAL), scale (CREW_SCALE: multiplies N, for shorter or longer
 * runs).
 *
 * Prints one line to stdout (what it did) and exits 0; 1 when a worker
 * failed or the pipes broke; 2 on a usage error. Workers die with the
 * coordinator (PR_SET_PDEATHSIG) and stay in its process group, so a
 * gate's timeout kills them all.
 */
#define _GNU_SOURCE
#define KVCONF_PROG "crew"
#include "kvconf.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_WORKERS 64

enum crew_msg_type {
	MSG_BATCH = 1,
	MSG_TOKEN,
	MSG_DONE,
	MSG_STOP
};

/* One message: 16 bytes, written with one write(), so it is atomic on a pipe
 * (PIPE_BUF) however many processes write to the same inbox. */
struct crew_msg {
	int32_t type;
	int32_t batch;
	int32_t count; /* MSG_BATCH: items to process */
	int32_t from;  /* the sending worker, -1 for the coordinator */
};

struct crew {
	long workers;
	double items;	/* per worker, before scale */
	long batch;	/* items per worker between two exchanges */
	double work;	/* thousands of loop iterations per item */
	double pace_ms; /* 0: no pacing */
	double scale;
	int spin;
	int serial;
	int inbox[MAX_WORKERS + 1][2]; /* [0..W-1] the workers', [W] the coordinator's */
};

static int usage(const char *why)
{
	fprintf(stderr,
		"crew: error: %s\n"
		"usage: crew [--workers W] [--config FILE] [--items N] [--work K] [--batch B]\n"
		"            [--pace-ms P] [--spin] [--serial]\n"
		"            [--long-input True|False --heavy-map True|False]\n",
		why);
	return 2;
}

static int parse_num(const char *what, const char *s, double *out)
{
	return kvconf_num(what, s, 1e7, out);
}

static int parse_bool(const char *what, const char *s, int *out)
{
	return kvconf_bool(what, s, out);
}

static int set_key(struct crew *c, const char *key, const char *val, const char *where)
{
	double v;

	if (!strcmp(key, "scale"))
		return parse_num(where, val, &c->scale);
	if (!strcmp(key, "spin") || !strcmp(key, "serial")) {
		if (parse_num(where, val, &v) < 0)
			return -1;
		*(!strcmp(key, "spin") ? &c->spin : &c->serial) = v != 0;
		return 0;
	}
	fprintf(stderr, "crew: error: %s: unknown key '%s'\n", where, key);
	return -1;
}

static int set_key_cb(void *ctx, const char *key, const char *val, const char *where)
{
	return set_key(ctx, key, val, where);
}

static int read_config(struct crew *c, const char *path)
{
	return kvconf_read_file(path, set_key_cb, c);
}

static int read_env(struct crew *c)
{
	static const char *const keys[][2] = {
		{ "CREW_SPIN", "spin" },
		{ "CREW_SERIAL", "serial" },
		{ "CREW_SCALE", "scale" },
	};

	return kvconf_read_env(keys, sizeof(keys) / sizeof(keys[0]), set_key_cb, c);
}

static double clock_ms(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Keeps the loop's arithmetic alive through the optimiser. */
static volatile unsigned long sink;

/* A fixed amount of work: `kiters` thousand iterations of xorshift. */
static void work(double kiters)
{
	unsigned long x = sink | 1, n = (unsigned long)(kiters * 1000);

	while (n--) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
	}
	sink = x;
}

static int send_msg(int fd, int type, int batch, int count, int from)
{
	struct crew_msg m = { type, batch, count, from };
	ssize_t n;

	do
		n = write(fd, &m, sizeof(m));
	while (n < 0 && errno == EINTR);
	return n == (ssize_t)sizeof(m) ? 0 : -1;
}

/*
 * Wait for the next message on `fd` and read it. Parked: poll() blocks, the
 * process sleeps. Spinning: poll() returns at once and the loop asks again,
 * with a little user-space work between (a runtime's step loop), never a
 * sleep. `timeout_ms` bounds a parked wait (-1: none); 0 returned for a
 * timeout, 1 for a message, -1 on a broken pipe.
 */
static int recv_msg(int fd, int spin, int timeout_ms, struct crew_msg *m)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	size_t got = 0;
	ssize_t n;
	int r;

	for (;;) {
		r = poll(&p, 1, spin ? 0 : timeout_ms);
		if (r > 0)
			break;
		if (r < 0 && errno != EINTR)
			return -1;
		if (!spin && r == 0)
			return 0;
		if (spin)
			work(0.2);
	}
	while (got < sizeof(*m)) {
		n = read(fd, (char *)m + got, sizeof(*m) - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		got += (size_t)n;
	}
	return 1;
}

/* A worker: wait for a batch, do its items, exchange tokens, report. */
static int worker(struct crew *c, int me)
{
	int inbox = c->inbox[me][0], spin = c->spin && !(c->serial && me != 0);
	int tokens[2] = { 0, 0 }, batch;
	struct crew_msg m;
	long w;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	for (;;) {
		if (recv_msg(inbox, spin, -1, &m) <= 0)
			return 1;
		if (m.type == MSG_STOP)
			return 0;
		if (m.type == MSG_TOKEN) {
			/* a peer that started the batch before this worker read it */
			tokens[m.batch & 1]++;
			continue;
		}
		if (m.type != MSG_BATCH)
			return 1;
		batch = m.batch;
		while (m.count-- > 0)
			work(c->work);
		for (w = 0; w < c->workers; w++)
			if (w != me && send_msg(c->inbox[w][1], MSG_TOKEN, batch, 0, me) < 0)
				return 1;
		/* The exchange: no worker reports the batch before all have done it.
		 * Tokens of this batch and of the next (a peer ahead of this one) are
		 * the only ones that can arrive; both are counted. */
		while (tokens[batch & 1] < c->workers - 1) {
			if (recv_msg(inbox, spin, -1, &m) <= 0 || m.type != MSG_TOKEN)
				return 1;
			tokens[m.batch & 1]++;
		}
		tokens[batch & 1] = 0;
		if (send_msg(c->inbox[c->workers][1], MSG_DONE, batch, 0, me) < 0)
			return 1;
	}
}

static void sleep_until(double deadline_ms)
{
	struct timespec ts;
	double ms = deadline_ms - clock_ms(CLOCK_MONOTONIC);

	if (ms <= 0)
		return;
	ts.tv_sec = (time_t)(ms / 1e3);
	ts.tv_nsec = (long)((ms - (double)ts.tv_sec * 1e3) * 1e6);
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static int error_pipe(void)
{
	fprintf(stderr, "crew: error: the pipes to the workers broke: %s\n", strerror(errno));
	return 1;
}

/* Any worker that has exited: its batch will never be reported. */
static int worker_died(const pid_t *pids, long n)
{
	long i;
	int st;

	for (i = 0; i < n; i++)
		if (pids[i] > 0 && waitpid(pids[i], &st, WNOHANG) == pids[i]) {
			if (WIFSIGNALED(st))
				fprintf(stderr, "crew: error: worker %ld killed by signal %d\n", i,
					WTERMSIG(st));
			else
				fprintf(stderr, "crew: error: worker %ld exited %d mid-run\n", i,
					WEXITSTATUS(st));
			return 1;
		}
	return 0;
}

/* The coordinator: hand out every batch, wait for all reports, stop. */
static int coordinate(struct crew *c, const pid_t *pids, long items)
{
	long w, given = 0, per = c->workers * c->batch, batches = (items + per - 1) / per, b;
	int inbox = c->inbox[c->workers][0], done, r;
	double t0 = clock_ms(CLOCK_MONOTONIC);
	struct crew_msg m;

	for (b = 0; b < batches; b++) {
		long in_batch = items - given < per ? items - given : per;

		if (c->pace_ms > 0)
			sleep_until(t0 + (double)(b + 1) * c->pace_ms);
		for (w = 0; w < c->workers; w++) {
			long count = in_batch / c->workers + (w < in_batch % c->workers);

			if (c->serial)
				count = w == 0 ? in_batch : 0;
			if (send_msg(c->inbox[w][1], MSG_BATCH, (int)b, (int)count, -1) < 0)
				return error_pipe();
		}
		given += in_batch;
		for (done = 0; done < c->workers;) {
			r = recv_msg(inbox, 0, 200, &m);
			if (r < 0)
				return error_pipe();
			if (r == 0) {
				if (worker_died(pids, c->workers))
					return 1;
				continue;
			}
			if (m.type != MSG_DONE || m.batch != b) {
				fprintf(stderr, "crew: error: unexpected message %d for batch %d\n",
					(int)m.type, (int)m.batch);
				return 1;
			}
			done++;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct crew c = { .workers = sysconf(_SC_NPROCESSORS_ONLN),
			  .items = -1,
			  .work = -1,
			  .pace_ms = -1,
			  .scale = 1,
			  .batch = -1 };
	int long_input = -1, heavy_map = -1, i, ret = 0, st;
	double t0 = clock_ms(CLOCK_MONOTONIC), wall;
	pid_t pids[MAX_WORKERS];
	long w, started = 0, items;
	struct rusage ru;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		double n;

		if (!strcmp(a, "--spin") || !strcmp(a, "--serial")) {
			*(!strcmp(a, "--spin") ? &c.spin : &c.serial) = 1;
			continue;
		}
		if (!v)
			return usage("an option is unknown or lacks its value");
		if (!strcmp(a, "--workers")) {
			if (parse_num(a, v, &n) < 0)
				return 2;
			if (n < 1 || n > MAX_WORKERS || n != (long)n)
				return usage("--workers takes a whole number 1..64");
			c.workers = (long)n;
		} else if (!strcmp(a, "--batch")) {
			if (parse_num(a, v, &n) < 0)
				return 2;
			if (n < 1 || n > 100000 || n != (long)n)
				return usage("--batch takes a whole number 1..100000");
			c.batch = (long)n;
		} else if (!strcmp(a, "--items")) {
			if (parse_num(a, v, &c.items) < 0)
				return 2;
		} else if (!strcmp(a, "--work")) {
			if (parse_num(a, v, &c.work) < 0)
				return 2;
		} else if (!strcmp(a, "--pace-ms")) {
			if (parse_num(a, v, &c.pace_ms) < 0)
				return 2;
		} else if (!strcmp(a, "--config")) {
			if (read_config(&c, v) < 0)
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
	if (read_env(&c) < 0)
		return 2;
	if ((long_input < 0) != (heavy_map < 0))
		return usage("--long-input and --heavy-map go together");
	if (long_input >= 0) {
		static const double mix[2][2][4] = {
			/* [long_input][heavy_map] = { items per worker, work, pace, batch } */
			{ { 100, 5400, 0, 1 }, { 40, 15000, 0, 4 } },
			{ { 20, 600, 60, 1 }, { 20, 15000, 60, 1 } },
		};
		if (c.items < 0)
			c.items = mix[long_input][heavy_map][0];
		if (c.work < 0)
			c.work = mix[long_input][heavy_map][1];
		if (c.pace_ms < 0)
			c.pace_ms = mix[long_input][heavy_map][2];
		if (c.batch < 0)
			c.batch = (long)mix[long_input][heavy_map][3];
	}
	if (c.items < 0 || c.work < 0)
		return usage("give --items and --work, or --long-input and --heavy-map");
	if (c.pace_ms < 0)
		c.pace_ms = 0;
	if (c.batch < 0)
		c.batch = 1;
	if (c.workers < 1 || c.workers > MAX_WORKERS)
		c.workers = c.workers < 1 ? 1 : MAX_WORKERS;
	items = (long)(c.items * c.scale + 0.5) * c.workers;
	if (items > 10000000)
		return usage("too many items");

	for (w = 0; w <= c.workers; w++)
		if (pipe(c.inbox[w]) < 0) {
			perror("crew: error: pipe");
			return 1;
		}
	for (w = 0; w < c.workers; w++) {
		pids[w] = fork();
		if (pids[w] < 0) {
			perror("crew: error: fork");
			ret = 1;
			break;
		}
		if (pids[w] == 0)
			_exit(worker(&c, (int)w));
		started++;
	}
	if (!ret)
		ret = coordinate(&c, pids, items);
	for (w = 0; w < started; w++)
		if (ret)
			kill(pids[w], SIGKILL);
		else if (send_msg(c.inbox[w][1], MSG_STOP, 0, 0, -1) < 0)
			ret = error_pipe();
	for (w = 0; w < started; w++) {
		if (waitpid(pids[w], &st, 0) == pids[w] && !ret &&
		    !(WIFEXITED(st) && WEXITSTATUS(st) == 0)) {
			fprintf(stderr, "crew: error: worker %ld failed (status %d)\n", w, st);
			ret = 1;
		}
	}
	if (ret)
		return 1;
	wall = clock_ms(CLOCK_MONOTONIC) - t0;
	getrusage(RUSAGE_CHILDREN, &ru);
	printf("crew workers=%ld spin=%d serial=%d: %ld items of %gk iterations, %ld per worker "
	       "and batch, pace %g ms: wall %.1f ms, cpu: coordinator %.1f ms, workers %.1f ms\n",
	       c.workers, c.spin, c.serial, items, c.work, c.batch, c.pace_ms, wall,
	       clock_ms(CLOCK_PROCESS_CPUTIME_ID),
	       (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
		       (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3);
	return 0;
}
