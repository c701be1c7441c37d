#ifndef SPIN_GATE_RENDER_H
#define SPIN_GATE_RENDER_H
/*
 * render: the verdict as text. Pure: nothing here runs, reads or posts, and
 * the same inputs always give byte-identical output (the only times printed
 * are results' own `started` and `finished`).
 *
 * render_md(): GitHub-flavoured markdown for a pull request comment and the
 * job summary. In order: a hidden marker line (<!-- spin-gate:NAME -->), a
 * one-line verdict, the revisions compared; the confidence caveat once when
 * every interval falls short of the confidence asked (the notes then leave
 * it out); a chart (render_md_chart()); a table of the checks that failed,
 * errored or were inconclusive, each figure once (check, scenario, metric,
 * base, head, head/base, status, why: the note with the interval and
 * limit); the checks that passed or were skipped in a <details> table
 * (with ratio [interval] and limit, a note only for skips and unless);
 * per-scenario details in a <details> section (parameters, commands,
 * medians, per-run samples); the revisions and environment last.
 * Everything that came from outside (commands, revision names, parameter
 * values, check names, notes, error text) is escaped so it cannot break a
 * table, a code span or block, or the marker, nor inject markup. When the
 * text would pass GITHUB_COMMENT_TARGET (github_limits.h), the per-run
 * sample tables are left out (the medians stay); when it still would, the
 * chart is left out too (the verdict and the tables of checks stay).
 *
 * render_term(): the same table for a terminal, aligned, then the verdict
 * line; ANSI colour only when `color`. Control characters from outside are
 * shown as '?' so they cannot drive the terminal. With a `width` (at least
 * RENDER_TERM_MIN_WIDTH; less is taken as that), no line is wider, counted
 * in UTF-8 characters: the limit wraps in its column, the scenario column
 * is cut in its middle with an ellipsis, the check name is cut; below
 * that, each check is a block (status, check and scenario on a line, the
 * figures wrapped under it); the verdict and signature lines wrap. The
 * status word, the metric and the figures are never cut.
 *
 * The check and scenario of an outcome are indices into t->checks and
 * r->scen; out-of-range indices are shown as "?" rather than trusted.
 */
#include <stddef.h>
#include <stdio.h>

#include "buf.h"
#include "fmt.h"
#include "judge.h"
#include "results.h"
#include "thresholds.h"

struct render_opts {
	const char *name; /* gate name for the marker; default "spin-gate" */
	int color;	  /* terminal colours */
	int width;	  /* render_term: columns to fit in (render_term_width()); 0: no limit */
	/* render_md: a failed gate over several commits shows this command,
	 * ready to run (one line, no backtick); NULL: none */
	const char *bisect;
	/* render_md: markdown put under the revisions (head among main's last
	 * records, render_history_head()); NULL: none */
	const char *history;
};

/* Appends the whole comment to `out`. `o` may be NULL (defaults). */
void render_md(struct buf *out, const struct results *r, const struct thresholds *t,
	       const struct judgement *j, const struct render_opts *o);

/*
 * Appends the chart of render_md: two mermaid `xychart-beta horizontal`
 * blocks (CPU seconds, wall seconds), each with base's and head's median of
 * the judged runs one under the other per scenario, labelled "s1 base", "s1 head", ...; then
 * one line naming s1..sN (escaped). With more than 8 scenarios only those
 * with a failed, errored or inconclusive check, at most 8. Nothing from
 * outside goes inside a mermaid block. Appends nothing when no scenario is
 * shown.
 */
void render_md_chart(struct buf *out, const struct results *r, const struct judgement *j);

/*
 * The colours of base and head wherever they are drawn (report.html's
 * marks, the chart's bars): Okabe and Ito's blue and orange, told apart
 * with every common colour blindness. The chart's blocks start with a
 * mermaid init directive giving its two bar series these colours
 * (themeVariables.xyChart.plotColorPalette, honoured since xychart came in
 * mermaid 10.5); without it mermaid draws the first series in its theme's
 * first colour, a near-white lavender that reads as missing.
 */
#define RENDER_COLOR_BASE "#0072B2"
#define RENDER_COLOR_HEAD "#E69F00"
#define RENDER_CHART_INIT                                                                         \
	"%%{init: {\"themeVariables\": {\"xyChart\": {\"plotColorPalette\": \"" RENDER_COLOR_BASE \
	", " RENDER_COLOR_HEAD "\"}}}}%%\n"

