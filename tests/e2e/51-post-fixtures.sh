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
# Every post first asks GitHub whose the token is (GET /user); to Actions'
# GITHUB_TOKEN GitHub answers 403, and the comments of github-actions[bot]
# are the ones to update.
#
# Scenarios: the marker comment on page 3 of 3 (Link rel="next"; a forged
# marker by another author on page 2 is skipped), no comment yet, a fork's
# read-only token (warning, exit 0; the same answer on a non-fork is exit 5;
# with --check-run too, the hint once), 429 with Retry-After then success,
# 502 twice then success (and exit 5 when retries run out), 422 body too long
# then a shorter body, 401, a 401 that echoes the token (redacted
# everywhere, in and outside Actions), a server that never answers (exit 5
# within the configured timeout), and a Link to another origin (not followed).
#
# The sticky comment is the token's own: comments by other logins that start
# with the marker are never updated, whichever login GET /user names, with
# GITHUB_TOKEN in Actions, --token-env, and outside Actions; when GitHub will
# not say (403) and the token is not Actions' GITHUB_TOKEN, a new comment is
# created (one note) and nothing is listed or updated. A POST whose reply is
# lost: in `new` mode with invalid UTF-8 in the verdict, the comment as sent
# (U+FFFD) is found and not posted again; an older comment with the same body
# does not stop a new one; in the sticky mode a concurrent run's comment is
# updated and the note says so.
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
expect "later page: asks who the token is, follows Link rel=next to page 3, PATCHes comment 3003" paths "[('GET', 'user'), ('GET', '$LIST'), ('GET', '$LIST&page=2'), ('GET', '$LIST&page=3'), ('PATCH', 'repos/octocat/hello-world/issues/comments/3003')]"
expect "later page: skips the forged marker of another author" gh_log 'not any("2050" in x["path"] for x in r)'
expect "later page: every recorded request made" consumed
expect "later page: every request valid for Prism" validated
expect "later page: comment URL output" grep -q '^comment-url=http://127.0.0.1:.*issuecomment-3003$' "$T/output"

load no-comment
run_post "GITHUB_API_URL=$API" -- --verdict "$T/verdict.md"
expect "no comment: exit 0" test "$rc" = 0
expect "no comment: who, list, then POST" paths "[('GET', 'user'), ('GET', '$LIST'), ('POST', '$POST')]"
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
expect "429: who, list twice, then POST" paths "[('GET', 'user'), ('GET', '$LIST'), ('GET', '$LIST'), ('POST', '$POST')]"
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
expect "502, retries run out: bounded (who, then 2 tries of the list)" gh_log 'len(r) == 3'
expect "502, retries run out: summary kept" summary_kept

{ cat "$T/verdict.md"; for i in $(seq 1 2000); do echo "| wall | input=é$i | pass |"; done; for i in $(seq 1 2000); do echo "run $i: 5.21 s $(printf '%040d' "$i")"; done; } >"$T/big.md"
load body-too-long
run_post "GITHUB_API_URL=$API" -- --verdict "$T/big.md"
expect "422 too long: exit 0 after a shorter retry" test "$rc" = 0
expect "422 too long: first body <= 65536, second <= 32768, both keep the verdict" gh_log '[len(json.loads(x["body"])["body"].encode()) <= n for x, n in zip(r[2:], (65536, 32768))] == [True, True]
	and all("## FAIL: 1 of 2" in json.loads(x["body"])["body"] and "| wall | input=a | fail |" in json.loads(x["body"])["body"] for x in r[2:])'
expect "422 too long: every recorded request made" consumed
expect "422 too long: valid for Prism" validated

load bad-token
run_post "GITHUB_API_URL=$API" -- --verdict "$T/verdict.md"
expect "401: exit 5" test "$rc" = 5
expect "401: says the token is wrong" grep -qxF 'spin-gate: error: cannot learn whose token this is (GET /user): GitHub rejected the token in $GITHUB_TOKEN (401 Bad credentials): it is wrong, expired or revoked' "$T/stderr"
expect "401: not retried, nothing else sent" gh_log '[x["path"].split("/", 3)[3] for x in r] == ["user"]'
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
expect "no answer: says it timed out" grep -q 'error: cannot learn whose token this is (GET /user): cannot reach .*timed out' "$T/stderr"
expect "no answer: summary kept" summary_kept

run_post "GITHUB_API_URL=http://127.0.0.1:$(cat "$T/silent.port")" GITHUB_TOKEN= -- --verdict "$T/verdict.md"
expect "no token: exit 5 and says which variable" sh -c "test $rc = 5 && grep -q 'no token: \$GITHUB_TOKEN is not set' '$T/stderr'"

printf '{"after": "e5bd3914e2e596debea16f433f57875b5b90bcd6"}' >"$T/push.json"
run_post "GITHUB_API_URL=http://127.0.0.1:$(cat "$T/silent.port")" GITHUB_EVENT_NAME=push "GITHUB_EVENT_PATH=$T/push.json" -- --verdict "$T/verdict.md"
expect "push event: no pull request, nothing posted, exit 0" sh -c "test $rc = 0 && grep -q 'no comment: not a pull request' '$T/stderr'"


