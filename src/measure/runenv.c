#include "runenv.h"

#include "buf.h"
#include "fsutil.h"
#include "hyperfine.h"
#include "msg.h"
#include "proc.h"
#include "watchdog.h"
#include "sysload.h"

#include <errno.h>
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

static int check_dir(const struct opt_cmd *cmd, const char *what, const char *dir)
{
	if (!*dir)
		return opt_error(cmd, "%s is empty: give a directory", what);
	if (fs_is_root(dir))
		return opt_error(cmd, "%s '%s' is the root directory: give a directory of its own",
				 what, dir);
	return 0;
}

int runenv_check_dirs(const struct opt_cmd *cmd, const char *out, const char *cache,
		      int cache_given)
{
	if (check_dir(cmd, "--out", out) < 0)
		return -1;
	return check_dir(cmd,
			 cache_given ? "--cache"
				     : "the cache directory (from $SPIN_GATE_CACHE, "
				       "$XDG_CACHE_HOME or $HOME)",
			 cache);
}

int runenv_start(const char *out, const char *hyperfine, char **logs, char **tmp, char **hf_version)
{
	*logs = xstrfmt("%s/logs", out);
	*tmp = xstrfmt("%s/.tmp", out);
	/* which hyperfine is the first question: a wrong one is told before
	 * OUT is touched or anything prepared */
	*hf_version = hyperfine_version(hyperfine); /* says why when NULL */
	if (!*hf_version)
		return -1;
	if (hyperfine_check_version(hyperfine, *hf_version) < 0)
		return RUNENV_UNSUPPORTED;
	/* a gate killed before it could clean up left its temporary files */
	if (fs_mkdir_p(*logs) < 0 || fs_rm_rf(*tmp) < 0 || fs_mkdir_p(*tmp) < 0)
		return -1;
	proc_signals_install();
	if (watchdog_start() < 0)
		return -1;
	if (proc_subreaper() < 0)
		warning("cannot become the reaper of orphaned processes (%s): processes a "
			"scenario leaves behind outside its process group are not seen",
			strerror(errno));
	return 0;
}
