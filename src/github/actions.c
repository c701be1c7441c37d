/*
 * actions: workflow commands, outputs and the job summary. See actions.h.
 */
#include "actions.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "mdcut.h"
#include "msg.h"

static FILE *cmd_stream;

static FILE *out_stream(void)
{
	return cmd_stream ? cmd_stream : stdout;
}

void actions_set_stream(FILE *f)
{
	cmd_stream = f;
}

void actions_env_init(struct actions_env *env)
{
	memset(env, 0, sizeof(*env));
	event_init(&env->event);
}

/* A copy of the variable, NULL when unset or empty. */
static char *getenv_dup(const char *name)
{
	const char *v = getenv(name);

	return v && *v ? xstrdup(v) : NULL;
}

void actions_env_load(struct actions_env *env)
{
	const char *v = getenv("GITHUB_ACTIONS");

	actions_env_init(env);
	env->enabled = v && !strcmp(v, "true");
	env->api_url = getenv_dup("GITHUB_API_URL");
	env->server_url = getenv_dup("GITHUB_SERVER_URL");
	env->repository = getenv_dup("GITHUB_REPOSITORY");
	env->run_id = getenv_dup("GITHUB_RUN_ID");
	env->sha = getenv_dup("GITHUB_SHA");
	env->actor = getenv_dup("GITHUB_ACTOR");
	env->event_name = getenv_dup("GITHUB_EVENT_NAME");
	env->event_path = getenv_dup("GITHUB_EVENT_PATH");
	env->output = getenv_dup("GITHUB_OUTPUT");
	env->step_summary = getenv_dup("GITHUB_STEP_SUMMARY");
}

void actions_env_release(struct actions_env *env)
{
	free(env->api_url);
	free(env->server_url);
	free(env->repository);
	free(env->run_id);
	free(env->sha);
	free(env->actor);
	free(env->event_name);
	free(env->event_path);
	free(env->output);
	free(env->step_summary);
	event_release(&env->event);
	actions_env_init(env);
}

int actions_env_read_event(struct actions_env *env)
{
	if (!env->event_path)
		return 0;
	return event_read(&env->event, env->event_name, env->event_path);
}

char *actions_env_run_url(const struct actions_env *env)
{
	if (!env->server_url || !env->repository || !env->run_id)
		return NULL;
	return xstrfmt("%s/%s/actions/runs/%s", env->server_url, env->repository, env->run_id);
}

static void escape(struct buf *out, const char *s, int property)
{
	for (; *s; s++) {
		switch (*s) {
		case '%': buf_adds(out, "%25"); break;
		case '\r': buf_adds(out, "%0D"); break;
		case '\n': buf_adds(out, "%0A"); break;
		case ':':
			if (property) {
				buf_adds(out, "%3A");
				break;
			}
			buf_addch(out, *s);
			break;
		case ',':
			if (property) {
				buf_adds(out, "%2C");
				break;
			}
			buf_addch(out, *s);
			break;
		default: buf_addch(out, *s);
		}
	}
}

void actions_escape_data(struct buf *out, const char *s)
{
	escape(out, s, 0);
}

void actions_escape_property(struct buf *out, const char *s)
{
	escape(out, s, 1);
}

/* A copy of s with the registered secrets (msg.h) redacted; NULL stays NULL. */
static char *redacted(const char *s)
{
	return s ? msg_redact(s, strlen(s), NULL) : NULL;
}

/* `raw`: the message is written as is (::add-mask:: must carry the secret). */
static void command(const char *cmd, const char *title, const char *message, int raw)
{
	struct buf b = BUF_INIT;
	FILE *f = out_stream();
	char *t = redacted(title), *m = raw ? NULL : redacted(message);

	/* Our own diagnostics may sit unflushed in stderr's order; keep ours whole. */
	fflush(stderr);
	buf_addf(&b, "::%s", cmd);
	if (t) {
		buf_adds(&b, " title=");
		actions_escape_property(&b, t);
	}
	buf_adds(&b, "::");
	actions_escape_data(&b, raw ? message : m ? m : "");
	buf_addch(&b, '\n');
	fwrite(b.s, 1, b.len, f);
	fflush(f);
	buf_release(&b);
	free(t);
	free(m);
}

void actions_annotate(enum actions_level level, const char *title, const char *message)
{
	static const char *const names[] = { "notice", "warning", "error" };

	command(names[level], title, message, 0);
}

