/*
 * cmd_post: `spin-gate post` and post_run(), which `spin-gate run --post`
 * shares. See post.h for what is done in which order.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actions.h"
#include "buf.h"
#include "cmd.h"
#include "event.h"
#include "github.h"
#include "json.h"
#include "msg.h"
#include "opt.h"
#include "post.h"
#include "render.h"

/* Annotations beyond this many are summed up in one line. */
#define MAX_ANNOTATIONS 50

static const char post_synopsis[] =
	"spin-gate post --verdict FILE [--results FILE] [--name NAME]\n"
	"                      [--comment sticky|new|off] [--token-env NAME] [--author LOGIN]\n"
	"                      [--pr NUMBER] [--check-run] [--api-url URL]";

static const char post_description[] =
	"Publish a verdict from a GitHub Actions job: append it to the job summary,\n"
	"annotate failed and inconclusive checks, comment on the pull request, and\n"
	"set the step outputs verdict, verdict-line, results, comment-url and\n"
	"check-run-url.\n";

static const char post_footer[] =
	"Environment: GITHUB_REPOSITORY, GITHUB_EVENT_NAME, GITHUB_EVENT_PATH, GITHUB_SHA,\n"
	"GITHUB_SERVER_URL, GITHUB_RUN_ID, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY;\n"
	"SPIN_GATE_HTTP_CONNECT_TIMEOUT, SPIN_GATE_HTTP_TIMEOUT, SPIN_GATE_HTTP_RETRIES,\n"
	"SPIN_GATE_HTTP_BACKOFF_BASE, SPIN_GATE_HTTP_BACKOFF_MAX,\n"
	"SPIN_GATE_HTTP_RATE_LIMIT_WAIT, SPIN_GATE_HTTP_DEADLINE (seconds).\n"
	"\n"
	"Exit status: 0 posted (or nothing to post, or a fork pull request's read-only\n"
	"token, explained in a warning); 2 usage error or unreadable input; 5 posting\n"
	"failed (the job summary and the files still have the verdict).\n";

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

/* Everything one post_run() works with. */
struct post {
	const struct post_opts *o;
	struct buf verdict; /* the markdown */
	char *verdict_word; /* pass, fail, inconclusive, error, or NULL */
	char *verdict_line; /* first line after the marker */
	char *marker;
	char *report_url;  /* the run's page, or NULL */
	const char *token; /* borrowed from the environment */
	const char *repo;
	struct event ev;
	long pr;
	int readonly; /* fork or Dependabot: the token cannot write */
	char *comment_url;
	char *check_run_url;
};

static const char *env(const char *name)
{
	const char *v = getenv(name);

	return v && *v ? v : NULL;
}

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

/* The first non-blank line after the marker, trimmed. Caller frees. */
static char *first_line(const char *md)
{
	const char *p = md, *e;

	if (!strncmp(p, "<!--", 4)) {
		p = strstr(p, "-->");
		p = p ? p + 3 : md + strlen(md);
	}
	while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
		p++;
	e = p + strcspn(p, "\r\n");
	while (e > p && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	return xstrndup(p, (size_t)(e - p));
}

/* "FAIL: ..." or the renderer's "**spin-gate: FAIL** - ..." -> "fail";
 * NULL when the line does not start with a verdict. */
static char *word_of_line(const char *line)
{
	static const char *const words[] = { "pass", "fail", "inconclusive", "error" };
	const char *colon;
	size_t i, n;

	while (*line == '*' || *line == '_' || *line == '#' || *line == ' ')
		line++;
	/* an optional gate name: "NAME: " with no space in NAME */
	colon = strstr(line, ": ");
	if (colon && colon - line < 128 && !memchr(line, ' ', (size_t)(colon - line)))
		line = colon + 2;
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		n = strlen(words[i]);
		if (!strncasecmp(line, words[i], n) &&
		    !((line[n] >= 'a' && line[n] <= 'z') || (line[n] >= 'A' && line[n] <= 'Z')))
			return xstrdup(words[i]);
	}
	return NULL;
}

