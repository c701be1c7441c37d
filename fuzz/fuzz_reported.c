/*
 * libFuzzer target: the readers of a run's metrics file (reported.h). The
 * first byte picks the declaration (bmf, gab, pyperf, or a JSON path), the
 * rest is the file. Whatever is read must be a finite number; a refusal
 * leaves no value.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "json.h"
#include "msg.h"
#include "reported.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *null;
	static const char *const paths[] = { "summary.throughput", "latency.p99", "runs[0].rate",
					     "[1]", "a[0][2].b" };
	struct reported_metric m = { { (char *)"x", (char *)"u", 1 }, REPORTED_BMF,
				     (char *)"flow", (char *)"items", NULL, NULL };
	double v = NAN;
	cJSON *root;

	if (!null) {
		null = fopen("/dev/null", "w");
		msg_set_stream(null);
	}
	if (!size)
		return 0;
	switch (data[0] % 4) {
	case 0: break;
	case 1:
		m.format = REPORTED_GAB;
		m.measure = NULL;
		break;
	case 2:
		m.format = REPORTED_PYPERF;
		m.benchmark = data[0] & 4 ? (char *)"loop" : NULL;
		m.measure = NULL;
		break;
	default:
		m.format = REPORTED_JSON;
		m.benchmark = m.measure = NULL;
		m.path = (char *)paths[(data[0] >> 2) % 5];
		break;
	}
	root = json_parse_text((const char *)data + 1, size - 1, "m.json");
	if (!root)
		return 0;
	if (reported_value(&m, root, "m.json", &v) == 0 && !isfinite(v))
		abort();
	cJSON_Delete(root);
	return 0;
}
