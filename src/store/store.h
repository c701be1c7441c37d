#ifndef SPIN_GATE_STORE_H
#define SPIN_GATE_STORE_H
/*
 * store: where a history's records live (docs/history.md), one file per
 * record, so two writers never touch the same file:
 *
 *   - a plain directory (`--history DIR`): DIR/NAME.json, for local use and
 *     tests; added by an atomic rename, nothing else to do;
 *   - a branch of the user's own repository (`--branch NAME`, default
 *     spin-gate-history), records/NAME.json on it. Git work happens in a
 *     worktree of that repository under the cache (CACHE/history/...),
 *     detached, so the user's checkout (its branch, HEAD, index, files)
 *     is never touched and the repository's own remote configuration
 *     (credentials actions/checkout left included) serves the fetch and
 *     the push. Nothing outside the repository is needed.
 *
 * Adding to a branch is fetch, commit on the fetched tip (or a first,
 * parentless commit when the remote has no such branch), push; a push the
 * remote rejects (another writer got there first, a hook) is tried again
 * from a fresh fetch, STORE_PUSH_ATTEMPTS times in all, with a short,
 * growing, jittered pause between. The record file's name is unique to the
 * writer (STORE_NAME below), so a retry never conflicts, only rebases.
 *
 *   struct store s;
 *   if (store_open_branch(&s, repo, "origin", "spin-gate-history", cache) < 0)
 *           ...;
 *   store_add(&s, "out/record.json");       0, or -1 after error()
 *   store_load(&s, &v, &n);                 every record; record_release() each
 *   store_release(&s);
 *
 * All functions return 0 or -1 after error() unless said otherwise.
 */
#include <stddef.h>

#include "record.h"

/* Pushes tried before store_add() gives up (the first and the retries). */
#define STORE_PUSH_ATTEMPTS 6
/* The default branch of a history. */
#define STORE_DEFAULT_BRANCH "spin-gate-history"

struct store {
	char *dir;	 /* where record files are read: DIR, or the worktree's records/ */
	char *repo;	 /* branch only: the user's repository (absolute) */
	char *remote;	 /* branch only: its remote's name */
	char *target;	 /* branch only: what git fetches from and pushes to (the
			* name, or a relative URL made absolute) */
	char *branch;	 /* branch only: the history's branch */
	char *wt;	 /* branch only: the worktree in the cache */
	char *git_log;	 /* branch only: git's stderr, appended (the tail in errors) */
	size_t log_mark; /* branch only: git_log's size before the last git */
	int lock_fd;	 /* branch only: the worktree's lock, -1 when none */
	int fetched;	 /* branch only: 1 once the remote's branch is in wt */
	int pushes;	 /* pushes tried by the last store_add() (tests, notes) */
};

/*
 * A plain directory of records; made when missing. Borrowed strings are
 * copied.
 */
int store_open_dir(struct store *s, const char *dir);

/*
 * The branch `branch` (NULL: STORE_DEFAULT_BRANCH) of `remote` (NULL:
 * "origin") of the git repository at `repo` (NULL: the current directory's),
 * worked on in a detached worktree of repo under `cache`/history/ (made or
 * reused; locked with flock while the store is open, so two recorders on
 * one machine and cache wait for each other). Nothing is fetched yet.
 */
int store_open_branch(struct store *s, const char *repo, const char *remote, const char *branch,
		      const char *cache);

/*
 * Read and check the record at record_path (a record that does not read
 * is refused), then add it under a new name (store_record_name()): copied
 * into the directory atomically, or committed and pushed to the branch as
 * above. When every push was rejected, -1 after error() saying how many
 * were tried; the record file at record_path is left as it was.
 */
int store_add(struct store *s, const char *record_path);

/*
 * Every record of the store, read and validated, in the order of their
 * file names (the time they were recorded, then a random part); *v is
 * malloc'd (NULL when none), each one to record_release() and the array to
 * free(). A branch is fetched first (an absent branch is an empty
 * history). A file that does not read as a record (corrupt, another
 * schema, a newer version) is skipped with a warning naming it and why;
 * files not ending in ".json" are ignored. -1 only when the store cannot
 * be listed or fetched.
 */
int store_load(struct store *s, struct record **v, size_t *n);

/*
 * The file name a record is added under:
 *   RECORDED-COMMIT12-RANDOM.json
 * RECORDED the record's recorded time as digits (20261207T010203Z), COMMIT12
 * the commit's first 12 digits (or "rev-" and the rev with every byte
 * outside [A-Za-z0-9._-] as '_', cut to 40 bytes), RANDOM 16 hex digits
 * from getrandom(): two writers never choose the same name. Caller frees.
 */
char *store_record_name(const struct record *r);

/* The committer date of commit in repo (git's strict ISO-8601,
 * "2026-12-01T10:00:00+00:00"), or NULL when git cannot say. Caller
 * frees. */
char *store_commit_date(const char *repo, const char *commit);

void store_release(struct store *s);

#endif
