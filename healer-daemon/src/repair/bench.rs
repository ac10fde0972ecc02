//! The benchmark runner: every case of a manifest is repaired on a private
//! copy, then judged by held-out oracle tests the engine never sees.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::validate::{copy_tree, run_command};
use super::{Language, Outcome, RepairEngine, RepairRequest};

#[derive(Debug, Error)]
pub enum BenchError {
    // The cause is part of the message (and not a `source`), so that
    // `{:#}` chains at the binary edge do not print it twice.
    #[error("reading manifest {path}: {error}")]
    Read {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error("parsing manifest {path}: {error}")]
    Parse {
        path: PathBuf,
        error: Box<toml::de::Error>,
    },
    #[error("manifest {manifest} includes missing file(s): {missing}")]
    MissingIncludes { manifest: PathBuf, missing: String },
    #[error("manifest {0} includes itself (directly or indirectly)")]
    IncludeCycle(PathBuf),
    #[error("case `{id}` has an invalid language: {error}")]
    Language { id: String, error: String },
}

/// One case as written in the manifest. Unknown keys — notably `fix`, the
/// reference patch — are not even deserialised: the engine must not see them.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct CaseSpec {
    pub id: String,
    pub language: String,
    #[serde(default)]
    pub fault_class: String,
    pub repo: PathBuf,
    #[serde(default)]
    pub build: Option<String>,
    pub test: String,
    #[serde(default)]
    pub evidence: Option<PathBuf>,
    #[serde(default)]
    pub oracle_dir: Option<PathBuf>,
    #[serde(default)]
    pub oracle: Option<String>,
    #[serde(default)]
    pub timeout_s: Option<u64>,
    #[serde(default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    /// Ground truth used only to score localization.
    #[serde(default)]
    pub fault_file: Option<PathBuf>,
    #[serde(default)]
    pub fault_line: Option<u32>,
}

#[derive(Debug, Deserialize)]
struct ManifestFile {
    #[serde(default)]
    include: Vec<PathBuf>,
    #[serde(default, rename = "case")]
    cases: Vec<CaseSpec>,
}

/// Load a manifest and its includes; relative paths in cases are resolved
/// against the file that declares them.
pub fn load_manifest(path: &Path) -> Result<Vec<CaseSpec>, BenchError> {
    let mut out = Vec::new();
    let mut stack = Vec::new();
    load_into(path, &mut out, &mut stack)?;
    Ok(out)
}

