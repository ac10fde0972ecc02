//! The repair engine: evidence → localization → synthesis → sandboxed
//! validation → explained patch.
//!
//! Stages live in their own modules behind narrow interfaces:
//! [`evidence`] parses failures, [`localize::Localizer`] ranks suspicious
//! sites, [`synth::Template`]s propose edits, [`validate::Validator`] checks
//! them in a [`validate::Sandbox`], and [`explain`] renders the outcome.
//! [`bench`] runs the engine over a corpus manifest.

pub mod bench;
pub mod evidence;
pub mod explain;
pub mod hang;
pub mod lang;
pub mod localize;
pub mod project;
pub mod synth;
pub mod templates_flow;
pub mod validate;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use thiserror::Error;

pub use explain::{Attempt, Outcome, RepairReport};
pub use lang::Language;
use localize::{LocalizeContext, Localizer, StackLocalizer};
use synth::{Template, builtin_templates};
use validate::{Baseline, NetIsolation, Sandbox, SandboxValidator, Validator};

/// Inputs the user got wrong; each maps to one line of explanation.
#[derive(Debug, Error)]
pub enum BadInput {
    #[error("repository `{0}` does not exist or is not a directory")]
    MissingRepo(PathBuf),
    #[error("cannot detect the language of `{0}`; pass --language")]
    UnknownLanguage(PathBuf),
    #[error("evidence file `{path}` cannot be read: {error}")]
    Evidence { path: PathBuf, error: String },
    #[error("test command `{command}` cannot run at all (exit {code}): {detail}")]
    TestCommandNotRunnable {
        command: String,
        code: i32,
        detail: String,
    },
    #[error("the test suite already passes and no evidence was given: nothing to repair")]
    SuitePasses,
    #[error("the test command is empty")]
    EmptyTestCommand,
}

#[derive(Debug, Error)]
pub enum RepairError {
    #[error("bad input: {0}")]
    BadInput(#[from] BadInput),
    #[error("{context}: {source}")]
    Io {
        context: String,
        #[source]
        source: std::io::Error,
    },
    #[error("internal error: {0}")]
    Internal(String),
}

impl RepairError {
    pub fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        RepairError::Io {
            context: context.into(),
            source,
        }
    }
}

/// What to repair and how.
#[derive(Debug, Clone)]
pub struct RepairRequest {
    pub repo: PathBuf,
    pub test: String,
    pub build: Option<String>,
    pub evidence: Option<PathBuf>,
    pub language: Option<Language>,
    /// Wall-clock budget for the whole repair.
    pub timeout: Duration,
    /// Write the patch into `repo` when one is found.
    pub apply: bool,
    /// Upper bound on candidates validated.
    pub max_candidates: usize,
}

impl RepairRequest {
    pub fn new(repo: impl Into<PathBuf>, test: impl Into<String>) -> Self {
        RepairRequest {
            repo: repo.into(),
            test: test.into(),
            build: None,
            evidence: None,
            language: None,
            timeout: Duration::from_secs(300),
            apply: false,
            max_candidates: 300,
        }
    }
}

/// The engine with its plug-ins.
pub struct RepairEngine {
    pub localizer: Box<dyn Localizer>,
    pub templates: Vec<Box<dyn Template>>,
    /// How many ranked sites synthesis looks at.
    pub max_sites: usize,
    pub net: NetIsolation,
    /// Multipliers of candidate scores by template name, learned from past outcomes
    /// (`crate::learn`); templates not named keep their score.
    pub template_weights: std::collections::BTreeMap<String, f64>,
}

impl Default for RepairEngine {
    fn default() -> Self {
        RepairEngine {
            localizer: Box::new(StackLocalizer::new()),
            templates: builtin_templates(),
            max_sites: 12,
            net: NetIsolation::probe(),
            template_weights: Default::default(),
        }
    }
}

