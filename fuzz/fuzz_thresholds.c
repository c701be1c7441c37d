/*
 * libFuzzer target: thresholds_parse(), the checks file. Checks that what it
 * accepts is consistent (every check named, confidence and runs in range) and
 * that a rejected file leaves the struct empty.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "msg.h"
#include "thresholds.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *null;
	struct thresholds t;
	size_t i;

	if (!null) {
		null = fopen("/dev/null", "w");
		msg_set_stream(null);
	}
	if (thresholds_parse(&t, (const char *)data, size, "thresholds.json") == 0) {
		if (!(t.confidence > 0.5 && t.confidence < 1) || t.runs < 2 || t.max_runs < t.runs ||
		    !t.nchecks)
			abort();
		for (i = 0; i < t.nchecks; i++)
			if (!t.checks[i].name || !t.checks[i].name[0])
				abort();
	} else if (t.nchecks || t.checks) {
		abort();
	}
	thresholds_release(&t);
	return 0;
}
