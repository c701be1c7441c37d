#!/usr/bin/env bash
# Install what tests/e2e/18-export.sh and 19-chart-colours.sh need, only when
# missing or out of date with package-lock.json, into tests/export/node_modules:
# ajv (JSON schema validator), typescript, zod, @actions/core and
# @actions/github (to compile and run github-action-benchmark's own
# src/extract.ts when a checkout of it is given), @mermaid-js/mermaid-cli
# (mmdc; it drives Debian's chromium, scripts/deps.sh browser: no browser is
# downloaded). Needs node and npm.
set -euo pipefail
cd "$(dirname "$0")"
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
	echo "tests/export/setup.sh: error: node and npm are needed for the export tests" >&2
	exit 1
fi
if ! command -v chromium >/dev/null; then
	bash ../../scripts/deps.sh browser
fi
stamp=node_modules/.package-lock.json
if [ -d node_modules/ajv ] && [ -x node_modules/.bin/mmdc ] && [ -x node_modules/.bin/tsc ] &&
	[ -f "$stamp" ] && [ "$stamp" -nt package-lock.json ]; then
	exit 0
fi
PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
