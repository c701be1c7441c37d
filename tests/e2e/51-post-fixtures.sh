#!/usr/bin/env bash
# `spin-gate post` through multi-request scenarios recorded in the fixture
# format of @octokit/fixtures (nock definitions, tests/github/fixtures/*.json)
# and replayed by @octokit/fixtures-server (as express middleware on
# 127.0.0.1, tests/github/fixtures-server.mjs), which insists on the
# recorded order, method, path, query and headers (Accept, Bearer token,
# X-GitHub-Api-Version). A recording proxy in front also sends a copy of
# every request to Prism serving GitHub's REST API description with --errors,
# so these requests are validated against the schema too.
#
# Scenarios: the marker comment on page 3 of 3 (Link rel="next"; a forged
# marker by another author on page 2 is skipped), no comment yet, a fork's
# read-only token (warning, exit 0; the same answer on a non-fork is exit 5),
# 429 with Retry-After then success, 502 twice then success (and exit 5 when
# retries run out), 422 body too long then a shorter body, 401, a 401 that
# echoes the token (redacted everywhere, in and outside Actions), and a server
# that never answers (exit 5 within the configured timeout).
. "$(dirname "$0")/lib.sh"
. "$ROOT/tests/github/e2e-lib.sh"

gh_setup
PP=$(free_port)
start_bg 600 "$T/fixtures.log" node "$GH_DIR/fixtures-server.mjs" --port-file "$T/fixtures.port" \
	--fixtures-url "http://127.0.0.1:$PP" --lifetime 600
PRISM=$(free_port)
if ! start_prism "$PRISM"; then
	not_ok "prism starts" "$(tail -20 "$T/prism.log")"
	e2e_done
fi
wait_for 20 test -s "$T/fixtures.port" || { not_ok "fixtures server starts" "$(cat "$T/fixtures.log")"; e2e_done; }
FP=$(cat "$T/fixtures.port")
start_bg 600 "$T/proxy.log" node "$GH_DIR/proxy.mjs" --port "$PP" --upstream "http://127.0.0.1:$FP" \
	--validate "http://127.0.0.1:$PRISM" --strip '^/api\.github\.com/[^/]+' \
	--log "$T/requests.jsonl" --port-file "$T/proxy.port"
wait_for 20 test -s "$T/proxy.port" || { not_ok "proxy starts" "$(cat "$T/proxy.log")"; e2e_done; }


# load SCENARIO: sets $API to the scenario's base URL (on the proxy), empties the log
load() {
	API=$(curl -s -X POST -H 'Content-Type: application/json' -d "{\"scenario\": \"$1\"}" \
		"http://127.0.0.1:$FP/fixtures" | python3 -c 'import json, sys; print(json.load(sys.stdin)["url"])')
	: >"$T/requests.jsonl"
}
# Every recorded request was made: the scenario is used up.
consumed() {
	curl -s -H 'Accept: application/vnd.github+json' "${API/:$PP/:$FP}/repos/octocat/hello-world" |
		grep -q 'Fixture .* not found'
}
validated() { gh_log 'len(r) > 0 and all(x["prism_status"] < 400 and not x.get("prism_violations") for x in r)'; }
paths() { gh_log "[(x['method'], x['path'].split('/', 3)[3]) for x in r] == $1"; }
summary_kept() { cmp -s "$T/summary" "$T/verdict.md"; }

gh_event "$T/event.json" 0
gh_event "$T/fork.json" 1
printf '<!-- spin-gate:spin-gate -->\n## FAIL: 1 of 2 checks failed (wall on input=a)\n\n| check | scenario | status |\n|---|---|---|\n| wall | input=a | fail |\n' >"$T/verdict.md"
LIST='repos/octocat/hello-world/issues/1347/comments?per_page=100'
POST='repos/octocat/hello-world/issues/1347/comments'

