/*
 * github: requests with retries, the comment and check-run endpoints, and
 * the response parsers. See github.h.
 */
#include "github.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "clock.h"
#include "json.h"
#include "msg.h"

/* The answer's headers this client reads (GitHub REST "Using pagination"
 * and "Rate limits for the REST API"). */
#define HEADER_DATE		   "Date"
#define HEADER_LINK		   "Link"
#define HEADER_RETRY_AFTER	   "Retry-After"
#define HEADER_RATELIMIT_REMAINING "X-RateLimit-Remaining"
#define HEADER_RATELIMIT_RESET	   "X-RateLimit-Reset"

/* ---- boundaries: the real ones ---- */

static void real_sleep(double seconds)
{
	struct timespec ts;

	if (!(seconds > 0))
		return;
	ts.tv_sec = (time_t)seconds;
	ts.tv_nsec = (long)((seconds - (double)ts.tv_sec) * 1e9);
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static time_t real_wall(void)
{
	return time(NULL);
}

static uint64_t rng_state;

/* xorshift64*: jitter only, nothing secret. */
static double real_random(void)
{
	if (!rng_state)
		rng_state =
			((uint64_t)time(NULL) << 20) ^ (uint64_t)getpid() ^ 0x9e3779b97f4a7c15ull;
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (double)((rng_state * 2685821657736338717ull) >> 11) / 9007199254740992.0;
}

/* ---- setup ---- */

void github_init(struct github *gh, const char *api_url, const char *repo, const char *token)
{
	size_t n = strlen(api_url);

	memset(gh, 0, sizeof(*gh));
	while (n > 0 && api_url[n - 1] == '/')
		n--;
	gh->api_url = xstrndup(api_url, n);
	gh->repo = xstrdup(repo);
	gh->token = xstrdup(token);
	gh->user_agent = xstrdup("spin-gate/" SPIN_GATE_VERSION);
	gh->connect_timeout = 10;
	gh->timeout = 30;
	gh->retries = 4;
	gh->backoff_base = 1;
	gh->backoff_max = 30;
	gh->rate_limit_wait = 60;
	gh->deadline = 300;
	gh->perform = http_perform;
	gh->sleep = real_sleep;
	gh->monotonic = clock_now;
	gh->wall = real_wall;
	gh->random = real_random;
	gh->started = gh->monotonic();
}

void github_release(struct github *gh)
{
	if (gh->token) {
		/* volatile: the wipe must not be optimised away. */
		volatile char *p = gh->token;

		while (*p)
			*p++ = '\0';
	}
	free(gh->api_url);
	free(gh->repo);
	free(gh->token);
	free(gh->user_agent);
	memset(gh, 0, sizeof(*gh));
}

static int env_seconds(const char *name, double lo, double hi, double *out)
{
	const char *v = getenv(name);
	char *end;
	double d;

	if (!v || !*v)
		return 0;
	errno = 0;
	d = strtod(v, &end);
	if (errno || end == v || *end || !(d >= lo && d <= hi))
		return error("invalid $%s '%s': expected seconds from %g to %g", name, v, lo, hi);
	*out = d;
	return 0;
}

int github_config_from_env(struct github *gh)
{
	double retries = gh->retries;

	if (env_seconds("SPIN_GATE_HTTP_CONNECT_TIMEOUT", 0.001, 3600, &gh->connect_timeout) < 0 ||
	    env_seconds("SPIN_GATE_HTTP_TIMEOUT", 0.001, 3600, &gh->timeout) < 0 ||
	    env_seconds("SPIN_GATE_HTTP_RETRIES", 0, 20, &retries) < 0 ||
	    env_seconds("SPIN_GATE_HTTP_BACKOFF_BASE", 0, 3600, &gh->backoff_base) < 0 ||
	    env_seconds("SPIN_GATE_HTTP_BACKOFF_MAX", 0, 3600, &gh->backoff_max) < 0 ||
	    env_seconds("SPIN_GATE_HTTP_RATE_LIMIT_WAIT", 0, 3600, &gh->rate_limit_wait) < 0 ||
	    env_seconds("SPIN_GATE_HTTP_DEADLINE", 0.001, 86400, &gh->deadline) < 0)
		return -1;
	if (retries != floor(retries))
		return error("invalid $SPIN_GATE_HTTP_RETRIES '%g': expected a whole number",
			     retries);
	gh->retries = (int)retries;
	return 0;
}

void github_error_release(struct github_error *err)
{
	free(err->message);
	memset(err, 0, sizeof(*err));
}

void github_comment_release(struct github_comment *c)
{
	free(c->html_url);
	free(c->body);
	memset(c, 0, sizeof(*c));
}

/* ---- retries ---- */

static int is_retryable_status(long status)
{
	return status == 500 || status == 502 || status == 503 || status == 504;
}

/* A whole number of seconds, as GitHub sends them; -1 otherwise. */
static double parse_seconds(const char *s)
{
	char *end;
	long long v;

	if (!s || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || *end || v < 0)
		return -1;
	return (double)v;
}

/* An HTTP-date (RFC 9110 5.6.7, IMF-fixdate) in epoch seconds; -1 when it is not one. */
static time_t parse_http_date(const char *s)
{
	struct tm tm;
	const char *end;

	if (!s)
		return -1;
	memset(&tm, 0, sizeof(tm));
	end = strptime(s, "%a, %d %b %Y %H:%M:%S GMT", &tm);
	if (!end || *end)
		return -1;
	return timegm(&tm);
}

/*
 * Retry-After as seconds from `now`: delay-seconds or an HTTP-date (RFC 9110
 * 10.2.3; GitHub sends seconds, a proxy in front of GHES may send a date),
 * plus one second for clock skew on a date. -1 when it is neither.
 */
static double parse_retry_after(const char *s, time_t now)
{
	time_t t;
	double d = parse_seconds(s);

	if (d >= 0 || !s)
		return d;
	if ((t = parse_http_date(s)) < 0)
		return -1;
	d = difftime(t, now);
	return (d < 0 ? 0 : d) + 1;
}

time_t github_server_time(const struct github *gh)
{
	double since;

	if (!gh->date)
		return gh->wall() - GITHUB_CLOCK_SLACK;
	since = gh->monotonic() - gh->date_at;
	return gh->date + (since > 0 ? (time_t)since : 0);
}

/* Keep GitHub's clock from an answer's Date header (github_server_time()). */
static void note_date(struct github *gh, const struct http_response *res)
{
	time_t t = parse_http_date(http_response_header(res, HEADER_DATE));

	if (t > 0) {
		gh->date = t;
		gh->date_at = gh->monotonic();
	}
}

/* X-RateLimit-Remaining: 0, the primary rate limit used up. */
static int remaining_zero(const struct http_response *res)
{
	const char *v = http_response_header(res, HEADER_RATELIMIT_REMAINING);

	return v && !strcmp(v, "0");
}

int github_is_rate_limit(const struct http_response *res)
{
	char *msg;
	int yes = 0;

	if (res->status == 429)
		return 1;
	if (res->status != 403)
		return 0;
	if (http_response_header(res, HEADER_RETRY_AFTER))
		return 1;
	if (remaining_zero(res))
		return 1;
	msg = github_error_message(res->body.s, res->body.len);
	if (msg && strcasestr(msg, "rate limit"))
		yes = 1;
	free(msg);
	return yes;
}

double github_retry_delay(const struct github *gh, int attempt, const struct http_response *res,
			  double elapsed)
{
	double d, reset;

	if (attempt >= gh->retries)
		return -1;
	if (!res || is_retryable_status(res->status)) {
		d = gh->backoff_base * pow(2, attempt);
		if (d > gh->backoff_max)
			d = gh->backoff_max;
		d *= 0.5 + 0.5 * gh->random();
	} else if ((res->status == 429 || res->status == 403) && github_is_rate_limit(res)) {
		if ((d = parse_retry_after(http_response_header(res, HEADER_RETRY_AFTER),
					   gh->wall())) >= 0) {
			/* as asked */
		} else if (remaining_zero(res) && (reset = parse_seconds(http_response_header(
							   res, HEADER_RATELIMIT_RESET))) >= 0) {
			d = reset - (double)gh->wall();
			/* one more second for clock skew */
			d = (d < 0 ? 0 : d) + 1;
		} else {
			d = gh->backoff_base * pow(2, attempt);
			if (d < gh->rate_limit_wait)
				d = gh->rate_limit_wait;
		}
	} else {
		return -1;
	}
	if (elapsed + d > gh->deadline)
		return -2;
	return d;
}

/* Whether an absolute URL is under api_url (the token may be sent there). */
static int under_api_url(const struct github *gh, const char *url)
{
	size_t n = strlen(gh->api_url);

	return !strncmp(url, gh->api_url, n) && (url[n] == '/' || url[n] == '?' || url[n] == '\0');
}

/* The URL to request, or NULL when it is not on api_url (never send the token elsewhere). */
static char *request_url(const struct github *gh, const char *url)
{
	if (url[0] == '/')
		return xstrfmt("%s%s", gh->api_url, url);
	if (under_api_url(gh, url))
		return xstrdup(url);
	return NULL;
}

/* Whether the server may have carried the request out although no success came back. */
static int outcome_unknown(int rc, const struct http_response *res)
{
	return rc < 0 ? !res->not_sent : is_retryable_status(res->status);
}

int github_request(struct github *gh, const char *method, const char *url, const char *body,
		   struct http_response *res)
{
	return github_request_recheck(gh, method, url, body, res, NULL, NULL);
}

int github_request_recheck(struct github *gh, const char *method, const char *url, const char *body,
			   struct http_response *res, int (*recheck)(struct github *gh, void *ctx),
			   void *ctx)
{
	struct http_request req = HTTP_REQUEST_INIT;
	char *full = NULL, *auth = NULL, *ua = NULL;
	const char *headers[7];
	size_t h = 0;
	int attempt, rc, ret = -1, r;
	double elapsed, left, delay;

	full = request_url(gh, url);
	if (!full) {
		http_response_release(res);
		res->not_sent = 1;
		snprintf(res->error, sizeof(res->error), "refusing to send the token to '%s'", url);
		return error("refusing to send the token to '%s': not under '%s'", url,
			     gh->api_url);
	}
	auth = xstrfmt("Authorization: Bearer %s", gh->token);
	ua = xstrfmt("User-Agent: %s", gh->user_agent);
	headers[h++] = "Accept: application/vnd.github+json";
	headers[h++] = auth;
	headers[h++] = "X-GitHub-Api-Version: " GITHUB_API_VERSION;
	headers[h++] = ua;
	if (body)
		headers[h++] = "Content-Type: application/json; charset=utf-8";
	headers[h] = NULL;

	req.method = method;
	req.url = full;
	req.headers = headers;
	req.body = body;
	req.body_len = body ? strlen(body) : 0;
	req.connect_timeout_ms = (long)(gh->connect_timeout * 1000);

	for (attempt = 0;; attempt++) {
		http_response_release(res);
		elapsed = gh->monotonic() - gh->started;
		left = gh->deadline - elapsed;
		if (left <= 0) {
			snprintf(res->error, sizeof(res->error),
				 "no time left before the deadline of %g s", gh->deadline);
			res->timed_out = 1;
			goto out;
		}
		req.timeout_ms = (long)((gh->timeout < left ? gh->timeout : left) * 1000);
		if (req.timeout_ms < 1)
			req.timeout_ms = 1;
		if (req.connect_timeout_ms > req.timeout_ms)
			req.connect_timeout_ms = req.timeout_ms;
		if (req.connect_timeout_ms < 1)
			req.connect_timeout_ms = 1;

		rc = gh->perform(&req, res);
		gh->requests++;
		if (rc == 0)
			note_date(gh, res);
		elapsed = gh->monotonic() - gh->started;
		if (rc == 0 && !is_retryable_status(res->status) && res->status != 429 &&
		    !(res->status == 403 && github_is_rate_limit(res))) {
			ret = 0;
			goto out;
		}
		delay = github_retry_delay(gh, attempt, rc == 0 ? res : NULL, elapsed);
		if (delay == -2)
			warning("%s '%s': %s; not retrying: that would pass the deadline of %g s",
				method, full, rc == 0 ? "rate limited or server error" : res->error,
				gh->deadline);
		if (delay < 0) {
			ret = rc == 0 ? 0 : -1;
			goto out;
		}
		if (rc == 0)
			warning("%s '%s': HTTP %ld; retrying in %.1f s (%d of %d)", method, full,
				res->status, delay, attempt + 1, gh->retries);
		else
			warning("%s '%s': %s; retrying in %.1f s (%d of %d)", method, full,
				res->error, delay, attempt + 1, gh->retries);
		gh->sleep(delay);
		if (!recheck || !outcome_unknown(rc, res))
			continue;
		/* The server may have done it (a 502 after storing, a reply lost):
		 * ask before doing it twice. res keeps the failed answer. */
		warning("%s '%s': it may have been carried out; checking before retrying", method,
			full);
		r = recheck(gh, ctx);
		if (r != 0) {
			ret = r > 0 ? 1 : rc == 0 ? 0 : -1;
			goto out;
		}
	}
out:
	free(full);
	if (auth) {
		memset(auth, 0, strlen(auth));
		free(auth);
	}
	free(ua);
	return ret;
}

/* ---- error reports ---- */

char *github_error_message(const char *json, size_t len)
{
	cJSON *root;
	const cJSON *m, *errs, *e, *em, *code, *field;
	struct buf b = BUF_INIT;

	if (!json || !len)
		return NULL;
	root = cJSON_ParseWithLength(json, len);
	if (!root)
		return NULL;
	m = cJSON_GetObjectItemCaseSensitive(root, "message");
	if (cJSON_IsString(m) && m->valuestring)
		buf_adds(&b, m->valuestring);
	/* 422 details: "Validation Failed: body is too long (maximum is 65536 characters)" */
	errs = cJSON_GetObjectItemCaseSensitive(root, "errors");
	if (!cJSON_IsArray(errs))
		errs = NULL;
	cJSON_ArrayForEach(e, errs) {
		em = cJSON_GetObjectItemCaseSensitive(e, "message");
		code = cJSON_GetObjectItemCaseSensitive(e, "code");
		field = cJSON_GetObjectItemCaseSensitive(e, "field");
		buf_adds(&b, b.len ? "; " : "");
		if (cJSON_IsString(em) && em->valuestring)
			buf_adds(&b, em->valuestring);
		else if (cJSON_IsString(e) && e->valuestring)
			buf_adds(&b, e->valuestring);
		else if (cJSON_IsString(code) && cJSON_IsString(field))
			buf_addf(&b, "%s: %s", field->valuestring, code->valuestring);
		else
			buf_adds(&b, "(unknown)");
	}
	cJSON_Delete(root);
	if (!b.len) {
		buf_release(&b);
		return NULL;
	}
	return buf_detach(&b);
}

/* Fill *err from a final answer that was not a success. */
static void fill_error(struct github_error *err, const struct http_response *res, int rc)
{
	github_error_release(err);
	if (rc < 0) {
		err->message = xstrdup(res->error[0] ? res->error : "no answer");
		err->timed_out = res->timed_out;
		return;
	}
	err->status = res->status;
	err->message = github_error_message(res->body.s, res->body.len);
	if (!err->message)
		err->message = xstrfmt("HTTP %ld", res->status);
	if (res->status == 429 || (res->status == 403 && github_is_rate_limit(res)))
		err->rate_limited = 1;
}

/* ---- comments ---- */

int github_body_has_marker(const char *body, const char *marker)
{
	size_t n = strlen(marker);

	if (!n)
		return 0;
	while (*body == ' ' || *body == '\t' || *body == '\r' || *body == '\n')
		body++;
	if (strncmp(body, marker, n))
		return 0;
	body += n;
	return *body == '\0' || *body == '\n' || *body == '\r' || *body == ' ' || *body == '\t';
}

/* GitHub's created_at ("2026-11-20T10:00:00Z") in epoch seconds; -1 when it is not one. */
static time_t parse_timestamp(const char *s)
{
	struct tm tm;
	const char *end;

	memset(&tm, 0, sizeof(tm));
	end = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm);
	if (!end || (strcmp(end, "Z") && strcmp(end, "+00:00")))
		return -1;
	return timegm(&tm);
}

