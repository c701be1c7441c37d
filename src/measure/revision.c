#include "revision.h"

#include "fsutil.h"
#include "msg.h"
#include "proc.h"

#include <ctype.h>
#include <fcntl.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

/* The release versions registries publish, each with an optional leading "v":
 * PEP 440 (PyPI): 1.2, v0.16.0, 1.0rc1, 2.0.0.post1, 0.17.0.dev3;
 * semver (crates.io, npm, the Go module proxy): 1.0.0-alpha.124, 1.2.3+build.5,
 *   v0.0.0-20210220032951-036812b2e83c (a Go pseudo-version);
 * Maven: two or more numbers, then a qualifier that starts with a letter:
 *   4.2.10.Final, 5.3.0.RELEASE, 31.1-jre, 2.0-beta-1.
 * A branch name such as "main", "1.x" or "release-1.2" matches none. */
#define SEMVER_IDS "[0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*" /* dot-separated identifiers */
static const char *const version_patterns[] = {
	"^v?[0-9]+(\\.[0-9]+)+((a|b|rc|\\.post|\\.dev|-rc)[0-9]+)*$",
	"^v?[0-9]+\\.[0-9]+\\.[0-9]+(-" SEMVER_IDS ")?(\\+" SEMVER_IDS ")?$",
	"^v?[0-9]+(\\.[0-9]+)+[.-][A-Za-z][0-9A-Za-z]*([.-][0-9A-Za-z]+)*$",
};

int revision_is_version(const char *spec)
{
	size_t i;
	int ok = 0;

	for (i = 0; !ok && i < sizeof(version_patterns) / sizeof(version_patterns[0]); i++) {
		regex_t re;

		if (regcomp(&re, version_patterns[i], REG_EXTENDED | REG_NOSUB) != 0)
			continue;
		ok = regexec(&re, spec, 0, NULL, 0) == 0;
		regfree(&re);
	}
	return ok;
}

char *revision_default_cache(void)
{
	const char *v = getenv("SPIN_GATE_CACHE");

	if (v && *v)
		return xstrdup(v);
	v = getenv("XDG_CACHE_HOME");
	if (v && *v)
		return xstrfmt("%s/spin-gate", v);
	v = getenv("HOME");
	return xstrfmt("%s/.cache/spin-gate", v && *v ? v : "/tmp");
}

/* Whether git finds a repository at dir (for what a failed resolve says). */
static int is_git_repo(const char *dir)
{
	struct buf out = BUF_INIT;
	const char *argv[] = { "git", "-C", dir, "rev-parse", "--git-dir", NULL };
	int ok = proc_capture(argv, NULL, 60, &out) == 0;

	buf_release(&out);
	return ok;
}

static int resolve_git(struct revision *rv, const char *spec, const char *repo)
{
	struct buf out = BUF_INIT, arg = BUF_INIT;
	const char *argv[] = {
		"git", "-C", repo, "rev-parse", "--verify", "--quiet", "--end-of-options",
		NULL,  NULL
	};
	int ret = -1;

	buf_addf(&arg, "%s^{commit}", spec);
	argv[7] = arg.s;
	if (proc_capture(argv, NULL, 60, &out) < 0 || out.len < 40) {
		if (proc_interrupted())
			goto out;
		if (!is_git_repo(repo))
			error("unknown revision '%s': '%s' is not a git repository (--repo names "
			      "your checkout)",
			      spec, repo);
		else
			error("unknown revision '%s' in repository '%s'", spec, repo);
		goto out;
	}
	rv->resolved = xstrdup(out.s);
	ret = 0;
out:
	buf_release(&out);
	buf_release(&arg);
	return ret;
}

static int run_logged(const char *const *argv, const char *cwd, double timeout, const char *log,
		      const char *what, const char *const *env)
{
	struct proc p = PROC_INIT;
	int ret = -1;

	p.argv = argv;
	p.env = env;
	p.cwd = cwd;
	p.timeout = timeout;
	p.out_path = log;
	if (proc_run(&p) < 0)
		goto out;
	if (p.left_behind)
		warning("'%s' left %d process(es) running after it ended: killed", argv[0],
			p.left_behind);
	if (p.interrupted) {
		error("%s: interrupted", what);
		goto out;
	}
	if (p.timed_out) {
		error("%s: no result after %.0f s (log: '%s')", what, timeout, log);
		fs_tail_to_stderr(log, 8);
		goto out;
	}
	if (p.exit_code != 0) {
		if (p.term_signal)
			error("%s: killed by signal %d (log: '%s')", what, p.term_signal, log);
		else
			error("%s: exited with %d (log: '%s')", what, p.exit_code, log);
		fs_tail_to_stderr(log, 8);
		goto out;
	}
	ret = 0;
out:
	proc_release(&p);
	return ret;
}

