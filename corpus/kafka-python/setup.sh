#!/usr/bin/env bash
# Turn a kafka-python release into an environment for the kafka-python corpus suite.
#
#   setup.sh version VERSION ENV    kafka-python==VERSION from PyPI into a new venv ENV
#
# kafka-python 1.4.x does not import on Python 3.7 or later (it has a module
# named "async"), so the venv is made with a Python 3.6: $SPIN_GATE_KAFKA_PYTHON,
# else pyenv's newest 3.6, else python3.6 on PATH. The release's wheel is
# downloaded once into the tools cache, TOOLS/corpus/wheels, TOOLS being
# $SPIN_GATE_TOOLS, else the gate's cache (SPIN_GATE_CACHE, else
# XDG_CACHE_HOME/spin-gate, else ~/.cache/spin-gate) + /tools, and installed
# from there: once downloaded, an environment is made again offline.
# kafka-python has no dependencies.
# Arguments arrive as separate argv entries and are always quoted here.
set -euo pipefail

die() { echo "setup.sh: error: $*" >&2; exit 1; }

[ $# -eq 3 ] || die "usage: setup.sh version VERSION ENV"
kind=$1 version=${2#v} env=$3
[ "$kind" = version ] || die "only release versions: this suite installs kafka-python from PyPI (no setup.git)"
case "$version" in
'' | *[!A-Za-z0-9.+-]*) die "invalid version '$2'" ;;
esac
py=${SPIN_GATE_KAFKA_PYTHON:-}
if [ -z "$py" ]; then
	# pyenv's shim for python3.6 is on PATH even when 3.6 is not the selected
	# version, and then fails: take pyenv's own 3.6 first, and a python3.6 on
	# PATH only when it runs
	for p in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.6.*/bin/python3.6; do
		[ -x "$p" ] && py=$p
	done
	if [ -z "$py" ] && python3.6 -c '' >/dev/null 2>&1; then
		py=$(command -v python3.6)
	fi
fi
[ -n "$py" ] || die "no Python 3.6 (kafka-python 1.4 needs one): set SPIN_GATE_KAFKA_PYTHON, or 'pyenv install 3.6'"
tools=${SPIN_GATE_TOOLS:-${SPIN_GATE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/spin-gate}/tools}
wheels=$tools/corpus/wheels
mkdir -p -- "$wheels"

rm -rf -- "$env"
"$py" -m venv -- "$env" || die "'$py -m venv' could not make '$env'"
pip=("$env/bin/python" -m pip --disable-pip-version-check --no-input --quiet)
if ! "${pip[@]}" install --no-index --find-links "$wheels" "kafka-python==$version" 2>/dev/null; then
	"${pip[@]}" download --no-deps --dest "$wheels" "kafka-python==$version" ||
		die "cannot download kafka-python $version: no such release, or no network"
	"${pip[@]}" install --no-index --find-links "$wheels" "kafka-python==$version" ||
		die "cannot install kafka-python $version"
fi
"$env/bin/python" -c 'import kafka' || die "kafka does not import in '$env'"
