#include "measure.h"

#include "clock.h"
#include "fsutil.h"
#include "hyperfine.h"
#include "msg.h"
#include "plan.h"
#include "proc.h"
#include "sysload.h"

#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

/* What one scenario runs on one side. */
struct prepared {
	struct plan_run run; /* command, cwd, environment (plan_run_expand()) */
	char *log;
	struct fs_cap cap; /* the log's cap so far */
	int said_left;	   /* warned that a run left processes behind */
	int said_unseen;   /* warned that the cgroup saw CPU the gate did not */
};

struct state {
	struct results *r; /* the first pair: scenarios' names and timeouts */
	const struct measure_revs *m;
	const struct measure_opts *o;
	struct prepared *prep; /* scenario i, revision k: prep[i * m->n + k] */
	struct sysload load;
	double start;
	size_t runs_done;
	double run_secs; /* sum of wall-clock seconds of all runs */
	int live_shown;	 /* the live progress line is on the terminal */
};

static void prepared_release(struct prepared *p)
{
	plan_run_release(&p->run);
	free(p->log);
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
	for (pair = 0; pair + 1 < m->n; pair++) {
		char **cmd = &m->pairs[pair].scen[idx].command[side_of(k)];

		if (!in_pair(k, pair))
			continue;
		free(*cmd);
		*cmd = xstrdup(b.s);
	}
	p->log = xstrfmt("%s/scenario-%zu-%s.log", o->logs_dir, idx + 1,
			 m->tags ? m->tags[k] : side_name(side_of(k)));
	ret = 0;
out:
	buf_release(&b);
	return ret;
}

static void fmt_duration(char *out, size_t n, double secs)
{
	long s = secs > 0 && isfinite(secs) ? (long)(secs + 0.5) : 0;

	if (s >= 3600)
		snprintf(out, n, "%ld:%02ld:%02ld", s / 3600, (s / 60) % 60, s % 60);
	else
		snprintf(out, n, "%ld:%02ld", s / 60, s % 60);
}

enum measure_progress measure_progress_mode(FILE *f)
{
	const char *gha = getenv("GITHUB_ACTIONS"), *term = getenv("TERM");

	if (gha && !strcmp(gha, "true"))
		return MEASURE_PROGRESS_GROUPS;
	if (term && !strcmp(term, "dumb"))
		return MEASURE_PROGRESS_LINES;
	return isatty(fileno(f)) ? MEASURE_PROGRESS_LIVE : MEASURE_PROGRESS_LINES;
}

static FILE *progress_out(const struct state *st)
{
	return st->o->progress_out ? st->o->progress_out : stderr;
}

static int live(const struct state *st)
{
	return !st->o->quiet && st->o->progress == MEASURE_PROGRESS_LIVE;
}

static int groups(const struct state *st)
{
	return !st->o->quiet && st->o->progress == MEASURE_PROGRESS_GROUPS;
}

/* msg's hook: wipe the live line before a message is printed. */
static void live_clear(void *ctx)
{
	struct state *st = ctx;

	if (!st->live_shown)
		return;
	fputs("\r\033[K", progress_out(st));
	fflush(progress_out(st));
	st->live_shown = 0;
}

static size_t term_width(FILE *f)
{
	struct winsize ws;

	if (ioctl(fileno(f), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	return 80;
}

/* s with control characters as '?', cut to `width` characters (UTF-8
 * counted) ending in "..." when it does not fit. */
static void add_cut(struct buf *b, const char *s, size_t width)
{
	size_t chars = 0, i;

	for (i = 0; s[i]; i++)
		chars += ((unsigned char)s[i] & 0xc0) != 0x80;
	if (chars <= width) {
		width = chars;
	} else if (width <= 3) {
		return;
	} else {
		width -= 3;
	}
	for (chars = 0, i = 0; s[i]; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c & 0xc0) != 0x80 && chars++ == width)
			break;
		buf_addch(b, (c < 0x20 || c == 0x7f) ? '?' : (char)c);
	}
	if (s[i])
		buf_adds(b, "...");
}

/* The live line before a run: what runs now, elapsed, what is left with
 * this run. */
static void live_line(struct state *st, size_t i, const char *label, int round, int warmup,
		      size_t runs_left)
{
	const struct results *r = st->r;
	FILE *f = progress_out(st);
	char el[32], left[32], tail[96];
	struct buf line = BUF_INIT;
	size_t width = term_width(f) - 1, used;

	fmt_duration(el, sizeof(el), clock_now() - st->start);
	if (st->runs_done) {
		fmt_duration(left, sizeof(left),
			     st->run_secs / (double)st->runs_done * (double)(runs_left + 1));
		snprintf(tail, sizeof(tail), " (%s elapsed, %s%s left)", el,
			 !warmup && round > st->o->runs ? "at most " : "~", left);
	} else {
		snprintf(tail, sizeof(tail), " (%s elapsed)", el);
	}
	buf_addf(&line, "[%zu/%zu] %s %d %s ", i + 1, r->nscen, warmup ? "warm-up" : "round", round,
		 label);
	used = line.len + strlen(tail);
	add_cut(&line, r->scen[i].name ? r->scen[i].name : "?", width > used ? width - used : 0);
	if (line.len + strlen(tail) <= width)
		buf_adds(&line, tail);
	fputs("\r\033[K", f);
	fputs(line.s, f);
	fflush(f);
	st->live_shown = 1;
	buf_release(&line);
}

