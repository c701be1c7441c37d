#include "profile.h"

#include "folded.h"
#include "fsutil.h"
#include "judge.h"
#include "json.h"
#include "msg.h"
#include "plan.h"
#include "proc.h"
#include "render_flame.h"
#include "signature.h"

#include <ctype.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SLUG_MAX 100

/* What one side runs (as measure.c's prepare() expands it). */
char *profile_slug(const struct scenario_result *sc, size_t idx)
{
	struct buf b = BUF_INIT;
	const char *p;
	size_t start;

	buf_addf(&b, "%zu-", idx + 1);
	start = b.len;
	for (p = sc->name ? sc->name : ""; *p && b.len - start < SLUG_MAX; p++) {
		if (isalnum((unsigned char)*p) || *p == '.' || *p == '_')
			buf_addch(&b, *p);
		else if (b.len > start && b.s[b.len - 1] != '-')
			buf_addch(&b, '-');
	}
	while (b.len > start && b.s[b.len - 1] == '-')
		b.s[--b.len] = '\0';
	if (b.len == start)
		buf_adds(&b, "scenario");
	return buf_detach(&b);
}

static int name_is_python(const char *s, size_t n)
{
	return n >= 6 && !strncmp(s, "python", 6);
}

/* A frame perf could not name. */
static int frame_unresolved(const char *f)
{
	return f && (!strncmp(f, "[unknown", 8) || !strncmp(f, "[perf-", 6) ||
		     !strncmp(f, "[anon", 5) || !strncmp(f, "[memfd:", 7));
}

const char *profile_jit_hint(const char *const *argv, const struct scenario_profile *p)
{
	const char *name, *slash;
	int k, unresolved = 0;
	size_t i;

	if (!argv || !argv[0] || !p)
		return NULL;
	slash = strrchr(argv[0], '/');
	name = slash ? slash + 1 : argv[0];
	for (k = 0; k < SIDE_COUNT; k++)
		for (i = 0;
		     p->side[k].tool && !strcmp(p->side[k].tool, "perf") && i < p->side[k].ntop;
		     i++)
			unresolved |= frame_unresolved(p->side[k].top[i].frame);
	if (!unresolved)
		return NULL;
	if (!strcmp(name, "java"))
		return "perf cannot name the JVM's JIT-compiled methods (the unresolved frames): "
		       "profile it with async-profiler, or run java with "
		       "-XX:+PreserveFramePointer and a perf map agent";
	if (!strcmp(name, "node") || !strcmp(name, "nodejs"))
		return "perf cannot name Node.js's JIT-compiled functions (the unresolved frames) "
		       "unless node runs with --perf-basic-prof: add it to the suite's command";
	return NULL;
}

int profile_is_python(const char *const *argv)
{
	const char *name, *slash, *p, *end;
	char line[256];
	size_t n;
	FILE *f;
	char *path;
	int ret = 0;

	if (!argv || !argv[0])
		return 0;
	slash = strrchr(argv[0], '/');
	name = slash ? slash + 1 : argv[0];
	if (name_is_python(name, strlen(name)))
		return 1;
	path = proc_which(argv[0]);
	f = path ? fopen(path, "r") : NULL;
	free(path);
	if (!f)
		return 0;
	n = fread(line, 1, sizeof(line) - 1, f);
	fclose(f);
	line[n] = '\0';
	if (n < 2 || line[0] != '#' || line[1] != '!')
		return 0;
	end = strchr(line, '\n');
	if (!end)
		end = line + n;
	/* any word of the "#!" line: "/usr/bin/env python3", "/x/bin/python" */
	for (p = line + 2; p < end && !ret;) {
		const char *w = p, *base;

		while (p < end && !isspace((unsigned char)*p))
			p++;
		for (base = p; base > w && base[-1] != '/';)
			base--;
		ret = name_is_python(base, (size_t)(p - base));
		while (p < end && isspace((unsigned char)*p))
			p++;
	}
	return ret;
}

