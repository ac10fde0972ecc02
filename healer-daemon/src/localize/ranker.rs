//! The learned ranker: a scorer over the per-line model rows (own features
//! plus context features, [`super::features::model_rows`]) trained on each
//! corpus case's fault line against its other candidate lines, evaluated by
//! k-fold cross-validation where a case lies in exactly one fold.
//!
//! Two scorers share one model file: a linear one (`w·z`), and a one-hidden-
//! layer MLP with a linear skip (`w·z + v·tanh(W z + b)`), `z` the
//! standardised row. Two objectives: pairwise logistic (RankNet: the fault
//! above each other candidate) and listwise softmax (ListNet with a one-hot
//! target: −log of the fault's softmax probability among the case's
//! candidates). The plain-Rust trainer and forward pass here are what the
//! default build uses; `super::cuda::train_tch` trains the same model with
//! libtorch tensors (feature `cuda`) and writes the same weights.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::features::{N_FEATURES, N_MODEL_FEATURES, Row, model_feature_names};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Model {
    pub kind: String,
    pub features: Vec<String>,
    pub mean: Vec<f64>,
    pub scale: Vec<f64>,
    /// Linear weights on the standardised row (the MLP's skip connection).
    pub weights: Vec<f64>,
    /// Hidden layer of the MLP scorer; absent for the linear one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hidden: Option<Hidden>,
    /// Emit a function's site before (not after) its most suspicious line;
    /// chosen on the training cases (see `accuracy::cross_validate`).
    #[serde(default)]
    pub function_first: bool,
    /// Order the sites by each function's best line first, then the other
    /// lines (`localizer::interleave_functions`); off in the shipped model.
    #[serde(default)]
    pub interleave_functions: bool,
    /// Cross-validated accuracy of this training recipe, when it was measured.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cv: Option<serde_json::Value>,
}

/// `v · tanh(W z + b)`: `w` is `units × features`, row-major.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hidden {
    pub units: usize,
    pub w: Vec<f64>,
    pub b: Vec<f64>,
    pub out: Vec<f64>,
}

#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error("reading model {path}: {error}")]
    Read { path: String, error: std::io::Error },
    #[error("parsing model {path}: {error}")]
    Parse {
        path: String,
        error: serde_json::Error,
    },
    #[error("model {path} was trained on features {got:?}, this build computes {want:?}")]
    Features {
        path: String,
        got: Vec<String>,
        want: Vec<String>,
    },
    #[error("model {path}: {detail}")]
    Shape { path: String, detail: String },
}

impl Model {
    pub fn load(path: &Path) -> Result<Model, ModelError> {
        let p = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|error| ModelError::Read {
            path: p.clone(),
            error,
        })?;
        let m: Model = serde_json::from_str(&text).map_err(|error| ModelError::Parse {
            path: p.clone(),
            error,
        })?;
        let want = model_feature_names();
        if m.features != want {
            return Err(ModelError::Features {
                path: p,
                got: m.features,
                want,
            });
        }
        m.check_shape()
            .map_err(|detail| ModelError::Shape { path: p, detail })?;
        Ok(m)
    }

    fn check_shape(&self) -> Result<(), String> {
        let n = N_MODEL_FEATURES;
        if self.mean.len() != n || self.scale.len() != n || self.weights.len() != n {
            return Err(format!("mean/scale/weights must have {n} entries"));
        }
        if let Some(h) = &self.hidden
            && (h.w.len() != h.units * n || h.b.len() != h.units || h.out.len() != h.units)
        {
            return Err(format!(
                "hidden layer of {} units needs w {}×{n}, b and out of {}",
                h.units, h.units, h.units
            ));
        }
        Ok(())
    }

    pub fn standardise(&self, x: &Row) -> Row {
        std::array::from_fn(|i| (x[i] - self.mean[i]) / self.scale[i])
    }

    /// The plain-Rust forward pass (the default build's inference).
    pub fn score(&self, x: &Row) -> f64 {
        let z = self.standardise(x);
        let mut s: f64 = z.iter().zip(&self.weights).map(|(a, b)| a * b).sum();
        if let Some(h) = &self.hidden {
            for u in 0..h.units {
                let a: f64 =
                    h.b[u] + dot(&h.w[u * N_MODEL_FEATURES..(u + 1) * N_MODEL_FEATURES], &z);
                s += h.out[u] * a.tanh();
            }
        }
        s
    }
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// One case's training rows (the collected per-line features).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TrainCase {
    pub id: String,
    pub language: String,
    pub features: Vec<[f64; N_FEATURES]>,
    /// Indices of the elements that are the fault line.
    pub faults: Vec<usize>,
}

