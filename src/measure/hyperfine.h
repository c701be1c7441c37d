#ifndef SPIN_GATE_HYPERFINE_H
#define SPIN_GATE_HYPERFINE_H
/*
 * hyperfine: the only module that builds hyperfine command lines and reads
 * hyperfine's JSON export.
 *
 * One call times one run of one command: hyperfine -N --runs 1 -i
 * --export-json F. hyperfine 1.x exports user and system time only as means
 * over an invocation, so a single run per invocation is what gives per-run
 * CPU samples on every version (and lets the caller interleave base and head
 * runs); 2.x's per-run figures are read the same way.
 *
 * The command is given as argv and quoted here for hyperfine's own
 * shell-words splitting (-N runs it without a shell), so arguments with
 * spaces, quotes or shell characters reach the program unchanged. hyperfine
 * takes the command as UTF-8 text: an argument that is not valid UTF-8
 * cannot be passed.
 *
 * The full command line, the same on every version spin-gate reads (each
 * option checked against the --help of 1.15.0, 1.18.0, 1.20.0 and 2.0.0):
 *   hyperfine -N --runs 1 --ignore-failure --style none --export-json TMP
 *             --output inherit|null -- QUOTED
 * (2.0 runs without a shell by default: -N still says so, for 1.x; its
 * --ignore-failure takes an optional =MODE, so the bare flag stays one.)
 * `--output <FILE>` is not used: it truncates the file and discards the
 * command's stderr. With opts->output the command inherits hyperfine's
 * stdout and stderr, both appended to that file; hyperfine's own messages
 * land there too (after a non-zero exit: "  Warning: Ignoring non-zero exit
 * code."). Without it the command's output goes to /dev/null and hyperfine's
 * messages to a temporary log. Either way the last line hyperfine wrote is
 * quoted when it fails. Temporary files are removed on every path.
 */
#include "buf.h"
#include "cgroup.h"
#include "results.h"

/*
 * The versions spin-gate reads: 1.15.0 (Debian 12's; the first with
 * --output) up to the last 2.x. 1.x exports schema 1 (per-invocation
 * `times`, `user`, `system`, `exit_codes`), 2.x schema 2 (per-run
 * `measurements`, with a `schema_version`); a 3.x may change it again.
 */
#define HYPERFINE_MIN_MAJOR 1
#define HYPERFINE_MIN_MINOR 15
#define HYPERFINE_MAX_MAJOR 2
#define HYPERFINE_SUPPORTED "1.15.0 to 2.x"

struct hyperfine_version {
	int major, minor, patch;
};

/* What a run left behind (proc.h, proc_subreaper()). */
struct hyperfine_left {
	int processes; /* still running when the command ended (then killed) */
	double cpu;    /* CPU seconds of the processes it did not wait for */
};

struct hyperfine_opts {
	const char *hyperfine;	     /* program; default "hyperfine" (PATH) */
	const char *cwd;	     /* directory to run in */
	const char *const *env;	     /* NAME=VALUE added to the environment */
	const char *output;	     /* file the command's stdout+stderr are appended to
				      * (relative to the gate's cwd); NULL: discarded */
	const char *tmpdir;	     /* where the JSON export is written; NULL: $TMPDIR or /tmp */
	double timeout;		     /* seconds; the whole process group is killed past it */
	const char *version;	     /* "hyperfine 1.15.0" (hyperfine_version()), for
				      * messages; NULL: unknown */
	struct hyperfine_left *left; /* out: filled when not NULL */
	struct buf *why;	     /* out: when not NULL, why a run returned -1 */
	/* hyperfine and its run start in cgroup->dir when set (proc.h) */
	const struct cgroup_run *cgroup;
	int *in_cgroup; /* out: 1 when they did (not NULL) */
};

/* Quote argv as one string hyperfine -N splits back into the same argv:
 * an element of only [A-Za-z0-9_@%+=:,./-] stays bare, any other (and the
 * empty string) goes in single quotes, ' written as '\''. Appends to out. */
void hyperfine_quote_argv(struct buf *out, const char *const *argv);

