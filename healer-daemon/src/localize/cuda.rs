//! CUDA backend (cargo feature `cuda`): the SBFL counts and formulas as
//! libtorch tensor operations through tch, on the GPU when one is usable;
//! and the learned ranker's trainer and forward pass on tensors (the same
//! model, objective and Adam steps as the plain-Rust [`ranker::train`]).
//!
//! rustc links with `--as-needed`, which drops `libtorch_cuda.so`, so CUDA is
//! switched on by loading it at run time; when that fails (no GPU, CPU-only
//! libtorch) the backend logs one line and computes on libtorch's CPU device.

use tch::{Device, Kind, Tensor};

use super::features::{N_MODEL_FEATURES, Row};
use super::ranker::{self, Hidden, Loss, Model, RankCase, Scorer, TrainOptions};
use super::sbfl::Formula;
use super::spectrum::BitMatrix;

/// A model's parameters as double tensors on one device.
struct Params {
    w: Tensor,
    hidden: Option<(Tensor, Tensor, Tensor)>,
}

impl Params {
    fn of(m: &Model, device: Device) -> Params {
        let t = |v: &[f64]| Tensor::from_slice(v).to_device(device);
        Params {
            w: t(&m.weights),
            hidden: m.hidden.as_ref().map(|h| {
                (
                    t(&h.w).view([h.units as i64, N_MODEL_FEATURES as i64]),
                    t(&h.b),
                    t(&h.out),
                )
            }),
        }
    }

    fn all_mut(&mut self) -> Vec<&mut Tensor> {
        let mut v = vec![&mut self.w];
        if let Some((a, b, c)) = &mut self.hidden {
            v.extend([a, b, c]);
        }
        v
    }

    /// `z·w + tanh(z Wᵀ + b)·out` for standardised rows `z` (rows × features).
    fn forward(&self, z: &Tensor) -> Tensor {
        let s = z.mv(&self.w);
        match &self.hidden {
            Some((w1, b1, out)) => s + (z.matmul(&w1.tr()) + b1).tanh().mv(out),
            None => s,
        }
    }
}

fn to_vec(t: &Tensor) -> Vec<f64> {
    Vec::<f64>::try_from(&t.to_device(Device::Cpu).view([-1])).expect("double tensor to Vec<f64>")
}

pub struct TchBackend {
    pub device: Device,
}

impl TchBackend {
    /// CUDA device 0 when libtorch_cuda loads and sees a GPU, else the CPU.
    pub fn new() -> Self {
        let device = match load_torch_cuda() {
            Ok(()) if tch::Cuda::is_available() => Device::Cuda(0),
            Ok(()) => {
                tracing::warn!("libtorch_cuda loaded but no CUDA device: tch on the CPU");
                Device::Cpu
            }
            Err(e) => {
                tracing::warn!(error = %e, "libtorch_cuda not loadable: tch on the CPU");
                Device::Cpu
            }
        };
        TchBackend { device }
    }

    pub fn on(device: Device) -> Self {
        TchBackend { device }
    }

    pub fn is_cuda(&self) -> bool {
        self.device.is_cuda()
    }

    /// Same contract as [`super::sbfl::score_rows`]: one score vector per formula.
    pub fn score_rows(
        &self,
        hits: &BitMatrix,
        fail_mask: &[u64],
        formulas: &[Formula],
    ) -> Vec<Vec<f64>> {
        let _guard = tch::no_grad_guard();
        let rows = hits.rows() as i64;
        let wpr = hits.words_per_row() as i64;
        let failed: u32 = fail_mask.iter().map(|w| w.count_ones()).sum();
        let passed = hits.cols() as u32 - failed;
        // u64 words reinterpreted as i64: popcount only looks at the bits.
        let words: Vec<i64> = hits.words().iter().map(|&w| w as i64).collect();
        let mask: Vec<i64> = fail_mask.iter().map(|&w| w as i64).collect();
        let w = Tensor::from_slice(&words)
            .view([rows, wpr])
            .to_device(self.device);
        let m = Tensor::from_slice(&mask)
            .view([1, wpr])
            .to_device(self.device);
        let e = popcount(&w).sum_dim_intlist(Some([1i64].as_slice()), false, Kind::Double);
        let ef = popcount(&w.bitwise_and_tensor(&m)).sum_dim_intlist(
            Some([1i64].as_slice()),
            false,
            Kind::Double,
        );
        let ep = &e - &ef;
        let f = failed as f64;
        let p = passed as f64;
        let nf = ef.neg() + f;
        formulas
            .iter()
            .map(|fm| {
                let zero = ef.zeros_like();
                let s = match fm {
                    Formula::Ochiai => {
                        let d = (&e * f).sqrt();
                        (&ef / d.clamp_min(1e-300)).where_self(&d.gt(0.0), &zero)
                    }
                    Formula::Dstar => {
                        let d = &ep + &nf;
                        let sat = zero.full_like(f64::MAX).where_self(&ef.gt(0.0), &zero);
                        ((&ef * &ef) / d.clamp_min(1e-300)).where_self(&d.gt(0.0), &sat)
                    }
                    Formula::Tarantula => {
                        let fr = if f > 0.0 {
                            &ef / f
                        } else {
                            zero.shallow_clone()
                        };
                        let pr = if p > 0.0 {
                            &ep / p
                        } else {
                            zero.shallow_clone()
                        };
                        let d = &fr + &pr;
                        (&fr / d.clamp_min(1e-300)).where_self(&d.gt(0.0), &zero)
                    }
                    Formula::Op2 => &ef - &ep / (p + 1.0),
                    Formula::Barinel => {
                        (ep.neg() / e.clamp_min(1e-300) + 1.0).where_self(&e.gt(0.0), &zero)
                    }
                };
                Vec::<f64>::try_from(&s.to_device(Device::Cpu)).expect("double tensor to Vec<f64>")
            })
            .collect()
    }
}

