# Helpers for end-to-end tests (sourced). Each test runs in its own temporary
# directory and reports "ok - NAME" / "not ok - NAME".
set -u
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BIN=${SPIN_GATE_BIN:-$ROOT/build/spin-gate}
case $BIN in /*) ;; *) BIN=$ROOT/$BIN ;; esac # tests may cd elsewhere
T=$(mktemp -d "${TMPDIR:-/tmp}/spin-gate-e2e.XXXXXX")
trap 'rm -rf "$T"' EXIT
e2e_failed=0

ok() { echo "ok - $1"; }
not_ok() { echo "not ok - $1"; shift; for l in "$@"; do echo "#   $l"; done; e2e_failed=1; }

# run_gate: runs $BIN with arguments, capturing stdout, stderr and exit code
# into $T/stdout, $T/stderr and $rc.
run_bin() {
	"$BIN" "$@" >"$T/stdout" 2>"$T/stderr"
	rc=$?
}

# expect NAME CONDITION-COMMAND...: ok when the command succeeds.
expect() {
	local name=$1
	shift
	if "$@"; then ok "$name"; else
		not_ok "$name" "failed: $*" "rc=${rc:-?}" "stderr: $(tail -c 1500 "$T/stderr" 2>/dev/null)"
	fi
}

e2e_done() { exit "$e2e_failed"; }

# expect_rc NAME WANT: ok when the last run_bin exited WANT (a documented
# code: 0 pass, 1 fail, 2 usage, 3 inconclusive, 4 error), else the code
# and stderr's tail.
expect_rc() {
	if [ "${rc:-}" = "$2" ]; then ok "$1"; else
		not_ok "$1" "exit code ${rc:-?}, wanted $2" "stderr: $(tail -c 1500 "$T/stderr" 2>/dev/null)"
	fi
}

# test_cmp EXPECTED ACTUAL: succeeds when the files are the same; else
# prints the difference (git's test_cmp). Use inside expect, or alone.
test_cmp() {
	diff -u "$1" "$2" >"$T/test_cmp.diff" && return 0
	sed 's/^/#   /' "$T/test_cmp.diff" | head -60
	return 1
}

# fails COMMAND...: succeeds when the command fails (the negative cases:
# expect "refused" fails run_bin ...).
fails() { ! "$@"; }

# no_live PATTERN: succeeds when no running (non-zombie) process other than
# this shell's own has PATTERN in its command line.
no_live() {
	! ps -eo pid=,stat=,args= | awk -v me=$$ -v pat="$1" '
		$1 != me && $2 !~ /^Z/ && index($0, pat) && $0 !~ /awk -v me=/ { found = 1 }
		END { exit !found }'
}
