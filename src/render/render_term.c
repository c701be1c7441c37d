/*
 * render_term: the checks table for a terminal (see render.h). Columns are
 * padded to the widest cell, counted in UTF-8 characters; colour, when asked
 * for, is put around the padded status word so it never shifts a column.
 *
 * Fitted to a width: the limit wraps within its column first, then the
 * scenario column is cut in its middle with a marker (names differ at either
 * end), then the check name is cut; when even that does not fit, each check
 * becomes a block: status, check and scenario on a line, the figures wrapped
 * under it. Status, metric and the figures are never cut.
 */
#include "render.h"
#include "merge.h"
#include "signature.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
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

static size_t display_width_n(const char *s, size_t n)
{
	size_t w = 0, i;

	for (i = 0; i < n; i++)
		w += ((unsigned char)s[i] & 0xc0) != 0x80;
	return w;
}

static size_t display_width(const char *s)
{
	return display_width_n(s, strlen(s));
}

/* The byte offset of the character n of s (counted as display_width does),
 * or strlen(s). */
static size_t char_offset(const char *s, size_t n)
{
	size_t i = 0;

	for (; s[i]; i++) {
		if (((unsigned char)s[i] & 0xc0) == 0x80)
			continue;
		if (n-- == 0)
			break;
	}
	return i;
}

#define CUT_MARK "\u2026" /* the ellipsis: one column */

/* s in at most `max` columns: whole when it fits, else its start and end
 * around CUT_MARK. */
static void add_cut(struct buf *out, const char *s, size_t max)
{
	size_t w = display_width(s), head, tail;

	if (w <= max) {
		buf_adds(out, s);
		return;
	}
	if (!max)
		return;
	head = max / 2;
	tail = max - 1 - head;
	buf_add(out, s, char_offset(s, head));
	buf_adds(out, CUT_MARK);
	buf_adds(out, s + char_offset(s, w - tail));
}

/*
 * s word-wrapped into lines joined by '\n' (none at the end): the first at
 * most `first` columns, the others at most `rest`; a word longer than a line
 * is split. Both widths are at least 1.
 */
