//! Localization-only benchmark: each corpus case is prepared (private copy,
//! build, baseline test run, evidence) and localized without repairing; the
//! true fault line's rank gives Top-k and EXAM. Also builds the ranker's
//! training set and cross-validates it.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use super::collect::CollectOptions;
use super::features::{analyze, is_fault, model_rows};
use super::localizer::{interleave_functions, ranked_sites};
use super::ranker::{self, Model, RankCase, TrainCase, TrainOptions};
use super::sbfl::Formula;
use crate::repair::bench::CaseSpec;
use crate::repair::evidence::{self, Evidence, TestOutcomes};
use crate::repair::localize::{LocalizeContext, Localizer, rank_of};
use crate::repair::project::Project;
use crate::repair::validate::{NetIsolation, copy_tree, run_command};
use crate::repair::{Language, RepairError};

/// A project copy with its baseline run and evidence, ready to localize.
pub struct Prepared {
    _work: tempfile::TempDir,
    pub project: Project,
    pub evidence: Evidence,
    pub outcomes: TestOutcomes,
    pub test: String,
}

impl Prepared {
    pub fn context(&self) -> LocalizeContext<'_> {
        LocalizeContext {
            evidence: &self.evidence,
            project: &self.project,
            baseline: &self.outcomes,
            test_command: &self.test,
        }
    }

    /// Non-blank, non-comment lines of non-test code: the EXAM denominator,
    /// the same for every localizer.
    pub fn program_lines(&self) -> usize {
        program_lines(&self.project)
    }
}

/// Non-blank, non-comment lines of non-test code: the EXAM denominator,
/// the same for every localizer.
pub fn program_lines(p: &Project) -> usize {
    p.files
        .iter()
        .filter(|f| !f.is_test_file)
        .map(|f| {
            f.text
                .lines()
                .enumerate()
                .filter(|(i, l)| {
                    let t = l.trim();
                    !t.is_empty()
                        && !["#", "//", "/*", "*"].iter().any(|c| t.starts_with(c))
                        && !p.is_test_code(&f.path, *i as u32 + 1)
                })
                .count()
        })
        .sum()
}

/// Top-k and EXAM of a repair benchmark's `fault_rank`s (EXAM over each
/// case's program lines, read from the case's repository).
pub fn of_bench(cases: &[CaseSpec], results: &[crate::repair::bench::CaseResult]) -> Accuracy {
    let ranks: Vec<(Option<usize>, f64)> = results
        .iter()
        .map(|r| {
            let lines = cases
                .iter()
                .find(|c| c.id == r.id)
                .and_then(|c| {
                    let l: Language = c.language.parse().ok()?;
                    Project::load(&c.repo, l).ok()
                })
                .map_or(0, |p| program_lines(&p));
            (r.fault_rank, exam(r.fault_rank, lines))
        })
        .collect();
    Accuracy::of(&ranks)
}

/// Copy `repo`, run the build (if any) and the tests once, gather evidence
/// like the repair engine does. The original tree is never touched.
pub fn prepare(
    repo: &Path,
    test: &str,
    build: Option<&str>,
    evidence_file: Option<&Path>,
    language: Language,
    timeout: Duration,
) -> Result<Prepared, RepairError> {
    let work = tempfile::Builder::new()
        .prefix("healer-localize-")
        .tempdir()
        .map_err(|e| RepairError::io("creating a work directory", e))?;
    let copy = work.path().join("repo");
    copy_tree(repo, &copy)?;
    let env = [("PYTHONDONTWRITEBYTECODE".to_string(), "1".to_string())];
    let mut ev = Evidence::default();
    if let Some(f) = evidence_file {
        let path = if f.is_absolute() || f.exists() {
            f.to_path_buf()
        } else {
            repo.join(f)
        };
        let text = std::fs::read_to_string(&path)
            .map_err(|e| RepairError::io(format!("reading evidence {}", path.display()), e))?;
        ev.extend(evidence::parse(&text));
    }
    if let Some(b) = build.filter(|b| !b.trim().is_empty()) {
        let r = run_command(&copy, "build", b, timeout, NetIsolation::None, &env)?;
        if !r.ok() {
            ev.extend(evidence::parse(&r.output));
        }
    }
    let t = run_command(&copy, "test", test, timeout, NetIsolation::None, &env)?;
    ev.extend(evidence::parse(&t.output));
    let outcomes = evidence::test_outcomes(&t.output);
    let project = Project::load(&copy, language)?;
    Ok(Prepared {
        _work: work,
        project,
        evidence: ev,
        outcomes,
        test: test.to_string(),
    })
}

