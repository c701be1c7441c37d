#!/usr/bin/env bash
# Install nektos/act, the workflow runner of tests/e2e/62-action-act-sharded.sh,
# only when missing, and print its path on stdout. act v0.2.89 is built from
# the Go module proxy (`go install`, about 2.5 minutes the first time on a
# 2-core machine) into the same cache directory as actionlint
# ($SPIN_GATE_TOOLS, else $XDG_CACHE_HOME/spin-gate/tools, else
# ~/.cache/spin-gate/tools). Called by `make deps`.
set -euo pipefail
ACT_VERSION=v0.2.89

tools=${SPIN_GATE_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/spin-gate/tools}
bin=$tools/act-$ACT_VERSION/act
if ! [ -x "$bin" ]; then
	go=$(command -v go || true)
	if [ -z "$go" ] && [ -x /usr/local/go/bin/go ]; then go=/usr/local/go/bin/go; fi
	if [ -z "$go" ]; then
		echo "tests/act/setup.sh: error: go is needed to build act $ACT_VERSION" >&2
		exit 1
	fi
	mkdir -p "$(dirname "$bin")"
	echo "tests/act/setup.sh: building act $ACT_VERSION (once; a few minutes)" >&2
	GOBIN=$(dirname "$bin") GOFLAGS=-mod=mod "$go" install "github.com/nektos/act@$ACT_VERSION" >&2
fi
"$bin" --version >/dev/null
echo "$bin"
