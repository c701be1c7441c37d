/*
 * bisect.md: the answer and a table of every step (bisect.h).
 */
#include "bisect.h"

#include "buf.h"
#include "clock.h"

#include <string.h>

/* A commit as 12 hex digits, a version as it is. */
static void add_rev(struct buf *out, const char *rev)
{
	size_t len = strlen(rev);

	if (len == 40 && strspn(rev, "0123456789abcdef") == 40)
		buf_add(out, rev, 12);
	else
		buf_adds(out, rev);
}

/* A table cell: no '|' or newline breaks the row. */
static void add_cell(struct buf *out, const char *s)
{
	for (; s && *s; s++)
		if (*s == '|')
			buf_adds(out, "\\|");
		else if (*s == '\n' || *s == '\r')
			buf_addch(out, ' ');
		else
			buf_addch(out, *s);
}

void bisect_render(struct buf *out, const struct bisect *b)
{
	double total = 0;
	size_t i;

	buf_adds(out, "# spin-gate bisect: ");
	add_rev(out, b->good_rev ? b->good_rev : b->good);
	buf_adds(out, " (good) .. ");
	add_rev(out, b->bad_rev ? b->bad_rev : b->bad);
	buf_adds(out, " (bad)\n\n");
	if (b->nculprits == 1) {
		buf_adds(out, "First bad revision: ");
		buf_adds(out, b->culprits[0]);
		buf_addch(out, '\n');
	} else if (b->nculprits > 1) {
		buf_addf(out,
			 "Only a range: steps were skipped, and the first bad revision is one of "
			 "these %zu:\n\n",
			 b->nculprits);
		for (i = 0; i < b->nculprits; i++)
			buf_addf(out, "- %s\n", b->culprits[i]);
	} else {
		buf_adds(out, "Not finished: the steps so far.\n");
	}
	buf_addf(out, "\nJudged: %zu scenario(s)", b->nscen);
	for (i = 0; i < b->nscen && i < 4; i++)
		buf_addf(out, "%s%s", i ? ", " : " (", b->scen_names[i]);
	buf_adds(out, b->nscen > 4 ? ", ...)" : b->nscen ? ")" : "");
	buf_addf(out, "; the good side %s.\n\n",
		 b->no_reuse ? "measured in full at every step"
			     : "pooled across steps (measured in 1 round of 3 once the pool "
			       "holds a gate's worth)");
	buf_adds(out, "| step | revision | verdict | answer | what decided it | runs (good + "
		      "candidate) | time |\n");
	buf_adds(out, "| ---: | --- | --- | --- | --- | ---: | ---: |\n");
	for (i = 0; i < b->nsteps; i++) {
		const struct bisect_step *s = &b->steps[i];

		buf_addf(out, "| %zu | ", i);
		add_rev(out, s->rev);
		buf_addf(out, "%s | %s | %s | ", s->first ? " (bad, gated first)" : "",
			 status_word(s->verdict), s->first ? "-" : bisect_answer_name(s->answer));
		add_cell(out, s->figure ? s->figure : "");
		buf_addf(out, " | %d + %d | %.1f s |\n", s->good_runs, s->cand_runs, s->seconds);
		total += s->seconds;
	}
	if (b->nsteps && b->steps[0].first)
		buf_addf(out, "\n%zu step(s) (%zu after the first gate), %.1f s in all.\n",
			 b->nsteps, b->nsteps - 1, total);
	else
		buf_addf(out, "\n%zu step(s) (--check: no first gate), %.1f s in all.\n", b->nsteps,
			 total);
}