fn prepare_case(c: &CaseSpec) -> Result<Prepared, String> {
    let language: Language = c.language.parse()?;
    prepare(
        &c.repo,
        &c.test,
        c.build.as_deref(),
        c.evidence.as_ref().map(|e| c.repo.join(e)).as_deref(),
        language,
        Duration::from_secs(c.timeout_s.unwrap_or(120)),
    )
    .map_err(|e| e.to_string())
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LocalizeCaseResult {
    pub id: String,
    pub language: String,
    pub fault_rank: Option<usize>,
    pub program_lines: usize,
    /// rank / program lines; 1.0 when the fault is not ranked at all.
    pub exam: f64,
    pub time_s: f64,
    pub error: Option<String>,
}

/// Top-k are fractions of the cases whose fault is ranked within k.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Accuracy {
    pub cases: usize,
    pub top1: f64,
    pub top3: f64,
    pub top5: f64,
    pub top10: f64,
    pub exam: f64,
}

/// Top-k and EXAM alone (what the repair bench's summary carries).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TopK {
    pub top1: f64,
    pub top3: f64,
    pub top5: f64,
    pub top10: f64,
    pub exam: f64,
}

impl From<&Accuracy> for TopK {
    fn from(a: &Accuracy) -> Self {
        TopK {
            top1: a.top1,
            top3: a.top3,
            top5: a.top5,
            top10: a.top10,
            exam: a.exam,
        }
    }
}

