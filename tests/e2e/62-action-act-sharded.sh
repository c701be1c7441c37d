#!/usr/bin/env bash
# spin-gate-test: slow (skipped by tests/run.sh --e2e-fast, e.g. under make asan)
# A sharded gate run as a real workflow by nektos/act (tests/act/setup.sh
# builds it; `make deps` runs that): examples/workflows/spin-gate-sharded.yml
# as shipped, its `uses: org/spin-gate@v1` served from this tree. act runs in
# host mode (-P ubuntu-24.04=-self-hosted, no Docker), offline: the matrix of
# 3 measuring jobs, the merging job that `needs` them, actions/checkout (act
# copies the local repository), and artifacts through act's own artifact
# server (--artifact-server-path). The actions act would fetch from GitHub
# are the stand-ins of tests/act/stand-ins (upload-artifact and
# download-artifact speak act's artifact API; cache is a local directory),
# mapped by --local-repository. The GitHub API is the stand-in of the other
# action tests: @octokit/fixtures-server replaying tests/github/fixtures/
# no-comment.json behind the recording proxy, reached via GITHUB_API_URL.
#
# The suite: 4 scenarios (n=1,2 x kind=spin,flat) of a git repository whose
# base and head commits differ only in a version file, timed by the fake
# hyperfine of tests/fixtures/fakesuite (on PATH as `hyperfine`), so the
# verdict is exact and a run takes seconds: head spins (10x CPU), a FAIL.
#
# act v0.2.89's host mode may drop the last lines a FAILING step printed (it
# returns from a failed command before draining the pty), so the failing
# step's outcome is read from act's status lines and ::set-output:: lines,
# never from what that step printed.
#
# Cases: one measuring job alone uploads its shard and posts nothing (and
# builds the checker into the cache stand-in for the later runs); every shard measures its own slice and uploads it; the merge job
# downloads all 3, merges (the same verdict as `spin-gate merge` of the
# three artifacts here) and makes ONE comment on the stand-in holding the
# merged verdict; no shard comments; the merged report is uploaded; the
# merge job fails on the FAIL (fail-on: fail), the shards do not. Then a run
# with one shard left out of the matrix: merge refuses (the missing shard
# named), nothing is posted, the merge job fails. Shard 1 with the merged
# results.json as `timings`: balanced by those run times. Last, the unsharded example
# (spin-gate.yml) in one job: the cached checker restored, the report
# uploaded, one comment with the same checks as the merged one.
. "$(dirname "$0")/lib.sh"
. "$ROOT/tests/github/e2e-lib.sh"

ACT_PIDS=()
act_stop() { # act and every process of its jobs: each act runs in its own session
	local p
	for p in "${ACT_PIDS[@]}"; do kill -TERM -- "-$p" 2>/dev/null; done
	for p in "${ACT_PIDS[@]}"; do wait "$p" 2>/dev/null; done
	ACT_PIDS=()
}
trap 'act_stop; gh_stop; rm -rf "$T"' EXIT

ACT=$(bash "$ROOT/tests/act/setup.sh" 2>"$T/act-setup.log") ||
	{ not_ok "act is installed (make deps builds it with tests/act/setup.sh)" "$(tail -5 "$T/act-setup.log")"; e2e_done; }
gh_setup

# ---- the GitHub stand-in (127.0.0.1, bounded lifetimes)
PP=$(free_port)
start_bg 600 "$T/fixtures.log" node "$GH_DIR/fixtures-server.mjs" --port-file "$T/fixtures.port" \
	--fixtures-url "http://127.0.0.1:$PP" --lifetime 600
wait_for 20 test -s "$T/fixtures.port" || { not_ok "fixtures server starts" "$(cat "$T/fixtures.log")"; e2e_done; }
FP=$(cat "$T/fixtures.port")
start_bg 600 "$T/proxy.log" node "$GH_DIR/proxy.mjs" --port "$PP" --upstream "http://127.0.0.1:$FP" \
	--log "$T/requests.jsonl" --port-file "$T/proxy.port" --lifetime 600
wait_for 20 test -s "$T/proxy.port" || { not_ok "proxy starts" "$(cat "$T/proxy.log")"; e2e_done; }

