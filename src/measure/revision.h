#ifndef SPIN_GATE_REVISION_H
#define SPIN_GATE_REVISION_H
/*
 * revision: a revision string turned into a prepared environment, once.
 *
 * Every revision of a gate is resolved (revision_resolve_all()) before any
 * is prepared. Without a repository, a revision must be a release version ("v0.16.0",
 * "0.16.1", "1.0rc1", "1.0.0-alpha.124", "4.2.10.Final"): the suite's
 * setup.version installs that release into a fresh environment, given both
 * the version without "v" (${version}) and as typed (${version_spec}). With --repo PATH every revision is a git revision:
 * it is resolved to a commit (`git rev-parse --verify REV^{commit}`), checked
 * out as a detached `git worktree` under the cache, and the suite's
 * setup.git installs that checkout into its own environment.
 *
 * Environments are cached by what the revision resolves to and by what
 * builds it (suite_setup_digest(): the setup command and the suite files it
 * names):
 *   CACHE/envs/SUITE/version-0.16.0-<digest>/   CACHE/envs/SUITE/git-<commit>-<digest>/
 * A stamp file ".spin-gate-ready" is written only after setup succeeded, so
 * an interrupted or failed setup is redone next time; opts.rebuild redoes it
 * anyway. Preparation holds an
 * exclusive lock on CACHE/envs/SUITE/.lock so concurrent gates do not race.
 *
 * Revision strings reach git and the setup program only as single argv
 * entries, never through a shell; one starting with '-' is refused.
 */
#include "results.h"
#include "suite.h"

struct revision {
	char *spec;
	const char *kind; /* "version" or "git" (static) */
	char *resolved;	  /* version without "v", or the full commit id */
	char *env_dir;
	char *worktree; /* git only */
	char *runtime;	/* probe output, or NULL */
	int cached;	/* 1 when the environment was already prepared */
};

struct revision_opts {
	const char *repo;     /* git repository, or NULL */
	const char *cache;    /* cache directory */
	const char *log_path; /* setup output appended here */
	const char *ncpu;
	int rebuild; /* prepare again even when a ready environment exists */
	/* names removed from the setup's and probe's environment;
	 * NULL-terminated, or NULL */
	const char *const *unset;
};

/* 1 when spec looks like a release version as a registry writes it: PEP 440
 * (1.0rc1), semver with pre-release and build (1.0.0-alpha.124, a Go
 * pseudo-version) or Maven's qualifiers (4.2.10.Final, 31.1-jre), each with
 * or without a leading "v". */
int revision_is_version(const char *spec);

/* Resolve spec without preparing it, touching nothing in the cache: refuse
 * an invalid string and a kind of revision the suite cannot set up; a git
 * revision becomes its full commit (`git rev-parse` in o->repo: "unknown
 * revision 'X' in repository 'R'" when it does not resolve); a release
 * version is only checked to look like one, "v" stripped (whether that
 * release exists is known only once setup.version tries to install it).
 * 0, or -1 after error() naming the revision; with proc_interrupted() set,
 * the gate was interrupted. Release rv either way. */
int revision_resolve(struct revision *rv, const char *spec, const struct suite *s,
		     const struct revision_opts *o);

/* revision_resolve() every one of specs[0..n) into rv[0..n), each bad one
 * named (an interrupt stops it): what run and compare do before preparing
 * any, so that a typo in the last revision is refused before the first one's
 * setup runs. 0, or -1 when any failed. Release every rv either way. */
int revision_resolve_all(struct revision *rv, const char *const *specs, size_t n,
			 const struct suite *s, const struct revision_opts *o);

/* Prepare a revision revision_resolve() resolved. 0, or -1 after error()
 * naming the revision. On -1 with proc_interrupted() set, the gate was
 * interrupted. */
int revision_prepare(struct revision *rv, const struct suite *s, const struct revision_opts *o);
void revision_release(struct revision *rv);

/* Copy into the results' record of the revision. */
void revision_to_info(const struct revision *rv, struct revision_info *ri);

/* The default cache: $SPIN_GATE_CACHE, else $XDG_CACHE_HOME/spin-gate, else
 * $HOME/.cache/spin-gate. Caller frees. */
char *revision_default_cache(void);

#endif
