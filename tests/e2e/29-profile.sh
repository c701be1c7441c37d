#!/usr/bin/env bash
# Where the CPU went, end to end, through the real hyperfine and the real
# perf: head spins in a function of its own (tests/fixtures/sigprog.c, built
# with frame pointers), base sleeps. The idle CPU check fails, so the gate
# profiles that scenario once more per side after measuring (an extra run,
# never judged): the folded stacks and the flame graph name the spinning
# function, and so do verdict.md, the terminal and report.html. Without perf
# in PATH the verdict says so in one line and the exit code is the same.
# `spin-gate profile --all OUT` profiles every scenario of a finished gate.
# A Python subject whose py-spy finds no Python (a fake py-spy failing as
# 0.4.3 does) is tried twice, then profiled with perf; without perf the
# verdict gives py-spy's "Error:" line, not its backtrace's "7: main".
. "$(dirname "$0")/lib.sh"

if ! command -v perf >/dev/null || ! perf record -e cpu-clock -o "$T/probe.data" true 2>/dev/null; then
	echo "ok - skipped: perf is missing or not permitted here # SKIP"
	e2e_done
fi
cc -O1 -fno-omit-frame-pointer -std=c11 -o "$T/sigprog" "$ROOT/tests/fixtures/sigprog.c" || {
	not_ok "cannot build tests/fixtures/sigprog.c"
	e2e_done
}
cat >"$T/suite.json" <<JSON
{ "name": "profile",
  "parameters": [ { "name": "mode", "values": ["spin", "sleep"] } ],
  "roles": [ { "role": "idle", "where": {} } ],
  "command": ["\${env}/run", "\${mode}"],
  "cores": "1",
  "timeout": 10,
  "setup": { "version": ["$ROOT/tests/fixtures/sigprog-setup.sh", "\${version}", "\${env}", "$T/sigprog", "0.4"],
             "timeout": 10 } }
JSON
cat >"$T/thresholds.json" <<'JSON'
{ "version": 1, "confidence": 0.8, "runs": 3, "max_runs": 6,
  "checks": [ { "name": "idle-cpu", "role": "idle", "metric": "cpu", "rule": "ratio_max",
                "value": 3 } ] }
JSON
gate() {
	run_bin run --suite "$T/suite.json" --thresholds "$T/thresholds.json" --base 1.0 --head 2.0 \
		--warmup 0 --cache "$T/cache" "$@"
}

OUT=$T/out
gate --out "$OUT"
expect "the spin fails the idle check (exit 1)" test "$rc" -eq 1
grep -h "^profile of" "$T/stdout" | sed "s/^/# /"

expect "results.json: the spin's profile names spin_until on head, not on base" \
	python3 - "$OUT" <<'PY'
import json, os, sys
out = sys.argv[1]
r = json.load(open(os.path.join(out, "results.json")))
by = {s["params"]["mode"]: s for s in r["scenarios"]}
assert "profile" not in by["sleep"], "a scenario whose check passed is not profiled"
p = by["spin"]["profile"]
h, b = p["head"], p["base"]
assert h["tool"] == "perf" and h["error"] is None, h
assert h["samples"] > 50, h
assert h["top"][0]["frame"] == "spin_until" and h["top"][0]["under"] == "main", h["top"]
assert h["top"][0]["share"] > 0.5, h["top"]
assert h["top"][0]["other_share"] < 0.05, h["top"]
assert all(f["frame"] != "spin_until" for f in b["top"]), b["top"]
assert h["syscalls_per_s"] >= 0 and h["cswitches_per_s"] >= 0, h
for side in (h, b):
    folded = os.path.join(out, side["folded"])
    lines = open(folded).read().splitlines()  # empty when the side slept
    assert all(l.rsplit(" ", 1)[1].isdigit() for l in lines), folded
assert any("spin_until" in l for l in open(os.path.join(out, h["folded"]))), "head's stacks"
svg = open(os.path.join(out, p["svg"])).read()
assert svg.startswith("<svg") and "spin_until" in svg and svg.rstrip().endswith("</svg>"), p["svg"]
# never judged: the samples are the measured rounds only
assert all(len(by[m]["samples"][s]) <= 6 for m in by for s in ("base", "head"))
PY

md=$OUT/verdict.md
grep -h "^\*\*Profile" "$md" | sed "s/^/# /"
expect "verdict.md: head's share in spin_until under main, base's beside it, the flame graph" \
	grep -Eq '^\*\*Profile\*\* of mode=spin: head: [0-9.]+% in `spin_until` under `main` \(base: [0-9.]+%\); base: .*; flame graph `profile/1-mode-spin-diff.svg`$' "$md"
expect "the terminal says it too" \
	grep -Eq '^profile of mode=spin: head: [0-9.]+% in spin_until under main ' "$T/stdout"
expect "report.html: the line and the flame graph's name (not a link: the page refers to nothing)" \
	eval 'grep -q "in <code>spin_until</code> under <code>main</code>.*flame graph, head against base: <code>profile/1-mode-spin-diff.svg</code>" "$OUT/report.html" && ! grep -q "href=" "$OUT/report.html"'
run_bin judge --thresholds "$T/thresholds.json" --out "$T/judged" "$OUT/results.json"
expect "judge on the stored results prints the profile again" \
	grep -Eq '^profile of mode=spin: head: [0-9.]+% in spin_until' "$T/stdout"

# A PATH with everything but perf: one line says so, the exit code is the same.
mkdir -p "$T/bin"
for f in /usr/bin/* /usr/sbin/*; do
	[ "${f##*/}" = perf ] || ln -sf "$f" "$T/bin/"