/// Applies learned template weights without letting them move candidates across sites: the
/// static order decides which site each position of the list tries (localization is the
/// stronger signal), the weighted scores decide which of that site's candidates goes there.
/// A template that fixed earlier faults of this kind is tried first at each site, never at a
/// worse-ranked site before the better sites' candidates.
fn reorder_within_sites(
    candidates: Vec<synth::Candidate>,
    weights: &std::collections::BTreeMap<String, f64>,
) -> Vec<synth::Candidate> {
    use std::collections::{BTreeMap, VecDeque};
    // `site_rank` identifies the localized site a candidate was generated for.
    let slots: Vec<usize> = candidates.iter().map(|c| c.site_rank).collect();
    let mut by_site: BTreeMap<usize, Vec<synth::Candidate>> = BTreeMap::new();
    for c in candidates {
        by_site.entry(c.site_rank).or_default().push(c);
    }
    let weighted = |c: &synth::Candidate| c.score * weights.get(&c.template).unwrap_or(&1.0);
    let mut queues: BTreeMap<usize, VecDeque<synth::Candidate>> = by_site
        .into_iter()
        .map(|(site, mut cs)| {
            // Stable: equal weighted scores keep the synthesizer's order.
            cs.sort_by(|a, b| weighted(b).total_cmp(&weighted(a)));
            (site, cs.into())
        })
        .collect();
    slots
        .into_iter()
        .filter_map(|site| queues.get_mut(&site).and_then(VecDeque::pop_front))
        .collect()
}

