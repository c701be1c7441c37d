#!/usr/bin/env python3
"""Writes tests/judge/006-serial-steady-stall, 007-serial-steady-no-stall and
008-burst-on-head-stall:
made by hand from the trace of issue 20 (a multi-process subject whose head
serialises its CPU-heavy work onto one worker, beside one steady CPU hog on 2
cores), its three rounds repeated to 12. 006 has each run's stall (its own
cgroup's cpu.pressure); 007 is the same runs as a gate without stall figures
wrote them (cpu_pressure null), judged by the neighbours' share alone. 008 is
the other side of the rule: a burst beside every head run that head waited for
(0.5 s of 1.3 s) while base hardly did, which must not fail a change."""
import json, os, sys

here = os.path.dirname(os.path.abspath(__file__))
# wall, cpu, others' share of the machine, stall (seconds)
BASE = [(10.6, 14.0, 0.33, 5.47), (9.8, 12.4, 0.36, 5.87), (10.5, 14.0, 0.32, 5.24)]
HEAD = [(11.8, 11.7, 0.49, 0.26), (12.9, 12.3, 0.51, 1.84), (12.7, 12.7, 0.49, 0.33)]
ROUNDS = 12
BURST_BASE = [(1.00, 1.8, 0.02, 0.02), (1.02, 1.8, 0.03, 0.03), (0.99, 1.8, 0.02, 0.01)]
BURST_HEAD = [(1.30, 1.5, 0.40, 0.50), (1.32, 1.5, 0.42, 0.52), (1.29, 1.5, 0.38, 0.49)]


def sample(rnd, run, stall):
    wall, cpu, share, st = run
    return {"round": rnd, "warmup": False, "wall": wall, "user": round(cpu * 0.9, 3),
            "system": round(cpu * 0.1, 3), "exit_code": 0, "timed_out": False,
            "others_cpu": round(share * 2 * wall, 3), "steal": 0.0,
            "cpu_pressure": st if stall else None,
            "pressure_source": "run" if stall else None, "cgroup_cpu": cpu if stall else None}


def results(stall, base=BASE, head=HEAD):
    return {
        "schema": "spin-gate/results", "version": 1, "complete": True, "stopped_by": None,
        "started": "2026-12-06T12:00:00Z", "finished": "2026-12-06T12:10:00Z",
        "suite": {"name": "crew", "path": "bench/crew-suite/suite.json", "digest": "0"},
        "thresholds": {"path": "thresholds.json", "digest": "0"},
        "settings": {"runs": 3, "max_runs": 30, "warmup": 0, "confidence": 0.95,
                     "all_checks": False},
        "revisions": {"base": {"spec": "park", "kind": "git", "resolved": "a" * 40},
                      "head": {"spec": "serial", "kind": "git", "resolved": "b" * 40}},
        "environment": {"cores": 2, "hyperfine": "hyperfine 1.15.0"},
        "scenarios": [{
            "name": "long_input=False heavy_map=True",
            "params": {"long_input": "False", "heavy_map": "True"},
            "role": "busy", "cores": 2, "machine_cores": 2, "timeout": 30,
            "command": {"base": "crew --heavy-map True", "head": "crew --heavy-map True"},
            "error": None,
            "samples": {
                "base": [sample(k + 1, base[k % 3], stall) for k in range(ROUNDS)],
                "head": [sample(k + 1, head[k % 3], stall) for k in range(ROUNDS)],
            },
        }],
    }


for name, r in (("006-serial-steady-stall", results(True)),
                ("007-serial-steady-no-stall", results(False)),
                ("008-burst-on-head-stall", results(True, BURST_BASE, BURST_HEAD))):
    d = os.path.join(here, name)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "results.json"), "w") as f:
        json.dump(r, f, indent=1)
        f.write("\n")
