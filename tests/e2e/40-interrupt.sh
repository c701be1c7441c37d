#!/usr/bin/env bash
# SIGINT/SIGTERM during a run: children die with their process group, and
# results.json keeps what was measured, marked incomplete. SIGKILL: the
# gate's watchdog kills hyperfine and the run, and the next run cleans the
# temporary files the killed gate left.
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
# SIGKILL: nothing of the gate runs; its watchdog must stop the run.
S=$T/killsuite
mkdir -p "$S"
cat >"$S/suite.json" <<'JSON'
{ "name": "kill", "parameters": [],
  "command": ["${suite_dir}/long.sh"], "cores": "1", "timeout": 600,
  "setup": { "version": ["${suite_dir}/setup.sh", "${env}"] } }
JSON
printf '{ "version": 1, "checks": [ { "name": "wall", "metric": "wall", "rule": "ratio_max", "value": 2 } ] }\n' >"$S/thresholds.json"
printf '#!/bin/sh\nmkdir -p "$1"\n' >"$S/setup.sh"
# and a process that left the run's group (setsid): the watchdog finds it by
# the mark in its environment
printf '#!/bin/sh\nsetsid sleep 3034 &\nsleep 3033\necho done\n' >"$S/long.sh"
chmod +x "$S/setup.sh" "$S/long.sh"
out=$T/out-KILL
"$BIN" run --suite "$S" --base 1.0 --head 1.1 --out "$out" --cache "$T/kcache" \
	>"$T/stdout" 2>"$T/stderr" &
pid=$!
for _ in $(seq 1 150); do
	no_live "sleep 3033" || break
	sleep 0.1
done
expect "SIGKILL: the run is running (sleep 3033 under hyperfine)" fails no_live "sleep 3033"
expect "SIGKILL: the escaped process runs, marked SPIN_GATE_RUN=GATEPID.N" bash -c '
for p in $(pgrep -f "sleep 3034"); do
	tr "\0" "\n" </proc/$p/environ | grep -qx "SPIN_GATE_RUN=$1\.[0-9]*" && exit 0
done
exit 1' _ "$pid"
expect "SIGKILL: hyperfine's export is in OUT/.tmp" bash -c "ls '$out/.tmp/' | grep -q '^spin-gate-hf-'"
kill -s KILL "$pid"
wait "$pid"
rc=$?
expect "SIGKILL: the gate died of it (137)" test "$rc" -eq 137
for _ in $(seq 1 30); do
	no_live "sleep 3033" && no_live "sleep 3034" && no_live "$out/.tmp/" && break
	sleep 0.1
done
expect "SIGKILL: the run is gone within 3 s" no_live "sleep 3033"
expect "SIGKILL: hyperfine is gone within 3 s" no_live "$out/.tmp/"
expect "SIGKILL: the process that left the group (setsid) is gone within 3 s" no_live "sleep 3034"
expect "SIGKILL: its temporary files are left" bash -c "ls '$out/.tmp/' | grep -q '^spin-gate-hf-'"
run_bin run --suite "$S" --base 1.0 --head typo-rev --out "$out" --cache "$T/kcache"
expect "the next run (an unknown revision: exit 4) cleans OUT/.tmp" sh -c '[ "$1" -eq 4 ] && [ ! -e "$2/.tmp" ]' _ "$rc" "$out"

e2e_done
