#!/usr/bin/env bash
# What a scenario (the pull request's code) can do to the gate's machine,
# timed by the real hyperfine on a tiny suite: its logs are capped, and
# processes it leaves running are reported, killed and their CPU counted.
. "$(dirname "$0")/lib.sh"

S=$T/suite
mkdir -p "$S"
cat >"$S/suite.json" <<'JSON'
{ "name": "limits",
  "parameters": [ { "name": "kind", "values": ["big", "daemon", "escape", "spinner"] } ],
  "command": ["${suite_dir}/scenario.sh", "${kind}"],
  "cores": "1", "timeout": 30,
  "setup": { "version": ["${suite_dir}/setup.sh", "${env}"], "timeout": 30 } }
JSON
cat >"$S/thresholds.json" <<'JSON'
{ "version": 1, "runs": 2, "max_runs": 2,
  "checks": [ { "name": "wall", "metric": "wall", "rule": "ratio_max", "value": 100 } ] }
JSON
printf '#!/bin/sh\nmkdir -p "$1"\n' >"$S/setup.sh"
cat >"$S/scenario.sh" <<'SH'
#!/bin/sh
case "$1" in
big) # 3 MB of output per run, marked at both ends
	echo BEGIN
	head -c 3000000 /dev/zero | tr '\0' x
	echo
	echo END ;;
daemon) sleep 3031 & exit 0 ;;           # left in the process group
escape) setsid sleep 3032 & exit 0 ;;    # left the group
spinner) setsid sh -c 'while :; do :; done' & sleep 0.5; exit 0 ;;
esac
SH
chmod +x "$S/setup.sh" "$S/scenario.sh"
gate() { # gate NAME [args...]
	OUT=$T/out-$1
	shift
	run_bin run --suite "$S" --base 1.0 --head 1.1 --out "$OUT" --warmup 0 \
		--cache "$T/cache" "$@"
}

gate big --only kind=big
# two rounds decide little on a busy machine: a pass or inconclusive, no run error
passed() { [ "$rc" -eq 0 ] || [ "$rc" -eq 3 ]; }
expect "big output: measured (exit 0 or 3)" passed
for side in base head; do
	log=$OUT/logs/scenario-1-$side.log
	expect "big output: the $side log is capped, its start, end and what was dropped said" python3 -c '
import sys
b = open(sys.argv[1], "rb").read()
run = len(b"BEGIN\n") + 3000000 + len(b"\nEND\n")
head, tail = 65536, 1048576
mark = b"\n[spin-gate: %d bytes of output dropped here; a scenario log keeps its first 64 KiB and its last 1 MiB]\n" % (2 * run - head - tail)
assert b.startswith(b"BEGIN\nxxx"), b[:20]
assert b.endswith(b"xxx\nEND\n"), b[-20:]
assert b[head:head + len(mark)] == mark, b[head:head + 200]
assert len(b) == head + len(mark) + tail, len(b)
' "$log"
done

gate left --only kind=daemon --only kind=escape --only kind=spinner
expect "leftovers: measured (exit 0 or 3)" passed
for k in daemon escape spinner; do
	expect "leftovers: a warning names scenario kind=$k and its first run" grep -Eq "^spin-gate: warning: scenario kind=$k: (base|head) round 1 left 1 process\(es\) running after its command ended: killed, and their CPU counted in the run's" "$T/stderr"
done
expect "leftovers: results.json counts them per scenario and side" python3 -c '
import json,sys; r=json.load(open(sys.argv[1]))
s={x["params"]["kind"]: x for x in r["scenarios"]}
for k in ("daemon","escape","spinner"):
    for side in ("base","head"):
        lb=s[k]["left_behind"][side]
        assert lb["runs"]==2 and lb["processes"]==2, (k, side, lb)
for side in ("base","head"):
    cpu=s["spinner"]["left_behind"][side]["cpu"]
    assert cpu > 0.1, (side, cpu)  # 2 runs of 0.5 s spinning
    assert sum(x["user"]+x["system"] for x in s["spinner"]["samples"][side]) >= cpu
' "$OUT/results.json"
for pat in "sleep 3031" "sleep 3032" "while :; do :; done"; do
	expect "leftovers: no '$pat' left running" no_live "$pat"
done
run_bin judge --thresholds "$S/thresholds.json" --out "$T/judged" "$OUT/results.json"
expect "leftovers: judge keeps left_behind" python3 -c '
import json,sys; a=json.load(open(sys.argv[1])); b=json.load(open(sys.argv[2]))
assert [x.get("left_behind") for x in a["scenarios"]] == [x.get("left_behind") for x in b["scenarios"]]
' "$OUT/results.json" "$T/judged/results.json"
expect "a scenario that leaves nothing has no left_behind" python3 -c '
import json,sys; r=json.load(open(sys.argv[1])); assert "left_behind" not in r["scenarios"][0]
' "$T/out-big/results.json"

e2e_done
