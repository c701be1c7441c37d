#include "cost.h"

#include "clock.h"

#include <math.h>
#include <sys/resource.h>
#include <time.h>

void cost_mark(struct cost_mark *m)
{
	struct rusage self, kids;

	getrusage(RUSAGE_SELF, &self);
	getrusage(RUSAGE_CHILDREN, &kids);
	m->self_cpu = clock_tv_secs(&self.ru_utime) + clock_tv_secs(&self.ru_stime);
	m->children_cpu = clock_tv_secs(&kids.ru_utime) + clock_tv_secs(&kids.ru_stime);
	m->wall = clock_now();
}

void cost_finish(const struct cost_mark *m, const struct cost_mark *probe, struct results *r)
{
	struct overhead *o = &r->env.overhead;
	double runs_cpu = 0, runs_wall = 0;
	struct cost_mark now;
	size_t i, k;
	int s;

	cost_mark(&now);
	for (i = 0; i < r->nscen; i++)
		for (s = 0; s < SIDE_COUNT; s++)
			for (k = 0; k < r->scen[i].samples[s].n; k++) {
				const struct sample *x = &r->scen[i].samples[s].v[k];

				/* a run killed at its time limit has no times */
				if (!isnan(x->user) && !isnan(x->sys))
					runs_cpu += x->user + x->sys;
				if (!isnan(x->wall))
					runs_wall += x->wall;
			}
	o->runs_cpu = runs_cpu;
	o->runs_wall = runs_wall;
	o->self_cpu = now.self_cpu - m->self_cpu;
	o->probe_cpu = probe->self_cpu - m->self_cpu;
	o->tools_cpu = now.children_cpu - m->children_cpu - runs_cpu;
	o->extra_wall = now.wall - m->wall - runs_wall;
}
