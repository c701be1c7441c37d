#!/usr/bin/env bash
# What a scenario (the pull request's code) can do to the gate's machine,
# timed by the real hyperfine on a tiny suite: its logs are capped, and
# processes it leaves running are reported, killed and their CPU counted,
# and neither it nor the setup gets the runner's token or file commands.
. "$(dirname "$0")/lib.sh"

S=$T/suite
mkdir -p "$S"
cat >"$S/suite.json" <<'JSON'
{ "name": "limits",
  "parameters": [ { "name": "kind", "values": ["big", "daemon", "escape", "spinner", "env"] } ],
  "command": ["${suite_dir}/scenario.sh", "${kind}"],
  "cores": "1", "timeout": 30,
  "setup": { "version": ["${suite_dir}/setup.sh", "${env}"], "timeout": 30 } }
JSON
cat >"$S/thresholds.json" <<'JSON'
{ "version": 1, "runs": 2, "max_runs": 2,
  "checks": [ { "name": "wall", "metric": "wall", "rule": "ratio_max", "value": 100 } ] }
JSON
cat >"$S/setup.sh" <<'SH'
#!/bin/sh
mkdir -p "$1"
env >"$1/setup-env.txt"
echo "PWNED_BY_SETUP=1" >>"${GITHUB_ENV:-/dev/null}"
SH
cat >"$S/scenario.sh" <<'SH'
#!/bin/sh
case "$1" in
big) # 3 MB of output per run, marked at both ends
	echo BEGIN
	head -c 3000000 /dev/zero | tr '\0' x
	echo
	echo END ;;
daemon) sleep 3031 & exit 0 ;;           # left in the process group
escape) setsid sleep 3032 & exit 0 ;;    # left the group
spinner) setsid sh -c 'while :; do :; done' & sleep 0.5; exit 0 ;;
env) # what a hostile pull request would try
	env | sed 's/^/ENV: /'
	echo "PWNED=1" >>"${GITHUB_ENV:-/dev/null}"
	echo "/pwned" >>"${GITHUB_PATH:-/dev/null}" ;;
esac
SH
chmod +x "$S/setup.sh" "$S/scenario.sh"
gate() { # gate NAME [args...]
	OUT=$T/out-$1
	shift
	run_bin run --suite "$S" --base 1.0 --head 1.1 --out "$OUT" --warmup 0 \
		--cache "$T/cache" "$@"
}

gate big --only kind=big
# two rounds decide little on a busy machine: a pass or inconclusive, no run error
passed() { [ "$rc" -eq 0 ] || [ "$rc" -eq 3 ]; }
expect "big output: measured (exit 0 or 3)" passed
for side in base head; do
	log=$OUT/logs/scenario-1-$side.log
	expect "big output: the $side log is capped, its start, end and what was dropped said" python3 -c '
import sys
b = open(sys.argv[1], "rb").read()
run = len(b"BEGIN\n") + 3000000 + len(b"\nEND\n")
head, tail = 65536, 1048576
mark = b"\n[spin-gate: %d bytes of output dropped here; a scenario log keeps its first 64 KiB and its last 1 MiB]\n" % (2 * run - head - tail)
assert b.startswith(b"BEGIN\nxxx"), b[:20]
assert b.endswith(b"xxx\nEND\n"), b[-20:]
assert b[head:head + len(mark)] == mark, b[head:head + 200]
assert len(b) == head + len(mark) + tail, len(b)
' "$log"
done

gate left --only kind=daemon --only kind=escape --only kind=spinner
expect "leftovers: measured (exit 0 or 3)" passed
for k in daemon escape spinner; do
	expect "leftovers: a warning names scenario kind=$k and its first run" grep -Eq "^spin-gate: warning: scenario kind=$k: (base|head) round 1 left 1 process\(es\) running after its command ended: killed, and their CPU counted in the run's" "$T/stderr"
done
expect "leftovers: results.json counts them per scenario and side" python3 -c '
import json,sys; r=json.load(open(sys.argv[1]))
s={x["params"]["kind"]: x for x in r["scenarios"]}
for k in ("daemon","escape","spinner"):
    for side in ("base","head"):
        lb=s[k]["left_behind"][side]
        assert lb["runs"]==2 and lb["processes"]==2, (k, side, lb)
for side in ("base","head"):
    cpu=s["spinner"]["left_behind"][side]["cpu"]
    assert cpu > 0.1, (side, cpu)  # 2 runs of 0.5 s spinning
    assert sum(x["user"]+x["system"] for x in s["spinner"]["samples"][side]) >= cpu
