#ifndef SPIN_GATE_RECORD_BUILD_H
#define SPIN_GATE_RECORD_BUILD_H
/*
 * record_build: one side of a results.json made into a record (record.h):
 * per scenario and metric the median of the judged runs with its
 * distribution-free interval at the results' confidence
 * (stats_median_ci()) and n; the scenario's rounds and median contention;
 * the runner and the digests. Pure: `spin-gate record` measures, then
 * calls this on what it measured.
 *
 * And what makes one side's rounds adaptive (record_scenario_open()): with
 * no base to compare with, a scenario is worth more rounds while a median
 * it records is still vague. After the fixed rounds a scenario stays open
 * (more rounds, up to max_runs) while the interval of its wall or cpu
 * median is wider than RECORD_OPEN_REL of that median and wider than
 * RECORD_OPEN_ABS seconds (a millisecond-long figure is never vague enough
 * to pay for rounds). A scenario whose run failed is settled.
 */
#include "record.h"
#include "results.h"

/* An interval wider than this share of its median is vague... */
#define RECORD_OPEN_REL 0.10
/* ...when it is also wider than this many seconds. */
#define RECORD_OPEN_ABS 0.005

struct record_build_opts {
	const char *commit;	 /* the revision's commit, or NULL (a release) */
	const char *date;	 /* its committer date (ISO-8601), or NULL */
	const char *runner_kind; /* NULL: "CORES x CPU_MODEL" */
};

/*
 * Fill rec (record_init()'d here) from side `side` of r. rev is the side's
 * spec; recorded is now (results_now()). Figures are the metrics of
 * thresholds.h that the side's judged runs have a value of; a scenario
 * without judged runs has no figures (its error says why). Always 0.
 */
int record_build(struct record *rec, const struct results *r, enum side side,
		 const struct record_build_opts *o);

/* The runner kind of a results' machine: "2 x Intel Xeon ..." (the CPU
 * model "unknown CPU" when not read). Caller frees. */
char *record_runner_kind(const struct env_info *env);

/* 1 when scenario i of side `side` of r is still open by the rule above,
 * else 0. */
int record_scenario_open(const struct results *r, enum side side, size_t i);

#endif
