#!/usr/bin/env bash
# A run into an OUT that holds an earlier run: nothing there is replaced
# until measuring begins (a revision that cannot be prepared leaves it
# whole), and then the earlier results.json, verdict.md and scenario logs
# move to OUT/previous/. Runs are timed by the fake hyperfine (fast).
. "$(dirname "$0")/lib.sh"

SUITE=$ROOT/tests/fixtures/fakesuite
OUT=$T/out
cat >"$T/thresholds.json" <<'JSON'
{ "version": 1, "confidence": 0.95, "runs": 6, "max_runs": 6,
  "checks": [ { "name": "cpu", "where": { "kind": "spin" }, "metric": "cpu", "rule": "ratio_max", "value": 2 } ] }
JSON
gate() { # gate HEAD [args...]
	local head=$1
	shift
	run_bin run --suite "$SUITE" --base 1.0 --head "$head" --out "$OUT" --warmup 0 \
		--thresholds "$T/thresholds.json" --cache "$T/cache" --hyperfine "$SUITE/fake-hyperfine" "$@"
}
verdict() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["verdict"])' "$1"; }

gate 2.0
expect "the first run fails (exit 1)" test "$rc" -eq 1
cp "$OUT/results.json" "$T/first.json"
cp "$OUT/verdict.md" "$T/first.md"
cp "$OUT/logs/scenario-1-head.log" "$T/first-1-head.log"

gate typo-rev
expect "a rerun with an unknown head: exit 4" test "$rc" -eq 4
expect "it names the revision" grep -q "unknown revision 'typo-rev'" "$T/stderr"
expect "results.json is the first run's, byte for byte" cmp -s "$OUT/results.json" "$T/first.json"
expect "verdict.md is the first run's" cmp -s "$OUT/verdict.md" "$T/first.md"
expect "nothing moved to previous/" test ! -e "$OUT/previous"
run_bin judge --thresholds "$T/thresholds.json" "$OUT/results.json" --out "$T/judged"
expect "judge on it: still the fail (exit 1), not inconclusive" test "$rc" -eq 1

gate 1.0
expect "a rerun that measures: A/A passes (exit 0)" test "$rc" -eq 0
expect "it says where the earlier run went" grep -q "an earlier run's files (its results, verdict and logs) are in $OUT/previous" "$T/stderr"
expect "previous/results.json is the first run's" cmp -s "$OUT/previous/results.json" "$T/first.json"
expect "previous/verdict.md is the first run's" cmp -s "$OUT/previous/verdict.md" "$T/first.md"
expect "previous/logs has the first run's scenario log" cmp -s "$OUT/previous/logs/scenario-1-head.log" "$T/first-1-head.log"
expect "results.json and verdict.md are the new run's" bash -c "$(declare -f verdict)"'; [ "$(verdict "$1")" = pass ] && grep -q PASS "$2" && ! grep -q FAIL "$2"' _ "$OUT/results.json" "$OUT/verdict.md"

e2e_done
