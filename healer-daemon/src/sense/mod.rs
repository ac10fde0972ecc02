//! Sense: healer's kernel sensor.
//!
//! Loads the eBPF programs of `healer-ebpf`, attaches them, and turns what they record into
//! typed [`Event`]s (crashes with symbolized stacks, exits, OOM kills, slow syscalls) plus
//! per-cgroup syscall aggregates. Only cgroups registered with [`KernelSensor::watch`] are
//! recorded; the filtering happens in the kernel.

pub mod btf;
pub mod cgroup;
pub mod event;
pub mod stats;
pub mod symbolize;

use std::{collections::VecDeque, path::PathBuf};

use aya::{
    Ebpf, EbpfLoader,
    maps::{HashMap as BpfHashMap, MapData, PerCpuArray, PerCpuHashMap, RingBuf},
    programs::RawTracePoint,
};
use healer_common::{
    CGROUP_PATH_LEN, CgroupPath, FollowedPath, SyscallErrors, SyscallKey, SyscallStats,
    WatchConfig, globals, lost, maps,
};
use serde::Serialize;
use tokio::io::{Interest, unix::AsyncFd};

pub use event::Event;
pub use stats::{ServiceState, SyscallAggregate};
pub use symbolize::{Frame, StackSymbolizer};

/// The compiled eBPF object, built by `build.rs`.
pub static EBPF_OBJECT: &[u8] = aya::include_bytes_aligned!(concat!(env!("OUT_DIR"), "/healer"));

/// Raw tracepoints the sensor attaches: (program name, tracepoint, required).
const PROGRAMS: &[(&str, &str, bool)] = &[
    ("signal_generate", "signal_generate", true),
    ("signal_deliver", "signal_deliver", true),
    ("sched_process_exit", "sched_process_exit", true),
    ("sched_process_exec", "sched_process_exec", true),
    ("sys_enter", "sys_enter", true),
    ("sys_exit", "sys_exit", true),
    // Absent on kernels without the OOM tracepoints; OOM kills then show as SIGKILL crashes.
    ("mark_victim", "mark_victim", false),
    ("cgroup_mkdir", "cgroup_mkdir", true),
];

