#ifndef SPIN_GATE_RENDER_HTML_H
#define SPIN_GATE_RENDER_HTML_H
/*
 * render_html: the verdict as one self-contained HTML page (OUT/report.html).
 * Pure like the other renderers (render.h): the same inputs always give
 * byte-identical output, nothing is read or run.
 *
 * In order: the verdict line (render_verdict_line()); the revisions; the
 * checks table (status, check, scenario, metric, base, head, head/base
 * [interval], limit, note), failing first (render_order()); per scenario a
 * strip plot of every measured run's wall, user and system time, base and
 * head, with each side's median marked, and the contention of each round
 * when it was measured; the environment and the noise probe.
 *
 * Self-contained: inline CSS and SVG, no script, no URL of any kind (no
 * "http", no src= or href= to elsewhere), so it opens offline and from an
 * artifact. Base is blue circles (#0072B2), head orange diamonds (#E69F00):
 * the Okabe-Ito pair, told apart by shape too. Each plot is a <figure> whose
 * <svg> has role="img" and an aria-label; tables have a <caption> and
 * <th scope>. A viewport meta and a narrow-screen layout keep it readable on
 * a phone; wide tables scroll inside their box, never the page.
 *
 * The marks a browser test counts: every dot is an element with class
 * "dot base" or "dot head" and a data-metric of "wall", "user" or "system"
 * (and data-failed="1" when the run failed or timed out: drawn hollow);
 * a scenario has one dot per measured run (not warm-ups) whose figure is
 * finite, per side and metric. Each median is a line of class "median".
 *
 * Everything from results.json and thresholds (scenario names, revision
 * strings, notes, commands, environment) goes through render_html_escape().
 */
#include "buf.h"
#include "judge.h"
#include "render.h"
#include "results.h"
#include "thresholds.h"

/* Appends the whole page to `out`. `o` may be NULL (defaults). */
void render_html(struct buf *out, const struct results *r, const struct thresholds *t,
		 const struct judgement *j, const struct render_opts *o);

/* The page's style sheet (palette, tables, plots), for the other pages
 * drawn in its style (render_history.h). Static, borrowed. */
const char *render_html_css(void);

/*
 * Escape text for HTML content and quoted attribute values: & < > " ' as
 * entities, control characters (but tab and newline) as a space, bytes that
 * are not well-formed UTF-8 as U+FFFD. NULL appends nothing.
 */
void render_html_escape(struct buf *out, const char *s);

#endif
