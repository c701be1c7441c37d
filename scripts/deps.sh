#!/usr/bin/env bash
# Install what spin-gate needs on a Debian 12 machine, only where missing.
#
#   scripts/deps.sh build     compiler, libcurl, cJSON, cmocka, hyperfine
#   scripts/deps.sh python39  Debian bullseye's python3.9 beside bookworm's python3
#   scripts/deps.sh fuzz      clang and its runtime (libFuzzer, sanitizers), for make fuzz
#   scripts/deps.sh lint      clang-tidy, clang-format, cppcheck
#   scripts/deps.sh test      cmark-gfm (GitHub's markdown, for 13-render-gfm)
#   scripts/deps.sh browser   chromium, for tests/e2e/14-report-browser.sh
#   scripts/deps.sh profile   the profilers of `spin-gate profile`: perf (Debian linux-perf,
#                             Ubuntu linux-tools), and py-spy (PyPI) into the gate's tools
#                             directory, CACHE/tools/py-spy (CACHE as the gate's --cache)
#   scripts/deps.sh hyperfines the hyperfines the e2e tests time with beside Debian's 1.15:
#                             1.18.0 and 1.20.0 (cargo install), 2.0.0 (the Python package
#                             index's wheel astral-dev-toolchain-hyperfine), each into
#                             CACHE/tools/hyperfine-VERSION/bin/hyperfine
#   scripts/deps.sh pyperf    pyperf 2.11.0 (PyPI) into CACHE/tools/pyperf-2.11.0, for 34-reported
#   scripts/deps.sh images    pngquant and optipng, for make screenshots
#   scripts/deps.sh otava     apache-otava 0.8.0 (the reference change-point detector of
#                             tests/e2e/35-otava.sh and bench/changepoint.sh) in a venv of
#                             its own, CACHE/tools/otava-0.8.0
#   scripts/deps.sh all       build, test and python39
#
# Idempotent: a second call installs nothing. Uses sudo when not root.
set -euo pipefail

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi

have_pkgs() {
	local p
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || return 1
	done
}

apt_updated=0
apt_install() {
	if have_pkgs "$@"; then return 0; fi
	if [ "$apt_updated" -eq 0 ]; then
		"${sudo_cmd[@]}" apt-get update -qq
		apt_updated=1
	fi
	DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "$@"
}

build_deps() {
	apt_install build-essential pkg-config libcurl4-openssl-dev libcjson-dev libcmocka-dev hyperfine
}

