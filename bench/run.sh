#!/usr/bin/env bash
# bench/run.sh: spin-gate's benchmark (make bench). Runs the real gate on
# revisions whose truth is known and prints the tables of bench/README.md:
# for the synthetic subject (bench/synth.c) false fails on A/A, detection of
# injected regressions, runs spent, the same samples judged by the baseline
# methods, and the gate's own overhead; for the crew subject (bench/crew.c,
# processes that wait on each other, parked or spinning) the gate's verdicts
# per condition and load with the contention of every run. The real bytewax
# is bench/bytewax.sh. Method: bench/README.md.
#
#   bash bench/run.sh                  full run (76 synth + 12 crew gate runs,
#                                      ~35 min on 2 busy cores)
#   BENCH_QUICK=1 bash bench/run.sh    a short run (22 gate runs, ~13 min)
#
# Knobs (environment):
#   BENCH_TRIALS          synth A/A gate runs (default 40; quick 4), half of them loaded
#   BENCH_EFFECT_TRIALS   synth gate runs per injected change (default 6, wall10
#                         twice as many; quick 1)
#   BENCH_CONDITIONS      which conditions (default "aa wall5 wall10 wall20 cpu2
#                         spin crew-aa crew-fix crew-reverse crew-serial")
#   BENCH_LOADS           the loads every crew condition runs under (default
#                         "quiet steady intermittent")
#   BENCH_CREW_TRIALS     crew gate runs per condition and load (default 1)
#   BENCH_CREW_MAX_RUNS   most rounds of a crew gate run (default 30, as
#                         thresholds.json ships; quick 10)
#   BENCH_CREW_SCALE      multiplies every crew run's items (default 1: ~1-1.3 s)
#   BENCH_RUNS            rounds every synth trial measures before the gate may
#                         stop, the fixed design (default 10)
#   BENCH_MAX_RUNS        most rounds of a synth trial (default 30, as
#                         thresholds.json ships)
#   BENCH_SCALE           multiplies every synth run's length (default 1: ~100 ms)
#   BENCH_HYPERFINE       non-interleaved hyperfine baseline on "all" trials,
#                         "aa" (the default: half of the A/A and wall10 trials,
#                         quiet and loaded alike) or "none"
#   BENCH_LOAD            synth trials: "alternate" (default: every other trial
#                         per condition loaded), "none" or "all"
#   BENCH_OUT             where trials go (default bench/out/DATE)
#   BENCH_DRY             1: print the schedule and the estimate, run nothing
#   SPIN_GATE_BIN         the gate (default build/spin-gate)
# The trials, the tables (OUT/analysis.md) and the tools built for them go
# to OUT; a second call with the same BENCH_OUT resumes where it stopped.
# Exit status: 0 when the table was printed, 1 when a trial could not run.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BENCH=$ROOT/bench
# shellcheck source=SCRIPTDIR/lib.sh
. "$BENCH/lib.sh"
GATE=${SPIN_GATE_BIN:-$ROOT/build/spin-gate}
QUICK=${BENCH_QUICK:-0}
if [ "$QUICK" = 1 ]; then
	AA=${BENCH_TRIALS:-4}
	NE=${BENCH_EFFECT_TRIALS:-1}
	CREW_TRIALS=${BENCH_CREW_TRIALS:-1}
	CREW_MAX_RUNS=${BENCH_CREW_MAX_RUNS:-10}
else
	AA=${BENCH_TRIALS:-40}
	NE=${BENCH_EFFECT_TRIALS:-6}
	CREW_TRIALS=${BENCH_CREW_TRIALS:-1}
	CREW_MAX_RUNS=${BENCH_CREW_MAX_RUNS:-30}
fi
CONDITIONS=${BENCH_CONDITIONS:-aa wall5 wall10 wall20 cpu2 spin crew-aa crew-fix crew-reverse crew-serial}
LOADS=${BENCH_LOADS:-quiet steady intermittent}
RUNS=${BENCH_RUNS:-10}
MAX_RUNS=${BENCH_MAX_RUNS:-30}
HF_MODE=${BENCH_HYPERFINE:-aa}
LOAD_MODE=${BENCH_LOAD:-alternate}
OUT=${BENCH_OUT:-$BENCH/out/$(date +%Y%m%d-%H%M%S)}
mkdir -p "$OUT" && OUT=$(cd "$OUT" && pwd) # absolute: the cache and worktrees live under it
export SYNTH_SCALE=${BENCH_SCALE:-1}
export CREW_SCALE=${BENCH_CREW_SCALE:-1}
unset SYNTH_WALL_FACTOR SYNTH_CPU_FACTOR SYNTH_SPIN CREW_SPIN CREW_SERIAL

[ -x "$GATE" ] || die "no gate at '$GATE' (run make)"
for c in $CONDITIONS; do
	case "$c" in
	aa | wall5 | wall10 | wall20 | cpu2 | spin | crew-aa | crew-fix | crew-reverse | crew-serial) ;;
	*) die "unknown condition '$c' in BENCH_CONDITIONS" ;;
	esac