/* Verdict word and annotations from results.json. */
static int read_results(struct post *p)
{
	const char *path = p->o->results_path, *v = NULL, *check, *scen, *status, *why;
	const cJSON *checks = NULL, *c;
	cJSON *root;
	struct buf title = BUF_INIT;
	unsigned shown = 0, skipped = 0, i = 0;
	char where[32];
	int ret = 0;

	root = json_parse_file(path);
	if (!root)
		return -1;
	if (json_get_string(root, "verdict", &v, JSON_OPTIONAL, path, "") < 0 ||
	    json_get_node(root, "checks", cJSON_Array, &checks, JSON_OPTIONAL, path, "") < 0) {
		ret = -1;
		goto out;
	}
	if (v) {
		free(p->verdict_word);
		p->verdict_word = xstrdup(v);
	}
	cJSON_ArrayForEach(c, checks) {
		check = scen = status = why = NULL;
		snprintf(where, sizeof(where), "checks[%u]", i++);
		if (json_get_string(c, "status", &status, JSON_OPTIONAL, path, where) < 0 ||
		    json_get_string(c, "check", &check, JSON_OPTIONAL, path, where) < 0 ||
		    json_get_string(c, "scenario", &scen, JSON_OPTIONAL, path, where) < 0 ||
		    json_get_string(c, "note", &why, JSON_OPTIONAL, path, where) < 0) {
			ret = -1;
			goto out;
		}
		if (!status || (strcmp(status, "fail") && strcmp(status, "error") &&
				strcmp(status, "inconclusive")))
			continue;
		if (shown >= MAX_ANNOTATIONS) {
			skipped++;
			continue;
		}
		buf_reset(&title);
		buf_addf(&title, "%s: %s %s", p->o->name, check ? check : "check",
			 !strcmp(status, "fail")    ? "failed"
			 : !strcmp(status, "error") ? "errored"
						    : "inconclusive");
		if (scen && *scen)
			buf_addf(&title, " on %s", scen);
		actions_annotate(strcmp(status, "inconclusive") ? ACTIONS_ERROR : ACTIONS_WARNING,
				 title.s, why && *why ? why : title.s);
		shown++;
	}
	if (skipped)
		actions_annotate(ACTIONS_WARNING, p->o->name,
				 "more failed or inconclusive checks: see the job summary");
out:
	buf_release(&title);
	cJSON_Delete(root);
	return ret;
}

/* Say what went wrong; EXIT_PASS for the read-only token case, EXIT_POST_ERROR otherwise. */
static int explain(const struct post *p, const char *what, const struct github_error *err)
{
	const char *msg = err->message ? err->message : "";
	struct buf b = BUF_INIT;

	if (err->status == 0)
		return error("cannot %s: cannot reach '%s': %s", what,
			     p->o->api_url	     ? p->o->api_url
			     : env("GITHUB_API_URL") ? env("GITHUB_API_URL")
						     : "https://api.github.com",
			     msg),
		       EXIT_POST_ERROR;
	if (err->status == 403 && strstr(msg, "Resource not accessible by integration") &&
	    p->readonly) {
		warning("cannot %s: the token of a pull request from a fork is read-only "
			"(403 Resource not accessible by integration)",
			what);
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
		      what, msg, p->repo, p->pr);
	else
		error("cannot %s: HTTP %ld: %s", what, err->status, msg);
	buf_addf(&b, "Cannot %s: HTTP %ld: %s", what, err->status, msg);
	actions_annotate(ACTIONS_ERROR, "spin-gate: posting failed", b.s);
	buf_release(&b);
	return EXIT_POST_ERROR;
}

