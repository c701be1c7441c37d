/*
 * render_chart: the mermaid chart of render_md (see render.h). Nothing from
 * outside goes into the mermaid block: its labels are "s1".."sN", numbers
 * are formatted here, and the scenario names are in a list after it,
 * escaped like any other text.
 */
#include "render.h"

#include <math.h>
#include <stdlib.h>

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
			enum metric m, const char *title)
{
	size_t i;
	int side, k;

	buf_adds(out, "```mermaid\n" RENDER_CHART_INIT "xychart-beta horizontal\n");
	buf_addf(out, "    title \"%s\"\n    x-axis [", title);
	for (i = 0; i < n; i++)
		buf_addf(out, "%s\"s%zu base\", \"s%zu head\"", i ? ", " : "", i + 1, i + 1);
	buf_adds(out, "]\n    y-axis \"seconds\"\n");
	for (side = 0; side < SIDE_COUNT; side++) {
		buf_adds(out, "    bar [");
		for (i = 0; i < n; i++)
			for (k = 0; k < SIDE_COUNT; k++)
				buf_addf(out, "%s%.3f", i || k ? ", " : "",
					 k == side ? chart_median(&r->scen[pick[i]],
								  (enum side)side, m)
						   : 0.0);
		buf_adds(out, "]\n");
	}
	buf_adds(out, "```\n\n");
}

void render_md_chart(struct buf *out, const struct results *r, const struct judgement *j)
{
	size_t *pick, n = 0, shown, i, k;
	int some = r->nscen > CHART_MAX_SCENARIOS;

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
	if (some)
		buf_addf(out,
			 "Median seconds of the judged runs, base bar then head bar, for %s%zu "
			 "scenario%s that failed or were inconclusive (of %zu):\n\n",
			 shown < n ? "the first " : "the ", shown, shown == 1 ? "" : "s", r->nscen);
	else
		buf_adds(out, "Median seconds of the judged runs, base bar then head bar:\n\n");
	add_xychart(out, r, pick, shown, METRIC_CPU, "CPU time (user + system), seconds");
	add_xychart(out, r, pick, shown, METRIC_WALL, "Wall time, seconds");
	for (i = 0; i < shown; i++) {
		buf_addf(out, "%ss%zu: ", i ? "; " : "", i + 1);
		render_md_escape(out, r->scen[pick[i]].name ? r->scen[pick[i]].name : "?");
	}
	buf_adds(out, "\n\n");
out:
	free(pick);
}
