#include "store.h"

#include "buf.h"
#include "fsutil.h"
#include "json.h"
#include "msg.h"
#include "proc.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Seconds one git command may take (a fetch or push over a slow network). */
#define STORE_GIT_TIMEOUT 300.0

/* What every git the store runs sees: none of a caller's GIT_DIR and
 * friends (a hook or a test may have set them), no prompt for a password,
 * and the store's own identity for its commits (a runner has none). */
static const char *const git_env[] = {
	"GIT_DIR",
	"GIT_WORK_TREE",
	"GIT_INDEX_FILE",
	"GIT_OBJECT_DIRECTORY",
	"GIT_TERMINAL_PROMPT=0",
	"GIT_AUTHOR_NAME=spin-gate",
	"GIT_AUTHOR_EMAIL=spin-gate@users.noreply.github.com",
	"GIT_COMMITTER_NAME=spin-gate",
	"GIT_COMMITTER_EMAIL=spin-gate@users.noreply.github.com",
	NULL,
};

static void store_zero(struct store *s)
{
	memset(s, 0, sizeof(*s));
	s->lock_fd = -1;
}

void store_release(struct store *s)
{
	free(s->dir);
	free(s->repo);
	free(s->remote);
	free(s->target);
	free(s->branch);
	free(s->wt);
	free(s->git_log);
	if (s->lock_fd >= 0)
		close(s->lock_fd); /* and the flock with it */
	store_zero(s);
}

/* The size of a file, 0 when it cannot be read. */
static size_t log_size(const char *path)
{
	struct stat st;

	return path && stat(path, &st) == 0 ? (size_t)st.st_size : 0;
}

/*
 * Why git failed, from what it wrote to the log after byte `from`: the
 * last line the remote said ("remote: ..."; a hook's reason), else the
 * last line of git's own (caller frees; "" when none).
 */
static char *reason_since(const char *path, size_t from)
{
	struct buf b = BUF_INIT;
	const char *p, *end, *remote = NULL, *last = NULL;
	size_t remote_len = 0, last_len = 0;
	char *ret;

	if (!path || buf_read_file(&b, path) < 0 || from > b.len) {
		buf_release(&b);
		return xstrdup("");
	}
	for (p = b.s + from; p < b.s + b.len; p = end + 1) {
		end = p + strcspn(p, "\r\n");
		const char *e = end;

		while (p < e && *p == ' ')
			p++;
		while (e > p && (e[-1] == ' ' || e[-1] == '\t')) /* git pads remote lines */
			e--;
		if (p == e)
			continue;
		last = p;
		last_len = (size_t)(e - p);
		if (last_len > 8 && !strncmp(p, "remote: ", 8)) {
			remote = p;
			remote_len = last_len;
		}
	}
	ret = remote ? xstrndup(remote, remote_len) : last ? xstrndup(last, last_len) : xstrdup("");
	buf_release(&b);
	return ret;
}

/* Why the last git failed (reason_since() its start; caller frees). */
static char *last_reason(const struct store *s)
{
	return reason_since(s->git_log, s->log_mark);
}

/*
 * git -C cwd ARGS..., its stderr appended to s->git_log and, with capture,
 * its stdout into *capture (trailing newlines trimmed). The exit code
 * (0..255), or -1 after error() when it could not run or timed out.
 */
