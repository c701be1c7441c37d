#include "proc.h"

#include "buf.h"
#include "clock.h"
#include "msg.h"
#include "watchdog.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

/* Without pidfd we cannot sleep until the child exits; poll this often. */
#define PROC_TICK 0.01
/* After the child is reaped, how long a process that left its group may
 * keep the capture pipe open before we stop reading. */
#define PROC_DRAIN 1.0

static volatile sig_atomic_t proc_signal;
static int proc_no_pidfd;
static int proc_reaper; /* 1: orphans of our children are ours (proc_subreaper) */

static unsigned long proc_runs; /* runs started, numbering their marks */

/* Pids, a small growable set. */
struct pids {
	pid_t *v;
	size_t n, alloc;
};

static void pids_add(struct pids *p, pid_t pid)
{
	if (p->n == p->alloc) {
		p->alloc = p->alloc ? 2 * p->alloc : 16;
		p->v = xrealloc(p->v, p->alloc * sizeof(*p->v));
	}
	p->v[p->n++] = pid;
}

static int pids_has(const struct pids *p, pid_t pid)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (p->v[i] == pid)
			return 1;
	return 0;
}

static void pids_release(struct pids *p)
{
	free(p->v);
	memset(p, 0, sizeof(*p));
}

int proc_subreaper(void)
{
	if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0)
		return -1;
	proc_reaper = 1;
	return 0;
}

static void on_signal(int sig)
{
	if (!proc_signal)
		proc_signal = sig;
}

void proc_signals_install(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0; /* no SA_RESTART: a blocking wait must see EINTR */
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
}

int proc_interrupted(void)
{
	return proc_signal;
}

void proc_interrupted_reset(void)
{
	proc_signal = 0;
}

void proc_disable_pidfd(int disable)
{
	proc_no_pidfd = disable;
}

/* error(), or nothing when the caller (proc_capture) reports failures itself. */
__attribute__((format(printf, 3, 4))) static int fail(int silent, int with_errno, const char *fmt,
						      ...)
{
	struct buf b = BUF_INIT;
	const char *why = with_errno ? strerror(errno) : NULL;
	va_list ap;

	if (silent)
		return -1;
	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	if (why)
		error("%s: %s", b.s, why);
	else
		error("%s", b.s);
	buf_release(&b);
	return -1;
}

static size_t env_name_len(const char *s)
{
	const char *eq = strchr(s, '=');

	return eq ? (size_t)(eq - s) : strlen(s);
}

static int env_same_name(const char *a, const char *b)
{
	size_t n = env_name_len(a);

	return n == env_name_len(b) && !strncmp(a, b, n);
}

/* Is `entry` overridden by one of add[from..]? */
static int env_overridden(const char *entry, const char *const *add, size_t from)
{
	size_t i;

	for (i = from; add && add[i]; i++)
		if (env_same_name(entry, add[i]))
			return 1;
	return 0;
}

/*
 * environ minus every name in `add`, then the NAME=VALUE entries of `add`
 * (the last of several with one name wins; a bare NAME only removes it),
 * then `mark` when not NULL (it wins over both). The array is the caller's;
 * the strings are borrowed.
 */
static char **env_build(const char *const *add, char *mark)
{
	size_t n = 0, nadd = 0, i, k = 0;
	char **v;

	while (environ && environ[n])
		n++;
	while (add && add[nadd])
		nadd++;
	v = xcalloc(n + nadd + 2, sizeof(*v));
	for (i = 0; i < n; i++)
		if (!env_overridden(environ[i], add, 0) &&
		    !(mark && env_same_name(environ[i], mark)))
			v[k++] = environ[i];
	for (i = 0; i < nadd; i++)
		if (strchr(add[i], '=') && !env_overridden(add[i], add, i + 1) &&
		    !(mark && env_same_name(add[i], mark)))
			v[k++] = (char *)add[i];
	if (mark)
		v[k++] = mark;
	v[k] = NULL;
	return v;
}

/*
 * Would exec and chdir fail? Checked in the parent before posix_spawn, which
 * reports the child's exec and chdir errors through memory it shares with
 * the child (CLONE_VM): under valgrind or an emulator without that, a
 * failure would only show as exit 127. 0 with errno set when not usable.
 */
