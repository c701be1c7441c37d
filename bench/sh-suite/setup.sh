#!/usr/bin/env bash
# setup.sh WORKTREE ENV: the sh release that WORKTREE/requirements.txt names
# (one line "sh==VERSION") into a new venv ENV, for bench/history-sh.sh.
#
# sh is one pure Python module: its sh.py is taken out of the release's file
# (wheel or sdist) as pip downloads it, into the venv's site-packages. That
# needs no build of the old sdists (1.11, 1.14.3 have no wheel), so nothing
# but the download touches the network. The files are kept in
# $SPIN_GATE_SH_DISTS (bench/history-sh.sh fills it once before recording);
# a release missing there is downloaded into it with pip.
# The venv is made with python3, or $SPIN_GATE_SH_PYTHON, --without-pip.
set -euo pipefail

die() { echo "setup.sh: error: $*" >&2; exit 1; }

[ $# -eq 2 ] || die "usage: setup.sh WORKTREE ENV"
wt=$1 env=$2
py=${SPIN_GATE_SH_PYTHON:-python3}
dists=${SPIN_GATE_SH_DISTS:-${XDG_CACHE_HOME:-$HOME/.cache}/spin-gate-sh-dists}
[ -f "$wt/requirements.txt" ] || die "'$wt' has no requirements.txt"
version=$(sed -n 's/^sh==\([A-Za-z0-9.+-]*\)[[:space:]]*$/\1/p' "$wt/requirements.txt")
[ -n "$version" ] || die "'$wt/requirements.txt' names no 'sh==VERSION'"

mkdir -p -- "$dists"
find_dist() {
	local f
	for f in "$dists/sh-$version-"*.whl "$dists/sh-$version.tar.gz"; do
		[ -f "$f" ] && { printf '%s\n' "$f"; return 0; }
	done
	return 1
}
if ! dist=$(find_dist); then
	PIP_ROOT_USER_ACTION=ignore "$py" -m pip download --disable-pip-version-check --no-input --quiet \
		--no-deps --dest "$dists" "sh==$version" >&2 || die "cannot download sh $version"
	dist=$(find_dist) || die "pip downloaded no wheel or sdist of sh $version"
fi

rm -rf -- "$env"
"$py" -m venv --without-pip -- "$env" || die "'$py -m venv' could not make '$env'"
site=$("$env/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
mkdir -p -- "$site"
"$py" - "$dist" "$site/sh.py" <<'PY' || die "no sh.py in '$dist'"
import sys, tarfile, zipfile
dist, dest = sys.argv[1], sys.argv[2]
if dist.endswith(".whl"):
    with zipfile.ZipFile(dist) as z:
        data = z.read("sh.py")
else:
    with tarfile.open(dist) as t:
        top = [m for m in t.getmembers() if m.name.count("/") == 1 and m.name.endswith("/sh.py")]
        data = t.extractfile(top[0]).read()
with open(dest, "wb") as f:
    f.write(data)
PY
got=$("$env/bin/python" -c 'import sh; print(sh.__version__)') || die "sh does not import in '$env'"
[ "$got" = "$version" ] || die "'$dist' is sh $got, not $version"
