/*
 * render_export: the figures of results.json for other dashboards (see
 * render_export.h): Bencher's BMF and github-action-benchmark's custom
 * format.
 */
#include "render_export.h"

#include "judge.h"
#include "msg.h"
#include "thresholds.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Used when results carry no usable confidence (an old or hand-made file). */
#define EXPORT_DEFAULT_CONFIDENCE 0.95

static const char *const format_names[] = { "bmf", "gab", "gab-bigger" };
static const char *const file_names[] = { "export-bmf.json", "export-gab.json",
					  "export-gab-bigger.json" };

int export_format_parse(const char *s, enum export_format *out)
{
	size_t i;

	for (i = 0; s && i < sizeof(format_names) / sizeof(format_names[0]); i++)
		if (!strcmp(s, format_names[i])) {
			*out = (enum export_format)i;
			return 0;
		}
	return -1;
}

const char *export_file_name(enum export_format f)
{
	return file_names[f <= EXPORT_GAB_BIGGER ? f : EXPORT_BMF];
}

int export_is_file_name(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(file_names) / sizeof(file_names[0]); i++)
		if (!strcmp(name, file_names[i]))
			return 1;
	return 0;
}

int export_format_opt(const struct opt *o, const char *arg)
{
	enum export_format f;

	if (export_format_parse(arg, &f) < 0)
		return error("--format: unknown format '%s' (expected %s)", arg,
			     EXPORT_FORMAT_NAMES);
	*(unsigned *)o->value |= 1u << f;
	return 0;
}

/* A metric's unit as dashboards show it. */
static const char *metric_unit(enum metric m)
{
	if (metric_is_seconds(m))
		return "s";
	if (metric_is_fraction(m))
		return "fraction";
	switch (m) {
	case METRIC_MAX_RSS: return "KiB";
	case METRIC_VCSW:
	case METRIC_IVCSW: return "switches";
	case METRIC_VCSW_PER_CPU_S: return "switches/CPU s";
	default: return "";
	}
}

/* One side's figure of metric m: 1 when it has one (judged runs with a
 * finite value), 0 otherwise. */
static int side_figure(const struct scenario_result *sc, enum side side, enum metric m,
		       double confidence, struct export_figure *f)
{
	size_t n;
	double *v = judge_metric_values(sc, side, m, &n);
	int ok = n > 0 && !stats_median_ci(v, n, confidence, &f->ci);

	free(v);
	if (!ok)
		return 0;
	f->measure = metric_name(m);
	f->unit = metric_unit(m);
	f->better = EXPORT_SMALLER;
	f->side = side;
	f->runs = n;
	return 1;
}

/* A reported metric's figures of one side: its value (declared unit and
 * direction) and CPU seconds per unit; how many were written to f[0..2). */
static int reported_figures(const struct scenario_result *sc, const struct metric_decl *d,
			    enum side side, double confidence, struct export_figure *f)
{
	struct buf name = BUF_INIT;
	enum metric value, per;
	int k = 0;

	buf_addf(&name, "cpu_per:%s", d->name);
	if (metric_parse_reported(d->name, &value) < 0 || metric_parse_reported(name.s, &per) < 0)
		goto out;
	if (side_figure(sc, side, value, confidence, &f[k])) {
		snprintf(f[k].unit_own, sizeof(f[k].unit_own), "%s", d->unit ? d->unit : "");
		f[k].unit = f[k].unit_own;
		f[k].better = d->bigger ? EXPORT_BIGGER : EXPORT_SMALLER;
		k++;
	}
	if (side_figure(sc, side, per, confidence, &f[k])) {
		snprintf(f[k].unit_own, sizeof(f[k].unit_own), "s CPU/%s",
			 d->unit ? d->unit : "unit");
		f[k].unit = f[k].unit_own;
		k++;
	}
out:
	buf_release(&name);
	return k;
}

struct export_figure *export_scenario_figures(const struct scenario_result *sc, double confidence,
					      size_t *n)
{
	size_t alloc = 8, m;
	struct export_figure *v = xmalloc(alloc * sizeof(*v));
	int side;

	*n = 0;
	if (!(confidence > 0 && confidence < 1))
		confidence = EXPORT_DEFAULT_CONFIDENCE;
	for (side = 0; side < SIDE_COUNT; side++) {
		/* every metric of enum metric: metric_name() is "unknown" past the last */
		for (m = 0; strcmp(metric_name((enum metric)m), "unknown"); m++) {
			if (*n == alloc) {
				alloc *= 2;
				v = xrealloc(v, alloc * sizeof(*v));
			}
			*n += (size_t)side_figure(sc, (enum side)side, (enum metric)m, confidence,
						  &v[*n]);
		}
		for (m = 0; m < sc->nmetrics; m++) {
			if (*n + 2 > alloc) {
				alloc *= 2;
				v = xrealloc(v, alloc * sizeof(*v));
			}
			*n += (size_t)reported_figures(sc, &sc->metrics[m], (enum side)side,
						       confidence, &v[*n]);
		}
	}
	return v;
}

