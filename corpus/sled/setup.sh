#!/usr/bin/env bash
# Turn a sled release into an environment for the sled corpus suite.
# corpus/lib/cargo-trigger.sh does the work (what it builds, where, and how it
# keys the tools cache); this sets the crate and its toolchain.
#
#   setup.sh version VERSION ENV [FILE...]
set -euo pipefail

crate=sled
# sled 0.30 calls fs2's try_lock_shared/try_lock_exclusive on a File, which std's own
# File::try_lock* (Rust 1.89) shadow with another error type: it builds with 1.88
toolchain=1.88.0
# shellcheck source=corpus/lib/cargo-trigger.sh
. "$(dirname -- "$0")/../lib/cargo-trigger.sh"
