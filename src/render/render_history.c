/*
 * render_history: `spin-gate history`'s outputs (see render_history.h): the
 * terminal's lines, --json, history.html. One SVG per series: x is the
 * point's place in history order, y its median.
 */
#include "render_history.h"

#include "fmt.h"
#include "judge.h"
#include "render.h"
#include "json.h"
#include "render_html.h"
#include "stats.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Plot geometry, in SVG user units (the plot scales to its box). */
#define HP_W	  640.0
#define HP_H	  220.0
#define HP_LEFT	  70.0
#define HP_RIGHT  628.0
#define HP_TOP	  12.0
#define HP_BOTTOM 180.0

static const char history_css[] =
	".pt{fill:var(--base)}.pt.after-bad{fill:#D55E00}\n"
	".ci{stroke:var(--base);stroke-width:1;opacity:.45}\n"
	".seg{stroke:#555;stroke-width:1.5}\n"
	".cp{stroke:#D55E00;stroke-width:2;stroke-dasharray:5 3}.cp.good{stroke:#009E73}\n"
	".reg{color:#a63c00;font-weight:700}.imp{color:#006b4f}\n";

void render_history_value(struct buf *out, const char *metric, double v)
{
	enum metric m;

	if (!isfinite(v))
		buf_adds(out, "n/a");
	else if (metric && !metric_parse(metric, &m))
		fmt_metric_value(out, m, v);
	else
		buf_addf(out, "%.4g", v);
}

void render_history_commit(struct buf *out, const char *commit)
{
	if (!commit)
		buf_adds(out, "?");
	else
		buf_addf(out, "%.12s", commit);
}

double render_history_median(const struct series *s, size_t from, size_t to)
{
	double *x, m;
	size_t i;

	if (to <= from)
		return NAN;
	x = xcalloc(to - from, sizeof(*x));
	for (i = from; i < to; i++)
		x[i - from] = s->pts[i].median;
	m = stats_median(x, to - from);
	free(x);
	return m;
}

static const char *bad_name(unsigned bad)
{
	switch (bad) {
	case SERIES_BAD_UP: return "up";
	case SERIES_BAD_DOWN: return "down";
	case SERIES_BAD_UP | SERIES_BAD_DOWN: return "both";
	default: return NULL;
	}
}

static int is_hex(const char *s)
{
	if (!s || !*s)
		return 0;
	for (; *s; s++)
		if (!isxdigit((unsigned char)*s))
			return 0;
	return 1;
}

/* ---- terminal ---- */

static void add_series_name(struct buf *out, const struct series_set *set, const struct series *s)
{
	buf_addf(out, "%s %s", s->scenario, s->metric);
	if (set->nkinds > 1)
		buf_addf(out, " [%s]", s->runner_kind);
}

void render_history_text(struct buf *out, const struct series_set *set,
			 const struct render_history_opts *o)
{
	size_t i, k, total = 0;

	for (i = 0; i < set->n; i++) {
		const struct series *s = &set->v[i];
		unsigned bad = series_bad_direction(o ? o->t : NULL, s);

		for (k = 0; k < s->ncps; k++) {
			const struct change_point *cp = &s->cps[k];
			const struct record *r = series_record(set, s, cp->index);
			const struct record *p = series_record(set, s, cp->index - 1);

			add_series_name(out, set, s);
			buf_adds(out, ": ");
			render_history_commit(out, record_id(p));
			buf_adds(out, "..");
			render_history_commit(out, record_id(r));
			buf_adds(out, " ");
			render_history_value(out, s->metric, cp->before);
			buf_adds(out, " -> ");
			render_history_value(out, s->metric, cp->after);
			buf_addf(out, " (%+.1f%%, p=%.2g)%s\n", cp->magnitude * 100, cp->pvalue,
				 series_cp_is_bad(bad, cp) ? " regression" : "");
			total++;
		}
	}
	if (!total)
		buf_addf(out, "no change point in %zu series of %zu records\n", set->n, set->nrecs);
}

