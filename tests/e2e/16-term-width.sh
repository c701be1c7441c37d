#!/usr/bin/env bash
# The final table fitted to the terminal's width: $COLUMNS, else the
# terminal's own width (a pseudo-terminal made by util-linux `script`, sized
# with stty), else 200 columns for a file or a pipe. No line wider (counted in
# characters), the long scenario names cut with an ellipsis, every check's
# status kept.
. "$(dirname "$0")/lib.sh"
cd "$ROOT"

# plain FILE: the text without escape sequences and \r
plain() { python3 -c 'import re, sys
sys.stdout.write(re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", open(sys.argv[1], encoding="utf-8").read()).replace("\r", ""))' "$1"; }
# widest FILE: the longest line in characters
widest() { plain "$1" | python3 -c 'import sys; print(max(len(l) for l in sys.stdin.read().split("\n")))'; }
statuses() { plain "$1" | grep -oE '^(pass|fail|error|inconclusive|skipped) ' | tr -d ' \n'; }
export -f plain widest statuses

run_bin judge --out "$T/whole" tests/fixtures/results-spin.json
expect "to a file: exit 1 (the fixture fails)" test "$rc" -eq 1
cp "$T/stdout" "$T/whole.txt"
expect "to a file: the table whole, names not cut (wider than 160, within 200)" bash -c "
	[ \$(widest '$T/whole.txt') -gt 160 ] && [ \$(widest '$T/whole.txt') -le 200 ] &&
	grep -q '^fail    idle-system        input=partitioned long_input=True heavy_map=False processes=2 ' '$T/whole.txt' &&
	! grep -q '…' '$T/whole.txt'"
want=$(statuses "$T/whole.txt")
expect "eight checks in the whole table" test ${#want} -eq 32

for cols in 140 100 60; do
	COLUMNS=$cols run_bin judge --out "$T/c$cols" tests/fixtures/results-spin.json
	cp "$T/stdout" "$T/c$cols.txt"
	expect_rc "COLUMNS=$cols: exit 1, no line wider" 1
	expect "COLUMNS=$cols: exit 1, no line wider" bash -c "[ \$(widest '$T/c$cols.txt') -le $cols ]"
	expect "COLUMNS=$cols: every check's status, in order" test "$(statuses "$T/c$cols.txt")" = "$want"
done
expect "COLUMNS=140: a table, the names cut with an ellipsis" bash -c "
	head -n 1 '$T/c140.txt' | grep -q '^status  ' && grep -q 'input=partitioned.*….*processes=2  ' '$T/c140.txt'"
expect "COLUMNS=60: a block per check, the figures under it" bash -c "
	! grep -q '^status  ' '$T/c60.txt' && grep -q '^    system: base 0.209 s, head 3.15 s,' '$T/c60.txt'"

# a terminal of 70 columns, COLUMNS unset: its own width
env -u COLUMNS script -qec "stty cols 70 rows 40; '$BIN' judge --out '$T/tty' tests/fixtures/results-spin.json" /dev/null >"$T/tty.txt" 2>&1
expect "a 70-column terminal: no line wider" bash -c "[ \$(widest '$T/tty.txt') -le 70 ] && [ \$(widest '$T/tty.txt') -gt 50 ]"
expect "a 70-column terminal: every check's status" test "$(statuses "$T/tty.txt")" = "$want"
e2e_done
