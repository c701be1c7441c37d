#!/usr/bin/env bash
# README's "Gate your own project", followed literally on a fresh project
# nobody here wrote: init, check, run. The pull request's head busy-waits
# where main slept, and the shipped thresholds fail it. From a subdirectory,
# check warns that the shipped suite is used, naming the project's.
. "$(dirname "$0")/lib.sh"
export PATH="$(dirname "$BIN"):$PATH"
export SPIN_GATE_CACHE=$T/cache
P=$T/project
mkdir "$P" && cd "$P"
git init -q -b main . && git config user.email t@example.com && git config user.name t
cat >bench.py <<'PY'
import time
deadline = time.monotonic() + 0.3
time.sleep(0.3)  # wait for input
PY
git add bench.py && git commit -qm "the worker waits"
git checkout -qb feature
cat >bench.py <<'PY'
import time
deadline = time.monotonic() + 0.3
while time.monotonic() < deadline:  # poll for input
    pass
PY
git commit -qam "the worker polls"

run_bin init -- python3 bench.py
expect "init: exit 0, writes the suite and says what next" bash -c "[ $rc -eq 0 ] &&
	grep -qx 'next: spin-gate check' '$T/stdout' && [ -f spin-gate/suite.json ] && [ -x spin-gate/setup.sh ]"
run_bin init -- python3 bench.py
expect_rc "init again: exit 2, nothing overwritten" 2
expect "init again: exit 2, nothing overwritten" bash -c "grep -qF \"'./spin-gate/suite.json' already exists: not overwriting it\" '$T/stderr'"

run_bin check
expect "check: exit 0, the idle checks apply, the optional busy ones are named" bash -c "[ $rc -eq 0 ] &&
	grep -qE '^  project +idle +idle-system, idle-cpu, wall$' '$T/stdout' &&
	grep -qF 'saturation: 0 scenarios (optional: not applicable to this suite)' '$T/stdout'"

# from a subdirectory, the shipped suite would be gated: said, with the way out
mkdir sub && cd sub
run_bin check
expect_rc "check from a subdirectory: exit 0 (the shipped suite)" 0
expect "... warning that the project's suite is above and how to use it" grep -qxF \
	"spin-gate: warning: no ./spin-gate here: using the shipped bytewax suite, not '$P/spin-gate' (run from its directory, or --suite $P/spin-gate)" "$T/stderr"
cd "$P" && rmdir sub
run_bin check
expect "... and from the top, no warning" test ! -s "$T/stderr"

run_bin run --repo . --base main --head HEAD --max-runs 12
expect "run: the busy-waiting head fails (exit 1)" test "$rc" -eq 1
expect "run: verdict.md names idle-cpu" grep -q '^\*\*spin-gate: FAIL\*\* - .* failed: .*idle-cpu on project' out/verdict.md
expect "run: measured in the project's own suite, found without --suite" python3 -c '
import json, sys
r = json.load(open("out/results.json"))
assert r["suite"]["name"] == "project", r["suite"]
assert r["scenarios"][0]["role"] == "idle"
assert r["revisions"]["base"]["kind"] == "git"
' 
e2e_done
