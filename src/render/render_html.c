/*
 * render_html: report.html (see render_html.h). One buffer, written top to
 * bottom; the plots are SVG drawn here, one shared seconds axis per scenario
 * so that wall and CPU time compare at a glance.
 */
#include "render_html.h"

#include "fmt.h"
#include "stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Plot geometry, in SVG user units (the plot scales to its box). */
#define PLOT_W	   480.0
#define PLOT_LEFT  92.0	 /* metric and side labels */
#define PLOT_RIGHT 464.0 /* end of the axis */
#define PLOT_TOP   8.0
#define ROW_H	   22.0 /* one side of one metric */
#define PANEL_GAP  10.0 /* between metrics */
#define AXIS_H	   28.0

static const char css[] =
	":root{--base:" RENDER_COLOR_BASE ";--head:" RENDER_COLOR_HEAD ";--fg:#1b1b1b;--mut:#555}\n"
	"*{box-sizing:border-box}\n"
	"body{margin:0;color:var(--fg);background:#fff;"
	"font:16px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif}\n"
	"main{max-width:80rem;margin:0 auto;padding:1rem}\n"
	"h1{font-size:1.4rem;margin:.2rem 0 .8rem}h2{font-size:1.2rem;margin-top:1.8rem}"
	"h3{font-size:1rem;overflow-wrap:anywhere}\n"
	".verdict{font-size:1.1rem;padding:.6rem .8rem;border-left:.45rem solid #999;"
	"background:#f3f3f3;overflow-wrap:anywhere}\n"
	".v-fail{border-color:#D55E00;background:#fbeae1}.v-pass{border-color:#009E73;"
	"background:#e4f4ee}.v-inconclusive{border-color:#F0E442;background:#fbf8dc}"
	".v-error{border-color:#CC79A7;background:#f8e9f1}\n"
	".muted{color:var(--mut)}.scroll{overflow-x:auto;max-width:100%}\n"
	"table{border-collapse:collapse;font-size:.9rem;margin:.4rem 0}\n"
	"caption{text-align:left;font-weight:600;padding:.3rem 0}\n"
	"th,td{border-bottom:1px solid #ddd;padding:.25rem .35rem;text-align:left;"
	"vertical-align:top}\n"
	".num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\n"
	".name{overflow-wrap:break-word;min-width:7rem}.scen{min-width:17rem}"
	".note{min-width:10rem}.nw{white-space:nowrap}\n"
	".st{font-weight:700;white-space:nowrap}.st-fail{color:#a63c00}"
	".st-error{color:#8a3a6a}.st-inconclusive{color:#6b5e00}.st-pass{color:#006b4f}"
	".st-skipped{color:var(--mut)}\n"
	"figure{margin:.8rem 0}figcaption{font-size:.9rem;color:var(--mut)}\n"
	"svg.plot{width:100%;max-width:44rem;height:auto;display:block}\n"
	".dot.base{fill:var(--base)}.dot.head{fill:var(--head);stroke:#7a5200;"
	"stroke-width:.6}\n"
	".dot[data-failed]{fill:#fff;stroke-width:1.6}.dot.base[data-failed]{stroke:var(--base)}"
	".dot.head[data-failed]{stroke:var(--head)}\n"
	".median{stroke-width:2.5}.median.base{stroke:var(--base)}"
	".median.head{stroke:#9c6a00;stroke-dasharray:4 2}\n"
	".axis{stroke:#777}.grid{stroke:#e2e2e2}svg text{font-size:13px;fill:#333}\n"
	".legend svg{vertical-align:middle}\n"
	"pre{white-space:pre-wrap;overflow-wrap:anywhere;background:#f6f6f6;padding:.5rem;"
	"font-size:.85rem}\n"
	"@media (max-width:40rem){main{padding:.5rem}body{font-size:15px}"
	"th,td{padding:.2rem .3rem}}\n"
	"@media print{body{font-size:10pt}main{max-width:none}.scroll{overflow:visible}"
	".name,.scen,.note{min-width:0;overflow-wrap:anywhere}table{font-size:8pt}"
	"section.scenario{break-inside:avoid}"
	"*{-webkit-print-color-adjust:exact;print-color-adjust:exact}}\n";

