//! CUDA backend (cargo feature `cuda`): the SBFL counts and formulas as
//! libtorch tensor operations through tch, on the GPU when one is usable.
//!
//! rustc links with `--as-needed`, which drops `libtorch_cuda.so`, so CUDA is
//! switched on by loading it at run time; when that fails (no GPU, CPU-only
//! libtorch) the backend logs one line and computes on libtorch's CPU device.

use tch::{Device, Kind, Tensor};

use super::sbfl::Formula;
use super::spectrum::BitMatrix;

pub struct TchBackend {
    pub device: Device,
}

impl TchBackend {
    /// CUDA device 0 when libtorch_cuda loads and sees a GPU, else the CPU.
    pub fn new() -> Self {
        let device = match load_torch_cuda() {
            Ok(()) if tch::Cuda::is_available() => Device::Cuda(0),
            Ok(()) => {
                tracing::warn!("libtorch_cuda loaded but no CUDA device: SBFL on the CPU");
                Device::Cpu
            }
            Err(e) => {
                tracing::warn!(error = %e, "libtorch_cuda not loadable: SBFL on the CPU");
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
    use crate::localize::sbfl::{ranking, score_reference};
    use crate::localize::spectrum::pack_bits;

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
