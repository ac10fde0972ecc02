//! Spectrum-based and learned localizers behind the repair engine's trait.
//! Both fall back to the stack localizer's ranking (with a warning) when no
//! spectrum can be collected, and append the stack's sites after their own.

use std::path::{Path, PathBuf};

use super::collect::CollectOptions;
use super::features::{Analysis, analyze};
use super::ranker::{Model, ModelError};
use super::sbfl::Formula;
use crate::repair::RepairError;
use crate::repair::localize::{LocalizeContext, Localizer, Site, StackLocalizer};

/// Where `healerctl` looks for the trained ranker (relative to the working directory).
pub const DEFAULT_MODEL_PATH: &str = "config/models/ranker.json";

/// Where the daemon looks for the trained ranker when `repair.model` is unset, relative to
/// its configuration directory (`/etc/healer/models/ranker.json` when installed).
pub const CONFIG_MODEL_PATH: &str = "models/ranker.json";

/// The shipped ranker (`config/models/ranker.json` at build time), compiled in: the daemon
/// uses it when no model file is configured or installed.
pub const BUILTIN_MODEL: &str = include_str!("../../../config/models/ranker.json");

/// Elements ordered by `scores` (descending); ties go to the element the stack
/// localizer ranks higher, then to source order. Elements no failing test ran
/// are dropped. Next to the first line of each function comes the function
/// itself (after the line, as the stack localizer does after a crash line, or
/// before it when `function_first`), so templates that work on whole
/// functions see it early; the stack's remaining sites follow.
pub fn ranked_sites(a: &Analysis, scores: &[f64], label: &str, function_first: bool) -> Vec<Site> {
    ranked_sites_with(a, scores, label, function_first, false)
}

/// [`ranked_sites`], optionally with the lines in [`interleave_functions`] order.
pub fn ranked_sites_with(
    a: &Analysis,
    scores: &[f64],
    label: &str,
    function_first: bool,
    interleave: bool,
) -> Vec<Site> {
    let s = &a.spectrum;
    let failed = s.failed_runs();
    let passed = s.runs.len() - failed;
    let mut out: Vec<Site> = Vec::new();
    let mut emitted: std::collections::HashSet<(PathBuf, u32, u32)> = Default::default();
    let mut order = ranked_order(a, scores);
    if interleave {
        order = interleave_functions(&order, &a.function_ids());
    }
    for i in order {
        let e = &s.elements[i];
        let c = a.counts[i];
        let line = Site {
            file: e.file.clone(),
            start_line: e.line,
            end_line: e.line,
            score: scores[i],
            function: a.function[i].as_ref().map(|f| f.2.clone()),
            why: format!(
                "{label} {:.3}: ran in {}/{failed} failing and {}/{passed} passing tests",
                scores[i], c.ef, c.ep
            ),
        };
        let function = match &a.function[i] {
            Some((start, end, name)) if emitted.insert((e.file.clone(), *start, *end)) => {
                Some(Site {
                    file: e.file.clone(),
                    start_line: *start,
                    end_line: *end,
                    score: scores[i],
                    function: Some(name.clone()),
                    why: format!(
                        "function `{name}` around its most suspicious line ({})",
                        e.line
                    ),
                })
            }
            _ => None,
        };
        if function_first {
            out.extend(function);
            out.push(line);
        } else {
            out.push(line);
            out.extend(function);
        }
    }
    let floor = out.iter().map(|o| o.score).fold(1.0f64, f64::min);
    for (k, st) in a.stack.iter().enumerate() {
        if !out.iter().any(|o| {
            o.file == st.file && o.start_line == st.start_line && o.end_line == st.end_line
        }) {
            let mut st = st.clone();
            // Below every spectrum site, in the stack's own order.
            st.score = floor - 1.0 - k as f64;
            st.why = format!("stack: {}", st.why);
            out.push(st);
        }
    }
    out
}

