/*
 * mdcut: markdown cut to a size limit without breaking it. See mdcut.h.
 */
#include "mdcut.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "github_limits.h"

size_t mdcut_utf8(const char *s, size_t len, size_t max)
{
	size_t n, back;

	if (max >= len)
		return len;
	n = max;
	for (back = 0; back < 3 && n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80; back++)
		n--;
	if (((unsigned char)s[n] & 0xC0) == 0x80)
		return max; /* not UTF-8 here: cut where asked */
	return n;
}

struct line {
	const char *s;
	size_t len; /* with its '\n', if any */
	int keep;   /* essential */
	int in;	    /* chosen */
};

static int line_is_blank(const struct line *l)
{
	size_t i;

	for (i = 0; i < l->len; i++)
		if (!strchr(" \t\r\n", l->s[i]))
			return 0;
	return 1;
}

static int line_is_row(const struct line *l)
{
	size_t i = 0;

	while (i < l->len && (l->s[i] == ' ' || l->s[i] == '\t'))
		i++;
	return i < l->len && l->s[i] == '|';
}

static int line_has(const struct line *l, const char *word)
{
	size_t n = strlen(word), i;

	for (i = 0; i + n <= l->len; i++)
		if (!strncasecmp(l->s + i, word, n))
			return 1;
	return 0;
}

/*
 * A code fence (CommonMark 4.5): up to 3 spaces, then 3 or more ` or ~.
 * Returns the run's length (0: not a fence), its character in *ch, and in
 * *bare whether nothing but blanks follows (only such a line can close).
 */
static size_t line_fence(const struct line *l, char *ch, int *bare)
{
	size_t i = 0, n = 0;

	while (i < l->len && i < 3 && l->s[i] == ' ')
		i++;
	if (i >= l->len || (l->s[i] != '`' && l->s[i] != '~'))
		return 0;
	*ch = l->s[i];
	while (i + n < l->len && l->s[i + n] == *ch)
		n++;
	if (n < 3)
		return 0;
	for (i += n, *bare = 1; i < l->len; i++)
		if (!strchr(" \t\r\n", l->s[i]))
			*bare = 0;
	return n;
}

static size_t count_in(const struct line *l, const char *word)
{
	size_t n = strlen(word), i, c = 0;

	for (i = 0; i + n <= l->len; i++)
		if (!strncasecmp(l->s + i, word, n))
			c++;
	return c;
}

/* When line i opens a ```mermaid block, the index of its closing fence;
 * otherwise (or when it is never closed) i. */
static size_t mermaid_end(const struct line *lines, size_t nlines, size_t i)
{
	size_t open, run, k;
	char ch = '`', c2 = '`';
	int bare = 0;

	open = line_fence(&lines[i], &ch, &bare);
	if (!open || bare || !line_has(&lines[i], "mermaid"))
		return i;
	for (k = i + 1; k < nlines; k++) {
		run = line_fence(&lines[k], &c2, &bare);
		if (run >= open && c2 == ch && bare)
			return k;
	}
	return i;
}

/* Room kept for the closing fence and </details> tags; a fence longer
 * than 4 (at most MAX_FENCE is written) gets its extra room below. */
#define MAX_CLOSERS 16
#define MAX_FENCE   64
#define CLOSER_ROOM (5 + 11 * MAX_CLOSERS + 1)

