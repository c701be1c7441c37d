/*
 * post: the publishing stage: job summary, annotations, comment, check run,
 * outputs. See post.h; `spin-gate post` (cmd_post.c) and `spin-gate run
 * --post` call post_run().
 */
#include "post.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actions.h"
#include "buf.h"
#include "status.h"
#include "github.h"
#include "github_limits.h"
#include "mdcut.h"
#include "msg.h"
#include "render.h"
#include "results.h"
#include "status.h"

/* The login of Actions' own GITHUB_TOKEN: the comments it writes are this bot's. */
#define ACTIONS_BOT_LOGIN "github-actions[bot]"

/* Everything one post_run() works with. */
struct post {
	const struct post_opts *o;
	struct actions_env env;	   /* the runner's variables and the event */
	struct results_verdict rv; /* from results.json; empty without one */
	struct buf verdict;	   /* the markdown */
	char *verdict_line;	   /* first line after the marker */
	char *marker;
	char *report_url;  /* the run's page, or NULL */
	const char *token; /* borrowed from the environment */
	long pr;
	int readonly;	    /* fork or Dependabot: the token cannot write */
	int fork_explained; /* the two-workflow hint was printed */
	char *comment_url;
	char *check_run_url;
};

static int valid_repo(const char *s)
{
	const char *slash = strchr(s, '/'), *p;

	if (!slash || slash == s || !slash[1] || strchr(slash + 1, '/'))
		return 0;
	for (p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || strchr("._-/", *p)))
			return 0;
	return 1;
}

/* Where the verdict line starts, after a leading marker and blank lines. */
static const char *verdict_line_start(const char *md)
{
	const char *p = md;

	if (!strncmp(p, "<!--", 4)) {
		p = strstr(p, "-->");
		p = p ? p + 3 : md + strlen(md);
	}
	while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
		p++;
	return p;
}

