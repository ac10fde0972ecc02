//! Learn: outcomes of past actions order the next ones.
//!
//! A contextual Beta-Bernoulli bandit. The context is what is known when an incident is
//! diagnosed (fault class and language); the arms are actions (`restart`, `rollback`, `repair`)
//! and repair templates (`template:<name>`). Each outcome (a validation result, a canary
//! verdict, a recurrence) is one success or failure for its (context, arm).
//!
//! Estimates are pooled from the specific context up (`class/language` → `class/*` → `*/*`),
//! so a fault class never seen in one language still benefits from what was learnt in others,
//! and an arm never tried keeps its static prior order. The policy is a JSON file replaced
//! atomically; it survives restarts.
use std::{
    collections::BTreeMap,
    fs,
    path::{Path, PathBuf},
};

use serde::{Deserialize, Serialize};
use thiserror::Error;

#[derive(Debug, Error)]
pub enum LearnError {
    #[error("{path}: {op}: {source}")]
    Io {
        path: PathBuf,
        op: &'static str,
        source: std::io::Error,
    },
    #[error("{path}: corrupt policy: {source}")]
    Corrupt {
        path: PathBuf,
        source: serde_json::Error,
    },
}

/// What an action is chosen for.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Context {
    pub fault_class: String,
    pub language: String,
}

impl Context {
    pub fn new(fault_class: impl Into<String>, language: impl Into<String>) -> Self {
        Self {
            fault_class: fault_class.into(),
            language: language.into(),
        }
    }

    /// The context and its pooled parents, most specific first.
    fn keys(&self) -> [String; 3] {
        [
            format!("{}/{}", self.fault_class, self.language),
            format!("{}/*", self.fault_class),
            "*/*".to_string(),
        ]
    }
}

/// Successes and failures of one arm in one context.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Counts {
    pub successes: f64,
    pub failures: f64,
}

impl Counts {
    pub fn trials(&self) -> f64 {
        self.successes + self.failures
    }
}

/// The persisted policy.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ActionPolicy {
    /// context key → arm → counts.
    stats: BTreeMap<String, BTreeMap<String, Counts>>,
    /// Outcomes recorded, for `healerctl`.
    pub outcomes: u64,
}

/// One arm's score, with what it rests on (shown by `healerctl`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Scored {
    pub arm: String,
    /// Pooled estimate of the success probability.
    pub estimate: f64,
    /// Outcomes behind it at the most specific level that has any.
    pub evidence: f64,
    /// Position in the static order the caller gave.
    pub static_rank: usize,
}

/// Weight of a parent level's estimate, in pseudo-trials: a context needs about this many
/// outcomes of its own before they outweigh what was learnt across contexts.
const POOL_STRENGTH: f64 = 2.0;
/// The uninformed prior: a fair coin worth this many pseudo-trials.
const PRIOR_STRENGTH: f64 = 2.0;

impl ActionPolicy {
    pub fn load(path: &Path) -> Result<Self, LearnError> {
        match fs::read(path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|source| LearnError::Corrupt {
                path: path.to_path_buf(),
                source,
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Self::default()),
            Err(source) => Err(LearnError::Io {
                path: path.to_path_buf(),
                op: "read",
                source,
            }),
        }
    }

    /// Atomically replaces `path` (write beside it, fsync, rename).
    pub fn save(&self, path: &Path) -> Result<(), LearnError> {
        let bytes = serde_json::to_vec_pretty(self).expect("policy serializes");
        let io = |op| {
            move |source| LearnError::Io {
                path: path.to_path_buf(),
                op,
                source,
            }
        };
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).map_err(io("create directory"))?;
        }
        let tmp = path.with_extension("json.tmp");
        let mut f = fs::File::create(&tmp).map_err(io("create"))?;
        std::io::Write::write_all(&mut f, &bytes).map_err(io("write"))?;
        f.sync_all().map_err(io("fsync"))?;
        fs::rename(&tmp, path).map_err(io("replace"))
    }

    /// Records one outcome of `arm` in `ctx` at every pooling level.
    pub fn record(&mut self, ctx: &Context, arm: &str, success: bool) {
        for key in ctx.keys() {
            let c = self
                .stats
                .entry(key)
                .or_default()
                .entry(arm.to_string())
                .or_default();
            if success {
                c.successes += 1.0;
            } else {
                c.failures += 1.0;
            }
        }
        self.outcomes += 1;
    }

    /// Pooled estimate of `arm`'s success probability in `ctx`: each level shrinks towards the
    /// estimate of the level above it, the top level towards `prior`.
    pub fn estimate(&self, ctx: &Context, arm: &str, prior: f64) -> (f64, f64) {
        let mut estimate = prior;
        let mut strength = PRIOR_STRENGTH;
        let mut evidence = 0.0;
        for key in ctx.keys().iter().rev() {
            let c = self
                .stats
                .get(key)
                .and_then(|m| m.get(arm))
                .copied()
                .unwrap_or_default();
            estimate = (c.successes + strength * estimate) / (c.trials() + strength);
            strength = POOL_STRENGTH;
            if c.trials() > 0.0 {
                evidence = c.trials();
            }
        }
        (estimate, evidence)
    }

    /// Orders `arms` (given in the static order) by learned estimate. The static order is the
    /// prior: arm i of n starts at a slightly higher estimate than arm i+1, so with no outcomes
    /// the order is unchanged, and ties keep it.
    pub fn rank(&self, ctx: &Context, arms: &[&str]) -> Vec<Scored> {
        let n = arms.len().max(1) as f64;
        let mut scored: Vec<Scored> = arms
            .iter()
            .enumerate()
            .map(|(i, arm)| {
                // Priors in [0.45, 0.55]: an order, not a claim about success rates.
                let prior = 0.55 - 0.1 * (i as f64) / n;
                let (estimate, evidence) = self.estimate(ctx, arm, prior);
                Scored {
                    arm: arm.to_string(),
                    estimate,
                    evidence,
                    static_rank: i,
                }
            })
            .collect();
        scored.sort_by(|a, b| {
            b.estimate
                .total_cmp(&a.estimate)
                .then(a.static_rank.cmp(&b.static_rank))
        });
        scored
    }

    /// Every (context, arm) with outcomes, for display.
    pub fn table(&self) -> Vec<(String, String, Counts)> {
        self.stats
            .iter()
            .flat_map(|(ctx, arms)| arms.iter().map(move |(a, c)| (ctx.clone(), a.clone(), *c)))
            .collect()
    }
}

