/*
 * http: the header callback (status lines reset, names case-insensitive,
 * repeated Link joined), the body cap, and real transfers against a canned
 * server on 127.0.0.1: the exact request sent (method, headers, body), the
 * response read back, a server that never answers (the total timeout
 * fires), a closed port, and a request without timeouts (refused).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "http.h"
#include "testlib.h"

static void header(struct http_response *res, const char *line)
{
	char *copy = strdup(line);

	assert_int_equal(http_cb_header(copy, 1, strlen(copy), res), strlen(line));
	free(copy);
}

static void test_header_callback(void **state)
{
	struct http_response res;

	(void)state;
	http_response_init(&res);
	header(&res, "HTTP/1.1 100 Continue\r\n");
	header(&res, "Retry-After: 99\r\n");
	header(&res, "HTTP/1.1 429 Too Many Requests\r\n"); /* forgets the 100's headers */
	assert_null(http_response_header(&res, "Retry-After"));
	header(&res, "retry-after:  30 \r\n");
	header(&res, "X-RateLimit-Remaining: 0\r\n");
	header(&res, "x-ratelimit-reset: 1700000000\r\n");
	header(&res, "LINK: <https://x/2>; rel=\"next\"\r\n");
	header(&res, "Link: <https://x/9>; rel=\"last\"\r\n");
	header(&res, "X-Other: kept\r\n");
	header(&res, "no colon here\r\n");
	header(&res, "\r\n");
	assert_string_equal(http_response_header(&res, "Retry-After"), "30");
	assert_string_equal(http_response_header(&res, "x-ratelimit-remaining"), "0");
	assert_string_equal(http_response_header(&res, "X-RateLimit-Reset"), "1700000000");
	assert_string_equal(http_response_header(&res, "Link"),
			    "<https://x/2>; rel=\"next\", <https://x/9>; rel=\"last\"");
	assert_string_equal(http_response_header(&res, "x-other"), "kept");
	assert_null(http_response_header(&res, "X-Absent"));
	assert_int_equal(res.nheaders, 5);
	http_response_release(&res);
	assert_null(http_response_header(&res, "Link"));
}

static void test_body_cap(void **state)
{
	struct http_response res;
	char *chunk = malloc(1024 * 1024);
	int i;

	(void)state;
	memset(chunk, 'x', 1024 * 1024);
	http_response_init(&res);
	for (i = 0; i < 17; i++)
		assert_int_equal(http_cb_body(chunk, 1, 1024 * 1024, &res), 1024 * 1024);
	assert_int_equal(res.body.len, HTTP_MAX_BODY);
	assert_true(res.truncated);
	http_response_release(&res);
	free(chunk);
}

/* ---- a canned server ---- */

struct server {
	int fd;
	int port;
	int answer; /* 0: accept and never answer */
	const char *reply;
	struct buf request;
	pthread_t thread;
	int stop[2]; /* a pipe: closing it ends a silent server */
};

static void *serve(void *arg)
{
	struct server *s = arg;
	char b[4096];
	int c = accept(s->fd, NULL, NULL);
	ssize_t n;
	const char *end;
	size_t want = 0;

	if (c < 0)
		return NULL;
	if (!s->answer) {
		/* hold the connection until the test is done */
		n = read(s->stop[0], b, 1);
		close(c);
		return NULL;
	}
	while ((n = read(c, b, sizeof(b))) > 0) {
		buf_add(&s->request, b, (size_t)n);
		end = strstr(s->request.s, "\r\n\r\n");
		if (end) {
			const char *cl = strcasestr(s->request.s, "\r\nContent-Length: ");

			want = (size_t)(end + 4 - s->request.s) +
			       (cl && cl < end ? strtoul(cl + 18, NULL, 10) : 0);
			if (s->request.len >= want)
				break;
		}
	}
	if (write(c, s->reply, strlen(s->reply)) < 0)
		perror("write");
	close(c);
	return NULL;
}