#[derive(Debug, thiserror::Error)]
pub enum SenseError {
    /// Something the host must provide is missing; the message names it.
    #[error("missing: {0}")]
    Missing(String),
    #[error("kernel BTF: {0}")]
    Btf(String),
    #[error("loading eBPF programs: {0}")]
    Load(String),
    #[error("eBPF map {0}: {1}")]
    Map(&'static str, String),
    #[error("cgroup: {0}")]
    Cgroup(String),
    #[error("decoding event: {0}")]
    Decode(String),
    #[error("reading ring buffer: {0}")]
    Io(#[from] std::io::Error),
}

/// Load-time options.
#[derive(Clone, Debug)]
pub struct SensorOptions {
    /// Ring buffer size in bytes (a power of two, multiple of the page size).
    pub ring_bytes: u32,
    pub btf_path: PathBuf,
}

impl Default for SensorOptions {
    fn default() -> Self {
        Self {
            ring_bytes: 1 << 22,
            btf_path: PathBuf::from(btf::VMLINUX_BTF),
        }
    }
}

/// Events that could not be delivered, by reason (summed over CPUs).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct LostCounts {
    /// Ring buffer full: the event was dropped in the kernel.
    pub ring_full: u64,
    /// Syscall stats maps full: a syscall was not aggregated.
    pub stats_map_full: u64,
}

/// The source of events for the rest of the pipeline (the plug-in point for other sensors).
#[allow(async_fn_in_trait)]
pub trait Sensor {
    /// Starts recording the cgroup.
    fn watch(&mut self, cgroup_id: u64, config: WatchConfig) -> Result<(), SenseError>;
    /// Stops recording the cgroup and forgets its aggregates.
    fn unwatch(&mut self, cgroup_id: u64) -> Result<(), SenseError>;
    /// The next event, waiting for one.
    async fn next_event(&mut self) -> Result<Event, SenseError>;
    /// The next event if one is ready now.
    fn try_next_event(&mut self) -> Option<Result<Event, SenseError>>;
}

/// The eBPF sensor.
pub struct KernelSensor {
    ebpf: Ebpf,
    ring: AsyncFd<RingBuf<MapData>>,
    symbolizer: StackSymbolizer,
    ready: VecDeque<Event>,
    decode_errors: u64,
}

impl KernelSensor {
    /// Loads and attaches every program. Must run inside a tokio runtime.
    pub fn load(opts: &SensorOptions) -> Result<Self, SenseError> {
        check_privileges()?;
        raise_memlock_limit();
        let kernel_btf = btf::KernelBtf::load(&opts.btf_path)?;
        let offsets = kernel_btf.kernel_offsets()?;
        let mut ebpf = EbpfLoader::new()
            .override_global(globals::KERNEL_OFFSETS, &offsets, true)
            .map_max_entries(maps::EVENTS, opts.ring_bytes)
            .load(EBPF_OBJECT)
            .map_err(|e| SenseError::Load(error_chain(&e)))?;

        // Forward the programs' aya-log records to `log`, which tracing-subscriber picks up.
        match aya_log::EbpfLogger::init(&mut ebpf) {
            Ok(logger) => {
                let mut fd = register_readable(logger)?;
                tokio::spawn(async move {
                    loop {
                        let Ok(mut guard) = fd.readable_mut().await else {
                            break;
                        };
                        guard.get_inner_mut().flush();
                        guard.clear_ready();
                    }
                });
            }
            Err(e) => tracing::warn!("eBPF log forwarding unavailable: {e}"),
        }

        for &(prog, tp, required) in PROGRAMS {
            if let Err(e) = attach(&mut ebpf, prog, tp) {
                if required {
                    return Err(e);
                }
                tracing::warn!("optional probe {tp} not attached: {e}");
            }
        }
        let ring = RingBuf::try_from(
            ebpf.take_map(maps::EVENTS)
                .ok_or_else(|| SenseError::Map(maps::EVENTS, "not in object".into()))?,
        )
        .map_err(|e| SenseError::Map(maps::EVENTS, e.to_string()))?;
        let ring = register_readable(ring)?;
        drop(kernel_btf);
        // The parsed kernel BTF is tens of MiB of small allocations, needed only above;
        // hand the freed memory back so the daemon's resident size reflects its steady state.
        // SAFETY: malloc_trim has no preconditions.
        unsafe { libc::malloc_trim(0) };
        Ok(Self {
            ebpf,
            ring,
            symbolizer: StackSymbolizer::new(),
            ready: VecDeque::new(),
            decode_errors: 0,
        })
    }

    /// Events lost in the kernel so far.
    pub fn lost(&self) -> Result<LostCounts, SenseError> {
        let map = self
            .ebpf
            .map(maps::LOST)
            .ok_or_else(|| SenseError::Map(maps::LOST, "not in object".into()))?;
        let arr = PerCpuArray::<_, u64>::try_from(map)
            .map_err(|e| SenseError::Map(maps::LOST, e.to_string()))?;
        let sum = |i: u32| -> Result<u64, SenseError> {
            Ok(arr
                .get(&i, 0)
                .map_err(|e| SenseError::Map(maps::LOST, e.to_string()))?
                .iter()
                .sum())
        };
        Ok(LostCounts {
            ring_full: sum(lost::RING_FULL)?,
            stats_map_full: sum(lost::STATS_MAP_FULL)?,
        })
    }

    /// Records the sensor could not decode (a version mismatch would show here).
    pub fn decode_errors(&self) -> u64 {
        self.decode_errors
    }

