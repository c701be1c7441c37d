#!/usr/bin/env bash
# spin-gate-test: slow
# `spin-gate export` and `run` / `merge --format`: every scenario's figures
# for Bencher (BMF) and github-action-benchmark (gab). The exports of two
# fixture results compared byte for byte with tests/fixtures/export; each
# format validated against its own definition by a real validator (ajv from
# tests/export, installed by tests/export/setup.sh): BMF against Bencher's
# published schema, gab against its documented format and by gab's own parser
# (src/extract.ts of benchmark-action/github-action-benchmark, vendored in
# tests/export/gab, or SPIN_GATE_GAB_SRC=DIR; compiled by npm typescript).
# Then broken documents, to see each validator refuse; bad input to the
# command, with its exact messages and exit codes. Slow only on a fresh
# machine (npm ci of tests/export).
. "$(dirname "$0")/lib.sh"
cd "$ROOT"
FIX=tests/fixtures/export
msg() { grep -qxF -- "$1" "$T/stderr"; }

# --- the exports of fixture results, byte for byte ---
for pair in results-spin:tests/fixtures/results-spin.json \
	busy-runner-aa:tests/judge/005-busy-runner-aa/results.json \
	cpu-per-items:tests/judge/009-cpu-per-items/results.json; do
	name=${pair%%:*} results=${pair#*:}
	formats="bmf gab"
	# reported metrics (items, better bigger): their values and CPU per item
	[ "$name" = cpu-per-items ] && formats="bmf gab gab-bigger"
	for f in $formats; do
		run_bin export --format "$f" "$results"
		expect "export --format $f $name: exit 0, nothing on stderr" test "$rc" -eq 0 -a ! -s "$T/stderr"
		cp "$T/stdout" "$T/$name.$f.json"
		expect "export --format $f $name: the committed fixture, byte for byte" \
			test_cmp "$FIX/$name.$f.json" "$T/$name.$f.json"
	done
done
run_bin export --format bmf --out "$T/out.bmf.json" tests/fixtures/results-spin.json
expect "--out FILE: exit 0, nothing on stdout" test "$rc" -eq 0 -a ! -s "$T/stdout"
expect "--out FILE: the same bytes as stdout" test_cmp "$FIX/results-spin.bmf.json" "$T/out.bmf.json"

# --- run and merge --format: OUT/export-FORMAT.json beside results.json ---
FAKE=$T/suite
mkdir -p "$FAKE"
cp tests/fixtures/fakesuite/* "$FAKE/"
cat >"$FAKE/thresholds.json" <<'JSON'
{ "version": 1, "confidence": 0.95, "runs": 3, "max_runs": 3,
  "checks": [ { "name": "cpu", "metric": "cpu", "rule": "ratio_max", "value": 2 } ] }
JSON
gate() { # gate OUT [args...]: the fake gate on kind=spin, base 1.0
	local out=$1
	shift
	run_bin run --suite "$FAKE" --base 1.0 --head 2.0 --only kind=spin --runs 3 --max-runs 3 \
		--warmup 0 --out "$T/$out" --cache "$T/cache" --hyperfine "$FAKE/fake-hyperfine" \
		--quiet "$@"
}
gate run --format bmf --format gab
expect_rc "run --format bmf --format gab: 3 rounds leave the spin inconclusive (exit 3)" 3
for f in bmf gab; do
	"$BIN" export --format "$f" "$T/run/results.json" >"$T/run-$f.json"
	expect "run --format $f: OUT/export-$f.json is export's of OUT/results.json" \
		test_cmp "$T/run-$f.json" "$T/run/export-$f.json"
done
expect "run says where they are" grep -qF "spin-gate: wrote $T/run/export-gab.json" "$T/stderr"
gate shard --shard 1/1 --format gab
run_bin merge --out "$T/merged" --format gab "$T/shard/results.json"
expect_rc "merge --format gab: exit 3 as the run" 3
"$BIN" export --format gab "$T/merged/results.json" >"$T/merged-gab.json"
expect "merge --format gab: OUT/export-gab.json is export's of the merged results.json" \
	test_cmp "$T/merged-gab.json" "$T/merged/export-gab.json"
expect "merge without --format writes no export" test ! -e "$T/merged/export-bmf.json"
gate run2
expect "a run without --format moves the earlier exports to OUT/previous" \
	test ! -e "$T/run2/export-gab.json"
gate run
expect "... and leaves none of its own" \
	test ! -e "$T/run/export-gab.json" -a -s "$T/run/previous/export-gab.json"

# --- validated against each format's own definition ---
if bash tests/export/setup.sh >"$T/setup.log" 2>&1; then
	node tests/export/validate.mjs "$FIX/bmf.schema.json" "$FIX"/*.bmf.json \
		"$T/run/previous/export-bmf.json" >"$T/v.out" 2>&1
	rc=$?
	cat "$T/v.out"
	expect "BMF: Bencher's schema accepts every export (ajv)" test "$rc" -eq 0
	node tests/export/validate.mjs "$FIX/gab-custom.schema.json" "$FIX"/*.gab.json \
		"$FIX"/*.gab-bigger.json "$T/merged/export-gab.json" >"$T/v.out" 2>&1
	rc=$?
	cat "$T/v.out"
	expect "gab: its documented format accepts every export (ajv)" test "$rc" -eq 0
	# the negative cases: a value as a string, a missing unit, the formats swapped
	python3 - "$FIX/results-spin.bmf.json" "$FIX/results-spin.gab.json" "$T" <<'PY'
import json, sys
bmf, gab, t = json.load(open(sys.argv[1])), json.load(open(sys.argv[2])), sys.argv[3]
k = next(iter(bmf))
bmf[k]["cpu"]["value"] = str(bmf[k]["cpu"]["value"])
json.dump(bmf, open(t + "/bad.bmf.json", "w"))
del gab[3]["unit"]
json.dump(gab, open(t + "/bad.gab.json", "w"))
PY
	node tests/export/validate.mjs "$FIX/bmf.schema.json" "$T/bad.bmf.json" "$FIX/results-spin.gab.json" >"$T/v.out" 2>&1
	rc=$?
	expect "BMF: a value as a string and a gab file are refused" bash -c "[ $rc -eq 1 ] &&
		grep -qF 'cpu/value must be number' '$T/v.out' &&
		grep -qxF 'not ok - $FIX/results-spin.gab.json' '$T/v.out'"
	node tests/export/validate.mjs "$FIX/gab-custom.schema.json" "$T/bad.gab.json" "$FIX/results-spin.bmf.json" >"$T/v.out" 2>&1
	rc=$?
	expect "gab: an entry without a unit and a BMF file are refused" bash -c "[ $rc -eq 1 ] &&
		grep -qF \"data/3 must have required property 'unit'\" '$T/v.out' &&
		grep -qF 'data must be array' '$T/v.out'"
	SPIN_GATE_GAB_SRC=${SPIN_GATE_GAB_SRC:-$ROOT/tests/export/gab}
	if [ -f "$SPIN_GATE_GAB_SRC/src/extract.ts" ]; then
		node tests/export/gab-extract.mjs "$SPIN_GATE_GAB_SRC" "$FIX"/*.gab.json \
			"$T/merged/export-gab.json" >"$T/x.out" 2>&1
		rc=$?
		cat "$T/x.out"
		expect "gab: github-action-benchmark's own extractResult() reads every export unchanged" test "$rc" -eq 0
		# its parser coerces a missing unit to "undefined"; a BMF file it refuses
		node tests/export/gab-extract.mjs "$SPIN_GATE_GAB_SRC" "$T/bad.gab.json" \
			"$FIX/results-spin.bmf.json" >"$T/x.out" 2>&1
		rc=$?
		expect "gab: its own parser changes an entry without a unit and refuses a BMF file" bash -c "[ $rc -eq 1 ] &&
			grep -qF 'not ok - $T/bad.gab.json: github-action-benchmark'\''s extractResult() changed the entries' '$T/x.out' &&
			grep -qF 'must be JSON file containing an array of entries in BenchmarkResult format' '$T/x.out'"
	else
		not_ok "gab's own parser" "no src/extract.ts in $SPIN_GATE_GAB_SRC"
	fi
else
	not_ok "install tests/export (ajv)" "$(tail -5 "$T/setup.log")"
fi

# --- bad input: exact messages and exit codes ---
run_bin export --format bmf "$T/none.json"
expect_rc "a missing results file: exit 2" 2
expect "... says which" msg "spin-gate: error: cannot read '$T/none.json': No such file or directory"
printf '{"schema": "spin-gate/results", "version": 1, "scenarios": [' >"$T/cut.json"
run_bin export --format gab "$T/cut.json"
expect_rc "a results file that is not JSON: exit 2" 2
expect "... says where" grep -qF "spin-gate: error: cannot read '$T/cut.json': line 1" "$T/stderr"
expect "... and writes nothing" test ! -s "$T/stdout"
run_bin export --format csv tests/fixtures/results-spin.json
expect_rc "an unknown format: exit 2" 2
expect "... names the formats there are" msg "spin-gate: error: --format: unknown format 'csv' (expected bmf, gab, gab-bigger)"
run_bin export tests/fixtures/results-spin.json
expect_rc "no format: exit 2" 2
expect "... says it is required" msg "spin-gate: error: --format is required (bmf, gab, gab-bigger)"
run_bin export --format bmf tests/fixtures/results-spin.json tests/fixtures/results-fixed.json
expect_rc "two results files: exit 2" 2
expect "... says one" msg "spin-gate: error: give exactly one results file"
run_bin export --format bmf --out "$T/no/such/dir/x.json" tests/fixtures/results-spin.json
expect_rc "an output that cannot be written: exit 4" 4
expect "... says which" grep -qF "spin-gate: error: cannot " "$T/stderr"
"$BIN" export --format bmf tests/fixtures/results-spin.json >/dev/full 2>"$T/stderr"
rc=$?
expect_rc "stdout that cannot be written (/dev/full): exit 4" 4
expect "... says so" msg "spin-gate: error: cannot write the export to stdout: No space left on device"
gate bad --format csv
expect_rc "run --format csv: exit 2 before anything runs" 2
expect "... names the formats there are" grep -qF "spin-gate: error: --format: unknown format 'csv' (expected bmf, gab, gab-bigger)" "$T/stderr"
expect "... and measures nothing" test ! -e "$T/bad"
run_bin merge --out "$T/m2" --format xml "$T/shard/results.json"
expect_rc "merge --format xml: exit 2" 2
expect "... names the formats there are" grep -qF "spin-gate: error: --format: unknown format 'xml' (expected bmf, gab, gab-bigger)" "$T/stderr"
e2e_done
