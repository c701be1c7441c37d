#ifndef SPIN_GATE_GATE_H
#define SPIN_GATE_GATE_H
/*
 * gate: the session a measuring command runs in. `run` and `compare` (and
 * the coming `record` and `bisect`) differ in how many revisions they take
 * and what they write at the end; the middle is this, once:
 *
 *   struct gate g;
 *   gate_init(&g, &run_cmd);
 *   opts[] = { OPT_STRING("base", ...), GATE_OPTIONS(&g.a, "where ... go"), ... };
 *   ... parse ...
 *   if ((ret = gate_configure(&g)))        usage: --out, the cache, the config,
 *           goto out;                      the rounds (EXIT_USAGE)
 *   plan the matrix (the command's: one results per pair)
 *   if ((ret = gate_start(&g)))            OUT/logs, OUT/.tmp, signals, watchdog,
 *           goto out;                      reaper, hyperfine's version
 *   if ((ret = gate_prepare(&g, specs, n, token_env, distinct)))
 *           goto out;                      every revision resolved, then prepared
 *   gate_header(&g, &r, all_checks);       the results' header: suite,
 *                                          thresholds, digests, settings, machine
 *   gate_measure_begin(&g, &r.env);        the noise probe, cost and load marks
 *   measure_run(&r, s, g.rv, gate_measure_opts(&g, path, all_checks));
 *   gate_measure_end(&g, &r.env);          the load mark after: steal
 *   ... judge, render, write (the command's) ...
 *   ret = r.complete ? ... : gate_interrupted();
 * out:
 *   gate_release(&g);
 *
 * Every step returns 0 or the command's exit code (enum exit_code; 128 + the
 * signal when interrupted) after saying why, so a command writes
 * `if ((ret = gate_step(&g))) goto out;`.
 */
#include "config.h"
#include "cost.h"
#include "measure.h"
#include "opt.h"
#include "plan.h"
#include "post.h"
#include "results.h"
#include "revision.h"
#include "sysload.h"

/* The most --only filters; a suite has far fewer parameter values. */
#define GATE_MAX_FILTERS 64

/* The options every measuring command takes (GATE_OPTIONS). */
struct gate_args {
	const char *repo, *suite, *thresholds, *out, *cache, *name, *hyperfine;
	long runs, max_runs, warmup;
	int quiet, rebuild;
	struct plan_filter filters[GATE_MAX_FILTERS];
	char *filter_storage[GATE_MAX_FILTERS];
	size_t nfilters;
};

/* --only NAME=VALUE, repeatable (opt's callback; value: struct gate_args *). */
int gate_parse_only(const struct opt *o, const char *arg);

/*
 * The shared options, declared once (git's OPT__QUIET and
 * parse_options_concat): a comma-separated run of table entries to put in a
 * command's own table. `out_help` says what the command writes to --out.
 */
#define GATE_OPTIONS(a, out_help)                                                            \
	OPT_STRING("repo", 0, &(a)->repo, "PATH",                                            \
		   "resolve REVs as git revisions of this repository and\n"                  \
		   "prepare each from a worktree; without it REVs must be\n"                 \
		   "release versions the suite can install"),                                \
		OPT_STRING("suite", 0, &(a)->suite, "DIR",                                   \
			   "the scenario suite (default: ./spin-gate when it has a\n"        \
			   "suite.json, else the gate's own scenarios/bytewax)"),            \
		OPT_STRING("thresholds", 0, &(a)->thresholds, "FILE",                        \
			   "the checks (default: the suite's thresholds.json, else\n"        \
			   "the gate's own thresholds.json)"),                               \
		OPT_STRING("out", 0, &(a)->out, "DIR", (out_help)),                          \
		OPT_LONG("runs", 0, &(a)->runs, "N", 2, RESULTS_MAX_ROUNDS,                  \
			 "rounds before judging (default: thresholds' runs)"),               \
		OPT_LONG("max-runs", 0, &(a)->max_runs, "N", 2, RESULTS_MAX_ROUNDS,          \
			 "most rounds for a scenario whose checks stay inconclusive\n"       \
			 "(default: thresholds' max_runs; equal to --runs: fixed)"),         \
		OPT_LONG("warmup", 0, &(a)->warmup, "N", 0,                                  \
			 RESULTS_MAX_SAMPLES - RESULTS_MAX_ROUNDS,                           \
			 "unjudged warm-up rounds (default: 1)"),                            \
		OPT_CALLBACK("only", 0, (a), "NAME=VALUE", gate_parse_only,                  \
			     "run only scenarios with this parameter value; repeat for\n"    \
			     "several values; a value the suite does not list is used too"), \
		OPT_STRING("cache", 0, &(a)->cache, "DIR",                                   \
			   "prepared environments (default: $SPIN_GATE_CACHE, else\n"        \
			   "$XDG_CACHE_HOME/spin-gate, else ~/.cache/spin-gate)"),           \
		OPT_FLAG("rebuild", 0, &(a)->rebuild,                                        \
			 "prepare every revision's environment again even when\n"            \
			 "the cache has it"),                                                \
		OPT_GATE_NAME(&(a)->name, "the gate's name in the verdict's marker\n"        \
					  "(default: spin-gate)"),                           \
		OPT_STRING("hyperfine", 0, &(a)->hyperfine, "PATH",                          \
			   "the hyperfine program (default: hyperfine in PATH)"),            \
		OPT_FLAG("quiet", 0, &(a)->quiet, "no progress lines")

