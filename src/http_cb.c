/*
 * http_cb: the libcurl write and header callbacks (after curl's tool_cb_wrt.c
 * and tool_cb_hdr.c). They only collect: nothing here decides anything.
 */
#include "http.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

size_t http_cb_body(char *data, size_t size, size_t nmemb, void *userdata)
{
	struct http_response *res = userdata;
	size_t n = size * nmemb;
	size_t room =
		HTTP_MAX_BODY - (res->body.len < HTTP_MAX_BODY ? res->body.len : HTTP_MAX_BODY);

	if (n > room) {
		res->truncated = 1;
		buf_add(&res->body, data, room);
	} else {
		buf_add(&res->body, data, n);
	}
	/* Keep reading past the cap so the connection ends cleanly. */
	return n;
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static void set_header(char **slot, const char *v, size_t len, int join)
{
	if (*slot && join) {
		char *joined = xstrfmt("%s, %.*s", *slot, (int)len, v);

		free(*slot);
		*slot = joined;
		return;
	}
	free(*slot);
	*slot = xstrndup(v, len);
}

static void forget_headers(struct http_response *res)
{
	free(res->link);
	free(res->retry_after);
	free(res->ratelimit_remaining);
	free(res->ratelimit_reset);
	res->link = res->retry_after = NULL;
	res->ratelimit_remaining = res->ratelimit_reset = NULL;
}

size_t http_cb_header(char *data, size_t size, size_t nitems, void *userdata)
{
	struct http_response *res = userdata;
	size_t n = size * nitems, name_len, vlen;
	const char *colon, *v, *end = data + n;

	if (n >= 5 && !memcmp(data, "HTTP/", 5)) {
		forget_headers(res);
		return n;
	}
	colon = memchr(data, ':', n);
	if (!colon)
		return n;
	name_len = (size_t)(colon - data);
	v = colon + 1;
	while (v < end && is_space(*v))
		v++;
	while (end > v && is_space(end[-1]))
		end--;
	vlen = (size_t)(end - v);

	if (name_len == 4 && !strncasecmp(data, "link", 4))
		set_header(&res->link, v, vlen, 1);
	else if (name_len == 11 && !strncasecmp(data, "retry-after", 11))
		set_header(&res->retry_after, v, vlen, 0);
	else if (name_len == 21 && !strncasecmp(data, "x-ratelimit-remaining", 21))
		set_header(&res->ratelimit_remaining, v, vlen, 0);
	else if (name_len == 17 && !strncasecmp(data, "x-ratelimit-reset", 17))
		set_header(&res->ratelimit_reset, v, vlen, 0);
	return n;
}