/* The count of a `perf stat -x,` line's value, NaN when not counted. */
static double stat_value(const char *line, size_t len)
{
	char buf[64], *end;
	double v;

	if (!len || len >= sizeof(buf) || *line == '<')
		return NAN;
	memcpy(buf, line, len);
	buf[len] = '\0';
	v = strtod(buf, &end);
	return end != buf && *end == '\0' && v >= 0 ? v : NAN;
}

int profile_parse_stat(const char *text, double *syscalls, double *cswitches)
{
	const char *line = text, *eol, *c1, *c2, *c3;

	*syscalls = *cswitches = NAN;
	while (line && *line) {
		eol = strchrnul(line, '\n');
		/* value,unit,event,... */
		c1 = memchr(line, ',', (size_t)(eol - line));
		c2 = c1 ? memchr(c1 + 1, ',', (size_t)(eol - c1 - 1)) : NULL;
		c3 = c2 ? memchr(c2 + 1, ',', (size_t)(eol - c2 - 1)) : NULL;
		if (*line != '#' && c2) {
			size_t n = (size_t)((c3 ? c3 : eol) - (c2 + 1));

			if (n == 22 && !strncmp(c2 + 1, "raw_syscalls:sys_enter", 22))
				*syscalls = stat_value(line, (size_t)(c1 - line));
			else if (n == 16 && !strncmp(c2 + 1, "context-switches", 16))
				*cswitches = stat_value(line, (size_t)(c1 - line));
			else if (n == 2 && !strncmp(c2 + 1, "cs", 2))
				*cswitches = stat_value(line, (size_t)(c1 - line));
		}
		line = *eol ? eol + 1 : NULL;
	}
	return isnan(*syscalls) || isnan(*cswitches) ? -1 : 0;
}

/* A backtrace's line: "stack backtrace:", "  7: main", "      at src/x.rs:3",
 * "note: Some details are omitted, ..."; and perf's "[ perf record: ... ]"
 * and py-spy's "py-spy> " progress, which say nothing of why either. */
static int line_is_noise(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && isspace((unsigned char)s[i]))
		i++;
	s += i;
	n -= i;
	if (!n || *s == '[' || (n >= 8 && !strncmp(s, "py-spy> ", 8)))
		return 1;
	if ((n >= 16 && !strncmp(s, "stack backtrace:", 16)) || (n >= 3 && !strncmp(s, "at ", 3)) ||
	    (n >= 5 && !strncmp(s, "note:", 5)))
		return 1;
	for (i = 0; i < n && isdigit((unsigned char)s[i]); i++)
		;
	return i > 0 && i < n && s[i] == ':';
}

/* The line after eol's, "" at the end. */
static const char *next_line(const char *eol)
{
	return *eol ? eol + 1 : eol;
}

char *profile_log_reason(const char *text)
{
	const char *line, *eol, *pick = NULL, *pick_end = NULL, *p;
	struct buf out = BUF_INIT;

	for (line = text ? text : ""; *line; line = next_line(eol)) {
		eol = strchrnul(line, '\n');
		if (!strncmp(line, "Error:", 6)) {
			for (pick = line + 6; pick < eol && isspace((unsigned char)*pick); pick++)
				;
			pick_end = eol;
			if (pick < eol && eol[-1] != ':')
				break;
			/* perf's "Error:" alone: the reason is on a line below */
			for (p = next_line(eol); *p; p = next_line(strchrnul(p, '\n')))
				if (!line_is_noise(p, (size_t)(strchrnul(p, '\n') - p))) {
					pick = p;
					pick_end = strchrnul(p, '\n');
					break;
				}
			break;
		}
		if (!pick && !line_is_noise(line, (size_t)(eol - line))) {
			pick = line;
			pick_end = eol;
		}
	}
	while (pick && pick < pick_end && isspace((unsigned char)*pick))
		pick++;
	while (pick && pick_end > pick && isspace((unsigned char)pick_end[-1]))
		pick_end--;
	for (p = pick; p && p < pick_end && out.len < PROFILE_REASON_MAX; p++)
		buf_addch(&out, (unsigned char)*p < 0x20 ? ' ' : *p);
	if (p && p < pick_end) {
		/* not in the middle of a UTF-8 character */
		while (out.len && ((unsigned char)out.s[out.len - 1] & 0xc0) == 0x80)
			out.s[--out.len] = '\0';
		if (out.len && (unsigned char)out.s[out.len - 1] >= 0xc0)
			out.s[--out.len] = '\0';
		buf_adds(&out, "...");
	}
	if (!out.len)
		buf_adds(&out, "(no output)");
	return buf_detach(&out);
}

