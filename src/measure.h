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
 * further rounds (up to max_runs) only while judge_scenario_open() says one
 * of its checks is still inconclusive; with no thresholds, exactly `runs`.
 *
 * A run that exits non-zero or exceeds the scenario's timeout records its
 * sample, sets the scenario's error and ends that scenario's measuring; the
 * others go on. After every run the results are saved atomically to
 * results_path (marked incomplete), so nothing measured is lost if the gate
 * is killed. On SIGINT/SIGTERM the running command's process group is
 * killed and measure_run() returns at once.
 *
 * Progress goes to stderr: scenario i of n, round, side, the run's figures,
 * elapsed and an estimate of what is left.
 */
#include "results.h"
#include "revision.h"
#include "suite.h"
#include "thresholds.h"

struct measure_opts {
	int runs;
	int max_runs;
	int warmup;
	const struct thresholds *t; /* for adaptive rounds; NULL: fixed */
	const char *results_path;   /* saved after every run; NULL: not */
	const char *logs_dir;	    /* each scenario's last output per side */
	const char *tmpdir;
	const char *hyperfine; /* NULL: "hyperfine" */
	int ncpu;
	int quiet; /* no progress lines */
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
