/*
 * Unit tests of measure_run() (src/measure/measure.c), the loop the gate's figures
 * come from: which side runs first in each round, warm-ups, adaptive rounds
 * while state() says open, the stop once a check failed (unless all_checks),
 * failed runs, interruption, the time-left estimate and the save after every
 * run.
 *
 * Nothing is run and nothing is timed: this file defines the boundary
 * functions measure.c calls, and the linker takes them instead of the
 * archive's objects (an archive member is pulled in only for a symbol still
 * undefined):
 *   - hyperfine_run_once() and hyperfine_quote_argv(), all of hyperfine.o
 *     that measure.o uses, so hyperfine.o is never linked: a scripted runner
 *     that records every call (test_hyperfine.c tests the real one);
 *   - sysload_init/_release/_mark/_sample(), likewise all of sysload.o that
 *     is used: counted marks and fixed contention figures, whatever the
 *     machine's load;
 *   - clock_gettime(): CLOCK_MONOTONIC is a virtual clock the fake runner
 *     advances by RUN_SECS per run, so elapsed time and the estimate of what
 *     is left are exact (other clocks go to the kernel).
 * Should measure.c start calling another function of hyperfine.o or
 * sysload.o, the link fails with a duplicate symbol: fake that one too.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "hyperfine.h"
#include "measure.h"
#include "proc.h"
#include "results.h"
#include "suite.h"
#include "sysload.h"
#include "testlib.h"

#define RUN_SECS  10 /* virtual seconds each fake run takes */
#define MAX_CALLS 128

/* ---- the virtual clock ---- */

static double fake_now = 1000;

int clock_gettime(clockid_t clk, struct timespec *ts)
{
	if (clk != CLOCK_MONOTONIC)
		return (int)syscall(SYS_clock_gettime, clk, ts);
	ts->tv_sec = (time_t)fake_now;
	ts->tv_nsec = (long)((fake_now - (double)ts->tv_sec) * 1e9);
	return 0;
}

/* ---- fake sysload ---- */

static int sysload_inits, sysload_releases, marks;
static double fake_cgroup_cpu; /* every run's cgroup_cpu; NaN: none */

void sysload_init(struct sysload *sl)
{
	memset(sl, 0, sizeof(*sl));
	sysload_inits++;
}

/* No runs' cgroup: the fake runner starts nothing. */
int sysload_runs_cgroup(struct sysload *sl)
{
	(void)sl;
	return -1;
}

void sysload_release(struct sysload *sl)
{
	(void)sl;
	sysload_releases++;
}

void sysload_mark(const struct sysload *sl, struct sysload_mark *m)
{
	(void)sl;
	memset(m, 0, sizeof(*m));
	m->wall = fake_now;
	m->busy = marks; /* which mark this is */
	marks++;
}

/* The run's contention: fixed figures, and a check that the two marks
 * bracket exactly one run (taken just before it and just after). */
void sysload_sample(const struct sysload_mark *a, const struct sysload_mark *b, struct sample *s)
{
	assert_true(b->busy == a->busy + 1);
	assert_true(b->wall - a->wall == RUN_SECS);
	s->others_cpu = 0.5;
	s->steal = 0.25;
	s->cpu_pressure = 0.125;
	s->pressure_source = PRESSURE_SYSTEM;
	s->cgroup_cpu = fake_cgroup_cpu;
}

/* ---- the fake runner ---- */

enum act {
	ACT_OK = 0,
	ACT_EXIT_3,	     /* the command exits 3 */
	ACT_TIMEOUT,	     /* killed at the scenario's timeout */
	ACT_HYPERFINE_FAILS, /* hyperfine itself fails (error(), -1) */
	ACT_SIGNAL_DURING,   /* SIGINT while it runs: -1, no sample */
	ACT_SIGNAL_AFTER,    /* SIGINT as it ends: a sample, then the stop */
};

struct call {
	size_t scen;	    /* from argv[2], the scenario's parameter */
	enum side side;	    /* from argv[1], the revision's env dir */
	size_t rev;	    /* likewise: base 0, head 1, /envs/rK K */
	int marks_before;   /* sysload marks taken before this run */
	long saved;	    /* samples in results_path when it started; -1: no file */
	int saved_complete; /* its "complete" */
	char *output;	    /* opts->output */
	double timeout;	    /* opts->timeout */
};

static struct call calls[MAX_CALLS];
static size_t ncalls;
static enum act acts[MAX_CALLS]; /* what call k does */
static const char *saved_path;	 /* results_path, read back by every call */

void hyperfine_quote_argv(struct buf *out, const char *const *argv)
{
	size_t i;

	for (i = 0; argv[i]; i++)
		buf_addf(out, "%s<%s>", i ? " " : "", argv[i]);
}

static long samples_in(const struct results *r)
{
	long n = 0;
	size_t i;

	for (i = 0; i < r->nscen; i++)
		n += (long)(r->scen[i].samples[SIDE_BASE].n + r->scen[i].samples[SIDE_HEAD].n);
	return n;
}

int hyperfine_run_once(const struct hyperfine_opts *o, const char *const *argv, struct sample *s)
{
	struct call *c = &calls[ncalls];
	enum act act = acts[ncalls];

	assert_true(ncalls < MAX_CALLS);
	/* the suite's command is { "prog", "${env}", "${x}" } */
	assert_string_equal(argv[0], "prog");
	assert_non_null(argv[1]);
	assert_non_null(argv[2]);
	assert_null(argv[3]);
	/* two revisions: /envs/base, /envs/head; compare's n: /envs/r2 ... */
	if (!strcmp(argv[1], "/envs/base"))
		c->rev = 0;
	else if (!strcmp(argv[1], "/envs/head"))
		c->rev = 1;
	else if (!strncmp(argv[1], "/envs/r", 7) && argv[1][7] >= '2' && argv[1][7] <= '9' &&
		 !argv[1][8])
		c->rev = (size_t)(argv[1][7] - '0');
	else
		fail_msg("unexpected env dir %s", argv[1]);
	c->side = c->rev == 0 ? SIDE_BASE : SIDE_HEAD;
	assert_int_equal(strlen(argv[2]), 1);
	c->scen = (size_t)(argv[2][0] - 'a');
	/* cwd and env expanded for this scenario and revision */
	assert_int_equal(strncmp(o->cwd, argv[1], strlen(argv[1])), 0);
	assert_string_equal(o->cwd + strlen(argv[1]), "/work");
	assert_non_null(o->env);
	assert_non_null(o->env[0]);
	assert_int_equal(strncmp(o->env[0], "SCENARIO=x-", 11), 0);
	assert_int_equal(o->env[0][11], argv[2][0]);
	assert_null(o->env[1]);
	assert_string_equal(o->hyperfine, "my-hyperfine");
	assert_string_equal(o->tmpdir, "/tmp/hf");
	c->output = xstrdup(o->output);
	c->timeout = o->timeout;
	c->marks_before = marks;
	c->saved = -1;
	if (saved_path && access(saved_path, F_OK) == 0) {
		struct results back;

		assert_int_equal(results_read(&back, saved_path), 0);
		c->saved = samples_in(&back);
		c->saved_complete = back.complete;
		results_release(&back);
	}
	ncalls++;
	fake_now += RUN_SECS;
	switch (act) {
	case ACT_HYPERFINE_FAILS:
		/* as hyperfine.c does: the message, and why in o->why */
		if (o->why)
			buf_adds(o->why, "hyperfine failed timing 'prog': Error: it broke");
		return error("hyperfine failed timing 'prog': Error: it broke");
	case ACT_SIGNAL_DURING: kill(getpid(), SIGINT); return -1;
	case ACT_TIMEOUT:
		s->wall = s->user = s->sys = NAN;
		s->exit_code = -1;
		s->timed_out = 1;
		return 0;
	case ACT_SIGNAL_AFTER: kill(getpid(), SIGINT); break;
	default: break;
	}
	s->wall = 1.0 + 0.01 * (double)ncalls; /* tells the runs apart */
	s->user = 0.75;
	s->sys = 0.25;
	s->exit_code = act == ACT_EXIT_3 ? 3 : 0;
	s->timed_out = 0;
	return 0;
}

