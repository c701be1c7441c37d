#!/usr/bin/env bash
# The action's step "Use a hyperfine spin-gate reads", run as the runner runs
# it (bash -eo pipefail, RUNNER_TEMP and GITHUB_PATH set): with a hyperfine
# older than 1.15.0 first on PATH (Ubuntu 22.04's apt gives 1.12), it puts
# 2.0.0's binary from its wheel on GITHUB_PATH; with 1.15.0 or newer it
# changes nothing.
. "$(dirname "$0")/lib.sh"

python3 -c 'import yaml' 2>/dev/null || python3 -m pip install --quiet pyyaml >/dev/null 2>&1
python3 - "$ROOT/action.yml" "$T/step.sh" <<'PY'
import sys, yaml
steps = yaml.safe_load(open(sys.argv[1]))["runs"]["steps"]
step = [s for s in steps if s.get("name") == "Use a hyperfine spin-gate reads"][0]
open(sys.argv[2], "w").write(step["run"])
PY
mkdir -p "$T/old" "$T/runner"
printf '#!/bin/sh\necho "hyperfine 1.12.0"\n' >"$T/old/hyperfine"
chmod +x "$T/old/hyperfine"

step() { # step PATH-PREFIX: run the step; $rc, $T/stdout, $T/stderr, $T/github_path
	: >"$T/github_path"
	RUNNER_TEMP=$T/runner GITHUB_PATH=$T/github_path PATH="$1:$PATH" \
		bash --noprofile --norc -eo pipefail "$T/step.sh" >"$T/stdout" 2>"$T/stderr"
	rc=$?
}

step "$T/old"
expect_rc "an old hyperfine: the step succeeds" 0
expect "it says why" grep -qx "spin-gate: hyperfine 1.12.0 is older than 1.15.0: using 2.0.0 from the wheel astral-dev-toolchain-hyperfine" "$T/stdout"
expect "2.0.0's binary is on GITHUB_PATH" test "$(cat "$T/github_path")" = "$T/runner/spin-gate-hyperfine"
expect "and it is hyperfine 2.0.0" grep -qx "hyperfine 2.0.0" <("$T/runner/spin-gate-hyperfine/hyperfine" --version)

step /nonexistent
expect_rc "Debian's hyperfine: the step succeeds" 0
expect "it keeps it" grep -qx "spin-gate: hyperfine $(hyperfine --version | awk '{print $2}')" "$T/stdout"
expect "and adds nothing to PATH" test ! -s "$T/github_path"
e2e_done