# ---- the pull request's repository: the suite in ./spin-gate (the action's
# default), base and head commits, the example workflow as shipped
proj=$T/proj
mkdir -p "$proj/spin-gate" "$proj/.github/workflows" "$T/bin"
cat >"$proj/spin-gate/suite.json" <<'JSON'
{ "name": "act-fixture",
  "description": "tests/e2e/62: runs timed by the fake hyperfine of tests/fixtures/fakesuite",
  "parameters": [ { "name": "n", "values": ["1", "2"] }, { "name": "kind", "values": ["spin", "flat"] } ],
  "command": ["${env}/run", "${n}", "${kind}"],
  "cores": "1",
  "timeout": 10,
  "setup": { "git": ["${suite_dir}/setup.sh", "${worktree}", "${env}"], "timeout": 10 } }
JSON
cat >"$proj/spin-gate/setup.sh" <<'SH'
#!/bin/sh
# setup.sh WORKTREE ENV: an environment that only says which version the commit is
set -eu
mkdir -p "$2"
cp "$1/version" "$2/version"
printf '#!/bin/sh\nexit 0\n' >"$2/run"
chmod +x "$2/run"
SH
chmod +x "$proj/spin-gate/setup.sh"
cat >"$proj/spin-gate/thresholds.json" <<'JSON'
{ "version": 1, "confidence": 0.95, "runs": 3, "max_runs": 8,
  "checks": [
    { "name": "cpu", "where": { "kind": "spin" }, "metric": "cpu", "rule": "ratio_max", "value": 2 },
    { "name": "wall", "metric": "wall", "rule": "ratio_max", "value": 1.1 } ] }
JSON
cp "$ROOT/examples/workflows/spin-gate-sharded.yml" "$ROOT/examples/workflows/spin-gate.yml" "$proj/.github/workflows/"
git -C "$proj" init -q
git -C "$proj" config user.email t@example.invalid
git -C "$proj" config user.name test
git -C "$proj" remote add origin https://github.com/octocat/hello-world.git # act's GITHUB_REPOSITORY
echo 1.0 >"$proj/version"
git -C "$proj" add -A && git -C "$proj" commit -q -m base
echo 2.0 >"$proj/version"
git -C "$proj" commit -q -am "head: spins"
BASE=$(git -C "$proj" rev-parse HEAD~1)
HEAD=$(git -C "$proj" rev-parse HEAD)
cp "$ROOT/tests/fixtures/fakesuite/fake-hyperfine" "$T/bin/hyperfine"
python3 - "$T/event.json" "$BASE" "$HEAD" <<'PY'
import json, sys
path, base, head = sys.argv[1:4]
repo = {"full_name": "octocat/hello-world", "name": "hello-world", "owner": {"login": "octocat"}, "fork": False}
json.dump({"action": "synchronize", "number": 1347,
  "pull_request": {"number": 1347, "head": {"ref": "spin", "sha": head, "repo": repo},
                   "base": {"ref": "main", "sha": base, "repo": repo}},
  "repository": repo, "sender": {"login": "octocat"}}, open(path, "w"))
PY

# The action as its repository holds it (what `uses: org/spin-gate@v1` fetches):
# what the action builds and reads, without this tree's build/ and node_modules.
mkdir -p "$T/action"
cp -r "$ROOT/action.yml" "$ROOT/Makefile" "$ROOT/thresholds.json" "$ROOT/src" "$ROOT/scenarios" "$T/action/"