/* ---- the suite, revisions and results the loop runs over ---- */

static char *cmd_tmpl[] = { (char *)"prog", (char *)"${env}", (char *)"${x}", NULL };
static struct suite_env env_tmpl[] = { { (char *)"SCENARIO", (char *)"x-${x}" } };

struct fixture {
	struct suite s;
	struct revision rv[SIDE_COUNT];
	struct results r;
	/* compare's n revisions: envs /envs/base, /envs/head, /envs/r2, ... */
	size_t n;
	struct revision rvn[MEASURE_MAX_REVS];
	struct results pairs[MEASURE_MAX_REVS - 1];
	char *paths[MEASURE_MAX_REVS - 1];
	char env_names[MEASURE_MAX_REVS][32];
	struct measure_opts o;
	char *dir;
	char *results_path;
};

static struct fixture fx;

/* n scenarios x=a, x=b, ... into r */
static void scenarios_into(struct results *r, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		char name[8], value[2] = { (char)('a' + i), 0 };
		struct scenario_result *sc;

		snprintf(name, sizeof(name), "x=%s", value);
		sc = test_scenario(r, name);
		test_param(sc, "x", value);
		sc->timeout = 60 + (double)i;
	}
}

static void fixture_scenarios(size_t n)
{
	scenarios_into(&fx.r, n);
}

static int setup(void **state)
{
	size_t k;

	(void)state;
	memset(&fx, 0, sizeof(fx));
	memset(calls, 0, sizeof(calls));
	memset(acts, 0, sizeof(acts));
	ncalls = 0;
	marks = sysload_inits = sysload_releases = 0;
	fake_cgroup_cpu = NAN;
	fake_now = 1000;
	proc_interrupted_reset();
	fx.dir = tmpdir_make("measure");
	fx.results_path = xstrfmt("%s/results.json", fx.dir);
	saved_path = NULL;
	fx.s.dir = (char *)"/suite";
	fx.s.path = (char *)"/suite/suite.json";
	fx.s.name = (char *)"fake";
	fx.s.command = cmd_tmpl;
	fx.s.cwd = (char *)"${env}/work";
	fx.s.env = env_tmpl;
	fx.s.nenv = 1;
	fx.rv[SIDE_BASE].env_dir = (char *)"/envs/base";
	fx.rv[SIDE_HEAD].env_dir = (char *)"/envs/head";
	results_init(&fx.r);
	for (k = 0; k + 1 < MEASURE_MAX_REVS; k++)
		results_init(&fx.pairs[k]);
	fx.o.runs = 2;
	fx.o.max_runs = 2;
	fx.o.logs_dir = "/logs";
	fx.o.tmpdir = "/tmp/hf";
	fx.o.hyperfine = "my-hyperfine";
	fx.o.ncpu = 2;
	fx.o.quiet = 1;
	msgs_begin();
	return 0;
}

static int teardown(void **state)
{
	size_t i;

	(void)state;
	free(msgs_end());
	results_release(&fx.r);
	for (i = 0; i + 1 < MEASURE_MAX_REVS; i++) {
		results_release(&fx.pairs[i]);
		free(fx.paths[i]);
	}
	for (i = 0; i < ncalls; i++)
		free(calls[i].output);
	tmpdir_remove(fx.dir);
	free(fx.results_path);
	proc_interrupted_reset();
	return 0;
}

static int run(void)
{
	return measure_run(&fx.r, &fx.s, fx.rv, &fx.o);
}

/* The side that goes first in a round: base when round + index is even. */
static enum side first(int round, size_t scen)
{
	return ((size_t)round + scen) % 2 == 0 ? SIDE_BASE : SIDE_HEAD;
}

/* Calls [from, from + 2n) are `rounds` full rounds of n scenarios, starting
 * at round `round0`, each scenario's two sides back to back. */
static void assert_rounds(size_t from, size_t n, int round0, int rounds)
{
	size_t k = from, i;
	int round;

	for (round = round0; round < round0 + rounds; round++) {
		for (i = 0; i < n; i++) {
			assert_int_equal(calls[k].scen, i);
			assert_int_equal(calls[k].side, first(round, i));
			k++;
			assert_int_equal(calls[k].scen, i);
			assert_int_equal(calls[k].side, SIDE_HEAD - first(round, i));
			k++;
		}
	}
}

/* ---- a policy for state() ---- */

struct policy {
	int open_until[4];	    /* MEASURE_OPEN while fewer measured rounds */
	enum measure_state then[4]; /* and after that */
	int calls;		    /* how often state() was asked */
	int min_rounds_seen;	    /* fewest measured rounds it was asked about */
	int asked_errored;	    /* 1: asked about a scenario with an error */
};

/* Measured (not warm-up) runs of one side. */
static size_t scenario_measured(const struct scenario_result *sc, enum side side)
{
	size_t i, n = 0;

	for (i = 0; i < sc->samples[side].n; i++)
		if (!sc->samples[side].v[i].warmup)
			n++;
	return n;
}

static int policy_state(const struct results *r, size_t i, void *ctx)
{
	struct policy *p = ctx;
	int n = (int)scenario_measured(&r->scen[i], SIDE_HEAD);

	assert_int_equal(scenario_measured(&r->scen[i], SIDE_BASE), (size_t)n);
	p->calls++;
	if (!p->min_rounds_seen || n < p->min_rounds_seen)
		p->min_rounds_seen = n;
	if (r->scen[i].error)
		p->asked_errored = 1;
	return n < p->open_until[i] ? MEASURE_OPEN : (int)p->then[i];
}

static int rounds_of(size_t scen)
{
	return (int)scenario_measured(&fx.r.scen[scen], SIDE_HEAD);
}

/* ---- tests ---- */

/* base_every (bisect's pooled good side): base runs only in rounds 1, 4, 7
 * and in no warm-up, back to back with head in those rounds, the order
 * alternating as in every round; head runs in every one. */
static void test_base_every(void **state)
{
	const struct scenario_result *sc;
	static const int base_rounds[] = { 1, 4, 7 };
	size_t i;

	(void)state;
	fixture_scenarios(1);
	fx.o.warmup = 1;
	fx.o.runs = 7;
	fx.o.max_runs = 7;
	fx.o.base_every = 3;
	assert_int_equal(run(), 0);
	assert_int_equal(ncalls, 1 + 7 + 3);
	assert_int_equal(calls[0].side, SIDE_HEAD); /* the warm-up: head only */
	/* round 1: head first (1 + 0 odd), then base; round 4: base first */
	assert_int_equal(calls[1].side, SIDE_HEAD);
	assert_int_equal(calls[2].side, SIDE_BASE);
	assert_int_equal(calls[3].side, SIDE_HEAD);
	assert_int_equal(calls[4].side, SIDE_HEAD);
	assert_int_equal(calls[5].side, SIDE_BASE);
	assert_int_equal(calls[6].side, SIDE_HEAD);
	sc = &fx.r.scen[0];
	assert_int_equal(sc->samples[SIDE_BASE].n, 3);
	for (i = 0; i < 3; i++) {
		assert_int_equal(sc->samples[SIDE_BASE].v[i].round, base_rounds[i]);
		assert_false(sc->samples[SIDE_BASE].v[i].warmup);
	}
	assert_int_equal(sc->samples[SIDE_HEAD].n, 8);
}

