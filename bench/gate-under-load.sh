#!/usr/bin/env bash
# bench/gate-under-load.sh: the full bytewax gate (make gate's defaults) with a
# CPU hog beside it, as a user on a busy CI runner would see it.
#
#   bash bench/gate-under-load.sh [STEADY_RUNS] [DELAYED_RUNS]
#
# STEADY_RUNS gates (default 3) with one process busy on a core for the whole
# gate, then DELAYED_RUNS (default 1) with a hog that starts 60 s into the gate
# and stops 120 s later. Each gate goes to bench/out/load-DATE/N-KIND/; the
# table at the end (also in table.md there) gives the verdict, the saturation
# checks, the rounds and the contention each side saw.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
STEADY=${1:-3}
DELAYED=${2:-1}
BASE=${BASE:-v0.16.0}
HEAD=${HEAD:-v0.16.1}
OUT=${BENCH_OUT:-$ROOT/bench/out/load-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$OUT/bin"
[ -x "$ROOT/build/spin-gate" ] || make -C "$ROOT" build/spin-gate >/dev/null
cp "$ROOT/build/spin-gate" "$OUT/bin/spin-gate"

hog=
stop_hog() { [ -z "$hog" ] || { kill "$hog" 2>/dev/null || true; wait "$hog" 2>/dev/null || true; hog=; }; }
trap stop_hog EXIT

gate() { # gate N KIND
	local dir=$OUT/$1-$2 rc=0 t0 t1
	mkdir -p "$dir"
	t0=$(date +%s)
	case "$2" in
	steady) python3 -c 'while True: pass' & hog=$! ;;
	delayed) (sleep 60; exec timeout 120 python3 -c 'while True: pass') & hog=$! ;;
	esac
	(cd "$ROOT" && "$OUT/bin/spin-gate" run --base "$BASE" --head "$HEAD" \
		--suite scenarios/bytewax --thresholds thresholds.json --out "$dir/gate" --quiet \
		>"$dir/stdout" 2>"$dir/stderr") || rc=$?
	stop_hog
	t1=$(date +%s)
	echo "$rc $((t1 - t0))" >"$dir/rc"
	echo "gate-under-load: $1 $2: exit $rc in $((t1 - t0)) s" >&2
}

n=0
for ((i = 0; i < STEADY; i++)); do n=$((n + 1)); gate "$n" steady; done
for ((i = 0; i < DELAYED; i++)); do n=$((n + 1)); gate "$n" delayed; done

python3 - "$OUT" <<'PY' | tee "$OUT/table.md"
import glob, json, os, sys
out = sys.argv[1]
print("| gate | load | verdict | time | saturation (each scenario) | saturation-budget | max rounds | others' share base / head (median, max) | rounds set aside | warned busy |")
print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
for d in sorted(glob.glob(os.path.join(out, "*-*"))):
    if not os.path.isdir(d) or not os.path.exists(os.path.join(d, "rc")):
        continue
    rc, secs = open(os.path.join(d, "rc")).read().split()
    n, kind = os.path.basename(d).split("-", 1)
    r = json.load(open(os.path.join(d, "gate", "results.json")))
    def st(name):
        return ", ".join("%s %s" % (c["status"], ("%.2fx" % c["ratio"]) if c.get("ratio") else
                                    ("%.0f%%" % (100 * c["head"]) if c.get("head") is not None else ""))
                         for c in r["checks"] if c["check"] == name)
    rounds = max(x["round"] for s in r["scenarios"] for x in s["samples"]["head"])
    c = r.get("contention", {})
    def side(k):
        v = c.get(k, {})
        f = lambda x: "n/a" if x is None else "%.0f%%" % (100 * x)
        return "%s (%s)" % (f(v.get("median")), f(v.get("max")))
    warned = "busy during the runs" in open(os.path.join(d, "stderr")).read()
    print("| %s | %s | %s (exit %s) | %d min %02d s | %s | %s | %d | %s / %s | %s of %s | %s |" % (
        n, kind, r["verdict"].upper(), rc, int(secs) // 60, int(secs) % 60, st("saturation"),
        st("saturation-budget"), rounds, side("base"), side("head"), c.get("set_aside"),
        c.get("rounds"), "yes" if warned else "no"))
PY
