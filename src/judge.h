#ifndef SPIN_GATE_JUDGE_H
#define SPIN_GATE_JUDGE_H
/*
 * judge: checks applied to results, giving outcomes and a verdict. Pure: it
 * runs nothing and reads no files; the same results and thresholds always
 * give the same judgement.
 *
 * Per check and scenario it applies to:
 *   - the scenario has an error (a run failed or timed out)  -> error
 *   - fewer than 3 measured samples on a side it needs        -> inconclusive
 *   - when_base not met by base's median                      -> skipped
 *   - the condition: ratio and diff rules compare head against base. When
 *     every judged run of one side has a judged run of the other side in
 *     the same round (the usual case: rounds interleave base and head) and
 *     the paired interval reaches the requested confidence (6 rounds for
 *     95%), the per-round log ratios (or differences) go to
 *     stats_paired_ci(), which cancels what drifts between rounds; otherwise
 *     the two samples go to stats_ratio_ci() / stats_diff_ci(). Head rules use stats_median_ci().
 *     *_max: pass when the interval's upper end <= value, fail when its
 *     lower end > value, else inconclusive. *_min mirrors it.
 *   - unless: pass if either condition passes; fail only if both fail;
 *     otherwise inconclusive.
 * Verdict: fail if any outcome fails; else error if any errors; else
 * inconclusive if any is; else pass (skipped outcomes do not count; no
 * outcomes at all is a pass).
 *
 * Intervals that cannot reach the confidence (few runs) are min..max and
 * still decide; cond_eval.ci.achieved and the note say what they reach.
 * Every outcome has a one-line note saying why, e.g.
 *   "head/base 0.07 [0.05, 0.09] <= 0.5"
 *   "within budget: head cpu_util 0.04 [0.03, 0.05] <= 0.25 (head/base ...)"
 *   "base cpu_util 0.62 below 0.85: not applicable"
 *   "exit code 1 in head round 2"          (the scenario's error)
 */
#include <stddef.h>

#include "results.h"
#include "stats.h"
#include "thresholds.h"

enum status {
	STATUS_PASS,
	STATUS_FAIL,
	STATUS_INCONCLUSIVE,
	STATUS_ERROR,
	STATUS_SKIPPED,
};
#define STATUS_COUNT 5

const char *status_name(enum status s);

struct cond_eval {
	enum status status;
	double base;	    /* base's median of the metric (NaN if unused) */
	double head;	    /* head's median */
	struct interval ci; /* ratio (ratio rules) or head's median (head rules) */
	int paired;	    /* 1: ci from runs paired by round (signed-rank) */
};

struct outcome {
	size_t check;	 /* index into thresholds->checks */
	size_t scenario; /* index into results->scen */
	enum status status;
	struct cond_eval main;
	int used_unless; /* 1 when the unless condition decided or was evaluated */
	struct cond_eval unless;
	size_t n_base; /* measured samples used */
	size_t n_head;
	char *note; /* one line saying why; owned */
};

struct judgement {
	struct outcome *v;
	size_t n;
	size_t alloc;
	enum status verdict;
	size_t counts[STATUS_COUNT];
};

/* 1 when a run is judged: measured (not a warm-up), exit 0, not timed out. */
int judge_sample_counts(const struct sample *s);
/* One run's value of `m`; NaN when it cannot be computed (cpu_util without
 * a wall time or cores). */
double judge_sample_metric(const struct scenario_result *sc, const struct sample *s, enum metric m);

/* Per-run values of `m` on one side (measured, exit 0, not timed out, and
 * the value finite: cpu_util needs wall > 0 and the scenario's cores > 0).
 * Returns a malloc'd array the caller frees and its length in *n. */
double *judge_metric_values(const struct scenario_result *sc, enum side side, enum metric m,
			    size_t *n);

/* Evaluate one condition on one scenario (no when_base/unless). */
struct cond_eval judge_condition(const struct scenario_result *sc, const struct condition *c,
				 double confidence);

/* Judge every check on every scenario it applies to. Returns 0 (j filled). */
int judge_results(const struct results *r, const struct thresholds *t, struct judgement *j);

/* Judge only scenario `i`; 1 when any of its checks is inconclusive and none
 * failed or errored: the measure loop spends more rounds only on those (a
 * failed check decides the verdict whatever the others become). */
int judge_scenario_open(const struct results *r, const struct thresholds *t, size_t i);

void judgement_release(struct judgement *j);

/*
 * The "checks" array for results.json (caller owns). One object per outcome:
 *   { check, scenario, metric, rule, threshold, status (the outcome's),
 *     base, head (medians), ratio (HL estimate; null for head rules),
 *     ci: [lo, hi] | null, confidence_achieved, n_base, n_head,
 *     unless: { metric, rule, threshold, status, base, head, ratio, ci,
 *               confidence_achieved } | null,
 *     note }
 * Numbers that are not known (not evaluated, too few runs) are null.
 */
struct cJSON *judge_to_json(const struct judgement *j, const struct results *r,
			    const struct thresholds *t);

/* Exit code for a verdict: pass 0, fail 1, inconclusive 3, error 4. */
int judge_exit_code(enum status verdict);

#endif
