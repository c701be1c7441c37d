/*
 * render_md: the verdict as a GitHub pull request comment (see render.h).
 *
 * Every string that came from outside goes through render_md_escape() (table
 * cells, text), render_md_code() (inline code outside tables) or
 * render_md_fence() (commands); numbers are formatted here and need none.
 */
#include "render.h"
#include "merge.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "github_limits.h"
#include "signature.h"

struct md_ctx {
	struct buf *out;
	const struct results *r;
	const struct thresholds *t;
	const struct judgement *j;
	int caveat_once; /* the confidence caveat is said once, not per note */
};

static const struct check *outcome_check(const struct thresholds *t, const struct outcome *oc)
{
	if (!t || oc->check >= t->nchecks)
		return NULL;
	return &t->checks[oc->check];
}

/* Rules judged on an interval of head against base (ratio or difference). */
static int rule_ratio(enum rule r)
{
	return rule_uses_base(r);
}

/* The base, head and ratio cells of one condition's evaluation. */
static void add_eval_cells(struct buf *out, const struct condition *c, const struct cond_eval *e)
{
	int ratio = rule_ratio(c->rule);

	buf_adds(out, " | ");
	fmt_metric_value(out, c->metric, e->base);
	buf_adds(out, " | ");
	if (ratio)
		fmt_metric_value(out, c->metric, e->head);
	else
		fmt_interval(out, c->metric, 0, &e->ci); /* head's median is judged */
	buf_adds(out, " | ");
	if (ratio)
		fmt_interval(out, c->metric, rule_is_ratio(c->rule), &e->ci);
	else if (isfinite(e->base) && isfinite(e->head) && e->base > 0)
		fmt_ratio(out, e->head / e->base);
	else
		buf_adds(out, "n/a");
}

/* "unless head cpu_util <= 25%: 12% [10%, 14%], pass", escaped. */
static void add_unless_note(struct buf *out, const struct check *c, const struct outcome *oc)
{
	struct buf b = BUF_INIT;
	int ratio = rule_ratio(c->unless.rule);

	buf_addf(&b, "unless %s %s ",
		 rule_is_ratio(c->unless.rule) ? "head/base"
		 : ratio		       ? "head-base"
					       : "head",
		 metric_name(c->unless.metric));
	fmt_limit(&b, &c->unless);
	buf_adds(&b, ": ");
	fmt_interval(&b, c->unless.metric, rule_is_ratio(c->unless.rule), &oc->unless.ci);
	buf_addf(&b, ", %s", status_name(oc->unless.status));
	render_md_escape(out, b.s);
	buf_release(&b);
}

/* Fail, error and inconclusive lead the comment; pass and skipped go under
 * <details>. */
static int needs_attention(enum status s)
{
	return s == STATUS_FAIL || s == STATUS_ERROR || s == STATUS_INCONCLUSIVE;
}

/* Remove every occurrence of `what` from `b`. */
static void buf_remove_all(struct buf *b, const char *what)
{
	size_t n = strlen(what);
	char *at;

	if (!n || !b->s)
		return;
	while ((at = strstr(b->s, what))) {
		memmove(at, at + n, strlen(at + n) + 1);
		b->len -= n;
	}
}

/* The judge's note, without the confidence caveat when the comment says
 * it once for every check (m->caveat_once), escaped. */
static void add_note(struct md_ctx *m, const struct outcome *oc)
{
	struct buf note = BUF_INIT, cav = BUF_INIT;

	if (!oc->note)
		return;
	buf_adds(&note, oc->note);
	if (m->caveat_once) {
		judge_add_caveat(&cav, oc->main.ci.achieved);
		buf_remove_all(&note, cav.s);
		buf_reset(&cav);
		if (oc->used_unless) {
			judge_add_caveat(&cav, oc->unless.ci.achieved);
			buf_remove_all(&note, cav.s);
		}
	}
	render_md_escape(m->out, note.s);
	buf_release(&note);
	buf_release(&cav);
}

/* One row of the leading table: each figure once (the note has the
 * interval and the limit, so the table has the medians and the ratio). */
