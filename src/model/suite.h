#ifndef SPIN_GATE_SUITE_H
#define SPIN_GATE_SUITE_H
/*
 * suite: a scenario suite, read from DIR/suite.json.
 *
 *   { "name": "bytewax",
 *     "description": "...",
 *     "parameters": [ { "name": "input", "values": ["partitioned", "dynamic"] },
 *                     { "name": "processes", "values": ["${ncpu}"] } ],
 *     "roles": [ { "role": "idle", "where": { "input": "dynamic" } } ],
 *     "command": ["${env}/bin/python", "-m", "bytewax.run", "dataflow:get_flow(input='${input}')",
 *                 "-p${processes}"],
 *     "cwd": "${suite_dir}",
 *     "env": { "PYTHONHASHSEED": "0" },
 *     "pass_env": ["NAME"],   (optional: variables the gate withholds from runs
 *                              and setup, given to them all the same)
 *     "cores": "${processes}",
 *     "timeout": 120,
 *     "setup": { "version": ["${suite_dir}/setup.sh", "version", "${version}", "${env}"],
 *                "git": ["${suite_dir}/setup.sh", "git", "${worktree}", "${env}"],
 *                "timeout": 900 },
 *     "probe": ["${env}/bin/python", "--version"],
 *     "metrics": [ { "name": "items", "unit": "items", "better": "bigger",
 *                    "format": "bmf", "benchmark": "flow", "measure": "items" } ] }
 *
 * metrics: what the program reports itself, read after every run
 * (reported.h says how; a "file" is a template like the command's).
 *
 * Templates: every string of command, cwd, env values, cores, setup and probe
 * may use ${NAME}: a parameter of the scenario, or one of
 *   ${suite_dir} the suite's directory (absolute)    ${ncpu} online CPUs
 *   ${env}       the revision's environment directory
 *   ${version}   (setup.version) the release, "v" stripped
 *   ${version_spec} (setup.version) the release as typed ("v1.17.0": a Go
 *                module version keeps its "v")
 *   ${worktree}, ${commit}  (setup.git) the checkout and its commit id
 * "$$" is a literal "$". An unknown ${NAME} is an error naming it. Expansion
 * never involves a shell: each element stays one argv entry.
 *
 * roles: what each scenario is for (enum role in results.h), so that
 * thresholds select by role instead of by this suite's parameter names. The
 * first entry whose `where` matches a scenario's parameters gives its role
 * (no `where`: every scenario); a scenario no entry matches is "any". Each
 * `where` name must be a parameter and each value one of its values.
 *
 * Fields other than these are errors (at the top and inside setup and
 * roles), so a misspelt "gti" in setup is reported as such.
 *
 * cores: how many cores the scenario may use (its CPU budget for cpu_util);
 * capped at ${ncpu}. timeout: seconds one run may take; setup.timeout:
 * seconds setup may take; both positive.
 *
 * parameters: each value appears once in its list (1 and "1" are the same
 * value); the matrix (the product of the lists' lengths) has at most
 * SUITE_MAX_SCENARIOS scenarios, checked before any is built: a scenario is
 * measured for seconds per round, so ten thousand is already days of
 * measuring, and a 1000x1000x1000 matrix would exhaust memory first.
 *
 * suite.json is read with JSON_PARSE_UTF8 (json.h): a duplicate key or a
 * string that is not UTF-8 is an error naming the field.
 */
#define SUITE_MAX_SCENARIOS RESULTS_MAX_SCENARIOS
#include <stddef.h>

#include "buf.h"
#include "reported.h"
#include "results.h"

struct suite_param {
	char *name;
	char **values;
	size_t nvalues;
};

struct suite_role {
	enum role role;
	struct param *where; /* all must match; none: every scenario */
	size_t nwhere;
};

struct suite_env {
	char *name;
	char *value; /* template */
};

struct suite {
	char *dir;  /* absolute directory */
	char *path; /* DIR/suite.json */
	char *name;
	char *description;
	struct suite_param *params;
	size_t nparams;
	struct suite_role *roles; /* in order; the first match wins */
	size_t nroles;
	char **command; /* NULL-terminated templates */
	char *cwd;	/* template; default ${suite_dir} */
	struct suite_env *env;
	size_t nenv;
	char **pass_env; /* NULL-terminated names kept from the gate's environment
			  * although the gate withholds them, or NULL */
	char *cores;	 /* template */
	double timeout;
	char **setup_version; /* NULL-terminated templates, or NULL */
	char **setup_git;
	double setup_timeout;
	char **probe;			 /* or NULL */
	struct reported_metric *metrics; /* declared reported metrics, or NULL */
	size_t nmetrics;
};

/* A set of template variables (borrowed strings). */
struct vars {
	const char *name[32];
	const char *value[32];
	size_t n;
};

void vars_set(struct vars *v, const char *name, const char *value);

/* Load DIR/suite.json (or a .json path). 0, or -1 after error(). */
int suite_load(struct suite *s, const char *dir_or_file);
void suite_release(struct suite *s);

/* The role of a scenario with these parameter values (see roles above). */
enum role suite_role_of(const struct suite *s, const struct param *params, size_t nparams);

/*
 * A digest (16 hex digits, caller frees) of a setup argv template and of the
 * files of the suite directory it names ("${suite_dir}/setup.sh" or a
 * relative "setup.sh"), so that a cached environment is rebuilt when what
 * builds it changes. Files that setup reads without naming them are not
 * seen: --rebuild is the way out.
 */
char *suite_setup_digest(const struct suite *s, char *const *tmpl);

/*
 * The same FNV-1a digest (16 hex digits, caller frees) of one file's bytes:
 * results.json's suite and thresholds digests, which `merge` compares so
 * that shards measured with different files are not judged as one. NULL
 * after error() when the file cannot be read.
 */
char *suite_file_digest(const char *path);

/* Expand one template. 0, or -1 after error() naming `what` and the
 * unknown variable. */
int suite_expand(struct buf *out, const char *tmpl, const struct vars *v, const char *what);

/* Expand a NULL-terminated template argv into a new NULL-terminated argv
 * (caller frees with argv_free). NULL after error(). */
char **suite_expand_argv(char *const *tmpl, const struct vars *v, const char *what);
void argv_free(char **argv);

#endif
