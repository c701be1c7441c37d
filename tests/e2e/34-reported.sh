#!/usr/bin/env bash
# Metrics the program reports (suite.json "metrics", src/model/reported.h),
# end to end:
#  1. CPU per item: a head doing 2x the items at 2x the CPU passes a
#     cpu_per:items check that plain CPU fails; a head spinning at the same
#     items fails it (tests/fixtures/metricsuite, fake-hyperfine claims the
#     CPU the run says, so this is exact).
#  2. A consumer-style program (tests/fixtures/consumer: a local queue, its
#     own JSON summary) read by JSON path: halved throughput fails "must not
#     fall by more than 20%" (not 10%: its A/A stays above 0.9x only on a
#     quiet machine), an A/A passes.
#  3. A real pyperf benchmark whose JSON the gate reads.
#  4. Bad input: missing file, a string, NaN, 1e999, 10 MB, the wrong format:
#     each a failed run with its reason in the log and the verdict (exit 4);
#     the good scenario's results are kept. An undeclared metric in a check,
#     a metric name with a control character: refused before anything runs.
. "$(dirname "$0")/lib.sh"

FAKE=$ROOT/tests/fixtures/metricsuite/fake-hyperfine
# pyperf where make deps puts it (scripts/deps.sh pyperf), before the test's own cache
tools_cache=${SPIN_GATE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/spin-gate}
pyperf=$tools_cache/tools/pyperf-2.11.0
export SPIN_GATE_CACHE=$T/cache
gate() { # gate OUT SUITE THRESHOLDS BASE HEAD [args...]
	local out=$T/$1 suite=$2 thr=$3 base=$4 head=$5
	shift 5
	run_bin run --suite "$suite" --thresholds "$thr" --base "$base" --head "$head" \
		--out "$out" --warmup 0 --no-profile --hyperfine "$FAKE" "$@"
	OUT=$out
}
status_of() { # status_of CHECK SCENARIO: the check's status in $OUT/results.json
	python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
print(" ".join(c["status"] for c in r["checks"] if c["check"] == sys.argv[2] and c["scenario"] == sys.argv[3]))
' "$OUT/results.json" "$1" "$2"
}

# 1. cpu_per:items
cat >"$T/items.json" <<'JSON'
{ "version": 1, "confidence": 0.9, "runs": 5, "max_runs": 10,
  "checks": [
    { "name": "idle-cpu", "role": "idle", "metric": "cpu", "rule": "ratio_max", "value": 1.5 },
    { "name": "cpu-per-item", "role": "idle", "metric": "cpu_per:items", "rule": "ratio_max",
      "value": 1.5 } ] }
JSON
gate items "$ROOT/tests/fixtures/metricsuite" "$T/items.json" 1.0 2.0 --all-checks
expect_rc "the spinning head fails (exit 1)" 1
expect "2x items at 2x CPU: plain CPU fails" test "$(status_of idle-cpu mode=more)" = fail
expect "2x items at 2x CPU: CPU per item passes" test "$(status_of cpu-per-item mode=more)" = pass
expect "same items at 2x CPU: CPU per item fails" test "$(status_of cpu-per-item mode=spin)" = fail
expect "results.json: every sample carries what it reported, the scenario its declaration" \
	python3 - "$OUT/results.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
for s in r["scenarios"]:
    assert s["metrics"] == [{"name": "items", "unit": "item", "better": "bigger"}], s["metrics"]
    for side in ("base", "head"):
        want = 2000 if side == "head" and s["params"]["mode"] == "more" else 1000
        got = [x["reported"] for x in s["samples"][side]]
        assert len(got) >= 5 and got == [{"items": want}] * len(got), got
PY
expect "terminal: CPU per item with its unit" \
	grep -Eq '^fail +cpu-per-item +mode=spin +cpu_per:items +101 us CPU/item +202 us CPU/item +2.00x' "$T/stdout"
expect "verdict.md: the failed check's row" \
	grep -q '^| cpu-per-item | mode=spin | cpu_per:items | 101 us CPU/item | 202 us CPU/item | 2.00x | \*\*fail\*\* |' "$OUT/verdict.md"
expect "verdict.md: what the scenarios report, with unit and direction" \
	grep -q '^\*\*Reported\*\*: items (item, bigger is better)' "$OUT/verdict.md"
