"""Apache Otava's change points of named series, for comparison with the C
detector (tests/tools/cp_series.c). Run with the venv's python that
`scripts/deps.sh otava` makes (apache-otava 0.8.0):

    OTAVA_PY tests/tools/otava_series.py [--pvalue P] [--magnitude M] [--window W] < IN > OUT

IN: {"name": [numbers], ...}. OUT: {"name": {"change_points": [...],
"candidates": [...]}, ...}, each point {"index", "before", "after", "pvalue"}
(the candidates: Otava's weak change points, from its split()). Otava's own defaults are
window 50, p 0.001, magnitude 0; the caller passes spin-gate's.
"""
import argparse
import json
import math
import sys

from otava.analysis import compute_change_points, split


def point(cp):
    p = float(cp.stats.pvalue)
    return {
        "index": int(cp.index),
        "before": float(cp.stats.mean_1),
        "after": float(cp.stats.mean_2),
        "pvalue": None if math.isnan(p) else p,
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pvalue", type=float, default=0.001)
    ap.add_argument("--magnitude", type=float, default=0.10)
    ap.add_argument("--window", type=int, default=50)
    a = ap.parse_args()
    series = json.load(sys.stdin)
    out = {}
    for name, xs in series.items():
        if len(xs) < 2:
            out[name] = {"change_points": [], "candidates": []}
            continue
        xs = list(map(float, xs))
        cps, _ = compute_change_points(xs, window_len=a.window, max_pvalue=a.pvalue, min_magnitude=a.magnitude)
        # compute_change_points' second value is the merged list itself (merge
        # edits it in place): the candidates are split()'s, with the same
        # first-pass level
        p = a.pvalue
        first = p * 10 if p < 0.05 else (p * 2 if p < 0.5 else p)
        weak = split(xs, a.window, first)
        out[name] = {
            "change_points": [point(c) for c in cps],
            "candidates": [point(c) for c in weak],
        }
    json.dump(out, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
