//! `healerctl`: the command-line front end of healer.
//!
//! Exit codes of `repair`: 0 fixed, 1 no plausible patch, 2 bad input,
//! 3 engine error (I/O in the sandbox, ...). `bench`: 0 when the benchmark ran,
//! 2 when the manifest is unusable.
//!
//! Exit codes of the daemon commands (`status`, `services`, `incidents`, `show`, `approve`,
//! `reject`, `rollback`, `pause`, `resume`, `reload`): 0 done, 1 refused (access denied, no
//! such incident or service, wrong state, action failed), 2 usage, 3 healerd not running or
//! the bus unreachable.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use healer_daemon::repair::{Language, Outcome, RepairEngine, RepairError, RepairRequest, bench};

#[path = "healerctl/ctl.rs"]
mod ctl;
#[path = "healerctl/localize_cmd.rs"]
mod localize_cmd;

#[derive(Parser, Debug)]
#[command(name = "healerctl", version, about = "Control and use healer locally")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Repair a project locally: localize the fault, synthesize and validate a patch.
    Repair(RepairArgs),
    /// Run the repair benchmark over a corpus manifest.
    Bench(BenchArgs),
    /// healerd's status.
    Status(ctl::BusArgs),
    /// Watched services, their state and open incident.
    Services(ctl::BusArgs),
    /// All incidents, oldest first.
    Incidents(ctl::BusArgs),
    /// One incident with all its evidence and history.
    Show(ctl::IdArgs),
    /// Approve the proposed patch of an incident (root or group `healer`).
    Approve(ctl::IdArgs),
    /// Reject the proposed patch of an incident (root or group `healer`).
    Reject(ctl::IdArgs),
    /// Roll a service back to its previous release (root or group `healer`).
    Rollback(ctl::UnitArgs),
    /// Pause healing of a service (root or group `healer`).
    Pause(ctl::UnitArgs),
    /// Resume healing of a service (root or group `healer`).
    Resume(ctl::UnitArgs),
    /// Reload the policies (root or group `healer`).
    Reload(ctl::BusArgs),
    /// Print a shell completion script.
    Completions { shell: clap_complete::Shell },
    /// Rank suspicious lines from per-test coverage spectra and the evidence.
    Localize(LocalizeArgs),
    /// Train the learned localization ranker on a corpus (k-fold CV report + model file).
    TrainRanker(TrainRankerArgs),
}

#[derive(Args, Debug)]
struct LocalizeArgs {
    /// Repository to analyse (tests run on a private copy).
    #[arg(long)]
    repo: PathBuf,
    /// The project's test command.
    #[arg(long)]
    test: String,
    /// Build command, run before the tests.
    #[arg(long)]
    build: Option<String>,
    /// Failure evidence file.
    #[arg(long)]
    evidence: Option<PathBuf>,
    /// python, rust, c or javascript; detected when omitted.
    #[arg(long)]
    language: Option<Language>,
    /// SBFL formula (ochiai, dstar, tarantula, op2, barinel); shorthand for --localizer.
    #[arg(long)]
    formula: Option<String>,
    /// stack, a formula, or learned.
    #[arg(long)]
    localizer: Option<String>,
    /// Ranker model for --localizer learned.
    #[arg(long)]
    model: Option<PathBuf>,
    /// Spectrum collector: coverage (the language's line coverage) or uprobe
    /// (function hits by eBPF uprobes on the normal test build; Rust and C; needs root).
    #[arg(long, default_value = "coverage")]
    spectra: healer_daemon::localize::collect::Collector,
    #[arg(long, default_value_t = 10)]
    top: usize,
    #[arg(long)]
    json: bool,
    #[arg(long = "timeout-s", default_value_t = 120)]
    timeout_s: u64,
}