static int git_run(struct store *s, const char *cwd, const char *const *args, struct buf *capture)
{
	const char *argv[16];
	struct proc p = PROC_INIT;
	size_t n = 0, i;

	argv[n++] = "git";
	argv[n++] = "-C";
	argv[n++] = cwd;
	for (i = 0; args[i] && n + 1 < sizeof(argv) / sizeof(argv[0]); i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	s->log_mark = log_size(s->git_log);
	p.argv = argv;
	p.env = git_env;
	p.timeout = STORE_GIT_TIMEOUT;
	p.out_path = s->git_log;
	p.quiet = !s->git_log;
	if (capture) {
		buf_reset(capture);
		p.capture = capture;
	}
	if (proc_run(&p) < 0)
		return -1;
	if (p.timed_out || p.interrupted || p.exit_code < 0)
		return error("git %s in '%s' %s", args[0], cwd,
			     p.timed_out ? "timed out" : "was stopped by a signal");
	if (capture)
		while (capture->len && capture->s[capture->len - 1] == '\n')
			capture->s[--capture->len] = '\0';
	return p.exit_code;
}

/* git_run(), where anything but exit 0 is an error naming git's last line. */
static int git_ok(struct store *s, const char *cwd, const char *const *args, struct buf *capture)
{
	int code = git_run(s, cwd, args, capture);
	char *why;

	if (code <= 0)
		return code;
	why = last_reason(s);
	error("git %s in '%s' failed (exit code %d)%s%s", args[0], cwd, code, *why ? ": " : "",
	      why);
	free(why);
	return -1;
}

int store_open_dir(struct store *s, const char *dir)
{
	store_zero(s);
	if (fs_mkdir_p(dir) < 0)
		return -1;
	s->dir = xstrdup(dir);
	return 0;
}

/* FNV-1a of a string: the worktree's name for (repository, remote). */
static uint32_t fnv1a(const char *a, const char *b)
{
	uint32_t h = 2166136261u;
	const char *p;

	for (p = a; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	h = (h ^ 0) * 16777619u;
	for (p = b; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	return h;
}

/* s with every byte outside [A-Za-z0-9._-] as '_', at most max bytes. */
static void add_safe(struct buf *b, const char *s, size_t max)
{
	size_t i;

	for (i = 0; i < max && s[i]; i++) {
		unsigned char c = (unsigned char)s[i];
		int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			 (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';

		buf_addch(b, ok ? (char)c : '_');
	}
}

/*
 * What git is told to fetch from and push to: the remote's name, unless
 * its URL is a relative path, which git reads from the repository's top
 * directory (from the worktree it would mean something else): then that
 * path made absolute. Caller frees.
 */
static char *target_of(const char *top, const char *remote, const char *url)
{
	const char *colon = strchr(url, ':'), *slash = strchr(url, '/');

	if (url[0] == '/' || strstr(url, "://") || (colon && (!slash || colon < slash)))
		return xstrdup(remote);
	return xstrfmt("%s/%s", top, url);
}

/* A worktree of s->repo at s->wt that git still knows, or a new one. */
static int worktree_ready(struct store *s)
{
	struct buf a = BUF_INIT, b = BUF_INIT;
	const char *common[] = { "rev-parse", "--path-format=absolute", "--git-common-dir", NULL };
	const char *prune[] = { "worktree", "prune", NULL };
	const char *add[] = { "worktree", "add", "--detach", "--no-checkout",
			      "-q",	  s->wt, "HEAD",     NULL };
	int ret = -1;

	if (git_ok(s, s->repo, common, &a) < 0)
		goto out;
	if (fs_exists(s->wt) && git_run(s, s->wt, common, &b) == 0 && !strcmp(a.s, b.s)) {
		ret = 0;
		goto out;
	}
	if (fs_rm_rf(s->wt) < 0 || git_ok(s, s->repo, prune, NULL) < 0 ||
	    git_ok(s, s->repo, add, NULL) < 0)
		goto out;
	ret = 0;
out:
	buf_release(&a);
	buf_release(&b);
	return ret;
}

int store_open_branch(struct store *s, const char *repo, const char *remote, const char *branch,
		      const char *cache)
{
	const char *top[] = { "rev-parse", "--show-toplevel", NULL };
	const char *url[] = { "remote", "get-url", NULL, NULL };
	const char *check[] = { "check-ref-format", "--branch", NULL, NULL };
	struct buf b = BUF_INIT, name = BUF_INIT;
	char *dir = NULL, *lock = NULL, *abs;
	int ret = -1;

	store_zero(s);
	s->remote = xstrdup(remote ? remote : "origin");
	s->branch = xstrdup(branch ? branch : STORE_DEFAULT_BRANCH);
	dir = xstrfmt("%s/history", cache);
	if (fs_mkdir_p(dir) < 0)
		goto out;
	/* absolute: git runs in the repository, where a relative path would
	 * put the worktree inside the user's checkout */
	abs = realpath(dir, NULL);
	if (!abs) {
		error_errno("cannot resolve '%s'", dir);
		goto out;
	}
	free(dir);
	dir = abs;
	if (git_run(s, repo ? repo : ".", top, &b) != 0) {
		error("'%s' is not a git repository (the history's branch lives in one)",
		      repo ? repo : ".");
		goto out;
	}
	s->repo = buf_detach(&b);
	url[2] = s->remote;
	if (git_run(s, s->repo, url, &b) != 0) {
		error("repository '%s' has no remote '%s'", s->repo, s->remote);
		goto out;
	}
	s->target = target_of(s->repo, s->remote, b.s);
	check[2] = s->branch;
	if (git_run(s, s->repo, check, NULL) != 0 || s->branch[0] == '-') {
		error("'%s' is not a valid branch name", s->branch);
		goto out;
	}
	add_safe(&name, s->branch, 40);
	buf_addf(&name, "-%08x", fnv1a(s->repo, s->remote));
	s->wt = xstrfmt("%s/%s", dir, name.s);
	s->git_log = xstrfmt("%s.log", s->wt);
	lock = xstrfmt("%s.lock", s->wt);
	s->lock_fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (s->lock_fd < 0) {
		error_errno("cannot open '%s'", lock);
		goto out;
	}
	if (flock(s->lock_fd, LOCK_EX | LOCK_NB) < 0) {
		note("waiting for another spin-gate using '%s'", s->wt);
		if (flock(s->lock_fd, LOCK_EX) < 0) {
			error_errno("cannot lock '%s'", lock);
			goto out;
		}
	}
	if (worktree_ready(s) < 0)
		goto out;
	s->dir = xstrfmt("%s/records", s->wt);
	ret = 0;
out:
	if (ret < 0)
		store_release(s);
	buf_release(&b);
	buf_release(&name);
	free(dir);
	free(lock);
	return ret;
}

/*
 * The remote's branch into the worktree: its files checked out (detached)
 * and *tip its commit; or, when the remote has no such branch, an empty
 * index and tree and *tip empty.
 */
static int fetch_branch(struct store *s, struct buf *tip)
{
	char *ref = xstrfmt("refs/heads/%s", s->branch);
	const char *ls[] = { "ls-remote", "--exit-code", s->target, ref, NULL };
	const char *fetch[] = { "fetch",   "-q", "--no-tags", "--no-recurse-submodules",
				s->target, ref,	 NULL };
	const char *checkout[] = { "checkout", "-q", "--force", "--detach", "FETCH_HEAD", NULL };
	const char *empty[] = { "read-tree", "--empty", NULL };
	const char *clean[] = { "clean", "-q", "-f", "-d", "-x", NULL };
	const char *head[] = { "rev-parse", "--verify", "FETCH_HEAD^{commit}", NULL };
	int code, ret = -1;

	code = git_run(s, s->wt, ls, tip);
	if (code < 0)
		goto out;
	if (code == 2) { /* no such branch yet: the history starts empty */
		buf_reset(tip);
		if (git_ok(s, s->wt, empty, NULL) < 0 || git_ok(s, s->wt, clean, NULL) < 0)
			goto out;
		ret = 0;
		goto out;
	}
	if (code != 0) {
		char *why = last_reason(s);

		error("cannot reach remote '%s' of '%s' (git ls-remote: exit code %d)%s%s",
		      s->remote, s->repo, code, *why ? ": " : "", why);
		free(why);
		goto out;
	}
	if (git_ok(s, s->wt, fetch, NULL) < 0 || git_ok(s, s->wt, checkout, NULL) < 0 ||
	    git_ok(s, s->wt, clean, NULL) < 0 || git_ok(s, s->wt, head, tip) < 0)
		goto out;
	s->fetched = 1;
	ret = 0;
out:
	free(ref);
	return ret;
}

/* A pause before trying again, growing with the attempt, jittered so two
 * writers rejected together do not collide again. */
static void pause_before(int attempt)
{
	unsigned short r = 0;
	struct timespec ts;
	long ms;

	if (getrandom(&r, sizeof(r), 0) != (ssize_t)sizeof(r))
		r = (unsigned short)getpid();
	ms = 100L * attempt + r % 250;
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000L;
	nanosleep(&ts, NULL);
}

char *store_record_name(const struct record *r)
{
	struct buf b = BUF_INIT;
	unsigned char rnd[8];
	const char *p;
	size_t i;

	for (p = r->recorded ? r->recorded : ""; *p; p++)
		if ((*p >= '0' && *p <= '9') || *p == 'T' || *p == 'Z')
			buf_addch(&b, *p);
	if (!b.len)
		buf_adds(&b, "0");
	buf_addch(&b, '-');
	if (r->commit)
		buf_add(&b, r->commit, strlen(r->commit) < 12 ? strlen(r->commit) : 12);
	else {
		buf_adds(&b, "rev-");
		add_safe(&b, r->rev ? r->rev : "", 40);
	}
	if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd)) {
		/* no entropy source: time and pid still differ between writers */
		struct timespec ts;
		uint64_t x;

		clock_gettime(CLOCK_REALTIME, &ts);
		x = ((uint64_t)ts.tv_nsec << 20) ^ (uint64_t)ts.tv_sec ^ ((uint64_t)getpid() << 40);
		memcpy(rnd, &x, sizeof(rnd));
	}
	buf_addch(&b, '-');
	for (i = 0; i < sizeof(rnd); i++)
		buf_addf(&b, "%02x", rnd[i]);
	buf_adds(&b, ".json");
	return buf_detach(&b);
}

/* One try: commit the record on the fetched tip, push. 0 pushed, 1
 * rejected (try again), -1 after error(). */
static int add_once(struct store *s, const char *name, const struct buf *bytes, const char *msg)
{
	struct buf tip = BUF_INIT, tree = BUF_INIT, commit = BUF_INIT;
	char *rel = xstrfmt("records/%s", name), *path = xstrfmt("%s/%s", s->wt, rel);
	char *dst = NULL, *recs = xstrfmt("%s/records", s->wt);
	const char *add[] = { "add", "-f", "--", rel, NULL };
	const char *wtree[] = { "write-tree", NULL };
	const char *ctree[8];
	const char *push[] = { "push", "-q", "--no-verify", s->target, NULL, NULL };
	size_t n = 0;
	int code, ret = -1;

	if (fetch_branch(s, &tip) < 0 || fs_mkdir_p(recs) < 0 ||
	    file_write_atomic(path, bytes->s, bytes->len, WRITE_CHECKPOINT) < 0 ||
	    git_ok(s, s->wt, add, NULL) < 0 || git_ok(s, s->wt, wtree, &tree) < 0)
		goto out;
	ctree[n++] = "commit-tree";
	ctree[n++] = tree.s;
	if (tip.len) {
		ctree[n++] = "-p";
		ctree[n++] = tip.s;
	}
	ctree[n++] = "-m";
	ctree[n++] = msg;
	ctree[n] = NULL;
	if (git_ok(s, s->wt, ctree, &commit) < 0)
		goto out;
	dst = xstrfmt("%s:refs/heads/%s", commit.s, s->branch);
	push[4] = dst;
	s->pushes++;
	code = git_run(s, s->wt, push, NULL);
	if (code < 0)
		goto out;
	ret = code == 0 ? 0 : 1;
out:
	buf_release(&tip);
	buf_release(&tree);
	buf_release(&commit);
	free(rel);
	free(path);
	free(dst);
	free(recs);
	return ret;
}

int store_add(struct store *s, const char *record_path)
{
	struct record r;
	struct buf bytes = BUF_INIT;
	char *name = NULL, *path = NULL, *msg = NULL, *why;
	int ret = -1, attempt, got = 1;

	s->pushes = 0;
	if (record_read(&r, record_path) < 0)
		return -1;
	if (buf_read_file(&bytes, record_path) < 0) {
		error_errno("cannot read '%s'", record_path);
		goto out;
	}
	name = store_record_name(&r);
	if (!s->wt) {
		path = xstrfmt("%s/%s", s->dir, name);
		ret = file_write_atomic(path, bytes.s, bytes.len, WRITE_DURABLE);
		goto out;
	}
	msg = xstrfmt("spin-gate record: %s%s%.12s%s on %s", r.rev, r.commit ? " (" : "",
		      r.commit ? r.commit : "", r.commit ? ")" : "", r.runner.kind);
	for (attempt = 1; attempt <= STORE_PUSH_ATTEMPTS; attempt++) {
		got = add_once(s, name, &bytes, msg);
		if (got <= 0)
			break;
		why = last_reason(s);
		if (attempt < STORE_PUSH_ATTEMPTS) {
			note("the push to %s's branch '%s' was rejected (%s); fetching and trying "
			     "again (%d of %d)",
			     s->remote, s->branch, why, attempt + 1, STORE_PUSH_ATTEMPTS);
			pause_before(attempt);
		} else {
			error("cannot push the record to %s's branch '%s': rejected %d times, "
			      "the last: %s",
			      s->remote, s->branch, STORE_PUSH_ATTEMPTS, why);
		}
		free(why);
		if (proc_interrupted())
			break;
	}
	ret = got == 0 ? 0 : -1;
out:
	record_release(&r);
	buf_release(&bytes);
	free(name);
	free(path);
	free(msg);
	return ret;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int store_load(struct store *s, struct record **v, size_t *n)
{
	struct buf tip = BUF_INIT;
	char **names = NULL;
	size_t nnames = 0, i;
	struct dirent *de;
	DIR *d = NULL;
	int ret = -1;

	*v = NULL;
	*n = 0;
	if (s->wt && fetch_branch(s, &tip) < 0)
		goto out;
	d = opendir(s->dir);
	if (!d) {
		if (errno == ENOENT && s->wt) { /* a branch without records yet */
			ret = 0;
			goto out;
		}
		error_errno("cannot list '%s'", s->dir);
		goto out;
	}
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);

		if (de->d_name[0] == '.' || len < 6 || strcmp(de->d_name + len - 5, ".json"))
			continue;
		names = xrealloc(names, (nnames + 1) * sizeof(*names));
		names[nnames++] = xstrdup(de->d_name);
	}
	if (nnames)
		qsort(names, nnames, sizeof(*names), cmp_str);
	*v = xcalloc(nnames + 1, sizeof(**v));
	for (i = 0; i < nnames; i++) {
		char *path = xstrfmt("%s/%s", s->dir, names[i]);
		int got;

		msg_hold_errors(1);
		got = record_read(&(*v)[*n], path);
		msg_hold_errors(0);
		if (got < 0)
			warning("skipping '%s': %s", path, msg_last_error());
		else
			(*n)++;
		free(path);
	}
	ret = 0;
out:
	if (d)
		closedir(d);
	for (i = 0; i < nnames; i++)
		free(names[i]);
	free(names);
	buf_release(&tip);
	if (ret < 0 || !*n) {
		free(*v);
		*v = NULL;
	}
	return ret;
}

char *store_commit_date(const char *repo, const char *commit)
{
	const char *argv[] = {
		"git", "-C", repo, "show", "-s", "--format=%cI", commit, "--", NULL
	};
	struct buf b = BUF_INIT;

	if (proc_capture(argv, NULL, STORE_GIT_TIMEOUT, &b) < 0 || !b.len) {
		buf_release(&b);
		return NULL;
	}
	return buf_detach(&b);
}
