#!/usr/bin/env bash
# The command line: usage, exit codes, clear errors for bad input, and
# `judge` on stored results (no runs).
. "$(dirname "$0")/lib.sh"
cd "$ROOT"

run_bin
expect "no command: exit 2" test "$rc" -eq 2
expect "no command: usage on stderr" grep -q '^usage: spin-gate' "$T/stderr"

run_bin --help
expect_rc "--help: exit 0 and usage on stdout" 0
expect "--help: exit 0 and usage on stdout" bash -c "grep -q 'exit status' '$T/stdout'"

run_bin run --help
expect_rc "run --help documents --max-runs and exit codes" 0
expect "run --help documents --max-runs and exit codes" bash -c "grep -q -- '--max-runs' '$T/stdout' && grep -q '3 inconclusive' '$T/stdout'"

run_bin frobnicate
expect_rc "unknown command: exit 2 naming it" 2
expect "unknown command: exit 2 naming it" bash -c "grep -q \"unknown command 'frobnicate'\" '$T/stderr'"

run_bin run --head v0.16.1
expect_rc "missing --base: exit 2" 2
expect "missing --base: exit 2" bash -c "grep -q -- '--base and --head are required' '$T/stderr'"

run_bin run --base a --head b --runs 1
expect_rc "--runs 1 refused" 2
expect "--runs 1 refused" bash -c "grep -q \"spin-gate: error: --runs: '1' is not a whole number >= 2\" '$T/stderr'"

run_bin run --base a --head b --runs 1001
expect_rc "--runs beyond what judge reads back (1000) refused" 2
expect "--runs beyond what judge reads back (1000) refused" bash -c "grep -qx \"spin-gate: error: --runs: '1001' is more than 1000\" '$T/stderr'"

run_bin run --base a --head b --comment sideways
expect_rc "run --comment with a bad mode: exit 2" 2
expect "run --comment with a bad mode: exit 2" bash -c "grep -q -- \"invalid --comment 'sideways': expected sticky, new or off\" '$T/stderr'"

# --name goes into the comment's marker (<!-- spin-gate:NAME -->): every
# command that takes it checks it the same way
for c in "run --base a --head b" "compare a b" "judge x.json" "merge x.json" "report x.json" "profile out" "post --verdict v.md"; do
	# shellcheck disable=SC2086
	run_bin $c --name 'x -->'
	expect_rc "${c%% *} --name with a space and '-->': exit 2" 2
	expect "${c%% *} --name: the one message" grep -qx "spin-gate: error: invalid --name 'x -->': expected letters, digits, '.', '_', '-'" "$T/stderr"
done

run_bin run --base a --head b --bogus
expect_rc "unknown option: exit 2" 2
expect "unknown option: exit 2" bash -c "grep -q \"unknown option '--bogus'\" '$T/stderr'"

# Option names are never abbreviated: getopt's prefix matching let `--token
# SECRET` reach --token-env, and then "no token: $SECRET is not set".
for form in "--token SECRET" "--token=SECRET"; do
	# shellcheck disable=SC2086 # the form is two words or one
	run_bin run --base a --head b $form
	expect_rc "run $form: exit 2, the option named" 2
	expect "run $form: exit 2, the option named" bash -c "grep -qx \"spin-gate: error: unknown option '--token'\" '$T/stderr' && grep -qx \"see 'spin-gate run --help'\" '$T/stderr'"
	expect "run $form: the value is not printed" bash -c "! grep -q SECRET '$T/stderr' '$T/stdout'"