# act_run NAME [ACT-ARGS...]: the sharded workflow under act, bounded; its log
# in $T/NAME.log, its artifacts in $T/NAME-artifacts; sets $rc and $took
act_run() {
	local name=$1 t0=$SECONDS port
	shift
	port=$(free_port)
	S=$ROOT/tests/act/stand-ins
	(
		cd "$proj" || exit 2
		export HOME=$T/home XDG_CONFIG_HOME=$T/home/.config XDG_CACHE_HOME=$T/home/.cache
		export ACT_DISABLE_VERSION_CHECK=1 PATH="$T/bin:$PATH"
		export SPIN_GATE_ACT_STANDINS=$S SPIN_GATE_ACT_CACHE=$T/build-cache SPIN_GATE_CACHE=$T/sg-cache
		exec setsid timeout -k 5 300 "$ACT" "${EVENT:-pull_request}" -e "${EVENT_FILE:-$T/event.json}" \
			-W ".github/workflows/${WF:-spin-gate-sharded.yml}" -P ubuntu-24.04=-self-hosted \
			--action-offline-mode --action-cache-path "$T/act-$name" --no-cache-server \
			--artifact-server-path "$T/$name-artifacts" --artifact-server-addr 127.0.0.1 \
			--artifact-server-port "$port" \
			--local-repository "org/spin-gate@v1=$T/action" \
			--local-repository "actions/upload-artifact@v4=$S/upload-artifact" \
			--local-repository "actions/download-artifact@v4=$S/download-artifact" \
			--local-repository "actions/cache@v4=$S/cache" \
			-s "GITHUB_TOKEN=$GH_TOKEN_VALUE" --env "GITHUB_API_URL=$API" \
			--env SPIN_GATE_HTTP_TIMEOUT=10 --env SPIN_GATE_HTTP_DEADLINE=60 "$@"
	) >"$T/$name.log" 2>&1 &
	ACT_PIDS+=("$!")
	wait "$!"
	rc=$?
	took=$((SECONDS - t0))
	cp "$T/$name.log" "${TMPDIR:-/tmp}/spin-gate-e2e-62-$name.log" 2>/dev/null # kept for a failing run
}
# job_says JOB TEXT: a line of the act log from that job holds TEXT
job_says() { grep -F "$2" "$T/$LOG.log" | grep -qF "[${WFNAME:-spin-gate (sharded)}/$1"; }
# unpacked NAME ARTIFACT: the artifact's files, unzipped into $T/got/ARTIFACT
unpacked() {
	local z
	z=$(find "$T/$1-artifacts" -name "$2.zip" | head -n 1)
	[ -n "$z" ] && rm -rf "$T/got/$2" && python3 -m zipfile -e "$z" "$T/got/$2"
}

# 0. the sharding inputs are checked before anything is built (run_action.py
# runs the action's steps in order; the first one stops it)
bash "$ROOT/tests/action/setup.sh" >"$T/action-setup.log" 2>&1 ||
	{ not_ok "install the action's test tools" "$(tail -5 "$T/action-setup.log")"; e2e_done; }
bad_inputs() { # bad_inputs CASE --input ...: the action stops at its first step
	RUN_ACTION_TOKEN=x python3 "$ROOT/tests/action/run_action.py" run "$ROOT" --event "$T/event.json" \
		--repository octocat/hello-world --workspace "$proj" --runner-temp "$T/ra-temp" --out "$T/ra-$1" \
		"${@:2}" >"$T/stdout" 2>"$T/stderr"
	rc=$?
	A=$T/ra-$1
}
only_first_ran() {
	python3 -c 'import json, sys; s = json.load(open(sys.argv[1]))
assert s[0]["outcome"] == "failure" and all(x["outcome"] == "skipped" for x in s[1:]), s' "$A/steps.json"
}
bad_inputs k-over-n --input shard=4 --input shards=3
expect "inputs: shard 4 of 3 is refused (exit 1), nothing built" sh -c "test $rc = 1 &&
	grep -q \"shard / shards: '4' of '3' is not K of N with 1 <= K <= N\" '$A/log.txt'"
expect "inputs: ... and no later step ran" only_first_ran
bad_inputs half --input shard=2
expect "inputs: shard without shards is refused" grep -q "shard / shards: '2' of '' is not K of N" "$A/log.txt"
bad_inputs mode --input mode=merged
expect "inputs: mode merged is refused" grep -q "mode: 'merged' is not run, merge or record" "$A/log.txt"
bad_inputs record-branch --input mode=record --input "branch=a..b" --input base= --input head=
expect "inputs: mode record with a bad branch is refused (base and head not needed)" sh -c "
	grep -q \"branch: 'a..b' is not a valid branch name\" '$A/log.txt' && ! grep -q 'base: empty' '$A/log.txt'"
bad_inputs merge-shard --input mode=merge --input shard=1 --input shards=2
expect "inputs: a merge job with shard set is refused" grep -q "a job with mode: merge measures nothing" "$A/log.txt"
bad_inputs merge-nobase --input mode=merge --input base= --input head= --input fail-on=sometimes
expect "inputs: a merge job needs no base or head (only fail-on is named)" sh -c "
	grep -q \"fail-on: 'sometimes'\" '$A/log.txt' && ! grep -q 'base: empty' '$A/log.txt'"
bad_inputs timings --input timings=spin-gate/timings.json
expect "inputs: timings without shard is refused" grep -q "timings: only for a shard (set shard and shards)" "$A/log.txt"