/// `order` with the best line of every function (and every line outside a
/// function) first, then the other lines, each part in its original order:
/// a function's second line never comes before another function's first.
pub fn interleave_functions(order: &[usize], function: &[Option<usize>]) -> Vec<usize> {
    let mut seen = std::collections::HashSet::new();
    let (first, rest): (Vec<usize>, Vec<usize>) = order
        .iter()
        .partition(|&&i| function[i].is_none_or(|f| seen.insert(f)));
    first.into_iter().chain(rest).collect()
}

/// Indices of the elements some failing test ran, most suspicious first.
pub fn ranked_order(a: &Analysis, scores: &[f64]) -> Vec<usize> {
    let s = &a.spectrum;
    let stack_rank = |i: usize| {
        let e = &s.elements[i];
        a.stack
            .iter()
            .position(|st| st.covers(&e.file, e.line))
            .unwrap_or(usize::MAX)
    };
    let mut idx: Vec<usize> = (0..s.elements.len())
        .filter(|&i| a.counts[i].ef > 0)
        .collect();
    idx.sort_by(|&x, &y| {
        scores[y]
            .total_cmp(&scores[x])
            .then(stack_rank(x).cmp(&stack_rank(y)))
            .then(x.cmp(&y))
    });
    idx
}

fn fallback(ctx: &LocalizeContext<'_>, why: &str) -> Result<Vec<Site>, RepairError> {
    tracing::warn!(reason = %why, "no spectrum; falling back to the stack localizer");
    let mut sites = StackLocalizer::new().localize(ctx)?;
    for s in &mut sites {
        s.why = format!("{} (no spectrum: {why})", s.why);
    }
    Ok(sites)
}

/// Ranks lines by one SBFL formula over per-test coverage.
#[derive(Debug, Clone)]
pub struct SpectrumLocalizer {
    pub formula: Formula,
    pub collect: CollectOptions,
}

impl SpectrumLocalizer {
    pub fn new(formula: Formula) -> Self {
        SpectrumLocalizer {
            formula,
            collect: CollectOptions::default(),
        }
    }
}

impl Localizer for SpectrumLocalizer {
    fn name(&self) -> &'static str {
        self.formula.name()
    }

    fn localize(&self, ctx: &LocalizeContext<'_>) -> Result<Vec<Site>, RepairError> {
        match analyze(ctx, &self.collect) {
            Ok(a) => Ok(ranked_sites(
                &a,
                a.score(self.formula),
                self.formula.name(),
                false,
            )),
            Err(e) => fallback(ctx, &e.to_string()),
        }
    }
}

/// Ranks lines with the trained [`Model`] over SBFL and evidence features.
#[derive(Debug, Clone)]
pub struct LearnedLocalizer {
    pub model: Model,
    pub collect: CollectOptions,
}

impl LearnedLocalizer {
    pub fn load(path: &Path) -> Result<Self, super::ranker::ModelError> {
        Ok(LearnedLocalizer {
            model: Model::load(path)?,
            collect: CollectOptions::default(),
        })
    }

    pub fn scores(&self, a: &Analysis) -> Vec<f64> {
        a.model_rows().iter().map(|x| self.model.score(x)).collect()
    }
}

impl Localizer for LearnedLocalizer {
    fn name(&self) -> &'static str {
        "learned"
    }

    fn localize(&self, ctx: &LocalizeContext<'_>) -> Result<Vec<Site>, RepairError> {
        match analyze(ctx, &self.collect) {
            Ok(a) => Ok(ranked_sites_with(
                &a,
                &self.scores(&a),
                "learned",
                self.model.function_first,
                self.model.interleave_functions,
            )),
            Err(e) => fallback(ctx, &e.to_string()),
        }
    }
}

/// Where the learned localizer's model comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ModelSource {
    File(PathBuf),
    /// [`BUILTIN_MODEL`].
    Builtin,
}

impl std::fmt::Display for ModelSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ModelSource::File(p) => write!(f, "{}", p.display()),
            ModelSource::Builtin => f.write_str("built-in model"),
        }
    }
}