static int usable(const char *path, int want_dir)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return 0;
	if (!want_dir && S_ISDIR(st.st_mode)) {
		errno = EACCES; /* what execve says for a directory */
		return 0;
	}
	if (want_dir && !S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		return 0;
	}
	return access(path, X_OK) == 0;
}

/*
 * Find `name` in the gate's PATH (as execvp would, but here in the parent,
 * so the child only calls async-signal-safe functions). A name with a slash
 * is used as it is. NULL when nothing executable is found.
 */
static char *path_lookup(const char *name)
{
	const char *path = getenv("PATH");
	struct buf b = BUF_INIT;
	const char *p, *end;

	if (strchr(name, '/'))
		return xstrdup(name);
	if (!path)
		path = "/usr/local/bin:/usr/bin:/bin";
	for (p = path;; p = end + 1) {
		end = strchrnul(p, ':');
		buf_reset(&b);
		if (end == p)
			buf_addch(&b, '.');
		else
			buf_add(&b, p, (size_t)(end - p));
		buf_addf(&b, "/%s", name);
		if (usable(b.s, 0))
			return buf_detach(&b);
		if (!*end)
			break;
	}
	buf_release(&b);
	return NULL;
}

char *proc_which(const char *name)
{
	char *path = path_lookup(name);

	if (path && strchr(name, '/') && !usable(path, 0)) {
		free(path);
		return NULL;
	}
	return path;
}

/*
 * Spawn the child with posix_spawn, which glibc implements with a vfork-like
 * clone: no copy of the gate's page tables per run (a fork cost ~0.5 ms of
 * the gate's CPU per measured run), and exec errors come back as its result.
 * The child gets its own process group, default dispositions for the signals
 * the gate handles or ignores, an empty mask, fd[0..2] as its standard
 * streams, p->cwd, and no other descriptor of ours.
 */
static int spawn(pid_t *pid, const char *path, const struct proc *p, char **envp, const int fd[3])
{
	static const int reset[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE };
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	sigset_t def, none;
	size_t i;
	int t, err;

	if ((err = posix_spawnattr_init(&at)))
		return err;
	if ((err = posix_spawn_file_actions_init(&fa))) {
		posix_spawnattr_destroy(&at);
		return err;
	}
	sigemptyset(&def);
	for (i = 0; i < sizeof(reset) / sizeof(reset[0]); i++)
		sigaddset(&def, reset[i]);
	sigemptyset(&none);
	err = posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF |
						    POSIX_SPAWN_SETSIGMASK);
	if (!err)
		err = posix_spawnattr_setpgroup(&at, 0);
	if (!err)
		err = posix_spawnattr_setsigdefault(&at, &def);
	if (!err)
		err = posix_spawnattr_setsigmask(&at, &none);
	/* fd[] are all >= 3 or already in their slot (see proc_run_1), so no
	 * dup2 below overwrites a descriptor a later one still needs. */
	for (t = 0; t < 3 && !err; t++)
		err = posix_spawn_file_actions_adddup2(&fa, fd[t], t);
	if (!err && p->cwd)
		err = posix_spawn_file_actions_addchdir_np(&fa, p->cwd);
	/* Descriptors others opened without O_CLOEXEC must not leak either. */
	if (!err)
		err = posix_spawn_file_actions_addclosefrom_np(&fa, 3);
	if (!err)
		err = posix_spawn(pid, path, &fa, &at, (char *const *)p->argv, envp);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
	return err;
}

/* Has the child exited? It stays a zombie (WNOWAIT), so its pid and process
 * group id cannot be reused while we kill what is left of the group. */
static int child_exited(pid_t pid)
{
	siginfo_t si;

	memset(&si, 0, sizeof(si));
	if (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT) < 0)
		return errno == ECHILD;
	return si.si_pid == pid;
}

