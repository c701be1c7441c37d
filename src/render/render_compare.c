#include "render_compare.h"

#include "fmt.h"
#include "render.h"
#include "status.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define COLS 8

static const char *const heads[COLS] = { "#",	"revision",  "resolved", "wall",
					 "cpu", "wall / #1", "cpu / #1", "checks" };

/* The ratio of revision k (k >= 1) to revision 0 on scenario i, as a ratio
 * check of judge would see it. */
static void add_ratio(struct buf *b, const struct compare_view *v, size_t k, size_t i,
		      enum metric m)
{
	const struct scenario_result *sc = &v->pairs[k - 1].scen[i];
	struct condition c = { .metric = m, .rule = RULE_RATIO_MAX, .value = INFINITY };
	double conf = v->pairs[k - 1].settings.confidence;
	struct cond_eval e;

	if (!(conf > 0 && conf < 1))
		conf = v->t->confidence;
	e = judge_condition(sc, &c, conf, conf);
	if (!isfinite(e.ci.est))
		buf_adds(b, "n/a");
	else
		fmt_interval(b, m, 1, &e.ci);
}

/* The statuses of pair p's checks on scenario i, in the judgement's order. */
static void add_checks(struct buf *b, const struct compare_view *v, size_t p, size_t i)
{
	const struct judgement *j = &v->j[p];
	size_t k, shown = 0;

	for (k = 0; k < j->n; k++) {
		if (j->v[k].scenario != i)
			continue;
		buf_addf(b, "%s%s %s", shown++ ? ", " : "", render_check_name(v->t, &j->v[k]),
			 status_name(j->v[k].status));
	}
	if (!shown)
		buf_adds(b, "no checks");
	if (v->pairs[p].scen[i].error)
		buf_addf(b, "; error: %s", v->pairs[p].scen[i].error);
}

/* The cells of revision k's row for scenario i (COLS of them; caller
 * releases). Unescaped: the caller escapes for its medium. */
/* A git commit's full name (40 or 64 hex digits): shown abbreviated, as
 * git does; the pairs' results.json keep it whole. */
static int is_commit(const char *kind, const char *resolved)
{
	size_t n = strlen(resolved);

	return kind && !strcmp(kind, "git") && n > RENDER_COMPARE_COMMIT_CHARS &&
	       strspn(resolved, "0123456789abcdef") == n;
}

static void row_cells(struct buf cells[COLS], const struct compare_view *v, size_t k, size_t i)
{
	enum side side = k ? SIDE_HEAD : SIDE_BASE;
	size_t p = k ? k - 1 : 0, q;
	const struct scenario_result *sc;
	const char *resolved;

	/* #1's runs: from the pair that kept measuring it longest (a pair
	 * whose other revision failed stopped taking them) */
	for (q = 1; !k && q + 1 < v->n; q++)
		if (v->pairs[q].scen[i].samples[SIDE_BASE].n >
		    v->pairs[p].scen[i].samples[SIDE_BASE].n)
			p = q;
	sc = &v->pairs[p].scen[i];
	resolved = v->pairs[p].rev[side].resolved;
	buf_addf(&cells[0], "%zu", k + 1);
	buf_adds(&cells[1], v->specs[k]);
	if (!resolved)
		buf_adds(&cells[2], "?");
	else if (is_commit(v->pairs[p].rev[side].kind, resolved))
		buf_add(&cells[2], resolved, RENDER_COMPARE_COMMIT_CHARS);
	else
		buf_adds(&cells[2], resolved);
	fmt_seconds(&cells[3], judge_side_median(sc, side, METRIC_WALL));
	fmt_seconds(&cells[4], judge_side_median(sc, side, METRIC_CPU));
	if (k) {
		add_ratio(&cells[5], v, k, i, METRIC_WALL);
		add_ratio(&cells[6], v, k, i, METRIC_CPU);
		add_checks(&cells[7], v, p, i);
	} else {
		/* a failed run of #1 is in every pair's row */
		buf_adds(&cells[7], "(reference)");
	}
}

static void cells_release(struct buf cells[COLS])
{
	size_t c;

	for (c = 0; c < COLS; c++)
		buf_release(&cells[c]);
}