/* ---- --json ---- */

static void json_str_or_null(cJSON *o, const char *key, const char *s)
{
	if (s)
		cJSON_AddStringToObject(o, key, s);
	else
		cJSON_AddNullToObject(o, key);
}

static cJSON *json_segment(const struct series_segment *g)
{
	cJSON *o = cJSON_CreateObject();

	json_add_number_or_null(o, "median", g->median);
	json_add_number_or_null(o, "lo", g->lo);
	json_add_number_or_null(o, "hi", g->hi);
	cJSON_AddNumberToObject(o, "points", (double)(g->to - g->from));
	return o;
}

static cJSON *json_series(const struct series_set *set, const struct series *s,
			  const struct thresholds *t)
{
	cJSON *o = cJSON_CreateObject(), *opts, *cps;
	unsigned bad = series_bad_direction(t, s);
	size_t k;

	json_str_or_null(o, "suite", s->suite);
	cJSON_AddStringToObject(o, "scenario", s->scenario);
	cJSON_AddStringToObject(o, "metric", s->metric);
	cJSON_AddStringToObject(o, "runner_kind", s->runner_kind);
	cJSON_AddNumberToObject(o, "points", (double)s->n);
	json_str_or_null(o, "bad", bad_name(bad));
	opts = cJSON_AddObjectToObject(o, "options");
	cJSON_AddNumberToObject(opts, "max_pvalue", s->opts.max_pvalue);
	cJSON_AddNumberToObject(opts, "min_magnitude", s->opts.min_magnitude);
	cJSON_AddNumberToObject(opts, "window", (double)s->opts.window);
	cJSON_AddNumberToObject(opts, "min_segment", (double)s->opts.min_segment);
	cps = cJSON_AddArrayToObject(o, "change_points");
	for (k = 0; k < s->ncps; k++) {
		const struct change_point *cp = &s->cps[k];
		const struct record *r = series_record(set, s, cp->index);
		const struct record *p = series_record(set, s, cp->index - 1);
		struct series_segment before, after;
		cJSON *c = cJSON_CreateObject();

		series_segments(s, k, &before, &after);
		json_str_or_null(c, "commit", r->commit);
		json_str_or_null(c, "previous", p->commit);
		json_str_or_null(c, "rev", r->rev);
		json_str_or_null(c, "date", r->date);
		cJSON_AddNumberToObject(c, "index", (double)cp->index);
		json_add_number_or_null(c, "before", cp->before);
		json_add_number_or_null(c, "after", cp->after);
		json_add_number_or_null(c, "magnitude", cp->magnitude);
		json_add_number_or_null(c, "pvalue", cp->pvalue);
		cJSON_AddBoolToObject(c, "bad", series_cp_is_bad(bad, cp));
		cJSON_AddItemToObject(c, "before_segment", json_segment(&before));
		cJSON_AddItemToObject(c, "after_segment", json_segment(&after));
		json_str_or_null(c, "runner_before", p->runner.kind);
		json_str_or_null(c, "runner_after", r->runner.kind);
		cJSON_AddItemToArray(cps, c);
	}
	return o;
}

void render_history_json(struct buf *out, const struct series_set *set,
			 const struct render_history_opts *o)
{
	cJSON *root = cJSON_CreateObject(), *kinds, *arr;
	char *text;
	size_t i, k;

	cJSON_AddStringToObject(root, "schema", "spin-gate/history");
	cJSON_AddNumberToObject(root, "version", 1);
	cJSON_AddNumberToObject(root, "records", (double)set->nrecs);
	cJSON_AddStringToObject(root, "split", "runner_kind");
	kinds = cJSON_AddArrayToObject(root, "runner_kinds");
	for (i = 0; i < set->nrecs; i++) {
		const char *kind = set->recs[set->order[i]].runner.kind;

		for (k = 0; k < i; k++) {
			const char *seen = set->recs[set->order[k]].runner.kind;

			if (!strcmp(seen ? seen : "", kind ? kind : ""))
				break;
		}
		if (k == i)
			cJSON_AddItemToArray(kinds, cJSON_CreateString(kind ? kind : ""));
	}
	arr = cJSON_AddArrayToObject(root, "series");
	for (i = 0; i < set->n; i++)
		cJSON_AddItemToArray(arr, json_series(set, &set->v[i], o ? o->t : NULL));
	text = cJSON_Print(root);
	buf_adds(out, text ? text : "{}");
	buf_addch(out, '\n');
	free(text);
	cJSON_Delete(root);
}

