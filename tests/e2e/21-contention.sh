#!/usr/bin/env bash
# Contention measured per run: a CPU hog started after round 2 and stopped
# after round 6 of a fixture gate shows up in results.json for exactly the
# runs it overlapped (others_cpu), and the verdict says the runner was busy.
. "$(dirname "$0")/lib.sh"

SUITE=$ROOT/tests/fixtures/spinsuite
repo=$T/repo
bash "$ROOT/tests/fixtures/spinpkg-repo.sh" "$repo" park
export SPIN_GATE_CACHE=$T/cache
OUT=$T/out

"$BIN" run --repo "$repo" --suite "$SUITE" --thresholds "$ROOT/thresholds.json" \
	--base park --head park --out "$OUT" --runs 8 --max-runs 8 --warmup 0 \
	--only long_input=True --only heavy_map=False >"$T/stdout" 2>"$T/stderr" &
gate=$!
# The watcher reads the checkpoint the gate writes after every run.
python3 - "$OUT/results.json" "$gate" >"$T/watch" 2>&1 <<'PY'
import json, os, subprocess, sys, time
path, gate = sys.argv[1], int(sys.argv[2])
def runs():
    try:
        r = json.load(open(path))
    except (OSError, ValueError):
        return 0
    return sum(1 for s in r["scenarios"] for side in ("base", "head") for x in s["samples"][side])
hog = None
deadline = time.monotonic() + 120
while time.monotonic() < deadline:
    n = runs()
    if hog is None and n >= 4:
        hog = subprocess.Popen([sys.executable, "-c", "while True: pass"])
        started = time.monotonic()
        print("hog started after", n, "runs")
    if hog is not None and n >= 12:
        hog.kill()
        _, _, ru = os.wait4(hog.pid, 0)
        life = time.monotonic() - started
        # what the hog got of the machine, in cores: the others_cpu of the
        # runs it overlapped must hold at least most of it
        print("hog stopped after", n, "runs")
        print("hog cores %.3f" % ((ru.ru_utime + ru.ru_stime) / life))
        hog = None
        break
    try:
        os.kill(gate, 0)
    except OSError:
        break
    time.sleep(0.02)
if hog is not None and hog.poll() is None:
    hog.kill(); hog.wait()
PY
wait "$gate"
rc=$?
expect "the gate ran (exit 0, park vs park)" test "$rc" -eq 0
expect "the hog ran for rounds 3 to 6" grep -q "hog stopped after 12 runs" "$T/watch"
expect "others' CPU is recorded for every run" python3 -c '
import json,sys; r=json.load(open(sys.argv[1]))
s=r["scenarios"][0]
assert s["machine_cores"] >= 1, s["machine_cores"]
for side in ("base", "head"):
    for x in s["samples"][side]:
        assert x["others_cpu"] is not None and x["others_cpu"] >= 0, x
        assert "steal" in x and "cpu_pressure" in x, x
' "$OUT/results.json"
# The hog got some share of a core (all of one on an idle machine, less when
# this shared machine is busy too): every run it overlapped counts at least
# most of that as other work. Where nothing else ran, the runs before and
# after it show much less.
expect "the runs the hog overlapped show it, the others do not" python3 -c '
import json,sys,statistics as st; r=json.load(open(sys.argv[1]))
hog=float(open(sys.argv[2]).read().split("hog cores ")[1].split()[0])
s=r["scenarios"][0]; n=s["machine_cores"]
cores=lambda x: x["others_cpu"] / x["wall"]
by_round={}
for side in ("base","head"):
    for x in s["samples"][side]:
        by_round.setdefault(x["round"], []).append(cores(x))
hogged=[v for k in (4,5,6) for v in by_round[k]]
quiet=[v for k in (1,2,8) for v in by_round[k]]
print("hog %.2f cores; others in cores: hogged" % hog, [round(v,2) for v in hogged], "quiet", [round(v,2) for v in quiet])
assert hog > 0.2, hog
assert min(hogged) >= 0.7 * hog, (hog, hogged)
if st.median(quiet) < 0.3:
    assert st.median(quiet) < min(hogged) - 0.4, (quiet, hogged)
else:
    print("# this machine was busy before and after the hog: not compared")
' "$OUT/results.json" "$T/watch"
expect "results.json summarises the contention" python3 -c '
import json,sys; r=json.load(open(sys.argv[1]))
c=r["contention"]
assert c["rounds"] == 8 and c["base"]["runs"] == 8 and c["head"]["runs"] == 8, c
assert c["base"]["max"] >= 0.3 and c["head"]["max"] >= 0.3, c
' "$OUT/results.json"
expect "verdict.md shows the other work per side" grep -q "other work on the machine during the runs (median share, largest): base [0-9.]*% ([0-9.]*%), head" "$OUT/verdict.md"

e2e_done