load sticky-later-page
run_post "GITHUB_API_URL=$API" -- --verdict "$T/verdict.md"
expect "later page: exit 0" test "$rc" = 0
expect "later page: follows Link rel=next to page 3, PATCHes comment 3003" paths "[('GET', '$LIST'), ('GET', '$LIST&page=2'), ('GET', '$LIST&page=3'), ('PATCH', 'repos/octocat/hello-world/issues/comments/3003')]"
expect "later page: skips the forged marker of another author" gh_log 'not any("2050" in x["path"] for x in r)'
expect "later page: every recorded request made" consumed
expect "later page: every request valid for Prism" validated
expect "later page: comment URL output" grep -q '^comment-url=http://127.0.0.1:.*issuecomment-3003$' "$T/output"

load no-comment
run_post "GITHUB_API_URL=$API" -- --verdict "$T/verdict.md"
expect "no comment: exit 0" test "$rc" = 0
expect "no comment: list, then POST" paths "[('GET', '$LIST'), ('POST', '$POST')]"
expect "no comment: every recorded request made" consumed
expect "no comment: valid for Prism" validated

load fork-readonly
run_post "GITHUB_API_URL=$API" "GITHUB_EVENT_PATH=$T/fork.json" -- --verdict "$T/verdict.md"
expect "fork: exit 0 (the gate does not fail)" test "$rc" = 0
expect "fork: explained as a read-only token" grep -q 'warning: .*pull request from a fork is read-only (403 Resource not accessible by integration)' "$T/stderr"
expect "fork: names the two-workflow pattern" grep -q 'workflow_run' "$T/stderr"
expect "fork: ::warning:: annotation" grep -q '^::warning title=spin-gate%3A read-only token::.*workflow_run' "$T/stdout"
expect "fork: no error" fails grep -q 'error' "$T/stderr"
expect "fork: verdict in the job summary" summary_kept
expect "fork: comment-url empty" grep -qx 'comment-url=' "$T/output"
expect "fork: valid for Prism" validated

load fork-readonly
run_post "GITHUB_API_URL=$API" -- --verdict "$T/verdict.md"
expect "same 403 on a non-fork: exit 5" test "$rc" = 5
expect "same 403 on a non-fork: names the missing permission" grep -q "error: .*pull-requests: write" "$T/stderr"
expect "same 403 on a non-fork: summary kept" summary_kept

load rate-limit-retry-after
run_post "GITHUB_API_URL=$API" -- --verdict "$T/verdict.md"
expect "429: exit 0 after waiting" test "$rc" = 0
expect "429: honoured retry-after: 1" grep -q "HTTP 429; retrying in 1.0 s" "$T/stderr"
expect "429: list twice, then POST" paths "[('GET', '$LIST'), ('GET', '$LIST'), ('POST', '$POST')]"
expect "429: every recorded request made" consumed

load bad-gateway-twice
run_post "GITHUB_API_URL=$API" -- --verdict "$T/verdict.md"
expect "502 twice: exit 0" test "$rc" = 0
expect "502 twice: two retries" test "$(grep -c 'HTTP 502; retrying in' "$T/stderr")" = 2
expect "502 twice: every recorded request made" consumed
expect "502 twice: valid for Prism" validated

load bad-gateway-twice
run_post "GITHUB_API_URL=$API" SPIN_GATE_HTTP_RETRIES=1 -- --verdict "$T/verdict.md"
expect "502, retries run out: exit 5" test "$rc" = 5
expect "502, retries run out: says so" grep -q 'error: cannot list the comments of the pull request: HTTP 502: Server Error' "$T/stderr"
expect "502, retries run out: bounded (2 requests)" gh_log 'len(r) == 2'
expect "502, retries run out: summary kept" summary_kept

{ cat "$T/verdict.md"; for i in $(seq 1 2000); do echo "| wall | input=é$i | pass |"; done; for i in $(seq 1 2000); do echo "run $i: 5.21 s $(printf '%040d' "$i")"; done; } >"$T/big.md"
load body-too-long
run_post "GITHUB_API_URL=$API" -- --verdict "$T/big.md"
expect "422 too long: exit 0 after a shorter retry" test "$rc" = 0
expect "422 too long: first body <= 65536, second <= 32768, both keep the verdict" gh_log '[len(json.loads(x["body"])["body"].encode()) <= n for x, n in zip(r[1:], (65536, 32768))] == [True, True]
	and all("## FAIL: 1 of 2" in json.loads(x["body"])["body"] and "| wall | input=a | fail |" in json.loads(x["body"])["body"] for x in r[1:])'
