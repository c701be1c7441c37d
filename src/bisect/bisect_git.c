/*
 * bisect's side of git: a clone of the user's repository under the cache,
 * and `git bisect` driven in it with --no-checkout (bisect.h).
 */
#include "bisect.h"

#include "buf.h"
#include "fsutil.h"
#include "msg.h"
#include "proc.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#define GIT_TIMEOUT 600

static void bisect_git_close_state(struct bisect_git *bg);

/* Run git in bg->dir (argv after "git -C DIR"), stdout into out (may be
 * NULL), stderr to the log. Its exit code, or -1 after error() when it
 * could not run, timed out or was interrupted. */
static int git(struct bisect_git *bg, const char *const *args, struct buf *out)
{
	const char *argv[16] = { "git", "-C", bg->dir };
	struct proc p = PROC_INIT;
	struct buf sink = BUF_INIT;
	size_t i;
	int ret = -1;

	for (i = 0; args[i] && i + 4 < sizeof(argv) / sizeof(argv[0]); i++)
		argv[3 + i] = args[i];
	argv[3 + i] = NULL;
	p.argv = argv;
	p.timeout = GIT_TIMEOUT;
	p.capture = out ? out : &sink;
	p.out_path = bg->log;
	if (out)
		buf_reset(out);
	if (proc_run(&p) < 0)
		goto out;
	if (p.interrupted || p.timed_out) {
		error("git %s %s: %s (log: '%s')", args[0], args[1] ? args[1] : "",
		      p.interrupted ? "interrupted" : "timed out", bg->log);
		goto out;
	}
	ret = p.exit_code;
	while (out && out->len && (out->s[out->len - 1] == '\n' || out->s[out->len - 1] == ' '))
		out->s[--out->len] = '\0';
out:
	proc_release(&p);
	buf_release(&sink);
	return ret;
}

/* git that must succeed: 0, or -1 after error(). */
static int git_ok(struct bisect_git *bg, const char *const *args, struct buf *out)
{
	int rc = git(bg, args, out);

	if (rc == 0)
		return 0;
	if (rc > 0) {
		error("'git %s %s' in '%s' exited with %d (log: '%s')", args[0],
		      args[1] ? args[1] : "", bg->dir, rc, bg->log);
		fs_tail_to_stderr(bg->log, 6);
	}
	return -1;
}

/* FNV-1a of the repository's real path: one clone per repository. */
static char *clone_key(const char *repo)
{
	char *real = realpath(repo, NULL);
	const char *s = real ? real : repo;
	uint64_t h = 1469598103934665603ULL;
	char *key;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	key = xstrfmt("%016llx", (unsigned long long)h);
	free(real);
	return key;
}

/* One bisection per clone: a second one of the same repository would move
 * the first one's BISECT_HEAD. 0, or -1 after error(). */
static int lock_clone(struct bisect_git *bg)
{
	char *path = xstrfmt("%s.lock", bg->dir);
	char *parent = xstrdup(bg->dir);
	char *slash = strrchr(parent, '/');
	int ret = -1;

	if (slash)
		*slash = '\0';
	if (fs_mkdir_p(parent) < 0)
		goto out;
	bg->lock = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (bg->lock < 0) {
		error_errno("cannot open lock '%s'", path);
		goto out;
	}
	if (flock(bg->lock, LOCK_EX | LOCK_NB) < 0) {
		if (errno == EWOULDBLOCK)
			error("another bisect of this repository is running (it holds '%s')", path);
		else
			error_errno("cannot lock '%s'", path);
		close(bg->lock);
		bg->lock = -1;
		goto out;
	}
	ret = 0;
out:
	free(path);
	free(parent);
	return ret;
}

int bisect_git_open(struct bisect_git *bg, const char *repo, const char *cache, const char *log)
{
	char *key = clone_key(repo), *real = realpath(repo, NULL);
	int ret = -1;

	memset(bg, 0, sizeof(*bg));
	bg->lock = -1;
	bg->dir = xstrfmt("%s/bisect/%s", cache, key);
	bg->log = xstrdup(log);
	if (!real) {
		error_errno("cannot read repository '%s'", repo);
		goto out;
	}
	if (lock_clone(bg) < 0)
		goto out;
	{
		/* again each time: harmless on a clone, and it finishes one an
		 * interrupt cut short */
		const char *init[] = { "init", "--quiet", NULL };

		if (fs_mkdir_p(bg->dir) < 0 || git_ok(bg, init, NULL) < 0)
			goto out;
	}
	/* a bisection an interrupt left open: ended before a new one starts */
	bg->started = 1;
	bisect_git_close_state(bg);
	{
		/* every ref and the HEAD of the user's repository, read only */
		const char *fetch[] = { "fetch",
					"--quiet",
					"--no-tags",
					"--force",
					"--",
					real,
					"+refs/*:refs/mirror/*",
					"+HEAD:refs/mirror/HEAD",
					NULL };

		if (git_ok(bg, fetch, NULL) < 0)
			goto out;
	}
	ret = 0;
out:
	free(key);
	free(real);
	return ret;
}