/// A case as the trainers see it: model rows, the fault rows, and the
/// candidate rows the fault competes with (lines some failing test ran).
#[derive(Debug, Clone)]
pub struct RankCase {
    pub rows: Vec<Row>,
    pub faults: Vec<usize>,
    pub candidates: Vec<usize>,
}

impl RankCase {
    pub fn new(rows: Vec<Row>, faults: Vec<usize>, candidate: &[bool]) -> Self {
        let candidates = (0..rows.len()).filter(|&i| candidate[i]).collect();
        RankCase {
            rows,
            faults,
            candidates,
        }
    }

    /// Negatives: the other candidates (every non-fault row when the fault
    /// itself is no candidate, so the case still teaches something).
    pub fn negatives(&self) -> Vec<usize> {
        let pool: Vec<usize> = if self.faults.iter().all(|f| self.candidates.contains(f)) {
            self.candidates.clone()
        } else {
            (0..self.rows.len()).collect()
        };
        pool.into_iter()
            .filter(|i| !self.faults.contains(i))
            .collect()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scorer {
    Linear,
    Mlp,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Loss {
    Pairwise,
    Listwise,
}

impl std::str::FromStr for Scorer {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "linear" => Ok(Scorer::Linear),
            "mlp" => Ok(Scorer::Mlp),
            _ => Err(format!("unknown model kind `{s}` (linear, mlp)")),
        }
    }
}

impl std::str::FromStr for Loss {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "pairwise" => Ok(Loss::Pairwise),
            "listwise" => Ok(Loss::Listwise),
            _ => Err(format!("unknown loss `{s}` (pairwise, listwise)")),
        }
    }
}

#[derive(Debug, Clone)]
pub struct TrainOptions {
    pub scorer: Scorer,
    pub loss: Loss,
    pub hidden_units: usize,
    pub epochs: usize,
    /// Adam step size.
    pub learning_rate: f64,
    pub l2: f64,
    /// Seed of the hidden layer's initial weights.
    pub seed: u64,
    /// Columns the model may not use (their weights are held at zero).
    pub dropped: Vec<usize>,
    /// Site order of the trained model (see [`Model::interleave_functions`]).
    pub interleave_functions: bool,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions {
            scorer: Scorer::Linear,
            loss: Loss::Pairwise,
            hidden_units: 16,
            epochs: 600,
            learning_rate: 0.01,
            l2: 1e-3,
            seed: 0x5eed,
            dropped: Vec::new(),
            interleave_functions: false,
        }
    }
}

impl TrainOptions {
    pub fn kind(&self) -> String {
        let s = match self.scorer {
            Scorer::Linear => "linear",
            Scorer::Mlp => "mlp",
        };
        let l = match self.loss {
            Loss::Pairwise => "pairwise",
            Loss::Listwise => "listwise",
        };
        format!("{l}-{s}")
    }

    /// The recipe in one line (recorded per fold in the CV table).
    pub fn describe(&self) -> String {
        let mut d = format!("{} l2={} epochs={}", self.kind(), self.l2, self.epochs);
        if self.scorer == Scorer::Mlp {
            d.push_str(&format!(" hidden={}", self.hidden_units));
        }
        if self.interleave_functions {
            d.push_str(" interleaved");
        }
        d
    }
}

/// Mean and standard deviation (1 where constant) of every column.
pub fn standardisation(cases: &[&RankCase]) -> (Vec<f64>, Vec<f64>) {
    let rows: Vec<&Row> = cases.iter().flat_map(|c| c.rows.iter()).collect();
    let n = rows.len().max(1) as f64;
    let mut mean = vec![0.0; N_MODEL_FEATURES];
    let mut scale = vec![0.0; N_MODEL_FEATURES];
    for r in &rows {
        for i in 0..N_MODEL_FEATURES {
            mean[i] += r[i] / n;
        }
    }
    for r in &rows {
        for i in 0..N_MODEL_FEATURES {
            scale[i] += (r[i] - mean[i]).powi(2) / n;
        }
    }
    for s in &mut scale {
        *s = if *s > 1e-12 { s.sqrt() } else { 1.0 };
    }
    (mean, scale)
}

/// Small deterministic initial weights (xorshift, uniform in ±1/√fan_in).
pub fn initial_hidden(units: usize, seed: u64) -> Hidden {
    let mut state = seed | 1;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 11) as f64 / (1u64 << 53) as f64 * 2.0 - 1.0
    };
    let r = 1.0 / (N_MODEL_FEATURES as f64).sqrt();
    Hidden {
        units,
        w: (0..units * N_MODEL_FEATURES).map(|_| next() * r).collect(),
        b: vec![0.0; units],
        out: (0..units).map(|_| next() * 0.1).collect(),
    }
}

