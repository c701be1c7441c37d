#ifndef SPIN_GATE_WATCHDOG_H
#define SPIN_GATE_WATCHDOG_H
/*
 * watchdog: when the gate itself is killed (SIGKILL, a cancelled job),
 * nothing of it runs to stop its children. watchdog_start() forks a small
 * process, in its own session and deaf to SIGINT/SIGTERM/SIGHUP, that
 * proc_run() tells over a socket which process group it started and when
 * it reaped it (watchdog_say()). When the gate's end of the socket closes
 * (the gate exited, however) the watchdog SIGKILLs every group still
 * registered (hyperfine and the run under it share one), then every
 * process whose environment still carries that run's mark,
 * PROC_RUN_ENV=GATEPID.N (proc.h; proc_run() adds it to every child's
 * environment while a watchdog runs; it is inherited), so a process that
 * left the group (setsid) dies too, and exits. This is how Jenkins finds a
 * build's strays (its BUILD_ID). A process that clears its environment, or
 * execs with another, is not found.
 */
#include <sys/types.h>

/* Start it; call before the first proc_run() to be covered. 0 (also when
 * it runs already), or -1 after error(). */
int watchdog_start(void);

/* 1 while a watchdog runs (proc_run() then marks its children). */
int watchdog_running(void);

/* Tell it group pgid of run number `run` started ('+') or was reaped ('-').
 * Never fails the run: a watchdog gone is no reason to stop measuring (it
 * is then no longer running). */
void watchdog_say(char what, pid_t pgid, unsigned long run);

#endif
