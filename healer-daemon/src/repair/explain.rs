//! The explanation record of a repair and its renderings (JSON and text),
//! plus the unified diff of the chosen patch.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::evidence::Evidence;
use super::lang::Language;
use super::localize::Site;
use super::synth::Candidate;
use super::validate::{Baseline, NetIsolation, StepResult, Verdict};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Fixed,
    NoPlausiblePatch,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BaselineSummary {
    pub build_ok: Option<bool>,
    pub test_exit_code: Option<i32>,
    pub test_timed_out: bool,
    pub passed_tests: Vec<String>,
    pub failed_tests: Vec<String>,
    pub duration_s: f64,
}

impl From<&Baseline> for BaselineSummary {
    fn from(b: &Baseline) -> Self {
        BaselineSummary {
            build_ok: b.build.as_ref().map(StepResult::ok),
            test_exit_code: b.test.exit_code,
            test_timed_out: b.test.timed_out,
            passed_tests: b.outcomes.passed.iter().cloned().collect(),
            failed_tests: b.outcomes.failed.iter().cloned().collect(),
            duration_s: b.test.duration_s + b.build.as_ref().map_or(0.0, |s| s.duration_s),
        }
    }
}

/// One validated candidate.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Attempt {
    pub template: String,
    pub description: String,
    pub file: PathBuf,
    pub line: u32,
    pub site_rank: usize,
    pub score: f64,
    pub plausible: bool,
    pub reason: String,
    pub duration_s: f64,
}

impl Attempt {
    pub fn new(c: &Candidate, original: &str, v: &Verdict, duration_s: f64) -> Self {
        Attempt {
            template: c.template.clone(),
            description: c.description.clone(),
            file: c.file.clone(),
            line: line_of(original, c.edit.start),
            site_rank: c.site_rank + 1,
            score: c.score,
            plausible: v.plausible,
            reason: v.reason.clone(),
            duration_s,
        }
    }
}

/// The patch that was chosen and why.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Chosen {
    pub template: String,
    pub description: String,
    pub file: PathBuf,
    pub line: u32,
    pub site: Site,
    pub site_rank: usize,
    pub prior: f64,
    pub validation: Vec<StepResult>,
    pub fixed_tests: Vec<String>,
}

impl Chosen {
    pub fn new(c: &Candidate, original: &str, sites: &[Site], v: Verdict) -> Self {
        Chosen {
            template: c.template.clone(),
            description: c.description.clone(),
            file: c.file.clone(),
            line: line_of(original, c.edit.start),
            site: sites[c.site_rank].clone(),
            site_rank: c.site_rank + 1,
            prior: c.prior,
            validation: v.steps,
            fixed_tests: v.fixed,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RepairReport {
    pub outcome: Outcome,
    pub language: Language,
    pub repo: PathBuf,
    pub localizer: String,
    pub net_isolation: NetIsolation,
    pub evidence: Evidence,
    /// Ranked localization (bench computes `fault_rank` from it).
    pub sites: Vec<Site>,
    pub baseline: BaselineSummary,
    /// Unified diff, paths relative to the repository.
    pub patch: Option<String>,
    pub chosen: Option<Chosen>,
    /// Edits kept from earlier rounds, each fixing some of several failures.
    pub partial_fixes: Vec<Chosen>,
    pub attempts: Vec<Attempt>,
    pub candidates_generated: usize,
    pub candidates_tried: usize,
    pub time_s: f64,
    pub time_to_plausible_s: Option<f64>,
    pub note: Option<String>,
    pub applied: bool,
}

pub fn line_of(text: &str, byte: usize) -> u32 {
    text[..byte.min(text.len())].matches('\n').count() as u32 + 1
}

pub fn unified_diff(file: &Path, old: &str, new: &str) -> String {
    let a = format!("a/{}", file.display());
    let b = format!("b/{}", file.display());
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&a, &b)
        .to_string()
}

impl RepairReport {
    /// Human-readable explanation.
    pub fn to_text(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "repair of {} ({}): {}",
            self.repo.display(),
            self.language,
            match self.outcome {
                Outcome::Fixed => "FIXED",
                Outcome::NoPlausiblePatch => "no plausible patch",
            }
        );
        let _ = writeln!(
            s,
            "baseline: tests exit {:?}{}, {} failing / {} passing tests identified ({:.2}s)",
            self.baseline.test_exit_code,
            if self.baseline.test_timed_out {
                " (timed out)"
            } else {
                ""
            },
            self.baseline.failed_tests.len(),
            self.baseline.passed_tests.len(),
            self.baseline.duration_s
        );
        let _ = writeln!(s, "evidence: {} failure(s)", self.evidence.failures.len());
        for f in self.evidence.failures.iter().take(3) {
            let top = f
                .frames
                .first()
                .map(|fr| format!(" at {}:{}", fr.file, fr.line))
                .unwrap_or_default();
            let _ = writeln!(
                s,
                "  [{}] {}{}{}",
                f.source,
                f.kind
                    .as_deref()
                    .map(|k| format!("{k}: "))
                    .unwrap_or_default(),
                f.message.lines().next().unwrap_or(""),
                top
            );
        }
        let _ = writeln!(s, "localization ({}):", self.localizer);
        for (i, site) in self.sites.iter().take(5).enumerate() {
            let _ = writeln!(
                s,
                "  #{} {}:{}-{} — {}",
                i + 1,
                site.file.display(),
                site.start_line,
                site.end_line,
                site.why
            );
        }
        let _ = writeln!(
            s,
            "candidates: {} generated, {} validated in {:.2}s",
            self.candidates_generated, self.candidates_tried, self.time_s
        );
        for c in &self.partial_fixes {
            let _ = writeln!(
                s,
                "kept partial fix: {} at {}:{}: {} (fixed {})",
                c.template,
                c.file.display(),
                c.line,
                c.description,
                c.fixed_tests.join(", ")
            );
        }
        if let Some(c) = &self.chosen {
            let _ = writeln!(
                s,
                "chosen: {} at {}:{} (site #{}): {}",
                c.template,
                c.file.display(),
                c.line,
                c.site_rank,
                c.description
            );
            for st in &c.validation {
                let _ = writeln!(
                    s,
                    "  {}: `{}` → {} ({:.2}s)",
                    st.step,
                    st.command,
                    if st.ok() {
                        "ok".to_string()
                    } else {
                        format!("exit {:?}", st.exit_code)
                    },
                    st.duration_s
                );
            }
            if let Some(t) = self.time_to_plausible_s {
                let _ = writeln!(s, "time to plausible patch: {t:.2}s");
            }
        } else {
            for a in self.attempts.iter().rev().take(3).rev() {
                let _ = writeln!(
                    s,
                    "  tried {} at {}:{}: {}",
                    a.template,
                    a.file.display(),
                    a.line,
                    a.reason
                );
            }
        }
        if let Some(n) = &self.note {
            let _ = writeln!(s, "note: {n}");
        }
        if let Some(p) = &self.patch {
            s.push_str(p);
            if self.applied {
                let _ = writeln!(s, "(patch applied to {})", self.repo.display());
            }
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diff_has_repo_relative_headers() {
        let d = unified_diff(Path::new("app/x.py"), "a\nb\nc\n", "a\nB\nc\n");
        assert!(d.starts_with("--- a/app/x.py\n+++ b/app/x.py\n"), "{d}");
        assert!(d.contains("-b\n+B\n"));
    }

    #[test]
    fn line_numbers_are_one_based() {
        assert_eq!(line_of("x\ny\nz", 0), 1);
        assert_eq!(line_of("x\ny\nz", 2), 2);
    }
}