fn load_into(
    path: &Path,
    out: &mut Vec<CaseSpec>,
    stack: &mut Vec<PathBuf>,
) -> Result<(), BenchError> {
    let canon = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    if stack.contains(&canon) {
        return Err(BenchError::IncludeCycle(path.to_path_buf()));
    }
    let text = std::fs::read_to_string(path).map_err(|error| BenchError::Read {
        path: path.to_path_buf(),
        error,
    })?;
    let m: ManifestFile = toml::from_str(&text).map_err(|error| BenchError::Parse {
        path: path.to_path_buf(),
        error: Box::new(error),
    })?;
    let base = path.parent().unwrap_or(Path::new(".")).to_path_buf();
    let missing: Vec<String> = m
        .include
        .iter()
        .map(|i| base.join(i))
        .filter(|p| !p.is_file())
        .map(|p| p.display().to_string())
        .collect();
    if !missing.is_empty() {
        return Err(BenchError::MissingIncludes {
            manifest: path.to_path_buf(),
            missing: missing.join(", "),
        });
    }
    stack.push(canon);
    for inc in &m.include {
        load_into(&base.join(inc), out, stack)?;
    }
    stack.pop();
    for mut c in m.cases {
        c.repo = base.join(&c.repo);
        c.oracle_dir = c.oracle_dir.map(|d| base.join(d));
        out.push(c);
    }
    Ok(())
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CaseResult {
    pub id: String,
    pub language: String,
    pub fault_class: String,
    pub plausible: bool,
    pub correct: bool,
    /// Time to the first plausible patch, or the total time spent when none was found.
    pub time_s: f64,
    pub total_time_s: f64,
    pub candidates_tried: usize,
    pub candidates_generated: usize,
    pub fault_rank: Option<usize>,
    pub template: Option<String>,
    pub patch: Option<String>,
    /// Previously passing tests the chosen patch broke (by construction 0 for plausible patches).
    pub broke_passing_tests: usize,
    pub error: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct GroupSummary {
    pub cases: usize,
    pub plausible: usize,
    pub correct: usize,
    pub median_time_s: Option<f64>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Summary {
    pub cases: usize,
    pub plausible: usize,
    pub correct: usize,
    pub median_time_s: Option<f64>,
    pub per_language: BTreeMap<String, GroupSummary>,
    pub per_fault_class: BTreeMap<String, GroupSummary>,
    pub broke_passing_tests: usize,
    pub errors: usize,
    pub wall_time_s: f64,
    /// Top-k/EXAM of `fault_rank`, filled in when a localizer is benchmarked.
    #[serde(flatten, default)]
    pub localization: Option<crate::localize::accuracy::TopK>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BenchReport {
    pub cases: Vec<CaseResult>,
    pub summary: Summary,
}

/// Run `cases` with `jobs` workers.
pub fn run(engine: &RepairEngine, cases: &[CaseSpec], jobs: usize) -> BenchReport {
    let started = Instant::now();
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<CaseResult>>> = Mutex::new(vec![None; cases.len()]);
    std::thread::scope(|s| {
        for _ in 0..jobs.max(1) {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let Some(case) = cases.get(i) else { break };
                    let r = run_case(engine, case);
                    tracing::info!(id = %r.id, plausible = r.plausible, correct = r.correct, time_s = r.time_s, "case done");
                    results.lock().expect("no worker panics while holding the lock")[i] = Some(r);
                }
            });
        }
    });
    let cases: Vec<CaseResult> = results
        .into_inner()
        .expect("workers joined")
        .into_iter()
        .map(|r| r.expect("every case ran"))
        .collect();
    let summary = summarize(&cases, started.elapsed().as_secs_f64());
    BenchReport { cases, summary }
}

fn failed(case: &CaseSpec, error: String, t: f64) -> CaseResult {
    CaseResult {
        id: case.id.clone(),
        language: case.language.clone(),
        fault_class: case.fault_class.clone(),
        plausible: false,
        correct: false,
        time_s: t,
        total_time_s: t,
        candidates_tried: 0,
        candidates_generated: 0,
        fault_rank: None,
        template: None,
        patch: None,
        broke_passing_tests: 0,
        error: Some(error),
        note: None,
    }
}

pub fn run_case(engine: &RepairEngine, case: &CaseSpec) -> CaseResult {
    let t0 = Instant::now();
    let language: Language = match case.language.parse() {
        Ok(l) => l,
        Err(e) => return failed(case, e, 0.0),
    };
    let work = match tempfile::Builder::new().prefix("healer-bench-").tempdir() {
        Ok(d) => d,
        Err(e) => return failed(case, format!("creating a work directory: {e}"), 0.0),
    };
    let copy = work.path().join("repo");
    if let Err(e) = copy_tree(&case.repo, &copy) {
        return failed(case, format!("copying {}: {e}", case.repo.display()), 0.0);
    }
    let timeout = Duration::from_secs(case.timeout_s.unwrap_or(120));
    // The engine sees only the copy, the commands and the evidence.
    let req = RepairRequest {
        repo: copy.clone(),
        test: case.test.clone(),
        build: case.build.clone().filter(|b| !b.trim().is_empty()),
        evidence: case.evidence.as_ref().map(|e| copy.join(e)),
        language: Some(language),
        timeout,
        apply: true,
        max_candidates: 300,
    };
    let report = match engine.repair(&req) {
        Ok(r) => r,
        Err(e) => return failed(case, e.to_string(), t0.elapsed().as_secs_f64()),
    };
    let fault_rank = match (&case.fault_file, case.fault_line) {
        (Some(f), Some(l)) => super::localize::rank_of(&report.sites, f, l),
        _ => None,
    };
    let plausible = report.outcome == Outcome::Fixed;
    let mut note = report.note.clone();
    let correct = plausible
        && match judge(case, &copy, engine, timeout) {
            Ok(c) => c,
            Err(e) => {
                note = Some(e);
                false
            }
        };
    CaseResult {
        id: case.id.clone(),
        language: case.language.clone(),
        fault_class: case.fault_class.clone(),
        plausible,
        correct,
        time_s: report.time_to_plausible_s.unwrap_or(report.time_s),
        total_time_s: t0.elapsed().as_secs_f64(),
        candidates_tried: report.candidates_tried,
        candidates_generated: report.candidates_generated,
        fault_rank,
        template: report.chosen.as_ref().map(|c| c.template.clone()),
        patch: report.patch.clone(),
        broke_passing_tests: 0,
        error: None,
        note,
    }
}

/// Copy the oracle tests over the patched copy and run them.
fn judge(
    case: &CaseSpec,
    patched: &Path,
    engine: &RepairEngine,
    timeout: Duration,
) -> Result<bool, String> {
    let Some(oracle) = case.oracle.as_deref().filter(|o| !o.trim().is_empty()) else {
        return Err("case has no oracle command".into());
    };
    if let Some(dir) = &case.oracle_dir {
        copy_tree(dir, patched).map_err(|e| format!("copying oracle {}: {e}", dir.display()))?;
    }
    let env = [("PYTHONDONTWRITEBYTECODE".to_string(), "1".to_string())];
    if let Some(b) = case.build.as_deref().filter(|b| !b.trim().is_empty()) {
        let r = run_command(patched, "oracle-build", b, timeout, engine.net, &env)
            .map_err(|e| e.to_string())?;
        if !r.ok() {
            return Ok(false);
        }
    }
    let r = run_command(patched, "oracle", oracle, timeout, engine.net, &env)
        .map_err(|e| e.to_string())?;
    Ok(r.ok())
}

fn median(mut xs: Vec<f64>) -> Option<f64> {
    if xs.is_empty() {
        return None;
    }
    xs.sort_by(f64::total_cmp);
    let n = xs.len();
    Some(if n % 2 == 1 {
        xs[n / 2]
    } else {
        (xs[n / 2 - 1] + xs[n / 2]) / 2.0
    })
}

fn group<'a>(cases: impl Iterator<Item = &'a CaseResult>) -> GroupSummary {
    let v: Vec<&CaseResult> = cases.collect();
    GroupSummary {
        cases: v.len(),
        plausible: v.iter().filter(|c| c.plausible).count(),
        correct: v.iter().filter(|c| c.correct).count(),
        median_time_s: median(v.iter().filter(|c| c.plausible).map(|c| c.time_s).collect()),
    }
}

