//! Per-service state kept from the sensor: syscall latency histograms, error rates, last crash.

use std::collections::BTreeMap;

use hdrhistogram::Histogram;
use healer_common::{LATENCY_BUCKETS, MAX_ERRNO, SyscallErrors, SyscallStats};
use serde::Serialize;

use super::event::{Crash, Event, syscall_name};

/// Kernel aggregate of one syscall of one cgroup, summed over CPUs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SyscallAggregate {
    pub syscall_nr: u32,
    pub syscall: String,
    pub count: u64,
    pub errors: u64,
    pub total_ns: u64,
    /// Log2 buckets: `buckets[i]` counts latencies in `[2^(i-1), 2^i)` ns.
    pub buckets: Vec<u64>,
    /// errno → count, only non-zero entries.
    pub errnos: BTreeMap<i32, u64>,
}

impl SyscallAggregate {
    pub fn from_percpu<'a>(
        syscall_nr: u32,
        stats: impl IntoIterator<Item = &'a SyscallStats>,
        errors: impl IntoIterator<Item = &'a SyscallErrors>,
    ) -> Self {
        let mut agg = Self {
            syscall_nr,
            syscall: syscall_name(syscall_nr),
            count: 0,
            errors: 0,
            total_ns: 0,
            buckets: vec![0; LATENCY_BUCKETS],
            errnos: BTreeMap::new(),
        };
        for s in stats {
            agg.count += s.count;
            agg.errors += s.errors;
            agg.total_ns += s.total_ns;
            for (dst, src) in agg.buckets.iter_mut().zip(s.buckets.iter()) {
                *dst += src;
            }
        }
        for e in errors {
            for (errno, &n) in e.by_errno.iter().enumerate().take(MAX_ERRNO) {
                if n > 0 {
                    *agg.errnos.entry(errno as i32).or_default() += n;
                }
            }
        }
        agg
    }

    /// Bounds `[lo, hi)` of log2 bucket `i` in ns.
    pub fn bucket_bounds(i: usize) -> (u64, u64) {
        if i == 0 {
            (0, 1)
        } else if i >= 64 {
            (1 << 63, u64::MAX)
        } else {
            (1u64 << (i - 1), 1u64 << i)
        }
    }

    /// Index of the bucket a latency falls into (the kernel's computation).
    pub fn bucket_of(ns: u64) -> usize {
        ((64 - ns.leading_zeros()) as usize).min(LATENCY_BUCKETS - 1)
    }

    /// An HDR histogram of the latencies, each bucket's count recorded at its geometric
    /// middle (the kernel keeps log2 resolution only).
    pub fn histogram(&self) -> Histogram<u64> {
        let mut h = latency_histogram();
        for (i, &n) in self.buckets.iter().enumerate() {
            if n == 0 {
                continue;
            }
            let (lo, hi) = Self::bucket_bounds(i);
            let mid = if lo == 0 {
                0
            } else {
                ((lo as f64) * (hi as f64)).sqrt() as u64
            };
            h.saturating_record_n(mid, n);
        }
        h
    }

    pub fn error_rate(&self) -> f64 {
        if self.count == 0 {
            0.0
        } else {
            self.errors as f64 / self.count as f64
        }
    }
}

/// A histogram for nanosecond latencies up to about an hour at 3 significant digits.
/// Fixed bounds: `saturating_record` on an auto-resizing histogram would clamp instead of grow.
pub fn latency_histogram() -> Histogram<u64> {
    Histogram::new_with_bounds(1, 1 << 42, 3).expect("static bounds are valid")
}

/// What the sensor knows about one watched service (one cgroup).
#[derive(Default)]
pub struct ServiceState {
    pub syscalls: BTreeMap<u32, SyscallAggregate>,
    /// Latencies of slow syscalls seen as individual events, at full resolution.
    pub slow_latency: BTreeMap<u32, Histogram<u64>>,
    pub last_crash: Option<Crash>,
    pub events: u64,
    pub crashes: u64,
    pub exits: u64,
    pub ooms: u64,
}

impl ServiceState {
    pub fn record(&mut self, ev: &Event) {
        self.events += 1;
        match ev {
            Event::Crash(c) => {
                self.crashes += 1;
                self.last_crash = Some(c.clone());
            }
            Event::Exit(_) => self.exits += 1,
            Event::Oom(_) => self.ooms += 1,
            Event::SlowSyscall(s) => {
                let h = self
                    .slow_latency
                    .entry(s.syscall_nr)
                    .or_insert_with(latency_histogram);
                h.saturating_record(s.latency_ns);
            }
            Event::Exec(_) | Event::CgroupCreated(_) => {}
        }
    }

    /// Replaces the kernel aggregates with a fresh read.
    pub fn update_syscalls(&mut self, aggs: Vec<SyscallAggregate>) {
        self.syscalls = aggs.into_iter().map(|a| (a.syscall_nr, a)).collect();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_match_the_kernel_and_histogram_lands_in_range() {
        assert_eq!(SyscallAggregate::bucket_of(0), 0);
        assert_eq!(SyscallAggregate::bucket_of(1), 1);
        assert_eq!(SyscallAggregate::bucket_of(1023), 10);
        assert_eq!(SyscallAggregate::bucket_of(1024), 11);
        let ms200 = 200_000_000u64;
        let b = SyscallAggregate::bucket_of(ms200);
        let (lo, hi) = SyscallAggregate::bucket_bounds(b);
        assert!(lo <= ms200 && ms200 < hi);

        let mut s: SyscallStats = unsafe { std::mem::zeroed() };
        s.count = 3;
        s.buckets[b] = 2;
        s.buckets[1] = 1;
        s.errors = 1;
        let mut e: SyscallErrors = unsafe { std::mem::zeroed() };
        e.by_errno[13] = 1;
        let agg = SyscallAggregate::from_percpu(35, [&s, &s], [&e]);
        assert_eq!(agg.count, 6);
        assert_eq!(agg.buckets[b], 4);
        assert_eq!(agg.errnos.get(&13), Some(&1));
        assert!((agg.error_rate() - 2.0 / 6.0).abs() < 1e-9);
        let h = agg.histogram();
        assert_eq!(h.len(), 6);
        assert!(
            h.max() >= lo && h.max() < hi,
            "{} not in [{lo}, {hi})",
            h.max()
        );
        assert!(h.value_at_quantile(0.5) >= lo);
    }
}