static void server_start(struct server *s, int answer, const char *reply)
{
	struct sockaddr_in a;
	socklen_t len = sizeof(a);
	int one = 1;

	memset(s, 0, sizeof(*s));
	s->answer = answer;
	s->reply = reply;
	assert_int_equal(pipe(s->stop), 0);
	s->fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(s->fd >= 0);
	setsockopt(s->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(s->fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(listen(s->fd, 4), 0);
	assert_int_equal(getsockname(s->fd, (struct sockaddr *)&a, &len), 0);
	s->port = ntohs(a.sin_port);
	assert_int_equal(pthread_create(&s->thread, NULL, serve, s), 0);
}

static void server_stop(struct server *s)
{
	close(s->stop[1]);
	pthread_join(s->thread, NULL);
	close(s->stop[0]);
	close(s->fd);
}

static void test_transfer(void **state)
{
	static const char reply[] = "HTTP/1.1 201 Created\r\n"
				    "Content-Type: application/json; charset=utf-8\r\n"
				    "Link: <http://127.0.0.1/x?page=2>; rel=\"next\"\r\n"
				    "X-RateLimit-Remaining: 4999\r\n"
				    "Content-Length: 13\r\n"
				    "Connection: close\r\n\r\n"
				    "{\"id\": 12345}";
	static const char *const headers[] = { "Accept: application/vnd.github+json",
					       "X-GitHub-Api-Version: 2022-11-28", NULL };
	struct server s;
	struct http_request req = HTTP_REQUEST_INIT;
	struct http_response res;
	char url[128];

	(void)state;
	server_start(&s, 1, reply);
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/repos/o/r/issues/comments/7", s.port);
	req.method = "PATCH";
	req.url = url;
	req.headers = headers;
	req.body = "{\"body\":\"hi\"}";
	req.body_len = strlen(req.body);
	http_response_init(&res);
	assert_int_equal(http_perform(&req, &res), 0);
	server_stop(&s);

	assert_int_equal(res.status, 201);
	assert_string_equal(res.body.s, "{\"id\": 12345}");
	assert_string_equal(http_response_header(&res, "Link"),
			    "<http://127.0.0.1/x?page=2>; rel=\"next\"");
	assert_string_equal(http_response_header(&res, "X-RateLimit-Remaining"), "4999");
	assert_null(http_response_header(&res, "Retry-After"));
	assert_string_equal(res.error, "");
	/* the exact request */
	if (strncmp(s.request.s, "PATCH /repos/o/r/issues/comments/7 HTTP/1.1\r\n", 45))
		fail_msg("request: %s", s.request.s);
	assert_non_null(strstr(s.request.s, "\r\nAccept: application/vnd.github+json\r\n"));
	assert_non_null(strstr(s.request.s, "\r\nX-GitHub-Api-Version: 2022-11-28\r\n"));
	assert_non_null(strstr(s.request.s, "\r\nContent-Length: 13\r\n"));
	assert_null(strstr(s.request.s, "Expect:"));
	assert_true(s.request.len > 13 &&
		    !strcmp(s.request.s + s.request.len - 13, "{\"body\":\"hi\"}"));
	http_response_release(&res);
	buf_release(&s.request);
}

static void test_timeout(void **state)
{
	struct server s;
	struct http_request req = HTTP_REQUEST_INIT;
	struct http_response res;
	char url[128];
	double t0, took;

	(void)state;
	server_start(&s, 0, NULL);
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/never", s.port);
	req.url = url;
	req.connect_timeout_ms = 300;
	req.timeout_ms = 300;
	http_response_init(&res);
	t0 = now();
	assert_int_equal(http_perform(&req, &res), -1);
	took = now() - t0;
	server_stop(&s);
	assert_true(res.timed_out);
	assert_false(res.not_sent); /* connected: the server may have read it */
	assert_int_equal(res.status, 0);
	assert_true(strlen(res.error) > 0);
	assert_true(took >= 0.25 && took < 3);
	http_response_release(&res);
	buf_release(&s.request);
}

/* A port nobody listens on: bound to learn a free number, then closed. */
static int closed_port(void)
{
	struct sockaddr_in a;
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
	close(fd);
	return ntohs(a.sin_port);
}

static void test_refused_and_invalid(void **state)
{
	struct http_request req = HTTP_REQUEST_INIT;
	struct http_response res;
	char url[128];

	(void)state;
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/", closed_port());
	http_response_init(&res);
	req.url = url;
	assert_int_equal(http_perform(&req, &res), -1);
	assert_false(res.timed_out);
	assert_true(res.not_sent); /* refused: safe to send again */
	assert_true(strlen(res.error) > 0);

	req.timeout_ms = 0;
	assert_int_equal(http_perform(&req, &res), -1);
	assert_string_equal(res.error, "request without timeouts");
	req.timeout_ms = 1000;
	req.url = "file:///etc/passwd";
	assert_int_equal(http_perform(&req, &res), -1); /* http and https only */
	http_response_release(&res);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_header_callback),
		cmocka_unit_test(test_body_cap),
		cmocka_unit_test(test_transfer),
		cmocka_unit_test(test_timeout),
		cmocka_unit_test(test_refused_and_invalid),
	};
	int rc;

	http_global_init();
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	http_global_cleanup();
	return rc;
}
