/*
 * libFuzzer target: record_parse(), the record.json reader that `history`
 * trusts with every file of a history branch (anyone who can push to the
 * branch writes them). Checks that what it accepts survives a round trip:
 * written back and read again, it is the same record.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "msg.h"
#include "record.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *null;
	static char path[64];
	struct record r, r2;
	cJSON *a, *b;

	if (!null) {
		null = fopen("/dev/null", "w");
		msg_set_stream(null);
		snprintf(path, sizeof(path), "/tmp/fuzz-record-%ld.json", (long)getpid());
	}
	if (record_parse(&r, (const char *)data, size, "fuzz") < 0)
		return 0;
	if (record_write(&r, path) < 0 || record_read(&r2, path) < 0)
		abort();
	a = record_to_json(&r, "a");
	b = record_to_json(&r2, "b");
	if (!a || !b || !cJSON_Compare(a, b, 1))
		abort();
	cJSON_Delete(a);
	cJSON_Delete(b);
	record_release(&r);
	record_release(&r2);
	unlink(path);
	return 0;
}
