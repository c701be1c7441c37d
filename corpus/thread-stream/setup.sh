#!/usr/bin/env bash
# Turn a thread-stream release into an environment for the thread-stream corpus suite.
#
#   setup.sh version VERSION ENV    thread-stream@VERSION from npm into ENV/node_modules
#
# The trigger (flush.js, slow-sink.js) runs from the suite directory and finds
# the package through NODE_PATH=ENV/node_modules (suite.json). npm's cache is
# kept in the tools cache, TOOLS/corpus/npm-cache, TOOLS being
# $SPIN_GATE_TOOLS, else the gate's cache (SPIN_GATE_CACHE, else
# XDG_CACHE_HOME/spin-gate, else ~/.cache/spin-gate) + /tools: the install is
# tried offline from there first, so that once downloaded an environment is
# made again without network. thread-stream 0.x has no dependencies.
# Arguments arrive as separate argv entries and are always quoted here.
set -euo pipefail

die() { echo "setup.sh: error: $*" >&2; exit 1; }

[ $# -eq 3 ] || die "usage: setup.sh version VERSION ENV"
kind=$1 version=${2#v} env=$3
[ "$kind" = version ] || die "only release versions: this suite installs thread-stream from npm (no setup.git)"
case "$version" in
'' | *[!A-Za-z0-9.+-]*) die "invalid version '$2'" ;;
esac
command -v npm >/dev/null 2>&1 || die "npm not found (install Node.js)"
tools=${SPIN_GATE_TOOLS:-${SPIN_GATE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/spin-gate}/tools}
cache=$tools/corpus/npm-cache
mkdir -p -- "$cache"

rm -rf -- "$env"
mkdir -p -- "$env"
npm=(npm --prefix "$env" --cache "$cache" --no-audit --no-fund --no-package-lock --loglevel error)
if ! "${npm[@]}" install --offline "thread-stream@$version" >/dev/null 2>&1; then
	"${npm[@]}" install "thread-stream@$version" >&2 ||
		die "cannot install thread-stream $version: no such release, or no network"
fi
[ -f "$env/node_modules/thread-stream/package.json" ] || die "thread-stream is not in '$env/node_modules'"