const char *render_html_css(void)
{
	return css;
}

void render_html_escape(struct buf *out, const char *s)
{
	struct buf clean = BUF_INIT;
	size_t i;

	if (!s)
		return;
	buf_add_utf8(&clean, s, strlen(s));
	for (i = 0; i < clean.len; i++) {
		unsigned char c = (unsigned char)clean.s[i];

		switch (c) {
		case '&': buf_adds(out, "&amp;"); break;
		case '<': buf_adds(out, "&lt;"); break;
		case '>': buf_adds(out, "&gt;"); break;
		case '"': buf_adds(out, "&quot;"); break;
		case '\'': buf_adds(out, "&#39;"); break;
		case '\t':
		case '\n': buf_addch(out, (char)c); break;
		default: buf_addch(out, (c < 0x20 || c == 0x7f) ? ' ' : (char)c); break;
		}
	}
	buf_release(&clean);
}

/* A figure from fmt.h (which writes "<=" and the like), escaped. */
static void add_escaped_buf(struct buf *out, struct buf *tmp)
{
	render_html_escape(out, tmp->s);
	buf_reset(tmp);
}

static void add_status(struct buf *out, enum status s)
{
	buf_addf(out, "<td class=\"st st-%s\">%s</td>", status_name(s), status_name(s));
}

static void add_td(struct buf *out, const char *cls, const char *text)
{
	buf_addf(out, "<td class=\"%s\">", cls);
	render_html_escape(out, text);
	buf_adds(out, "</td>");
}

static void add_check_row(struct buf *out, const struct results *r, const struct thresholds *t,
			  const struct outcome *oc)
{
	const struct check *c = t && oc->check < t->nchecks ? &t->checks[oc->check] : NULL;
	const struct cond_eval *e = &oc->main;
	struct buf tmp = BUF_INIT;

	buf_adds(out, "<tr>");
	add_status(out, oc->status);
	add_td(out, "name", render_check_name(t, oc));
	add_td(out, "name scen", render_scenario_name(r, oc));
	if (!c) {
		buf_adds(out, "<td>?</td><td></td><td></td><td></td><td></td>");
	} else {
		add_td(out, "", metric_name(c->cond.metric));
		fmt_metric_value(&tmp, c->cond.metric, e->base);
		add_td(out, "num", tmp.s);
		buf_reset(&tmp);
		if (rule_uses_base(c->cond.rule)) {
			fmt_metric_value(&tmp, c->cond.metric, e->head);
			add_td(out, "num", tmp.s);
			buf_reset(&tmp);
			fmt_interval(&tmp, c->cond.metric, rule_is_ratio(c->cond.rule), &e->ci);
		} else {
			fmt_interval(&tmp, c->cond.metric, 0, &e->ci);
			add_td(out, "num", tmp.s);
			buf_reset(&tmp);
			if (isfinite(e->base) && isfinite(e->head) && e->base > 0)
				fmt_ratio(&tmp, e->head / e->base);
			else
				buf_adds(&tmp, "n/a");
		}
		add_td(out, "num", tmp.s);
		buf_reset(&tmp);
		/* the limit and its unless each whole, the line broken between
		 * them: a long limit does not push the table past a laptop's width */
		buf_adds(out, "<td class=\"lim\"><span class=\"nw\">");
		fmt_limit(&tmp, &c->cond);
		add_escaped_buf(out, &tmp);
		buf_adds(out, "</span>");
		if (c->has_unless && oc->used_unless) {
			buf_adds(out, " unless <span class=\"nw\">");
			buf_adds(&tmp, metric_name(c->unless.metric));
			buf_addch(&tmp, ' ');
			fmt_limit(&tmp, &c->unless);
			add_escaped_buf(out, &tmp);
			buf_adds(out, "</span>");
		}
		buf_adds(out, "</td>");
	}
	add_td(out, "name note", oc->note);
	buf_adds(out, "</tr>\n");
	buf_release(&tmp);
}

