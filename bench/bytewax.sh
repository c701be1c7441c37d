#!/usr/bin/env bash
# bench/bytewax.sh: the real bytewax under the benchmark's loads (make
# bench-bytewax). Runs the gate as shipped (scenarios/bytewax, thresholds.json)
# on the two releases around the spin fix, in two conditions:
#
#   fwd  --base v0.16.0 --head v0.16.1 --only long_input=False
#        the fix, on the CPU-heavy and the short scenarios: must never fail
#   rev  --base v0.16.1 --head v0.16.0 --only long_input=True --only heavy_map=False
#        the spin put back, on the idle scenarios: must fail
#
# each under every load of BENCH_LOADS (bench/lib.sh: quiet, steady,
# intermittent), then prints bench/analyze.py's table per condition and load.
# Method: bench/README.md.
#
#   bash bench/bytewax.sh                    defaults: 4 fwd + 1 rev per load, ~21 min
#   BENCH_BYTEWAX_FWD=10 bash bench/bytewax.sh
#
# Knobs (environment):
#   BENCH_BYTEWAX_FWD        fwd gate runs per load (default 4)
#   BENCH_BYTEWAX_REV        rev gate runs per load (default 1)
#   BENCH_LOADS              the loads (default "quiet steady intermittent")
#   BENCH_BYTEWAX_MAX_RUNS   most rounds of a gate run (default 30, as shipped)
#   BENCH_OUT                where trials go (default bench/out/bytewax-DATE); a
#                            second call with the same directory resumes
#   BENCH_DRY                1: print the schedule and the estimate, run nothing
#   SPIN_GATE_BIN            the gate (default build/spin-gate)
# The bytewax environments come from the gate's cache (SPIN_GATE_CACHE, else
# ~/.cache/spin-gate): the first run installs both releases with pip.
# Exit status: 0 when the table was printed, 1 when a trial could not run.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BENCH=$ROOT/bench
# shellcheck source=SCRIPTDIR/lib.sh
. "$BENCH/lib.sh"
GATE=${SPIN_GATE_BIN:-$ROOT/build/spin-gate}
FWD=${BENCH_BYTEWAX_FWD:-4}
REV=${BENCH_BYTEWAX_REV:-1}
LOADS=${BENCH_LOADS:-quiet steady intermittent}
MAX_RUNS=${BENCH_BYTEWAX_MAX_RUNS:-30}
OUT=${BENCH_OUT:-$BENCH/out/bytewax-$(date +%Y%m%d-%H%M%S)}

[ -x "$GATE" ] || die "no gate at '$GATE' (run make)"
command -v hyperfine >/dev/null || die "hyperfine not found"
for l in $LOADS; do
	case "$l" in
	quiet | steady | intermittent) ;;
	*) die "unknown load '$l' in BENCH_LOADS (expected quiet, steady or intermittent)" ;;
	esac
done
mkdir -p "$OUT/bin" "$OUT/trials"
# Copies, so a rebuild or an edit during the run cannot mix two versions.
cp "$GATE" "$OUT/bin/spin-gate"
GATE=$OUT/bin/spin-gate
cp "$ROOT/thresholds.json" "$OUT/thresholds-default.json"
cc -O2 -std=c11 -Wall -Wextra -Wpedantic -Wshadow -o "$OUT/bin/load" "$BENCH/load.c"

trap 'stop_load' EXIT
trap 'stop_load; exit 130' INT
trap 'stop_load; exit 143' TERM

gate_args() { # gate_args CONDITION: the gate's revisions and scenarios
	case "$1" in
	fwd) echo "--base v0.16.0 --head v0.16.1 --only long_input=False" ;;
	rev) echo "--base v0.16.1 --head v0.16.0 --only long_input=True --only heavy_map=False" ;;
	esac
}

# Expected seconds per gate run, for the estimate (measured on 2 shared
# cores, bench/README.md, "Time"): fwd runs two 1.5 s (2.3 s under a steady
# hog) and two 0.1 s scenarios and passes in 3 rounds, ~30-40 s; rev runs two
# 5.1 s scenarios and a fail needs 6 rounds quiet, 13 under load (~150 s,
# ~290 s).
estimate_of() { # estimate_of CONDITION LOAD
	case "$1:$2" in
	fwd:quiet) echo 30 ;;
	fwd:*) echo 50 ;;
	rev:quiet) echo 150 ;;
	rev:*) echo 290 ;;
	esac
}

# The schedule: loads and conditions round-robin, so the machine's drift
# spreads over all of them. An item is CONDITION:INDEX:LOAD.
schedule=()
max=$((FWD > REV ? FWD : REV))
for ((i = 0; i < max; i++)); do
	for load in $LOADS; do
		[ "$i" -lt "$FWD" ] && schedule+=("fwd:$i:$load")
		[ "$i" -lt "$REV" ] && schedule+=("rev:$i:$load")
	done
done
total=${#schedule[@]}
[ "$total" -gt 0 ] || die "nothing to run (BENCH_BYTEWAX_FWD and BENCH_BYTEWAX_REV are 0)"
est=0 k=0
for item in "${schedule[@]}"; do # what is left to do (a second call resumes)
	k=$((k + 1))
	IFS=: read -r cond i load <<<"$item"
	[ -f "$OUT/trials/$(printf '%03d' "$k")-bytewax-$cond-$load/done" ] ||
		est=$((est + $(estimate_of "$cond" "$load")))
done
echo "bench: $total bytewax gate runs ($FWD fwd and $REV rev per load: $LOADS) into $OUT" \
	"(max $MAX_RUNS); estimate ~$(fmt_min "$est")" >&2
if [ "${BENCH_DRY:-0}" = 1 ]; then # the schedule only
	printf '%s\n' "${schedule[@]}"
	exit 0
fi

start=$(date +%s)
k=0 done_est=0
for item in "${schedule[@]}"; do
	k=$((k + 1))
	IFS=: read -r cond i load <<<"$item"
	dir=$OUT/trials/$(printf '%03d' "$k")-bytewax-$cond-$load
	[ -f "$dir/done" ] && continue
	rm -rf "$dir"
	mkdir -p "$dir"
	write_trial "$dir" bytewax "$cond" "$load" "$i" "$k"
	start_load "$OUT/bin/load" "$load" "$k" 3600
	t0=$(date +%s.%N)
	cut -d' ' -f1 /proc/loadavg >"$dir/loadavg"
	rc=0
	# shellcheck disable=SC2046 # gate_args gives separate words, no globs
	"$GATE" run --suite "$ROOT/scenarios/bytewax" --thresholds "$OUT/thresholds-default.json" \
		$(gate_args "$cond") --out "$dir/gate" --max-runs "$MAX_RUNS" --quiet \
		>"$dir/gate.stdout" 2>"$dir/gate.stderr" || rc=$?
	echo "$rc" >"$dir/gate.rc"
	t1=$(date +%s.%N)
	cut -d' ' -f1 /proc/loadavg >>"$dir/loadavg"
	stop_load
	if [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ] && [ "$rc" -ne 3 ]; then
		tail -5 "$dir/gate.stderr" >&2
		die "trial $dir: the gate exited $rc"
	fi
	echo "$t0 $t1" >"$dir/times"
	touch "$dir/done"
	el=$(($(date +%s) - start))
	done_est=$((done_est + $(estimate_of "$cond" "$load")))
	echo "bench: [$k/$total] bytewax $cond $load: gate exit $rc (${el}s elapsed," \
		"~$((el * (est - done_est) / done_est))s left)" >&2
done

python3 "$BENCH/analyze.py" --gate "$GATE" "$OUT"
