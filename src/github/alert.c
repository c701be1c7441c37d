/*
 * alert: history alerts as GitHub issues (see alert.h). The issues are
 * listed once; each series then finds its own by marker.
 */
#include "alert.h"

#include "actions.h"
#include "buf.h"
#include "github.h"
#include "msg.h"
#include "render_alert.h"
#include "status.h"

#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define ALERT_BOT_LOGIN "github-actions[bot]"

struct issue {
	long number;
	int open;
	char *body, *login, *html_url;
};

struct alert {
	const struct alert_opts *o;
	struct actions_env env;
	struct github gh;
	const char *author;
	struct issue *v;
	size_t n, alloc;
	int forbidden; /* 403: no `issues: write`; summary only from then on */
};

int alert_pick(const struct series *s, unsigned bad, size_t *cp, size_t *undo)
{
	size_t k;

	*undo = SIZE_MAX;
	for (k = s->ncps; k-- > 0;)
		if (series_cp_is_bad(bad, &s->cps[k]))
			break;
	if (k == SIZE_MAX)
		return 0;
	*cp = k;
	for (k = *cp + 1; k < s->ncps; k++)
		if (!series_cp_is_bad(bad, &s->cps[k]) &&
		    (s->cps[k].after > s->cps[k].before) !=
			    (s->cps[*cp].after > s->cps[*cp].before)) {
			*undo = k;
			break;
		}
	return 1;
}

static void issues_release(struct alert *a)
{
	size_t i;

	for (i = 0; i < a->n; i++) {
		free(a->v[i].body);
		free(a->v[i].login);
		free(a->v[i].html_url);
	}
	free(a->v);
	a->v = NULL;
	a->n = a->alloc = 0;
}

static void fill_error(struct github_error *err, const struct http_response *res, int rc)
{
	github_error_release(err);
	err->status = rc < 0 ? 0 : res->status;
	err->message =
		rc < 0 ? xstrdup(res->error) : github_error_message(res->body.s, res->body.len);
}

