/*
 * libFuzzer target: event_parse(), the GitHub Actions event payload, under
 * each event name it knows. Checks the result is consistent: a pull request
 * number is positive or 0.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "event.h"
#include "msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = { "pull_request", "pull_request_target", "workflow_run",
					     "issue_comment", "push", NULL };
	static FILE *null;
	struct event ev;
	size_t i;

	if (!null) {
		null = fopen("/dev/null", "w");
		msg_set_stream(null);
	}
	event_init(&ev);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		event_parse(&ev, names[i], (const char *)data, size, "event.json");
		if (ev.pr < 0 || (ev.fork != 0 && ev.fork != 1))
			abort();
	}
	event_release(&ev);
	return 0;
}
