/*
 * watchdog: the small process that kills a gate's runs when the gate itself
 * is killed (watchdog.h).
 */
#include "watchdog.h"

#include "msg.h"
#include "proc.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

/* The most process groups the watchdog keeps (proc_run runs one at a time). */
#define WATCHDOG_GROUPS 64
/* Passes over /proc for marked processes: SIGKILL stops a process forking at
 * once, so what one pass misses (forked while it read) the next one finds. */
#define WATCHDOG_SWEEPS 5

static int watchdog_fd = -1; /* the gate's end of the watchdog's socket */

int watchdog_running(void)
{
	return watchdog_fd >= 0;
}

/* Does /proc/PID/environ hold the entry `mark` (NAME=VALUE, exactly)? */
static int environ_has(const char *pid, const char *mark)
{
	char path[300], buf[4096];
	size_t mlen = strlen(mark), have = 0;
	int fd, found = 0;
	ssize_t r;

	snprintf(path, sizeof(path), "/proc/%s/environ", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	/* entries are NUL-terminated; keep a partial one across reads */
	while (!found && (r = read(fd, buf + have, sizeof(buf) - have)) > 0) {
		size_t end = have + (size_t)r, start = 0, i;

		for (i = 0; i < end; i++) {
			if (buf[i])
				continue;
			if (i - start == mlen && !memcmp(buf + start, mark, mlen)) {
				found = 1;
				break;
			}
			start = i + 1;
		}
		have = end - start;
		if (have == sizeof(buf)) /* longer than any mark: skip it */
			have = 0;
		memmove(buf, buf + start, have);
	}
	close(fd);
	return found;
}

/* SIGKILL every process whose environment carries `mark`; how many. */
static int kill_marked(const char *mark)
{
	DIR *d = opendir("/proc");
	struct dirent *de;
	int n = 0;

	if (!d)
		return 0;
	while ((de = readdir(d))) {
		if (de->d_name[0] < '1' || de->d_name[0] > '9' ||
		    strspn(de->d_name, "0123456789") != strlen(de->d_name))
			continue;
		if (environ_has(de->d_name, mark) &&
		    kill((pid_t)strtol(de->d_name, NULL, 10), SIGKILL) == 0)
			n++;
	}
	closedir(d);
	return n;
}

/*
 * The watchdog's loop: read "+PGID RUN\n" (a child started, its environment
 * marked with run number RUN) and "-PGID\n" (it was reaped) until the gate's
 * end of the socket closes, which happens however the gate ends, SIGKILL
 * included; then kill what is registered: each group, then every process
 * still marked with its run (one that left the group with setsid).
 */
static void watchdog_main(int fd, pid_t gate)
{
	pid_t groups[WATCHDOG_GROUPS];
	unsigned long runs[WATCHDOG_GROUPS];
	size_t n = 0, i;
	char line[64], mark[96];
	size_t len = 0;
	int sweep;

	for (;;) {
		char c;
		ssize_t r = read(fd, &c, 1);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		if (c != '\n') {
			if (len < sizeof(line) - 1)
				line[len++] = c;
			continue;
		}
		line[len] = '\0';
		len = 0;
		{
			char *end;
			long pg = strtol(line + 1, &end, 10);

			if (pg <= 1)
				continue;
			if (line[0] == '+' && n < WATCHDOG_GROUPS) {
				runs[n] = strtoul(end, NULL, 10);
				groups[n++] = (pid_t)pg;
			} else if (line[0] == '-') {
				for (i = 0; i < n; i++)
					if (groups[i] == (pid_t)pg) {
						groups[i] = groups[--n];
						runs[i] = runs[n];
						break;
					}
			}
		}
	}
	for (i = 0; i < n; i++) {
		kill(-groups[i], SIGKILL);
		snprintf(mark, sizeof(mark), "%s=%ld.%lu", PROC_RUN_ENV, (long)gate, runs[i]);
		for (sweep = 0; sweep < WATCHDOG_SWEEPS && kill_marked(mark); sweep++)
			;
	}
	_exit(0);
}

int watchdog_start(void)
{
	static const int ignore[] = { SIGINT, SIGTERM, SIGHUP, SIGPIPE, SIGQUIT };
	int sv[2], devnull;
	sigset_t none;
	size_t i;
	pid_t pid, gate = getpid();

	if (watchdog_fd >= 0)
		return 0;
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		return error_errno("cannot start the watchdog");
	pid = fork();
	if (pid < 0) {
		close(sv[0]);
		close(sv[1]);
		return error_errno("cannot start the watchdog");
	}
	if (pid == 0) {
		/* its own session: a signal to the gate's group or terminal
		 * leaves it to do its job; it ends when the gate does */
		setsid();
		for (i = 0; i < sizeof(ignore) / sizeof(ignore[0]); i++)
			signal(ignore[i], SIG_IGN);
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		prctl(PR_SET_NAME, "spin-gate-watch", 0, 0, 0);
		devnull = open("/dev/null", O_RDWR);
		if (devnull >= 0) {
			dup2(devnull, 0);
			dup2(devnull, 1);
			dup2(devnull, 2);
		}
		/* nothing of the gate's but its socket: a pipe held open here
		 * would keep a reader of the gate's output waiting */
		if (dup2(sv[1], 3) < 0)
			_exit(1);
		closefrom(4);
		watchdog_main(3, gate);
	}
	close(sv[1]);
	watchdog_fd = sv[0];
	return 0;
}

void watchdog_say(char what, pid_t pgid, unsigned long run)
{
	char line[64];
	int n;

	if (watchdog_fd < 0)
		return;
	n = snprintf(line, sizeof(line), "%c%ld %lu\n", what, (long)pgid, run);
	if (send(watchdog_fd, line, (size_t)n, MSG_NOSIGNAL) != n) {
		close(watchdog_fd);
		watchdog_fd = -1;
	}
}
