/*
 * libFuzzer target: the parsers of GitHub's answers to the comment
 * endpoints: github_comments_search() (a page of GET .../comments) by
 * marker with and without an author, and by body, author and created_at
 * (the check after a lost POST reply), and github_error_message() (error
 * bodies). Also mdcut_truncate() on the same bytes as a verdict: the result
 * must fit.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "github.h"
#include "mdcut.h"
#include "msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *null;
	struct github_comment c = GITHUB_COMMENT_INIT;
	struct github_comment_match any = { "<!-- spin-gate:spin-gate -->", NULL, NULL, 0 };
	struct github_comment_match ours = { "<!-- spin-gate:spin-gate -->", "github-actions[bot]",
					     NULL, 0 };
	struct github_comment_match sent = { NULL, "github-actions[bot]",
					     "<!-- spin-gate:spin-gate -->\nPASS", 1795456800 };
	const char *text = (const char *)data;
	char *msg, *s, *cut;
	int rc;

	if (!null) {
		null = fopen("/dev/null", "w");
		msg_set_stream(null);
	}
	rc = github_comments_search(text, size, &any, &c, "page");
	if (rc == 1 && (c.id < 1 || !c.body))
		abort();
	github_comment_release(&c);
	rc = github_comments_search(text, size, &ours, &c, "page");
	github_comment_release(&c);
	/* the check after a lost POST reply: body, author and created_at */
	rc = github_comments_search(text, size, &sent, &c, "page");
	if (rc == 1 && strcmp(c.body, sent.body))
		abort();
	github_comment_release(&c);
	msg = github_error_message(text, size);
	free(msg);

	s = xstrndup(text, size);
	cut = mdcut_truncate(s, size / 2 + 1, size & 1 ? "https://github.com/o/r/actions/runs/1" : NULL);
	if (strlen(cut) > size / 2 + 1)
		abort();
	free(cut);
	free(s);
	return 0;
}
