#!/usr/bin/env bash
# Mistakes in a user's own suite or thresholds are reported before anything
# is prepared or measured (exit 2, the field named), and no check can
# silently apply to nothing.
. "$(dirname "$0")/lib.sh"
cd "$T"

mkdir mine
cat >mine/suite.json <<'JSON'
{ "name": "mine",
  "parameters": [ { "name": "mode", "values": ["sleep", "spin"] } ],
  "command": ["${env}/bin/app", "--mode", "${mode}"],
  "setup": { "version": ["${suite_dir}/setup.sh", "${version}", "${env}"] } }
JSON

# nothing may be prepared or written: no out/, no cache/
nothing_made() { [ ! -e "$T/out" ] && [ ! -e "$T/cache" ]; }

gate() { run_bin run --suite "$T/mine" --base 1.0 --head 2.0 --out "$T/out" --cache "$T/cache" "$@"; }

cat >where-typo.json <<'JSON'
{ "version": 1, "checks": [
  { "name": "cpu", "where": { "mdoe": "spin" }, "metric": "cpu", "rule": "ratio_max", "value": 0.5 } ] }
JSON
gate --thresholds where-typo.json
expect "a where key that is no parameter: exit 2 naming it" \
	grep -qF "spin-gate: error: 'where-typo.json': checks[0].where: 'mdoe' is not a parameter of suite 'mine' (its parameters: mode)" "$T/stderr"
expect_rc "a where key that is no parameter: exit 2, nothing prepared" 2
expect "a where key that is no parameter: exit 2, nothing prepared" bash -c "$(declare -f nothing_made); nothing_made"

run_bin check --suite "$T/mine" --thresholds where-typo.json
expect_rc "check: the same mistake, the same message, exit 2" 2
expect "check: the same mistake, the same message, exit 2" bash -c "grep -qF \"checks[0].where: 'mdoe' is not a parameter of suite 'mine'\" '$T/stderr' && [ ! -s '$T/stdout' ]"

sed 's/"spin"/"spni"/; s/"mdoe"/"mode"/' where-typo.json >where-value.json
gate --thresholds where-value.json
expect_rc "a where matching no scenario: exit 2 naming the check" 2
expect "a where matching no scenario: exit 2 naming the check" bash -c "grep -qF \"check 'cpu' applies to no scenario of suite 'mine': its where matches none of the 2 scenarios\" '$T/stderr'"

gate --thresholds "$ROOT/thresholds.json"
expect "shipped thresholds on a suite without roles: exit 2" test "$rc" -eq 2
expect "shipped thresholds on a suite without roles: each idle check named (the busy ones are optional)" bash -c "
	grep -qF \"check 'idle-cpu' applies to no scenario of suite 'mine': no scenario has role 'idle'\" '$T/stderr' &&
	grep -qF \"check 'idle-system' applies to no scenario of suite 'mine': no scenario has role 'idle'\" '$T/stderr' &&
	! grep -q \"check 'saturation\" '$T/stderr' && ! grep -q \"check 'wall'\" '$T/stderr'"

sed 's/"value": 0.5 }/"value": 0.5, "optional": true }/; s/"spin"/"spni"/; s/"mdoe"/"mode"/' where-typo.json >optional.json
sed -i 's/"command"/"roles": [ { "role": "idle", "where": { "mode": "sleep" } } ],\n  "command"/; s/--mode", "${mode}"/--mode", "${mode}", "${worktree}"/' mine/suite.json
gate --thresholds optional.json
expect_rc "\${worktree} in command: exit 2 before preparing, field and scenario named" 2
expect "\${worktree} in command: exit 2 before preparing, field and scenario named" bash -c "grep -qF \"'$T/mine/suite.json': command (scenario mode=sleep): unknown variable '\\\${worktree}'\" '$T/stderr' && $(declare -f nothing_made); nothing_made"

sed -i 's/, "${worktree}"\]/]/; s/"version": \[/"gti": [/' mine/suite.json
gate --thresholds optional.json
expect_rc "a typo inside setup: exit 2 naming it" 2
expect "a typo inside setup: exit 2 naming it" bash -c "grep -qF \"setup: unknown field 'gti' (expected version, git, timeout)\" '$T/stderr'"

cat >empty.json <<'JSON'
{ "schema": "spin-gate/results", "version": 1, "complete": true,
  "settings": { "runs": 3, "max_runs": 3, "warmup": 1, "confidence": 0.95 },
  "scenarios": [] }
JSON
run_bin judge --thresholds "$ROOT/thresholds.json" --out "$T/judged" empty.json
expect_rc "results without scenarios judge as an error: exit 4" 4
expect "results without scenarios judge as an error: exit 4" bash -c "grep -qF 'ERROR: no scenario was measured' '$T/stdout' '$T/judged/verdict.md'"

e2e_done
