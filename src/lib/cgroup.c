#include "cgroup.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

/* How long release waits for killed processes to leave the cgroup. */
#define CGROUP_DRAIN_TRIES 50 /* x 10 ms */

/* Read a small kernel file whole into b; 0, or -1 with errno set. */
static int read_small(const char *path, struct buf *b)
{
	buf_reset(b);
	return buf_read_file(b, path);
}

/* Write text to an existing kernel file; 0, or -1 with errno set. */
static int write_small(const char *path, const char *text)
{
	size_t len = strlen(text);
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;
	int saved;

	if (fd < 0)
		return -1;
	n = write(fd, text, len);
	saved = errno;
	close(fd);
	errno = saved;
	return n == (ssize_t)len ? 0 : -1;
}

/* Decode mountinfo's octal escapes (\040 space, \011 tab, \012 newline,
 * \134 backslash) of field [s, s + len) into a new string. */
static char *unescape(const char *s, size_t len)
{
	char *out = xmalloc(len + 1), *o = out;
	size_t i;

	for (i = 0; i < len; i++) {
		if (s[i] == '\\' && i + 3 < len && s[i + 1] >= '0' && s[i + 1] <= '3' &&
		    s[i + 2] >= '0' && s[i + 2] <= '7' && s[i + 3] >= '0' && s[i + 3] <= '7') {
			*o++ = (char)((s[i + 1] - '0') * 64 + (s[i + 2] - '0') * 8 +
				      (s[i + 3] - '0'));
			i += 3;
		} else {
			*o++ = s[i];
		}
	}
	*o = '\0';
	return out;
}

char *cgroup_parse_mountinfo(const char *text)
{
	const char *line, *end, *sep, *p;
	int field;

	/* "ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPER" */
	for (line = text; line && *line; line = end ? end + 1 : NULL) {
		end = strchr(line, '\n');
		sep = strstr(line, " - ");
		if (!sep || (end && sep > end))
			continue;
		if (strncmp(sep + 3, "cgroup2 ", 8) != 0)
			continue;
		for (p = line, field = 0; field < 4 && p < sep; field++) {
			p = strchr(p, ' ');
			if (!p || p >= sep)
				break;
			p++;
		}
		if (field != 4 || !p || p >= sep)
			continue;
		return unescape(p, strcspn(p, " \n"));
	}
	return NULL;
}

char *cgroup_parse_self(const char *text)
{
	const char *line, *end;

	for (line = text; line && *line; line = end ? end + 1 : NULL) {
		end = strchr(line, '\n');
		if (!strncmp(line, "0::/", 4))
			return xstrndup(line + 3,
					end ? (size_t)(end - line - 3) : strlen(line + 3));
	}
	return NULL;
}

int cgroup_parse_pressure(const char *text, double *some_total)
{
	const char *p = strstr(text, "some ");
	unsigned long long us;

	if (!p || (p != text && p[-1] != '\n'))
		return -1;
	p = strstr(p, "total=");
	if (!p || sscanf(p, "total=%llu", &us) != 1)
		return -1;
	*some_total = (double)us / 1e6;
	return 0;
}

/* The value of "KEY N" at the start of a line of text, in seconds (N in
 * microseconds); NaN when absent. */
static double stat_key(const char *text, const char *key)
{
	size_t n = strlen(key);
	const char *line, *end;
	unsigned long long us;

	for (line = text; line && *line; line = end ? end + 1 : NULL) {
		end = strchr(line, '\n');
		if (!strncmp(line, key, n) && line[n] == ' ' &&
		    sscanf(line + n + 1, "%llu", &us) == 1)
			return (double)us / 1e6;
	}
	return NAN;
}

int cgroup_parse_stat(const char *text, double *usage, double *user, double *sys)
{
	*usage = stat_key(text, "usage_usec");
	*user = stat_key(text, "user_usec");
	*sys = stat_key(text, "system_usec");
	return isnan(*usage) ? -1 : 0;
}

char *cgroup_self_dir(int *is_root)
{
	struct buf text = BUF_INIT;
	char *mnt = NULL, *self = NULL, *dir = NULL;

	if (is_root)
		*is_root = 0;
	if (read_small("/proc/self/mountinfo", &text) < 0)
		goto out;
	mnt = cgroup_parse_mountinfo(text.s);
	if (!mnt || read_small("/proc/self/cgroup", &text) < 0)
		goto out;
	self = cgroup_parse_self(text.s);
	if (!self)
		goto out;
	/* "/" is the mount's root: no doubled slash */
	dir = xstrfmt("%s%s", mnt, strcmp(self, "/") ? self : "");
	if (is_root)
		*is_root = !strcmp(self, "/");
out:
	buf_release(&text);
	free(mnt);
	free(self);
	return dir;
}