static void add_attention_row(struct md_ctx *m, const struct outcome *oc)
{
	struct buf *out = m->out;
	const struct check *c = outcome_check(m->t, oc);
	int bold = oc->status == STATUS_FAIL || oc->status == STATUS_ERROR;

	buf_adds(out, "| ");
	render_md_escape(out, render_check_name(m->t, oc));
	buf_adds(out, " | ");
	render_md_escape(out, render_scenario_name(m->r, oc));
	if (c) {
		buf_addf(out, " | %s | ", metric_name(c->cond.metric));
		fmt_metric_value(out, c->cond.metric, oc->main.base);
		buf_adds(out, " | ");
		fmt_metric_value(out, c->cond.metric, oc->main.head);
		buf_adds(out, " | ");
		if (isfinite(oc->main.base) && isfinite(oc->main.head) && oc->main.base > 0)
			fmt_ratio(out, oc->main.head / oc->main.base);
		else
			buf_adds(out, "n/a");
	} else {
		buf_adds(out, " | ? | n/a | n/a | n/a");
	}
	buf_addf(out, " | %s%s%s | ", bold ? "**" : "", status_name(oc->status), bold ? "**" : "");
	add_note(m, oc);
	buf_adds(out, " |\n");
}

/* One row of the table under <details>: the figures, and a note only where
 * it says more than they do (why a check was skipped, what the unless
 * condition found). */
static void add_other_row(struct md_ctx *m, const struct outcome *oc)
{
	struct buf *out = m->out;
	const struct check *c = outcome_check(m->t, oc);
	struct buf limit = BUF_INIT;

	buf_adds(out, "| ");
	render_md_escape(out, render_check_name(m->t, oc));
	buf_adds(out, " | ");
	render_md_escape(out, render_scenario_name(m->r, oc));
	if (c) {
		buf_adds(out, " | ");
		buf_adds(out, metric_name(c->cond.metric));
		add_eval_cells(out, &c->cond, &oc->main);
		fmt_limit(&limit, &c->cond);
	} else {
		buf_adds(out, " | ? | n/a | n/a | n/a");
	}
	buf_adds(out, " | ");
	render_md_escape(out, limit.s);
	buf_addf(out, " | %s | ", status_name(oc->status));
	if (c && c->has_unless && oc->used_unless)
		add_unless_note(out, c, oc);
	else if (oc->status != STATUS_PASS)
		add_note(m, oc);
	buf_adds(out, " |\n");
	buf_release(&limit);
}

static void add_checks_table(struct md_ctx *m)
{
	struct buf *out = m->out;
	size_t *order = render_order(m->j);
	size_t i, lead = 0, passed = 0;

	if (!m->j->n) {
		buf_adds(out, "No check applies to the scenarios measured.\n\n");
		goto out;
	}
	for (i = 0; i < m->j->n; i++) {
		lead += needs_attention(m->j->v[i].status);
		passed += m->j->v[i].status == STATUS_PASS;
	}
	if (lead) {
		buf_adds(out,
			 "| Check | Scenario | Metric | Base | Head | Head/Base | Status | Why |\n"
			 "| --- | --- | --- | ---: | ---: | ---: | --- | --- |\n");
		for (i = 0; i < lead; i++)
			add_attention_row(m, &m->j->v[order[i]]);
		buf_addch(out, '\n');
	}
	if (lead == m->j->n)
		goto out;
	buf_addf(out, "<details><summary>%zu check%s passed", passed, passed == 1 ? "" : "s");
	if (m->j->n - lead - passed)
		buf_addf(out, ", %zu skipped", m->j->n - lead - passed);
	buf_adds(out, "</summary>\n\n"
		      "| Check | Scenario | Metric | Base | Head | Head/Base [CI] | Limit | Status "
		      "| Note |\n"
		      "| --- | --- | --- | ---: | ---: | ---: | --- | --- | --- |\n");
	for (i = lead; i < m->j->n; i++)
		add_other_row(m, &m->j->v[order[i]]);
	buf_adds(out, "\n</details>\n\n");
out:
	free(order);
}

