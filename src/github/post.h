#ifndef SPIN_GATE_POST_H
#define SPIN_GATE_POST_H
/*
 * post: the publishing stage (post.c): publish a verdict from GitHub
 * Actions: the job summary, annotations, step outputs, a comment on the
 * pull request, optionally a check run. `spin-gate post` (cmd_post.c, only
 * its command line) and `spin-gate run --post` both call post_run().
 *
 * It works on loaded structs: the runner's environment (struct actions_env
 * of actions.h, the event payload included) and the judgement stored in
 * results.json (struct results_verdict of results.h). The verdict word
 * (the `verdict` output, the check run's conclusion) comes from
 * results.json's "verdict" through status.h's table, never from the
 * markdown: without --results it is empty and the conclusion neutral.
 *
 * With an artifact URL (--artifact-url: where the action uploaded
 * report.html and results.json), a line linking it is put under the
 * verdict line before anything is published: the job summary, the comment
 * and the check run all have it, and a cut comment keeps it (it is the
 * first line after the verdict line, see mdcut.h).
 *
 * Order, so that a failure to post never loses the verdict:
 *   1. the verdict markdown is appended to $GITHUB_STEP_SUMMARY (1 MiB max);
 *   2. ::error:: / ::warning:: annotations for failed or errored / inconclusive checks
 *      of results.json (when given);
 *   3. the comment (unless off) and the check run (when asked). The
 *      comment is written as the token's login (opts.author, else GET
 *      /user, else github-actions[bot] for Actions' GITHUB_TOKEN), and only
 *      a comment of that login is ever updated; a login that cannot be
 *      learnt gets a note and a new comment;
 *   4. outputs to $GITHUB_OUTPUT: verdict, verdict-line, results,
 *      comment-url, check-run-url.
 *
 * Environment: GITHUB_API_URL (default https://api.github.com),
 * GITHUB_REPOSITORY, GITHUB_EVENT_NAME, GITHUB_EVENT_PATH, GITHUB_SHA,
 * GITHUB_SERVER_URL + GITHUB_RUN_ID (the run's URL, named in a cut
 * comment), GITHUB_ACTIONS, GITHUB_ACTOR, the token variable
 * (opts.token_env), and the SPIN_GATE_HTTP_* variables of github.h.
 *
 * The token is registered with msg_add_secret() (msg.h) first of all, so
 * it is redacted from everything written afterwards, even where nothing
 * masks it.
 *
 * Returns an exit code of cmd.h: EXIT_PASS when everything asked for was
 * posted, or when the only failure is the read-only token of a fork (or
 * Dependabot) pull request, which is explained in warnings; EXIT_USAGE when
 * the verdict or results file cannot be read; EXIT_POST_ERROR for any other
 * failure to post (the summary and files are still written).
 */

#include "opt.h"

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
	const char *token_env;	  /* variable holding the token */
	const char *api_url;	  /* overrides $GITHUB_API_URL, or NULL */
	const char *author;	  /* the token's login, or NULL: asked of GitHub */
	long pr;		  /* pull request number; 0: from the event */
	int check_run;		  /* also create a check run on the head commit */
	const char *artifact_url; /* the uploaded report.html + results.json, or NULL */
};

#define POST_OPTS_INIT                                                                          \
	{                                                                                       \
		NULL, NULL, "spin-gate", POST_COMMENT_STICKY, "GITHUB_TOKEN", NULL, NULL, 0, 0, \
			NULL                                                                    \
	}

int post_run(const struct post_opts *o);

/* ---- the pure parts of post_run(), for tests ---- */

struct results_verdict;

/* The verdict's first line (the `verdict-line` output, the check run's
 * title): the first non-blank line after a leading <!-- marker -->,
 * trimmed. Caller frees. */
char *post_verdict_line(const char *md);

/* The `verdict` output: status_name() of the stored verdict, "" when
 * results.json has none (or was not given). Borrowed. */
const char *post_verdict_word(const struct results_verdict *rv);

/* The check run's conclusion: status_conclusion() of the stored verdict,
 * "neutral" when there is none. Borrowed. */
const char *post_conclusion(const struct results_verdict *rv);

/* One annotation per failed or errored (::error::) and inconclusive
 * (::warning::) check, titled "NAME: CHECK failed on SCENARIO", with the
 * check's note as text; past ACTIONS_ANNOTATIONS_MAX (github_limits.h) one
 * ::warning:: sums up the rest. Written with actions_annotate(). */
void post_annotate(const char *name, const struct results_verdict *rv);

/*
 * Checks a --token-env value: a variable's name ([A-Za-z_][A-Za-z0-9_]*, at
 * most 64 characters) that does not look like a token itself (ghp_, gho_,
 * ghs_, ghu_, ghr_, github_pat_). 0, or -1 after an error() that never
 * repeats the value: it may be the secret, put there by mistake.
 */
int post_check_token_env(const char *name);

/*
 * Checks an --artifact-url value: http:// or https://, a host, at most
 * POST_URL_MAX bytes, and nothing that would end a markdown link or a line:
 * no blanks, control characters, '<', '>', '(', ')', '"', '\'' or '`'.
 * 0, or -1 after an error() naming the option.
 */
#define POST_URL_MAX 2048
int post_check_artifact_url(const char *url);

/*
 * The verdict markdown `md` with the line
 *   "The report (report.html, every run plotted, and results.json): [download the artifact](URL)"
 * put under its verdict line (the first non-blank line after a leading
 * <!-- marker -->), between blank lines. `url` must have passed
 * post_check_artifact_url(). Caller frees.
 */
char *post_add_report_link(const char *md, const char *url);

/* "sticky", "new", "off" -> mode. -1 (no message) for anything else. */
int post_parse_mode(const char *s, enum post_comment_mode *out);

/*
 * The options every command that names a gate or posts declares alike,
 * their values checked here once, whatever command takes them (values
 * borrowed from argv):
 *   OPT_GATE_NAME(const char **, help)   --name NAME: letters, digits, '.',
 *                                        '_', '-' (it is the comment's
 *                                        marker, <!-- spin-gate:NAME -->)
 *   OPT_COMMENT_MODE(enum post_comment_mode *, help)   --comment MODE
 *   OPT_TOKEN_ENV(const char **, help)   --token-env NAME (post_check_token_env)
 * Errors: "invalid --name 'x': expected letters, digits, '.', '_', '-'",
 * "invalid --comment 'x': expected sticky, new or off".
 */
int post_opt_name(const struct opt *o, const char *arg);
int post_opt_comment(const struct opt *o, const char *arg);
int post_opt_token_env(const struct opt *o, const char *arg);
#define OPT_GATE_NAME(v, h)    OPT_CALLBACK("name", 0, (v), "NAME", post_opt_name, (h))
#define OPT_COMMENT_MODE(v, h) OPT_CALLBACK("comment", 0, (v), "MODE", post_opt_comment, (h))
#define OPT_TOKEN_ENV(v, h)    OPT_CALLBACK("token-env", 0, (v), "NAME", post_opt_token_env, (h))

#endif
