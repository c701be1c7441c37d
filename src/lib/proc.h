#ifndef SPIN_GATE_PROC_H
#define SPIN_GATE_PROC_H
/*
 * proc: the only module that forks, waits and kills (after git's run-command).
 *
 *   struct proc p = PROC_INIT;
 *   p.argv = argv;            // argv[0] searched in PATH; never a shell
 *   p.cwd = dir;
 *   p.timeout = 60;
 *   p.out_path = "log.txt";   // stdout and stderr appended here
 *   if (proc_run(&p) < 0) ...; // -1: could not start (error() said why)
 *   if (p.timed_out || p.exit_code != 0) ...
 *   proc_release(&p);
 *
 * Every child runs in its own process group; on timeout, or when the gate
 * receives SIGINT/SIGTERM/SIGHUP while waiting, the whole group gets SIGTERM
 * and, after PROC_GRACE seconds, SIGKILL; grandchildren die with it.
 *
 * When the child has exited, whatever is left of its group (a background
 * grandchild) is killed with SIGKILL before the child is reaped, so a crashed
 * scenario leaves nothing running. A process that left the group (setsid)
 * is out of reach, unless the gate is their reaper:
 *
 * proc_subreaper() makes the gate the "child subreaper" of everything it
 * starts (prctl PR_SET_CHILD_SUBREAPER, Linux 3.4+): a process whose parent
 * exits is reparented to the gate rather than to init, whatever its group
 * or session (setsid). Then, when the child has exited, every process of
 * its tree still running is counted (left_behind), and after the child is
 * reaped each is killed (with its own process group when it leads one) and
 * reaped, as is what it leaves in turn, for at most PROC_GRACE seconds.
 * Their CPU, and that of orphans that had already exited, is then in the
 * gate's RUSAGE_CHILDREN and in orphans_user/orphans_sys. Other children
 * the gate has when proc_run() starts are left alone. A process that
 * escapes further (its own ptrace, another subreaper) is not seen.
 *
 * The child's stdin is /dev/null (in its own group it must not read the
 * terminal); SIGINT, SIGTERM, SIGHUP, SIGQUIT and SIGPIPE are reset to their
 * defaults and its signal mask cleared; no descriptor of the gate but 0, 1
 * and 2 reaches it. argv[0] is searched in the gate's PATH (not in `env`);
 * a name with a slash is used as it is.
 *
 * Signals: proc_signals_install() makes SIGINT, SIGTERM and SIGHUP set a flag
 * instead of killing the gate, so it can stop its children and still write
 * what it measured. proc_interrupted() returns that signal (0 if none). While
 * proc_run() waits, those signals are blocked except inside its ppoll(), so
 * one arriving at any moment stops the child at once. A flag already set
 * when proc_run() is called stops the new child at once too.
 */
#include <sys/types.h>

#include "buf.h"
#include "cgroup.h"

#define PROC_GRACE 2.0

/*
 * What the kernel counted for the child and every descendant it waited for
 * (wait4()'s rusage), plus, with proc_subreaper(), the counts of the strays
 * the gate reaped after it (not their peak memory: RUSAGE_CHILDREN keeps
 * only the largest of every child the gate ever had). `measured` is 0 when
 * the child was not reaped (then the rest is 0).
 */
struct proc_usage {
	int measured;
	long vcsw;    /* voluntary context switches: waits for I/O, a lock, a timer */
	long ivcsw;   /* involuntary: preempted (time slice used up, a higher priority) */
	long max_rss; /* KiB: the peak resident set of the largest single process */
	long minflt;  /* page faults served without I/O */
	long majflt;  /* page faults that read from disk */
};

struct proc {
	/* in */
	const char *const *argv; /* argv[0] looked up in PATH */
	const char *cwd;	 /* NULL: the gate's */
	const char *const *env;	 /* NAME=VALUE to add or replace (a bare NAME
				  * removes it); NULL-terminated */
	double timeout;		 /* seconds; 0: none */
	const char *out_path;	 /* stdout+stderr appended to this file (created
				  * 0644, relative to the gate's cwd); NULL: see below */
	struct buf *capture;	 /* when set, stdout appended here, read while the child
				  * runs (stderr to out_path or /dev/null) */
	int quiet;		 /* 1: no out_path and no capture -> /dev/null, else inherit */
	/* when set with a dir, the child starts in cgroup->dir: the gate moves
	 * itself there for the spawn and straight back to cgroup->home */
	const struct cgroup_run *cgroup;
	/* out */
	int in_cgroup; /* 1: the child started in cgroup->dir */
	pid_t pid;
	int exit_code;	 /* 0..255, or -1 when killed by a signal (or not run) */
	int term_signal; /* the signal that ended it, or 0 */
	int timed_out;	 /* 1: killed at the timeout */
	int interrupted; /* the gate's own signal that stopped it, or 0 */
	double elapsed;	 /* wall seconds from start to reaped */
	/* With proc_subreaper(): processes of the child's tree still running
	 * when it exited (killed), and the user and system CPU of every
	 * process of its tree it did not wait for (those and any that had
	 * exited), reaped by the gate. 0 without. */
	int left_behind;
	double orphans_user, orphans_sys;
	struct proc_usage usage; /* see struct proc_usage */
};

#define PROC_INIT \
	{         \
		0 \
	}

/* Start, wait (honouring timeout and signals) and reap. 0 when it ran (see
 * exit_code etc.), -1 after error() when it could not be started: not found
 * ("cannot run 'x': command not found"), cwd missing, out_path unwritable. */
int proc_run(struct proc *p);

/* Convenience: run argv quietly, its stdout (trailing newlines trimmed)
 * replacing out's contents; stderr discarded. 0 when it exited 0; -1
 * otherwise, also when it could not start or timed out (no message: callers
 * say what failed). */
int proc_capture(const char *const *argv, const char *cwd, double timeout, struct buf *out);

/* Where argv[0] = name would be found (PATH as proc_run() searches it; a
 * name with a slash as it is, when executable); caller frees. NULL: not
 * found. */
char *proc_which(const char *name);

/* Reset the out fields (the struct owns nothing; kept for the pattern). */
void proc_release(struct proc *p);

/* The mark proc_run() adds to every child's environment while a watchdog
 * runs (watchdog.h): PROC_RUN_ENV=GATEPID.N, N the run's number. */
#define PROC_RUN_ENV "SPIN_GATE_RUN"

/* Become the child subreaper (above). 0, or -1 with errno set (no message). */
int proc_subreaper(void);

void proc_signals_install(void);
int proc_interrupted(void);
/* "SIGINT", "SIGTERM", "SIGHUP", or "signal N" for others (static storage
 * for those three, else a per-call buffer: copy it). */
const char *proc_signal_name(int sig);
/* Tests: clear the flag. */
void proc_interrupted_reset(void);
/* Tests: wait by polling waitid() every 10 ms, as when pidfd_open() is
 * unavailable (kernels before 5.3, seccomp), instead of polling a pidfd. */
void proc_disable_pidfd(int disable);

#endif