    /// The kernel's syscall aggregates of one cgroup, summed over CPUs.
    pub fn syscall_stats(&self, cgroup_id: u64) -> Result<Vec<SyscallAggregate>, SenseError> {
        let stats_map = self
            .ebpf
            .map(maps::SYSCALL_STATS)
            .ok_or_else(|| SenseError::Map(maps::SYSCALL_STATS, "not in object".into()))?;
        let stats = PerCpuHashMap::<_, SyscallKey, SyscallStats>::try_from(stats_map)
            .map_err(|e| SenseError::Map(maps::SYSCALL_STATS, e.to_string()))?;
        let err_map = self
            .ebpf
            .map(maps::SYSCALL_ERRORS)
            .ok_or_else(|| SenseError::Map(maps::SYSCALL_ERRORS, "not in object".into()))?;
        let errors = PerCpuHashMap::<_, SyscallKey, SyscallErrors>::try_from(err_map)
            .map_err(|e| SenseError::Map(maps::SYSCALL_ERRORS, e.to_string()))?;
        let mut out = Vec::new();
        for key in stats.keys() {
            let key = key.map_err(|e| SenseError::Map(maps::SYSCALL_STATS, e.to_string()))?;
            if key.cgroup_id != cgroup_id {
                continue;
            }
            let Ok(per_cpu) = stats.get(&key, 0) else {
                continue;
            };
            let errs = errors.get(&key, 0).ok();
            out.push(SyscallAggregate::from_percpu(
                key.syscall_nr,
                per_cpu.iter(),
                errs.iter().flat_map(|e| e.iter()),
            ));
        }
        out.sort_by_key(|a| a.syscall_nr);
        Ok(out)
    }

    /// Indexes a binary that watched processes will run, so that their stacks can be
    /// symbolized even when they die before their memory map can be read.
    pub fn index_executable(&mut self, path: &std::path::Path) {
        self.symbolizer.index_executable(path)
    }

    /// Symbolizes a crash's stack with what the sensor has learned about the process.
    pub fn symbolize(&self, crash: &event::Crash) -> Vec<Frame> {
        self.symbolizer.symbolize(crash)
    }

    /// Makes the kernel watch every cgroup created at `path` (relative to the cgroup2 root, as
    /// systemd's `ControlGroup` says) the moment it is created, and report it as a
    /// [`Event::CgroupCreated`] with `slot`. Watching a service by id alone loses the events of
    /// a restarted process until user space hears of the new cgroup from the service manager.
    pub fn follow_path(
        &mut self,
        path: &str,
        slot: u32,
        config: WatchConfig,
    ) -> Result<(), SenseError> {
        let key = cgroup_path_key(path)?;
        let value = FollowedPath {
            config,
            slot,
            _pad: 0,
        };
        self.followed_map()?
            .insert(&key, &value, 0)
            .map_err(|e| SenseError::Map(maps::FOLLOWED_PATHS, e.to_string()))
    }

    /// Stops following `path` (cgroups already watched stay watched until unwatched).
    pub fn unfollow_path(&mut self, path: &str) -> Result<(), SenseError> {
        let key = cgroup_path_key(path)?;
        let _ = self.followed_map()?.remove(&key);
        Ok(())
    }

    fn followed_map(
        &mut self,
    ) -> Result<BpfHashMap<&mut MapData, CgroupPath, FollowedPath>, SenseError> {
        let map = self
            .ebpf
            .map_mut(maps::FOLLOWED_PATHS)
            .ok_or_else(|| SenseError::Map(maps::FOLLOWED_PATHS, "not in object".into()))?;
        BpfHashMap::try_from(map).map_err(|e| SenseError::Map(maps::FOLLOWED_PATHS, e.to_string()))
    }

    fn watched_map(&mut self) -> Result<BpfHashMap<&mut MapData, u64, WatchConfig>, SenseError> {
        let map = self
            .ebpf
            .map_mut(maps::WATCHED)
            .ok_or_else(|| SenseError::Map(maps::WATCHED, "not in object".into()))?;
        BpfHashMap::try_from(map).map_err(|e| SenseError::Map(maps::WATCHED, e.to_string()))
    }

