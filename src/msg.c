#include "msg.h"

#include <errno.h>
#include <string.h>

static FILE *msg_stream;
static int msg_quiet;
static unsigned msg_errors;

static FILE *out(void)
{
	return msg_stream ? msg_stream : stderr;
}

static void vreport(const char *kind, const char *fmt, va_list ap, const char *tail)
{
	FILE *f = out();

	fputs("spin-gate: ", f);
	if (kind)
		fprintf(f, "%s: ", kind);
	/* the caller's va_start initialised ap; the analyzer loses it across the call */
	// NOLINTNEXTLINE(clang-analyzer-valist.Uninitialized)
	vfprintf(f, fmt, ap);
	if (tail)
		fprintf(f, ": %s", tail);
	fputc('\n', f);
	fflush(f);
}

int error(const char *fmt, ...)
{
	va_list ap;

	msg_errors++;
	va_start(ap, fmt);
	vreport("error", fmt, ap, NULL);
	va_end(ap);
	return -1;
}

int error_errno(const char *fmt, ...)
{
	va_list ap;
	const char *why = strerror(errno);

	msg_errors++;
	va_start(ap, fmt);
	vreport("error", fmt, ap, why);
	va_end(ap);
	return -1;
}

void warning(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("warning", fmt, ap, NULL);
	va_end(ap);
}

void note(const char *fmt, ...)
{
	va_list ap;

	if (msg_quiet)
		return;
	va_start(ap, fmt);
	vreport(NULL, fmt, ap, NULL);
	va_end(ap);
}

void msg_line(const char *fmt, ...)
{
	FILE *f = out();
	va_list ap;

	va_start(ap, fmt);
	/* initialised by va_start just above; the analyzer loses it, as in vreport() */
	// NOLINTNEXTLINE(clang-analyzer-valist.Uninitialized)
	vfprintf(f, fmt, ap);
	va_end(ap);
	fputc('\n', f);
	fflush(f);
}

void msg_set_stream(FILE *f)
{
	msg_stream = f;
}

void msg_set_quiet(int quiet)
{
	msg_quiet = quiet;
}

unsigned msg_error_count(void)
{
	return msg_errors;
}
