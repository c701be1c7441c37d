#!/usr/bin/env bash
# spin-gate-test: slow
# report.html in a real browser: Debian's chromium driven by npm
# playwright-core (tests/browser/check-report.mjs): no console errors, no
# network requests, a plot per scenario with one mark per stored run, the
# documented colours and shapes, nothing wider than the viewport at 375 px
# and 1280 px nor when printed, the checks table whole at 1280 px (no column
# behind a scroll, names wrapped at most twice); screenshots kept in $SPIN_GATE_SHOTS (default
# build/screenshots). Then a page broken on purpose, to see the check bite.
# verdict.md's mermaid charts rendered by mermaid itself (npm mermaid in the
# same chromium, tests/browser/check-mermaid.mjs): an SVG without an error,
# one bar per value; and a chart broken on purpose (an invalid xychart line).
# Slow: installs chromium (tests/browser/setup.sh) on a fresh machine.
. "$(dirname "$0")/lib.sh"
cd "$ROOT"

bash tests/browser/setup.sh >"$T/setup.log" 2>&1 ||
	{ not_ok "install chromium and playwright-core" "$(tail -5 "$T/setup.log")"; e2e_done; }
shots=${SPIN_GATE_SHOTS:-$ROOT/build/screenshots}
mkdir -p "$shots"

run_bin report --out "$T/r" tests/fixtures/results-spin.json
expect "report written" test "$rc" -eq 0
node tests/browser/check-report.mjs "$T/r/report.html" tests/fixtures/results-spin.json "$shots" >"$T/browser.out" 2>&1
rc=$?
cat "$T/browser.out"
expect_rc "the browser's checks all pass" 0
expect "the browser's checks all pass" bash -c "grep -q '^ok - no network requests' '$T/browser.out'"
expect "screenshots at both widths" bash -c "[ -s '$shots/report-375.png' ] && [ -s '$shots/report-1280.png' ]"

# the negative case: a fetched image, a dot fewer, a page wider than a phone
mkdir -p "$T/bad" "$T/bad-shots"
python3 - "$T/r/report.html" "$T/bad/report.html" <<'PY'
import re, sys
s = open(sys.argv[1], encoding="utf-8").read()
s = re.sub(r'<circle class="dot base" data-metric="wall"[^>]*>.*?</circle>', "", s, count=1)
s = s.replace("<main>", '<main><img src="http://127.0.0.1:9/x.png" alt=""><div style="width:900px">wide</div>', 1)
s = s.replace('<td class="name scen">', '<td class="name scen" style="min-width:40rem">', 1)
open(sys.argv[2], "w", encoding="utf-8").write(s)
PY
node tests/browser/check-report.mjs "$T/bad/report.html" tests/fixtures/results-spin.json "$T/bad-shots" >"$T/bad.out" 2>&1
rc=$?
expect "a broken page fails: exit 1" test "$rc" -eq 1
expect "a broken page: the request, the missing mark and the width are each caught" bash -c "
	grep -q '^not ok - no network requests' '$T/bad.out' &&
	grep -q '^not ok - one mark per stored run per side and metric' '$T/bad.out' &&
	grep -q '^not ok - 375px: no horizontal scrolling of the page' '$T/bad.out'"
expect "a broken page: a checks table wider than a laptop is caught at 1280 px" bash -c "
	grep -q '^not ok - 1280px: the checks table fits, no column cut behind a scroll' '$T/bad.out'"

# verdict.md's charts as GitHub draws them: mermaid itself
run_bin judge --out "$T/j" tests/fixtures/results-spin.json
expect "verdict written" test "$rc" -eq 1 -a -s "$T/j/verdict.md"
node tests/browser/check-mermaid.mjs "$T/j/verdict.md" tests/fixtures/results-spin.json "$shots" >"$T/mermaid.out" 2>&1
rc=$?
cat "$T/mermaid.out"
expect "mermaid renders both charts, 2 series x 8 bars each" bash -c "[ $rc -eq 0 ] &&
	[ \$(grep -c '^ok - chart [12]: one bar per value (2 series x 8 labels)' '$T/mermaid.out') = 2 ] &&
	grep -q '^ok - chart 2: mermaid renders it without an error' '$T/mermaid.out'"
expect "a PNG of each chart" bash -c "[ -s '$shots/chart-1.png' ] && [ -s '$shots/chart-2.png' ]"

# the negative cases: an invalid xychart line, a bar series a value short
sed '0,/^    y-axis /s//    y-axsi /' "$T/j/verdict.md" >"$T/bad-syntax.md"
node tests/browser/check-mermaid.mjs "$T/bad-syntax.md" >"$T/bad-syntax.out" 2>&1
rc=$?
expect "an invalid chart fails: exit 1, mermaid's error" bash -c "[ $rc -eq 1 ] &&
	grep -q '^not ok - chart 1: mermaid renders it without an error' '$T/bad-syntax.out' &&
	grep -q '^ok - chart 2: mermaid renders it without an error' '$T/bad-syntax.out'"
python3 - "$T/j/verdict.md" "$T/bad-bars.md" <<'PY'
import re, sys
s = open(sys.argv[1], encoding="utf-8").read()
s = re.sub(r"(    bar \[[^\]]*), [0-9.]+\]", r"\1]", s, count=1)
open(sys.argv[2], "w", encoding="utf-8").write(s)
PY
node tests/browser/check-mermaid.mjs "$T/bad-bars.md" >"$T/bad-bars.out" 2>&1
rc=$?
expect "a bar series a value short fails: exit 1, the count is caught" bash -c "[ $rc -eq 1 ] &&
	grep -q '^not ok - chart 1: one bar per value' '$T/bad-bars.out'"
e2e_done
