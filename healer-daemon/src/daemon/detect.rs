//! Detection: turning sensor events and syscall aggregates of one service into faults.
//! [`Detector`] is the plug-in point; [`PolicyDetector`] applies a service's policy.

use std::{
    collections::{BTreeMap, HashMap, VecDeque},
    time::{Duration, Instant},
};

use crate::{
    config::Policy,
    sense::{
        Event, SyscallAggregate,
        event::{signal_name, syscall_name},
    },
};

use super::incident::{FaultKind, StackFrame};

/// What a detector found.
#[derive(Clone, Debug, PartialEq)]
pub struct Fault {
    pub kind: FaultKind,
    pub signal: Option<i32>,
    pub exit_code: Option<i32>,
    pub pid: Option<u32>,
    pub frames: Vec<StackFrame>,
    /// One line saying what happened, for the incident's evidence and the audit entry.
    pub summary: String,
}

impl Fault {
    fn new(kind: FaultKind, summary: String) -> Self {
        Self {
            kind,
            signal: None,
            exit_code: None,
            pid: None,
            frames: Vec::new(),
            summary,
        }
    }
}

/// What a detector knows of the service an input belongs to.
pub struct ServiceView<'a> {
    pub unit: &'a str,
    pub policy: &'a Policy,
    /// The unit's main process as systemd last reported it (0: none known).
    pub main_pid: u32,
}

/// Turns what the sensor saw of one service into faults.
pub trait Detector: Send {
    /// One event of the service's cgroup.
    fn on_event(&mut self, svc: &ServiceView<'_>, ev: &Event, now: Instant) -> Vec<Fault>;
    /// The service's cumulative syscall aggregates (as the kernel keeps them), polled
    /// periodically.
    fn on_stats(
        &mut self,
        svc: &ServiceView<'_>,
        aggs: &[SyscallAggregate],
        now: Instant,
    ) -> Vec<Fault>;
    /// The service's cgroup changed (restart) or it is no longer watched: its cumulative
    /// counters start again from zero.
    fn reset_stats(&mut self, unit: &str);
    /// Forget the service altogether.
    fn forget(&mut self, unit: &str);
}

/// Tunables of [`PolicyDetector`] that policies do not (yet) set.
#[derive(Clone, Debug)]
pub struct DetectorOptions {
    /// This many crashes within `crash_loop_window` make a crash loop.
    pub crash_loop_crashes: usize,
    pub crash_loop_window: Duration,
    /// A p99 over fewer calls than this (in one poll interval) is noise, not a breach.
    pub min_latency_samples: u64,
}

impl Default for DetectorOptions {
    fn default() -> Self {
        Self {
            crash_loop_crashes: 3,
            crash_loop_window: Duration::from_secs(300),
            min_latency_samples: 20,
        }
    }
}

/// Per service: recent crash times, and the last syscall snapshot to take deltas against.
#[derive(Default)]
struct ServiceMemory {
    crashes: VecDeque<Instant>,
    /// Cumulative aggregates at the previous poll, by syscall number.
    last_aggs: BTreeMap<u32, SyscallAggregate>,
    /// (time, cumulative error count) samples for the error-rate window.
    error_samples: VecDeque<(Instant, u64)>,
    /// Breaches already reported, so a lasting breach is one fault, not one per poll.
    latency_breached: BTreeMap<String, bool>,
    error_rate_breached: bool,
    /// SIGKILLs without a known sender, by pid, until the process's exit says what killed it.
    pending_kills: HashMap<u32, Fault>,
}

/// Pending SIGKILLs kept per service at most (their exits may be lost with the ring full).
const MAX_PENDING_KILLS: usize = 64;

/// Applies each service's `[watch]` policy.
#[derive(Default)]
pub struct PolicyDetector {
    opts: DetectorOptions,
    services: HashMap<String, ServiceMemory>,
}

impl PolicyDetector {
    pub fn new(opts: DetectorOptions) -> Self {
        Self {
            opts,
            services: HashMap::new(),
        }
    }

