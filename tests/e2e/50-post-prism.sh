#!/usr/bin/env bash
# `spin-gate post` against GitHub's own REST API description: Prism 5.14
# (npm @stoplight/prism-cli) serving npm @octokit/openapi with --errors, on
# 127.0.0.1, behind a recording proxy (tests/github/proxy.mjs). Every request
# the binary makes must pass Prism's validation (no sl-violations, no 4xx,
# nothing flagged in Prism's log), and carry GitHub's documented headers.
# The negative case proves the validation bites: a request without "body"
# is flagged. --artifact-url puts its link under the verdict line of the
# comment, the check run and the summary (kept in a cut comment); a URL that
# is not http(s) or would end the link is refused before anything is sent. See tests/github/prism-spec.mjs for the description's two
# adjustments (Accept negotiation, example data).
. "$(dirname "$0")/lib.sh"
. "$ROOT/tests/github/e2e-lib.sh"

gh_setup
PRISM=$(free_port)
if ! start_prism "$PRISM"; then
	not_ok "prism starts" "$(tail -20 "$T/prism.log")"
	e2e_done
fi
start_bg 600 "$T/proxy.log" node "$GH_DIR/proxy.mjs" --upstream "http://127.0.0.1:$PRISM" \
	--log "$T/requests.jsonl" --port-file "$T/proxy.port"
wait_for 20 test -s "$T/proxy.port" || { not_ok "proxy starts" "$(cat "$T/proxy.log")"; e2e_done; }
API="http://127.0.0.1:$(cat "$T/proxy.port")"

gh_event "$T/event.json" 0
printf '<!-- spin-gate:spin-gate -->\n## FAIL: 1 of 2 checks failed (wall on input=a)\n\n| check | scenario | status |\n|---|---|---|\n| wall | input=a | fail |\n| rss | input=a | inconclusive |\n' >"$T/verdict.md"
cat >"$T/results.json" <<'JSON'
{"verdict": "fail", "checks": [
 {"check": "wall", "scenario": "input=a,b", "status": "fail", "note": "ratio 1.31x: over 1.10x\nsee summary"},
 {"check": "rss", "scenario": "input=a", "status": "inconclusive", "note": "too noisy"},
 {"check": "cpu", "scenario": "input=a", "status": "pass", "note": ""}]}
JSON

headers_ok() {
	gh_log 'all(x["headers"].get("accept") == "application/vnd.github+json"
	    and x["headers"].get("authorization") == "Bearer ghs_e2eFixtureToken000000000000000000000"
	    and x["headers"].get("x-github-api-version") == "2022-11-28"
	    and x["headers"].get("user-agent", "").startswith("spin-gate/") for x in r)'
}
no_violations() { gh_log 'all(x["status"] < 400 and not x.get("violations") for x in r)'; }
prism_log_clean() { ! grep -E '\[VALIDATOR\].*(✖|did not pass)' "$T/prism.log"; }

# 1. sticky, no comment with this gate's marker yet: who the token is, list, then POST
: >"$T/requests.jsonl"
run_post "GITHUB_API_URL=$API" -- --verdict "$T/verdict.md" --results "$T/results.json"
expect "sticky without a marker comment: exit 0" test "$rc" = 0
expect "sticky without a marker comment: GET /user, GET the list, then POST" gh_log '[(x["method"], x["path"]) for x in r] == [
	("GET", "/user"),
	("GET", "/repos/octocat/hello-world/issues/1347/comments?per_page=100"),
	("POST", "/repos/octocat/hello-world/issues/1347/comments")]'