void actions_add_mask(const struct actions_env *env, const char *secret)
{
	if (!env->enabled || !secret || !*secret)
		return;
	command("add-mask", NULL, secret, 1);
}

void actions_group_begin(const char *title)
{
	command("group", NULL, title, 0);
}

void actions_group_end(void)
{
	command("endgroup", NULL, "", 0);
}

static int valid_name(const char *name)
{
	const char *p;

	if (!*name)
		return 0;
	for (p = name; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '_' || *p == '-'))
			return 0;
	return 1;
}

char *actions_delimiter(const char *value)
{
	unsigned char r[16];
	struct buf b = BUF_INIT;
	size_t i;

	do {
		if (getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r)) {
			/* never expected; a clock-based value is still checked below */
			unsigned long long t =
				(unsigned long long)time(NULL) ^ (unsigned long long)getpid();

			for (i = 0; i < sizeof(r); i++)
				r[i] = (unsigned char)(t >> (i % 8 * 8)) ^
				       (unsigned char)(i * 37 + b.len);
		}
		buf_reset(&b);
		buf_adds(&b, "ghadelimiter_");
		for (i = 0; i < sizeof(r); i++)
			buf_addf(&b, "%02x", r[i]);
	} while (strstr(value, b.s));
	return buf_detach(&b);
}

static int append_file(const char *path, const char *data, size_t len)
{
	int fd, ret = 0;
	size_t off = 0;
	ssize_t n;

	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return error_errno("cannot write '%s'", path);
	while (off < len) {
		n = write(fd, data + off, len - off);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			ret = error_errno("cannot write '%s'", path);
			break;
		}
		off += (size_t)n;
	}
	if (close(fd) < 0 && !ret)
		ret = error_errno("cannot write '%s'", path);
	return ret;
}

int actions_output_to(const char *path, const char *name, const char *value)
{
	struct buf b = BUF_INIT;
	char *delim = NULL, *clean;
	int ret;

	if (!valid_name(name))
		return error("invalid output name '%s'", name);
	/* a comment's URL comes from the server: redacted like everything printed */
	clean = redacted(value);
	value = clean;
	if (strchr(value, '\n') || strchr(value, '\r')) {
		delim = actions_delimiter(value);
		buf_addf(&b, "%s<<%s\n%s\n%s\n", name, delim, value, delim);
	} else {
		buf_addf(&b, "%s=%s\n", name, value);
	}
	ret = append_file(path, b.s, b.len);
	free(delim);
	free(clean);
	buf_release(&b);
	return ret;
}

int actions_output(const struct actions_env *env, const char *name, const char *value)
{
	if (!env->output)
		return 0;
	return actions_output_to(env->output, name, value);
}

static const char summary_note[] = "\n\n---\n:warning: The rest of this report was cut to fit the "
				   "job summary's limit of 1 MiB.\n";

int actions_summary_append_to(const char *path, const char *md, size_t len, size_t max)
{
	struct stat st;
	size_t have = 0, room, cut;
	struct buf b = BUF_INIT;
	char *clean;
	int ret;

	/* redacted before the cut, which measures what is written */
	clean = msg_redact(md, len, &len);
	md = clean;
	if (stat(path, &st) == 0)
		have = (size_t)st.st_size;
	room = have < max ? max - have : 0;
	if (len + 1 <= room) {
		buf_add(&b, md, len);
		if (!len || md[len - 1] != '\n')
			buf_addch(&b, '\n');
	} else if (room > sizeof(summary_note)) {
		cut = mdcut_utf8(md, len, room - sizeof(summary_note));
		/* a whole line when there is one */
		while (cut > 0 && md[cut - 1] != '\n' && cut > (room - sizeof(summary_note)) / 2)
			cut--;
		if (cut == 0 || md[cut - 1] != '\n')
			cut = mdcut_utf8(md, len, room - sizeof(summary_note));
		buf_add(&b, md, cut);
		buf_adds(&b, summary_note);
	} else {
		warning("no room left in the job summary '%s' (%zu bytes used)", path, have);
		free(clean);
		return 0;
	}
	ret = append_file(path, b.s, b.len);
	buf_release(&b);
	free(clean);
	return ret;
}

int actions_summary_append(const struct actions_env *env, const char *md, size_t len)
{
	if (!env->step_summary)
		return 0;
	return actions_summary_append_to(env->step_summary, md, len, ACTIONS_SUMMARY_MAX);
}