/* The 40-hex lines of s after `after` (NULL: every one). */
static size_t hex_lines(const char *s, const char *after, char ***v)
{
	const char *p = after ? strstr(s, after) : s;
	size_t n = 0;

	*v = NULL;
	if (!p)
		return 0;
	while (*p) {
		const char *e = strchr(p, '\n');
		size_t len = e ? (size_t)(e - p) : strlen(p), k = 0;

		while (k < len && isxdigit((unsigned char)p[k]))
			k++;
		if (k == 40 && (k == len || p[k] == ' ')) {
			*v = xrealloc(*v, (n + 1) * sizeof(**v));
			(*v)[n++] = xstrndup(p, 40);
		}
		if (!e)
			break;
		p = e + 1;
	}
	return n;
}

/* After start or an answer exiting rc with out: where the bisection is. */
static int read_state(struct bisect_git *bg, int rc, const char *out, enum bisect_git_state *st,
		      char **next, char ***range, size_t *n)
{
	const char *bh[] = { "rev-parse", "--verify", "--quiet", "BISECT_HEAD", NULL };
	struct buf b = BUF_INIT;
	int ret = -1;

	*next = NULL;
	*range = NULL;
	*n = 0;
	if (strstr(out, "is the first bad commit")) {
		*st = BISECT_GIT_FOUND;
		*n = hex_lines(out, NULL, range) ? 1 : 0;
		ret = *n ? 0 : error("git bisect named no commit (log: '%s')", bg->log);
		goto out;
	}
	if (strstr(out, "could be any of:")) {
		*st = BISECT_GIT_RANGE;
		*n = hex_lines(out, "could be any of:", range);
		ret = *n ? 0 : error("git bisect named no commit (log: '%s')", bg->log);
		goto out;
	}
	if (rc != 0) {
		error("git bisect exited with %d in '%s' (log: '%s')", rc, bg->dir, bg->log);
		fs_tail_to_stderr(bg->log, 6);
		goto out;
	}
	if (git_ok(bg, bh, &b) < 0)
		goto out;
	*st = BISECT_GIT_NEXT;
	*next = buf_detach(&b);
	ret = 0;
out:
	buf_release(&b);
	return ret;
}

int bisect_git_start(struct bisect_git *bg, const char *bad, const char *good,
		     enum bisect_git_state *st, char **next, char ***range, size_t *n)
{
	/* a fresh `git init` has no HEAD: bisect start records one to go back to */
	const char *head[] = { "update-ref", "--no-deref", "HEAD", good, NULL };
	const char *start[] = { "bisect", "start", "--no-checkout", bad, good, "--", NULL };
	struct buf out = BUF_INIT;
	int rc, ret = -1;

	if (git_ok(bg, head, NULL) < 0)
		goto out;
	bg->started = 1;
	if ((rc = git(bg, start, &out)) < 0)
		goto out;
	ret = read_state(bg, rc, out.s, st, next, range, n);
out:
	buf_release(&out);
	return ret;
}

int bisect_git_answer(struct bisect_git *bg, enum bisect_answer a, const char *commit,
		      enum bisect_git_state *st, char **next, char ***range, size_t *n)
{
	const char *argv[] = { "bisect", bisect_answer_name(a), commit, NULL };
	struct buf out = BUF_INIT;
	int rc, ret = -1;

	if ((rc = git(bg, argv, &out)) >= 0)
		ret = read_state(bg, rc, out.s, st, next, range, n);
	buf_release(&out);
	return ret;
}

/* `git bisect reset` when a bisection is open. */
static void bisect_git_close_state(struct bisect_git *bg)
{
	const char *reset[] = { "bisect", "reset", NULL };
	int sig = proc_interrupted();

	if (!bg->dir || !bg->started)
		return;
	/* after Ctrl-C too: proc would kill git at once while the signal is
	 * pending, so it is set aside for this one short command */
	if (sig)
		proc_interrupted_reset();
	git(bg, reset, NULL);
	if (sig)
		raise(sig);
	bg->started = 0;
}

void bisect_git_close(struct bisect_git *bg)
{
	bisect_git_close_state(bg);
	if (bg->lock >= 0 && bg->dir)
		close(bg->lock);
	free(bg->dir);
	free(bg->log);
	memset(bg, 0, sizeof(*bg));
}
