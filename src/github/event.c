/*
 * event: the GitHub Actions event payload. See event.h.
 */
#include "event.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "json.h"
#include "msg.h"

void event_init(struct event *ev)
{
	memset(ev, 0, sizeof(*ev));
}

void event_release(struct event *ev)
{
	free(ev->name);
	free(ev->base_sha);
	free(ev->head_sha);
	free(ev->base_repo);
	free(ev->head_repo);
	event_init(ev);
}

static const cJSON *get(const cJSON *o, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(o, key);
}

static char *dup_string(const cJSON *v)
{
	return cJSON_IsString(v) && v->valuestring ? xstrdup(v->valuestring) : NULL;
}

static int number(const cJSON *v, long *out)
{
	if (!cJSON_IsNumber(v) || !(v->valuedouble >= 1 && v->valuedouble <= 2147483647.0) ||
	    v->valuedouble != floor(v->valuedouble))
		return -1;
	*out = (long)v->valuedouble;
	return 0;
}

static int is_fork(const char *base, const char *head)
{
	if (!head)
		return 1;
	return base && strcmp(base, head) != 0;
}

static int parse_pull_request(struct event *ev, const cJSON *pr, const char *where)
{
	const cJSON *base = get(pr, "base"), *head = get(pr, "head");

	if (number(get(pr, "number"), &ev->pr) < 0)
		return error("'%s': pull_request.number: expected a positive whole number", where);
	ev->base_sha = dup_string(get(base, "sha"));
	ev->head_sha = dup_string(get(head, "sha"));
	ev->base_repo = dup_string(get(get(base, "repo"), "full_name"));
	ev->head_repo = dup_string(get(get(head, "repo"), "full_name"));
	ev->fork = is_fork(ev->base_repo, ev->head_repo);
	return 0;
}

static int parse_workflow_run(struct event *ev, const cJSON *root, const char *where)
{
	const cJSON *run = get(root, "workflow_run"), *prs, *first;

	if (!cJSON_IsObject(run))
		return error("'%s': workflow_run: expected an object", where);
	ev->head_sha = dup_string(get(run, "head_sha"));
	ev->base_repo = dup_string(get(get(run, "repository"), "full_name"));
	if (!ev->base_repo)
		ev->base_repo = dup_string(get(get(root, "repository"), "full_name"));
	ev->head_repo = dup_string(get(get(run, "head_repository"), "full_name"));
	ev->fork = is_fork(ev->base_repo, ev->head_repo);
	prs = get(run, "pull_requests");
	first = cJSON_IsArray(prs) ? cJSON_GetArrayItem(prs, 0) : NULL;
	if (first) {
		if (number(get(first, "number"), &ev->pr) < 0)
			return error("'%s': workflow_run.pull_requests[0].number: "
				     "expected a positive whole number",
				     where);
		ev->base_sha = dup_string(get(get(first, "base"), "sha"));
	}
	return 0;
}

int event_parse(struct event *ev, const char *name, const char *text, size_t len, const char *where)
{
	cJSON *root;
	const cJSON *pr, *issue;
	int ret = 0;

	event_release(ev);
	if (name)
		ev->name = xstrdup(name);
	root = json_parse_text(text, len, where);
	if (!root)
		return -1;
	if (!cJSON_IsObject(root)) {
		ret = error("'%s': expected an object", where);
		goto out;
	}
	pr = get(root, "pull_request");
	issue = get(root, "issue");
	if (name && !strcmp(name, "workflow_run"))
		ret = parse_workflow_run(ev, root, where);
	else if (cJSON_IsObject(pr) && (!name || !strncmp(name, "pull_request", 12)))
		ret = parse_pull_request(ev, pr, where);
	else if (cJSON_IsObject(issue) && cJSON_IsObject(get(issue, "pull_request")) &&
		 (!name || !strcmp(name, "issue_comment")) &&
		 number(get(issue, "number"), &ev->pr) < 0)
		ret = error("'%s': issue.number: expected a positive whole number", where);
out:
	cJSON_Delete(root);
	if (ret < 0) {
		char *keep = ev->name;

		ev->name = NULL;
		event_release(ev);
		ev->name = keep;
	}
	return ret;
}

int event_read(struct event *ev, const char *name, const char *path)
{
	struct buf b = BUF_INIT;
	int ret;

	if (buf_read_file(&b, path) < 0) {
		ret = error_errno("cannot read event payload '%s'", path);
		goto out;
	}
	ret = event_parse(ev, name, b.s, b.len, path);
out:
	buf_release(&b);
	return ret;
}