done
PATH="$T/bin:/usr/local/bin" gate --out "$T/noperf"
expect "without perf: still exit 1" test "$rc" -eq 1
expect "without perf: verdict.md says so in one line" \
	grep -q '^\*\*Profile\*\* of mode=spin: not profiled: perf: command not found' "$T/noperf/verdict.md"
expect "without perf: the terminal too" \
	grep -q '^profile of mode=spin: not profiled: perf: command not found' "$T/stdout"
expect "without perf: results.json keeps why" python3 -c '
import json, sys
p = json.load(open(sys.argv[1]))["scenarios"][0]["profile"]
assert p["head"]["error"].startswith("perf: command not found") and p["svg"] is None, p
' "$T/noperf/results.json"
# A Python subject whose py-spy finds no Python (here a fake py-spy that
# fails as py-spy 0.4.3 does when the command is not Python yet at its first
# look): tried twice, then perf profiles that side; the terminal keeps
# py-spy's reason (its "Error:" line, not its backtrace's last "7: main").
mkdir -p "$T/fake"
cat >"$T/fake/py-spy" <<SH
#!/bin/sh
echo run >>"$T/pyspy-calls"
echo 'py-spy> Sampling process 100 times a second. Press Control-C to exit.'
echo 'Error: No python processes found in process 123 or any of its subprocesses' >&2
printf 'stack backtrace:\n   0: std::backtrace::Backtrace::create\n   7: main\n' >&2
exit 1
SH
chmod +x "$T/fake/py-spy"
printf '#!/usr/bin/env python3\nimport time\nt = time.time() + 0.3\nwhile time.time() < t:\n    pass\n' \
	>"$T/spin.py"
chmod +x "$T/spin.py"
cat >"$T/py.json" <<JSON
{ "name": "py", "parameters": [ { "name": "lang", "values": ["py"] } ],
  "roles": [ { "role": "idle", "where": {} } ],
  "command": ["$T/spin.py"], "cores": "1", "timeout": 10,
  "setup": { "version": ["mkdir", "-p", "\${env}"], "timeout": 10 } }
JSON
pygate() {
	run_bin run --suite "$T/py.json" --thresholds "$T/thresholds.json" --base 1.0 --head 2.0 \
		--warmup 0 --cache "$T/cache" --profile "$@"
}
PATH="$T/fake:$PATH" pygate --out "$T/py"
grep -h "^spin-gate: profiled" "$T/stderr" | sed "s/^/# /"
expect "py-spy finds no Python: exit 0 still" test "$rc" -eq 0
expect "py-spy finds no Python: tried twice per side" test "$(wc -l <"$T/pyspy-calls")" -eq 4
expect "py-spy finds no Python: perf profiled both sides, no error" python3 -c '
import json, sys
p = json.load(open(sys.argv[1]))["scenarios"][0]["profile"]
for side in ("base", "head"):
    assert p[side]["tool"] == "perf" and p[side]["error"] is None, p[side]
    assert p[side]["samples"] > 0, p[side]
' "$T/py/results.json"
expect "py-spy finds no Python: the terminal says perf, and py-spy's reason" \
	grep -q "^spin-gate: profiled lang=py (head) with perf (py-spy: No python processes found in process 123 or any of its subprocesses (see profile/1-lang-py-head.log))$" "$T/stderr"
expect "py-spy finds no Python: its log keeps both tries" \
	test "$(grep -c '^Error: No python processes' "$T/py/profile/1-lang-py-head.log")" -eq 2
# Without perf: the side is not profiled, and the verdict says why in short.
rm -f "$T/pyspy-calls"
PATH="$T/fake:$T/bin:/usr/local/bin" pygate --out "$T/py-noperf"
grep -h "^\*\*Profile" "$T/py-noperf/verdict.md" | sed "s/^/# /"
expect "py-spy fails, no perf: exit 0 still" test "$rc" -eq 0
expect "py-spy fails, no perf: verdict.md gives py-spy's reason, not its backtrace" \
	eval 'grep -q "^\*\*Profile\*\* of lang=py: head: not profiled: py-spy record wrote no stacks: No python processes found in process 123 or any of its subprocesses (see profile/1-lang-py-head.log); base: not profiled: " "$T/py-noperf/verdict.md" &&
	! grep -q "7: main" "$T/py-noperf/verdict.md"'

gate --out "$T/none" --no-profile
gate_rc=$rc
expect "--no-profile: no profile" \
	eval '! grep -q Profile "$T/none/verdict.md" && test ! -e "$T/none/profile"'

# After the gate, in its cached environments: every scenario.
run_bin profile --all --thresholds "$T/thresholds.json" "$T/none"
grep -h "^\*\*Profile" "$T/none/verdict.md" | sed "s/^/# /"
expect "spin-gate profile --all: the gate's exit code, unchanged ($gate_rc)" test "$rc" -eq "$gate_rc"
expect "spin-gate profile --all: both scenarios profiled, verdict.md rewritten" \
	eval 'grep -q "^\*\*Profile\*\* of mode=spin: head: .* in \`spin_until\`" "$T/none/verdict.md" &&
	grep -q "^\*\*Profile\*\* of mode=sleep: head: .*; base: " "$T/none/verdict.md" &&
	grep -q "^\*\*Profile\*\* of mode=spin: .*flame graph" "$T/none/verdict.md" &&
	test -s "$T/none/profile/1-mode-spin-diff.svg"'
rm -rf "$T/cache/envs"
run_bin profile "$T/none"
expect "spin-gate profile: a prepared environment gone is exit 4, named" \
	eval 'test "$rc" -eq 4 && grep -q "^spin-gate: error: base.s prepared environment .* is gone: run the gate again" "$T/stderr"'

e2e_done
