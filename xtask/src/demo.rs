//! `cargo xtask demo`: the kernel sensor watching programs that fail in different ways.
use std::process::Command;

use anyhow::{Context as _, bail};

use crate::{build_c, build_healerd, workspace_root};

pub fn run() -> anyhow::Result<()> {
    if !nix_is_root() {
        bail!("the demo loads eBPF programs: run it as root");
    }
    println!("== building healerd and the demo programs");
    let healerd = build_healerd()?;
    let crash = build_c("crash", &["-g", "-O0", "-fno-omit-frame-pointer"])?;
    let panic = workspace_root().join("target/xtask/panic");
    crate::run(
        Command::new("rustc")
            .args([
                "-g",
                "-C",
                "panic=abort",
                "-C",
                "force-frame-pointers=yes",
                "-o",
            ])
            .arg(&panic)
            .arg(workspace_root().join("tests/programs/panic.rs")),
    )?;
    let crash = crash.display().to_string();
    let panic = panic.display().to_string();
    let scenes: &[(&str, Vec<&str>)] = &[
        (
            "a C service dereferences NULL three calls deep (SIGSEGV)",
            vec!["--", &crash, "segv"],
        ),
        (
            "integer division by zero (SIGFPE)",
            vec!["--", &crash, "fpe"],
        ),
        (
            "a Rust service panics with panic=abort (SIGABRT); Rust prints its own backtrace",
            vec!["--", &panic],
        ),
        (
            "a 200 ms sleep: slow-syscall event and its latency bucket",
            vec!["--slow-ms", "100", "--", &crash, "sleep"],
        ),
        ("a clean exit(3)", vec!["--", &crash, "exit3"]),
    ];
    for (title, args) in scenes {
        println!("\n== {title}\n$ healerd watch {}", args.join(" "));
        let status = Command::new(&healerd)
            .arg("watch")
            .args(args)
            .env("RUST_BACKTRACE", "1")
            .status()
            .context("running healerd")?;
        if !status.success() {
            bail!("healerd watch failed ({status})");
        }
    }
    println!("\n== done: every event above came from eBPF probes filtered by the command's cgroup");
    Ok(())
}

fn nix_is_root() -> bool {
    nix::unistd::Uid::effective().is_root()
}
