/*
 * history_src: main's history read for the comment's line (see
 * history_src.h).
 */
#include "history_src.h"

#include "buf.h"
#include "msg.h"
#include "render_history.h"
#include "revision.h"
#include "series.h"
#include "store.h"

#include <stdlib.h>
#include <string.h>

static int load(struct history_src *h)
{
	struct store st;
	char *cache = NULL;
	int rc;

	memset(&st, 0, sizeof(st));
	if (h->dir) {
		rc = store_open_dir(&st, h->dir);
	} else {
		cache = h->cache ? xstrdup(h->cache) : revision_default_cache();
		rc = store_open_branch(&st, h->repo, h->remote, h->branch, cache);
	}
	if (rc == 0) {
		rc = store_load(&st, &h->recs, &h->nrecs);
		store_release(&st);
	}
	free(cache);
	if (rc < 0)
		warning("cannot read main's history: no line against it in the verdict");
	return rc;
}

char *history_src_head(struct history_src *h, const struct results *r)
{
	struct series_set set = { 0 };
	struct buf out = BUF_INIT;

	if (!h->dir && !h->branch)
		return NULL;
	if (!h->state)
		h->state = load(h) < 0 ? -1 : 1;
	if (h->state < 0)
		return NULL;
	if (series_build(&set, h->recs, h->nrecs, NULL, NULL) == 0)
		render_history_head(&out, &set, r);
	series_set_release(&set);
	if (!out.len) {
		buf_release(&out);
		return NULL;
	}
	return buf_detach(&out);
}

void history_src_release(struct history_src *h)
{
	size_t i;

	for (i = 0; i < h->nrecs; i++)
		record_release(&h->recs[i]);
	free(h->recs);
	h->recs = NULL;
	h->nrecs = 0;
	h->state = 0;
}