#[derive(Args, Debug)]
struct TrainRankerArgs {
    #[arg(long)]
    manifest: PathBuf,
    /// Where the trained model is written.
    #[arg(long, default_value = "config/models/ranker.json")]
    out: PathBuf,
    #[arg(long, default_value_t = 5)]
    folds: usize,
    #[arg(long, default_value_t = 1)]
    jobs: usize,
    /// Write the collected feature data set here (JSON) ...
    #[arg(long)]
    dataset_out: Option<PathBuf>,
    /// ... or read it from here instead of collecting spectra again.
    #[arg(long)]
    dataset: Option<PathBuf>,
    /// Only cases whose id contains this substring.
    #[arg(long)]
    id: Option<String>,
    /// Scorer: `linear` or `mlp` (one hidden tanh layer plus a linear
    /// skip). Several (comma-separated) values of --model-kind, --loss and
    /// --l2 form a grid; each CV fold then picks its recipe by an inner CV.
    #[arg(long = "model-kind", value_delimiter = ',', default_value = "linear")]
    model_kind: Vec<String>,
    /// Objective: `listwise` (softmax over a case's lines) or `pairwise` (RankNet).
    #[arg(long, value_delimiter = ',', default_value = "pairwise")]
    loss: Vec<String>,
    /// Hidden units of the MLP.
    #[arg(long, default_value_t = 16)]
    hidden: usize,
    #[arg(long, default_value_t = 600)]
    epochs: usize,
    /// Trainer: `cpu` (plain Rust) or `tch` (libtorch tensors, GPU when one
    /// is usable; needs a build with `--features cuda`).
    #[arg(long, default_value = "cpu")]
    backend: String,
    /// L2 penalty on every weight.
    #[arg(long, value_delimiter = ',', default_value = "0.001")]
    l2: Vec<f64>,
    /// Adam step size.
    #[arg(long = "learning-rate", default_value_t = 0.01)]
    learning_rate: f64,
    /// Model-row columns the model may not use (comma-separated names), for ablations.
    #[arg(long, value_delimiter = ',')]
    drop: Vec<String>,
    /// Order the learned localizer's sites by each function's best line
    /// first, then the other lines (recorded in the model file).
    #[arg(long)]
    interleave_functions: bool,
    /// Also print every case's cross-validated learned rank.
    #[arg(long)]
    per_case: bool,
}

#[derive(Args, Debug)]
struct RepairArgs {
    /// Repository to repair (never modified unless --apply).
    #[arg(long)]
    repo: PathBuf,
    /// The project's test command (run with `sh -c` in a sandbox copy).
    #[arg(long)]
    test: String,
    /// Build command, run before the tests.
    #[arg(long)]
    build: Option<String>,
    /// Failure evidence: a traceback, panic, sanitizer report or test output.
    #[arg(long)]
    evidence: Option<PathBuf>,
    /// python, rust, c or javascript; detected when omitted.
    #[arg(long)]
    language: Option<Language>,
    /// Write the patch into the repository.
    #[arg(long)]
    apply: bool,
    /// Print the explanation record as JSON.
    #[arg(long)]
    json: bool,
    /// Total time budget in seconds.
    #[arg(long = "timeout-s", default_value_t = 300)]
    timeout_s: u64,
    /// Upper bound on validated candidates.
    #[arg(long, default_value_t = 300)]
    max_candidates: usize,
    /// Localizer: stack (default), ochiai, dstar, tarantula, op2, barinel, learned.
    #[arg(long)]
    localizer: Option<String>,
    /// Ranker model for --localizer learned.
    #[arg(long)]
    model: Option<PathBuf>,
}