/* Create or update the comment; retry once, shorter, when GitHub finds it too long. */
static int send_comment(struct post *p, struct github *gh, long long id, struct github_error *err)
{
	struct github_comment c = { 0, NULL };
	size_t max = GITHUB_COMMENT_MAX;
	char *body;
	int rc, tries;

	for (tries = 0; tries < 2; tries++) {
		body = github_truncate(p->verdict.s, max, p->report_url);
		if (tries == 0 && strlen(body) < p->verdict.len)
			note("the verdict is %zu bytes: the comment was cut to %zu", p->verdict.len,
			     strlen(body));
		rc = id ? github_comment_update(gh, id, body, &c, err)
			: github_comment_create(gh, p->pr, body, &c, err);
		free(body);
		if (rc == 0 || err->status != 422 || !err->message ||
		    !strstr(err->message, "too long"))
			break;
		/* GitHub may count differently (line ends as \r\n, characters): halve. */
		warning("GitHub found the comment too long (%s); retrying with %zu bytes",
			err->message, max / 2);
		max /= 2;
	}
	if (rc == 0) {
		free(p->comment_url);
		p->comment_url = c.html_url ? xstrdup(c.html_url) : NULL;
		note("%s comment %lld%s%s", id ? "updated" : "created", c.id,
		     c.html_url ? ": " : "", c.html_url ? c.html_url : "");
	}
	github_comment_release(&c);
	return rc;
}

static int post_comment(struct post *p, struct github *gh)
{
	struct github_error err = { 0, NULL, 0, 0 };
	struct github_comment found = { 0, NULL };
	const char *author = p->o->author;
	int rc = 0, ret = EXIT_PASS;

	if (!author && !strcmp(p->o->token_env, "GITHUB_TOKEN") && actions_enabled())
		author = "github-actions[bot]";
	if (p->o->comment == POST_COMMENT_STICKY) {
		rc = github_comment_find(gh, p->pr, p->marker, author, &found, &err);
		if (rc < 0) {
			ret = explain(p, "list the comments of the pull request", &err);
			goto out;
		}
	}
	if (send_comment(p, gh, rc == 1 ? found.id : 0, &err) < 0)
		ret = explain(p, rc == 1 ? "update the comment" : "comment on the pull request",
			      &err);
out:
	github_comment_release(&found);
	github_error_release(&err);
	return ret;
}

static const char *conclusion(const char *word)
{
	if (!word)
		return "neutral";
	if (!strcmp(word, "pass"))
		return "success";
	if (!strcmp(word, "inconclusive"))
		return "neutral";
	return "failure";
}

