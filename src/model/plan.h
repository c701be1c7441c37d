#ifndef SPIN_GATE_PLAN_H
#define SPIN_GATE_PLAN_H
/*
 * plan: the suite's matrix expanded into scenarios, and each scenario's
 * command, working directory and environment for one revision.
 *
 * plan_matrix() adds one scenario_result per combination of parameter values
 * (first parameter varies slowest), after `--only NAME=VALUE` filters: the
 * values given for a parameter replace its list (so --only processes=1 also
 * sets a value the suite does not list). A filter naming no parameter is an
 * error, as is a filter that leaves no scenario, and a matrix of more than
 * SUITE_MAX_SCENARIOS scenarios (checked before any is added).
 */
#include <stddef.h>

#include "results.h"
#include "suite.h"

struct plan_filter {
	const char *name;
	const char *value;
};

/* Fill r->scen from the suite. ncpu caps every scenario's cores. 0, or -1
 * after error(). */
int plan_matrix(struct results *r, const struct suite *s, const struct plan_filter *filters,
		size_t nfilters, int ncpu);

/* The template variables of scenario sc in environment env_dir (all strings
 * borrowed: keep sc, s and env_dir alive while v is used). */
void plan_vars(struct vars *v, const struct suite *s, const struct scenario_result *sc,
	       const char *env_dir, const char *ncpu);

/*
 * How scenario sc runs in environment env_dir: its command, cwd and
 * environment additions expanded (what measure's runs and profile's extra
 * runs both start). env holds the bare NAMEs of `unset` first (removed from
 * the environment; may be NULL), then the suite's NAME=VALUE entries, so a
 * suite's own value wins. The caller owns the three (plan_run_release()).
 * 0, or -1 after error() (an unknown ${NAME}).
 */
struct plan_run {
	char **argv;
	char *cwd;
	char **env; /* NULL-terminated */
	/* per declared metric (suite.h "metrics"): the file a json metric is
	 * read from (absolute: relative ones are to cwd), NULL for the others */
	char **metric_files;
	size_t nmetrics;
};
int plan_run_expand(struct plan_run *x, const struct suite *s, const struct scenario_result *sc,
		    const char *env_dir, int ncpu, const char *const *unset);
void plan_run_release(struct plan_run *x);

/*
 * Everything the suite will expand, expanded once now, so that a mistake is
 * reported before any revision is prepared: command, cwd and env for every
 * scenario of m (with ${env} standing in), setup.version, setup.git and probe
 * with the variables they get. The first unknown ${NAME} is an error naming
 * the field (and scenario): ${worktree} and ${commit} exist only in setup.git
 * and probe, ${version} only in setup and probe, parameters only per scenario.
 * 0, or -1 after error().
 */
int plan_check(const struct suite *s, const struct results *m, const char *ncpu);

/* Parse "NAME=VALUE" (points into arg). 0, or -1 after error(). */
int plan_filter_parse(const char *arg, struct plan_filter *f, char **storage);

#endif