int github_comment_matches(const struct github_comment_match *m, const char *body,
			   const char *login, const char *created_at)
{
	time_t t;

	if (!body)
		return 0;
	if (m->marker && !github_body_has_marker(body, m->marker))
		return 0;
	if (m->body && strcmp(body, m->body))
		return 0;
	if (m->author && (!login || strcmp(login, m->author)))
		return 0;
	if (m->since) {
		if (!created_at || (t = parse_timestamp(created_at)) < 0 || t < m->since)
			return 0;
	}
	return 1;
}

/* A GitHub id: a positive whole number that a double holds exactly. */
static int json_id(const cJSON *v, long long *out)
{
	if (!cJSON_IsNumber(v))
		return -1;
	if (!(v->valuedouble >= 1 && v->valuedouble <= 9007199254740992.0) ||
	    v->valuedouble != floor(v->valuedouble))
		return -1;
	*out = (long long)v->valuedouble;
	return 0;
}

/* A string member of `o`, or NULL. Borrowed from o. */
static const char *json_str(const cJSON *o, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

int github_comments_search(const char *json, size_t len, const struct github_comment_match *m,
			   struct github_comment *found, const char *name)
{
	cJSON *root;
	const cJSON *item;
	const char *body, *url;
	long long id;
	int ret = 0;

	root = json_parse_text(json, len, name);
	if (!root)
		return -1;
	if (!cJSON_IsArray(root)) {
		ret = error("'%s': expected an array of comments", name);
		goto out;
	}
	cJSON_ArrayForEach(item, root) {
		body = json_str(item, "body");
		if (!github_comment_matches(
			    m, body,
			    json_str(cJSON_GetObjectItemCaseSensitive(item, "user"), "login"),
			    json_str(item, "created_at")))
			continue;
		if (json_id(cJSON_GetObjectItemCaseSensitive(item, "id"), &id) < 0)
			continue;
		github_comment_release(found);
		found->id = id;
		found->body = xstrdup(body);
		url = json_str(item, "html_url");
		if (url)
			found->html_url = xstrdup(url);
		ret = 1;
		break;
	}
out:
	cJSON_Delete(root);
	return ret;
}

/* Pages after which listing stops: 1000 pages of 100 comments. */
#define MAX_PAGES 1000

int github_comment_find(struct github *gh, long number, const struct github_comment_match *m,
			struct github_comment *found, struct github_error *err)
{
	struct http_response res;
	const char *link;
	char *url, *next;
	int page, rc, ret = 0;

	http_response_init(&res);
	url = xstrfmt("/repos/%s/issues/%ld/comments?per_page=100", gh->repo, number);
	for (page = 1; page <= MAX_PAGES; page++) {
		rc = github_request(gh, "GET", url, NULL, &res);
		if (rc < 0 || res.status != 200) {
			fill_error(err, &res, rc);
			ret = -1;
			break;
		}
		ret = github_comments_search(res.body.s, res.body.len, m, found, "comments");
		if (ret != 0) {
			if (ret < 0) {
				github_error_release(err);
				err->status = res.status;
				err->message = xstrdup("unreadable list of comments");
			}
			break;
		}
		link = http_response_header(&res, HEADER_LINK);
		next = link ? github_link_next(link) : NULL;
		if (!next)
			break;
		if (!strcmp(next, url)) {
			free(next);
			break;
		}
		if (next[0] != '/' && !under_api_url(gh, next)) {
			/* the token goes to api_url only; an unread page is not "none" */
			github_error_release(err);
			err->off_origin = 1;
			err->message = xstrfmt("the next page's Link points to another origin: "
					       "'%s' is not under '%s', so it was not followed "
					       "and the token was not sent there",
					       next, gh->api_url);
			free(next);
			ret = -1;
			break;
		}
		free(url);
		url = next;
	}
	if (page > MAX_PAGES) {
		/* not found is not known: creating one could duplicate it */
		github_error_release(err);
		err->status = res.status;
		err->message =
			xstrfmt("more than %d pages of comments: stopped listing", MAX_PAGES);
		ret = -1;
	}
	free(url);
	http_response_release(&res);
	return ret;
}

int github_user_login(struct github *gh, char **login, struct github_error *err)
{
	struct http_response res;
	cJSON *root = NULL;
	const char *l;
	int rc, ret = -1;

	*login = NULL;
	http_response_init(&res);
	rc = github_request(gh, "GET", "/user", NULL, &res);
	if (rc == 0 && res.status == 200) {
		root = cJSON_ParseWithLength(res.body.s, res.body.len);
		l = json_str(root, "login");
		if (l && *l) {
			*login = xstrdup(l);
			ret = 1;
		} else {
			github_error_release(err);
			err->status = res.status;
			err->message = xstrdup("an answer without a login");
			ret = 0;
		}
	} else if (rc == 0 && (res.status == 403 || res.status == 404) &&
		   !github_is_rate_limit(&res)) {
		/* an installation token (GITHUB_TOKEN, an app's): GitHub will not say */
		fill_error(err, &res, rc);
		ret = 0;
	} else {
		fill_error(err, &res, rc);
	}
	cJSON_Delete(root);
	http_response_release(&res);
	return ret;
}

/* Read id and html_url of a created or updated comment: 0, or -1 with *err
 * when the answer names no comment (no id: nothing to report or update). */
static int read_comment(const struct http_response *res, struct github_comment *out,
			struct github_error *err)
{
	cJSON *root = cJSON_ParseWithLength(res->body.s, res->body.len);
	const char *url;
	long long id;

	github_comment_release(out);
	if (root && json_id(cJSON_GetObjectItemCaseSensitive(root, "id"), &id) == 0) {
		out->id = id;
		url = json_str(root, "html_url");
		if (url)
			out->html_url = xstrdup(url);
	}
	cJSON_Delete(root);
	if (out->id)
		return 0;
	github_error_release(err);
	err->status = res->status;
	err->message = xstrfmt("HTTP %ld without the comment's id in the answer", res->status);
	return -1;
}

/*
 * A copy of s that is valid UTF-8: cJSON writes strings' bytes as they are,
 * and GitHub answers invalid UTF-8 with 400 "Problems parsing JSON".
 */
static char *utf8_copy(const char *s, const char *what)
{
	struct buf b = BUF_INIT;
	size_t bad = buf_add_utf8(&b, s, strlen(s));

	if (bad)
		warning("the %s is not valid UTF-8: %zu bytes replaced with U+FFFD", what, bad);
	return buf_detach(&b);
}

/* {"body": text}; text is valid UTF-8 (utf8_copy()). */
static char *comment_json(const char *text)
{
	cJSON *o = cJSON_CreateObject();
	char *s;

	if (!o || !cJSON_AddStringToObject(o, "body", text))
		abort();
	s = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	if (!s)
		abort();
	return s;
}

/* PATCH comment `id` to `text`, already valid UTF-8. */
static int patch_comment(struct github *gh, long long id, const char *text,
			 struct github_comment *out, struct github_error *err)
{
	struct http_response res;
	char *url = xstrfmt("/repos/%s/issues/comments/%lld", gh->repo, id);
	char *json = comment_json(text);
	int rc, ret = -1;

	http_response_init(&res);
	rc = github_request(gh, "PATCH", url, json, &res);
	if (rc == 0 && res.status == 200)
		ret = read_comment(&res, out, err);
	else
		fill_error(err, &res, rc);
	cJSON_free(json);
	free(url);
	http_response_release(&res);
	return ret;
}

/* What a POST whose outcome is unknown looks for (github_comment_create()). */
struct recheck {
	long number;
	struct github_comment_match match;
	struct github_comment found;
	struct github_error err; /* why listing failed */
};

static int recheck_comment(struct github *gh, void *ctx)
{
	struct recheck *r = ctx;

	return github_comment_find(gh, r->number, &r->match, &r->found, &r->err);
}

int github_comment_create(struct github *gh, long number, const char *body, const char *marker,
			  const char *author, struct github_comment *out, struct github_error *err)
{
	struct recheck r;
	struct http_response res;
	char *url = xstrfmt("/repos/%s/issues/%ld/comments", gh->repo, number);
	char *text = utf8_copy(body, "comment"), *json = comment_json(text), *why;
	int rc, ret = -1;

	memset(&r, 0, sizeof(r));
	r.number = number;
	r.match.author = author;
	if (marker && author) {
		/* sticky: there was none by us before the POST; one now is ours
		 * or a concurrent run's, the one to keep up to date either way */
		r.match.marker = marker;
	} else {
		/* what was sent, and newer than this attempt on GitHub's clock: an
		 * earlier run's comment with the same body is not this one */
		r.match.body = text;
		r.match.since = github_server_time(gh);
	}
	http_response_init(&res);
	rc = github_request_recheck(gh, "POST", url, json, &res, recheck_comment, &r);
	if (rc == 1 && strcmp(r.found.body, text)) {
		warning("comment %lld appeared after the failed POST: updating it instead of "
			"posting again",
			r.found.id);
		ret = patch_comment(gh, r.found.id, text, out, err) < 0 ? -1 : 1;
	} else if (rc == 1) {
		warning("comment %lld was created after all: not posting again", r.found.id);
		github_comment_release(out);
		*out = r.found;
		free(out->body);
		out->body = NULL;
		memset(&r.found, 0, sizeof(r.found));
		ret = 0;
	} else if (rc == 0 && res.status == 201) {
		ret = read_comment(&res, out, err);
	} else {
		fill_error(err, &res, rc);
		if (r.err.message) {
			why = xstrfmt("%s (it may have been created: listing the comments to "
				      "check failed: %s)",
				      err->message, r.err.message);
			free(err->message);
			err->message = why;
		}
	}
	github_comment_release(&r.found);
	github_error_release(&r.err);
	cJSON_free(json);
	free(text);
	http_response_release(&res);
	free(url);
	return ret;
}

int github_comment_update(struct github *gh, long long id, const char *body,
			  struct github_comment *out, struct github_error *err)
{
	char *text = utf8_copy(body, "comment");
	int ret = patch_comment(gh, id, text, out, err);

	free(text);
	return ret;
}

/* ---- check runs ---- */

int github_check_run_create(struct github *gh, const struct github_check_run *cr, char **html_url,
			    struct github_error *err)
{
	struct http_response res;
	cJSON *o = cJSON_CreateObject(), *output, *root = NULL;
	const cJSON *url;
	char *url_path = xstrfmt("/repos/%s/check-runs", gh->repo), *json = NULL;
	char *title = utf8_copy(cr->title, "check run's title");
	char *summary = utf8_copy(cr->summary, "check run's summary");
	int rc, ret = -1;

	http_response_init(&res);
	*html_url = NULL;
	if (!o || !cJSON_AddStringToObject(o, "name", cr->name) ||
	    !cJSON_AddStringToObject(o, "head_sha", cr->head_sha) ||
	    !cJSON_AddStringToObject(o, "status", "completed") ||
	    !cJSON_AddStringToObject(o, "conclusion", cr->conclusion) ||
	    (cr->details_url && !cJSON_AddStringToObject(o, "details_url", cr->details_url)) ||
	    !(output = cJSON_AddObjectToObject(o, "output")) ||
	    !cJSON_AddStringToObject(output, "title", title) ||
	    !cJSON_AddStringToObject(output, "summary", summary) ||
	    !(json = cJSON_PrintUnformatted(o)))
		abort();
	rc = github_request(gh, "POST", url_path, json, &res);
	if (rc == 0 && res.status == 201) {
		root = cJSON_ParseWithLength(res.body.s, res.body.len);
		url = cJSON_GetObjectItemCaseSensitive(root, "html_url");
		if (cJSON_IsString(url) && url->valuestring)
			*html_url = xstrdup(url->valuestring);
		ret = 0;
	} else {
		fill_error(err, &res, rc);
	}
	cJSON_Delete(root);
	cJSON_Delete(o);
	cJSON_free(json);
	free(url_path);
	free(title);
	free(summary);
	http_response_release(&res);
	return ret;
}

/* ---- Link header (RFC 8288) ---- */

static int is_ows(char c)
{
	return c == ' ' || c == '\t';
}

static int is_tchar(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       (c && strchr("!#$%&'*+-.^_`|~", c));
}

/* Whether the space-separated relation types in [s, s+n) include "next". */
static int rel_has_next(const char *s, size_t n)
{
	size_t i = 0, start;

	while (i < n) {
		while (i < n && (s[i] == ' ' || s[i] == '\t'))
			i++;
		start = i;
		while (i < n && s[i] != ' ' && s[i] != '\t')
			i++;
		if (i - start == 4 && !strncasecmp(s + start, "next", 4))
			return 1;
	}
	return 0;
}

char *github_link_next(const char *link)
{
	const char *p = link, *url, *url_end, *name, *val;
	struct buf v = BUF_INIT;
	size_t name_len;
	int is_next;
	char *ret = NULL;

	for (;;) {
		while (is_ows(*p) || *p == ',')
			p++;
		if (!*p)
			break;
		if (*p != '<')
			goto out;
		url = ++p;
		url_end = strchr(url, '>');
		if (!url_end)
			goto out;
		p = url_end + 1;
		is_next = 0;
		/* parameters: *( OWS ";" OWS name [ OWS "=" OWS value ] ) */
		for (;;) {
			while (is_ows(*p))
				p++;
			if (*p != ';')
				break;
			p++;
			while (is_ows(*p))
				p++;
			name = p;
			while (is_tchar(*p))
				p++;
			name_len = (size_t)(p - name);
			if (!name_len)
				goto out;
			while (is_ows(*p))
				p++;
			buf_reset(&v);
			if (*p == '=') {
				p++;
				while (is_ows(*p))
					p++;
				if (*p == '"') {
					for (p++; *p && *p != '"'; p++) {
						if (*p == '\\' && p[1])
							p++;
						buf_addch(&v, *p);
					}
					if (*p != '"')
						goto out;
					p++;
				} else {
					val = p;
					while (is_tchar(*p))
						p++;
					buf_add(&v, val, (size_t)(p - val));
				}
			}
			if (name_len == 3 && !strncasecmp(name, "rel", 3) && v.len &&
			    rel_has_next(v.s, v.len))
				is_next = 1;
		}
		while (is_ows(*p))
			p++;
		if (*p && *p != ',')
			goto out;
		if (is_next && url_end > url) {
			ret = xstrndup(url, (size_t)(url_end - url));
			goto out;
		}
	}
out:
	buf_release(&v);
	return ret;
}
