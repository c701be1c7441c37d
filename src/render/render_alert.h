#ifndef SPIN_GATE_RENDER_ALERT_H
#define SPIN_GATE_RENDER_ALERT_H
/*
 * render_alert: the markdown of a history alert (`spin-gate history
 * --alert`, docs/history.md): the GitHub issue opened for a change point in
 * a check's bad direction, and the comment saying a later change point undid
 * it. Pure like the other renderers (render.h).
 *
 * An issue's body starts with two hidden lines: the series' marker
 *   <!-- spin-gate-alert:NAME:SUITE/SCENARIO/METRIC/RUNNER_KIND -->
 * (render_alert_marker(); bytes outside [A-Za-z0-9._:/+=-] become '_', so
 * it cannot close the comment early) by which a later run finds the issue
 * to update, then
 *   <!-- spin-gate-alert-cp:COMMIT -->
 * naming the change point it is about. Then: what stepped, which way and by
 * how much, with its p-value; a table of the two sides (the commit range,
 * records, median with its interval, the runner: kind, kernel, hyperfine);
 * the commit range (a compare link when `server_url` and `repo` are known);
 * the trend as a mermaid xychart (the medians of the last ALERT_CHART_MAX
 * records, numbers only inside the block: nothing from outside goes there);
 * and the ready command to narrow the range to one commit:
 *   spin-gate bisect --good PREV --bad COMMIT --only NAME=VALUE ...
 * with every value shell-quoted. Text from the records is escaped
 * (render_md_escape(), render_md_code()).
 */
#include "buf.h"
#include "series.h"

#define ALERT_CHART_MAX 60

struct render_alert {
	const struct series_set *set;
	const struct series *s;
	size_t cp;		/* index into s->cps: the change point alerted on */
	const char *name;	/* the gate's name (marker, title); NULL: "spin-gate" */
	const char *server_url; /* "https://github.com", or NULL */
	const char *repo;	/* "owner/name", or NULL */
};

/* The series' marker line, without a newline. */
void render_alert_marker(struct buf *out, const char *name, const struct series *s);

/* The change point's marker line "<!-- spin-gate-alert-cp:COMMIT -->". */
void render_alert_cp_marker(struct buf *out, const char *commit);

/* The title, one line of plain text:
 *   "spin-gate: cpu of mode=idle up +400.0% at 0123456789ab" */
void render_alert_title(struct buf *out, const struct render_alert *a);

/* The body (markers first). */
void render_alert_body(struct buf *out, const struct render_alert *a);

/*
 * The comment on that issue when change point `undo` (a later one, in the
 * good direction) steps back; starts with its own marker line
 *   <!-- spin-gate-alert-undone:COMMIT -->
 * so that it is posted once.
 */
void render_alert_undone(struct buf *out, const struct render_alert *a, size_t undo);
void render_alert_undone_marker(struct buf *out, const char *commit);

/* The bisect command line of a change point, plain text (shell-quoted). */
void render_alert_bisect(struct buf *out, const struct render_alert *a);

#endif