static int post_check_run(struct post *p, struct github *gh)
{
	struct github_error err = { 0, NULL, 0, 0 };
	struct github_check_run cr;
	const char *sha = p->ev.head_sha ? p->ev.head_sha : env("GITHUB_SHA");
	char *summary = NULL, *title = NULL, *url = NULL;
	int ret = EXIT_PASS;

	if (!sha) {
		warning("no check run: no head commit in the event and $GITHUB_SHA is not set");
		return EXIT_PASS;
	}
	summary = github_truncate(p->verdict.s, GITHUB_CHECK_SUMMARY_MAX, p->report_url);
	title = xstrndup(p->verdict_line,
			 github_utf8_cut(p->verdict_line, strlen(p->verdict_line), 200));
	cr.name = p->o->name;
	cr.head_sha = sha;
	cr.conclusion = conclusion(p->verdict_word);
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
	const char *api = o->api_url ? o->api_url : env("GITHUB_API_URL");
	const char *ev_path = env("GITHUB_EVENT_PATH"), *actor = env("GITHUB_ACTOR"), *c;
	struct github gh;
	int ret = EXIT_PASS, grouped = 0;

	if (!api)
		api = "https://api.github.com";
	p->token = env(o->token_env);
	if (!p->token)
		return error("no token: $%s is not set (pass the token in the environment, "
			     "see --token-env)",
			     o->token_env),
		       EXIT_POST_ERROR;
	for (c = p->token; *c; c++)
		if ((unsigned char)*c < 0x21 || *c == 0x7f)
			return error("the token in $%s contains blanks or control characters",
				     o->token_env),
			       EXIT_POST_ERROR;
	actions_add_mask(p->token);
	p->repo = env("GITHUB_REPOSITORY");
	if (!p->repo || !valid_repo(p->repo))
		return error("invalid $GITHUB_REPOSITORY '%s': expected owner/name",
			     p->repo ? p->repo : ""),
		       EXIT_POST_ERROR;
	if (strncmp(api, "https://", 8) && strncmp(api, "http://", 7))
		return error("invalid API URL '%s': expected http:// or https://", api),
		       EXIT_POST_ERROR;
	if (ev_path && event_read(&p->ev, env("GITHUB_EVENT_NAME"), ev_path) < 0)
		return EXIT_POST_ERROR;
	p->pr = o->pr ? o->pr : p->ev.pr;
	p->readonly = p->ev.fork || (actor && !strcmp(actor, "dependabot[bot]"));

	github_init(&gh, api, p->repo, p->token);
	if (github_config_from_env(&gh) < 0) {
		github_release(&gh);
		return EXIT_POST_ERROR;
	}
	if (actions_enabled()) {
		actions_group_begin("spin-gate: posting the verdict");
		grouped = 1;
	}
	if (o->comment != POST_COMMENT_OFF) {
		if (!p->pr)
			note("no comment: not a pull request (event '%s'); see --pr",
			     p->ev.name ? p->ev.name : "none");
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

int post_run(const struct post_opts *o)
{
	struct post p;
	const char *server = env("GITHUB_SERVER_URL"), *repo = env("GITHUB_REPOSITORY");
	const char *run_id = env("GITHUB_RUN_ID");
	int ret = EXIT_PASS;

	memset(&p, 0, sizeof(p));
	p.o = o;
	event_init(&p.ev);
	if (buf_read_file(&p.verdict, o->verdict_path) < 0) {
		error_errno("cannot read verdict '%s'", o->verdict_path);
		ret = EXIT_USAGE;
		goto out;
	}
	if (memchr(p.verdict.s, '\0', p.verdict.len)) {
		error("cannot read verdict '%s': it contains a NUL byte", o->verdict_path);
		ret = EXIT_USAGE;
		goto out;
	}
	/* First, so that whatever happens next the verdict is on the run's page. */
	if (actions_summary_append(p.verdict.s, p.verdict.len) < 0)
		ret = EXIT_POST_ERROR;

	{
		struct buf m = BUF_INIT;

		render_marker(&m, o->name);
		p.marker = buf_detach(&m);
	}
	if (strncmp(p.verdict.s, p.marker, strlen(p.marker))) {
		/* The renderer writes it; a hand-made verdict gets it here. */
		struct buf b = BUF_INIT;

		buf_addf(&b, "%s\n%s", p.marker, p.verdict.s);
		buf_release(&p.verdict);
		p.verdict = b;
	}
	p.verdict_line = first_line(p.verdict.s);
	p.verdict_word = word_of_line(p.verdict_line);
	if (o->results_path && read_results(&p) < 0) {
		ret = EXIT_USAGE;
		goto out;
	}
	if (server && repo && run_id)
		p.report_url = xstrfmt("%s/%s/actions/runs/%s", server, repo, run_id);

	if (o->comment != POST_COMMENT_OFF || o->check_run)
		ret = max_code(ret, post_remote(&p));

	if (actions_output("verdict", p.verdict_word ? p.verdict_word : "") < 0 ||
	    actions_output("verdict-line", p.verdict_line) < 0 ||
	    actions_output("results", o->results_path ? o->results_path : "") < 0 ||
	    actions_output("comment-url", p.comment_url ? p.comment_url : "") < 0 ||
	    actions_output("check-run-url", p.check_run_url ? p.check_run_url : "") < 0)
		ret = max_code(ret, EXIT_POST_ERROR);
	if (p.comment_url)
		printf("%s\n", p.comment_url);
out:
	buf_release(&p.verdict);
	free(p.verdict_word);
	free(p.verdict_line);
	free(p.marker);
	free(p.report_url);
	free(p.comment_url);
	free(p.check_run_url);
	event_release(&p.ev);
	return ret;
}

static int parse_long(const char *s, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v <= 0)
		return -1;
	*out = v;
	return 0;
}

static int valid_gate_name(const char *s)
{
	const char *p;

	if (!*s)
		return 0;
	for (p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || strchr("._-", *p)))
			return 0;
	return 1;
}

