#ifndef SPIN_GATE_HTTP_H
#define SPIN_GATE_HTTP_H
/*
 * http: one HTTP transfer, the only place that uses libcurl (after curl's
 * tool_operate.c, without the tool).
 *
 *   struct http_request req = HTTP_REQUEST_INIT;
 *   struct http_response res;
 *
 *   req.method = "GET";
 *   req.url = "https://api.github.com/repos/o/r/issues/1/comments?per_page=100";
 *   req.headers = headers;            NULL-terminated "Name: value" lines
 *   http_response_init(&res);
 *   if (http_perform(&req, &res) < 0)
 *           return error("cannot reach '%s': %s", req.url, res.error);
 *   use(res.status, res.body.s, http_response_header(&res, "Link"));
 *   http_response_release(&res);
 *
 * Every transfer has a connect timeout and a total timeout (milliseconds,
 * both required to be positive: a request without them is refused), and an
 * error buffer. Redirects are not followed; only http and https are allowed.
 * There are no retries here: github.c decides what to retry and how long to
 * wait.
 *
 * The request borrows everything it points to. The response owns its body
 * and header copies; http_response_release() frees them.
 */
#include <stddef.h>

#include "buf.h"

/* Same size as libcurl's CURL_ERROR_SIZE (checked in http.c). */
#define HTTP_ERROR_SIZE 256

/* The body kept from one response; the rest is dropped and `truncated` set. */
#define HTTP_MAX_BODY (16u * 1024 * 1024)

struct http_request {
	const char *method; /* "GET", "POST", "PATCH" */
	const char *url;
	const char *const *headers; /* NULL-terminated "Name: value" lines, or NULL */
	const char *body;	    /* request body, or NULL for none */
	size_t body_len;
	long connect_timeout_ms; /* CURLOPT_CONNECTTIMEOUT_MS; must be > 0 */
	long timeout_ms;	 /* CURLOPT_TIMEOUT_MS, the whole transfer; must be > 0 */
};

#define HTTP_REQUEST_INIT                                \
	{                                                \
		"GET", NULL, NULL, NULL, 0, 10000, 30000 \
	}

/* One header of a response: its name as the server spelt it, its value
 * trimmed. */
struct http_header {
	char *name;
	char *value;
};

struct http_response {
	long status; /* HTTP status of the last response; 0 when none came */
	struct buf body;
	int truncated; /* body was longer than HTTP_MAX_BODY */
	/* Every header of the last response, in the order received; a name
	 * that comes again is joined to the first with ", " (RFC 9110 5.3).
	 * Read them with http_response_header(). */
	struct http_header *headers;
	size_t nheaders;
	size_t headers_alloc;
	int timed_out; /* the transfer hit a timeout */
	/* http_perform() failed before the request could reach the server (no
	 * name, no connection, a request refused here): sending it again
	 * cannot do it twice. 0 when it may have been received. */
	int not_sent;
	char error[HTTP_ERROR_SIZE]; /* why http_perform() failed; "" otherwise */
};

void http_response_init(struct http_response *res);
/* Free what the response owns and init it again. */
void http_response_release(struct http_response *res);

/* The value of header `name` (any case), or NULL when the response has
 * none. Borrowed from res. */
const char *http_response_header(const struct http_response *res, const char *name);
/* Record a header (http_cb_header() does; tests fake answers with it).
 * Copies both; a name already there gets ", value" appended. */
void http_response_add_header(struct http_response *res, const char *name, size_t name_len,
			      const char *value, size_t value_len);
/* Forget every header (a new response started). */
void http_response_clear_headers(struct http_response *res);

/* Call once before any transfer and once at the end (curl_global_*). */
int http_global_init(void);
void http_global_cleanup(void);

/*
 * Perform one request. Returns 0 when a response arrived, whatever its status
 * (res->status, res->body and the headers are filled), or -1 when none did
 * (could not resolve, connect, timed out, TLS failure, bad request struct):
 * res->error says why and res->timed_out is set for timeouts. Prints nothing.
 */
int http_perform(const struct http_request *req, struct http_response *res);

/*
 * libcurl callbacks (http_cb.c), declared here for http.c and the unit tests.
 * `userdata` is the struct http_response.
 *
 * http_cb_header() takes one raw header line as libcurl gives it ("HTTP/1.1
 * 200 OK\r\n", "Link: <...>; rel=\"next\"\r\n", "\r\n"). A status line starts
 * a new response (after a 100 Continue or a proxy's 200) and forgets the
 * headers seen so far; every other "Name: value" line is kept
 * (http_response_add_header()), its value trimmed.
 */
size_t http_cb_body(char *data, size_t size, size_t nmemb, void *userdata);
size_t http_cb_header(char *data, size_t size, size_t nitems, void *userdata);

#endif
