#include "runenv.h"

#include "buf.h"
#include "sysload.h"

#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

static const char *const withheld[] = {
	"GITHUB_TOKEN",
	"ACTIONS_RUNTIME_TOKEN",
	"ACTIONS_ID_TOKEN_REQUEST_TOKEN",
	"ACTIONS_ID_TOKEN_REQUEST_URL",
	"ACTIONS_CACHE_URL",
	"ACTIONS_RESULTS_URL",
	"GITHUB_ENV",
	"GITHUB_PATH",
	"GITHUB_OUTPUT",
	"GITHUB_STATE",
	"GITHUB_STEP_SUMMARY",
};

const char **runenv_withheld(const char *token_env, const struct suite *s)
{
	size_t n = sizeof(withheld) / sizeof(withheld[0]), i, k = 0, j;
	const char **v = xcalloc(n + 2, sizeof(*v));

	for (i = 0; i <= n; i++) {
		const char *name = i < n ? withheld[i] : token_env;
		int kept = 0;

		if (!name)
			continue;
		for (j = 0; s->pass_env && s->pass_env[j]; j++)
			kept |= !strcmp(s->pass_env[j], name);
		for (j = 0; j < k; j++)
			kept |= !strcmp(v[j], name);
		if (!kept)
			v[k++] = name;
	}
	v[k] = NULL;
	return v;
}

void runenv_collect(struct env_info *e, int ncpu, const char *hyperfine_version)
{
	struct utsname u;
	char host[256];

	e->cores = ncpu;
	e->cpu_model = sysload_cpu_model();
	if (uname(&u) == 0)
		e->kernel = xstrfmt("%s %s %s", u.sysname, u.release, u.machine);
	if (gethostname(host, sizeof(host)) == 0) {
		host[sizeof(host) - 1] = '\0';
		e->host = xstrdup(host);
	}
	e->hyperfine = hyperfine_version ? xstrdup(hyperfine_version) : NULL;
}
