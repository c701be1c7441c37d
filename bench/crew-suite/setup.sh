#!/usr/bin/env bash
# setup.sh WORKTREE ENV: build the revision's crew.c into ENV and copy its
# crew.conf (the injected change: spin=1, serial=1) next to it.
set -euo pipefail
[ $# -eq 2 ] || { echo "setup.sh: usage: setup.sh WORKTREE ENV" >&2; exit 2; }
mkdir -p -- "$2"
"${CC:-cc}" -O2 -std=c11 -o "$2/crew" "$1/crew.c"
cp -- "$1/crew.conf" "$2/crew.conf"
