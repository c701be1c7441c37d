/*
 * progress: what the terminal or the log is told while measuring
 * (progress.h).
 */
#include "progress.h"

#include "buf.h"
#include "clock.h"
#include "msg.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

static void fmt_duration(char *out, size_t n, double secs)
{
	long s = secs > 0 && isfinite(secs) ? (long)(secs + 0.5) : 0;

	if (s >= 3600)
		snprintf(out, n, "%ld:%02ld:%02ld", s / 3600, (s / 60) % 60, s % 60);
	else
		snprintf(out, n, "%ld:%02ld", s / 60, s % 60);
}

enum measure_progress measure_progress_mode(FILE *f)
{
	const char *gha = getenv("GITHUB_ACTIONS"), *term = getenv("TERM");

	if (gha && !strcmp(gha, "true"))
		return MEASURE_PROGRESS_GROUPS;
	if (term && !strcmp(term, "dumb"))
		return MEASURE_PROGRESS_LINES;
	return isatty(fileno(f)) ? MEASURE_PROGRESS_LIVE : MEASURE_PROGRESS_LINES;
}

static int live(const struct progress *pg)
{
	return !pg->quiet && pg->mode == MEASURE_PROGRESS_LIVE;
}

static int groups(const struct progress *pg)
{
	return !pg->quiet && pg->mode == MEASURE_PROGRESS_GROUPS;
}

/* msg's hook: wipe the live line before a message is printed. */
static void live_clear(void *ctx)
{
	struct progress *pg = ctx;

	if (!pg->live_shown)
		return;
	fputs("\r\033[K", pg->out);
	fflush(pg->out);
	pg->live_shown = 0;
}

static size_t term_width(FILE *f)
{
	struct winsize ws;

	if (ioctl(fileno(f), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	return 80;
}

/* s with control characters as '?', cut to `width` characters (UTF-8
 * counted) ending in "..." when it does not fit. */
static void add_cut(struct buf *b, const char *s, size_t width)
{
	size_t chars = 0, i;

	for (i = 0; s[i]; i++)
		chars += ((unsigned char)s[i] & 0xc0) != 0x80;
	if (chars <= width) {
		width = chars;
	} else if (width <= 3) {
		return;
	} else {
		width -= 3;
	}
	for (chars = 0, i = 0; s[i]; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c & 0xc0) != 0x80 && chars++ == width)
			break;
		buf_addch(b, (c < 0x20 || c == 0x7f) ? '?' : (char)c);
	}
	if (s[i])
		buf_adds(b, "...");
}

void progress_begin(struct progress *pg, const struct measure_opts *o, size_t nscen)
{
	memset(pg, 0, sizeof(*pg));
	pg->mode = o->progress;
	pg->quiet = o->quiet;
	pg->out = o->progress_out ? o->progress_out : stderr;
	pg->runs = o->runs;
	pg->ncpu = o->ncpu;
	pg->nscen = nscen;
	pg->start = clock_now();
	if (live(pg))
		msg_set_before(live_clear, pg);
}

void progress_end(struct progress *pg)
{
	if (!live(pg))
		return;
	live_clear(pg);
	msg_set_before(NULL, NULL);
}

void progress_run_start(struct progress *pg, size_t i, const char *name, const char *label,
			int round, int warmup, size_t runs_left)
{
	FILE *f = pg->out;
	char el[32], left[32], tail[96];
	struct buf line = BUF_INIT;
	size_t width, used;

	if (!live(pg))
		return;
	width = term_width(f) - 1;
	fmt_duration(el, sizeof(el), clock_now() - pg->start);
	if (pg->runs_done) {
		fmt_duration(left, sizeof(left),
			     pg->run_secs / (double)pg->runs_done * (double)(runs_left + 1));
		snprintf(tail, sizeof(tail), " (%s elapsed, %s%s left)", el,
			 !warmup && round > pg->runs ? "at most " : "~", left);
	} else {
		snprintf(tail, sizeof(tail), " (%s elapsed)", el);
	}
	buf_addf(&line, "[%zu/%zu] %s %d %s ", i + 1, pg->nscen, warmup ? "warm-up" : "round",
		 round, label);
	used = line.len + strlen(tail);
	add_cut(&line, name ? name : "?", width > used ? width - used : 0);
	if (line.len + strlen(tail) <= width)
		buf_adds(&line, tail);
	fputs("\r\033[K", f);
	fputs(line.s, f);
	fflush(f);
	pg->live_shown = 1;
	buf_release(&line);
}

void progress_group_begin(struct progress *pg, size_t i, const char *name, int round, int warmup)
{
	struct buf line = BUF_INIT;

	if (!groups(pg))
		return;
	/* a newline in the name would end the title and start a command */
	buf_addf(&line, "::group::[%zu/%zu] %s %d ", i + 1, pg->nscen, warmup ? "warm-up" : "round",
		 round);
	add_cut(&line, name ? name : "?", 200);
	fprintf(pg->out, "%s\n", line.s);
	fflush(pg->out);
	buf_release(&line);
}

void progress_group_end(struct progress *pg)
{
	if (!groups(pg))
		return;
	fputs("::endgroup::\n", pg->out);
	fflush(pg->out);
}

void progress_run_done(struct progress *pg, size_t i, const char *name, const char *label,
		       int round, int warmup, const struct sample *smp, double secs,
		       size_t runs_left)
{
	char el[32], left[32];
	double elapsed, per;
	/* in the adaptive phase the runs left are an upper bound */
	const char *bound = !warmup && round > pg->runs ? "at most " : "~";
	char busy[48] = "";

	pg->runs_done++;
	pg->run_secs += secs;
	if (pg->quiet)
		return;
	if (live(pg) && !smp->timed_out && !smp->exit_code)
		return;
	elapsed = clock_now() - pg->start;
	per = pg->run_secs / (double)pg->runs_done;
	if (isfinite(smp->others_cpu) && smp->wall > 0 && pg->ncpu > 0)
		snprintf(busy, sizeof(busy), ", others %.0f%%",
			 100 * smp->others_cpu / (smp->wall * pg->ncpu));
	fmt_duration(el, sizeof(el), elapsed);
	fmt_duration(left, sizeof(left), per * (double)runs_left);
	if (smp->timed_out)
		note("[%zu/%zu] %s %s %s: timed out (%s elapsed)", i + 1, pg->nscen,
		     warmup ? "warm-up" : "round", label, name, el);
	else
		note("[%zu/%zu] %s %d %s: wall %.2f s, user %.2f s, sys %.2f s%s%s (%s elapsed, "
		     "%s%s left)",
		     i + 1, pg->nscen, warmup ? "warm-up" : "round", round, label, smp->wall,
		     smp->user, smp->sys, busy, smp->exit_code ? " FAILED" : "", el, bound, left);
}
