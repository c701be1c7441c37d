#!/usr/bin/env bash
# Judging tested as data: tests/judge/NNN-name/ (results.json in; stdout,
# exit-code and verdict.md expected). See tests/judge/run.sh.
. "$(dirname "$0")/lib.sh"
bash "$ROOT/tests/judge/run.sh" || e2e_failed=1
e2e_done