impl RepairEngine {
    pub fn repair(&self, req: &RepairRequest) -> Result<RepairReport, RepairError> {
        let started = Instant::now();
        if req.test.trim().is_empty() {
            return Err(BadInput::EmptyTestCommand.into());
        }
        if !req.repo.is_dir() {
            return Err(BadInput::MissingRepo(req.repo.clone()).into());
        }
        let language = match req.language {
            Some(l) => l,
            None => lang::detect(&req.repo)
                .ok_or_else(|| BadInput::UnknownLanguage(req.repo.clone()))?,
        };
        let evidence_text = match &req.evidence {
            Some(p) => {
                let path = if p.is_absolute() || p.exists() {
                    p.clone()
                } else {
                    req.repo.join(p)
                };
                Some(
                    std::fs::read_to_string(&path).map_err(|e| BadInput::Evidence {
                        path: path.clone(),
                        error: e.to_string(),
                    })?,
                )
            }
            None => None,
        };

        let mut sandbox = Sandbox::create(&req.repo, self.net)?;
        let remaining = |now: Instant| req.timeout.saturating_sub(now.duration_since(started));
        let baseline_timeout = remaining(Instant::now()).min(Duration::from_secs(
            (req.timeout.as_secs() / 3).clamp(20, 120),
        ));

        // Baseline: what fails and what passes before any change.
        let build = match &req.build {
            Some(b) if !b.trim().is_empty() => {
                Some(sandbox.run("baseline-build", b, baseline_timeout)?)
            }
            _ => None,
        };
        let test = sandbox.run("baseline-test", &req.test, baseline_timeout)?;
        if matches!(test.exit_code, Some(126 | 127)) {
            let detail = test
                .output
                .lines()
                .rev()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("")
                .trim()
                .to_string();
            return Err(BadInput::TestCommandNotRunnable {
                command: req.test.clone(),
                code: test.exit_code.unwrap_or(-1),
                detail,
            }
            .into());
        }
        let suite_passes = test.ok() && build.as_ref().is_none_or(|b| b.ok());
        if suite_passes && evidence_text.is_none() {
            return Err(BadInput::SuitePasses.into());
        }
        let outcomes = evidence::test_outcomes(&test.output);
        let baseline = Baseline {
            build,
            test,
            outcomes,
        };

        // Evidence: the given file first, then what the failing run printed.
        let mut ev = evidence_text
            .as_deref()
            .map(evidence::parse)
            .unwrap_or_default();
        if let Some(b) = &baseline.build
            && !b.ok()
        {
            ev.extend(evidence::parse(&b.output));
        }
        ev.extend(evidence::parse(&baseline.test.output));
        // A hang leaves no stack: sample one from the busy process and put it first.
        if hang::looks_like_hang(
            baseline.test.timed_out,
            baseline.test.exit_code,
            &baseline.test.output,
        ) {
            let limit = Duration::from_secs_f64((baseline.test.duration_s + 5.0).clamp(5.0, 30.0))
                .min(remaining(Instant::now()) / 4);
            let (mut hang_ev, _) = sandbox.probe_hang(&req.test, limit);
            if !hang_ev.is_empty() {
                hang_ev.extend(ev);
                ev = hang_ev;
            }
        }

        let mut report = RepairReport {
            outcome: Outcome::NoPlausiblePatch,
            language,
            repo: req.repo.clone(),
            localizer: self.localizer.name().to_string(),
            net_isolation: self.net,
            evidence: ev.clone(),
            sites: Vec::new(),
            baseline: explain::BaselineSummary::from(&baseline),
            patch: None,
            chosen: None,
            partial_fixes: Vec::new(),
            attempts: Vec::new(),
            candidates_generated: 0,
            candidates_tried: 0,
            time_s: 0.0,
            time_to_plausible_s: None,
            note: None,
            applied: false,
        };

        if suite_passes {
            report.sites = self
                .localize(&sandbox, language, &ev, &baseline, &req.test)?
                .1;
            report.note = Some(
                "the test command passes on the unpatched copy, so the evidence cannot be replayed; \
                 no candidate can be shown to remove the failure"
                    .into(),
            );
            report.time_s = started.elapsed().as_secs_f64();
            return Ok(report);
        }

        // Per-step timeout: generous relative to the baseline, bounded by it when it hung.
        let base_dur =
            baseline.test.duration_s + baseline.build.as_ref().map_or(0.0, |b| b.duration_s);
        let step_timeout = if baseline.test.timed_out {
            Duration::from_secs(15)
        } else {
            Duration::from_secs_f64((base_dur * 3.0 + 10.0).min(baseline_timeout.as_secs_f64()))
        };
        let mut validator = SandboxValidator {
            build: req.build.as_deref().filter(|b| !b.trim().is_empty()),
            test: &req.test,
            baseline,
            step_timeout,
            sandbox: &mut sandbox,
        };
        let mut tried = 0usize;
        // Several independent faults fail several tests; a candidate that fixes
        // some of them without breaking anything is kept and the rest repaired
        // in a further round against the updated baseline.
        'rounds: for round in 0..MAX_ROUNDS {
            let (project, sites) = self.localize(
                validator.sandbox,
                language,
                &ev,
                &validator.baseline,
                &req.test,
            )?;
            if round == 0 {
                report.sites = sites.clone();
            }
            let mut candidates = synth::synthesize(
                &project,
                &sites,
                &ev.messages(),
                &self.templates,
                self.max_sites,
            );
            if !self.template_weights.is_empty() {
                candidates = reorder_within_sites(candidates, &self.template_weights);
            }
            report.candidates_generated += candidates.len();
            candidates.truncate(req.max_candidates.saturating_sub(tried));
            for cand in &candidates {
                let left = remaining(Instant::now());
                if left < Duration::from_millis(200) {
                    report.note = Some(format!(
                        "time budget of {}s exhausted",
                        req.timeout.as_secs()
                    ));
                    break 'rounds;
                }
                validator.step_timeout = step_timeout.min(left);
                let original = &project
                    .file(&cand.file)
                    .ok_or_else(|| {
                        RepairError::Internal(format!(
                            "candidate file {} not loaded",
                            cand.file.display()
                        ))
                    })?
                    .text;
                let t0 = Instant::now();
                let verdict = validator.validate(cand, original)?;
                tried += 1;
                report.candidates_tried = tried;
                report.attempts.push(Attempt::new(
                    cand,
                    original,
                    &verdict,
                    t0.elapsed().as_secs_f64(),
                ));
                tracing::debug!(template = %cand.template, plausible = verdict.plausible, reason = %verdict.reason, "candidate validated");
                if verdict.plausible {
                    validator.sandbox.apply(cand, original)?;
                    validator.sandbox.commit();
                    report.time_to_plausible_s = Some(started.elapsed().as_secs_f64());
                    report.chosen = Some(explain::Chosen::new(cand, original, &sites, verdict));
                    report.outcome = Outcome::Fixed;
                    break 'rounds;
                }
                if verdict.partial && round + 1 < MAX_ROUNDS {
                    validator.sandbox.apply(cand, original)?;
                    validator.sandbox.commit();
                    let mut outcomes = verdict.now.clone();
                    outcomes
                        .passed
                        .extend(validator.baseline.outcomes.passed.iter().cloned());
                    outcomes.passed.extend(verdict.fixed.iter().cloned());
                    let test_step = verdict
                        .steps
                        .last()
                        .cloned()
                        .expect("a partial verdict ran the tests");
                    ev = evidence::parse(&test_step.output);
                    report
                        .partial_fixes
                        .push(explain::Chosen::new(cand, original, &sites, verdict));
                    validator.baseline = Baseline {
                        build: validator.baseline.build.clone(),
                        test: test_step,
                        outcomes,
                    };
                    continue 'rounds;
                }
            }
            break;
        }
        if report.outcome == Outcome::Fixed {
            let changes = validator.sandbox.committed_changes()?;
            let mut patch = String::new();
            for (rel, old, new) in &changes {
                patch.push_str(&explain::unified_diff(rel, old, new));
            }
            report.patch = Some(patch);
            if req.apply {
                for (rel, _, new) in &changes {
                    let path = req.repo.join(rel);
                    std::fs::write(&path, new).map_err(|e| {
                        RepairError::io(format!("applying patch to {}", path.display()), e)
                    })?;
                }
                report.applied = true;
            }
        }
        report.time_s = started.elapsed().as_secs_f64();
        Ok(report)
    }

    fn localize(
        &self,
        sandbox: &Sandbox,
        language: Language,
        ev: &evidence::Evidence,
        baseline: &Baseline,
        test: &str,
    ) -> Result<(project::Project, Vec<localize::Site>), RepairError> {
        let project = project::Project::load(&sandbox.root, language)?;
        let sites = self.localizer.localize(&LocalizeContext {
            evidence: ev,
            project: &project,
            baseline: &baseline.outcomes,
            test_command: test,
        })?;
        Ok((project, sites))
    }
}