expect "report.html: the reported metric's unit" grep -q '202 us CPU/item' "$OUT/report.html"
expect "report.html: a strip plot of the reported items per scenario, on its own scale" python3 - "$OUT/report.html" <<'PY'
import re, sys
h = open(sys.argv[1]).read()
figs = re.findall(r'<figure>.*?</figure>', h, re.S)
items = [f for f in figs if 'items (item), as the program reported it, per run' in f]
assert len(items) == 2, len(items)          # one per scenario: mode=more, mode=spin
f = items[0]
assert 'data-metric="items"' in f and 'aria-label="items of every run of ' in f, f[:300]
assert len(re.findall(r'<(circle|path) class="dot', f)) >= 10, f[:300]
assert '2000 item</text>' in f or '2,000 item</text>' in f or re.search(r'>[0-9.,]+ ?k? ?item</text>', f), f
PY
expect "verdict.md: each scenario's medians have a column for it, with its unit" \
	grep -q '^| head | [0-9]* | 1.00 s | 0.20[0-9] s | 0.00 s | 0.20[0-9] s | 20% | 2000 item |$' "$OUT/verdict.md"
run_bin judge --thresholds "$T/items.json" --out "$T/judged" "$OUT/results.json"
expect_rc "judge on the stored results: the same verdict" 1

# 2. a consumer's own summary, by JSON path
cat >"$T/consumer.json" <<'JSON'
{ "version": 1, "confidence": 0.8, "runs": 4, "max_runs": 10,
  "checks": [
    { "name": "throughput", "description": "throughput must not fall by more than 20%",
      "metric": "throughput", "rule": "ratio_min", "value": 0.8 } ] }
JSON
gate aa "$ROOT/tests/fixtures/consumer" "$T/consumer.json" 1.0 1.1
expect_rc "consumer A/A passes" 0
expect "consumer: throughput and p99 read from its summary" python3 - "$OUT/results.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))["scenarios"][0]
for x in s["samples"]["base"] + s["samples"]["head"]:
    assert 1000 < x["reported"]["throughput"] < 2100, x  # 200 messages, 4 x 25 ms
    assert 0 < x["reported"]["p99"] < 1, x
PY
run_bin judge --thresholds "$T/items.json" --out "$T/judged-aa" "$OUT/results.json"
expect_rc "judge: a check on a metric these results lack is an error (exit 4)" 4
expect "judge: and says which" grep -q "^error cpu-per-item on consumer: 'items' is not a metric this scenario reports (suite's \"metrics\")$" "$T/stdout"
gate halved "$ROOT/tests/fixtures/consumer" "$T/consumer.json" 1.0 2.0
expect_rc "consumer: halved throughput fails" 1
expect "consumer: the throughput check failed" test "$(status_of throughput consumer)" = fail

# 3. pyperf
[ -f "$pyperf/pyperf/__init__.py" ] ||
	SPIN_GATE_CACHE=$tools_cache bash "$ROOT/scripts/deps.sh" pyperf >&2 || true
if [ ! -f "$pyperf/pyperf/__init__.py" ]; then
	not_ok "pyperf is installed (scripts/deps.sh pyperf)"
else
	mkdir -p "$T/pyperf"
	cat >"$T/pyperf/bench.py" <<'PY'
import pyperf
pyperf.Runner().timeit("loop", "sum(range(200))")
PY
	cat >"$T/pyperf/setup.sh" <<'SH'
#!/bin/sh
set -eu
mkdir -p "$2"
printf '#!/bin/sh\nexec python3 %s/bench.py -p 1 -n 3 -w 0 -l 200 -q -o "$SPIN_GATE_METRICS"\n' \
	"$(dirname "$0")" >"$2/run"
chmod +x "$2/run"
SH
	chmod +x "$T/pyperf/setup.sh"
	cat >"$T/pyperf/suite.json" <<JSON
{ "name": "pyperf", "parameters": [], "command": ["\${env}/run"], "cores": "1", "timeout": 20,
  "env": { "PYTHONPATH": "$pyperf" },
  "setup": { "version": ["\${suite_dir}/setup.sh", "\${version}", "\${env}"], "timeout": 10 },
  "metrics": [ { "name": "loop", "unit": "s", "better": "smaller", "format": "pyperf",
                 "benchmark": "loop" } ] }
JSON
	cat >"$T/pyperf.json" <<'JSON'
{ "version": 1, "confidence": 0.8, "runs": 4, "max_runs": 4,
  "checks": [ { "name": "loop", "metric": "loop", "rule": "head_max", "value": 0.001 } ] }
JSON
	gate pyperf "$T/pyperf/suite.json" "$T/pyperf.json" 1.0 1.1
	expect_rc "pyperf: the gate judges the benchmark's own timings" 0
	expect "pyperf: each run's mean of pyperf's values, in seconds" python3 - "$OUT/results.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))["scenarios"][0]