char *post_verdict_line(const char *md)
{
	const char *p = verdict_line_start(md), *e;

	e = p + strcspn(p, "\r\n");
	while (e > p && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	return xstrndup(p, (size_t)(e - p));
}

int post_check_artifact_url(const char *url)
{
	const char *host, *c;

	if (!strncmp(url, "https://", 8))
		host = url + 8;
	else if (!strncmp(url, "http://", 7))
		host = url + 7;
	else
		return error("invalid --artifact-url: expected an http:// or https:// URL");
	if (!*host || *host == '/')
		return error("invalid --artifact-url: no host after the scheme");
	if (strlen(url) > POST_URL_MAX)
		return error("invalid --artifact-url: longer than %d bytes", POST_URL_MAX);
	/* not echoed: it would end the line or the link it is written into */
	for (c = url; *c; c++)
		if ((unsigned char)*c < 0x21 || *c == 0x7f || strchr("<>()\"'`", *c))
			return error("invalid --artifact-url: it contains blanks, control "
				     "characters or one of < > ( ) \" ' `");
	return 0;
}

char *post_add_report_link(const char *md, const char *url)
{
	const char *p = verdict_line_start(md), *e;
	struct buf b = BUF_INIT;

	e = p + strcspn(p, "\n");
	if (*e)
		e++;
	buf_add(&b, md, (size_t)(e - md));
	if (e == p || e[-1] != '\n')
		buf_addch(&b, '\n');
	buf_addf(&b,
		 "\nThe report (report.html, every run plotted, and results.json): "
		 "[download the artifact](%s)\n",
		 url);
	/* one blank line between the link and what follows */
	while (*e == '\r' || *e == '\n')
		e++;
	if (*e)
		buf_addch(&b, '\n');
	buf_adds(&b, e);
	return buf_detach(&b);
}

const char *post_verdict_word(const struct results_verdict *rv)
{
	return rv->has_verdict ? status_name(rv->verdict) : "";
}

const char *post_conclusion(const struct results_verdict *rv)
{
	return rv->has_verdict ? status_conclusion(rv->verdict) : "neutral";
}

void post_annotate(const char *name, const struct results_verdict *rv)
{
	struct buf title = BUF_INIT;
	unsigned shown = 0, skipped = 0;
	size_t i;

	for (i = 0; i < rv->nchecks; i++) {
		const struct stored_check *c = &rv->checks[i];

		if (c->status != STATUS_FAIL && c->status != STATUS_ERROR &&
		    c->status != STATUS_INCONCLUSIVE)
			continue;
		if (shown >= ACTIONS_ANNOTATIONS_MAX) {
			skipped++;
			continue;
		}
		buf_reset(&title);
		buf_addf(&title, "%s: %s %s", name, c->check ? c->check : "check",
			 status_verb(c->status));
		if (c->scenario && *c->scenario)
			buf_addf(&title, " on %s", c->scenario);
		actions_annotate(c->status == STATUS_INCONCLUSIVE ? ACTIONS_WARNING : ACTIONS_ERROR,
				 title.s, c->note && *c->note ? c->note : title.s);
		shown++;
	}
	if (skipped)
		actions_annotate(ACTIONS_WARNING, name,
				 "more failed or inconclusive checks: see the job summary");
	buf_release(&title);
}

static const char *api_url(const struct post *p)
{
	if (p->o->api_url)
		return p->o->api_url;
	return p->env.api_url ? p->env.api_url : "https://api.github.com";
}

/* Say what went wrong; EXIT_PASS for the read-only token case, EXIT_POST_ERROR otherwise. */
static int explain(struct post *p, const char *what, const struct github_error *err)
{
	const char *msg = err->message ? err->message : "";
	struct buf b = BUF_INIT;

	if (err->off_origin) {
		/* nothing was sent: not a network failure */
		error("cannot %s: %s", what, msg);
		buf_addf(&b, "Cannot %s: %s", what, msg);
		actions_annotate(ACTIONS_ERROR, "spin-gate: posting failed", b.s);
		buf_release(&b);
		return EXIT_POST_ERROR;
	}
	if (err->status == 0) {
		/* annotated like an HTTP error: the run's page must say posting failed */
		error("cannot %s: cannot reach '%s': %s", what, api_url(p), msg);
		buf_addf(&b, "Cannot %s: cannot reach '%s': %s", what, api_url(p), msg);
		actions_annotate(ACTIONS_ERROR, "spin-gate: posting failed", b.s);
		buf_release(&b);
		return EXIT_POST_ERROR;
	}
	if (err->status == 403 && strstr(msg, "Resource not accessible by integration") &&
	    p->readonly) {
		warning("cannot %s: the token of a pull request from a fork is read-only "
			"(403 Resource not accessible by integration)",
			what);
		/* once, though the comment and the check run both meet it */
		if (p->fork_explained)
			return EXIT_PASS;
		p->fork_explained = 1;
		warning("the verdict is in the job summary; to comment on fork pull requests, "
			"run the gate on pull_request and post from a workflow_run workflow "
			"(see the README)");
		buf_addf(&b,
			 "Cannot %s: pull requests from forks get a read-only token. "
			 "The verdict is in the job summary. To comment, post from a second "
			 "workflow "
			 "triggered by workflow_run (the two-workflow pattern).",
			 what);
		actions_annotate(ACTIONS_WARNING, "spin-gate: read-only token", b.s);
		buf_release(&b);
		return EXIT_PASS;
	}
	if (err->status == 401)
		error("cannot %s: GitHub rejected the token in $%s (401 %s): it is wrong, expired "
		      "or revoked",
		      what, p->o->token_env, msg);
	else if (err->status == 403 && strstr(msg, "Resource not accessible by integration"))
		error("cannot %s: 403 %s: the workflow's token lacks permission (add "
		      "'permissions: pull-requests: write', and 'checks: write' for --check-run)",
		      what, msg);
	else if (err->rate_limited)
		error("cannot %s: rate limited by GitHub (HTTP %ld: %s)", what, err->status, msg);
	else if (err->status == 404)
		error("cannot %s: 404 %s: no repository '%s' or pull request #%ld, or the token "
		      "cannot see it",
		      what, msg, p->env.repository, p->pr);
	else
		error("cannot %s: HTTP %ld: %s", what, err->status, msg);
	buf_addf(&b, "Cannot %s: HTTP %ld: %s", what, err->status, msg);
	actions_annotate(ACTIONS_ERROR, "spin-gate: posting failed", b.s);
	buf_release(&b);
	return EXIT_POST_ERROR;
}

/*
 * Create or update the comment; retry once, shorter, when GitHub finds it
 * too long. `owner` is the token's login, NULL when unknown: a lost POST
 * reply is then matched by body and time only, never by the marker.
 */
static int send_comment(struct post *p, struct github *gh, long long id, const char *owner,
			struct github_error *err)
{
	struct github_comment c = GITHUB_COMMENT_INIT;
	size_t max = GITHUB_COMMENT_MAX;
	char *body;
	int rc, tries;

	for (tries = 0; tries < 2; tries++) {
		body = mdcut_truncate(p->verdict.s, max, p->report_url);
		if (tries == 0 && strlen(body) < p->verdict.len)
			note("the verdict is %zu bytes: the comment was cut to %zu", p->verdict.len,
			     strlen(body));
		rc = id ? github_comment_update(gh, id, body, &c, err)
			: github_comment_create(gh, p->pr, body,
						p->o->comment == POST_COMMENT_STICKY ? p->marker
										     : NULL,
						owner, &c, err);
		free(body);
		if (rc >= 0 || err->status != 422 || !err->message ||
		    !strstr(err->message, "too long"))
			break;
		/* GitHub may count differently (line ends as \r\n, characters): halve. */
		warning("GitHub found the comment too long (%s); retrying with %zu bytes",
			err->message, max / 2);
		max /= 2;
	}
	if (rc >= 0) {
		free(p->comment_url);
		p->comment_url = c.html_url ? xstrdup(c.html_url) : NULL;
		/* 1: after a lost reply, a comment that appeared was PATCHed */
		note("%s comment %lld%s%s", id || rc == 1 ? "updated" : "created", c.id,
		     c.html_url ? ": " : "", c.html_url ? c.html_url : "");
	}
	github_comment_release(&c);
	return rc < 0 ? -1 : 0;
}

/*
 * The login the comment is written as, in *owner (caller frees), NULL when
 * it cannot be learnt: --author; else GitHub's answer to GET /user; else,
 * for Actions' own GITHUB_TOKEN (an installation token, which cannot read
 * /user), its bot. EXIT_PASS, or an exit code after explain().
 */
static int comment_owner(struct post *p, struct github *gh, char **owner)
{
	struct github_error err = GITHUB_ERROR_INIT;
	int rc, ret = EXIT_PASS;

	*owner = NULL;
	if (p->o->author) {
		*owner = xstrdup(p->o->author);
		return EXIT_PASS;
	}
	rc = github_user_login(gh, owner, &err);
	if (rc < 0) {
		ret = explain(p, "learn whose token this is (GET /user)", &err);
	} else if (rc == 0 && !strcmp(p->o->token_env, "GITHUB_TOKEN") && p->env.enabled) {
		*owner = xstrdup(ACTIONS_BOT_LOGIN);
	} else if (rc == 0 && p->o->comment == POST_COMMENT_STICKY) {
		note("cannot tell whose token $%s is (GET /user: HTTP %ld %s): creating a new "
		     "comment rather than updating one found by its marker alone (--author "
		     "LOGIN names whose comment to update)",
		     p->o->token_env, err.status, err.message ? err.message : "");
	}
	github_error_release(&err);
	return ret;
}

static int post_comment(struct post *p, struct github *gh)
{
	struct github_error err = GITHUB_ERROR_INIT;
	struct github_comment found = GITHUB_COMMENT_INIT;
	struct github_comment_match match = { NULL, NULL, NULL, 0 };
	char *owner = NULL;
	int rc = 0, ret;

	ret = comment_owner(p, gh, &owner);
	if (ret != EXIT_PASS)
		goto out;
	/* only ever a comment of the token's own login is updated */
	if (p->o->comment == POST_COMMENT_STICKY && owner) {
		match.marker = p->marker;
		match.author = owner;
		rc = github_comment_find(gh, p->pr, &match, &found, &err);
		if (rc < 0) {
			ret = explain(p, "list the comments of the pull request", &err);
			goto out;
		}
	}
	if (send_comment(p, gh, rc == 1 ? found.id : 0, owner, &err) < 0)
		ret = explain(p, rc == 1 ? "update the comment" : "comment on the pull request",
			      &err);
out:
	free(owner);
	github_comment_release(&found);
	github_error_release(&err);
	return ret;
}

static int post_check_run(struct post *p, struct github *gh)
{
	struct github_error err = GITHUB_ERROR_INIT;
	struct github_check_run cr;
	const char *sha = p->env.event.head_sha ? p->env.event.head_sha : p->env.sha;
	char *summary = NULL, *title = NULL, *url = NULL;
	int ret = EXIT_PASS;

	if (!sha) {
		warning("no check run: no head commit in the event and $GITHUB_SHA is not set");
		return EXIT_PASS;
	}
	summary = mdcut_truncate(p->verdict.s, GITHUB_CHECK_SUMMARY_MAX, p->report_url);
	title = xstrndup(p->verdict_line, mdcut_utf8(p->verdict_line, strlen(p->verdict_line),
						     GITHUB_CHECK_TITLE_MAX));
	cr.name = p->o->name;
	cr.head_sha = sha;
	cr.conclusion = post_conclusion(&p->rv);
	cr.title = *title ? title : p->o->name;
	cr.summary = summary;
	cr.details_url = p->report_url;
	if (github_check_run_create(gh, &cr, &url, &err) < 0) {
		ret = explain(p, "create the check run", &err);
	} else {
		p->check_run_url = url;
		note("created check run '%s' (%s)%s%s", cr.name, cr.conclusion, url ? ": " : "",
		     url ? url : "");
	}
	free(summary);
	free(title);
	github_error_release(&err);
	return ret;
}

static int max_code(int a, int b)
{
	return a > b ? a : b;
}

/* The parts that talk to GitHub. */
static int post_remote(struct post *p)
{
	const struct post_opts *o = p->o;
	const char *api = api_url(p), *c;
	struct github gh;
	int ret = EXIT_PASS, grouped = 0;

	p->token = getenv(o->token_env);
	if (!p->token || !*p->token) {
		error("no token: $%s is not set (pass the token in the environment, "
		      "see --token-env)",
		      o->token_env);
		return EXIT_POST_ERROR;
	}
	for (c = p->token; *c; c++) {
		if ((unsigned char)*c < 0x21 || *c == 0x7f) {
			error("the token in $%s contains blanks or control characters",
			      o->token_env);
			return EXIT_POST_ERROR;
		}
	}
	actions_add_mask(&p->env, p->token);
	if (!p->env.repository || !valid_repo(p->env.repository)) {
		error("invalid $GITHUB_REPOSITORY '%s': expected owner/name",
		      p->env.repository ? p->env.repository : "");
		return EXIT_POST_ERROR;
	}
	if (strncmp(api, "https://", 8) && strncmp(api, "http://", 7)) {
		error("invalid API URL '%s': expected http:// or https://", api);
		return EXIT_POST_ERROR;
	}
	if (actions_env_read_event(&p->env) < 0)
		return EXIT_POST_ERROR;
	p->pr = o->pr ? o->pr : p->env.event.pr;
	p->readonly =
		p->env.event.fork || (p->env.actor && !strcmp(p->env.actor, "dependabot[bot]"));

	github_init(&gh, api, p->env.repository, p->token);
	if (github_config_from_env(&gh) < 0) {
		github_release(&gh);
		return EXIT_POST_ERROR;
	}
	if (p->env.enabled) {
		actions_group_begin("spin-gate: posting the verdict");
		grouped = 1;
	}
	if (o->comment != POST_COMMENT_OFF) {
		if (!p->pr)
			note("no comment: not a pull request (event '%s'); see --pr",
			     p->env.event.name ? p->env.event.name : "none");
		else
			ret = max_code(ret, post_comment(p, &gh));
	}
	if (o->check_run)
		ret = max_code(ret, post_check_run(p, &gh));
	if (grouped)
		actions_group_end();
	github_release(&gh);
	return ret;
}

/* The verdict markdown, with the marker put first when it lacks one. */
static int read_verdict(struct post *p)
{
	const char *path = p->o->verdict_path;
	struct buf m = BUF_INIT;

	if (buf_read_file(&p->verdict, path) < 0)
		return error_errno("cannot read verdict '%s'", path);
	if (memchr(p->verdict.s, '\0', p->verdict.len))
		return error("cannot read verdict '%s': it contains a NUL byte", path);
	render_marker(&m, p->o->name);
	p->marker = buf_detach(&m);
	return 0;
}

/* What is published (the comment, the check run) has the secrets redacted. */
static void clean_verdict(struct post *p)
{
	size_t len;
	char *clean = msg_redact(p->verdict.s, p->verdict.len, &len);

	buf_reset(&p->verdict);
	buf_add(&p->verdict, clean, len);
	free(clean);
}

int post_run(const struct post_opts *o)
{
	struct post p;
	int ret = EXIT_PASS;

	memset(&p, 0, sizeof(p));
	p.o = o;
	/*
	 * Before anything is printed or written: the token is redacted from
	 * every message, annotation, output and the job summary (msg.h), also
	 * where nothing would mask it (outside Actions).
	 */
	msg_add_secret(getenv(o->token_env));
	actions_env_load(&p.env);
	results_verdict_init(&p.rv);
	if (read_verdict(&p) < 0) {
		ret = EXIT_USAGE;
		goto out;
	}
	if (o->artifact_url) {
		char *linked = post_add_report_link(p.verdict.s, o->artifact_url);

		buf_reset(&p.verdict);
		buf_adds(&p.verdict, linked);
		free(linked);
	}
	/* First, so that whatever happens next the verdict is on the run's page. */
	if (actions_summary_append(&p.env, p.verdict.s, p.verdict.len) < 0)
		ret = EXIT_POST_ERROR;

	if (strncmp(p.verdict.s, p.marker, strlen(p.marker))) {
		/* The renderer writes it; a hand-made verdict gets it here. */
		struct buf b = BUF_INIT;

		buf_addf(&b, "%s\n%s", p.marker, p.verdict.s);
		buf_release(&p.verdict);
		p.verdict = b;
	}
	clean_verdict(&p);
	p.verdict_line = post_verdict_line(p.verdict.s);
	if (o->results_path) {
		if (results_read_verdict(&p.rv, o->results_path) < 0) {
			ret = EXIT_USAGE;
			goto out;
		}
		post_annotate(o->name, &p.rv);
	}
	p.report_url = actions_env_run_url(&p.env);

	if (o->comment != POST_COMMENT_OFF || o->check_run)
		ret = max_code(ret, post_remote(&p));

	if (actions_output(&p.env, "verdict", post_verdict_word(&p.rv)) < 0 ||
	    actions_output(&p.env, "verdict-line", p.verdict_line) < 0 ||
	    actions_output(&p.env, "results", o->results_path ? o->results_path : "") < 0 ||
	    actions_output(&p.env, "comment-url", p.comment_url ? p.comment_url : "") < 0 ||
	    actions_output(&p.env, "check-run-url", p.check_run_url ? p.check_run_url : "") < 0)
		ret = max_code(ret, EXIT_POST_ERROR);
	if (p.comment_url) {
		char *url = msg_redact(p.comment_url, strlen(p.comment_url), NULL);

		printf("%s\n", url);
		free(url);
	}
out:
	buf_release(&p.verdict);
	free(p.verdict_line);
	free(p.marker);
	free(p.report_url);
	free(p.comment_url);
	free(p.check_run_url);
	results_verdict_release(&p.rv);
	actions_env_release(&p.env);
	return ret;
}

int post_check_token_env(const char *name)
{
	static const char *const token_prefixes[] = { "ghp_", "gho_", "ghs_",
						      "ghu_", "ghr_", "github_pat_" };
	size_t i, len = strlen(name);

	for (i = 0; i < sizeof(token_prefixes) / sizeof(*token_prefixes); i++)
		if (!strncmp(name, token_prefixes[i], strlen(token_prefixes[i])))
			return error("--token-env: that is a token, not the name of a variable "
				     "holding one (put the token in the environment, e.g. "
				     "GITHUB_TOKEN, and give that name)");
	if (!len || len > 64 || (name[0] >= '0' && name[0] <= '9') ||
	    strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") != len)
		return error("--token-env: expected the name of an environment variable (letters, "
			     "digits and '_'), such as GITHUB_TOKEN");
	return 0;
}

int post_parse_mode(const char *s, enum post_comment_mode *out)
{
	if (!strcmp(s, "sticky"))
		*out = POST_COMMENT_STICKY;
	else if (!strcmp(s, "new"))
		*out = POST_COMMENT_NEW;
	else if (!strcmp(s, "off"))
		*out = POST_COMMENT_OFF;
	else
		return -1;
	return 0;
}

int post_opt_name(const struct opt *o, const char *arg)
{
	const char *p;

	for (p = arg; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || strchr("._-", *p)))
			break;
	if (!*arg || *p)
		return error("invalid --name '%s': expected letters, digits, '.', '_', '-'", arg);
	*(const char **)o->value = arg;
	return 0;
}

int post_opt_comment(const struct opt *o, const char *arg)
{
	if (post_parse_mode(arg, o->value) < 0)
		return error("invalid --comment '%s': expected sticky, new or off", arg);
	return 0;
}

int post_opt_token_env(const struct opt *o, const char *arg)
{
	if (post_check_token_env(arg) < 0)
		return -1;
	*(const char **)o->value = arg;
	return 0;
}