/// Rounds of repair when several faults fail several tests.
const MAX_ROUNDS: usize = 3;

/// Convenience for callers that want the defaults.
pub fn repair(req: &RepairRequest) -> Result<RepairReport, RepairError> {
    RepairEngine::default().repair(req)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;
    use synth::{Candidate, Edit};

    fn cand(template: &str, site_rank: usize, score: f64) -> Candidate {
        Candidate {
            file: PathBuf::from("app.py"),
            edit: Edit {
                start: 0,
                end: 0,
                text: String::new(),
            },
            template: template.into(),
            description: String::new(),
            prior: score,
            site_rank,
            score,
        }
    }

    fn order(cs: &[Candidate]) -> Vec<(String, usize)> {
        cs.iter()
            .map(|c| (c.template.clone(), c.site_rank))
            .collect()
    }

    #[test]
    fn learned_weights_reorder_templates_only_within_a_site() {
        // The synthesizer's order: site 0's two candidates, then site 1's, then site 2's.
        let stat = vec![
            cand("null-guard", 0, 0.9),
            cand("try-except", 0, 0.6),
            cand("null-guard", 1, 0.7),
            cand("zero-guard", 1, 0.5),
            cand("try-except", 2, 0.4),
        ];
        // try-except worked before: strongly promoted.
        let weights = BTreeMap::from([("try-except".to_string(), 4.0)]);
        let got = reorder_within_sites(stat, &weights);
        assert_eq!(
            order(&got),
            [
                ("try-except".into(), 0),
                ("null-guard".into(), 0),
                ("null-guard".into(), 1),
                ("zero-guard".into(), 1),
                // Promoted, but never ahead of better-ranked sites.
                ("try-except".into(), 2),
            ]
        );
    }

    #[test]
    fn without_an_opinion_the_static_order_holds() {
        let stat = vec![
            cand("a", 0, 0.9),
            cand("b", 1, 0.8),
            cand("c", 0, 0.7),
            cand("d", 1, 0.7),
        ];
        let want = order(&stat);
        let weights = BTreeMap::from([("unrelated".to_string(), 3.0)]);
        assert_eq!(order(&reorder_within_sites(stat, &weights)), want);
    }
}