impl TchBackend {
    /// The model's scores of `rows` computed with tensors on this device
    /// (the same function as [`Model::score`]).
    pub fn scores(&self, m: &Model, rows: &[Row]) -> Vec<f64> {
        let _guard = tch::no_grad_guard();
        let z = self.standardised(m, rows);
        to_vec(&Params::of(m, self.device).forward(&z))
    }

    fn standardised(&self, m: &Model, rows: &[Row]) -> Tensor {
        let flat: Vec<f64> = rows.iter().flat_map(|r| m.standardise(r)).collect();
        Tensor::from_slice(&flat)
            .view([rows.len() as i64, N_MODEL_FEATURES as i64])
            .to_device(self.device)
    }

    /// [`ranker::train`] with tch: the same standardisation, initial
    /// weights, objective, L2 and Adam steps, the gradients from autograd.
    pub fn train(&self, cases: &[&RankCase], o: &TrainOptions) -> Model {
        let dev = self.device;
        let (mean, scale) = ranker::standardisation(cases);
        let mut m = Model {
            kind: o.kind(),
            features: super::features::model_feature_names(),
            mean,
            scale,
            weights: vec![0.0; N_MODEL_FEATURES],
            hidden: (o.scorer == Scorer::Mlp)
                .then(|| ranker::initial_hidden(o.hidden_units, o.seed)),
            function_first: false,
            interleave_functions: false,
            cv: None,
        };
        ranker::zero_dropped(&mut m, &o.dropped);
        let used: Vec<&RankCase> = cases
            .iter()
            .copied()
            .filter(|c| !c.faults.is_empty())
            .collect();
        if used.is_empty() {
            return m;
        }
        // All rows of all cases, standardised, one tensor; per case its offset.
        let mut offset = Vec::with_capacity(used.len());
        let mut rows: Vec<Row> = Vec::new();
        for c in &used {
            offset.push(rows.len() as i64);
            rows.extend(c.rows.iter().copied());
        }
        let z = self.standardised(&m, &rows);
        let objective = Objective::new(&used, &offset, o.loss, dev);
        let mut p = Params::of(&m, dev);
        for t in p.all_mut() {
            *t = t.set_requires_grad(true);
        }
        let mask: Vec<f64> = (0..N_MODEL_FEATURES)
            .map(|i| if o.dropped.contains(&i) { 0.0 } else { 1.0 })
            .collect();
        let mask = Tensor::from_slice(&mask).to_device(dev);
        let n_cases = used.len() as f64;
        let mut state: Vec<(Tensor, Tensor)> = p
            .all_mut()
            .into_iter()
            .map(|t| (t.zeros_like(), t.zeros_like()))
            .collect();
        const B1: f64 = 0.9;
        const B2: f64 = 0.999;
        for step in 1..=o.epochs as i32 {
            let loss = objective.loss(&p.forward(&z)) / n_cases;
            loss.backward();
            let _guard = tch::no_grad_guard();
            let c1 = 1.0 - B1.powi(step);
            let c2 = 1.0 - B2.powi(step);
            for (k, t) in p.all_mut().into_iter().enumerate() {
                let mut g = t.grad() + &*t * o.l2;
                // Dropped columns: the linear weights and hidden W's columns.
                if k == 0 {
                    g *= &mask;
                } else if k == 1 {
                    g *= mask.unsqueeze(0);
                }
                let (mo, ve) = &mut state[k];
                *mo = &*mo * B1 + &g * (1.0 - B1);
                *ve = &*ve * B2 + (&g * &g) * (1.0 - B2);
                let update = (&*mo / c1) / ((&*ve / c2).sqrt() + 1e-8) * o.learning_rate;
                let _ = t.f_sub_(&update).expect("in-place parameter update");
                t.zero_grad();
            }
        }
        m.weights = to_vec(&p.w);
        if let (Some(h), Some((w1, b1, out))) = (&mut m.hidden, &p.hidden) {
            *h = Hidden {
                units: h.units,
                w: to_vec(w1),
                b: to_vec(b1),
                out: to_vec(out),
            };
        }
        m
    }
}

