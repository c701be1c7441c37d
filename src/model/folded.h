#ifndef SPIN_GATE_FOLDED_H
#define SPIN_GATE_FOLDED_H
/*
 * folded: stacks of a sampling profiler in the folded format every flame
 * graph tool reads ("root;caller;callee COUNT", one stack a line), and what
 * the verdict needs of them. Pure: nothing here runs or reads a file
 * (profile.h runs the profilers).
 *
 *   struct folded f = FOLDED_INIT;
 *   folded_from_perf_script(&f, text);   // or folded_parse() py-spy's raw
 *   folded_top(&f, top, 3);              // where the CPU went
 *   folded_write(&f, &out);
 *   folded_release(&f);
 *
 * Frames are normalised so that base and head line up in a diff: a frame
 * that is only an address ("0x7f30..." (libc.so.6), perf's "[unknown]")
 * becomes "[libc.so.6]", py-spy's "process 2399:\"cmd\"" root becomes
 * "process", and the line of a Python frame is dropped
 * ("poll_source (spin.py:3)" -> "poll_source (spin.py)"): another revision
 * moves lines, not functions. A Rust symbol loses its hash and its legacy
 * escapes ("Py$LT$T$GT$::call::hb93142ef4fceffa7" -> "Py<T>::call"): each
 * build hashes anew. A ';' inside a frame becomes ':'.
 */
#include <stddef.h>

#include "buf.h"

struct folded_stack {
	char *stack; /* frames root first, joined by ';' */
	double count;
};

struct folded {
	struct folded_stack *v; /* sorted by stack, each stack once */
	size_t n, alloc;
	double total; /* sum of counts */
};

#define FOLDED_INIT           \
	{                     \
		NULL, 0, 0, 0 \
	}

void folded_release(struct folded *f);

/* Append count samples of a stack as it is (no normalising); then
 * folded_sort() before anything reads f. */
void folded_add(struct folded *f, const char *stack, double count);
/* Sort by stack and merge equal stacks (folded_parse() and
 * folded_from_perf_script() do it themselves). */
void folded_sort(struct folded *f);

/*
 * Read folded text ("a;b;c 12" a line; py-spy's `-f raw`), normalising each
 * frame (above). Lines without a count after their last space are skipped.
 * Returns the number of lines read.
 */
size_t folded_parse(struct folded *f, const char *text);

/*
 * Collapse `perf script -F comm,ip,sym,dso` output: each sample is a header
 * line (the command's name) then one frame a line, leaf first, ended by a
 * blank line; one sample counts 1 (the cpu-clock event samples at a fixed
 * period). The stack is the command's name, then the frames root first; a
 * frame of the kernel ("[kernel.kallsyms]") gets "_[k]" appended, as
 * stackcollapse-perf.pl --kernel writes it.
 * Returns the number of samples.
 */
size_t folded_from_perf_script(struct folded *f, const char *text);

/* Appends every stack as "stack COUNT\n", sorted by stack. */
void folded_write(const struct folded *f, struct buf *out);

/* One frame where the CPU went. */
struct folded_frame {
	char *frame;  /* the leaf frame (owned) */
	char *under;  /* its caller in most of its samples, or NULL (owned) */
	double share; /* of all samples, 0..1: its self share */
};

/*
 * The frames that held the CPU: the leaf frames by self share (samples with
 * the frame on top / all samples), the largest first (equal shares by
 * name), at most max; each with the caller it had in most of its samples.
 * Address-only frames ("[libc.so.6]", "[unknown]") and kernel frames count
 * for the nearest named user frame under them, since "a system call under
 * poll_source" says more than a kernel function name. Returns how many were
 * filled; free each with folded_frame_release().
 */
size_t folded_top(const struct folded *f, struct folded_frame *top, size_t max);
void folded_frame_release(struct folded_frame *fr);

/* The self share (as in folded_top()) of one frame, 0 when absent. */
double folded_share(const struct folded *f, const char *frame);

#endif
