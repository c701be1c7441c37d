#!/usr/bin/env bash
# Run libFuzzer targets briefly on their committed corpus:
#
#   scripts/fuzz-run.sh SECONDS build/fuzz_suite build/fuzz_opt ...
#
# Each target build/fuzz_NAME first runs every input of fuzz/corpus/NAME, then
# fuzzes for SECONDS from there. New inputs and crash artifacts go to a scratch
# directory (the committed corpus is never written). One line per target; on
# a crash, the target's log and the input that crashed it, and exit 1.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=$1
shift
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
for bin in "$@"; do
	name=$(basename "$bin")
	corpus=fuzz/corpus/${name#fuzz_}
	if [ ! -d "$corpus" ]; then
		echo "fuzz-run: error: no corpus '$corpus' for $name" >&2
		exit 1
	fi
	mkdir -p "$scratch/$name"
	if ! "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
		-artifact_prefix="$scratch/$name-" "$scratch/$name" "$corpus" >"$scratch/$name.log" 2>&1; then
		tail -n 60 "$scratch/$name.log" >&2
		for a in "$scratch/$name"-*; do
			[ -e "$a" ] && { echo "fuzz-run: $name crashed on:" >&2; od -c "$a" | head -20 >&2; }
		done
		echo "fuzz-run: error: $name failed" >&2
		exit 1
	fi
	echo "ok   $name ($(ls "$corpus" | wc -l) corpus inputs; $(grep -o 'Done [0-9]* runs in [0-9]* second' "$scratch/$name.log" | tail -1 || echo ran))"
done
