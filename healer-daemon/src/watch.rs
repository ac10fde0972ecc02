//! `healerd watch -- CMD…`: run one command in a fresh cgroup under the kernel sensor and
//! print what it sees. The quickest way to see the sensor work, and what the tests drive.

use std::{
    ffi::CString,
    io::Write,
    os::unix::ffi::OsStrExt,
    time::{Duration, Instant},
};

use anyhow::{Context as _, bail};
use healer_common::WatchConfig;
use serde::Serialize;

use crate::sense::{
    Event, KernelSensor, LostCounts, Sensor, SensorOptions, ServiceState, SyscallAggregate,
    cgroup::ScratchCgroup,
    event::{errno_name, signal_name},
};

#[derive(Clone, Debug)]
pub struct WatchOptions {
    pub json: bool,
    /// 0 disables slow-syscall events.
    pub slow_syscall_ns: u64,
    pub ring_bytes: u32,
    /// Keep every event in the report (tests); the CLI only prints them, so a long-running
    /// or noisy command does not grow the daemon's memory.
    pub keep_events: bool,
    pub cmd: Vec<String>,
}

/// Everything one watch saw.
#[derive(Debug, Serialize)]
pub struct WatchReport {
    pub pid: u32,
    pub crashes: u64,
    pub exits: u64,
    pub ooms: u64,
    pub cgroup_id: u64,
    /// Every event, when `keep_events` was set.
    pub events: Vec<Event>,
    pub event_count: u64,
    pub syscalls: Vec<SyscallSummary>,
    pub lost: LostCounts,
    pub decode_errors: u64,
}

/// One syscall's aggregate as printed at the end of a watch.
#[derive(Debug, Serialize)]
pub struct SyscallSummary {
    #[serde(flatten)]
    pub aggregate: SyscallAggregate,
    pub p50_ns: u64,
    pub p99_ns: u64,
    pub max_ns: u64,
}

/// How long to wait for the last events of a command after it exited.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(3);

pub async fn run_watch(opts: WatchOptions, out: &mut dyn Write) -> anyhow::Result<WatchReport> {
    let Some((program, args)) = opts.cmd.split_first() else {
        bail!("no command given");
    };
    let mut sensor = KernelSensor::load(&SensorOptions {
        ring_bytes: opts.ring_bytes,
        ..SensorOptions::default()
    })?;
    let cgroup = ScratchCgroup::create_unique("watch")?;
    sensor.watch(
        cgroup.id(),
        WatchConfig {
            slow_syscall_ns: opts.slow_syscall_ns,
        },
    )?;

    if let Some(exe) = resolve_program(program) {
        sensor.index_executable(&exe);
    }
    let mut cmd = command_in_cgroup(program, args, &cgroup)?;
    let mut child = cmd
        .spawn()
        .with_context(|| format!("cannot start {program}"))?;
    let pid = child.id().unwrap_or(0);

    let mut events = Vec::new();
    let mut state = ServiceState::default();
    let mut exited_at: Option<Instant> = None;
    let mut child_exit_seen = false;
    loop {
        if let Some(t) = exited_at {
            let done = child_exit_seen && cgroup.pids().is_empty();
            if done || t.elapsed() > DRAIN_TIMEOUT {
                break;
            }
        }
        tokio::select! {
            ev = sensor.next_event() => {
                let ev = ev?;
                if let Event::Exit(e) = &ev && e.pid == pid {
                    child_exit_seen = true;
                }
                emit(out, &ev, opts.json)?;
                state.record(&ev);
                if opts.keep_events {
                    events.push(ev);
                }
            }
            status = child.wait(), if exited_at.is_none() => {
                status.context("waiting for the command")?;
                exited_at = Some(Instant::now());
            }
            _ = tokio::time::sleep(Duration::from_millis(50)), if exited_at.is_some() => {}
        }
    }
    // Whatever is still in the ring now belongs to this command too.
    while let Some(ev) = sensor.try_next_event() {
        let ev = ev?;
        emit(out, &ev, opts.json)?;
        state.record(&ev);
        if opts.keep_events {
            events.push(ev);
        }
    }
    state.update_syscalls(sensor.syscall_stats(cgroup.id())?);

    let syscalls: Vec<SyscallSummary> = std::mem::take(&mut state.syscalls)
        .into_values()
        .map(|aggregate| {
            let h = aggregate.histogram();
            SyscallSummary {
                p50_ns: h.value_at_quantile(0.5),
                p99_ns: h.value_at_quantile(0.99),
                max_ns: h.max(),
                aggregate,
            }
        })
        .collect();
    let lost = sensor.lost()?;
    sensor.unwatch(cgroup.id())?;
    let report = WatchReport {
        pid,
        event_count: state.events,
        crashes: state.crashes,
        exits: state.exits,
        ooms: state.ooms,
        cgroup_id: cgroup.id(),
        events,
        syscalls,
        lost,
        decode_errors: sensor.decode_errors(),
    };
    emit_summary(out, &report, opts.json)?;
    Ok(report)
}

/// A command that moves itself into `cgroup` between fork and exec, so nothing it runs
/// escapes the cgroup's filter.
pub fn command_in_cgroup(
    program: &str,
    args: &[String],
    cgroup: &ScratchCgroup,
) -> anyhow::Result<tokio::process::Command> {
    let procs = CString::new(cgroup.procs_file().as_os_str().as_bytes())
        .context("cgroup path contains a NUL byte")?;
    let mut cmd = tokio::process::Command::new(program);
    cmd.args(args);
    // SAFETY: the closure only calls async-signal-safe libc functions on data prepared
    // before the fork.
    unsafe {
        cmd.pre_exec(move || {
            let fd = libc::open(procs.as_ptr(), libc::O_WRONLY | libc::O_CLOEXEC);
            if fd < 0 {
                return Err(std::io::Error::last_os_error());
            }
            let n = libc::write(fd, b"0".as_ptr().cast(), 1);
            let err = std::io::Error::last_os_error();
            libc::close(fd);
            if n != 1 {
                return Err(err);
            }
            Ok(())
        });
    }
    Ok(cmd)
}