/// `dL/ds` of every row of one case given its scores, weighted so that
/// every case counts the same; returns the case's loss.
pub fn loss_grad(c: &RankCase, s: &[f64], loss: Loss, g: &mut [f64]) -> f64 {
    let neg = c.negatives();
    if c.faults.is_empty() || neg.is_empty() {
        return 0.0;
    }
    match loss {
        Loss::Pairwise => {
            let w = 1.0 / (neg.len() * c.faults.len()) as f64;
            let mut l = 0.0;
            for &p in &c.faults {
                for &q in &neg {
                    let m = s[p] - s[q];
                    // log(1 + e^-m), and d/dm = -1 / (1 + e^m)
                    l += w * softplus(-m);
                    let coef = -w / (1.0 + m.exp());
                    g[p] += coef;
                    g[q] -= coef;
                }
            }
            l
        }
        Loss::Listwise => {
            // Softmax over the faults and the negatives; target uniform on faults.
            let set: Vec<usize> = c.faults.iter().chain(&neg).copied().collect();
            let mx = set.iter().map(|&i| s[i]).fold(f64::MIN, f64::max);
            let z: f64 = set.iter().map(|&i| (s[i] - mx).exp()).sum();
            let lse = mx + z.ln();
            let t = 1.0 / c.faults.len() as f64;
            let mut l = 0.0;
            for &i in &set {
                let p = (s[i] - lse).exp();
                let target = if c.faults.contains(&i) { t } else { 0.0 };
                g[i] += p - target;
                l -= target * (s[i] - lse);
            }
            l
        }
    }
}

fn softplus(x: f64) -> f64 {
    if x > 30.0 { x } else { x.exp().ln_1p() }
}

/// Train on `cases` with the plain-Rust trainer (full batch, Adam).
pub fn train(cases: &[&RankCase], o: &TrainOptions) -> Model {
    let (mean, scale) = standardisation(cases);
    let mut m = Model {
        kind: o.kind(),
        features: model_feature_names(),
        mean,
        scale,
        weights: vec![0.0; N_MODEL_FEATURES],
        hidden: (o.scorer == Scorer::Mlp).then(|| initial_hidden(o.hidden_units, o.seed)),
        function_first: false,
        interleave_functions: false,
        cv: None,
    };
    let used: Vec<&RankCase> = cases
        .iter()
        .copied()
        .filter(|c| !c.faults.is_empty())
        .collect();
    let zs: Vec<Vec<Row>> = used
        .iter()
        .map(|c| c.rows.iter().map(|r| m.standardise(r)).collect())
        .collect();
    let mask = column_mask(&o.dropped);
    let n_cases = used.len().max(1) as f64;
    zero_dropped(&mut m, &o.dropped);
    let mut adam = Adam::new(n_params(&m), o.learning_rate);
    for _ in 0..o.epochs {
        let mut grad = vec![0.0; n_params(&m)];
        for (c, z) in used.iter().zip(&zs) {
            let (s, act) = forward(&m, z);
            let mut g = vec![0.0; z.len()];
            loss_grad(c, &s, o.loss, &mut g);
            backward(&m, z, &act, &g, &mut grad);
        }
        let mut p = params(&m);
        for (gi, pi) in grad.iter_mut().zip(&p) {
            *gi = *gi / n_cases + o.l2 * pi;
        }
        mask_grad(&m, &mask, &mut grad);
        adam.step(&mut p, &grad);
        set_params(&mut m, &p);
    }
    m
}

/// `true` for the columns the model may use.
fn column_mask(dropped: &[usize]) -> Vec<bool> {
    (0..N_MODEL_FEATURES)
        .map(|i| !dropped.contains(&i))
        .collect()
}

/// Zero the weights of dropped columns (linear and hidden).
pub fn zero_dropped(m: &mut Model, dropped: &[usize]) {
    for &i in dropped {
        m.weights[i] = 0.0;
        if let Some(h) = &mut m.hidden {
            for u in 0..h.units {
                h.w[u * N_MODEL_FEATURES + i] = 0.0;
            }
        }
    }
}

fn mask_grad(m: &Model, mask: &[bool], grad: &mut [f64]) {
    let n = N_MODEL_FEATURES;
    for i in (0..n).filter(|&i| !mask[i]) {
        grad[i] = 0.0;
        if let Some(h) = &m.hidden {
            for u in 0..h.units {
                grad[n + u * n + i] = 0.0;
            }
        }
    }
}

