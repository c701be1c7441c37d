#ifndef SPIN_GATE_SYSLOAD_H
#define SPIN_GATE_SYSLOAD_H
/*
 * sysload: what the rest of the machine did while a run ran, and what the
 * run suffered for it. Reads the kernel's CPU counters (/proc/stat, CPU
 * pressure; a cgroup's through cgroup.h).
 *
 * A mark, taken just before and just after a run, holds:
 *   - the machine's busy CPU time (user, nice, system, irq, softirq of the
 *     "cpu" line of /proc/stat) and its steal time, in seconds;
 *   - the gate's own CPU and that of every child it has waited for
 *     (getrusage SELF + CHILDREN): between the two marks that is hyperfine
 *     and the run's whole process tree, reaped by the time of the second;
 *   - the CPU pressure "some" total (seconds during which at least one task
 *     waited for a CPU), from the best source there is (enum
 *     pressure_source): the runs' own cgroup after sysload_runs_cgroup()
 *     (cgroup.h: only the run's tasks, so a wait the run itself suffered),
 *     else the gate's cgroup's cpu.pressure (the run's and the gate's
 *     tasks), else /proc/pressure/cpu (any task's: a neighbour waiting for
 *     the run's CPU counts too; PSI, Linux 4.20+);
 *   - with the runs' cgroup, its CPU (cpu.stat usage);
 *   - CLOCK_MONOTONIC.
 *
 * sysload_sample() turns two marks into a run's contention:
 *   others_cpu = busy - own      CPU that other work on the machine used
 *   steal                        CPU the hypervisor gave to other guests
 *   cpu_pressure                 time some task waited for a CPU
 *   cgroup_cpu                   the run's CPU as its cgroup counted it
 * (the cgroup's figures are the run's alone and not scaled; the others are)
 * each scaled from the span between the marks to the run's own wall time
 * (hyperfine's start-up lies between them) and NaN where the kernel does not
 * say. /proc/stat counts in clock ticks (10 ms), so a run shorter than a few
 * ticks gets a coarse figure; others_cpu is never below 0.
 */
#include "cgroup.h"
#include "results.h"

enum sysload_have {
	SYSLOAD_STAT = 1 << 0,	   /* busy, steal, total read */
	SYSLOAD_PRESSURE = 1 << 1, /* pressure read */
	SYSLOAD_RUN = 1 << 2,	   /* the runs' cgroup read (run_*) */
};

struct sysload {
	char *pressure_path;	     /* the file pressure is read from, or NULL */
	enum pressure_source source; /* what pressure_path is */
	struct cgroup_run runs;	     /* the runs' cgroup (runs.dir NULL: none) */
};

struct sysload_mark {
	double wall;		     /* CLOCK_MONOTONIC, seconds */
	double busy;		     /* machine busy CPU, seconds */
	double steal;		     /* machine steal, seconds */
	double total;		     /* every CPU state, seconds */
	double own;		     /* the gate and its reaped children, seconds */
	double pressure;	     /* CPU pressure "some" total, seconds */
	double run_stall;	     /* the runs' cgroup: pressure "some" total, seconds */
	double run_cpu;		     /* the runs' cgroup: CPU usage, seconds */
	enum pressure_source source; /* where pressure was read */
	unsigned have;		     /* enum sysload_have */
};

/* Pick the pressure source (the gate's cgroup v2 or system-wide). */
void sysload_init(struct sysload *sl);
/* Once, after sysload_init(): make the runs' own cgroup (cgroup.h) for the
 * marks to read; runs are started in sl->runs (proc.h). 0, or -1 after a note saying why not and
 * which pressure the runs' stall is read from instead. */
int sysload_runs_cgroup(struct sysload *sl);
/* Also removes the runs' cgroup. */
void sysload_release(struct sysload *sl);

/* Read every counter now. */
void sysload_mark(const struct sysload *sl, struct sysload_mark *m);

/* Fill s->others_cpu, s->steal, s->cpu_pressure, s->pressure_source and
 * s->cgroup_cpu for a run of s->wall seconds between marks a and b (NaN
 * where a counter is missing or the run's wall time is unknown). Clear
 * SYSLOAD_RUN in b's have when the run did not start in the cgroup. */
void sysload_sample(const struct sysload_mark *a, const struct sysload_mark *b, struct sample *s);

/* Percent of all CPU time stolen between two marks; NaN when unknown. */
double sysload_steal_percent(const struct sysload_mark *a, const struct sysload_mark *b);

/* Parse the "cpu" line of /proc/stat text (exposed for tests): busy, steal
 * and total in clock ticks. 0, or -1 when the line is not there. */
int sysload_parse_stat(const char *text, unsigned long long *busy, unsigned long long *steal,
		       unsigned long long *total);

/*
 * The machine's CPU model, from /proc/cpuinfo (not a counter, but this is the
 * module that reads the kernel's view of the CPUs): what `merge` compares to
 * say whether shards ran on like machines. Caller frees; NULL when unknown.
 */
char *sysload_cpu_model(void);
/* The first "model name" (x86), "Hardware" or "Processor" (Arm), or "cpu"
 * (POWER) value of cpuinfo text, trimmed; NULL when none. Caller frees. */
char *sysload_parse_cpu_model(const char *text);

#endif
