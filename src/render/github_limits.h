#ifndef SPIN_GATE_GITHUB_LIMITS_H
#define SPIN_GATE_GITHUB_LIMITS_H
/*
 * github_limits: the size limits GitHub puts on what spin-gate publishes, in
 * one place, each with where it comes from. Numbers only: render (pure),
 * mdcut, actions and post include this without the HTTP client.
 *
 * GitHub counts characters where these say so; a UTF-8 text never has
 * fewer bytes than characters, so cutting to this many bytes always fits.
 */

/* An issue or pull request comment's body: 65536 characters (REST "Create
 * an issue comment"; a longer body is answered 422 "body is too long
 * (maximum is 65536 characters)"). Should GitHub still find a cut body too
 * long (it may count a line end as \r\n), post sends it once more cut to
 * half of this. */
#define GITHUB_COMMENT_MAX 65536

/* What render_md aims the whole comment at: past it the per-run sample
 * tables are left out. Below GITHUB_COMMENT_MAX so that the comment, once
 * escaped and with its marker, needs no cut in the usual case. */
#define GITHUB_COMMENT_TARGET 60000

/* A check run's output.summary (and output.text): "Maximum length: 65535
 * characters" (REST "Create a check run"). */
#define GITHUB_CHECK_SUMMARY_MAX 65535

/* A check run's output.title has no documented limit; spin-gate keeps the
 * verdict line there to this many bytes. */
#define GITHUB_CHECK_TITLE_MAX 200

/* The job summary ($GITHUB_STEP_SUMMARY): 1 MiB per step (workflow
 * commands, "Adding a job summary"; the runner refuses more: "supports
 * content up to a size of 1024k"). */
#define ACTIONS_SUMMARY_MAX (1024 * 1024)

/* Annotations: the Checks API takes at most 50 per request, and the runner
 * shows 10 warnings and 10 errors per step. post prints at most this many
 * ::error:: / ::warning:: lines and sums the rest up in one. */
#define ACTIONS_ANNOTATIONS_MAX 50

#endif