int cgroup_read(const char *dir, struct cgroup_reading *r)
{
	struct buf text = BUF_INIT;
	char *path;
	int have = 0;

	r->stall = r->cpu = r->user = r->sys = NAN;
	path = xstrfmt("%s/cpu.pressure", dir);
	if (!read_small(path, &text) && !cgroup_parse_pressure(text.s, &r->stall))
		have = 1;
	free(path);
	path = xstrfmt("%s/cpu.stat", dir);
	if (!read_small(path, &text) && !cgroup_parse_stat(text.s, &r->cpu, &r->user, &r->sys))
		have = 1;
	free(path);
	buf_release(&text);
	return have ? 0 : -1;
}

int cgroup_move_self(const char *dir)
{
	char *path = xstrfmt("%s/cgroup.procs", dir);
	int ret = write_small(path, "0");
	int saved = errno;

	free(path);
	errno = saved;
	return ret;
}

/* Remove the empty runs' cgroups under parent that gates killed before they
 * could (SIGKILL, a cancelled job) left: spin-gate-PID whose PID is gone.
 * rmdir refuses one that still holds a process. */
static void remove_stale(const char *parent)
{
	DIR *d = opendir(parent);
	struct dirent *e;
	char *end, *path;
	long pid;

	if (!d)
		return;
	while ((e = readdir(d))) {
		if (strncmp(e->d_name, "spin-gate-", 10) != 0)
			continue;
		pid = strtol(e->d_name + 10, &end, 10);
		if (end == e->d_name + 10 || *end || pid <= 0 || pid == (long)getpid())
			continue;
		if (kill((pid_t)pid, 0) == 0 || errno != ESRCH)
			continue;
		path = xstrfmt("%s/%s", parent, e->d_name);
		rmdir(path);
		free(path);
	}
	closedir(d);
}

int cgroup_run_init(struct cgroup_run *cg, struct buf *why)
{
	const char *want = getenv("SPIN_GATE_CGROUP");
	struct cgroup_reading r;
	char *parent = NULL;
	int ret = -1;

	memset(cg, 0, sizeof(*cg));
	buf_reset(why);
	if (want && !strcmp(want, "off")) {
		buf_adds(why, "SPIN_GATE_CGROUP is off");
		return -1;
	}
	cg->home = cgroup_self_dir(NULL);
	if (!cg->home) {
		buf_adds(why, "no cgroup2 file system is mounted");
		goto out;
	}
	parent = xstrdup(want && *want ? want : cg->home);
	remove_stale(parent);
	cg->dir = xstrfmt("%s/spin-gate-%ld", parent, (long)getpid());
	if (mkdir(cg->dir, 0755) < 0 && errno != EEXIST) {
		buf_addf(why, "cannot create '%s': %s", cg->dir, strerror(errno));
		goto fail;
	}
	if (cgroup_read(cg->dir, &r) < 0 || isnan(r.stall)) {
		buf_addf(why, "'%s' has no cpu.pressure (a kernel without PSI)", cg->dir);
		rmdir(cg->dir);
		goto fail;
	}
	/* the gate must be able to step in and back out (proc_run) */
	if (cgroup_move_self(cg->dir) < 0) {
		buf_addf(why, "cannot move into '%s': %s", cg->dir, strerror(errno));
		rmdir(cg->dir);
		goto fail;
	}
	if (cgroup_move_self(cg->home) < 0) {
		buf_addf(why, "cannot move back into '%s': %s", cg->home, strerror(errno));
		goto fail; /* stuck in it: keep dir so release cannot remove it */
	}
	ret = 0;
	goto out;
fail:
	free(cg->dir);
	cg->dir = NULL;
out:
	free(parent);
	return ret;
}

/* SIGKILL every process listed in dir/cgroup.procs. */
static void kill_listed(const char *dir)
{
	struct buf text = BUF_INIT;
	char *path = xstrfmt("%s/cgroup.procs", dir), *p, *end;
	long pid;

	if (!read_small(path, &text))
		for (p = text.s; *p; p = end) {
			pid = strtol(p, &end, 10);
			if (end == p)
				break;
			if (pid > 0 && pid != (long)getpid())
				kill((pid_t)pid, SIGKILL);
		}
	free(path);
	buf_release(&text);
}

void cgroup_run_release(struct cgroup_run *cg)
{
	char *kill_path;
	int i;

	if (cg->dir) {
		for (i = 0; rmdir(cg->dir) < 0 && errno == EBUSY && i < CGROUP_DRAIN_TRIES; i++) {
			kill_path = xstrfmt("%s/cgroup.kill", cg->dir);
			if (write_small(kill_path, "1") < 0)
				kill_listed(cg->dir);
			free(kill_path);
			usleep(10000);
		}
	}
	free(cg->dir);
	free(cg->home);
	cg->dir = cg->home = NULL;
}