pub fn summarize(cases: &[CaseResult], wall: f64) -> Summary {
    let mut per_language = BTreeMap::new();
    let mut per_fault_class = BTreeMap::new();
    let langs: std::collections::BTreeSet<&str> =
        cases.iter().map(|c| c.language.as_str()).collect();
    for l in langs {
        per_language.insert(
            l.to_string(),
            group(cases.iter().filter(|c| c.language == l)),
        );
    }
    let classes: std::collections::BTreeSet<&str> =
        cases.iter().map(|c| c.fault_class.as_str()).collect();
    for k in classes {
        per_fault_class.insert(
            k.to_string(),
            group(cases.iter().filter(|c| c.fault_class == k)),
        );
    }
    let all = group(cases.iter());
    Summary {
        cases: all.cases,
        plausible: all.plausible,
        correct: all.correct,
        median_time_s: all.median_time_s,
        per_language,
        per_fault_class,
        broke_passing_tests: cases.iter().map(|c| c.broke_passing_tests).sum(),
        errors: cases.iter().filter(|c| c.error.is_some()).count(),
        wall_time_s: wall,
        localization: None,
    }
}

impl BenchReport {
    pub fn to_table(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "{:<28} {:<10} {:<18} {:>9} {:>7} {:>8} {:>5} {:>5}  template",
            "id", "language", "fault_class", "plausible", "correct", "time_s", "tried", "rank"
        );
        for c in &self.cases {
            let _ = writeln!(
                s,
                "{:<28} {:<10} {:<18} {:>9} {:>7} {:>8.2} {:>5} {:>5}  {}",
                c.id,
                c.language,
                c.fault_class,
                yes(c.plausible),
                yes(c.correct),
                c.time_s,
                c.candidates_tried,
                c.fault_rank.map_or("-".to_string(), |r| r.to_string()),
                c.template
                    .clone()
                    .or_else(|| c.error.as_ref().map(|e| format!("error: {e}")))
                    .unwrap_or_default()
            );
        }
        let sm = &self.summary;
        let _ = writeln!(
            s,
            "\ntotal: {} cases, {} plausible, {} correct, median time to plausible {}, {} broken passing tests, {} errors ({:.1}s wall)",
            sm.cases,
            sm.plausible,
            sm.correct,
            fmt_opt(sm.median_time_s),
            sm.broke_passing_tests,
            sm.errors,
            sm.wall_time_s
        );
        for (title, groups) in [
            ("language", &sm.per_language),
            ("fault class", &sm.per_fault_class),
        ] {
            let _ = writeln!(s, "per {title}:");
            for (k, g) in groups.iter() {
                let _ = writeln!(
                    s,
                    "  {:<20} {:>3} cases {:>3} plausible {:>3} correct  median {}",
                    k,
                    g.cases,
                    g.plausible,
                    g.correct,
                    fmt_opt(g.median_time_s)
                );
            }
        }
        s
    }
}

