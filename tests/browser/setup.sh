#!/usr/bin/env bash
# Install what tests/e2e/14-report-browser.sh needs, only when missing:
# Debian's chromium (scripts/deps.sh browser; about 12 s on a Debian 12
# runner with the package lists fresh) and npm playwright-core from
# package-lock.json into tests/browser/node_modules. playwright-core drives
# the system chromium through executablePath: no browser is downloaded. npm
# mermaid's bundle is loaded into that chromium to render verdict.md's charts
# (check-mermaid.mjs); nothing of it runs in node.
set -euo pipefail
cd "$(dirname "$0")"
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
	echo "tests/browser/setup.sh: error: node and npm are needed for the browser test" >&2
	exit 1
fi
if ! command -v chromium >/dev/null; then
	bash ../../scripts/deps.sh browser
fi
stamp=node_modules/.package-lock.json
if [ -d node_modules/playwright-core ] && [ -f node_modules/mermaid/dist/mermaid.min.js ] &&
	[ -f "$stamp" ] && [ "$stamp" -nt package-lock.json ]; then
	exit 0
fi
npm ci --no-audit --no-fund --loglevel=error
