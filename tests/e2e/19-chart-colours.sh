#!/usr/bin/env bash
# spin-gate-test: slow
# verdict.md's mermaid chart in the report's colours: its init directive gives
# the bar series base's blue and head's orange (render.h RENDER_CHART_INIT).
# Drawn to PNG by mermaid-cli (npm @mermaid-js/mermaid-cli from tests/export,
# driving Debian's chromium) and checked pixel by pixel
# (tests/export/png-colours.py): base's bars in #0072B2, head's in #E69F00,
# nearly nothing in mermaid's default first colour (#ECECFF, a near-white
# lavender). Then the chart without its directive, to see the check bite.
# The PNG is kept in $SPIN_GATE_SHOTS (default build/screenshots) as
# chart-colours.png. Slow only on a fresh machine (tests/export/setup.sh).
. "$(dirname "$0")/lib.sh"
cd "$ROOT"

bash tests/export/setup.sh >"$T/setup.log" 2>&1 ||
	{ not_ok "install mermaid-cli (tests/export)" "$(tail -5 "$T/setup.log")"; e2e_done; }
shots=${SPIN_GATE_SHOTS:-$ROOT/build/screenshots}
mkdir -p "$shots"
printf '{"executablePath": "%s", "args": ["--no-sandbox", "--disable-gpu"]}\n' \
	"${CHROMIUM:-/usr/bin/chromium}" >"$T/puppeteer.json"

run_bin judge --out "$T/j" tests/fixtures/results-spin.json
expect_rc "judge writes verdict.md (the spin fails: exit 1)" 1
# the first chart (CPU), and the same without its first line (the directive)
python3 - "$T/j/verdict.md" "$T" <<'PY'
import re, sys
blocks = re.findall(r"^```mermaid\n(.*?)^```$", open(sys.argv[1]).read(), re.S | re.M)
open(sys.argv[2] + "/cpu.mmd", "w").write(blocks[0])
open(sys.argv[2] + "/plain.mmd", "w").write(blocks[0].split("\n", 1)[1])
PY
expect "each chart starts with the palette's init directive" bash -c "
	[ \$(grep -cxF '%%{init: {\"themeVariables\": {\"xyChart\": {\"plotColorPalette\": \"#0072B2, #E69F00\"}}}}%%' '$T/j/verdict.md') = 2 ] &&
	[ \$(grep -c '^xychart-beta horizontal\$' '$T/j/verdict.md') = 2 ]"

mmdc() { tests/export/node_modules/.bin/mmdc -p "$T/puppeteer.json" -q "$@"; }
colours() { python3 tests/export/png-colours.py "$1" '#0072B2' '#E69F00' '#ECECFF'; }
mmdc -i "$T/cpu.mmd" -o "$T/cpu.png" >"$T/mmdc.out" 2>&1
rc=$?
expect "mermaid-cli draws the chart (exit 0)" bash -c "[ $rc -eq 0 ] && [ -s '$T/cpu.png' ]"
cp "$T/cpu.png" "$shots/chart-colours.png" 2>/dev/null
colours "$T/cpu.png" >"$T/cpu.colours"
cat "$T/cpu.colours" | sed 's/^/# pixels: /'
# results-spin.json's 4 scenarios: 4 base bars of 0.8 to 3.9 s, 4 head bars of 4.6 to 10.7 s
expect "base's bars are drawn in base's blue, head's in head's orange" awk '
	$1 == "#0072B2" && $2 >= 5000 { b = 1 } $1 == "#E69F00" && $2 >= 20000 { h = 1 }
	$1 == "#ECECFF" && $2 < 200 { l = 1 } END { exit !(b && h && l) }' "$T/cpu.colours"

mmdc -i "$T/plain.mmd" -o "$T/plain.png" >"$T/mmdc.out" 2>&1
colours "$T/plain.png" >"$T/plain.colours"
expect "without the directive base's bars are mermaid's lavender: the check bites" awk '
	$1 == "#0072B2" && $2 == 0 { b = 1 } $1 == "#ECECFF" && $2 >= 5000 { l = 1 }
	END { exit !(b && l) }' "$T/plain.colours"
e2e_done
