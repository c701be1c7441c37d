/*
 * render_term: the checks table for a terminal (see render.h). Columns are
 * padded to the widest cell, counted in UTF-8 characters; colour, when asked
 * for, is put around the padded status word so it never shifts a column.
 */
#include "render.h"
#include "merge.h"
#include "signature.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum term_col {
	COL_STATUS,
	COL_CHECK,
	COL_SCENARIO,
	COL_METRIC,
	COL_BASE,
	COL_HEAD,
	COL_RATIO,
	COL_LIMIT,
	COL_COUNT
};

static const char *const col_titles[COL_COUNT] = {
	"status", "check", "scenario", "metric", "base", "head", "head/base [ci]", "limit",
};

/* Numbers align right, words left. */
static const int col_right[COL_COUNT] = { 0, 0, 0, 0, 1, 1, 1, 0 };

static const char *status_color(enum status s)
{
	switch (s) {
	case STATUS_FAIL: return "\033[1;31m";
	case STATUS_ERROR: return "\033[1;35m";
	case STATUS_INCONCLUSIVE: return "\033[33m";
	case STATUS_PASS: return "\033[32m";
	default: return "\033[2m";
	}
}

/* Text from outside, with control characters shown as '?'. */
static void add_safe(struct buf *out, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		buf_addch(out, (c < 0x20 || c == 0x7f) ? '?' : (char)c);
	}
}

static size_t display_width(const char *s)
{
	size_t w = 0;

	for (; *s; s++)
		w += ((unsigned char)*s & 0xc0) != 0x80;
	return w;
}

static void fill_row(struct buf *cells, const struct results *r, const struct thresholds *t,
		     const struct outcome *oc)
{
	const struct check *c = t && oc->check < t->nchecks ? &t->checks[oc->check] : NULL;
	const struct cond_eval *e = &oc->main;
	int ratio;

	buf_adds(&cells[COL_STATUS], status_name(oc->status));
	add_safe(&cells[COL_CHECK], render_check_name(t, oc));
	add_safe(&cells[COL_SCENARIO], render_scenario_name(r, oc));
	if (!c) {
		buf_adds(&cells[COL_METRIC], "?");
		return;
	}
	ratio = rule_uses_base(c->cond.rule);
	buf_adds(&cells[COL_METRIC], metric_name(c->cond.metric));
	fmt_metric_value(&cells[COL_BASE], c->cond.metric, e->base);
	if (ratio) {
		fmt_metric_value(&cells[COL_HEAD], c->cond.metric, e->head);
		fmt_interval(&cells[COL_RATIO], c->cond.metric, rule_is_ratio(c->cond.rule),
			     &e->ci);
	} else {
		fmt_interval(&cells[COL_HEAD], c->cond.metric, 0, &e->ci);
		if (isfinite(e->base) && isfinite(e->head) && e->base > 0)
			fmt_ratio(&cells[COL_RATIO], e->head / e->base);
		else
			buf_adds(&cells[COL_RATIO], "n/a");
	}
	fmt_limit(&cells[COL_LIMIT], &c->cond);
	if (c->has_unless && oc->used_unless) {
		buf_adds(&cells[COL_LIMIT], " unless ");
		buf_adds(&cells[COL_LIMIT], metric_name(c->unless.metric));
		buf_addch(&cells[COL_LIMIT], ' ');
		fmt_limit(&cells[COL_LIMIT], &c->unless);
	}
}

static void print_cell(FILE *f, const char *s, size_t width, int right, int last, const char *color)
{
	size_t pad = width - display_width(s);

	if (right)
		fprintf(f, "%*s", (int)pad, "");
	if (color)
		fprintf(f, "%s%s\033[0m", color, s);
	else
		fputs(s, f);
	if (!right && !last)
		fprintf(f, "%*s", (int)pad, "");
	if (!last)
		fputs("  ", f);
}

int render_term_color(FILE *f)
{
	const char *term = getenv("TERM"), *no_color = getenv("NO_COLOR");

	/* https://no-color.org: set and non-empty means no colour */
	if (no_color && *no_color)
		return 0;
	if (term && !strcmp(term, "dumb"))
		return 0;
	return isatty(fileno(f));
}

/* What the CPU of each idle scenario whose CPU check failed went on
 * (signature.h), one line each. */
static void print_signatures(FILE *f, const struct results *r, const struct thresholds *t,
			     const struct judgement *j)
{
	struct buf b = BUF_INIT;
	size_t i;

	for (i = 0; i < r->nscen; i++) {
		if (!signature_wanted(r, t, j, i))
			continue;
		buf_reset(&b);
		buf_adds(&b, "signature of ");
		add_safe(&b, r->scen[i].name);
		buf_adds(&b, ": ");
		signature_line(&b, &r->scen[i]);
		fprintf(f, "%s\n", b.s);
	}
	buf_release(&b);
}

void render_term(FILE *f, const struct results *r, const struct thresholds *t,
		 const struct judgement *j, const struct render_opts *o)
{
	int color = o && o->color;
	size_t *order = render_order(j);
	size_t nrows = j->n, i, width[COL_COUNT];
	struct buf *cells = xcalloc((nrows ? nrows : 1) * COL_COUNT, sizeof(*cells));
	struct buf line = BUF_INIT;
	int k;

	for (k = 0; k < COL_COUNT; k++)
		width[k] = display_width(col_titles[k]);
	for (i = 0; i < nrows; i++) {
		struct buf *row = &cells[i * COL_COUNT];

		for (k = 0; k < COL_COUNT; k++)
			buf_init(&row[k]);
		fill_row(row, r, t, &j->v[order[i]]);
		for (k = 0; k < COL_COUNT; k++)
			if (display_width(row[k].s) > width[k])
				width[k] = display_width(row[k].s);
	}

	if (nrows) {
		for (k = 0; k < COL_COUNT; k++)
			print_cell(f, col_titles[k], width[k], col_right[k], k == COL_COUNT - 1,
				   NULL);
		fputc('\n', f);
	}
	for (i = 0; i < nrows; i++) {
		const struct buf *row = &cells[i * COL_COUNT];

		for (k = 0; k < COL_COUNT; k++)
			print_cell(f, row[k].s, width[k], col_right[k], k == COL_COUNT - 1,
				   color && k == COL_STATUS ? status_color(j->v[order[i]].status)
							    : NULL);
		fputc('\n', f);
	}
	print_signatures(f, r, t, j);

	/* a merge of shards from unlike machines says so first (merge.h) */
	if (merge_machines_line(r, &line)) {
		for (i = 0; i < line.len; i++) {
			unsigned char c = (unsigned char)line.s[i];

			fputc((c < 0x20 || c == 0x7f) ? '?' : c, f);
		}
		fputc('\n', f);
		buf_reset(&line);
	}
	render_verdict_line(&line, r, t, j);
	if (color)
		fprintf(f, "%s", status_color(j->verdict));
	/* The verdict line names checks and scenarios: no raw control bytes. */
	for (i = 0; i < line.len; i++) {
		unsigned char c = (unsigned char)line.s[i];

		fputc((c < 0x20 || c == 0x7f) ? '?' : c, f);
	}
	fputs(color ? "\033[0m\n" : "\n", f);

	for (i = 0; i < nrows * COL_COUNT; i++)
		buf_release(&cells[i]);
	buf_release(&line);
	free(cells);
	free(order);
}