/* Warm-ups first, then the rounds; base and head back to back, the first
 * side alternating by round and by scenario; every sample recorded with its
 * round; commands expanded for each side. */
static void test_order_and_samples(void **state)
{
	const struct scenario_result *sc;
	size_t i, k;

	(void)state;
	fixture_scenarios(3);
	fx.o.warmup = 1;
	fx.o.runs = 2;
	fx.o.max_runs = 5; /* no state(): exactly `runs` */
	assert_int_equal(run(), 0);
	assert_int_equal(ncalls, 3 * 2 * 3);
	assert_rounds(0, 3, 1, 1); /* the warm-up round is round 1 too */
	assert_rounds(6, 3, 1, 2);
	/* round 1: x=a head first, x=b base first; round 2 the other way */
	assert_int_equal(calls[6].side, SIDE_HEAD);
	assert_int_equal(calls[8].side, SIDE_BASE);
	assert_int_equal(calls[12].side, SIDE_BASE);

	for (i = 0; i < 3; i++) {
		for (k = 0; k < SIDE_COUNT; k++) {
			const struct sample_list *l = &fx.r.scen[i].samples[k];

			assert_int_equal(l->n, 3);
			assert_int_equal(l->v[0].warmup, 1);
			assert_int_equal(l->v[0].round, 0);
			assert_int_equal(l->v[1].warmup, 0);
			assert_int_equal(l->v[1].round, 1);
			assert_int_equal(l->v[2].warmup, 0);
			assert_int_equal(l->v[2].round, 2);
			assert_true(l->v[2].user == 0.75 && l->v[2].sys == 0.25);
		}
	}
	/* each run's own figures, in run order: call 7 is x=a head round 1 */
	assert_true(fabs(fx.r.scen[0].samples[SIDE_HEAD].v[1].wall - 1.07) < 1e-9);

	sc = &fx.r.scen[1];
	assert_null(sc->error);
	assert_string_equal(sc->command[SIDE_BASE], "<prog> </envs/base> <b>");
	assert_string_equal(sc->command[SIDE_HEAD], "<prog> </envs/head> <b>");
	/* each scenario's output goes to its own log per side */
	assert_string_equal(calls[0].output, "/logs/scenario-1-head.log");
	assert_string_equal(calls[3].output, "/logs/scenario-2-head.log");
	assert_true(calls[4].timeout == 62);
	assert_null(fx.r.stopped_by);
}

/* Without warm-ups the first run is a measured round 1. */
static void test_no_warmup(void **state)
{
	(void)state;
	fixture_scenarios(1);
	fx.o.warmup = 0;
	fx.o.runs = 3;
	fx.o.max_runs = 3;
	assert_int_equal(run(), 0);
	assert_int_equal(ncalls, 6);
	assert_rounds(0, 1, 1, 3);
	assert_int_equal(fx.r.scen[0].samples[SIDE_HEAD].v[0].round, 1);
	assert_int_equal(fx.r.scen[0].samples[SIDE_HEAD].v[0].warmup, 0);
}

/* Two sysload marks around every run, one struct sysload for the whole loop,
 * and the contention lands in the run's sample. */
static void test_sysload_marks_bracket_each_run(void **state)
{
	size_t k;
	const struct sample *s;

	(void)state;
	fixture_scenarios(2);
	fx.o.warmup = 1;
	assert_int_equal(run(), 0);
	assert_int_equal(ncalls, 12);
	for (k = 0; k < ncalls; k++)
		assert_int_equal(calls[k].marks_before, 2 * (int)k + 1);
	assert_int_equal(marks, 2 * (int)ncalls);
	assert_int_equal(sysload_inits, 1);
	assert_int_equal(sysload_releases, 1);
	s = &fx.r.scen[1].samples[SIDE_HEAD].v[2];
	assert_true(s->others_cpu == 0.5 && s->steal == 0.25 && s->cpu_pressure == 0.125);
}

/* The run's cgroup counted more CPU than hyperfine and the reaper (1.0 s a
 * run): a process escaped them; said once per scenario and side, with the
 * figures. Within MEASURE_UNSEEN_CPU (hyperfine's own start-up) nothing. */
static void test_cgroup_sees_escaped_cpu(void **state)
{
	const char *text;

	(void)state;
	fixture_scenarios(2);
	fake_cgroup_cpu = 1.0 + MEASURE_UNSEEN_CPU / 2;
	assert_int_equal(run(), 0);
	assert_null(strstr(msgs_so_far(), "escaped"));
	fake_cgroup_cpu = 1.6;
	assert_int_equal(run(), 0);
	text = msgs_so_far();
	assert_non_null(strstr(text, "spin-gate: warning: scenario x=a: head round 1 used 1.60 s "
				     "of CPU by its cgroup's count, 1.00 s by hyperfine's and the "
				     "reaper's: a process of the run escaped them"));
	assert_non_null(strstr(text, "scenario x=a: base round 1 used 1.60 s"));
	assert_null(strstr(text, "scenario x=a: head round 2 used"));
	assert_non_null(strstr(text, "scenario x=b: head round 1 used 1.60 s"));
}

/* After state() says open, more rounds up to max_runs; a settled scenario
 * gets no more; state() is first asked after `runs` rounds. */
static void test_adaptive_rounds(void **state)
{
	struct policy p = { .open_until = { 99, 0, 4 },
			    .then = { MEASURE_SETTLED, MEASURE_SETTLED, MEASURE_SETTLED } };
	char *said;

	(void)state;
	fixture_scenarios(3);
	fx.o.runs = 2;
	fx.o.max_runs = 6;
	fx.o.state = policy_state;
	fx.o.ctx = &p;
	fx.o.quiet = 0;
	assert_int_equal(run(), 0);
	assert_int_equal(rounds_of(0), 6); /* open throughout: stops at max_runs */
	assert_int_equal(rounds_of(1), 2); /* settled at the first look */
	assert_int_equal(rounds_of(2), 4); /* open until it had 4 rounds */
	assert_int_equal(p.min_rounds_seen, 2);
	/* asked before each of rounds 3..6 about every scenario without an error */
	assert_int_equal(p.calls, 4 * 3);
	/* round 3 runs x=a and x=c only; the first side still follows the
	 * scenario's index: head first for both (3 + 0 and 3 + 2 odd) */
	assert_int_equal(calls[12].scen, 0);
	assert_int_equal(calls[12].side, SIDE_HEAD);
	assert_int_equal(calls[14].scen, 2);
	assert_int_equal(calls[14].side, SIDE_HEAD);
	assert_int_equal(calls[16].scen, 0);
	assert_int_equal(calls[16].side, SIDE_BASE);
	assert_int_equal(ncalls, 2 * (6 + 2 + 4));
	said = msgs_end();
	assert_non_null(strstr(said, "spin-gate: 2 round(s) done; more rounds for scenarios whose "
				     "checks are still inconclusive (at most 6)\n"));
	free(said);
	msgs_begin();
}

/* Nothing open after `runs` rounds: no more rounds, whatever max_runs. */
static void test_all_settled(void **state)
{
	struct policy p = { .open_until = { 0, 0 } };

	(void)state;
	fixture_scenarios(2);
	fx.o.max_runs = 9;
	fx.o.state = policy_state;
	fx.o.ctx = &p;
	assert_int_equal(run(), 0);
	assert_int_equal(ncalls, 2 * 2 * 2);
	assert_int_equal(p.calls, 2);
}

/* A check that failed settles the verdict: no scenario gets more rounds,
 * even those still open, and it says why. */
