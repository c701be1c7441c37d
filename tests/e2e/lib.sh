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