/* Why a profiler failed, from what it appended to log after byte `from`:
 * profile_log_reason() and where the rest is; caller frees. */
static char *log_reason(const char *log, size_t from, const char *slug, const char *side)
{
	struct buf b = BUF_INIT;
	char *reason, *ret;

	buf_read_file(&b, log);
	reason = profile_log_reason(b.s && b.len > from ? b.s + from : "");
	ret = xstrfmt("%s (see profile/%s-%s.log)", reason, slug, side);
	free(reason);
	buf_release(&b);
	return ret;
}

/* How long log is now (0 when it is not there yet). */
static size_t log_size(const char *log)
{
	struct stat st;

	return stat(log, &st) == 0 ? (size_t)st.st_size : 0;
}

/* Run argv (the profiler around the scenario's command) like the scenario
 * runs. 0 when it ran; -1 when it could not start (*why set). */
static int run_tool(const char *const *argv, const struct plan_run *x, double timeout,
		    const char *log, struct proc *p, char **why)
{
	int ret;

	*p = (struct proc)PROC_INIT;
	p->argv = argv;
	p->cwd = x->cwd;
	p->env = (const char *const *)x->env;
	p->timeout = timeout;
	p->out_path = log;
	ret = proc_run(p); /* error() says why it could not start */
	if (ret < 0)
		*why = xstrfmt("cannot run '%s'", argv[0]);
	return ret;
}

/* argv = prefix + the scenario's argv; the array is the caller's. */
static const char **wrap(const char *const *prefix, size_t nprefix, char *const *cmd)
{
	size_t n = 0, i;
	const char **v;

	while (cmd[n])
		n++;
	v = xcalloc(nprefix + n + 1, sizeof(*v));
	for (i = 0; i < nprefix; i++)
		v[i] = prefix[i];
	for (i = 0; i < n; i++)
		v[nprefix + i] = cmd[i];
	return v;
}

struct side_job {
	struct profile_side *ps;
	struct folded f;
	const struct plan_run *x;
	double timeout;
	const char *perf, *pyspy; /* found, or NULL */
	const char *timeout_cmd;  /* coreutils' timeout, or NULL */
	char *dir;		  /* absolute OUT/profile */
	char *slug;
	const char *side;
	char *pyspy_failed; /* why py-spy wrote no stacks when perf took over */
};

static void record_perf(struct side_job *j)
{
	char *data = xstrfmt("%s/.%s-%s.data", j->dir, j->slug, j->side);
	char *log = xstrfmt("%s/%s-%s.log", j->dir, j->slug, j->side);
	const char *rec[] = { j->perf, "record", "-e", "cpu-clock", "-F",
			      "999",   "-g",	 "-o", data,	    "--" };
	const char *script[] = { j->perf, "script", "-i", data, "-F", "comm,ip,sym,dso", NULL };
	const char **argv = wrap(rec, sizeof(rec) / sizeof(rec[0]), j->x->argv);
	struct buf text = BUF_INIT;
	size_t from = log_size(log);
	struct proc p;
	char *why;

	free(j->ps->tool);
	j->ps->tool = xstrdup("perf");
	if (run_tool(argv, j->x, j->timeout, log, &p, &j->ps->error) < 0)
		goto out;
	j->ps->wall = p.elapsed;
	if (p.interrupted)
		goto out;
	if (p.timed_out || !fs_exists(data)) {
		why = log_reason(log, from, j->slug, j->side);
		j->ps->error = xstrfmt("perf record %s: %s",
				       p.timed_out ? "timed out" : "wrote no data", why);
		free(why);
		goto out;
	}
	if (proc_capture(script, j->x->cwd, j->timeout, &text) < 0) {
		j->ps->error = xstrdup("perf script failed reading the recording");
		goto out;
	}
	/* no sample is an answer: the command slept (cpu-clock samples only a
	 * task on a CPU) */
	j->ps->samples = (double)folded_from_perf_script(&j->f, text.s);
out:
	unlink(data);
	buf_release(&text);
	free(argv);
	free(data);
	free(log);
}