static void test_failed_stops_every_scenario(void **state)
{
	struct policy p = { .open_until = { 3, 99 }, .then = { MEASURE_FAILED, MEASURE_SETTLED } };
	char *said;

	(void)state;
	fixture_scenarios(2);
	fx.o.runs = 2;
	fx.o.max_runs = 8;
	fx.o.state = policy_state;
	fx.o.ctx = &p;
	fx.o.quiet = 0;
	assert_int_equal(run(), 0);
	/* x=a is open after 2 rounds and fails after 3: both stop at 3 */
	assert_int_equal(rounds_of(0), 3);
	assert_int_equal(rounds_of(1), 3);
	said = msgs_end();
	assert_non_null(strstr(said, "spin-gate: a check failed after 3 round(s): the verdict is a "
				     "fail; not extending the other scenarios (--all-checks "
				     "measures on)\n"));
	free(said);
	msgs_begin();
}

/* all_checks: the failed scenario stops, the open one goes on to max_runs. */
static void test_failed_with_all_checks(void **state)
{
	struct policy p = { .open_until = { 3, 99 }, .then = { MEASURE_FAILED, MEASURE_SETTLED } };

	(void)state;
	fixture_scenarios(2);
	fx.o.runs = 2;
	fx.o.max_runs = 8;
	fx.o.state = policy_state;
	fx.o.ctx = &p;
	fx.o.all_checks = 1;
	assert_int_equal(run(), 0);
	assert_int_equal(rounds_of(0), 3);
	assert_int_equal(rounds_of(1), 8);
}

/* A run that fails ends its scenario's measuring (the sample is kept, the
 * scenario's error names side, round and log), the others go on, and
 * state() is not asked about it. */
static void test_failed_runs_end_their_scenario(void **state)
{
	struct policy p = { .open_until = { 99, 99, 99 } };
	const struct scenario_result *a = NULL, *b = NULL, *c = NULL;

	(void)state;
	fixture_scenarios(3);
	fx.o.warmup = 1;
	fx.o.runs = 2;
	fx.o.max_runs = 3;
	fx.o.state = policy_state;
	fx.o.ctx = &p;
	/* warm-up: x=a head (times out), x=b base, head, x=c head, base;
	 * round 1: x=b base (exits 3), x=c head (hyperfine fails) */
	acts[0] = ACT_TIMEOUT;
	acts[5] = ACT_EXIT_3;
	acts[6] = ACT_HYPERFINE_FAILS;
	assert_int_equal(run(), 0);
	a = &fx.r.scen[0];
	b = &fx.r.scen[1];
	c = &fx.r.scen[2];
	/* x=a: one timed-out sample, base never ran */
	assert_string_equal(a->error, "timed out after 60 s in head warm-up 1 (output: "
				      "/logs/scenario-1-head.log)");
	assert_int_equal(a->samples[SIDE_HEAD].n, 1);
	assert_int_equal(a->samples[SIDE_HEAD].v[0].timed_out, 1);
	assert_int_equal(a->samples[SIDE_BASE].n, 0);
	/* x=b: warm-ups and the failed base round 1, kept with its exit code */
	assert_string_equal(b->error,
			    "exit code 3 in base round 1 (output: /logs/scenario-2-base.log)");
	assert_int_equal(b->samples[SIDE_BASE].n, 2);
	assert_int_equal(b->samples[SIDE_BASE].v[1].exit_code, 3);
	assert_int_equal(b->samples[SIDE_HEAD].n, 1);
	/* x=c: hyperfine failed: no sample for that run */
	/* why it could not, in the verdict (issue 21: it did not say) */
	assert_string_equal(c->error, "hyperfine could not time the head run 1: hyperfine failed "
				      "timing 'prog': Error: it broke (output: "
				      "/logs/scenario-3-head.log)");
	assert_int_equal(c->samples[SIDE_HEAD].n, 1);
	assert_int_equal(c->samples[SIDE_BASE].n, 1);
	assert_non_null(strstr(msgs_so_far(), "hyperfine failed timing 'prog'"));
	/* nothing left to measure after 5 warm-up runs and 2 failed ones */
	assert_int_equal(ncalls, 5 + 2);
	assert_int_equal(p.calls, 0);
	assert_int_equal(p.asked_errored, 0);
}

/* The others go on after a scenario's failed run, and state() is asked only
 * about those. */
static void test_others_go_on_after_a_failed_run(void **state)
{
	struct policy p = { .open_until = { 99, 99 } };

	(void)state;
	fixture_scenarios(2);
	fx.o.runs = 2;
	fx.o.max_runs = 4;
	fx.o.state = policy_state;
	fx.o.ctx = &p;
	acts[0] = ACT_EXIT_3; /* x=a head round 1 */
	assert_int_equal(run(), 0);
	assert_non_null(fx.r.scen[0].error);
	assert_int_equal(fx.r.scen[0].samples[SIDE_HEAD].n, 1);
	assert_int_equal(rounds_of(1), 4);
	assert_int_equal(p.asked_errored, 0);
	assert_int_equal(p.calls, 2);
}

/* Saved after every run: each run finds all the previous runs' samples in
 * results_path, marked incomplete; at the end every sample is there. */
static void test_saved_after_every_run(void **state)
{
	struct results back;
	size_t k;

	(void)state;
	fixture_scenarios(2);
	fx.o.warmup = 1;
	fx.o.results_path = fx.results_path;
	saved_path = fx.results_path;
	acts[7] = ACT_EXIT_3; /* x=b head round 1, its second side */
	assert_int_equal(run(), 0);
	assert_int_equal(calls[0].saved, -1); /* nothing before the first run */
	for (k = 1; k < ncalls; k++) {
		assert_int_equal(calls[k].saved, (long)k);
		assert_int_equal(calls[k].saved_complete, 0);
	}
	assert_int_equal(results_read(&back, fx.results_path), 0);
	assert_int_equal(samples_in(&back), (long)ncalls);
	assert_int_equal(back.complete, 0);
	/* the failed run and its error were saved too */
	assert_string_equal(back.scen[1].error, fx.r.scen[1].error);
	assert_string_equal(back.scen[1].command[SIDE_HEAD], "<prog> </envs/head> <b>");
	assert_true(back.scen[0].samples[SIDE_BASE].v[2].others_cpu == 0.5);
	results_release(&back);
}

/* No results_path: nothing is written. */
static void test_no_results_path(void **state)
{
	(void)state;
	fixture_scenarios(1);
	saved_path = fx.results_path;
	assert_int_equal(run(), 0);
	assert_int_equal(access(fx.results_path, F_OK), -1);
}

/* A signal during a run: measure_run() returns 1 at once, names the signal,
 * and what was measured before is saved. */
static void test_interrupted_during_a_run(void **state)
{
	struct results back;

	(void)state;
	proc_signals_install();
	fixture_scenarios(2);
	fx.o.results_path = fx.results_path;
	saved_path = fx.results_path;
	acts[2] = ACT_SIGNAL_DURING;
	assert_int_equal(run(), 1);
	assert_int_equal(ncalls, 3);
	assert_string_equal(fx.r.stopped_by, "SIGINT");
	assert_null(fx.r.scen[1].error); /* an interruption is not the scenario's error */
	assert_int_equal(results_read(&back, fx.results_path), 0);
	assert_int_equal(samples_in(&back), 2);
	results_release(&back);
}

/* A signal as a run ends: its sample is kept and saved, then the stop. */
static void test_interrupted_after_a_run(void **state)
{
	struct results back;

	(void)state;
	proc_signals_install();
	fixture_scenarios(2);
	fx.o.warmup = 1;
	fx.o.results_path = fx.results_path;
	saved_path = fx.results_path;
	acts[0] = ACT_SIGNAL_AFTER; /* in the warm-up */
	assert_int_equal(run(), 1);
	assert_int_equal(ncalls, 1);
	assert_string_equal(fx.r.stopped_by, "SIGINT");
	assert_int_equal(results_read(&back, fx.results_path), 0);
	assert_int_equal(samples_in(&back), 1);
	results_release(&back);
}

