/*
 * spin-gate profile: where the CPU went, after a gate has run. Reads
 * OUT/results.json, profiles the scenarios (profile.h) in the environments
 * the gate prepared (cached), and writes results.json, verdict.md and
 * report.html again. The verdict is judged again from the same samples: it
 * cannot change.
 */
#include "cmd.h"
#include "config.h"
#include "fsutil.h"
#include "judge.h"
#include "msg.h"
#include "opt.h"
#include "post.h"
#include "proc.h"
#include "watchdog.h"
#include "profile.h"
#include "report.h"
#include "results.h"
#include "revision.h"
#include "runenv.h"
#include "suite.h"
#include "thresholds.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const struct opt_cmd profile_cmd = {
	.name = "profile",
	.synopsis = "spin-gate profile [--all] [--thresholds FILE] [--name NAME] OUT_DIR",
	.description =
		"Profile, after a gate has run, the idle scenarios of OUT_DIR/results.json\n"
		"whose CPU check failed (--all: every scenario): each runs once more per side\n"
		"under perf or py-spy, in the environments the gate prepared. Writes\n"
		"OUT_DIR/profile/ (folded stacks, a flame graph of head against base) and\n"
		"OUT_DIR/results.json, verdict.md and report.html again. A profiler that is\n"
		"missing or not permitted is one line in the verdict.\n",
	.footer = "exit status: the verdict's, as `spin-gate judge` gives it (0 pass, 1 a check\n"
		  "failed, 3 inconclusive, 4 a scenario has an error); 2 usage error or\n"
		  "unreadable results; 4 also when a prepared environment is gone;\n"
		  "130/143 interrupted\n",
};

int cmd_profile(int argc, char **argv)
{
	const char *thresholds = NULL, *name = NULL, *out;
	int all = 0, quiet = 0;
	const struct opt opts[] = {
		OPT_FLAG("all", 0, &all,
			 "profile every scenario (default: the idle ones whose CPU\n"
			 "check failed)"),
		OPT_STRING("thresholds", 0, &thresholds, "FILE",
			   "the checks (default: the thresholds.json beside the suite\n"
			   "that measured the results, else the gate's own)"),
		OPT_GATE_NAME(&name, "the gate's name in the verdict's marker"),
		OPT_FLAG("quiet", 0, &quiet, "no progress lines"),
		OPT_END(),
	};
	struct thresholds t = { 0 };
	struct results r;
	struct suite s;
	struct judgement j = { 0 };
	struct render_opts ro = { 0 };
	struct profile_opts po = { 0 };
	const char *dirs[SIDE_COUNT];
	const char **unset = NULL;
	char *path = NULL, *dir = NULL, *cache = NULL, *tools = NULL;
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	int n, k, ret = EXIT_USAGE, sig;

	results_init(&r);
	memset(&s, 0, sizeof(s));
	n = opt_parse(&profile_cmd, opts, argc, argv);
	if (n == OPT_HELP)
		return EXIT_PASS;
	if (n < 0)
		return EXIT_USAGE;
	if (n != 1) {
		opt_error(&profile_cmd, "give exactly one output directory");
		return EXIT_USAGE;
	}
	out = argv[0];
	path = report_path(out, "results.json");
	if (report_load(path, thresholds, out, &r, &t, &out, &dir) < 0)
		goto out;
	if (!r.suite_path) {
		error("'%s' names no suite: cannot tell what to run", path);
		goto out;
	}
	if (suite_load(&s, r.suite_path) < 0)
		goto out;
	ret = EXIT_RUN_ERROR;
	for (k = 0; k < SIDE_COUNT; k++) {
		dirs[k] = r.rev[k].env;
		if (!dirs[k] || !fs_exists(dirs[k])) {
			error("%s's prepared environment '%s' is gone: run the gate again",
			      side_name(k), dirs[k] ? dirs[k] : "(none)");
			goto out;
		}
	}
	proc_signals_install();
	if (watchdog_start() < 0)
		goto out;
	proc_subreaper();
	cache = revision_default_cache();
	tools = xstrfmt("%s/tools", cache);
	unset = runenv_withheld(NULL, &s);
	po.out_dir = out;
	po.tools_dir = tools;
	po.unset = unset;
	po.ncpu = ncpu > 0 ? (int)ncpu : 1;
	po.quiet = quiet;
	n = profile_results(&r, &s, &t, dirs, &po, all);
	if (n == -1)
		goto out;
	if (n == 0 && !quiet)
		note("nothing to profile: no idle scenario's CPU check failed (--all: every "
		     "scenario)");
	ro.name = name;
	if (report_write(&r, &t, out, &ro, &j) < 0)
		goto out;
	ret = judge_exit_code(j.verdict);
	if ((sig = proc_interrupted())) {
		error("interrupted by %s while profiling: what was profiled is written",
		      proc_signal_name(sig));
		ret = 128 + sig;
	}
out:
	judgement_release(&j);
	results_release(&r);
	thresholds_release(&t);
	suite_release(&s);
	free(path);
	free(dir);
	free(cache);
	free(tools);
	free(unset);
	return ret;
}