expect "the POSTed body is the verdict" gh_log 'json.loads(r[2]["body"])["body"] == open(sys.argv[1].rsplit("/", 1)[0] + "/verdict.md").read()'
expect "the POST is JSON" gh_log 'r[2]["headers"]["content-type"].startswith("application/json")'
expect "documented headers on every request" headers_ok
expect "Prism found every request valid" no_violations
expect "Prism's log flags nothing" prism_log_clean
expect "comment URL on stdout" grep -qx 'https://github.com/octocat/Hello-World/issues/1347#issuecomment-1' "$T/stdout"
expect "outputs: verdict, comment-url, results" grep -qx 'verdict=fail' "$T/output"
expect "outputs: comment-url" grep -qx 'comment-url=https://github.com/octocat/Hello-World/issues/1347#issuecomment-1' "$T/output"
expect "outputs: results" grep -qx "results=$T/results.json" "$T/output"
expect "the verdict is in the job summary" cmp -s "$T/summary" "$T/verdict.md"
expect "::error:: annotation for the failed check, escaped" grep -qxF '::error title=spin-gate%3A wall failed on input=a%2Cb::ratio 1.31x: over 1.10x%0Asee summary' "$T/stdout"
expect "::warning:: annotation for the inconclusive check" grep -qxF '::warning title=spin-gate%3A rss inconclusive on input=a::too noisy' "$T/stdout"
expect "no annotation for the passing check" test "$(grep -c '^::error\|^::warning' "$T/stdout")" = 2
expect "::add-mask:: for the token" grep -qxF "::add-mask::$GH_TOKEN_VALUE" "$T/stdout"
expect "the token is never printed otherwise" token_kept_secret
expect "::group:: around the requests" grep -qx '::group::spin-gate: posting the verdict' "$T/stdout"

# 2. sticky, the example list has github-actions[bot]'s comment with this
# marker, then octocat's; GET /user answers octocat: PATCH octocat's only
: >"$T/requests.jsonl"
sed 's/spin-gate:spin-gate/spin-gate:prism-sticky/' "$T/verdict.md" >"$T/verdict2.md"
run_post "GITHUB_API_URL=$API" -- --verdict "$T/verdict2.md" --name prism-sticky
expect "sticky with a marker comment: exit 0" test "$rc" = 0
expect "sticky with a marker comment: PATCH the token's own comment 4000000002" gh_log '[(x["method"], x["path"]) for x in r] == [
	("GET", "/user"),
	("GET", "/repos/octocat/hello-world/issues/1347/comments?per_page=100"),
	("PATCH", "/repos/octocat/hello-world/issues/comments/4000000002")]'
expect "PATCH valid for Prism" no_violations
# --author github-actions[bot]: GitHub is not asked, the bot's comment is PATCHed
: >"$T/requests.jsonl"
run_post "GITHUB_API_URL=$API" -- --verdict "$T/verdict2.md" --name prism-sticky --author 'github-actions[bot]'
expect "sticky with --author: PATCH the bot's comment 4000000001, no GET /user" gh_log '[(x["method"], x["path"]) for x in r] == [
	("GET", "/repos/octocat/hello-world/issues/1347/comments?per_page=100"),
	("PATCH", "/repos/octocat/hello-world/issues/comments/4000000001")]'

# 3. --comment new: who the token is, then POST; nothing listed
: >"$T/requests.jsonl"
run_post "GITHUB_API_URL=$API" -- --verdict "$T/verdict.md" --comment new
expect "new comment: GET /user, POST" gh_log '[(x["method"], x["path"]) for x in r] == [
	("GET", "/user"), ("POST", "/repos/octocat/hello-world/issues/1347/comments")]'
expect "new comment: valid for Prism" no_violations

# 4. --check-run: a completed check run on the head sha, valid for Prism
: >"$T/requests.jsonl"
run_post "GITHUB_API_URL=$API" -- --verdict "$T/verdict.md" --results "$T/results.json" --comment off --check-run
expect "check run: exit 0" test "$rc" = 0
expect "check run: POST /check-runs with head sha and conclusion" gh_log '[x["path"] for x in r] == ["/repos/octocat/hello-world/check-runs"] and
	(lambda b: b["head_sha"] == "e5bd3914e2e596debea16f433f57875b5b90bcd6" and b["status"] == "completed"
	 and b["conclusion"] == "failure" and b["name"] == "spin-gate"
	 and b["details_url"] == "https://github.com/octocat/hello-world/actions/runs/4242"
	 and b["output"]["title"].startswith("## FAIL")
	 and len(b["output"]["summary"]) <= 65535)(json.loads(r[0]["body"]))'
expect "check run valid for Prism" no_violations
expect "outputs: check-run-url" grep -q '^check-run-url=https://github.com/' "$T/output"

