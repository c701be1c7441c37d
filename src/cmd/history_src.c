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

char *history_src_head(const struct history_src *h, const struct results *r)
{
	struct store st;
	struct record *recs = NULL;
	struct series_set set = { 0 };
	struct buf out = BUF_INIT;
	char *cache = NULL;
	size_t n = 0, i;
	int rc;

	if (!h->dir && !h->branch)
		return NULL;
	memset(&st, 0, sizeof(st));
	if (h->dir) {
		rc = store_open_dir(&st, h->dir);
	} else {
		cache = h->cache ? xstrdup(h->cache) : revision_default_cache();
		rc = store_open_branch(&st, h->repo, h->remote, h->branch, cache);
	}
	if (rc < 0) {
		warning("cannot read main's history: no line against it in the verdict");
		goto out;
	}
	if (store_load(&st, &recs, &n) < 0 || series_build(&set, recs, n, NULL, NULL) < 0)
		warning("cannot read main's history: no line against it in the verdict");
	else
		render_history_head(&out, &set, r);
	store_release(&st);
out:
	series_set_release(&set);
	for (i = 0; i < n; i++)
		record_release(&recs[i]);
	free(recs);
	free(cache);
	if (!out.len) {
		buf_release(&out);
		return NULL;
	}
	return buf_detach(&out);
}
