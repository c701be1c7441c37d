#!/usr/bin/env bash
# The spin signature end to end, through the real hyperfine: programs of
# known behaviour (tests/fixtures/sigprog.c, built here) as head against a
# base that sleeps. Each run's sample carries what the kernel counted
# (vcsw, ivcsw, max_rss, minflt, majflt), and every idle scenario whose CPU
# check failed gets a classification line in verdict.md and on the terminal.
# Note: a zero-timeout poll() or sched_yield() loop returns at once, so the
# kernel counts few voluntary switches for it: its system time gives it away.
. "$(dirname "$0")/lib.sh"

cc -O1 -std=c11 -o "$T/sigprog" "$ROOT/tests/fixtures/sigprog.c" || {
	not_ok "cannot build tests/fixtures/sigprog.c"
	e2e_done
}
cat >"$T/suite.json" <<JSON
{ "name": "signature",
  "parameters": [ { "name": "mode", "values": ["spin", "poll", "yield", "nap", "sleep"] } ],
  "roles": [ { "role": "idle", "where": {} } ],
  "command": ["\${env}/run", "\${mode}"],
  "cores": "1",
  "timeout": 10,
  "setup": { "version": ["$ROOT/tests/fixtures/sigprog-setup.sh", "\${version}", "\${env}", "$T/sigprog", "0.3"],
             "timeout": 10 } }
JSON
cat >"$T/thresholds.json" <<'JSON'
{ "version": 1, "confidence": 0.8, "runs": 3, "max_runs": 16,
  "checks": [ { "name": "idle-cpu", "role": "idle", "metric": "cpu", "rule": "ratio_max",
                "value": 3, "unless": { "metric": "cpu_util", "rule": "head_max", "value": 0.25 } } ] }
JSON

OUT=$T/out
run_bin run --suite "$T/suite.json" --thresholds "$T/thresholds.json" --base 1.0 --head 2.0 \
	--out "$OUT" --warmup 0 --all-checks --cache "$T/cache" --no-profile # profiles: 29-profile
expect "spinning heads fail the idle check (exit 1)" test "$rc" -eq 1

expect "every sample carries its signature; the patterns show in it" python3 - "$OUT/results.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
by = {s["params"]["mode"]: s for s in r["scenarios"]}
for mode, s in by.items():
    for side in ("base", "head"):
        for x in s["samples"][side]:
            for k in ("vcsw", "ivcsw", "max_rss", "minflt", "majflt"):
                assert isinstance(x[k], (int, float)) and x[k] >= 0, (mode, side, k, x)
            assert x["max_rss"] > 1000, x  # KiB
def sums(mode, side):
    xs = by[mode]["samples"][side]
    cpu = sum(x["user"] + x["system"] for x in xs)
    return (cpu, sum(x["system"] for x in xs) / cpu, sum(x["vcsw"] for x in xs) / cpu,
            sum(x["vcsw"] for x in xs) / sum(x["wall"] for x in xs))
cpu, sys_share, per_cpu, per_wall = sums("spin", "head")
assert per_cpu < 100 and sys_share < 0.3, ("spin", per_cpu, sys_share)
for mode in ("poll", "yield"):
    cpu, sys_share, per_cpu, per_wall = sums(mode, "head")
    assert sys_share >= 0.3, (mode, sys_share)
cpu, sys_share, per_cpu, per_wall = sums("nap", "head")
assert per_wall >= 200 and per_cpu > 1000, ("nap", per_wall, per_cpu)
cpu, sys_share, per_cpu, per_wall = sums("sleep", "base")
assert per_wall < 200, ("sleep", per_wall)
PY

md=$OUT/verdict.md
grep -h "Signature" "$md" | sed "s/^/# /"
expect "verdict.md: the spin is a busy spin, base healthy" \
	grep -Eq '^\*\*Signature\*\* of mode=spin: head: busy spin - [0-9.]+ CPU s per wall s.*; base: healthy - ' "$md"
expect "verdict.md: the zero-timeout poll is syscall polling" \
	grep -q '^\*\*Signature\*\* of mode=poll: head: syscall polling - .*% system, .*; base: healthy' "$md"
expect "verdict.md: the yield loop is syscall polling" \
	grep -q '^\*\*Signature\*\* of mode=yield: head: syscall polling - ' "$md"
expect "the terminal says it too" grep -q '^signature of mode=spin: head: busy spin - ' "$T/stdout"
expect "no line for a scenario whose check passed (sleep)" \
	fails grep -q 'of mode=sleep' "$md" "$T/stdout"
run_bin judge --thresholds "$T/thresholds.json" --out "$T/judged" "$OUT/results.json"
expect "judge on the stored results prints the lines again" \
	grep -q '^signature of mode=poll: head: syscall polling' "$T/stdout"

e2e_done
