#!/usr/bin/env bash
# make layers: every #include "x.h" in src/ points down the pipeline, never
# up (docs/architecture.md): a folder includes only its own headers and
# those of the folders below it, and model, judge and render include
# nothing that runs anything (proc.h) though proc lives in lib; nor does
# history. measure, github and store stand side by side and include none
# of the others.
#
#   bash scripts/layers.sh [SRC]     exit 1 and one line per upward include
set -euo pipefail
src=${1:-src}
rank() {
	case $1 in
	lib) echo 0 ;; model) echo 1 ;; judge) echo 2 ;; history) echo 3 ;; render) echo 4 ;;
	measure | github | store) echo 5 ;; gate) echo 6 ;; bisect) echo 7 ;; cmd) echo 8 ;;
	*) echo "layers: unknown folder '$1' (add it to scripts/layers.sh and docs/architecture.md)" >&2
		exit 2 ;;
	esac
}
declare -A where
for f in "$src"/*/*.h; do where[$(basename "$f")]=$(basename "$(dirname "$f")"); done
bad=0
for f in "$src"/*/*.c "$src"/*/*.h; do
	from=$(basename "$(dirname "$f")")
	rf=$(rank "$from")
	while IFS= read -r h; do
		to=${where[$h]:-}
		if [ -z "$to" ]; then
			echo "$f: includes \"$h\", which no folder of $src holds"
			bad=1
			continue
		fi
		rt=$(rank "$to")
		why=""
		if [ "$rt" -gt "$rf" ]; then
			why="$to is above $from"
		elif [ "$rt" -eq "$rf" ] && [ "$to" != "$from" ]; then
			why="$to and $from stand side by side"
		elif [ "$h" = proc.h ] && [ "$rf" -ge 1 ] && [ "$rf" -le 4 ]; then
			why="$from runs nothing"
		fi
		if [ -n "$why" ]; then
			echo "$f: includes $to/$h: $why"
			bad=1
		fi
	done < <(sed -n 's/^#include "\([^"]*\)".*/\1/p' "$f")
done
if [ "$bad" -eq 0 ]; then
	echo "layers: every include of $src points down"
fi
exit "$bad"