static void verdict_lines_md(struct buf *out, const struct compare_view *v)
{
	size_t p;

	for (p = 0; p + 1 < v->n; p++) {
		buf_addf(out, "- **#%zu ", p + 2);
		render_md_escape(out, v->specs[p + 1]);
		buf_adds(out, " vs #1 ");
		render_md_escape(out, v->specs[0]);
		buf_addf(out, ": %s** - ", status_name(v->j[p].verdict));
		render_verdict_summary(out, &v->pairs[p], v->t, &v->j[p], 1);
		if (v->dirs && v->dirs[p]) {
			buf_adds(out, " (");
			render_md_code(out, v->dirs[p]);
			buf_adds(out, ")");
		}
		buf_adds(out, "\n");
	}
}

void render_compare_md(struct buf *out, const struct compare_view *v)
{
	const struct results *r = &v->pairs[0];
	size_t i, k, c;

	buf_adds(out, "# spin-gate compare\n\n");
	buf_addf(out, "%zu revisions, each judged against #1 with the checks of ", v->n);
	render_md_code(out, v->t->path);
	buf_adds(out, ":\n\n");
	verdict_lines_md(out, v);
	for (i = 0; i < r->nscen; i++) {
		buf_adds(out, "\n### ");
		render_md_escape(out, r->scen[i].name);
		buf_adds(out, "\n\n|");
		for (c = 0; c < COLS; c++)
			buf_addf(out, " %s |", heads[c]);
		buf_adds(out, "\n|");
		for (c = 0; c < COLS; c++)
			buf_adds(out, " --- |");
		buf_adds(out, "\n");
		for (k = 0; k < v->n; k++) {
			struct buf cells[COLS];

			for (c = 0; c < COLS; c++)
				buf_init(&cells[c]);
			row_cells(cells, v, k, i);
			buf_adds(out, "|");
			for (c = 0; c < COLS; c++) {
				buf_adds(out, " ");
				render_md_escape(out, cells[c].s);
				buf_adds(out, " |");
			}
			buf_adds(out, "\n");
			cells_release(cells);
		}
	}
}

/* A cell's text: "" for an empty one. */
static const char *text(const struct buf *b)
{
	return b->s ? b->s : "";
}

/* Characters shown on a terminal: control characters as '?'. */
static size_t put_safe(FILE *f, const char *s)
{
	size_t n = 0;

	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		fputc(ch < 0x20 || ch == 0x7f ? '?' : ch, f);
		n += (ch & 0xc0) != 0x80;
	}
	return n;
}

static size_t width_of(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

void render_compare_term(FILE *f, const struct compare_view *v)
{
	const struct results *r = &v->pairs[0];
	size_t i, k, c, p;

	for (p = 0; p + 1 < v->n; p++) {
		struct buf line = BUF_INIT;

		render_verdict_line(&line, &v->pairs[p], v->t, &v->j[p]);
		fprintf(f, "#%zu ", p + 2);
		put_safe(f, v->specs[p + 1]);
		fputs(" vs #1 ", f);
		put_safe(f, v->specs[0]);
		fputs(": ", f);
		put_safe(f, text(&line));
		fputs("\n", f);
		buf_release(&line);
	}
	for (i = 0; i < r->nscen; i++) {
		struct buf *cells = xcalloc(v->n * COLS, sizeof(*cells));
		size_t width[COLS];

		for (c = 0; c < COLS; c++)
			width[c] = strlen(heads[c]);
		for (k = 0; k < v->n; k++) {
			for (c = 0; c < COLS; c++)
				buf_init(&cells[k * COLS + c]);
			row_cells(&cells[k * COLS], v, k, i);
			for (c = 0; c < COLS; c++)
				if (width_of(text(&cells[k * COLS + c])) > width[c])
					width[c] = width_of(text(&cells[k * COLS + c]));
		}
		fputs("\n", f);
		put_safe(f, r->scen[i].name);
		fputs("\n", f);
		for (c = 0; c < COLS; c++)
			fprintf(f, "%-*s%s", c + 1 < COLS ? (int)width[c] : 0, heads[c],
				c + 1 < COLS ? "  " : "\n");
		for (k = 0; k < v->n; k++) {
			for (c = 0; c < COLS; c++) {
				size_t w = put_safe(f, text(&cells[k * COLS + c]));

				if (c + 1 < COLS)
					fprintf(f, "%*s", (int)(width[c] - w + 2), "");
			}
			fputs("\n", f);
			cells_release(&cells[k * COLS]);
		}
		free(cells);
	}
	fflush(f);
}
