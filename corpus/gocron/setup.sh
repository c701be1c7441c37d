#!/usr/bin/env bash
# Turn a gocron release into an environment for the gocron corpus suite.
#
#   setup.sh version VERSION ENV [FILE...]
#       build trigger/ against the go-co-op/gocron module vVERSION (the Go
#       module proxy) into ENV/bin/trigger. FILEs are the trigger's own files,
#       named in suite.json only so that the gate's environment cache key (a
#       digest of the files setup names) changes when they do.
#
# VERSION comes with or without its leading "v" (the module version is
# vVERSION either way). The build lives in the tools cache,
# TOOLS/corpus/gocron-VERSION-KEY/trigger, TOOLS being $SPIN_GATE_TOOLS, else
# the gate's cache (SPIN_GATE_CACHE, else XDG_CACHE_HOME/spin-gate, else
# ~/.cache/spin-gate) + /tools, and so is the module cache it downloads into
# (TOOLS/corpus/gomod): once built, an environment is made again offline.
# KEY is a digest of the trigger's sources and the Go version. go.sum holds
# the checksums of the releases measured (v1.17.0 and v1.17.1); another
# release is checked against the checksum database as usual.
# Arguments arrive as separate argv entries and are always quoted here.
set -euo pipefail

die() { echo "setup.sh: error: $*" >&2; exit 1; }

[ $# -ge 3 ] || die "usage: setup.sh version VERSION ENV [FILE...]"
for f in "${@:4}"; do [ -f "$f" ] || die "'$f' not found"; done
kind=$1 version=v${2#v} env=$3
[ "$kind" = version ] || die "only release versions: this suite builds the published gocron module (no setup.git)"
case "$version" in
v | *[!A-Za-z0-9.+-]*) die "invalid version '$2'" ;;
esac
command -v go >/dev/null 2>&1 || die "go not found (install Go)"
here=$(cd -- "$(dirname -- "$0")" && pwd)
tools=${SPIN_GATE_TOOLS:-${SPIN_GATE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/spin-gate}/tools}
export GOMODCACHE=$tools/corpus/gomod GOTOOLCHAIN=local GOFLAGS=-mod=mod
key=$({
	cat -- "$here/trigger/go.mod" "$here/trigger/go.sum" "$here/trigger/main.go"
	go version
} | sha256sum | cut -c1-16)
out=$tools/corpus/gocron-$version-$key

if [ ! -x "$out/trigger" ]; then
	build=$tools/corpus/build/gocron-$version
	rm -rf -- "$build"
	mkdir -p -- "$build" "$out"
	cp -- "$here/trigger/go.mod" "$here/trigger/go.sum" "$here/trigger/main.go" "$build/"
	(
		cd -- "$build"
		go mod edit -require="github.com/go-co-op/gocron@$version"
		# offline first (the module cache above), then from the module proxy
		if ! GOPROXY=off go build -o trigger . 2>/dev/null; then
			go build -o trigger . >&2 ||
				die "cannot build the trigger against gocron $version: no such release, or no network"
		fi
	)
	cp -- "$build/trigger" "$out/trigger.tmp"
	mv -- "$out/trigger.tmp" "$out/trigger"
fi

rm -rf -- "$env"
mkdir -p -- "$env/bin"
cp -- "$out/trigger" "$env/bin/trigger"
printf 'gocron %s, %s\n' "$version" "$(go version)" >"$env/probe.txt"