/* ---- history.html ---- */

static void add_commit_link_open(struct buf *out, const struct render_history_opts *o,
				 const char *commit)
{
	if (!o || !o->commit_url || !is_hex(commit))
		return;
	buf_adds(out, "<a href=\"");
	render_html_escape(out, o->commit_url);
	render_html_escape(out, commit);
	buf_adds(out, "\">");
}

static void add_commit_link_close(struct buf *out, const struct render_history_opts *o,
				  const char *commit)
{
	if (o && o->commit_url && is_hex(commit))
		buf_adds(out, "</a>");
}

static void add_commit_cell(struct buf *out, const struct render_history_opts *o,
			    const char *commit)
{
	struct buf tmp = BUF_INIT;

	render_history_commit(&tmp, commit);
	buf_adds(out, "<td><code>");
	add_commit_link_open(out, o, commit);
	render_html_escape(out, tmp.s);
	add_commit_link_close(out, o, commit);
	buf_adds(out, "</code></td>");
	buf_release(&tmp);
}

static void add_text(struct buf *out, const char *s)
{
	render_html_escape(out, s);
}

static void add_series_title(struct buf *out, const struct series_set *set, const struct series *s)
{
	struct buf tmp = BUF_INIT;

	add_series_name(&tmp, set, s);
	add_text(out, tmp.s);
	buf_release(&tmp);
}

static void add_cp_table(struct buf *out, const struct series_set *set,
			 const struct render_history_opts *o)
{
	struct buf tmp = BUF_INIT;
	size_t i, k, n = 0;

	for (i = 0; i < set->n; i++)
		n += set->v[i].ncps;
	buf_adds(out, "<section id=\"change-points\">\n<h2>Change points</h2>\n");
	if (!n) {
		buf_adds(out, "<p>No change point in any series.</p>\n</section>\n");
		return;
	}
	buf_adds(out, "<div class=\"scroll\"><table>\n<caption>Every change point, by series"
		      "</caption>\n<thead><tr><th scope=\"col\">series</th>"
		      "<th scope=\"col\">previous</th><th scope=\"col\">commit</th>"
		      "<th scope=\"col\">before</th><th scope=\"col\">after</th>"
		      "<th scope=\"col\">step</th><th scope=\"col\">p-value</th>"
		      "<th scope=\"col\"></th></tr></thead>\n<tbody>\n");
	for (i = 0; i < set->n; i++) {
		const struct series *s = &set->v[i];
		unsigned bad = series_bad_direction(o ? o->t : NULL, s);

		for (k = 0; k < s->ncps; k++) {
			const struct change_point *cp = &s->cps[k];
			int is_bad = series_cp_is_bad(bad, cp);

			buf_addf(out, "<tr><td class=\"name\"><a href=\"#series-%zu\">", i);
			add_series_title(out, set, s);
			buf_adds(out, "</a></td>");
			add_commit_cell(out, o, series_record(set, s, cp->index - 1)->commit);
			add_commit_cell(out, o, series_record(set, s, cp->index)->commit);
			render_history_value(&tmp, s->metric, cp->before);
			buf_addf(out, "<td class=\"num\">%s</td>", tmp.s);
			buf_reset(&tmp);
			render_history_value(&tmp, s->metric, cp->after);
			buf_addf(out, "<td class=\"num\">%s</td>", tmp.s);
			buf_reset(&tmp);
			buf_addf(out, "<td class=\"num\">%+.1f%%</td><td class=\"num\">%.2g</td>",
				 cp->magnitude * 100, cp->pvalue);
			buf_addf(out, "<td class=\"%s\">%s</td></tr>\n", is_bad ? "reg" : "imp",
				 is_bad ? "regression"
				 : bad	? "improvement"
					: "");
		}
	}
	buf_adds(out, "</tbody></table></div>\n</section>\n");
	buf_release(&tmp);
}