/* The suite's probe, the revision's code too: as proc_capture(), in the
 * environment runs get. 0 when it printed and exited 0. */
static int probe(const char *const *argv, const char *cwd, const char *const *env, struct buf *out)
{
	struct proc p = PROC_INIT;
	int ret = -1;

	buf_reset(out);
	p.argv = argv;
	p.cwd = cwd;
	p.env = env;
	p.timeout = 60;
	p.capture = out;
	p.quiet = 1;
	if (proc_run(&p) == 0 && !p.timed_out && !p.interrupted && p.exit_code == 0)
		ret = 0;
	while (out->len && (out->s[out->len - 1] == '\n' || out->s[out->len - 1] == '\r'))
		out->s[--out->len] = '\0';
	proc_release(&p);
	return ret;
}

static int make_worktree(struct revision *rv, const char *repo, const char *cache, const char *log)
{
	struct buf head = BUF_INIT, what = BUF_INIT;
	int ret = -1;

	rv->worktree = xstrfmt("%s/worktrees/%s", cache, rv->resolved);
	if (fs_exists(rv->worktree)) {
		const char *argv[] = { "git", "-C", rv->worktree, "rev-parse", "HEAD", NULL };

		if (proc_capture(argv, NULL, 60, &head) == 0 && !strcmp(head.s, rv->resolved)) {
			ret = 0;
			goto out;
		}
		if (fs_rm_rf(rv->worktree) < 0)
			goto out;
	}
	{
		const char *prune[] = { "git", "-C", repo, "worktree", "prune", NULL };
		const char *add[] = { "git",	  "-C",	     repo,	   "worktree",	 "add",
				      "--detach", "--force", rv->worktree, rv->resolved, NULL };

		if (run_logged(prune, NULL, 60, log, "git worktree prune", NULL) < 0)
			goto out;
		buf_addf(&what, "cannot check out revision '%s'", rv->spec);
		if (run_logged(add, NULL, 600, log, what.s, NULL) < 0)
			goto out;
	}
	ret = 0;
out:
	buf_release(&head);
	buf_release(&what);
	return ret;
}

static int lock_cache(const char *dir)
{
	char *path = xstrfmt("%s/.lock", dir);
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);

	if (fd < 0)
		error_errno("cannot open lock '%s'", path);
	else if (flock(fd, LOCK_EX) < 0) {
		error_errno("cannot lock '%s'", path);
		close(fd);
		fd = -1;
	}
	free(path);
	return fd;
}

int revision_resolve(struct revision *rv, const char *spec, const struct suite *s,
		     const struct revision_opts *o)
{
	memset(rv, 0, sizeof(*rv));
	rv->spec = xstrdup(spec);
	if (!*spec || spec[0] == '-' || strchr(spec, '\n'))
		return error("invalid revision '%s'", spec);
	if (o->repo) {
		rv->kind = "git";
		if (!s->setup_git)
			return error("suite '%s' has no setup.git: it cannot prepare git revisions",
				     s->name);
		return resolve_git(rv, spec, o->repo);
	}
	if (!revision_is_version(spec))
		return error("unknown revision '%s': not a release version (like v0.16.0), and no "
			     "--repo "
			     "was given to resolve it in",
			     spec);
	rv->kind = "version";
	if (!s->setup_version)
		return error("suite '%s' has no setup.version: give --repo to use git revisions",
			     s->name);
	rv->resolved = xstrdup(spec[0] == 'v' ? spec + 1 : spec);
	return 0;
}

