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

e2e_done
