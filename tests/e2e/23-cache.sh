#!/usr/bin/env bash
# The environment cache knows what built it: a changed setup script builds
# new environments, an unchanged one reuses them. Runs are timed by the
# fake hyperfine of tests/fixtures/fakesuite (no real runs).
. "$(dirname "$0")/lib.sh"

cp -r "$ROOT/tests/fixtures/fakesuite" "$T/suite"
SUITE=$T/suite
cat >"$T/thresholds.json" <<'JSON'
{ "version": 1, "runs": 2, "max_runs": 2,
  "checks": [ { "name": "wall", "metric": "wall", "rule": "ratio_max", "value": 1.1 } ] }
JSON
gate() {
	run_bin run --suite "$SUITE" --thresholds "$T/thresholds.json" --base 1.0 --head 2.0 \
		--out "$T/out" --warmup 0 --cache "$T/cache" --only kind=noisy \
		--hyperfine "$SUITE/fake-hyperfine" "$@"
}
prepared() { grep -c "preparing version" "$T/stderr"; }
cached() { grep -c "using cached environment" "$T/stderr"; }

gate
expect "first gate prepares both revisions" bash -c "[ $(prepared) -eq 2 ] && [ $(cached) -eq 0 ]"
gate
expect "second gate reuses both environments" bash -c "[ $(prepared) -eq 0 ] && [ $(cached) -eq 2 ]"

echo '# a changed setup' >>"$SUITE/setup.sh"
gate
expect "a changed setup.sh builds new environments" bash -c "[ $(prepared) -eq 2 ] && [ $(cached) -eq 0 ]"
expect "... beside the old ones, keyed by the setup's digest" \
	test "$(ls -d "$T"/cache/envs/fake/version-1.0-* | wc -l)" -eq 2

gate --rebuild
expect "--rebuild prepares both revisions again" bash -c "[ $(prepared) -eq 2 ] && [ $(cached) -eq 0 ]"

# A relative --cache with git revisions: the worktrees and environments are
# where the cache is, not inside the repository (`git -C REPO worktree add`)
# or the setup's working directory.
mkdir -p "$T/rel/suite" && cp "$SUITE/suite.json" "$SUITE/fake-hyperfine" "$T/rel/suite/"
python3 - "$T/rel/suite/suite.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
s["setup"] = {"git": ["${suite_dir}/setup-git.sh", "${worktree}", "${env}"], "timeout": 10}
json.dump(s, open(sys.argv[1], "w"))
PY
cat >"$T/rel/suite/setup-git.sh" <<'SH'
#!/bin/sh
# setup-git.sh WORKTREE ENV: the checkout's VERSION file becomes the environment
set -eu
mkdir -p "$2"
cp "$1/VERSION" "$2/version"
printf '#!/bin/sh\nexit 0\n' >"$2/run"
chmod +x "$2/run"
SH
chmod +x "$T/rel/suite/setup-git.sh"
git init -q "$T/rel/repo" && for v in 1.0 2.0; do
	echo "$v" >"$T/rel/repo/VERSION"
	git -C "$T/rel/repo" add VERSION
	git -C "$T/rel/repo" -c user.name=t -c user.email=t@t commit -qm "$v"
done
cd "$T/rel" && run_bin run --suite suite --thresholds "$T/thresholds.json" --repo repo \
	--base HEAD~1 --head HEAD --out out --warmup 0 --cache cache --only kind=noisy \
	--hyperfine suite/fake-hyperfine
cd "$ROOT" || exit 1
# exit 3: the noisy scenario stays inconclusive in 2 rounds; measured, no error
expect "relative --cache and --hyperfine with git revisions: both sides measured (exit 3)" \
	bash -c "[ $rc -eq 3 ] && python3 -c '
import json, sys; s = json.load(open(sys.argv[1]))[\"scenarios\"][0]
sys.exit(s[\"error\"] is not None or [len(s[\"samples\"][k]) for k in (\"base\", \"head\")] != [2, 2])' '$T/rel/out/results.json'"
expect "... its worktrees are in the cache, not in the repository" \
	bash -c "[ -d '$T/rel/cache/worktrees' ] && [ ! -e '$T/rel/repo/cache' ]"

e2e_done