# 1. one measuring job alone (act -j measure --matrix shard:1): it measures,
# uploads its shard and posts nothing. It also builds the checker once into the
# cache stand-in, which the later jobs restore (as actions/cache would).
load no-comment
LOG=one
act_run one -j measure --matrix shard:1
expect "one shard alone: act exits 0 in ${took}s" test "$rc" = 0
expect "one shard alone: built the checker (cache miss) and saved it" sh -c "
	grep -q 'cache stand-in: no cache for key spin-gate-build-' '$T/one.log' &&
	grep -q 'cache stand-in: saved key spin-gate-build-' '$T/one.log'"
expect "one shard alone: uploaded spin-gate-spin-gate-shard-1 and nothing else" \
	sh -c "cd '$T/one-artifacts'/* && ls | tr '\n' ' ' | grep -qx 'spin-gate-spin-gate-shard-1 '"
expect "one shard alone: nothing posted to GitHub" test ! -s "$T/requests.jsonl"

# 2. the whole matrix: 3 shards, one merge, one comment
load no-comment
LOG=full
act_run full
expect "act ran the workflow in ${took}s (exit 1: the merge job fails on the FAIL verdict)" test "$rc" = 1
for k in 1 2 3; do
	expect "shard $k: measured its slice (run --shard $k/3)" job_says "measure (shard $k of 3)" "spin-gate: shard $k/3:"
	expect "shard $k: uploaded spin-gate-spin-gate-shard-$k, did not judge the gate" \
		job_says "measure (shard $k of 3)" "shard $k measured and uploaded; the job with mode: merge judges and posts"
	expect "shard $k: the job succeeded" job_says "measure (shard $k of 3)" "Job succeeded"
	expect "shard $k: used the cached checker" job_says "measure (shard $k of 3)" "spin-gate: using the cached build in"
	unpacked full "spin-gate-spin-gate-shard-$k"
	expect "shard $k: its artifact holds results.json, verdict.md, report.html, thresholds.json" sh -c "
		cd '$T/got/spin-gate-spin-gate-shard-$k' && test -s results.json -a -s verdict.md -a -s report.html -a -s thresholds.json"
done
expect "the shards cover the 4 scenarios once each, each stamped with its shard" python3 - "$T/got" <<'PY'
import json, sys
seen = []
for k in (1, 2, 3):
    r = json.load(open(f"{sys.argv[1]}/spin-gate-spin-gate-shard-{k}/results.json"))
    assert (r["shard"]["index"], r["shard"]["count"]) == (k, 3), r["shard"]
    seen += [json.dumps(s["params"], sort_keys=True) for s in r["scenarios"]]
assert len(seen) == 4 and len(set(seen)) == 4, seen
PY
expect "merge: ran after every shard (needs) and downloaded all 3" job_says merge "3 artifact(s) match 'spin-gate-spin-gate-shard-[0-9]*'"
expect "merge: spin-gate merge exited 1 (a check failed)" job_says merge "spin-gate: merge exited 1"
expect "merge: posted (post-exit-code 0), then failed on the verdict (fail-on: fail): output verdict=fail" sh -c "
	grep -F '[spin-gate (sharded)/merge' '$T/full.log' >'$T/merge.log' && grep -q 'set-output:: post-exit-code=0' '$T/merge.log' &&
	grep -q 'Failure - Main Decide the outcome' '$T/merge.log' && grep -q 'set-output:: verdict=fail' '$T/merge.log' &&
	grep -q 'Job failed' '$T/merge.log'"
unpacked full spin-gate-spin-gate
expect "merge: the merged report uploaded as spin-gate-spin-gate" test -s "$T/got/spin-gate-spin-gate/report.html"
expect "merge: the merged results.json says 3 shards" python3 -c '
import json, sys; r = json.load(open(sys.argv[1])); assert r["merged"]["shards"] == 3 and len(r["scenarios"]) == 4, r.get("merged")' \
	"$T/got/spin-gate-spin-gate/results.json"
expect "checkout: act's copy of the local repository (the event's base and head commits, measured)" python3 -c '
import json, sys; r = json.load(open(sys.argv[1]))["revisions"]
assert (r["base"]["resolved"], r["head"]["resolved"]) == (sys.argv[2], sys.argv[3]), r' \
	"$T/got/spin-gate-spin-gate/results.json" "$BASE" "$HEAD"
expect "GitHub: ONE comment (who the token is, list, then POST; no shard posted)" gh_log "[x['method'] for x in r] == ['GET', 'GET', 'POST']"
"$BIN" merge --out "$T/here" --thresholds "$T/got/spin-gate-spin-gate-shard-1/thresholds.json" \
	"$T"/got/spin-gate-spin-gate-shard-[123]/results.json >"$T/stdout" 2>"$T/stderr"
