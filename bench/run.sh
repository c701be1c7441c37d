#!/usr/bin/env bash
# bench/run.sh: spin-gate's benchmark (make bench). Runs the real gate on
# synthetic revisions whose truth is known and prints the table of
# bench/README.md: false fails on A/A, detection of injected regressions, runs
# spent, the same samples judged by the baseline methods, and the gate's own
# overhead. Method: bench/README.md.
#
#   bash bench/run.sh                  full run (76 gate runs, ~26 min on 2 busy cores)
#   BENCH_QUICK=1 bash bench/run.sh    a short run (~5 min)
#
# Knobs (environment):
#   BENCH_TRIALS          A/A gate runs (default 40; quick 4), half of them loaded
#   BENCH_EFFECT_TRIALS   gate runs per injected change (default 6, wall10 twice
#                         as many; quick 1)
#   BENCH_CONDITIONS      which conditions (default "aa wall5 wall10 wall20 cpu2 spin")
#   BENCH_RUNS            rounds every trial measures before the gate may stop,
#                         the fixed design (default 10)
#   BENCH_MAX_RUNS        most rounds (default 30, as thresholds.json ships)
#   BENCH_SCALE           multiplies every synth run's length (default 1: ~100 ms)
#   BENCH_HYPERFINE       non-interleaved hyperfine baseline on "all" trials,
#                         "aa" (the default: half of the A/A and wall10 trials,
#                         quiet and loaded alike) or "none"
#   BENCH_LOAD            "alternate" (default: every other trial per condition
#                         loaded), "none" or "all"
#   BENCH_OUT             where trials go (default bench/out/DATE)
#   SPIN_GATE_BIN         the gate (default build/spin-gate)
# Exit status: 0 when the table was printed, 1 when a trial could not run.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BENCH=$ROOT/bench
GATE=${SPIN_GATE_BIN:-$ROOT/build/spin-gate}
QUICK=${BENCH_QUICK:-0}
if [ "$QUICK" = 1 ]; then
	AA=${BENCH_TRIALS:-4}
	NE=${BENCH_EFFECT_TRIALS:-1}
else
	AA=${BENCH_TRIALS:-40}
	NE=${BENCH_EFFECT_TRIALS:-6}
fi
CONDITIONS=${BENCH_CONDITIONS:-aa wall5 wall10 wall20 cpu2 spin}
RUNS=${BENCH_RUNS:-10}
MAX_RUNS=${BENCH_MAX_RUNS:-30}
HF_MODE=${BENCH_HYPERFINE:-aa}
LOAD_MODE=${BENCH_LOAD:-alternate}
OUT=${BENCH_OUT:-$BENCH/out/$(date +%Y%m%d-%H%M%S)}
export SYNTH_SCALE=${BENCH_SCALE:-1}
unset SYNTH_WALL_FACTOR SYNTH_CPU_FACTOR SYNTH_SPIN

die() { echo "bench: error: $*" >&2; exit 1; }
[ -x "$GATE" ] || die "no gate at '$GATE' (run make)"
command -v hyperfine >/dev/null || die "hyperfine not found"
mkdir -p "$OUT/bin" "$OUT/trials"

# A copy of the gate, so a rebuild during the hour cannot mix two versions.
cp "$GATE" "$OUT/bin/spin-gate"
GATE=$OUT/bin/spin-gate

# Tools: the synth program, the load generator, the rusage shim.
CFLAGS_B="-O2 -std=c11 -Wall -Wextra -Wpedantic -Wshadow"
cc $CFLAGS_B -o "$OUT/bin/synth" "$BENCH/synth.c"
cc $CFLAGS_B -o "$OUT/bin/load" "$BENCH/load.c"
cc $CFLAGS_B -shared -fPIC -o "$OUT/bin/rusage_shim.so" "$BENCH/rusage_shim.c"

# The revisions: a git repository of synth.c whose tags differ only in the
# injected change of synth.conf.
repo=$OUT/repo
if [ ! -d "$repo/.git" ]; then
	mkdir -p "$repo"
	cp "$BENCH/synth.c" "$repo/synth.c"
	git -C "$repo" init -q
	git -C "$repo" config user.email bench@example.invalid
	git -C "$repo" config user.name bench
	commit() { # commit TAG CONF
		printf '# injected change of revision %s\n%s\n' "$1" "$2" >"$repo/synth.conf"
		git -C "$repo" add -A
		git -C "$repo" commit -q --allow-empty -m "$1"
		git -C "$repo" tag "$1"
	}
	commit base ""
	commit wall5 "wall_factor=1.05"
	commit wall10 "wall_factor=1.10"
	commit wall20 "wall_factor=1.20"
	commit cpu2 "cpu_factor=2"
	commit spin "spin=1"
fi
export SPIN_GATE_CACHE=$OUT/cache

