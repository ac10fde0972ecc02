#!/usr/bin/env bash
# Installs everything healer's build, tests and demo need, idempotently.
# Fast when everything is already present; safe to run as root on a fresh machine.
set -euo pipefail

STABLE=1.98.0
NIGHTLY=nightly-2026-10-30
BPF_LINKER_VERSION=0.13.0
TOOLS=${HEALER_TOOLS_DIR:-$HOME/.cache/healer-tools}

log() { printf '[setup] %s\n' "$*" >&2; }

# --- apt packages -----------------------------------------------------------
need_pkgs=()
for p in git gcc make python3 nodejs patch dbus dbus-user-session systemd util-linux python3-coverage gdb; do
  dpkg -s "$p" >/dev/null 2>&1 || need_pkgs+=("$p")
done
if [ ${#need_pkgs[@]} -gt 0 ]; then
  log "installing apt packages: ${need_pkgs[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need_pkgs[@]}" >/dev/null
fi

# --- Rust toolchains --------------------------------------------------------
if ! command -v rustup >/dev/null 2>&1; then
  [ -x "$HOME/.cargo/bin/rustup" ] && export PATH=$HOME/.cargo/bin:$PATH
fi
have_tc() { rustup toolchain list | grep -q "^$1"; }
if ! have_tc "$STABLE" || ! rustup component list --toolchain "$STABLE" --installed | grep -q llvm-tools; then
  log "installing Rust $STABLE (clippy, rustfmt, llvm-tools for Rust line coverage)"
  rustup toolchain install "$STABLE" --profile minimal --component clippy,rustfmt,llvm-tools --no-self-update
fi
if ! have_tc "$NIGHTLY" || ! rustup component list --toolchain "$NIGHTLY" --installed | grep -q rust-src; then
  log "installing Rust $NIGHTLY with rust-src"
  rustup toolchain install "$NIGHTLY" --profile minimal --component rust-src --no-self-update
fi

# --- bpf-linker, linked against the nightly's own libLLVM --------------------
if [ ! -x "$TOOLS/bpf-linker/bin/bpf-linker" ]; then
  log "building bpf-linker $BPF_LINKER_VERSION against $NIGHTLY's libLLVM"
  NL=$(rustc +"$NIGHTLY" --print sysroot)/lib
  LIBLLVM=$(cd "$NL" && ls libLLVM.so.* | head -n1)
  mkdir -p "$TOOLS/llvm/lib"
  ln -sf "$NL/$LIBLLVM" "$TOOLS/llvm/lib/$LIBLLVM"
  ln -sf "$NL/$LIBLLVM" "$TOOLS/llvm/lib/libLLVM.so"
  LLVM_PREFIX=$TOOLS/llvm cargo +"$STABLE" install --locked "bpf-linker@$BPF_LINKER_VERSION" --root "$TOOLS/bpf-linker"
fi
log "toolchains ready"
