# Helpers for the GitHub end-to-end tests (sourced after tests/e2e/lib.sh).
# Servers listen on 127.0.0.1 only, each under `timeout` so none outlives
# the test, and are stopped by the EXIT trap.
GH_DIR="$ROOT/tests/github"
GH_PIDS=()
GH_TOKEN_VALUE="ghs_e2eFixtureToken000000000000000000000"

gh_stop() {
	local p
	for p in "${GH_PIDS[@]}"; do kill "$p" 2>/dev/null; done
	for p in "${GH_PIDS[@]}"; do wait "$p" 2>/dev/null; done
	GH_PIDS=()
}
trap 'gh_stop; rm -rf "$T"' EXIT

gh_setup() {
	bash "$GH_DIR/setup.sh" >"$T/setup.log" 2>&1 || {
		not_ok "install the test servers" "$(tail -5 "$T/setup.log")"
		e2e_done
	}
}

free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# wait_for SECONDS COMMAND...: poll until the command succeeds.
wait_for() {
	local until=$((SECONDS + $1))
	shift
	while [ "$SECONDS" -lt "$until" ]; do
		"$@" 2>/dev/null && return 0
		sleep 0.3
	done
	return 1
}

# start_bg LIFETIME LOG COMMAND...: run in the background under timeout.
start_bg() {
	local life=$1 log=$2
	shift 2
	timeout "$life" "$@" >"$log" 2>&1 &
	GH_PIDS+=("$!")
}

# start_prism PORT: Prism 5.14 mock of GitHub's description, with --errors
# (an invalid request gets 422 and an sl-violations header). Log: $T/prism.log.
start_prism() {
	node "$GH_DIR/prism-spec.mjs" "$T/spec.json" 2>"$T/prism-spec.log" || return 1
	start_bg 600 "$T/prism.log" "$GH_DIR/node_modules/.bin/prism" mock -h 127.0.0.1 -p "$1" --errors "$T/spec.json"
	wait_for 90 curl -s -o /dev/null "http://127.0.0.1:$1/"
}

# The Actions environment of a run on pull request 1347 of octocat/hello-world.
# Cases add to or override it: run_post NAME=VALUE... -- ARGS...
gh_event() {
	# gh_event FILE FORK(0|1)
	local head=octocat/hello-world
	[ "$2" = 1 ] && head=contributor/hello-world
	cat >"$1" <<JSON
{"action": "synchronize", "number": 1347,
 "pull_request": {"number": 1347,
   "base": {"sha": "6dcb09b5b57875f334f61aebed695e2e4193db5e", "repo": {"full_name": "octocat/hello-world"}},
   "head": {"sha": "e5bd3914e2e596debea16f433f57875b5b90bcd6", "repo": {"full_name": "$head"}}},
 "repository": {"full_name": "octocat/hello-world"}}
JSON
}

run_post() {
	local e=(
		"PATH=$PATH" "HOME=${HOME:-/tmp}"
		GITHUB_ACTIONS=true GITHUB_REPOSITORY=octocat/hello-world
		GITHUB_EVENT_NAME=pull_request "GITHUB_EVENT_PATH=$T/event.json"
		"GITHUB_TOKEN=$GH_TOKEN_VALUE" "GITHUB_OUTPUT=$T/output" "GITHUB_STEP_SUMMARY=$T/summary"
		GITHUB_SERVER_URL=https://github.com GITHUB_RUN_ID=4242
		GITHUB_SHA=e5bd3914e2e596debea16f433f57875b5b90bcd6
		SPIN_GATE_HTTP_TIMEOUT=10 SPIN_GATE_HTTP_BACKOFF_BASE=0.05 SPIN_GATE_HTTP_DEADLINE=60
	)
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do e+=("$1"); shift; done
	shift
	rm -f "$T/output" "$T/summary"
	local t0=$SECONDS
	env -i "${e[@]}" "$BIN" post "$@" >"$T/stdout" 2>"$T/stderr"
	rc=$?
	took=$((SECONDS - t0))
}

# The token appears in stdout only on the ::add-mask:: line, never in stderr,
# the outputs or the summary.
token_kept_secret() {
	! grep -q "$GH_TOKEN_VALUE" "$T/stderr" &&
		! grep -v '^::add-mask::' "$T/stdout" | grep -q "$GH_TOKEN_VALUE" &&
		! grep -qs "$GH_TOKEN_VALUE" "$T/output" "$T/summary"
}

# The stand-in's scenarios, for a test that started the fixtures server (its
# port in $FP) behind the recording proxy (its port in $PP).
# load SCENARIO: sets $API to the scenario's base URL (on the proxy) and
# empties the request log.
load() {
	API=$(curl -s --max-time 10 -X POST -H 'Content-Type: application/json' -d "{\"scenario\": \"$1\"}" \
		"http://127.0.0.1:$FP/fixtures" | python3 -c 'import json, sys; print(json.load(sys.stdin)["url"])')
	: >"$T/requests.jsonl"
}
# consumed: every recorded request of the scenario was made (it is used up).
consumed() {
	curl -s --max-time 10 -H 'Accept: application/vnd.github+json' "${API/:$PP/:$FP}/repos/octocat/hello-world" |
		grep -q 'Fixture .* not found'
}

# jq-free queries on the proxy's JSON-lines log: gh_log 'PYTHON EXPR over r (list of requests)'
gh_log() {
	python3 -c 'import json, sys
r = [json.loads(l) for l in open(sys.argv[1])]
v = eval("(" + sys.argv[2] + ")")
sys.exit(0 if v else 1)' "$T/requests.jsonl" "$1"
}
