/*
 * libFuzzer target: suite_load(), the suite.json parser. It reads a file, so
 * each input is written to a private temporary file first. Checks that an
 * accepted suite has a name and a command, and that loading never leaks or
 * crashes whatever the input.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "msg.h"
#include "suite.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *null;
	static char path[64];
	struct suite s;
	FILE *f;

	if (!null) {
		null = fopen("/dev/null", "w");
		msg_set_stream(null);
		snprintf(path, sizeof(path), "/tmp/fuzz-suite-%ld.json", (long)getpid());
	}
	f = fopen(path, "w");
	if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0)
		abort();
	memset(&s, 0, sizeof(s));
	if (suite_load(&s, path) == 0) {
		if (!s.name || !s.name[0] || !s.command || !s.command[0])
			abort();
	}
	suite_release(&s);
	unlink(path);
	return 0;
}