static void add_checks(struct buf *out, const struct results *r, const struct thresholds *t,
		       const struct judgement *j)
{
	size_t *order = render_order(j);
	struct buf line = BUF_INIT;
	size_t i;

	buf_adds(out, "<section id=\"checks\">\n<h2>Checks</h2>\n");
	if (!j->n) {
		buf_adds(out, "<p>No check applied to these results.</p>\n</section>\n");
		free(order);
		return;
	}
	buf_adds(out, "<div class=\"scroll\"><table>\n<caption>Every check on every scenario it "
		      "applies to, failing first</caption>\n<thead><tr>");
	buf_adds(out, "<th scope=\"col\">status</th><th scope=\"col\">check</th>"
		      "<th scope=\"col\">scenario</th><th scope=\"col\">metric</th>"
		      "<th scope=\"col\">base</th><th scope=\"col\">head</th>"
		      "<th scope=\"col\">head/base [interval]</th><th scope=\"col\">limit</th>"
		      "<th scope=\"col\">note</th></tr></thead>\n<tbody>\n");
	for (i = 0; i < j->n; i++)
		add_check_row(out, r, t, &j->v[order[i]]);
	buf_adds(out, "</tbody></table></div>\n");
	if (render_reported_line(&line, r)) {
		buf_adds(out, "<p class=\"reported\">Reported by the program: ");
		render_html_escape(out, line.s);
		buf_adds(out, "</p>\n");
	}
	buf_release(&line);
	buf_adds(out, "</section>\n");
	free(order);
}

/* ---- the strip plots ---- */

static const enum metric plot_metrics[] = { METRIC_WALL, METRIC_USER, METRIC_SYSTEM };
#define NPLOT_METRICS (sizeof(plot_metrics) / sizeof(plot_metrics[0]))

static int plotted(const struct sample *s, double v)
{
	return !s->warmup && isfinite(v);
}

/* The metrics one plot draws, on one scale. */
struct plot_set {
	const enum metric *m;
	size_t n;
};

static double plot_max(const struct scenario_result *sc, const struct plot_set *ps)
{
	double max = 0;
	size_t k, i;
	int side;

	for (side = 0; side < SIDE_COUNT; side++)
		for (i = 0; i < sc->samples[side].n; i++)
			for (k = 0; k < ps->n; k++) {
				const struct sample *s = &sc->samples[side].v[i];
				double v = judge_sample_metric(sc, s, ps->m[k]);

				if (plotted(s, v) && v > max)
					max = v;
			}
	return max > 0 ? max * 1.05 : 1;
}

static double xpos(double v, double max)
{
	return PLOT_LEFT + (v / max) * (PLOT_RIGHT - PLOT_LEFT);
}

static void add_dot(struct buf *out, const struct scenario_result *sc, enum side side,
		    enum metric m, const struct sample *s, double x, double y)
{
	const char *failed = judge_sample_counts(s) ? "" : " data-failed=\"1\"";
	struct buf tmp = BUF_INIT;

	if (side == SIDE_BASE)
		buf_addf(out,
			 "<circle class=\"dot base\" data-metric=\"%s\"%s cx=\"%.1f\" "
			 "cy=\"%.1f\" r=\"4.2\">",
			 metric_name(m), failed, x, y);
	else
		buf_addf(out,
			 "<path class=\"dot head\" data-metric=\"%s\"%s "
			 "d=\"M%.1f %.1fl5 5-5 5-5-5z\">",
			 metric_name(m), failed, x, y - 5);
	fmt_metric_value(&tmp, m, judge_sample_metric(sc, s, m));
	buf_addf(out, "<title>%s round %d: %s %s%s</title>", side_name(side), s->round,
		 metric_name(m), tmp.s, *failed ? " (failed run)" : "");
	buf_adds(out, side == SIDE_BASE ? "</circle>" : "</path>");
	buf_release(&tmp);
}

static void add_row(struct buf *out, const struct scenario_result *sc, enum side side,
		    enum metric m, double y, double max)
{
	const struct sample_list *l = &sc->samples[side];
	double med = judge_side_median(sc, side, m);
	struct buf tmp = BUF_INIT;
	size_t i, k = 0;