/// The training objective as index tensors into the flattened scores.
enum Objective {
    /// Pair (fault, other) row indices and each pair's weight.
    Pairwise { p: Tensor, q: Tensor, w: Tensor },
    /// Per case a padded row of candidate indices, its mask and targets.
    Listwise {
        idx: Tensor,
        valid: Tensor,
        target: Tensor,
    },
}

impl Objective {
    fn new(cases: &[&RankCase], offset: &[i64], loss: Loss, dev: Device) -> Objective {
        let sets: Vec<(Vec<i64>, Vec<i64>)> = cases
            .iter()
            .zip(offset)
            .map(|(c, &off)| {
                let neg = c.negatives();
                let f = c.faults.iter().map(|&i| off + i as i64).collect();
                let n = if neg.is_empty() {
                    Vec::new()
                } else {
                    neg.iter().map(|&i| off + i as i64).collect()
                };
                (f, n)
            })
            .filter(|(_, n)| !n.is_empty())
            .collect();
        let long = |v: &[i64]| Tensor::from_slice(v).to_device(dev);
        let double = |v: &[f64]| Tensor::from_slice(v).to_device(dev);
        match loss {
            Loss::Pairwise => {
                let (mut p, mut q, mut w) = (Vec::new(), Vec::new(), Vec::new());
                for (f, n) in &sets {
                    let wt = 1.0 / (f.len() * n.len()) as f64;
                    for &a in f {
                        for &b in n {
                            p.push(a);
                            q.push(b);
                            w.push(wt);
                        }
                    }
                }
                Objective::Pairwise {
                    p: long(&p),
                    q: long(&q),
                    w: double(&w),
                }
            }
            Loss::Listwise => {
                let width = sets
                    .iter()
                    .map(|(f, n)| f.len() + n.len())
                    .max()
                    .unwrap_or(1);
                let (mut idx, mut valid, mut target) = (Vec::new(), Vec::new(), Vec::new());
                for (f, n) in &sets {
                    let t = 1.0 / f.len() as f64;
                    for k in 0..width {
                        let (i, v, tg) = if k < f.len() {
                            (f[k], true, t)
                        } else if k < f.len() + n.len() {
                            (n[k - f.len()], true, 0.0)
                        } else {
                            (0, false, 0.0)
                        };
                        idx.push(i);
                        valid.push(v);
                        target.push(tg);
                    }
                }
                let shape = [sets.len() as i64, width as i64];
                Objective::Listwise {
                    idx: long(&idx),
                    valid: Tensor::from_slice(&valid).to_device(dev).view(shape),
                    target: double(&target).view(shape),
                }
            }
        }
    }

    /// Summed loss over the cases (each case weighted 1).
    fn loss(&self, s: &Tensor) -> Tensor {
        match self {
            Objective::Pairwise { p, q, w } => {
                let m = s.index_select(0, p) - s.index_select(0, q);
                // log(1 + e^-m) = -log σ(m): stable, and its gradient at the
                // many exact ties (m = 0) is the true -1/2.
                (m.log_sigmoid().neg() * w).sum(Kind::Double)
            }
            Objective::Listwise { idx, valid, target } => {
                let sel = s.index_select(0, idx).view(valid.size().as_slice());
                let logits = sel.masked_fill(&valid.logical_not(), f64::NEG_INFINITY);
                let lse = logits.logsumexp([1i64].as_slice(), true);
                let logp = (&sel - lse).masked_fill(&valid.logical_not(), 0.0);
                (target * logp).sum(Kind::Double).neg()
            }
        }
    }
}

impl Default for TchBackend {
    fn default() -> Self {
        Self::new()
    }
}