/*
 * One py-spy run. The command runs under `timeout --foreground 0` (no time
 * limit; it stays in the group), a parent that is not Python and waits for
 * it: py-spy --subprocesses looks at the process it started once, for about
 * 0.1 s, but looks again at its children every 0.1 s for about a second. A
 * command that becomes Python later (a pyenv shim, `env python3`, a shell
 * that execs it) or whose interpreter starts slowly is then found as the
 * child instead of missed as the root. 0 when it wrote stacks; 1 when it
 * wrote none (*why: profile_log_reason()); -1 when it could not run, timed
 * out (ps->error) or was interrupted.
 */
static int pyspy_once(struct side_job *j, const char *raw, const char *log, char **why)
{
	const char *rec[] = { j->pyspy, "record",	"--native",	"--subprocesses",
			      "-f",	"raw",		"-o",		raw,
			      "--",	j->timeout_cmd, "--foreground", "0" };
	size_t nrec = sizeof(rec) / sizeof(rec[0]) - (j->timeout_cmd ? 0 : 3);
	const char **argv = wrap(rec, nrec, j->x->argv);
	struct buf text = BUF_INIT;
	size_t from = log_size(log);
	struct proc p;
	int ret = -1;

	unlink(raw);
	if (run_tool(argv, j->x, j->timeout, log, &p, &j->ps->error) < 0)
		goto out;
	j->ps->wall = p.elapsed;
	if (p.interrupted)
		goto out;
	if (p.timed_out) {
		*why = log_reason(log, from, j->slug, j->side);
		j->ps->error = xstrfmt("py-spy record timed out: %s", *why);
		free(*why);
		*why = NULL;
		goto out;
	}
	if (buf_read_file(&text, raw) < 0) {
		*why = log_reason(log, from, j->slug, j->side);
		ret = 1;
		goto out;
	}
	/* py-spy samples idle threads too, unless --idle is off (it is): none
	 * means the command slept */
	folded_parse(&j->f, text.s);
	j->ps->samples = j->f.total;
	ret = 0;
out:
	buf_release(&text);
	free(argv);
	return ret;
}

/* py-spy; when it writes no stacks twice, perf (when there is one). */
static void record_pyspy(struct side_job *j)
{
	char *raw = xstrfmt("%s/.%s-%s.raw", j->dir, j->slug, j->side);
	char *log = xstrfmt("%s/%s-%s.log", j->dir, j->slug, j->side);
	char *why = NULL;
	int ret, tries;

	j->ps->tool = xstrdup("py-spy");
	for (tries = 0; tries < 2; tries++) {
		free(why);
		why = NULL;
		ret = pyspy_once(j, raw, log, &why);
		if (ret <= 0 || proc_interrupted())
			goto out;
	}
	if (!j->perf) {
		j->ps->error = xstrfmt("py-spy record wrote no stacks: %s", why);
		goto out;
	}
	j->pyspy_failed = why;
	why = NULL;
	j->ps->wall = NAN;
	record_perf(j);
out:
	unlink(raw);
	free(why);
	free(raw);
	free(log);
}

