#ifndef SPIN_GATE_EVENT_H
#define SPIN_GATE_EVENT_H
/*
 * event: what `spin-gate post` needs from the GitHub Actions event payload
 * ($GITHUB_EVENT_PATH, a JSON file; its kind is $GITHUB_EVENT_NAME).
 *
 *   pull_request, pull_request_target, pull_request_review:
 *       pull_request.number, .base.sha, .head.sha,
 *       .base.repo.full_name, .head.repo.full_name
 *   workflow_run (the second workflow of the fork-safe pattern):
 *       workflow_run.pull_requests[0].number (empty for forks: use --pr),
 *       .head_sha, .head_repository.full_name vs .repository.full_name
 *   issue_comment on a pull request: issue.number
 *   anything else: no pull request (pr == 0)
 *
 * A pull request is from a fork when its head repository is not its base
 * repository, or the head repository is gone (null). Such runs get a
 * read-only token.
 *
 * Strings are owned by the struct; event_release() frees them.
 */
#include <stddef.h>

struct event {
	char *name;	/* GITHUB_EVENT_NAME as given, or NULL */
	long pr;	/* pull request number, 0 when none */
	char *base_sha; /* NULL when the payload has none */
	char *head_sha;
	char *base_repo; /* "owner/name" */
	char *head_repo;
	int fork; /* 1: head repository differs from base (read-only token) */
};

void event_init(struct event *ev);
void event_release(struct event *ev);

/*
 * Parse a payload. `name` is the event name (may be NULL: then only the
 * shape of the payload decides), `where` names the text in messages.
 * Returns 0 (also for events without a pull request), or -1 after error()
 * when the text is not JSON or a pull request's fields are malformed.
 */
int event_parse(struct event *ev, const char *name, const char *text, size_t len,
		const char *where);
/* event_parse() of a file. -1 after error() when it cannot be read. */
int event_read(struct event *ev, const char *name, const char *path);

#endif