impl ModelSource {
    pub fn load(&self) -> Result<Model, ModelError> {
        match self {
            ModelSource::File(p) => Model::load(p),
            // `Model::load` is the one place that knows how to read and check a model file,
            // so the compiled-in text goes through it as a file too.
            ModelSource::Builtin => {
                let io = |error| ModelError::Read {
                    path: "built-in model".into(),
                    error,
                };
                let mut f = tempfile::Builder::new()
                    .prefix("healer-ranker-")
                    .suffix(".json")
                    .tempfile()
                    .map_err(io)?;
                std::io::Write::write_all(&mut f, BUILTIN_MODEL.as_bytes()).map_err(io)?;
                Model::load(f.path())
            }
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum LocalizerError {
    #[error("unknown localizer `{0}` (stack, learned, ochiai, dstar, tarantula, op2, barinel)")]
    UnknownName(String),
    #[error("the learned localizer's model cannot be used: {0}")]
    Model(#[from] ModelError),
}

/// A localizer as configured (the daemon's `[repair]`): a name and, for `learned`, where its
/// model is. [`LocalizerSpec::build`] makes the localizer (and reads the model) each time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalizerSpec {
    pub name: String,
    pub model: ModelSource,
}

impl LocalizerSpec {
    pub fn stack() -> Self {
        LocalizerSpec {
            name: "stack".into(),
            model: ModelSource::Builtin,
        }
    }

    /// Whether `name` is a localizer this build knows.
    pub fn known_name(name: &str) -> bool {
        matches!(name, "stack" | "learned") || name.parse::<Formula>().is_ok()
    }

    pub fn build(&self) -> Result<Box<dyn Localizer>, LocalizerError> {
        match self.name.as_str() {
            "stack" => Ok(Box::new(StackLocalizer::new())),
            "learned" => Ok(Box::new(LearnedLocalizer {
                model: self.model.load()?,
                collect: CollectOptions::default(),
            })),
            f => f
                .parse::<Formula>()
                .map(|f| Box::new(SpectrumLocalizer::new(f)) as Box<dyn Localizer>)
                .map_err(|_| LocalizerError::UnknownName(f.to_string())),
        }
    }
}

/// `stack`, a formula name, or `learned` (reading the model at `model`).
pub fn localizer_by_name(name: &str, model: Option<&Path>) -> Result<Box<dyn Localizer>, String> {
    localizer_with(name, model, CollectOptions::default())
}

/// [`localizer_by_name`] with the spectrum collected as `collect` says (e.g.
/// [`Collector::Uprobe`](super::collect::Collector)); `stack` collects nothing.
pub fn localizer_with(
    name: &str,
    model: Option<&Path>,
    collect: CollectOptions,
) -> Result<Box<dyn Localizer>, String> {
    match name {
        "stack" => Ok(Box::new(StackLocalizer::new())),
        "learned" => {
            let path = model.map_or_else(|| PathBuf::from(DEFAULT_MODEL_PATH), Path::to_path_buf);
            LearnedLocalizer::load(&path)
                .map(|l| Box::new(LearnedLocalizer { collect, ..l }) as Box<dyn Localizer>)
                .map_err(|e| e.to_string())
        }
        f => f
            .parse::<Formula>()
            .map(|f| {
                Box::new(SpectrumLocalizer {
                    formula: f,
                    collect,
                }) as Box<dyn Localizer>
            })
            .map_err(|e| format!("{e}; or stack, learned")),
    }
}

#[cfg(test)]
mod tests {
    use super::interleave_functions;

    #[test]
    fn interleaving_puts_each_functions_best_line_before_second_lines() {
        // Score order: a1 a2 b1 (no function) a3 c1.
        let function = [Some(0), Some(0), Some(1), None, Some(0), Some(2)];
        let order = [0, 1, 2, 3, 4, 5];
        assert_eq!(
            interleave_functions(&order, &function),
            vec![0, 2, 3, 5, 1, 4]
        );
    }
}