static void count_syscalls(struct side_job *j)
{
	char *out = xstrfmt("%s/.%s-%s.stat", j->dir, j->slug, j->side);
	char *log = xstrfmt("%s/%s-%s.log", j->dir, j->slug, j->side);
	const char *st[] = { j->perf, "stat",
			     "-e",    "raw_syscalls:sys_enter",
			     "-e",    "context-switches",
			     "-x",    ",",
			     "-o",    out,
			     "--" };
	const char **argv = wrap(st, sizeof(st) / sizeof(st[0]), j->x->argv);
	struct buf text = BUF_INIT;
	size_t from = log_size(log);
	double sc, cs;
	struct proc p;
	char *why;

	if (!j->perf) {
		j->ps->stat_error = xstrdup("perf: command not found");
		goto out;
	}
	if (run_tool(argv, j->x, j->timeout, log, &p, &j->ps->stat_error) < 0 || p.interrupted)
		goto out;
	buf_read_file(&text, out);
	profile_parse_stat(text.s, &sc, &cs);
	if (p.elapsed > 0 && !isnan(sc))
		j->ps->syscalls_per_s = sc / p.elapsed;
	if (p.elapsed > 0 && !isnan(cs))
		j->ps->cswitches_per_s = cs / p.elapsed;
	if (isnan(sc)) {
		why = log_reason(log, from, j->slug, j->side);
		j->ps->stat_error = xstrfmt("perf stat counted no system calls (the syscall "
					    "tracepoint may not be permitted): %s",
					    why);
		free(why);
	}
out:
	unlink(out);
	buf_release(&text);
	free(argv);
	free(out);
	free(log);
}

/* other: the other side's stacks, NULL when it could not be profiled. */
static void fill_top(struct profile_side *ps, const struct folded *mine, const struct folded *other)
{
	struct folded_frame top[RESULTS_PROFILE_TOP];
	size_t i, n = folded_top(mine, top, RESULTS_PROFILE_TOP);

	for (i = 0; i < n; i++) {
		ps->top[i].frame = top[i].frame;
		ps->top[i].under = top[i].under;
		ps->top[i].share = top[i].share;
		/* the other side slept through its run: none of its samples */
		ps->top[i].other_share = !other		    ? NAN
					 : other->total > 0 ? folded_share(other, top[i].frame)
							    : 0;
	}
	ps->ntop = n;
}