/* Add the pids listed in a /proc children file (space separated). */
static int children_read(const char *path, struct pids *out)
{
	struct buf b = BUF_INIT;
	const char *p;

	if (buf_read_file(&b, path) < 0) {
		buf_release(&b);
		return -1;
	}
	for (p = b.s; *p;) {
		char *end;
		long v = strtol(p, &end, 10);

		if (end == p) {
			p++;
			continue;
		}
		if (v > 0)
			pids_add(out, (pid_t)v);
		p = end;
	}
	buf_release(&b);
	return 0;
}

/* The process's state letter from /proc/PID/stat ('Z' zombie), or 0. */
static char pid_state(pid_t pid, pid_t *ppid)
{
	struct buf b = BUF_INIT, path = BUF_INIT;
	const char *paren;
	char st = 0;

	buf_addf(&path, "/proc/%ld/stat", (long)pid);
	if (buf_read_file(&b, path.s) == 0 && (paren = strrchr(b.s, ')')) && paren[1] == ' ' &&
	    paren[2]) {
		st = paren[2];
		if (ppid)
			*ppid = (pid_t)strtol(paren + 3, NULL, 10);
	}
	buf_release(&b);
	buf_release(&path);
	return st;
}

/*
 * The gate's children now: /proc/self/task/TID/children of every thread
 * (Linux 3.5+ with CONFIG_PROC_CHILDREN), else every /proc/PID whose parent
 * is the gate.
 */
static void children_list(struct pids *out)
{
	struct dirent *e;
	DIR *d = opendir("/proc/self/task");
	int listed = 0;
	pid_t me = getpid();

	out->n = 0;
	while (d && (e = readdir(d))) {
		char path[300];

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/self/task/%s/children", e->d_name);
		if (children_read(path, out) == 0)
			listed = 1;
	}
	if (d)
		closedir(d);
	if (listed)
		return;
	d = opendir("/proc");
	while (d && (e = readdir(d))) {
		pid_t pid = (pid_t)strtol(e->d_name, NULL, 10), ppid = 0;

		if (pid > 0 && pid_state(pid, &ppid) && ppid == me)
			pids_add(out, pid);
	}
	if (d)
		closedir(d);
}

/*
 * With proc_reaper, when the child has exited: every process of its tree
 * that it did not wait for is ours now. Those still running are "left
 * behind" (counted once, in seen); those already exited only wait to be
 * reaped. `known` are children the gate had before this one.
 */
static void strays_note(struct proc *p, const struct pids *known, struct pids *seen)
{
	struct pids now = { 0 };
	size_t i;

	children_list(&now);
	for (i = 0; i < now.n; i++) {
		pid_t pid = now.v[i];

		if (pid == p->pid || pids_has(known, pid) || pids_has(seen, pid))
			continue;
		pids_add(seen, pid);
		if (pid_state(pid, NULL) != 'Z')
			p->left_behind++;
	}
	pids_release(&now);
}

/*
 * After the child is reaped: kill and reap every stray (and what they
 * leave, which becomes ours in turn), so nothing of the run keeps running
 * and their CPU lands in RUSAGE_CHILDREN, measured here. A stray's process
 * group is killed only when it leads it or it is the child's (never the
 * gate's, nor one it joined).
 */
static void strays_reap(struct proc *p, const struct pids *known, struct pids *seen)
{
	struct rusage r0, r1;
	double until = clock_now() + PROC_GRACE;
	struct pids now = { 0 };

	getrusage(RUSAGE_CHILDREN, &r0);
	for (;;) {
		size_t i, left = 0;

		strays_note(p, known, seen);
		children_list(&now);
		for (i = 0; i < now.n; i++) {
			pid_t pid = now.v[i], pg;

			if (pids_has(known, pid))
				continue;
			pg = getpgid(pid);
			if (pg > 0 && pg != getpgrp() && (pg == pid || pg == p->pid))
				kill(-pg, SIGKILL);
			kill(pid, SIGKILL);
			if (waitpid(pid, NULL, WNOHANG) != pid)
				left++;
		}
		if (!left)
			break;
		if (clock_now() >= until) {
			warning("'%s' left %zu process(es) that do not die", p->argv[0], left);
			break;
		}
		{
			struct timespec ts = { 0, 1000000 };

			nanosleep(&ts, NULL);
		}
	}
	getrusage(RUSAGE_CHILDREN, &r1);
	p->orphans_user = clock_tv_secs(&r1.ru_utime) - clock_tv_secs(&r0.ru_utime);
	p->orphans_sys = clock_tv_secs(&r1.ru_stime) - clock_tv_secs(&r0.ru_stime);
	if (p->usage.measured) {
		p->usage.vcsw += r1.ru_nvcsw - r0.ru_nvcsw;
		p->usage.ivcsw += r1.ru_nivcsw - r0.ru_nivcsw;
		p->usage.minflt += r1.ru_minflt - r0.ru_minflt;
		p->usage.majflt += r1.ru_majflt - r0.ru_majflt;
	}
	pids_release(&now);
}

