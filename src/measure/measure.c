#include "measure.h"

#include "clock.h"
#include "fsutil.h"
#include "hyperfine.h"
#include "msg.h"
#include "plan.h"
#include "progress.h"
#include "proc.h"
#include "reported.h"
#include "sysload.h"

#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* What one scenario runs on one side. */
struct prepared {
	struct plan_run run; /* command, cwd, environment (plan_run_expand()) */
	char *log;
	struct fs_cap cap; /* the log's cap so far */
	int said_left;	   /* warned that a run left processes behind */
	int said_unseen;   /* warned that the cgroup saw CPU the gate did not */
	char *metrics;	   /* $SPIN_GATE_METRICS of its runs, or NULL: none declared */
};

struct state {
	struct results *r; /* the first pair: scenarios' names and timeouts */
	const struct suite *s;
	const struct measure_revs *m;
	const struct measure_opts *o;
	struct prepared *prep; /* scenario i, revision k: prep[i * m->n + k] */
	struct sysload load;
	struct progress pg; /* what the terminal or the log is told */
};

static void prepared_release(struct prepared *p)
{
	plan_run_release(&p->run);
	free(p->log);
	if (p->metrics)
		unlink(p->metrics);
	free(p->metrics);
}

/* Pairs of results: n - 1 (each revision after the first against it), or
 * one for a single revision (record), which has only its base side. */
static size_t npairs(const struct measure_revs *m)
{
	return m->n > 1 ? m->n - 1 : 1;
}

/* Revision k's side in a pair: the first revision is every pair's base. */
static enum side side_of(size_t k)
{
	return k == 0 ? SIDE_BASE : SIDE_HEAD;
}

/* 1 when pair p compares revision k: the first revision, or its head. */
static int in_pair(size_t k, size_t p)
{
	return k == 0 || k == p + 1;
}

static const char *label_of(const struct measure_revs *m, size_t k)
{
	return m->labels ? m->labels[k] : side_name(side_of(k));
}

static int prepare(struct prepared *p, const struct measure_revs *m, size_t idx, size_t k,
		   const struct suite *s, const struct measure_opts *o)
{
	struct scenario_result *sc = &m->pairs[0].scen[idx];
	const struct revision *rv = &m->rv[k];
	size_t pair;
	struct buf b = BUF_INIT;
	int ret = -1;

	if (plan_run_expand(&p->run, s, sc, rv->env_dir, o->ncpu, o->unset) < 0)
		goto out;
	hyperfine_quote_argv(&b, (const char *const *)p->run.argv);
	for (pair = 0; pair < npairs(m); pair++) {
		char **cmd = &m->pairs[pair].scen[idx].command[side_of(k)];

		if (!in_pair(k, pair))
			continue;
		free(*cmd);
		*cmd = xstrdup(b.s);
	}
	p->log = xstrfmt("%s/scenario-%zu-%s.log", o->logs_dir, idx + 1,
			 m->tags ? m->tags[k] : side_name(side_of(k)));
	if (s->nmetrics) {
		size_t n;

		/* its own file per scenario and revision; the suite's env cannot
		 * override it (appended last) */
		p->metrics = xstrfmt("%s/metrics-%zu-%zu.json", o->tmpdir ? o->tmpdir : "/tmp",
				     idx + 1, k);
		for (n = 0; p->run.env[n]; n++)
			;
		p->run.env = xrealloc(p->run.env, (n + 2) * sizeof(char *));
		p->run.env[n] = xstrfmt("%s=%s", REPORTED_ENV, p->metrics);
		p->run.env[n + 1] = NULL;
	}
	ret = 0;
out:
	buf_release(&b);
	return ret;
}

/* Pair p still measures scenario i: no run of its revisions failed. */
static int pair_live(const struct state *st, size_t p, size_t i)
{
	return !st->m->pairs[p].scen[i].error;
}

/* Revision k still runs scenario i: a pair comparing it still measures. */
static int rev_live(const struct state *st, size_t k, size_t i)
{
	size_t p;

	for (p = 0; p < npairs(st->m); p++)
		if (in_pair(k, p) && pair_live(st, p, i))
			return 1;
	return 0;
}

/* Scenario i still runs: some pair still measures it. */
static int scen_live(const struct state *st, size_t i)
{
	return rev_live(st, 0, i);
}

/* Save the pairs a run of revision k went to. */
static void save(const struct state *st, const unsigned char *to)
{
	size_t p;

	for (p = 0; p < npairs(st->m); p++)
		if (to[p] && st->m->paths && st->m->paths[p])
			results_checkpoint(&st->m->pairs[p], st->m->paths[p]);
}

