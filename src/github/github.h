#ifndef SPIN_GATE_GITHUB_H
#define SPIN_GATE_GITHUB_H
/*
 * github: a small GitHub REST API client for what `spin-gate post` needs:
 * list, create and update issue comments on a pull request, create a check
 * run; plus the pure helpers it relies on (Link header, marker search, error
 * messages), which are unit-tested and fuzzed on their own. Cutting a body
 * to GitHub's limits is mdcut.h's; the limits are in github_limits.h.
 *
 *   struct github gh;
 *
 *   github_init(&gh, "https://api.github.com", "owner/repo", token);
 *   if (github_config_from_env(&gh) < 0) ...
 *   if (github_comment_find(&gh, 12, "<!-- spin-gate:perf -->", NULL, &c, &err) < 0)
 *           explain(&err);
 *   ...
 *   github_error_release(&err);
 *   github_release(&gh);
 *
 * Every request carries the headers GitHub documents:
 *
 *   Accept: application/vnd.github+json
 *   Authorization: Bearer TOKEN
 *   X-GitHub-Api-Version: 2022-11-28
 *   User-Agent: spin-gate/VERSION
 *
 * and only goes to the origin of `api_url` (a Link header pointing anywhere
 * else is refused, so the token is never sent elsewhere). The token is never
 * printed.
 *
 * Retries (github_request()): network errors (including timeouts) and 500,
 * 502, 503, 504 are retried up to `retries` times with exponential backoff
 * and full jitter: base * 2^attempt, capped at backoff_max, times a random
 * factor in [0.5, 1]. Rate limits (429, or 403 with rate-limit signs) wait
 * what GitHub asks, in this order: Retry-After (seconds, or an HTTP-date
 * plus a second for clock skew); else, when
 * X-RateLimit-Remaining is 0, until X-RateLimit-Reset (epoch seconds); else
 * at least rate_limit_wait seconds (secondary limits). Nothing waits past
 * `deadline` seconds from github_init(): a wait that would pass it is not
 * started, and each transfer's total timeout is cut to what is left.
 *
 * A POST is not idempotent. When its outcome is unknown (a 5xx, or a
 * network error after the request may have reached the server: a timeout,
 * an empty reply; not a refused connection or an unknown host), a comment
 * is not posted again blindly: github_comment_create() lists the comments
 * again first (github_request_recheck()) and looks for the one it may have
 * created. A check run's POST is retried as before: GitHub shows the latest
 * check run of a name on a commit, so a second one replaces the first in
 * the pull request's checks.
 *
 * GitHub's clock: every answer's Date header is kept (struct github's
 * `date`), so that "newer than this attempt" is judged on GitHub's clock,
 * against the created_at GitHub writes, not on the runner's
 * (github_server_time()).
 *
 * Environment (github_config_from_env(), seconds, decimals allowed; for
 * tests and slow networks):
 *
 *   SPIN_GATE_HTTP_CONNECT_TIMEOUT   connect timeout of one transfer (10)
 *   SPIN_GATE_HTTP_TIMEOUT           total timeout of one transfer (30)
 *   SPIN_GATE_HTTP_RETRIES           retries after the first try, 0-20 (4)
 *   SPIN_GATE_HTTP_BACKOFF_BASE      first backoff (1)
 *   SPIN_GATE_HTTP_BACKOFF_MAX       longest single backoff (30)
 *   SPIN_GATE_HTTP_RATE_LIMIT_WAIT   least wait on a secondary rate limit (60)
 *   SPIN_GATE_HTTP_DEADLINE          all requests of one github struct (300)
 */
#include <stddef.h>
#include <time.h>

#include "buf.h"
#include "github_limits.h"
#include "http.h"
#include "version.h"

#define GITHUB_API_VERSION "2022-11-28"

struct github {
	char *api_url; /* no trailing slash */
	char *repo;    /* "owner/name" */
	char *token;   /* a copy, wiped by github_release() */
	char *user_agent;

	double connect_timeout; /* seconds */
	double timeout;
	int retries;
	double backoff_base;
	double backoff_max;
	double rate_limit_wait;
	double deadline;

