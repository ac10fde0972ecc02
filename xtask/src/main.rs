//! Developer tasks: `cargo xtask demo`, `cargo xtask bench sense [--json]`.
mod bench_repair;
mod bench_sense;
mod demo;
mod sandbox;

use std::{
    path::{Path, PathBuf},
    process::Command,
};

use anyhow::{Context as _, bail};
use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "xtask", about = "healer developer tasks")]
struct Cli {
    #[command(subcommand)]
    command: Task,
}

#[derive(Subcommand)]
enum Task {
    /// Watch deliberately failing programs with the kernel sensor and show what it saw.
    Demo,
    /// Benchmarks; results go to docs/benchmarks.md by hand.
    Bench {
        #[command(subcommand)]
        what: BenchWhat,
    },
    /// Run CMD against a private systemd user manager, session bus and journald, then tear
    /// them down (also when CMD fails or on Ctrl-C). Exits with CMD's status. Needs root.
    Sandbox {
        /// The command and its arguments (after `--`).
        #[arg(trailing_var_arg = true, allow_hyphen_values = true, required = true)]
        cmd: Vec<String>,
    },
}

#[derive(Subcommand)]
enum BenchWhat {
    /// Sensor overhead, ring throughput, detection latency, daemon footprint.
    Sense {
        /// One JSON object instead of a table.
        #[arg(long)]
        json: bool,
        /// Rounds of each overhead measurement (medians are reported).
        #[arg(long, default_value_t = 5)]
        rounds: usize,
    },
    /// The repair engine over tests/corpus; rewrites the bench-repair section of docs/benchmarks.md.
    Repair {
        /// Print a JSON summary instead of the rendered section.
        #[arg(long)]
        json: bool,
        /// Cases repaired in parallel.
        #[arg(long, default_value_t = 2)]
        jobs: usize,
    },
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Task::Demo => demo::run(),
        Task::Bench {
            what: BenchWhat::Sense { json, rounds },
        } => bench_sense::run(json, rounds),
        Task::Bench {
            what: BenchWhat::Repair { json, jobs },
        } => bench_repair::run_bench(json, jobs),
        Task::Sandbox { cmd } => std::process::exit(sandbox::run(cmd)?),
    }
}

pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_path_buf()
}

/// Runs a command, failing with its stderr when it fails.
pub fn run(cmd: &mut Command) -> anyhow::Result<String> {
    let out = cmd
        .output()
        .with_context(|| format!("cannot run {cmd:?}"))?;
    if !out.status.success() {
        bail!(
            "{cmd:?} failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Builds `tests/programs/<name>.c` into `target/xtask/`.
pub fn build_c(name: &str, flags: &[&str]) -> anyhow::Result<PathBuf> {
    let root = workspace_root();
    let dir = root.join("target/xtask");
    std::fs::create_dir_all(&dir)?;
    let out = dir.join(name);
    run(Command::new("gcc")
        .args(flags)
        .arg("-o")
        .arg(&out)
        .arg(root.join(format!("tests/programs/{name}.c"))))?;
    Ok(out)
}

/// Builds the release `healerd` and returns its path.
pub fn build_healerd() -> anyhow::Result<PathBuf> {
    let root = workspace_root();
    let status = Command::new("cargo")
        .args([
            "build",
            "--release",
            "--quiet",
            "-p",
            "healer-daemon",
            "--bin",
            "healerd",
        ])
        .current_dir(&root)
        .status()
        .context("cargo build")?;
    if !status.success() {
        bail!("building healerd failed");
    }
    Ok(root.join("target/release/healerd"))
}