int revision_resolve_all(struct revision *rv, const char *const *specs, size_t n,
			 const struct suite *s, const struct revision_opts *o)
{
	size_t i;
	int ret = 0;

	for (i = 0; i < n; i++)
		memset(&rv[i], 0, sizeof(rv[i]));
	for (i = 0; i < n; i++) {
		if (revision_resolve(&rv[i], specs[i], s, o) < 0)
			ret = -1;
		if (proc_interrupted())
			return -1;
	}
	return ret;
}

int revision_prepare(struct revision *rv, const struct suite *s, const struct revision_opts *o)
{
	struct vars v = { .n = 0 };
	struct buf what = BUF_INIT, out = BUF_INIT;
	char *envs = NULL, *stamp = NULL, *digest = NULL, **argv = NULL, *const * tmpl;
	const char *spec = rv->spec;
	int lock = -1, ret = -1;

	if (!rv->resolved) {
		error("revision '%s' was not resolved", spec ? spec : "");
		goto out;
	}
	tmpl = !strcmp(rv->kind, "git") ? s->setup_git : s->setup_version;
	envs = xstrfmt("%s/envs/%s", o->cache, s->name);
	if (fs_mkdir_p(envs) < 0)
		goto out;
	lock = lock_cache(envs);
	if (lock < 0)
		goto out;
	digest = suite_setup_digest(s, tmpl);
	rv->env_dir = xstrfmt("%s/%s-%s-%s", envs, rv->kind, rv->resolved, digest);
	stamp = xstrfmt("%s/.spin-gate-ready", rv->env_dir);
	vars_set(&v, "suite_dir", s->dir);
	vars_set(&v, "ncpu", o->ncpu);
	vars_set(&v, "env", rv->env_dir);
	vars_set(&v, "version", rv->resolved);
	vars_set(&v, "version_spec", rv->spec);
	/* The worktree is checked even for a cached environment: a setup may
	 * point into it (a .pth file) rather than copy it. */
	if (o->repo) {
		if (make_worktree(rv, o->repo, o->cache, o->log_path) < 0)
			goto out;
		vars_set(&v, "worktree", rv->worktree);
		vars_set(&v, "commit", rv->resolved);
	}
	if (fs_exists(stamp) && !o->rebuild) {
		rv->cached = 1;
		note("revision '%s': using cached environment %s", spec, rv->env_dir);
	} else {
		if (fs_rm_rf(rv->env_dir) < 0)
			goto out;
		note("revision '%s': preparing %s %s (log: %s)", spec, rv->kind, rv->resolved,
		     o->log_path);
		argv = suite_expand_argv(tmpl, &v, s->path);
		if (!argv)
			goto out;
		buf_addf(&what, "cannot prepare revision '%s'", spec);
		if (run_logged((const char *const *)argv, s->dir, s->setup_timeout, o->log_path,
			       what.s, o->unset) < 0)
			goto out;
		if (!fs_exists(rv->env_dir) && fs_mkdir_p(rv->env_dir) < 0)
			goto out;
		if (fs_write_text(stamp, rv->resolved) < 0)
			goto out;
	}
	if (s->probe) {
		argv_free(argv);
		argv = suite_expand_argv(s->probe, &v, s->path);
		if (!argv)
			goto out;
		if (probe((const char *const *)argv, s->dir, o->unset, &out) == 0)
			rv->runtime = xstrdup(out.s);
		else
			warning("revision '%s': the suite's probe '%s' failed", spec, argv[0]);
	}
	ret = 0;
out:
	if (lock >= 0)
		close(lock);
	argv_free(argv);
	free(envs);
	free(stamp);
	free(digest);
	buf_release(&what);
	buf_release(&out);
	return ret;
}

void revision_release(struct revision *rv)
{
	free(rv->spec);
	free(rv->resolved);
	free(rv->env_dir);
	free(rv->worktree);
	free(rv->runtime);
	memset(rv, 0, sizeof(*rv));
}

void revision_to_info(const struct revision *rv, struct revision_info *ri)
{
	ri->spec = rv->spec ? xstrdup(rv->spec) : NULL;
	ri->kind = rv->kind ? xstrdup(rv->kind) : NULL;
	ri->resolved = rv->resolved ? xstrdup(rv->resolved) : NULL;
	ri->env = rv->env_dir ? xstrdup(rv->env_dir) : NULL;
	ri->runtime = rv->runtime ? xstrdup(rv->runtime) : NULL;
}
