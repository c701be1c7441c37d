"""Run one command through sh and wait for it: the sh suite's scenario.

    python bg.py WORK LAUNCH SECONDS

WORK   sleep  the command is /bin/sleep SECONDS: it needs no CPU, so all the
              CPU of the run is python start-up and sh's own helper threads
       spin   the command is this interpreter running a fixed CPU-bound loop
              (python -c ...), SECONDS x 10 million iterations: about SECONDS
              of CPU on this project's machine
LAUNCH bg     sh.Command(...)(..., _bg=True), the main thread sleeps SECONDS
              (idle, sh's helper threads run alone), then .wait()
       fg     the plain call, which returns when the command has finished

Under the gate ($SPIN_GATE_METRICS set, the suite's "metrics") it reports in
github-action-benchmark's format what it had done: the commands sh ran and
waited for (1) and the spin's loop iterations (0 for sleep), so that a check
can ask for CPU per iteration rather than CPU per run.
"""

import json
import os
import sys
import time

import sh

# a fixed amount of work, not a fixed time: a slower run is a slower run
SPIN = "n = int(__import__('sys').argv[1])\nx = 0\nfor i in range(n):\n    x += i * i\n"
LOOPS_PER_SECOND = 10_000_000


def main():
    if len(sys.argv) != 4:
        sys.exit("usage: bg.py sleep|spin bg|fg SECONDS")
    work, launch, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])
    if work == "sleep":
        cmd, args = sh.Command("sleep"), [str(seconds)]
    elif work == "spin":
        cmd, args = sh.Command(sys.executable), ["-c", SPIN, str(int(seconds * LOOPS_PER_SECOND))]
    else:
        sys.exit(f"bg.py: unknown work '{work}' (expected sleep or spin)")
    if launch == "bg":
        p = cmd(*args, _bg=True)
        time.sleep(seconds)
        p.wait()
    elif launch == "fg":
        p = cmd(*args)
    else:
        sys.exit(f"bg.py: unknown launch '{launch}' (expected bg or fg)")
    if p.exit_code != 0:
        sys.exit(f"bg.py: the command exited {p.exit_code}")
    metrics = os.environ.get("SPIN_GATE_METRICS")
    if metrics:
        loops = int(args[-1]) if work == "spin" else 0
        with open(metrics, "w") as f:
            json.dump([{"name": "commands", "unit": "command", "value": 1},
                       {"name": "loop iterations", "unit": "iteration", "value": loops}], f)


if __name__ == "__main__":
    main()