/* Set scenario i's error in the pairs of `to` that have none yet. */
static void set_error(struct state *st, size_t i, const unsigned char *to, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void set_error(struct state *st, size_t i, const unsigned char *to, const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;
	size_t p;

	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	for (p = 0; p < npairs(st->m); p++)
		if (to[p] && !st->m->pairs[p].scen[i].error)
			st->m->pairs[p].scen[i].error = xstrdup(b.s);
	buf_release(&b);
}

/* Append "spin-gate: error: TEXT" to a scenario's log (best effort: the
 * message is on stderr and in the verdict too). */
static void log_error(const char *log, const char *text)
{
	FILE *f = fopen(log, "a");

	if (!f)
		return;
	fprintf(f, "spin-gate: error: %s\n", text);
	fclose(f);
}

/* Read the metrics run p reported (reported.h) into smp; 0, or -1 with why
 * in *why (the caller's). */
static int read_reported(const struct state *st, const struct prepared *p,
			 const struct timespec *since, struct sample *smp, struct buf *why)
{
	const char *files[RESULTS_MAX_REPORTED];
	size_t j;

	for (j = 0; j < st->s->nmetrics; j++)
		files[j] = p->run.metric_files[j] ? p->run.metric_files[j] : p->metrics;
	if (reported_read_run(st->s->metrics, st->s->nmetrics, files, since, smp->reported) == 0)
		return 0;
	buf_adds(why, msg_last_error());
	log_error(p->log, why->s);
	return -1;
}

/* Run scenario i of revision k once; its sample goes to every pair that
 * compares k and still measures i. 0 ok (scenario may now have an error),
 * 1 interrupted, -1 hyperfine failed (scenario error set). */
static int run_one(struct state *st, size_t i, size_t k, int round, int warmup, size_t runs_left)
{
	const struct measure_revs *m = st->m;
	struct scenario_result *sc = &st->r->scen[i];
	struct prepared *p = &st->prep[i * m->n + k];
	const char *label = label_of(m, k);
	enum side side = side_of(k);
	struct hyperfine_opts ho = { 0 };
	struct hyperfine_left left = { 0, 0 };
	struct buf why = BUF_INIT, metrics_why = BUF_INIT;
	struct timespec since = { 0, 0 };
	struct sysload_mark before, after;
	unsigned char to[MEASURE_MAX_REVS] = { 0 };
	struct sample smp;
	double t0 = clock_now();
	size_t pair;
	int ret, in_cgroup = 0;

	for (pair = 0; pair < npairs(m); pair++)
		to[pair] = in_pair(k, pair) && pair_live(st, pair, i);
	sample_init(&smp); /* every measure NaN until measured */
	ho.hyperfine = st->o->hyperfine;
	ho.cwd = p->run.cwd;
	ho.env = (const char *const *)p->run.env;
	ho.output = p->log;
	ho.tmpdir = st->o->tmpdir;
	ho.timeout = sc->timeout;
	ho.left = &left;
	ho.cgroup = &st->load.runs;
	ho.in_cgroup = &in_cgroup;
	ho.version = st->r->env.hyperfine;
	ho.why = &why;
	progress_run_start(&st->pg, i, sc->name, label, round, warmup, runs_left);
	if (p->metrics)
		unlink(p->metrics); /* a file left by the last run is not this one's */
	/* the clock file times come from: a file written after this is newer */
	clock_gettime(CLOCK_REALTIME_COARSE, &since);
	sysload_mark(&st->load, &before);
	ret = hyperfine_run_once(&ho, (const char *const *)p->run.argv, &smp);
	/* a cut log still says how the run began and how it ended */
	fs_cap_file(p->log, MEASURE_LOG_HEAD, MEASURE_LOG_TAIL, &p->cap);
	if (ret < 0) {
		if (proc_interrupted()) {
			buf_release(&why);
			return 1;
		}
		/* why, in the verdict; hyperfine.c wrote it at the end of the log too */
		set_error(st, i, to, "hyperfine could not time the %s run %d: %s (output: %s)",
			  label, round, why.len ? why.s : "no message", p->log);
		buf_release(&why);
		return -1;
	}
	buf_release(&why); /* empty: the run was timed */
	sysload_mark(&st->load, &after);
	if (!in_cgroup)
		after.have &= ~(unsigned)SYSLOAD_RUN;
	sysload_sample(&before, &after, &smp);
	smp.round = warmup ? 0 : round;
	smp.warmup = warmup;
	if (st->s->nmetrics && !smp.timed_out && smp.exit_code == 0)
		read_reported(st, p, &since, &smp, &metrics_why);
	for (pair = 0; pair < npairs(m); pair++)
		if (to[pair])
			results_add_sample(&m->pairs[pair].scen[i], side, &smp);
	if (smp.timed_out)
		set_error(st, i, to, "timed out after %.0f s in %s %s %d (output: %s)", sc->timeout,
			  label, warmup ? "warm-up" : "round", round, p->log);
	else if (smp.exit_code != 0)
		set_error(st, i, to, "exit code %d in %s %s %d (output: %s)", smp.exit_code, label,
			  warmup ? "warm-up" : "round", round, p->log);
	else if (metrics_why.len)
		set_error(st, i, to, "%s in %s %s %d (output: %s)", metrics_why.s, label,
			  warmup ? "warm-up" : "round", round, p->log);
	buf_release(&metrics_why);
	progress_run_done(&st->pg, i, sc->name, label, round, warmup, &smp, clock_now() - t0,
			  runs_left);
	for (pair = 0; pair < npairs(m); pair++) {
		struct left_behind *lb = &m->pairs[pair].scen[i].left[side];

		if (!to[pair])
			continue;
		lb->cpu += left.cpu;
		if (left.processes) {
			lb->runs++;
			lb->processes += left.processes;
		}
	}
	/* the cgroup counts every process of the run; hyperfine and the reaper
	 * only those they waited for: more there is CPU the gate did not see */
	if (isfinite(smp.cgroup_cpu) && isfinite(smp.user + smp.sys) &&
	    smp.cgroup_cpu - (smp.user + smp.sys) > MEASURE_UNSEEN_CPU &&
	    smp.cgroup_cpu > 1.1 * (smp.user + smp.sys) && !p->said_unseen++)
		warning("scenario %s: %s %s %d used %.2f s of CPU by its cgroup's count, %.2f s by "
			"hyperfine's and the reaper's: a process of the run escaped them "
			"(\"cgroup_cpu\" in results.json has every run's)",
			sc->name, label, warmup ? "warm-up" : "round", round, smp.cgroup_cpu,
			smp.user + smp.sys);
	if (left.processes && !p->said_left++)
		warning("scenario %s: %s %s %d left %d process(es) running after its "
			"command ended: killed, and their CPU counted in the run's "
			"(\"left_behind\" in results.json counts every run's)",
			sc->name, label, warmup ? "warm-up" : "round", round, left.processes);
	save(st, to);
	return proc_interrupted() ? 1 : 0;
}

/* Runs still planned: the fixed rounds left, or in the adaptive phase (an
 * upper bound) the active scenarios' rounds up to max_runs. */
static size_t planned_left(const struct state *st, int round, int warm, const unsigned char *active)
{
	const struct measure_opts *o = st->o;
	size_t i, n = 0;
	int rounds_left;

	if (warm)
		rounds_left = o->warmup - round + o->runs;
	else if (round <= o->runs)
		rounds_left = o->runs - round;
	else
		rounds_left = o->max_runs - round;
	if (rounds_left < 0)
		rounds_left = 0;
	for (i = 0; i < st->r->nscen; i++)
		if (scen_live(st, i) && (round <= o->runs || warm || active[i]))
			n++;
	return n * st->m->n * (size_t)rounds_left;
}

/* Scenarios after i that this round will still run. */
static size_t later_in_round(const struct state *st, const unsigned char *active, size_t i)
{
	size_t n = 0;

	for (i++; i < st->r->nscen; i++)
		n += active[i] && scen_live(st, i);
	return n;
}

/* Does the base (revision 0) run in this round (measure_opts.base_every)? */
static int base_round(const struct measure_opts *o, int round, int warmup)
{
	if (o->base_every <= 1)
		return 1;
	return !warmup && (round - 1) % o->base_every == 0;
}

/* One round: every active scenario in turn, and in each every revision
 * back to back, starting with revision (round + i) mod n and going on in
 * order, so over n rounds each revision takes every place once. */
static int run_round(struct state *st, int round, int warmup, const unsigned char *active)
{
	struct results *r = st->r;
	size_t i, n = st->m->n;
	int interrupted = 0;

	for (i = 0; i < r->nscen; i++) {
		size_t first = measure_first((size_t)round, i, n), j;

		if (!active[i] || !scen_live(st, i))
			continue;
		progress_group_begin(&st->pg, i, r->scen[i].name, round, warmup);
		for (j = 0; j < n && !interrupted; j++) {
			size_t k = (first + j) % n;
			size_t left = planned_left(st, round, warmup, active) +
				      later_in_round(st, active, i) * n + (n - 1 - j);

			if (k == 0 && !base_round(st->o, round, warmup))
				continue;
			if (rev_live(st, k, i))
				interrupted = run_one(st, i, k, round, warmup, left) == 1;
		}
		progress_group_end(&st->pg);
		if (interrupted)
			return 1;
	}
	return 0;
}

size_t measure_first(size_t round, size_t scenario, size_t n)
{
	return (round + scenario) % n;
}

/* Where scenario i stands: open while any pair still measuring it is
 * open; *failed set when one of them failed. */
static int scenario_open(const struct state *st, size_t i, int *failed)
{
	const struct measure_opts *o = st->o;
	size_t p;
	int open = 0;

	for (p = 0; p < npairs(st->m); p++) {
		int state;

		if (!pair_live(st, p, i))
			continue;
		state = o->state(&st->m->pairs[p], i, o->ctx);
		open |= state == MEASURE_OPEN;
		*failed |= state == MEASURE_FAILED;
	}
	return open;
}

int measure_run_revs(const struct measure_revs *m, const struct suite *s,
		     const struct measure_opts *o)
{
	struct state st;
	struct results *r = &m->pairs[0];
	unsigned char *active = NULL;
	size_t i, k, p;
	int round, ret = -1, any, failed;

	if (m->n < 1 || m->n > MEASURE_MAX_REVS)
		return error("measure: %zu revisions (1 to %d)", m->n, MEASURE_MAX_REVS);
	for (p = 1; p + 1 < m->n; p++)
		if (m->pairs[p].nscen != r->nscen)
			return error("measure: the pairs' scenarios differ");
	memset(&st, 0, sizeof(st));
	st.r = r;
	st.m = m;
	st.o = o;
	st.s = s;
	st.prep = xcalloc(r->nscen ? r->nscen * m->n : 1, sizeof(*st.prep));
	sysload_init(&st.load);
	sysload_runs_cgroup(&st.load);
	active = xcalloc(r->nscen ? r->nscen : 1, 1);
	for (i = 0; i < r->nscen; i++)
		for (k = 0; k < m->n; k++)
			if (prepare(&st.prep[i * m->n + k], m, i, k, s, o) < 0)
				goto out;
	progress_begin(&st.pg, o, r->nscen);
	memset(active, 1, r->nscen);
	for (round = 1; round <= o->warmup; round++) {
		if (run_round(&st, round, 1, active)) {
			ret = 1;
			goto out;
		}
	}
	for (round = 1; round <= o->max_runs; round++) {
		if (round > o->runs) {
			if (!o->state)
				break;
			any = failed = 0;
			for (i = 0; i < r->nscen; i++) {
				active[i] = scen_live(&st, i) && scenario_open(&st, i, &failed);
				any |= active[i];
			}
			/* a failed check settles the verdict: no more rounds for
			 * the others unless every check is wanted resolved */
			if (failed && !o->all_checks) {
				if (any && !o->quiet)
					note("a check failed after %d round(s): the verdict is a "
					     "fail; not extending the other scenarios "
					     "(--all-checks measures on)",
					     round - 1);
				break;
			}
			if (!any)
				break;
			if (round == o->runs + 1 && !o->quiet)
				note("%d round(s) done; more rounds for scenarios whose checks are "
				     "still inconclusive (at most %d)",
				     o->runs, o->max_runs);
		}
		if (run_round(&st, round, 0, active)) {
			ret = 1;
			goto out;
		}
	}
	ret = 0;
out:
	progress_end(&st.pg);
	if (ret == 1) {
		int sig = proc_interrupted();

		for (p = 0; p < npairs(m); p++) {
			free(m->pairs[p].stopped_by);
			m->pairs[p].stopped_by = xstrdup(proc_signal_name(sig));
		}
	}
	for (i = 0; i < r->nscen * m->n; i++)
		prepared_release(&st.prep[i]);
	free(st.prep);
	free(active);
	sysload_release(&st.load);
	return ret;
}

int measure_run(struct results *r, const struct suite *s, const struct revision rv[SIDE_COUNT],
		const struct measure_opts *o)
{
	const struct measure_revs m = {
		.n = SIDE_COUNT,
		.rv = rv,
		.pairs = r,
		.paths = o->results_path ? &o->results_path : NULL,
	};

	return measure_run_revs(&m, s, o);
}