	/* Boundaries, replaced by unit tests: the transfer, sleeping, the
	 * monotonic clock (seconds), the wall clock (epoch seconds), and a
	 * random number in [0, 1). Defaults are the real ones. */
	int (*perform)(const struct http_request *req, struct http_response *res);
	void (*sleep)(double seconds);
	double (*monotonic)(void);
	time_t (*wall)(void);
	double (*random)(void);

	double started;	   /* monotonic() at github_init() */
	unsigned requests; /* transfers made, retries included */

	/* The Date header of the last answer that had one (epoch seconds; 0
	 * before any) and monotonic() when that answer came. */
	time_t date;
	double date_at;
};

/* Copies its arguments. api_url loses trailing slashes. */
void github_init(struct github *gh, const char *api_url, const char *repo, const char *token);
void github_release(struct github *gh);
/* Apply the SPIN_GATE_HTTP_* variables. -1 after error() for a bad value. */
int github_config_from_env(struct github *gh);

/* What went wrong with a request, for the caller to explain. */
struct github_error {
	long status;   /* HTTP status of the final answer; 0 for network errors */
	char *message; /* GitHub's "message", or curl's error, or NULL */
	int timed_out;
	int rate_limited; /* gave up waiting for a rate limit */
	/* An answer's Link pointed to another origin than api_url: it was not
	 * followed (nothing was sent there); `message` names it. */
	int off_origin;
};

#define GITHUB_ERROR_INIT        \
	{                        \
		0, NULL, 0, 0, 0 \
	}

void github_error_release(struct github_error *err);

/*
 * Send one request with retries. `url` is a path ("/repos/o/r/...") joined to
 * api_url, or an absolute URL on the api_url's origin (a Link target). `body`
 * is JSON or NULL. Returns 0 with *res filled when an answer came (any
 * status: the caller judges), -1 when none did within the retries and the
 * deadline (res->error says why; a warning was printed for each retry).
 */
int github_request(struct github *gh, const char *method, const char *url, const char *body,
		   struct http_response *res);

/*
 * github_request(), and before retrying a request whose outcome is unknown
 * (see above), after the backoff, recheck(gh, ctx) is asked whether it was
 * carried out after all: 1 yes (stop: returns 1, *res holds the failed
 * answer), 0 no (retry), -1 cannot tell (stop: returns as when the retries
 * run out). recheck may itself make requests; the deadline is shared.
 */
int github_request_recheck(struct github *gh, const char *method, const char *url, const char *body,
			   struct http_response *res, int (*recheck)(struct github *gh, void *ctx),
			   void *ctx);

/*
 * The wait before retry number `attempt` (0 for the first retry) after this
 * outcome (`res` NULL for a network error), in seconds; -1 when it is not
 * worth retrying; -2 when it is, but the wait would pass the deadline. Pure
 * apart from gh->random and gh->wall.
 */
double github_retry_delay(const struct github *gh, int attempt, const struct http_response *res,
			  double elapsed);

/* Whether a 403/429 answer is a rate limit (headers or GitHub's message). */
int github_is_rate_limit(const struct http_response *res);

/*
 * A lower bound of GitHub's clock now, in epoch seconds: the Date header of
 * the last answer (gh->date) plus the whole seconds gh->monotonic() counted
 * since it came. Before any answer with a Date, the runner's clock
 * (gh->wall()) minus GITHUB_CLOCK_SLACK, in case it runs ahead of GitHub's.
 * A comment GitHub creates from now on has a created_at no earlier.
 */
#define GITHUB_CLOCK_SLACK 60
time_t github_server_time(const struct github *gh);

/*
 * Who the token belongs to: GET /user. Returns 1 with *login (caller
 * frees); 0 when GitHub does not say (403 or 404 that is not a rate limit:
 * an Actions or app installation token cannot read /user; or a 200 without
 * a login), with *err holding its answer for the caller's note; -1 with *err
 * for any other failure (401, rate limited, 5xx, no answer).
 */
int github_user_login(struct github *gh, char **login, struct github_error *err);

struct github_comment {
	long long id;
	char *html_url; /* owned, or NULL */
	char *body;	/* owned: as listed by github_comment_find(); NULL otherwise */
};

#define GITHUB_COMMENT_INIT   \
	{                     \
		0, NULL, NULL \
	}

void github_comment_release(struct github_comment *c);

/*
 * Which comment is wanted: every field that is set must hold. A comment is
 * taken as listed: its "body", "user"."login" and "created_at".
 */