/* Writes the table and the verdict line to f. `o` may be NULL. */
/* 1 when f is a terminal that wants colour: not with NO_COLOR set and
 * non-empty, not with TERM=dumb, never when f is a file or a pipe. */
int render_term_color(FILE *f);

/*
 * The width render_term() fits f's table in: $COLUMNS when it is a positive
 * number, else the terminal's columns (TIOCGWINSZ) when f is one, else
 * RENDER_TERM_DEFAULT_WIDTH (a log or a pipe: wide enough for the bytewax
 * matrix's names whole, fixed so a log reads the same everywhere); never
 * below RENDER_TERM_MIN_WIDTH.
 */
#define RENDER_TERM_MIN_WIDTH	  40
#define RENDER_TERM_DEFAULT_WIDTH 200
int render_term_width(FILE *f);

void render_term(FILE *f, const struct results *r, const struct thresholds *t,
		 const struct judgement *j, const struct render_opts *o);

/*
 * One-line verdict in plain text (no escaping, no newline), e.g.
 *   "FAIL: 1 of 14 checks failed: idle-cpu on input=partitioned (13 passed)"
 *   "PASS: 14 checks passed (2 skipped)"
 *   "INCONCLUSIVE: incomplete: stopped by SIGINT after 23 runs; 2 of 6 ..."
 */
void render_verdict_line(struct buf *out, const struct results *r, const struct thresholds *t,
			 const struct judgement *j);

/*
 * The verdict line without its leading "STATUS: ", escaped for markdown when
 * `md` is 1 (render_md puts "**NAME: STATUS** - " before it).
 */
void render_verdict_summary(struct buf *out, const struct results *r, const struct thresholds *t,
			    const struct judgement *j, int md);

/*
 * Escape text for a GFM table cell or inline text: backslash before
 * | \ ` * _ [ ] # ~, HTML entities for < > &, a newline as "<br>", other
 * control characters as a space. NULL appends nothing.
 */
void render_md_escape(struct buf *out, const char *s);

/*
 * An inline code span holding s verbatim: the fence is one backtick longer
 * than the longest backtick run in s, newlines and control characters become
 * spaces. Not for table cells (GFM splits cells at '|' even inside code
 * spans): use render_md_escape() there. NULL or "" appends "(none)".
 */
void render_md_code(struct buf *out, const char *s);

/*
 * A fenced code block holding s verbatim, fenced by more backticks than the
 * longest backtick run in s (at least 3), ending with a newline.
 */
void render_md_fence(struct buf *out, const char *s);

/*
 * The hidden marker line without newline: "<!-- spin-gate:NAME -->". NAME
 * (NULL: "spin-gate") keeps [A-Za-z0-9._:/+=-]; any other byte becomes '_',
 * so the comment cannot be closed early. The poster should search for the
 * same string to find the comment it updates.
 */
void render_marker(struct buf *out, const char *name);

/*
 * Where a profiled scenario's CPU went (results.h scenario_profile), one
 * line without newline, drawn the same by the three renderers: each side's
 * top frame with its self share, its usual caller and the same frame's
 * share on the other side, then system calls per wall second, e.g.
 *   head: 61% in `select` under `Source.next` (base: 3%); base: 40% in
 *   `park` under `run` (head: 0.1%); system calls per wall s: head 1284294,
 *   base 120
 * A side that could not be profiled says why ("base: not profiled: perf:
 * command not found"); when both sides failed alike the reason is said
 * once ("not profiled: ..."). Frames go through p->code, text from outside
 * (error text) through p->text; the rest is plain ASCII.
 */
struct render_profile_style {
	void (*code)(struct buf *out, const char *s); /* a frame name */
	void (*text)(struct buf *out, const char *s); /* other text from outside */
};
/*
 * "items (item, bigger is better); p99 (s, smaller is better)": what the
 * program reports itself (suite.json "metrics", as the first scenario
 * declares them), plain text for each renderer to escape. 0 (nothing
 * appended) when the results have none.
 */
int render_reported_line(struct buf *out, const struct results *r);

void render_profile_line(struct buf *out, const struct scenario_profile *p,
			 const struct render_profile_style *st);

/* Indices 0..j->n-1 ordered fail, error, inconclusive, pass, skipped, stable
 * within a status. Caller frees. Never NULL (a 1-element block when n is 0). */
size_t *render_order(const struct judgement *j);

/* Check name / scenario name of an outcome, "?" when the index is out of range. */
const char *render_check_name(const struct thresholds *t, const struct outcome *oc);
const char *render_scenario_name(const struct results *r, const struct outcome *oc);

#endif
