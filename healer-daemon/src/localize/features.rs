//! Per-element features for ranking: the SBFL scores, the stack evidence,
//! the statement's kind and the size of its function.

use std::path::Path;

use super::collect::{self, CollectError, CollectOptions};
use super::sbfl::{self, Counts, Formula};
use super::spectrum::{Element, Spectrum};
use crate::repair::localize::{LocalizeContext, Localizer, Site, StackLocalizer, rank_of};

pub const FEATURE_NAMES: [&str; 19] = [
    "ochiai",
    "dstar_squashed",
    "tarantula",
    "op2_per_failure",
    "barinel",
    "ochiai_rank_pct",
    "dstar_rel_max",
    "failed_fraction",
    "passed_fraction",
    "in_traceback",
    "crash_frame",
    "crash_proximity",
    "stack_score",
    "stack_reciprocal_rank",
    "stmt_condition",
    "stmt_return",
    "stmt_assignment",
    "function_size_log",
    "elements_log",
];
pub const N_FEATURES: usize = FEATURE_NAMES.len();

/// Features of a line relative to the other candidate lines of the same
/// case (the lines some failing test ran) and of its function, derived from
/// the per-line rows above, the function of each line and the candidate
/// mask. Computed the same way at training and at localization time.
pub const CONTEXT_FEATURE_NAMES: [&str; 8] = [
    "ochiai_rel_candidates",
    "ochiai_tie_fraction",
    "fn_max_ochiai",
    "fn_rank_reciprocal",
    "line_is_fn_top",
    "fn_in_traceback",
    "fn_max_stack_rr",
    "fn_candidates_log",
];
/// Row width the ranker sees: [`FEATURE_NAMES`] then [`CONTEXT_FEATURE_NAMES`].
pub const N_MODEL_FEATURES: usize = N_FEATURES + CONTEXT_FEATURE_NAMES.len();
pub type Row = [f64; N_MODEL_FEATURES];

/// Names of a model row's columns.
pub fn model_feature_names() -> Vec<String> {
    FEATURE_NAMES
        .iter()
        .chain(CONTEXT_FEATURE_NAMES.iter())
        .map(|s| s.to_string())
        .collect()
}

/// Rows for the ranker: each line's own features followed by its context
/// features. `function[i]` identifies the function of element `i` (lines of
/// the same function share it); `candidate[i]`: some failing test ran it.
pub fn model_rows(
    base: &[[f64; N_FEATURES]],
    function: &[Option<usize>],
    candidate: &[bool],
) -> Vec<Row> {
    const OCHIAI: usize = 0;
    const IN_TB: usize = 9;
    const STACK_RR: usize = 13;
    let n = base.len();
    let cand: Vec<usize> = (0..n).filter(|&i| candidate[i]).collect();
    let max_och = cand.iter().map(|&i| base[i][OCHIAI]).fold(0.0f64, f64::max);
    // Per function: (max Ochiai, any traceback line, max stack rr, candidates).
    let mut per_fn: std::collections::HashMap<usize, (f64, bool, f64, usize)> = Default::default();
    for &i in &cand {
        if let Some(f) = function[i] {
            let e = per_fn.entry(f).or_insert((0.0, false, 0.0, 0));
            e.0 = e.0.max(base[i][OCHIAI]);
            e.1 |= base[i][IN_TB] > 0.0;
            e.2 = e.2.max(base[i][STACK_RR]);
            e.3 += 1;
        }
    }
    // Competition rank of each function by its best line's Ochiai.
    let fn_rank = |m: f64| 1 + per_fn.values().filter(|v| v.0 > m).count();
    base.iter()
        .enumerate()
        .map(|(i, b)| {
            let och = b[OCHIAI];
            let ties = cand.iter().filter(|&&j| base[j][OCHIAI] == och).count();
            let (fmax, ftb, frr, fc) = function[i]
                .and_then(|f| per_fn.get(&f).copied())
                .unwrap_or((och, b[IN_TB] > 0.0, b[STACK_RR], 1));
            let ctx = [
                if max_och > 0.0 { och / max_och } else { 0.0 },
                ties as f64 / cand.len().max(1) as f64,
                fmax,
                1.0 / fn_rank(fmax) as f64,
                (och >= fmax) as u8 as f64,
                ftb as u8 as f64,
                frr,
                (1.0 + fc as f64).ln() / 5.0,
            ];
            std::array::from_fn(|k| {
                if k < N_FEATURES {
                    b[k]
                } else {
                    ctx[k - N_FEATURES]
                }
            })
        })
        .collect()
}