    fn memory(&mut self, unit: &str) -> &mut ServiceMemory {
        self.services.entry(unit.to_string()).or_default()
    }
}

const SIGKILL: i32 = 9;

/// Signals whose default action is to dump core: the ones a program's own fault raises.
fn is_core_signal(signal: i32) -> bool {
    matches!(
        signal,
        libc::SIGQUIT
            | libc::SIGILL
            | libc::SIGTRAP
            | libc::SIGABRT
            | libc::SIGBUS
            | libc::SIGFPE
            | libc::SIGSEGV
            | libc::SIGXCPU
            | libc::SIGXFSZ
            | libc::SIGSYS
    )
}

impl Detector for PolicyDetector {
    fn on_event(&mut self, svc: &ServiceView<'_>, ev: &Event, now: Instant) -> Vec<Fault> {
        let watch = &svc.policy.watch;
        match ev {
            Event::Crash(c) => {
                // A SIGKILL another process sent (systemd's stop timeout, an operator) is
                // not the service's fault; the OOM killer's shows up as an Oom event.
                if !watch.crashes || (c.signal == SIGKILL && c.sender.is_some()) {
                    return Vec::new();
                }
                // The kernel turns any fatal signal into a SIGKILL for the whole thread
                // group, so a plain `systemctl stop` (SIGTERM) also shows up as a SIGKILL
                // without sender. Only the exit status tells: wait for it.
                let pending_kill = c.signal == SIGKILL;
                // Other signals count only when their default action dumps core: those are
                // what a program's own fault raises; SIGTERM, SIGINT, ... are someone stopping it.
                if !pending_kill && !is_core_signal(c.signal) {
                    return Vec::new();
                }
                let frames: Vec<StackFrame> = c.frames.iter().map(StackFrame::from).collect();
                let top = frames
                    .iter()
                    .find(|f| f.function.is_some())
                    .map(|f| format!(" in {f}"))
                    .unwrap_or_default();
                let window = self.opts.crash_loop_window;
                let threshold = self.opts.crash_loop_crashes;
                let mem = self.memory(svc.unit);
                mem.crashes.push_back(now);
                while mem
                    .crashes
                    .front()
                    .is_some_and(|t| now.duration_since(*t) > window)
                {
                    mem.crashes.pop_front();
                }
                let recent = mem.crashes.len();
                let (kind, summary) = if recent >= threshold {
                    (
                        FaultKind::CrashLoop,
                        format!(
                            "{} crashes within {}s: {} in pid {} ({}){top}",
                            recent,
                            window.as_secs(),
                            signal_name(c.signal),
                            c.pid,
                            c.comm
                        ),
                    )
                } else {
                    (
                        FaultKind::Crash,
                        format!(
                            "{} in pid {} ({}){top}",
                            signal_name(c.signal),
                            c.pid,
                            c.comm
                        ),
                    )
                };
                let fault = Fault {
                    signal: Some(c.signal),
                    pid: Some(c.pid),
                    frames,
                    ..Fault::new(kind, summary)
                };
                if pending_kill {
                    // Not a crash yet: undo the count until the exit confirms it.
                    mem.crashes.pop_back();
                    if mem.pending_kills.len() < MAX_PENDING_KILLS {
                        mem.pending_kills.insert(c.pid, fault);
                    }
                    return Vec::new();
                }
                vec![fault]
            }
            Event::Exit(e) => {
                let threshold = self.opts.crash_loop_crashes;
                let mem = self.memory(svc.unit);
                if let Some(mut fault) = mem.pending_kills.remove(&e.pid)
                    && e.signal == Some(SIGKILL)
                {
                    mem.crashes.push_back(now);
                    if mem.crashes.len() >= threshold {
                        fault.kind = FaultKind::CrashLoop;
                    }
                    return vec![fault];
                }
                // Only the main process's status is the service's; helpers and children may
                // exit non-zero as part of normal work.
                let is_main = svc.main_pid == 0 || e.pid == svc.main_pid;
                let Some(code) = e.exit_status else {
                    return Vec::new();
                };
                let failing = if watch.failure_exit_codes.is_empty() {
                    code != 0
                } else {
                    watch.failure_exit_codes.contains(&i64::from(code))
                };
                if !is_main || !failing {
                    return Vec::new();
                }
                vec![Fault {
                    exit_code: Some(code),
                    pid: Some(e.pid),
                    ..Fault::new(
                        FaultKind::AbnormalExit,
                        format!("pid {} ({}) exited with status {code}", e.pid, e.comm),
                    )
                }]
            }
            Event::Oom(o) => vec![Fault {
                signal: Some(SIGKILL),
                pid: Some(o.pid),
                ..Fault::new(
                    FaultKind::OomKill,
                    format!(
                        "OOM killer killed pid {} ({}), triggered by pid {} ({})",
                        o.pid, o.comm, o.trigger_pid, o.trigger_comm
                    ),
                )
            }],
            Event::SlowSyscall(_) | Event::Exec(_) | Event::CgroupCreated(_) => Vec::new(),
        }
    }