expect "spin-gate merge of the three artifacts here: FAIL (exit 1)" test "$?" = 1
expect "GitHub: the comment's body is that merged verdict (FAIL, 2 of 6 checks, both spin scenarios) with the link to its artifact" python3 - "$T/requests.jsonl" "$T/here/verdict.md" <<'PY'
import json, sys
r = [json.loads(l) for l in open(sys.argv[1])]
body = json.loads(r[2]["body"])["body"]
want = open(sys.argv[2]).read()
first = want.splitlines()[:2]
assert body.startswith("<!-- spin-gate:spin-gate -->\n"), body[:80]
assert body.splitlines()[:2] == first, (body.splitlines()[:2], first)
assert "**spin-gate: FAIL** - 2 of 6 checks failed: cpu on n=1 kind=spin; cpu on n=2 kind=spin" in body, body[:300]
# under the verdict line, the link to the merged report's artifact (post --artifact-url)
import re
link = re.compile(r"^The report \(report\.html, every run plotted, and results\.json\): "
                  r"\[download the artifact\]\(https?://[^)]+/actions/runs/[0-9]+/artifacts/[0-9]+\)$", re.M)
assert len(link.findall(body)) == 1, body[:600]
squeeze = lambda t: re.sub(r"\n{3,}", "\n\n", t).rstrip()
assert squeeze(link.sub("", body)) == squeeze(want), "the body differs from the merged verdict.md"
PY
expect "no process of act or its jobs is left" no_live "$T/act-"

# 3. shard 3 left out of the matrix: merge refuses, nothing is posted
load no-comment
LOG=missing
act_run missing --matrix shard:1 --matrix shard:2
expect "one shard missing: act exits 1 in ${took}s" test "$rc" = 1
expect "one shard missing: 2 shards ran" sh -c "grep -c 'spin-gate: shard [12]/3:' '$T/missing.log' | grep -qx 2"
expect "one shard missing: merge exited 2, naming shard 3" sh -c "
	grep -F '[spin-gate (sharded)/merge' '$T/missing.log' | grep -q 'spin-gate: merge exited 2' &&
	grep -F '[spin-gate (sharded)/merge' '$T/missing.log' | grep -q 'spin-gate: error: shard 3/3 is missing (given: 1, 2)'"
expect "one shard missing: the merge job failed with output verdict=error" sh -c "
	grep -F '[spin-gate (sharded)/merge' '$T/missing.log' >'$T/merge.log' &&
	grep -q 'Failure - Main Decide the outcome' '$T/merge.log' && grep -q 'set-output:: verdict=error' '$T/merge.log'"
expect "one shard missing: nothing posted to GitHub" test ! -s "$T/requests.jsonl"

# 4. the last merged results.json balancing the shards (input timings; the
# example with `timings:` added, shard 1 alone)
cp "$T/got/spin-gate-spin-gate/results.json" "$proj/spin-gate/timings.json"
sed 's|^          shards: 3$|          shards: 3\n          timings: spin-gate/timings.json|' \
	"$ROOT/examples/workflows/spin-gate-sharded.yml" >"$proj/.github/workflows/timed.yml"
load no-comment
LOG=timed WF=timed.yml
act_run timed -j measure --matrix shard:1
expect "timings: act exits 0 in ${took}s" test "$rc" = 0
# by count shard 1 has 2 scenarios; by the times (the spin scenarios ran 6
# rounds, the flat ones 3) the longest one alone
expect "timings: the shard was balanced by the file's run times (run --timings): 1 scenario, not 2" \
	job_says "measure (shard 1 of 3)" "spin-gate: shard 1/3: 1 of the matrix's 4 scenario(s), balanced by timings"
unpacked timed spin-gate-spin-gate-shard-1
expect "timings: its results.json says so" python3 -c '
import json, sys; r = json.load(open(sys.argv[1])); assert r["shard"]["balanced_by"] == "timings", r["shard"]' \
	"$T/got/spin-gate-spin-gate-shard-1/results.json"