/// Spectrum, counts, scores and the stack localizer's view of one project.
pub struct Analysis {
    pub spectrum: Spectrum,
    pub counts: Vec<Counts>,
    /// One vector per [`Formula::ALL`] entry.
    pub scores: Vec<Vec<f64>>,
    pub stack: Vec<Site>,
    pub features: Vec<[f64; N_FEATURES]>,
    /// Per element: the innermost function around it (start, end, name).
    pub function: Vec<Option<(u32, u32, String)>>,
}

impl Analysis {
    /// Per element: an index shared by the lines of the same function.
    pub fn function_ids(&self) -> Vec<Option<usize>> {
        let mut keys: Vec<(u32, u32, &Path)> = Vec::new();
        self.spectrum
            .elements
            .iter()
            .zip(&self.function)
            .map(|(e, f)| {
                let (s, en, _) = f.as_ref()?;
                let key = (*s, *en, e.file.as_path());
                Some(keys.iter().position(|k| *k == key).unwrap_or_else(|| {
                    keys.push(key);
                    keys.len() - 1
                }))
            })
            .collect()
    }

    /// Per element: ran in at least one failing test (the ranked lines).
    pub fn candidates(&self) -> Vec<bool> {
        self.counts.iter().map(|c| c.ef > 0).collect()
    }

    /// The ranker's rows (own and context features) of every element.
    pub fn model_rows(&self) -> Vec<Row> {
        model_rows(&self.features, &self.function_ids(), &self.candidates())
    }

    pub fn score(&self, f: Formula) -> &[f64] {
        let i = Formula::ALL
            .iter()
            .position(|x| *x == f)
            .expect("known formula");
        &self.scores[i]
    }
}

/// Collect the spectrum and compute everything a ranker needs.
pub fn analyze(ctx: &LocalizeContext<'_>, opts: &CollectOptions) -> Result<Analysis, CollectError> {
    let stack = StackLocalizer::new()
        .localize(ctx)
        .map_err(|e| CollectError::Step {
            context: "stack localization".into(),
            detail: e.to_string(),
        })?;
    let spectrum = collect::collect(ctx.project, ctx.test_command, opts)?;
    Ok(analyze_spectrum(ctx, spectrum, stack))
}

pub fn analyze_spectrum(
    ctx: &LocalizeContext<'_>,
    spectrum: Spectrum,
    stack: Vec<Site>,
) -> Analysis {
    let mask = spectrum.fail_mask();
    let failed = spectrum.failed_runs() as u32;
    let passed = spectrum.runs.len() as u32 - failed;
    let counts: Vec<Counts> = (0..spectrum.elements.len())
        .map(|r| sbfl::row_counts(spectrum.hits.row(r), &mask, failed, passed))
        .collect();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let scores = sbfl::score_rows(&spectrum.hits, &mask, &Formula::ALL, threads);
    let features = element_features(
        ctx,
        &spectrum.elements,
        &counts,
        &scores,
        &stack,
        failed,
        passed,
    );
    let function = spectrum
        .elements
        .iter()
        .map(|e| {
            ctx.project
                .function_at(&e.file, e.line)
                .map(|f| (f.start_line, f.end_line, f.name.clone()))
        })
        .collect();
    Analysis {
        spectrum,
        counts,
        scores,
        stack,
        features,
        function,
    }
}

/// Project frames of the evidence: (file, line, is crash frame).
fn frames(ctx: &LocalizeContext<'_>) -> Vec<(std::path::PathBuf, u32, bool)> {
    let p = ctx.project;
    let mut out = Vec::new();
    for f in &ctx.evidence.failures {
        let mut first = true;
        for fr in &f.frames {
            let Some(file) = p.resolve(&fr.file) else {
                continue;
            };
            if p.is_test_code(&file, fr.line) {
                continue;
            }
            out.push((file, fr.line, first));
            first = false;
        }
    }
    out
}

