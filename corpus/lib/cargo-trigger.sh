#!/usr/bin/env bash
# corpus/lib/cargo-trigger.sh: the setup of the corpus's Rust cases, sourced by
# each case's setup.sh after it sets `crate` (the crate under test) and
# `toolchain` (empty: the default one), with the setup's own arguments:
#
#   setup.sh version VERSION ENV [FILE...]
#       build CASE/trigger/ against CRATE =VERSION (crates.io) and copy the
#       binary to ENV/bin/trigger. FILEs are the trigger's own files and this
#       one, named in suite.json only so that the gate's environment cache key
#       (a digest of the files setup names) changes when they do.
#
# The build lives in the tools cache, TOOLS/corpus/CRATE-VERSION-KEY/trigger,
# TOOLS being $SPIN_GATE_TOOLS, else the gate's cache (SPIN_GATE_CACHE, else
# XDG_CACHE_HOME/spin-gate, else ~/.cache/spin-gate) + /tools; KEY is a
# digest of the trigger's sources, its lock file, the toolchain and RUSTFLAGS, so a
# changed trigger is built again and an unchanged one never is: once built,
# an environment is made again offline. A version with a committed lock file
# (trigger/Cargo.lock-VERSION) builds with exactly those crates (--locked);
# another version resolves today's compatible dependencies.
# Arguments arrive as separate argv entries and are always quoted here.
die() { echo "setup.sh: error: $*" >&2; exit 1; }

[ $# -ge 3 ] || die "usage: setup.sh version VERSION ENV [FILE...]"
for f in "${@:4}"; do [ -f "$f" ] || die "'$f' not found"; done
kind=$1 version=${2#v} env=$3
[ "$kind" = version ] || die "only release versions: this suite builds the published $crate crate (no setup.git)"
case "$version" in
'' | *[!A-Za-z0-9.+-]*) die "invalid version '$2'" ;;
esac
here=$(cd -- "$(dirname -- "$0")" && pwd) # the case, not lib/
tools=${SPIN_GATE_TOOLS:-${SPIN_GATE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/spin-gate}/tools}
lock=$here/trigger/Cargo.lock-$version
cargo=(cargo)
if [ -n "$toolchain" ]; then
	command -v rustup >/dev/null 2>&1 || die "rustup not found: $crate $version needs Rust $toolchain"
	if ! rustup run "$toolchain" cargo --version >/dev/null 2>&1; then
		rustup toolchain install "$toolchain" --profile minimal >&2 || die "cannot install Rust $toolchain"
	fi
	cargo=(rustup run "$toolchain" cargo)
fi
command -v "${cargo[0]}" >/dev/null 2>&1 || die "cargo not found (install Rust)"
# the gate profiles a failed idle check with perf -g, which walks frame
# pointers: keep them in the trigger and the crates so that the profile names
# their frames (Rust leaves them out of release builds)
export RUSTFLAGS="-C force-frame-pointers=yes"
key=$({
	cat -- "$here/trigger/Cargo.toml" "$here/trigger/src/main.rs"
	[ ! -f "$lock" ] || cat -- "$lock"
	"${cargo[@]}" --version
	echo "$RUSTFLAGS"
} | sha256sum | cut -c1-16)
out=$tools/corpus/$crate-$version-$key

if [ ! -x "$out/trigger" ]; then
	build=$tools/corpus/build/$crate-$version
	mkdir -p -- "$build/src" "$out"
	cp -- "$here/trigger/src/main.rs" "$build/src/main.rs"
	sed "s/^$crate = \".*\"\$/$crate = \"=$version\"/" "$here/trigger/Cargo.toml" >"$build/Cargo.toml"
	locked=()
	if [ -f "$lock" ]; then
		cp -- "$lock" "$build/Cargo.lock"
		locked=(--locked)
	else
		rm -f -- "$build/Cargo.lock"
	fi
	# offline first (the crates may be in cargo's own cache), then from crates.io
	if ! "${cargo[@]}" build --release --quiet -j"${SPIN_GATE_BUILD_JOBS:-2}" "${locked[@]}" --offline \
		--manifest-path "$build/Cargo.toml" >&2 2>/dev/null; then
		"${cargo[@]}" build --release --quiet -j"${SPIN_GATE_BUILD_JOBS:-2}" "${locked[@]}" \
			--manifest-path "$build/Cargo.toml" >&2 ||
			die "cannot build the trigger against $crate $version: no such release, or no network"
	fi
	cp -- "$build/target/release/trigger" "$out/trigger.tmp"
	mv -- "$out/trigger.tmp" "$out/trigger"
fi

rm -rf -- "$env"
mkdir -p -- "$env/bin"
cp -- "$out/trigger" "$env/bin/trigger"
printf '%s %s, %s\n' "$crate" "$version" "$("${cargo[@]}" --version)" >"$env/probe.txt"