/// SWAR popcount of every int64 element (two's complement bit patterns; the
/// masks keep arithmetic shifts from leaking sign bits into the counts).
fn popcount(x: &Tensor) -> Tensor {
    let x = x - x
        .bitwise_right_shift_tensor_scalar(1)
        .bitwise_and(0x5555_5555_5555_5555i64);
    let x = x.bitwise_and(0x3333_3333_3333_3333i64)
        + x.bitwise_right_shift_tensor_scalar(2)
            .bitwise_and(0x3333_3333_3333_3333i64);
    let x = (&x + x.bitwise_right_shift_tensor_scalar(4)).bitwise_and(0x0f0f_0f0f_0f0f_0f0fi64);
    (x * 0x0101_0101_0101_0101i64)
        .bitwise_right_shift_tensor_scalar(56)
        .bitwise_and(0xffi64)
}

fn load_torch_cuda() -> Result<(), libloading::Error> {
    use libloading::os::unix::{Library, RTLD_GLOBAL, RTLD_NOW};
    // SAFETY: loading libtorch_cuda only runs its static initialisers, which
    // register the CUDA backend with the already loaded libtorch_cpu.
    let lib = unsafe { Library::open(Some("libtorch_cuda.so"), RTLD_NOW | RTLD_GLOBAL)? };
    // Stays loaded for the life of the process: torch keeps pointers into it.
    std::mem::forget(lib);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::localize::ranker;
    use crate::localize::sbfl::{ranking, score_reference};
    use crate::localize::spectrum::pack_bits;

    #[test]
    fn tch_forward_pass_equals_the_plain_rust_one() {
        let cs = ranker::synthetic_cases();
        let backend = TchBackend::new();
        for scorer in [Scorer::Linear, Scorer::Mlp] {
            let o = TrainOptions {
                scorer,
                epochs: 40,
                ..TrainOptions::default()
            };
            let refs: Vec<&RankCase> = cs.iter().collect();
            let m = ranker::train(&refs, &o);
            for c in &cs {
                let got = backend.scores(&m, &c.rows);
                for (r, g) in c.rows.iter().zip(&got) {
                    let want = m.score(r);
                    assert!(
                        (g - want).abs() <= 1e-9 * want.abs().max(1.0),
                        "{g} vs {want}"
                    );
                }
            }
        }
    }

    #[test]
    fn tch_trainer_takes_the_plain_rust_trainers_steps() {
        let cs = ranker::synthetic_cases();
        let refs: Vec<&RankCase> = cs.iter().collect();
        let backend = TchBackend::new();
        let params = |m: &Model| -> Vec<f64> {
            let mut p = m.weights.clone();
            if let Some(h) = &m.hidden {
                p.extend(h.w.iter().chain(&h.b).chain(&h.out));
            }
            p
        };
        // The linear scorer starts at w = 0, where every pair is an exact tie.
        for scorer in [Scorer::Linear, Scorer::Mlp] {
            for loss in [Loss::Pairwise, Loss::Listwise] {
                let o = TrainOptions {
                    scorer,
                    loss,
                    epochs: 60,
                    dropped: vec![5],
                    ..TrainOptions::default()
                };
                let cpu = ranker::train(&refs, &o);
                let tch = backend.train(&refs, &o);
                assert_eq!(tch.kind, cpu.kind);
                let (pc, pt) = (params(&cpu), params(&tch));
                assert_eq!(pc.len(), pt.len());
                for (a, b) in pc.iter().zip(&pt) {
                    assert!((a - b).abs() < 1e-6, "{scorer:?} {loss:?}: {a} vs {b}");
                }
                assert_eq!(tch.weights[5], 0.0);
                for c in &cs {
                    let best = (0..c.rows.len())
                        .max_by(|&a, &b| tch.score(&c.rows[a]).total_cmp(&tch.score(&c.rows[b])))
                        .unwrap();
                    assert_eq!(best, c.faults[0]);
                }
            }
        }
    }

    #[test]
    fn tensor_backend_matches_the_reference() {
        let mut state = 0x1234_5678_9abc_def1u64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let backend = TchBackend::new();
        for (rows, cols) in [(3, 1), (50, 70), (300, 257)] {
            let mut hits = BitMatrix::new(rows, cols);
            for r in 0..rows {
                for c in 0..cols {
                    if next().is_multiple_of(3) {
                        hits.set(r, c);
                    }
                }
            }
            let failed: Vec<bool> = (0..cols).map(|_| next().is_multiple_of(4)).collect();
            let mut mask = pack_bits(failed.iter().copied());
            mask.resize(hits.words_per_row(), 0);
            let got = backend.score_rows(&hits, &mask, &Formula::ALL);
            for (i, f) in Formula::ALL.into_iter().enumerate() {
                let want = score_reference(&hits, &failed, f);
                for (a, b) in got[i].iter().zip(&want) {
                    assert!((a - b).abs() <= 1e-9 * b.abs().max(1.0), "{f}: {a} vs {b}");
                }
                assert_eq!(ranking(&got[i]), ranking(&want), "{f}");
            }
        }
    }
}
