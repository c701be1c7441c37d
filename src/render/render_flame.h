#ifndef SPIN_GATE_RENDER_FLAME_H
#define SPIN_GATE_RENDER_FLAME_H
/*
 * render_flame: a differential flame graph of head against base, as a
 * self-contained SVG (no script, no external font). Pure.
 *
 * As Brendan Gregg's difffolded.pl + flamegraph.pl draw one: the frames are
 * head's stacks, root at the bottom, each as wide as its share of head's
 * samples; its colour says how its inclusive share changed from base to
 * head: red where head spends a larger share there, blue a smaller one,
 * white the same; the strongest change is the deepest colour. A stack only
 * base has does not show (its share lost shows as blue below it). Frames
 * narrower than RENDER_FLAME_MIN_PX are left out, which keeps the file
 * small. Each frame has a <title> tooltip: its name, head's and base's
 * shares. Names from outside are XML-escaped.
 */
#include "buf.h"
#include "folded.h"

#define RENDER_FLAME_WIDTH  1200
#define RENDER_FLAME_MIN_PX 0.5

/* Appends the SVG to out; `title` (may be NULL) is shown at its top. */
void render_flame_diff(struct buf *out, const struct folded *base, const struct folded *head,
		       const char *title);

#endif
