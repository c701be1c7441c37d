"""bench/history-sh.sh's table and check (standard library only).

    python3 history-sh.py REPO HISTORY_DIR HISTORY_JSON

Prints a markdown table, one row per commit of REPO's main (oldest first):
the commit, what it changed, the idle scenario's CPU median [interval] from
its record, the contention, and whether the cpu series has a change point
there; then every series' change points, the load seen, and the verdict.
Exit 0 when the cpu series' change points are exactly two, both on bumps of
sh, the first up and the second down on the bump to 1.12.4; 1 otherwise.
"""

import glob
import json
import statistics
import subprocess
import sys


def main():
    repo, hdir, hjson = sys.argv[1:4]
    log = subprocess.run(["git", "-C", repo, "log", "--reverse", "--format=%H %s", "main"],
                         check=True, capture_output=True, text=True).stdout.splitlines()
    commits = [(line[:40], line[41:]) for line in log]
    recs = {}
    for path in sorted(glob.glob(hdir + "/*.json")):
        with open(path) as f:
            r = json.load(f)
        recs.setdefault(r["commit"], []).append(r)
    with open(hjson) as f:
        hist = json.load(f)
    cpu = [s for s in hist["series"] if s["metric"] == "cpu"]
    if len(cpu) != 1:
        print(f"expected one cpu series, got {len(cpu)}")
        return 1
    cps = {cp["commit"]: cp for cp in cpu[0]["change_points"]}

    print("| # | commit | what it changed | idle CPU median [95% interval] | contention | change point |")
    print("| ---: | --- | --- | --- | ---: | --- |")
    conts = []
    for i, (c, subject) in enumerate(commits, 1):
        rs = recs.get(c, [])
        cells = []
        for r in rs:
            sc = r["scenarios"][0]
            m = sc["metrics"].get("cpu")
            if sc.get("error") or not m:
                cells.append("error")
                continue
            lo = "?" if m["lo"] is None else f"{m['lo']:.3f}"
            hi = "?" if m["hi"] is None else f"{m['hi']:.3f}"
            cells.append(f"{m['median']:.3f} s [{lo}, {hi}] n={m['n']}")
            if sc.get("contention") is not None:
                conts.append(sc["contention"])
        cont = "; ".join(f"{r['scenarios'][0]['contention']:.2f}" for r in rs
                         if r["scenarios"][0].get("contention") is not None) or "-"
        mark = "no"
        if c in cps:
            cp = cps[c]
            mark = (f"**yes**: {cp['before']:.3f} -> {cp['after']:.3f} s, "
                    f"p={cp['pvalue']:.1e}{' regression' if cp['bad'] else ''}")
        print(f"| {i} | `{c[:12]}` | {subject} | {'; '.join(cells) or 'no record'} | {cont} | {mark} |")

    print()
    print(f"{hist['records']} records, {len(hist['series'])} series, runner kinds: "
          f"{', '.join(hist['runner_kinds'])}")
    if conts:
        print(f"contention (share of the machine others took, per record): median "
              f"{statistics.median(conts):.2f}, max {max(conts):.2f}")
    subj = dict(commits)
    print()
    print("Change points of every series:")
    print()
    for s in hist["series"]:
        where = ", ".join(f"{subj.get(cp['commit'], cp['commit'])} "
                          f"({cp['before']:.4g} -> {cp['after']:.4g})"
                          for cp in s["change_points"]) or "none"
        print(f"- {s['metric']}: {where}")

    order = [c for c, _ in commits]
    got = sorted(cps.values(), key=lambda cp: order.index(cp["commit"]))
    ok = (len(got) == 2
          and all(subj[cp["commit"]].startswith("bump sh to ") for cp in got)
          and got[0]["after"] > got[0]["before"]
          and subj[got[1]["commit"]] == "bump sh to 1.12.4"
          and got[1]["after"] < got[1]["before"])
    print()
    if ok:
        print(f"OK: the idle CPU steps up at '{subj[got[0]['commit']]}' (the release that "
              f"brought the spin) and down at '{subj[got[1]['commit']]}', nowhere else")
        return 0
    print("NOT AS EXPECTED: the idle CPU series' change points are at "
          + (", ".join(f"'{subj.get(cp['commit'], cp['commit'])}'" for cp in got) or "no commit"))
    return 1


if __name__ == "__main__":
    sys.exit(main())
