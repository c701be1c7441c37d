#include "report.h"

#include "config.h"
#include "fsutil.h"
#include "json.h"
#include "msg.h"
#include "render_export.h"
#include "render_html.h"

#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

char *report_path(const char *out_dir, const char *name)
{
	return xstrfmt("%s/%s", out_dir, name);
}

int report_write_html(const struct results *r, const struct thresholds *t,
		      const struct judgement *j, const char *out_dir, const struct render_opts *ro)
{
	char *path = report_path(out_dir, "report.html");
	struct buf html = BUF_INIT;
	int ret;

	render_html(&html, r, t, j, ro);
	ret = file_write_atomic(path, html.s, html.len, WRITE_DURABLE);
	buf_release(&html);
	free(path);
	return ret < 0 ? -1 : 0;
}

int report_write_exports(const struct results *r, unsigned formats, const char *out_dir)
{
	enum export_format f;
	int ret = 0;

	for (f = EXPORT_BMF; f <= EXPORT_GAB_BIGGER; f++) {
		struct buf b = BUF_INIT;
		char *path;

		if (!(formats & (1u << f)))
			continue;
		path = report_path(out_dir, export_file_name(f));
		render_export(&b, r, f);
		if (file_write_atomic(path, b.s, b.len, WRITE_DURABLE) < 0)
			ret = -1;
		else
			note("wrote %s", path);
		buf_release(&b);
		free(path);
	}
	return ret;
}

int report_write(const struct results *r, const struct thresholds *t, const char *out_dir,
		 const struct render_opts *ro, struct judgement *j)
{
	struct render_opts term = { 0 };
	int ret = report_write_files(r, t, out_dir, ro, j);

	term = ro ? *ro : term;
	term.color = render_term_color(stdout);
	term.width = render_term_width(stdout);
	render_term(stdout, r, t, j, &term);
	fflush(stdout);
	return ret;
}

int report_write_files(const struct results *r, const struct thresholds *t, const char *out_dir,
		       const struct render_opts *ro, struct judgement *j)
{
	char *results_path = report_path(out_dir, "results.json");
	char *verdict_path = report_path(out_dir, "verdict.md");
	struct buf md = BUF_INIT;
	int html_ret;
	cJSON *extra;
	int ret = 0;

	judge_results(r, t, j);
	extra = cJSON_CreateObject();
	cJSON_AddItemToObject(extra, "checks", judge_to_json(j, r, t));
	cJSON_AddStringToObject(extra, "verdict", status_name(j->verdict));
	cJSON_AddItemToObject(extra, "contention", judge_contention_to_json(&j->contention));
	if (results_write(r, extra, results_path) < 0)
		ret = -1;
	render_md(&md, r, t, j, ro);
	if (file_write_atomic(verdict_path, md.s, md.len, WRITE_DURABLE) < 0)
		ret = -1;
	html_ret = report_write_html(r, t, j, out_dir, ro);
	if (html_ret < 0)
		ret = -1;
	buf_release(&md);
	free(results_path);
	free(verdict_path);
	return ret;
}

int report_load(const char *path, const char *thresholds, const char *out, struct results *r,
		struct thresholds *t, const char **out_dir, char **owned)
{
	char *fallback = NULL, *copy;
	int ret = -1;

	*owned = NULL;
	if (results_read(r, path) < 0)
		goto out;
	if (!thresholds) {
		/* suite.path is the suite.json that measured the results */
		copy = r->suite_path ? xstrdup(r->suite_path) : NULL;
		fallback = config_default_thresholds(copy ? dirname(copy) : NULL);
		free(copy);
		thresholds = fallback;
	}
	if (thresholds_load(t, thresholds) < 0)
		goto out;
	if (!out) {
		copy = xstrdup(path);
		*owned = xstrdup(dirname(copy));
		free(copy);
		out = *owned;
	} else if (fs_mkdir_p(out) < 0) {
		goto out;
	}
	*out_dir = out;
	ret = 0;
out:
	free(fallback);
	return ret;
}
