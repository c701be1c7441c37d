#!/usr/bin/env bash
# The runs' own cgroup: every run of a gate starts in a cgroup (v2) of its
# own, so results.json holds the time the run itself waited for a CPU
# (pressure_source "run") and its CPU as the kernel counted it (cgroup_cpu),
# which agrees with hyperfine's user + system. Without a cgroup the gate may
# write it falls back to the gate's or the machine's pressure and says so
# once. The cgroup is gone when the gate ends.
. "$(dirname "$0")/lib.sh"

SUITE=$ROOT/tests/fixtures/spinsuite
repo=$T/repo
bash "$ROOT/tests/fixtures/spinpkg-repo.sh" "$repo" park
git -C "$repo" tag park
bash "$ROOT/tests/fixtures/spinpkg-repo.sh" "$repo" spin
export SPIN_GATE_CACHE=$T/cache

# Three rounds are too few to fail (exit 3: a fail needs 6 at 95%); what
# is tested here is what every run recorded.
gate() { # gate OUT: park vs spin, the idle scenario, 3 rounds (exec: $! is its pid)
	exec "$BIN" run --repo "$repo" --suite "$SUITE" --thresholds "$ROOT/thresholds.json" \
		--base park --head spin --out "$1" --runs 3 --max-runs 3 --warmup 0 \
		--only long_input=True --only heavy_map=False --no-profile
}

# Where the gate's cgroup v2 lives (as src/lib/cgroup.c finds it).
cgdir=$(python3 - <<'PY'
for line in open("/proc/self/mountinfo"):
    a, b = line.split(" - ", 1)
    if b.startswith("cgroup2 "):
        mnt = a.split()[4]
        break
else:
    raise SystemExit(0)
for line in open("/proc/self/cgroup"):
    if line.startswith("0::/"):
        p = line[3:].strip()
        print(mnt + ("" if p == "/" else p))
PY
)

if [ -z "$cgdir" ] || ! mkdir "$cgdir/spin-gate-e2e-probe" 2>/dev/null; then
	# not root, or no cgroup2: the fallback below is still tested
	ok "# skip the runs' cgroup: no writable cgroup v2 here ('$cgdir')"
else
	rmdir "$cgdir/spin-gate-e2e-probe"
	# what a gate killed with SIGKILL leaves: its empty cgroup, its pid gone
	dead=$(python3 -c 'import os
pid = 4194000
while os.path.exists("/proc/%d" % pid): pid -= 1
print(pid)')
	mkdir "$cgdir/spin-gate-$dead"
	gate "$T/out" >"$T/stdout" 2>"$T/stderr" &
	pid=$!
	wait "$pid"
	rc=$?
	expect "a killed gate's empty cgroup is removed by the next" \
		test ! -e "$cgdir/spin-gate-$dead"
	expect "the gate ran its 3 rounds (exit 3)" test "$rc" -eq 3
	expect "no fallback note with a cgroup of its own" \
		fails grep -q "runs share the gate's cgroup" "$T/stderr"
	expect "every run's stall is its own cgroup's, with its CPU" python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
n = 0
for s in r["scenarios"]:
    for side in ("base", "head"):
        for x in s["samples"][side]:
            assert x["pressure_source"] == "run", x
            assert x["cpu_pressure"] is not None and 0 <= x["cpu_pressure"] <= x["wall"] + 0.05, x
            assert x["cgroup_cpu"] is not None, x
            n += 1
assert n == 6, n
' "$T/out/results.json"
	# hyperfine times the command; the cgroup holds hyperfine too (a few
	# ms of its start-up) and nothing else
	expect "the cgroup's CPU agrees with hyperfine's user + system" python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
for s in r["scenarios"]:
    for side in ("base", "head"):
        for x in s["samples"][side]:
            cpu = x["user"] + x["system"]
            d = x["cgroup_cpu"] - cpu
            assert -0.02 <= d <= 0.05 + 0.05 * cpu, (side, x["round"], cpu, x["cgroup_cpu"])
' "$T/out/results.json"
	expect "the runs' cgroup is removed at the end" test ! -e "$cgdir/spin-gate-$pid"
fi

# SPIN_GATE_CGROUP=off: the gate's own cgroup or the machine's pressure,
# said once
(SPIN_GATE_CGROUP=off gate "$T/off") >"$T/stdout" 2>"$T/stderr"
rc=$?
expect "off: the gate ran its 3 rounds (exit 3)" test "$rc" -eq 3
expect "off: the fallback is said once" \
	test "$(grep -c "^spin-gate: runs share the gate's cgroup (SPIN_GATE_CGROUP is off): the time a run waited for a CPU is read from '" "$T/stderr")" -eq 1
expect "off: the stall comes from the gate's cgroup or the machine" python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
for s in r["scenarios"]:
    for side in ("base", "head"):
        for x in s["samples"][side]:
            assert x["pressure_source"] in ("gate", "system"), x
            assert x["cgroup_cpu"] is None, x
' "$T/off/results.json"

# A parent the gate cannot create in: said with the reason
(SPIN_GATE_CGROUP=$T/not-a-cgroup/x gate "$T/bad") >"$T/stdout" 2>"$T/stderr"
rc=$?
expect "a bad SPIN_GATE_CGROUP: the gate still runs (exit 3)" test "$rc" -eq 3
expect "a bad SPIN_GATE_CGROUP: why, in the note" \
	grep -q "^spin-gate: runs share the gate's cgroup (cannot create '$T/not-a-cgroup/x/spin-gate-[0-9]*': No such file or directory)" "$T/stderr"
