/*
 * render_fmt: the pieces render_md.c and render_term.c share: number
 * formats, markdown escaping, the marker, the row order and the verdict
 * line.
 */
#include "render.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* How many failing (or inconclusive, ...) outcomes the verdict line names. */
#define VERDICT_LIST_MAX 3

/* Order of statuses in tables and in the verdict line's counts. */
static const enum status status_order[STATUS_COUNT] = {
	STATUS_FAIL, STATUS_ERROR, STATUS_INCONCLUSIVE, STATUS_PASS, STATUS_SKIPPED,
};

static int status_rank(enum status s)
{
	int i;

	for (i = 0; i < STATUS_COUNT; i++)
		if (status_order[i] == s)
			return i;
	return STATUS_COUNT;
}

void render_md_escape(struct buf *out, const char *s)
{
	if (!s)
		return;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		switch (c) {
		case '|':
		case '\\':
		case '`':
		case '*':
		case '_':
		case '[':
		case ']':
		case '#':
		case '~':
			buf_addch(out, '\\');
			buf_addch(out, (char)c);
			break;
		case '<': buf_adds(out, "&lt;"); break;
		case '>': buf_adds(out, "&gt;"); break;
		case '&': buf_adds(out, "&amp;"); break;
		case '\n': buf_adds(out, "<br>"); break;
		case '\r':
			if (s[1] != '\n')
				buf_adds(out, "<br>");
			break;
		default: buf_addch(out, (c < 0x20 || c == 0x7f) ? ' ' : (char)c); break;
		}
	}
}

static size_t longest_backtick_run(const char *s)
{
	size_t run = 0, best = 0;

	for (; *s; s++) {
		run = *s == '`' ? run + 1 : 0;
		if (run > best)
			best = run;
	}
	return best;
}

static void add_repeat(struct buf *out, char c, size_t n)
{
	while (n--)
		buf_addch(out, c);
}

static int spanlike_space(char c)
{
	return c == '`' || c == ' ' || ((unsigned char)c < 0x20) || c == 0x7f;
}

void render_md_code(struct buf *out, const char *s)
{
	size_t fence;
	int pad;

	if (!s || !*s) {
		buf_adds(out, "(none)");
		return;
	}
	fence = longest_backtick_run(s) + 1;
	/* A span that starts or ends with a backtick or a space needs a space
	 * inside the fence: CommonMark strips one from each side. */
	pad = spanlike_space(s[0]) || spanlike_space(s[strlen(s) - 1]);
	add_repeat(out, '`', fence);
	if (pad)
		buf_addch(out, ' ');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		buf_addch(out, (c < 0x20 || c == 0x7f) ? ' ' : (char)c);
	}
	if (pad)
		buf_addch(out, ' ');
	add_repeat(out, '`', fence);
}

void render_md_fence(struct buf *out, const char *s)
{
	size_t fence;

	if (!s)
		s = "";
	fence = longest_backtick_run(s) + 1;
	if (fence < 3)
		fence = 3;
	add_repeat(out, '`', fence);
	buf_addch(out, '\n');
	buf_adds(out, s);
	if (!*s || s[strlen(s) - 1] != '\n')
		buf_addch(out, '\n');
	add_repeat(out, '`', fence);
	buf_addch(out, '\n');
}

void render_marker(struct buf *out, const char *name)
{
	if (!name || !*name)
		name = "spin-gate";
	buf_adds(out, "<!-- spin-gate:");
	for (; *name; name++) {
		char c = *name;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    strchr("._:/+=-", c))
			buf_addch(out, c);
		else
			buf_addch(out, '_');
	}
	buf_adds(out, " -->");
}

struct rank_index {
	int rank;
	size_t index;
};

