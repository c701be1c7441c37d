/*
 * libFuzzer target: hyperfine_parse_export(), hyperfine's JSON export. On
 * success the sample's exit code is an integer and the times are numbers.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "hyperfine.h"
#include "msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *null;
	struct sample s = { 0 };

	if (!null) {
		null = fopen("/dev/null", "w");
		msg_set_stream(null);
	}
	if (hyperfine_parse_export((const char *)data, size, "export.json", NULL, &s) == 0 &&
	    (isnan(s.wall) && isnan(s.user) && isnan(s.sys)))
		abort();
	return 0;
}
