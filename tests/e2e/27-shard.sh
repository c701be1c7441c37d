#!/usr/bin/env bash
# One gate in shards: `run --shard K/N` measures a slice of the matrix,
# `merge` checks that the shards belong together and judges them as one.
# Runs are timed by the fake hyperfine (tests/fixtures/fakesuite), whose
# figures depend only on the scenario and the revision, so the merged
# verdict can be held against `judge` of the very same samples put in one
# file, and against an unsharded run.
. "$(dirname "$0")/lib.sh"

FAKE=$ROOT/tests/fixtures/fakesuite
SUITE=$T/suite
mkdir -p "$SUITE"
cp "$FAKE/setup.sh" "$FAKE/fake-hyperfine" "$SUITE/"
cat >"$SUITE/suite.json" <<'JSON'
{ "name": "fake6",
  "parameters": [ { "name": "n", "values": ["1", "2", "3"] },
                  { "name": "kind", "values": ["spin", "flat"] } ],
  "command": ["${env}/run", "${n}", "${kind}"],
  "cores": "1", "timeout": 10,
  "setup": { "version": ["${suite_dir}/setup.sh", "${version}", "${env}"], "timeout": 10 } }
JSON
cat >"$SUITE/thresholds.json" <<'JSON'
{ "version": 1, "confidence": 0.95, "runs": 3, "max_runs": 8,
  "checks": [ { "name": "cpu", "metric": "cpu", "rule": "ratio_max", "value": 2 } ] }
JSON
gate() { # gate OUT [args...]: the fake gate, base 1.0
	local out=$1
	shift
	run_bin run --suite "$SUITE" --base 1.0 --out "$T/$out" --warmup 0 --cache "$T/cache" \
		--hyperfine "$SUITE/fake-hyperfine" --quiet "$@"
}
msg() { grep -qF -- "$1" "$T/stderr"; }

# --- the slice asked for ---
for bad in 0/3 4/3 1/300 3 x/3 01/3 1/3/; do
	gate bad --head 2.0 --shard "$bad"
	expect "--shard $bad: exit 2" test "$rc" -eq 2
done
gate bad --head 2.0 --shard 4/3
expect "--shard 4/3 says why" msg "spin-gate: error: --shard: '4/3': shard 4 of 3 does not exist (K is 1 to N)"
gate bad --head 2.0 --shard 1/300
expect "--shard 1/300 says why" msg "at most 256 shards"
gate bad --head 2.0 --timings "$T/none.json"
expect "--timings without --shard: exit 2" test "$rc" -eq 2
expect "--timings without --shard says why" msg "--timings is for --shard K/N"
gate bad --head 2.0 --shard 1/2 --post
expect "--post with --shard: exit 2" test "$rc" -eq 2
expect "--post with --shard says why" msg "--post with --shard would post one slice's verdict: post what 'spin-gate merge' writes"

# --- one unsharded run, then three shards ---
gate whole --head 2.0
expect "the unsharded gate fails on the spin (exit 1)" test "$rc" -eq 1
for k in 1 2 3; do
	gate s$k --head 2.0 --shard $k/3
	cp "$T/stderr" "$T/stderr-s$k"
	expect "shard $k/3 exits as run over its slice (1: it has a spinning scenario)" test "$rc" -eq 1
	expect "shard $k/3 says what it measures" grep -q "shard $k/3: 2 of the matrix's 6 scenario(s), balanced by timeout" "$T/stderr-s$k"
done
expect "the shards cover the matrix once, each with its digests and machine" python3 -c '
import json,sys
seen=[]
for p in sys.argv[1:]:
    r=json.load(open(p)); s=r["shard"]
    assert s["count"]==3 and s["matrix"]==6 and len(s["scenarios"])==len(r["scenarios"])==2, s
    assert len(r["suite"]["digest"])==16 and len(r["thresholds"]["digest"])==16, r["suite"]
    assert r["environment"]["cpu_model"] and r["environment"]["cores"]>0
    seen+=s["scenarios"]
assert sorted(seen)==list(range(6)), seen
' "$T"/s{1,2,3}/results.json