	buf_addf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%s</text>", PLOT_LEFT - 8,
		 y + 4, side_name(side));
	for (i = 0; i < l->n; i++) {
		const struct sample *s = &l->v[i];
		double v = judge_sample_metric(sc, s, m);

		if (!plotted(s, v))
			continue;
		/* a small fixed jitter so equal figures stay countable */
		add_dot(out, sc, side, m, s, xpos(v, max), y + (double)((int)(k % 5) - 2) * 2.2);
		k++;
	}
	if (isfinite(med)) {
		fmt_metric_value(&tmp, m, med);
		buf_addf(out,
			 "<line class=\"median %s\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" "
			 "y2=\"%.1f\"><title>%s median %s: %s</title></line>",
			 side_name(side), xpos(med, max), xpos(med, max), y - ROW_H / 2 + 2,
			 y + ROW_H / 2 - 2, side_name(side), metric_name(m), tmp.s);
	}
	buf_adds(out, "\n");
	buf_release(&tmp);
}

static size_t plotted_runs(const struct scenario_result *sc, enum side side)
{
	size_t i, n = 0;

	for (i = 0; i < sc->samples[side].n; i++)
		n += !sc->samples[side].v[i].warmup;
	return n;
}

/*
 * One strip plot: a panel per metric of ps (all in one unit), base's and
 * head's runs in rows. The measured seconds (wall, user, system) make the
 * first plot of a scenario (id plot-IDX); each metric the program reports
 * one more (plot-IDX-K), on a scale of its own.
 */
static void add_plot(struct buf *out, const struct scenario_result *sc, const struct plot_set *ps,
		     const char *id)
{
	double max = plot_max(sc, ps), panel = 2 * ROW_H + PANEL_GAP;
	double axis_y = PLOT_TOP + (double)ps->n * panel;
	double h = axis_y + AXIS_H;
	int seconds = ps->m == plot_metrics;
	struct buf tmp = BUF_INIT;
	size_t k;
	int side, tick;

	buf_adds(out, "<figure>\n<svg class=\"plot\" role=\"img\" viewBox=\"0 0 ");
	buf_addf(out, "%.0f %.0f\" aria-describedby=\"%s-cap\" aria-label=\"", PLOT_W, h, id);
	if (seconds)
		buf_adds(&tmp, "Wall, user and system seconds of every run of ");
	else
		buf_addf(&tmp, "%s of every run of ", metric_name(ps->m[0]));
	buf_adds(&tmp, sc->name ? sc->name : "?");
	for (side = 0; side < SIDE_COUNT; side++) {
		buf_addf(&tmp, "; %s: %zu runs, median ", side_name(side), plotted_runs(sc, side));
		for (k = 0; k < ps->n; k++) {
			buf_addf(&tmp, "%s%s ", k ? ", " : "", metric_name(ps->m[k]));
			fmt_metric_value(&tmp, ps->m[k], judge_side_median(sc, side, ps->m[k]));
		}
	}
	add_escaped_buf(out, &tmp);
	buf_adds(out, "\">\n");
	for (tick = 0; tick <= 4; tick++) {
		double v = max / 1.05 * tick / 4, x = xpos(v, max);

		buf_reset(&tmp);
		fmt_metric_value(&tmp, ps->m[0], v);
		buf_addf(out,
			 "<line class=\"grid\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\"/>"
			 "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">",
			 x, x, PLOT_TOP, axis_y, x, axis_y + 18);
		add_escaped_buf(out, &tmp);
		buf_adds(out, "</text>\n");
	}
	buf_addf(out, "<line class=\"axis\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\"/>\n",
		 PLOT_LEFT, PLOT_RIGHT, axis_y, axis_y);
	for (k = 0; k < ps->n; k++) {
		double top = PLOT_TOP + (double)k * panel;

		buf_adds(out, "<g class=\"metric\" data-metric=\"");
		render_html_escape(out, metric_name(ps->m[k]));
		buf_addf(out, "\"><text x=\"4\" y=\"%.1f\" font-weight=\"600\">", top + ROW_H + 4);
		render_html_escape(out, metric_name(ps->m[k]));
		buf_adds(out, "</text>");
		for (side = 0; side < SIDE_COUNT; side++)
			add_row(out, sc, (enum side)side, ps->m[k], top + ROW_H / 2 + side * ROW_H,
				max);
		buf_adds(out, "</g>\n");
	}
	buf_addf(out, "</svg>\n<figcaption id=\"%s-cap\">", id);
	if (seconds)
		buf_adds(out, "Seconds per run");
	else {
		buf_reset(&tmp);
		buf_adds(&tmp, metric_name(ps->m[0]));
		if (metric_reported_unit(ps->m[0]))
			buf_addf(&tmp, " (%s)", metric_reported_unit(ps->m[0]));
		buf_adds(&tmp, ", as the program reported it, per run");
		add_escaped_buf(out, &tmp);
	}
	buf_adds(out, " (not warm-ups): base blue circles, head orange diamonds, hollow when the "
		      "run failed; a bar marks each side's median.</figcaption>\n</figure>\n");
	buf_release(&tmp);
}

