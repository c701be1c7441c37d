#!/usr/bin/env bash
# `spin-gate history --alert` against recorded GitHub scenarios
# (tests/github/fixtures/history-alert-*.json, replayed in order by
# @octokit/fixtures-server behind the recording proxy): a regression (idle
# CPU x5 at c12) opens one issue; the next detection, with the issue now
# listed, updates it (PATCH) rather than opening a second; a pull request
# and another login's issue with the same marker are passed over; a later
# change point that undoes it is said once, as a comment on that issue; an
# issue someone closed about the same change point is not opened again; a
# token without 'issues: write' (403) gives a warning, the alert in the job
# summary, and exit 0.
. "$(dirname "$0")/lib.sh"
. "$ROOT/tests/github/e2e-lib.sh"
cd "$ROOT"

gh_setup
PP=$(free_port)
start_bg 300 "$T/fixtures.log" node "$GH_DIR/fixtures-server.mjs" --port-file "$T/fixtures.port" \
	--fixtures-url "http://127.0.0.1:$PP" --lifetime 300
wait_for 20 test -s "$T/fixtures.port" || { not_ok "fixtures server starts" "$(cat "$T/fixtures.log")"; e2e_done; }
FP=$(cat "$T/fixtures.port")
start_bg 300 "$T/proxy.log" node "$GH_DIR/proxy.mjs" --port "$PP" --upstream "http://127.0.0.1:$FP" \
	--strip '^/api\.github\.com/[^/]+' --log "$T/requests.jsonl" --port-file "$T/proxy.port" --lifetime 300
wait_for 20 test -s "$T/proxy.port" || { not_ok "proxy starts" "$(cat "$T/proxy.log")"; e2e_done; }

paths() { gh_log "[(x['method'], x['path'].split('/', 3)[3]) for x in r] == $1"; }
run_alert() {
	rm -f "$T/summary"
	env -i "PATH=$PATH" "HOME=${HOME:-/tmp}" GITHUB_ACTIONS=true GITHUB_REPOSITORY=octocat/hello-world \
		"GITHUB_TOKEN=$GH_TOKEN_VALUE" "GITHUB_STEP_SUMMARY=$T/summary" GITHUB_SERVER_URL=https://github.com \
		"GITHUB_API_URL=$API" SPIN_GATE_HTTP_TIMEOUT=10 SPIN_GATE_HTTP_BACKOFF_BASE=0.05 SPIN_GATE_HTTP_DEADLINE=30 \
		"$BIN" history --history "$T/h" --thresholds "$T/thresholds.json" --alert "$@" >"$T/stdout" 2>"$T/stderr"
	rc=$?
}
sha() { printf 'c%s' "$1" | sha1sum | cut -c1-40; }
LIST="repos/octocat/hello-world/issues?state=all&per_page=100"
cat >"$T/thresholds.json" <<'JSON'
{"version": 1, "checks": [
 {"name": "idle-cpu", "role": "idle", "metric": "cpu", "rule": "ratio_max", "value": 0.5},
 {"name": "wall", "metric": "wall", "rule": "ratio_max", "value": 1.1}]}
JSON

# 1. a regression, no issue yet: list, then one POST
python3 tests/e2e/history-gen.py "$T/h" 24 12
load history-alert-open
run_alert
expect_rc "open: exit 0" 0
expect "open: lists the issues, then POSTs one" paths "[('GET', '$LIST'), ('POST', 'repos/octocat/hello-world/issues')]"
expect "open: every recorded request made" consumed
expect "open: says which issue" grep -qx 'opened issue #77: spin-gate: cpu of mode=idle up +.*% at [0-9a-f]\{12\} http.*/octocat/hello-world/issues/77' "$T/stdout"
cat >"$T/body.py" <<'PY'
import json, sys
r = [json.loads(l) for l in open(sys.argv[1])]
b = json.loads(r[-1]["body"])
good, bad = sys.argv[2], sys.argv[3]
body = b["body"]
assert b["title"].startswith("spin-gate: cpu of mode=idle up +") and b["title"].endswith(bad[:12]), b["title"]
lines = body.split("\n")
assert lines[0] == "<!-- spin-gate-alert:spin-gate:demo/mode=idle/cpu/2_x_Test_CPU -->", lines[0]
assert lines[1] == "<!-- spin-gate-alert-cp:%s -->" % bad, lines[1]
assert "spin-gate bisect --good %s --bad %s --only mode=idle" % (good, bad) in body
assert "https://github.com/octocat/hello-world/compare/%s...%s" % (good, bad) in body
assert "```mermaid\nxychart-beta\n" in body
assert "| before | `%s` .. `%s` | 12 | 0.200 s |" % (sys.argv[4][:12], good[:12]) in body, body
assert "| after | `%s` .. " % bad[:12] in body
assert body.count("2 x Test CPU; Linux 6.1.0; hyperfine 1.15.0") == 2
PY
expect "open: the issue's title, markers, sides, compare link, chart and bisect command" \
	python3 "$T/body.py" "$T/requests.jsonl" "$(sha 11)" "$(sha 12)" "$(sha 0)"
