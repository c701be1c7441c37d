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

/*
 * Writes s[0..len) with every control character but tab shown as '?', as
 * git's vreportf does: a server's message or a scenario's output must not
 * move the cursor, recolour the terminal, or start a new line that a CI
 * runner would read as a workflow command ("::error::...").
 */
static void put_sanitized(FILE *f, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		fputc((c < 0x20 && c != '\t') || c == 0x7f ? '?' : c, f);
	}
}

static void vreport(const char *kind, const char *fmt, va_list ap, const char *tail)
{
	FILE *f = out();
	char text[MSG_MAX];
	int n;

	/* the caller's va_start initialised ap; the analyzer loses it across the call */
	// NOLINTNEXTLINE(clang-analyzer-valist.Uninitialized)
	n = vsnprintf(text, sizeof(text), fmt, ap);
	if (n < 0)
		n = 0;
	fputs("spin-gate: ", f);
	if (kind)
		fprintf(f, "%s: ", kind);
	put_sanitized(f, text, (size_t)n < sizeof(text) ? (size_t)n : sizeof(text) - 1);
	if ((size_t)n >= sizeof(text))
		fputs("...", f);
	if (tail)
		fprintf(f, ": %s", tail);
	fputc('\n', f);
	fflush(f);
}

void msg_quote(const char *s, size_t len)
{
	FILE *f = out();

	fputs("    ", f);
	put_sanitized(f, s, len);
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