impl Accuracy {
    pub fn of(ranks: &[(Option<usize>, f64)]) -> Accuracy {
        let n = ranks.len();
        if n == 0 {
            return Accuracy::default();
        }
        let top = |k: usize| {
            ranks
                .iter()
                .filter(|(r, _)| r.is_some_and(|r| r <= k))
                .count() as f64
                / n as f64
        };
        Accuracy {
            cases: n,
            top1: top(1),
            top3: top(3),
            top5: top(5),
            top10: top(10),
            exam: ranks.iter().map(|r| r.1).sum::<f64>() / n as f64,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LocalizeSummary {
    pub localizer: String,
    #[serde(flatten)]
    pub overall: Accuracy,
    pub per_language: BTreeMap<String, Accuracy>,
    pub errors: usize,
    pub wall_time_s: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LocalizeReport {
    pub cases: Vec<LocalizeCaseResult>,
    pub summary: LocalizeSummary,
}

pub fn exam(rank: Option<usize>, lines: usize) -> f64 {
    rank.map_or(1.0, |r| (r as f64 / lines.max(1) as f64).min(1.0))
}

fn per_language<T>(
    items: &[T],
    lang: impl Fn(&T) -> String,
    rank: impl Fn(&T) -> (Option<usize>, f64),
) -> BTreeMap<String, Accuracy> {
    let mut langs: Vec<String> = items.iter().map(&lang).collect();
    langs.sort();
    langs.dedup();
    langs
        .into_iter()
        .map(|l| {
            let r: Vec<_> = items.iter().filter(|c| lang(c) == l).map(&rank).collect();
            (l, Accuracy::of(&r))
        })
        .collect()
}

fn parallel<T: Send + Sync, R: Send>(
    items: &[T],
    jobs: usize,
    f: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    let next = AtomicUsize::new(0);
    let out: Mutex<Vec<Option<R>>> = Mutex::new((0..items.len()).map(|_| None).collect());
    std::thread::scope(|s| {
        for _ in 0..jobs.max(1) {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let Some(it) = items.get(i) else { break };
                    let r = f(it);
                    out.lock().expect("no panics holding the lock")[i] = Some(r);
                }
            });
        }
    });
    out.into_inner()
        .expect("workers joined")
        .into_iter()
        .map(|r| r.expect("every item ran"))
        .collect()
}

/// Localize every case with `localizer`, without repairing.
pub fn run_localize_only(
    localizer: &dyn Localizer,
    cases: &[CaseSpec],
    jobs: usize,
) -> LocalizeReport {
    let started = Instant::now();
    let results = parallel(cases, jobs, |c| {
        let t0 = Instant::now();
        let mut r = LocalizeCaseResult {
            id: c.id.clone(),
            language: c.language.clone(),
            fault_rank: None,
            program_lines: 0,
            exam: 1.0,
            time_s: 0.0,
            error: None,
        };
        match prepare_case(c).and_then(|p| {
            let sites = localizer
                .localize(&p.context())
                .map_err(|e| e.to_string())?;
            Ok((p.program_lines(), sites))
        }) {
            Ok((lines, sites)) => {
                r.program_lines = lines;
                if let (Some(f), Some(l)) = (&c.fault_file, c.fault_line) {
                    r.fault_rank = rank_of(&sites, f, l);
                }
                r.exam = exam(r.fault_rank, lines);
            }
            Err(e) => r.error = Some(e),
        }
        r.time_s = t0.elapsed().as_secs_f64();
        tracing::info!(id = %r.id, rank = ?r.fault_rank, "case localized");
        r
    });
    let ranks: Vec<_> = results.iter().map(|r| (r.fault_rank, r.exam)).collect();
    LocalizeReport {
        summary: LocalizeSummary {
            localizer: localizer.name().to_string(),
            overall: Accuracy::of(&ranks),
            per_language: per_language(
                &results,
                |r| r.language.clone(),
                |r| (r.fault_rank, r.exam),
            ),
            errors: results.iter().filter(|r| r.error.is_some()).count(),
            wall_time_s: started.elapsed().as_secs_f64(),
        },
        cases: results,
    }
}

/// One case of the ranker's data set: its feature rows plus what is needed
/// to turn any scores into the rank the localizers would report.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DatasetCase {
    pub train: TrainCase,
    pub program_lines: usize,
    /// Ranks of the fault under the stack localizer and each formula.
    pub ranks: BTreeMap<String, Option<usize>>,
    /// Per element: ran in a failing test (only those are ranked).
    pub ranked: Vec<bool>,
    /// Per element: position of the first stack site covering it (tie-break).
    pub stack_pos: Vec<usize>,
    /// Rank of the fault among the stack sites appended after the elements.
    pub tail_rank: Option<usize>,
    /// Per element: index of its function (shared by lines of the same one).
    pub function: Vec<Option<usize>>,
    /// The function containing the fault line, when one does.
    pub fault_function: Option<usize>,
    pub error: Option<String>,
}

impl DatasetCase {
    /// The rank `ranked_sites` would give the fault under `scores`.
    pub fn rank_under(&self, scores: &[f64], function_first: bool) -> Option<usize> {
        self.rank_under_with(scores, function_first, false)
    }

    /// [`Self::rank_under`] for `ranked_sites_with(.., interleave)`.
    pub fn rank_under_with(
        &self,
        scores: &[f64],
        function_first: bool,
        interleave: bool,
    ) -> Option<usize> {
        let mut idx: Vec<usize> = (0..scores.len()).filter(|&i| self.ranked[i]).collect();
        idx.sort_by(|&x, &y| {
            scores[y]
                .total_cmp(&scores[x])
                .then(self.stack_pos[x].cmp(&self.stack_pos[y]))
                .then(x.cmp(&y))
        });
        if interleave {
            idx = interleave_functions(&idx, &self.function);
        }
        let mut pos = 0;
        let mut emitted = std::collections::HashSet::new();
        for i in idx {
            let new_function = self.function[i].filter(|f| emitted.insert(*f));
            let line_hit = self.train.faults.contains(&i);
            let function_hit = new_function.is_some() && new_function == self.fault_function;
            // Sites in emission order: [function, line] or [line, function].
            let order: [(bool, bool); 2] = if function_first {
                [(new_function.is_some(), function_hit), (true, line_hit)]
            } else {
                [(true, line_hit), (new_function.is_some(), function_hit)]
            };
            for (present, hit) in order {
                if present {
                    pos += 1;
                    if hit {
                        return Some(pos);
                    }
                }
            }
        }
        self.tail_rank.map(|t| pos + t)
    }
}