done
run_bin run --bas a --head b
expect_rc "abbreviation --bas refused: exit 2" 2
expect "abbreviation --bas refused: exit 2" bash -c "grep -qx \"spin-gate: error: unknown option '--bas'\" '$T/stderr'"
run_bin judge --thr "$T/x.json" "$T/x.json"
expect_rc "judge: abbreviation --thr refused: exit 2" 2
expect "judge: abbreviation --thr refused: exit 2" bash -c "grep -qx \"spin-gate: error: unknown option '--thr'\" '$T/stderr' && grep -qx \"see 'spin-gate judge --help'\" '$T/stderr'"
run_bin post --verd "$T/x.md"
expect_rc "post: abbreviation --verd refused: exit 2" 2
expect "post: abbreviation --verd refused: exit 2" bash -c "grep -qx \"spin-gate: error: unknown option '--verd'\" '$T/stderr'"
# a token given where the variable's name goes is refused without printing it
for cmd in "run --base a --head b" "post --verdict v.md"; do
	run_bin $cmd --token-env ghp_SECRET0123
	expect "$cmd --token-env ghp_...: exit 2, called a token, not printed" bash -c "[ $rc -eq 2 ] &&
		grep -qx \"spin-gate: error: --token-env: that is a token, not the name of a variable holding one (put the token in the environment, e.g. GITHUB_TOKEN, and give that name)\" '$T/stderr' &&
		! grep -q SECRET '$T/stderr' '$T/stdout'"
	run_bin $cmd --token-env 'my token'
	expect "$cmd --token-env 'my token': exit 2, a name expected" bash -c "[ $rc -eq 2 ] &&
		grep -qx \"spin-gate: error: --token-env: expected the name of an environment variable (letters, digits and '_'), such as GITHUB_TOKEN\" '$T/stderr'"
done

run_bin run --base a --head b --quiet=SECRET
expect_rc "a flag given a value: exit 2, the value not printed" 2
expect "a flag given a value: exit 2, the value not printed" bash -c "grep -qx \"spin-gate: error: option '--quiet' takes no value\" '$T/stderr' && ! grep -q SECRET '$T/stderr'"
run_bin run --base a --head b --out
expect_rc "missing value: exit 2" 2
expect "missing value: exit 2" bash -c "grep -qx \"spin-gate: error: option '--out' needs a value\" '$T/stderr'"
for c in run judge post; do
	run_bin $c -h
	expect_rc "$c -h: usage on stdout, exit 0" 0
	expect "$c -h: usage on stdout, exit 0" bash -c "head -n 1 '$T/stdout' | grep -q '^usage: spin-gate $c ' && grep -q '^  -h, --help  *show this text\$' '$T/stdout' && [ ! -s '$T/stderr' ]"
	run_bin $c --help
	expect_rc "$c --help: the same as -h" 0
	expect "$c --help: the same as -h" bash -c "head -n 1 '$T/stdout' | grep -q '^usage: spin-gate $c '"
done
run_bin judge -h
expect "judge -h: the options and the exit status" bash -c "grep -q '^  --thresholds FILE   the checks' '$T/stdout' && grep -q '^exit status: 0 pass' '$T/stdout'"
run_bin post -h
expect "post -h: the options and the exit status" bash -c "grep -q '^  --verdict FILE  ' '$T/stdout' && grep -q '^Exit status: 0 posted' '$T/stdout'"

printf '{\n  "version": 1,\n  "checks": [\n    { "name": "x" "metric": "wall" }\n  ]\n}\n' >"$T/bad.json"
run_bin run --base a --head b --thresholds "$T/bad.json"
expect_rc "malformed thresholds: exit 2 with line and column" 2
expect "malformed thresholds: exit 2 with line and column" bash -c "grep -q \"cannot read '$T/bad.json': line 4, column\" '$T/stderr'"

sed 's/"ratio_max"/"ratio_mx"/' thresholds.json >"$T/typo.json"
run_bin run --base a --head b --thresholds "$T/typo.json"
expect_rc "unknown rule named with its field" 2
expect "unknown rule named with its field" bash -c "grep -q \"checks\\[[0-9]*\\].rule: unknown rule 'ratio_mx'\" '$T/stderr'"

