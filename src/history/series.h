#ifndef SPIN_GATE_SERIES_H
#define SPIN_GATE_SERIES_H
/*
 * series: a history's records (record.h) turned into series, one per suite,
 * scenario, metric and runner kind, each in history order with its change
 * points (changepoint.h). Pure: a function of the records and the options,
 * no I/O; the records are borrowed and must outlive the set.
 *
 * History order (series_order()): by the commit's date (the record's
 * "date", the committer date), then by when it was recorded, then by the
 * record's file path; a record without a commit date sorts by when it was
 * recorded. A date that cannot be read counts as absent. The same commit
 * recorded twice is two points (two measurements of one revision).
 *
 * Runner kinds are never mixed: points measured on unlike machines
 * (record.runner.kind) go to series of their own, so a change point is never
 * a change of runner. series_set.nkinds says how many kinds there are; the
 * renderers and --json name each series' kind.
 *
 * A point is a record's figure for the series' scenario and metric. A record
 * without that scenario, whose scenario failed (error), or without that
 * metric (not measured) has no point in that series; its other series are
 * untouched. A series with no point is not made.
 *
 * Order of the series: by suite, scenario name, metric (thresholds.h's
 * order, then reported metrics by name), runner kind.
 */
#include <stddef.h>

#include "changepoint.h"
#include "plan.h"
#include "record.h"
#include "thresholds.h"

struct series_point {
	size_t record; /* index into the records given to series_build() */
	double median, lo, hi;
	int n;
};

struct series {
	const char *suite; /* the rest borrowed from the first record that has it */
	const char *scenario;
	const char *metric;
	const char *runner_kind;
	enum role role;
	const struct param *params;
	size_t nparams;
	struct series_point *pts; /* history order */
	size_t n;
	struct cp_options opts;
	struct change_point *cps; /* index is into pts; NULL when none */
	size_t ncps;
};

struct series_set {
	const struct record *recs; /* borrowed */
	size_t nrecs;
	size_t *order; /* record indices in history order */
	struct series *v;
	size_t n;
	size_t nkinds; /* distinct runner kinds among the records */
};

/*
 * The change-point options of one metric; NULL in series_build(): the
 * defaults of its kind (cp_options_default(series_metric_kind(metric))).
 */
typedef void (*series_options_fn)(const char *metric, struct cp_options *o, void *ctx);

/* A series_options_fn: cp_options_from_thresholds() of the metric's kind,
 * ctx being the struct thresholds (its "history" levels). */
void series_options_thresholds(const char *metric, struct cp_options *o, void *ctx);

/* "seconds", "fraction" or "count": the kind of cp_options_default(). */
const char *series_metric_kind(const char *metric);

/*
 * Parse an ISO-8601 time "YYYY-MM-DDTHH:MM:SS" with optional fraction and
 * "Z" or "+HH:MM"/"-HH:MM" (git's %cI) into epoch seconds. 0, or -1.
 */
int series_parse_time(const char *s, double *out);

/* The records' indices in history order (above), into order[0..n). */
void series_order(const struct record *recs, size_t n, size_t *order);

/* Build every series and find its change points. 0, or -1 (allocation). */
int series_build(struct series_set *set, const struct record *recs, size_t nrecs,
		 series_options_fn options, void *ctx);
void series_set_release(struct series_set *set);

/*
 * Keep only the series whose scenario matches the filters (`--only
 * NAME=VALUE`, plan.h): for each parameter named, one of the values given
 * for it. No filter keeps everything.
 */
void series_filter(struct series_set *set, const struct plan_filter *f, size_t nf);

/* The record of point i of a series. */
const struct record *series_record(const struct series_set *set, const struct series *s, size_t i);

/*
 * The points either side of change point k of a series: before is from the
 * change point before it (or the start) up to it, after from it up to the
 * next (or the end). Each with the median of its points' medians and that
 * median's 95% interval (stats_median_ci(): with few points it is the
 * widest the points allow, at a lower confidence: `achieved`).
 */
struct series_segment {
	size_t from, to; /* points [from, to) */
	double median, lo, hi, achieved;
};
void series_segments(const struct series *s, size_t k, struct series_segment *before,
		     struct series_segment *after);

/*
 * Which way is bad for a series, from the checks that apply to its scenario
 * (role and `where`, check_applies()) and judge its metric: a *_max rule
 * makes up bad (idle CPU, wall), a *_min rule down (saturation). The
 * "unless" and "when_base" conditions do not count: they excuse, they do not
 * guard. A bitmask of SERIES_BAD_UP and SERIES_BAD_DOWN; 0: no check guards
 * the series (its change points are shown, never alerted on).
 */
enum series_bad {
	SERIES_BAD_UP = 1 << 0,
	SERIES_BAD_DOWN = 1 << 1,
};
unsigned series_bad_direction(const struct thresholds *t, const struct series *s);

/* Whether change point cp of a series is a step in a bad direction. */
int series_cp_is_bad(unsigned bad, const struct change_point *cp);

#endif
