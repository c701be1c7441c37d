#include "msg.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

static FILE *msg_stream;
static int msg_quiet;
static int msg_held; /* msg_hold_errors() */
static unsigned msg_errors;
static struct buf msg_last = BUF_INIT; /* the last error's text, as printed */
static char *msg_secrets[MSG_SECRETS_MAX];
static size_t msg_nsecrets;

static void (*msg_before)(void *);
static void *msg_before_ctx;

/* The stream, after the hook (a live progress line clears itself). */
static FILE *out(void)
{
	if (msg_before)
		msg_before(msg_before_ctx);
	return msg_stream ? msg_stream : stderr;
}

void msg_set_before(void (*fn)(void *ctx), void *ctx)
{
	msg_before = fn;
	msg_before_ctx = ctx;
}

/*
 * Writes s[0..len) with every control character but tab shown as '?', as
 * git's vreportf does: a server's message or a scenario's output must not
 * move the cursor, recolour the terminal, or start a new line that a CI
 * runner would read as a workflow command ("::error::...").
 */
static void put_sanitized(struct buf *b, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		buf_addch(b, (c < 0x20 && c != '\t') || c == 0x7f ? '?' : (char)c);
	}
}

int msg_add_secret(const char *secret)
{
	size_t i;

	if (!secret || strlen(secret) < MSG_SECRET_MIN)
		return 0;
	for (i = 0; i < msg_nsecrets; i++)
		if (!strcmp(msg_secrets[i], secret))
			return 0;
	if (msg_nsecrets >= MSG_SECRETS_MAX)
		return -1;
	msg_secrets[msg_nsecrets++] = xstrdup(secret);
	return 0;
}

void msg_clear_secrets(void)
{
	size_t i;

	for (i = 0; i < msg_nsecrets; i++) {
		/* volatile: the wipe must not be optimised away */
		volatile char *p = msg_secrets[i];

		while (*p)
			*p++ = '\0';
		free(msg_secrets[i]);
		msg_secrets[i] = NULL;
	}
	msg_nsecrets = 0;
}

/* The registered secret starting at s[0..len), or 0: its length. */
static size_t secret_at(const char *s, size_t len)
{
	size_t i, n;

	for (i = 0; i < msg_nsecrets; i++) {
		n = strlen(msg_secrets[i]);
		if (n <= len && !memcmp(s, msg_secrets[i], n))
			return n;
	}
	return 0;
}

char *msg_redact(const char *s, size_t len, size_t *out_len)
{
	char *r = xmalloc(len + 1);
	size_t i = 0, o = 0, n;

	while (i < len) {
		n = msg_nsecrets ? secret_at(s + i, len - i) : 0;
		if (n) {
			/* n >= MSG_SECRET_MIN > 3: never longer than the input */
			memcpy(r + o, "***", 3);
			o += 3;
			i += n;
		} else {
			r[o++] = s[i++];
		}
	}
	r[o] = '\0';
	if (out_len)
		*out_len = o;
	return r;
}

static void vreport(const char *kind, const char *fmt, va_list ap, const char *tail)
{
	FILE *f = out();
	char small[256], *text = small, *clean;
	struct buf line = BUF_INIT;
	size_t len;
	va_list again;
	int n;

	/*
	 * Whole, then redacted, then cut: cutting first could leave the start
	 * of a secret at the end of a long message.
	 */
	va_copy(again, ap);
	/* the caller's va_start initialised ap; the analyzer loses it across the call */
	// NOLINTNEXTLINE(clang-analyzer-valist.Uninitialized)
	n = vsnprintf(small, sizeof(small), fmt, ap);
	if (n < 0)
		n = 0;
	if ((size_t)n >= sizeof(small)) {
		text = xmalloc((size_t)n + 1);
		// NOLINTNEXTLINE(clang-analyzer-valist.Uninitialized)
		vsnprintf(text, (size_t)n + 1, fmt, again);
	}
	va_end(again);
	clean = msg_redact(text, (size_t)n, &len);
	buf_grow(&line, len + 64);
	put_sanitized(&line, clean, len < MSG_MAX ? len : MSG_MAX - 1);
	if (len >= MSG_MAX)
		buf_adds(&line, "...");
	if (tail)
		buf_addf(&line, ": %s", tail);
	if (!(msg_held && kind && !strcmp(kind, "error"))) {
		fputs("spin-gate: ", f);
		if (kind)
			fprintf(f, "%s: ", kind);
		fputs(line.s, f);
		fputc('\n', f);
		fflush(f);
	}
	if (kind && !strcmp(kind, "error")) {
		buf_reset(&msg_last);
		buf_add(&msg_last, line.s, line.len);
	}
	buf_release(&line);
	free(clean);
	if (text != small)
		free(text);
}

void msg_quote(const char *s, size_t len)
{
	FILE *f = out();
	struct buf line = BUF_INIT;
	char *clean;

	clean = msg_redact(s, len, &len);
	buf_grow(&line, len + 1);
	put_sanitized(&line, clean, len);
	fputs("    ", f);
	fputs(line.s, f);
	fputc('\n', f);
	fflush(f);
	buf_release(&line);
	free(clean);
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

const char *msg_last_error(void)
{
	return msg_last.s;
}

void msg_set_stream(FILE *f)
{
	msg_stream = f;
}

void msg_hold_errors(int hold)
{
	msg_held = hold;
}

void msg_set_quiet(int quiet)
{
	msg_quiet = quiet;
}

unsigned msg_error_count(void)
{
	return msg_errors;
}
