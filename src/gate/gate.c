#include "gate.h"

#include "fsutil.h"
#include "judge.h"
#include "msg.h"
#include "noise.h"
#include "proc.h"
#include "runenv.h"
#include "status.h"

#include <dirent.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int gate_parse_only(const struct opt *o, const char *arg)
{
	struct gate_args *a = o->value;

	if (a->nfilters == GATE_MAX_FILTERS)
		return error("--only: at most %d filters", GATE_MAX_FILTERS);
	if (plan_filter_parse(arg, &a->filters[a->nfilters], &a->filter_storage[a->nfilters]) < 0)
		return -1;
	a->nfilters++;
	return 0;
}

void gate_init(struct gate *g, const struct opt_cmd *cmd)
{
	memset(g, 0, sizeof(*g));
	g->cmd = cmd;
	results_init(&g->cfg.matrix);
	sysload_init(&g->load);
	g->a.out = "out";
	g->a.warmup = 1;
}

int gate_configure(struct gate *g)
{
	struct gate_args *a = &g->a;
	const struct thresholds *t = &g->cfg.thresholds;

	g->cache = a->cache ? xstrdup(a->cache) : revision_default_cache();
	if (runenv_check_dirs(g->cmd, a->out, g->cache, a->cache != NULL) < 0)
		return EXIT_USAGE;
	/* setups run in worktrees: a relative --cache must not move with them */
	if (g->cache[0] != '/') {
		char *abs = fs_absolute(g->cache);

		free(g->cache);
		g->cache = abs;
	}
	/* nor must a hyperfine named by a relative path: runs start in the
	 * scenario's directory */
	if (g->a.hyperfine && strchr(g->a.hyperfine, '/') && g->a.hyperfine[0] != '/')
		g->a.hyperfine = g->hyperfine_abs = fs_absolute(g->a.hyperfine);
	if (config_load(&g->cfg, a->suite, a->thresholds) < 0)
		return EXIT_USAGE;
	if (!a->runs)
		a->runs = t->runs;
	if (!a->max_runs)
		a->max_runs = t->max_runs > a->runs ? t->max_runs : a->runs;
	if (a->max_runs < a->runs) {
		error("%s: --max-runs %ld is less than --runs %ld", g->cmd->name, a->max_runs,
		      a->runs);
		return EXIT_USAGE;
	}
	return 0;
}

int gate_start(struct gate *g)
{
	switch (runenv_start(g->a.out, g->a.hyperfine, &g->logs, &g->tmp, &g->hf_version)) {
	case 0: return 0;
	case RUNENV_UNSUPPORTED: return EXIT_USAGE;
	default: return EXIT_RUN_ERROR;
	}
}

/* EXIT_RUN_ERROR, or 128 + the signal when one stopped it. */
static int run_error_or_signal(void)
{
	int sig = proc_interrupted();

	return sig ? 128 + sig : EXIT_RUN_ERROR;
}

int gate_prepare(struct gate *g, const char *const *specs, size_t n, const char *token_env,
		 int distinct)
{
	const struct suite *s = &g->cfg.suite;
	struct revision_opts ropts = { 0 };
	size_t i, k;

	/* bisect prepares once per step */
	for (k = 0; k < MEASURE_MAX_REVS; k++)
		revision_release(&g->rv[k]);
	free(g->setup_log);
	free(g->unset);
	g->setup_log = xstrfmt("%s/setup.log", g->logs);
	g->unset = runenv_withheld(token_env, s);
	ropts.repo = g->a.repo;
	ropts.cache = g->cache;
	ropts.log_path = g->setup_log;
	ropts.ncpu = g->cfg.ncpu_s;
	ropts.rebuild = g->a.rebuild;
	ropts.unset = g->unset;
	g->nrevs = n;
	/* every revision resolved before any is prepared: a typo in the last
	 * is refused before the first one's setup runs */
	if (revision_resolve_all(g->rv, specs, n, s, &ropts) < 0)
		return run_error_or_signal();
	for (k = 0; distinct && k < n; k++)
		for (i = 0; i < k; i++) {
			if (strcmp(g->rv[i].kind, g->rv[k].kind) ||
			    strcmp(g->rv[i].resolved, g->rv[k].resolved))
				continue;
			error("%s: '%s' and '%s' are the same revision (%s): compare different ones",
			      g->cmd->name, specs[i], specs[k], g->rv[k].resolved);
			return EXIT_USAGE;
		}
	for (k = 0; k < n; k++)
		if (revision_prepare(&g->rv[k], s, &ropts) < 0)
			return run_error_or_signal();
	return 0;
}

/* Does dir hold an entry take() accepts? */
static int any_matching(const char *dir, int (*take)(const char *name))
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int found = 0;

	if (!d)
		return 0;
	while (!found && (e = readdir(d)))
		found = take(e->d_name);
	closedir(d);
	return found;
}

/* Move the entries of dir that take() accepts into `to`, made first.
 * 0, or -1 after error(). */
