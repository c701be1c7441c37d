#!/usr/bin/env bash
# spin-gate-test: slow (skipped by tests/run.sh --e2e-fast, e.g. under make asan)
# The composite action (action.yml) end to end, run here as a runner would by
# tests/action/run_action.py (its header lists what it does not emulate):
# a pull_request event goes in; the gate measures two git revisions of the
# fixture package (tests/fixtures/spinpkg) with the fixture suite; the verdict
# reaches the job summary, the outputs and a comment on the local GitHub
# stand-in (@octokit/fixtures-server replaying tests/github/fixtures/*.json
# behind the recording proxy of the `post` tests); the step's exit status
# follows fail-on.
#
# Cases: the harness itself (file commands, if:, unsupported expressions);
# a same-repository pull request that passes, posted as a sticky comment and,
# on a second run, updated rather than added; one that fails (the comment is
# still posted, the step fails; with fail-on: never it does not); a fork's
# read-only token (warning, summary, no failure from posting); invalid inputs
# stop before anything is built or measured.
. "$(dirname "$0")/lib.sh"
. "$ROOT/tests/github/e2e-lib.sh"

RA=$ROOT/tests/action/run_action.py
bash "$ROOT/tests/action/setup.sh" >"$T/action-setup.log" 2>&1 ||
	{ not_ok "install the action's test tools" "$(tail -5 "$T/action-setup.log")"; e2e_done; }
gh_setup

# ---- the harness on a small action of its own: file commands, if:, expressions
mkdir -p "$T/selftest"
cat >"$T/selftest/action.yml" <<'YAML'
name: selftest
description: run_action.py's own test
inputs:
  who: { description: x, default: "${{ github.repository }}" }
  mode: { description: x, default: ok }
outputs:
  multi: { description: x, value: "${{ steps.one.outputs.multi }}" }
  seen: { description: x, value: "${{ steps.two.outputs.seen }}" }
  skipped: { description: x, value: "${{ steps.three.outcome }}" }
runs:
  using: composite
  steps:
    - id: one
      shell: bash
      env: { WHO: "${{ inputs.who }}", PR: "${{ github.event.pull_request.number }}" }
      run: |
        printf 'multi<<EOF_1\nline 1 %s\nline 2 %s\nEOF_1\n' "$WHO" "$PR" >>"$GITHUB_OUTPUT"
        echo "FROM_ENV=set by one" >>"$GITHUB_ENV"
        mkdir -p "$RUNNER_TEMP/bin" && printf '#!/bin/sh\necho tool ran\n' >"$RUNNER_TEMP/bin/sgtool"
        chmod +x "$RUNNER_TEMP/bin/sgtool" && echo "$RUNNER_TEMP/bin" >>"$GITHUB_PATH"
        echo "# summary of one" >>"$GITHUB_STEP_SUMMARY"
    - id: two
      shell: bash
      if: steps.one.outputs.multi != '' && inputs.mode == 'OK'
      run: echo "seen=$FROM_ENV/$(sgtool)/$GITHUB_REF/$GITHUB_ACTIONS" >>"$GITHUB_OUTPUT"
    - id: three
      shell: bash
      if: ${{ failure() }}
      run: echo never
    - uses: actions/cache@v4
      with: { path: x, key: y }
YAML
printf '{"number": 12, "pull_request": {"number": 12, "head": {"sha": "abc"}, "base": {"sha": "def"}}}' >"$T/self-event.json"
selftest() { # selftest OUTDIR [--input ...]
	local o=$1
	shift
	python3 "$RA" run "$T/selftest" --event "$T/self-event.json" --repository octo/self \
		--workspace "$T" --runner-temp "$T/self-tmp" --out "$o" "$@" >"$T/stdout" 2>"$T/stderr"
	rc=$?
}
selftest "$T/self1"
expect "harness: a good action exits 0" test "$rc" = 0
expect "harness: multi-line output, input default from github.*, event field" python3 -c '
import json, sys; o = json.load(open(sys.argv[1]))
assert o["multi"] == "line 1 octo/self\nline 2 12", o' "$T/self1/outputs.json"
expect "harness: GITHUB_ENV and GITHUB_PATH reach the next step; if: on outputs and inputs" \
	grep -qx '  "seen": "set by one/tool ran/refs/pull/12/merge/true",' "$T/self1/outputs.json"
