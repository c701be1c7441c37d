#ifndef SPIN_GATE_RENDER_EXPORT_H
#define SPIN_GATE_RENDER_EXPORT_H
/*
 * render_export: every scenario's figures, base and head, in formats other
 * dashboards store (docs/export.md). Pure, like render.h: the same results
 * always give byte-identical output.
 *
 * A figure is one metric of one side of one scenario: the median of the
 * side's judged runs (judge_metric_values(): measured, exit 0, not timed
 * out, the value finite) and the median's distribution-free interval
 * (stats_median_ci()) at the results' confidence (settings.confidence);
 * with few runs that interval is min..max and reaches less (its achieved
 * level is said in gab's "extra"). Every metric of enum metric (thresholds.h)
 * with at least one value on a side is a figure of that side; a metric
 * without one (cpu_share, contention and the spin signature when not
 * measured) is left out, never written as 0 or null.
 *
 * Names: a benchmark is a scenario on one side, "NAME [base]" and
 * "NAME [head]", NAME the scenario's name (its parameters, "k=v k=v", or the
 * suite's name); the measure is the metric's name in thresholds.json
 * (wall, user, system, cpu, cpu_util, ...). Text from outside (scenario
 * names) is written as valid UTF-8 (a stray byte becomes U+FFFD) and
 * escaped as JSON requires.
 *
 * EXPORT_BMF, the Bencher Metric Format (`bencher run --file`):
 *   { "NAME [base]": { "wall": { "value": 5.2, "lower_value": 5.1,
 *                                "upper_value": 5.3 }, ... }, ... }
 * Metrics the program reports (suite.json "metrics") follow the measured
 * ones: the value with its declared unit and direction, and CPU seconds per
 * unit of it ("cpu_per:NAME", better smaller).
 *
 * EXPORT_GAB, github-action-benchmark's customSmallerIsBetter (every
 * metric the gate measures is better smaller; EXPORT_GAB_BIGGER, its
 * customBiggerIsBetter, has the reported metrics declared better bigger):
 *   [ { "name": "NAME [base] wall", "unit": "s", "value": 5.2,
 *       "range": "[5.1, 5.3]", "extra": "median of 6 runs; range: its
 *       interval at 96.9% confidence" }, ... ]
 */
#include "buf.h"
#include "opt.h"
#include "results.h"
#include "stats.h"

enum export_format {
	EXPORT_BMF,
	EXPORT_GAB,
	EXPORT_GAB_BIGGER,
};

/* "bmf" or "gab" into *out: 0, or -1 (no message) for anything else. */
int export_format_parse(const char *s, enum export_format *out);
/* The names export_format_parse() takes, for messages: "bmf, gab". */
#define EXPORT_FORMAT_NAMES "bmf, gab, gab-bigger"
/* The file `run` and `merge` write beside results.json with --format:
 * "export-bmf.json", "export-gab.json" or "export-gab-bigger.json". */
const char *export_file_name(enum export_format f);
/* 1 when name is one of those files. */
int export_is_file_name(const char *name);

/*
 * --format FORMAT of `run` and `merge` (opt.h OPTION_CALLBACK): o->value is an
 * unsigned of formats, 1u << each enum export_format given (repeatable:
 * --format bmf --format gab writes both). An unknown name is a usage error:
 * "--format: unknown format 'x' (expected bmf, gab, gab-bigger)".
 */
int export_format_opt(const struct opt *o, const char *arg);
#define OPT_EXPORT_FORMATS(v)                                                       \
	OPT_CALLBACK("format", 0, (v), "FORMAT", export_format_opt,                 \
		     "also write OUT/export-FORMAT.json, the figures for another\n" \
		     "dashboard: bmf (Bencher), gab or gab-bigger\n"                \
		     "(github-action-benchmark);\n"                                 \
		     "repeatable (docs/export.md)")

enum export_better {
	EXPORT_SMALLER, /* less is better: seconds, CPU, switches */
	EXPORT_BIGGER,	/* more is better: a reported throughput */
};

/* One figure of a side of a scenario. Strings are borrowed (static, the
 * scenario's, or unit_own). */
struct export_figure {
	const char *measure; /* "cpu": the metric's name */
	const char *unit;    /* "s", "fraction", "KiB", "switches", ... */
	char unit_own[96];   /* "s CPU/item": a unit made for this figure */
	enum export_better better;
	enum side side;
	size_t runs;	    /* judged runs with a value */
	struct interval ci; /* est: the median; lo..hi: its interval */
};

/*
 * The figures of one scenario at `confidence`, base's then head's, each
 * side's in the order of enum metric. Returns a malloc'd array (the caller
 * frees; never NULL) and its length in *n. The metrics the scenario
 * reports follow, each as its value and as cpu_per:NAME.
 */
struct export_figure *export_scenario_figures(const struct scenario_result *sc, double confidence,
					      size_t *n);

/* Append every scenario's figures to out in format f. */
void render_export(struct buf *out, const struct results *r, enum export_format f);

#endif