static double ypos(double v, double lo, double hi)
{
	return HP_BOTTOM - (v - lo) / (hi - lo) * (HP_BOTTOM - HP_TOP);
}

static double xat(size_t i, size_t n)
{
	return n <= 1 ? (HP_LEFT + HP_RIGHT) / 2
		      : HP_LEFT + (double)i / (double)(n - 1) * (HP_RIGHT - HP_LEFT);
}

static void plot_range(const struct series *s, double *lo, double *hi)
{
	size_t i;

	*lo = INFINITY;
	*hi = -INFINITY;
	for (i = 0; i < s->n; i++) {
		const struct series_point *p = &s->pts[i];
		double a = isfinite(p->lo) ? fmin(p->lo, p->median) : p->median;
		double b = isfinite(p->hi) ? fmax(p->hi, p->median) : p->median;

		*lo = fmin(*lo, a);
		*hi = fmax(*hi, b);
	}
	if (*lo > 0 && *lo < *hi * 0.5)
		*lo = 0; /* from zero when the data spans most of it */
	if (*hi <= *lo)
		*hi = *lo + (*lo ? fabs(*lo) * 0.1 : 1);
	*hi += (*hi - *lo) * 0.05;
}

static void add_point(struct buf *out, const struct series_set *set, const struct series *s,
		      size_t i, double lo, double hi, const struct render_history_opts *o)
{
	const struct series_point *p = &s->pts[i];
	const struct record *r = series_record(set, s, i);
	double x = xat(i, s->n), y = ypos(p->median, lo, hi);
	struct buf tmp = BUF_INIT;

	if (isfinite(p->lo) && isfinite(p->hi))
		buf_addf(out,
			 "<line class=\"ci\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\"/>", x,
			 x, ypos(p->lo, lo, hi), ypos(p->hi, lo, hi));
	add_commit_link_open(out, o, r->commit);
	buf_addf(out, "<circle class=\"pt\" cx=\"%.1f\" cy=\"%.1f\" r=\"3.6\"><title>", x, y);
	render_history_commit(&tmp, record_id(r));
	if (r->rev && r->commit && strcmp(r->rev, r->commit)) {
		buf_adds(&tmp, " (");
		buf_adds(&tmp, r->rev);
		buf_adds(&tmp, ")");
	}
	buf_adds(&tmp, ": ");
	render_history_value(&tmp, s->metric, p->median);
	if (isfinite(p->lo) && isfinite(p->hi)) {
		buf_adds(&tmp, " [");
		render_history_value(&tmp, s->metric, p->lo);
		buf_adds(&tmp, ", ");
		render_history_value(&tmp, s->metric, p->hi);
		buf_adds(&tmp, "]");
	}
	if (r->date) {
		buf_adds(&tmp, ", ");
		buf_adds(&tmp, r->date);
	}
	add_text(out, tmp.s);
	buf_adds(out, "</title></circle>");
	add_commit_link_close(out, o, r->commit);
	buf_adds(out, "\n");
	buf_release(&tmp);
}

