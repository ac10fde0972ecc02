//! Heal: from a diagnosed incident to a validated, staged release.
//!
//! `prepare_fix` is the repair half of the loop, and touches nothing that runs:
//! 1. the source of the release that failed (its commit, or the repository's `HEAD` for an
//!    adopted release) is exported into a private work tree under the state directory;
//! 2. the repair engine runs there with the incident's evidence, validating each candidate by
//!    the build, the service's tests and the replay of the captured failing input;
//! 3. the chosen patch becomes a commit on `healer/<incident>` and a patch file;
//! 4. the patched tree is built and its artifact staged as a new release (not yet active).
//!
//! Switching the unit to the release, the canary and rollback belong to the caller (the
//! daemon), through [`crate::deploy::Deployer`].
pub mod flow;

use std::{
    fs,
    path::{Path, PathBuf},
    process::Command,
    time::{Duration, Instant},
};

use serde::Serialize;
use thiserror::Error;

use crate::{
    config::policy::{Language as PolicyLanguage, Policy, Source},
    deploy::{self, DeployError, Origin, Release, ReleaseStore, hotfix},
    diagnose::Diagnosis,
    repair::{Language, Outcome, RepairEngine, RepairError, RepairReport, RepairRequest},
};

#[derive(Debug, Error)]
pub enum HealError {
    #[error("{unit} has no [source] in its policy: healer cannot repair it")]
    NoSource { unit: String },
    #[error("the release that failed was built from an unknown commit and {repo} has no HEAD")]
    NoBaseCommit { repo: PathBuf },
    #[error("{path}: {op}: {source}")]
    Io {
        path: PathBuf,
        op: &'static str,
        source: std::io::Error,
    },
    #[error("repair engine: {0}")]
    Repair(#[from] RepairError),
    #[error("deploy: {0}")]
    Deploy(#[from] DeployError),
    #[error("building the patched release failed ({command}): {output}")]
    Build { command: String, output: String },
}

/// Everything `prepare_fix` needs about the incident.
pub struct FixRequest<'a> {
    pub policy: &'a Policy,
    pub incident: &'a str,
    pub diagnosis: &'a Diagnosis,
    pub state_dir: &'a Path,
    /// Budget for the repair engine.
    pub timeout: Duration,
    pub max_candidates: usize,
    /// Learned multipliers of candidate scores per template (see `learn`); empty keeps the
    /// engine's static order.
    pub template_weights: std::collections::BTreeMap<String, f64>,
}

/// A validated patch, recorded and staged.
#[derive(Debug, Serialize)]
pub struct PreparedFix {
    pub release: Release,
    pub hotfix: hotfix::Hotfix,
    pub report: RepairReport,
    pub time_s: f64,
}

/// Why no release was staged, with the engine's report when it ran.
#[derive(Debug, Serialize)]
pub struct NoFix {
    pub reason: String,
    pub report: Option<RepairReport>,
}

pub type FixResult = Result<Result<PreparedFix, NoFix>, HealError>;

fn language(l: PolicyLanguage) -> Language {
    match l {
        PolicyLanguage::Python => Language::Python,
        PolicyLanguage::Rust => Language::Rust,
        PolicyLanguage::C => Language::C,
        PolicyLanguage::Javascript => Language::Javascript,
    }
}

fn shell_join(argv: &[String]) -> String {
    shlex::try_join(argv.iter().map(String::as_str)).unwrap_or_else(|_| {
        // Only NUL bytes make quoting fail, and the policy validator rejects them.
        argv.join(" ")
    })
}

/// The repair half of the loop (blocking: run it on a blocking thread).
pub fn prepare_fix(req: &FixRequest<'_>) -> FixResult {
    let started = Instant::now();
    let unit = &req.policy.unit;
    let source = req
        .policy
        .source
        .as_ref()
        .ok_or_else(|| HealError::NoSource { unit: unit.clone() })?;
    let store = ReleaseStore::open(req.state_dir, unit)?;
    let base = store
        .active()
        .and_then(|r| r.commit.clone())
        .or_else(|| hotfix::head_commit(&source.repo))
        .ok_or_else(|| HealError::NoBaseCommit {
            repo: source.repo.clone(),
        })?;
    drop(store);

    let work = req.state_dir.join("work").join(req.incident);
    if work.exists() {
        fs::remove_dir_all(&work).map_err(io(&work, "clear the work tree"))?;
    }
    let tree = work.join("src");
    hotfix::export_tree(&source.repo, &base, &tree)?;

    let mut test = shell_join(&source.test);
    if !source.replay.is_empty() {
        match &req.diagnosis.failing_input {
            Some(input) => {
                let input_file = work.join("failing-input");
                fs::write(&input_file, format!("{input}\n")).map_err(io(&input_file, "write"))?;
                let replay: Vec<String> = source
                    .replay
                    .iter()
                    .map(|a| a.replace("{input}", &input_file.to_string_lossy()))
                    .collect();
                test = format!("{test} && {}", shell_join(&replay));
                if let Some(check) = served_answers_check(source, req, &work, &tree)? {
                    test = format!("{test} && {check}");
                }
            }
            None => tracing::info!(
                unit,
                "no failing input captured (input_pattern matched nothing): validating with the tests alone"
            ),
        }
    }
    let evidence_file = work.join("evidence.txt");
    fs::write(&evidence_file, &req.diagnosis.log).map_err(io(&evidence_file, "write"))?;

    let mut request = RepairRequest::new(&tree, test);
    request.build = Some(shell_join(&source.build));
    request.evidence = (!req.diagnosis.log.trim().is_empty()).then_some(evidence_file);
    request.language = Some(language(source.language));
    request.timeout = req.timeout;
    request.apply = true;
    request.max_candidates = req.max_candidates;
    let engine = RepairEngine {
        template_weights: req.template_weights.clone(),
        ..RepairEngine::default()
    };
    let report = match engine.repair(&request) {
        Ok(r) => r,
        Err(RepairError::BadInput(b)) => {
            return Ok(Err(NoFix {
                reason: format!("the repair engine refused the incident: {b}"),
                report: None,
            }));
        }
        Err(e) => return Err(e.into()),
    };
    let Some(diff) = report
        .patch
        .clone()
        .filter(|_| report.outcome == Outcome::Fixed)
    else {
        return Ok(Err(NoFix {
            reason: report
                .note
                .clone()
                .unwrap_or_else(|| "no plausible patch".into()),
            report: Some(report),
        }));
    };

    let template = report
        .chosen
        .as_ref()
        .map(|c| c.template.clone())
        .unwrap_or_default();
    let message = format!(
        "healer: fix incident {} in {unit} ({template})\n\n{}",
        req.incident,
        req.diagnosis
            .top_frame()
            .map(|f| format!("Failure at {f}."))
            .unwrap_or_default()
    );
    let fix = hotfix::record(
        &source.repo,
        &base,
        &diff,
        req.incident,
        &message,
        &req.state_dir.join("patches"),
    )?;

    build(source, &tree)?;
    let artifact = artifact_in(source, &tree);
    let mut store = ReleaseStore::open(req.state_dir, unit)?;
    let release = store.stage(
        &artifact,
        Origin::Patched,
        Some(fix.commit.clone()),
        Some(req.incident.to_string()),
    )?;
    store.prune(source.release.keep as usize + 1)?;
    Ok(Ok(PreparedFix {
        release,
        hotfix: fix,
        report,
        time_s: started.elapsed().as_secs_f64(),
    }))
}

/// The replay of the inputs the failing process served before it failed, compared with what
/// the unpatched build answers to them: a patch must remove the failure without changing
/// those answers. Without it, a candidate that breaks the replay path itself (say, handles the
/// replay file's name instead of its lines) "passes" the failing input. `None` (logged) when
/// there is nothing to compare: no served inputs, or answers that differ between two runs of
/// the same build (timestamps, randomness), or a replay that fails on them.
fn served_answers_check(
    source: &Source,
    req: &FixRequest<'_>,
    work: &Path,
    tree: &Path,
) -> Result<Option<String>, HealError> {
    let unit = &req.policy.unit;
    let served = &req.diagnosis.served_inputs;
    if served.is_empty() {
        tracing::info!(
            unit,
            "no served inputs logged before the failure: no answer check"
        );
        return Ok(None);
    }
    let served_file = work.join("served-inputs");
    let mut text = served.join("\n");
    text.push('\n');
    fs::write(&served_file, text).map_err(io(&served_file, "write"))?;
    let replay: Vec<String> = source
        .replay
        .iter()
        .map(|a| a.replace("{input}", &served_file.to_string_lossy()))
        .collect();
    build(source, tree)?;
    let run = || {
        let (prog, args) = replay.split_first()?;
        let out = Command::new(prog)
            .args(args)
            .current_dir(tree)
            .stdin(std::process::Stdio::null())
            .output()
            .ok()?;
        out.status.success().then_some(out.stdout)
    };
    let (Some(first), Some(second)) = (run(), run()) else {
        tracing::info!(
            unit,
            "the unpatched build does not replay the served inputs cleanly: no answer check"
        );
        return Ok(None);
    };
    if first != second {
        tracing::info!(
            unit,
            "answers to the served inputs vary between runs: no answer check"
        );
        return Ok(None);
    }
    let expected = work.join("served-answers");
    fs::write(&expected, &first).map_err(io(&expected, "write"))?;
    Ok(Some(format!(
        "{} | cmp -s - {}",
        shell_join(&replay),
        shell_join(&[expected.to_string_lossy().into_owned()])
    )))
}

/// Where the policy's artifact (a path inside `repo`) lies in an exported tree.
fn artifact_in(source: &Source, tree: &Path) -> PathBuf {
    match source.release.artifact.strip_prefix(&source.repo) {
        Ok(rel) => tree.join(rel),
        // An artifact outside the repository is produced by the build wherever it says.
        Err(_) => source.release.artifact.clone(),
    }
}

fn build(source: &Source, tree: &Path) -> Result<(), HealError> {
    let (prog, args) = source.build.split_first().expect("validated non-empty");
    let out = Command::new(prog)
        .args(args)
        .current_dir(tree)
        .output()
        .map_err(io(tree, "run the build"))?;
    if !out.status.success() {
        let mut output = String::from_utf8_lossy(&out.stderr).into_owned();
        output.truncate(4000);
        return Err(HealError::Build {
            command: shell_join(&source.build),
            output,
        });
    }
    Ok(())
}

fn io(path: &Path, op: &'static str) -> impl FnOnce(std::io::Error) -> HealError {
    let path = path.to_path_buf();
    move |source| HealError::Io { path, op, source }
}

/// Records the unit's current release once, so a rollback always has somewhere to go.
pub fn ensure_adopted(state_dir: &Path, policy: &Policy) -> Result<Option<Release>, HealError> {
    Ok(deploy::adopt(state_dir, policy)?)
}