run_bin merge "$T"/s{3,1,2}/results.json --out "$T/merged"
expect "merge judges the shards as one: exit 1 like the unsharded run" test "$rc" -eq 1
expect "merge prints the table and the verdict" grep -q "^FAIL: 3 of 6 checks failed" "$T/stdout"
expect "merge writes results.json, verdict.md and report.html" test -s "$T/merged/results.json" -a -s "$T/merged/verdict.md" -a -s "$T/merged/report.html"
expect "each merged scenario records its machine; the file says it was merged" python3 -c '
import json,sys
r=json.load(open(sys.argv[1]))
assert r["merged"]["shards"]==3 and "shard" not in r and r["complete"]
assert [s["name"] for s in r["scenarios"]]==["n=%s kind=%s"%(n,k) for n in "123" for k in ("spin","flat")]
for s in r["scenarios"]:
    assert s["machine"]["host"] and s["machine"]["cores"]>0, s.get("machine")
' "$T/merged/results.json"
# the same samples in one file, judged by `judge`: the same checks, figure for figure
python3 -c '
import json,sys
shards=[json.load(open(p)) for p in sys.argv[2:]]
one=dict(shards[0]); pairs=[]
for r in shards:
    pairs+=zip(r["shard"]["scenarios"], r["scenarios"])
one["scenarios"]=[s for _,s in sorted(pairs, key=lambda p: p[0])]
del one["shard"]
json.dump(one, open(sys.argv[1],"w"))
' "$T/concat.json" "$T"/s{1,2,3}/results.json
run_bin judge --out "$T/judged" "$T/concat.json"
expect "judge of the concatenated samples: exit 1" test "$rc" -eq 1
expect "merge gives the same checks as judge of the same samples in one file" python3 -c '
import json,sys
a=json.load(open(sys.argv[1])); b=json.load(open(sys.argv[2]))
assert a["checks"]==b["checks"], (a["checks"], b["checks"])
assert a["verdict"]==b["verdict"]=="fail"
assert len(a["checks"])==6
' "$T/merged/results.json" "$T/judged/results.json"
# one run of its own has other contention (a round may be set aside) and one
# adaptive stop for all scenarios: its figures and verdict, not every status
expect "and the same figures and verdict as the unsharded run" python3 -c '
import json,sys
a=json.load(open(sys.argv[1])); b=json.load(open(sys.argv[2]))
key=lambda c: (c["check"], c["scenario"], c["ratio"])
assert sorted(map(key,a["checks"]))==sorted(map(key,b["checks"])), (a["checks"], b["checks"])
assert a["verdict"]==b["verdict"]=="fail"
' "$T/merged/results.json" "$T/whole/results.json"
expect "like machines: the verdict says nothing of machines" fails grep -q "kinds of machine" "$T/merged/verdict.md"
expect "verdict.md's environment says it was merged" grep -q "^- machine: .*(shard 1 of 3 merged; each scenario's machine is in results.json)" "$T/merged/verdict.md"

# --- balanced by a previous run's timings; the slices check lists ---
run_bin check --suite "$SUITE" --shards 3 --timings "$T/whole/results.json"
expect "check --shards lists every slice and the balance" grep -q "^balance: longest shard / mean = " "$T/stdout"
cp "$T/stdout" "$T/check-out"
gate t2 --head 2.0 --shard 2/3 --timings "$T/whole/results.json"
expect "run --timings balances by timings" python3 -c '
import json,sys,re
r=json.load(open(sys.argv[1]))
assert r["shard"]["balanced_by"]=="timings", r["shard"]
listed=[l for l in open(sys.argv[2]) if l.startswith("  shard 2/3:")][0]
names=listed.split(":",2)[2].strip().split("; ")
assert names==[s["name"] for s in r["scenarios"]], (names, r["scenarios"])
' "$T/t2/results.json" "$T/check-out"

# --- an empty shard ---
gate s7 --head 2.0 --shard 7/7
expect "an empty shard passes (exit 0)" test "$rc" -eq 0
expect "an empty shard says so" msg "shard 7/7 is empty: the matrix has 6 scenario(s) for 7 shards; nothing to measure"
expect "an empty shard's verdict says so" grep -q "^PASS: shard 7/7 is empty: nothing to measure" "$T/stdout"
expect "an empty shard's file is still a shard" python3 -c '
import json,sys; r=json.load(open(sys.argv[1]))
assert r["shard"]["index"]==7 and r["shard"]["scenarios"]==[] and r["scenarios"]==[] and r["complete"]
' "$T/s7/results.json"

