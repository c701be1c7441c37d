#!/usr/bin/env bash
# setup.sh WORKTREE ENV: build the revision's synth.c into ENV and copy its
# synth.conf (the injected change) next to it.
set -euo pipefail
[ $# -eq 2 ] || { echo "setup.sh: usage: setup.sh WORKTREE ENV" >&2; exit 2; }
mkdir -p -- "$2"
"${CC:-cc}" -O2 -std=c11 -o "$2/synth" "$1/synth.c"
cp -- "$1/synth.conf" "$2/synth.conf"
