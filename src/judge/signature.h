#ifndef SPIN_GATE_SIGNATURE_H
#define SPIN_GATE_SIGNATURE_H
/*
 * signature: what an idle scenario's CPU went on, from the spin signature of
 * its runs (results.h: user, system, wall, vcsw). Pure, like judge.
 *
 * Over one side's judged runs (judge_sample_counts()), from their sums:
 *   cpu_util        cpu / (wall x the scenario's cores)
 *   sys_share       system / cpu
 *   vcsw_per_cpu_s  voluntary switches per CPU second
 *   vcsw_per_wall_s voluntary switches per wall second (wake-ups)
 * and, first match wins:
 *   healthy          cpu_util < SIGNATURE_IDLE_UTIL_MAX and fewer than
 *                    SIGNATURE_WAKEUPS_MIN wake-ups a second: it waits
 *   busy spin        cpu_util >= SIGNATURE_SPIN_UTIL_MIN in user time
 *                    (sys_share < SIGNATURE_SYS_SHARE_MIN): on a core all the
 *                    time, whatever switches a wrapper's start-up adds (a
 *                    pyenv shim, a shell: ~100 a run)
 *   syscall polling  sys_share >= SIGNATURE_SYS_SHARE_MIN with fewer than
 *                    SIGNATURE_SPIN_VCSW_MAX voluntary switches per CPU
 *                    second (a loop of poll()/select()/sched_yield() that
 *                    returns at once: the kernel does not switch, so only
 *                    the system time shows it), or >= SIGNATURE_WAKEUPS_MIN
 *                    wake-ups a second (a loop of short sleeps). A short
 *                    run that sleeps shows a high system share too, from
 *                    its start-up (exec, loading), but it blocks hundreds
 *                    of times per CPU second: not polling
 *   busy spin        fewer than SIGNATURE_SPIN_VCSW_MAX voluntary switches
 *                    per CPU second: on the CPU without ever blocking
 *   unclear          busy, blocking now and then: neither pattern
 *   not measured     no judged run, or no vcsw (a file from before them)
 *
 * hyperfine adds a few switches a run (docs/results-json.md): about 13 per
 * CPU second for a 0.3 s spin, far under SIGNATURE_SPIN_VCSW_MAX.
 */
#include <stddef.h>

#include "buf.h"
#include "judge.h"
#include "results.h"
#include "thresholds.h"

#define SIGNATURE_IDLE_UTIL_MAX 0.10
#define SIGNATURE_SYS_SHARE_MIN 0.30
#define SIGNATURE_WAKEUPS_MIN	200.0
#define SIGNATURE_SPIN_VCSW_MAX 100.0
#define SIGNATURE_SPIN_UTIL_MIN 0.80

enum signature_kind {
	SIGNATURE_NOT_MEASURED = 0,
	SIGNATURE_HEALTHY,
	SIGNATURE_SYSCALL_POLLING,
	SIGNATURE_BUSY_SPIN,
	SIGNATURE_UNCLEAR,
};

struct signature {
	enum signature_kind kind;
	size_t runs; /* judged runs with a signature */
	double cpu_per_wall;
	double cpu_util;
	double sys_share;
	double vcsw_per_cpu_s;
	double vcsw_per_wall_s;
};

/* "healthy", "syscall polling", "busy spin", "unclear", "not measured". */
const char *signature_kind_name(enum signature_kind k);

/* Classify one side of a scenario (above). */
void signature_classify(const struct scenario_result *sc, enum side side, struct signature *out);

/* 1 when scenario i is idle and a check on a CPU metric (user, system,
 * cpu, cpu_util, cpu_share) failed on it: the verdict says what its CPU
 * went on. */
int signature_wanted(const struct results *r, const struct thresholds *t, const struct judgement *j,
		     size_t i);

/* Appends one line (no newline) with the figures behind both sides, e.g.
 * "head: busy spin - 0.98 CPU s per wall s (98% of 1 core), 1% system, 13
 * voluntary switches per CPU s, 43 per wall s; base: healthy - ...". */
void signature_line(struct buf *out, const struct scenario_result *sc);

#endif