/// Collect spectra and features of every case (the expensive part).
pub fn build_dataset(cases: &[CaseSpec], jobs: usize, opts: &CollectOptions) -> Vec<DatasetCase> {
    parallel(cases, jobs, |c| {
        let mut d = DatasetCase {
            train: TrainCase {
                id: c.id.clone(),
                language: c.language.clone(),
                features: Vec::new(),
                faults: Vec::new(),
            },
            program_lines: 0,
            ranks: BTreeMap::new(),
            ranked: Vec::new(),
            stack_pos: Vec::new(),
            tail_rank: None,
            function: Vec::new(),
            fault_function: None,
            error: None,
        };
        let (Some(ff), Some(fl)) = (c.fault_file.clone(), c.fault_line) else {
            d.error = Some("case has no fault_file/fault_line".into());
            return d;
        };
        let p = match prepare_case(c) {
            Ok(p) => p,
            Err(e) => {
                d.error = Some(e);
                return d;
            }
        };
        d.program_lines = p.program_lines();
        let ctx = p.context();
        let a = match analyze(&ctx, opts) {
            Ok(a) => a,
            Err(e) => {
                // No spectrum: only the stack ranking exists for this case.
                let stack = crate::repair::localize::StackLocalizer::new()
                    .localize(&ctx)
                    .unwrap_or_default();
                d.ranks.insert("stack".into(), rank_of(&stack, &ff, fl));
                d.tail_rank = rank_of(&stack, &ff, fl);
                d.error = Some(e.to_string());
                return d;
            }
        };
        d.ranks.insert("stack".into(), rank_of(&a.stack, &ff, fl));
        for f in Formula::ALL {
            let sites = ranked_sites(&a, a.score(f), f.name(), false);
            d.ranks.insert(f.name().into(), rank_of(&sites, &ff, fl));
        }
        let els = &a.spectrum.elements;
        d.train.faults = (0..els.len())
            .filter(|&i| is_fault(&els[i], &ff, fl))
            .collect();
        d.train.features = a.features.clone();
        d.ranked = a.counts.iter().map(|c| c.ef > 0).collect();
        d.stack_pos = els
            .iter()
            .map(|e| {
                a.stack
                    .iter()
                    .position(|s| s.covers(&e.file, e.line))
                    .unwrap_or(usize::MAX)
            })
            .collect();
        let mut fids: Vec<(u32, u32, &std::path::Path)> = Vec::new();
        d.function = els
            .iter()
            .zip(&a.function)
            .map(|(e, f)| {
                let (s, en, _) = f.as_ref()?;
                let key = (*s, *en, e.file.as_path());
                Some(fids.iter().position(|k| *k == key).unwrap_or_else(|| {
                    fids.push(key);
                    fids.len() - 1
                }))
            })
            .collect();
        d.fault_function = fids
            .iter()
            .position(|(s, en, f)| *f == ff.as_path() && *s <= fl && fl <= *en);
        // The stack tail as ranked_sites appends it (scores do not change it).
        let zero = vec![0.0; els.len()];
        let sites = ranked_sites(&a, &zero, "", false);
        let head = sites
            .iter()
            .take_while(|s| !s.why.starts_with("stack: "))
            .count();
        d.tail_rank = sites[head..]
            .iter()
            .position(|s| s.covers(&ff, fl))
            .map(|p| p + 1);
        // The fast re-ranking used by cross-validation must agree with the localizer.
        let check = d.rank_under(a.score(Formula::Ochiai), false);
        if check != d.ranks.get("ochiai").copied().flatten() {
            tracing::warn!(id = %c.id, ?check, "rank_under disagrees with ranked_sites");
        }
        tracing::info!(id = %c.id, elements = els.len(), runs = a.spectrum.runs.len(), "case analysed");
        d
    })
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AccuracyTable {
    /// Per localizer (stack, each formula, learned (cross-validated)): overall and per language.
    pub overall: BTreeMap<String, Accuracy>,
    pub per_language: BTreeMap<String, BTreeMap<String, Accuracy>>,
    pub folds: usize,
    pub cases: usize,
    pub cases_with_spectrum: usize,
    /// The cross-validated rank of each case's fault under `learned`.
    #[serde(default)]
    pub learned_ranks: BTreeMap<String, Option<usize>>,
    /// Per fold: did the model trained on the other folds put a function's
    /// site before its best line?
    #[serde(default)]
    pub function_first: Vec<bool>,
    /// Per fold: the training recipe chosen on that fold's training cases.
    #[serde(default)]
    pub chosen: Vec<String>,
}

/// The trainers' view of a case: model rows (own + context features),
/// its fault rows and its candidate lines.
pub fn rank_case(d: &DatasetCase) -> RankCase {
    RankCase::new(
        model_rows(&d.train.features, &d.function, &d.ranked),
        d.train.faults.clone(),
        &d.ranked,
    )
}

/// How a model is trained from a set of cases with one recipe (the
/// plain-Rust trainer, or the tch one under the `cuda` feature).
pub type Trainer<'a> = &'a dyn Fn(&[&RankCase], &TrainOptions) -> Model;

/// A model trained on `train_idx` with `o`, its function order chosen on
/// the same cases.
fn fit(
    data: &[DatasetCase],
    rc: &[RankCase],
    train_idx: &[usize],
    o: &TrainOptions,
    train: Trainer<'_>,
) -> Model {
    let tr: Vec<&RankCase> = train_idx
        .iter()
        .filter(|&&i| !data[i].train.features.is_empty())
        .map(|&i| &rc[i])
        .collect();
    let mut m = train(&tr, o);
    m.interleave_functions = o.interleave_functions;
    let training: Vec<(&DatasetCase, &RankCase)> =
        train_idx.iter().map(|&i| (&data[i], &rc[i])).collect();
    m.function_first = choose_function_first(&training, &m);
    m
}

/// The recipe of `grid` with the best mean reciprocal rank under k-fold
/// cross-validation inside `idx` (the outer fold's training cases only).
fn select(
    data: &[DatasetCase],
    rc: &[RankCase],
    idx: &[usize],
    k: usize,
    grid: &[TrainOptions],
    train: Trainer<'_>,
) -> usize {
    if grid.len() <= 1 {
        return 0;
    }
    let ids: Vec<String> = idx.iter().map(|&i| data[i].train.id.clone()).collect();
    let fold = ranker::folds(&ids, k);
    let mrr = |o: &TrainOptions| -> f64 {
        (0..k)
            .map(|f| {
                let tr: Vec<usize> = (0..idx.len())
                    .filter(|&j| fold[j] != f)
                    .map(|j| idx[j])
                    .collect();
                let m = fit(data, rc, &tr, o, train);
                (0..idx.len())
                    .filter(|&j| fold[j] == f)
                    .map(|j| {
                        learned_rank(&data[idx[j]], &rc[idx[j]], &m).map_or(0.0, |r| 1.0 / r as f64)
                    })
                    .sum::<f64>()
            })
            .sum()
    };
    let scores: Vec<f64> = grid.iter().map(mrr).collect();
    (0..grid.len())
        .max_by(|&a, &b| scores[a].total_cmp(&scores[b]).then(b.cmp(&a)))
        .unwrap_or(0)
}

/// Every localizer's accuracy on the data set, the learned one by k-fold
/// cross-validation (each case scored by a model that never saw it). With
/// more than one recipe in `grid`, each outer fold picks its recipe by an
/// inner cross-validation on its own training cases (nested CV), so the
/// reported numbers include the cost of choosing.
pub fn cross_validate(
    data: &[DatasetCase],
    k: usize,
    grid: &[TrainOptions],
    train: Trainer<'_>,
) -> AccuracyTable {
    let ids: Vec<String> = data.iter().map(|d| d.train.id.clone()).collect();
    let fold = ranker::folds(&ids, k);
    let rc: Vec<RankCase> = data.iter().map(rank_case).collect();
    let mut learned: Vec<Option<usize>> = vec![None; data.len()];
    let mut function_first = Vec::new();
    let mut chosen = Vec::new();
    for f in 0..k {
        let tr: Vec<usize> = (0..data.len()).filter(|&i| fold[i] != f).collect();
        let g = select(data, &rc, &tr, k.saturating_sub(1).max(2), grid, train);
        let m = fit(data, &rc, &tr, &grid[g], train);
        function_first.push(m.function_first);
        chosen.push(grid[g].describe());
        for i in (0..data.len()).filter(|i| fold[*i] == f) {
            learned[i] = learned_rank(&data[i], &rc[i], &m);
        }
    }
    let mut names: Vec<String> = vec!["stack".into()];
    names.extend(Formula::ALL.iter().map(|f| f.name().to_string()));
    names.push("learned".into());
    let rank = |name: &str, i: usize| -> Option<usize> {
        if name == "learned" {
            learned[i]
        } else {
            // Formulas fall back to the stack when a case has no spectrum.
            data[i]
                .ranks
                .get(name)
                .copied()
                .unwrap_or_else(|| data[i].ranks.get("stack").copied().flatten())
        }
    };
    let mut overall = BTreeMap::new();
    let mut per_lang: BTreeMap<String, BTreeMap<String, Accuracy>> = BTreeMap::new();
    for n in &names {
        let r: Vec<(Option<usize>, f64)> = (0..data.len())
            .map(|i| (rank(n, i), exam(rank(n, i), data[i].program_lines)))
            .collect();
        overall.insert(n.clone(), Accuracy::of(&r));
        let idx: Vec<usize> = (0..data.len()).collect();
        for (l, a) in per_language(&idx, |i| data[*i].train.language.clone(), |i| r[*i]) {
            per_lang.entry(l).or_default().insert(n.clone(), a);
        }
    }
    AccuracyTable {
        overall,
        per_language: per_lang,
        folds: k,
        cases: data.len(),
        cases_with_spectrum: data.iter().filter(|d| !d.train.features.is_empty()).count(),
        learned_ranks: ids.into_iter().zip(learned).collect(),
        function_first,
        chosen,
    }
}

fn learned_rank(d: &DatasetCase, rc: &RankCase, m: &Model) -> Option<usize> {
    if d.train.features.is_empty() {
        return d.ranks.get("stack").copied().flatten();
    }
    let s: Vec<f64> = rc.rows.iter().map(|x| m.score(x)).collect();
    d.rank_under_with(&s, m.function_first, m.interleave_functions)
}

/// Function site before or after its best line: whichever gives the higher
/// mean reciprocal rank on `cases` (training cases only).
fn choose_function_first(cases: &[(&DatasetCase, &RankCase)], m: &Model) -> bool {
    let mrr = |ff: bool| -> f64 {
        let mut mm = m.clone();
        mm.function_first = ff;
        cases
            .iter()
            .map(|(d, rc)| learned_rank(d, rc, &mm).map_or(0.0, |r| 1.0 / r as f64))
            .sum()
    };
    mrr(true) > mrr(false)
}

/// The final model: the recipe chosen by cross-validation on every case,
/// trained on every case, with the CV table attached.
pub fn train_final(
    data: &[DatasetCase],
    table: &AccuracyTable,
    grid: &[TrainOptions],
    train: Trainer<'_>,
) -> Model {
    let rc: Vec<RankCase> = data.iter().map(rank_case).collect();
    let all: Vec<usize> = (0..data.len()).collect();
    let g = select(data, &rc, &all, table.folds.max(2), grid, train);
    let mut m = fit(data, &rc, &all, &grid[g], train);
    m.cv = serde_json::to_value(table).ok();
    m
}