/*
 * Run argv once under hyperfine and fill *s (wall, user, sys, exit_code,
 * timed_out, and the spin signature vcsw, ivcsw, max_rss, minflt, majflt
 * from proc's usage of the hyperfine process, which covers the command;
 * round, warmup and the rest untouched). With proc_subreaper(), processes
 * of the run that the command did not wait for are killed and reaped when
 * hyperfine ends (proc.h): how many were still running and what CPU they
 * all took go to *o->left, and that CPU is added to user and sys, since
 * hyperfine saw only what the command waited for. Returns 0 when hyperfine reported
 * a sample or the run timed out (s->timed_out = 1, times NaN); -1 after
 * error() when hyperfine itself could not run or failed (the command not
 * found: "hyperfine failed timing 'x': Error: Failed to run command 'x': ...")
 * or its JSON was unreadable (hyperfine_parse_export()'s message; with
 * o->output the export is kept as OUTPUT.hyperfine.json, the name the
 * message gives). After such an error its text is also appended to
 * o->output as a line "spin-gate: error: ...", so a scenario's log never
 * ends silent, and copied into o->why. A gate signal during the run:
 * returns -1 without a message, with proc_interrupted() set and *s untouched.
 */
int hyperfine_run_once(const struct hyperfine_opts *o, const char *const *argv, struct sample *s);

/*
 * Parse hyperfine's JSON export of one run into *s (wall, user, sys,
 * exit_code; timed_out = 0), by the file's `schema_version`:
 *   absent (1.x)  results[0]: times[0], user, system, exit_codes[0]
 *   2 (2.x)       results[0].measurements[0]: time_wall_clock, time_user,
 *                 time_system (each { "value", "unit": "second" }), exit_code
 * all required; an exit code of null is -1. What else an export holds
 * (1.20's memory_usage_byte, 2.x's memory_peak_resident and counters) is
 * not read: the sample's max_rss and faults come from proc's rusage, alike
 * on every version. 0, or -1 after error() naming `name`, the version (the
 * file's own metadata.hyperfine_version, else `version`, the caller's
 * "hyperfine 1.15.0"; may be NULL) and the field: "'x.json' (hyperfine
 * 2.0.0, schema 2): results[0].measurements[0].time_user: missing"; another
 * schema_version: "... schema_version 3 is not one spin-gate reads ...".
 * *s untouched then. Exposed for tests and fuzzing.
 */
int hyperfine_parse_export(const char *text, size_t len, const char *name, const char *version,
			   struct sample *s);

/*
 * The first line of `hyperfine --version` ("hyperfine 1.15.0"; `hyperfine`
 * NULL: "hyperfine" in $PATH), caller frees; or NULL after error() saying
 * which: not found ("cannot run 'x': not found; install hyperfine (Debian:
 * apt-get install hyperfine)"), or found but not a working hyperfine
 * ("'/bin/false' is not a working hyperfine: '/bin/false --version' exited
 * with 1", "... printed 'foo', not 'hyperfine VERSION'", killed, timed out).
 */
char *hyperfine_version(const char *hyperfine);

/* "hyperfine 1.15.0" (the line hyperfine_version() returns; anything after
 * the numbers, "-dev", is ignored; a missing patch is 0) into *v: 0, or -1
 * when it is not "hyperfine MAJOR.MINOR[.PATCH]". No message. */
int hyperfine_parse_version(const char *line, struct hyperfine_version *v);

/*
 * Whether `line`, what `hyperfine --version` printed for program
 * `hyperfine` (NULL: "hyperfine"), is a version spin-gate reads
 * (HYPERFINE_SUPPORTED). 0, or -1 after error() naming the program, the
 * version found, the versions supported and how to install one: "'x' is
 * hyperfine 1.10.0, older than spin-gate reads (hyperfine 1.15.0 to 2.x):
 * install one (...)"; the same "newer than" for a major past 2, and a
 * version that cannot be read.
 */
int hyperfine_check_version(const char *hyperfine, const char *line);

#endif
