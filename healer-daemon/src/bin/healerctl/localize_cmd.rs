//! `healerctl localize`, `healerctl train-ranker` and `healerctl bench --localizer`.

use std::time::Duration;

use anyhow::{Context, bail};
use healer_daemon::localize::accuracy::{self, AccuracyTable, DatasetCase, TopK};
use healer_daemon::localize::collect::CollectOptions;
use healer_daemon::localize::features::model_feature_names;
use healer_daemon::localize::ranker::{self, Model, RankCase, TrainOptions};
use healer_daemon::localize::{localizer_by_name, localizer_with};
use healer_daemon::repair::RepairEngine;
use healer_daemon::repair::bench::{self, CaseSpec};
use healer_daemon::repair::lang;
use healer_daemon::repair::localize::Localizer;

use super::{BenchArgs, LocalizeArgs, TrainRankerArgs};

fn localizer(name: &str, model: Option<&std::path::Path>) -> anyhow::Result<Box<dyn Localizer>> {
    localizer_by_name(name, model).map_err(|e| anyhow::anyhow!("localizer `{name}`: {e}"))
}

pub fn run(a: LocalizeArgs) -> anyhow::Result<()> {
    let name = a
        .localizer
        .clone()
        .or(a.formula.clone())
        .unwrap_or_else(|| "ochiai".into());
    let collect = CollectOptions {
        collector: a.spectra,
        ..CollectOptions::default()
    };
    let loc = localizer_with(&name, a.model.as_deref(), collect)
        .map_err(|e| anyhow::anyhow!("localizer `{name}`: {e}"))?;
    if !a.repo.is_dir() {
        bail!("repository `{}` is not a directory", a.repo.display());
    }
    let language = match a.language {
        Some(l) => l,
        None => lang::detect(&a.repo).context("cannot detect the language; pass --language")?,
    };
    let p = accuracy::prepare(
        &a.repo,
        &a.test,
        a.build.as_deref(),
        a.evidence.as_deref(),
        language,
        Duration::from_secs(a.timeout_s),
    )?;
    let mut sites = loc.localize(&p.context())?;
    sites.truncate(a.top);
    if a.json {
        println!("{}", serde_json::to_string_pretty(&sites)?);
    } else {
        for (i, s) in sites.iter().enumerate() {
            let lines = if s.start_line == s.end_line {
                s.start_line.to_string()
            } else {
                format!("{}-{}", s.start_line, s.end_line)
            };
            println!(
                "{:>3}. {}:{}  {:.4}  {}",
                i + 1,
                s.file.display(),
                lines,
                s.score,
                s.why
            );
        }
    }
    Ok(())
}

pub fn bench(a: &BenchArgs, cases: &[CaseSpec]) -> anyhow::Result<()> {
    let name = a.localizer.clone().unwrap_or_else(|| "stack".into());
    let loc = localizer(&name, a.model.as_deref())?;
    if a.localize_only {
        let r = accuracy::run_localize_only(loc.as_ref(), cases, a.jobs);
        if a.json {
            println!("{}", serde_json::to_string_pretty(&r)?);
        } else {
            for c in &r.cases {
                println!(
                    "{:<28} {:<10} rank {:>5}  exam {:.3}  {}",
                    c.id,
                    c.language,
                    c.fault_rank.map_or("-".into(), |r| r.to_string()),
                    c.exam,
                    c.error.clone().unwrap_or_default()
                );
            }
            let s = &r.summary;
            println!(
                "\n{}: {} cases  top1 {:.3} top3 {:.3} top5 {:.3} top10 {:.3} exam {:.4}  ({} errors, {:.1}s)",
                s.localizer,
                s.overall.cases,
                s.overall.top1,
                s.overall.top3,
                s.overall.top5,
                s.overall.top10,
                s.overall.exam,
                s.errors,
                s.wall_time_s
            );
        }
        return Ok(());
    }
    let engine = RepairEngine {
        localizer: loc,
        ..RepairEngine::default()
    };
    let mut report = bench::run(&engine, cases, a.jobs);
    report.summary.localization = Some(TopK::from(&accuracy::of_bench(cases, &report.cases)));
    if a.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print!("{}", report.to_table());
        if let Some(t) = &report.summary.localization {
            println!(
                "localization ({name}): top1 {:.3} top3 {:.3} top5 {:.3} top10 {:.3} exam {:.4}",
                t.top1, t.top3, t.top5, t.top10, t.exam
            );
        }
    }
    Ok(())
}