static void add_wrapped(struct buf *out, const char *s, size_t first, size_t rest)
{
	size_t room = first, used = 0, n, w;

	while (*s == ' ')
		s++;
	while (*s) {
		n = strcspn(s, " ");
		w = display_width_n(s, n);
		if (used && used + 1 + w > room) {
			buf_addch(out, '\n');
			room = rest;
			used = 0;
		} else if (used) {
			buf_addch(out, ' ');
			used++;
		}
		while (w > room) {
			/* longer than a whole line: split it */
			size_t take = char_offset(s, room);

			buf_add(out, s, take);
			buf_addch(out, '\n');
			s += take;
			n -= take;
			w -= room;
			room = rest;
		}
		buf_add(out, s, n);
		used += w;
		s += n;
		while (*s == ' ')
			s++;
	}
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
	size_t w = display_width(s), pad = width > w ? width - w : 0;

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

/* Lines of text (joined by '\n'), the first as it is, the others after
 * `indent` spaces. */
static void print_lines(FILE *f, const char *text, size_t indent)
{
	const char *nl;

	for (;;) {
		nl = strchr(text, '\n');
		fwrite(text, 1, nl ? (size_t)(nl - text) : strlen(text), f);
		fputc('\n', f);
		if (!nl)
			break;
		text = nl + 1;
		fprintf(f, "%*s", (int)indent, "");
	}
}

/* A blank that add_wrapped() does not break at; never in a cell (control
 * characters from outside are shown as '?'). */
#define NO_BREAK '\001'

/* The narrowest the fitting leaves these columns, in the order they give
 * way: the limit first (wrapped, nothing is lost), then the names (cut). */
static const struct {
	enum term_col col;
	size_t min;
} col_shrink[] = {
	{ COL_LIMIT, 20 },
	{ COL_SCENARIO, 32 },
	{ COL_CHECK, 12 },
};

static size_t table_width(const size_t *width)
{
	size_t total = 2 * (COL_COUNT - 1);
	int k;

	for (k = 0; k < COL_COUNT; k++)
		total += width[k];
	return total;
}

/* Narrow the columns of col_shrink, in its order, until the table fits in
 * `max` columns. 1 when it fits. */
static int fit_columns(size_t *width, size_t max)
{
	size_t total = table_width(width), give, i;

	for (i = 0; i < sizeof(col_shrink) / sizeof(*col_shrink) && total > max; i++) {
		size_t *w = &width[col_shrink[i].col];

		if (*w <= col_shrink[i].min)
			continue;
		give = total - max < *w - col_shrink[i].min ? total - max : *w - col_shrink[i].min;
		*w -= give;
		total -= give;
	}
	return total <= max;
}

/* One row of the fitted table: names cut, the limit wrapped in its column. */
static void print_row(FILE *f, const struct buf *row, const size_t *width, const char *color,
		      struct buf *tmp)
{
	size_t indent = 0;
	int k;

	for (k = 0; k < COL_COUNT - 1; k++) {
		buf_reset(tmp);
		add_cut(tmp, row[k].s, width[k]);
		print_cell(f, tmp->s, width[k], col_right[k], 0, k == COL_STATUS ? color : NULL);
		indent += width[k] + 2;
	}
	buf_reset(tmp);
	add_wrapped(tmp, row[COL_LIMIT].s, width[COL_LIMIT], width[COL_LIMIT]);
	print_lines(f, tmp->s, indent);
}

/*
 * One check as a block, for a width the table cannot fit: status, check and
 * scenario on a line (the names cut to fit), then the metric and figures
 * wrapped under it, indented.
 */
static void print_block(FILE *f, const struct buf *row, size_t status_w, size_t max,
			const char *color, struct buf *tmp)
{
	size_t avail = max - status_w - 2, check_w = display_width(row[COL_CHECK].s), scen_w;
	struct buf rest;
	int k;

	buf_init(&rest);
	if (check_w > avail / 2 - 1)
		check_w = avail / 2 - 1;
	scen_w = avail - check_w - 2;
	print_cell(f, row[COL_STATUS].s, status_w, 0, 0, color);
	buf_reset(tmp);
	add_cut(tmp, row[COL_CHECK].s, check_w);
	buf_adds(tmp, "  ");
	add_cut(tmp, row[COL_SCENARIO].s, scen_w);
	fprintf(f, "%s\n", tmp->s);

	buf_adds(&rest, row[COL_METRIC].s);
	for (k = COL_BASE; k < COL_COUNT; k++) {
		const char *unless;
		size_t from;

		if (!row[k].len)
			continue;
		buf_adds(&rest, k == COL_BASE ? ": " : ", ");
		from = rest.len;
		buf_addf(&rest, "%s %s", k == COL_RATIO ? "head/base" : col_titles[k], row[k].s);
		/* a figure and its label stay on one line: their blanks are
		 * NO_BREAK until wrapped; the limit may break before "unless" */
		unless = strstr(rest.s + from, " unless ");
		for (; from < rest.len; from++)
			if (rest.s[from] == ' ' && rest.s + from != unless)
				rest.s[from] = NO_BREAK;
	}
	buf_reset(tmp);
	add_wrapped(tmp, rest.s, max - 4, max - 6);
	for (k = 0; k < (int)tmp->len; k++)
		if (tmp->s[k] == NO_BREAK)
			tmp->s[k] = ' ';
	fputs("    ", f);
	print_lines(f, tmp->s, 6);
	buf_release(&rest);
}

/* Text of the whole width (the verdict line, a signature), wrapped when
 * `max` is set; control characters shown as '?'. */
static void print_text(FILE *f, const char *s, size_t max, struct buf *tmp)
{
	struct buf safe;

	buf_init(&safe); /* "" rather than NULL for an empty s */
	add_safe(&safe, s);
	buf_reset(tmp);
	if (max)
		add_wrapped(tmp, safe.s, max, max - 2);
	else
		buf_adds(tmp, safe.s);
	print_lines(f, tmp->s, 2);
	buf_release(&safe);
}

int render_term_width(FILE *f)
{
	const char *cols = getenv("COLUMNS");
	struct winsize ws;
	char *end;
	long v;

	if (cols && *cols) {
		errno = 0;
		v = strtol(cols, &end, 10);
		if (!errno && !*end && v > 0)
			return v < RENDER_TERM_MIN_WIDTH ? RENDER_TERM_MIN_WIDTH
			       : v > 100000		 ? 100000
							 : (int)v;
	}
	if (isatty(fileno(f)) && ioctl(fileno(f), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col < RENDER_TERM_MIN_WIDTH ? RENDER_TERM_MIN_WIDTH : ws.ws_col;
	return RENDER_TERM_DEFAULT_WIDTH;
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
			     const struct judgement *j, size_t max, struct buf *tmp)
{
	struct buf b = BUF_INIT;
	size_t i;

	for (i = 0; i < r->nscen; i++) {
		if (!signature_wanted(r, t, j, i))
			continue;
		buf_reset(&b);
		buf_adds(&b, "signature of ");
		buf_adds(&b, r->scen[i].name);
		buf_adds(&b, ": ");
		signature_line(&b, &r->scen[i]);
		print_text(f, b.s, max, tmp);
	}
	buf_release(&b);
}

/* "reported: items (item, bigger is better)" (render_reported_line()). */
static void print_reported(FILE *f, const struct results *r, size_t max, struct buf *tmp)
{
	struct buf b = BUF_INIT;

	buf_adds(&b, "reported: ");
	if (render_reported_line(&b, r))
		print_text(f, b.s, max, tmp);
	buf_release(&b);
}

/* Where each profiled scenario's CPU went (render_profile_line()). */
static void print_profiles(FILE *f, const struct results *r, size_t max, struct buf *tmp)
{
	const struct render_profile_style st = { add_safe, add_safe };
	struct buf b = BUF_INIT;
	size_t i;

	for (i = 0; i < r->nscen; i++) {
		const struct scenario_profile *p = r->scen[i].profile;

		if (!p)
			continue;
		buf_reset(&b);
		buf_adds(&b, "profile of ");
		add_safe(&b, r->scen[i].name);
		buf_adds(&b, ": ");
		render_profile_line(&b, p, &st);
		if (p->svg) {
			buf_adds(&b, "; flame graph ");
			add_safe(&b, p->svg);
		}
		print_text(f, b.s, max, tmp);
	}
	buf_release(&b);
}

/* Why each inconclusive or error row is not decided: its note (the table has
 * the figures, not the reason, e.g. rounds set aside under contention). */
static void print_reasons(FILE *f, const struct results *r, const struct thresholds *t,
			  const struct judgement *j, const size_t *order, size_t max,
			  struct buf *tmp)
{
	struct buf b = BUF_INIT;
	size_t i;

	for (i = 0; i < j->n; i++) {
		const struct outcome *oc = &j->v[order[i]];

		if ((oc->status != STATUS_INCONCLUSIVE && oc->status != STATUS_ERROR) ||
		    !oc->note || !*oc->note)
			continue;
		buf_reset(&b);
		buf_addf(&b, "%s ", status_name(oc->status));
		buf_adds(&b, t && oc->check < t->nchecks ? t->checks[oc->check].name : "?");
		buf_adds(&b, " on ");
		buf_adds(&b, oc->scenario < r->nscen ? r->scen[oc->scenario].name : "?");
		buf_adds(&b, ": ");
		buf_adds(&b, oc->note);
		print_text(f, b.s, max, tmp);
	}
	buf_release(&b);
}

void render_term(FILE *f, const struct results *r, const struct thresholds *t,
		 const struct judgement *j, const struct render_opts *o)
{
	int color = o && o->color;
	size_t max = o && o->width > 0 ? (size_t)o->width : 0;
	size_t *order = render_order(j);
	size_t nrows = j->n, i, width[COL_COUNT];
	struct buf *cells = xcalloc((nrows ? nrows : 1) * COL_COUNT, sizeof(*cells));
	struct buf line = BUF_INIT, tmp = BUF_INIT;
	int k, table = 1;

	if (max && max < RENDER_TERM_MIN_WIDTH)
		max = RENDER_TERM_MIN_WIDTH;
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
	if (max)
		table = fit_columns(width, max);

	if (nrows && table) {
		for (k = 0; k < COL_COUNT; k++)
			print_cell(f, col_titles[k], width[k], col_right[k], k == COL_COUNT - 1,
				   NULL);
		fputc('\n', f);
	}
	for (i = 0; i < nrows; i++) {
		const struct buf *row = &cells[i * COL_COUNT];
		const char *c = color ? status_color(j->v[order[i]].status) : NULL;

		if (table)
			print_row(f, row, width, c, &tmp);
		else
			print_block(f, row, width[COL_STATUS], max, c, &tmp);
	}
	print_reasons(f, r, t, j, order, max, &tmp);
	print_signatures(f, r, t, j, max, &tmp);
	print_reported(f, r, max, &tmp);
	print_profiles(f, r, max, &tmp);

	/* a merge of shards from unlike machines says so first (merge.h) */
	if (merge_machines_line(r, &line)) {
		print_text(f, line.s, max, &tmp);
		buf_reset(&line);
	}
	render_verdict_line(&line, r, t, j);
	if (color)
		fprintf(f, "%s", status_color(j->verdict));
	/* The verdict line names checks and scenarios: no raw control bytes. */
	if (color) {
		buf_reset(&tmp);
		add_safe(&tmp, line.s);
		buf_reset(&line);
		if (max)
			add_wrapped(&line, tmp.s, max, max - 2);
		else
			buf_adds(&line, tmp.s);
		/* the reset before the line end: a wrapped line keeps the colour */
		for (i = 0; i < line.len; i++) {
			if (line.s[i] == '\n')
				fputs("\n  ", f);
			else
				fputc(line.s[i], f);
		}
		fputs("\033[0m\n", f);
	} else {
		print_text(f, line.s, max, &tmp);
	}

	for (i = 0; i < nrows * COL_COUNT; i++)
		buf_release(&cells[i]);
	buf_release(&line);
	buf_release(&tmp);
	free(cells);
	free(order);
}
