#ifndef SPIN_GATE_POST_H
#define SPIN_GATE_POST_H
/*
 * post: publish a verdict from GitHub Actions: the job summary, annotations,
 * step outputs, a comment on the pull request, optionally a check run.
 * `spin-gate post` (cmd_post() in cmd_post.c) and `spin-gate run --post`
 * both call post_run().
 *
 * Order, so that a failure to post never loses the verdict:
 *   1. the verdict markdown is appended to $GITHUB_STEP_SUMMARY (1 MiB max);
 *   2. ::error:: / ::warning:: annotations for failed or errored / inconclusive checks
 *      of results.json (when given);
 *   3. the comment (unless off) and the check run (when asked);
 *   4. outputs to $GITHUB_OUTPUT: verdict, verdict-line, results,
 *      comment-url, check-run-url.
 *
 * Environment: GITHUB_API_URL (default https://api.github.com),
 * GITHUB_REPOSITORY, GITHUB_EVENT_NAME, GITHUB_EVENT_PATH, GITHUB_SHA,
 * GITHUB_SERVER_URL + GITHUB_RUN_ID (the run's URL, named in a cut
 * comment), GITHUB_ACTIONS, GITHUB_ACTOR, the token variable
 * (opts.token_env), and the SPIN_GATE_HTTP_* variables of github.h.
 *
 * Returns an exit code of cmd.h: EXIT_PASS when everything asked for was
 * posted, or when the only failure is the read-only token of a fork (or
 * Dependabot) pull request, which is explained in warnings; EXIT_USAGE when
 * the verdict or results file cannot be read; EXIT_POST_ERROR for any other
 * failure to post (the summary and files are still written).
 */

enum post_comment_mode {
	POST_COMMENT_STICKY = 0, /* one comment per pull request and gate name, updated */
	POST_COMMENT_NEW,	 /* a new comment every time */
	POST_COMMENT_OFF,	 /* no comment */
};

struct post_opts {
	const char *verdict_path; /* required: verdict.md */
	const char *results_path; /* results.json, or NULL */
	const char *name;	  /* gate name, in the marker <!-- spin-gate:NAME --> */
	enum post_comment_mode comment;
	const char *token_env; /* variable holding the token */
	const char *api_url;   /* overrides $GITHUB_API_URL, or NULL */
	const char *author;    /* login of the sticky comment's author, or NULL */
	long pr;	       /* pull request number; 0: from the event */
	int check_run;	       /* also create a check run on the head commit */
};

#define POST_OPTS_INIT                                                                         \
	{                                                                                      \
		NULL, NULL, "spin-gate", POST_COMMENT_STICKY, "GITHUB_TOKEN", NULL, NULL, 0, 0 \
	}

int post_run(const struct post_opts *o);

/* "sticky", "new", "off" -> mode. -1 (no message) for anything else. */
int post_parse_mode(const char *s, enum post_comment_mode *out);

#endif