' "$OUT/results.json"
for pat in "sleep 3031" "sleep 3032" "while :; do :; done"; do
	expect "leftovers: no '$pat' left running" no_live "$pat"
done
run_bin judge --thresholds "$S/thresholds.json" --out "$T/judged" "$OUT/results.json"
expect "leftovers: judge keeps left_behind" python3 -c '
import json,sys; a=json.load(open(sys.argv[1])); b=json.load(open(sys.argv[2]))
assert [x.get("left_behind") for x in a["scenarios"]] == [x.get("left_behind") for x in b["scenarios"]]
' "$OUT/results.json" "$T/judged/results.json"
expect "a scenario that leaves nothing has no left_behind" python3 -c '
import json,sys; r=json.load(open(sys.argv[1])); assert "left_behind" not in r["scenarios"][0]
' "$T/out-big/results.json"

# The runner's secrets and file commands, as a job step has them.
: >"$T/github_env"
: >"$T/github_path"
envgate() { # envgate NAME [args...]: the gate as a job step would run it
	GITHUB_TOKEN=secret-token MY_TOKEN=secret-mine ACTIONS_RUNTIME_TOKEN=secret-runtime \
		ACTIONS_ID_TOKEN_REQUEST_TOKEN=secret-oidc ACTIONS_ID_TOKEN_REQUEST_URL=https://oidc \
		ACTIONS_CACHE_URL=https://cache ACTIONS_RESULTS_URL=https://results \
		GITHUB_ENV=$T/github_env GITHUB_PATH=$T/github_path GITHUB_OUTPUT=$T/github_output \
		GITHUB_STATE=$T/github_state GITHUB_STEP_SUMMARY=$T/github_summary SG_OTHER=kept \
		gate "$@" --only kind=env
}
envgate env --token-env MY_TOKEN --rebuild
expect "env: measured (exit 0 or 3)" passed
log=$OUT/logs/scenario-1-head.log
expect "env: the scenario printed its environment" grep -q "^ENV: SG_OTHER=kept$" "$log"
expect "env: no token, no runner file command in the runs' environment" fails grep -E "^ENV: (GITHUB_TOKEN|MY_TOKEN|ACTIONS_RUNTIME_TOKEN|ACTIONS_ID_TOKEN_REQUEST_TOKEN|ACTIONS_ID_TOKEN_REQUEST_URL|ACTIONS_CACHE_URL|ACTIONS_RESULTS_URL|GITHUB_ENV|GITHUB_PATH|GITHUB_OUTPUT|GITHUB_STATE|GITHUB_STEP_SUMMARY)=" "$OUT/logs/scenario-1-base.log" "$log"
expect "env: no secret anywhere in OUT" fails grep -rq "secret-" "$OUT"
envsetup=$(ls "$T"/cache/envs/limits/version-1.1-*/setup-env.txt)
expect "env: the setup got no token either" sh -c 'grep -q "^SG_OTHER=kept$" "$1" && ! grep -q "secret-" "$1" && ! grep -q "^GITHUB_ENV=" "$1"' _ "$envsetup"
expect "env: GITHUB_ENV and GITHUB_PATH were not written" sh -c '[ ! -s "$1" ] && [ ! -s "$2" ]' _ "$T/github_env" "$T/github_path"

# A suite asks for a withheld variable by name (pass_env); env may set one.
python3 - "$S/suite.json" <<'PY'
import json,sys; p=sys.argv[1]; s=json.load(open(p))
s["pass_env"]=["ACTIONS_CACHE_URL"]; s["env"]={"GITHUB_TOKEN": "from-the-suite"}
json.dump(s,open(p,"w"))
PY
envgate pass --rebuild
log=$OUT/logs/scenario-1-head.log
expect "pass_env: that variable is passed" grep -q "^ENV: ACTIONS_CACHE_URL=https://cache$" "$log"
expect "pass_env: env sets GITHUB_TOKEN to the suite's value" grep -q "^ENV: GITHUB_TOKEN=from-the-suite$" "$log"
expect "pass_env: the others are still withheld" fails grep -qE "^ENV: (ACTIONS_RUNTIME_TOKEN|GITHUB_ENV)=" "$log"
python3 - "$S/suite.json" <<'PY'
import json,sys; p=sys.argv[1]; s=json.load(open(p)); s["pass_env"]=["NOT A NAME"]; json.dump(s,open(p,"w"))
PY
gate badpass --only kind=env
expect "pass_env: a non-name is refused (exit 2)" sh -c '[ "$1" -eq 2 ] && grep -q "pass_env\[0\]: '"'"'NOT A NAME'"'"' is not a variable name" "$2"' _ "$rc" "$T/stderr"

e2e_done
