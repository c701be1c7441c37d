#include "hyperfine.h"

#include "buf.h"
#include "json.h"
#include "msg.h"
#include "proc.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* How much of hyperfine's messages to read back for an error. */
#define HF_TAIL 4096

static int shell_safe(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
			    "_@%+=:,./-",
			    *s))
			return 0;
	return 1;
}

void hyperfine_quote_argv(struct buf *out, const char *const *argv)
{
	size_t i;

	for (i = 0; argv[i]; i++) {
		const char *s;

		if (i)
			buf_addch(out, ' ');
		if (shell_safe(argv[i])) {
			buf_adds(out, argv[i]);
			continue;
		}
		buf_addch(out, '\'');
		for (s = argv[i]; *s; s++) {
			if (*s == '\'')
				buf_adds(out, "'\\''");
			else
				buf_addch(out, *s);
		}
		buf_addch(out, '\'');
	}
}

static int export_number(const cJSON *arr, const char *name, const char *where, double *out)
{
	const cJSON *v = cJSON_GetArrayItem(arr, 0);

	if (!v)
		return error("'%s': %s: empty", name, where);
	if (!cJSON_IsNumber(v))
		return error("'%s': %s[0]: expected a number", name, where);
	*out = v->valuedouble;
	return 0;
}

int hyperfine_parse_export(const char *text, size_t len, const char *name, struct sample *s)
{
	const cJSON *results, *r, *times, *codes, *code;
	struct sample t = *s;
	cJSON *root;
	int ret = -1;

	root = json_parse_text(text, len, name);
	if (!root)
		return -1;
	if (!cJSON_IsObject(root)) {
		error("'%s': expected an object", name);
		goto out;
	}
	if (json_get_node(root, "results", cJSON_Array, &results, JSON_REQUIRED, name, "") < 0)
		goto out;
	r = cJSON_GetArrayItem(results, 0);
	if (!r) {
		error("'%s': results: empty", name);
		goto out;
	}
	if (!cJSON_IsObject(r)) {
		error("'%s': results[0]: expected an object", name);
		goto out;
	}
	if (json_get_node(r, "times", cJSON_Array, &times, JSON_REQUIRED, name, "results[0]") < 0 ||
	    export_number(times, name, "results[0].times", &t.wall) < 0 ||
	    json_get_number(r, "user", &t.user, JSON_REQUIRED, name, "results[0]") < 0 ||
	    json_get_number(r, "system", &t.sys, JSON_REQUIRED, name, "results[0]") < 0 ||
	    json_get_node(r, "exit_codes", cJSON_Array, &codes, JSON_REQUIRED, name, "results[0]") <
		    0)
		goto out;
	code = cJSON_GetArrayItem(codes, 0);
	if (!code) {
		error("'%s': results[0].exit_codes: empty", name);
		goto out;
	}
	if (cJSON_IsNull(code)) {
		t.exit_code = -1; /* hyperfine could not tell */
	} else if (cJSON_IsNumber(code) && code->valuedouble >= INT_MIN &&
		   code->valuedouble <= INT_MAX) {
		t.exit_code = (int)code->valuedouble;
	} else {
		error("'%s': results[0].exit_codes[0]: expected a number", name);
		goto out;
	}
	t.timed_out = 0;
	*s = t;
	ret = 0;
out:
	cJSON_Delete(root);
	return ret;
}

/* A new empty file `dir`/spin-gate-hf-XXXXXX`suffix` with an absolute name
 * (hyperfine runs in another directory); NULL after error(). */
static char *temp_file(const char *dir, const char *suffix)
{
	char *abs = realpath(dir, NULL);
	char *path;
	int fd;

	if (!abs) {
		error_errno("cannot use temporary directory '%s'", dir);
		return NULL;
	}
	path = xstrfmt("%s/spin-gate-hf-XXXXXX%s", abs, suffix);
	free(abs);
	fd = mkostemps(path, (int)strlen(suffix), O_CLOEXEC);
	if (fd < 0) {
		error_errno("cannot create a temporary file in '%s'", dir);
		free(path);
		return NULL;
	}
	close(fd);
	return path;
}