# The checks: the shipped thresholds.json with the wall check's absolute
# escape (unless diff_max 0.05) removed, so the wall rule is the plain +10%
# of the issue; ~100 ms runs would otherwise excuse any change under 50 ms.
python3 - "$ROOT/thresholds.json" "$OUT/thresholds-bench.json" <<'PY'
import json, sys
t = json.load(open(sys.argv[1]))
for c in t["checks"]:
    if c["metric"] == "wall" and c.get("unless", {}).get("rule") == "diff_max":
        del c["unless"]
json.dump(t, open(sys.argv[2], "w"), indent=2)
PY
cp "$ROOT/thresholds.json" "$OUT/thresholds-default.json"

load_pid=
stop_load() {
	if [ -n "$load_pid" ]; then
		kill "$load_pid" 2>/dev/null || true
		wait "$load_pid" 2>/dev/null || true
		load_pid=
	fi
}
trap 'stop_load' EXIT
trap 'stop_load; exit 130' INT
trap 'stop_load; exit 143' TERM

count_of() {
	case "$1" in
	aa) echo "$AA" ;;
	wall10) echo $((2 * NE)) ;;
	*) echo "$NE" ;;
	esac
}
head_of() { [ "$1" = aa ] && echo base || echo "$1"; }

# The schedule: conditions round-robin (so the machine's drift over the hour
# spreads over all of them), every other trial of a condition loaded.
schedule=()
max=0
for c in $CONDITIONS; do
	n=$(count_of "$c")
	[ "$n" -gt "$max" ] && max=$n
done
for ((i = 0; i < max; i++)); do
	for c in $CONDITIONS; do
		[ "$i" -lt "$(count_of "$c")" ] && schedule+=("$c:$i")
	done
done

total=${#schedule[@]}
start=$(date +%s)
echo "bench: $total gate runs into $OUT (runs $RUNS, max $MAX_RUNS, scale $SYNTH_SCALE)" >&2
k=0
for item in "${schedule[@]}"; do
	k=$((k + 1))
	cond=${item%%:*}
	i=${item#*:}
	case "$LOAD_MODE" in
	none) load=quiet ;;
	all) load=loaded ;;
	*) [ $((i % 2)) -eq 1 ] && load=loaded || load=quiet ;;
	esac
	dir=$OUT/trials/$(printf '%03d' "$k")-$cond-$load
	[ -f "$dir/done" ] && continue
	rm -rf "$dir"
	mkdir -p "$dir"
	printf '{"condition": "%s", "load": "%s", "index": %d}\n' "$cond" "$load" "$i" >"$dir/trial.json"
	if [ "$load" = loaded ]; then
		# One core busy and one in bursts, on top of whatever else runs.
		"$OUT/bin/load" --busy 1 --burst 1 --seconds 600 &
		load_pid=$!
		sleep 0.3
	fi
	t0=$(date +%s.%N)
	cut -d' ' -f1 /proc/loadavg >"$dir/loadavg"
	rc=0
	BENCH_RUSAGE_OUT=$dir/rusage.json LD_PRELOAD=$OUT/bin/rusage_shim.so \
		"$GATE" run --repo "$repo" --suite "$BENCH/suite" \
		--thresholds "$OUT/thresholds-bench.json" --base base --head "$(head_of "$cond")" \
		--out "$dir/gate" --runs "$RUNS" --max-runs "$MAX_RUNS" --warmup 1 --quiet \
		>"$dir/gate.stdout" 2>"$dir/gate.stderr" || rc=$?
	echo "$rc" >"$dir/gate.rc"
	if [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ] && [ "$rc" -ne 3 ]; then
		stop_load
		tail -5 "$dir/gate.stderr" >&2
		die "trial $dir: the gate exited $rc"
	fi
	# Baseline (a): hyperfine itself, 10 runs of base then 10 of head per
	# scenario (not interleaved), like bytewax's compare.sh.
	if [ "$HF_MODE" = all ] || { [ "$HF_MODE" = aa ] && [ $((i % 4)) -lt 2 ] &&
		{ [ "$cond" = aa ] || [ "$cond" = wall10 ]; }; }; then
		python3 - "$dir/gate/results.json" <<'PY' >"$dir/hf-commands.tsv"
import json, sys
r = json.load(open(sys.argv[1]))
for i, s in enumerate(r["scenarios"]):
    print("%d\t%s\t%s" % (i, s["command"]["base"], s["command"]["head"]))
PY
		while IFS=$'\t' read -r si cb ch; do
			hyperfine -N --runs 10 --warmup 1 --style none \
				--export-json "$dir/hf-$si.json" -- "$cb" "$ch" >/dev/null 2>&1 ||
				die "trial $dir: hyperfine failed"
		done <"$dir/hf-commands.tsv"
	fi
	t1=$(date +%s.%N)
	cut -d' ' -f1 /proc/loadavg >>"$dir/loadavg"
	stop_load
	echo "$t0 $t1" >"$dir/times"
	touch "$dir/done"
	el=$(( $(date +%s) - start ))
	echo "bench: [$k/$total] $cond $load: gate exit $rc (${el}s elapsed," \
		"~$(( el * (total - k) / k ))s left)" >&2
done

python3 "$BENCH/analyze.py" --gate "$GATE" "$OUT"
