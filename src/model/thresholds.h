#ifndef SPIN_GATE_THRESHOLDS_H
#define SPIN_GATE_THRESHOLDS_H
/*
 * thresholds: the checks a gate applies, read from thresholds.json.
 *
 *   { "version": 1,
 *     "confidence": 0.95,          two-sided level of every interval
 *     "runs": 5, "max_runs": 15,   defaults for --runs / --max-runs
 *     "checks": [
 *       { "name": "idle-cpu",
 *         "description": "idle scenarios must not spin",
 *         "role": "idle",                scenarios the suite declares idle (suite.h)
 *         "where": { "long_input": "True", "heavy_map": "False" },
 *         "optional": false,             true: may apply to no scenario
 *         "metric": "cpu", "rule": "ratio_max", "value": 0.5,
 *         "unless": { "metric": "cpu_util", "rule": "head_max", "value": 0.25 },
 *         "when_base": { "metric": "cpu_util", "rule": "head_min", "value": 0.85 } } ],
 *     "history": {                 optional: the change points of a history
 *       "max_pvalue": 0.001,       (history/changepoint.h; docs/history.md)
 *       "min_magnitude": { "seconds": 0.10, "fraction": 0.10, "count": 0.20 } } }
 *
 * metric: wall | user | system | cpu (user+system) | cpu_util
 *         (cpu / (wall x the scenario's cores)) | cpu_share (cpu / the CPU
 *         the run could have had: wall x min(cores, machine cores x (1 -
 *         contention))) | contention ((others' CPU + steal) / (wall x
 *         machine cores): how much of the machine other work took).
 *         cpu_util, cpu_share and contention are fractions.
 *         The spin signature (results.h; what the kernel counted for the
 *         run's process tree): max_rss (peak resident memory of its largest
 *         process, KiB) | vcsw (voluntary context switches: the run blocked)
 *         | ivcsw (involuntary: it was preempted) | vcsw_per_cpu_s (vcsw /
 *         cpu: a busy spin has few, a poll with a timeout many). NaN (the
 *         run does not count) where not measured.
 *         A metric the program reports (suite.h "metrics", reported.h): its
 *         NAME | cpu_per:NAME (CPU seconds per unit of it: per item, per
 *         message) | NAME_per_cpu_s (units of it per CPU second). Any other
 *         word of printable ASCII is taken for such a NAME here; the suite
 *         must declare it (thresholds_check_matrix(), before measuring).
 * rule:   ratio_max  head/base at most value      ratio_min  head/base at least value
 *         head_max   head's median at most value  head_min   head's median at least value
 *         diff_max   head - base at most value    diff_min   head - base at least value
 *                    (seconds, or cpu_util as a fraction; e.g. the wall check's
 *                    "unless": a change under 50 ms is start-up jitter, not a regression)
 * role:   idle | busy | any: only scenarios of that role (any: every one).
 * where:  parameter values that must all match (string compare; numbers and
 *         booleans in JSON are compared by their text); absent or {} = all.
 * unless: an alternative condition; the check passes when either passes.
 * when_base: the check applies only where base's median meets this condition
 *         (its rule must be head_min or head_max and is applied to base).
 *
 * thresholds_load() validates everything and reports the first problem with
 * the file, the field and what was expected:
 *
 *   spin-gate: error: 'thresholds.json': checks[2].rule: unknown rule
 *   'ratio_mx' (expected ratio_max, ratio_min, head_max, head_min)
 *
 * Unknown keys (at the top, in a check, in unless / when_base) are errors, so
 * a misspelt "unles" cannot silently drop a condition. version must be 1;
 * confidence in (0.5, 1); 2 <= runs <= max_runs <= RESULTS_MAX_ROUNDS (1000,
 * results.h says why); a duplicate key or a string that is not UTF-8 is an
 * error (JSON_PARSE_UTF8 in json.h); checks non-empty with
 * unique, non-empty names; value finite, > 0 for ratio rules and >= 0 for
 * head rules. history: only the keys shown; max_pvalue in (0, 1), each
 * min_magnitude finite and >= 0; an absent one keeps the detector's default.
 */
#include <stddef.h>

#include "results.h"

enum metric {
	METRIC_WALL,
	METRIC_USER,
	METRIC_SYSTEM,
	METRIC_CPU,
	METRIC_CPU_UTIL,
	METRIC_CPU_SHARE,
	METRIC_CONTENTION,
	METRIC_MAX_RSS,
	METRIC_VCSW,
	METRIC_IVCSW,
	METRIC_VCSW_PER_CPU_S,
	/* From here: metrics the program reports (reported.h), numbered as
	 * thresholds name them (metric_parse_reported()). */
	METRIC_REPORTED_FIRST = 64,
	METRIC_REPORTED_LAST = 127,
};

/* What a reported metric's check judges: the value itself, CPU seconds
 * (user + system) per unit of it ("cpu_per:NAME"), or units per CPU second
 * ("NAME_per_cpu_s"). */
