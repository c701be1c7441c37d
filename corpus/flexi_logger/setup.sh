#!/usr/bin/env bash
# Turn a flexi_logger release into an environment for the flexi_logger corpus suite.
# corpus/lib/cargo-trigger.sh does the work (what it builds, where, and how it
# keys the tools cache); this sets the crate and its toolchain.
#
#   setup.sh version VERSION ENV [FILE...]
set -euo pipefail

crate=flexi_logger
toolchain= # empty: the default toolchain
# shellcheck source=corpus/lib/cargo-trigger.sh
. "$(dirname -- "$0")/../lib/cargo-trigger.sh"