static const struct opt_cmd post_cmd = {
	.name = "post",
	.synopsis = post_synopsis,
	.description = post_description,
	.footer = post_footer,
};

static int arg_name(const struct opt *opt, const char *v)
{
	struct post_opts *o = opt->value;

	if (!valid_gate_name(v))
		return error("invalid --name '%s': expected letters, digits, '.', '_', '-'", v);
	o->name = v;
	return 0;
}

static int arg_comment(const struct opt *opt, const char *v)
{
	struct post_opts *o = opt->value;

	if (post_parse_mode(v, &o->comment) < 0)
		return error("invalid --comment '%s': expected sticky, new or off", v);
	return 0;
}

static int arg_token_env(const struct opt *opt, const char *v)
{
	struct post_opts *o = opt->value;

	if (!*v)
		return error("invalid --token-env '': expected a variable name");
	o->token_env = v;
	return 0;
}

static int arg_pr(const struct opt *opt, const char *v)
{
	struct post_opts *o = opt->value;

	if (parse_long(v, &o->pr) < 0)
		return error("invalid --pr '%s': expected a pull request number", v);
	return 0;
}

int cmd_post(int argc, char **argv)
{
	struct post_opts o = POST_OPTS_INIT;
	const struct opt opts[] = {
		OPT_STRING("verdict", 0, &o.verdict_path, "FILE",
			   "the verdict markdown (out/verdict.md); required"),
		OPT_STRING("results", 0, &o.results_path, "FILE",
			   "results.json, for the verdict output and annotations"),
		OPT_CALLBACK("name", 0, &o, "NAME", arg_name,
			     "gate name; the comment starts with <!-- spin-gate:NAME -->\n"
			     "(default: spin-gate)"),
		OPT_CALLBACK("comment", 0, &o, "MODE", arg_comment,
			     "sticky: update this gate's comment, or create it (default)\n"
			     "new: a new comment every time; off: no comment"),
		OPT_CALLBACK("token-env", 0, &o, "NAME", arg_token_env,
			     "read the token from this variable (default: GITHUB_TOKEN);\n"
			     "the token is never taken from the command line"),
		OPT_STRING("author", 0, &o.author, "LOGIN",
			   "only update a comment written by LOGIN (default under\n"
			   "Actions with GITHUB_TOKEN: github-actions[bot])"),
		OPT_CALLBACK("pr", 0, &o, "NUMBER", arg_pr,
			     "the pull request (default: from $GITHUB_EVENT_PATH);\n"
			     "needed in a workflow_run workflow for fork pull requests"),
		OPT_FLAG("check-run", 0, &o.check_run,
			 "also create a completed check run named NAME on the head\n"
			 "commit (needs 'checks: write')"),
		OPT_STRING("api-url", 0, &o.api_url, "URL",
			   "REST API root (default: $GITHUB_API_URL, else\n"
			   "https://api.github.com)"),
		OPT_END(),
	};
	int n, http_ready, ret;

	n = opt_parse(&post_cmd, opts, argc, argv);
	if (n == OPT_HELP)
		return EXIT_PASS;
	if (n < 0)
		return EXIT_USAGE;
	/* not echoed: a stray argument may be a value meant to stay out of the log */
	if (n > 0) {
		opt_error(&post_cmd, "post takes only options; %d other argument(s) given", n);
		return EXIT_USAGE;
	}
	if (!o.verdict_path) {
		opt_error(&post_cmd, "missing --verdict FILE");
		return EXIT_USAGE;
	}

	http_ready = http_global_init() == 0;
	if (!http_ready)
		warning("cannot initialise libcurl");
	ret = post_run(&o);
	if (http_ready)
		http_global_cleanup();
	return ret;
}