int profile_scenario(struct results *r, size_t idx, const struct suite *s,
		     const char *const env_dirs[SIDE_COUNT], const struct profile_opts *o)
{
	struct scenario_result *sc = &r->scen[idx];
	struct scenario_profile *prof = xcalloc(1, sizeof(*prof));
	struct plan_run x[SIDE_COUNT];
	struct side_job job[SIDE_COUNT];
	char *rel = xstrfmt("%s/profile", o->out_dir), *dir = NULL, *perf = proc_which("perf");
	char *pyspy = proc_which("py-spy"), *slug = profile_slug(sc, idx), *path = NULL;
	char *timeout_cmd = proc_which("timeout");
	char real[PATH_MAX];
	struct buf b = BUF_INIT;
	int k, ret = -1;

	memset(x, 0, sizeof(x));
	memset(job, 0, sizeof(job));
	if (!pyspy && o->tools_dir) {
		pyspy = xstrfmt("%s/py-spy/bin/py-spy", o->tools_dir);
		if (access(pyspy, X_OK) != 0) {
			free(pyspy);
			pyspy = NULL;
		}
	}
	if (fs_mkdir_p(rel) < 0)
		goto out;
	if (!realpath(rel, real)) {
		error_errno("cannot resolve '%s'", rel);
		goto out;
	}
	dir = xstrdup(real);
	for (k = 0; k < SIDE_COUNT; k++) {
		struct profile_side *ps = &prof->side[k];

		ps->samples = ps->wall = ps->syscalls_per_s = ps->cswitches_per_s = NAN;
		if (plan_run_expand(&x[k], s, sc, env_dirs[k], o->ncpu, o->unset) < 0)
			goto out;
		job[k].ps = ps;
		job[k].f = (struct folded)FOLDED_INIT;
		job[k].x = &x[k];
		job[k].timeout = sc->timeout > 0 ? 2 * sc->timeout + 30 : 0;
		job[k].perf = perf;
		job[k].pyspy = pyspy;
		job[k].timeout_cmd = timeout_cmd;
		job[k].dir = dir;
		job[k].slug = slug;
		job[k].side = side_name(k);
	}
	for (k = 0; k < SIDE_COUNT; k++) {
		int python = profile_is_python((const char *const *)x[k].argv);
		struct side_job *j = &job[k];

		if (python && pyspy)
			record_pyspy(j);
		else if (perf)
			record_perf(j);
		else
			j->ps->error = xstrdup(python ? "neither py-spy nor perf found "
							"(scripts/deps.sh profile installs them)"
						      : "perf: command not found (Debian: "
							"linux-perf; scripts/deps.sh profile)");
		if (!o->quiet)
			note("profiled %s (%s) with %s%s%s%s%s%s", sc->name, side_name(k),
			     j->ps->tool ? j->ps->tool : "nothing",
			     j->pyspy_failed ? " (py-spy: " : "",
			     j->pyspy_failed ? j->pyspy_failed : "", j->pyspy_failed ? ")" : "",
			     j->ps->error ? ": " : "", j->ps->error ? j->ps->error : "");
		if (proc_interrupted())
			break;
		count_syscalls(j);
		if (proc_interrupted())
			break;
		if (!j->ps->error) { /* empty when it slept */
			buf_reset(&b);
			folded_write(&j->f, &b);
			free(path);
			path = xstrfmt("%s/%s-%s.folded", dir, slug, side_name(k));
			if (file_write_atomic(path, b.s, b.len, WRITE_CHECKPOINT) == 0)
				j->ps->folded = xstrfmt("profile/%s-%s.folded", slug, side_name(k));
		}
	}
	if (proc_interrupted()) {
		ret = 1;
		goto out;
	}
	for (k = 0; k < SIDE_COUNT; k++)
		fill_top(&prof->side[k], &job[k].f, prof->side[!k].error ? NULL : &job[!k].f);
	/* base may have slept through its run: head against nothing */
	if (job[SIDE_HEAD].f.n && !prof->side[SIDE_BASE].error) {
		char *title = xstrfmt("%s: head against base", sc->name);

		buf_reset(&b);
		render_flame_diff(&b, &job[SIDE_BASE].f, &job[SIDE_HEAD].f, title);
		free(title);
		free(path);
		path = xstrfmt("%s/%s-diff.svg", dir, slug);
		if (file_write_atomic(path, b.s, b.len, WRITE_CHECKPOINT) == 0)
			prof->svg = xstrfmt("profile/%s-diff.svg", slug);
	}
	if (profile_jit_hint((const char *const *)x[SIDE_HEAD].argv, prof))
		prof->hint =
			xstrdup(profile_jit_hint((const char *const *)x[SIDE_HEAD].argv, prof));
	scenario_profile_free(sc->profile);
	sc->profile = prof;
	prof = NULL;
	ret = 0;
out:
	scenario_profile_free(prof);
	for (k = 0; k < SIDE_COUNT; k++) {
		plan_run_release(&x[k]);
		folded_release(&job[k].f);
		free(job[k].pyspy_failed);
	}
	buf_release(&b);
	free(rel);
	free(dir);
	free(perf);
	free(pyspy);
	free(timeout_cmd);
	free(slug);
	free(path);
	return ret;
}

int profile_results(struct results *r, const struct suite *s, const struct thresholds *t,
		    const char *const env_dirs[SIDE_COUNT], const struct profile_opts *o, int all)
{
	struct judgement j = { 0 };
	size_t i;
	int n = 0, ret;

	judge_results(r, t, &j);
	for (i = 0; i < r->nscen; i++) {
		if (r->scen[i].error || !(all || signature_wanted(r, t, &j, i)))
			continue;
		ret = profile_scenario(r, i, s, env_dirs, o);
		if (ret < 0) {
			n = -1;
			break;
		}
		if (ret == 1) {
			n = -2;
			break;
		}
		n++;
	}
	judgement_release(&j);
	return n;
}
