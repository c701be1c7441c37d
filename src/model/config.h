#ifndef SPIN_GATE_CONFIG_H
#define SPIN_GATE_CONFIG_H
/*
 * config: what a gate is asked to do, loaded and checked before anything is
 * prepared or measured. `run`, `compare` (through the gate session,
 * gate.h), `check` and `profile` start here.
 *
 * Where the files come from when not given:
 *   suite       ./spin-gate/ when it has a suite.json (what `spin-gate init`
 *               writes), else the gate's own scenarios/bytewax
 *   thresholds  the suite directory's thresholds.json when there is one,
 *               else the gate's own thresholds.json
 * "The gate's own" is $SPIN_GATE_HOME when set, else the directory above
 * the running binary (build/spin-gate -> the checkout; the action's copy),
 * provided it holds thresholds.json; else the current directory.
 *
 * config_load() then loads both files, expands the suite's whole matrix
 * (every scenario, before any --only), and checks everything that can be
 * checked without running: thresholds against that matrix
 * (thresholds_check_matrix()) and every template (plan_check()). Any
 * problem is reported with error() and is a configuration error (exit 2).
 */
#include "results.h"
#include "suite.h"
#include "thresholds.h"

struct config {
	char *suite_path;      /* as resolved */
	char *thresholds_path; /* as resolved */
	struct suite suite;
	struct thresholds thresholds;
	struct results matrix; /* every scenario of the suite; no samples */
	int ncpu;	       /* online CPUs */
	char ncpu_s[16];
};

/* The gate's own directory (see above); caller frees. */
char *config_home(void);

/* The thresholds file used when none is given, for a suite in suite_dir
 * (may be NULL: the gate's own). Caller frees. */
char *config_default_thresholds(const char *suite_dir);

/* Load and check. suite and thresholds may be NULL (defaults above).
 * 0, or -1 after error(); c is released either way on -1. */
int config_load(struct config *c, const char *suite, const char *thresholds);
void config_release(struct config *c);

#endif
