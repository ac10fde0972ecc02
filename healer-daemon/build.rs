//! Builds the eBPF programs (`healer-ebpf`) with the pinned nightly and bpf-linker, so that
//! `include_bytes_aligned!` in `sense` embeds them into the daemon.
use anyhow::{Context as _, anyhow};
use aya_build::{Package, Toolchain};

/// Must match `scripts/setup.sh`; the nightly that builds `core` for the BPF target.
const EBPF_TOOLCHAIN: &str = "nightly-2026-10-30";

fn main() -> anyhow::Result<()> {
    let manifest_dir = std::env::var("CARGO_MANIFEST_DIR").context("CARGO_MANIFEST_DIR")?;
    let root = std::path::Path::new(&manifest_dir)
        .parent()
        .ok_or_else(|| anyhow!("healer-daemon has no parent directory"))?
        .join("healer-ebpf");
    let root_dir = root
        .to_str()
        .ok_or_else(|| anyhow!("non-UTF-8 path {root:?}"))?;
    aya_build::build_ebpf(
        [Package {
            name: "healer-ebpf",
            root_dir,
            ..Default::default()
        }],
        Toolchain::Custom(EBPF_TOOLCHAIN),
    )
}
