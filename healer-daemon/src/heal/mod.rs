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
    localize::{LocalizerError, LocalizerSpec},
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
    #[error("localizer {name}: {source}")]
    Localizer {
        name: String,
        #[source]
        source: LocalizerError,
    },
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
    /// The localizer the engine ranks sites with (`[repair]` in `healer.toml`).
    pub localizer: &'a LocalizerSpec,
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
    let engine = engine_for(req)?;
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

/// The repair engine of one heal: the configured localizer (a spectrum-based one falls back
/// to the stack ranking by itself when the tests cannot produce a failing run) and the
/// learned template weights.
pub fn engine_for(req: &FixRequest<'_>) -> Result<RepairEngine, HealError> {
    let localizer = req
        .localizer
        .build()
        .map_err(|source| HealError::Localizer {
            name: req.localizer.name.clone(),
            source,
        })?;
    Ok(RepairEngine {
        localizer,
        template_weights: req.template_weights.clone(),
        ..RepairEngine::default()
    })
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

#[cfg(test)]
mod tests {
    use std::{path::Path, process::Command, time::Duration};

    use super::*;
    use crate::localize::ModelSource;

    const PRICES: &str = "\
PRICES = {\"apple\": 3, \"pear\": 4}


def price(item):
    return PRICES[item]
";
    const TESTS: &str = "\
import unittest

from app.prices import price


class PriceTest(unittest.TestCase):
    def test_known(self):
        self.assertEqual(price(\"apple\"), 3)

    def test_other(self):
        self.assertEqual(price(\"pear\"), 4)
";
    const REPLAY: &str = "\
import sys

from app.prices import price

print(price(open(sys.argv[1]).read().strip()))
";
    // What the service printed when the replayed request killed it.
    const LOG: &str = "\
Traceback (most recent call last):
  File \"/srv/shop/app/replay.py\", line 5, in <module>
    print(price(open(sys.argv[1]).read().strip()))
  File \"/srv/shop/app/prices.py\", line 5, in price
    return PRICES[item]
KeyError: 'plum'
";

    /// The service crashed on the request `plum`, with nothing served before.
    fn plum_crash() -> Diagnosis {
        Diagnosis {
            log: LOG.into(),
            evidence: crate::repair::evidence::parse(LOG),
            failing_input: Some("plum".into()),
            served_inputs: Vec::new(),
        }
    }

    fn git(repo: &Path, args: &[&str]) {
        let ok = Command::new("git")
            .arg("-C")
            .arg(repo)
            .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
            .args(args)
            .status()
            .unwrap()
            .success();
        assert!(ok, "git {args:?}");
    }

    /// A Python service whose tests pass and whose crash comes from one request: the live
    /// incident shape, where no test fails and so no spectrum can be collected.
    fn service(root: &Path) -> Policy {
        let repo = root.join("shop");
        for (rel, text) in [
            ("app/__init__.py", ""),
            ("app/prices.py", PRICES),
            ("app/replay.py", REPLAY),
            ("tests/__init__.py", ""),
            ("tests/test_prices.py", TESTS),
        ] {
            let p = repo.join(rel);
            fs::create_dir_all(p.parent().unwrap()).unwrap();
            fs::write(p, text).unwrap();
        }
        git(&repo, &["init", "-q"]);
        git(&repo, &["add", "."]);
        git(&repo, &["commit", "-q", "-m", "shop"]);
        toml::from_str(&format!(
            r#"
unit = "shop.service"
actions = ["repair"]
[source]
repo = {repo:?}
language = "python"
build = ["true"]
test = ["python3", "-m", "unittest", "discover", "-s", "tests", "-t", ".", "-q"]
replay = ["python3", "-m", "app.replay", "{{input}}"]
[source.release]
artifact = {artifact:?}
install = "symlink"
target = {target:?}
"#,
            repo = repo.display().to_string(),
            artifact = repo.join("app").display().to_string(),
            target = root.join("current").display().to_string(),
        ))
        .unwrap()
    }

    fn heal_with(localizer: &LocalizerSpec) -> (RepairReport, bool) {
        let root = tempfile::tempdir().unwrap();
        let policy = service(root.path());
        let diagnosis = plum_crash();
        let state = root.path().join("state");
        let fixed = prepare_fix(&FixRequest {
            policy: &policy,
            incident: "inc-1",
            diagnosis: &diagnosis,
            state_dir: &state,
            timeout: Duration::from_secs(120),
            max_candidates: 50,
            template_weights: Default::default(),
            localizer,
        })
        .expect("no heal error");
        match fixed {
            Ok(fix) => (fix.report, true),
            Err(no) => (no.report.expect("the engine ran"), false),
        }
    }

    #[test]
    fn the_heal_engine_uses_the_configured_localizer() {
        let stack = LocalizerSpec::stack();
        let (report, fixed) = heal_with(&stack);
        assert_eq!(report.localizer, "stack");
        assert!(fixed, "{:?}", report.note);
    }

    #[test]
    fn learned_falls_back_to_the_stack_ranking_when_no_test_fails() {
        let learned = LocalizerSpec {
            name: "learned".into(),
            model: ModelSource::Builtin,
        };
        let (report, fixed) = heal_with(&learned);
        assert_eq!(report.localizer, "learned");
        // The service's tests all pass (only the replay fails), so there is no failing run
        // to collect a spectrum from: every site is the stack localizer's, and says why.
        assert!(!report.sites.is_empty());
        assert!(
            report
                .sites
                .iter()
                .all(|s| s.why.contains("(no spectrum: ")),
            "{:#?}",
            report.sites
        );
        assert!(
            report
                .sites
                .iter()
                .any(|s| s.file.ends_with("app/prices.py")),
            "{:#?}",
            report.sites
        );
        // And the repair goes on with that ranking.
        assert!(fixed, "{:?}", report.note);
        let patch = report.patch.as_deref().unwrap_or_default();
        assert!(patch.contains("app/prices.py"), "{patch}");
    }

    #[test]
    fn an_unusable_model_is_a_heal_error_not_a_panic() {
        let root = tempfile::tempdir().unwrap();
        let missing = LocalizerSpec {
            name: "learned".into(),
            model: ModelSource::File(root.path().join("absent.json")),
        };
        let policy = service(root.path());
        let diagnosis = plum_crash();
        let err = prepare_fix(&FixRequest {
            policy: &policy,
            incident: "inc-2",
            diagnosis: &diagnosis,
            state_dir: &root.path().join("state"),
            timeout: Duration::from_secs(60),
            max_candidates: 10,
            template_weights: Default::default(),
            localizer: &missing,
        })
        .expect_err("a heal error");
        let text = err.to_string();
        assert!(
            matches!(err, HealError::Localizer { .. }) && text.contains("absent.json"),
            "{text}"
        );
    }
}
