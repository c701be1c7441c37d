/*
 * http_cb: the libcurl write and header callbacks (after curl's tool_cb_wrt.c
 * and tool_cb_hdr.c). They only collect: nothing here decides anything.
 */
#include "http.h"

#include <string.h>

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

size_t http_cb_header(char *data, size_t size, size_t nitems, void *userdata)
{
	struct http_response *res = userdata;
	size_t n = size * nitems, name_len, vlen;
	const char *colon, *v, *end = data + n;

	if (n >= 5 && !memcmp(data, "HTTP/", 5)) {
		http_response_clear_headers(res);
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
	if (name_len)
		http_response_add_header(res, data, name_len, v, vlen);
	return n;
}