impl ActionPolicy {
    /// Multipliers for the repair engine's candidate scores in `ctx`: each template with
    /// outcomes gets its pooled estimate relative to a fair coin (1.0 = no opinion), bounded so
    /// that learning reorders candidates without silencing any template.
    pub fn template_weights(&self, ctx: &Context) -> BTreeMap<String, f64> {
        let mut arms: Vec<&str> = self
            .stats
            .values()
            .flat_map(|m| m.keys())
            .filter_map(|a| a.strip_prefix("template:"))
            .collect();
        arms.sort_unstable();
        arms.dedup();
        arms.into_iter()
            .map(|t| {
                let (e, _) = self.estimate(ctx, &template_arm(t), 0.5);
                (t.to_string(), (e / 0.5).clamp(0.25, 4.0))
            })
            .collect()
    }
}

/// The arm name of a repair template.
pub fn template_arm(template: &str) -> String {
    format!("template:{template}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn order(p: &ActionPolicy, ctx: &Context, arms: &[&str]) -> Vec<String> {
        p.rank(ctx, arms).into_iter().map(|s| s.arm).collect()
    }

    #[test]
    fn without_outcomes_the_static_order_holds() {
        let p = ActionPolicy::default();
        let ctx = Context::new("null-deref", "python");
        assert_eq!(order(&p, &ctx, &["a", "b", "c"]), ["a", "b", "c"]);
    }

    #[test]
    fn successes_promote_and_failures_demote_within_a_context() {
        let mut p = ActionPolicy::default();
        let ctx = Context::new("zero-division", "python");
        for _ in 0..3 {
            p.record(&ctx, "c", true);
            p.record(&ctx, "a", false);
        }
        assert_eq!(order(&p, &ctx, &["a", "b", "c"]), ["c", "b", "a"]);
        let top = &p.rank(&ctx, &["a", "b", "c"])[0];
        assert_eq!(top.evidence, 3.0);
        assert!(top.estimate > 0.7, "{top:?}");
    }

    #[test]
    fn what_is_learnt_in_one_language_carries_to_another_but_less() {
        let mut p = ActionPolicy::default();
        let py = Context::new("index-bounds", "python");
        let js = Context::new("index-bounds", "javascript");
        for _ in 0..4 {
            p.record(&py, "template:bounds-guard", true);
        }
        let arms = ["template:null-guard", "template:bounds-guard"];
        assert_eq!(order(&p, &js, &arms)[0], "template:bounds-guard");
        let (e_py, _) = p.estimate(&py, arms[1], 0.5);
        let (e_js, _) = p.estimate(&js, arms[1], 0.5);
        assert!(e_py > e_js && e_js > 0.5, "{e_py} {e_js}");
        // An unrelated fault class keeps its static order... mostly: only the global level
        // moved, and by less than the gap between the static priors of far-apart arms.
        let other = Context::new("null-deref", "c");
        let (e_other, _) = p.estimate(&other, arms[1], 0.5);
        assert!(e_other < e_js, "{e_other} {e_js}");
    }

    #[test]
    fn template_weights_favour_what_worked() {
        let mut p = ActionPolicy::default();
        let ctx = Context::new("KeyError", "python");
        assert!(p.template_weights(&ctx).is_empty());
        for _ in 0..3 {
            p.record(&ctx, &template_arm("exception-handler"), true);
            p.record(&ctx, &template_arm("null-guard"), false);
        }
        let w = p.template_weights(&ctx);
        assert!(w["exception-handler"] > 1.5, "{w:?}");
        assert!(w["null-guard"] < 0.6, "{w:?}");
    }

    #[test]
    fn policy_survives_a_restart_and_a_corrupt_file_is_an_error() {
        let d = tempfile::tempdir().unwrap();
        let path = d.path().join("learn/policy.json");
        let mut p = ActionPolicy::default();
        p.record(&Context::new("crash", "rust"), "restart", false);
        p.save(&path).unwrap();
        let q = ActionPolicy::load(&path).unwrap();
        assert_eq!(p, q);
        assert_eq!(q.outcomes, 1);
        assert_eq!(q.table().len(), 3, "one row per pooling level");
        fs::write(&path, "{").unwrap();
        assert!(matches!(
            ActionPolicy::load(&path),
            Err(LearnError::Corrupt { .. })
        ));
        assert_eq!(
            ActionPolicy::load(&d.path().join("absent.json")).unwrap(),
            ActionPolicy::default()
        );
    }
}