/* The scenario's plots: its seconds, then each metric it reports. */
static void add_plots(struct buf *out, const struct scenario_result *sc, size_t idx)
{
	const struct plot_set secs = { plot_metrics, NPLOT_METRICS };
	char id[64];
	size_t k;

	snprintf(id, sizeof(id), "plot-%zu", idx);
	add_plot(out, sc, &secs, id);
	for (k = 0; k < sc->nmetrics; k++) {
		enum metric m;
		struct plot_set one = { &m, 1 };

		if (metric_parse_reported(sc->metrics[k].name, &m) < 0)
			continue;
		metric_reported_learn(&sc->metrics[k]);
		snprintf(id, sizeof(id), "plot-%zu-%zu", idx, k);
		add_plot(out, sc, &one, id);
	}
}

static void add_contention(struct buf *out, const struct scenario_result *sc)
{
	struct buf tmp = BUF_INIT;
	int round, max_round = 0, any = 0, side;
	size_t i;

	for (side = 0; side < SIDE_COUNT; side++)
		for (i = 0; i < sc->samples[side].n; i++) {
			const struct sample *s = &sc->samples[side].v[i];

			if (s->warmup)
				continue;
			if (s->round > max_round)
				max_round = s->round;
			any |= isfinite(judge_sample_contention(sc, s));
		}
	if (!any) {
		buf_adds(out, "<p class=\"muted\">Contention was not measured.</p>\n");
		return;
	}
	/* the caption stays short: a caption is as wide as its table */
	buf_adds(out, "<p class=\"muted\">Contention: the share of the machine other work took "
		      "during each run. A round is set aside from deciding a fail when head ran "
		      "under clearly more than base.</p>\n");
	buf_adds(out, "<div class=\"scroll\"><table>\n<caption>Contention per "
		      "round</caption>\n<thead><tr>"
		      "<th scope=\"col\">round</th><th scope=\"col\">base</th>"
		      "<th scope=\"col\">head</th><th scope=\"col\">set aside</th></tr></thead>"
		      "\n<tbody>\n");
	for (round = 1; round <= max_round; round++) {
		buf_addf(out, "<tr><th scope=\"row\" class=\"num\">%d</th>", round);
		for (side = 0; side < SIDE_COUNT; side++) {
			double c = NAN;

			for (i = 0; i < sc->samples[side].n; i++)
				if (sc->samples[side].v[i].round == round &&
				    !sc->samples[side].v[i].warmup)
					c = judge_sample_contention(sc, &sc->samples[side].v[i]);
			fmt_percent(&tmp, c);
			add_td(out, "num", tmp.s);
			buf_reset(&tmp);
		}
		add_td(out, "", judge_round_set_aside(sc, round) ? "yes" : "no");
		buf_adds(out, "</tr>\n");
	}
	buf_adds(out, "</tbody></table></div>\n");
	buf_release(&tmp);
}

static void html_code(struct buf *out, const char *s)
{
	buf_adds(out, "<code>");
	render_html_escape(out, s);
	buf_adds(out, "</code>");
}

/* Where the CPU went (render_profile_line()), each side's top frames, and
 * the name of the flame graph beside the report (OUT/profile/): named, not
 * linked nor embedded, so the page stays one file that refers to nothing
 * and holds nothing that was read from OUT, where the benchmarked code could
 * have written. */
