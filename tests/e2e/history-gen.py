# Writes N history records (spin-gate/record v1) into DIR, one a commit, for
# tests/e2e/37-history.sh and 52-history-alert.sh: scenario mode=idle's cpu
# steps from 0.20 s to 1.00 s at commit STEP (0-based; -1: never), and back
# at UNDO when given; wall and mode=busy's cpu_share stay level (a fixed,
# small wobble). Commit i is sha1("c<i>"), dated 2026-01-01 + i hours.
#   python3 history-gen.py DIR N STEP [UNDO] [--kind KIND] [--start I] [--idle NAME]
# (--idle NAME: the idle scenario's name instead of mode=idle)
import hashlib, json, os, sys

args = [a for a in sys.argv[1:]]
kind, start, idle = "2 x Test CPU", 0, "mode=idle"
if "--idle" in args:
    i = args.index("--idle"); idle = args[i + 1]; del args[i:i + 2]
if "--kind" in args:
    i = args.index("--kind"); kind = args[i + 1]; del args[i:i + 2]
if "--start" in args:
    i = args.index("--start"); start = int(args[i + 1]); del args[i:i + 2]
out, n, step = args[0], int(args[1]), int(args[2])
undo = int(args[3]) if len(args) > 3 else -1
os.makedirs(out, exist_ok=True)
wobble = [0.00, 0.01, -0.01, 0.005, -0.005, 0.008, -0.008]

def fig(m):
    return {"median": m, "lo": m * 0.97, "hi": m * 1.03, "n": 5}

for i in range(start, start + n):
    sha = hashlib.sha1(b"c%d" % i).hexdigest()
    w = wobble[i % len(wobble)]
    spun = step >= 0 and i >= step and not (undo >= 0 and i >= undo)
    cpu = (1.0 if spun else 0.20) + w
    rec = {
        "schema": "spin-gate/record", "version": 1, "commit": sha, "rev": sha,
        "date": "2026-01-%02dT%02d:00:00Z" % (1 + i // 24, i % 24),
        "recorded": "2026-02-01T00:00:00Z",
        "suite": {"name": "demo", "digest": "0123456789abcdef"},
        "thresholds": {"digest": "0123456789abcdef"},
        "runner": {"kind": kind, "cpu_model": "Test CPU", "cores": 2,
                   "kernel": "Linux 6.1.0", "hyperfine": "hyperfine 1.15.0"},
        "settings": {"runs": 3, "max_runs": 15, "confidence": 0.95},
        "scenarios": [
            {"name": idle, "role": "idle", "params": {"mode": "idle"},
             "error": None, "rounds": 5, "contention": 0.01,
             "metrics": {"wall": fig(1.0 + w), "cpu": fig(cpu)}},
            {"name": "mode=busy", "role": "busy", "params": {"mode": "busy"},
             "error": None, "rounds": 5, "contention": 0.01,
             "metrics": {"cpu_share": fig(0.9 + w / 10)}},
        ],
    }
    with open(os.path.join(out, "r%03d-%s.json" % (i, sha[:12])), "w") as f:
        json.dump(rec, f)
