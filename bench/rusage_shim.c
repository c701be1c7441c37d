/*
 * rusage_shim: LD_PRELOAD library that records one process's own resource
 * use, for the benchmark's measure of the gate's overhead.
 *
 *   BENCH_RUSAGE_OUT=FILE LD_PRELOAD=.../rusage_shim.so spin-gate run ...
 *
 * At start it removes both variables from the environment, so the gate's
 * children (hyperfine, the measured commands, git) neither load it nor write
 * the file. At exit it writes one JSON object to FILE:
 *   { "self_user", "self_sys", "children_user", "children_sys", "wall" }
 * in seconds: the process's own CPU, the CPU of the children it waited for
 * (hyperfine and, through hyperfine, every measured run), and its lifetime.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static char out_path[4096];
static struct timespec started;

static double tv(struct timeval t)
{
	return (double)t.tv_sec + (double)t.tv_usec / 1e6;
}

__attribute__((constructor)) static void shim_start(void)
{
	const char *p = getenv("BENCH_RUSAGE_OUT");

	clock_gettime(CLOCK_MONOTONIC, &started);
	if (p && strlen(p) < sizeof(out_path))
		strcpy(out_path, p);
	unsetenv("BENCH_RUSAGE_OUT");
	unsetenv("LD_PRELOAD");
}

__attribute__((destructor)) static void shim_stop(void)
{
	struct rusage self, kids;
	struct timespec end;
	FILE *f;

	if (!out_path[0])
		return;
	clock_gettime(CLOCK_MONOTONIC, &end);
	getrusage(RUSAGE_SELF, &self);
	getrusage(RUSAGE_CHILDREN, &kids);
	f = fopen(out_path, "w");
	if (!f)
		return;
	fprintf(f,
		"{\"self_user\": %.6f, \"self_sys\": %.6f, \"children_user\": %.6f, "
		"\"children_sys\": %.6f, \"wall\": %.6f}\n",
		tv(self.ru_utime), tv(self.ru_stime), tv(kids.ru_utime), tv(kids.ru_stime),
		(double)(end.tv_sec - started.tv_sec) + (double)(end.tv_nsec - started.tv_nsec) / 1e9);
	fclose(f);
}
