#!/usr/bin/env bash
# bench/shard-wall.sh [REPEATS]: the wall time to a verdict on this machine
# for one gate run whole and for the same gate as 2 shards run at the same
# time and merged. A small suite of 4 scenarios (2 that sleep 0.5 s, 2 that
# keep one core busy for about 0.5 s; SHARD_WALL_KINDS=burn: 4 that keep a
# core busy), real hyperfine, fixed rounds (3, plus one warm-up) so both ways
# do the same runs. Prints one line per gate and the medians. Run it on an
# otherwise idle machine (docs/cli.md#shards).
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${SPIN_GATE_BIN:-$ROOT/build/spin-gate}
REPEATS=${1:-3}
W=$(mktemp -d "${TMPDIR:-/tmp}/shard-wall.XXXXXX")
trap 'rm -rf "$W"' EXIT
mkdir -p "$W/suite"
cat >"$W/suite/setup.sh" <<'SH'
#!/bin/sh
# setup.sh VERSION ENV: a program that sleeps or burns one core
set -eu
mkdir -p "$2"
cat >"$2/run" <<'RUN'
#!/bin/sh
case "$1" in
sleep) sleep 0.5 ;;
burn) i=0; while [ $i -lt 150000 ]; do i=$((i + 1)); done ;;
esac
RUN
chmod +x "$2/run"
SH
chmod +x "$W/suite/setup.sh"
case ${SHARD_WALL_KINDS:-sleep burn} in
burn) kinds='["burn"]' ns='["1", "2", "3", "4"]' ;;
*) kinds='["sleep", "burn"]' ns='["1", "2"]' ;;
esac
cat >"$W/suite/suite.json" <<JSON
{ "name": "shard-wall",
  "parameters": [ { "name": "kind", "values": $kinds }, { "name": "n", "values": $ns } ],
  "command": ["\${env}/run", "\${kind}", "\${n}"],
  "cores": "1", "timeout": 30,
  "setup": { "version": ["\${suite_dir}/setup.sh", "\${version}", "\${env}"], "timeout": 30 } }
JSON
cat >"$W/suite/thresholds.json" <<'JSON'
{ "version": 1, "confidence": 0.95, "runs": 3, "max_runs": 3,
  "checks": [ { "name": "wall", "metric": "wall", "rule": "ratio_max", "value": 1.5 } ] }
JSON
gate() { # gate OUT [args]
	local out=$1
	shift
	"$BIN" run --suite "$W/suite" --base 1.0 --head 2.0 --out "$W/$out" --cache "$W/cache" \
		--runs 3 --max-runs 3 --quiet "$@" >/dev/null 2>&1 || true
}
now() { date +%s.%N; }
gate warm # prepare both environments once, outside the timings
one=() two=()
for i in $(seq "$REPEATS"); do
	t0=$(now)
	gate whole-$i
	t1=$(now)
	gate s1-$i --shard 1/2 &
	gate s2-$i --shard 2/2 &
	wait
	"$BIN" merge --out "$W/merged-$i" "$W/s1-$i/results.json" "$W/s2-$i/results.json" \
		>/dev/null 2>&1 || true
	t2=$(now)
	a=$(echo "$t1 - $t0" | bc) b=$(echo "$t2 - $t1" | bc)
	one+=("$a") two+=("$b")
	printf 'repeat %d: 1 shard %.1f s, 2 concurrent shards + merge %.1f s (verdicts: %s, %s)\n' \
		"$i" "$a" "$b" "$(jq -r .verdict "$W/whole-$i/results.json")" \
		"$(jq -r .verdict "$W/merged-$i/results.json")"
done
median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
printf 'median: 1 shard %.1f s, 2 concurrent shards %.1f s\n' "$(median "${one[@]}")" "$(median "${two[@]}")"
