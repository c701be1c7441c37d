#!/usr/bin/env bash
# Turn a bytewax revision into an environment for the bytewax suite.
#
#   setup.sh version VERSION ENV     bytewax==VERSION wheels into a new venv ENV
#   setup.sh git WORKTREE ENV        a bytewax checkout built into a new venv ENV
#
# bytewax 0.16.0 publishes wheels for Python 3.9 but not 3.11, so the venv uses
# Debian bullseye's python3.9 (scripts/deps.sh python39 installs it). That
# interpreter has no working pip (Debian splits out distutils), so the
# machine's own pip installs the wheels for it with --target/--python-version.
# Arguments arrive as separate argv entries and are always quoted here.
set -euo pipefail

die() { echo "setup.sh: error: $*" >&2; exit 1; }

[ $# -eq 3 ] || die "usage: setup.sh version VERSION ENV | setup.sh git WORKTREE ENV"
kind=$1 what=$2 env=$3
py=${SPIN_GATE_PYTHON39:-/usr/bin/python3.9}
[ -x "$py" ] || die "'$py' not found: run 'scripts/deps.sh python39' (Debian bullseye's python3.9)"
pip=(python3 -m pip)
"${pip[@]}" --version >/dev/null 2>&1 || die "the machine's pip is missing: apt-get install python3-pip"

rm -rf -- "$env"
"$py" -m venv --without-pip -- "$env"
site="$env/lib/python3.9/site-packages"
[ -d "$site" ] || die "venv '$env' has no '$site'"

case "$kind" in
version)
	case "$what" in
	*[!A-Za-z0-9.+-]*) die "invalid version '$what'" ;;
	esac
	if ! "${pip[@]}" install --disable-pip-version-check --no-input --quiet \
		--target "$site" --python-version 3.9 --only-binary=:all: \
		--no-warn-script-location "bytewax==$what"; then
		die "cannot install bytewax $what for Python 3.9: no such release, or no wheel for this platform"
	fi
	;;
git)
	[ -d "$what" ] || die "worktree '$what' not found"
	if [ -f "$what/Cargo.toml" ]; then
		# bytewax proper: a Rust extension built with maturin for python3.9.
		command -v maturin >/dev/null 2>&1 || die "building bytewax from source needs maturin and a Rust toolchain (pip install maturin)"
		wheels=$(mktemp -d)
		trap 'rm -rf -- "$wheels"' EXIT
		(cd -- "$what" && maturin build --release --interpreter "$py" --out "$wheels") ||
			die "maturin could not build '$what'"
		"${pip[@]}" install --disable-pip-version-check --no-input --quiet --target "$site" \
			--python-version 3.9 --only-binary=:all: --find-links "$wheels" "$wheels"/*.whl
	else
		# a pure-Python package: put its source on the venv's path.
		src=$what
		[ -d "$what/pysrc" ] && src=$what/pysrc
		[ -d "$what/src" ] && src=$what/src
		printf '%s\n' "$(cd -- "$src" && pwd)" >"$site/spin_gate_worktree.pth"
	fi
	;;
*) die "unknown kind '$kind' (expected version or git)" ;;
esac
"$env/bin/python" -c 'import bytewax' || die "bytewax does not import in '$env'"