static int cmp_rank_index(const void *a, const void *b)
{
	const struct rank_index *x = a, *y = b;

	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

size_t *render_order(const struct judgement *j)
{
	size_t n = j ? j->n : 0, i;
	struct rank_index *ri = xcalloc(n ? n : 1, sizeof(*ri));
	size_t *order = xcalloc(n ? n : 1, sizeof(*order));

	for (i = 0; i < n; i++) {
		ri[i].rank = status_rank(j->v[i].status);
		ri[i].index = i;
	}
	/* qsort is not stable; the index as tie-break makes it so. */
	qsort(ri, n, sizeof(*ri), cmp_rank_index);
	for (i = 0; i < n; i++)
		order[i] = ri[i].index;
	free(ri);
	return order;
}

const char *render_check_name(const struct thresholds *t, const struct outcome *oc)
{
	if (!t || oc->check >= t->nchecks || !t->checks[oc->check].name)
		return "?";
	return t->checks[oc->check].name;
}

const char *render_scenario_name(const struct results *r, const struct outcome *oc)
{
	if (!r || oc->scenario >= r->nscen || !r->scen[oc->scenario].name)
		return "?";
	return r->scen[oc->scenario].name;
}

static void add_text(struct buf *out, const char *s, int md)
{
	if (md)
		render_md_escape(out, s);
	else
		buf_adds(out, s);
}

static size_t measured_runs(const struct results *r)
{
	size_t n = 0, i, k;
	int side;

	for (i = 0; i < r->nscen; i++)
		for (side = 0; side < SIDE_COUNT; side++)
			for (k = 0; k < r->scen[i].samples[side].n; k++)
				n += !r->scen[i].samples[side].v[k].warmup;
	return n;
}

/* "idle-cpu on input=partitioned" (plus the scenario's error for errors). */
static void add_outcome_ref(struct buf *out, const struct results *r, const struct thresholds *t,
			    const struct outcome *oc, int md)
{
	const char *err = NULL;

	add_text(out, render_check_name(t, oc), md);
	buf_adds(out, " on ");
	add_text(out, render_scenario_name(r, oc), md);
	if (oc->status == STATUS_ERROR && r && oc->scenario < r->nscen)
		err = r->scen[oc->scenario].error;
	if (err) {
		buf_adds(out, " (");
		add_text(out, err, md);
		buf_addch(out, ')');
	}
}

void render_verdict_summary(struct buf *out, const struct results *r, const struct thresholds *t,
			    const struct judgement *j, int md)
{
	size_t counts[STATUS_COUNT] = { 0 }, judged, i, listed = 0;
	enum status v = j->verdict;
	const char *sep = " (";
	int k;

	/* Counted here rather than trusted from j->counts: the table shows j->v. */
	for (i = 0; i < j->n; i++)
		if ((unsigned)j->v[i].status < STATUS_COUNT)
			counts[j->v[i].status]++;
	judged = j->n - counts[STATUS_SKIPPED];

	if (r && !r->complete) {
		size_t runs = measured_runs(r);

		buf_adds(out, "incomplete: stopped");
		if (r->stopped_by) {
			buf_adds(out, " by ");
			add_text(out, r->stopped_by, md);
		}
		buf_addf(out, " after %zu run%s; ", runs, runs == 1 ? "" : "s");
	}

	if ((unsigned)v >= STATUS_COUNT)
		v = STATUS_ERROR;
	if (r && !r->nscen && r->shard.index > 0) {
		buf_addf(out, "shard %d/%d is empty: nothing to measure", r->shard.index,
			 r->shard.count);
	} else if (r && !r->nscen) {
		buf_adds(out, "no scenario was measured");
	} else if (!judged) {
		buf_adds(out, "no check applied");
	} else if (v == STATUS_PASS || !counts[v]) {
		buf_addf(out, "%zu check%s %s", counts[v], counts[v] == 1 ? "" : "s",
			 status_verb(v));
	} else {
		buf_addf(out, "%zu of %zu check%s %s: ", counts[v], judged, judged == 1 ? "" : "s",
			 status_verb(v));
		for (i = 0; i < j->n && listed < VERDICT_LIST_MAX; i++) {
			if (j->v[i].status != v)
				continue;
			if (listed++)
				buf_adds(out, "; ");
			add_outcome_ref(out, r, t, &j->v[i], md);
		}
		if (counts[v] > listed)
			buf_addf(out, "; and %zu more", counts[v] - listed);
	}

	for (k = 0; k < STATUS_COUNT; k++) {
		enum status s = status_order[k];

		if (s == v || !counts[s])
			continue;
		buf_addf(out, "%s%zu %s", sep, counts[s], status_verb(s));
		sep = ", ";
	}
	if (*sep == ',')
		buf_addch(out, ')');
}

void render_verdict_line(struct buf *out, const struct results *r, const struct thresholds *t,
			 const struct judgement *j)
{
	buf_adds(out, status_word(j->verdict));
	buf_adds(out, ": ");
	render_verdict_summary(out, r, t, j, 0);
}

/* Frames can be long C++ or Rust names: the line keeps their first 80
 * bytes (not inside a UTF-8 sequence). */
#define PROFILE_FRAME_MAX 80

static void add_frame(struct buf *out, const char *s, const struct render_profile_style *st)
{
	struct buf b = BUF_INIT;
	size_t n = strlen(s);

	if (n > PROFILE_FRAME_MAX) {
		n = PROFILE_FRAME_MAX;
		while (n && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	}
	buf_add(&b, s, n);
	if (n < strlen(s))
		buf_adds(&b, "...");
	st->code(out, b.s);
	buf_release(&b);
}

static void add_profile_side(struct buf *out, const struct scenario_profile *p, enum side k,
			     const struct render_profile_style *st)
{
	const struct profile_side *ps = &p->side[k];
	const struct profile_frame *fr = &ps->top[0];

	buf_addf(out, "%s: ", side_name(k));
	if (ps->error) {
		buf_adds(out, "not profiled: ");
		st->text(out, ps->error);
		return;
	}
	if (!ps->ntop) {
		buf_adds(out, "no CPU samples (it slept)");
		return;
	}
	fmt_percent(out, fr->share);
	buf_adds(out, " in ");
	add_frame(out, fr->frame, st);
	if (fr->under) {
		buf_adds(out, " under ");
		add_frame(out, fr->under, st);
	}
	if (isfinite(fr->other_share)) {
		buf_addf(out, " (%s: ", side_name(!k));
		fmt_percent(out, fr->other_share);
		buf_addch(out, ')');
	}
}

void render_profile_line(struct buf *out, const struct scenario_profile *p,
			 const struct render_profile_style *st)
{
	const struct profile_side *h = &p->side[SIDE_HEAD], *b = &p->side[SIDE_BASE];
	const char *stat_error;

	if (h->error && b->error && !strcmp(h->error, b->error)) {
		buf_adds(out, "not profiled: ");
		st->text(out, h->error);
		return;
	}
	add_profile_side(out, p, SIDE_HEAD, st);
	buf_adds(out, "; ");
	add_profile_side(out, p, SIDE_BASE, st);
	if (isfinite(h->syscalls_per_s) || isfinite(b->syscalls_per_s)) {
		buf_adds(out, "; system calls per wall s: head ");
		if (isfinite(h->syscalls_per_s))
			buf_addf(out, "%.0f", h->syscalls_per_s);
		else
			buf_adds(out, "n/a");
		buf_adds(out, ", base ");
		if (isfinite(b->syscalls_per_s))
			buf_addf(out, "%.0f", b->syscalls_per_s);
		else
			buf_adds(out, "n/a");
	} else if ((stat_error = h->stat_error ? h->stat_error : b->stat_error)) {
		buf_adds(out, "; system calls not counted: ");
		st->text(out, stat_error);
	}
	if (p->hint) {
		buf_adds(out, "; ");
		st->text(out, p->hint);
	}
}

int render_reported_line(struct buf *out, const struct results *r)
{
	size_t i;

	if (!r->nscen || !r->scen[0].nmetrics)
		return 0;
	for (i = 0; i < r->scen[0].nmetrics; i++) {
		const struct metric_decl *d = &r->scen[0].metrics[i];

		buf_addf(out, "%s%s (%s, %s is better)", i ? "; " : "", d->name, d->unit,
			 d->bigger ? "bigger" : "smaller");
	}
	return 1;
}