# 5. the unsharded example (spin-gate.yml) under act: the same gate in one job,
# with what run_action.py (61) cannot run: actions/cache restoring the checker
# and actions/upload-artifact keeping the report. The same checks as the merge.
load no-comment
LOG=single WF=spin-gate.yml WFNAME=spin-gate
act_run single
expect "unsharded: act exits 1 in ${took}s (the job fails on the FAIL verdict)" test "$rc" = 1
expect "unsharded: restored the cached checker (actions/cache stand-in: cache hit)" job_says gate "spin-gate: using the cached build in"
expect "unsharded: uploaded the report as spin-gate-spin-gate" sh -c "
	ls '$T'/single-artifacts/*/ | tr '\n' ' ' | grep -qx 'spin-gate-spin-gate '"
expect "unsharded: ONE comment (who the token is, list, then POST)" gh_log "[x['method'] for x in r] == ['GET', 'GET', 'POST']"
expect "unsharded: its comment has the same checks as the sharded gate's" python3 - "$T/requests.jsonl" "$T/here/verdict.md" <<'PY'
import json, re, sys
body = json.loads([json.loads(l) for l in open(sys.argv[1])][2]["body"])["body"]
merged = open(sys.argv[2]).read()
rows = lambda t: sorted(l for l in t.splitlines() if re.match(r"\| (cpu|wall) \|", l))
assert body.splitlines()[:2] == merged.splitlines()[:2], (body.splitlines()[:2], merged.splitlines()[:2])
assert rows(body) == rows(merged) and len(rows(merged)) == 6, (rows(body), rows(merged))
PY
WFNAME=

# 6. the history example (spin-gate-main.yml) on a push to main, as shipped:
# the record job measures the pushed commit alone (mode: record), pushes its
# record to spin-gate-history, then `spin-gate history --alert` reads that
# branch back (one record: no change point, nothing to alert) and writes
# history.html, uploaded. origin (GitHub's URL, for act) is rewritten by the
# runner's git config to a local bare repository, which thereby receives the
# push and serves the fetch.
git init -q --bare "$T/origin.git"
git -C "$proj" push -q "$T/origin.git" HEAD:refs/heads/main
mkdir -p "$T/home"
git config --file "$T/home/.gitconfig" url."$T/origin.git".insteadOf https://github.com/octocat/hello-world.git
cp "$ROOT/examples/workflows/spin-gate-main.yml" "$proj/.github/workflows/main.yml"
printf '{"ref": "refs/heads/main", "after": "%s", "repository": {"full_name": "octocat/hello-world", "name": "hello-world", "owner": {"login": "octocat"}}}\n' \
	"$HEAD" >"$T/push.json"
load no-comment
LOG=main WF=main.yml WFNAME="spin-gate history" EVENT=push EVENT_FILE=$T/push.json
act_run main
expect "history example: act exits 0 in ${took}s" test "$rc" = 0
expect "history example: record exited 0 and the job succeeded" sh -c "
	grep -F '[spin-gate history/record' '$T/main.log' >'$T/rec.log' &&
	grep -q 'spin-gate: record exited 0' '$T/rec.log' && grep -q 'Job succeeded' '$T/rec.log'"
expect "history example: the pushed commit's record is on origin's spin-gate-history" python3 - "$T/origin.git" "$HEAD" <<'PY'
import json, subprocess, sys
git = ["git", "-C", sys.argv[1]]
names = subprocess.run(git + ["ls-tree", "--name-only", "spin-gate-history", "records/"], capture_output=True, text=True, check=True).stdout.split()
assert len(names) == 1, names
r = json.loads(subprocess.run(git + ["show", "spin-gate-history:" + names[0]], capture_output=True, text=True, check=True).stdout)
assert r["schema"] == "spin-gate/record" and r["commit"] == sys.argv[2], (r["commit"], sys.argv[2])
assert r["date"] and len(r["scenarios"]) == 4, r
PY
expect "history example: history read the branch back and wrote history.html, uploaded" sh -c "
	grep -F '[spin-gate history/record' '$T/main.log' >'$T/rec.log' &&
	grep -q 'Success - Main Detect change points and alert' '$T/rec.log' &&
	grep -Eiq 'no change point in [0-9]+ series of 1 records' '$T/rec.log' &&
	ls '$T'/main-artifacts/*/ | grep -qx spin-gate-history"
expect "history example: nothing posted to GitHub (no change point in one record)" test ! -s "$T/requests.jsonl"
WFNAME=

[ "$e2e_failed" = 0 ] || { echo "# act's logs: ${TMPDIR:-/tmp}/spin-gate-e2e-62-*.log"; }
[ "$e2e_failed" = 0 ] && rm -f "${TMPDIR:-/tmp}"/spin-gate-e2e-62-*.log
e2e_done
