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
 *   - a fail must then hold again (judge_condition()): at the level
 *     judge_fail_level() gives for the look (the adaptive loop looks after
 *     every round; without a correction its repeated looks would fail a
 *     correct change far more often than 1 - confidence), from an interval
 *     that reaches that level, and without the rounds in which head ran
 *     under more contention than base (judge_round_set_aside()). Otherwise
 *     the condition is inconclusive, the loop measures more rounds, and the
 *     note says why. With 95% a fail needs 6 rounds at least.
 *   - unless: pass if either condition passes; fail only if both fail;
 *     otherwise inconclusive.
 * After a fail the measure loop stops extending scenarios (unless
 * settings.all_checks): inconclusive outcomes with rounds left say so.
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
#include "status.h"
#include "thresholds.h"

/* Why a condition whose interval says fail is not a fail (yet). */
enum held {
	HELD_NONE,
	HELD_LEVEL,	 /* the interval does not reach the fail level yet */
	HELD_CONTENTION, /* it fails only with rounds head ran under more contention */
};

/* A round is set aside from deciding a fail when head's run waited for a
 * CPU (its stall, cpu_pressure) for more than this share of its wall time
 * longer than base's run did, while other work took more of the machine
 * during head's run than during base's beyond what the clock ticks of
 * /proc/stat cannot resolve: JUDGE_CONTENTION_TICK (Linux's USER_HZ of
 * 100, the same on every machine) over each run's wall time. */
#define JUDGE_STALL_MARGIN 0.05
/* Without stall figures: when other work took more than this share of the
 * machine more during head's run than during base's, plus the ticks (1 s
 * runs need 12 points more, 50 ms runs 50). */
#define JUDGE_CONTENTION_MARGIN 0.10
#define JUDGE_CONTENTION_TICK	0.01

struct cond_eval {
	enum status status;
	double base;			/* base's median of the metric (NaN if unused) */
	double head;			/* head's median */
	struct interval ci;		/* ratio (ratio rules) or head's median (head rules) */
	int paired;			/* 1: ci from runs paired by round (signed-rank) */
	double fail_level;		/* confidence a fail needs at this look */
	int set_aside;			/* rounds set aside from deciding a fail (contention) */
	double aside_stall[SIDE_COUNT]; /* seconds each side waited for a CPU in
					 * those rounds; NaN: not measured */
	enum held held;			/* why an interval beyond the value is not a fail */
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

/* How busy the machine was during the judged runs of every scenario: the
 * contention metric per side (median and largest run), and how many rounds
 * judge_round_set_aside() sets aside. NaN medians when not measured. */
struct judge_contention {
	double median[SIDE_COUNT];
	double max[SIDE_COUNT];
	size_t runs[SIDE_COUNT]; /* runs with a contention figure */
	size_t set_aside;	 /* rounds, summed over scenarios */
	size_t rounds;		 /* rounds with both sides judged */
};
struct judgement {
	struct outcome *v;
	size_t n;
	size_t alloc;
	enum status verdict;
	size_t counts[STATUS_COUNT];
	/* how busy the machine was, the one summary every renderer shows */
	struct judge_contention contention;
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

/* The share of the machine other work took during the run (the
 * `contention` metric); NaN when not measured. */
double judge_sample_contention(const struct scenario_result *sc, const struct sample *s);

/* The confidence a fail needs when the scenario has `rounds` rounds and the
 * first look came after `runs`: with alpha = 1 - confidence, look k
 * (k = rounds - runs + 1, at least 1) spends alpha / (k (k + 1)); the
 * spends of every look sum to alpha. */
double judge_fail_level(double confidence, int runs, int rounds);

/* 1 when round `round` is set aside from deciding a fail: both sides have a
 * judged run in it and head's was held back by other work more than
 * base's: it waited for a CPU longer than base's by JUDGE_STALL_MARGIN of
 * its wall time while others took more of the machine than during base's
 * (a wait with no one else there is the run's own doing); without stall
 * figures, others took JUDGE_CONTENTION_MARGIN more of the machine. The
 * share others took is not enough by itself: a head that leaves cores idle
 * (serialised work) raises it without waiting for anything. */
int judge_round_set_aside(const struct scenario_result *sc, int round);

/* Evaluate one condition on one scenario (no when_base/unless): pass, fail
 * or inconclusive from the interval at `confidence` over every judged run;
 * a fail then must hold again at `fail_level` over the rounds not set aside
 * (judge_round_set_aside()), with an interval that reaches that level, or
 * the condition is inconclusive and `held` says why. */
struct cond_eval judge_condition(const struct scenario_result *sc, const struct condition *c,
				 double confidence, double fail_level);

/* The median of a metric over a side's judged runs (judge_metric_values());
 * NaN when none: the figure the renderers show for base and head. */
double judge_side_median(const struct scenario_result *sc, enum side side, enum metric m);

/* Judge every check on every scenario it applies to. Returns 0 (j filled).
 * Results without any scenario judge as an error, never as a pass. */
int judge_results(const struct results *r, const struct thresholds *t, struct judgement *j);

/* Where scenario `i` stands after judging only it. */
enum judge_scenario {
	JUDGE_SCENARIO_SETTLED, /* every check it has passed or was skipped */
	JUDGE_SCENARIO_OPEN,	/* a check is inconclusive, none failed or errored */
	JUDGE_SCENARIO_FAILED,	/* a check failed: the verdict is a fail */
	JUDGE_SCENARIO_ERROR,	/* a run failed */
};
enum judge_scenario judge_scenario_state(const struct results *r, const struct thresholds *t,
					 size_t i);

void judgement_release(struct judgement *j);

/* Fills c from r (judge_results() does it into judgement.contention). */
void judge_contention_summary(const struct results *r, struct judge_contention *c);

/* The runs were disturbed enough to say so: a round was set aside, or
 * other work took a median of JUDGE_BUSY_MEDIAN of the machine or more on
 * either side. */
#define JUDGE_BUSY_MEDIAN 0.15
int judge_contention_busy(const struct judge_contention *c);

/* The "contention" object of results.json (caller owns):
 *   { base: {median, max, runs}, head: {...}, set_aside, rounds, busy } */
struct cJSON *judge_contention_to_json(const struct judge_contention *c);

/*
 * The "checks" array for results.json (caller owns). One object per outcome:
 *   { check, scenario, metric, rule, threshold, status (the outcome's),
 *     base, head (medians), ratio (HL estimate; null for head rules),
 *     estimate, paired, ci: [lo, hi] | null, confidence_achieved,
 *     fail_confidence, set_aside, held: "level"|"contention"|null,
 *     n_base, n_head,
 *     unless: { metric, rule, threshold, status, base, head, ratio, ci,
 *               confidence_achieved } | null,
 *     note }
 * Numbers that are not known (not evaluated, too few runs) are null.
 */
struct cJSON *judge_to_json(const struct judgement *j, const struct results *r,
			    const struct thresholds *t);

/* Exit code for a verdict: status_exit_code() (pass 0, fail 1, inconclusive
 * 3, error 4; the table is in status.c). */
int judge_exit_code(enum status verdict);

/*
 * The caveat a note carries when an interval reaches less confidence than
 * asked, e.g. " (only 90% confidence from so few runs)" (with its leading
 * space), appended to `b`. render_md says it once instead when it applies
 * to every check, and takes it out of the notes by this same text.
 */
struct buf;
void judge_add_caveat(struct buf *b, double achieved);

#endif