/* Progress: scenario, round, side, figures, elapsed and what is left; each
 * run takes RUN_SECS virtual seconds, so after run k of N the estimate is
 * exactly (N - k) * RUN_SECS. */
static void test_progress_and_time_left(void **state)
{
	const char *text, *line, *want_first;
	size_t k = 0, total = 2 * 2 * 3;
	char want[64];

	(void)state;
	fixture_scenarios(2);
	fx.o.warmup = 1;
	fx.o.quiet = 0;
	assert_int_equal(run(), 0);
	assert_int_equal(ncalls, total);
	text = msgs_so_far();
	/* x=a runs head first in round 1; others_cpu 0.5 s of 1.01 s on 2 cpus */
	want_first = "spin-gate: [1/2] warm-up 1 head: wall 1.01 s, user 0.75 s, sys 0.25 s, "
		     "others 25% (0:10 elapsed, ~1:50 left)\n";
	assert_int_equal(strncmp(text, want_first, strlen(want_first)), 0);
	for (line = text; (line = strstr(line, "spin-gate: [")); line++) {
		k++;
		snprintf(want, sizeof(want), "(%zu:%02zu elapsed, ~%zu:%02zu left)\n",
			 k * RUN_SECS / 60, k * RUN_SECS % 60, (total - k) * RUN_SECS / 60,
			 (total - k) * RUN_SECS % 60);
		assert_non_null(strstr(line, want));
		assert_true(strstr(line, want) < strchr(line, '\n'));
	}
	assert_int_equal(k, total);
	assert_non_null(strstr(text, "spin-gate: [2/2] round 2 base: wall 1.12 s"));
}

/* In the adaptive rounds the estimate is an upper bound: every open scenario
 * up to max_runs. */
static void test_time_left_upper_bound(void **state)
{
	struct policy p = { .open_until = { 99, 99 } };
	const char *text;

	(void)state;
	fixture_scenarios(2);
	fx.o.runs = 1;
	fx.o.max_runs = 3;
	fx.o.state = policy_state;
	fx.o.ctx = &p;
	fx.o.quiet = 0;
	assert_int_equal(run(), 0);
	assert_int_equal(ncalls, 12);
	text = msgs_so_far();
	/* the last run of the fixed rounds: nothing planned beyond them yet */
	assert_non_null(strstr(text, "[2/2] round 1 head: wall 1.04 s, user 0.75 s, sys 0.25 s, "
				     "others 24% (0:40 elapsed, ~0:00 left)\n"));
	/* the first of round 2: 7 runs at most */
	assert_non_null(strstr(text, "[1/2] round 2 base: wall 1.05 s, user 0.75 s, sys 0.25 s, "
				     "others 24% (0:50 elapsed, at most 1:10 left)\n"));
	assert_non_null(strstr(text, "(2:00 elapsed, at most 0:00 left)\n"));
}

/* A timed-out run's progress line says so. */
static void test_progress_timed_out(void **state)
{
	(void)state;
	fixture_scenarios(1);
	fx.o.quiet = 0;
	acts[1] = ACT_TIMEOUT;
	assert_int_equal(run(), 0);
	assert_non_null(strstr(msgs_so_far(),
			       "spin-gate: [1/1] round base x=a: timed out (0:20 elapsed)\n"));
}

/* With several warm-up rounds, progress and errors name the warm-up round
 * that ran (its sample's round stays 0). */
static void test_warmup_rounds_are_numbered(void **state)
{
	const char *text;

	(void)state;
	fixture_scenarios(1);
	fx.o.warmup = 2;
	fx.o.quiet = 0;
	acts[3] = ACT_EXIT_3; /* the second side of warm-up round 2 */
	assert_int_equal(run(), 0);
	text = msgs_so_far();
	assert_non_null(strstr(text, "spin-gate: [1/1] warm-up 1 head: wall 1.01 s"));
	assert_non_null(strstr(text, "spin-gate: [1/1] warm-up 2 base: wall 1.03 s"));
	assert_non_null(strstr(text, "spin-gate: [1/1] warm-up 2 head: wall 1.04 s"));
	assert_string_equal(fx.r.scen[0].error,
			    "exit code 3 in head warm-up 2 (output: /logs/scenario-1-head.log)");
	assert_int_equal(fx.r.scen[0].samples[SIDE_HEAD].v[1].round, 0);
	assert_int_equal(fx.r.scen[0].samples[SIDE_HEAD].v[1].warmup, 1);
}

/* quiet: no progress at all. */
static void test_quiet(void **state)
{
	struct policy p = { .open_until = { 99 } };

	(void)state;
	fixture_scenarios(1);
	fx.o.max_runs = 3;
	fx.o.state = policy_state;
	fx.o.ctx = &p;
	assert_int_equal(run(), 0);
	assert_string_equal(msgs_so_far(), "");
}

/* What was written to a progress_out tmpfile; caller frees. */
static char *read_back(FILE *f)
{
	long n;
	char *text;

	fflush(f);
	n = ftell(f);
	assert_true(n >= 0);
	rewind(f);
	text = xcalloc((size_t)n + 1, 1);
	assert_int_equal(fread(text, 1, (size_t)n, f), (size_t)n);
	return text;
}

static size_t count_of(const char *hay, const char *needle)
{
	size_t n = 0;

	for (; (hay = strstr(hay, needle)); hay += strlen(needle))
		n++;
	return n;
}

#define CLEAR "\r\033[K"

/* A terminal: one line rewritten before every run (what runs now, elapsed,
 * what is left with it), no per-run lines among the messages, a failed run
 * still told on its own line after the live line is wiped, and the line
 * cleared at the end. */
static void test_progress_live(void **state)
{
	FILE *f = tmpfile();
	char *text;
	const char *second, *msgs;

	(void)state;
	assert_non_null(f);
	fixture_scenarios(2);
	fx.o.warmup = 1;
	fx.o.quiet = 0;
	fx.o.progress = MEASURE_PROGRESS_LIVE;
	fx.o.progress_out = f;
	acts[5] = ACT_EXIT_3; /* x=b's second side of round 1 */
	assert_int_equal(run(), 0);
	text = read_back(f);
	fclose(f);
	msgs = msgs_so_far();
	/* 12 runs but x=b's last round */
	assert_int_equal(count_of(text, CLEAR "["), ncalls);
	assert_int_equal(strncmp(text, CLEAR "[1/2] warm-up 1 head x=a (0:00 elapsed)" CLEAR,
				 strlen(CLEAR "[1/2] warm-up 1 head x=a (0:00 elapsed)" CLEAR)),
			 0);
	/* before run 2: 11 runs of 10 s left, this one included */
	second = strstr(text + 1, CLEAR "[");
	assert_non_null(second);
	assert_int_equal(
		strncmp(second, CLEAR "[1/2] warm-up 1 base x=a (0:10 elapsed, ~1:50 left)",
			strlen(CLEAR "[1/2] warm-up 1 base x=a (0:10 elapsed, ~1:50 left)")),
		0);
	/* the failed run's line, the live line wiped before it */
	assert_non_null(strstr(msgs, "round 1 base: wall"));
	assert_non_null(strstr(msgs, "FAILED"));
	assert_int_equal(count_of(msgs, "spin-gate: ["), 1);
	assert_non_null(strstr(text, CLEAR CLEAR "["));
	/* cleared at the end */
	assert_true(strlen(text) >= strlen(CLEAR));
	assert_string_equal(text + strlen(text) - strlen(CLEAR), CLEAR);
	free(text);
}