/// Scores and hidden activations (tanh) of every row.
fn forward(m: &Model, z: &[Row]) -> (Vec<f64>, Vec<Vec<f64>>) {
    let mut s = Vec::with_capacity(z.len());
    let mut act = Vec::with_capacity(z.len());
    for r in z {
        let mut v = dot(r, &m.weights);
        let mut a = Vec::new();
        if let Some(h) = &m.hidden {
            a = (0..h.units)
                .map(|u| {
                    (h.b[u] + dot(&h.w[u * N_MODEL_FEATURES..(u + 1) * N_MODEL_FEATURES], r)).tanh()
                })
                .collect();
            v += dot(&a, &h.out);
        }
        s.push(v);
        act.push(a);
    }
    (s, act)
}

/// Accumulate `Σ_rows g_row · ∂s_row/∂θ` into `grad` (layout of [`params`]).
fn backward(m: &Model, z: &[Row], act: &[Vec<f64>], g: &[f64], grad: &mut [f64]) {
    let n = N_MODEL_FEATURES;
    for ((r, a), &gr) in z.iter().zip(act).zip(g) {
        if gr == 0.0 {
            continue;
        }
        for i in 0..n {
            grad[i] += gr * r[i];
        }
        if let Some(h) = &m.hidden {
            let (w_off, b_off, o_off) = (n, n + h.units * n, n + h.units * n + h.units);
            for u in 0..h.units {
                grad[o_off + u] += gr * a[u];
                let da = gr * h.out[u] * (1.0 - a[u] * a[u]);
                grad[b_off + u] += da;
                for i in 0..n {
                    grad[w_off + u * n + i] += da * r[i];
                }
            }
        }
    }
}

/// Parameters in one vector: weights, then hidden w, b, out.
fn params(m: &Model) -> Vec<f64> {
    let mut p = m.weights.clone();
    if let Some(h) = &m.hidden {
        p.extend(&h.w);
        p.extend(&h.b);
        p.extend(&h.out);
    }
    p
}

fn n_params(m: &Model) -> usize {
    N_MODEL_FEATURES
        + m.hidden
            .as_ref()
            .map_or(0, |h| h.units * (N_MODEL_FEATURES + 2))
}

fn set_params(m: &mut Model, p: &[f64]) {
    let n = N_MODEL_FEATURES;
    m.weights.copy_from_slice(&p[..n]);
    if let Some(h) = &mut m.hidden {
        let u = h.units;
        h.w.copy_from_slice(&p[n..n + u * n]);
        h.b.copy_from_slice(&p[n + u * n..n + u * n + u]);
        h.out.copy_from_slice(&p[n + u * n + u..n + u * n + 2 * u]);
    }
}

struct Adam {
    lr: f64,
    t: i32,
    m: Vec<f64>,
    v: Vec<f64>,
}

impl Adam {
    fn new(n: usize, lr: f64) -> Self {
        Adam {
            lr,
            t: 0,
            m: vec![0.0; n],
            v: vec![0.0; n],
        }
    }

    fn step(&mut self, p: &mut [f64], g: &[f64]) {
        const B1: f64 = 0.9;
        const B2: f64 = 0.999;
        self.t += 1;
        let c1 = 1.0 - B1.powi(self.t);
        let c2 = 1.0 - B2.powi(self.t);
        for i in 0..p.len() {
            self.m[i] = B1 * self.m[i] + (1.0 - B1) * g[i];
            self.v[i] = B2 * self.v[i] + (1.0 - B2) * g[i] * g[i];
            p[i] -= self.lr * (self.m[i] / c1) / ((self.v[i] / c2).sqrt() + 1e-8);
        }
    }
}

/// Fold of each case: a fixed pseudo-random permutation of the ids, dealt
/// round-robin, so a case is in exactly one fold and the split is reproducible.
pub fn folds(ids: &[String], k: usize) -> Vec<usize> {
    let mut order: Vec<usize> = (0..ids.len()).collect();
    let h = |s: &str| {
        s.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
            (h ^ b as u64).wrapping_mul(0x100_0000_01b3)
        })
    };
    order.sort_by_key(|&i| h(&ids[i]));
    let mut f = vec![0; ids.len()];
    for (pos, &i) in order.iter().enumerate() {
        f[i] = pos % k.max(1);
    }
    f
}

