#!/usr/bin/env bash
# The change-point detector on simulated histories of main, next to Apache
# Otava 0.8.0 (bench/changepoint.py says how they are made and scored).
#
#   make bench-changepoint                 (or: bash bench/changepoint.sh [--histories N] [--seed S])
#
# Prints the markdown table of bench/RESULTS.md's "Change points". About 4
# minutes on a shared 2-core machine with 20 histories per row.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bash "$root/scripts/deps.sh" otava
py="${SPIN_GATE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/spin-gate}/tools/otava-0.8.0/bin/python3"
make -s -C "$root" build/tests/cp_series
exec python3 "$root/bench/changepoint.py" "$py" "$root/build/tests/cp_series" "$@"