/* The live line never wraps: cut to the width (80 when not a terminal) and
 * control characters of the name shown as '?'. */
static void test_progress_live_cut(void **state)
{
	FILE *f = tmpfile();
	char *text, *p;
	struct buf name = BUF_INIT;
	int k;

	(void)state;
	assert_non_null(f);
	buf_adds(&name, "mode=\033[31mred\n");
	for (k = 0; k < 30; k++)
		buf_adds(&name, "long ");
	test_param(test_scenario(&fx.r, name.s), "x", "z");
	fx.o.quiet = 0;
	fx.o.progress = MEASURE_PROGRESS_LIVE;
	fx.o.progress_out = f;
	assert_int_equal(run(), 0);
	text = read_back(f);
	fclose(f);
	assert_null(strstr(text, "\033[31m"));
	assert_null(strchr(text, '\n'));
	for (p = text; (p = strstr(p, CLEAR)); p += strlen(CLEAR)) {
		char *end = strstr(p + strlen(CLEAR), CLEAR);
		size_t len = (end ? (size_t)(end - p) : strlen(p)) - strlen(CLEAR);

		assert_true(len <= 79);
		if (len)
			assert_non_null(strstr(p, "[1/1] round "));
	}
	assert_non_null(strstr(text, "mode=?[31mred?long long"));
	assert_non_null(strstr(text, CLEAR "[1/1] round 1 base mode=?[31mred?long long long l... "
					   "(0:10 elapsed, ~0:30 left)" CLEAR));
	buf_release(&name);
	free(text);
}

/* Under GitHub Actions: the per-run lines as ever, each scenario's visit of
 * a round folded in a group whose title cannot start a workflow command. */
static void test_progress_groups(void **state)
{
	FILE *f = tmpfile();
	char *text;

	(void)state;
	assert_non_null(f);
	fixture_scenarios(1);
	test_param(test_scenario(&fx.r, "evil\n::error::pwned"), "x", "z");
	fx.o.warmup = 1;
	fx.o.quiet = 0;
	fx.o.progress = MEASURE_PROGRESS_GROUPS;
	fx.o.progress_out = f;
	assert_int_equal(run(), 0);
	text = read_back(f);
	fclose(f);
	/* 2 scenarios x (1 warm-up + 2 rounds) */
	assert_int_equal(count_of(text, "::group::"), 6);
	assert_int_equal(count_of(text, "::endgroup::\n"), 6);
	assert_non_null(strstr(text, "::group::[1/2] warm-up 1 x=a\n::endgroup::\n"
				     "::group::[2/2] warm-up 1 evil?::error::pwned\n"));
	assert_null(strstr(text, "\n::error::"));
	assert_int_equal(count_of(msgs_so_far(), "spin-gate: ["), 12);
	free(text);
}

/* Which mode: Actions first, then a terminal (not TERM=dumb), else lines. */
static void test_progress_mode(void **state)
{
	FILE *file = tmpfile(), *tty;
	int master = posix_openpt(O_RDWR | O_NOCTTY);
	const char *old_term = getenv("TERM"), *old_gha = getenv("GITHUB_ACTIONS");
	char *saved_term = old_term ? xstrdup(old_term) : NULL;
	char *saved_gha = old_gha ? xstrdup(old_gha) : NULL;

	(void)state;
	assert_non_null(file);
	assert_true(master >= 0);
	assert_int_equal(grantpt(master), 0);
	assert_int_equal(unlockpt(master), 0);
	tty = fopen(ptsname(master), "w");
	assert_non_null(tty);
	unsetenv("GITHUB_ACTIONS");
	setenv("TERM", "xterm", 1);
	assert_int_equal(measure_progress_mode(tty), MEASURE_PROGRESS_LIVE);
	assert_int_equal(measure_progress_mode(file), MEASURE_PROGRESS_LINES);
	setenv("TERM", "dumb", 1);
	assert_int_equal(measure_progress_mode(tty), MEASURE_PROGRESS_LINES);
	setenv("GITHUB_ACTIONS", "true", 1);
	assert_int_equal(measure_progress_mode(tty), MEASURE_PROGRESS_GROUPS);
	assert_int_equal(measure_progress_mode(file), MEASURE_PROGRESS_GROUPS);
	setenv("GITHUB_ACTIONS", "false", 1);
	assert_int_equal(measure_progress_mode(file), MEASURE_PROGRESS_LINES);
	if (saved_term)
		setenv("TERM", saved_term, 1);
	else
		unsetenv("TERM");
	if (saved_gha)
		setenv("GITHUB_ACTIONS", saved_gha, 1);
	else
		unsetenv("GITHUB_ACTIONS");
	free(saved_term);
	free(saved_gha);
	fclose(tty);
	fclose(file);
	close(master);
}

/* A command that cannot be expanded: -1 after error(), nothing runs. */
static void test_cannot_expand(void **state)
{
	static char *bad[] = { (char *)"prog", (char *)"${nope}", NULL };

	(void)state;
	fixture_scenarios(1);
	fx.s.command = bad;
	assert_int_equal(run(), -1);
	assert_int_equal(ncalls, 0);
	assert_non_null(strstr(msgs_so_far(), "unknown variable '${nope}'"));
	assert_int_equal(sysload_releases, sysload_inits);
}

/* ---- compare: n revisions ---- */

static const char *const labels[] = { "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8" };
static const char *const tags[] = { "1", "2", "3", "4", "5", "6", "7", "8" };

/* n revisions over nscen scenarios, pair p = revision 0 vs revision p + 1;
 * with `save`, each pair saved to its own file. */
static void nway(size_t n, size_t nscen, int save)
{
	size_t k;

	fx.n = n;
	for (k = 0; k < n; k++) {
		if (k < 2)
			snprintf(fx.env_names[k], sizeof(fx.env_names[k]), "/envs/%s",
				 k ? "head" : "base");
		else
			snprintf(fx.env_names[k], sizeof(fx.env_names[k]), "/envs/r%zu", k);
		fx.rvn[k].env_dir = fx.env_names[k];
	}
	for (k = 0; k + 1 < n; k++) {
		scenarios_into(&fx.pairs[k], nscen);
		if (save)
			fx.paths[k] = xstrfmt("%s/pair-%zu.json", fx.dir, k + 1);
	}
}

static int run_n(void)
{
	const struct measure_revs m = {
		.n = fx.n,
		.rv = fx.rvn,
		.labels = labels,
		.tags = tags,
		.pairs = fx.pairs,
		.paths = (const char *const *)fx.paths,
	};

	return measure_run_revs(&m, &fx.s, &fx.o);
}

/* Calls [from, ...) are `rounds` full rounds of nscen scenarios of n
 * revisions from round `round0`: every revision of a scenario back to back,
 * revision (round + i) mod n first, the others after it in order. */
static void assert_rounds_n(size_t from, size_t n, size_t nscen, int round0, int rounds)
{
	size_t k = from, i, j;
	int round;

	for (round = round0; round < round0 + rounds; round++)
		for (i = 0; i < nscen; i++)
			for (j = 0; j < n; j++, k++) {
				assert_int_equal(calls[k].scen, i);
				assert_int_equal(calls[k].rev, ((size_t)round + i + j) % n);
			}
}

/* The order rule for any n: in every round each scenario runs every
 * revision once, back to back; over n rounds (and any multiple of n) each
 * revision goes first equally often and takes every place once; for n = 2
 * it is run's alternation. */
