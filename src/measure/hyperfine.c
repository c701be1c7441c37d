#include "hyperfine.h"

#include "buf.h"
#include "json.h"
#include "msg.h"
#include "proc.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
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

/* What is being read, for messages: "'F' (hyperfine 2.0.0, schema 2): ". */
struct export_ctx {
	const char *name;
	const char *version; /* "hyperfine 2.0.0", or NULL: unknown */
	int schema;	     /* 0 until known */
};

static int export_error(const struct export_ctx *x, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static int export_error(const struct export_ctx *x, const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;

	buf_addf(&b, "'%s'", x->name);
	if (x->version && x->schema)
		buf_addf(&b, " (%s, schema %d)", x->version, x->schema);
	else if (x->version)
		buf_addf(&b, " (%s)", x->version);
	else if (x->schema)
		buf_addf(&b, " (schema %d)", x->schema);
	buf_adds(&b, ": ");
	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	error("%s", b.s);
	buf_release(&b);
	return -1;
}

static const char *type_name(int type)
{
	switch (type) {
	case cJSON_Object: return "an object";
	case cJSON_Array: return "an array";
	case cJSON_Number: return "a number";
	case cJSON_String: return "a string";
	default: return "a value";
	}
}

/* obj's member `key` of `type` (where.key in messages): 0 and *out, or -1
 * after export_error() when missing or of another type. */
static int export_member(const struct export_ctx *x, const cJSON *obj, const char *where,
			 const char *key, int type, const cJSON **out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	/* -1 written out, not export_error()'s: the analyzer does not follow
	 * a variadic call's return value, and *out is unset on this path */
	if (!v) {
		export_error(x, "%s%s%s: missing", where, *where ? "." : "", key);
		return -1;
	}
	if ((v->type & 0xff) != type) {
		export_error(x, "%s%s%s: expected %s", where, *where ? "." : "", key,
			     type_name(type));
		return -1;
	}
	*out = v;
	return 0;
}

/* Element 0 of array `arr` (named `where`), of `type`. */
static int export_first(const struct export_ctx *x, const cJSON *arr, const char *where, int type,
			const cJSON **out)
{
	const cJSON *v = cJSON_GetArrayItem(arr, 0);

	if (!v) { /* -1 written out: see export_member() */
		export_error(x, "%s: empty", where);
		return -1;
	}
	if ((v->type & 0xff) != type) {
		export_error(x, "%s[0]: expected %s", where, type_name(type));
		return -1;
	}
	*out = v;
	return 0;
}

/* An exit code: a number (a whole number in int's range), or null: -1. */
static int export_exit_code(const struct export_ctx *x, const cJSON *code, const char *where,
			    int *out)
{
	if (cJSON_IsNull(code)) {
		*out = -1; /* hyperfine could not tell */
		return 0;
	}
	if (!cJSON_IsNumber(code) ||
	    !(code->valuedouble >= INT_MIN && code->valuedouble <= INT_MAX)) {
		export_error(x, "%s: expected a number", where);
		return -1;
	}
	*out = (int)code->valuedouble;
	return 0;
}

/* Schema 1 (hyperfine 1.x): results[0].times[0], user, system, exit_codes[0].
 * user and system are means over the invocation: one run, so that run's. */
static int read_schema1(const struct export_ctx *x, const cJSON *r, struct sample *t)
{
	const cJSON *times, *user, *sys, *codes, *v;

	if (export_member(x, r, "results[0]", "times", cJSON_Array, &times) < 0 ||
	    export_first(x, times, "results[0].times", cJSON_Number, &v) < 0)
		return -1;
	t->wall = v->valuedouble;
	if (export_member(x, r, "results[0]", "user", cJSON_Number, &user) < 0 ||
	    export_member(x, r, "results[0]", "system", cJSON_Number, &sys) < 0 ||
	    export_member(x, r, "results[0]", "exit_codes", cJSON_Array, &codes) < 0)
		return -1;
	t->user = user->valuedouble;
	t->sys = sys->valuedouble;
	v = cJSON_GetArrayItem(codes, 0);
	if (!v)
		return export_error(x, "results[0].exit_codes: empty");
	return export_exit_code(x, v, "results[0].exit_codes[0]", &t->exit_code);
}

/* A schema 2 metric of run m: { "value": N, "unit": "second" }; the unit,
 * when given, must be seconds (2.0 writes base units; another would scale
 * every figure silently). */
static int read_seconds(const struct export_ctx *x, const cJSON *m, const char *key, double *out)
{
	const char *where = "results[0].measurements[0]";
	const cJSON *metric, *value, *unit;
	struct buf w = BUF_INIT;
	int ret = -1;

	if (export_member(x, m, where, key, cJSON_Object, &metric) < 0)
		return -1;
	buf_addf(&w, "%s.%s", where, key);
	if (export_member(x, metric, w.s, "value", cJSON_Number, &value) < 0)
		goto out;
	unit = cJSON_GetObjectItemCaseSensitive(metric, "unit");
	if (unit && !(cJSON_IsString(unit) && !strcmp(unit->valuestring, "second"))) {
		export_error(x, "%s.unit: expected \"second\"", w.s);
		goto out;
	}
	*out = value->valuedouble;
	ret = 0;
out:
	buf_release(&w);
	return ret;
}

/* Schema 2 (hyperfine 2.x): results[0].measurements[0], one object per run
 * with time_wall_clock, time_user and time_system ({ value, unit }) and
 * exit_code. memory_peak_resident and the hardware counters are not read:
 * the sample's max_rss and faults come from proc's rusage on every version. */
static int read_schema2(const struct export_ctx *x, const cJSON *r, struct sample *t)
{
	const cJSON *runs, *m, *code;

	if (export_member(x, r, "results[0]", "measurements", cJSON_Array, &runs) < 0 ||
	    export_first(x, runs, "results[0].measurements", cJSON_Object, &m) < 0 ||
	    read_seconds(x, m, "time_wall_clock", &t->wall) < 0 ||
	    read_seconds(x, m, "time_user", &t->user) < 0 ||
	    read_seconds(x, m, "time_system", &t->sys) < 0)
		return -1;
	code = cJSON_GetObjectItemCaseSensitive(m, "exit_code");
	if (!code)
		return export_error(x, "results[0].measurements[0].exit_code: missing");
	return export_exit_code(x, code, "results[0].measurements[0].exit_code", &t->exit_code);
}

int hyperfine_parse_export(const char *text, size_t len, const char *name, const char *version,
			   struct sample *s)
{
	struct export_ctx x = { name, version, 0 };
	const cJSON *results, *r, *schema, *meta, *v;
	struct sample t = *s;
	char *file_version = NULL;
	cJSON *root;
	int ret = -1;

	root = json_parse_text(text, len, name);
	if (!root)
		return -1;
	if (!cJSON_IsObject(root)) {
		export_error(&x, "expected an object");
		goto out;
	}
	/* 2.x names itself; 1.x does not (the caller's `hyperfine --version`) */
	meta = cJSON_GetObjectItemCaseSensitive(root, "metadata");
	v = cJSON_IsObject(meta) ? cJSON_GetObjectItemCaseSensitive(meta, "hyperfine_version")
				 : NULL;
	if (v && cJSON_IsString(v) && *v->valuestring) {
		file_version = xstrfmt("hyperfine %.40s", v->valuestring);
		x.version = file_version;
	}
	schema = cJSON_GetObjectItemCaseSensitive(root, "schema_version");
	if (!schema) {
		x.schema = 1; /* 1.x wrote none */
	} else if (!cJSON_IsNumber(schema) ||
		   !(schema->valuedouble >= 0 && schema->valuedouble <= 1e6) ||
		   floor(schema->valuedouble) != schema->valuedouble) {
		export_error(&x, "schema_version: expected a whole number");
		goto out;
	} else if (schema->valuedouble != 1 && schema->valuedouble != 2) {
		export_error(&x,
			     "schema_version %d is not one spin-gate reads (1: hyperfine 1.x, 2: "
			     "hyperfine 2.x); use hyperfine %s",
			     (int)schema->valuedouble, HYPERFINE_SUPPORTED);
		goto out;
	} else {
		x.schema = (int)schema->valuedouble;
	}
	if (export_member(&x, root, "", "results", cJSON_Array, &results) < 0 ||
	    export_first(&x, results, "results", cJSON_Object, &r) < 0)
		goto out;
	if ((x.schema == 1 ? read_schema1(&x, r, &t) : read_schema2(&x, r, &t)) < 0)
		goto out;
	t.timed_out = 0;
	*s = t;
	ret = 0;
out:
	free(file_version);
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

/* Why a run could not be timed, where its reader looks: a line at the end
 * of the command's log (else a log that may be empty says nothing) and
 * o->why. The text is the error just printed. */
static void tell_failure(const struct hyperfine_opts *o)
{
	const char *text = msg_last_error();

	if (o->why) {
		buf_reset(o->why);
		buf_adds(o->why, text);
	}
	if (o->output) {
		struct buf line = BUF_INIT;
		int fd = open(o->output, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);

		buf_addf(&line, "spin-gate: error: %s\n", text);
		/* best effort: the message is on stderr and in o->why already */
		if (fd >= 0) {
			ssize_t w = write(fd, line.s, line.len);

			(void)w;
			close(fd);
		}
		buf_release(&line);
	}
}

int hyperfine_run_once(const struct hyperfine_opts *o, const char *const *argv, struct sample *s)
{
	const char *hf = o->hyperfine ? o->hyperfine : "hyperfine";
	const char *tmpdir = o->tmpdir;
	struct buf cmd = BUF_INIT, json = BUF_INIT;
	char *export = NULL, *log = NULL, *why = NULL, *kept = NULL;
	struct proc p = PROC_INIT;
	const char *hargv[16];
	const char *log_path;
	off_t log_from;
	size_t n = 0;
	int ret = -1;

	if (!argv || !argv[0]) {
		error("no command to time");
		tell_failure(o);
		return -1;
	}
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
		error_errno("cannot read the export of %s '%s'",
			    o->version ? o->version : "hyperfine", export);
		goto out;
	}
	/* an export the reader refuses is kept beside the log, for whoever
	 * reads the message naming it */
	if (o->output)
		kept = xstrfmt("%s.hyperfine.json", o->output);
	if (hyperfine_parse_export(json.s, json.len, kept ? kept : export, o->version, s) < 0) {
		if (kept && rename(export, kept) < 0)
			warning("cannot keep hyperfine's export as '%s': %s", kept,
				strerror(errno));
		goto out;
	}
	/* hyperfine counts what the command waited for; what it left is the
	 * gate's (proc_subreaper) and belongs to this run too */
	s->user += p.orphans_user;
	s->sys += p.orphans_sys;
	ret = 0;
out:
	if (ret < 0 && !p.interrupted)
		tell_failure(o);
	if (export)
		unlink(export);
	if (log)
		unlink(log);
	free(export);
	free(log);
	free(why);
	free(kept);
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
	eol = strcspn(out.s, "\r\n");
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
		      name, name, (int)(eol > 80 ? 80 : eol), out.s);
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

int hyperfine_parse_version(const char *line, struct hyperfine_version *v)
{
	const char *p;
	char *end;
	long n[3] = { 0, 0, 0 };
	int i;

	if (!line || strncmp(line, "hyperfine ", 10))
		return -1;
	p = line + 10;
	for (i = 0; i < 3; i++) {
		if (*p < '0' || *p > '9')
			return -1;
		errno = 0;
		n[i] = strtol(p, &end, 10);
		if (errno || n[i] > 100000)
			return -1;
		p = end;
		if (i == 2 || *p != '.')
			break;
		p++;
	}
	if (i == 0) /* "hyperfine 2": no minor */
		return -1;
	v->major = (int)n[0];
	v->minor = (int)n[1];
	v->patch = (int)n[2];
	return 0;
}

int hyperfine_check_version(const char *hyperfine, const char *line)
{
	static const char install[] =
		"install one (Debian 12 and Ubuntu 24.04: apt-get install hyperfine; any Linux: "
		"pip install astral-dev-toolchain-hyperfine, or cargo install --locked hyperfine) "
		"and give it with --hyperfine PATH if it is not the first in PATH";
	const char *name = hyperfine ? hyperfine : "hyperfine";
	struct hyperfine_version v;

	if (hyperfine_parse_version(line, &v) < 0)
		return error("'%s' printed '%.80s' as its version, which spin-gate cannot read: it "
			     "reads hyperfine %s; %s",
			     name, line ? line : "", HYPERFINE_SUPPORTED, install);
	if (v.major < HYPERFINE_MIN_MAJOR ||
	    (v.major == HYPERFINE_MIN_MAJOR && v.minor < HYPERFINE_MIN_MINOR))
		return error("'%s' is %s, older than spin-gate reads (hyperfine %s): %s", name,
			     line, HYPERFINE_SUPPORTED, install);
	if (v.major > HYPERFINE_MAX_MAJOR)
		return error(
			"'%s' is %s, newer than spin-gate reads (hyperfine %s; its export may be "
			"a schema spin-gate does not know): %s",
			name, line, HYPERFINE_SUPPORTED, install);
	return 0;
}