    /// Moves everything the ring holds now into `ready`, decoded and symbolized.
    fn drain_ring(&mut self) {
        // Events already waiting in `ready` were indexed and symbolized when they arrived.
        let first_new = self.ready.len();
        while let Some(item) = self.ring.get_mut().next() {
            match event::decode(&item) {
                Ok(ev) => self.ready.push_back(ev),
                Err(e) => {
                    self.decode_errors += 1;
                    tracing::warn!("dropping undecodable record: {e}");
                }
            }
        }
        for ev in self.ready.range_mut(first_new..) {
            match ev {
                // Index the binary before it can crash; its libraries are learned at crash time.
                Event::Exec(e) => {
                    let exe = std::path::Path::new(&e.filename);
                    if exe.is_absolute() {
                        self.symbolizer.index_executable(exe);
                    } else if let Ok(cwd) = std::fs::read_link(format!("/proc/{}/cwd", e.pid)) {
                        self.symbolizer.index_executable(&cwd.join(exe));
                    }
                    self.symbolizer.learn_process(e.pid);
                }
                Event::Crash(c) if c.frames.is_empty() && !c.raw_frames.is_empty() => {
                    // Capture the map while the dying process still exists.
                    self.symbolizer.learn_process(c.pid);
                    c.frames = self.symbolizer.symbolize(c);
                }
                Event::Exit(e) => self.symbolizer.forget_process(e.pid),
                _ => {}
            }
        }
    }
}

impl Sensor for KernelSensor {
    fn watch(&mut self, cgroup_id: u64, config: WatchConfig) -> Result<(), SenseError> {
        self.watched_map()?
            .insert(&cgroup_id, &config, 0)
            .map_err(|e| SenseError::Map(maps::WATCHED, e.to_string()))
    }

    fn unwatch(&mut self, cgroup_id: u64) -> Result<(), SenseError> {
        let _ = self.watched_map()?.remove(&cgroup_id);
        // Drop the cgroup's aggregates so the maps do not fill with dead services.
        let keys: Vec<SyscallKey> = self
            .syscall_stats(cgroup_id)?
            .into_iter()
            .map(|a| SyscallKey {
                cgroup_id,
                syscall_nr: a.syscall_nr,
                _pad: 0,
            })
            .collect();
        if let Some(map) = self.ebpf.map_mut(maps::SYSCALL_STATS)
            && let Ok(mut m) = PerCpuHashMap::<_, SyscallKey, SyscallStats>::try_from(map)
        {
            for k in &keys {
                let _ = m.remove(k);
            }
        }
        if let Some(map) = self.ebpf.map_mut(maps::SYSCALL_ERRORS)
            && let Ok(mut m) = PerCpuHashMap::<_, SyscallKey, SyscallErrors>::try_from(map)
        {
            for k in &keys {
                let _ = m.remove(k);
            }
        }
        Ok(())
    }

    async fn next_event(&mut self) -> Result<Event, SenseError> {
        loop {
            if let Some(ev) = self.ready.pop_front() {
                return Ok(ev);
            }
            let mut guard = self.ring.readable_mut().await?;
            guard.clear_ready();
            drop(guard);
            self.drain_ring();
        }
    }