static void test_n_way_order(void **state)
{
	size_t n, i, k, firsts[MEASURE_MAX_REVS], place[MEASURE_MAX_REVS][MEASURE_MAX_REVS];

	(void)state;
	for (n = 2; n <= MEASURE_MAX_REVS; n++)
		for (i = 0; i < 5; i++)
			for (k = 0; k < 2 * n; k++)
				assert_int_equal(measure_first(k, i, n), (k + i) % n);
	/* n = 2 is the order of run (round + index even: base first) */
	for (k = 1; k < 6; k++)
		for (i = 0; i < 3; i++)
			assert_int_equal(measure_first(k, i, 2) == 0, first(k, i) == SIDE_BASE);

	nway(4, 2, 0);
	fx.o.warmup = 1;
	fx.o.runs = 8;
	fx.o.max_runs = 8;
	assert_int_equal(run_n(), 0);
	assert_int_equal(ncalls, (1 + 8) * 2 * 4);
	assert_rounds_n(0, 4, 2, 1, 1); /* the warm-up round */
	assert_rounds_n(8, 4, 2, 1, 8); /* rounds 1..8 */
	for (i = 0; i < 2; i++) {
		memset(firsts, 0, sizeof(firsts));
		memset(place, 0, sizeof(place));
		for (k = 8; k < ncalls; k++) {
			if (calls[k].scen != i)
				continue;
			/* this scenario's calls of one round are 4 in a row */
			place[calls[k].rev][(k - 8) % 4]++;
		}
		for (k = 8; k < ncalls; k += 4)
			if (calls[k].scen == i)
				firsts[calls[k].rev]++;
		for (k = 0; k < 4; k++) {
			size_t j;

			assert_int_equal(firsts[k], 2); /* 8 rounds, 4 revisions */
			for (j = 0; j < 4; j++)
				assert_int_equal(place[k][j], 2);
		}
	}
}

/* Each revision's runs go to the pairs that compare it: the first
 * revision's to every pair's base (the same samples), revision k's to pair
 * k - 1's head; commands and logs per revision. */
static void test_n_way_samples(void **state)
{
	size_t p, i, j;

	(void)state;
	nway(3, 2, 0);
	fx.o.warmup = 1;
	assert_int_equal(run_n(), 0);
	assert_int_equal(ncalls, 3 * 2 * 3);
	for (p = 0; p < 2; p++) {
		for (i = 0; i < 2; i++) {
			const struct scenario_result *sc = &fx.pairs[p].scen[i];

			assert_int_equal(sc->samples[SIDE_BASE].n, 3);
			assert_int_equal(sc->samples[SIDE_HEAD].n, 3);
			for (j = 0; j < 3; j++) {
				assert_int_equal(sc->samples[SIDE_BASE].v[j].round, (int)j);
				assert_true(sc->samples[SIDE_BASE].v[j].wall ==
					    fx.pairs[0].scen[i].samples[SIDE_BASE].v[j].wall);
			}
			assert_null(sc->error);
		}
		assert_null(fx.pairs[p].stopped_by);
	}
	/* the pairs' heads are different runs */
	assert_true(fx.pairs[0].scen[0].samples[SIDE_HEAD].v[1].wall !=
		    fx.pairs[1].scen[0].samples[SIDE_HEAD].v[1].wall);
	/* round 1, x=a: revision 1 first (calls 6, 7, 8: v2, v3, v1) */
	assert_int_equal(calls[6].rev, 1);
	assert_true(fabs(fx.pairs[0].scen[0].samples[SIDE_HEAD].v[1].wall - 1.07) < 1e-9);
	assert_true(fabs(fx.pairs[1].scen[0].samples[SIDE_HEAD].v[1].wall - 1.08) < 1e-9);
	assert_true(fabs(fx.pairs[1].scen[0].samples[SIDE_BASE].v[1].wall - 1.09) < 1e-9);
	assert_string_equal(fx.pairs[0].scen[1].command[SIDE_BASE], "<prog> </envs/base> <b>");
	assert_string_equal(fx.pairs[1].scen[1].command[SIDE_BASE], "<prog> </envs/base> <b>");
	assert_string_equal(fx.pairs[0].scen[1].command[SIDE_HEAD], "<prog> </envs/head> <b>");
	assert_string_equal(fx.pairs[1].scen[1].command[SIDE_HEAD], "<prog> </envs/r2> <b>");
	assert_string_equal(calls[0].output, "/logs/scenario-1-2.log");
	assert_string_equal(calls[2].output, "/logs/scenario-1-1.log");
	assert_string_equal(calls[3].output, "/logs/scenario-2-3.log");
}

/* Per pair, asked by results: pair 1 (the first) is settled at once, pair 2
 * stays open until `open_until` rounds. */
struct pair_policy {
	const struct results *open_pair;
	int open_until;
	enum measure_state then;
	int calls[2];
};

static int pair_state(const struct results *r, size_t i, void *ctx)
{
	struct pair_policy *p = ctx;
	int n = (int)scenario_measured(&r->scen[i], SIDE_HEAD);

	assert_int_equal(scenario_measured(&r->scen[i], SIDE_BASE), (size_t)n);
	p->calls[r == p->open_pair]++;
	if (r != p->open_pair)
		return MEASURE_SETTLED;
	return n < p->open_until ? MEASURE_OPEN : (int)p->then;
}

/* A scenario stays open while any of its pairs is: every revision gets
 * the extra rounds, so the settled pair's samples grow too. */
static void test_n_way_open_while_any_pair_is(void **state)
{
	struct pair_policy p = { .open_until = 5, .then = MEASURE_SETTLED };

	(void)state;
	nway(3, 1, 0);
	p.open_pair = &fx.pairs[1];
	fx.o.runs = 2;
	fx.o.max_runs = 9;
	fx.o.state = pair_state;
	fx.o.ctx = &p;
	assert_int_equal(run_n(), 0);
	assert_int_equal(scenario_measured(&fx.pairs[0].scen[0], SIDE_HEAD), 5);
	assert_int_equal(scenario_measured(&fx.pairs[1].scen[0], SIDE_HEAD), 5);
	assert_int_equal(scenario_measured(&fx.pairs[1].scen[0], SIDE_BASE), 5);
	assert_int_equal(ncalls, 5 * 3);
	assert_rounds_n(0, 3, 1, 1, 5);
	/* asked before rounds 3, 4, 5 and 6, about both pairs */
	assert_int_equal(p.calls[0], 4);
	assert_int_equal(p.calls[1], 4);
}

/* A failed check in one pair settles the verdict as in run (no more
 * rounds), unless all_checks: then the open pair goes on to max_runs. */
static void test_n_way_failed_pair(void **state)
{
	struct pair_policy p = { .open_until = 3, .then = MEASURE_FAILED };

	(void)state;
	nway(3, 1, 0);
	p.open_pair = &fx.pairs[0];
	fx.o.runs = 2;
	fx.o.max_runs = 6;
	fx.o.state = pair_state;
	fx.o.ctx = &p;
	assert_int_equal(run_n(), 0);
	assert_int_equal(scenario_measured(&fx.pairs[1].scen[0], SIDE_HEAD), 3);
}

/* A failed run of one revision ends the pairs comparing it, with the error
 * naming the revision's label and log; the other pairs go on with the first
 * revision; a failed run of the first revision ends every pair. */