/* s as a JSON string: valid UTF-8, quotes, backslashes and control
 * characters escaped. NULL is written as "?". */
static void add_json_string(struct buf *out, const char *s)
{
	struct buf u = BUF_INIT;
	size_t i;

	s = s ? s : "?";
	buf_add_utf8(&u, s, strlen(s));
	buf_addch(out, '"');
	for (i = 0; i < u.len; i++) {
		unsigned char c = (unsigned char)u.s[i];

		if (c == '"' || c == '\\')
			buf_addf(out, "\\%c", c);
		else if (c == '\n')
			buf_adds(out, "\\n");
		else if (c == '\t')
			buf_adds(out, "\\t");
		else if (c < 0x20 || c == 0x7f)
			buf_addf(out, "\\u%04x", c);
		else
			buf_addch(out, (char)c);
	}
	buf_addch(out, '"');
	buf_release(&u);
}

/* A figure's number: 9 significant digits (a median of run times keeps its
 * own digits; a ratio is not written to 17). Figures are always finite. */
static void add_number(struct buf *out, double x)
{
	buf_addf(out, "%.9g", x == 0 ? 0 : x);
}

/* "NAME [side]" */
static void add_benchmark_name(struct buf *out, const struct scenario_result *sc, enum side side)
{
	struct buf name = BUF_INIT;

	buf_addf(&name, "%s [%s]", sc->name ? sc->name : "?", side_name(side));
	add_json_string(out, name.s);
	buf_release(&name);
}

static void render_bmf(struct buf *out, const struct results *r)
{
	size_t i, k, n;
	int side, first = 1;

	buf_adds(out, "{");
	for (i = 0; i < r->nscen; i++) {
		struct export_figure *f =
			export_scenario_figures(&r->scen[i], r->settings.confidence, &n);

		for (side = 0; side < SIDE_COUNT; side++) {
			int measures = 0;

			for (k = 0; k < n; k++) {
				if (f[k].side != (enum side)side)
					continue;
				if (!measures++) {
					buf_adds(out, first ? "\n  " : ",\n  ");
					first = 0;
					add_benchmark_name(out, &r->scen[i], (enum side)side);
					buf_adds(out, ": {");
				}
				buf_adds(out, measures > 1 ? ",\n    " : "\n    ");
				add_json_string(out, f[k].measure);
				buf_adds(out, ": {\"value\": ");
				add_number(out, f[k].ci.est);
				buf_adds(out, ", \"lower_value\": ");
				add_number(out, f[k].ci.lo);
				buf_adds(out, ", \"upper_value\": ");
				add_number(out, f[k].ci.hi);
				buf_adds(out, "}");
			}
			if (measures)
				buf_adds(out, "\n  }");
		}
		free(f);
	}
	buf_adds(out, first ? "}\n" : "\n}\n");
}

static void render_gab(struct buf *out, const struct results *r, enum export_better which)
{
	struct buf s = BUF_INIT;
	size_t i, k, n;
	int first = 1;

	buf_adds(out, "[");
	for (i = 0; i < r->nscen; i++) {
		const struct scenario_result *sc = &r->scen[i];
		struct export_figure *f = export_scenario_figures(sc, r->settings.confidence, &n);

		for (k = 0; k < n; k++) {
			/* customSmallerIsBetter and customBiggerIsBetter are
			 * files of their own */
			if (f[k].better != which)
				continue;
			buf_adds(out, first ? "\n  {\"name\": " : ",\n  {\"name\": ");
			first = 0;
			buf_reset(&s);
			buf_addf(&s, "%s [%s] %s", sc->name ? sc->name : "?", side_name(f[k].side),
				 f[k].measure);
			add_json_string(out, s.s);
			buf_adds(out, ", \"unit\": ");
			add_json_string(out, f[k].unit);
			buf_adds(out, ", \"value\": ");
			add_number(out, f[k].ci.est);
			buf_reset(&s);
			buf_addf(&s, "[%.9g, %.9g]", f[k].ci.lo, f[k].ci.hi);
			buf_adds(out, ", \"range\": ");
			add_json_string(out, s.s);
			buf_reset(&s);
			buf_addf(&s,
				 "median of %zu run%s; range: its interval at %.1f%% confidence",
				 f[k].runs, f[k].runs == 1 ? "" : "s", 100 * f[k].ci.achieved);
			buf_adds(out, ", \"extra\": ");
			add_json_string(out, s.s);
			buf_adds(out, "}");
		}
		free(f);
	}
	buf_adds(out, first ? "]\n" : "\n]\n");
	buf_release(&s);
}

void render_export(struct buf *out, const struct results *r, enum export_format f)
{
	if (f == EXPORT_GAB)
		render_gab(out, r, EXPORT_SMALLER);
	else if (f == EXPORT_GAB_BIGGER)
		render_gab(out, r, EXPORT_BIGGER);
	else
		render_bmf(out, r);
}