/*
 * The confidence caveat, once, when every judged interval falls short of
 * the confidence asked (too few runs): the notes then leave it out. When
 * only some do, each of their notes keeps it.
 */
static void add_caveat(struct md_ctx *m)
{
	double lo = INFINITY, hi = 0, want = m->t ? m->t->confidence : NAN;
	size_t i, judged = 0, short_of = 0;

	m->caveat_once = 0;
	for (i = 0; i < m->j->n; i++) {
		const struct outcome *oc = &m->j->v[i];
		double a = oc->main.ci.achieved;

		if (oc->status == STATUS_SKIPPED || oc->status == STATUS_ERROR ||
		    !outcome_check(m->t, oc) || !isfinite(a) || a <= 0)
			continue;
		judged++;
		if (a + 1e-9 < want) {
			short_of++;
			lo = a < lo ? a : lo;
			hi = a > hi ? a : hi;
		}
	}
	if (!judged || short_of != judged)
		return;
	m->caveat_once = 1;
	buf_adds(m->out, "Every interval below reaches only ");
	fmt_percent(m->out, lo);
	if (hi > lo + 0.005) {
		buf_adds(m->out, " to ");
		fmt_percent(m->out, hi);
	}
	buf_adds(m->out, " confidence, not the ");
	fmt_percent(m->out, want);
	buf_adds(m->out, " asked: too few runs for more.\n\n");
}

/* What the CPU of each idle scenario whose CPU check failed went on
 * (signature.h), one line each. */
static void add_signatures(struct buf *out, const struct results *r, const struct thresholds *t,
			   const struct judgement *j)
{
	size_t i;

	for (i = 0; i < r->nscen; i++) {
		if (!signature_wanted(r, t, j, i))
			continue;
		buf_adds(out, "**Signature** of ");
		render_md_escape(out, r->scen[i].name);
		buf_adds(out, ": ");
		signature_line(out, &r->scen[i]);
		buf_adds(out, "\n\n");
	}
}

/* Profile lines in the comment: each is short (frames are cut at 80 bytes),
 * and --profile on a large matrix must not crowd out the checks. */
#define MD_PROFILES_MAX 12

static void md_code(struct buf *out, const char *s)
{
	render_md_code(out, s);
}

/* Where each profiled scenario's CPU went (render_profile_line()), one line
 * each, with the flame graph's file (uploaded with OUT/profile). */
static void add_profiles(struct buf *out, const struct results *r)
{
	const struct render_profile_style st = { md_code, render_md_escape };
	size_t i, shown = 0, more = 0;

	for (i = 0; i < r->nscen; i++) {
		const struct scenario_profile *p = r->scen[i].profile;

		if (!p)
			continue;
		if (shown == MD_PROFILES_MAX) {
			more++;
			continue;
		}
		shown++;
		buf_adds(out, "**Profile** of ");
		render_md_escape(out, r->scen[i].name);
		buf_adds(out, ": ");
		render_profile_line(out, p, &st);
		if (p->svg) {
			buf_adds(out, "; flame graph ");
			render_md_code(out, p->svg);
		}
		buf_adds(out, "\n\n");
	}
	if (more)
		buf_addf(out,
			 "%zu more profiled scenario(s): see results.json and report.html.\n\n",
			 more);
}

/* Every check the verdict does not cover, said plainly, so that none
 * vanishes from the verdict unnoticed (an optional check, or one outside
 * an --only selection). */
static void add_not_applicable(struct md_ctx *m)
{
	size_t ci, i, n = 0;

	for (ci = 0; ci < m->t->nchecks; ci++) {
		const struct check *c = &m->t->checks[ci];

		for (i = 0; i < m->j->n && m->j->v[i].check != ci; i++)
			;
		if (i < m->j->n)
			continue;
		buf_adds(m->out, n++ ? "; " : "Not applicable to the scenarios measured: ");
		render_md_code(m->out, c->name);
		for (i = 0; c->role != ROLE_ANY && i < m->r->nscen && m->r->scen[i].role != c->role;
		     i++)
			;
		if (c->role != ROLE_ANY && i == m->r->nscen)
			buf_addf(m->out, " (no scenario has role %s)", role_name(c->role));
		else
			buf_adds(m->out, " (its where matches none)");
	}
	if (n)
		buf_adds(m->out, ".\n\n");
}

