#ifndef SPIN_GATE_PROFILE_H
#define SPIN_GATE_PROFILE_H
/*
 * profile: where a scenario's CPU went. The one module that knows the
 * profilers: it runs a scenario's command once more per side (an extra run,
 * never judged, after measuring) under a sampling profiler, writes the
 * folded stacks and the differential flame graph, and fills
 * scenario_result.profile (results.h), which the renderers draw.
 *
 * Per side:
 *   - a Python subject (argv[0] is named python*, or is a script whose
 *     "#!" line names python) is recorded with
 *       py-spy record --native --subprocesses -f raw -o FILE --
 *         timeout --foreground 0 argv
 *     (the Python frames and the C or Rust frames under them; the timeout
 *     that never fires is a parent that waits, so that py-spy finds a
 *     Python that starts late among its children: profile.c says why);
 *     py-spy is looked up in PATH, then in TOOLS/py-spy/bin (scripts/deps.sh
 *     profile puts it there); without py-spy, perf records it (native frames
 *     only); when py-spy writes no stacks twice, perf records that side
 *     (tool says "perf"; the progress note keeps py-spy's reason);
 *   - anything else with
 *       perf record -e cpu-clock -F 999 -g -o FILE -- argv
 *     (the software clock: many CI VMs expose no hardware counters), folded
 *     from `perf script -F comm,ip,sym,dso` (folded.h);
 *   - then, where perf is, a second extra run under
 *       perf stat -e raw_syscalls:sys_enter -e context-switches
 *     for system calls and context switches per second of wall time (the
 *     syscall tracepoint needs root or perf_event_paranoid <= -1 on most
 *     kernels: when refused, stat_error says so and the rest stands).
 * The run has the scenario's command, cwd and environment (as measuring
 * expands them, with the same names withheld) and twice its time limit plus
 * 30 s. Files, under OUT/profile/ (paths stored relative to OUT):
 *   SLUG-base.folded, SLUG-head.folded   folded stacks (folded_write())
 *   SLUG-diff.svg                        head against base (render_flame.h)
 *   SLUG-SIDE.log                        what the profilers printed
 * SLUG is the scenario's number and name with [A-Za-z0-9._-] kept
 * ("2-mode-spin"). The top frames (folded_top(), self share) of each side
 * carry the same frame's share on the other side.
 *
 * A profiler that is missing, not permitted or fails leaves one line in
 * that side's error ("perf: command not found", "py-spy record wrote no
 * stacks: No python processes found ... (see profile/SLUG-SIDE.log)":
 * profile_log_reason()); the gate goes on: profiling never changes a verdict or an exit
 * code.
 */
#include "results.h"
#include "suite.h"
#include "thresholds.h"

struct profile_opts {
	const char *out_dir;	  /* OUT: profile/ is made under it */
	const char *tools_dir;	  /* where deps.sh installs profilers; NULL: none */
	const char *const *unset; /* names withheld from the run's environment */
	int ncpu;		  /* for ${ncpu} */
	int quiet;		  /* no progress notes */
};

/*
 * Profile scenario idx of r, both sides, in the prepared environments
 * env_dirs (fills r->scen[idx].profile, replacing an earlier one). 0 when it
 * ran (profilers' failures are in the profile), 1 when the gate was
 * interrupted, -1 after error() when OUT/profile cannot be made or the
 * command cannot be expanded.
 */
int profile_scenario(struct results *r, size_t idx, const struct suite *s,
		     const char *const env_dirs[SIDE_COUNT], const struct profile_opts *o);

/*
 * After measuring: profile, of r's complete scenarios, those `all` asks
 * for, else the idle ones whose CPU check failed (signature_wanted():
 * judged here with t). Returns how many were profiled, -1 after error(),
 * or -2 when the gate was interrupted (what was profiled is kept).
 */
int profile_results(struct results *r, const struct suite *s, const struct thresholds *t,
		    const char *const env_dirs[SIDE_COUNT], const struct profile_opts *o, int all);

/* "2-mode-spin" (above); caller frees. */
char *profile_slug(const struct scenario_result *sc, size_t idx);

/*
 * Why a profiler failed, from its output: the first line that starts with
 * "Error:" (without that word; perf's "Error:" alone takes the next line),
 * else the first non-empty line that is not a backtrace's ("stack
 * backtrace:", "  7: main", "at src/main.rs:9", "note: ...") nor progress
 * ("[ perf record: ... ]", "py-spy> ..."); control characters as spaces, at
 * most PROFILE_REASON_MAX bytes then "...". "(no output)" when none; caller
 * frees.
 */
#define PROFILE_REASON_MAX 120
char *profile_log_reason(const char *text);

/*
 * What perf cannot show of a runtime that compiles code at run time: when
 * argv[0] is a JVM (java) or Node.js (node, nodejs) and one of a side's
 * top frames perf recorded is unresolved ("[unknown]", "[perf-PID.map]", "[anon...]",
 * "[memfd:...]"), a sentence saying so and what to run instead
 * (static storage); else NULL. The frames are then the JIT's, not hex
 * addresses to read.
 */
const char *profile_jit_hint(const char *const *argv, const struct scenario_profile *p);

/* 1 when argv runs Python (above): argv[0]'s name, or its "#!" line. */
int profile_is_python(const char *const *argv);

/*
 * Read `perf stat -x,` output: the counts of raw_syscalls:sys_enter and
 * context-switches (NaN when absent, "<not supported>" or "<not
 * counted>"). 0 when both were counted, else -1 (no message).
 */
int profile_parse_stat(const char *text, double *syscalls, double *cswitches);

#endif
