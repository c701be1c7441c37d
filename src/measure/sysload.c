#include "sysload.h"

#include "buf.h"
#include "clock.h"
#include "msg.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

int sysload_parse_stat(const char *text, unsigned long long *busy, unsigned long long *steal,
		       unsigned long long *total)
{
	unsigned long long v[10] = { 0 };
	int n, i;

	if (strncmp(text, "cpu ", 4))
		return -1;
	n = sscanf(text, "cpu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1],
		   &v[2], &v[3], &v[4], &v[5], &v[6], &v[7], &v[8], &v[9]);
	if (n < 8)
		return -1;
	/* user nice system idle iowait irq softirq steal [guest guest_nice]:
	 * guest time is already counted in user */
	*busy = v[0] + v[1] + v[2] + v[5] + v[6];
	*steal = v[7];
	*total = 0;
	for (i = 0; i < 8; i++)
		*total += v[i];
	return 0;
}

/* The first line (or first 4 KB) of a /proc or /sys file into b. */
static int read_small(const char *path, char *b, size_t n)
{
	FILE *f = fopen(path, "r");
	size_t len;

	if (!f)
		return -1;
	len = fread(b, 1, n - 1, f);
	fclose(f);
	b[len] = '\0';
	return len ? 0 : -1;
}

void sysload_init(struct sysload *sl)
{
	char text[512], *home;
	double x;
	int root;

	memset(sl, 0, sizeof(*sl));
	/* cgroup v2: the gate's cgroup's cpu.pressure counts its own tasks
	 * waiting, which is what a shared runner's neighbours cause (the
	 * root's is the machine's: /proc/pressure/cpu says so plainly) */
	home = cgroup_self_dir(&root);
	if (home && !root) {
		char *path = xstrfmt("%s/cpu.pressure", home);

		if (!read_small(path, text, sizeof(text)) && !cgroup_parse_pressure(text, &x)) {
			sl->pressure_path = path;
			sl->source = PRESSURE_GATE;
		} else {
			free(path);
		}
	}
	if (!sl->pressure_path) {
		sl->pressure_path = xstrdup("/proc/pressure/cpu");
		sl->source = PRESSURE_SYSTEM;
	}
	free(home);
}

int sysload_runs_cgroup(struct sysload *sl)
{
	struct buf why = BUF_INIT;
	int ret;

	ret = cgroup_run_init(&sl->runs, &why);
	if (ret < 0)
		note("runs share the gate's cgroup (%s): the time a run waited for a CPU is "
		     "read from '%s', which counts %s",
		     why.s, sl->pressure_path,
		     sl->source == PRESSURE_GATE ? "the gate's tasks too"
						 : "every task on the machine");
	buf_release(&why);
	return ret;
}

void sysload_release(struct sysload *sl)
{
	free(sl->pressure_path);
	sl->pressure_path = NULL;
	cgroup_run_release(&sl->runs);
}

void sysload_mark(const struct sysload *sl, struct sysload_mark *m)
{
	char text[512];
	struct rusage self, kids;
	unsigned long long busy, steal, total;
	double hz = (double)sysconf(_SC_CLK_TCK);

	memset(m, 0, sizeof(*m));
	if (!(hz > 0))
		hz = 100;
	if (!read_small("/proc/stat", text, sizeof(text)) &&
	    !sysload_parse_stat(text, &busy, &steal, &total)) {
		m->busy = (double)busy / hz;
		m->steal = (double)steal / hz;
		m->total = (double)total / hz;
		m->have |= SYSLOAD_STAT;
	}
	if (sl->pressure_path && !read_small(sl->pressure_path, text, sizeof(text)) &&
	    !cgroup_parse_pressure(text, &m->pressure))
		m->have |= SYSLOAD_PRESSURE;
	if (sl->runs.dir) {
		struct cgroup_reading r;

		if (!cgroup_read(sl->runs.dir, &r) && isfinite(r.stall) && isfinite(r.cpu)) {
			m->run_stall = r.stall;
			m->run_cpu = r.cpu;
			m->have |= SYSLOAD_RUN;
		}
	}
	m->source = sl->source;
	getrusage(RUSAGE_SELF, &self);
	getrusage(RUSAGE_CHILDREN, &kids);
	m->own = clock_tv_secs(&self.ru_utime) + clock_tv_secs(&self.ru_stime) +
		 clock_tv_secs(&kids.ru_utime) + clock_tv_secs(&kids.ru_stime);
	m->wall = clock_now();
}

void sysload_sample(const struct sysload_mark *a, const struct sysload_mark *b, struct sample *s)
{
	double span = b->wall - a->wall;
	/* hyperfine's own start-up lies between the marks: scale the span's
	 * figures to the run */
	double scale = span > 0 && s->wall > 0 ? fmin(1.0, s->wall / span) : NAN;

	s->others_cpu = s->steal = s->cpu_pressure = s->cgroup_cpu = NAN;
	s->pressure_source = PRESSURE_NONE;
	if (isnan(scale))
		return;
	if (a->have & b->have & SYSLOAD_RUN) {
		/* only the run was in its cgroup: its figures need no scaling */
		s->cpu_pressure = fmax(0.0, b->run_stall - a->run_stall);
		s->cgroup_cpu = fmax(0.0, b->run_cpu - a->run_cpu);
		s->pressure_source = PRESSURE_RUN;
	}
	if (a->have & b->have & SYSLOAD_STAT) {
		s->others_cpu = fmax(0.0, (b->busy - a->busy) - (b->own - a->own)) * scale;
		s->steal = fmax(0.0, b->steal - a->steal) * scale;
	}
	if ((a->have & b->have & SYSLOAD_PRESSURE) && s->pressure_source == PRESSURE_NONE) {
		s->cpu_pressure = fmax(0.0, b->pressure - a->pressure) * scale;
		s->pressure_source = b->source;
	}
}

double sysload_steal_percent(const struct sysload_mark *a, const struct sysload_mark *b)
{
	if (!(a->have & b->have & SYSLOAD_STAT) || b->total <= a->total || b->steal < a->steal)
		return NAN;
	return 100.0 * (b->steal - a->steal) / (b->total - a->total);
}

char *sysload_parse_cpu_model(const char *text)
{
	static const char *const keys[] = { "model name", "Hardware", "Processor", "cpu" };
	size_t k, n, len;
	const char *line, *end, *v;

	for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
		n = strlen(keys[k]);
		for (line = text; line && *line; line = end ? end + 1 : NULL) {
			end = strchr(line, '\n');
			len = end ? (size_t)(end - line) : strlen(line);
			if (len <= n || strncmp(line, keys[k], n) != 0)
				continue;
			v = line + n;
			while (v < line + len && (*v == ' ' || *v == '\t'))
				v++;
			if (v == line + len || *v != ':')
				continue;
			v++;
			while (v < line + len && (*v == ' ' || *v == '\t'))
				v++;
			len -= (size_t)(v - line);
			while (len &&
			       (v[len - 1] == ' ' || v[len - 1] == '\t' || v[len - 1] == '\r'))
				len--;
			if (len)
				return xstrndup(v, len);
		}
	}
	return NULL;
}

char *sysload_cpu_model(void)
{
	struct buf text = BUF_INIT;
	char *model = NULL;

	if (buf_read_file(&text, "/proc/cpuinfo") == 0 && text.s)
		model = sysload_parse_cpu_model(text.s);
	buf_release(&text);
	return model;
}