run_bin run --base a --head b --suite "$T/nowhere"
expect_rc "missing suite: exit 2" 2
expect "missing suite: exit 2" bash -c "grep -q \"cannot read suite '$T/nowhere'\" '$T/stderr'"

# A raw NUL is not JSON: cJSON alone would read "\0x" as "" (fuzz/fuzz_suite.c).
mkdir -p "$T/nulsuite" "$T/emptysuite"
printf '{ "name": "\0x", "parameters": [], "command": ["true"] }\n' >"$T/nulsuite/suite.json"
run_bin run --base a --head b --suite "$T/nulsuite"
expect_rc "suite with a NUL byte: exit 2 naming it" 2
expect "suite with a NUL byte: exit 2 naming it" bash -c "grep -q 'contains a NUL byte' '$T/stderr'"
printf '{ "name": "", "parameters": [], "command": ["true"] }\n' >"$T/emptysuite/suite.json"
run_bin run --base a --head b --suite "$T/emptysuite"
expect_rc "suite with an empty name: exit 2 naming it" 2
expect "suite with an empty name: exit 2 naming it" bash -c "grep -q 'name: must not be empty' '$T/stderr'"

run_bin run --base a --head b --only flavour=x
expect_rc "--only with an unknown parameter: exit 2" 2
expect "--only with an unknown parameter: exit 2" bash -c "grep -q \"has no parameter 'flavour'\" '$T/stderr'"

run_bin run --base v0.16.0 --head 'main; touch pwned' --out "$T/o1" --cache "$T/cache" --quiet
expect_rc "unknown revision without --repo: exit 4 naming it" 4
expect "unknown revision without --repo: exit 4 naming it" bash -c "grep -q \"unknown revision 'main; touch pwned': not a release version\" '$T/stderr' && [ ! -e pwned ]"
expect "unknown head without --repo: found before the base is prepared" bash -c "! grep -q 'preparing' '$T/stderr' && test ! -e '$T/cache/envs'"

# Every revision is resolved before any is prepared: an unknown --head in
# --repo is refused before --base's setup runs (minutes for a real project),
# with nothing written in the cache.
GSUITE=$T/gsuite
mkdir -p "$GSUITE"
cp "$ROOT/tests/fixtures/fakesuite/setup.sh" "$ROOT/tests/fixtures/fakesuite/fake-hyperfine" "$GSUITE/"
sed 's|"setup": {|"setup": { "git": ["${suite_dir}/setup.sh", "${commit}", "${env}"],|' \
	"$ROOT/tests/fixtures/fakesuite/suite.json" >"$GSUITE/suite.json"
printf '{ "version": 1, "checks": [ { "name": "cpu", "metric": "cpu", "rule": "ratio_max", "value": 2 } ] }\n' >"$T/gthresholds.json"
bash "$ROOT/tests/fixtures/spinpkg-repo.sh" "$T/repo" spin park
grun() { # grun BASE HEAD: run on the git suite, --rebuild, its own cache
	run_bin run --repo "$T/repo" --suite "$GSUITE" --thresholds "$T/gthresholds.json" \
		--base "$1" --head "$2" --rebuild --out "$T/o-git" --cache "$T/gcache" \
		--hyperfine "$GSUITE/fake-hyperfine" --runs 2 --warmup 0
}
grun spin nosuchrev
expect_rc "run: an unknown git head: exit 4, the only message" 4
expect "run: an unknown git head: exit 4, the only message" bash -c "[ \"\$(cat '$T/stderr')\" = \"spin-gate: error: unknown revision 'nosuchrev' in repository '$T/repo'\" ]"
expect "run: with an unknown git head, the base is not prepared" bash -c "! grep -q 'preparing' '$T/stderr' && test ! -e '$T/gcache/envs' && test ! -e '$T/gcache/worktrees'"
grun nosuchbase nosuchrev
expect_rc "run: two unknown revisions: both named, exit 4" 4
expect "run: two unknown revisions: both named, exit 4" bash -c "grep -q \"unknown revision 'nosuchbase'\" '$T/stderr' && grep -q \"unknown revision 'nosuchrev'\" '$T/stderr'"
grun spin park
expect "run: two known git revisions are both prepared" bash -c "[ \$(grep -c 'preparing git' '$T/stderr') -eq 2 ] && test -s '$T/o-git/results.json'"

