//! Spectrum-based fault localization formulas over (ef, ep, nf, np), and the
//! CPU kernel: popcounts over bit-packed rows, parallel over elements.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::spectrum::{BitMatrix, Spectrum};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Formula {
    Ochiai,
    /// DStar with star = 2.
    Dstar,
    Tarantula,
    Op2,
    Barinel,
}

impl Formula {
    pub const ALL: [Formula; 5] = [
        Formula::Ochiai,
        Formula::Dstar,
        Formula::Tarantula,
        Formula::Op2,
        Formula::Barinel,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Formula::Ochiai => "ochiai",
            Formula::Dstar => "dstar",
            Formula::Tarantula => "tarantula",
            Formula::Op2 => "op2",
            Formula::Barinel => "barinel",
        }
    }

    /// Suspiciousness of one element; higher is more suspicious.
    pub fn score(self, c: Counts) -> f64 {
        let (ef, ep, nf, np) = (c.ef as f64, c.ep as f64, c.nf as f64, c.np as f64);
        match self {
            Formula::Ochiai => {
                let d = ((ef + nf) * (ef + ep)).sqrt();
                if d == 0.0 { 0.0 } else { ef / d }
            }
            Formula::Dstar => {
                let d = ep + nf;
                if d == 0.0 {
                    // Executed by every failing run and no passing one: maximal.
                    if ef > 0.0 { f64::MAX } else { 0.0 }
                } else {
                    ef * ef / d
                }
            }
            Formula::Tarantula => {
                let f = if ef + nf == 0.0 { 0.0 } else { ef / (ef + nf) };
                let p = if ep + np == 0.0 { 0.0 } else { ep / (ep + np) };
                if f + p == 0.0 { 0.0 } else { f / (f + p) }
            }
            Formula::Op2 => ef - ep / (ep + np + 1.0),
            Formula::Barinel => {
                if ef + ep == 0.0 {
                    0.0
                } else {
                    1.0 - ep / (ep + ef)
                }
            }
        }
    }
}

impl fmt::Display for Formula {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Formula {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Formula::ALL
            .into_iter()
            .find(|f| f.name() == s.to_ascii_lowercase())
            .ok_or_else(|| {
                format!("unknown formula `{s}` (ochiai, dstar, tarantula, op2, barinel)")
            })
    }
}

/// Executed-failed, executed-passed, not-executed-failed, not-executed-passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Counts {
    pub ef: u32,
    pub ep: u32,
    pub nf: u32,
    pub np: u32,
}

/// Counts of one packed row against the packed failure mask.
#[inline]
pub fn row_counts(row: &[u64], fail_mask: &[u64], failed: u32, passed: u32) -> Counts {
    let mut ef = 0u32;
    let mut e = 0u32;
    for (w, m) in row.iter().zip(fail_mask) {
        ef += (w & m).count_ones();
        e += w.count_ones();
    }
    let ep = e - ef;
    Counts {
        ef,
        ep,
        nf: failed - ef,
        np: passed - ep,
    }
}

/// Scores of every row of `hits` under each of `formulas`, computed in one
/// pass over the matrix, rows split across `threads` scoped threads.
/// Returns one score vector per formula.
pub fn score_rows(
    hits: &BitMatrix,
    fail_mask: &[u64],
    formulas: &[Formula],
    threads: usize,
) -> Vec<Vec<f64>> {
    let rows = hits.rows();
    let failed: u32 = fail_mask.iter().map(|w| w.count_ones()).sum();
    let passed = hits.cols() as u32 - failed;
    let mut out: Vec<Vec<f64>> = formulas.iter().map(|_| vec![0.0; rows]).collect();
    let threads = threads.clamp(1, rows.max(1));
    let chunk = rows.div_ceil(threads).max(1);
    // Row-interleaved output per thread, transposed back afterwards.
    let mut parts: Vec<Vec<f64>> = vec![Vec::new(); threads];
    std::thread::scope(|s| {
        for (t, part) in parts.iter_mut().enumerate() {
            let lo = (t * chunk).min(rows);
            let hi = ((t + 1) * chunk).min(rows);
            s.spawn(move || {
                part.reserve((hi - lo) * formulas.len());
                for r in lo..hi {
                    let c = row_counts(hits.row(r), fail_mask, failed, passed);
                    for f in formulas {
                        part.push(f.score(c));
                    }
                }
            });
        }
    });
    let nf = formulas.len();
    for (t, part) in parts.iter().enumerate() {
        let lo = (t * chunk).min(rows);
        for (i, v) in part.iter().enumerate() {
            out[i % nf][lo + i / nf] = *v;
        }
    }
    out
}

