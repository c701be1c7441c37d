/*
 * render_alert: a history alert's issue and its "undone" comment (see
 * render_alert.h).
 */
#include "render_alert.h"

#include "render.h"
#include "render_history.h"

#include <ctype.h>
#include <math.h>
#include <string.h>

static void add_safe(struct buf *out, const char *s)
{
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;

		buf_addch(out, (isalnum(c) || strchr("._:/+=-", c)) && c < 0x80 ? (char)c : '_');
	}
}

void render_alert_marker(struct buf *out, const char *name, const struct series *s)
{
	buf_adds(out, "<!-- spin-gate-alert:");
	add_safe(out, name ? name : "spin-gate");
	buf_addch(out, ':');
	add_safe(out, s->suite ? s->suite : "");
	buf_addch(out, '/');
	add_safe(out, s->scenario);
	buf_addch(out, '/');
	add_safe(out, s->metric);
	buf_addch(out, '/');
	add_safe(out, s->runner_kind);
	buf_adds(out, " -->");
}

void render_alert_cp_marker(struct buf *out, const char *commit)
{
	buf_adds(out, "<!-- spin-gate-alert-cp:");
	add_safe(out, commit ? commit : "?");
	buf_adds(out, " -->");
}

void render_alert_undone_marker(struct buf *out, const char *commit)
{
	buf_adds(out, "<!-- spin-gate-alert-undone:");
	add_safe(out, commit ? commit : "?");
	buf_adds(out, " -->");
}

static const struct change_point *the_cp(const struct render_alert *a)
{
	return &a->s->cps[a->cp];
}

static const struct record *rec_at(const struct render_alert *a, size_t i)
{
	return series_record(a->set, a->s, i);
}

void render_alert_title(struct buf *out, const struct render_alert *a)
{
	const struct change_point *cp = the_cp(a);

	buf_addf(out, "%s: %s of %s %s %+.1f%% at ", a->name ? a->name : "spin-gate", a->s->metric,
		 a->s->scenario, cp->after > cp->before ? "up" : "down", cp->magnitude * 100);
	render_history_commit(out, record_id(rec_at(a, cp->index)));
}

/* A word safe to paste into a shell as it is, else single-quoted. */
static void add_shell_word(struct buf *out, const char *s)
{
	const char *p;

	for (p = s; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("._/=+:,-@%", *p))
			break;
	if (*s && !*p) {
		buf_adds(out, s);
		return;
	}
	buf_addch(out, '\'');
	for (p = s; *p; p++) {
		if (*p == '\'')
			buf_adds(out, "'\\''");
		else
			buf_addch(out, *p);
	}
	buf_addch(out, '\'');
}

void render_alert_bisect(struct buf *out, const struct render_alert *a)
{
	const struct change_point *cp = the_cp(a);
	const struct record *p = rec_at(a, cp->index - 1), *r = rec_at(a, cp->index);
	size_t i;

	if (!p->commit && !r->commit) {
		/* records of releases: bisect walks a list of them */
		struct buf w = BUF_INIT;

		buf_addf(&w, "%s,%s", p->rev ? p->rev : "?", r->rev ? r->rev : "?");
		buf_adds(out, "spin-gate bisect --versions ");
		add_shell_word(out, w.s);
		buf_release(&w);
	} else {
		buf_adds(out, "spin-gate bisect --good ");
		add_shell_word(out, p->commit ? p->commit : p->rev ? p->rev : "?");
		buf_adds(out, " --bad ");
		add_shell_word(out, r->commit ? r->commit : r->rev ? r->rev : "?");
	}
	for (i = 0; i < a->s->nparams; i++) {
		struct buf w = BUF_INIT;

		buf_addf(&w, "%s=%s", a->s->params[i].name, a->s->params[i].value);
		buf_adds(out, " --only ");
		add_shell_word(out, w.s);
		buf_release(&w);
	}
}

static void add_value(struct buf *out, const char *metric, double v)
{
	struct buf tmp = BUF_INIT;

	render_history_value(&tmp, metric, v);
	render_md_escape(out, tmp.s);
	buf_release(&tmp);
}

static void add_commit(struct buf *out, const char *commit)
{
	struct buf tmp = BUF_INIT;

	render_history_commit(&tmp, commit);
	render_md_code(out, tmp.s);
	buf_release(&tmp);
}

static void add_runner(struct buf *out, const struct record *r)
{
	struct buf tmp = BUF_INIT;

	buf_adds(&tmp, r->runner.kind ? r->runner.kind : "?");
	if (r->runner.kernel) {
		buf_adds(&tmp, "; ");
		buf_adds(&tmp, r->runner.kernel);
	}
	if (r->runner.hyperfine) {
		buf_adds(&tmp, "; ");
		buf_adds(&tmp, r->runner.hyperfine);
	}
	render_md_escape(out, tmp.s);
	buf_release(&tmp);
}

