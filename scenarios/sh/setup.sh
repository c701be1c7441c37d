#!/usr/bin/env bash
# Turn an sh revision into an environment for the sh suite.
#
#   setup.sh version VERSION ENV     sh==VERSION from PyPI into a new venv ENV
#   setup.sh git WORKTREE ENV        an sh checkout (sh.py) on a new venv's path
#
# The venv is made with the machine's python3 (any 3.x that sh supports; 3.11
# here), or $SPIN_GATE_SH_PYTHON. It is made --without-pip, which needs no
# ensurepip (Debian's python3-venv), and that interpreter's own pip installs
# the package into the venv's site-packages with --target. sh is one pure
# Python module without dependencies.
# Arguments arrive as separate argv entries and are always quoted here.
set -euo pipefail

die() { echo "setup.sh: error: $*" >&2; exit 1; }

[ $# -eq 3 ] || die "usage: setup.sh version VERSION ENV | setup.sh git WORKTREE ENV"
kind=$1 what=$2 env=$3
py=${SPIN_GATE_SH_PYTHON:-python3}
command -v "$py" >/dev/null 2>&1 || die "'$py' not found (set SPIN_GATE_SH_PYTHON to a Python 3 interpreter)"

rm -rf -- "$env"
"$py" -m venv --without-pip -- "$env" || die "'$py -m venv' could not make '$env'"
site=$("$env/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
mkdir -p -- "$site"

case "$kind" in
version)
	case "$what" in
	*[!A-Za-z0-9.+-]*) die "invalid version '$what'" ;;
	esac
	"$py" -m pip --version >/dev/null 2>&1 || die "'$py' has no pip: apt-get install python3-pip"
	if ! PIP_ROOT_USER_ACTION=ignore "$py" -m pip install --disable-pip-version-check --no-input --quiet \
		--no-deps --target "$site" --no-warn-script-location "sh==$what"; then
		die "cannot install sh $what: no such release, or no network"
	fi
	;;
git)
	[ -d "$what" ] || die "worktree '$what' not found"
	# sh is one module, sh.py at the top of its repository: put the checkout on
	# the venv's path (a src/ layout is taken too)
	src=$what
	[ -f "$what/src/sh.py" ] && src=$what/src
	[ -f "$src/sh.py" ] || [ -d "$src/sh" ] || die "'$what' has no sh.py: not an sh checkout"
	printf '%s\n' "$(cd -- "$src" && pwd)" >"$site/spin_gate_worktree.pth"
	;;
*) die "unknown kind '$kind' (expected version or git)" ;;
esac
"$env/bin/python" -c 'import sh' || die "sh does not import in '$env'"