static void add_profile(struct buf *out, const struct scenario_result *sc)
{
	const struct render_profile_style st = { html_code, render_html_escape };
	const struct scenario_profile *p = sc->profile;
	size_t k, i;

	if (!p)
		return;
	buf_adds(out, "<p class=\"profile\"><strong>Profile:</strong> ");
	render_profile_line(out, p, &st);
	if (p->svg) {
		buf_adds(out, " &mdash; flame graph, head against base: ");
		html_code(out, p->svg);
		buf_adds(out, " beside this page");
	}
	buf_adds(out, "</p>\n");
	for (k = 0; k < SIDE_COUNT; k++) {
		const struct profile_side *ps = &p->side[k];

		if (!ps->ntop)
			continue;
		buf_addf(out, "<p>%s's top frames (self share of %.0f samples, ",
			 side_name((enum side)k), ps->samples);
		render_html_escape(out, ps->tool ? ps->tool : "?");
		buf_adds(out, "):</p>\n<ol>\n");
		for (i = 0; i < ps->ntop; i++) {
			buf_adds(out, "<li>");
			fmt_percent(out, ps->top[i].share);
			buf_adds(out, " in ");
			html_code(out, ps->top[i].frame);
			if (ps->top[i].under) {
				buf_adds(out, " under ");
				html_code(out, ps->top[i].under);
			}
			buf_adds(out, "</li>\n");
		}
		buf_adds(out, "</ol>\n");
	}
}

static void add_scenarios(struct buf *out, const struct results *r)
{
	size_t i, p;
	int side;

	buf_adds(out, "<section id=\"runs\">\n<h2>Runs</h2>\n<p class=\"legend\">"
		      "<svg width=\"12\" height=\"12\" aria-hidden=\"true\"><circle class=\"dot "
		      "base\" cx=\"6\" cy=\"6\" r=\"4.2\"/></svg> base &nbsp; "
		      "<svg width=\"12\" height=\"12\" aria-hidden=\"true\"><path class=\"dot "
		      "head\" d=\"M6 1l5 5-5 5-5-5z\"/></svg> head</p>\n");
	for (i = 0; i < r->nscen; i++) {
		const struct scenario_result *sc = &r->scen[i];

		buf_adds(out, "<section class=\"scenario\">\n<h3>");
		render_html_escape(out, sc->name ? sc->name : "?");
		buf_adds(out, "</h3>\n");
		if (sc->error) {
			buf_adds(out, "<p><strong>Error:</strong> ");
			render_html_escape(out, sc->error);
			buf_adds(out, "</p>\n");
		}
		add_plots(out, sc, i);
		add_contention(out, sc);
		add_profile(out, sc);
		buf_addf(out,
			 "<details><summary>parameters and commands</summary>\n<ul>\n"
			 "<li>role: %s, cores: %g</li>\n",
			 role_name(sc->role), sc->cores);
		for (p = 0; p < sc->nparams; p++) {
			buf_adds(out, "<li>");
			render_html_escape(out, sc->params[p].name);
			buf_adds(out, " = ");
			render_html_escape(out, sc->params[p].value);
			buf_adds(out, "</li>\n");
		}
		buf_adds(out, "</ul>\n");
		for (side = 0; side < SIDE_COUNT; side++) {
			buf_addf(out, "<p>%s:</p><pre>", side_name(side));
			render_html_escape(out, sc->command[side] ? sc->command[side] : "");
			buf_adds(out, "</pre>\n");
		}
		buf_adds(out, "</details>\n</section>\n");
	}
	buf_adds(out, "</section>\n");
}

/* ---- environment ---- */

static void add_kv(struct buf *out, const char *key, const char *value)
{
	buf_addf(out, "<tr><th scope=\"row\">%s</th>", key);
	add_td(out, "name", value ? value : "n/a");
	buf_adds(out, "</tr>\n");
}

static void add_kv_buf(struct buf *out, const char *key, struct buf *value)
{
	add_kv(out, key, value->s);
	buf_reset(value);
}

