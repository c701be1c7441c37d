#ifndef SPIN_GATE_CGROUP_H
#define SPIN_GATE_CGROUP_H
/*
 * cgroup: a cgroup (v2) of the runs' own, so that what a run suffered and
 * used is read from the kernel for exactly its processes. The only module
 * that reads or writes cgroup files.
 *
 * cgroup_run_init() finds the cgroup2 mount (/proc/self/mountinfo: the
 * unified hierarchy, or /sys/fs/cgroup/unified beside v1 controllers) and
 * the gate's own cgroup (/proc/self/cgroup, the "0::" line), and makes
 * GATE_CGROUP/spin-gate-PID: the "runs' cgroup". proc_run() with
 * proc.cgroup set starts its child in it (the gate steps into that cgroup
 * for the fork and straight back, so the child is there from its first
 * instruction: hyperfine and everything the run starts, setsid or not).
 * Nothing but one run is ever in it at a time, so the difference of two
 * readings (cgroup_read()) around a run is that run's:
 *   stall  the cgroup's cpu.pressure "some" total: seconds during which at
 *          least one of the run's tasks was runnable but waited for a CPU
 *          (Linux 4.20+ with PSI)
 *   cpu    cpu.stat usage_usec (user_usec, system_usec): the CPU of every
 *          process that was in the cgroup, exited or escaped, hyperfine's
 *          own start-up included
 * No controller is enabled: cpu.pressure and cpu.stat exist on every v2
 * cgroup. Where the runs' cgroup cannot be made (no cgroup2 mount, a
 * cgroup the gate may not write, e.g. an unprivileged user on a systemd
 * host without a delegated subtree), cgroup_run_init() says why and the
 * caller falls back (sysload.h). A gate killed before it could remove its
 * cgroup (SIGKILL) leaves it empty: the next gate removes those whose
 * process is gone.
 *
 * SPIN_GATE_CGROUP in the environment chooses the parent: a cgroup v2
 * directory the gate may write (a delegated subtree, e.g. one made with
 * `sudo mkdir` and `chown`; the gate must then also be allowed to move
 * itself there and back), or "off" to use none.
 */
#include "buf.h"

struct cgroup_run {
	char *home; /* the gate's own cgroup directory, where it returns */
	char *dir;  /* the runs' cgroup (made by cgroup_run_init), or NULL */
};

struct cgroup_reading {
	double stall; /* cpu.pressure "some" total, seconds; NaN: unknown */
	double cpu;   /* cpu.stat usage_usec, seconds; NaN: unknown */
	double user;  /* user_usec, seconds */
	double sys;   /* system_usec, seconds */
};

/*
 * Make the runs' cgroup (above). 0, or -1 with why it could not in `why`
 * (e.g. "no cgroup2 file system is mounted", "cannot create
 * '/sys/fs/cgroup/x/spin-gate-12': Permission denied", "SPIN_GATE_CGROUP
 * is off"); no message. cg is usable (and must be released) either way.
 */
int cgroup_run_init(struct cgroup_run *cg, struct buf *why);

/* Kill whatever is still in the runs' cgroup (cgroup.kill, Linux 5.14+,
 * else SIGKILL to each of its cgroup.procs) and remove it; free. */
void cgroup_run_release(struct cgroup_run *cg);

/* Read the counters of the cgroup `dir`. 0, or -1 when neither file could
 * be read (fields NaN where unknown). */
int cgroup_read(const char *dir, struct cgroup_reading *r);

/* Move the gate itself into `dir` (write "0" to its cgroup.procs).
 * 0, or -1 with errno set; no message. */
int cgroup_move_self(const char *dir);

/*
 * The directory of the gate's own cgroup v2 (e.g. "/sys/fs/cgroup/user.slice/x"
 * or "/sys/fs/cgroup/unified"), caller frees; NULL when there is no
 * cgroup2 mount or no "0::" line. *is_root (may be NULL) is 1 when that is
 * the hierarchy's root, whose counters are the whole machine's.
 */
char *cgroup_self_dir(int *is_root);

/* Exposed for tests. The mount point of the cgroup2 file system in
 * /proc/self/mountinfo text (the first one; octal escapes such as \040
 * decoded), caller frees; NULL when none. */
char *cgroup_parse_mountinfo(const char *text);
/* The path of the "0::PATH" line of /proc/self/cgroup text, caller frees;
 * NULL when none. */
char *cgroup_parse_self(const char *text);
/* The "some ... total=US" line of a pressure file (PSI: a cgroup's
 * cpu.pressure or /proc/pressure/cpu), in seconds. 0, or -1 when absent. */
int cgroup_parse_pressure(const char *text, double *some_total);
/* The usage_usec, user_usec and system_usec of cpu.stat text, in seconds
 * (NaN where a key is missing). 0 when usage_usec was there, else -1. */
int cgroup_parse_stat(const char *text, double *usage, double *user, double *sys);

#endif
