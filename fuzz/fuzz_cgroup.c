/*
 * libFuzzer target: the kernel files cgroup.c parses, on any bytes:
 * /proc/self/mountinfo (cgroup_parse_mountinfo), /proc/self/cgroup
 * (cgroup_parse_self), cpu.stat (cgroup_parse_stat) and a pressure file
 * (cgroup_parse_pressure). Checks that a mount point found is no longer than
 * the input, that a cgroup path found starts with '/', and that the figures
 * read are never negative.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cgroup.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = xstrndup((const char *)data, size), *m, *p;
	double usage, user, sys, some;

	m = cgroup_parse_mountinfo(s);
	if (m && strlen(m) > size)
		abort();
	free(m);
	p = cgroup_parse_self(s);
	if (p && p[0] != '/')
		abort();
	free(p);
	if (cgroup_parse_stat(s, &usage, &user, &sys) == 0 && !(usage >= 0))
		abort();
	if ((!isnan(user) && user < 0) || (!isnan(sys) && sys < 0))
		abort();
	if (cgroup_parse_pressure(s, &some) == 0 && !(some >= 0))
		abort();
	free(s);
	return 0;
}
