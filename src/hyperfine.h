#ifndef SPIN_GATE_HYPERFINE_H
#define SPIN_GATE_HYPERFINE_H
/*
 * hyperfine: the only module that builds hyperfine command lines and reads
 * hyperfine's JSON export.
 *
 * One call times one run of one command: hyperfine -N --runs 1 -i
 * --export-json F. hyperfine exports user and system time only as means over
 * an invocation, so a single run per invocation is what gives per-run CPU
 * samples (and lets the caller interleave base and head runs).
 *
 * The command is given as argv and quoted here for hyperfine's own
 * shell-words splitting (-N runs it without a shell), so arguments with
 * spaces, quotes or shell characters reach the program unchanged. hyperfine
 * takes the command as UTF-8 text: an argument that is not valid UTF-8
 * cannot be passed.
 *
 * The full command line (hyperfine 1.15.0):
 *   hyperfine -N --runs 1 --ignore-failure --style none --export-json TMP
 *             --output inherit|null -- QUOTED
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
	struct hyperfine_left *left; /* out: filled when not NULL */
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
 * or its JSON was unreadable. A gate signal during the run: returns -1
 * without a message, with proc_interrupted() set and *s untouched.
 */
int hyperfine_run_once(const struct hyperfine_opts *o, const char *const *argv, struct sample *s);

/* Parse hyperfine's JSON export into *s: of results[0], times[0] (wall),
 * user, system and exit_codes[0] (null: -1), all required; timed_out = 0.
 * 0, or -1 after error() naming `name` and the field ("'x.json':
 * results[0].user: missing"), *s untouched. Exposed for tests and fuzzing. */
int hyperfine_parse_export(const char *text, size_t len, const char *name, struct sample *s);

/*
 * The first line of `hyperfine --version` ("hyperfine 1.15.0"; `hyperfine`
 * NULL: "hyperfine" in $PATH), caller frees; or NULL after error() saying
 * which: not found ("cannot run 'x': not found; install hyperfine (Debian:
 * apt-get install hyperfine)"), or found but not a working hyperfine
 * ("'/bin/false' is not a working hyperfine: '/bin/false --version' exited
 * with 1", "... printed 'foo', not 'hyperfine VERSION'", killed, timed out).
 */
char *hyperfine_version(const char *hyperfine);

#endif