# ---- the sticky comment is the token's own (issue 22)
PATCH='repos/octocat/hello-world/issues/comments'
# GET /user names octocat: of the three comments that start with the marker
# (mallory's, github-actions[bot]'s, octocat's), only octocat's is updated,
# whichever way the token came.
for how in "GITHUB_TOKEN in Actions" "--token-env in Actions" "outside Actions"; do
	load owner-user
	case $how in
	"GITHUB_TOKEN in Actions") run_post "GITHUB_API_URL=$API" -- --verdict "$T/verdict.md" ;;
	"--token-env in Actions") run_post "GITHUB_API_URL=$API" "MY_TOKEN=$GH_TOKEN_VALUE" GITHUB_TOKEN= -- --verdict "$T/verdict.md" --token-env MY_TOKEN ;;
	*) run_post "GITHUB_API_URL=$API" GITHUB_ACTIONS= -- --verdict "$T/verdict.md" ;;
	esac
	expect "owner from GET /user, $how: exit 0" test "$rc" = 0
	expect "owner from GET /user, $how: who, list, PATCH of octocat's 2003 only" paths "[('GET', 'user'), ('GET', '$LIST'), ('PATCH', '$PATCH/2003')]"
	expect "owner from GET /user, $how: says so" grep -qx 'spin-gate: updated comment 2003: http://127.0.0.1:.*issuecomment-2003' "$T/stderr"
	expect "owner from GET /user, $how: every recorded request made" consumed
done

# GET /user answers 403 (an installation token). Actions' own GITHUB_TOKEN:
# github-actions[bot]'s comment is updated, mallory's (listed first) is not.
load owner-actions-bot
run_post "GITHUB_API_URL=$API" -- --verdict "$T/verdict.md"
expect "403 on /user, GITHUB_TOKEN in Actions: exit 0" test "$rc" = 0
expect "403 on /user, GITHUB_TOKEN in Actions: the bot's 2002 updated, not mallory's 2001" paths "[('GET', 'user'), ('GET', '$LIST'), ('PATCH', '$PATCH/2002')]"
expect "403 on /user, GITHUB_TOKEN in Actions: no note about the owner" fails grep -q 'cannot tell whose token' "$T/stderr"
expect "403 on /user, GITHUB_TOKEN in Actions: every recorded request made" consumed
# Any other token: whose it is cannot be learnt; nothing is listed or
# updated, a new comment is created, and one note says why.
for how in "--token-env in Actions" "GITHUB_TOKEN outside Actions"; do
	load owner-unknown
	if [ "$how" = "GITHUB_TOKEN outside Actions" ]; then
		run_post "GITHUB_API_URL=$API" GITHUB_ACTIONS= -- --verdict "$T/verdict.md"
		var=GITHUB_TOKEN
	else
		run_post "GITHUB_API_URL=$API" "MY_TOKEN=$GH_TOKEN_VALUE" GITHUB_TOKEN= -- --verdict "$T/verdict.md" --token-env MY_TOKEN
		var=MY_TOKEN
	fi
	expect "403 on /user, $how: exit 0" test "$rc" = 0
	expect "403 on /user, $how: who, then POST; no list, no PATCH" paths "[('GET', 'user'), ('POST', '$POST')]"
	expect "403 on /user, $how: one note saying why" sh -c 'test "$(grep -c "cannot tell whose token" "$1")" = 1 && grep -qxF "spin-gate: cannot tell whose token \$$2 is (GET /user: HTTP 403 Resource not accessible by integration): creating a new comment rather than updating one found by its marker alone (--author LOGIN names whose comment to update)" "$1"' _ "$T/stderr" "$var"
	expect "403 on /user, $how: created comment 5005" grep -qx 'spin-gate: created comment 5005: http://127.0.0.1:.*issuecomment-5005' "$T/stderr"
	expect "403 on /user, $how: every recorded request made" consumed
done
# --author names the login: GitHub is not asked
load owner-author
run_post "GITHUB_API_URL=$API" "MY_TOKEN=$GH_TOKEN_VALUE" -- --verdict "$T/verdict.md" --token-env MY_TOKEN --author octocat
expect "--author octocat: list, PATCH of 2003, no GET /user" paths "[('GET', '$LIST'), ('PATCH', '$PATCH/2003')]"
expect "--author octocat: every recorded request made" consumed