static const char *str_of(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* One page of GET /issues added to a->v; -1 when it is not a list. */
static int issues_add_page(struct alert *a, const char *json, size_t len)
{
	cJSON *root = cJSON_ParseWithLength(json, len);
	const cJSON *it, *user, *num;

	if (!cJSON_IsArray(root)) {
		cJSON_Delete(root);
		return -1;
	}
	cJSON_ArrayForEach(it, root) {
		const char *body = str_of(it, "body"), *state = str_of(it, "state");

		num = cJSON_GetObjectItemCaseSensitive(it, "number");
		user = cJSON_GetObjectItemCaseSensitive(it, "user");
		if (cJSON_GetObjectItemCaseSensitive(it, "pull_request") || !cJSON_IsNumber(num) ||
		    !body || !state)
			continue;
		if (a->n == a->alloc) {
			a->alloc = a->alloc ? 2 * a->alloc : 32;
			a->v = xrealloc(a->v, a->alloc * sizeof(*a->v));
		}
		a->v[a->n].number = (long)num->valuedouble;
		a->v[a->n].open = !strcmp(state, "open");
		a->v[a->n].body = xstrdup(body);
		a->v[a->n].login = str_of(user, "login") ? xstrdup(str_of(user, "login")) : NULL;
		a->v[a->n].html_url =
			str_of(it, "html_url") ? xstrdup(str_of(it, "html_url")) : NULL;
		a->n++;
	}
	cJSON_Delete(root);
	return 0;
}

/* Every issue of the repository (both states), newest first. */
static int issues_list(struct alert *a, struct github_error *err)
{
	struct http_response res;
	char *url = xstrfmt("/repos/%s/issues?state=all&per_page=100", a->gh.repo), *next;
	const char *link;
	int page, rc, ret = -1;

	http_response_init(&res);
	issues_release(a);
	for (page = 1; page <= ALERT_MAX_PAGES; page++) {
		rc = github_request(&a->gh, "GET", url, NULL, &res);
		if (rc < 0 || res.status != 200) {
			fill_error(err, &res, rc);
			goto out;
		}
		if (issues_add_page(a, res.body.s, res.body.len) < 0) {
			github_error_release(err);
			err->status = res.status;
			err->message = xstrdup("unreadable list of issues");
			goto out;
		}
		link = http_response_header(&res, "Link");
		next = link ? github_link_next(link) : NULL;
		if (!next) {
			ret = 0;
			goto out;
		}
		if (next[0] != '/' && strncmp(next, a->gh.api_url, strlen(a->gh.api_url))) {
			github_error_release(err);
			err->off_origin = 1;
			err->message =
				xstrfmt("the next page's Link points to another origin ('%s'): "
					"not followed",
					next);
			free(next);
			goto out;
		}
		free(url);
		url = next;
	}
	github_error_release(err);
	err->message = xstrfmt("more than %d pages of issues: stopped listing", ALERT_MAX_PAGES);
out:
	free(url);
	http_response_release(&res);
	return ret;
}

/* The series' issue: the open one first, else a closed one (newest first). */
static const struct issue *issue_find(const struct alert *a, const char *marker, int open)
{
	size_t i;

	for (i = 0; i < a->n; i++)
		if (a->v[i].open == open && github_body_has_marker(a->v[i].body, marker) &&
		    (!a->author || (a->v[i].login && !strcmp(a->v[i].login, a->author))))
			return &a->v[i];
	return NULL;
}

struct recheck_ctx {
	struct alert *a;
	const char *marker, *cp_marker;
};

/* After a POST whose outcome is unknown: is the issue there now? */
static int recheck_issue(struct github *gh, void *vctx)
{
	struct recheck_ctx *c = vctx;
	struct github_error err = GITHUB_ERROR_INIT;
	const struct issue *is;
	int rc;

	(void)gh;
	rc = issues_list(c->a, &err);
	github_error_release(&err);
	if (rc < 0)
		return -1;
	is = issue_find(c->a, c->marker, 1);
	return is && strstr(is->body, c->cp_marker) ? 1 : 0;
}

/* POST a new issue, or PATCH issue `number`. */
static int issue_send(struct alert *a, long number, const char *title, const char *body,
		      struct recheck_ctx *rc_ctx, long *out_number, char **out_url,
		      struct github_error *err)
{
	struct http_response res;
	cJSON *o = cJSON_CreateObject(), *root = NULL;
	const cJSON *num;
	char *json, *url;
	int rc, ret = -1;

	http_response_init(&res);
	*out_url = NULL;
	if (!o || !cJSON_AddStringToObject(o, "title", title) ||
	    !cJSON_AddStringToObject(o, "body", body) || !(json = cJSON_PrintUnformatted(o)))
		abort();
	if (number) {
		url = xstrfmt("/repos/%s/issues/%ld", a->gh.repo, number);
		rc = github_request(&a->gh, "PATCH", url, json, &res);
	} else {
		url = xstrfmt("/repos/%s/issues", a->gh.repo);
		rc = github_request_recheck(&a->gh, "POST", url, json, &res, recheck_issue, rc_ctx);
	}
	if (rc == 1) {
		/* the lost POST made it after all: the listing has it */
		const struct issue *is = issue_find(a, rc_ctx->marker, 1);

		*out_number = is ? is->number : 0;
		*out_url = is && is->html_url ? xstrdup(is->html_url) : NULL;
		ret = 0;
	} else if (rc == 0 && res.status == (number ? 200 : 201)) {
		root = cJSON_ParseWithLength(res.body.s, res.body.len);
		num = cJSON_GetObjectItemCaseSensitive(root, "number");
		*out_number = cJSON_IsNumber(num) ? (long)num->valuedouble : number;
		*out_url = str_of(root, "html_url") ? xstrdup(str_of(root, "html_url")) : NULL;
		ret = 0;
	} else {
		fill_error(err, &res, rc);
	}
	cJSON_Delete(root);
	cJSON_Delete(o);
	free(json);
	free(url);
	http_response_release(&res);
	return ret;
}

/* A failure to write: 403 is the missing permission (warning, summary). */
static int explain(struct alert *a, const char *what, const struct github_error *err,
		   const char *md)
{
	const char *msg = err->message ? err->message : "";

	if (err->status == 403 && !err->rate_limited) {
		if (!a->forbidden) {
			warning("cannot %s: 403 %s: the workflow's token lacks 'permissions: "
				"issues: write'; the alert is in the job summary",
				what, msg);
			actions_annotate(ACTIONS_WARNING, "spin-gate: no issues: write",
					 "The history found a regression but cannot open an "
					 "issue: add 'permissions: issues: write'. The alert is "
					 "in the job summary.");
		}
		a->forbidden = 1;
		if (md)
			actions_summary_append(&a->env, md, strlen(md));
		return EXIT_PASS;
	}
	if (err->off_origin) /* nothing was sent there: not a network failure */
		error("cannot %s: %s", what, msg);
	else if (err->status == 0)
		error("cannot %s: cannot reach '%s': %s", what, a->gh.api_url, msg);
	else
		error("cannot %s: HTTP %ld: %s", what, err->status, msg);
	return EXIT_POST_ERROR;
}

static int comment_undone(struct alert *a, const struct issue *is, const struct render_alert *ra,
			  size_t undo)
{
	struct github_error err = GITHUB_ERROR_INIT;
	struct github_comment c = GITHUB_COMMENT_INIT;
	struct github_comment_match m = { NULL, a->author, NULL, 0 };
	struct buf marker = BUF_INIT, body = BUF_INIT;
	const struct series *s = ra->s;
	int rc, ret = EXIT_PASS;

	render_alert_undone_marker(&marker,
				   record_id(series_record(ra->set, s, s->cps[undo].index)));
	render_alert_undone(&body, ra, undo);
	m.marker = marker.s;
	rc = github_comment_find(&a->gh, is->number, &m, &c, &err);
	if (rc == 1) {
		note("issue #%ld already says the regression was undone", is->number);
	} else if (rc == 0) {
		github_comment_release(&c);
		if (github_comment_create(&a->gh, is->number, body.s, marker.s, a->author, &c,
					  &err) < 0)
			ret = explain(a, "comment on the alert's issue", &err, body.s);
		else
			printf("commented on issue #%ld: undone%s%s\n", is->number,
			       c.html_url ? ": " : "", c.html_url ? c.html_url : "");
	} else {
		ret = explain(a, "list the comments of the alert's issue", &err, body.s);
	}
	github_comment_release(&c);
	github_error_release(&err);
	buf_release(&marker);
	buf_release(&body);
	return ret;
}

static int alert_series(struct alert *a, const struct series_set *set, const struct series *s,
			unsigned bad)
{
	struct render_alert ra = { set, s, 0, a->o->name, a->env.server_url, a->env.repository };
	struct github_error err = GITHUB_ERROR_INIT;
	struct buf marker = BUF_INIT, cp_marker = BUF_INIT, title = BUF_INIT, body = BUF_INIT;
	struct recheck_ctx rctx;
	const struct issue *open, *closed;
	size_t undo;
	long number = 0;
	char *url = NULL;
	int ret = EXIT_PASS, was_open;

	if (!alert_pick(s, bad, &ra.cp, &undo))
		return EXIT_PASS;
	render_alert_marker(&marker, a->o->name, s);
	render_alert_cp_marker(&cp_marker, record_id(series_record(set, s, s->cps[ra.cp].index)));
	render_alert_title(&title, &ra);
	render_alert_body(&body, &ra);
	open = issue_find(a, marker.s, 1);
	closed = issue_find(a, marker.s, 0);
	if (undo != SIZE_MAX) {
		if (open && strstr(open->body, cp_marker.s) && !a->forbidden)
			ret = comment_undone(a, open, &ra, undo);
		else
			note("%s %s: the regression at its change point was undone later: no "
			     "issue",
			     s->scenario, s->metric);
		goto out;
	}
	if (!open && closed && strstr(closed->body, cp_marker.s)) {
		note("%s %s: issue #%ld about this change point was closed: not opened again",
		     s->scenario, s->metric, closed->number);
		goto out;
	}
	if (a->forbidden) {
		actions_summary_append(&a->env, body.s, body.len);
		goto out;
	}
	/* a recheck lists the issues again: `open` does not outlive issue_send() */
	was_open = open != NULL;
	rctx = (struct recheck_ctx){ a, marker.s, cp_marker.s };
	if (issue_send(a, open ? open->number : 0, title.s, body.s, &rctx, &number, &url, &err) <
	    0) {
		ret = explain(a, was_open ? "update the alert's issue" : "open an issue", &err,
			      body.s);
		goto out;
	}
	printf("%s issue #%ld: %s%s%s\n", was_open ? "updated" : "opened", number, title.s,
	       url ? " " : "", url ? url : "");
out:
	free(url);
	github_error_release(&err);
	buf_release(&marker);
	buf_release(&cp_marker);
	buf_release(&title);
	buf_release(&body);
	return ret;
}

int alert_run(const struct series_set *set, const struct thresholds *t, const struct alert_opts *o)
{
	struct alert a;
	struct github_error err = GITHUB_ERROR_INIT;
	const char *token = getenv(o->token_env), *api;
	size_t i, guarded = 0;
	int ret = EXIT_PASS, rc;

	memset(&a, 0, sizeof(a));
	a.o = o;
	actions_env_load(&a.env);
	for (i = 0; i < set->n; i++) {
		size_t cp, undo;

		guarded += alert_pick(&set->v[i], series_bad_direction(t, &set->v[i]), &cp, &undo);
	}
	if (!guarded) {
		note("no change point in a check's bad direction: no alert");
		actions_env_release(&a.env);
		return EXIT_PASS;
	}
	if (!token || !*token) {
		error("no token: $%s is not set (--alert needs a token with issues: write)",
		      o->token_env);
		actions_env_release(&a.env);
		return EXIT_POST_ERROR;
	}
	msg_add_secret(token);
	actions_add_mask(&a.env, token);
	if (!a.env.repository || !strchr(a.env.repository, '/')) {
		error("--alert: $GITHUB_REPOSITORY is not set (owner/name)");
		actions_env_release(&a.env);
		return EXIT_POST_ERROR;
	}
	api = o->api_url ? o->api_url : a.env.api_url ? a.env.api_url : "https://api.github.com";
	github_init(&a.gh, api, a.env.repository, token);
	if (github_config_from_env(&a.gh) < 0) {
		ret = EXIT_USAGE;
		goto out;
	}
	a.author = o->author						    ? o->author
		   : a.env.enabled && !strcmp(o->token_env, "GITHUB_TOKEN") ? ALERT_BOT_LOGIN
									    : NULL;
	if (issues_list(&a, &err) < 0) {
		ret = explain(&a, "list the repository's issues", &err, NULL);
		if (!a.forbidden)
			goto out;
	}
	for (i = 0; i < set->n; i++) {
		unsigned bad = series_bad_direction(t, &set->v[i]);

		if (!bad)
			continue;
		rc = alert_series(&a, set, &set->v[i], bad);
		if (rc != EXIT_PASS) {
			ret = rc;
			break;
		}
	}
out:
	github_error_release(&err);
	issues_release(&a);
	github_release(&a.gh);
	actions_env_release(&a.env);
	return ret;
}
