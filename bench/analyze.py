#!/usr/bin/env python3
"""Analysis of a spin-gate benchmark run (bench/run.sh, bench/bytewax.sh): prints the tables.

    python3 bench/analyze.py [--gate build/spin-gate] [--markdown FILE] OUT

OUT/trials/NNN-COND-LOAD/ holds one gate run each: trial.json (subject:
synth, crew or bytewax; condition; load), gate/results.json (every sample,
base and head interleaved), rusage.json (the gate process's own CPU), and for
some synth trials hf-N.json (hyperfine's own non-interleaved 10+10 runs of
scenario N). The tables go to stdout and are appended to FILE (default
OUT/analysis.md).

The synthetic subject's trials measured at least BENCH_RUNS rounds, so the
decision rules below can be replayed on them. Per subject, condition and
load, one more table gives the gate's outcomes (for synth the shipped design
replayed, for crew and bytewax the gate's own run, which ran as shipped), the
rounds it spent, the median contention of the runs of base and of head --
(others_cpu + steal) / (machine_cores x wall) from every sample, when the
gate recorded them -- and the rounds the checks set aside because head ran
under more contention than base.

Every decision rule is applied to the same samples:

- spin-gate's rule, by the real binary: `spin-gate judge` on the first k
  rounds of every scenario (k = 2..max). The adaptive loop is replayed from
  these: a scenario stops at the first k >= min runs where none of its checks
  is inconclusive, or at max runs. This is exactly what `spin-gate run
  --runs MIN` would have done, because the loop decides on the prefix it has
  measured; the trial itself ran --runs BENCH_RUNS so that the fixed designs
  below have their 10 runs too.
- spin-gate's rule on a fixed 10 rounds.
- (a) hyperfine's own 10 runs of base, then 10 of head; fail when head's
  mean wall or CPU time is more than 10% above base's (compare.sh).
- (a') the same means rule on the first 10 interleaved samples.
- (b) Mann-Whitney two-sided p < 0.05 with head's median above base's, on the
  first 10 interleaved samples of wall and CPU time; no ratio threshold.

The baselines judge wall and CPU time (user + system) of every scenario, so a
spin (CPU up, wall flat) is visible to them too.
"""
import argparse
import contextlib
import io
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time

CONDITIONS = {
    "aa": ("A/A (same revision)", "pass"),
    "wall5": ("wall +5%", "pass"),
    "wall10": ("wall +10%", "fail"),
    "wall20": ("wall +20%", "fail"),
    "cpu2": ("CPU 2x", "fail"),
    "spin": ("CPU 5x (spin)", "fail"),
}
ORDER = list(CONDITIONS)
# The other subjects: (label, what the gate must do) per condition. "no fail":
# pass or inconclusive; "no pass": fail or inconclusive; "fail quiet": fail
# in quiet trials, no pass under load.
SUBJECTS = {
    "synth": {c: (label, "no fail" if want == "pass" else "fail")
              for c, (label, want) in CONDITIONS.items()},
    "crew": {
        "aa": ("A/A (park vs park; heavy, short)", "no fail"),
        "fix": ("fix (spin -> park; heavy, short)", "no fail"),
        "reverse": ("reverse (park -> spin; idle)", "fail"),
        "serial": ("serial (park -> serial; heavy)", "fail quiet"),
    },
    "bytewax": {
        "fwd": ("v0.16.0 -> v0.16.1, long_input=False", "no fail"),
        "rev": ("v0.16.1 -> v0.16.0, long_input=True heavy_map=False", "fail"),
    },
}
LOAD_ORDER = ("quiet", "loaded", "steady", "intermittent")
FIXED = 10
MAXR = 30  # set from the trials' max_runs in main()


# ---------------------------------------------------------------- statistics

def mw_pvalue(a, b):
    """Two-sided Mann-Whitney p (normal approximation with tie and continuity
    correction), as the baseline tools compute it (e.g. scipy.stats.mannwhitneyu
    with use_continuity=True, method="asymptotic")."""
    na, nb = len(a), len(b)
    if not na or not nb:
        return float("nan")
    allv = sorted([(x, 1) for x in a] + [(x, 0) for x in b])
    n = na + nb
    ra = 0.0
    ties = 0.0
    i = 0
    while i < n:
        j = i + 1
        while j < n and allv[j][0] == allv[i][0]:
            j += 1
        t = j - i
        mid = (i + 1 + j) / 2
        ties += t ** 3 - t
        ra += mid * sum(1 for x in range(i, j) if allv[x][1])
        i = j
    u = ra - na * (na + 1) / 2
    mean = na * nb / 2
    var = na * nb / 12 * ((n + 1) - ties / (n * (n - 1)))
    if var <= 0:
        return 1.0
    z = max(abs(u - mean) - 0.5, 0) / math.sqrt(var)
    return math.erfc(z / math.sqrt(2))


