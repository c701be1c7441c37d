/*
 * libFuzzer target: the parsers of GitHub's answers to the comment
 * endpoints: github_comments_search() (a page of GET .../comments) with
 * and without an author, and github_error_message() (error bodies). Also
 * mdcut_truncate() on the same bytes as a verdict: the result must fit.
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
	struct github_comment c = { 0, NULL };
	const char *text = (const char *)data;
	char *msg, *s, *cut;
	int rc;

	if (!null) {
		null = fopen("/dev/null", "w");
		msg_set_stream(null);
	}
	rc = github_comments_search(text, size, "<!-- spin-gate:spin-gate -->", NULL, &c, "page");
	if (rc == 1 && c.id < 1)
		abort();
	github_comment_release(&c);
	rc = github_comments_search(text, size, "<!-- spin-gate:spin-gate -->", "github-actions[bot]",
				    &c, "page");
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