fn statement_kind(text: &str) -> [f64; 3] {
    let t = text.trim_start();
    let word = t
        .split(|c: char| !c.is_alphanumeric() && c != '_')
        .next()
        .unwrap_or("");
    let cond = matches!(
        word,
        "if" | "elif" | "while" | "for" | "else" | "match" | "switch" | "case"
    ) || t.starts_with("} else");
    let ret = word == "return";
    let assign = !cond
        && !ret
        && t.char_indices().any(|(i, c)| {
            c == '='
                && !matches!(t[i + 1..].chars().next(), Some('=' | '>'))
                && !matches!(t[..i].chars().next_back(), Some('=' | '!' | '<' | '>'))
        });
    [cond as u8 as f64, ret as u8 as f64, assign as u8 as f64]
}

fn element_features(
    ctx: &LocalizeContext<'_>,
    elements: &[Element],
    counts: &[Counts],
    scores: &[Vec<f64>],
    stack: &[Site],
    failed: u32,
    passed: u32,
) -> Vec<[f64; N_FEATURES]> {
    let n = elements.len();
    let frames = frames(ctx);
    let ochiai = &scores[0];
    let dstar = &scores[1];
    // Competition rank (ties share the best rank) of the Ochiai score.
    let order = sbfl::ranking(ochiai);
    let mut ochiai_rank = vec![0usize; n];
    for (pos, &i) in order.iter().enumerate() {
        ochiai_rank[i] = if pos > 0 && ochiai[order[pos - 1]] == ochiai[i] {
            ochiai_rank[order[pos - 1]]
        } else {
            pos
        };
    }
    let finite_max = dstar
        .iter()
        .copied()
        .filter(|d| *d < f64::MAX)
        .fold(0.0f64, f64::max);
    let squash = |d: f64| if d == f64::MAX { 1.0 } else { d / (1.0 + d) };
    let p = ctx.project;
    let mut out = Vec::with_capacity(n);
    for (i, e) in elements.iter().enumerate() {
        let c = counts[i];
        let text = p
            .file(&e.file)
            .and_then(|sf| sf.text.lines().nth(e.line as usize - 1))
            .unwrap_or("");
        let func = p.function_at(&e.file, e.line);
        let in_tb = frames.iter().any(|(f, l, _)| f == &e.file && *l == e.line);
        let crash = frames
            .iter()
            .any(|(f, l, c)| *c && f == &e.file && *l == e.line);
        let proximity = frames
            .iter()
            .filter(|(f, l, c)| {
                *c && f == &e.file
                    && func.is_some_and(|fu| fu.start_line <= *l && *l <= fu.end_line)
            })
            .map(|(_, l, _)| 1.0 / (1.0 + (*l as f64 - e.line as f64).abs()))
            .fold(0.0, f64::max);
        let covering: Vec<&Site> = stack.iter().filter(|s| s.covers(&e.file, e.line)).collect();
        let stack_score = covering.iter().map(|s| s.score).fold(0.0, f64::max);
        let stack_rr = rank_of(stack, &e.file, e.line).map_or(0.0, |r| 1.0 / r as f64);
        let [cond, ret, assign] = statement_kind(text);
        let fsize = func.map_or(1.0, |f| (f.end_line - f.start_line + 1) as f64);
        let dmax = if dstar[i] == f64::MAX {
            1.0
        } else if finite_max > 0.0 {
            dstar[i] / finite_max
        } else {
            0.0
        };
        out.push([
            ochiai[i],
            squash(dstar[i]),
            scores[2][i],
            scores[3][i] / failed.max(1) as f64,
            scores[4][i],
            1.0 - ochiai_rank[i] as f64 / n.max(1) as f64,
            dmax,
            c.ef as f64 / failed.max(1) as f64,
            c.ep as f64 / passed.max(1) as f64,
            in_tb as u8 as f64,
            crash as u8 as f64,
            proximity,
            stack_score,
            stack_rr,
            cond,
            ret,
            assign,
            fsize.ln() / 5.0,
            (1.0 + n as f64).ln() / 10.0,
        ]);
    }
    out
}

/// Is `e` the ground-truth fault line?
pub fn is_fault(e: &Element, file: &Path, line: u32) -> bool {
    e.file == file && e.line == line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statement_kinds() {
        assert_eq!(statement_kind("    if x <= 3:"), [1.0, 0.0, 0.0]);
        assert_eq!(statement_kind("  return a == b;"), [0.0, 1.0, 0.0]);
        assert_eq!(statement_kind("  total += x"), [0.0, 0.0, 1.0]);
        assert_eq!(statement_kind("  let y = f(x);"), [0.0, 0.0, 1.0]);
        assert_eq!(statement_kind("  call(a >= b)"), [0.0, 0.0, 0.0]);
    }
}