static off_t file_size(const char *path)
{
	struct stat st;

	return stat(path, &st) < 0 ? 0 : st.st_size;
}

/*
 * The last non-empty line hyperfine wrote to `path` after offset `from`
 * ("Error: Command terminated with ..."), or a stand-in. Caller frees.
 */
static char *last_line(const char *path, off_t from)
{
	struct buf b = BUF_INIT;
	char *nl, *ret;
	off_t size = file_size(path);
	int fd;

	if (size - from > HF_TAIL)
		from = size - HF_TAIL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0 && lseek(fd, from, SEEK_SET) == from) {
		ssize_t n;

		buf_grow(&b, HF_TAIL);
		n = read(fd, b.s, HF_TAIL);
		if (n > 0) {
			b.len = (size_t)n;
			b.s[b.len] = '\0';
		}
	}
	if (fd >= 0)
		close(fd);
	while (b.len && strchr("\n\r \t", b.s[b.len - 1]))
		b.s[--b.len] = '\0';
	nl = b.len ? strrchr(b.s, '\n') : NULL;
	ret = xstrdup(!b.len ? "no message" : nl ? nl + 1 : b.s);
	buf_release(&b);
	return ret;
}

static void sample_lost(struct sample *s)
{
	s->wall = NAN;
	s->user = NAN;
	s->sys = NAN;
	s->exit_code = -1;
}

int hyperfine_run_once(const struct hyperfine_opts *o, const char *const *argv, struct sample *s)
{
	const char *hf = o->hyperfine ? o->hyperfine : "hyperfine";
	const char *tmpdir = o->tmpdir;
	struct buf cmd = BUF_INIT, json = BUF_INIT;
	char *export = NULL, *log = NULL, *why = NULL;
	struct proc p = PROC_INIT;
	const char *hargv[16];
	const char *log_path;
	off_t log_from;
	size_t n = 0;
	int ret = -1;

	if (!argv || !argv[0])
		return error("no command to time");
	if (!tmpdir)
		tmpdir = getenv("TMPDIR");
	if (!tmpdir || !*tmpdir)
		tmpdir = "/tmp";
	hyperfine_quote_argv(&cmd, argv);
	export = temp_file(tmpdir, ".json");
	if (!export)
		goto out;
	/*
	 * --output <FILE> would truncate the file and drop the command's
	 * stderr, so with an output file the command inherits hyperfine's
	 * stdout and stderr, both appended to it; hyperfine's own messages
	 * land there too and are read back from where this run began.
	 */
	if (o->output) {
		log_path = o->output;
	} else {
		log = temp_file(tmpdir, ".log");
		if (!log)
			goto out;
		log_path = log;
	}
	log_from = file_size(log_path);

	hargv[n++] = hf;
	hargv[n++] = "-N";
	hargv[n++] = "--runs";
	hargv[n++] = "1";
	hargv[n++] = "--ignore-failure";
	hargv[n++] = "--style";
	hargv[n++] = "none";
	hargv[n++] = "--export-json";
	hargv[n++] = export;
	hargv[n++] = "--output";
	hargv[n++] = o->output ? "inherit" : "null";
	hargv[n++] = "--";
	hargv[n++] = cmd.s;
	hargv[n] = NULL;

	p.argv = hargv;
	p.cwd = o->cwd;
	p.env = o->env;
	p.timeout = o->timeout;
	p.out_path = log_path;
	p.quiet = 1;
	p.cgroup = o->cgroup;
	if (proc_run(&p) < 0)
		goto out;
	if (o->in_cgroup)
		*o->in_cgroup = p.in_cgroup;
	if (p.interrupted)
		goto out; /* the caller reports the signal */
	if (o->left) {
		o->left->processes = p.left_behind;
		o->left->cpu = p.orphans_user + p.orphans_sys;
	}
	if (p.usage.measured) {
		/* hyperfine and its one run: hyperfine mostly waits */
		s->vcsw = (double)p.usage.vcsw;
		s->ivcsw = (double)p.usage.ivcsw;
		s->max_rss = (double)p.usage.max_rss;
		s->minflt = (double)p.usage.minflt;
		s->majflt = (double)p.usage.majflt;
	}
	if (p.timed_out) {
		sample_lost(s);
		s->timed_out = 1;
		ret = 0;
		goto out;
	}
	if (p.exit_code != 0) {
		why = last_line(log_path, log_from);
		if (p.term_signal)
			error("hyperfine was killed by signal %d timing '%s': %s", p.term_signal,
			      cmd.s, why);
		else
			error("hyperfine failed timing '%s': %s", cmd.s, why);
		goto out;
	}
	if (buf_read_file(&json, export) < 0) {
		error_errno("cannot read hyperfine export '%s'", export);
		goto out;
	}
	if (hyperfine_parse_export(json.s, json.len, export, s) < 0)
		goto out;
	/* hyperfine counts what the command waited for; what it left is the
	 * gate's (proc_subreaper) and belongs to this run too */
	s->user += p.orphans_user;
	s->sys += p.orphans_sys;
	ret = 0;
out:
	if (export)
		unlink(export);
	if (log)
		unlink(log);
	free(export);
	free(log);
	free(why);
	proc_release(&p);
	buf_release(&cmd);
	buf_release(&json);
	return ret;
}