fn yes(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}

fn fmt_opt(x: Option<f64>) -> String {
    x.map_or("-".into(), |v| format!("{v:.2}s"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn includes_resolve_relative_and_missing_ones_are_named() {
        let d = tempfile::tempdir().unwrap();
        std::fs::create_dir(d.path().join("sub")).unwrap();
        std::fs::write(d.path().join("all.toml"), "include = [\"sub/py.toml\"]\n").unwrap();
        std::fs::write(
            d.path().join("sub/py.toml"),
            "[[case]]\nid = \"a\"\nlanguage = \"python\"\nfault_class = \"x\"\nrepo = \"cases/a\"\ntest = \"true\"\nfix = \"fixes/a.diff\"\nfault_file = \"m.py\"\nfault_line = 3\n",
        )
        .unwrap();
        let cases = load_manifest(&d.path().join("all.toml")).unwrap();
        assert_eq!(cases.len(), 1);
        assert_eq!(cases[0].repo, d.path().join("sub/cases/a"));
        assert_eq!(cases[0].fault_line, Some(3));

        std::fs::write(
            d.path().join("bad.toml"),
            "include = [\"nope.toml\", \"sub/py.toml\"]\n",
        )
        .unwrap();
        let err = load_manifest(&d.path().join("bad.toml"))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("nope.toml") && !err.contains("py.toml,"),
            "{err}"
        );
    }

    #[test]
    fn summary_medians_only_count_plausible_cases() {
        let mk = |id: &str, lang: &str, plausible: bool, t: f64| CaseResult {
            plausible,
            correct: plausible,
            time_s: t,
            ..failed(
                &CaseSpec {
                    id: id.into(),
                    language: lang.into(),
                    fault_class: "k".into(),
                    repo: PathBuf::new(),
                    build: None,
                    test: String::new(),
                    evidence: None,
                    oracle_dir: None,
                    oracle: None,
                    timeout_s: None,
                    kind: None,
                    description: None,
                    fault_file: None,
                    fault_line: None,
                },
                String::new(),
                t,
            )
        };
        let s = summarize(
            &[
                mk("a", "python", true, 1.0),
                mk("b", "python", true, 3.0),
                mk("c", "rust", false, 50.0),
            ],
            0.0,
        );
        assert_eq!(s.median_time_s, Some(2.0));
        assert_eq!(s.per_language["rust"].median_time_s, None);
        assert_eq!((s.cases, s.plausible), (3, 2));
    }
}