expect "422 too long: every recorded request made" consumed
expect "422 too long: valid for Prism" validated

load bad-token
run_post "GITHUB_API_URL=$API" -- --verdict "$T/verdict.md"
expect "401: exit 5" test "$rc" = 5
expect "401: says the token is wrong" grep -q 'error: .*GitHub rejected the token in \$GITHUB_TOKEN (401 Bad credentials)' "$T/stderr"
expect "401: not retried" gh_log 'len(r) == 1'
expect "401: ::error:: annotation" grep -q '^::error title=spin-gate%3A posting failed::' "$T/stdout"
expect "401: summary kept" summary_kept
expect "401: token not printed" token_kept_secret

# A 401 whose message echoes the Authorization header: the token is redacted from
# stderr and the annotation, under Actions (which masks it too) and outside it (nothing does).
load bad-token-echo
run_post "GITHUB_API_URL=$API" -- --verdict "$T/verdict.md"
expect "401 echoing the token: exit 5" test "$rc" = 5
expect "401 echoing the token: redacted in stderr" grep -q 'error: .*(401 Bad credentials: Authorization: Bearer \*\*\*)' "$T/stderr"
expect "401 echoing the token: redacted in the annotation" grep -q '^::error title=spin-gate%3A posting failed::.*Bearer \*\*\*$' "$T/stdout"
expect "401 echoing the token: masked for the runner" grep -qx "::add-mask::$GH_TOKEN_VALUE" "$T/stdout"
expect "401 echoing the token: token not printed" token_kept_secret
load bad-token-echo
run_post "GITHUB_API_URL=$API" GITHUB_ACTIONS= -- --verdict "$T/verdict.md"
expect "401 echoing the token outside Actions: redacted" grep -q 'Bearer \*\*\*' "$T/stderr"
expect "401 echoing the token outside Actions: nowhere in stdout or stderr" fails grep -q "$GH_TOKEN_VALUE" "$T/stdout" "$T/stderr"

# A server that accepts connections and never answers.
start_bg 120 "$T/silent.log" node -e 'const fs = require("fs");
const s = require("net").createServer(() => {}).listen(0, "127.0.0.1", () => fs.writeFileSync(process.argv[1], String(s.address().port)));' "$T/silent.port"
wait_for 10 test -s "$T/silent.port"
: >"$T/requests.jsonl"
run_post "GITHUB_API_URL=http://127.0.0.1:$(cat "$T/silent.port")" SPIN_GATE_HTTP_TIMEOUT=1 SPIN_GATE_HTTP_RETRIES=1 -- --verdict "$T/verdict.md"
expect "no answer: exit 5" test "$rc" = 5
expect "no answer: gives up within the timeouts (2 tries of 1 s)" test "$took" -le 4
expect "no answer: says it timed out" grep -q 'error: cannot list the comments of the pull request: cannot reach .*timed out' "$T/stderr"
expect "no answer: summary kept" summary_kept

run_post "GITHUB_API_URL=http://127.0.0.1:$(cat "$T/silent.port")" GITHUB_TOKEN= -- --verdict "$T/verdict.md"
expect "no token: exit 5 and says which variable" sh -c "test $rc = 5 && grep -q 'no token: \$GITHUB_TOKEN is not set' '$T/stderr'"

printf '{"after": "e5bd3914e2e596debea16f433f57875b5b90bcd6"}' >"$T/push.json"
run_post "GITHUB_API_URL=http://127.0.0.1:$(cat "$T/silent.port")" GITHUB_EVENT_NAME=push "GITHUB_EVENT_PATH=$T/push.json" -- --verdict "$T/verdict.md"
expect "push event: no pull request, nothing posted, exit 0" sh -c "test $rc = 0 && grep -q 'no comment: not a pull request' '$T/stderr'"

e2e_done
