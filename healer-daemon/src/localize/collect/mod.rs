//! Spectrum collectors: re-run a project's tests one by one under the
//! language's own coverage tooling, on a private copy of the repository.
//!
//! Python: coverage.py with one dynamic context per test function.
//! JavaScript: Node's built-in V8 block coverage (`NODE_V8_COVERAGE`), one
//! process per test (`--test-name-pattern`). C: gcc `--coverage` on a driver
//! that runs one test function per process, read back with `gcov --json-format`.
//! Rust: `-C instrument-coverage`, one process per test, `llvm-cov export`.
//! [`Collector::Uprobe`] (Rust, C): function hits from eBPF uprobes on the
//! normally built test binary (`native`).

mod c;
mod javascript;
pub mod native;
mod python;
mod rust;

use std::path::{Path, PathBuf};
use std::time::Duration;

use thiserror::Error;

use super::spectrum::{Element, Spectrum, SpectrumBuilder};
use crate::repair::Language;
use crate::repair::project::Project;
use crate::repair::validate::{NetIsolation, StepResult, copy_tree, run_command};

#[derive(Debug, Error)]
pub enum CollectError {
    #[error("cannot collect spectra for this project: {0}")]
    Unsupported(String),
    #[error("{tool} is not available: {detail}")]
    MissingTool { tool: String, detail: String },
    #[error("{context}: {detail}")]
    Step { context: String, detail: String },
    #[error("{context}: {source}")]
    Io {
        context: String,
        #[source]
        source: std::io::Error,
    },
    #[error("no run failed under instrumentation: the spectrum cannot point at a fault")]
    NoFailingRun,
    #[error("uprobe spectra: {0}")]
    Probe(#[from] native::ProbeError),
}

/// Which tooling produces the spectrum.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Collector {
    /// The language's own line coverage (coverage.py, V8, gcov, instrument-coverage).
    #[default]
    Coverage,
    /// Function entries seen by eBPF uprobes on the uninstrumented test binary
    /// (Rust, C; needs root or CAP_BPF + CAP_PERFMON).
    Uprobe,
}

impl std::str::FromStr for Collector {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "coverage" => Ok(Collector::Coverage),
            "uprobe" => Ok(Collector::Uprobe),
            _ => Err(format!("unknown collector `{s}` (coverage, uprobe)")),
        }
    }
}

impl CollectError {
    fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        CollectError::Io {
            context: context.into(),
            source,
        }
    }
}