/* Read what the pipe holds now. 0 at end of file (fd closed, set to -1). */
static int capture_read(int *fd, struct buf *b)
{
	for (;;) {
		ssize_t n;

		buf_grow(b, 65536);
		n = read(*fd, b->s + b->len, 65536);
		if (n > 0) {
			b->len += (size_t)n;
			b->s[b->len] = '\0';
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return 1;
		close(*fd);
		*fd = -1;
		return 0;
	}
}

static void to_timespec(double s, struct timespec *ts)
{
	if (s < 0)
		s = 0;
	ts->tv_sec = (time_t)s;
	ts->tv_nsec = (long)((s - (double)ts->tv_sec) * 1e9);
}

static void group_stop(pid_t pgid)
{
	kill(-pgid, SIGTERM);
	kill(-pgid, SIGCONT); /* a stopped process acts on SIGTERM only once continued */
}

/*
 * Wait for p->pid, reading the capture pipe, stopping the group at the
 * timeout or on a gate signal; then kill the rest of the group and reap.
 * `mask` is the signal mask to wait with (the gate's signals unblocked).
 */
static void proc_wait(struct proc *p, int pidfd, int capfd, double start, const sigset_t *mask,
		      const struct pids *known)
{
	struct pids seen = { 0 };
	double deadline = p->timeout > 0 ? start + p->timeout : INFINITY;
	double kill_at = INFINITY, until, t;
	int stopping = 0, status = 0;
	struct rusage ru;
	pid_t r;

	for (;;) {
		struct pollfd fds[2];
		struct timespec ts;
		nfds_t n = 0;
		double wait_s;

		t = clock_now();
		if (proc_signal && !p->interrupted)
			p->interrupted = proc_signal;
		if (!stopping && (p->interrupted || t >= deadline)) {
			if (!p->interrupted)
				p->timed_out = 1;
			group_stop(p->pid);
			stopping = 1;
			kill_at = t + PROC_GRACE;
		} else if (stopping == 1 && t >= kill_at) {
			kill(-p->pid, SIGKILL);
			stopping = 2;
		}
		if (child_exited(p->pid)) {
			if (proc_reaper)
				strays_note(p, known, &seen);
			break;
		}
		wait_s = stopping == 0 ? deadline - t : stopping == 1 ? kill_at - t : INFINITY;
		if (pidfd < 0 && wait_s > PROC_TICK)
			wait_s = PROC_TICK;
		if (pidfd >= 0)
			fds[n++] = (struct pollfd){ .fd = pidfd, .events = POLLIN };
		if (capfd >= 0)
			fds[n++] = (struct pollfd){ .fd = capfd, .events = POLLIN };
		to_timespec(wait_s, &ts);
		if (ppoll(fds, n, isinf(wait_s) ? NULL : &ts, mask) < 0 && errno != EINTR &&
		    errno != EAGAIN) {
			/* cannot happen with valid fds; fall back to ticking */
			if (pidfd >= 0)
				close(pidfd);
			pidfd = -1;
		}
		if (capfd >= 0)
			capture_read(&capfd, p->capture);
	}

	/* Grandchildren may outlive the child; none may be left running. */
	kill(-p->pid, SIGKILL);

	until = clock_now() + PROC_DRAIN;
	while (capfd >= 0 && capture_read(&capfd, p->capture)) {
		struct pollfd pfd = { .fd = capfd, .events = POLLIN };

		t = clock_now();
		if (t >= until) {
			warning("'%s' left a process holding its output open", p->argv[0]);
			close(capfd);
			capfd = -1;
			break;
		}
		poll(&pfd, 1, (int)ceil((until - t) * 1000));
	}

	memset(&ru, 0, sizeof(ru));
	do
		r = wait4(p->pid, &status, 0, &ru);
	while (r < 0 && errno == EINTR);
	if (r == p->pid) {
		p->usage.measured = 1;
		p->usage.vcsw = ru.ru_nvcsw;
		p->usage.ivcsw = ru.ru_nivcsw;
		p->usage.max_rss = ru.ru_maxrss;
		p->usage.minflt = ru.ru_minflt;
		p->usage.majflt = ru.ru_majflt;
	}
	if (proc_reaper)
		strays_reap(p, known, &seen);
	pids_release(&seen);
	p->elapsed = clock_now() - start;
	if (r == p->pid && WIFEXITED(status)) {
		p->exit_code = WEXITSTATUS(status);
	} else if (r == p->pid && WIFSIGNALED(status)) {
		p->exit_code = -1;
		p->term_signal = WTERMSIG(status);
	}
	if (pidfd >= 0)
		close(pidfd);
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

static int proc_run_1(struct proc *p, int silent)
{
	int devnull = -1, outfd = -1, cap[2] = { -1, -1 }, pidfd = -1;
	int moved[3] = { -1, -1, -1 };
	const char *name = p->argv && p->argv[0] ? p->argv[0] : "";
	sigset_t block, old;
	char **envp = NULL, *path = NULL;
	struct pids known = { 0 };
	int fd[3], t, err, blocked = 0, ret = -1;
	double start;
	unsigned long run;
	char mark[96];
	pid_t pid;

	p->pid = 0;
	p->exit_code = -1;
	p->term_signal = 0;
	p->timed_out = 0;
	p->interrupted = 0;
	p->elapsed = 0;
	p->in_cgroup = 0;
	p->left_behind = 0;
	p->orphans_user = p->orphans_sys = 0;
	memset(&p->usage, 0, sizeof(p->usage));
	if (!*name)
		return fail(silent, 0, "cannot run a process without a command");
	path = path_lookup(name);
	if (!path) {
		fail(silent, 0, "cannot run '%s': command not found", name);
		goto out;
	}
	/* a found name was checked by path_lookup(); a path was not */
	if (strchr(name, '/') && !usable(path, 0)) {
		fail(silent, 1, "cannot run '%s'", name);
		goto out;
	}
	if (p->cwd && !usable(p->cwd, 1)) {
		fail(silent, 1, "cannot run '%s': cannot change to '%s'", name, p->cwd);
		goto out;
	}
	devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (devnull < 0) {
		fail(silent, 1, "cannot open '/dev/null'");
		goto out;
	}
	if (p->out_path) {
		outfd = open(p->out_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
		if (outfd < 0) {
			fail(silent, 1, "cannot open '%s'", p->out_path);
			goto out;
		}
	}
	if (p->capture && (pipe2(cap, O_CLOEXEC) < 0 ||
			   fcntl(cap[0], F_SETFL, fcntl(cap[0], F_GETFL) | O_NONBLOCK) < 0)) {
		fail(silent, 1, "cannot create a pipe for '%s'", name);
		goto out;
	}
	fd[0] = devnull; /* a child in a background process group must not read the terminal */
	fd[1] = p->capture ? cap[1] : outfd >= 0 ? outfd : p->quiet ? devnull : 1;
	fd[2] = outfd >= 0 ? outfd : (p->capture || p->quiet) ? devnull : 2;
	/* When the gate runs with 0, 1 or 2 closed, an fd we opened may sit on
	 * a slot an earlier dup2 in the child overwrites: move it out of the way. */
	for (t = 0; t < 3; t++) {
		if (fd[t] >= 3 || fd[t] == t)
			continue;
		if ((moved[t] = fcntl(fd[t], F_DUPFD_CLOEXEC, 3)) < 0) {
			fail(silent, 1, "cannot start '%s'", name);
			goto out;
		}
		fd[t] = moved[t];
	}
	/* with a watchdog, the mark it finds a process that left the group by */
	run = ++proc_runs;
	if (watchdog_running())
		snprintf(mark, sizeof(mark), "%s=%ld.%lu", PROC_RUN_ENV, (long)getpid(), run);
	envp = env_build(p->env, watchdog_running() ? mark : NULL);

	/* Block the gate's signals except inside ppoll, so none slips in
	 * between checking the flag and going to sleep. */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigprocmask(SIG_BLOCK, &block, &old);
	blocked = 1;

	/* what is ours before this child is not its leftovers */
	if (proc_reaper)
		children_list(&known);
	start = clock_now();
	/* the child inherits the cgroup it is forked in: no window in which
	 * hyperfine or its run could start elsewhere. Were the step out to
	 * fail, the gate's own CPU would count as the runs': stop using it. */
	if (p->cgroup && p->cgroup->dir && !cgroup_move_self(p->cgroup->dir))
		p->in_cgroup = 1;
	err = spawn(&pid, path, p, envp, fd);
	if (p->in_cgroup && cgroup_move_self(p->cgroup->home) < 0) {
		fail(silent, 1, "cannot leave the runs' cgroup '%s'", p->cgroup->dir);
		if (!err) {
			kill(-pid, SIGKILL);
			waitpid(pid, NULL, 0);
		}
		goto out;
	}
	if (err) {
		/* both were usable a moment ago; posix_spawn says why, not which
		 * step, so ask again */
		int dir = p->cwd && !usable(p->cwd, 1);

		errno = err;
		if (dir)
			fail(silent, 1, "cannot run '%s': cannot change to '%s'", name, p->cwd);
		else
			fail(silent, 1, "cannot run '%s'", name);
		goto out;
	}
	close_fd(&cap[1]);
	watchdog_say('+', pid, run);

	p->pid = pid;
	pidfd = proc_no_pidfd ? -1 : (int)syscall(SYS_pidfd_open, pid, 0);
	if (pidfd >= 0)
		fcntl(pidfd, F_SETFD, FD_CLOEXEC);
	proc_wait(p, pidfd, cap[0], start, &old, &known);
	watchdog_say('-', pid, run);
	cap[0] = -1; /* proc_wait closed it */
	ret = 0;
out:
	if (blocked)
		sigprocmask(SIG_SETMASK, &old, NULL);
	close_fd(&devnull);
	close_fd(&outfd);
	close_fd(&cap[0]);
	close_fd(&cap[1]);
	for (t = 0; t < 3; t++)
		close_fd(&moved[t]);
	free(envp);
	free(path);
	pids_release(&known);
	return ret;
}

int proc_run(struct proc *p)
{
	return proc_run_1(p, 0);
}

int proc_capture(const char *const *argv, const char *cwd, double timeout, struct buf *out)
{
	struct proc p = PROC_INIT;
	int ret = -1;

	buf_reset(out);
	p.argv = argv;
	p.cwd = cwd;
	p.timeout = timeout;
	p.capture = out;
	p.quiet = 1;
	if (proc_run_1(&p, 1) < 0)
		goto out;
	while (out->len && (out->s[out->len - 1] == '\n' || out->s[out->len - 1] == '\r'))
		out->s[--out->len] = '\0';
	if (!p.timed_out && !p.interrupted && p.exit_code == 0)
		ret = 0;
out:
	proc_release(&p);
	return ret;
}

void proc_release(struct proc *p)
{
	p->pid = 0;
	p->exit_code = 0;
	p->term_signal = 0;
	p->timed_out = 0;
	p->interrupted = 0;
	p->elapsed = 0;
	p->left_behind = 0;
	p->orphans_user = p->orphans_sys = 0;
	memset(&p->usage, 0, sizeof(p->usage));
}

const char *proc_signal_name(int sig)
{
	static char other[32];

	switch (sig) {
	case SIGINT: return "SIGINT";
	case SIGTERM: return "SIGTERM";
	case SIGHUP: return "SIGHUP";
	}
	snprintf(other, sizeof(other), "signal %d", sig);
	return other;
}
