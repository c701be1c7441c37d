#ifndef SPIN_GATE_RUNENV_H
#define SPIN_GATE_RUNENV_H
/*
 * runenv: what a measuring command (`run` and `compare` through the gate
 * session, gate.h; `profile`) sets up around the runs, in one place so they
 * do it alike: hyperfine checked, OUT's directories, signals, the watchdog
 * and the reaper; the names withheld from the runs' and setups'
 * environments; and the machine's description in results.json.
 */
#include "opt.h"
#include "results.h"
#include "suite.h"

/*
 * The names removed from runs', setups' and profiled runs' environments: what the runner
 * gives the gate and a scenario (the pull request's code) must not get
 * (tokens, and the runner's file commands, which a later step holding the
 * token acts on), plus token_env (may be NULL), but for those the suite's
 * pass_env keeps. Bare NAMEs, as proc.h's env takes them; NULL-terminated.
 * The array is the caller's (free()), the strings borrowed.
 */
const char **runenv_withheld(const char *token_env, const struct suite *s);

/* Fill e with the machine: ncpu, kernel (uname), host name, and the
 * hyperfine version string (copied; may be NULL). */
void runenv_collect(struct env_info *e, int ncpu, const char *hyperfine_version);

/*
 * The directories a measuring command writes to, checked before anything
 * runs: `out` (--out) and `cache` (from --cache when cache_given, else from
 * the environment) must be non-empty and not "/". 0, or -1 after
 * opt_error(cmd, ...) (a usage error).
 */
int runenv_check_dirs(const struct opt_cmd *cmd, const char *out, const char *cache,
		      int cache_given);

/*
 * The start `run` and `compare` share once their inputs are checked:
 * hyperfine's version read (hyperfine may be NULL: "hyperfine" in PATH)
 * and checked (hyperfine_check_version()) before anything else, then
 * OUT/logs made and OUT/.tmp emptied (a gate killed before it could clean
 * up left its temporary files there), the signal handlers installed
 * (proc.h), the watchdog started, the gate made the reaper of orphaned
 * processes (a warning when it cannot be). *logs, *tmp and *hf_version
 * are the caller's. 0; RUNENV_UNSUPPORTED after error() when hyperfine
 * runs but is not a version spin-gate reads (a configuration error: exit
 * 2), OUT untouched; or -1 after error() (no working hyperfine, OUT cannot
 * be written: exit 4).
 */
#define RUNENV_UNSUPPORTED (-2)
int runenv_start(const char *out, const char *hyperfine, char **logs, char **tmp,
		 char **hf_version);

#endif