expect "harness: if: failure() skips after success" grep -q '"skipped": "skipped"' "$T/self1/outputs.json"
expect "harness: uses: steps are not run, and it says so" grep -q "NOT RUN: run_action.py does not run 'uses: actions/cache@v4'" "$T/self1/log.txt"
expect "harness: step summaries make the job summary" grep -qx '# summary of one' "$T/self1/summary.md"
selftest "$T/self2" --input mode=other
expect "harness: an if: that is false skips the step" grep -q '"seen": ""' "$T/self2/outputs.json"
selftest "$T/self3" --input mdoe=x
expect "harness: an undeclared input is an error (exit 2)" sh -c "test $rc = 2 && grep -q \"unexpected input 'mdoe'\" '$T/stderr'"
sed 's/steps.one.outputs.multi != /hashFiles(\x27x\x27) != /' "$T/selftest/action.yml" >"$T/selftest/a2" && mv "$T/selftest/a2" "$T/selftest/action.yml"
selftest "$T/self4"
expect "harness: an unsupported expression stops the run (exit 2)" sh -c "test $rc = 2 && grep -q 'unsupported function hashFiles()' '$T/stderr'"

# ---- the stand-in: fixtures-server behind the recording proxy (127.0.0.1, bounded lifetimes)
PP=$(free_port)
start_bg 900 "$T/fixtures.log" node "$GH_DIR/fixtures-server.mjs" --port-file "$T/fixtures.port" \
	--fixtures-url "http://127.0.0.1:$PP" --lifetime 900
wait_for 20 test -s "$T/fixtures.port" || { not_ok "fixtures server starts" "$(cat "$T/fixtures.log")"; e2e_done; }
FP=$(cat "$T/fixtures.port")
start_bg 900 "$T/proxy.log" node "$GH_DIR/proxy.mjs" --port "$PP" --upstream "http://127.0.0.1:$FP" \
	--log "$T/requests.jsonl" --port-file "$T/proxy.port" --lifetime 900
wait_for 20 test -s "$T/proxy.port" || { not_ok "proxy starts" "$(cat "$T/proxy.log")"; e2e_done; }
methods() { gh_log "[x['method'] for x in r] == $1"; }

# ---- a pull request's repository: the fixture package at spin, park and regress
repo=$T/ws/project
bash "$ROOT/tests/fixtures/spinpkg-repo.sh" "$repo" spin park
export SPIN_GATE_CACHE=$T/cache

# event FILE BASE HEAD FORK(0|1): a pull_request payload like GitHub's, trimmed
event() {
	python3 - "$@" "$T/pwned" <<'PY'
import json, sys
path, base, head, fork, pwned = sys.argv[1:6]
fork = fork == "1"
head_repo = "contributor/hello-world" if fork else "octocat/hello-world"
repo = {"full_name": "octocat/hello-world", "name": "hello-world", "owner": {"login": "octocat"},
        "fork": False, "default_branch": "main"}
json.dump({"action": "synchronize", "number": 1347,
  "pull_request": {"number": 1347, "state": "open",
    "title": f'idle workers park "$(touch {pwned})" `touch {pwned}`',
    "user": {"login": "contributor" if fork else "octocat"},
    "merge_commit_sha": "e5bd3914e2e596debea16f433f57875b5b90bcd6",
    "head": {"ref": "park-idle-workers", "sha": head, "label": head_repo.split("/")[0] + ":park-idle-workers",
             "repo": dict(repo, full_name=head_repo, fork=fork, owner={"login": head_repo.split("/")[0]})},
    "base": {"ref": "main", "sha": base, "label": "octocat:main", "repo": repo}},
  "repository": repo, "sender": {"login": "contributor" if fork else "octocat"}},
  open(path, "w"), indent=1)
PY
}
SPIN=$(git -C "$repo" rev-parse spin)
PARK=$(git -C "$repo" rev-parse park)
event "$T/pr-pass.json" "$SPIN" "$PARK" 0
event "$T/pr-fork.json" "$SPIN" "$PARK" 1

