//! Program spectra: which elements (source lines) ran in which runs (tests),
//! stored as a bit-packed elements × runs matrix plus the pass/fail vector.

use std::collections::HashMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// A program element: one source line, relative to the repository root.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Element {
    pub file: PathBuf,
    pub line: u32,
}

/// One execution (a test) and its verdict.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Run {
    pub name: String,
    pub failed: bool,
}

/// Row-major bit matrix: row = element, column = run. Each row is padded to
/// whole 64-bit words so a row's counts are a popcount over its words.
#[derive(Debug, Clone, PartialEq)]
pub struct BitMatrix {
    rows: usize,
    cols: usize,
    words_per_row: usize,
    words: Vec<u64>,
}

impl BitMatrix {
    pub fn new(rows: usize, cols: usize) -> Self {
        let words_per_row = cols.div_ceil(64);
        BitMatrix {
            rows,
            cols,
            words_per_row,
            words: vec![0; rows * words_per_row],
        }
    }

    /// A matrix over existing words (`rows * cols.div_ceil(64)` of them, padding bits zero).
    pub fn from_words(rows: usize, cols: usize, words: Vec<u64>) -> Self {
        let words_per_row = cols.div_ceil(64);
        assert_eq!(
            words.len(),
            rows * words_per_row,
            "word count matches shape"
        );
        BitMatrix {
            rows,
            cols,
            words_per_row,
            words,
        }
    }

    pub fn rows(&self) -> usize {
        self.rows
    }
    pub fn cols(&self) -> usize {
        self.cols
    }
    pub fn words_per_row(&self) -> usize {
        self.words_per_row
    }
    pub fn words(&self) -> &[u64] {
        &self.words
    }

    /// Give the storage back (to reuse a buffer).
    pub fn into_words(self) -> Vec<u64> {
        self.words
    }

    pub fn set(&mut self, row: usize, col: usize) {
        assert!(row < self.rows && col < self.cols, "bit inside the matrix");
        self.words[row * self.words_per_row + col / 64] |= 1u64 << (col % 64);
    }

    pub fn get(&self, row: usize, col: usize) -> bool {
        self.words[row * self.words_per_row + col / 64] >> (col % 64) & 1 == 1
    }

    pub fn row(&self, row: usize) -> &[u64] {
        &self.words[row * self.words_per_row..(row + 1) * self.words_per_row]
    }
}

/// Pack a boolean vector into words (bit i of word i/64).
pub fn pack_bits(bits: impl IntoIterator<Item = bool>) -> Vec<u64> {
    let mut out = Vec::new();
    for (i, b) in bits.into_iter().enumerate() {
        if i % 64 == 0 {
            out.push(0);
        }
        if b {
            *out.last_mut().expect("pushed above") |= 1u64 << (i % 64);
        }
    }
    out
}

/// A collected spectrum.
#[derive(Debug, Clone)]
pub struct Spectrum {
    pub elements: Vec<Element>,
    pub runs: Vec<Run>,
    pub hits: BitMatrix,
}

impl Spectrum {
    /// The failed runs as a packed column mask.
    pub fn fail_mask(&self) -> Vec<u64> {
        let mut m = pack_bits(self.runs.iter().map(|r| r.failed));
        m.resize(self.hits.words_per_row(), 0);
        m
    }

    pub fn failed_runs(&self) -> usize {
        self.runs.iter().filter(|r| r.failed).count()
    }
}

/// Accumulates runs (each a set of executed elements) into a [`Spectrum`].
#[derive(Debug, Default)]
pub struct SpectrumBuilder {
    index: HashMap<Element, usize>,
    elements: Vec<Element>,
    runs: Vec<Run>,
    /// Per run, the indices of the elements it executed.
    executed: Vec<Vec<usize>>,
}

impl SpectrumBuilder {
    pub fn add_run(&mut self, run: Run, executed: impl IntoIterator<Item = Element>) {
        let mut idx = Vec::new();
        for e in executed {
            let next = self.elements.len();
            let i = *self.index.entry(e.clone()).or_insert(next);
            if i == next {
                self.elements.push(e);
            }
            idx.push(i);
        }
        self.runs.push(run);
        self.executed.push(idx);
    }

    pub fn run_count(&self) -> usize {
        self.runs.len()
    }

    /// Elements sorted by (file, line) so ties keep source order.
    pub fn build(self) -> Spectrum {
        let mut order: Vec<usize> = (0..self.elements.len()).collect();
        order.sort_by(|&a, &b| self.elements[a].cmp(&self.elements[b]));
        let mut new_index = vec![0; order.len()];
        for (new, &old) in order.iter().enumerate() {
            new_index[old] = new;
        }
        let mut hits = BitMatrix::new(order.len(), self.runs.len());
        for (col, ex) in self.executed.iter().enumerate() {
            for &old in ex {
                hits.set(new_index[old], col);
            }
        }
        let elements = order.iter().map(|&o| self.elements[o].clone()).collect();
        Spectrum {
            elements,
            runs: self.runs,
            hits,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn el(f: &str, l: u32) -> Element {
        Element {
            file: f.into(),
            line: l,
        }
    }

    #[test]
    fn bits_round_trip_across_word_boundaries() {
        let mut m = BitMatrix::new(3, 130);
        for (r, c) in [(0, 0), (0, 63), (0, 64), (1, 129), (2, 65)] {
            m.set(r, c);
        }
        assert_eq!(m.words_per_row(), 3);
        assert!(m.get(0, 63) && m.get(0, 64) && m.get(1, 129) && m.get(2, 65));
        assert!(!m.get(0, 1) && !m.get(1, 128) && !m.get(2, 64));
        assert_eq!(m.row(0), &[1 | 1 << 63, 1, 0]);
        assert_eq!(pack_bits([true, false, true]), vec![0b101]);
        assert_eq!(pack_bits((0..65).map(|i| i == 64)), vec![0, 1]);
    }

    #[test]
    fn builder_interns_elements_and_sorts_them() {
        let mut b = SpectrumBuilder::default();
        b.add_run(
            Run {
                name: "t1".into(),
                failed: false,
            },
            [el("b.py", 2), el("a.py", 9)],
        );
        b.add_run(
            Run {
                name: "t2".into(),
                failed: true,
            },
            [el("a.py", 9), el("a.py", 3)],
        );
        let s = b.build();
        assert_eq!(
            s.elements,
            vec![el("a.py", 3), el("a.py", 9), el("b.py", 2)]
        );
        assert!(!s.hits.get(0, 0) && s.hits.get(0, 1));
        assert!(s.hits.get(1, 0) && s.hits.get(1, 1));
        assert!(s.hits.get(2, 0) && !s.hits.get(2, 1));
        assert_eq!(s.fail_mask(), vec![0b10]);
    }
}