pub fn train(a: TrainRankerArgs) -> anyhow::Result<()> {
    let data: Vec<DatasetCase> = match &a.dataset {
        Some(p) => serde_json::from_str(
            &std::fs::read_to_string(p).with_context(|| format!("reading {}", p.display()))?,
        )
        .with_context(|| format!("parsing {}", p.display()))?,
        None => {
            let mut cases = bench::load_manifest(&a.manifest)?;
            if let Some(f) = &a.id {
                cases.retain(|c| c.id.contains(f.as_str()));
            }
            accuracy::build_dataset(&cases, a.jobs, &CollectOptions::default())
        }
    };
    if let Some(p) = &a.dataset_out {
        std::fs::write(p, serde_json::to_string(&data)?)
            .with_context(|| format!("writing {}", p.display()))?;
    }
    for d in data.iter().filter(|d| d.error.is_some()) {
        eprintln!("{}: {}", d.train.id, d.error.as_deref().unwrap_or(""));
    }
    let dropped: Vec<usize> = a
        .drop
        .iter()
        .map(|n| {
            model_feature_names()
                .iter()
                .position(|f| f == n)
                .with_context(|| format!("--drop: no feature `{n}`"))
        })
        .collect::<anyhow::Result<_>>()?;
    let mut grid = Vec::new();
    for kind in &a.model_kind {
        for loss in &a.loss {
            for &l2 in &a.l2 {
                grid.push(TrainOptions {
                    scorer: kind.parse().map_err(anyhow::Error::msg)?,
                    loss: loss.parse().map_err(anyhow::Error::msg)?,
                    hidden_units: a.hidden,
                    epochs: a.epochs,
                    l2,
                    learning_rate: a.learning_rate,
                    dropped: dropped.clone(),
                    interleave_functions: a.interleave_functions,
                    ..TrainOptions::default()
                });
            }
        }
    }
    let trainer = trainer(&a.backend)?;
    let table = accuracy::cross_validate(&data, a.folds, &grid, trainer.as_ref());
    let model = accuracy::train_final(&data, &table, &grid, trainer.as_ref());
    if let Some(dir) = a.out.parent() {
        std::fs::create_dir_all(dir).ok();
    }
    std::fs::write(&a.out, serde_json::to_string_pretty(&model)?)
        .with_context(|| format!("writing {}", a.out.display()))?;
    if a.per_case {
        for d in &data {
            println!(
                "{:<30} {:<10} learned {:>4}  stack {:>4}  ochiai {:>4}",
                d.train.id,
                d.train.language,
                fmt_rank(table.learned_ranks.get(&d.train.id).copied().flatten()),
                fmt_rank(d.ranks.get("stack").copied().flatten()),
                fmt_rank(d.ranks.get("ochiai").copied().flatten()),
            );
        }
    }
    print_table(&table);
    println!("recipe per fold: {:?}", table.chosen);
    println!("{} model written to {}", model.kind, a.out.display());
    Ok(())
}

fn fmt_rank(r: Option<usize>) -> String {
    r.map_or("-".into(), |r| r.to_string())
}

type BoxedTrainer = Box<dyn Fn(&[&RankCase], &TrainOptions) -> Model>;

/// The plain-Rust trainer, or libtorch's (`--backend tch`, feature `cuda`).
fn trainer(backend: &str) -> anyhow::Result<BoxedTrainer> {
    match backend {
        "cpu" => Ok(Box::new(ranker::train)),
        #[cfg(feature = "cuda")]
        "tch" => {
            let t = healer_daemon::localize::cuda::TchBackend::new();
            Ok(Box::new(move |c: &[&RankCase], o: &TrainOptions| {
                t.train(c, o)
            }))
        }
        #[cfg(not(feature = "cuda"))]
        "tch" => bail!("--backend tch needs healerctl built with --features cuda"),
        b => bail!("unknown backend `{b}` (cpu, tch)"),
    }
}

fn print_table(t: &AccuracyTable) {
    println!(
        "{} cases ({} with a spectrum), learned = {}-fold cross-validated",
        t.cases, t.cases_with_spectrum, t.folds
    );
    println!(
        "{:<12} {:<10} {:>6} {:>6} {:>6} {:>6} {:>7}",
        "localizer", "language", "top1", "top3", "top5", "top10", "exam"
    );
    let mut rows: Vec<(String, String, accuracy::Accuracy)> = t
        .overall
        .iter()
        .map(|(n, a)| (n.clone(), "all".to_string(), a.clone()))
        .collect();
    for (l, m) in &t.per_language {
        for (n, a) in m {
            rows.push((n.clone(), l.clone(), a.clone()));
        }
    }
    for (n, l, a) in rows {
        println!(
            "{:<12} {:<10} {:>6.3} {:>6.3} {:>6.3} {:>6.3} {:>7.4}",
            n, l, a.top1, a.top3, a.top5, a.top10, a.exam
        );
    }
}