static void add_side(struct buf *out, const struct render_alert *a, const char *label,
		     const struct series_segment *g, const struct record *runner)
{
	buf_addf(out, "| %s | ", label);
	add_commit(out, record_id(rec_at(a, g->from)));
	buf_adds(out, " .. ");
	add_commit(out, record_id(rec_at(a, g->to - 1)));
	buf_addf(out, " | %zu | ", g->to - g->from);
	add_value(out, a->s->metric, g->median);
	buf_adds(out, " | [");
	add_value(out, a->s->metric, g->lo);
	buf_adds(out, ", ");
	add_value(out, a->s->metric, g->hi);
	buf_addf(out, "] (%.0f%%) | ", isfinite(g->achieved) ? g->achieved * 100 : 0.0);
	add_runner(out, runner);
	buf_adds(out, " |\n");
}

static int url_safe(const char *s)
{
	for (; s && *s; s++)
		if ((unsigned char)*s <= ' ' || strchr("<>()\"'`\\", *s))
			return 0;
	return s != NULL;
}

static void add_chart(struct buf *out, const struct render_alert *a)
{
	const struct series *s = a->s;
	size_t from = s->n > ALERT_CHART_MAX ? s->n - ALERT_CHART_MAX : 0, i;
	const struct change_point *cp = the_cp(a);

	buf_adds(out, "```mermaid\nxychart-beta\n");
	/* the records are numbered from 1: the step is between records index and index + 1 */
	buf_addf(out, "    title \"median per record, change point after record %zu\"\n",
		 cp->index);
	buf_addf(out, "    x-axis \"records in history order\" %zu --> %zu\n", from + 1, s->n);
	buf_addf(out, "    y-axis \"%s\"\n", series_metric_kind(s->metric));
	buf_adds(out, "    line [");
	for (i = from; i < s->n; i++)
		buf_addf(out, "%s%.6g", i > from ? ", " : "", s->pts[i].median);
	buf_adds(out, "]\n```\n\n");
}

void render_alert_body(struct buf *out, const struct render_alert *a)
{
	const struct change_point *cp = the_cp(a);
	const struct record *p = rec_at(a, cp->index - 1), *r = rec_at(a, cp->index);
	struct series_segment before, after;
	struct buf tmp = BUF_INIT;

	series_segments(a->s, a->cp, &before, &after);
	render_alert_marker(out, a->name, a->s);
	buf_addch(out, '\n');
	render_alert_cp_marker(out, r->commit);
	buf_adds(out, "\n\n**");
	render_md_escape(out, a->s->metric);
	buf_adds(out, "** of ");
	render_md_code(out, a->s->scenario);
	if (a->s->suite) {
		buf_adds(out, " (suite ");
		render_md_code(out, a->s->suite);
		buf_adds(out, ")");
	}
	buf_addf(out, " stepped **%s %+.1f%%** (p = %.2g) between ",
		 cp->after > cp->before ? "up" : "down", cp->magnitude * 100, cp->pvalue);
	add_commit(out, record_id(p));
	buf_adds(out, " and ");
	add_commit(out, record_id(r));
	buf_adds(out, ": ");
	add_value(out, a->s->metric, before.median);
	buf_adds(out, " before, ");
	add_value(out, a->s->metric, after.median);
	buf_adds(out, " after.\n\n");
	buf_adds(out, "| | commits | records | median | interval (confidence) | runner |\n"
		      "|---|---|---|---|---|---|\n");
	add_side(out, a, "before", &before, p);
	add_side(out, a, "after", &after, r);
	buf_adds(out, "\n");
	if (url_safe(a->server_url) && url_safe(a->repo) && url_safe(p->commit) &&
	    url_safe(r->commit)) {
		buf_adds(out, "The commits in between: [");
		render_history_commit(&tmp, p->commit);
		buf_adds(&tmp, "...");
		render_history_commit(&tmp, r->commit);
		render_md_escape(out, tmp.s);
		buf_addf(out, "](%s/%s/compare/%s...%s)\n\n", a->server_url, a->repo, p->commit,
			 r->commit);
		buf_reset(&tmp);
	}
	add_chart(out, a);
	if (!rec_at(a, cp->index - 1)->commit && !rec_at(a, cp->index)->commit)
		buf_adds(out, "To narrow the range to one release (add the releases between "
			      "these two to `--versions`, in order):\n\n");
	else
		buf_adds(out, "To narrow the range to one commit (`git bisect` with the gate as "
			      "its test):\n\n");
	render_alert_bisect(&tmp, a);
	render_md_fence(out, tmp.s);
	buf_adds(out, "\nThis issue is updated while the change point stands; a later change "
		      "point that undoes it is said here.\n");
	buf_release(&tmp);
}

void render_alert_undone(struct buf *out, const struct render_alert *a, size_t undo)
{
	const struct change_point *cp = &a->s->cps[undo];
	const struct record *r = series_record(a->set, a->s, cp->index);
	struct series_segment before, after;

	series_segments(a->s, undo, &before, &after);
	render_alert_undone_marker(out, r->commit);
	buf_adds(out, "\n\nUndone: a later change point at ");
	add_commit(out, record_id(r));
	buf_addf(out, " steps %s %+.1f%% (p = %.2g): ", cp->after > cp->before ? "up" : "down",
		 cp->magnitude * 100, cp->pvalue);
	add_value(out, a->s->metric, before.median);
	buf_adds(out, " before, ");
	add_value(out, a->s->metric, after.median);
	buf_addf(out, " after (%zu record%s since).\n", after.to - after.from,
		 after.to - after.from == 1 ? "" : "s");
}