# 5. a verdict over 65536 characters is cut, keeps its verdict line, names the run
: >"$T/requests.jsonl"
{ cat "$T/verdict.md"; printf '\n<details>\n\n```\n'; for i in $(seq 1 3000); do echo "run $i: 5.21 s é🐍 $(printf '%040d' "$i")"; done; printf '```\n</details>\n'; } >"$T/big.md"
run_post "GITHUB_API_URL=$API" -- --verdict "$T/big.md" --comment new
expect "long verdict: exit 0" test "$rc" = 0
expect "long verdict: body cut to 65536 bytes with the verdict, failing row and run URL" gh_log '(lambda b: len(b.encode()) <= 65536 and len(b) > 60000
	and "## FAIL: 1 of 2 checks failed" in b and "| wall | input=a | fail |" in b
	and "https://github.com/octocat/hello-world/actions/runs/4242" in b and b.count("```") % 2 == 0)(json.loads(r[1]["body"])["body"])'
expect "long verdict: the summary has all of it" cmp -s "$T/summary" "$T/big.md"
expect "long verdict: valid for Prism" no_violations

# 6. --comment off: nothing sent, and no token needed
: >"$T/requests.jsonl"
run_post "GITHUB_API_URL=$API" GITHUB_TOKEN= -- --verdict "$T/verdict.md" --comment off
expect "off: exit 0 without a token" test "$rc" = 0
expect "off: no request" test ! -s "$T/requests.jsonl"
expect "off: summary still written" cmp -s "$T/summary" "$T/verdict.md"

# 7. negative: the validation catches a request GitHub would refuse
: >"$T/requests.jsonl"
curl -s -o /dev/null -X POST -H 'Accept: application/vnd.github+json' -H 'Content-Type: application/json' \
	-d '{"text": "no body field"}' "$API/repos/octocat/hello-world/issues/1347/comments"
expect "negative: an invalid request is flagged by Prism" gh_log 'r[0]["status"] == 422 and "required property \x27body\x27" in r[0]["violations"]'
expect "negative: the check used above fails on it" fails no_violations
expect "negative: Prism's log flags it" grep -qE '\[VALIDATOR\].*✖' "$T/prism.log"

# 8. usage errors: the token is never taken from the command line
run_post "GITHUB_API_URL=$API" -- --verdict "$T/verdict.md" --token ghs_oops
expect "--token is refused with exit 2" test "$rc" = 2
expect "--token: the value is not echoed" fails grep -q ghs_oops "$T/stderr"
run_post -- --results "$T/results.json"
expect "missing --verdict: exit 2" test "$rc" = 2

# 9. --artifact-url: the link goes under the verdict line of the comment, the
# check run and the job summary, and stays when a long comment is cut
ART=https://github.com/octocat/hello-world/actions/runs/4242/artifacts/987
LINK="The report (report.html, every run plotted, and results.json): [download the artifact]($ART)"
: >"$T/requests.jsonl"
run_post "GITHUB_API_URL=$API" -- --verdict "$T/verdict.md" --comment new --check-run --artifact-url "$ART"
expect "artifact link: exit 0" test "$rc" = 0
expect "artifact link: in the comment, under the verdict line" gh_log '(lambda b: b.split("\n")[1:4] == ["## FAIL: 1 of 2 checks failed (wall on input=a)", "", "'"$LINK"'"])(json.loads(r[1]["body"])["body"])'
expect "artifact link: in the check run's summary" gh_log '"'"$LINK"'" in json.loads(r[2]["body"])["output"]["summary"]'
expect "artifact link: in the job summary" grep -qxF "$LINK" "$T/summary"
expect "artifact link: valid for Prism" no_violations
: >"$T/requests.jsonl"
run_post "GITHUB_API_URL=$API" -- --verdict "$T/big.md" --comment new --artifact-url "$ART"
expect "artifact link: kept in a cut comment" gh_log '(lambda b: len(b.encode()) <= 65536 and "cut to fit" in b and "'"$LINK"'" in b)(json.loads(r[1]["body"])["body"])'
for bad in 'javascript:alert(1)' "$ART)" "$(printf 'https://x/a\nb')" 'https://'; do
	: >"$T/requests.jsonl"
	run_post "GITHUB_API_URL=$API" -- --verdict "$T/verdict.md" --artifact-url "$bad"
	expect "bad --artifact-url '${bad//$'\n'/\\n}': exit 2, nothing sent" test "$rc" = 2 -a ! -s "$T/requests.jsonl"
	expect "bad --artifact-url '${bad//$'\n'/\\n}': says why" grep -q '^spin-gate: error: invalid --artifact-url: ' "$T/stderr"
done

e2e_done
