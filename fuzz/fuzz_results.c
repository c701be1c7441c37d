/*
 * libFuzzer target: results_read() and results_read_verdict(), the
 * results.json parsers that `judge` and `post` trust. It reads a file, so each input is written to a private
 * temporary file first. Checks that what it accepts survives a round trip:
 * written back and read again, it has the same scenarios and samples.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "msg.h"
#include "results.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *null;
	static char path[64], again[72];
	struct results r, r2;
	struct results_verdict rv;
	FILE *f;
	size_t i;
	int s;

	if (!null) {
		null = fopen("/dev/null", "w");
		msg_set_stream(null);
		snprintf(path, sizeof(path), "/tmp/fuzz-results-%ld.json", (long)getpid());
		snprintf(again, sizeof(again), "%s.again", path);
	}
	f = fopen(path, "w");
	if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0)
		abort();
	if (results_read(&r, path) == 0) {
		if (results_checkpoint(&r, again) < 0 || results_read(&r2, again) < 0)
			abort();
		if (r2.nscen != r.nscen)
			abort();
		for (i = 0; i < r.nscen; i++)
			for (s = 0; s < SIDE_COUNT; s++)
				if (r2.scen[i].samples[s].n != r.scen[i].samples[s].n)
					abort();
		results_release(&r2);
		unlink(again);
	}
	results_release(&r);
	if (results_read_verdict(&rv, path) == 0 && rv.has_verdict &&
	    (unsigned)rv.verdict >= STATUS_COUNT)
		abort();
	results_verdict_release(&rv);
	unlink(path);
	return 0;
}