impl From<crate::repair::RepairError> for CollectError {
    fn from(e: crate::repair::RepairError) -> Self {
        CollectError::Step {
            context: "running a command".into(),
            detail: e.to_string(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct CollectOptions {
    /// Limit for a whole instrumented suite run (Python) and small build steps.
    pub run_timeout: Duration,
    /// Limit for one test run alone (C, JavaScript, Rust); hangs end here.
    pub test_timeout: Duration,
    /// At most this many runs (tests) are collected.
    pub max_runs: usize,
    /// Limit for an instrumented rebuild (Rust recompiles everything).
    pub build_timeout: Duration,
    pub collector: Collector,
}

impl Default for CollectOptions {
    fn default() -> Self {
        CollectOptions {
            run_timeout: Duration::from_secs(120),
            test_timeout: Duration::from_secs(10),
            max_runs: 2000,
            build_timeout: Duration::from_secs(600),
            collector: Collector::default(),
        }
    }
}

/// Collect the per-test line spectrum of `project` for `test_command`.
/// Only lines of the project's non-test code become elements.
pub fn collect(
    project: &Project,
    test_command: &str,
    opts: &CollectOptions,
) -> Result<Spectrum, CollectError> {
    let work = tempfile::Builder::new()
        .prefix("healer-spectrum-")
        .tempdir()
        .map_err(|e| CollectError::io("creating a work directory", e))?;
    let repo = work.path().join("repo");
    copy_tree(&project.root, &repo).map_err(|e| CollectError::Step {
        context: format!("copying {}", project.root.display()),
        detail: e.to_string(),
    })?;
    let scratch = work.path().join("scratch");
    std::fs::create_dir_all(&scratch).map_err(|e| CollectError::io("creating scratch", e))?;
    let ctx = Ctx {
        project,
        repo: &repo,
        scratch: &scratch,
        test_command,
        opts,
    };
    let mut b = SpectrumBuilder::default();
    match (opts.collector, project.language) {
        (Collector::Coverage, Language::Python) => python::collect(&ctx, &mut b)?,
        (Collector::Coverage, Language::Javascript) => javascript::collect(&ctx, &mut b)?,
        (Collector::Coverage, Language::C) => c::collect(&ctx, &mut b)?,
        (Collector::Coverage, Language::Rust) => rust::collect(&ctx, &mut b)?,
        (Collector::Uprobe, Language::Rust) => native::collect_rust(&ctx, &mut b)?,
        (Collector::Uprobe, Language::C) => native::collect_c(&ctx, &mut b)?,
        (Collector::Uprobe, l) => {
            return Err(CollectError::Unsupported(format!(
                "uprobe spectra need a native binary; {l:?} tests run in an interpreter"
            )));
        }
    }
    let s = b.build();
    if s.failed_runs() == 0 {
        return Err(CollectError::NoFailingRun);
    }
    Ok(s)
}

/// What a language collector gets.
pub(crate) struct Ctx<'a> {
    pub project: &'a Project,
    /// The private copy the tests run in.
    pub repo: &'a Path,
    /// Scratch space outside the copy (coverage data, drivers).
    pub scratch: &'a Path,
    pub test_command: &'a str,
    pub opts: &'a CollectOptions,
}

impl Ctx<'_> {
    fn run(
        &self,
        step: &str,
        command: &str,
        env: &[(String, String)],
    ) -> Result<StepResult, CollectError> {
        self.run_for(step, command, env, self.opts.run_timeout)
    }

    /// One test alone.
    fn run_test(
        &self,
        step: &str,
        command: &str,
        env: &[(String, String)],
    ) -> Result<StepResult, CollectError> {
        self.run_for(step, command, env, self.opts.test_timeout)
    }

    fn run_long(
        &self,
        step: &str,
        command: &str,
        env: &[(String, String)],
    ) -> Result<StepResult, CollectError> {
        self.run_for(step, command, env, self.opts.build_timeout)
    }

    fn run_for(
        &self,
        step: &str,
        command: &str,
        env: &[(String, String)],
        timeout: Duration,
    ) -> Result<StepResult, CollectError> {
        let mut env = env.to_vec();
        env.push(("PYTHONDONTWRITEBYTECODE".into(), "1".into()));
        Ok(run_command(
            self.repo,
            step,
            command,
            timeout,
            NetIsolation::None,
            &env,
        )?)
    }

    /// The project's non-test source file a coverage tool printed (absolute
    /// in the copy, or relative to it).
    fn source_file(&self, printed: &str) -> Option<&crate::repair::project::SourceFile> {
        let printed = printed.trim_start_matches("file://");
        let p = Path::new(printed);
        let rel: PathBuf = match p.strip_prefix(self.repo) {
            Ok(r) => r.to_path_buf(),
            Err(_) if p.is_relative() => p
                .components()
                .filter(|c| !matches!(c, std::path::Component::CurDir))
                .collect(),
            Err(_) => return None,
        };
        self.project.file(&rel).filter(|sf| !sf.is_test_file)
    }

    /// The element for a printed path and line, when it is non-test project code.
    fn element(&self, printed: &str, line: u32) -> Option<Element> {
        let sf = self.source_file(printed)?;
        if self.project.is_test_code(&sf.path, line) {
            return None;
        }
        Some(Element {
            file: sf.path.clone(),
            line,
        })
    }
}

/// Shell-quote one word for `sh -c`.
pub(crate) fn sh_quote(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=:,@%+".contains(c))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

/// Is `tool` runnable (`tool args` exits 0)?
pub(crate) fn runs_ok(tool: &str, args: &[&str]) -> bool {
    std::process::Command::new(tool)
        .args(args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}