# bytewax 0.16.0 publishes no wheels for Python 3.11; bullseye's python3.9 installs beside
# bookworm's 3.11. The bullseye source reuses the mirror this machine already uses and is
# pinned low so nothing else is taken from it.
python39() {
	if [ -x /usr/bin/python3.9 ]; then return 0; fi
	local src=/etc/apt/sources.list.d/spin-gate-bullseye.sources
	local pin=/etc/apt/preferences.d/spin-gate-bullseye
	if [ ! -f "$src" ]; then
		local uri
		uri=$(grep -h -m1 -E '^URIs: .*/debian/?$' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' || true)
		if [ -z "$uri" ]; then
			uri=$(grep -h -m1 -E '^deb [^ ]+/debian/? ' /etc/apt/sources.list 2>/dev/null | awk '{print $2}' || true)
		fi
		if [ -z "$uri" ]; then
			echo "deps.sh: error: cannot find this machine's Debian mirror to add bullseye" >&2
			exit 1
		fi
		printf 'Types: deb\nURIs: %s\nSuites: bullseye\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
			"$uri" | "${sudo_cmd[@]}" tee "$src" >/dev/null
		printf 'Package: *\nPin: release n=bullseye\nPin-Priority: 100\n' | "${sudo_cmd[@]}" tee "$pin" >/dev/null
		apt_updated=0
	fi
	if [ "$apt_updated" -eq 0 ]; then
		"${sudo_cmd[@]}" apt-get update -qq
		apt_updated=1
	fi
	# python3.9-venv is not needed (and not installable beside bookworm's pip wheel):
	# "python3.9 -m venv --without-pip" works with the interpreter alone.
	DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends \
		-t bullseye python3.9
}

# The profilers. perf: Debian's linux-perf; Ubuntu ships it per kernel (linux-tools-$(uname -r)),
# which a runner's kernel may not have: then the gate says perf is missing and goes on.
# py-spy: a binary wheel from PyPI, installed with the machine's pip into the gate's own tools
# directory, where `spin-gate profile` looks after PATH.
profile_tools() {
	if ! command -v perf >/dev/null 2>&1; then
		if grep -qs '^ID=ubuntu' /etc/os-release; then
			apt_install linux-tools-common "linux-tools-$(uname -r)" ||
				echo "deps.sh: warning: no perf for kernel $(uname -r); profiles will say so" >&2
		else
			apt_install linux-perf
		fi
	fi
	local tools="${SPIN_GATE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/spin-gate}/tools"
	if ! command -v py-spy >/dev/null 2>&1 && [ ! -x "$tools/py-spy/bin/py-spy" ]; then
		python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore --target "$tools/py-spy" py-spy ||
			echo "deps.sh: warning: cannot install py-spy; Python subjects are profiled with perf" >&2
	fi
}

# pyperf (PyPI), for tests/e2e/34-reported.sh's pyperf benchmark whose JSON the gate reads:
# pure Python, installed with the machine's pip into the tools directory (PYTHONPATH there).
pyperf_tool() {
	local tools="${SPIN_GATE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/spin-gate}/tools"
	if [ ! -f "$tools/pyperf-2.11.0/pyperf/__init__.py" ]; then
		python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore \
			--no-deps --target "$tools/pyperf-2.11.0" pyperf==2.11.0 ||
			echo "deps.sh: warning: cannot install pyperf; 34-reported skips its pyperf case" >&2
	fi
}

# The hyperfines the multi-version e2e tests (tests/e2e/32-hyperfine-versions.sh) time with,
# each only where missing. 1.18.0 is what GitHub's ubuntu-24.04 image installs with apt, 1.20.0
# the last 1.x; both are built from source by cargo (a few minutes each, once: see README).
# 2.0.0 is taken from the static Linux binary in the wheel astral-dev-toolchain-hyperfine
# (pip download, no install): its minimum Rust may be newer than a machine's cargo.
# A version that cannot be had is a warning, and the tests skip it.
hyperfines() {
	local tools="${SPIN_GATE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/spin-gate}/tools"
	local v dir tmp
	for v in 1.18.0 1.20.0; do
		dir="$tools/hyperfine-$v"
		if [ -x "$dir/bin/hyperfine" ]; then continue; fi
		if ! command -v cargo >/dev/null 2>&1; then
			echo "deps.sh: warning: no cargo to build hyperfine $v; its tests are skipped" >&2
			continue
		fi
		echo "deps.sh: building hyperfine $v with cargo (once, a few minutes)" >&2
		cargo install --quiet --locked --version "$v" --root "$dir" hyperfine ||
			echo "deps.sh: warning: cannot build hyperfine $v; its tests are skipped" >&2
	done
	v=2.0.0
	dir="$tools/hyperfine-$v"
	if [ ! -x "$dir/bin/hyperfine" ]; then
		apt_install unzip
		tmp=$(mktemp -d)
		if python3 -m pip download --quiet --disable-pip-version-check --no-deps \
			--only-binary=:all: -d "$tmp" "astral-dev-toolchain-hyperfine==$v" &&
			unzip -q -o -j "$tmp"/*.whl '*.data/scripts/hyperfine' -d "$tmp/bin"; then
			mkdir -p "$dir/bin"
			chmod 755 "$tmp/bin/hyperfine"
			mv "$tmp/bin/hyperfine" "$dir/bin/hyperfine"
		else
			echo "deps.sh: warning: cannot fetch hyperfine $v's wheel; its tests are skipped" >&2
		fi
		rm -rf "$tmp"
	fi
}

# Apache Otava, the change-point detector src/history/changepoint.c is compared with: a test
# tool only, in its own venv (it pulls numpy, scipy and its database clients).
otava() {
	local tools="${SPIN_GATE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/spin-gate}/tools"
	local dir="$tools/otava-0.8.0"
	if [ -x "$dir/bin/python3" ] && "$dir/bin/python3" -c 'import otava.analysis' 2>/dev/null; then
		return 0
	fi
	rm -rf "$dir"
	python3 -m venv "$dir" &&
		"$dir/bin/python3" -m pip install --quiet --disable-pip-version-check apache-otava==0.8.0 ||
		{
			echo "deps.sh: warning: cannot install apache-otava 0.8.0; its comparisons are skipped" >&2
			rm -rf "$dir"
		}
}

case "${1:-all}" in
build) build_deps ;;
fuzz) apt_install clang libclang-rt-14-dev ;; # the runtime holds libFuzzer and the sanitizers
lint) apt_install clang-tidy clang-format cppcheck ;;
test) apt_install cmark-gfm ;;
pyperf) pyperf_tool ;;
browser) apt_install chromium ;;
profile) profile_tools ;;
hyperfines) hyperfines ;;
images) apt_install pngquant optipng ;;
otava) otava ;;
python39) python39 ;;
all) build_deps; apt_install cmark-gfm; python39 ;;
*) echo "usage: scripts/deps.sh [build|python39|fuzz|lint|test|browser|profile|hyperfines|images|otava|all]" >&2; exit 2 ;;
esac