/// Feature 3 marks the fault; feature 0 is noise (test data for the trainers).
#[cfg(test)]
pub(crate) fn synthetic_cases() -> Vec<RankCase> {
    (0..20)
        .map(|c| {
            let rows: Vec<Row> = (0..30)
                .map(|e| {
                    let mut x = [0.0; N_MODEL_FEATURES];
                    x[0] = ((c * 31 + e * 17) % 11) as f64 / 11.0;
                    x[3] = if e == c % 30 {
                        1.0
                    } else {
                        ((e * 7) % 5) as f64 / 10.0
                    };
                    x
                })
                .collect();
            RankCase::new(rows, vec![c % 30], &[true; 30])
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cases() -> Vec<RankCase> {
        synthetic_cases()
    }

    fn top_is_fault(m: &Model, cs: &[RankCase]) {
        for c in cs {
            let best = (0..c.rows.len())
                .max_by(|&a, &b| m.score(&c.rows[a]).total_cmp(&m.score(&c.rows[b])))
                .unwrap();
            assert_eq!(best, c.faults[0], "{}", m.kind);
        }
    }

    #[test]
    fn every_scorer_and_loss_learns_the_informative_feature() {
        let cs = cases();
        let refs: Vec<&RankCase> = cs.iter().collect();
        for scorer in [Scorer::Linear, Scorer::Mlp] {
            for loss in [Loss::Pairwise, Loss::Listwise] {
                let o = TrainOptions {
                    scorer,
                    loss,
                    epochs: 300,
                    ..TrainOptions::default()
                };
                let m = train(&refs, &o);
                assert_eq!(m.hidden.is_some(), scorer == Scorer::Mlp);
                top_is_fault(&m, &cs);
            }
        }
        let linear = train(
            &refs,
            &TrainOptions {
                scorer: Scorer::Linear,
                ..TrainOptions::default()
            },
        );
        assert!(linear.weights[3] > 0.0 && linear.weights[3] > linear.weights[0].abs());
        let f = folds(
            &cs.iter()
                .enumerate()
                .map(|(i, _)| format!("c{i}"))
                .collect::<Vec<_>>(),
            5,
        );
        for k in 0..5 {
            assert_eq!(f.iter().filter(|x| **x == k).count(), 4);
        }
    }

    #[test]
    fn backward_matches_finite_differences() {
        let cs = cases();
        let mut m = train(
            &[&cs[0]],
            &TrainOptions {
                scorer: Scorer::Mlp,
                epochs: 3,
                ..TrainOptions::default()
            },
        );
        m.weights
            .iter_mut()
            .enumerate()
            .for_each(|(i, w)| *w = 0.01 * i as f64);
        let z: Vec<Row> = cs[1].rows.iter().map(|r| m.standardise(r)).collect();
        let total = |m: &Model, loss: Loss| {
            let (s, _) = forward(m, &z);
            let mut g = vec![0.0; z.len()];
            loss_grad(&cs[1], &s, loss, &mut g)
        };
        for loss in [Loss::Pairwise, Loss::Listwise] {
            let (s, act) = forward(&m, &z);
            let mut g = vec![0.0; z.len()];
            loss_grad(&cs[1], &s, loss, &mut g);
            let mut grad = vec![0.0; n_params(&m)];
            backward(&m, &z, &act, &g, &mut grad);
            let p0 = params(&m);
            for k in [0, 3, N_MODEL_FEATURES + 5, p0.len() - 20, p0.len() - 1] {
                let eps = 1e-6;
                let mut mp = m.clone();
                let mut p = p0.clone();
                p[k] += eps;
                set_params(&mut mp, &p);
                let up = total(&mp, loss);
                p[k] -= 2.0 * eps;
                set_params(&mut mp, &p);
                let down = total(&mp, loss);
                let numeric = (up - down) / (2.0 * eps);
                assert!(
                    (numeric - grad[k]).abs() < 1e-6 * numeric.abs().max(1.0),
                    "{loss:?} param {k}: {numeric} vs {}",
                    grad[k]
                );
            }
        }
    }

    #[test]
    fn model_file_round_trips_and_checks_shapes() {
        let cs = cases();
        let m = train(
            &[&cs[0], &cs[1]],
            &TrainOptions {
                scorer: Scorer::Mlp,
                ..TrainOptions::default()
            },
        );
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("m.json");
        std::fs::write(&p, serde_json::to_string(&m).unwrap()).unwrap();
        let back = Model::load(&p).unwrap();
        assert_eq!(back.hidden.as_ref().map(|h| h.units), Some(16));
        // JSON keeps every weight to within an ulp or so.
        for r in &cs[2].rows {
            assert!((back.score(r) - m.score(r)).abs() < 1e-12);
        }
        let mut bad = m.clone();
        bad.hidden.as_mut().unwrap().out.pop();
        std::fs::write(&p, serde_json::to_string(&bad).unwrap()).unwrap();
        assert!(matches!(Model::load(&p), Err(ModelError::Shape { .. })));
    }
}