v = [x["reported"]["loop"] for x in s["samples"]["base"] + s["samples"]["head"]]
assert len(v) == 8 and all(1e-7 < x < 1e-3 for x in v), v
PY
fi

# 4. bad input
python3 - "$ROOT/tests/fixtures/metricsuite/suite.json" "$T/bad-suite.json" "$ROOT" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
s["parameters"][0]["values"] = ["more", "missing", "string", "nan", "inf", "huge", "gab", "once"]
s["setup"]["version"][0] = sys.argv[3] + "/tests/fixtures/metricsuite/setup.sh"
json.dump(s, open(sys.argv[2], "w"))
PY
cat >"$T/per.json" <<'JSON'
{ "version": 1, "confidence": 0.9, "runs": 3, "max_runs": 3,
  "checks": [ { "name": "cpu-per-item", "metric": "cpu_per:items", "rule": "ratio_max", "value": 1.5 } ] }
JSON
gate bad "$T/bad-suite.json" "$T/per.json" 1.0 1.1
expect_rc "bad metrics files: the verdict is an error (exit 4)" 4
python3 - "$OUT/results.json" >"$T/errors" <<'PY'
import json, re, sys
r = json.load(open(sys.argv[1]))
for s in r["scenarios"]:
    e = s["error"] or "-"
    e = re.sub(r"'[^']*/\.tmp/[^']*'", "'M'", e)
    e = re.sub(r"\(output: [^)]*\)", "(output: LOG)", e)
    print(s["params"]["mode"], e)
PY
cat >"$T/want" <<'EOF'
more -
missing cannot read metrics file 'M': No such file or directory in base round 1 (output: LOG)
string metrics file 'M': its value is a string, not a number in head round 1 (output: LOG)
nan cannot read 'M': line 1, column 30: invalid JSON in base round 1 (output: LOG)
inf metrics file 'M': its value is not a finite number in head round 1 (output: LOG)
huge metrics file 'M' is 10485760 bytes (at most 4194304): not read in base round 1 (output: LOG)
gab metrics file 'M': expected the Bencher Metric Format (an object of benchmarks), got an array in head round 1 (output: LOG)
once cannot read metrics file 'M': No such file or directory in head round 2 (output: LOG)
EOF
expect "each bad file is a failed run, and says why" test_cmp "$T/want" "$T/errors"
expect "the good scenario's runs are kept and judged" test "$(status_of cpu-per-item mode=more)" = pass
expect "the reason is in the scenario's log" \
	grep -q "^spin-gate: error: metrics file '.*' is 10485760 bytes (at most 4194304): not read$" "$OUT/logs/scenario-6-base.log"
expect "and in verdict.md" grep -q 'its value is not a finite number in head round 1' "$OUT/verdict.md"
expect "no metrics file is left in the gate's temporary directory" \
	test -z "$(ls -A "$OUT/.tmp" 2>/dev/null)"

cat >"$T/undeclared.json" <<'JSON'
{ "version": 1, "checks": [ { "name": "msgs", "metric": "msgs_per_cpu_s", "rule": "ratio_min",
  "value": 0.9 } ] }
JSON
run_bin check --suite "$ROOT/tests/fixtures/metricsuite" --thresholds "$T/undeclared.json"
expect_rc "a check on a metric the suite does not report: refused (exit 2)" 2
echo "spin-gate: error: '$T/undeclared.json': check 'msgs': 'msgs' is neither a measured metric nor one suite 'metrics' reports (it declares: items)" >"$T/want"
expect "and says which it reports" test_cmp "$T/want" "$T/stderr"
gate none "$ROOT/tests/fixtures/metricsuite" "$T/undeclared.json" 1.0 2.0
expect_rc "run refuses it before measuring (exit 2)" 2
expect "nothing was measured" test ! -e "$T/none/results.json"

python3 - "$ROOT/tests/fixtures/metricsuite/suite.json" "$T/ctl.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
s["metrics"][0]["name"] = "it\x01ems"
json.dump(s, open(sys.argv[2], "w"))
PY
run_bin check --suite "$T/ctl.json" --thresholds "$T/items.json"
expect_rc "a metric name with a control character: refused (exit 2)" 2
echo "spin-gate: error: '$T/ctl.json': metrics[0].name: a metric's name is 1 to 64 printable ASCII characters, no spaces, no ':', not ending in \"_per_cpu_s\"" >"$T/want"
expect "and says what a name may be" test_cmp "$T/want" "$T/stderr"

e2e_done
