"""The change-point detector on simulated histories of main, next to Apache
Otava 0.8.0 on the same series (bench/changepoint.sh runs it; results in
bench/RESULTS.md, "Change points").

    python3 bench/changepoint.py OTAVA_PY CP_SERIES [--histories N] [--seed S]

A history is 200 commits; each commit's record is the median of RUNS runs,
each run resampled from a real gate's runs (as a ratio to its side's median):
  quiet-cpu, quiet-wall: bytewax v0.16.0 <-> v0.16.1, every scenario and
      side (tests/fixtures/results-spin.json), on a machine otherwise idle;
  loaded-cpu, loaded-wall: spinpkg beside a CPU hog on a machine 97% taken
      and a 3-round gate (tests/judge/005-busy-runner-aa, 003-...).
One step (5x, 1.5x, 1.2x) at a known commit drawn from 40..160, or none.
Both detectors see the history commit after commit (every prefix, as the
workflow on push to main would) and at its end. Per step size: found at its
commit / within 1 / within 3 at the end; the delay (commits after the step
until a point within 3 of it is first reported); false alarms: points farther
than 3 from the step at the end, and every other index ever reported on the
way (what alerts would have opened).
"""
import argparse
import json
import os
import random
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
N, RUNS, NEAR = 200, 3, 3
PVALUE, MAGNITUDE, WINDOW = 0.001, 0.10, 50
SIZES = [5.0, 1.5, 1.2, None]

OTAVA_PREFIXES = r"""
import json, sys
from otava.analysis import compute_change_points
p, m, w = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
for line in sys.stdin:
    xs = json.loads(line)
    out = []
    for n in range(1, len(xs) + 1):
        cps = compute_change_points(xs[:n], window_len=w, max_pvalue=p, min_magnitude=m)[0] if n > 1 else []
        out.append([int(c.index) for c in cps])
    print(json.dumps(out), flush=True)
"""


def ratios(files, metric):
    out = []
    for f in files:
        with open(os.path.join(ROOT, f)) as fh:
            d = json.load(fh)
        for sc in d["scenarios"]:
            for side in ("base", "head"):
                runs = [s for s in (sc.get("samples") or {}).get(side, []) if not s.get("warmup")]
                vals = [s["wall"] if metric == "wall" else s["user"] + s["system"] for s in runs
                        if s.get("exit_code") == 0]
                if len(vals) >= 3:
                    med = statistics.median(vals)
                    out += [v / med for v in vals]
    return out


def profiles():
    quiet = ["tests/fixtures/results-spin.json"]
    loaded = ["tests/judge/005-busy-runner-aa/results.json", "tests/judge/003-inconclusive-few-rounds/results.json"]
    return {
        "quiet-cpu": ratios(quiet, "cpu"),
        "quiet-wall": ratios(quiet, "wall"),
        "loaded-cpu": ratios(loaded, "cpu"),
        "loaded-wall": ratios(loaded, "wall"),
    }


def history(rnd, pool, size):
    k = rnd.randint(40, 160) if size else None
    xs = []
    for i in range(N):
        f = size if size and i >= k else 1.0
        xs.append(round(statistics.median(rnd.choice(pool) for _ in range(RUNS)) * f, 6))
    return xs, k


def c_prefixes(cp_series, xs):
    r = subprocess.run([cp_series, "--prefixes", "--pvalue", str(PVALUE), "--magnitude", str(MAGNITUDE),
                        "--window", str(WINDOW)], input=" ".join(map(repr, xs)),
                       capture_output=True, text=True, check=True)
    return [[p["index"] for p in json.loads(line)["change_points"]] for line in r.stdout.splitlines()]


def score(prefixes, k):
    final = prefixes[-1]
    res = {"exact": 0, "one": 0, "near": 0, "delay": None, "false_end": 0, "false_seen": 0}
    if k is not None:
        res["exact"] = int(k in final)
        res["one"] = int(any(abs(i - k) <= 1 for i in final))
        res["near"] = int(any(abs(i - k) <= NEAR for i in final))
        for n, cps in enumerate(prefixes, start=1):
            if any(abs(i - k) <= NEAR for i in cps):
                res["delay"] = n - 1 - k
                break
    far = lambda i: k is None or abs(i - k) > NEAR
    res["false_end"] = sum(1 for i in final if far(i))
    res["false_seen"] = len({i for cps in prefixes for i in cps if far(i)})
    return res


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("otava_py")
    ap.add_argument("cp_series")
    ap.add_argument("--histories", type=int, default=20)
    ap.add_argument("--seed", type=int, default=25)
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    pools = profiles()
    cases = []
    for pname, pool in pools.items():
        for size in SIZES:
            for _ in range(a.histories):
                xs, k = history(rnd, pool, size)
                cases.append((pname, size, xs, k))
    otava = subprocess.Popen([a.otava_py, "-c", OTAVA_PREFIXES, str(PVALUE), str(MAGNITUDE), str(WINDOW)],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    results = {}
    for pname, size, xs, k in cases:
        otava.stdin.write(json.dumps(xs) + "\n")
        otava.stdin.flush()
        op = json.loads(otava.stdout.readline())
        for det, prefixes in (("spin-gate", c_prefixes(a.cp_series, xs)), ("otava", op)):
            results.setdefault((pname, size, det), []).append(score(prefixes, k))
    otava.stdin.close()
    otava.wait()

    print("| noise (spread of one run) | step | detector | at its commit | within 1 | within %d | delay, commits "
          "(median, max) | false alarms per %d commits: at the end, ever reported |" % (NEAR, N))
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for pname, pool in pools.items():
        spread = statistics.pstdev(pool)
        for size in SIZES:
            for det in ("spin-gate", "otava"):
                rs = results[(pname, size, det)]
                h = len(rs)
                delays = [r["delay"] for r in rs if r["delay"] is not None]
                fe = sum(r["false_end"] for r in rs) / h
                fs = sum(r["false_seen"] for r in rs) / h
                if size:
                    cells = ("%d/%d" % (sum(r["exact"] for r in rs), h), "%d/%d" % (sum(r["one"] for r in rs), h),
                             "%d/%d" % (sum(r["near"] for r in rs), h),
                             "%g, %d" % (statistics.median(delays), max(delays)) if delays else "-")
                else:
                    cells = ("-", "-", "-", "-")
                print("| %s (%.1f%%, %d values) | %s | %s | %s | %s | %s | %s | %.2f, %.2f |"
                      % (pname, 100 * spread, len(pool), "%gx" % size if size else "none", det, *cells, fe, fs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
