#!/usr/bin/env bash
# Test runner: unit test binaries (cmocka) and end-to-end scripts (tests/e2e/*.sh).
#
#   tests/run.sh --unit BIN... [--e2e | --e2e-fast] [--only PATTERN]
#
# Each e2e script prints "ok - NAME" or "not ok - NAME" per case (TAP-like) and
# exits non-zero if any case failed. Ends with one line "N passed, N failed".
set -u
cd "$(dirname "$0")/.."

units=()
e2e=0
fast=0
only=""
while [ $# -gt 0 ]; do
	case "$1" in
	--unit) shift; while [ $# -gt 0 ] && [ "${1#--}" = "$1" ]; do units+=("$1"); shift; done; continue ;;
	--e2e) e2e=1 ;;
	--e2e-fast) e2e=1; fast=1 ;;
	--only) shift; only="$1" ;;
	*) echo "tests/run.sh: unknown argument '$1'" >&2; exit 2 ;;
	esac
	shift
done

passed=0
failed=0
failures=()
logdir=$(mktemp -d "${TMPDIR:-/tmp}/spin-gate-tests.XXXXXX")

for t in "${units[@]}"; do
	name=$(basename "$t")
	[ -n "$only" ] && [[ "$name" != *$only* ]] && continue
	log="$logdir/$name.log"
	"$t" >"$log" 2>&1
	rc=$?
	p=$(grep -c '^\[       OK \]' "$log")
	f=$(grep -c '^\[  FAILED  \] [a-z_0-9]' "$log")
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
	passed=$((passed + p))
	failed=$((failed + f))
	if [ "$f" -gt 0 ]; then
		failures+=("$name")
		echo "FAIL $name (rc=$rc)"; sed 's/^/    /' "$log" | tail -40
	else
		echo "ok   $name ($p tests)"
	fi
done

if [ "$e2e" -eq 1 ]; then
	export SPIN_GATE_BIN="${SPIN_GATE_BIN:-$PWD/build/spin-gate}"
	export SPIN_GATE_FAST="$fast"
	for t in tests/e2e/[0-9]*.sh; do
		[ -e "$t" ] || continue
		name=$(basename "$t" .sh)
		[ -n "$only" ] && [[ "$name" != *$only* ]] && continue
		if [ "$fast" -eq 1 ] && grep -q '^# spin-gate-test: slow' "$t"; then
			echo "skip $name (slow; not in --e2e-fast)"
			continue
		fi
		log="$logdir/$name.log"
		start=$(date +%s)
		bash "$t" >"$log" 2>&1
		rc=$?
		secs=$(( $(date +%s) - start ))
		p=$(grep -c '^ok - ' "$log")
		f=$(grep -c '^not ok - ' "$log")
		if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
		passed=$((passed + p))
		failed=$((failed + f))
		if [ "$f" -gt 0 ]; then
			failures+=("$name")
			echo "FAIL $name (rc=$rc, ${secs}s)"; sed 's/^/    /' "$log" | tail -60
		else
			echo "ok   $name ($p cases, ${secs}s)"
		fi
	done
fi

if [ "${#failures[@]}" -gt 0 ]; then
	echo "failed: ${failures[*]} (logs in $logdir)"
else
	rm -rf "$logdir"
fi
if [ $((passed + failed)) -eq 0 ]; then
	echo "tests/run.sh: no test ran" >&2
	echo "0 passed, 1 failed"
	exit 1
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
