//! The learned ranker: a linear pairwise (RankNet-style) model over the
//! per-element features, trained with logistic loss on (fault, non-fault)
//! pairs of each corpus case, evaluated by k-fold cross-validation where a
//! case lies in exactly one fold.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::features::{FEATURE_NAMES, N_FEATURES};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Model {
    pub kind: String,
    pub features: Vec<String>,
    pub mean: Vec<f64>,
    pub scale: Vec<f64>,
    pub weights: Vec<f64>,
    /// Emit a function's site before (not after) its most suspicious line;
    /// chosen on the training cases (see `accuracy::cross_validate`).
    #[serde(default)]
    pub function_first: bool,
    /// Cross-validated accuracy of this training recipe, when it was measured.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cv: Option<serde_json::Value>,
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
        let want: Vec<String> = FEATURE_NAMES.iter().map(|s| s.to_string()).collect();
        if m.features != want || m.weights.len() != N_FEATURES {
            return Err(ModelError::Features {
                path: p,
                got: m.features,
                want,
            });
        }
        Ok(m)
    }

    pub fn score(&self, x: &[f64; N_FEATURES]) -> f64 {
        x.iter()
            .enumerate()
            .map(|(i, v)| (v - self.mean[i]) / self.scale[i] * self.weights[i])
            .sum()
    }
}

/// One case's training rows.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TrainCase {
    pub id: String,
    pub language: String,
    pub features: Vec<[f64; N_FEATURES]>,
    /// Indices of the elements that are the fault line.
    pub faults: Vec<usize>,
}

#[derive(Debug, Clone)]
pub struct TrainOptions {
    pub epochs: usize,
    pub learning_rate: f64,
    pub l2: f64,
    /// Hardest negatives kept per case (by the first feature, Ochiai).
    pub max_negatives: usize,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions {
            epochs: 400,
            learning_rate: 0.5,
            l2: 1e-3,
            max_negatives: 300,
        }
    }
}

/// Train on `cases` (those without a located fault are skipped).
pub fn train(cases: &[&TrainCase], o: &TrainOptions) -> Model {
    // Standardise over all rows.
    let rows: Vec<&[f64; N_FEATURES]> = cases.iter().flat_map(|c| c.features.iter()).collect();
    let n = rows.len().max(1) as f64;
    let mut mean = vec![0.0; N_FEATURES];
    let mut scale = vec![0.0; N_FEATURES];
    for r in &rows {
        for i in 0..N_FEATURES {
            mean[i] += r[i] / n;
        }
    }
    for r in &rows {
        for i in 0..N_FEATURES {
            scale[i] += (r[i] - mean[i]).powi(2) / n;
        }
    }
    for s in &mut scale {
        *s = if *s > 1e-12 { s.sqrt() } else { 1.0 };
    }
    let z = |r: &[f64; N_FEATURES]| -> [f64; N_FEATURES] {
        std::array::from_fn(|i| (r[i] - mean[i]) / scale[i])
    };
    // Pair differences, weighted so every case counts the same.
    let mut diffs: Vec<([f64; N_FEATURES], f64)> = Vec::new();
    for c in cases.iter().filter(|c| !c.faults.is_empty()) {
        let mut neg: Vec<usize> = (0..c.features.len())
            .filter(|i| !c.faults.contains(i))
            .collect();
        neg.sort_by(|&a, &b| c.features[b][0].total_cmp(&c.features[a][0]));
        neg.truncate(o.max_negatives);
        let w = 1.0 / (neg.len() * c.faults.len()).max(1) as f64;
        for &p in &c.faults {
            let zp = z(&c.features[p]);
            for &q in &neg {
                let zq = z(&c.features[q]);
                diffs.push((std::array::from_fn(|i| zp[i] - zq[i]), w));
            }
        }
    }
    let total_w: f64 = diffs.iter().map(|d| d.1).sum::<f64>().max(1e-12);
    let mut w = [0.0f64; N_FEATURES];
    for _ in 0..o.epochs {
        let mut g = [0.0f64; N_FEATURES];
        for (d, cw) in &diffs {
            let m: f64 = d.iter().zip(&w).map(|(a, b)| a * b).sum();
            // d/dm log(1 + e^-m) = -1 / (1 + e^m)
            let coef = -cw / (1.0 + m.exp());
            for i in 0..N_FEATURES {
                g[i] += coef * d[i];
            }
        }
        for i in 0..N_FEATURES {
            w[i] -= o.learning_rate * (g[i] / total_w + o.l2 * w[i]);
        }
    }
    Model {
        kind: "pairwise-logistic".into(),
        features: FEATURE_NAMES.iter().map(|s| s.to_string()).collect(),
        mean,
        scale,
        weights: w.to_vec(),
        function_first: false,
        cv: None,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn learns_to_put_the_informative_feature_first() {
        // Feature 3 marks the fault; feature 0 is noise correlated with nothing.
        let mut cases = Vec::new();
        for c in 0..20 {
            let mut features = Vec::new();
            for e in 0..30 {
                let mut x = [0.0; N_FEATURES];
                x[0] = ((c * 31 + e * 17) % 11) as f64 / 11.0;
                x[3] = if e == c % 30 {
                    1.0
                } else {
                    ((e * 7) % 5) as f64 / 10.0
                };
                features.push(x);
            }
            cases.push(TrainCase {
                id: format!("c{c}"),
                language: "python".into(),
                features,
                faults: vec![c % 30],
            });
        }
        let refs: Vec<&TrainCase> = cases.iter().collect();
        let m = train(&refs, &TrainOptions::default());
        assert!(m.weights[3] > 0.0 && m.weights[3] > m.weights[0].abs());
        for c in &cases {
            let best = (0..c.features.len())
                .max_by(|&a, &b| m.score(&c.features[a]).total_cmp(&m.score(&c.features[b])))
                .unwrap();
            assert_eq!(best, c.faults[0]);
        }
        let f = folds(&cases.iter().map(|c| c.id.clone()).collect::<Vec<_>>(), 5);
        for k in 0..5 {
            assert_eq!(f.iter().filter(|x| **x == k).count(), 4);
        }
    }
}