static int move_matching(const char *dir, int (*take)(const char *name), const char *to)
{
	struct dirent *e;
	char *from = NULL, *dest = NULL;
	DIR *d;
	int ret = -1;

	if (fs_mkdir_p(to) < 0)
		return -1;
	if (!(d = opendir(dir)))
		return 0;
	while ((e = readdir(d))) {
		if (!take(e->d_name))
			continue;
		free(from);
		free(dest);
		from = xstrfmt("%s/%s", dir, e->d_name);
		dest = xstrfmt("%s/%s", to, e->d_name);
		if (rename(from, dest) < 0) {
			error_errno("cannot move '%s' to '%s'", from, dest);
			goto out;
		}
	}
	ret = 0;
out:
	closedir(d);
	free(from);
	free(dest);
	return ret;
}

static int scenario_log(const char *name)
{
	return !strncmp(name, "scenario-", 9);
}

int gate_keep_previous(const char *out, int (*take)(const char *name), const char *what)
{
	char *prev, *logs, *prev_logs;
	int ret = -1;

	/* take() sees OUT's names: never ".", ".." or "previous" */
	if (!any_matching(out, take))
		return 0;
	prev = xstrfmt("%s/previous", out);
	logs = xstrfmt("%s/logs", out);
	prev_logs = xstrfmt("%s/logs", prev);
	if (fs_rm_rf(prev) < 0 || move_matching(out, take, prev) < 0 ||
	    move_matching(logs, scenario_log, prev_logs) < 0)
		goto out;
	note("an earlier %s's files (its results, verdict and logs) are in %s", what, prev);
	ret = 0;
out:
	free(prev);
	free(logs);
	free(prev_logs);
	return ret;
}

int gate_header(struct gate *g, struct results *r, int all_checks)
{
	const struct suite *s = &g->cfg.suite;
	const struct thresholds *t = &g->cfg.thresholds;

	r->started = results_now();
	r->suite_name = xstrdup(s->name);
	r->suite_path = xstrdup(s->path);
	r->thresholds_path = realpath(g->cfg.thresholds_path, NULL);
	if (!r->thresholds_path)
		r->thresholds_path = xstrdup(g->cfg.thresholds_path);
	if (!(r->suite_digest = suite_file_digest(s->path)) ||
	    !(r->thresholds_digest = suite_file_digest(g->cfg.thresholds_path)))
		return EXIT_RUN_ERROR;
	r->settings.runs = (int)g->a.runs;
	r->settings.max_runs = (int)g->a.max_runs;
	r->settings.warmup = (int)g->a.warmup;
	r->settings.confidence = t->confidence;
	r->settings.all_checks = all_checks;
	runenv_collect(&r->env, g->cfg.ncpu, g->hf_version);
	return 0;
}

void gate_measure_begin(struct gate *g, struct env_info *env)
{
	cost_mark(&g->cost);
	noise_probe(env);
	cost_mark(&g->cost_probe);
	note("noise probe: a fixed CPU loop varies by %.1f%%, a 10 ms sleep by %.1f%%",
	     100 * env->noise_cpu, 100 * env->noise_sleep);
	sysload_mark(&g->load, &g->load0);
}

/* measure_opts.state: the judge's view of one scenario. */
static int scenario_state(const struct results *r, size_t i, void *ctx)
{
	switch (judge_scenario_state(r, ctx, i)) {
	case JUDGE_SCENARIO_OPEN: return MEASURE_OPEN;
	case JUDGE_SCENARIO_FAILED: return MEASURE_FAILED;
	case JUDGE_SCENARIO_SETTLED:
	case JUDGE_SCENARIO_ERROR: break;
	}
	return MEASURE_SETTLED;
}

const struct measure_opts *gate_measure_opts(struct gate *g, const char *results_path,
					     int all_checks)
{
	struct measure_opts *mo = &g->mo;

	memset(mo, 0, sizeof(*mo));
	mo->runs = (int)g->a.runs;
	mo->max_runs = (int)g->a.max_runs;
	mo->warmup = (int)g->a.warmup;
	mo->state = scenario_state;
	mo->ctx = &g->cfg.thresholds;
	mo->all_checks = all_checks;
	mo->results_path = results_path;
	mo->logs_dir = g->logs;
	mo->tmpdir = g->tmp;
	mo->hyperfine = g->a.hyperfine;
	mo->ncpu = g->cfg.ncpu;
	mo->quiet = g->a.quiet;
	mo->progress = measure_progress_mode(stderr);
	mo->unset = g->unset;
	return mo;
}

void gate_measure_end(struct gate *g, struct env_info *env)
{
	sysload_mark(&g->load, &g->load1);
	env->steal = sysload_steal_percent(&g->load0, &g->load1);
}

int gate_interrupted(void)
{
	int sig = proc_interrupted();

	return 128 + (sig ? sig : SIGINT);
}

void gate_release(struct gate *g)
{
	size_t k;

	if (g->tmp)
		rmdir(g->tmp);
	for (k = 0; k < MEASURE_MAX_REVS; k++)
		revision_release(&g->rv[k]);
	config_release(&g->cfg);
	sysload_release(&g->load);
	for (k = 0; k < g->a.nfilters; k++)
		free(g->a.filter_storage[k]);
	free(g->cache);
	free(g->hyperfine_abs);
	free(g->logs);
	free(g->tmp);
	free(g->setup_log);
	free(g->hf_version);
	free(g->unset);
	memset(g, 0, sizeof(*g));
}