/// The file `execvp` would run for `program`.
fn resolve_program(program: &str) -> Option<std::path::PathBuf> {
    if program.contains('/') {
        return std::fs::canonicalize(program).ok();
    }
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|d| d.join(program))
        .find(|p| p.is_file())
}

fn emit(out: &mut dyn Write, ev: &Event, json: bool) -> anyhow::Result<()> {
    if json {
        writeln!(out, "{}", serde_json::to_string(ev)?)?;
    } else {
        writeln!(out, "{}", human(ev))?;
    }
    out.flush()?;
    Ok(())
}

fn emit_summary(out: &mut dyn Write, r: &WatchReport, json: bool) -> anyhow::Result<()> {
    if json {
        #[derive(Serialize)]
        struct Summary<'a> {
            kind: &'static str,
            pid: u32,
            cgroup_id: u64,
            events: u64,
            crashes: u64,
            exits: u64,
            ooms: u64,
            lost: &'a LostCounts,
            decode_errors: u64,
            syscalls: &'a [SyscallSummary],
        }
        let s = Summary {
            kind: "summary",
            pid: r.pid,
            cgroup_id: r.cgroup_id,
            events: r.event_count,
            crashes: r.crashes,
            exits: r.exits,
            ooms: r.ooms,
            lost: &r.lost,
            decode_errors: r.decode_errors,
            syscalls: &r.syscalls,
        };
        writeln!(out, "{}", serde_json::to_string(&s)?)?;
    } else {
        writeln!(
            out,
            "summary: {} events, lost {} (ring full) + {} (stats map full)",
            r.event_count, r.lost.ring_full, r.lost.stats_map_full
        )?;
        writeln!(
            out,
            "  {:<18} {:>8} {:>7} {:>10} {:>10} {:>10}  errnos",
            "syscall", "count", "errors", "p50", "p99", "max"
        )?;
        for s in &r.syscalls {
            let errnos: Vec<String> = s
                .aggregate
                .errnos
                .iter()
                .map(|(e, n)| format!("{}×{n}", errno_name(*e)))
                .collect();
            writeln!(
                out,
                "  {:<18} {:>8} {:>7} {:>10} {:>10} {:>10}  {}",
                s.aggregate.syscall,
                s.aggregate.count,
                s.aggregate.errors,
                fmt_ns(s.p50_ns),
                fmt_ns(s.p99_ns),
                fmt_ns(s.max_ns),
                errnos.join(" ")
            )?;
        }
    }
    out.flush()?;
    Ok(())
}

fn fmt_ns(ns: u64) -> String {
    match ns {
        n if n >= 1_000_000_000 => format!("{:.2}s", n as f64 / 1e9),
        n if n >= 1_000_000 => format!("{:.2}ms", n as f64 / 1e6),
        n if n >= 1_000 => format!("{:.2}µs", n as f64 / 1e3),
        n => format!("{n}ns"),
    }
}

/// One event as a line (crashes: plus one line per frame).
pub fn human(ev: &Event) -> String {
    match ev {
        Event::Crash(c) => {
            let mut s = format!(
                "crash  pid={} tid={} comm={} signal={} code={} addr={:#x}",
                c.pid,
                c.tid,
                c.comm,
                signal_name(c.signal),
                c.si_code,
                c.fault_addr
            );
            if let Some(sender) = &c.sender {
                s.push_str(&format!(
                    " sender={}({}) uid={}",
                    sender.comm, sender.pid, sender.uid
                ));
            }
            if let Some(e) = c.stack_error {
                s.push_str(&format!(" stack-error={e}"));
            }
            for f in &c.frames {
                let func = f.function.as_deref().unwrap_or("??");
                let loc = match (&f.file, f.line) {
                    (Some(file), Some(line)) => format!(" at {file}:{line}"),
                    (Some(file), None) => format!(" at {file}"),
                    _ => String::new(),
                };
                let bin = f.binary.as_deref().unwrap_or("?");
                let inl = if f.inlined { " [inlined]" } else { "" };
                s.push_str(&format!("\n    #{:<2} {func}{loc}{inl} ({bin})", f.index));
            }
            s
        }
        Event::Exit(e) => match (e.exit_status, e.signal) {
            (Some(st), _) => format!("exit   pid={} comm={} status={st}", e.pid, e.comm),
            (None, Some(sig)) => format!(
                "exit   pid={} comm={} killed by {}{}",
                e.pid,
                e.comm,
                signal_name(sig),
                if e.core_dumped { " (core dumped)" } else { "" }
            ),
            _ => format!("exit   pid={} comm={}", e.pid, e.comm),
        },
        Event::Oom(o) => format!(
            "oom    pid={} comm={} (allocation by {}({}))",
            o.pid, o.comm, o.trigger_comm, o.trigger_pid
        ),
        Event::SlowSyscall(s) => format!(
            "slow   pid={} tid={} comm={} {} took {} ret={}",
            s.pid,
            s.tid,
            s.comm,
            s.syscall,
            fmt_ns(s.latency_ns),
            s.ret
        ),
        Event::Exec(e) => format!("exec   pid={} comm={} file={}", e.pid, e.comm, e.filename),
        Event::CgroupCreated(c) => format!(
            "cgroup id={} (followed path, slot {}) created by pid={}",
            c.cgroup_id, c.slot, c.pid
        ),
    }
}
