#!/usr/bin/env bash
# Turn a smol release into an environment for the smol corpus suite.
# corpus/lib/cargo-trigger.sh does the work (what it builds, where, and how it
# keys the tools cache); this sets the crate and its toolchain.
#
#   setup.sh version VERSION ENV [FILE...]
set -euo pipefail

crate=smol
toolchain= # empty: the default toolchain
# shellcheck source=corpus/lib/cargo-trigger.sh
. "$(dirname -- "$0")/../lib/cargo-trigger.sh"