struct gate {
	const struct opt_cmd *cmd;		   /* the command, for usage errors */
	struct gate_args a;			   /* parsed into by GATE_OPTIONS */
	struct config cfg;			   /* after gate_configure() */
	char *cache;				   /* --cache, or the default; absolute */
	char *hyperfine_abs;			   /* a relative --hyperfine made absolute */
	char *logs, *tmp, *setup_log, *hf_version; /* after gate_start() */
	const char **unset;			   /* withheld from runs and setups */
	struct revision rv[MEASURE_MAX_REVS];	   /* after gate_prepare() */
	size_t nrevs;
	struct measure_opts mo;		   /* gate_measure_opts() */
	struct cost_mark cost, cost_probe; /* gate_measure_begin(): before and after
					    * the noise probe */
	struct sysload load;
	struct sysload_mark load0, load1;
};

/* Zero g for cmd, with the options' defaults (out "out", one warm-up). */
void gate_init(struct gate *g, const struct opt_cmd *cmd);

/* Check --out and the cache (runenv_check_dirs), load the config, and
 * default the rounds from the thresholds (--max-runs below --runs is an
 * error). 0, or EXIT_USAGE after saying why. */
int gate_configure(struct gate *g);

/* runenv_start(): 0; EXIT_USAGE after saying why when hyperfine is not a
 * version the gate reads; else EXIT_RUN_ERROR after saying why. */
int gate_start(struct gate *g);

/*
 * Resolve every one of the n revision specs, then prepare each (a typo in
 * the last is refused before the first one's setup runs), with token_env
 * (may be NULL) withheld from setups and runs. With `distinct`, two specs
 * that resolve to the same revision are a usage error (compare). 0; else
 * EXIT_RUN_ERROR, EXIT_USAGE or 128 + the signal that stopped it, after
 * saying why.
 */
int gate_prepare(struct gate *g, const char *const *specs, size_t n, const char *token_env,
		 int distinct);

/*
 * A new gate over an old one's OUT: every entry of OUT that take() accepts
 * (the command's outputs) and OUT/logs/scenario-* move to OUT/previous/
 * (OUT/previous/logs/), replacing an older previous/, so that nothing
 * measured is lost and no verdict sits beside results it was not made
 * from; a note names it ("an earlier run's files are in OUT/previous",
 * `what` the command). Nothing moves when take() accepts nothing in OUT.
 * 0, or -1 after error().
 */
int gate_keep_previous(const char *out, int (*take)(const char *name), const char *what);

/* Fill the results' header: started, the suite and thresholds (path and
 * digest), the settings (all_checks as given) and the machine. 0, or
 * EXIT_RUN_ERROR when a file could not be read for its digest. */
int gate_header(struct gate *g, struct results *r, int all_checks);

/* Before measuring: the noise probe into env (said in a note), bracketed by
 * cost marks, and the load mark. */
void gate_measure_begin(struct gate *g, struct env_info *env);

/* The measuring options every command gives (rounds, the judge's state()
 * over the thresholds, logs, hyperfine, progress, the withheld names), with
 * results_path and all_checks the command's. Points into g. */
const struct measure_opts *gate_measure_opts(struct gate *g, const char *results_path,
					     int all_checks);

/* After measuring: the load mark; env->steal over the whole measuring. */
void gate_measure_end(struct gate *g, struct env_info *env);

/* The exit code of a gate stopped by a signal: 128 + the signal (SIGINT
 * when none is recorded). */
int gate_interrupted(void);

void gate_release(struct gate *g);

#endif
