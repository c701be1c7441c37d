#include "signature.h"

#include <math.h>

const char *signature_kind_name(enum signature_kind k)
{
	switch (k) {
	case SIGNATURE_HEALTHY: return "healthy";
	case SIGNATURE_SYSCALL_POLLING: return "syscall polling";
	case SIGNATURE_BUSY_SPIN: return "busy spin";
	case SIGNATURE_UNCLEAR: return "unclear";
	case SIGNATURE_NOT_MEASURED: break;
	}
	return "not measured";
}

void signature_classify(const struct scenario_result *sc, enum side side, struct signature *out)
{
	const struct sample_list *l = &sc->samples[side];
	double wall = 0, cpu = 0, sys = 0, vcsw = 0;
	size_t i;

	out->kind = SIGNATURE_NOT_MEASURED;
	out->runs = 0;
	out->cpu_per_wall = out->cpu_util = out->sys_share = NAN;
	out->vcsw_per_cpu_s = out->vcsw_per_wall_s = NAN;
	for (i = 0; i < l->n; i++) {
		const struct sample *s = &l->v[i];

		if (!judge_sample_counts(s) || !(s->wall > 0) || !isfinite(s->user) ||
		    !isfinite(s->sys) || !isfinite(s->vcsw))
			continue;
		wall += s->wall;
		cpu += s->user + s->sys;
		sys += s->sys;
		vcsw += s->vcsw;
		out->runs++;
	}
	if (!out->runs)
		return;
	out->cpu_per_wall = cpu / wall;
	out->cpu_util = sc->cores > 0 ? cpu / (wall * sc->cores) : out->cpu_per_wall;
	out->sys_share = cpu > 0 ? sys / cpu : 0;
	out->vcsw_per_cpu_s = cpu > 0 ? vcsw / cpu : NAN;
	out->vcsw_per_wall_s = vcsw / wall;
	if (out->cpu_util < SIGNATURE_IDLE_UTIL_MAX && out->vcsw_per_wall_s < SIGNATURE_WAKEUPS_MIN)
		out->kind = SIGNATURE_HEALTHY;
	else if (out->cpu_util >= SIGNATURE_SPIN_UTIL_MIN &&
		 out->sys_share < SIGNATURE_SYS_SHARE_MIN)
		out->kind = SIGNATURE_BUSY_SPIN; /* switches of a wrapper's start-up aside */
	else if ((out->sys_share >= SIGNATURE_SYS_SHARE_MIN &&
		  out->vcsw_per_cpu_s < SIGNATURE_SPIN_VCSW_MAX) ||
		 out->vcsw_per_wall_s >= SIGNATURE_WAKEUPS_MIN)
		out->kind = SIGNATURE_SYSCALL_POLLING;
	else if (out->vcsw_per_cpu_s < SIGNATURE_SPIN_VCSW_MAX)
		out->kind = SIGNATURE_BUSY_SPIN;
	else
		out->kind = SIGNATURE_UNCLEAR;
}

static int cpu_metric(enum metric m)
{
	return m == METRIC_USER || m == METRIC_SYSTEM || m == METRIC_CPU || m == METRIC_CPU_UTIL ||
	       m == METRIC_CPU_SHARE;
}

int signature_wanted(const struct results *r, const struct thresholds *t, const struct judgement *j,
		     size_t i)
{
	size_t k;

	if (i >= r->nscen || r->scen[i].role != ROLE_IDLE)
		return 0;
	for (k = 0; k < j->n; k++) {
		const struct outcome *o = &j->v[k];

		if (o->scenario == i && o->status == STATUS_FAIL && o->check < t->nchecks &&
		    cpu_metric(t->checks[o->check].cond.metric))
			return 1;
	}
	return 0;
}

/* A whole number, or "n/a" (a rate of a run without CPU). */
static void add_count(struct buf *out, double v)
{
	if (isfinite(v))
		buf_addf(out, "%.0f", v);
	else
		buf_adds(out, "n/a");
}

static void describe(struct buf *out, const struct scenario_result *sc, enum side side)
{
	struct signature s;

	signature_classify(sc, side, &s);
	buf_addf(out, "%s: %s", side_name(side), signature_kind_name(s.kind));
	if (!s.runs)
		return;
	buf_adds(out, " - ");
	buf_addf(out, "%.2f CPU s per wall s", s.cpu_per_wall);
	buf_addf(out, " (%.0f%% of %g core%s), ", s.cpu_util * 100, sc->cores,
		 sc->cores == 1 ? "" : "s");
	buf_addf(out, "%.0f%% system, ", s.sys_share * 100);
	add_count(out, s.vcsw_per_cpu_s);
	buf_adds(out, " voluntary switches per CPU s, ");
	add_count(out, s.vcsw_per_wall_s);
	buf_adds(out, " per wall s");
}

void signature_line(struct buf *out, const struct scenario_result *sc)
{
	describe(out, sc, SIDE_HEAD);
	buf_adds(out, "; ");
	describe(out, sc, SIDE_BASE);
}