for k in 1 2 3 4 5 6; do gate e$k --head 2.0 --shard $k/7; done
run_bin merge --out "$T/merged7" "$T"/e{1,2,3,4,5,6}/results.json "$T/s7/results.json"
expect "7 shards, one of them empty, merge: exit 1" test "$rc" -eq 1
expect "7 shards give the same checks and figures as 3" python3 -c '
import json,sys
a=json.load(open(sys.argv[1])); b=json.load(open(sys.argv[2]))
key=lambda c: (c["check"], c["scenario"], c["ratio"])
assert list(map(key,a["checks"]))==list(map(key,b["checks"])), (a["checks"], b["checks"])
' "$T/merged7/results.json" "$T/merged/results.json"

# --- shards that do not belong together ---
refused() { # refused NAME MESSAGE FILE...
	local name=$1 m=$2
	shift 2
	run_bin merge --out "$T/refused" "$@"
	expect "$name: exit 2" test "$rc" -eq 2
	expect "$name: says which and why" msg "$m"
	expect "$name: nothing written" test ! -e "$T/refused/results.json"
}
refused "a missing shard" "spin-gate: error: shard 3/3 is missing (given: 1, 2)" \
	"$T"/s{1,2}/results.json
refused "a doubled shard" "'$T/s1/results.json' and '$T/s1/results.json' are both shard 1/3" \
	"$T"/s{1,1,2,3}/results.json
# a shard stopped by SIGTERM while its runs take a second each
printf '#!/bin/sh\nsleep 1\nexec "%s" "$@"\n' "$SUITE/fake-hyperfine" >"$T/slow-hyperfine"
chmod +x "$T/slow-hyperfine"
timeout --preserve-status -s TERM 3 "$BIN" run --suite "$SUITE" --base 1.0 --head 2.0 \
	--out "$T/inc" --warmup 0 --cache "$T/cache" --hyperfine "$T/slow-hyperfine" --quiet \
	--shard 3/3 >/dev/null 2>&1
rc=$?
expect "a shard stopped by SIGTERM exits 143" test "$rc" -eq 143
refused "an incomplete shard" "'$T/inc/results.json': shard 3/3 is incomplete (stopped by SIGTERM): measure it again" \
	"$T"/s{1,2}/results.json "$T/inc/results.json"
gate h3 --head 3.0 --shard 3/3
refused "shards of different revisions" "'$T/s1/results.json' and '$T/h3/results.json' measured different head revisions: '2.0' and '3.0'" \
	"$T"/s{1,2}/results.json "$T/h3/results.json"
jq '.suite.digest="0000000000000000"' "$T/s2/results.json" >"$T/suite2.json"
refused "shards of different suites" "were measured with different suites" \
	"$T/s1/results.json" "$T/suite2.json" "$T/s3/results.json"
refused "a file that is not a shard" "'$T/whole/results.json' is not a shard's results" \
	"$T/whole/results.json" "$T"/s{2,3}/results.json

# --- unlike machines merge, and the verdict says so in one line ---
jq '.environment.cores=64 | .environment.cpu_model="Big CPU"' "$T/s2/results.json" >"$T/big2.json"
run_bin merge --out "$T/mixed" "$T/s1/results.json" "$T/big2.json" "$T/s3/results.json"
expect "unlike machines still merge (exit 1, the spin)" test "$rc" -eq 1
expect "verdict.md names the unlike machines in one line" test "$(grep -c "Shards ran on 2 kinds of machine: .* 'Big CPU' 64 cores (2 scenarios)" "$T/mixed/verdict.md")" -eq 1
expect "so does the terminal" grep -q "^Shards ran on 2 kinds of machine" "$T/stdout"
run_bin judge --out "$T/rejudged" "$T/mixed/results.json"
expect "judge of the merged file says it too (the machines are in results.json)" grep -q "Shards ran on 2 kinds of machine" "$T/rejudged/verdict.md"

e2e_done