static void test_n_way_failed_run(void **state)
{
	(void)state;
	nway(3, 2, 0);
	fx.o.runs = 3;
	fx.o.max_runs = 3;
	/* round 1, x=a: v2 (call 0), v3 (call 1, exits 3), v1;
	 * x=b: v3, v1 (call 4, exits 3), v2 */
	acts[1] = ACT_EXIT_3;
	acts[4] = ACT_EXIT_3;
	assert_int_equal(run_n(), 0);
	/* x=a: pair 2 (v1 vs v3) ended; pair 1 went on to 3 rounds */
	assert_null(fx.pairs[0].scen[0].error);
	assert_string_equal(fx.pairs[1].scen[0].error,
			    "exit code 3 in v3 round 1 (output: /logs/scenario-1-3.log)");
	assert_int_equal(scenario_measured(&fx.pairs[0].scen[0], SIDE_HEAD), 3);
	assert_int_equal(scenario_measured(&fx.pairs[0].scen[0], SIDE_BASE), 3);
	assert_int_equal(scenario_measured(&fx.pairs[1].scen[0], SIDE_HEAD), 1);
	/* pair 2 kept v1's round-1 sample (it ran after the failure) no more */
	assert_int_equal(scenario_measured(&fx.pairs[1].scen[0], SIDE_BASE), 0);
	/* x=b: v1 failed: both pairs ended, v2 never ran */
	assert_string_equal(fx.pairs[0].scen[1].error,
			    "exit code 3 in v1 round 1 (output: /logs/scenario-2-1.log)");
	assert_string_equal(fx.pairs[1].scen[1].error, fx.pairs[0].scen[1].error);
	assert_int_equal(fx.pairs[0].scen[1].samples[SIDE_HEAD].n, 0);
	assert_int_equal(fx.pairs[1].scen[1].samples[SIDE_HEAD].n, 1);
	/* 3 + 2 runs in round 1, then x=a's v1 and v2 twice */
	assert_int_equal(ncalls, 5 + 2 * 2);
}

/* Saved after every run: each pair's own file, rewritten after each run of
 * its revisions; at the end each holds every sample of its pair. */
static void test_n_way_saved(void **state)
{
	struct results back;
	size_t p;

	(void)state;
	nway(3, 1, 1);
	saved_path = fx.paths[1]; /* pair 2's file, read before every run */
	assert_int_equal(run_n(), 0);
	assert_int_equal(ncalls, 6);
	/* round 1: v2 (pair 1 only), v3, v1; round 2: v3, v1, v2 */
	assert_int_equal(calls[0].saved, -1);
	assert_int_equal(calls[1].saved, -1);
	assert_int_equal(calls[2].saved, 1);
	assert_int_equal(calls[3].saved, 2);
	assert_int_equal(calls[4].saved, 3);
	assert_int_equal(calls[5].saved, 4);
	for (p = 0; p < 2; p++) {
		assert_int_equal(results_read(&back, fx.paths[p]), 0);
		assert_int_equal(samples_in(&back), 4);
		assert_int_equal(back.complete, 0);
		assert_true(back.scen[0].samples[SIDE_BASE].v[0].wall ==
			    fx.pairs[0].scen[0].samples[SIDE_BASE].v[0].wall);
		results_release(&back);
	}
}

/* Interrupted: every pair says by what. */
static void test_n_way_interrupted(void **state)
{
	(void)state;
	proc_signals_install();
	nway(3, 1, 0);
	acts[1] = ACT_SIGNAL_AFTER;
	assert_int_equal(run_n(), 1);
	assert_int_equal(ncalls, 2);
	assert_string_equal(fx.pairs[0].stopped_by, "SIGINT");
	assert_string_equal(fx.pairs[1].stopped_by, "SIGINT");
}

/* record's one side: scenario 0 open until 4 rounds of its base */
static int one_state(const struct results *r, size_t i, void *ctx)
{
	(void)ctx;
	assert_int_equal(scenario_measured(&r->scen[i], SIDE_HEAD), 0);
	return i == 0 && scenario_measured(&r->scen[i], SIDE_BASE) < 4 ? MEASURE_OPEN
								       : MEASURE_SETTLED;
}

/* One revision (record): one results, every run on its base side, the
 * head side empty; adaptive rounds where state() says open. */
static void test_one_revision(void **state)
{
	size_t i;

	(void)state;
	nway(1, 2, 0);
	scenarios_into(&fx.pairs[0], 2);
	fx.o.warmup = 1;
	fx.o.runs = 2;
	fx.o.max_runs = 6;
	fx.o.state = one_state;
	assert_int_equal(run_n(), 0);
	/* warm-up and 2 rounds of both, then rounds 3 and 4 of scenario 0 */
	assert_int_equal(ncalls, 2 * 3 + 2);
	for (i = 0; i < ncalls; i++)
		assert_int_equal(calls[i].rev, 0);
	assert_int_equal(fx.pairs[0].scen[0].samples[SIDE_BASE].n, 5);
	assert_int_equal(fx.pairs[0].scen[1].samples[SIDE_BASE].n, 3);
	assert_int_equal(fx.pairs[0].scen[0].samples[SIDE_HEAD].n, 0);
	assert_int_equal(fx.pairs[0].scen[1].samples[SIDE_HEAD].n, 0);
	assert_string_equal(fx.pairs[0].scen[1].command[SIDE_BASE], "<prog> </envs/base> <b>");
	assert_null(fx.pairs[0].scen[1].command[SIDE_HEAD]);
}

/* No revision or more than MEASURE_MAX_REVS: -1, nothing runs. */
static void test_n_way_bounds(void **state)
{
	(void)state;
	nway(2, 1, 0);
	fx.n = 0;
	assert_int_equal(run_n(), -1);
	fx.n = MEASURE_MAX_REVS + 1;
	assert_int_equal(run_n(), -1);
	assert_int_equal(ncalls, 0);
	assert_non_null(strstr(msgs_so_far(), "measure: 9 revisions (1 to 8)"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_order_and_samples, setup, teardown),
		cmocka_unit_test_setup_teardown(test_base_every, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_warmup, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sysload_marks_bracket_each_run, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_adaptive_rounds, setup, teardown),
		cmocka_unit_test_setup_teardown(test_all_settled, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failed_stops_every_scenario, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failed_with_all_checks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failed_runs_end_their_scenario, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_others_go_on_after_a_failed_run, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_saved_after_every_run, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_results_path, setup, teardown),
		cmocka_unit_test_setup_teardown(test_interrupted_during_a_run, setup, teardown),
		cmocka_unit_test_setup_teardown(test_interrupted_after_a_run, setup, teardown),
		cmocka_unit_test_setup_teardown(test_progress_and_time_left, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cgroup_sees_escaped_cpu, setup, teardown),
		cmocka_unit_test_setup_teardown(test_time_left_upper_bound, setup, teardown),
		cmocka_unit_test_setup_teardown(test_progress_timed_out, setup, teardown),
		cmocka_unit_test_setup_teardown(test_warmup_rounds_are_numbered, setup, teardown),
		cmocka_unit_test_setup_teardown(test_quiet, setup, teardown),
		cmocka_unit_test_setup_teardown(test_progress_live, setup, teardown),
		cmocka_unit_test_setup_teardown(test_progress_live_cut, setup, teardown),
		cmocka_unit_test_setup_teardown(test_progress_groups, setup, teardown),
		cmocka_unit_test(test_progress_mode),
		cmocka_unit_test_setup_teardown(test_cannot_expand, setup, teardown),
		cmocka_unit_test_setup_teardown(test_n_way_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_n_way_samples, setup, teardown),
		cmocka_unit_test_setup_teardown(test_n_way_open_while_any_pair_is, setup, teardown),
		cmocka_unit_test_setup_teardown(test_n_way_failed_pair, setup, teardown),
		cmocka_unit_test_setup_teardown(test_n_way_failed_run, setup, teardown),
		cmocka_unit_test_setup_teardown(test_n_way_saved, setup, teardown),
		cmocka_unit_test_setup_teardown(test_n_way_interrupted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_one_revision, setup, teardown),
		cmocka_unit_test_setup_teardown(test_n_way_bounds, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
