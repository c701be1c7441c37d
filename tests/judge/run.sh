#!/usr/bin/env bash
# Judging tested as data (curl's tests/data, git's t/): every folder
# tests/judge/NNN-name/ holds a results.json (a real gate's or made by hand,
# README says which), optionally its own thresholds.json (else the shipped
# one), and what `spin-gate judge` must give for it: stdout, exit-code and
# verdict.md. Prints "ok - judge NNN-name" or "not ok" with the difference.
#
#   bash tests/judge/run.sh [--update] [NNN-name...]
#
# --update writes what the binary gives now as the expected files (then read
# the diff before committing it).
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BIN=${SPIN_GATE_BIN:-$ROOT/build/spin-gate}
update=0
if [ "${1:-}" = --update ]; then update=1; shift; fi
T=$(mktemp -d "${TMPDIR:-/tmp}/spin-gate-judge.XXXXXX")
trap 'rm -rf "$T"' EXIT
failed=0
cases=("$@")
if [ ${#cases[@]} -eq 0 ]; then
	for d in "$ROOT"/tests/judge/[0-9]*/; do cases+=("$(basename "$d")"); done
fi
for name in "${cases[@]}"; do
	d=$ROOT/tests/judge/$name
	th=$d/thresholds.json
	[ -f "$th" ] || th=$ROOT/thresholds.json
	out=$T/$name
	rm -rf "$out"
	# COLUMNS unset and stdout a file: the table's plain width
	env -u COLUMNS "$BIN" judge --thresholds "$th" --out "$out" "$d/results.json" \
		>"$T/$name.stdout" 2>"$T/$name.stderr"
	echo $? >"$T/$name.rc"
	if [ "$update" -eq 1 ]; then
		cp "$T/$name.stdout" "$d/stdout"
		cp "$T/$name.rc" "$d/exit-code"
		cp "$out/verdict.md" "$d/verdict.md"
		echo "ok - judge $name (updated)"
		continue
	fi
	why=()
	cmp -s "$d/exit-code" "$T/$name.rc" ||
		why+=("exit code $(cat "$T/$name.rc"), wanted $(cat "$d/exit-code")" "stderr: $(tail -c 800 "$T/$name.stderr")")
	for f in stdout verdict.md; do
		got=$T/$name.stdout
		[ "$f" = verdict.md ] && got=$out/verdict.md
		if ! diff -u "$d/$f" "$got" >"$T/diff" 2>&1; then
			why+=("$f differs:")
			while IFS= read -r l; do why+=("$l"); done < <(head -40 "$T/diff")
		fi
	done
	if [ ${#why[@]} -eq 0 ]; then
		echo "ok - judge $name"
	else
		echo "not ok - judge $name"
		for l in "${why[@]}"; do echo "#   $l"; done
		failed=1
	fi
done
exit "$failed"