static void add_environment(struct buf *out, const struct results *r)
{
	const struct env_info *e = &r->env;
	struct buf tmp = BUF_INIT;
	int side;

	buf_adds(out,
		 "<section id=\"environment\">\n<h2>Environment</h2>\n<div class=\"scroll\">"
		 "<table>\n<caption>Where and how the runs were measured</caption>\n<tbody>\n");
	for (side = 0; side < SIDE_COUNT; side++) {
		const struct revision_info *rv = &r->rev[side];

		buf_addf(&tmp, "%s (%s)", rv->spec ? rv->spec : "?", rv->kind ? rv->kind : "?");
		if (rv->resolved)
			buf_addf(&tmp, " = %s", rv->resolved);
		if (rv->runtime)
			buf_addf(&tmp, ", %s", rv->runtime);
		add_kv_buf(out, side_name((enum side)side), &tmp);
	}
	add_kv(out, "suite", r->suite_name);
	add_kv(out, "host", e->host);
	buf_addf(&tmp, "%d", e->cores);
	add_kv_buf(out, "cores", &tmp);
	add_kv(out, "kernel", e->kernel);
	add_kv(out, "hyperfine", e->hyperfine);
	buf_addf(&tmp, "%d rounds (at most %d), %d warm-up, %g%% confidence", r->settings.runs,
		 r->settings.max_runs, r->settings.warmup, r->settings.confidence * 100);
	add_kv_buf(out, "settings", &tmp);
	add_kv(out, "started", r->started);
	add_kv(out, "finished", r->finished);
	if (!r->complete) {
		buf_adds(&tmp, "no");
		if (r->stopped_by)
			buf_addf(&tmp, ", stopped by %s", r->stopped_by);
		add_kv_buf(out, "complete", &tmp);
	}
	buf_adds(out, "</tbody></table></div>\n");

	buf_adds(out, "<h3>Noise probe</h3>\n");
	if (isnan(e->noise_cpu) && isnan(e->noise_sleep) && isnan(e->steal)) {
		buf_adds(out, "<p class=\"muted\">The noise probe did not run.</p>\n");
	} else {
		buf_adds(out, "<div class=\"scroll\"><table>\n<caption>How steady the machine was: "
			      "the spread of a fixed CPU loop and of a fixed sleep</caption>\n"
			      "<tbody>\n");
		fmt_percent(&tmp, e->noise_cpu);
		add_kv_buf(out, "CPU loop spread", &tmp);
		fmt_percent(&tmp, e->noise_sleep);
		add_kv_buf(out, "sleep spread", &tmp);
		fmt_percent(&tmp, e->steal / 100);
		add_kv_buf(out, "CPU steal", &tmp);
		buf_adds(out, "</tbody></table></div>\n");
	}
	buf_adds(out, "</section>\n");
	buf_release(&tmp);
}

void render_html(struct buf *out, const struct results *r, const struct thresholds *t,
		 const struct judgement *j, const struct render_opts *o)
{
	const char *name = o && o->name ? o->name : "spin-gate";
	struct buf line = BUF_INIT;
	int side;

	render_verdict_line(&line, r, t, j);
	buf_adds(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
		      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		      "<title>");
	render_html_escape(out, name);
	buf_adds(out, ": ");
	render_html_escape(out, status_word(j->verdict));
	buf_addf(out, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<main>\n<h1>", css);
	render_html_escape(out, name);
	buf_addf(out, " report</h1>\n<p class=\"verdict v-%s\" role=\"status\"><strong>",
		 status_name(j->verdict));
	render_html_escape(out, line.s);
	buf_adds(out, "</strong></p>\n<p>");
	for (side = 0; side < SIDE_COUNT; side++) {
		const struct revision_info *rv = &r->rev[side];

		buf_addf(out, "%s<b>%s</b> ", side ? " against " : "", side_name((enum side)side));
		render_html_escape(out, rv->spec ? rv->spec : "?");
	}
	buf_adds(out, "</p>\n");
	add_checks(out, r, t, j);
	add_scenarios(out, r);
	add_environment(out, r);
	buf_adds(out, "</main>\n</body>\n</html>\n");
	buf_release(&line);
}