run_bin run --base v0.16.0 --head v0.16.1 --out "$T/o2" --hyperfine "$T/no-hyperfine"
expect_rc "missing hyperfine: exit 4 with advice" 4
expect "missing hyperfine: exit 4 with advice" bash -c "[ \"\$(cat '$T/stderr')\" = \"spin-gate: error: cannot run '$T/no-hyperfine': not found; install hyperfine (Debian: apt-get install hyperfine)\" ]"

# found but not hyperfine: no advice to install it, what it did instead
run_bin run --base v0.16.0 --head v0.16.1 --out "$T/o3" --hyperfine /bin/false
expect_rc "--hyperfine /bin/false: exit 4, not a working hyperfine" 4
expect "--hyperfine /bin/false: exit 4, not a working hyperfine" bash -c "[ \"\$(cat '$T/stderr')\" = \"spin-gate: error: '/bin/false' is not a working hyperfine: '/bin/false --version' exited with 1\" ]"

# a hyperfine below the floor (Ubuntu 22.04's apt gives 1.12; a fake prints 1.10.0), or past
# the last major spin-gate reads: exit 2 before anything is prepared or OUT is made, naming
# the version found, the versions read and how to get one (issue 21)
INSTALL="install one (Debian 12 and Ubuntu 24.04: apt-get install hyperfine; any Linux: pip install astral-dev-toolchain-hyperfine, or cargo install --locked hyperfine) and give it with --hyperfine PATH if it is not the first in PATH"
for v in 1.10.0 3.0.0; do
	printf '#!/bin/sh\necho "hyperfine %s"\n' "$v" >"$T/hyperfine-$v"
	chmod +x "$T/hyperfine-$v"
done
run_bin run --base v0.16.0 --head v0.16.1 --out "$T/o4" --cache "$T/c4" --hyperfine "$T/hyperfine-1.10.0"
expect_rc "hyperfine 1.10.0: exit 2, too old, what to install" 2
expect "hyperfine 1.10.0: exit 2, too old, what to install" bash -c "[ \"\$(cat '$T/stderr')\" = \"spin-gate: error: '$T/hyperfine-1.10.0' is hyperfine 1.10.0, older than spin-gate reads (hyperfine 1.15.0 to 2.x): $INSTALL\" ]"
expect "hyperfine 1.10.0: nothing prepared, OUT not made" bash -c "test ! -e '$T/o4' && test ! -e '$T/c4'"
run_bin compare v0.16.0 v0.16.1 --out "$T/o5" --cache "$T/c5" --hyperfine "$T/hyperfine-3.0.0"
expect_rc "compare, hyperfine 3.0.0: exit 2, newer than read" 2
expect "compare, hyperfine 3.0.0: exit 2, newer than read" bash -c "grep -q \"is hyperfine 3.0.0, newer than spin-gate reads (hyperfine 1.15.0 to 2.x; its export may be a schema spin-gate does not know): \" '$T/stderr' && test ! -e '$T/o5' && test ! -e '$T/c5'"