expect "open: the token stays secret" token_kept_secret

# 2. the next detection (6 more records): the issue is listed now: PATCH, no second POST
python3 tests/e2e/history-gen.py "$T/h" 6 12 --start 24
load history-alert-update
run_alert
expect_rc "update: exit 0" 0
expect "update: PATCHes issue 77, the bot's, not mallory's forged one nor the pull request" \
	paths "[('GET', '$LIST'), ('PATCH', 'repos/octocat/hello-world/issues/77')]"
expect "update: every recorded request made" consumed
expect "update: says so" grep -q '^updated issue #77: ' "$T/stdout"
expect "update: the body now counts 18 records after" gh_log '"| after | " in json.loads(r[-1]["body"])["body"] and " | 18 | " in json.loads(r[-1]["body"])["body"]'

# 2b. someone closed that issue: the same change point is not opened again
load history-alert-closed
run_alert
expect_rc "closed: exit 0" 0
expect "closed: lists the issues, sends nothing" paths "[('GET', '$LIST')]"
expect "closed: says why" grep -q "issue #77 about this change point was closed: not opened again" "$T/stderr"

# 3. undone by a later step down: one comment on the issue, no new issue
rm -rf "$T/h"
python3 tests/e2e/history-gen.py "$T/h" 36 12 30
load history-alert-undone
run_alert
expect_rc "undone: exit 0" 0
expect "undone: looks for its comment, then comments on issue 77" \
	paths "[('GET', '$LIST'), ('GET', 'repos/octocat/hello-world/issues/77/comments?per_page=100'), ('POST', 'repos/octocat/hello-world/issues/77/comments')]"
expect "undone: the comment names the undoing commit" gh_log 'json.loads(r[-1]["body"])["body"].startswith("<!-- spin-gate-alert-undone:'"$(sha 30)"' -->\n\nUndone: a later change point at `'"$(sha 30 | cut -c1-12)"'` steps down")'

# 4. no 'issues: write': 403 on the POST is a warning, the summary has the alert, exit 0
rm -rf "$T/h"
python3 tests/e2e/history-gen.py "$T/h" 24 12
load history-alert-forbidden
run_alert
expect_rc "403: exit 0 (documented)" 0
expect "403: list, then the refused POST only" paths "[('GET', '$LIST'), ('POST', 'repos/octocat/hello-world/issues')]"
expect "403: a warning naming the permission" grep -q "^spin-gate: warning: cannot open an issue: 403 Resource not accessible by integration: the workflow's token lacks 'permissions: issues: write'" "$T/stderr"
expect "403: an annotation" grep -q '^::warning title=spin-gate%3A no issues%3A write::The history found a regression' "$T/stdout"
expect "403: the alert is in the job summary" grep -q 'spin-gate bisect --good' "$T/summary"

# 5. nothing regressed: no request at all, and no token needed
rm -rf "$T/h"
python3 tests/e2e/history-gen.py "$T/h" 12 -1
: >"$T/requests.jsonl"
run_alert
expect_rc "no regression: exit 0" 0
expect "no regression: nothing sent" test ! -s "$T/requests.jsonl"

e2e_done
