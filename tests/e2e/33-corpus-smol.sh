#!/usr/bin/env bash
# spin-gate-test: slow (skipped by tests/run.sh --e2e-fast, e.g. under make asan)
# The corpus in make test: its cheapest Rust case, corpus/smol (smol 0.1.11
# spins an idle UDP receiver in recv; 0.1.12 fixed it), gated both ways from
# the releases on crates.io:
#   the fix, 0.1.11 -> 0.1.12: passes, idle CPU down at least 10x;
#   the spin, 0.1.12 -> 0.1.11: fails on the idle checks and only there;
#   the second gate's environments (a fresh gate cache) are made from the
#   trigger binaries already in the tools cache, not built again.
# The environments go to a temporary cache; the trigger builds go to the tools
# cache ($SPIN_GATE_TOOLS, else the default gate cache's tools/), built once
# (a minute or two with cargo) and reused by every later run of this test and
# by make corpus. Skipped, saying so, where there is no cargo.
. "$(dirname "$0")/lib.sh"
cd "$ROOT"
if ! command -v cargo >/dev/null 2>&1; then
	echo "ok - skipped: cargo is missing (the smol case builds a Rust trigger) # SKIP"
	e2e_done
fi
export SPIN_GATE_TOOLS=${SPIN_GATE_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/spin-gate/tools}
SUITE=corpus/smol

gate() { # gate NAME BASE HEAD: at most 12 rounds, a fresh gate cache per gate
	OUT=$T/out-$1
	export SPIN_GATE_CACHE=$T/cache-$1
	run_bin run --base "$2" --head "$3" --suite "$SUITE" --out "$OUT" --runs 3 --max-runs 12 --no-profile
	echo "# $1: $(sed -n 2p "$OUT/verdict.md" 2>/dev/null)"
}
field() { # field PYTHON-EXPRESSION-ON-r: prints it
	python3 -c "import json,sys; r=json.load(open(sys.argv[1])); print($1)" "$OUT/results.json"
}
check() { # check NAME: "status ratio" of that check
	field "' '.join('%s %s' % (c['status'], c['ratio']) for c in r['checks'] if c['check']=='$1')"
}
tool_bins() { # the tools cache's smol trigger builds, with their change times
	ls -d --full-time "$SPIN_GATE_TOOLS"/corpus/smol-*/trigger 2>/dev/null | sort
}

gate fix 0.1.11 0.1.12
expect "0.1.11 -> 0.1.12 passes (exit 0)" test "$rc" -eq 0
expect "... and verdict.md says PASS" grep -q '^\*\*spin-gate: PASS\*\*' "$OUT/verdict.md"
runtime=$(field 'r["revisions"]["head"]["runtime"]')
expect "the probe names smol 0.1.12 ($runtime)" bash -c "[[ '$runtime' == 'smol 0.1.12, cargo '* ]]"
read -r st ratio <<<"$(check idle-cpu)"
echo "# idle-cpu: head/base = $ratio"
expect "idle CPU falls at least 10x ($st, head/base $ratio <= 0.1)" \
	python3 -c "import sys; sys.exit(not ('$st' == 'pass' and float('$ratio') <= 0.1))"
expect "both triggers are in the tools cache" test "$(tool_bins | wc -l)" -ge 2
before=$(tool_bins)

gate spin 0.1.12 0.1.11
expect "0.1.12 -> 0.1.11 fails (exit 1)" test "$rc" -eq 1
expect "... and verdict.md says FAIL" grep -q '^\*\*spin-gate: FAIL\*\*' "$OUT/verdict.md"
failed=$(field "' '.join(sorted(set(c['check'] for c in r['checks'] if c['status']=='fail')))")
echo "# failed: $failed"
expect "idle-cpu fails" grep -q '^| idle-cpu | seconds=2 |.*| \*\*fail\*\* |' "$OUT/verdict.md"
expect "only the idle checks fail ($failed)" bash -c "[ '$failed' = 'idle-cpu' ] || [ '$failed' = 'idle-cpu idle-system' ]"
expect "wall passes (the spin does not slow the idle program)" test "$(check wall | cut -d' ' -f1)" = pass
expect "new environments, from the cached builds: no trigger built again" test "$(tool_bins)" = "$before"
same_bin() { # same_bin GATE-CACHE: every environment's trigger is one of the tools cache's
	local e b found
	for e in "$1"/envs/corpus-smol/version-*/; do
		found=0
		for b in "$SPIN_GATE_TOOLS"/corpus/smol-*/trigger; do cmp -s "$e/bin/trigger" "$b" && found=1; done
		[ "$found" -eq 1 ] || return 1
	done
}
expect "... each environment's trigger is a copy of a tools cache build" same_bin "$SPIN_GATE_CACHE"
e2e_done
