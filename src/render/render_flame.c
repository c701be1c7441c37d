#include "render_flame.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define FRAME_H	  16
#define FONT_PX	  11
#define CHAR_W	  6.2 /* average width of a character of FONT_PX, for clipping */
#define MARGIN	  10
#define HEADER_H  40
#define MAX_DEPTH 256

struct node {
	char *name;
	double head, base; /* inclusive samples */
	struct node *child;
	size_t nchild, alloc;
};

static struct node *node_child(struct node *n, const char *name, size_t len)
{
	size_t i;
	struct node *c;

	for (i = 0; i < n->nchild; i++)
		if (strlen(n->child[i].name) == len && !strncmp(n->child[i].name, name, len))
			return &n->child[i];
	if (n->nchild == n->alloc) {
		n->alloc = n->alloc ? 2 * n->alloc : 4;
		n->child = xrealloc(n->child, n->alloc * sizeof(*n->child));
	}
	c = &n->child[n->nchild++];
	memset(c, 0, sizeof(*c));
	c->name = xstrndup(name, len);
	return c;
}

static void node_release(struct node *n)
{
	size_t i;

	for (i = 0; i < n->nchild; i++)
		node_release(&n->child[i]);
	free(n->child);
	free(n->name);
}

static void tree_add(struct node *root, const struct folded *f, int head)
{
	size_t i, depth;
	const char *p, *semi;
	struct node *n;

	for (i = 0; i < f->n; i++) {
		n = root;
		*(head ? &n->head : &n->base) += f->v[i].count;
		for (p = f->v[i].stack, depth = 0; *p && depth < MAX_DEPTH; depth++) {
			semi = strchr(p, ';');
			if (!semi)
				semi = p + strlen(p);
			n = node_child(n, p, (size_t)(semi - p));
			*(head ? &n->head : &n->base) += f->v[i].count;
			p = *semi ? semi + 1 : semi;
		}
	}
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct node *)a)->name, ((const struct node *)b)->name);
}

struct layout {
	struct buf *out;
	double scale; /* pixels per head sample */
	double head_total, base_total;
	double max_delta; /* the largest |share change| */
	int height;	  /* of the whole picture */
};

static void xml_escape(struct buf *out, const char *s, size_t max_chars)
{
	size_t n = 0;

	for (; *s && n < max_chars; s++, n++) {
		switch (*s) {
		case '<': buf_adds(out, "&lt;"); break;
		case '>': buf_adds(out, "&gt;"); break;
		case '&': buf_adds(out, "&amp;"); break;
		case '"': buf_adds(out, "&quot;"); break;
		default:
			if ((unsigned char)*s < 0x20)
				buf_addch(out, ' ');
			else
				buf_addch(out, *s);
		}
	}
}

static double share_delta(const struct layout *l, const struct node *n)
{
	double h = l->head_total > 0 ? n->head / l->head_total : 0;
	double b = l->base_total > 0 ? n->base / l->base_total : 0;

	return h - b;
}

static void find_max_delta(struct layout *l, const struct node *n)
{
	size_t i;
	double d = fabs(share_delta(l, n));

	if (n->head * l->scale < RENDER_FLAME_MIN_PX)
		return;
	if (d > l->max_delta)
		l->max_delta = d;
	for (i = 0; i < n->nchild; i++)
		find_max_delta(l, &n->child[i]);
}

static void draw(struct layout *l, struct node *n, double x, int depth)
{
	double w = n->head * l->scale, d = share_delta(l, n), a, cx;
	int y = l->height - MARGIN - (depth + 1) * FRAME_H, r, g, b;
	size_t i, fit;

	if (w < RENDER_FLAME_MIN_PX)
		return;
	if (depth >= 0) {
		a = l->max_delta > 0 ? fabs(d) / l->max_delta : 0;
		r = g = b = 255;
		if (d > 0)
			g = b = (int)lround(255 * (1 - 0.85 * a));
		else if (d < 0)
			r = g = (int)lround(255 * (1 - 0.85 * a));
		buf_adds(l->out, "<g><title>");
		xml_escape(l->out, n->name, 1000);
		buf_addf(l->out, " (head %.1f%%, base %.1f%%)</title>",
			 l->head_total > 0 ? 100 * n->head / l->head_total : 0,
			 l->base_total > 0 ? 100 * n->base / l->base_total : 0);
		buf_addf(l->out,
			 "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" "
			 "fill=\"#%02x%02x%02x\" "
			 "stroke=\"#999\" stroke-width=\"0.3\"/>",
			 x + MARGIN, y, w, FRAME_H - 1, r, g, b);
		fit = w > 3 * CHAR_W ? (size_t)((w - 4) / CHAR_W) : 0;
		if (fit >= 3) {
			buf_addf(l->out, "<text x=\"%.1f\" y=\"%d\">", x + MARGIN + 3,
				 y + FRAME_H - 4);
			if (strlen(n->name) > fit) {
				xml_escape(l->out, n->name, fit - 2);
				buf_adds(l->out, "..");
			} else {
				xml_escape(l->out, n->name, fit);
			}
			buf_adds(l->out, "</text>");
		}
		buf_adds(l->out, "</g>\n");
	}
	if (n->nchild)
		qsort(n->child, n->nchild, sizeof(*n->child), by_name);
	for (i = 0, cx = x; i < n->nchild; i++) {
		draw(l, &n->child[i], cx, depth + 1);
		cx += n->child[i].head * l->scale;
	}
}

static int max_depth(const struct layout *l, const struct node *n)
{
	size_t i;
	int d, best = 0;

	if (n->head * l->scale < RENDER_FLAME_MIN_PX)
		return -1;
	for (i = 0; i < n->nchild; i++) {
		d = max_depth(l, &n->child[i]) + 1;
		if (d > best)
			best = d;
	}
	return best;
}

void render_flame_diff(struct buf *out, const struct folded *base, const struct folded *head,
		       const char *title)
{
	struct node root;
	struct layout l = { 0 };
	int depth;

	memset(&root, 0, sizeof(root));
	root.name = xstrdup("all");
	tree_add(&root, head, 1);
	tree_add(&root, base, 0);
	l.out = out;
	l.head_total = head->total;
	l.base_total = base->total;
	l.scale = head->total > 0 ? (RENDER_FLAME_WIDTH - 2 * MARGIN) / head->total : 0;
	find_max_delta(&l, &root);
	depth = head->total > 0 ? max_depth(&l, &root) : 0;
	l.height = HEADER_H + (depth > 0 ? depth : 1) * FRAME_H + 2 * MARGIN;
	buf_addf(out,
		 "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
		 "viewBox=\"0 0 %d %d\" font-family=\"monospace\" font-size=\"%d\">\n",
		 RENDER_FLAME_WIDTH, l.height, RENDER_FLAME_WIDTH, l.height, FONT_PX);
	buf_addf(out, "<rect width=\"100%%\" height=\"100%%\" fill=\"#fafafa\"/>\n");
	buf_addf(out, "<text x=\"%d\" y=\"18\" font-size=\"14\">", MARGIN);
	xml_escape(out, title ? title : "head against base", 200);
	buf_adds(out, "</text>\n");
	buf_addf(out,
		 "<text x=\"%d\" y=\"34\">width: head's samples (%.0f); red: a larger share than "
		 "base's (%.0f samples), blue: a smaller one</text>\n",
		 MARGIN, head->total, base->total);
	if (head->total > 0)
		draw(&l, &root, 0, -1);
	buf_adds(out, "</svg>\n");
	node_release(&root);
}