struct github_comment_match {
	const char *marker; /* the body starts with it (github_body_has_marker()), or NULL */
	const char *author; /* the login is exactly this, or NULL: anyone's */
	const char *body;   /* the body is exactly this, or NULL */
	time_t since;	    /* created at or after this (epoch seconds), or 0 */
};

/*
 * Whether one listed comment matches `m`. `body`, `login` and `created_at`
 * are the comment's fields, NULL when missing; created_at is GitHub's
 * "YYYY-MM-DDTHH:MM:SSZ". A comment without a body never matches; one
 * without a readable created_at never matches a `since`. Pure.
 */
int github_comment_matches(const struct github_comment_match *m, const char *body,
			   const char *login, const char *created_at);

/*
 * Find the first comment on issue/pull request `number` that matches `m`,
 * reading every page (per_page=100, following Link rel="next" on api_url's
 * origin only). Returns 1 and fills *found (its body included), 0 when
 * there is none, -1 with *err filled when listing failed, including when
 * 1000 pages were read and there is still a next one (not knowing is not
 * "none": a caller that then created a comment could duplicate it), and
 * when a Link points to another origin (err->off_origin).
 */
int github_comment_find(struct github *gh, long number, const struct github_comment_match *m,
			struct github_comment *found, struct github_error *err);
/*
 * POST a new comment on issue/pull request `number`. What is sent is
 * `body` with each invalid UTF-8 byte replaced by U+FFFD (GitHub refuses
 * invalid UTF-8), with a warning. Returns 0 with *out filled (out->id is
 * never 0: an answer without the comment's id is an error), 1 when a
 * comment was updated instead (below), or -1 with *err.
 *
 * When the POST's outcome is unknown, the comments are listed again before
 * any retry, and the comment it may have created is looked for:
 *
 *   - sticky (`marker` and `author` both given; the caller found no comment
 *     by `author` with `marker` before): the first comment by `author`
 *     starting with `marker`. Its body is the one sent: taken as created
 *     (0). Another body (a concurrent run's comment): updated to ours (1).
 *   - otherwise (a new comment every run, or the author unknown): a comment
 *     whose body is exactly what was sent, by `author` when given, and
 *     newer than this attempt: created at or after github_server_time()
 *     when the POST was first sent. An older comment with the same body is
 *     an earlier run's: it does not stop the POST.
 *
 * Nothing found: the POST is retried. The listing fails: -1, *err saying
 * the comment may have been created.
 */
int github_comment_create(struct github *gh, long number, const char *body, const char *marker,
			  const char *author, struct github_comment *out, struct github_error *err);
/* PATCH comment `id` (the body cleaned as above). 0 with *out filled, or -1 with *err. */
int github_comment_update(struct github *gh, long long id, const char *body,
			  struct github_comment *out, struct github_error *err);

struct github_check_run {
	const char *name;
	const char *head_sha;
	const char *conclusion; /* success, failure, neutral, ... */
	const char *title;
	const char *summary;	 /* cut to GITHUB_CHECK_SUMMARY_MAX by the caller */
	const char *details_url; /* or NULL */
};

/* POST /repos/{repo}/check-runs, completed. *html_url (caller frees) on success. */
int github_check_run_create(struct github *gh, const struct github_check_run *cr, char **html_url,
			    struct github_error *err);

/* ---- parsers and text helpers (no I/O) ---- */

/*
 * The target of the first link with relation "next" in a Link header
 * (RFC 8288: `<url>; rel="next", <url>; rel="last"`; rel may be a token or a
 * quoted list of relation types; parameters in any order). Caller frees.
 * NULL when there is none or the header is malformed.
 */
char *github_link_next(const char *link);

/*
 * Search one page of GET .../comments (a JSON array) as github_comment_find()
 * does. Returns 1 and fills *found, 0 when not on this page, -1 after error()
 * when the text is not such an array. `name` names the text in messages.
 */
int github_comments_search(const char *json, size_t len, const struct github_comment_match *m,
			   struct github_comment *found, const char *name);

/* Whether `body` starts with `marker` (after blank space), then a line end, blank or nothing. */
int github_body_has_marker(const char *body, const char *marker);

/* GitHub's "message" from an error body, or NULL. Caller frees. */
char *github_error_message(const char *json, size_t len);

#endif
