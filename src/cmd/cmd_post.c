/*
 * cmd_post: the command line of `spin-gate post`: its usage text and
 * options, filled into struct post_opts for post_run() (post.c, the
 * publishing stage; see post.h for what is done in which order).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "http.h"
#include "msg.h"
#include "opt.h"
#include "post.h"

static const char post_synopsis[] =
	"spin-gate post --verdict FILE [--results FILE] [--name NAME]\n"
	"                      [--comment sticky|new|off] [--token-env NAME] [--author LOGIN]\n"
	"                      [--pr NUMBER] [--check-run] [--api-url URL]\n"
	"                      [--artifact-url URL]";

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

static const struct opt_cmd post_cmd = {
	.name = "post",
	.synopsis = post_synopsis,
	.description = post_description,
	.footer = post_footer,
};

static int arg_pr(const struct opt *opt, const char *v)
{
	struct post_opts *o = opt->value;

	if (parse_long(v, &o->pr) < 0)
		return error("invalid --pr '%s': expected a pull request number", v);
	return 0;
}

static int arg_artifact_url(const struct opt *opt, const char *v)
{
	struct post_opts *o = opt->value;

	if (post_check_artifact_url(v) < 0)
		return -1;
	o->artifact_url = v;
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
		OPT_GATE_NAME(&o.name,
			      "gate name; the comment starts with <!-- spin-gate:NAME -->\n"
			      "(default: spin-gate)"),
		OPT_COMMENT_MODE(&o.comment,
				 "sticky: update this gate's comment, or create it (default)\n"
				 "new: a new comment every time; off: no comment"),
		OPT_TOKEN_ENV(&o.token_env,
			      "read the token from this variable (default: GITHUB_TOKEN);\n"
			      "the token is never taken from the command line"),
		OPT_STRING("author", 0, &o.author, "LOGIN",
			   "the token's login: only its comment is updated (default:\n"
			   "GitHub's answer to GET /user; github-actions[bot] for\n"
			   "Actions' GITHUB_TOKEN; else a new comment)"),
		OPT_CALLBACK("pr", 0, &o, "NUMBER", arg_pr,
			     "the pull request (default: from $GITHUB_EVENT_PATH);\n"
			     "needed in a workflow_run workflow for fork pull requests"),
		OPT_FLAG("check-run", 0, &o.check_run,
			 "also create a completed check run named NAME on the head\n"
			 "commit (needs 'checks: write')"),
		OPT_STRING("api-url", 0, &o.api_url, "URL",
			   "REST API root (default: $GITHUB_API_URL, else\n"
			   "https://api.github.com)"),
		OPT_CALLBACK("artifact-url", 0, &o, "URL", arg_artifact_url,
			     "where report.html and results.json were uploaded; a line\n"
			     "linking it goes under the verdict line (summary, comment,\n"
			     "check run)"),
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
