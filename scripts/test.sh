#!/usr/bin/env bash
# healer's test command (README, CI): installs what is missing, then lint, build and test.
# Run as root: the tests load eBPF programs into the running kernel.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
export PATH=$HOME/.cache/healer-tools/bpf-linker/bin:$HOME/.cargo/bin:$PATH
cargo fmt --all --check
cargo clippy --all-targets -- -D warnings
# Integration tests run the healerd/healerctl binaries of this build.
cargo build --bins
cargo test
