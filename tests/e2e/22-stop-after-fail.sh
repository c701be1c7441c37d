#!/usr/bin/env bash
# The measure loop stops extending scenarios once a check has failed (the
# verdict is settled), and --all-checks measures on; a fail needs the
# look-corrected level (6 rounds for a clean separation at 95%). Runs are
# timed by a fake hyperfine that makes up figures, so rounds are exact.
. "$(dirname "$0")/lib.sh"

SUITE=$ROOT/tests/fixtures/fakesuite
cat >"$T/thresholds.json" <<'JSON'
{ "version": 1, "confidence": 0.95, "runs": 3, "max_runs": 12,
  "checks": [
    { "name": "cpu", "where": { "kind": "spin" }, "metric": "cpu", "rule": "ratio_max", "value": 2 },
    { "name": "wall", "where": { "kind": "noisy" }, "metric": "wall", "rule": "ratio_max", "value": 1.1 } ] }
JSON
rounds() { # rounds KIND: measured rounds of that scenario's head in $OUT
	python3 -c '
import json,sys; r=json.load(open(sys.argv[1]))
s=[s for s in r["scenarios"] if s["params"]["kind"]==sys.argv[2]][0]
print(max(x["round"] for x in s["samples"]["head"]))' "$OUT/results.json" "$1"
}
gate() { # gate NAME [args...]
	OUT=$T/out-$1
	shift
	run_bin run --suite "$SUITE" --thresholds "$T/thresholds.json" --base 1.0 --head 2.0 \
		--out "$OUT" --warmup 0 --cache "$T/cache" \
		--hyperfine "$SUITE/fake-hyperfine" "$@"
}

gate settled
expect "head's 10x CPU fails (exit 1)" test "$rc" -eq 1
expect "the fail needed 6 rounds (the look-corrected level)" test "$(rounds spin)" -eq 6
expect "the undecided scenario was not extended past the fail" test "$(rounds noisy)" -eq 6
expect "it says it stopped" grep -q "a check failed after 6 round(s): the verdict is a fail; not extending the other scenarios" "$T/stderr"
expect "its open check says why" python3 -c '
import json,sys; r=json.load(open(sys.argv[1]))
c=[c for c in r["checks"] if c["check"]=="wall"][0]
assert c["status"]=="inconclusive" and "not measured further once another check had failed" in c["note"], c
assert r["settings"]["all_checks"] is False
' "$OUT/results.json"

gate all --all-checks
expect "--all-checks: still a fail" test "$rc" -eq 1
expect "--all-checks: the undecided scenario gets every round" test "$(rounds noisy)" -eq 12
expect "--all-checks: the failed one stops at its fail" test "$(rounds spin)" -eq 6
expect "--all-checks is recorded" python3 -c '
import json,sys; r=json.load(open(sys.argv[1])); assert r["settings"]["all_checks"] is True
assert not any("not measured further" in c["note"] for c in r["checks"])
' "$OUT/results.json"

e2e_done