    fn on_stats(
        &mut self,
        svc: &ServiceView<'_>,
        aggs: &[SyscallAggregate],
        now: Instant,
    ) -> Vec<Fault> {
        let watch = &svc.policy.watch;
        let min_samples = self.opts.min_latency_samples;
        let mem = self.memory(svc.unit);
        let mut faults = Vec::new();

        // p99 over the calls made since the last poll: the kernel's counters are
        // cumulative, so subtract the previous snapshot bucket by bucket.
        for (name, bound_ms) in &watch.syscall_p99_ms {
            let Some(agg) = aggs.iter().find(|a| a.syscall == *name) else {
                continue;
            };
            let delta = match mem.last_aggs.get(&agg.syscall_nr) {
                Some(prev) if prev.count <= agg.count => subtract(agg, prev),
                _ => agg.clone(),
            };
            if delta.count < min_samples {
                continue;
            }
            let p99_ns = delta.histogram().value_at_quantile(0.99);
            let p99_ms = p99_ns as f64 / 1e6;
            let breached = p99_ms > *bound_ms;
            let was = mem.latency_breached.insert(name.clone(), breached);
            if breached && was != Some(true) {
                faults.push(Fault::new(
                    FaultKind::SyscallLatency,
                    format!(
                        "{name}: p99 latency {p99_ms:.3} ms over {} calls, above the policy's {bound_ms} ms",
                        delta.count
                    ),
                ));
            }
        }

        if let Some(er) = &watch.error_rate {
            let errors: u64 = aggs.iter().map(|a| a.errors).sum();
            let window = Duration::from_secs(er.window_s.max(1));
            mem.error_samples.push_back((now, errors));
            // Keep one sample at or before the window's start to measure from.
            while mem.error_samples.len() > 2
                && now.duration_since(mem.error_samples[1].0) >= window
            {
                mem.error_samples.pop_front();
            }
            let (t0, e0) = mem.error_samples[0];
            let span = now.duration_since(t0);
            // Rates over a fraction of the window overstate short bursts; wait for a full one.
            if span >= window && errors >= e0 {
                let rate = (errors - e0) as f64 / span.as_secs_f64();
                let breached = rate > er.max_per_s;
                if breached && !mem.error_rate_breached {
                    let worst = aggs
                        .iter()
                        .max_by_key(|a| a.errors)
                        .map(|a| format!(" (most from {})", a.syscall))
                        .unwrap_or_default();
                    faults.push(Fault::new(
                        FaultKind::ErrorRate,
                        format!(
                            "{rate:.2} failed syscalls/s over {:.0}s, above the policy's {} /s{worst}",
                            span.as_secs_f64(),
                            er.max_per_s
                        ),
                    ));
                }
                mem.error_rate_breached = breached;
            }
        }

        mem.last_aggs = aggs.iter().map(|a| (a.syscall_nr, a.clone())).collect();
        faults
    }

    fn reset_stats(&mut self, unit: &str) {
        if let Some(m) = self.services.get_mut(unit) {
            m.last_aggs.clear();
            m.error_samples.clear();
        }
    }

