/*
 * render_chart: the mermaid chart of render_md (see render.h). Nothing from
 * outside goes into the mermaid block: its labels are "s1".."sN", numbers
 * are formatted here, and the scenario names are in a list after it,
 * escaped like any other text.
 */
#include "render.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Past this many scenarios the chart shows only those that failed, errored
 * or were inconclusive, and never more than this many bars per side. */
#define CHART_MAX_SCENARIOS 8

/* A bar's height: the median, or 0 when there is none. */
static double chart_median(const struct scenario_result *sc, enum side side, enum metric m)
{
	double med = judge_side_median(sc, side, m);

	return isfinite(med) && med >= 0 ? med : 0;
}

/* One xychart-beta: two bar series on interleaved categories ("s1 base",
 * "s1 head", ...), each zero where the other side's bar stands, so that
 * base and head stand side by side in two colours (mermaid draws a
 * chart's bar series over each other, not grouped). Horizontal: one label a
 * line, where 16 labels under vertical bars overlap at a comment's width
 * (seen with mermaid itself, tests/browser/check-mermaid.mjs). */
static void add_xychart(struct buf *out, const struct results *r, const size_t *pick, size_t n,
			enum metric m, const char *title, const char *yaxis)
{
	double top = 0;
	size_t i;
	int side, k, digits = 3; /* seconds: ms */

	/* a reported metric: four significant digits of the tallest bar, no
	 * exponent (they run from ns per item to millions of messages) */
	for (i = 0; metric_reported_base(m, NULL) && i < n; i++)
		for (k = 0; k < SIDE_COUNT; k++)
			top = fmax(top, chart_median(&r->scen[pick[i]], (enum side)k, m));
	if (top > 0)
		digits = (int)fmin(12, fmax(0, 3 - floor(log10(top))));

	buf_adds(out, "```mermaid\n" RENDER_CHART_INIT "xychart-beta horizontal\n");
	buf_addf(out, "    title \"%s\"\n    x-axis [", title);
	for (i = 0; i < n; i++)
		buf_addf(out, "%s\"s%zu base\", \"s%zu head\"", i ? ", " : "", i + 1, i + 1);
	buf_addf(out, "]\n    y-axis \"%s\"\n", yaxis);
	for (side = 0; side < SIDE_COUNT; side++) {
		buf_adds(out, "    bar [");
		for (i = 0; i < n; i++)
			for (k = 0; k < SIDE_COUNT; k++)
				buf_addf(out, "%s%.*f", i || k ? ", " : "", digits,
					 k == side ? chart_median(&r->scen[pick[i]],
								  (enum side)side, m)
						   : 0.0);
		buf_adds(out, "]\n");
	}
	buf_adds(out, "```\n\n");
}

/* Only what cannot end a mermaid string or start a directive: a unit is the
 * suite's text. */
static void add_safe(struct buf *out, const char *s)
{
	for (; *s; s++)
		if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || (*s && strchr("/%._-+*()", *s)))
			buf_addch(out, *s);
}

/* A chart per metric the program reports (results.h struct metric_decl),
 * with its unit and which way is better. */
static void add_reported_charts(struct buf *out, const struct results *r, const size_t *pick,
				size_t n)
{
	const struct scenario_result *first = &r->scen[pick[0]];
	struct buf title = BUF_INIT, unit = BUF_INIT;
	size_t i;

	for (i = 0; i < first->nmetrics; i++) {
		const struct metric_decl *d = &first->metrics[i];
		enum metric m;

		if (metric_parse_reported(d->name, &m) < 0)
			continue;
		buf_reset(&title);
		buf_reset(&unit);
		add_safe(&unit, d->unit);
		add_safe(&title, d->name);
		buf_addf(&title, " (reported), %s, %s is better", unit.s,
			 d->bigger ? "bigger" : "smaller");
		add_xychart(out, r, pick, n, m, title.s, unit.s);
	}
	buf_release(&title);
	buf_release(&unit);
}

void render_md_chart(struct buf *out, const struct results *r, const struct judgement *j)
{
	size_t *pick, n = 0, shown, i, k;
	int some = r->nscen > CHART_MAX_SCENARIOS;
	const char *what;

	if (!r->nscen)
		return;
	pick = xcalloc(r->nscen, sizeof(*pick));
	for (i = 0; i < r->nscen; i++) {
		int attention = 0;

		for (k = 0; j && k < j->n; k++)
			if (j->v[k].scenario == i &&
			    (j->v[k].status == STATUS_FAIL || j->v[k].status == STATUS_ERROR ||
			     j->v[k].status == STATUS_INCONCLUSIVE))
				attention = 1;
		if (!some || attention)
			pick[n++] = i;
	}
	if (!n)
		goto out;
	shown = n < CHART_MAX_SCENARIOS ? n : CHART_MAX_SCENARIOS;
	/* "seconds" unless a chart of a reported metric follows */
	what = r->scen[pick[0]].nmetrics ? "Medians" : "Median seconds";
	if (some)
		buf_addf(out,
			 "%s of the judged runs, base bar then head bar, for %s%zu "
			 "scenario%s that failed or were inconclusive (of %zu):\n\n",
			 what, shown < n ? "the first " : "the ", shown, shown == 1 ? "" : "s",
			 r->nscen);
	else
		buf_addf(out, "%s of the judged runs, base bar then head bar:\n\n", what);
	add_xychart(out, r, pick, shown, METRIC_CPU, "CPU time (user + system), seconds",
		    "seconds");
	add_xychart(out, r, pick, shown, METRIC_WALL, "Wall time, seconds", "seconds");
	add_reported_charts(out, r, pick, shown);
	for (i = 0; i < shown; i++) {
		buf_addf(out, "%ss%zu: ", i ? "; " : "", i + 1);
		render_md_escape(out, r->scen[pick[i]].name ? r->scen[pick[i]].name : "?");
	}
	buf_adds(out, "\n\n");
out:
	free(pick);
}
