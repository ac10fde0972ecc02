//! `cargo xtask bench localize`: time and peak memory of SBFL scoring on
//! synthetic random spectra of 10^4, 10^5 and 10^6 runs × 10^5 elements.
//!
//! The bit matrix is generated and scored in blocks of elements (rows), so
//! the 10^6-run size (12.5 GB of bits) streams through a bounded buffer;
//! only scoring is timed, generation is not. The kernel is the same
//! `healer_daemon::localize::sbfl::score_rows` the localizers use.
use std::time::Instant;

use anyhow::{Context as _, bail};
use healer_daemon::localize::sbfl::{Formula, score_rows};
use healer_daemon::localize::spectrum::BitMatrix;
use serde_json::json;

const ELEMENTS: usize = 100_000;
const RUN_SIZES: [usize; 3] = [10_000, 100_000, 1_000_000];
/// Upper bound on one block of rows, in bytes.
const BLOCK_BYTES: usize = 512 << 20;

/// splitmix64: fast, decent random words for synthetic spectra.
struct SplitMix(u64);
impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

/// Peak resident set size of this process since the last reset, in MiB.
fn peak_rss_mib() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let kb: f64 = s
        .lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()?;
    Some(kb / 1024.0)
}

/// Reset the peak RSS counter (Linux: writing 5 to clear_refs).
fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

pub fn run(json_out: bool) -> anyhow::Result<()> {
    if cfg!(debug_assertions) && std::env::var_os("HEALER_BENCH_NO_REEXEC").is_none() {
        // Kernel timings of an unoptimised build mean nothing: re-run in release.
        let status = std::process::Command::new(std::env::var("CARGO").unwrap_or("cargo".into()))
            .args([
                "run",
                "--release",
                "--quiet",
                "-p",
                "xtask",
                "--",
                "bench",
                "localize",
            ])
            .args(json_out.then_some("--json"))
            .env("HEALER_BENCH_NO_REEXEC", "1")
            .status()
            .context("re-running the benchmark in release mode")?;
        if !status.success() {
            bail!("release benchmark failed: {status}");
        }
        return Ok(());
    }
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    #[cfg(feature = "cuda")]
    let tch_backend = healer_daemon::localize::cuda::TchBackend::new();
    let mut rows_out = Vec::new();
    for runs in RUN_SIZES {
        reset_peak();
        let wpr = runs.div_ceil(64);
        let block_rows = (BLOCK_BYTES / (wpr * 8)).clamp(1, ELEMENTS);
        let mut rng = SplitMix(runs as u64);
        // 10% failing runs.
        let mut mask = vec![0u64; wpr];
        for (i, w) in mask.iter_mut().enumerate() {
            for b in 0..64 {
                if i * 64 + b < runs && rng.next().is_multiple_of(10) {
                    *w |= 1 << b;
                }
            }
        }
        let mut cpu_s = 0.0;
        #[allow(unused_mut)]
        let mut cuda_s: Option<f64> = None;
        let mut checksum = 0.0f64;
        let mut done = 0;
        let mut words = Vec::new();
        while done < ELEMENTS {
            let rows = block_rows.min(ELEMENTS - done);
            words.clear();
            words.reserve(rows * wpr);
            let tail = runs % 64;
            for _ in 0..rows {
                for j in 0..wpr {
                    let mut w = rng.next();
                    if j == wpr - 1 && tail != 0 {
                        w &= (1u64 << tail) - 1;
                    }
                    words.push(w);
                }
            }
            let m = BitMatrix::from_words(rows, runs, std::mem::take(&mut words));
            let t = Instant::now();
            let s = score_rows(&m, &mask, &[Formula::Ochiai], threads);
            cpu_s += t.elapsed().as_secs_f64();
            checksum += s[0].iter().sum::<f64>();
            #[cfg(feature = "cuda")]
            if tch_backend.is_cuda() {
                let t = Instant::now();
                let g = tch_backend.score_rows(&m, &mask, &[Formula::Ochiai]);
                *cuda_s.get_or_insert(0.0) += t.elapsed().as_secs_f64();
                assert_eq!(g[0].len(), s[0].len());
            }
            words = m.into_words();
            done += rows;
        }
        rows_out.push(json!({
            "runs": runs,
            "elements": ELEMENTS,
            "bits_gb": (runs as f64 * ELEMENTS as f64) / 8e9,
            "block_elements": block_rows,
            "threads": threads,
            "formula": "ochiai",
            "cpu_s": cpu_s,
            "cuda_s": cuda_s,
            "cuda_note": if cuda_s.is_some() { "tch on CUDA device 0, includes host→device copy" } else { "not run: built without the `cuda` feature, or no usable GPU" },
            "peak_rss_mib": peak_rss_mib(),
            "checksum": checksum,
        }));
    }
    let out = json!({ "sizes": rows_out });
    if json_out {
        println!("{}", serde_json::to_string_pretty(&out)?);
    } else {
        println!(
            "| runs × elements | bits (GB) | block (elements) | cpu_s | cuda_s | peak RSS (MiB) |"
        );
        println!("|---|---|---|---|---|---|");
        for r in &rows_out {
            println!(
                "| {} × {} | {:.2} | {} | {:.3} | {} | {:.0} |",
                r["runs"],
                r["elements"],
                r["bits_gb"].as_f64().unwrap_or(0.0),
                r["block_elements"],
                r["cpu_s"].as_f64().unwrap_or(f64::NAN),
                if r["cuda_s"].is_null() {
                    "null".to_string()
                } else {
                    r["cuda_s"].to_string()
                },
                r["peak_rss_mib"].as_f64().unwrap_or(f64::NAN)
            );
        }
        println!("({threads} threads)");
    }
    Ok(())
}
