//! Developer tasks: `cargo xtask demo`, `cargo xtask bench sense [--json]`.
mod bench_heal;
mod bench_learn;
mod bench_localize;
mod bench_repair;
mod bench_sense;
mod bench_uprobe;
mod demo;
mod live;
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
    /// healer healing live services in a private systemd sandbox, narrated (needs root).
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
    /// Heal every service case of tests/services live: detection, mitigation, MTTR, heal rate.
    Heal {
        /// Only cases whose id contains this.
        #[arg(long)]
        id: Option<String>,
        #[arg(long)]
        json: bool,
        /// Rewrite the bench-heal section of docs/benchmarks.md with the results.
        #[arg(long)]
        write_docs: bool,
    },
    /// Learned template order vs the static one: candidates tried to the first correct fix.
    Learn {
        /// Repair corpus manifest (default: tests/corpus/manifest.toml).
        #[arg(long)]
        manifest: Option<PathBuf>,
        /// Only cases whose id contains this.
        #[arg(long)]
        id: Option<String>,
        /// Parallel cases in the static pass (the learned pass is sequential by nature).
        #[arg(long, default_value_t = 2)]
        jobs: usize,
        /// Seed of the case order.
        #[arg(long, default_value_t = 7)]
        seed: u64,
        #[arg(long)]
        json: bool,
    },
    /// Sensor overhead, ring throughput, detection latency, daemon footprint.
    Sense {
        /// One JSON object instead of a table.
        #[arg(long)]
        json: bool,
        /// Rounds of each overhead measurement (medians are reported).
        #[arg(long, default_value_t = 5)]
        rounds: usize,
    },
    /// SBFL scoring time and peak memory on synthetic spectra (10^4..10^6 runs × 10^5 elements).
    Localize {
        /// One JSON object instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Uprobe spectra: attach time of N function probes (uprobe.multi vs one uprobe per
    /// function) and per-test cost vs instrument-coverage on corpus Rust cases (needs root).
    Uprobe {
        #[arg(long)]
        json: bool,
        /// Rewrite the bench-uprobe section of docs/benchmarks.md with the results.
        #[arg(long)]
        write_docs: bool,
        /// Function counts of the generated binaries.
        #[arg(long, value_delimiter = ',', default_values_t = [100, 1000, 10000])]
        sizes: Vec<usize>,
        /// Rust corpus cases (tests/corpus/rust.toml ids).
        #[arg(long, value_delimiter = ',', default_values_t = ["rs-api-misuse-001".to_string(), "rs-off-by-one-001".to_string(), "rs-wrong-operator-001".to_string()])]
        cases: Vec<String>,
        /// Rounds of each attach measurement (medians are reported).
        #[arg(long, default_value_t = 3)]
        rounds: usize,
        /// Largest size measured with per-function uprobes (their removal is slow).
        #[arg(long, default_value_t = 1000)]
        single_max: usize,
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
            what:
                BenchWhat::Learn {
                    manifest,
                    id,
                    jobs,
                    seed,
                    json,
                },
        } => bench_learn::run(manifest, id, jobs, seed, json),
        Task::Bench {
            what: BenchWhat::Localize { json },
        } => bench_localize::run(json),
        Task::Bench {
            what:
                BenchWhat::Heal {
                    id,
                    json,
                    write_docs,
                },
        } => bench_heal::run(id, json, write_docs),
        Task::Bench {
            what:
                BenchWhat::Uprobe {
                    json,
                    write_docs,
                    sizes,
                    cases,
                    rounds,
                    single_max,
                },
        } => bench_uprobe::run(json, write_docs, sizes, cases, rounds, single_max),
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

/// Builds release binaries of healer-daemon and returns their paths, in the order given.
pub fn build_release_bins<const N: usize>(names: [&str; N]) -> anyhow::Result<[PathBuf; N]> {
    let root = workspace_root();
    let mut cmd = Command::new("cargo");
    cmd.args(["build", "--release", "--quiet", "-p", "healer-daemon"]);
    for name in names {
        cmd.args(["--bin", name]);
    }
    let status = cmd.current_dir(&root).status().context("cargo build")?;
    if !status.success() {
        bail!("building {} failed", names.join(" and "));
    }
    Ok(names.map(|n| root.join("target/release").join(n)))
}