static void add_plot(struct buf *out, const struct series_set *set, const struct series *s,
		     size_t idx, const struct render_history_opts *o)
{
	unsigned bad = series_bad_direction(o ? o->t : NULL, s);
	struct buf tmp = BUF_INIT;
	double lo, hi;
	size_t i, k, from;
	int tick;

	plot_range(s, &lo, &hi);
	buf_addf(out, "<section class=\"scenario\" id=\"series-%zu\">\n<h3>", idx);
	add_series_title(out, set, s);
	buf_addf(out,
		 "</h3>\n<figure>\n<svg class=\"plot\" data-series=\"%zu\" role=\"img\" "
		 "viewBox=\"0 0 %.0f %.0f\" aria-label=\"",
		 idx, HP_W, HP_H);
	buf_addf(&tmp, "%s of %s over %zu records, %zu change point%s", s->metric, s->scenario,
		 s->n, s->ncps, s->ncps == 1 ? "" : "s");
	add_text(out, tmp.s);
	buf_reset(&tmp);
	buf_adds(out, "\">\n");
	for (tick = 0; tick <= 4; tick++) {
		double v = lo + (hi - lo) * tick / 4, y = ypos(v, lo, hi);

		render_history_value(&tmp, s->metric, v);
		buf_addf(out,
			 "<line class=\"grid\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\"/>"
			 "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">",
			 HP_LEFT, HP_RIGHT, y, y, HP_LEFT - 6, y + 4);
		add_text(out, tmp.s);
		buf_adds(out, "</text>\n");
		buf_reset(&tmp);
	}
	buf_addf(out, "<line class=\"axis\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\"/>\n",
		 HP_LEFT, HP_RIGHT, HP_BOTTOM, HP_BOTTOM);
	/* the first and last commit under the axis */
	for (i = 0; i<s->n; i += s->n> 1 ? s->n - 1 : 1) {
		render_history_commit(&tmp, record_id(series_record(set, s, i)));
		tmp.len = tmp.len > 8 ? 8 : tmp.len;
		tmp.s[tmp.len] = 0;
		buf_addf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">", xat(i, s->n),
			 HP_BOTTOM + 18, i ? "end" : "start");
		add_text(out, tmp.s);
		buf_adds(out, "</text>\n");
		buf_reset(&tmp);
	}
	/* each segment's median, then the change points */
	for (k = 0, from = 0; k <= s->ncps; k++) {
		size_t to = k < s->ncps ? s->cps[k].index : s->n;
		double m = render_history_median(s, from, to), y;

		if (isfinite(m)) {
			y = ypos(m, lo, hi);
			buf_addf(out,
				 "<line class=\"seg\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" "
				 "y2=\"%.1f\"/>\n",
				 xat(from, s->n), xat(to - 1, s->n), y, y);
		}
		from = to;
	}
	for (k = 0; k < s->ncps; k++) {
		const struct change_point *cp = &s->cps[k];
		const char *commit = series_record(set, s, cp->index)->commit;
		double x = (xat(cp->index - 1, s->n) + xat(cp->index, s->n)) / 2;

		buf_addf(out, "<line class=\"cp%s\" data-commit=\"",
			 bad && !series_cp_is_bad(bad, cp) ? " good" : "");
		add_text(out, commit ? commit : "");
		buf_addf(out, "\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\"><title>", x, x,
			 HP_TOP, HP_BOTTOM);
		render_history_commit(&tmp, commit);
		buf_addf(&tmp, ": %+.1f%%, p=%.2g", cp->magnitude * 100, cp->pvalue);
		add_text(out, tmp.s);
		buf_reset(&tmp);
		buf_adds(out, "</title></line>\n");
	}
	for (i = 0; i < s->n; i++)
		add_point(out, set, s, i, lo, hi, o);
	buf_adds(out, "</svg>\n<figcaption>");
	buf_addf(&tmp,
		 "Median %s of each record in history order (commit date), its interval "
		 "as a thin line; segment medians between change points; runner ",
		 s->metric);
	buf_adds(&tmp, s->runner_kind);
	add_text(out, tmp.s);
	buf_adds(out, ".</figcaption>\n</figure>\n</section>\n");
	buf_release(&tmp);
}

