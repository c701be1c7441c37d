#!/usr/bin/env bash
# What a scenario (the pull request's code) can do to the gate's machine,
# timed by the real hyperfine on a tiny suite: its logs are capped.
. "$(dirname "$0")/lib.sh"

S=$T/suite
mkdir -p "$S"
cat >"$S/suite.json" <<'JSON'
{ "name": "limits",
  "parameters": [ { "name": "kind", "values": ["big"] } ],
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

e2e_done