    fn forget(&mut self, unit: &str) {
        self.services.remove(unit);
    }
}

/// `now - prev`, bucket by bucket.
fn subtract(now: &SyscallAggregate, prev: &SyscallAggregate) -> SyscallAggregate {
    SyscallAggregate {
        syscall_nr: now.syscall_nr,
        syscall: syscall_name(now.syscall_nr),
        count: now.count.saturating_sub(prev.count),
        errors: now.errors.saturating_sub(prev.errors),
        total_ns: now.total_ns.saturating_sub(prev.total_ns),
        buckets: now
            .buckets
            .iter()
            .zip(prev.buckets.iter().chain(std::iter::repeat(&0)))
            .map(|(a, b)| a.saturating_sub(*b))
            .collect(),
        errnos: BTreeMap::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        config::policy::ErrorRate,
        sense::event::{Crash, Exit},
    };

    fn policy(extra: &str) -> Policy {
        toml::from_str(&format!("unit = \"web.service\"\n{extra}")).unwrap()
    }

    fn crash(pid: u32, signal: i32) -> Event {
        Event::Crash(Crash {
            pid,
            tid: pid,
            comm: "web".into(),
            cgroup_id: 7,
            boot_ns: 0,
            signal,
            si_code: 1,
            fault_addr: 0,
            sender: None,
            frames: vec![crate::sense::Frame {
                function: Some("handle_request".into()),
                file: Some("web.c".into()),
                line: Some(12),
                ..Default::default()
            }],
            raw_frames: Vec::new(),
            ips: Vec::new(),
            stack_error: None,
        })
    }

    fn exit(pid: u32, status: i32) -> Event {
        Event::Exit(Exit {
            pid,
            comm: "web".into(),
            cgroup_id: 7,
            boot_ns: 0,
            exit_status: Some(status),
            signal: None,
            core_dumped: false,
        })
    }

    #[test]
    fn crashes_within_the_window_become_a_crash_loop() {
        let p = policy("");
        let svc = ServiceView {
            unit: "web.service",
            policy: &p,
            main_pid: 0,
        };
        let mut d = PolicyDetector::new(DetectorOptions {
            crash_loop_crashes: 3,
            crash_loop_window: Duration::from_secs(60),
            ..Default::default()
        });
        let t0 = Instant::now();
        let kinds: Vec<FaultKind> = [0, 10, 20, 200]
            .iter()
            .flat_map(|s| d.on_event(&svc, &crash(1, 11), t0 + Duration::from_secs(*s)))
            .map(|f| f.kind)
            .collect();
        // The 4th crash comes after the window emptied: a plain crash again.
        assert_eq!(
            kinds,
            [
                FaultKind::Crash,
                FaultKind::Crash,
                FaultKind::CrashLoop,
                FaultKind::Crash
            ]
        );
        let f = &d.on_event(&svc, &crash(1, 11), t0)[0];
        assert_eq!(f.signal, Some(11));
        assert!(f.summary.contains("SIGSEGV"), "{}", f.summary);
        assert!(f.summary.contains("handle_request at web.c:12"));
    }

    #[test]
    fn killed_by_another_process_is_not_a_crash() {
        let p = policy("");
        let svc = ServiceView {
            unit: "web.service",
            policy: &p,
            main_pid: 0,
        };
        let mut d = PolicyDetector::default();
        let Event::Crash(mut c) = crash(1, SIGKILL) else {
            unreachable!()
        };
        c.sender = Some(crate::sense::event::Sender {
            pid: 1,
            uid: 0,
            comm: "systemd".into(),
        });
        assert!(
            d.on_event(&svc, &Event::Crash(c), Instant::now())
                .is_empty()
        );
        let off = policy("[watch]\ncrashes = false\n");
        let svc = ServiceView {
            unit: "web.service",
            policy: &off,
            main_pid: 0,
        };
        assert!(d.on_event(&svc, &crash(1, 11), Instant::now()).is_empty());
    }

    #[test]
    fn a_sigkill_without_sender_waits_for_the_exit_status() {
        let p = policy("");
        let svc = ServiceView {
            unit: "web.service",
            policy: &p,
            main_pid: 1,
        };
        let mut d = PolicyDetector::default();
        let now = Instant::now();
        let killed = |pid, signal| {
            Event::Exit(Exit {
                pid,
                comm: "web".into(),
                cgroup_id: 7,
                boot_ns: 0,
                exit_status: None,
                signal: Some(signal),
                core_dumped: false,
            })
        };
        // `systemctl stop`: SIGTERM, which the kernel delivers as a group SIGKILL.
        assert!(d.on_event(&svc, &crash(1, SIGKILL), now).is_empty());
        assert!(d.on_event(&svc, &killed(1, 15), now).is_empty());
        // A real SIGKILL death is a crash.
        assert!(d.on_event(&svc, &crash(2, SIGKILL), now).is_empty());
        let f = d.on_event(&svc, &killed(2, SIGKILL), now);
        assert_eq!(f.len(), 1);
        assert_eq!((f[0].kind, f[0].signal), (FaultKind::Crash, Some(SIGKILL)));
    }

    #[test]
    fn exit_codes_follow_the_policy_and_only_the_main_process_counts() {
        let any = policy("");
        let listed = policy("[watch]\nfailure_exit_codes = [3]\n");
        let mut d = PolicyDetector::default();
        let now = Instant::now();
        let v = |p, main_pid| ServiceView {
            unit: "web.service",
            policy: p,
            main_pid,
        };
        assert_eq!(d.on_event(&v(&any, 5), &exit(5, 1), now).len(), 1);
        assert!(d.on_event(&v(&any, 5), &exit(5, 0), now).is_empty());
        assert!(d.on_event(&v(&any, 5), &exit(6, 1), now).is_empty());
        assert!(d.on_event(&v(&listed, 5), &exit(5, 1), now).is_empty());
        let f = d.on_event(&v(&listed, 5), &exit(5, 3), now);
        assert_eq!(f[0].kind, FaultKind::AbnormalExit);
        assert_eq!(f[0].exit_code, Some(3));
    }

    /// A cumulative aggregate with `n` calls of `ns` nanoseconds each.
    fn agg(nr: u32, calls: &[(u64, u64)], errors: u64) -> SyscallAggregate {
        let mut a = SyscallAggregate {
            syscall_nr: nr,
            syscall: syscall_name(nr),
            count: 0,
            errors,
            total_ns: 0,
            buckets: vec![0; healer_common::LATENCY_BUCKETS],
            errnos: BTreeMap::new(),
        };
        for &(n, ns) in calls {
            a.count += n;
            a.total_ns += n * ns;
            a.buckets[SyscallAggregate::bucket_of(ns)] += n;
        }
        a
    }

    #[test]
    fn p99_threshold_uses_the_calls_since_the_last_poll_and_reports_once() {
        let read = syscall_name(0);
        let p = policy(&format!("[watch.syscall_p99_ms]\n{read} = 5.0\n"));
        let svc = ServiceView {
            unit: "web.service",
            policy: &p,
            main_pid: 0,
        };
        let mut d = PolicyDetector::default();
        let t = Instant::now();
        // 1000 fast calls: fine.
        let fast = agg(0, &[(1000, 10_000)], 0);
        assert!(d.on_stats(&svc, std::slice::from_ref(&fast), t).is_empty());
        // Then 100 calls of 50 ms: p99 of the new calls is far above 5 ms, even though the
        // cumulative p99 (1100 calls) would still be fast.
        let slow = agg(0, &[(1000, 10_000), (100, 50_000_000)], 0);
        let f = d.on_stats(&svc, std::slice::from_ref(&slow), t);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].kind, FaultKind::SyscallLatency);
        assert!(f[0].summary.starts_with(&format!("{read}: p99")));
        // Still slow on the next poll: the same breach, not a new fault.
        let slower = agg(0, &[(1000, 10_000), (200, 50_000_000)], 0);
        assert!(d.on_stats(&svc, &[slower], t).is_empty());
    }

    #[test]
    fn error_rate_is_measured_over_a_full_window() {
        let mut p = policy("");
        p.watch.error_rate = Some(ErrorRate {
            max_per_s: 1.0,
            window_s: 10,
        });
        let svc = ServiceView {
            unit: "web.service",
            policy: &p,
            main_pid: 0,
        };
        let mut d = PolicyDetector::default();
        let t0 = Instant::now();
        let at = |s| t0 + Duration::from_secs(s);
        assert!(
            d.on_stats(&svc, &[agg(2, &[(10, 1000)], 0)], at(0))
                .is_empty()
        );
        // 50 errors in 5 s: 10/s, but the window is not full yet.
        assert!(
            d.on_stats(&svc, &[agg(2, &[(60, 1000)], 50)], at(5))
                .is_empty()
        );
        // 100 errors in 10 s: 10/s over a full window.
        let f = d.on_stats(&svc, &[agg(2, &[(110, 1000)], 100)], at(10));
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].kind, FaultKind::ErrorRate);
        // No new errors for a while: the rate falls below the bound, and a later burst is a
        // new breach.
        assert!(
            d.on_stats(&svc, &[agg(2, &[(110, 1000)], 100)], at(30))
                .is_empty()
        );
        let f = d.on_stats(&svc, &[agg(2, &[(400, 1000)], 400)], at(45));
        assert_eq!(f.len(), 1);
    }
}