# ---- a POST whose reply is lost (502 after the server stored it)
# `new` mode, invalid UTF-8 in the verdict: what was sent (U+FFFD for each
# invalid byte) is listed as a comment newer than the attempt: not posted again.
printf '<!-- spin-gate:spin-gate -->\n## PASS: input=caf\xe9, \xff\xfe\n' >"$T/bad-utf8.md"
load lost-reply-new-utf8
run_post "GITHUB_API_URL=$API" -- --verdict "$T/bad-utf8.md" --comment new
expect "lost reply, new, invalid UTF-8: exit 0" test "$rc" = 0
expect "lost reply, new, invalid UTF-8: one POST, then the list" paths "[('GET', 'user'), ('POST', '$POST'), ('GET', '$LIST')]"
expect "lost reply, new, invalid UTF-8: the POST carried U+FFFD" gh_log 'json.loads(r[1]["body"])["body"] == "<!-- spin-gate:spin-gate -->\n## PASS: input=caf\ufffd, \ufffd\ufffd\n"'
expect "lost reply, new, invalid UTF-8: comment 5201 taken" grep -qx 'spin-gate: warning: comment 5201 was created after all: not posting again' "$T/stderr"
expect "lost reply, new, invalid UTF-8: created comment 5201" grep -qx 'spin-gate: created comment 5201: http://127.0.0.1:.*issuecomment-5201' "$T/stderr"
expect "lost reply, new, invalid UTF-8: its URL is the output" grep -q '^comment-url=http://127.0.0.1:.*issuecomment-5201$' "$T/output"
expect "lost reply, new, invalid UTF-8: every recorded request made" consumed

# `new` mode: the 502 stored nothing; an earlier run's comment with the same
# body (created before GitHub's clock at the attempt) does not stop a new one.
load stale-identical-new
run_post "GITHUB_API_URL=$API" -- --verdict "$T/verdict.md" --comment new
expect "old identical comment, new: exit 0" test "$rc" = 0
expect "old identical comment, new: POST, list, POST again" paths "[('GET', 'user'), ('POST', '$POST'), ('GET', '$LIST'), ('POST', '$POST')]"
expect "old identical comment, new: the new comment 5202, not the old 4001" grep -qx 'spin-gate: created comment 5202: http://127.0.0.1:.*issuecomment-5202' "$T/stderr"
expect "old identical comment, new: 4001 not taken" fails grep -q 'comment 4001\|issuecomment-4001' "$T/stderr" "$T/output"
expect "old identical comment, new: every recorded request made" consumed
expect "old identical comment, new: valid for Prism" validated

# sticky: a concurrent run's comment appeared after the lost reply: updated,
# and the note says "updated" (the last call was a PATCH)
load lost-reply-sticky-concurrent
run_post "GITHUB_API_URL=$API" -- --verdict "$T/verdict.md"
expect "lost reply, sticky, concurrent comment: exit 0" test "$rc" = 0
expect "lost reply, sticky, concurrent comment: PATCH of 5301, one POST" paths "[('GET', 'user'), ('GET', '$LIST'), ('POST', '$POST'), ('GET', '$LIST'), ('PATCH', '$PATCH/5301')]"
expect "lost reply, sticky, concurrent comment: updated comment 5301" grep -qx 'spin-gate: updated comment 5301: http://127.0.0.1:.*issuecomment-5301' "$T/stderr"
expect "lost reply, sticky, concurrent comment: every recorded request made" consumed

# ---- wording
# A Link to another origin: not followed, and said so (not "cannot reach").
load link-other-origin
run_post "GITHUB_API_URL=$API" -- --verdict "$T/verdict.md"
expect "Link to another origin: exit 5" test "$rc" = 5
# (the stand-in moves every URL under its own host: the Link's becomes
# $STANDIN/elsewhere.example/ID/..., which is still not under the API URL)
expect "Link to another origin: says it was not followed" grep -qx "spin-gate: error: cannot list the comments of the pull request: the next page's Link points to another origin: 'http://127.0.0.1:$PP/elsewhere.example/${API##*/}/repos/octocat/hello-world/issues/1347/comments?per_page=100&page=2' is not under '$API', so it was not followed and the token was not sent there" "$T/stderr"
expect "Link to another origin: one error line, no 'cannot reach'" sh -c 'test "$(grep -c error "$1")" = 1 && ! grep -q "cannot reach" "$1"' _ "$T/stderr"
expect "Link to another origin: nothing sent there" gh_log 'len(r) == 2'

# A fork with --check-run: both are refused, the hint is printed once.
load fork-readonly-check-run
run_post "GITHUB_API_URL=$API" "GITHUB_EVENT_PATH=$T/fork.json" -- --verdict "$T/verdict.md" --check-run
expect "fork, --check-run: exit 0" test "$rc" = 0
expect "fork, --check-run: each refusal named" sh -c 'grep -q "warning: cannot comment on the pull request: the token of a pull request from a fork is read-only" "$1" && grep -q "warning: cannot create the check run: the token of a pull request from a fork is read-only" "$1"' _ "$T/stderr"
expect "fork, --check-run: the two-workflow hint once" test "$(grep -c 'workflow_run' "$T/stderr")" = 1
expect "fork, --check-run: one ::warning:: annotation" test "$(grep -c '^::warning title=spin-gate%3A read-only token::' "$T/stdout")" = 1
expect "fork, --check-run: every recorded request made" consumed

e2e_done