/// Scores of a collected spectrum under one formula.
pub fn score_spectrum(s: &Spectrum, formula: Formula) -> Vec<f64> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    score_rows(&s.hits, &s.fail_mask(), &[formula], threads)
        .pop()
        .expect("one formula in, one vector out")
}

/// The straightforward definition, bit by bit: the parity reference for the kernels.
pub fn score_reference(hits: &BitMatrix, failed: &[bool], formula: Formula) -> Vec<f64> {
    (0..hits.rows())
        .map(|r| {
            let mut c = Counts::default();
            for (col, &f) in failed.iter().enumerate() {
                match (hits.get(r, col), f) {
                    (true, true) => c.ef += 1,
                    (true, false) => c.ep += 1,
                    (false, true) => c.nf += 1,
                    (false, false) => c.np += 1,
                }
            }
            formula.score(c)
        })
        .collect()
}

/// Indices sorted by descending score; ties keep index (source) order.
pub fn ranking(scores: &[f64]) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..scores.len()).collect();
    idx.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]).then(a.cmp(&b)));
    idx
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::localize::spectrum::pack_bits;

    fn c(ef: u32, ep: u32, nf: u32, np: u32) -> Counts {
        Counts { ef, ep, nf, np }
    }

    #[test]
    fn formulas_match_hand_computed_values() {
        // 2 failing, 4 passing runs; the element ran in both failing and 1 passing.
        let k = c(2, 1, 0, 3);
        let close = |a: f64, b: f64| (a - b).abs() < 1e-12;
        assert!(close(Formula::Ochiai.score(k), 2.0 / (2.0f64 * 3.0).sqrt()));
        assert!(close(Formula::Dstar.score(k), 4.0));
        // (2/2) / (2/2 + 1/4) = 0.8
        assert!(close(Formula::Tarantula.score(k), 0.8));
        // 2 - 1/5
        assert!(close(Formula::Op2.score(k), 1.8));
        // 1 - 1/3
        assert!(close(Formula::Barinel.score(k), 2.0 / 3.0));
        // Never executed: nothing suspicious.
        let z = c(0, 0, 2, 4);
        for f in Formula::ALL {
            assert!(f.score(z) <= 0.0, "{f}");
        }
        // Only failing runs executed it: DStar saturates instead of dividing by zero.
        assert_eq!(Formula::Dstar.score(c(2, 0, 0, 4)), f64::MAX);
        assert!(close(
            Formula::Ochiai.score(c(1, 0, 1, 4)),
            1.0 / 2f64.sqrt()
        ));
    }

    #[test]
    fn parse_names() {
        assert_eq!("DStar".parse::<Formula>().unwrap(), Formula::Dstar);
        assert!("nope".parse::<Formula>().is_err());
    }

    /// xorshift64*: deterministic random spectra without a dependency.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
        }
    }

    #[test]
    fn cpu_kernel_matches_the_reference_on_random_spectra() {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        for (rows, cols, threads) in [(1, 1, 1), (37, 65, 3), (500, 200, 4), (64, 129, 2)] {
            let mut hits = BitMatrix::new(rows, cols);
            for r in 0..rows {
                for col in 0..cols {
                    if rng.next().is_multiple_of(3) {
                        hits.set(r, col);
                    }
                }
            }
            let failed: Vec<bool> = (0..cols).map(|_| rng.next().is_multiple_of(5)).collect();
            let mut mask = pack_bits(failed.iter().copied());
            mask.resize(hits.words_per_row(), 0);
            let got = score_rows(&hits, &mask, &Formula::ALL, threads);
            for (fi, f) in Formula::ALL.into_iter().enumerate() {
                let want = score_reference(&hits, &failed, f);
                for (a, b) in got[fi].iter().zip(&want) {
                    assert!((a - b).abs() <= 1e-9 * b.abs().max(1.0), "{f}: {a} vs {b}");
                }
                assert_eq!(ranking(&got[fi]), ranking(&want), "{f} ranking");
            }
        }
    }
}
