#!/usr/bin/env bash
# healer's demo (README): installs what is missing, then runs `cargo xtask demo`. Run as root.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
export PATH=$HOME/.cache/healer-tools/bpf-linker/bin:$HOME/.cargo/bin:$PATH
exec cargo xtask demo "$@"
