#ifndef SPIN_GATE_RENDER_HISTORY_H
#define SPIN_GATE_RENDER_HISTORY_H
/*
 * render_history: a history's series as text (`spin-gate history`): the
 * terminal's list of change points, the --json document, and history.html.
 * Pure like the other renderers (render.h): the same set gives the same
 * bytes; nothing is read or run.
 *
 * history.html: self-contained like report.html (its style sheet,
 * render_html_css()): inline CSS and SVG, no script. In order: a line
 * saying how many records and series, and how runner kinds were kept apart;
 * a table of every change point (series, commit range, before and after,
 * step, p-value; a step in a check's bad direction marked "regression");
 * then one <figure> per series with one <svg class="plot" data-series="K">:
 * each point's median (class "pt", with its interval as a line of class
 * "ci"), the mean of each segment between change points (class "seg"), and
 * each change point as a dashed line (class "cp", data-commit="SHA"). When
 * `commit_url` is given, each point is a link to commit_url + its commit
 * (a commit that is not all hex digits is never linked); that is the only
 * URL the page holds. Everything from the records goes through
 * render_html_escape().
 */
#include "buf.h"
#include "results.h"
#include "series.h"
#include "thresholds.h"

struct render_history_opts {
	const char *name;	    /* the title's name; NULL: "spin-gate" */
	const char *commit_url;	    /* "https://github.com/o/r/commit/", or NULL: no links */
	const struct thresholds *t; /* for the bad direction; NULL: none marked */
};

/* Appends history.html to out. */
void render_history_html(struct buf *out, const struct series_set *set,
			 const struct render_history_opts *o);

/*
 * The --json document (docs/history.md):
 *   { "schema": "spin-gate/history", "version": 1, "records": N,
 *     "runner_kinds": ["..."], "split": "runner_kind",
 *     "series": [ { "suite", "scenario", "metric", "runner_kind", "points": n,
 *                   "bad": "up"|"down"|"both"|null,
 *                   "options": { "max_pvalue", "min_magnitude", "window", "min_segment" },
 *                   "change_points": [ { "commit", "previous", "rev", "index",
 *                       "before", "after", "magnitude", "pvalue", "bad",
 *                       "before_median", "after_median" } ] } ] }
 * Appends it (with a final newline) to out.
 */
void render_history_json(struct buf *out, const struct series_set *set,
			 const struct render_history_opts *o);

/* One line per change point for the terminal, or a line saying there is none. */
void render_history_text(struct buf *out, const struct series_set *set,
			 const struct render_history_opts *o);

/*
 * For the pull request's comment (render_opts.history): one line per idle
 * scenario of r placing head's median CPU among the last
 * HISTORY_HEAD_LAST points of its series in `set`, e.g.
 *   - `input=partitioned`: head 0.64 s; main's last 20: 0.60-0.71 s
 * The series of the runner kind of r's machine ("CORES x CPU_MODEL") is
 * taken; when the history has none of that kind, the longest one, and the
 * line names its kind. Scenarios with no series or no head median get no
 * line; nothing at all is appended when no line is.
 */
#define HISTORY_HEAD_LAST 20
void render_history_head(struct buf *out, const struct series_set *set, const struct results *r);

/* A figure of a metric: fmt_metric_value() for the gate's metrics, %.4g otherwise. */
void render_history_value(struct buf *out, const char *metric, double v);

/* The short form of a commit (12 characters), or "?" for NULL. */
void render_history_commit(struct buf *out, const char *commit);

/* The median of the points [from, to) of a series (NaN when empty). */
double render_history_median(const struct series *s, size_t from, size_t to);

#endif