#[derive(Args, Debug)]
struct BenchArgs {
    /// Corpus manifest (TOML; may `include` other manifests).
    #[arg(long)]
    manifest: PathBuf,
    #[arg(long)]
    json: bool,
    /// Cases run in parallel.
    #[arg(long, default_value_t = 1)]
    jobs: usize,
    /// Only cases whose id contains this substring.
    #[arg(long)]
    id: Option<String>,
    /// Localizer to benchmark: stack, ochiai, dstar, tarantula, op2, barinel, learned.
    #[arg(long)]
    localizer: Option<String>,
    /// Ranker model for --localizer learned.
    #[arg(long)]
    model: Option<PathBuf>,
    /// Only localize (no repair): Top-k and EXAM of the fault line, fast.
    #[arg(long)]
    localize_only: bool,
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("HEALER_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    let cli = Cli::parse();
    match cli.command {
        Command::Repair(a) => run_repair(a),
        Command::Bench(a) => match run_bench(a) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("healerctl bench: {e:#}");
                ExitCode::from(2)
            }
        },
        Command::Completions { shell } => {
            use clap::CommandFactory as _;
            // Into a buffer first: clap_complete panics on a closed pipe (`| head`).
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "healerctl", &mut script);
            match std::io::Write::write_all(&mut std::io::stdout(), &script) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("healerctl completions: {e}");
                    ExitCode::from(1)
                }
            }
        }
        Command::Status(b) => ctl::run(&b, ctl::Call::Status),
        Command::Services(b) => ctl::run(&b, ctl::Call::Services),
        Command::Incidents(b) => ctl::run(&b, ctl::Call::Incidents),
        Command::Show(a) => ctl::run(&a.bus, ctl::Call::Show(a.id)),
        Command::Approve(a) => ctl::run(&a.bus, ctl::Call::Approve(a.id)),
        Command::Reject(a) => ctl::run(&a.bus, ctl::Call::Reject(a.id)),
        Command::Rollback(a) => ctl::run(&a.bus, ctl::Call::Rollback(a.unit)),
        Command::Pause(a) => ctl::run(&a.bus, ctl::Call::Pause(a.unit)),
        Command::Resume(a) => ctl::run(&a.bus, ctl::Call::Resume(a.unit)),
        Command::Reload(b) => ctl::run(&b, ctl::Call::Reload),
        Command::Localize(a) => match localize_cmd::run(a) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("healerctl localize: {e:#}");
                ExitCode::from(2)
            }
        },
        Command::TrainRanker(a) => match localize_cmd::train(a) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("healerctl train-ranker: {e:#}");
                ExitCode::from(2)
            }
        },
    }
}

fn run_repair(a: RepairArgs) -> ExitCode {
    let req = RepairRequest {
        repo: a.repo,
        test: a.test,
        build: a.build,
        evidence: a.evidence,
        language: a.language,
        timeout: Duration::from_secs(a.timeout_s),
        apply: a.apply,
        max_candidates: a.max_candidates,
    };
    let mut engine = RepairEngine::default();
    if let Some(name) = &a.localizer {
        match healer_daemon::localize::localizer_by_name(name, a.model.as_deref()) {
            Ok(l) => engine.localizer = l,
            Err(e) => {
                eprintln!("healerctl repair: bad input: localizer `{name}`: {e}");
                return ExitCode::from(2);
            }
        }
    }
    match engine.repair(&req) {
        Ok(report) => {
            if a.json {
                match serde_json::to_string_pretty(&report) {
                    Ok(s) => println!("{s}"),
                    Err(e) => {
                        eprintln!("healerctl repair: serialising the report: {e}");
                        return ExitCode::from(3);
                    }
                }
            } else {
                print!("{}", report.to_text());
            }
            match report.outcome {
                Outcome::Fixed => ExitCode::SUCCESS,
                Outcome::NoPlausiblePatch => ExitCode::from(1),
            }
        }
        Err(RepairError::BadInput(b)) => {
            eprintln!("healerctl repair: bad input: {b}");
            ExitCode::from(2)
        }
        Err(e) => {
            eprintln!("healerctl repair: {e}");
            ExitCode::from(3)
        }
    }
}

fn run_bench(a: BenchArgs) -> anyhow::Result<()> {
    let mut cases = bench::load_manifest(&a.manifest)?;
    if let Some(f) = &a.id {
        cases.retain(|c| c.id.contains(f.as_str()));
    }
    if a.localize_only || a.localizer.is_some() {
        return localize_cmd::bench(&a, &cases);
    }
    let engine = RepairEngine::default();
    let report = bench::run(&engine, &cases, a.jobs);
    if a.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&report).context("serialising the bench report")?
        );
    } else {
        print!("{}", report.to_table());
    }
    Ok(())
}