enum metric_reported_kind {
	METRIC_REPORTED_VALUE,
	METRIC_REPORTED_CPU_PER,
	METRIC_REPORTED_PER_CPU_S,
};

enum rule {
	RULE_RATIO_MAX,
	RULE_RATIO_MIN,
	RULE_HEAD_MAX,
	RULE_HEAD_MIN,
	RULE_DIFF_MAX,
	RULE_DIFF_MIN,
};

struct condition {
	enum metric metric;
	enum rule rule;
	double value;
};

struct check {
	char *name;
	char *description; /* may be NULL */
	struct param *where;
	size_t nwhere;
	struct condition cond;
	int has_unless;
	struct condition unless;
	int has_when_base;
	struct condition when_base;
	enum role role; /* select scenarios of this role only; ROLE_ANY: every one */
	int optional;	/* may apply to no scenario of a suite */
};

/* thresholds.json's "history": NaN where absent (the detector's default). */
struct thresholds_history {
	double max_pvalue;
	double min_magnitude_seconds;
	double min_magnitude_fraction;
	double min_magnitude_count;
};

struct thresholds {
	char *path;
	double confidence; /* default 0.95 */
	int runs;	   /* default 3 */
	int max_runs;	   /* default 15 */
	struct check *checks;
	size_t nchecks;
	struct thresholds_history history;
};

const char *metric_name(enum metric m);
const char *rule_name(enum rule r);
/* Parse names; 0 or -1 (no message). metric_parse() knows the measured
 * metrics only. */
int metric_parse(const char *s, enum metric *out);
/*
 * A reported metric's form ("items", "cpu_per:items", "items_per_cpu_s")
 * numbered from METRIC_REPORTED_FIRST: the same text gives the same number
 * for the life of the process (a table of THRESHOLDS_MAX_REPORTED forms,
 * so that metric_name() can name it). 0, or -1 (no message) when s is not
 * such a form (results_metric_name_ok()) or the table is full.
 */
#define THRESHOLDS_MAX_REPORTED 32
int metric_parse_reported(const char *s, enum metric *out);
/* For a reported metric: the declared name it is about (borrowed) and its
 * kind; NULL for a measured metric. */
const char *metric_reported_base(enum metric m, enum metric_reported_kind *kind);
/* The unit a scenario declared for the reported metric (after
 * metric_reported_learn()), or NULL. */
const char *metric_reported_unit(enum metric m);
/* Remember d's unit for every reported form naming it, and for those
 * named later (judge does, for the scenarios it judges, so that figures
 * print with their unit). */
void metric_reported_learn(const struct metric_decl *d);
int rule_parse(const char *s, enum rule *out);
/*
 * Which way a run's wait for a CPU can move a metric: WAIT_RAISES wall
 * time, contention and involuntary switches; WAIT_LOWERS what is divided
 * by wall time (cpu_util, cpu_share); both a reported value (a latency or
 * a throughput); neither (0) CPU seconds (user, system, cpu: a task
 * waiting for a CPU uses none), peak memory, voluntary switches and what
 * is per CPU second or per unit of CPU. Judge sets contended rounds aside
 * only where the wait could have caused the fail (judge.h).
 */
#define WAIT_RAISES 1
#define WAIT_LOWERS 2
int metric_wait_moves(enum metric m);
/* 1 for the metrics that are fractions (cpu_util, cpu_share, contention). */
int metric_is_fraction(enum metric m);
/* 1 for the metrics in seconds (wall, user, system, cpu). */
int metric_is_seconds(enum metric m);
/* 1 for ratio_max/ratio_min. */
int rule_is_ratio(enum rule r);
/* 1 for diff_max/diff_min. */
int rule_is_diff(enum rule r);
/* 1 when the rule compares head against base (ratio or diff rules). */
int rule_uses_base(enum rule r);
/* 1 for the *_max rules. */
int rule_is_max(enum rule r);

/* Load and validate; 0, or -1 after error(). t is empty on failure. */
int thresholds_load(struct thresholds *t, const char *path);
/* Same from text (tests, fuzzing); `name` names it in messages. */
int thresholds_parse(struct thresholds *t, const char *text, size_t len, const char *name);
void thresholds_release(struct thresholds *t);

/* 1 when the scenario has the check's role (if any) and every `where` pair
 * matches its parameters. */
int check_applies(const struct check *c, const struct scenario_result *sc);

/*
 * Checks against a suite's whole matrix m (every scenario, before --only), so
 * that no check can silently vanish: a `where` naming no parameter, a
 * reported metric the matrix's scenarios do not declare, or a check applying
 * to no scenario (unless "optional"), is an error naming the file, the check
 * and why. Every problem is reported. 0, or -1 after error().
 */
int thresholds_check_matrix(const struct thresholds *t, const struct results *m, const char *suite);

/* The first condition of c (main, unless, when_base) naming a reported
 * metric that sc does not declare, or NULL. */
const struct condition *check_undeclared(const struct check *c, const struct scenario_result *sc);

#endif