char *mdcut_truncate(const char *body, size_t max, const char *report_url)
{
	size_t len = strlen(body), nlines = 0, alloc = 0, i, budget, used = 0, cut;
	struct line *lines = NULL;
	struct buf note = BUF_INIT, out = BUF_INIT;
	const char *p, *nl;
	int stopped = 0, bare = 0;
	size_t fence = 0, run, extra = 0; /* the open fence's length, 0 outside one */
	char fence_ch = '`', ch = '`';
	long depth = 0, k;

	if (len <= max)
		return xstrdup(body);

	buf_addf(&note,
		 "\n\n---\n:warning: This report was cut to fit GitHub's limit of %d characters. ",
		 GITHUB_COMMENT_MAX);
	if (report_url)
		buf_addf(&note,
			 "The full report is in the [job summary of the workflow run](%s).\n",
			 report_url);
	else
		buf_adds(&note, "The full report is in the job summary of the workflow run.\n");
	if (note.len + CLOSER_ROOM >= max) {
		cut = mdcut_utf8(body, len, max);
		buf_release(&note);
		return xstrndup(body, cut);
	}
	budget = max - note.len - CLOSER_ROOM;

	for (p = body; *p; p = nl) {
		nl = strchr(p, '\n');
		nl = nl ? nl + 1 : p + strlen(p);
		ALLOC_GROW(lines, nlines + 1, alloc);
		lines[nlines].s = p;
		lines[nlines].len = (size_t)(nl - p);
		lines[nlines].keep = lines[nlines].in = 0;
		run = line_fence(&lines[nlines], &ch, &bare);
		if (run > 4 && run - 4 > extra)
			extra = run - 4 < MAX_FENCE ? run - 4 : MAX_FENCE;
		nlines++;
	}
	if (extra >= budget) {
		free(lines);
		buf_release(&note);
		return xstrndup(body, mdcut_utf8(body, len, max));
	}
	budget -= extra;

	/* What must stay: marker, verdict line, table headers, failing rows. */
	i = 0;
	if (nlines && !strncmp(lines[0].s, "<!--", 4))
		lines[i++].keep = 1;
	while (i < nlines && line_is_blank(&lines[i]))
		i++;
	if (i < nlines)
		lines[i].keep = 1;
	for (i = 0; i < nlines; i++) {
		if (!line_is_row(&lines[i]))
			continue;
		if (i == 0 || !line_is_row(&lines[i - 1])) {
			lines[i].keep = 1;
			if (i + 1 < nlines && line_is_row(&lines[i + 1]))
				lines[i + 1].keep = 1;
		} else if (line_has(&lines[i], "fail") || line_has(&lines[i], "error")) {
			lines[i].keep = 1;
		}
	}
	for (i = 0; i < nlines; i++)
		if (lines[i].keep)
			used += lines[i].len;
	if (used > budget) {
		/* Even the essentials do not fit: as many of them as fit, in order. */
		used = 0;
		for (i = 0; i < nlines && used < budget; i++) {
			if (!lines[i].keep)
				continue;
			lines[i].in = 1;
			if (used + lines[i].len > budget)
				lines[i].len = mdcut_utf8(lines[i].s, lines[i].len, budget - used);
			used += lines[i].len;
		}
	} else {
		for (i = 0; i < nlines; i++) {
			size_t end = mermaid_end(lines, nlines, i), block = 0, k2;

			if (end > i && !stopped) {
				/* a chart is whole or not at all: half of one is an error box */
				for (k2 = i; k2 <= end; k2++)
					block += lines[k2].len;
				if (used + block > budget) {
					stopped = 1;
					continue;
				}
				for (; i <= end; i++)
					lines[i].in = 1;
				used += block;
				i--;
				continue;
			}
			if (lines[i].keep) {
				lines[i].in = 1;
			} else if (!stopped && used + lines[i].len <= budget) {
				lines[i].in = 1;
				used += lines[i].len;
			} else {
				stopped = 1;
			}
		}
	}

	for (i = 0; i < nlines; i++) {
		if (!lines[i].in)
			continue;
		buf_add(&out, lines[i].s, lines[i].len);
		run = line_fence(&lines[i], &ch, &bare);
		if (!fence && run) {
			fence = run;
			fence_ch = ch;
		} else if (fence && run >= fence && ch == fence_ch && bare) {
			fence = 0; /* closed by the same character, at least as long */
		}
		depth += (long)count_in(&lines[i], "<details") -
			 (long)count_in(&lines[i], "</details>");
		if (depth < 0)
			depth = 0;
	}
	if (out.len && out.s[out.len - 1] != '\n')
		buf_addch(&out, '\n');
	if (fence) {
		/* the fence that opened it: "```" does not close "~~~" or "````" */
		for (run = 0; run < fence && run < MAX_FENCE; run++)
			buf_addch(&out, fence_ch);
		buf_addch(&out, '\n');
	}
	for (k = 0; k < depth && k < MAX_CLOSERS; k++)
		buf_adds(&out, "</details>\n");
	buf_add(&out, note.s, note.len);
	if (out.len > max) {
		/* cannot happen with the budget above; keep the promise anyway */
		out.len = mdcut_utf8(out.s, out.len, max);
		out.s[out.len] = '\0';
	}
	free(lines);
	buf_release(&note);
	return buf_detach(&out);
}