    fn try_next_event(&mut self) -> Option<Result<Event, SenseError>> {
        if self.ready.is_empty() {
            self.drain_ring();
        }
        self.ready.pop_front().map(Ok)
    }
}

/// The `FOLLOWED_PATHS` key of a cgroup path: the bytes, NUL, zero padding.
fn cgroup_path_key(path: &str) -> Result<CgroupPath, SenseError> {
    let bytes = path.as_bytes();
    if !path.starts_with('/') || bytes.len() >= CGROUP_PATH_LEN || bytes.contains(&0) {
        return Err(SenseError::Cgroup(format!(
            "cannot follow cgroup path {path:?}: it must be absolute, without NUL, and shorter \
             than {CGROUP_PATH_LEN} bytes"
        )));
    }
    let mut key = CgroupPath {
        bytes: [0; CGROUP_PATH_LEN],
    };
    key.bytes[..bytes.len()].copy_from_slice(bytes);
    Ok(key)
}

/// Registers a map or logger fd with the tokio reactor.
fn register_readable<T: std::os::fd::AsRawFd>(inner: T) -> Result<AsyncFd<T>, SenseError> {
    // SAFETY: `inner` owns its fd (an aya map or logger) and keeps it open and unchanged until
    // the AsyncFd, which owns `inner`, is dropped.
    unsafe { AsyncFd::register_with_interest(inner, Interest::READABLE) }
        .map_err(|e| SenseError::Io(std::io::Error::other(e.to_string())))
}

fn attach(ebpf: &mut Ebpf, prog: &str, tp: &str) -> Result<(), SenseError> {
    let p: &mut RawTracePoint = ebpf
        .program_mut(prog)
        .ok_or_else(|| SenseError::Load(format!("program {prog} not in object")))?
        .try_into()
        .map_err(|e| SenseError::Load(format!("{prog}: {e}")))?;
    p.load()
        .map_err(|e| SenseError::Load(format!("{prog}: {}", error_chain(&e))))?;
    p.attach(tp).map_err(|e| {
        SenseError::Missing(format!(
            "raw tracepoint `{tp}` could not be attached ({})",
            error_chain(&e)
        ))
    })?;
    Ok(())
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        s.push_str(": ");
        s.push_str(&c.to_string());
        cur = c.source();
    }
    s
}

/// Loading BPF needs CAP_BPF + CAP_PERFMON (or CAP_SYS_ADMIN); say so plainly up front.
fn check_privileges() -> Result<(), SenseError> {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let eff = status
        .lines()
        .find_map(|l| l.strip_prefix("CapEff:"))
        .and_then(|v| u64::from_str_radix(v.trim(), 16).ok())
        .unwrap_or(0);
    const CAP_SYS_ADMIN: u64 = 1 << 21;
    const CAP_PERFMON: u64 = 1 << 38;
    const CAP_BPF: u64 = 1 << 39;
    if eff & CAP_SYS_ADMIN != 0 || (eff & CAP_BPF != 0 && eff & CAP_PERFMON != 0) {
        Ok(())
    } else {
        Err(SenseError::Missing(
            "privileges: loading eBPF needs CAP_BPF and CAP_PERFMON (or root)".into(),
        ))
    }
}

/// Kernels before 5.11 charge BPF maps to RLIMIT_MEMLOCK.
fn raise_memlock_limit() {
    let rlim = libc::rlimit {
        rlim_cur: libc::RLIM_INFINITY,
        rlim_max: libc::RLIM_INFINITY,
    };
    // SAFETY: plain syscall with a valid pointer.
    if unsafe { libc::setrlimit(libc::RLIMIT_MEMLOCK, &rlim) } != 0 {
        tracing::debug!("could not raise RLIMIT_MEMLOCK; fine on kernels ≥ 5.11");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cgroup_path_keys_are_zero_padded_and_checked() {
        let k = cgroup_path_key("/app.slice/a.service").unwrap();
        assert_eq!(&k.bytes[..21], b"/app.slice/a.service\0");
        assert!(k.bytes[21..].iter().all(|&b| b == 0));
        // Equal paths, equal keys (the kernel compares all CGROUP_PATH_LEN bytes).
        assert_eq!(
            k.bytes,
            cgroup_path_key("/app.slice/a.service").unwrap().bytes
        );
        for bad in [
            "app.slice/a.service",
            "/a\0b",
            &format!("/{}", "x".repeat(CGROUP_PATH_LEN)),
        ] {
            let e = cgroup_path_key(bad).unwrap_err().to_string();
            assert!(e.contains("cannot follow cgroup path"), "{e}");
        }
        // The longest path that fits keeps its NUL.
        let longest = format!("/{}", "x".repeat(CGROUP_PATH_LEN - 2));
        assert_eq!(
            cgroup_path_key(&longest).unwrap().bytes[CGROUP_PATH_LEN - 1],
            0
        );
    }
}