# action NAME EVENT [--input ...]: run action.yml with the fixture suite on its
# idle scenario (the one the spin/park commits change; the CPU-heavy ones are
# left out as too noisy for a 3-round test on a shared 2-core machine); every
# case shares one RUNNER_TEMP, so the checker is built once (as a cache hit would)
action() {
	local name=$1 ev=$2
	shift 2
	A=$T/run-$name
	local t0=$SECONDS
	RUN_ACTION_TOKEN=$GH_TOKEN_VALUE python3 "$RA" run "$ROOT" --event "$ev" --repository octocat/hello-world \
		--workspace "$T/ws" --runner-temp "$T/runner-temp" --out "$A" --api-url "$API" \
		--input repo=project --input suite="$ROOT/tests/fixtures/spinsuite" \
		--input thresholds="$ROOT/thresholds.json" --input runs=3 --input max-runs=20 \
		--input "only=long_input=True
heavy_map=False" "$@" \
		>"$T/stdout" 2>"$T/stderr"
	rc=$?
	took=$((SECONDS - t0))
	cp "$T/stdout" "$A.stdout"
}
output() { python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$A/outputs.json" "$1"; }
output_is() { [ "$(output "$1")" = "$2" ]; }
posted_body() { # posted_body GATE-NAME REQUEST-INDEX TEXT
	gh_log "json.loads(r[$2]['body'])['body'].startswith('<!-- spin-gate:$1 -->') and '$3' in json.loads(r[$2]['body'])['body']"
}

# 1. same-repository pull request, spin -> park: passes; the sticky comment is created
load action-sticky
action pass "$T/pr-pass.json" --input name=perf
expect "pass: the action succeeds (exit 0, ${took}s)" test "$rc" = 0
expect "pass: base and head default to the event's shas" python3 -c '
import json, sys; r = json.load(open(sys.argv[1]))["revisions"]
assert (r["base"]["resolved"], r["head"]["resolved"]) == (sys.argv[2], sys.argv[3]), r' "$(output results)" "$SPIN" "$PARK"
expect "pass: output verdict=pass" output_is verdict pass
expect "pass: output exit-code=0" output_is exit-code 0
expect "pass: output results is the results.json" python3 -c '
import json, sys; r = json.load(open(sys.argv[1])); assert r["verdict"] == "pass"' "$(output results)"
expect "pass: the comment was created on the stand-in (who the token is, list, then POST)" methods "['GET', 'GET', 'POST']"
expect "pass: the posted comment is the verdict, with the gate's marker" posted_body perf 2 PASS
expect "pass: output comment-url is the created comment" grep -q '"comment-url": "http://127.0.0.1:.*issuecomment-5101"' "$A/outputs.json"
expect "pass: the job summary holds the verdict" sh -c "grep -q '<!-- spin-gate:perf -->' '$A/summary.md' && grep -q PASS '$A/summary.md'"
expect "pass: the checker was built from the action's sources into RUNNER_TEMP" test -x "$T/runner-temp/spin-gate-build/spin-gate"
expect "pass: actions/cache is named as not run" grep -q "NOT RUN: .*actions/cache" "$A/log.txt"
expect "pass: every run step succeeded (the sharding and record steps skipped)" python3 -c '
import json, sys; s = json.load(open(sys.argv[1]))
skipped = ("cache", "upload", "record", "shard-keep", "shard-upload", "shard-download", "merge")
assert all(x["outcome"] == ("skipped" if x["id"] in skipped else "success") for x in s), s' "$A/steps.json"
expect "pass: actions/upload-artifact is named as not run, the report beside the results" bash -c "
	grep -q 'NOT RUN: .*actions/upload-artifact@v4' '$A/log.txt' && [ -s \"\$(dirname '$(output results)')/report.html\" ]"
expect "pass: the job summary names the report's artifact" grep -q 'is in the artifact spin-gate-perf of this run' "$A/summary.md"
expect "pass: the pull request's title ran nowhere" test ! -e "$T/pwned"

# 2. the same pull request again: the sticky comment is updated, not added; the
# upload step's artifact-url (given to the harness: it runs no uses: step) is
# linked under the verdict line of the comment and the job summary
ART=https://github.com/octocat/hello-world/actions/runs/4242/artifacts/987
action again "$T/pr-pass.json" --input name=perf --uses-output "upload.artifact-url=$ART"
expect "again: the action succeeds (exit 0, ${took}s)" test "$rc" = 0
expect "again: list, then PATCH of the comment the first run made (no second POST)" \
	gh_log "[(x['method'], x['path'].rsplit('/', 1)[-1]) for x in r][3:] == [('GET', 'user'), ('GET', 'comments?per_page=100'), ('PATCH', '5101')]"
expect "again: every request of the conversation made" consumed
expect "again: the update carries the new verdict" posted_body perf 5 PASS
expect "again: output comment-url is the same comment" grep -q 'comment-url.*issuecomment-5101' "$A/outputs.json"
expect "again: the comment links the uploaded report" posted_body perf 5 "[download the artifact]($ART)"
expect "again: the job summary links it once, under the verdict line" python3 -c '
import sys; t = open(sys.argv[1]).read(); l = t.split("\n")
assert t.count(sys.argv[2]) == 1 and "is in the artifact" not in t, t
assert l[l.index(next(x for x in l if "PASS" in x)) + 2].endswith(sys.argv[2]), l[:6]' "$A/summary.md" "[download the artifact]($ART)"

# 3. failing: park -> spin (idle CPU regresses). The comment is posted, then the step fails.
load no-comment
action fail "$T/pr-pass.json" --input base=park --input head=spin
expect "fail: the action fails (exit 1)" test "$rc" = 1
expect "fail: output verdict=fail, exit-code=1" sh -c 'grep -q "\"verdict\": \"fail\"" "$1" && grep -q "\"exit-code\": \"1\"" "$1"' _ "$A/outputs.json"
expect "fail: the comment was still posted" methods "['GET', 'GET', 'POST']"
expect "fail: the posted verdict (default gate name) names idle-cpu" posted_body spin-gate 2 idle-cpu
expect "fail: the job summary holds the verdict" grep -q 'FAIL.*idle-cpu' "$A/summary.md"
expect "fail: the failing step is 'Decide the outcome'" python3 -c '
import json, sys; s = json.load(open(sys.argv[1]))
assert [x["id"] for x in s if x["outcome"] == "failure"] == ["decide"], s' "$A/steps.json"
expect "fail: annotated as an error" grep -q '^::error title=spin-gate::a check failed' "$A/log.txt"

# 4. failing with fail-on: never, no comment: the step passes
: >"$T/requests.jsonl"
action never "$T/pr-pass.json" --input base=park --input head=spin --input fail-on=never \
	--input comment=off --input all-checks=true
expect "fail-on never: the action succeeds (exit 0)" test "$rc" = 0
expect "fail-on never: output verdict=fail" output_is verdict fail
expect "fail-on never: only the filtered scenario ran" python3 -c '
import json, sys; r = json.load(open(sys.argv[1])); assert len(r["scenarios"]) == 1, len(r["scenarios"])' "$(output results)"
expect "all-checks: passed on to the gate" python3 -c '
import json, sys; r = json.load(open(sys.argv[1])); assert r["settings"]["all_checks"] is True' "$(output results)"
expect "comment off: nothing sent to GitHub" test ! -s "$T/requests.jsonl"
expect "comment off: the summary still has the verdict" grep -q 'FAIL' "$A/summary.md"

# 5. a fork's pull request: the token is read-only; a warning, not a failure
load fork-readonly
action fork "$T/pr-fork.json"
expect "fork: the action succeeds (exit 0)" test "$rc" = 0
expect "fork: output verdict=pass, comment-url empty" sh -c 'grep -q "\"verdict\": \"pass\"" "$1" && grep -q "\"comment-url\": \"\"" "$1"' _ "$A/outputs.json"
expect "fork: the comment was attempted (who 403, list, POST 403)" gh_log "[(x['method'], x['status']) for x in r] == [('GET', 403), ('GET', 200), ('POST', 403)]"
expect "fork: explained as a read-only token" grep -q 'warning: .*pull request from a fork is read-only' "$A/log.txt"
expect "fork: ::warning:: annotation names workflow_run" grep -q '^::warning title=spin-gate%3A read-only token::.*workflow_run' "$A/log.txt"
expect "fork: the job summary holds the verdict" grep -q 'PASS' "$A/summary.md"
expect "fork: no error annotation" fails grep -q '^::error' "$A/log.txt"

# 6. invalid inputs stop at the first step: nothing built or measured
: >"$T/requests.jsonl"
action bad "$T/pr-pass.json" --input fail-on=sometimes --input comment=sticky-ish --input all-checks=yes
expect "bad inputs: the action fails (exit 1)" test "$rc" = 1
expect "bad inputs: all three named" sh -c "grep -q \"fail-on: 'sometimes'\" '$A/log.txt' && grep -q \"comment: 'sticky-ish'\" '$A/log.txt' && grep -q \"all-checks: 'yes' is not true or false\" '$A/log.txt'"
expect "bad inputs: no later step ran" python3 -c '
import json, sys; s = json.load(open(sys.argv[1]))
assert s[0]["outcome"] == "failure" and all(x["outcome"] == "skipped" for x in s[1:]), s' "$A/steps.json"
expect "bad inputs: nothing posted" test ! -s "$T/requests.jsonl"

# 7. the benchmarked code replaces the checker between the gate and the posting
# step (it runs as the same user): the step holding the token refuses to run it
mkdir -p "$T/evil"
cat >"$T/evil/suite.json" <<'JSON'
{ "name": "evil", "parameters": [],
  "command": ["sh", "-c", "cp --remove-destination /bin/true \"$$RUNNER_TEMP/spin-gate-build/spin-gate\""],
  "setup": { "git": ["true"] } }
JSON
cat >"$T/evil/wall.json" <<'JSON'
{ "version": 1, "runs": 2, "max_runs": 2, "checks": [ { "name": "wall", "metric": "wall", "rule": "ratio_max", "value": 100 } ] }
JSON
mkdir -p "$T/runner-temp-evil" && cp -a "$T/runner-temp/spin-gate-build" "$T/runner-temp-evil/"
: >"$T/requests.jsonl"
A=$T/run-evil
RUN_ACTION_TOKEN=$GH_TOKEN_VALUE python3 "$RA" run "$ROOT" --event "$T/pr-pass.json" --repository octocat/hello-world \
	--workspace "$T/ws" --runner-temp "$T/runner-temp-evil" --out "$A" --api-url "$API" \
	--input repo=project --input suite="$T/evil" --input thresholds="$T/evil/wall.json" \
	>"$T/stdout" 2>"$T/stderr"
rc=$?
expect "replaced checker: the action fails (exit 1)" test "$rc" = 1
expect "replaced checker: the posting step refuses, saying why" grep -q "^::error title=spin-gate::the checker '.*' changed after it was built (the benchmarked code may have replaced it): not posting with the token" "$A/log.txt"
expect "replaced checker: the failing step is the posting step" python3 -c '
import json, sys; s = json.load(open(sys.argv[1]))
assert [x["id"] for x in s if x["outcome"] == "failure"] == ["post"], s' "$A/steps.json"
expect "replaced checker: nothing sent to GitHub" test ! -s "$T/requests.jsonl"

e2e_done