/* Whether `name` names an executable file: as a path when it has a '/',
 * else in $PATH (as proc_run() would look it up). */
static int executable(const char *name)
{
	const char *path = getenv("PATH"), *p, *colon;
	struct buf full = BUF_INIT;
	struct stat st;
	int found = 0;

	if (strchr(name, '/'))
		return stat(name, &st) == 0 && S_ISREG(st.st_mode) && access(name, X_OK) == 0;
	for (p = path && *path ? path : "/usr/bin:/bin"; !found; p = colon + 1) {
		colon = strchr(p, ':');
		if (!colon)
			colon = p + strlen(p);
		buf_reset(&full);
		if (colon == p) /* an empty entry is the current directory */
			buf_addf(&full, "./%s", name);
		else
			buf_addf(&full, "%.*s/%s", (int)(colon - p), p, name);
		found = stat(full.s, &st) == 0 && S_ISREG(st.st_mode) && access(full.s, X_OK) == 0;
		if (!*colon)
			break;
	}
	buf_release(&full);
	return found;
}

char *hyperfine_version(const char *hyperfine)
{
	const char *name = hyperfine ? hyperfine : "hyperfine";
	const char *argv[] = { name, "--version", NULL };
	struct proc p = PROC_INIT;
	struct buf out = BUF_INIT;
	size_t eol;

	if (!executable(name)) {
		error("cannot run '%s': not found; install hyperfine (Debian: apt-get install "
		      "hyperfine)",
		      name);
		goto fail;
	}
	p.argv = argv;
	p.timeout = 10;
	p.capture = &out;
	p.quiet = 1;
	if (proc_run(&p) < 0)
		goto fail;
	eol = strcspn(out.s ? out.s : "", "\r\n");
	if (p.timed_out) {
		error("'%s' is not a working hyperfine: '%s --version' did not finish in 10 s",
		      name, name);
		goto fail;
	}
	if (p.exit_code != 0) {
		if (p.term_signal)
			error("'%s' is not a working hyperfine: '%s --version' was killed by %s",
			      name, name, proc_signal_name(p.term_signal));
		else
			error("'%s' is not a working hyperfine: '%s --version' exited with %d",
			      name, name, p.exit_code);
		goto fail;
	}
	if (!out.s || eol < 11 || strncmp(out.s, "hyperfine ", 10)) {
		error("'%s' is not a working hyperfine: '%s --version' printed '%.*s', not "
		      "'hyperfine VERSION'",
		      name, name, (int)(eol > 80 ? 80 : eol), out.s ? out.s : "");
		goto fail;
	}
	out.s[eol] = '\0';
	out.len = eol;
	proc_release(&p);
	return buf_detach(&out);
fail:
	proc_release(&p);
	buf_release(&out);
	return NULL;
}
