#!/usr/bin/env bash
# spin-gate-test: slow (skipped by tests/run.sh --e2e-fast, e.g. under make asan)
# The real thing on a reduced matrix: bytewax 0.16.0 (idle workers spin) and
# 0.16.1 (they park), installed from PyPI wheels into python3.9 venvs by the
# suite's setup, timed by the real hyperfine. The idle dynamic-input scenario
# only: ~5 s a run; a fail needs 6 rounds (the look-corrected level). (The
# full matrix is `make gate`.)
. "$(dirname "$0")/lib.sh"
cd "$ROOT"
export SPIN_GATE_CACHE=$T/cache
# py-spy where make deps put it (scripts/deps.sh profile), the test's cache being its own
PATH=${XDG_CACHE_HOME:-$HOME/.cache}/spin-gate/tools/py-spy/bin:$PATH

gate() { # gate NAME BASE HEAD
	OUT=$T/out-$1
	run_bin run --base "$2" --head "$3" --out "$OUT" --runs 3 --max-runs 8 \
		--only input=dynamic --only long_input=True --only heavy_map=False
}
field() { # field PYTHON-EXPRESSION-ON-r: prints it
	python3 -c "import json,sys; r=json.load(open(sys.argv[1])); print($1)" "$OUT/results.json"
}

gate fix v0.16.0 v0.16.1
expect "0.16.0 -> 0.16.1 passes (exit 0)" test "$rc" -eq 0
expect "revisions resolved to the PyPI releases" test "$(field 'r["revisions"]["base"]["resolved"], r["revisions"]["head"]["resolved"]')" = "0.16.0 0.16.1"
expect "python3.9 runs both" bash -c "[ \"\$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(r[\"revisions\"][\"head\"][\"runtime\"])' '$OUT/results.json')\" = 'Python 3.9.2 bytewax 0.16.1' ]"
cpu_ratio=$(field '[c for c in r["checks"] if c["check"]=="idle-cpu"][0]["ratio"]')
echo "# idle-cpu head/base = $cpu_ratio"
expect "idle CPU falls at least 5x (head/base $cpu_ratio <= 0.2)" python3 -c "import sys; sys.exit(not float('$cpu_ratio') <= 0.2)"
expect "wall holds" test "$(field '[c["status"] for c in r["checks"] if c["check"]=="wall"][0]')" = pass

gate bug v0.16.1 v0.16.0
expect "0.16.1 -> 0.16.0 fails (exit 1)" test "$rc" -eq 1
expect "the failure names idle-cpu" grep -q 'FAIL.*idle-cpu' "$OUT/verdict.md"
expect "environments were cached" grep -q 'using cached environment' "$T/stderr"
# the failed idle check is profiled once more per side (py-spy: make deps
# installs it): the spinning head's CPU samples are in bytewax's input loop
# (README: `ready`/`next` of dataflow.py under StatelessSource::next)
expect "the failing scenario was profiled with py-spy, both sides" test \
	"$(field '[s["profile"][k]["tool"] for s in r["scenarios"] if s.get("profile") for k in ("base","head")]')" = "['py-spy', 'py-spy']"
expect "head (the spin) has more CPU samples than base" python3 -c '
import json,sys; r=json.load(open(sys.argv[1]))
p=[s["profile"] for s in r["scenarios"] if s.get("profile")][0]
sys.exit(not p["head"]["samples"] > 2 * p["base"]["samples"])' "$OUT/results.json"
expect "head's top frames are bytewax's input loop" python3 -c '
import json,sys; r=json.load(open(sys.argv[1]))
p=[s["profile"] for s in r["scenarios"] if s.get("profile")][0]
names=" ".join((f["frame"] or "")+" "+(f.get("under") or "") for f in p["head"]["top"])
print("# head top:", names)
sys.exit(not any(w in names for w in ("dataflow.py", "bytewax", "pyo3")))' "$OUT/results.json"
expect "verdict.md has the profile line and the flame graph" grep -q '\*\*Profile\*\* of .*flame graph' "$OUT/verdict.md"

gate same v0.16.1 v0.16.1
expect "0.16.1 -> 0.16.1 passes: no false alarm" test "$rc" -eq 0

# the suite's launcher and dataflow, run directly in the prepared 0.16.1 environment
PY=$(ls -d "$SPIN_GATE_CACHE"/envs/bytewax/version-0.16.1-*/bin/python | head -1)
cd scenarios/bytewax
for inp in partitioned dynamic; do
	n=$("$PY" cluster.py 2 "dataflow:get_flow(input='$inp', long_input=False, heavy_map=False)" | wc -l)
	expect "unpaced $inp input carries 320 items on 2 processes (got $n)" test "$n" -eq 320
done
start=$(date +%s)
timeout 60 "$PY" cluster.py 2 "dataflow:no_such_flow()" >/dev/null 2>&1
rc=$?
expect "launcher: a failing process fails the run at once (rc=$rc)" \
	test "$rc" -ne 0 -a "$rc" -ne 124 -a $(( $(date +%s) - start )) -lt 30
cd "$ROOT"

gate missing v0.16.1 v99.0.0
expect "a release that does not exist: exit 4" test "$rc" -eq 4
expect "... with a clear message" grep -q "cannot install bytewax 99.0.0" "$T/stderr"
e2e_done
