#!/usr/bin/env bash
# Install the servers of the GitHub end-to-end tests (tests/e2e/5*-post-*.sh)
# into tests/github/node_modules, only when missing or out of date with
# package-lock.json: @octokit/openapi (GitHub's REST API description),
# @stoplight/prism-cli 5.14 (serves and validates against it) and
# @octokit/fixtures-server (replays recorded scenarios). Needs node and npm.
set -euo pipefail
cd "$(dirname "$0")"
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
	echo "tests/github/setup.sh: error: node and npm are needed for the GitHub tests" >&2
	exit 1
fi
stamp=node_modules/.package-lock.json
if [ -x node_modules/.bin/prism ] && [ -d node_modules/@octokit/fixtures-server ] &&
	[ -f node_modules/@octokit/openapi/generated/api.github.com.json ] &&
	[ -f "$stamp" ] && [ "$stamp" -nt package-lock.json ]; then
	exit 0
fi
npm ci --no-audit --no-fund --loglevel=error
