#ifndef SPIN_GATE_MEASURE_H
#define SPIN_GATE_MEASURE_H
/*
 * measure: rounds of runs over the planned scenarios, base and head
 * interleaved, each run timed by hyperfine (one invocation per run).
 *
 * Order: `warmup` unjudged rounds first; then rounds 1..runs over every
 * scenario, and in each round base and head of a scenario run back to back,
 * alternating which goes first (round + scenario index even: base first), so
 * machine drift hits both sides alike. After `runs` rounds, a scenario gets
 * further rounds (up to max_runs) only while the caller's state() says it is
 * MEASURE_OPEN; once any scenario is MEASURE_FAILED the verdict is settled
 * and no scenario gets more rounds unless all_checks; with no state(),
 * exactly `runs`. Measuring knows nothing of thresholds: state() does.
 *
 * Every run is bracketed by two sysload marks, so its sample carries what
 * the rest of the machine took meanwhile (others_cpu, steal, cpu_pressure).
 *
 * A run that exits non-zero or exceeds the scenario's timeout records its
 * sample, sets the scenario's error and ends that scenario's measuring; the
 * others go on. After every run the results are saved atomically to
 * results_path (marked incomplete), so nothing measured is lost if the gate
 * is killed. On SIGINT/SIGTERM the running command's process group is
 * killed and measure_run() returns at once.
 *
 * Each scenario's output, both sides' runs appended to logs_dir/
 * scenario-N-SIDE.log, is capped after every run (fs_cap_file()): its first
 * MEASURE_LOG_HEAD and last MEASURE_LOG_TAIL bytes are kept, with a marker
 * line saying how much was dropped between them. A single run may write
 * more until it ends (its timeout bounds it).
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
	int all_checks;		  /* 1: keep extending open scenarios after a fail */
	const char *results_path; /* saved after every run; NULL: not */
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

/*
 * Expand every scenario's command for both revisions (fills sc->command) and
 * run the rounds. Returns 0 when all planned rounds ran (scenario errors
 * included), 1 when interrupted (r->stopped_by set), -1 after error() when
 * measuring could not go on at all (commands could not be expanded).
 */
int measure_run(struct results *r, const struct suite *s, const struct revision rv[SIDE_COUNT],
		const struct measure_opts *o);

#endif