done
for l in $LOADS; do
	case "$l" in
	quiet | steady | intermittent) ;;
	*) die "unknown load '$l' in BENCH_LOADS (expected quiet, steady or intermittent)" ;;
	esac
done
command -v hyperfine >/dev/null || die "hyperfine not found"
mkdir -p "$OUT/bin" "$OUT/trials"

# A copy of the gate, so a rebuild during the hour cannot mix two versions.
cp "$GATE" "$OUT/bin/spin-gate"
GATE=$OUT/bin/spin-gate

# Tools: the synth and crew programs, the load generator, the rusage shim.
CFLAGS_B="-O2 -std=c11 -Wall -Wextra -Wpedantic -Wshadow"
cc $CFLAGS_B -o "$OUT/bin/synth" "$BENCH/synth.c"
cc $CFLAGS_B -o "$OUT/bin/crew" "$BENCH/crew.c"
cc $CFLAGS_B -o "$OUT/bin/load" "$BENCH/load.c"
cc $CFLAGS_B -shared -fPIC -o "$OUT/bin/rusage_shim.so" "$BENCH/rusage_shim.c"

# The revisions: a git repository of synth.c whose tags differ only in the
# injected change of synth.conf.
repo=$OUT/repo
if [ ! -d "$repo/.git" ]; then
	mkdir -p "$repo"
	cp "$BENCH/synth.c" "$BENCH/kvconf.h" "$repo/"
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
# The crew's revisions, the same way: crew.c with the way its workers wait
# in crew.conf.
crew_repo=$OUT/crew-repo
if [ ! -d "$crew_repo/.git" ]; then
	mkdir -p "$crew_repo"
	cp "$BENCH/crew.c" "$BENCH/kvconf.h" "$crew_repo/"
	git -C "$crew_repo" init -q
	git -C "$crew_repo" config user.email bench@example.invalid
	git -C "$crew_repo" config user.name bench
	crew_commit() { # crew_commit TAG CONF
		printf '# how the workers of revision %s wait\n%s\n' "$1" "$2" >"$crew_repo/crew.conf"
		git -C "$crew_repo" add -A
		git -C "$crew_repo" commit -q --allow-empty -m "$1"
		git -C "$crew_repo" tag "$1"
	}
	crew_commit park ""
	crew_commit spin "spin=1"
	crew_commit serial "serial=1"
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

trap 'stop_load' EXIT
trap 'stop_load; exit 130' INT
trap 'stop_load; exit 143' TERM

count_of() {
	case "$1" in
	aa) echo "$AA" ;;
	wall10) echo $((2 * NE)) ;;
	crew-*) echo "$CREW_TRIALS" ;;
	*) echo "$NE" ;;
	esac
}
head_of() { [ "$1" = aa ] && echo base || echo "$1"; }

# A crew condition: its base and head revision and the scenarios it runs.
#   crew-aa       park vs park on the fix's scenarios: must not fail
#   crew-fix      spin vs park on the CPU-heavy and the short scenario: the
#                 fix, must never fail
#   crew-reverse  park vs spin on the idle scenario: must fail
#   crew-serial   park vs serial on the CPU-heavy scenario: the saturation
#                 regression, must fail quiet and never pass under load
crew_gate() {
	case "$1" in
	crew-aa) crew_base=park crew_head=park crew_only=(--only long_input=False) ;;
	crew-fix) crew_base=spin crew_head=park crew_only=(--only long_input=False) ;;
	crew-reverse) crew_base=park crew_head=spin
		crew_only=(--only long_input=True --only heavy_map=False) ;;
	crew-serial) crew_base=park crew_head=serial
		crew_only=(--only long_input=False --only heavy_map=True) ;;
	esac
}

# Expected seconds per gate run, for the estimate printed at the start:
# synth from bench/RESULTS.md (76 gate runs in 26 min); crew measured on 2
# shared cores (bench/README.md, "Time"): a fail needs 6 rounds or more, a
# pass 3, an inconclusive check up to BENCH_CREW_MAX_RUNS.
estimate_of() { # estimate_of CONDITION LOAD
	case "$1:$2" in
	crew-aa:quiet | crew-fix:quiet) echo 30 ;;
	crew-aa:*) echo 60 ;;
	crew-fix:*) echo 80 ;;
	crew-reverse:*) echo 20 ;;
	crew-serial:quiet) echo 25 ;;
	crew-serial:*) echo 45 ;;
	*) echo 21 ;;
	esac
}

# The schedule: synth conditions round-robin (so the machine's drift over the
# hour spreads over all of them), every other trial of a condition loaded;
# crew conditions round-robin over conditions and loads; the two lists
# interleaved evenly. An item is CONDITION:INDEX:LOAD.
synth=() crew=()
max=0
for c in $CONDITIONS; do
	n=$(count_of "$c")
	[ "$n" -gt "$max" ] && max=$n
