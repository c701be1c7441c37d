#include "folded.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

void folded_release(struct folded *f)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		free(f->v[i].stack);
	free(f->v);
	memset(f, 0, sizeof(*f));
}

void folded_add(struct folded *f, const char *stack, double count)
{
	if (f->n == f->alloc) {
		f->alloc = f->alloc ? 2 * f->alloc : 64;
		f->v = xrealloc(f->v, f->alloc * sizeof(*f->v));
	}
	f->v[f->n].stack = xstrdup(stack);
	f->v[f->n].count = count;
	f->n++;
	f->total += count;
}

static int by_stack(const void *a, const void *b)
{
	return strcmp(((const struct folded_stack *)a)->stack,
		      ((const struct folded_stack *)b)->stack);
}

void folded_sort(struct folded *f)
{
	size_t i, k = 0;

	if (!f->n)
		return;
	qsort(f->v, f->n, sizeof(*f->v), by_stack);
	for (i = 1; i < f->n; i++) {
		if (!strcmp(f->v[k].stack, f->v[i].stack)) {
			f->v[k].count += f->v[i].count;
			free(f->v[i].stack);
		} else {
			f->v[++k] = f->v[i];
		}
	}
	f->n = k + 1;
}

static int is_hex_address(const char *s, size_t n)
{
	size_t i;

	if (n < 3 || s[0] != '0' || s[1] != 'x')
		return 0;
	for (i = 2; i < n; i++)
		if (!isxdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

/* The last path component of s[0..n). */
static void add_basename(struct buf *out, const char *s, size_t n)
{
	size_t i = n;

	while (i > 0 && s[i - 1] != '/')
		i--;
	buf_add(out, s + i, n - i);
}

/*
 * A Rust symbol in the legacy mangling as py-spy prints it
 * ("Py$LT$T$GT$::call_method0::hb93142ef4fceffa7"): the escapes decoded and
 * the hash dropped, which differs from build to build and would keep base's
 * and head's frames apart.
 */
static void add_symbol(struct buf *out, const char *s, size_t n)
{
	static const struct {
		const char *from, *to;
	} esc[] = { { "$LT$", "<" },  { "$GT$", ">" },	{ "$u20$", " " }, { "$C$", "," },
		    { "$RF$", "&" },  { "$BP$", "*" },	{ "$u7b$", "{" }, { "$u7d$", "}" },
		    { "$u27$", "'" }, { "$u5b$", "[" }, { "$u5d$", "]" }, { "$SP$", "@" } };
	size_t i, k, h;

	for (i = 0; i < n;) {
		/* "::h" and 16 hex digits at the end of a path */
		if (n - i >= 19 && !strncmp(s + i, "::h", 3)) {
			for (h = 0; h < 16 && isxdigit((unsigned char)s[i + 3 + h]); h++)
				;
			if (h == 16 && (i + 19 == n || !isalnum((unsigned char)s[i + 19]))) {
				i += 19;
				continue;
			}
		}
		if (s[i] == '$') {
			for (k = 0; k < sizeof(esc) / sizeof(esc[0]); k++) {
				size_t len = strlen(esc[k].from);

				if (n - i >= len && !strncmp(s + i, esc[k].from, len)) {
					buf_adds(out, esc[k].to);
					i += len;
					break;
				}
			}
			if (k < sizeof(esc) / sizeof(esc[0]))
				continue;
		}
		if (s[i] == '.' && i + 1 < n && s[i + 1] == '.' && i > 0 && s[i - 1] != '.') {
			buf_adds(out, "::"); /* ".." is "::" inside a mangled path */
			i += 2;
			continue;
		}
		buf_addch(out, s[i++]);
	}
}

/* Append one frame of folded text, normalised (folded.h). */
static void add_frame(struct buf *out, const char *s, size_t n)
{
	const char *paren = NULL, *p;
	size_t name_len, i;

	if (n >= 8 && !strncmp(s, "process ", 8)) {
		for (i = 8; i < n && isdigit((unsigned char)s[i]); i++)
			;
		if (i > 8 && i < n && s[i] == ':') {
			buf_adds(out, "process");
			return;
		}
	}
	/* "name (file:line)" or "name (dso)" */
	if (n >= 2 && s[n - 1] == ')')
		for (p = s + n - 1; p > s; p--)
			if (*p == '(' && p[-1] == ' ') {
				paren = p;
				break;
			}
	name_len = paren ? (size_t)(paren - 1 - s) : n;
	if (is_hex_address(s, name_len) || (name_len == 1 && s[0] == '?')) {
		buf_addch(out, '[');
		if (paren)
			add_basename(out, paren + 1, (size_t)(s + n - 1 - (paren + 1)));
		else
			buf_adds(out, "unknown");
		buf_addch(out, ']');
		return;
	}
	if (paren) {
		const char *in = paren + 1, *end = s + n - 1, *colon = end;

		/* drop ":LINE" of "file.py:123" */
		for (p = end; p > in; p--) {
			if (p[-1] == ':') {
				colon = p - 1;
				break;
			}
			if (!isdigit((unsigned char)p[-1]))
				break;
		}
		if (colon == end - 1) /* "file:" with no digits */
			colon = end;
		add_symbol(out, s, name_len);
		buf_adds(out, " (");
		buf_add(out, in, (size_t)(colon - in));
		buf_addch(out, ')');
		return;
	}
	add_symbol(out, s, n);
}

/* When [s, end) starts with py-spy's `process N:"`, where its frame ends
 * (the ';' after the closing quote, or end); else NULL. */
static const char *process_frame_end(const char *s, const char *end)
{
	const char *p = s + 8, *q;

	if (end - s < 11 || strncmp(s, "process ", 8) != 0 || !isdigit((unsigned char)*p))
		return NULL;
	while (p < end && isdigit((unsigned char)*p))
		p++;
	if (end - p < 2 || p[0] != ':' || p[1] != '"')
		return NULL;
	for (q = p + 2; q < end; q++)
		if (q[0] == '"' && (q + 1 == end || q[1] == ';'))
			return q + 1;
	return end;
}

size_t folded_parse(struct folded *f, const char *text)
{
	struct buf stack = BUF_INIT;
	const char *line = text, *eol, *sp, *fr, *semi;
	size_t lines = 0;
	char *end;
	double count;

	while (line && *line) {
		eol = strchr(line, '\n');
		if (!eol)
			eol = line + strlen(line);
		for (sp = eol; sp > line && sp[-1] != ' '; sp--)
			;
		if (sp > line + 1) {
			count = strtod(sp, &end);
			if (end == eol || (end + 1 == eol && *end == '\r')) {
				buf_reset(&stack);
				for (fr = line; fr < sp - 1; fr = semi + 1) {
					if (stack.len)
						buf_addch(&stack, ';');
					/* py-spy's process N:"CMDLINE" (the root, and each
					 * subprocess under its parent's) may hold ';'
					 * (bytewax's "-a host:port;host:port"): one frame */
					if ((semi = process_frame_end(fr, sp - 1))) {
						buf_adds(&stack, "process");
						continue;
					}
					semi = memchr(fr, ';', (size_t)(sp - 1 - fr));
					if (!semi)
						semi = sp - 1;
					add_frame(&stack, fr, (size_t)(semi - fr));
				}
				if (count > 0) {
					folded_add(f, stack.s, count);
					lines++;
				}
			}
		}
		line = *eol ? eol + 1 : NULL;
	}
	buf_release(&stack);
	folded_sort(f);
	return lines;
}

/* One frame line of perf script: "\t   addr sym (dso)". Appends the frame
 * (the kernel's with "_[k]"). 0 when the line is not a frame. */
static int perf_frame(struct buf *out, const char *s, size_t n)
{
	const char *end = s + n, *sym, *dso = NULL, *p;
	size_t sym_len, i;

	while (s < end && isspace((unsigned char)*s))
		s++;
	while (s < end && isxdigit((unsigned char)*s))
		s++;
	while (s < end && *s == ' ')
		s++;
	if (s == end)
		return 0;
	sym = s;
	if (end[-1] == ')')
		for (p = end - 1; p > sym; p--)
			if (*p == '(' && p[-1] == ' ') {
				dso = p + 1;
				break;
			}
	sym_len = dso ? (size_t)(dso - 2 - sym) : (size_t)(end - sym);
	if (!sym_len || (sym_len == 9 && !strncmp(sym, "[unknown]", 9))) {
		buf_addch(out, '[');
		if (dso && strncmp(dso, "[unknown]", 9) != 0) {
			/* "[kernel.kallsyms]" keeps its brackets off */
			if (*dso == '[')
				buf_add(out, dso + 1, (size_t)(end - 2 - (dso + 1)));
			else
				add_basename(out, dso, (size_t)(end - 1 - dso));
		} else {
			buf_adds(out, "unknown");
		}
		buf_addch(out, ']');
		return 1;
	}
	{
		size_t at = out->len;

		add_symbol(out, sym, sym_len);
		for (i = at; i < out->len; i++)
			if (out->s[i] == ';')
				out->s[i] = ':';
	}
	if (dso && !strncmp(dso, "[kernel.", 8))
		buf_adds(out, "_[k]");
	return 1;
}

size_t folded_from_perf_script(struct folded *f, const char *text)
{
	struct buf stack = BUF_INIT, frame = BUF_INIT, comm = BUF_INIT;
	const char *line = text, *eol;
	/* frames of the sample being read, leaf first, as offsets into frame */
	size_t *off = NULL, noff = 0, aoff = 0, samples = 0, i, len;
	int in_sample = 0;

	while (line) {
		eol = strchr(line, '\n');
		if (!eol)
			eol = line + strlen(line);
		len = (size_t)(eol - line);
		if (len && line[len - 1] == '\r')
			len--;
		if (!len || line[0] != '\t') {
			if (in_sample) {
				/* the sample ends: comm, then its frames root first */
				buf_reset(&stack);
				buf_add(&stack, comm.s, comm.len);
				for (i = noff; i-- > 0;) {
					buf_addch(&stack, ';');
					buf_adds(&stack, frame.s + off[i]);
				}
				folded_add(f, stack.s, 1);
				samples++;
				in_sample = 0;
			}
			if (len && line[0] != '#') {
				/* a header: the command's name, trimmed */
				while (len && line[len - 1] == ' ')
					len--;
				buf_reset(&comm);
				for (i = 0; i < len; i++)
					buf_addch(&comm, line[i] == ';' ? ':' : line[i]);
				if (!comm.len)
					buf_adds(&comm, "[unknown]");
				buf_reset(&frame);
				noff = 0;
				in_sample = 1;
			}
		} else if (in_sample) {
			size_t at = frame.len;

			if (perf_frame(&frame, line, len)) {
				buf_addch(&frame, '\0');
				if (noff == aoff) {
					aoff = aoff ? 2 * aoff : 64;
					off = xrealloc(off, aoff * sizeof(*off));
				}
				off[noff++] = at;
			}
		}
		line = *eol ? eol + 1 : NULL;
	}
	free(off);
	buf_release(&stack);
	buf_release(&frame);
	buf_release(&comm);
	folded_sort(f);
	return samples;
}

void folded_write(const struct folded *f, struct buf *out)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		buf_addf(out, "%s %.0f\n", f->v[i].stack, f->v[i].count);
}

/* A frame that says little on its own: an address or the kernel's. */
static int is_anonymous(const char *s, size_t n)
{
	return (n && s[0] == '[') || (n >= 4 && !strncmp(s + n - 4, "_[k]", 4));
}

/*
 * The effective leaf of a stack (folded.h, folded_top()) and its caller:
 * [*leaf, *leaf + *leaf_len) and likewise under (under_len 0: none).
 */
static void stack_leaf(const char *stack, const char **leaf, size_t *leaf_len, const char **under,
		       size_t *under_len)
{
	const char *end = stack + strlen(stack), *start, *first_leaf = NULL;
	size_t first_len = 0;

	*leaf = NULL;
	*leaf_len = *under_len = 0;
	*under = NULL;
	while (end > stack) {
		start = end;
		while (start > stack && start[-1] != ';')
			start--;
		if (!first_leaf) {
			first_leaf = start;
			first_len = (size_t)(end - start);
		}
		if (!is_anonymous(start, (size_t)(end - start))) {
			if (!*leaf) {
				*leaf = start;
				*leaf_len = (size_t)(end - start);
			} else {
				*under = start;
				*under_len = (size_t)(end - start);
				return;
			}
		}
		end = start > stack ? start - 1 : stack;
	}
	if (!*leaf) { /* nothing named: the frame on top itself */
		*leaf = first_leaf;
		*leaf_len = first_len;
	}
}

struct leaf_entry {
	char *leaf;
	char *under; /* "" when none */
	double count;
};

static int by_leaf_under(const void *a, const void *b)
{
	const struct leaf_entry *x = a, *y = b;
	int c = strcmp(x->leaf, y->leaf);

	return c ? c : strcmp(x->under, y->under);
}

static int by_share(const void *a, const void *b)
{
	const struct folded_frame *x = a, *y = b;

	if (x->share != y->share)
		return x->share < y->share ? 1 : -1;
	return strcmp(x->frame, y->frame);
}

size_t folded_top(const struct folded *f, struct folded_frame *top, size_t max)
{
	struct leaf_entry *e;
	struct folded_frame *all;
	size_t i, k, n = 0, nall = 0, best;
	const char *leaf, *under;
	size_t leaf_len, under_len;
	double sum, best_count;

	if (!f->n || f->total <= 0 || !max)
		return 0;
	e = xcalloc(f->n, sizeof(*e));
	for (i = 0; i < f->n; i++) {
		stack_leaf(f->v[i].stack, &leaf, &leaf_len, &under, &under_len);
		e[n].leaf = xstrndup(leaf ? leaf : "", leaf_len);
		e[n].under = xstrndup(under ? under : "", under_len);
		e[n].count = f->v[i].count;
		n++;
	}
	qsort(e, n, sizeof(*e), by_leaf_under);
	all = xcalloc(n, sizeof(*all));
	for (i = 0; i < n; i = k) {
		/* one leaf: [i, k); its caller the (leaf, under) run of most samples */
		sum = 0;
		best = i;
		best_count = 0;
		for (k = i; k < n && !strcmp(e[k].leaf, e[i].leaf);) {
			size_t u = k;
			double c = 0;

			while (k < n && !strcmp(e[k].leaf, e[i].leaf) &&
			       !strcmp(e[k].under, e[u].under))
				c += e[k++].count;
			sum += c;
			if (c > best_count) {
				best_count = c;
				best = u;
			}
		}
		all[nall].frame = xstrdup(e[i].leaf);
		all[nall].under = *e[best].under ? xstrdup(e[best].under) : NULL;
		all[nall].share = sum / f->total;
		nall++;
	}
	qsort(all, nall, sizeof(*all), by_share);
	for (i = 0; i < nall; i++) {
		if (i < max)
			top[i] = all[i];
		else
			folded_frame_release(&all[i]);
	}
	for (i = 0; i < n; i++) {
		free(e[i].leaf);
		free(e[i].under);
	}
	free(e);
	free(all);
	return nall < max ? nall : max;
}

void folded_frame_release(struct folded_frame *fr)
{
	free(fr->frame);
	free(fr->under);
	fr->frame = fr->under = NULL;
}

double folded_share(const struct folded *f, const char *frame)
{
	const char *leaf, *under;
	size_t leaf_len, under_len, i, n = strlen(frame);
	double sum = 0;

	if (f->total <= 0)
		return 0;
	for (i = 0; i < f->n; i++) {
		stack_leaf(f->v[i].stack, &leaf, &leaf_len, &under, &under_len);
		if (leaf && leaf_len == n && !strncmp(leaf, frame, n))
			sum += f->v[i].count;
	}
	return sum / f->total;
}