# judge: stored results, no runs
cp tests/fixtures/results-fixed.json "$T/fixed.json"
run_bin judge --out "$T/j1" "$T/fixed.json"
expect "judge fixed: pass (exit 0)" test "$rc" -eq 0
expect "judge writes verdict.md and results.json" bash -c "[ -s '$T/j1/verdict.md' ] && python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); assert r[\"verdict\"]==\"pass\" and r[\"checks\"]' '$T/j1/results.json'"
cp tests/fixtures/results-spin.json "$T/spin.json"
run_bin judge --out "$T/j2" "$T/spin.json"
expect "judge spin: fail (exit 1)" test "$rc" -eq 1
expect "judge spin: idle-cpu and idle-system fail" bash -c "grep -q 'idle-cpu' '$T/j2/verdict.md' && python3 -c '
import json,sys; r=json.load(open(sys.argv[1]))
f={c[\"check\"] for c in r[\"checks\"] if c[\"status\"]==\"fail\"}
assert {\"idle-cpu\",\"idle-system\"} <= f, f' '$T/j2/results.json'"
python3 -c '
import json,sys; t=json.load(open("thresholds.json"))
t["checks"]=[c for c in t["checks"] if not c["name"].startswith("idle")]
json.dump(t,open(sys.argv[1],"w"))' "$T/no-idle.json"
run_bin judge --thresholds "$T/no-idle.json" --out "$T/j3" "$T/spin.json"
expect "judge with other thresholds: only their checks, re-judged" python3 -c '
import json,sys; r=json.load(open(sys.argv[1]))
names={c["check"] for c in r["checks"]}
assert names == {"wall","saturation","saturation-budget"}, names
# the spinning head of the fixture is also 14% slower on the heavy partitioned scenario
assert {c["check"] for c in r["checks"] if c["status"]=="fail"} == {"wall"}
' "$T/j3/results.json"
# post takes the verdict word from results.json, not from the markdown
: >"$T/gh-output"
GITHUB_OUTPUT=$T/gh-output GITHUB_STEP_SUMMARY=$T/gh-summary run_bin post --verdict "$T/j2/verdict.md" --results "$T/j2/results.json" --comment off
expect "post --comment off: exit 0" test "$rc" -eq 0
expect "post takes 'fail' from results.json" grep -qx 'verdict=fail' "$T/gh-output"
expect "post writes the verdict to the step summary" grep -q '^<!-- spin-gate:spin-gate -->' "$T/gh-summary"
: >"$T/gh-output"
GITHUB_OUTPUT=$T/gh-output GITHUB_STEP_SUMMARY=$T/gh-summary run_bin post --verdict "$T/j2/verdict.md" --comment off
expect "post without results.json: no verdict word, whatever the markdown says" sh -c 'test "$1" -eq 0 && grep -qx "verdict=" "$2" && grep -q "^verdict-line=.*FAIL" "$2"' _ "$rc" "$T/gh-output"

run_bin judge "$T/bad.json"
expect_rc "judge on a non-results file: exit 2" 2
expect "judge on a non-results file: exit 2" bash -c "grep -q \"cannot read '$T/bad.json'\" '$T/stderr'"

# An empty --out or --cache would write "/results.json", "/envs/...": refused
# before anything is prepared, as is a directory that is (or becomes) "/".
for args in "--out=" "--out=/" "--out=/tmp/.." "--out=/no-such-dir/.." "--cache=" "--cache=//"; do
	opt=${args%%=*}
	run_bin run --suite "$ROOT/tests/fixtures/fakesuite" --base 1.0 --head 2.0 "$args"
	expect_rc "run $args: exit 2, the option named" 2
	expect "run $args: exit 2, the option named" bash -c "grep -Eq \"^spin-gate: error: $opt (is empty: give a directory|'.*' is the root directory: give a directory of its own)\$\" '$T/stderr'"
done
SPIN_GATE_CACHE=/ run_bin run --suite "$ROOT/tests/fixtures/fakesuite" --base 1.0 --head 2.0 --out "$T/o-root"
expect_rc "SPIN_GATE_CACHE=/: exit 2, where it came from named" 2
expect "SPIN_GATE_CACHE=/: exit 2, where it came from named" bash -c "grep -q \"the cache directory (from \\\$SPIN_GATE_CACHE, \\\$XDG_CACHE_HOME or \\\$HOME) '/' is the root directory\" '$T/stderr' && [ ! -e '$T/o-root' ]"

e2e_done
