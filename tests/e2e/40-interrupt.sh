#!/usr/bin/env bash
# SIGINT/SIGTERM during a run: children die with their process group, and
# results.json keeps what was measured, marked incomplete.
. "$(dirname "$0")/lib.sh"

SUITE=$ROOT/tests/fixtures/spinsuite
repo=$T/repo
bash "$ROOT/tests/fixtures/spinpkg-repo.sh" "$repo" park
export SPIN_GATE_CACHE=$T/cache

for sig in INT TERM; do
	out=$T/out-$sig
	"$BIN" run --repo "$repo" --suite "$SUITE" --base park --head park --out "$out" \
		--runs 20 --max-runs 20 --warmup 0 >"$T/stdout" 2>"$T/stderr" &
	pid=$!
	# wait until a few runs are recorded
	for _ in $(seq 1 150); do
		n=$(python3 -c 'import json,sys
try:
    r=json.load(open(sys.argv[1])); print(sum(len(s["samples"]["base"]) for s in r["scenarios"]))
except Exception: print(0)' "$out/results.json" 2>/dev/null)
		[ "${n:-0}" -ge 3 ] && break
		sleep 0.2
	done
	kill -s "$sig" "$pid"
	wait "$pid"
	rc=$?
	want=$([ "$sig" = INT ] && echo 130 || echo 143)
	expect "SIG$sig exits $want" test "$rc" -eq "$want"
	expect "SIG$sig: results.json incomplete with samples" python3 -c '
import json,sys; r=json.load(open(sys.argv[1]))
assert r["complete"] is False and r["stopped_by"] == "SIG"+sys.argv[2], (r["complete"], r["stopped_by"])
assert sum(len(s["samples"]["base"]) for s in r["scenarios"]) >= 3
' "$out/results.json" "$sig"
	expect "SIG$sig: verdict.md says incomplete" grep -qi 'incomplete' "$out/verdict.md"
	sleep 0.5
	expect "SIG$sig: no spinpkg left running" no_live "$SPIN_GATE_CACHE/envs"
done
e2e_done