static void group_begin(struct state *st, size_t i, int round, int warmup)
{
	struct buf line = BUF_INIT;

	/* a newline in the name would end the title and start a command */
	buf_addf(&line, "::group::[%zu/%zu] %s %d ", i + 1, st->r->nscen,
		 warmup ? "warm-up" : "round", round);
	add_cut(&line, st->r->scen[i].name ? st->r->scen[i].name : "?", 200);
	fprintf(progress_out(st), "%s\n", line.s);
	fflush(progress_out(st));
	buf_release(&line);
}

static void group_end(struct state *st)
{
	fputs("::endgroup::\n", progress_out(st));
	fflush(progress_out(st));
}

static void progress(struct state *st, size_t i, const char *label, int round, int warmup,
		     const struct sample *smp, size_t runs_left)
{
	const struct results *r = st->r;
	char el[32], left[32];
	double elapsed = clock_now() - st->start;
	double per = st->runs_done ? st->run_secs / (double)st->runs_done : 0;
	/* in the adaptive phase the runs left are an upper bound */
	const char *bound = !warmup && round > st->o->runs ? "at most " : "~";
	char busy[48] = "";

	if (st->o->quiet)
		return;
	if (live(st) && !smp->timed_out && !smp->exit_code)
		return;
	if (isfinite(smp->others_cpu) && smp->wall > 0 && st->o->ncpu > 0)
		snprintf(busy, sizeof(busy), ", others %.0f%%",
			 100 * smp->others_cpu / (smp->wall * st->o->ncpu));
	fmt_duration(el, sizeof(el), elapsed);
	fmt_duration(left, sizeof(left), per * (double)runs_left);
	if (smp->timed_out)
		note("[%zu/%zu] %s %s %s: timed out (%s elapsed)", i + 1, r->nscen,
		     warmup ? "warm-up" : "round", label, r->scen[i].name, el);
	else
		note("[%zu/%zu] %s %d %s: wall %.2f s, user %.2f s, sys %.2f s%s%s (%s elapsed, "
		     "%s%s left)",
		     i + 1, r->nscen, warmup ? "warm-up" : "round", round, label, smp->wall,
		     smp->user, smp->sys, busy, smp->exit_code ? " FAILED" : "", el, bound, left);
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

	for (p = 0; p + 1 < st->m->n; p++)
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

	for (p = 0; p + 1 < st->m->n; p++)
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
	for (p = 0; p + 1 < st->m->n; p++)
		if (to[p] && !st->m->pairs[p].scen[i].error)
			st->m->pairs[p].scen[i].error = xstrdup(b.s);
	buf_release(&b);
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
	struct buf why = BUF_INIT;
	struct sysload_mark before, after;
	unsigned char to[MEASURE_MAX_REVS] = { 0 };
	struct sample smp;
	double t0 = clock_now();
	size_t pair;
	int ret, in_cgroup = 0;

	for (pair = 0; pair + 1 < m->n; pair++)
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
	if (live(st))
		live_line(st, i, label, round, warmup, runs_left);
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
	for (pair = 0; pair + 1 < m->n; pair++)
		if (to[pair])
			results_add_sample(&m->pairs[pair].scen[i], side, &smp);
	st->runs_done++;
	st->run_secs += clock_now() - t0;
	if (smp.timed_out)
		set_error(st, i, to, "timed out after %.0f s in %s %s %d (output: %s)", sc->timeout,
			  label, warmup ? "warm-up" : "round", round, p->log);
	else if (smp.exit_code != 0)
		set_error(st, i, to, "exit code %d in %s %s %d (output: %s)", smp.exit_code, label,
			  warmup ? "warm-up" : "round", round, p->log);
	progress(st, i, label, round, warmup, &smp, runs_left);
	for (pair = 0; pair + 1 < m->n; pair++) {
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
	if (isfinite(smp.cgroup_cpu) && smp.user + smp.sys >= 0 &&
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
		if (groups(st))
			group_begin(st, i, round, warmup);
		for (j = 0; j < n && !interrupted; j++) {
			size_t k = (first + j) % n;
			size_t left = planned_left(st, round, warmup, active) +
				      later_in_round(st, active, i) * n + (n - 1 - j);

			if (rev_live(st, k, i))
				interrupted = run_one(st, i, k, round, warmup, left) == 1;
		}
		if (groups(st))
			group_end(st);
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

	for (p = 0; p + 1 < st->m->n; p++) {
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

	if (m->n < 2 || m->n > MEASURE_MAX_REVS)
		return error("measure: %zu revisions (2 to %d)", m->n, MEASURE_MAX_REVS);
	for (p = 1; p + 1 < m->n; p++)
		if (m->pairs[p].nscen != r->nscen)
			return error("measure: the pairs' scenarios differ");
	memset(&st, 0, sizeof(st));
	st.r = r;
	st.m = m;
	st.o = o;
	st.prep = xcalloc(r->nscen ? r->nscen * m->n : 1, sizeof(*st.prep));
	sysload_init(&st.load);
	sysload_runs_cgroup(&st.load);
	active = xcalloc(r->nscen ? r->nscen : 1, 1);
	for (i = 0; i < r->nscen; i++)
		for (k = 0; k < m->n; k++)
			if (prepare(&st.prep[i * m->n + k], m, i, k, s, o) < 0)
				goto out;
	st.start = clock_now();
	if (live(&st))
		msg_set_before(live_clear, &st);
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
	if (live(&st)) {
		live_clear(&st);
		msg_set_before(NULL, NULL);
	}
	if (ret == 1) {
		int sig = proc_interrupted();

		for (p = 0; p + 1 < m->n; p++) {
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