static void add_medians(struct buf *out, const struct scenario_result *sc)
{
	static const enum metric cols[] = { METRIC_WALL, METRIC_USER, METRIC_SYSTEM, METRIC_CPU,
					    METRIC_CPU_UTIL };
	enum metric rep[RESULTS_MAX_REPORTED];
	size_t nrep = 0;
	int side;
	size_t k, i;

	buf_adds(out, "| Median | Runs | wall | user | system | cpu | cpu_util |");
	/* what the program reported, one column each, with its unit */
	for (i = 0; i < sc->nmetrics && i < RESULTS_MAX_REPORTED; i++) {
		if (metric_parse_reported(sc->metrics[i].name, &rep[nrep]) < 0)
			continue;
		buf_adds(out, " ");
		render_md_escape(out, sc->metrics[i].name);
		buf_adds(out, " |");
		nrep++;
	}
	buf_adds(out, "\n| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
	for (i = 0; i < nrep; i++)
		buf_adds(out, " ---: |");
	buf_addch(out, '\n');
	for (side = 0; side < SIDE_COUNT; side++) {
		const struct sample_list *l = &sc->samples[side];
		size_t used = 0, measured = 0;

		for (i = 0; i < l->n; i++) {
			measured += !l->v[i].warmup;
			used += judge_sample_counts(&l->v[i]);
		}
		buf_addf(out, "| %s | ", side_name((enum side)side));
		if (used == measured)
			buf_addf(out, "%zu", used);
		else
			buf_addf(out, "%zu of %zu", used, measured);
		for (k = 0; k < sizeof(cols) / sizeof(cols[0]); k++) {
			double med = judge_side_median(sc, (enum side)side, cols[k]);

			buf_adds(out, " | ");
			fmt_metric_value(out, cols[k], med);
		}
		for (k = 0; k < nrep; k++) {
			buf_adds(out, " | ");
			fmt_metric_value(out, rep[k],
					 judge_side_median(sc, (enum side)side, rep[k]));
		}
		buf_adds(out, " |\n");
	}
	buf_addch(out, '\n');
}

struct sample_ref {
	const struct sample *s;
	int side;
	size_t index;
};

static int cmp_sample_ref(const void *a, const void *b)
{
	const struct sample_ref *x = a, *y = b;

	/* Warm-ups first, then by round, base before head, then as stored. */
	if (x->s->warmup != y->s->warmup)
		return x->s->warmup ? -1 : 1;
	if (x->s->round != y->s->round)
		return x->s->round < y->s->round ? -1 : 1;
	if (x->side != y->side)
		return x->side < y->side ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

static void add_samples(struct buf *out, const struct scenario_result *sc)
{
	size_t n = sc->samples[SIDE_BASE].n + sc->samples[SIDE_HEAD].n, i, k = 0;
	struct sample_ref *refs;
	int side;

	if (!n)
		return;
	refs = xcalloc(n, sizeof(*refs));
	for (side = 0; side < SIDE_COUNT; side++)
		for (i = 0; i < sc->samples[side].n; i++, k++) {
			refs[k].s = &sc->samples[side].v[i];
			refs[k].side = side;
			refs[k].index = k;
		}
	qsort(refs, n, sizeof(*refs), cmp_sample_ref);

	buf_adds(out, "| Round | Side | wall | user | system | Exit |\n"
		      "| ---: | --- | ---: | ---: | ---: | --- |\n");
	for (i = 0; i < n; i++) {
		const struct sample *s = refs[i].s;

		if (s->warmup)
			buf_adds(out, "| warm-up");
		else
			buf_addf(out, "| %d", s->round);
		buf_addf(out, " | %s | ", side_name((enum side)refs[i].side));
		fmt_seconds(out, s->wall);
		buf_adds(out, " | ");
		fmt_seconds(out, s->user);
		buf_adds(out, " | ");
		fmt_seconds(out, s->sys);
		if (s->timed_out)
			buf_adds(out, " | timed out |\n");
		else if (s->exit_code < 0)
			buf_adds(out, " | killed |\n");
		else
			buf_addf(out, " | %d |\n", s->exit_code);
	}
	buf_addch(out, '\n');
	free(refs);
}

static void add_scenario(struct buf *out, const struct scenario_result *sc, int with_samples)
{
	size_t i;
	int side;

	buf_adds(out, "#### ");
	render_md_escape(out, sc->name ? sc->name : "?");
	buf_adds(out, "\n\n");
	if (sc->nparams) {
		buf_adds(out, "Parameters: ");
		for (i = 0; i < sc->nparams; i++) {
			if (i)
				buf_adds(out, ", ");
			render_md_escape(out, sc->params[i].name);
			buf_addch(out, '=');
			render_md_escape(out, sc->params[i].value);
		}
		buf_adds(out, ". ");
	}
	buf_addf(out, "CPU budget: %g core%s", sc->cores, sc->cores == 1 ? "" : "s");
	if (sc->timeout > 0) {
		buf_adds(out, ", time limit ");
		fmt_seconds(out, sc->timeout);
	}
	buf_adds(out, " per run.\n\n");
	if (sc->error) {
		buf_adds(out, "**Error:** ");
		render_md_escape(out, sc->error);
		buf_adds(out, "\n\n");
	}
	for (side = 0; side < SIDE_COUNT; side++) {
		buf_addf(out, "%s command:\n\n", side == SIDE_BASE ? "Base" : "Head");
		render_md_fence(out, sc->command[side]);
		buf_addch(out, '\n');
	}
	add_medians(out, sc);
	if (with_samples)
		add_samples(out, sc);
}

static void add_scenarios(struct buf *out, const struct results *r, int with_samples)
{
	size_t i;

	buf_addf(out, "<details><summary>Scenarios (%zu)</summary>\n\n", r->nscen);
	if (!with_samples)
		buf_adds(out, "Per-run samples are left out to fit GitHub's comment size "
			      "limit; they are in results.json.\n\n");
	for (i = 0; i < r->nscen; i++)
		add_scenario(out, &r->scen[i], with_samples);
	buf_adds(out, "</details>\n\n");
}

static void add_revision_item(struct buf *out, const struct revision_info *rev, enum side side)
{
	buf_addf(out, "- %s: ", side_name(side));
	render_md_code(out, rev->spec);
	if (rev->kind) {
		buf_adds(out, " (");
		render_md_escape(out, rev->kind);
		buf_addch(out, ')');
	}
	if (rev->resolved) {
		buf_adds(out, ", resolved ");
		render_md_code(out, rev->resolved);
	}
	if (rev->runtime) {
		buf_adds(out, ", ");
		render_md_escape(out, rev->runtime);
	}
	buf_addch(out, '\n');
}

/* "- spin-gate's own cost: ..." when results.json recorded it (cost.h). */
/* "- other work on the machine: base's runs 2% (at most 5%), head's 31% ..." */
static void add_contention(struct buf *out, const struct judge_contention *c)
{
	size_t k;

	if (!c->runs[SIDE_BASE] && !c->runs[SIDE_HEAD])
		return;
	buf_adds(out, "- other work on the machine during the runs (median share, largest): ");
	for (k = 0; k < SIDE_COUNT; k++) {
		buf_addf(out, "%s%s ", k ? ", " : "", side_name(k));
		fmt_percent(out, c->median[k]);
		buf_adds(out, " (");
		fmt_percent(out, c->max[k]);
		buf_addch(out, ')');
	}
	if (c->set_aside)
		buf_addf(out,
			 "; %zu of %zu round(s) ran head under more contention than base and "
			 "do not decide a fail",
			 c->set_aside, c->rounds);
	if (judge_contention_busy(c))
		buf_adds(out, " **(busy runner)**");
	buf_addch(out, '\n');
}

static void add_overhead(struct buf *out, const struct overhead *o)
{
	if (isnan(o->self_cpu) || isnan(o->runs_cpu) || isnan(o->runs_wall))
		return;
	buf_addf(out, "- spin-gate's own cost: CPU %.2f s", o->self_cpu);
	if (o->runs_cpu > 0 || !isnan(o->probe_cpu)) {
		const char *sep = "";

		buf_adds(out, " (");
		if (o->runs_cpu > 0) {
			buf_addf(out, "%.2f%% of the runs' %.1f s", 100 * o->self_cpu / o->runs_cpu,
				 o->runs_cpu);
			sep = "; ";
		}
		if (!isnan(o->probe_cpu))
			buf_addf(out, "%sthe noise probe %.2f s of it", sep, o->probe_cpu);
		buf_addch(out, ')');
	}
	if (!isnan(o->tools_cpu)) {
		buf_addf(out, ", hyperfine's CPU %.2f s", o->tools_cpu);
		if (o->runs_cpu > 0)
			buf_addf(out, " (%.2f%%)", 100 * o->tools_cpu / o->runs_cpu);
	}
	if (!isnan(o->extra_wall)) {
		buf_addf(out, ", wall time beyond the runs %.2f s", o->extra_wall);
		if (o->runs_wall > 0)
			buf_addf(out, " (%.2f%% of their %.1f s)",
				 100 * o->extra_wall / o->runs_wall, o->runs_wall);
	}
	buf_addch(out, '\n');
}
static void add_environment(struct buf *out, const struct results *r, const struct judgement *j)
{
	const struct env_info *e = &r->env;
	const struct results_settings *st = &r->settings;
	int side;

	buf_adds(out, "<details><summary>Environment</summary>\n\n");
	for (side = 0; side < SIDE_COUNT; side++)
		add_revision_item(out, &r->rev[side], (enum side)side);
	if (r->suite_name || r->suite_path) {
		buf_adds(out, "- suite: ");
		render_md_escape(out, r->suite_name ? r->suite_name : "?");
		if (r->suite_path) {
			buf_adds(out, " (");
			render_md_escape(out, r->suite_path);
			buf_addch(out, ')');
		}
		buf_addch(out, '\n');
	}
	buf_addf(out, "- machine: %d core%s", e->cores, e->cores == 1 ? "" : "s");
	if (e->kernel) {
		buf_adds(out, ", ");
		render_md_escape(out, e->kernel);
	}
	if (e->host) {
		buf_adds(out, ", host ");
		render_md_escape(out, e->host);
	}
	if (r->merged > 1)
		buf_addf(out, " (shard 1 of %d merged; each scenario's machine is in results.json)",
			 r->merged);
	buf_addch(out, '\n');
	if (e->hyperfine) {
		buf_adds(out, "- ");
		render_md_escape(out, e->hyperfine);
		buf_addch(out, '\n');
	}
	buf_addf(out, "- settings: %d runs per side (at most %d), %d warm-up%s, ", st->runs,
		 st->max_runs, st->warmup, st->warmup == 1 ? "" : "s");
	fmt_percent(out, st->confidence);
	buf_adds(out, " confidence\n");
	if (!isnan(e->noise_cpu) || !isnan(e->noise_sleep) || !isnan(e->steal)) {
		const char *sep = "";

		buf_adds(out, "- noise probe: ");
		if (!isnan(e->noise_cpu)) {
			buf_adds(out, "CPU loop spread ");
			fmt_percent(out, e->noise_cpu);
			sep = ", ";
		}
		if (!isnan(e->noise_sleep)) {
			buf_addf(out, "%ssleep spread ", sep);
			fmt_percent(out, e->noise_sleep);
			sep = ", ";
		}
		if (!isnan(e->steal))
			buf_addf(out, "%sCPU steal %.1f%%", sep, e->steal);
		buf_addch(out, '\n');
	}
	add_contention(out, &j->contention);
	add_overhead(out, &e->overhead);
	buf_adds(out, "- started ");
	render_md_escape(out, r->started ? r->started : "?");
	buf_adds(out, ", finished ");
	render_md_escape(out, r->finished ? r->finished : "not finished");
	buf_adds(out, "\n\n</details>\n\n");
}

static void add_revisions_line(struct buf *out, const struct results *r)
{
	int side;

	for (side = 0; side < SIDE_COUNT; side++) {
		const struct revision_info *rev = &r->rev[side];

		buf_addf(out, "%s%s ", side ? " vs " : "", side_name((enum side)side));
		render_md_code(out, rev->spec);
		if (rev->resolved && (!rev->spec || strcmp(rev->spec, rev->resolved))) {
			/* A full commit id is noise here; the environment has it. */
			size_t n = strlen(rev->resolved) == 40 ? 12 : strlen(rev->resolved);
			char *shown = xstrndup(rev->resolved, n);

			buf_adds(out, " (");
			render_md_escape(out, shown);
			buf_addch(out, ')');
			free(shown);
		}
	}
	if (r->suite_name) {
		buf_adds(out, ", suite ");
		render_md_escape(out, r->suite_name);
	}
	buf_addf(out, ", %zu scenario%s\n\n", r->nscen, r->nscen == 1 ? "" : "s");
}

/* "**Reported**: items (item, bigger is better); ...": what the program
 * reports itself (suite.json "metrics"), as the first scenario declares it. */
static void add_reported(struct buf *out, const struct results *r)
{
	struct buf line = BUF_INIT;

	if (render_reported_line(&line, r)) {
		buf_adds(out, "**Reported**: ");
		render_md_escape(out, line.s);
		buf_adds(out, "\n\n");
	}
	buf_release(&line);
}

/* A merge of shards from unlike machines says so (merge.h). */
static void add_machines_line(struct buf *out, const struct results *r)
{
	struct buf line = BUF_INIT;

	if (merge_machines_line(r, &line)) {
		buf_adds(out, "> **Machines:** ");
		render_md_escape(out, line.s);
		buf_adds(out, "\n\n");
	}
	buf_release(&line);
}

void render_md(struct buf *out, const struct results *r, const struct thresholds *t,
	       const struct judgement *j, const struct render_opts *o)
{
	const char *name = o && o->name && *o->name ? o->name : "spin-gate";
	struct md_ctx m = { out, r, t, j, 0 };
	struct buf chart = BUF_INIT, checks = BUF_INIT, scen = BUF_INIT, env = BUF_INIT;

	render_marker(out, name);
	buf_adds(out, "\n**");
	render_md_escape(out, name);
	buf_addf(out, ": %s** - ", status_word(j->verdict));
	render_verdict_summary(out, r, t, j, 1);
	buf_adds(out, "\n\n");
	add_revisions_line(out, r);
	add_machines_line(out, r);
	if (o && o->history)
		buf_adds(out, o->history);
	if (!r->complete) {
		buf_adds(out, "> **Incomplete:** the measurement was stopped");
		if (r->stopped_by) {
			buf_adds(out, " by ");
			render_md_escape(out, r->stopped_by);
		}
		buf_adds(out, "; the verdict covers only the runs measured before that.\n\n");
	}
	add_caveat(&m);
	if (o && o->bisect)
		buf_addf(out, "To find the commit that made it fail:\n\n```sh\n%s\n```\n\n",
			 o->bisect);

	render_md_chart(&chart, r, j);
	m.out = &checks;
	add_checks_table(&m);
	add_reported(&checks, r);
	add_signatures(&checks, r, t, j);
	add_profiles(&checks, r);
	add_not_applicable(&m);
	add_scenarios(&scen, r, 1);
	add_environment(&env, r, j);
	/* What gives way first: the per-run samples, then the chart. */
	if (out->len + chart.len + checks.len + scen.len + env.len > GITHUB_COMMENT_TARGET) {
		buf_reset(&scen);
		add_scenarios(&scen, r, 0);
	}
	if (chart.len &&
	    out->len + chart.len + checks.len + scen.len + env.len > GITHUB_COMMENT_TARGET) {
		buf_reset(&chart);
		buf_adds(&chart, "The chart is left out to fit GitHub's comment size limit.\n\n");
	}
	buf_add(out, chart.s, chart.len);
	buf_add(out, checks.s, checks.len);
	buf_add(out, scen.s, scen.len);
	buf_add(out, env.s, env.len);
	buf_release(&chart);
	buf_release(&checks);
	buf_release(&scen);
	buf_release(&env);
}