done
for ((i = 0; i < max; i++)); do
	for c in $CONDITIONS; do
		[ "$i" -lt "$(count_of "$c")" ] || continue
		case "$c" in
		crew-*) ;;
		*)
			case "$LOAD_MODE" in
			none) load=quiet ;;
			all) load=loaded ;;
			*) [ $((i % 2)) -eq 1 ] && load=loaded || load=quiet ;;
			esac
			synth+=("$c:$i:$load")
			;;
		esac
	done
	for load in $LOADS; do
		for c in $CONDITIONS; do
			case "$c" in
			crew-*) [ "$i" -lt "$CREW_TRIALS" ] && crew+=("$c:$i:$load") ;;
			esac
		done
	done
done
schedule=()
ns=${#synth[@]} nc=${#crew[@]} si=0 ci=0
while [ "$si" -lt "$ns" ] || [ "$ci" -lt "$nc" ]; do
	if [ "$ci" -ge "$nc" ] || { [ "$si" -lt "$ns" ] &&
		[ $(((2 * si + 1) * nc)) -le $(((2 * ci + 1) * ns)) ]; }; then
		schedule+=("${synth[si]}")
		si=$((si + 1))
	else
		schedule+=("${crew[ci]}")
		ci=$((ci + 1))
	fi
done

total=${#schedule[@]}
est=0 k=0
for item in "${schedule[@]}"; do # what is left to do (a second call resumes)
	k=$((k + 1))
	IFS=: read -r cond i load <<<"$item"
	[ -f "$OUT/trials/$(printf '%03d' "$k")-$cond-$load/done" ] ||
		est=$((est + $(estimate_of "$cond" "$load")))
done
start=$(date +%s)
echo "bench: $total gate runs ($ns synth, $nc crew) into $OUT (synth: runs $RUNS, max $MAX_RUNS," \
	"scale $SYNTH_SCALE; crew: max $CREW_MAX_RUNS, scale $CREW_SCALE); estimate ~$(fmt_min "$est")" >&2
if [ "${BENCH_DRY:-0}" = 1 ]; then # the schedule only
	printf '%s\n' "${schedule[@]}"
	exit 0
fi
k=0 done_est=0
for item in "${schedule[@]}"; do
	k=$((k + 1))
	IFS=: read -r cond i load <<<"$item"
	dir=$OUT/trials/$(printf '%03d' "$k")-$cond-$load
	[ -f "$dir/done" ] && continue
	rm -rf "$dir"
	mkdir -p "$dir"
	case "$cond" in
	crew-*) write_trial "$dir" crew "${cond#crew-}" "$load" "$i" "$k" ;;
	*) write_trial "$dir" synth "$cond" "$load" "$i" "$k" ;;
	esac
	# The load runs on top of whatever else the machine runs; the seed of
	# the intermittent one is the trial's number.
	start_load "$OUT/bin/load" "$load" "$k" 1800
	t0=$(date +%s.%N)
	cut -d' ' -f1 /proc/loadavg >"$dir/loadavg"
	rc=0
	case "$cond" in
	crew-*)
		# The gate as shipped: thresholds.json, its runs, the crew's max.
		crew_gate "$cond"
		BENCH_RUSAGE_OUT=$dir/rusage.json LD_PRELOAD=$OUT/bin/rusage_shim.so \
			"$GATE" run --repo "$crew_repo" --suite "$BENCH/crew-suite" \
			--thresholds "$OUT/thresholds-default.json" --base "$crew_base" \
			--head "$crew_head" ${crew_only[@]+"${crew_only[@]}"} --out "$dir/gate" \
			--max-runs "$CREW_MAX_RUNS" --warmup 1 --quiet \
			>"$dir/gate.stdout" 2>"$dir/gate.stderr" || rc=$?
		;;
	*)
		BENCH_RUSAGE_OUT=$dir/rusage.json LD_PRELOAD=$OUT/bin/rusage_shim.so \
			"$GATE" run --repo "$repo" --suite "$BENCH/suite" \
			--thresholds "$OUT/thresholds-bench.json" --base base \
			--head "$(head_of "$cond")" --out "$dir/gate" --runs "$RUNS" \
			--max-runs "$MAX_RUNS" --warmup 1 --quiet \
			>"$dir/gate.stdout" 2>"$dir/gate.stderr" || rc=$?
		;;
	esac
	echo "$rc" >"$dir/gate.rc"
	if [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ] && [ "$rc" -ne 3 ]; then
		stop_load
		tail -5 "$dir/gate.stderr" >&2
		die "trial $dir: the gate exited $rc"
	fi
	# Baseline (a): hyperfine itself, 10 runs of base then 10 of head per
	# scenario (not interleaved), like bytewax's compare.sh.
	hf=0
	case "$HF_MODE:$cond" in
	*:crew-*) ;;
	all:*) hf=1 ;;
	aa:aa | aa:wall10) [ $((i % 4)) -lt 2 ] && hf=1 ;;
	esac
	if [ "$hf" = 1 ]; then
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
	el=$(($(date +%s) - start))
	done_est=$((done_est + $(estimate_of "$cond" "$load")))
	echo "bench: [$k/$total] $cond $load: gate exit $rc (${el}s elapsed," \
		"~$((el * (est - done_est) / done_est))s left)" >&2
done

python3 "$BENCH/analyze.py" --gate "$GATE" "$OUT"
