#!/usr/bin/env bash
# fixture-repo.sh DIR MODE...: a git repository of the fixture package
# (tests/fixtures/spinpkg) with one commit per MODE (spin, park, regress,
# crash, hang), each tagged MODE. Used by tests/e2e/61-action-local.sh and by
# the action's own run in .github/workflows/ci.yml.
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: fixture-repo.sh DIR MODE..." >&2; exit 2; }
root=$(cd "$(dirname "$0")/../.." && pwd)
dir=$1
shift
mkdir -p "$dir"
cp -r "$root/tests/fixtures/spinpkg/." "$dir/"
git -C "$dir" init -q
git -C "$dir" config user.email t@example.invalid
git -C "$dir" config user.name test
for m in "$@"; do
	sed -i "s/^MODE = .*/MODE = \"$m\"/" "$dir/spinpkg/mode.py"
	git -C "$dir" add -A
	git -C "$dir" commit -q -m "mode $m"
	git -C "$dir" tag "$m"
done
