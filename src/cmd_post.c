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
#include "post.h"

static const char usage_text[] =
	"usage: spin-gate post --verdict FILE [--results FILE] [--name NAME]\n"
	"                      [--comment sticky|new|off] [--token-env NAME] [--author LOGIN]\n"
	"                      [--pr NUMBER] [--check-run] [--api-url URL]\n"
	"\n"
	"Publish a verdict from a GitHub Actions job: append it to the job summary,\n"
	"annotate failed and inconclusive checks, comment on the pull request, and\n"
	"set the step outputs verdict, verdict-line, results, comment-url and\n"
	"check-run-url.\n"
	"\n"
	"  --verdict FILE     the verdict markdown (out/verdict.md); required\n"
	"  --results FILE     results.json, for the verdict output and annotations\n"
	"  --name NAME        gate name; the comment starts with <!-- spin-gate:NAME -->\n"
	"                     (default: spin-gate)\n"
	"  --comment MODE     sticky: update this gate's comment, or create it (default)\n"
	"                     new: a new comment every time; off: no comment\n"
	"  --token-env NAME   read the token from this variable (default: GITHUB_TOKEN);\n"
	"                     the token is never taken from the command line\n"
	"  --author LOGIN     only update a comment written by LOGIN (default under\n"
	"                     Actions with GITHUB_TOKEN: github-actions[bot])\n"
	"  --pr NUMBER        the pull request (default: from $GITHUB_EVENT_PATH);\n"
	"                     needed in a workflow_run workflow for fork pull requests\n"
	"  --check-run        also create a completed check run named NAME on the head\n"
	"                     commit (needs 'checks: write')\n"
	"  --api-url URL      REST API root (default: $GITHUB_API_URL, else\n"
	"                     https://api.github.com)\n"
	"  -h, --help         show this text\n"
	"\n"
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

/* --opt VALUE or --opt=VALUE; NULL when argv[*i] is not opt. */
static const char *opt_value(int argc, char **argv, int *i, const char *opt, int *missing)
{
	size_t n = strlen(opt);
	const char *a = argv[*i];

	/* argv[*i] is not NULL for *i < argc (C11 5.1.2.2.1) */
	// NOLINTNEXTLINE(clang-analyzer-core.NonNullParamChecker)
	if (strncmp(a, opt, n))
		return NULL;
	if (a[n] == '=')
		return a + n + 1;
	if (a[n])
		return NULL;
	if (*i + 1 >= argc) {
		*missing = 1;
		return NULL;
	}
	return argv[++*i];
}

int cmd_post(int argc, char **argv)
{
	struct post_opts o = POST_OPTS_INIT;
	const char *v;
	int i, missing = 0, http_ready, ret;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			fputs(usage_text, stdout);
			return EXIT_PASS;
		} else if ((v = opt_value(argc, argv, &i, "--verdict", &missing))) {
			o.verdict_path = v;
		} else if ((v = opt_value(argc, argv, &i, "--results", &missing))) {
			o.results_path = v;
		} else if ((v = opt_value(argc, argv, &i, "--name", &missing))) {
			if (!valid_gate_name(v))
				return error("invalid --name '%s': expected letters, digits, '.', "
					     "'_', '-'",
					     v),
				       EXIT_USAGE;
			o.name = v;
		} else if ((v = opt_value(argc, argv, &i, "--comment", &missing))) {
			if (post_parse_mode(v, &o.comment) < 0)
				return error("invalid --comment '%s': expected sticky, new or off",
					     v),
				       EXIT_USAGE;
		} else if ((v = opt_value(argc, argv, &i, "--token-env", &missing))) {
			if (!*v)
				return error("invalid --token-env '': expected a variable name"),
				       EXIT_USAGE;
			o.token_env = v;
		} else if ((v = opt_value(argc, argv, &i, "--author", &missing))) {
			o.author = v;
		} else if ((v = opt_value(argc, argv, &i, "--pr", &missing))) {
			if (parse_long(v, &o.pr) < 0)
				return error("invalid --pr '%s': expected a pull request number",
					     v),
				       EXIT_USAGE;
		} else if ((v = opt_value(argc, argv, &i, "--api-url", &missing))) {
			o.api_url = v;
		} else if (!strcmp(a, "--check-run")) {
			o.check_run = 1;
		} else if (!strcmp(a, "--token") || !strncmp(a, "--token=", 8)) {
			return error("the token is not accepted on the command line: put it in "
				     "$GITHUB_TOKEN or name its variable with --token-env"),
			       EXIT_USAGE;
		} else {
			if (missing)
				return error("option '%s' needs a value", a), EXIT_USAGE;
			return error("unknown option '%s' (see 'spin-gate post --help')", a),
			       EXIT_USAGE;
		}
		if (missing)
			return error("option '%s' needs a value", a), EXIT_USAGE;
	}
	if (missing)
		return error("option '%s' needs a value", argv[argc - 1]), EXIT_USAGE;
	if (!o.verdict_path)
		return error("missing --verdict FILE (see 'spin-gate post --help')"), EXIT_USAGE;

	http_ready = http_global_init() == 0;
	if (!http_ready)
		warning("cannot initialise libcurl");
	ret = post_run(&o);
	if (http_ready)
		http_global_cleanup();
	return ret;
}
