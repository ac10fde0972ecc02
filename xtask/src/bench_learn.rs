//! `cargo xtask bench learn`: does the learned policy find correct fixes with fewer candidates
//! than the engine's static order, over a stream of faults of repeating kinds?
//!
//! Two passes over the same cases, side by side in one run:
//! - **static**: the engine as shipped (no weights);
//! - **learned**: the cases in a fixed shuffled order, one at a time; before each case the
//!   engine gets the template weights learnt so far (`learn::ActionPolicy`), after it the
//!   outcome is recorded: the chosen template succeeds when the patch is correct (held-out
//!   oracle) and fails when it was plausible but wrong.
//!
//! The context is what the daemon would know: the runtime's own failure kind from the case's
//! evidence (`KeyError`, `unwrap`, …) and the language, never the corpus's fault-class label.
use std::{path::PathBuf, time::Instant};

use anyhow::Context as _;
use healer_daemon::{
    learn::{ActionPolicy, Context, template_arm},
    repair::{
        RepairEngine,
        bench::{self, CaseResult, CaseSpec},
        evidence,
    },
};
use serde::Serialize;

#[derive(Serialize)]
struct Row {
    id: String,
    context: String,
    static_tried: usize,
    static_correct: bool,
    learned_tried: usize,
    learned_correct: bool,
}

#[derive(Serialize)]
struct Half {
    cases_correct_in_both: usize,
    static_mean_tried: f64,
    learned_mean_tried: f64,
}

#[derive(Serialize)]
struct Report {
    cases: usize,
    seed: u64,
    static_correct: usize,
    learned_correct: usize,
    /// Mean candidates tried up to and including the correct one, over cases both passes
    /// fixed correctly: all of them, the first half of the stream, the second half.
    all: Half,
    first_half: Half,
    second_half: Half,
    rows: Vec<Row>,
    wall_s: f64,
}

fn context_of(case: &CaseSpec) -> Context {
    let kind = case
        .evidence
        .as_ref()
        .and_then(|e| std::fs::read_to_string(case.repo.join(e)).ok())
        .and_then(|text| {
            evidence::parse(&text)
                .failures
                .into_iter()
                .find_map(|f| f.kind)
        })
        .unwrap_or_else(|| "test-failure".to_string());
    Context::new(kind, case.language.clone())
}

/// A deterministic shuffle (xorshift), so runs are comparable.
fn shuffle<T>(v: &mut [T], mut seed: u64) {
    for i in (1..v.len()).rev() {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        v.swap(i, (seed % (i as u64 + 1)) as usize);
    }
}

fn half(rows: &[Row]) -> Half {
    let both: Vec<&Row> = rows
        .iter()
        .filter(|r| r.static_correct && r.learned_correct)
        .collect();
    let mean = |f: &dyn Fn(&Row) -> usize| {
        if both.is_empty() {
            0.0
        } else {
            both.iter().map(|r| f(r) as f64).sum::<f64>() / both.len() as f64
        }
    };
    Half {
        cases_correct_in_both: both.len(),
        static_mean_tried: mean(&|r| r.static_tried),
        learned_mean_tried: mean(&|r| r.learned_tried),
    }
}

pub fn run(
    manifest: Option<PathBuf>,
    id: Option<String>,
    jobs: usize,
    seed: u64,
    json: bool,
) -> anyhow::Result<()> {
    let started = Instant::now();
    let manifest =
        manifest.unwrap_or_else(|| crate::workspace_root().join("tests/corpus/manifest.toml"));
    let mut cases = bench::load_manifest(&manifest)
        .with_context(|| format!("loading {}", manifest.display()))?;
    if let Some(id) = &id {
        cases.retain(|c| c.id.contains(id.as_str()));
    }
    shuffle(&mut cases, seed.max(1));

    eprintln!("static pass over {} cases ({jobs} jobs)…", cases.len());
    let baseline = bench::run(&RepairEngine::default(), &cases, jobs);

    eprintln!("learned pass, one case at a time…");
    let mut policy = ActionPolicy::default();
    let mut rows = Vec::new();
    for (case, s) in cases.iter().zip(&baseline.cases) {
        let ctx = context_of(case);
        let engine = RepairEngine {
            template_weights: policy.template_weights(&ctx),
            ..RepairEngine::default()
        };
        let r: CaseResult = bench::run_case(&engine, case);
        if let Some(t) = &r.template
            && r.plausible
        {
            policy.record(&ctx, &template_arm(t), r.correct);
        }
        eprintln!(
            "  {:<28} static {:>3} {}  learned {:>3} {}",
            r.id,
            s.candidates_tried,
            if s.correct { "correct" } else { "-      " },
            r.candidates_tried,
            if r.correct { "correct" } else { "-" }
        );
        rows.push(Row {
            id: r.id.clone(),
            context: format!("{}/{}", ctx.fault_class, ctx.language),
            static_tried: s.candidates_tried,
            static_correct: s.correct,
            learned_tried: r.candidates_tried,
            learned_correct: r.correct,
        });
    }
    let mid = rows.len() / 2;
    let report = Report {
        cases: rows.len(),
        seed,
        static_correct: rows.iter().filter(|r| r.static_correct).count(),
        learned_correct: rows.iter().filter(|r| r.learned_correct).count(),
        all: half(&rows),
        first_half: half(&rows[..mid]),
        second_half: half(&rows[mid..]),
        rows,
        wall_s: started.elapsed().as_secs_f64(),
    };
    if json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        println!(
            "cases {}  correct: static {}  learned {}",
            report.cases, report.static_correct, report.learned_correct
        );
        println!("mean candidates tried to the correct fix (cases correct in both passes):");
        for (name, h) in [
            ("all", &report.all),
            ("first half", &report.first_half),
            ("second half", &report.second_half),
        ] {
            println!(
                "  {name:<12} n={:<4} static {:>6.2}  learned {:>6.2}",
                h.cases_correct_in_both, h.static_mean_tried, h.learned_mean_tried
            );
        }
    }
    Ok(())
}
