/*
 * http: one libcurl easy transfer per request. See http.h.
 */
#include "http.h"

#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

_Static_assert(HTTP_ERROR_SIZE >= CURL_ERROR_SIZE,
	       "HTTP_ERROR_SIZE is smaller than CURL_ERROR_SIZE");

void http_response_init(struct http_response *res)
{
	memset(res, 0, sizeof(*res));
	buf_init(&res->body);
}

void http_response_clear_headers(struct http_response *res)
{
	size_t i;

	for (i = 0; i < res->nheaders; i++) {
		free(res->headers[i].name);
		free(res->headers[i].value);
	}
	free(res->headers);
	res->headers = NULL;
	res->nheaders = res->headers_alloc = 0;
}

void http_response_release(struct http_response *res)
{
	buf_release(&res->body);
	http_response_clear_headers(res);
	http_response_init(res);
}

static struct http_header *find_header(const struct http_response *res, const char *name,
				       size_t len)
{
	size_t i;

	for (i = 0; i < res->nheaders; i++)
		if (strlen(res->headers[i].name) == len &&
		    !strncasecmp(res->headers[i].name, name, len))
			return &res->headers[i];
	return NULL;
}

const char *http_response_header(const struct http_response *res, const char *name)
{
	const struct http_header *h = find_header(res, name, strlen(name));

	return h ? h->value : NULL;
}

void http_response_add_header(struct http_response *res, const char *name, size_t name_len,
			      const char *value, size_t value_len)
{
	struct http_header *h = find_header(res, name, name_len);

	if (h) {
		char *joined = xstrfmt("%s, %.*s", h->value, (int)value_len, value);

		free(h->value);
		h->value = joined;
		return;
	}
	ALLOC_GROW(res->headers, res->nheaders + 1, res->headers_alloc);
	h = &res->headers[res->nheaders++];
	h->name = xstrndup(name, name_len);
	h->value = xstrndup(value, value_len);
}

int http_global_init(void)
{
	return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? 0 : -1;
}

void http_global_cleanup(void)
{
	curl_global_cleanup();
}

static void set_error(struct http_response *res, const char *why)
{
	snprintf(res->error, sizeof(res->error), "%s", why);
}

/* One setopt failure is as fatal as any: remember the first. */
#define SETOPT(h, opt, val)                                       \
	do {                                                      \
		if (rc == CURLE_OK)                               \
			rc = curl_easy_setopt((h), (opt), (val)); \
	} while (0)

int http_perform(const struct http_request *req, struct http_response *res)
{
	CURL *h = NULL;
	struct curl_slist *hdrs = NULL, *tmp;
	const char *const *p;
	CURLcode rc = CURLE_OK;
	long status = 0;
	int ret = -1;

	res->error[0] = '\0';
	res->not_sent = 1; /* until curl_easy_perform() has tried */
	if (!req->url || !req->method) {
		set_error(res, "request without a URL or method");
		return -1;
	}
	if (req->connect_timeout_ms <= 0 || req->timeout_ms <= 0) {
		set_error(res, "request without timeouts");
		return -1;
	}
	h = curl_easy_init();
	if (!h) {
		set_error(res, "cannot start a transfer");
		return -1;
	}
	for (p = req->headers; p && *p; p++) {
		tmp = curl_slist_append(hdrs, *p);
		if (!tmp) {
			set_error(res, "out of memory");
			goto out;
		}
		hdrs = tmp;
	}
	/* No "Expect: 100-continue" round trip for large bodies. */
	tmp = curl_slist_append(hdrs, "Expect:");
	if (!tmp) {
		set_error(res, "out of memory");
		goto out;
	}
	hdrs = tmp;

	SETOPT(h, CURLOPT_ERRORBUFFER, res->error);
	SETOPT(h, CURLOPT_URL, req->url);
	SETOPT(h, CURLOPT_PROTOCOLS_STR, "http,https");
	SETOPT(h, CURLOPT_FOLLOWLOCATION, 0L);
	SETOPT(h, CURLOPT_NOSIGNAL, 1L);
	SETOPT(h, CURLOPT_CONNECTTIMEOUT_MS, req->connect_timeout_ms);
	SETOPT(h, CURLOPT_TIMEOUT_MS, req->timeout_ms);
	SETOPT(h, CURLOPT_ACCEPT_ENCODING, "");
	SETOPT(h, CURLOPT_HTTPHEADER, hdrs);
	SETOPT(h, CURLOPT_WRITEFUNCTION, http_cb_body);
	SETOPT(h, CURLOPT_WRITEDATA, res);
	SETOPT(h, CURLOPT_HEADERFUNCTION, http_cb_header);
	SETOPT(h, CURLOPT_HEADERDATA, res);
	if (req->body) {
		SETOPT(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)req->body_len);
		SETOPT(h, CURLOPT_POSTFIELDS, req->body);
	}
	if (strcmp(req->method, "GET") && strcmp(req->method, "POST"))
		SETOPT(h, CURLOPT_CUSTOMREQUEST, req->method);
	else if (!strcmp(req->method, "POST") && !req->body)
		SETOPT(h, CURLOPT_POSTFIELDS, "");
	if (rc != CURLE_OK) {
		if (!res->error[0])
			set_error(res, curl_easy_strerror(rc));
		goto out;
	}

	rc = curl_easy_perform(h);
	res->not_sent = rc == CURLE_COULDNT_RESOLVE_PROXY || rc == CURLE_COULDNT_RESOLVE_HOST ||
			rc == CURLE_COULDNT_CONNECT;
	if (rc != CURLE_OK) {
		res->timed_out = rc == CURLE_OPERATION_TIMEDOUT;
		if (!res->error[0])
			set_error(res, curl_easy_strerror(rc));
		goto out;
	}
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	res->status = status;
	ret = 0;
out:
	curl_slist_free_all(hdrs);
	curl_easy_cleanup(h);
	return ret;
}
