#ifndef SPIN_GATE_MEASURE_H
#define SPIN_GATE_MEASURE_H
/*
 * measure: rounds of runs over the planned scenarios, the revisions
 * interleaved, each run timed by hyperfine (one invocation per run).
 *
 * `run` measures two revisions, base and head, into one struct results
 * (measure_run()); `compare` measures n of them (measure_run_revs()) into
 * n - 1 pairs that share the first revision as their base. Both are the
 * same loop: run is the case n = 2. `record` measures one revision
 * (n = 1): one struct results whose base side gets every run, its head
 * side empty; state() (record_build.h) then says which scenarios are
 * still worth a round.
 *
 * Order: `warmup` unjudged rounds first; then rounds 1..runs over every
 * scenario, and in each round every revision of a scenario runs back to
 * back, starting with revision measure_first(round, i, n) and going on in
 * order (k, k + 1, ... mod n). For n = 2 that alternates which side goes
 * first (round + scenario index even: base first); for any n each revision
 * takes every place once in n rounds, so machine drift hits every revision
 * alike. After `runs` rounds, a scenario gets further rounds (up to
 * max_runs) only while the caller's state() says it is MEASURE_OPEN for one
 * of its pairs; once any scenario of any pair is MEASURE_FAILED the verdict
 * is settled and no scenario gets more rounds unless all_checks; with no
 * state(), exactly `runs`. Measuring knows nothing of thresholds: state()
 * does.
 *
 * Every run is bracketed by two sysload marks, so its sample carries what
 * the rest of the machine took meanwhile (others_cpu, steal, cpu_pressure).
 *
 * A run that exits non-zero or exceeds the scenario's timeout records its
 * sample, sets the scenario's error (in every pair comparing that revision)
 * and ends those pairs' measuring of it; the others go on (a scenario stops
 * once every pair has an error). After every run the pairs it went to are
 * saved atomically (results_path; measure_revs.paths), marked incomplete,
 * so nothing measured is lost if the gate is killed. On SIGINT/SIGTERM the running command's
 * process group is killed and measure_run() returns at once.
 *
 * Each scenario's output, each revision's runs appended to logs_dir/
 * scenario-N-TAG.log (TAG: base, head, or measure_revs.tags), is capped after every run
 * (fs_cap_file()): its first MEASURE_LOG_HEAD and last MEASURE_LOG_TAIL bytes are kept, with a
 * marker line saying how much was dropped between them. A single run may write more until it ends
 * (its timeout bounds it).
 *
 * Progress goes to stderr: scenario i of n, round, side, the run's figures,
 * elapsed and an estimate of what is left, one line per run
 * (MEASURE_PROGRESS_LINES, the default). On a terminal
 * (MEASURE_PROGRESS_LIVE) a single line says what runs now, rewritten in
 * place before each run ("\r", then ESC[K), cut to the terminal's width, and
 * cleared before any other message and at the end; a failed or timed-out
 * run still gets its own line. Under GitHub Actions
 * (MEASURE_PROGRESS_GROUPS) the lines of each scenario's visit in a round
 * are folded in a "::group::[i/n] round R NAME" ... "::endgroup::" block.
 */
#include <stdio.h>

#include "results.h"
#include "revision.h"
#include "suite.h"

#define MEASURE_LOG_HEAD 65536	 /* bytes kept of a scenario log's start */
#define MEASURE_LOG_TAIL 1048576 /* and of its end */
/* CPU seconds a run's cgroup may count beyond hyperfine's user + system (and
 * the reaper's) before the gate says a process escaped them: hyperfine's
 * own start-up is a few ms of it. */
#define MEASURE_UNSEEN_CPU 0.05

/* What state() says of a scenario after the rounds so far. */
enum measure_state {
	MEASURE_SETTLED, /* nothing more to learn: no more rounds */
	MEASURE_OPEN,	 /* undecided: more rounds while max_runs allows */
	MEASURE_FAILED,	 /* decided a fail: the verdict is settled */
};

enum measure_progress {
	MEASURE_PROGRESS_LINES = 0, /* a line per run: logs, pipes, files */
	MEASURE_PROGRESS_LIVE,	    /* one line rewritten in place: a terminal */
	MEASURE_PROGRESS_GROUPS,    /* lines in ::group:: blocks: GitHub Actions */
};

/* The mode for progress written to f: GROUPS when GITHUB_ACTIONS is "true",
 * else LIVE when f is a terminal and TERM is not "dumb", else LINES. */
enum measure_progress measure_progress_mode(FILE *f);

struct measure_opts {
	int runs;
	int max_runs;
	int warmup;
	/* after `runs` rounds: where scenario i stands (enum measure_state);
	 * NULL: exactly `runs` rounds */
	int (*state)(const struct results *r, size_t i, void *ctx);
	void *ctx;
	int all_checks; /* 1: keep extending open scenarios after a fail */
	/* > 1: the first revision (base) runs only in rounds 1, 1 + base_every,
	 * 1 + 2 base_every, ... and not in warm-ups: bisect, whose base side is
	 * pooled from earlier steps; 0 or 1: every round */
	int base_every;
	const char *results_path; /* saved after every run; NULL: not (measure_run()
				   * only; measure_run_revs() saves to its paths) */
	const char *logs_dir;	  /* each scenario's last output per side */
	const char *tmpdir;
	const char *hyperfine; /* NULL: "hyperfine" */
	int ncpu;
	int quiet; /* no progress lines */
	enum measure_progress progress;
	FILE *progress_out; /* the live line and group markers; NULL: stderr */
	/* names removed from every run's environment (the suite's env may
	 * still set them); NULL-terminated, or NULL */
	const char *const *unset;
};

/* The most revisions measured together (compare). */
#define MEASURE_MAX_REVS 8

/* Which revision goes first in `round` for scenario index `scenario` of n
 * revisions: (round + scenario) mod n. */
size_t measure_first(size_t round, size_t scenario, size_t n);

/* n revisions measured together: pair p (0 <= p < n - 1) compares rv[0]
 * (its base) with rv[p + 1] (its head). A run of rv[0] is appended to the
 * base side of every pair, a run of rv[k] to pair k - 1's head; every pair
 * must hold the same planned scenarios. */
struct measure_revs {
	size_t n;		   /* 1 .. MEASURE_MAX_REVS */
	const struct revision *rv; /* n revisions, prepared */
	/* each revision's name in progress lines and scenario errors, and its
	 * tag in the logs' names; NULL: side_name() ("base", "head") */
	const char *const *labels;
	const char *const *tags;
	struct results *pairs;	  /* n - 1 (1 when n is 1) */
	const char *const *paths; /* a file per pair saved after every run (an
				   * entry may be NULL), or NULL: none */
};

/*
 * Measure n revisions (the loop above; o->results_path is not used: paths
 * are m->paths). Fills every pair's sc->command for its two revisions.
 * Returns as measure_run() does; stopped_by is set in every pair. -1 also
 * when n is out of range or the pairs' scenarios differ.
 */
int measure_run_revs(const struct measure_revs *m, const struct suite *s,
		     const struct measure_opts *o);

/*
 * Expand every scenario's command for both revisions (fills sc->command) and
 * run the rounds. Returns 0 when all planned rounds ran (scenario errors
 * included), 1 when interrupted (r->stopped_by set), -1 after error() when
 * measuring could not go on at all (commands could not be expanded).
 */
int measure_run(struct results *r, const struct suite *s, const struct revision rv[SIDE_COUNT],
		const struct measure_opts *o);

#endif
