#ifndef SPIN_GATE_BUF_H
#define SPIN_GATE_BUF_H
/*
 * buf: a growable, always NUL-terminated byte string (after git's strbuf).
 *
 *   struct buf b = BUF_INIT;
 *   buf_addf(&b, "%d runs", n);
 *   use(b.s);
 *   buf_release(&b);
 *
 * `s` is never NULL (BUF_INIT points it at an empty string), and `s[len]`
 * is 0.
 * Allocation failure aborts the process with a message (like git's xmalloc):
 * callers need not check. The struct owns `s`; buf_detach() hands it over.
 */
#include <stdarg.h>
#include <stddef.h>

struct buf {
	char *s;
	size_t len;
	size_t cap;
};

/* An empty buffer's string: "" until the first allocation (git's slopbuf),
 * so `b.s` is never NULL, even before any function here was called. Never
 * written to (cap 0 means nothing is allocated). */
extern char buf_slopbuf[];
#define BUF_INIT                  \
	{                         \
		buf_slopbuf, 0, 0 \
	}

void buf_init(struct buf *b);
/* Free the storage and reset to BUF_INIT. */
void buf_release(struct buf *b);
/* Return the string (caller frees) and reset the buffer. Never NULL. */
char *buf_detach(struct buf *b);
void buf_reset(struct buf *b);
void buf_grow(struct buf *b, size_t extra);
void buf_add(struct buf *b, const void *data, size_t len);
void buf_adds(struct buf *b, const char *s);
void buf_addch(struct buf *b, char c);
void buf_addf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vaddf(struct buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/*
 * Append s[0..len) as valid UTF-8: each byte that does not start a well-formed
 * sequence (stray continuation, overlong form, surrogate, past U+10FFFF, cut
 * short) becomes U+FFFD. Returns how many were replaced.
 */
size_t buf_add_utf8(struct buf *b, const char *s, size_t len);
/* Read a whole file; returns 0, or -1 with errno set (buffer unchanged on error). */
int buf_read_file(struct buf *b, const char *path);

/* Checked allocation helpers: abort with a message when memory runs out. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* printf into a new string the caller frees. */
char *xstrfmt(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Grow an array `p` of `nr` used / `alloc` allocated elements to hold `want`. */
#define ALLOC_GROW(p, want, alloc)                                          \
	do {                                                                \
		if ((want) > (alloc)) {                                     \
			size_t alloc_grow_n_ = (alloc) < 8 ? 8 : (alloc)*2; \
			while (alloc_grow_n_ < (want))                      \
				alloc_grow_n_ *= 2;                         \
			(p) = xrealloc((p), alloc_grow_n_ * sizeof(*(p)));  \
			(alloc) = alloc_grow_n_;                            \
		}                                                           \
	} while (0)

#endif