void render_history_html(struct buf *out, const struct series_set *set,
			 const struct render_history_opts *o)
{
	const char *name = o && o->name ? o->name : "spin-gate";
	size_t i;

	buf_adds(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
		      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		      "<title>");
	add_text(out, name);
	buf_adds(out, ": history</title>\n<style>\n");
	buf_adds(out, render_html_css());
	buf_adds(out, history_css);
	buf_adds(out, "</style>\n</head>\n<body>\n<main>\n<h1>");
	add_text(out, name);
	buf_adds(out, ": history</h1>\n<p class=\"verdict\">");
	buf_addf(out, "%zu records, %zu series", set->nrecs, set->n);
	if (set->nkinds > 1)
		buf_addf(out, "; %zu runner kinds, kept apart: one series per kind", set->nkinds);
	buf_adds(out, ".</p>\n");
	add_cp_table(out, set, o);
	buf_adds(out, "<section id=\"series\">\n<h2>Series</h2>\n");
	for (i = 0; i < set->n; i++)
		add_plot(out, set, &set->v[i], i, o);
	buf_adds(out, "</section>\n</main>\n</body>\n</html>\n");
}

/* ---- the comment's lines ---- */

static const struct series *head_series(const struct series_set *set, const char *scenario,
					const char *kind)
{
	const struct series *best = NULL;
	size_t i;

	for (i = 0; i < set->n; i++) {
		const struct series *s = &set->v[i];

		if (strcmp(s->scenario, scenario) || strcmp(s->metric, "cpu"))
			continue;
		if (kind && !strcmp(s->runner_kind, kind))
			return s;
		if (!best || s->n > best->n)
			best = s;
	}
	return best;
}

/* "0.600-0.710 s": the unit once when both figures have the same one. */
static void add_range(struct buf *out, double lo, double hi)
{
	struct buf a = BUF_INIT, b = BUF_INIT;
	const char *ua, *ub;

	fmt_metric_value(&a, METRIC_CPU, lo);
	fmt_metric_value(&b, METRIC_CPU, hi);
	ua = strrchr(a.s, ' ');
	ub = strrchr(b.s, ' ');
	if (ua && ub && !strcmp(ua, ub))
		buf_add(out, a.s, (size_t)(ua - a.s));
	else
		buf_adds(out, a.s);
	buf_addch(out, '-');
	buf_adds(out, b.s);
	buf_release(&a);
	buf_release(&b);
}

void render_history_head(struct buf *out, const struct series_set *set, const struct results *r)
{
	char *kind = r->env.cpu_model ? xstrfmt("%d x %s", r->env.cores, r->env.cpu_model) : NULL;
	struct buf lines = BUF_INIT, tmp = BUF_INIT;
	size_t i, k;

	for (i = 0; i < r->nscen; i++) {
		const struct scenario_result *sc = &r->scen[i];
		const struct series *s;
		double head, lo = INFINITY, hi = -INFINITY;
		size_t from;

		if (sc->role != ROLE_IDLE || !sc->name)
			continue;
		s = head_series(set, sc->name, kind);
		head = judge_side_median(sc, SIDE_HEAD, METRIC_CPU);
		if (!s || !s->n || !isfinite(head))
			continue;
		from = s->n > HISTORY_HEAD_LAST ? s->n - HISTORY_HEAD_LAST : 0;
		for (k = from; k < s->n; k++) {
			lo = fmin(lo, s->pts[k].median);
			hi = fmax(hi, s->pts[k].median);
		}
		buf_adds(&lines, "- ");
		render_md_code(&lines, sc->name);
		buf_adds(&tmp, ": head ");
		fmt_metric_value(&tmp, METRIC_CPU, head);
		buf_addf(&tmp, "; main's last %zu: ", s->n - from);
		add_range(&tmp, lo, hi);
		if (!kind || strcmp(kind, s->runner_kind)) {
			buf_adds(&tmp, " (recorded on ");
			buf_adds(&tmp, s->runner_kind);
			buf_adds(&tmp, ")");
		}
		render_md_escape(&lines, tmp.s);
		buf_adds(&lines, "\n");
		buf_reset(&tmp);
	}
	if (lines.len) {
		buf_adds(out, "Idle CPU against main's history:\n\n");
		buf_add(out, lines.s, lines.len);
		buf_adds(out, "\n");
	}
	buf_release(&lines);
	buf_release(&tmp);
	free(kind);
}