def median(v):
    s = sorted(v)
    n = len(s)
    if not n:
        return float("nan")
    return s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2


def mean(v):
    return sum(v) / len(v) if v else float("nan")


# ---------------------------------------------------------------- replay

def measured(scen, side):
    return [s for s in scen["samples"][side] if not s["warmup"]]


def rounds_available(scen):
    return min(len(measured(scen, "base")), len(measured(scen, "head")))


def judge_prefixes(gate, results, thresholds, kmax, tmp, runs):
    """{k: {scenario name: [status of each check]}} for k = 2..kmax, from
    `spin-gate judge` on the first k rounds of every scenario, as a gate
    whose first look came after `runs` rounds (the level a fail needs
    depends on the look)."""
    out = {}
    for k in range(2, kmax + 1):
        r = json.loads(json.dumps(results))
        r.pop("checks", None)
        r.pop("verdict", None)
        r.pop("contention", None)
        r["settings"]["runs"] = runs
        for s in r["scenarios"]:
            for side in ("base", "head"):
                s["samples"][side] = [x for x in s["samples"][side]
                                      if x["warmup"] or x["round"] <= k]
        src = os.path.join(tmp, "in.json")
        with open(src, "w") as f:
            json.dump(r, f)
        dst = os.path.join(tmp, "out")
        p = subprocess.run([gate, "judge", "--thresholds", thresholds, "--out", dst, src],
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if p.returncode not in (0, 1, 3):
            sys.exit("bench: error: spin-gate judge exited %d: %s" % (p.returncode, p.stderr))
        with open(os.path.join(dst, "results.json")) as f:
            checks = json.load(f)["checks"]
        per = {s["name"]: [] for s in r["scenarios"]}
        for c in checks:
            per[c["scenario"]].append((c["check"], c["status"]))
        out[k] = per
    return out


def replay(prefixes, results, min_runs, max_runs):
    """The adaptive loop on recorded samples. Returns (verdict, rounds per
    scenario, exact, {scenario: [(check, status)]} at the stop)."""
    statuses = []
    rounds = {}
    final = {}
    exact = True
    for s in results["scenarios"]:
        name = s["name"]
        avail = rounds_available(s)
        k = min(min_runs, avail)
        while True:
            st = prefixes[max(k, 2)][name]
            # judge_scenario_open(): open while a check is inconclusive,
            # closed at the first failed check (the verdict is decided)
            still_open = (any(x == "inconclusive" for _, x in st)
                          and not any(x in ("fail", "error") for _, x in st))
            if not still_open or k >= max_runs:
                break
            if k >= avail:
                exact = False  # the trial stopped measuring before this design would
                break
            k += 1
        rounds[name] = k
        final[name] = st
        statuses.extend(x for _, x in st)
    if "fail" in statuses:
        verdict = "fail"
    elif "error" in statuses:
        verdict = "error"
    elif "inconclusive" in statuses:
        verdict = "inconclusive"
    else:
        verdict = "pass"
    return verdict, rounds, exact, final


def worst(statuses):
    for s in ("fail", "inconclusive"):
        if s in statuses:
            return s
    return "pass"


# ---------------------------------------------------------------- baselines

def first_values(scen, side, metric, n):
    v = []
    for s in measured(scen, side):
        if s["round"] > n:
            continue
        v.append(s["wall"] if metric == "wall" else s["user"] + s["system"])
    return v


def baseline_means(results, n=FIXED):
    for s in results["scenarios"]:
        for m in ("wall", "cpu"):
            b, h = first_values(s, "base", m, n), first_values(s, "head", m, n)
            if mean(h) > 1.10 * mean(b):
                return "fail"
    return "pass"


def baseline_mw(results, n=FIXED):
    for s in results["scenarios"]:
        for m in ("wall", "cpu"):
            b, h = first_values(s, "base", m, n), first_values(s, "head", m, n)
            if mw_pvalue(b, h) < 0.05 and median(h) > median(b):
                return "fail"
    return "pass"


def baseline_hyperfine(trial_dir, nscen):
    """(a) on hyperfine's own non-interleaved runs, or None if not run."""
    verdict = "pass"
    for i in range(nscen):
        p = os.path.join(trial_dir, "hf-%d.json" % i)
        if not os.path.exists(p):
            return None
        with open(p) as f:
            res = json.load(f)["results"]
        b, h = res[0], res[1]
        if h["mean"] > 1.10 * b["mean"]:
            verdict = "fail"
        if h["user"] + h["system"] > 1.10 * (b["user"] + b["system"]):
            verdict = "fail"
    return verdict


# ---------------------------------------------------------------- one trial

# The replays: (tag, rounds before judging, thresholds variant).
REPLAYS = (("ad3", 3, "bench"), ("ad5", 5, "bench"), ("fix10", FIXED, "bench"),
           ("def3", 3, "default"), ("w05", 3, "wall05"))


def prefix_keys(out, res):
    """The judged prefixes a trial needs: "variant@runs" for every replay and
    for the gate's own design (its verdict must be the replay's)."""
    thresholds_variants(out)
    keys = {"%s@%d" % (t, mn) for _, mn, t in REPLAYS}
    keys.add("bench@%d" % res["settings"]["runs"])
    return sorted(keys)

def thresholds_variants(out):
    """The thresholds files the trials are judged with: "bench" (run.sh
    writes it: the shipped file, wall rule plain ratio_max 1.10), "default"
    (as shipped) and "wall05" (bench's with the wall rule at ratio_max 1.05:
    what a user who must catch a +10% change sets)."""
    src = os.path.join(out, "thresholds-bench.json")
    dst = os.path.join(out, "thresholds-wall05.json")
    if not os.path.exists(dst):
        with open(src) as f:
            t = json.load(f)
        for c in t["checks"]:
            if c["metric"] == "wall" and c["rule"] == "ratio_max":
                c["value"] = 1.05
                c["description"] = "no scenario may take more than 5% longer than on base"
        with open(dst, "w") as f:
            json.dump(t, f, indent=2)
    return ("bench", "default", "wall05")


def analyze_trial(d, gate, out):
    with open(os.path.join(d, "trial.json")) as f:
        meta = json.load(f)
    meta.setdefault("subject", "synth")
    with open(os.path.join(d, "gate", "results.json")) as f:
        res = json.load(f)
    if meta["subject"] != "synth":
        return gate_trial(d, meta, res)
    cache = os.path.join(d, "replay.json")
    pre = None
    if os.path.exists(cache):
        with open(cache) as f:
            pre = json.load(f)
        pre = {t: {int(k): v for k, v in p.items()} for t, p in pre.items()}
        if set(pre) != set(prefix_keys(out, res)):
            pre = None
    if pre is None:
        kmax = max(rounds_available(s) for s in res["scenarios"])
        pre = {}
        tmp = tempfile.mkdtemp(prefix="spin-gate-bench.")
        try:
            for key in prefix_keys(out, res):
                t, runs = key.split("@")
                th = os.path.join(out, "thresholds-%s.json" % t)
                pre[key] = judge_prefixes(gate, res, th, kmax, tmp, int(runs))
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        with open(cache, "w") as f:
            json.dump(pre, f)
    settings = res["settings"]
    max_runs = settings["max_runs"]
    row = dict(meta)
    row["gate_rc"] = int(open(os.path.join(d, "gate.rc")).read())
    with open(os.path.join(d, "gate.stderr"), errors="replace") as f:
        row["warned"] = "the runner was busy during the runs" in f.read()
    env = res.get("environment", {})
    row["noise"] = (env.get("noise_cpu"), env.get("noise_sleep"), env.get("steal"))
    la = os.path.join(d, "loadavg")
    row["loadavg"] = mean([float(x) for x in open(la).read().split()]) if os.path.exists(la) else None
    row["gate_verdict"] = res.get("verdict")
    row["max_runs"] = max_runs
    for tag, mn, t in REPLAYS:
        mx = FIXED if tag == "fix10" else max_runs
        v, rounds, exact, final = replay(pre["%s@%d" % (t, mn)], res, mn, mx)
        row[tag] = v
        row[tag + "_runs"] = mean(list(rounds.values()))
        row[tag + "_exact"] = exact
        row[tag + "_final"] = final
        row[tag + "_rounds"] = rounds
    # The gate's own run used min = BENCH_RUNS: its verdict must be the replay's.
    own, _, _, _ = replay(pre["bench@%d" % settings["runs"]], res, settings["runs"], max_runs)
    row["replay_agrees"] = own == res.get("verdict")
    # The spin is decided within 6 rounds (the fewest a fail can take at 95%
    # with 3 rounds before the first look): the idle scenario fails at k = 6.
    idle = [s["name"] for s in res["scenarios"]
            if s["params"].get("long_input") == "True" and s["params"].get("heavy_map") == "False"]
    row["fail_by_6"] = bool(idle) and all(
        any(x == "fail" for _, x in pre["bench@3"][6][n]) for n in idle) if 6 in pre["bench@3"] else False
    row["a_interleaved"] = baseline_means(res)
    row["b_mw"] = baseline_mw(res)
    row.update(contention_of(res))
    # the shipped design's outcome and rounds, for the table per load
    row["outcome"] = row["ad3"]
    row["rounds"] = list(row["ad3_rounds"].values())
    row["a_hyperfine"] = baseline_hyperfine(d, len(res["scenarios"]))
    # Overhead: the gate process itself against the work it measured.
    ru_path = os.path.join(d, "rusage.json")
    if os.path.exists(ru_path):
        with open(ru_path) as f:
            ru = json.load(f)
        runs_cpu = sum(x["user"] + x["system"] for s in res["scenarios"]
                       for side in ("base", "head") for x in s["samples"][side])
        runs_wall = sum(x["wall"] for s in res["scenarios"]
                        for side in ("base", "head") for x in s["samples"][side])
        row["ov"] = {
            "own": env.get("overhead"),
            "self_cpu": ru["self_user"] + ru["self_sys"],
            "children_cpu": ru["children_user"] + ru["children_sys"],
            "gate_wall": ru["wall"],
            "runs_cpu": runs_cpu,
            "runs_wall": runs_wall,
            "nruns": sum(len(s["samples"][side]) for s in res["scenarios"]
                         for side in ("base", "head")),
        }
    return row


# ---------------------------------------------------------------- contention

def run_contention(sample, cores):
    """(others_cpu + steal) / (machine_cores x wall) of one run, or None when
    the gate did not record the machine's other work (before the contention
    fields, or unknown on this machine). An unknown steal counts as none."""
    others = sample.get("others_cpu")
    wall = sample.get("wall")
    if others is None or not cores or not wall or wall <= 0:
        return None
    return (others + (sample.get("steal") or 0)) / (cores * wall)


def set_aside_rounds(res):
    """Rounds the checks set aside: per scenario the most any of its checks
    set aside, summed; None when no check has the field."""
    per = {}
    seen = False
    for c in res.get("checks") or []:
        if "set_aside" not in c:
            continue
        seen = True
        v = c["set_aside"]
        n = len(v) if isinstance(v, list) else (v or 0)
        per[c["scenario"]] = max(per.get(c["scenario"], 0), n)
    return sum(per.values()) if seen else None


def contention_of(res):
    """Per-run contention of every measured run of base and of head, and
    the rounds set aside, of one trial."""
    cont = {"base": [], "head": []}
    env_cores = res.get("environment", {}).get("cores")
    for s in res["scenarios"]:
        cores = s.get("machine_cores") or env_cores
        for side in ("base", "head"):
            for x in measured(s, side):
                c = run_contention(x, cores)
                if c is not None:
                    cont[side].append(c)
    return {"cont_base": cont["base"], "cont_head": cont["head"],
            "set_aside": set_aside_rounds(res)}


def gate_trial(d, meta, res):
    """A trial of the crew or bytewax subject: the gate ran as shipped, so its
    own verdict and rounds are the outcome; nothing is replayed."""
    row = dict(meta)
    row["gate_rc"] = int(open(os.path.join(d, "gate.rc")).read())
    row["gate_verdict"] = res.get("verdict")
    row["outcome"] = res.get("verdict") or "error"
    row["rounds"] = [rounds_available(s) for s in res["scenarios"]]
    la = os.path.join(d, "loadavg")
    row["loadavg"] = mean([float(x) for x in open(la).read().split()]) if os.path.exists(la) else None
    times = os.path.join(d, "times")
    if os.path.exists(times):
        t0, t1 = (float(x) for x in open(times).read().split())
        row["seconds"] = t1 - t0
    row.update(contention_of(res))
    return row


def wanted(subject, cond, load):
    want = SUBJECTS.get(subject, {}).get(cond, (cond, None))[1]
    if want == "fail quiet":
        return "fail" if load == "quiet" else "no pass"
    return want


def meets(want, outcome):
    if want == "fail":
        return outcome == "fail"
    if want == "no fail":
        return outcome != "fail"
    if want == "no pass":
        return outcome != "pass"
    return None


def print_load_table(rows):
    """One row per subject x condition x load: outcomes, rounds, contention."""
    print("### Per subject, condition and load")
    print()
    print("Outcomes: synth is the shipped design (adaptive 3..%d) replayed; crew and "
          "bytewax are the gate's own runs, as shipped. Rounds: per scenario, median "
          "over the gate runs (min..max). Contention: (others_cpu + steal) / "
          "(machine_cores x wall) of every measured run, median (n/a: the gate did not "
          "record it). Set aside: rounds the checks did not use to decide a fail "
          "because head ran under more contention than base (gate's own run), in "
          "how many gate runs." % MAXR)
    print()
    print("| subject | condition | load | gate runs | fail / inconclusive / pass | wanted "
          "| met | rounds | contention base | contention head | set aside |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    subjects = list(SUBJECTS) + sorted({r["subject"] for r in rows} - set(SUBJECTS))
    for subj in subjects:
        rs = [r for r in rows if r["subject"] == subj]
        conds = list(SUBJECTS.get(subj, {}))
        conds += sorted({r["condition"] for r in rs} - set(conds))
        loads = list(LOAD_ORDER) + sorted({r["load"] for r in rs} - set(LOAD_ORDER))
        for c in conds:
            for load in loads:
                rl = [r for r in rs if r["condition"] == c and r["load"] == load]
                if not rl:
                    continue
                label = SUBJECTS.get(subj, {}).get(c, (c, None))[0]
                n = len(rl)
                f = sum(r["outcome"] == "fail" for r in rl)
                i = sum(r["outcome"] == "inconclusive" for r in rl)
                p = sum(r["outcome"] == "pass" for r in rl)
                want = wanted(subj, c, load)
                ok = [meets(want, r["outcome"]) for r in rl]
                met = "-" if want is None else "%d of %d" % (sum(ok), n)
                if want is not None and sum(ok) < n:
                    met = "**%s**" % met
                rounds = [k for r in rl for k in r["rounds"]]
                rtxt = "%g (%d..%d)" % (median(rounds), min(rounds), max(rounds)) if rounds else "-"
                cb = [x for r in rl for x in r["cont_base"]]
                ch = [x for r in rl for x in r["cont_head"]]
                sa = [r["set_aside"] for r in rl if r["set_aside"] is not None]
                satxt = ("%d in %d of %d" % (sum(sa), sum(x > 0 for x in sa), n)
                         if sa else "n/a")
                print("| %s | %s | %s | %d | %d / %d / %d | %s | %s | %s | %s | %s | %s |" % (
                    subj, label, load, n, f, i, p, want or "-", met, rtxt,
                    "%.0f%%" % (100 * median(cb)) if cb else "n/a",
                    "%.0f%%" % (100 * median(ch)) if ch else "n/a", satxt))
    print()


# ---------------------------------------------------------------- the table

def pct(k, n):
    return "%d%%" % round(100 * k / n) if n else "-"


def fip(rows, key):
    n = len(rows)
    f = sum(r[key] == "fail" for r in rows)
    i = sum(r[key] == "inconclusive" for r in rows)
    p = n - f - i
    return "%s / %s / %s" % (pct(f, n), pct(i, n), pct(p, n))


def frac(rows, key, want="fail"):
    got = [r[key] for r in rows if r.get(key) is not None]
    if not got:
        return "-"
    k = sum(g == want for g in got)
    return "%s (%d/%d)" % (pct(k, len(got)), k, len(got))


def groups(rows):
    for c in ORDER:
        rc = [r for r in rows if r["condition"] == c]
        if not rc:
            continue
        for load in ("quiet", "loaded", "all"):
            rl = rc if load == "all" else [r for r in rc if r["load"] == load]
            if rl and not (load == "all" and len({r["load"] for r in rc}) < 2):
                yield c, load, rl


def print_tables(rows, out):
    synth = [r for r in rows if r["subject"] == "synth"]
    others = [r for r in rows if r["subject"] != "synth"]
    print("## spin-gate benchmark")
    print()
    if synth:
        print_synth_tables(synth, out)
        print()
    if others:
        secs = [r["seconds"] for r in others if r.get("seconds") is not None]
        print("%d gate runs of %s in %s, run as shipped (thresholds.json; 3 rounds, then "
              "more while a check is inconclusive)%s." % (
                  len(others), " and ".join(sorted({r["subject"] for r in others})), out,
                  "; %.0f s per gate run on average (%.0f..%.0f)" % (
                      mean(secs), min(secs), max(secs)) if secs else ""))
        print()
    print_load_table(rows)


def print_synth_tables(rows, out):
    print("%d gate runs in %s; each ran 4 scenarios (~100 ms synth runs), base and head "
          "interleaved, >= %d rounds + 1 warm-up." % (len(rows), out, FIXED))
    print()
    for load in ("quiet", "loaded"):
        la = [r["loadavg"] for r in rows if r["load"] == load and r.get("loadavg") is not None]
        if any(r["load"] == load for r in rows):
            print("- %s trials:" % load, end="")
        if la:
            print(" 1-minute load average %.1f on average (%.1f..%.1f)." % (
                mean(la), min(la), max(la)), end="")
        nz = [r["noise"] for r in rows if r["load"] == load and r.get("noise")
              and r["noise"][0] is not None]
        if nz:
            print(" The gate's noise probe: CPU-loop spread %.0f%% (median; %.0f..%.0f%%), "
                  "sleep spread %.0f%%, steal %.1f%%." % (
                      100 * median([x[0] for x in nz]), 100 * min(x[0] for x in nz),
                      100 * max(x[0] for x in nz), 100 * median([x[1] for x in nz]),
                      median([x[2] for x in nz if x[2] is not None] or [float("nan")])), end="")
        rl = [r for r in rows if r["load"] == load]
        if rl:
            print(" The gate warned that the runner was busy during the runs in %d of %d gate runs." % (
                sum(r["warned"] for r in rl), len(rl)))
    print()
    print("### spin-gate's rule (per gate run: fail / inconclusive / pass; "
          "mean runs per side per scenario)")
    print()
    print("| condition | load | gate runs | adaptive 3..%d | runs | adaptive 5..%d | runs "
          "| fixed 10 | shipped thresholds, adaptive 3..%d | runs | wall rule 1.05, adaptive 3..%d | runs |"
          % (MAXR, MAXR, MAXR, MAXR))
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for c, load, rl in groups(rows):
        print("| %s | %s | %d | %s | %.1f | %s | %.1f | %s | %s | %.1f | %s | %.1f |" % (
            CONDITIONS[c][0], load, len(rl), fip(rl, "ad3"), mean([r["ad3_runs"] for r in rl]),
            fip(rl, "ad5"), mean([r["ad5_runs"] for r in rl]), fip(rl, "fix10"),
            fip(rl, "def3"), mean([r["def3_runs"] for r in rl]),
            fip(rl, "w05"), mean([r["w05_runs"] for r in rl])))
    print()
    print("### Baselines on the same trials (share of gate runs that fail)")
    print()
    print("| condition | load | gate runs | spin-gate adaptive 3..%d | (a) hyperfine 10+10 "
          "non-interleaved, means > +10%% | (a') means > +10%%, first 10 interleaved "
          "| (b) Mann-Whitney p < 0.05, first 10 |" % MAXR)
    print("|---|---|---|---|---|---|---|")
    for c, load, rl in groups(rows):
        print("| %s | %s | %d | %s | %s | %s | %s |" % (
            CONDITIONS[c][0], load, len(rl), frac(rl, "ad3"), frac(rl, "a_hyperfine"),
            frac(rl, "a_interleaved"), frac(rl, "b_mw")))
    print()

    # Against the targets.
    aa = [r for r in rows if r["condition"] == "aa"]
    w10 = [r for r in rows if r["condition"] == "wall10"]
    spin = [r for r in rows if r["condition"] == "spin"]
    print("### Against the issue's targets (spin-gate as shipped: adaptive 3..%d)" % MAXR)
    print()
    print("| target | measured | met |")
    print("|---|---|---|")
    if aa:
        f = sum(r["ad3"] == "fail" for r in aa)
        i = sum(r["ad3"] == "inconclusive" for r in aa)
        print("| A/A false fails <= 1 in 40 | %d in %d | %s |" % (f, len(aa), yes(f / len(aa) <= 1 / 40)))
        print("| A/A inconclusive < 10%% | %d in %d (%s) | %s |" % (i, len(aa), pct(i, len(aa)),
                                                              yes(i / len(aa) < 0.10)))
        for load in ("quiet", "loaded"):
            rl = [r for r in aa if r["load"] == load]
            if rl:
                i = sum(r["ad3"] == "inconclusive" for r in rl)
                print("| (the same, %s trials only) | %d in %d (%s) | %s |" % (
                    load, i, len(rl), pct(i, len(rl)), yes(i / len(rl) < 0.10)))
    if w10:
        d = sum(r["ad3"] == "fail" for r in w10)
        print("| +10%% wall detected >= 95%%: failed | %d in %d (%s) | %s |" % (
            d, len(w10), pct(d, len(w10)), yes(d / len(w10) >= 0.95)))
        d = sum(r["ad3"] != "pass" for r in w10)
        print("| +10%% wall detected >= 95%%: not passed (fail or inconclusive) | %d in %d (%s) | %s |" % (
            d, len(w10), pct(d, len(w10)), yes(d / len(w10) >= 0.95)))
    if w10:
        d = sum(r["w05"] == "fail" for r in w10)
        print("| (+10%% wall failed with the wall rule at ratio_max 1.05) | %d in %d (%s) | %s |" % (
            d, len(w10), pct(d, len(w10)), yes(d / len(w10) >= 0.95)))
    if aa:
        f = sum(r["w05"] == "fail" for r in aa)
        i = sum(r["w05"] == "inconclusive" for r in aa)
        print("| (A/A with the wall rule at 1.05: false fails, inconclusive) | %d in %d, %d in %d (%s) | %s |" % (
            f, len(aa), i, len(aa), pct(i, len(aa)), yes(f / len(aa) <= 1 / 40 and i / len(aa) < 0.10)))
    if spin:
        d = sum(r["fail_by_6"] for r in spin)
        print("| 5x CPU detected within 6 rounds, 100%% | %d in %d | %s |" % (d, len(spin), yes(d == len(spin))))
    if rows:
        runs = mean([r["ad3_runs"] for r in rows])
        print("| adaptive runs <= 40%% of fixed 10 | %.1f runs/side = %s of 10 (all conditions) | %s |" % (
            runs, pct(runs, FIXED), yes(runs <= 0.4 * FIXED)))
        for name, sel in (("A/A only", aa), ("A/A quiet", [r for r in aa if r["load"] == "quiet"]),
                          ("A/A loaded", [r for r in aa if r["load"] == "loaded"])):
            if sel:
                ra = mean([r["ad3_runs"] for r in sel])
                print("| (the same, %s) | %.1f runs/side = %s of 10 | %s |" % (
                    name, ra, pct(ra, FIXED), yes(ra <= 0.4 * FIXED)))
    ov = [r["ov"] for r in rows if "ov" in r]
    own = [o["own"] for o in ov if o.get("own")]

    def total(dicts, key):
        return sum(d[key] for d in dicts)

    def share(label, part, whole, per, unit):
        print("| %s | %.2f%% (%.2f ms per %s) | %s |" % (
            label, 100 * part / whole, 1e3 * part / per, unit, yes(part / whole < 0.01)))

    if own:
        # the gate's own account (results.json environment.overhead)
        nr = total([o for o in ov if o.get("own")], "nruns")
        runs_cpu, runs_wall = total(own, "runs_cpu"), total(own, "runs_wall")
        self_cpu, probe = total(own, "self_cpu"), total(own, "probe_cpu")
        share("gate's own CPU < 1%% of measured CPU (measuring phase, noise probe included; "
              "the probe: %.0f ms per gate run)" % (1e3 * probe / len(own)),
              self_cpu, runs_cpu, len(own), "gate run")
        share("(the same without the one-off noise probe)", self_cpu - probe, runs_cpu, nr, "run")
        share("hyperfine's CPU beyond the runs it times", total(own, "tools_cpu"), runs_cpu, nr,
              "run")
        share("wall beyond the runs < 1% (measuring phase)", total(own, "extra_wall"), runs_wall,
              nr, "run")
    if ov:
        # the shim's account of the whole gate process, preparation included
        nr = total(ov, "nruns")
        runs_cpu = total(ov, "runs_cpu")
        self_cpu = total(ov, "self_cpu")
        share("whole gate process (shim), its own CPU", self_cpu, runs_cpu, nr, "run")
        share("whole gate process (shim), CPU beyond the runs: gate + hyperfine + git + setup",
              self_cpu + total(ov, "children_cpu") - runs_cpu, runs_cpu, nr, "run")
        share("whole gate process (shim), wall beyond the runs",
              total(ov, "gate_wall") - total(ov, "runs_wall"), total(ov, "runs_wall"), nr, "run")
    print()

    # What keeps A/A open or failing: check x scenario at the adaptive stop.
    why = {}
    for r in aa:
        for scen, st in r["ad3_final"].items():
            for check, s in st:
                if s in ("inconclusive", "fail"):
                    key = (s, check, scen, r["load"])
                    why[key] = why.get(key, 0) + 1
    if why:
        print("### A/A outcomes that were not a pass (adaptive 3..%d)" % MAXR)
        print()
        print("| status | check | scenario | load | gate runs |")
        print("|---|---|---|---|---|")
        for (s, check, scen, load), n in sorted(why.items(), key=lambda x: -x[1]):
            print("| %s | %s | %s | %s | %d |" % (s, check, scen, load, n))
        print()
    bad = [r for r in rows if not r["replay_agrees"]]
    print("Replay check: the replayed loop with min %s rounds gives the gate's own verdict in "
          "%d of %d gate runs." % ("BENCH_RUNS", len(rows) - len(bad), len(rows)))
    print()
    print("Replays that needed more rounds than the trial recorded (the trial's gate judged "
          "with thresholds-bench.json and stopped a scenario once that file's checks were "
          "decided; a design with other thresholds may want more). They count with the "
          "outcome at the last recorded round, so their inconclusive share is an upper "
          "bound and their runs a lower bound:")
    for tag, name in (("ad3", "adaptive 3..%d" % MAXR), ("ad5", "adaptive 5..%d" % MAXR),
                      ("fix10", "fixed 10"), ("def3", "shipped thresholds"),
                      ("w05", "wall rule 1.05")):
        inexact = [r for r in rows if not r[tag + "_exact"]]
        left_open = [r for r in inexact if r[tag] == "inconclusive"]
        print("- %s: %d of %d gate runs (%d of them ended inconclusive)" % (
            name, len(inexact), len(rows), len(left_open)))


def yes(b):
    return "yes" if b else "**no**"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gate", default=os.path.join(os.path.dirname(__file__), "..", "build",
                                                   "spin-gate"))
    ap.add_argument("--json", help="also write the per-trial rows here")
    ap.add_argument("--markdown", help="append the tables to this file (default "
                    "OUT/analysis.md; '-' for none)")
    ap.add_argument("out")
    a = ap.parse_args()
    tdir = os.path.join(a.out, "trials")
    if not os.path.isdir(tdir):
        sys.exit("bench: error: no trials in '%s'" % a.out)
    rows = []
    for name in sorted(os.listdir(tdir)):
        d = os.path.join(tdir, name)
        if not os.path.exists(os.path.join(d, "done")):
            continue
        rows.append(analyze_trial(d, a.gate, a.out))
    if not rows:
        sys.exit("bench: error: no finished trials in '%s'" % a.out)
    if a.json:
        with open(a.json, "w") as f:
            json.dump(rows, f, indent=1, default=str)
    global MAXR
    MAXR = max([r["max_runs"] for r in rows if "max_runs" in r] or [MAXR])
    text = io.StringIO()
    with contextlib.redirect_stdout(text):
        print_tables(rows, a.out)
    sys.stdout.write(text.getvalue())
    md = a.markdown or os.path.join(a.out, "analysis.md")
    if md != "-":
        with open(md, "a") as f:
            f.write("<!-- bench/analyze.py, %s -->\n\n" % time.strftime("%Y-%m-%d %H:%M:%S %Z"))
            f.write(text.getvalue())
            f.write("\n")


if __name__ == "__main__":
    main()
