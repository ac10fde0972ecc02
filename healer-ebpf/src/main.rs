//! healer's kernel programs.
//!
//! Every program first asks whether the task it is about belongs to a watched cgroup (the
//! `WATCHED` map, written by the daemon) and returns at once otherwise: nothing is recorded for
//! other cgroups. Kernel struct fields are read at offsets that the daemon derives from the
//! running kernel's BTF and writes into `KERNEL_OFFSETS` before loading.
#![no_std]
#![no_main]

mod fnhits;

use aya_ebpf::{
    EbpfContext,
    bindings::{BPF_F_USER_BUILD_ID, BPF_F_USER_STACK, BPF_NOEXIST},
    helpers::{
        bpf_get_current_cgroup_id, bpf_get_current_comm, bpf_get_current_pid_tgid,
        bpf_get_current_task, bpf_ktime_get_boot_ns, bpf_ktime_get_ns, bpf_probe_read_kernel,
        bpf_probe_read_kernel_str_bytes, generated::bpf_get_stack,
    },
    macros::{map, raw_tracepoint},
    maps::{HashMap, LruHashMap, PerCpuArray, PerCpuHashMap, RingBuf},
    programs::RawTracePointContext,
};
use aya_log_ebpf::warn;
use healer_common::{
    COMM_LEN, CgroupCreatedEvent, CgroupPath, CrashEvent, EventHeader, EventKind, ExecEvent,
    ExitEvent, FollowedPath, KernelOffsets, LATENCY_BUCKETS, MAX_ERRNO, OomEvent, SlowSyscallEvent,
    StackFrame, SyscallErrors, SyscallKey, SyscallStats, WatchConfig, lost,
};

/// Set by the daemon before load (`EbpfLoader::override_global`).
#[unsafe(no_mangle)]
static KERNEL_OFFSETS: KernelOffsets = KernelOffsets {
    task_tgid: 0,
    task_pid: 0,
    task_exit_code: 0,
    task_comm: 0,
    task_cgroups: 0,
    task_signal: 0,
    signal_group_exit_code: 0,
    k_sigaction_handler: 0,
    binprm_filename: 0,
    css_set_dfl_cgrp: 0,
    cgroup_kn: 0,
    kernfs_node_id: 0,
    cgroup_root: 0,
    cgroup_root_hierarchy_id: 0,
    siginfo_code: 0,
    siginfo_pid: 0,
    siginfo_uid: 0,
    siginfo_addr: 0,
    exit_tp_has_group_dead: 0,
    oom_tp_has_task: 0,
    valid: 0,
};

#[map]
static EVENTS: RingBuf = RingBuf::with_byte_size(1 << 22, 0);

#[map]
static WATCHED: HashMap<u64, WatchConfig> = HashMap::with_max_entries(4096, 0);

/// Cgroup paths of watched services, written by the daemon: a service that restarts gets a new
/// cgroup (a new id) at the same path, and `cgroup_mkdir` watches it before its first process
/// runs, so a crash right after a restart is not lost while user space catches up.
#[map]
static FOLLOWED_PATHS: HashMap<CgroupPath, FollowedPath> = HashMap::with_max_entries(1024, 0);

/// Scratch key for `cgroup_mkdir` (too big for the BPF stack).
#[map]
static PATH_SCRATCH: PerCpuArray<CgroupPath> = PerCpuArray::with_max_entries(1, 0);

#[map]
static SYSCALL_STATS: PerCpuHashMap<SyscallKey, SyscallStats> =
    PerCpuHashMap::with_max_entries(16384, 0);

#[map]
static SYSCALL_ERRORS: PerCpuHashMap<SyscallKey, SyscallErrors> =
    PerCpuHashMap::with_max_entries(4096, 0);

#[map]
static LOST: PerCpuArray<u64> = PerCpuArray::with_max_entries(lost::SLOTS, 0);

/// Syscall start per thread id. A plain hash (cheaper per syscall than an LRU one); entries of
/// syscalls that never return (exit) are removed when the thread exits.
#[map]
static INFLIGHT: HashMap<u32, Inflight> = HashMap::with_max_entries(65536, 0);

/// Who sent a fatal signal to a watched process (keyed by target tgid), for the delivery
/// paths where the kernel no longer passes the siginfo (group exit by SIGKILL).
#[map]
static SENDERS: LruHashMap<u32, Sender> = LruHashMap::with_max_entries(4096, 0);

/// Processes whose crash was already reported: the other threads of a dying process also
/// get a SIGKILL delivered, which is not a second crash.
#[map]
static CRASHED: LruHashMap<u32, u8> = LruHashMap::with_max_entries(4096, 0);

/// Never written: all-zero values to create map entries from (too big for the BPF stack).
#[map]
static ZERO_STATS: PerCpuArray<SyscallStats> = PerCpuArray::with_max_entries(1, 0);
#[map]
static ZERO_ERRORS: PerCpuArray<SyscallErrors> = PerCpuArray::with_max_entries(1, 0);

#[repr(C)]
#[derive(Clone, Copy)]
struct Inflight {
    start_ns: u64,
    nr: u32,
    _pad: u32,
}

#[repr(C)]
#[derive(Clone, Copy)]
struct Sender {
    pid: u32,
    uid: u32,
    comm: [u8; COMM_LEN],
}

const SIGILL: i32 = 4;
const SIGTRAP: i32 = 5;
const SIGABRT: i32 = 6;
const SIGBUS: i32 = 7;
const SIGFPE: i32 = 8;
const SIGKILL: i32 = 9;
const SIGSEGV: i32 = 11;
const SIGSYS: i32 = 31;

#[inline(always)]
fn offsets() -> KernelOffsets {
    // Volatile: the value is patched into .rodata at load time, after compilation.
    unsafe { core::ptr::read_volatile(&KERNEL_OFFSETS) }
}

#[inline(always)]
fn is_crash_signal(sig: i32) -> bool {
    matches!(
        sig,
        SIGSEGV | SIGBUS | SIGFPE | SIGILL | SIGABRT | SIGTRAP | SIGSYS | SIGKILL
    )
}

#[inline(always)]
fn is_fault_signal(sig: i32) -> bool {
    matches!(sig, SIGSEGV | SIGBUS | SIGFPE | SIGILL | SIGTRAP)
}

#[inline(always)]
unsafe fn read_at<T: Copy>(base: u64, off: u32) -> Option<T> {
    if base == 0 {
        return None;
    }
    unsafe { bpf_probe_read_kernel((base + off as u64) as *const T).ok() }
}

/// `task->cgroups->dfl_cgrp->kn->id`: the cgroup v2 id of any task.
#[inline(always)]
unsafe fn task_cgroup_id(o: &KernelOffsets, task: u64) -> Option<u64> {
    unsafe {
        let css_set: u64 = read_at(task, o.task_cgroups)?;
        let cgrp: u64 = read_at(css_set, o.css_set_dfl_cgrp)?;
        let kn: u64 = read_at(cgrp, o.cgroup_kn)?;
        read_at(kn, o.kernfs_node_id)
    }
}

#[inline(always)]
fn current_watched() -> Option<(u64, WatchConfig)> {
    let cg = unsafe { bpf_get_current_cgroup_id() };
    let cfg = unsafe { WATCHED.get(&cg) }?;
    Some((cg, *cfg))
}

#[inline(always)]
fn count_lost(slot: u32) {
    if let Some(p) = LOST.get_ptr_mut(slot) {
        unsafe { *p += 1 };
    }
}

#[inline(always)]
fn fill_current_header(h: &mut EventHeader, kind: EventKind, cgroup_id: u64) {
    let pid_tgid = bpf_get_current_pid_tgid();
    h.kind = kind as u32;
    h.pid = (pid_tgid >> 32) as u32;
    h.tid = pid_tgid as u32;
    h._pad = 0;
    h.boot_ns = unsafe { bpf_ktime_get_boot_ns() };
    h.cgroup_id = cgroup_id;
    h.comm = bpf_get_current_comm().unwrap_or([0; COMM_LEN]);
}

// ---------------------------------------------------------------------------------------------
// Crash signals
// ---------------------------------------------------------------------------------------------

/// `signal_generate(int sig, struct kernel_siginfo *info, struct task_struct *task, int group,
/// int result)`: runs in the sender's context. Remembers who sent a fatal signal to a watched
/// process, because the group-exit delivery path no longer carries the siginfo.
#[raw_tracepoint(tracepoint = "signal_generate")]
pub fn signal_generate(ctx: RawTracePointContext) -> i32 {
    let sig: i32 = ctx.arg::<u64>(0) as i32;
    if !is_crash_signal(sig) {
        return 0;
    }
    let o = offsets();
    if o.valid == 0 {
        return 0;
    }
    let info: u64 = ctx.arg(1);
    let task: u64 = ctx.arg(2);
    unsafe {
        let Some(cg) = task_cgroup_id(&o, task) else {
            return 0;
        };
        if WATCHED.get(&cg).is_none() {
            return 0;
        }
        let Some(tgid) = read_at::<u32>(task, o.task_tgid) else {
            return 0;
        };
        // SEND_SIG_NOINFO (0) and SEND_SIG_PRIV (1) mark kernel-generated signals.
        let from_user = info > 1 && read_at::<i32>(info, o.siginfo_code).unwrap_or(1) <= 0;
        let sender = if from_user {
            Sender {
                pid: (bpf_get_current_pid_tgid() >> 32) as u32,
                uid: read_at::<u32>(info, o.siginfo_uid).unwrap_or(0),
                comm: bpf_get_current_comm().unwrap_or([0; COMM_LEN]),
            }
        } else {
            Sender {
                pid: 0,
                uid: 0,
                comm: [0; COMM_LEN],
            }
        };
        let _ = SENDERS.insert(&tgid, &sender, 0);
    }
    0
}

/// `signal_deliver(int sig, struct kernel_siginfo *info, struct k_sigaction *ka)`: runs in the
/// receiving thread, so `bpf_get_stack` sees the faulting thread's own user stack.
#[raw_tracepoint(tracepoint = "signal_deliver")]
pub fn signal_deliver(ctx: RawTracePointContext) -> i32 {
    let sig: i32 = ctx.arg::<u64>(0) as i32;
    if !is_crash_signal(sig) {
        return 0;
    }
    let Some((cg, _)) = current_watched() else {
        return 0;
    };
    let o = offsets();
    if o.valid == 0 {
        return 0;
    }
    let info: u64 = ctx.arg(1);
    let ka: u64 = ctx.arg(2);
    unsafe {
        // A handler that is installed (not SIG_DFL) may recover; the kernel delivers the
        // signal again with SIG_DFL if the program re-raises it.
        if sig != SIGKILL && read_at::<u64>(ka, o.k_sigaction_handler).unwrap_or(0) != 0 {
            return 0;
        }
        let tgid = (bpf_get_current_pid_tgid() >> 32) as u32;
        if CRASHED.get(&tgid).is_some() {
            return 0;
        }
        let _ = CRASHED.insert(&tgid, &1u8, 0);

        let Some(mut entry) = EVENTS.reserve::<CrashEvent>(0) else {
            count_lost(lost::RING_FULL);
            return 0;
        };
        let ev = &mut *entry.as_mut_ptr();
        fill_current_header(&mut ev.header, EventKind::Crash, cg);
        ev.signal = sig;
        ev.si_code = 0;
        ev.fault_addr = 0;
        ev.sender_pid = 0;
        ev.sender_uid = 0;
        ev.sender_comm = [0; COMM_LEN];
        if info > 1 {
            let code = read_at::<i32>(info, o.siginfo_code).unwrap_or(0);
            ev.si_code = code;
            if code > 0 && is_fault_signal(sig) {
                ev.fault_addr = read_at::<u64>(info, o.siginfo_addr).unwrap_or(0);
            }
        }
        if let Some(s) = SENDERS.get(&tgid) {
            ev.sender_pid = s.pid;
            ev.sender_uid = s.uid;
            ev.sender_comm = s.comm;
        }
        let _ = SENDERS.remove(&tgid);
        ev.ips_bytes = bpf_get_stack(
            ctx.as_ptr(),
            ev.ips.as_mut_ptr().cast(),
            core::mem::size_of_val(&ev.ips) as u32,
            BPF_F_USER_STACK as u64,
        );
        ev.stack_bytes = bpf_get_stack(
            ctx.as_ptr(),
            ev.frames.as_mut_ptr().cast(),
            (core::mem::size_of::<StackFrame>() * ev.frames.len()) as u32,
            (BPF_F_USER_STACK | BPF_F_USER_BUILD_ID) as u64,
        );
        let stack_err = if ev.stack_bytes < 0 {
            ev.stack_bytes
        } else {
            ev.ips_bytes.min(0)
        };
        entry.submit(0);
        if stack_err < 0 {
            warn!(
                &ctx,
                "user stack of pid {} unavailable (bpf_get_stack: {})", tgid, stack_err
            );
        }
    }
    0
}

// ---------------------------------------------------------------------------------------------
// Process lifecycle
// ---------------------------------------------------------------------------------------------

/// `sched_process_exit(struct task_struct *p[, bool group_dead])`, in the exiting task.
#[raw_tracepoint(tracepoint = "sched_process_exit")]
pub fn sched_process_exit(ctx: RawTracePointContext) -> i32 {
    let pid_tgid = bpf_get_current_pid_tgid();
    let tid = pid_tgid as u32;
    let _ = INFLIGHT.remove(&tid);
    let Some((cg, _)) = current_watched() else {
        return 0;
    };
    let o = offsets();
    if o.valid == 0 {
        return 0;
    }
    let tgid = (pid_tgid >> 32) as u32;
    let group_dead = if o.exit_tp_has_group_dead != 0 {
        ctx.arg::<u64>(1) & 0xff != 0
    } else {
        tid == tgid
    };
    if !group_dead {
        return 0;
    }
    let _ = CRASHED.remove(&tgid);
    let task = unsafe { bpf_get_current_task() };
    let mut code = unsafe { read_at::<u32>(task, o.task_exit_code) }.unwrap_or(0);
    if code == 0 {
        // The tracepoint may fire before do_exit() copies the group's exit code to the task.
        let signal = unsafe { read_at::<u64>(task, o.task_signal) }.unwrap_or(0);
        code = unsafe { read_at::<u32>(signal, o.signal_group_exit_code) }.unwrap_or(0);
    }
    let Some(mut entry) = EVENTS.reserve::<ExitEvent>(0) else {
        count_lost(lost::RING_FULL);
        return 0;
    };
    let ev = unsafe { &mut *entry.as_mut_ptr() };
    fill_current_header(&mut ev.header, EventKind::Exit, cg);
    ev.exit_code = code;
    ev._pad = 0;
    entry.submit(0);
    0
}

/// `sched_process_exec(struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)`.
#[raw_tracepoint(tracepoint = "sched_process_exec")]
pub fn sched_process_exec(ctx: RawTracePointContext) -> i32 {
    let Some((cg, _)) = current_watched() else {
        return 0;
    };
    let o = offsets();
    let bprm: u64 = ctx.arg(2);
    let Some(mut entry) = EVENTS.reserve::<ExecEvent>(0) else {
        count_lost(lost::RING_FULL);
        return 0;
    };
    let ev = unsafe { &mut *entry.as_mut_ptr() };
    fill_current_header(&mut ev.header, EventKind::Exec, cg);
    ev.filename[0] = 0;
    if let Some(name) = unsafe { read_at::<u64>(bprm, o.binprm_filename) } {
        let _ = unsafe { bpf_probe_read_kernel_str_bytes(name as *const u8, &mut ev.filename) };
    }
    entry.submit(0);
    0
}

// ---------------------------------------------------------------------------------------------
// Following services across restarts
// ---------------------------------------------------------------------------------------------

/// `cgroup_mkdir(struct cgroup *cgrp, const char *path)`: runs in the task creating the
/// cgroup (the service manager), before any process can join it.
#[raw_tracepoint(tracepoint = "cgroup_mkdir")]
pub fn cgroup_mkdir(ctx: RawTracePointContext) -> i32 {
    let o = offsets();
    if o.valid == 0 {
        return 0;
    }
    let cgrp: u64 = ctx.arg(0);
    let path: u64 = ctx.arg(1);
    // Hybrid hosts also create the unit's cgroup in the v1 hierarchies, at the same path.
    let root = unsafe { read_at::<u64>(cgrp, o.cgroup_root) }.unwrap_or(0);
    if unsafe { read_at::<i32>(root, o.cgroup_root_hierarchy_id) } != Some(0) {
        return 0;
    }
    let Some(key) = PATH_SCRATCH.get_ptr_mut(0) else {
        return 0;
    };
    let key = unsafe { &mut *key };
    // The key must be zero past the NUL to equal the daemon's (zero-padded) key. Word
    // stores: a byte array fill would become a memset call, which eBPF has not.
    let words = key.bytes.as_mut_ptr() as *mut u64;
    for i in 0..CGROUP_PATH_WORDS {
        unsafe { core::ptr::write_unaligned(words.add(i), 0) };
    }
    if unsafe { bpf_probe_read_kernel_str_bytes(path as *const u8, &mut key.bytes) }.is_err() {
        return 0;
    }
    let Some(followed) = (unsafe { FOLLOWED_PATHS.get(key) }).copied() else {
        return 0;
    };
    let Some(kn) = (unsafe { read_at::<u64>(cgrp, o.cgroup_kn) }) else {
        return 0;
    };
    let Some(id) = (unsafe { read_at::<u64>(kn, o.kernfs_node_id) }) else {
        return 0;
    };
    let _ = WATCHED.insert(&id, &followed.config, 0);
    let Some(mut entry) = EVENTS.reserve::<CgroupCreatedEvent>(0) else {
        // The cgroup is watched all the same; user space learns its id from systemd.
        count_lost(lost::RING_FULL);
        return 0;
    };
    let ev = unsafe { &mut *entry.as_mut_ptr() };
    fill_current_header(&mut ev.header, EventKind::CgroupCreated, id);
    ev.slot = followed.slot;
    ev._pad = 0;
    entry.submit(0);
    0
}

const CGROUP_PATH_WORDS: usize = healer_common::CGROUP_PATH_LEN / 8;

/// `mark_victim(struct task_struct *task, uid_t uid)` on current kernels: the OOM killer chose
/// `task`. Runs in the task whose allocation failed.
#[raw_tracepoint(tracepoint = "mark_victim")]
pub fn mark_victim(ctx: RawTracePointContext) -> i32 {
    let o = offsets();
    if o.valid == 0 || o.oom_tp_has_task == 0 {
        return 0;
    }
    let task: u64 = ctx.arg(0);
    unsafe {
        let Some(cg) = task_cgroup_id(&o, task) else {
            return 0;
        };
        if WATCHED.get(&cg).is_none() {
            return 0;
        }
        let Some(mut entry) = EVENTS.reserve::<OomEvent>(0) else {
            count_lost(lost::RING_FULL);
            return 0;
        };
        let ev = &mut *entry.as_mut_ptr();
        let trigger = bpf_get_current_pid_tgid();
        ev.header.kind = EventKind::Oom as u32;
        ev.header.pid = read_at::<u32>(task, o.task_tgid).unwrap_or(0);
        ev.header.tid = read_at::<u32>(task, o.task_pid).unwrap_or(0);
        ev.header._pad = 0;
        ev.header.boot_ns = bpf_ktime_get_boot_ns();
        ev.header.cgroup_id = cg;
        ev.header.comm = read_at::<[u8; COMM_LEN]>(task, o.task_comm).unwrap_or([0; COMM_LEN]);
        ev.trigger_pid = (trigger >> 32) as u32;
        ev._pad = 0;
        ev.trigger_comm = bpf_get_current_comm().unwrap_or([0; COMM_LEN]);
        entry.submit(0);
    }
    0
}

// ---------------------------------------------------------------------------------------------
// Syscalls: aggregated in the kernel, one ring event only for slow ones
// ---------------------------------------------------------------------------------------------

/// `sys_enter(struct pt_regs *regs, long id)`.
#[raw_tracepoint(tracepoint = "sys_enter")]
pub fn sys_enter(ctx: RawTracePointContext) -> i32 {
    if current_watched().is_none() {
        return 0;
    }
    let nr: u64 = ctx.arg(1);
    let tid = bpf_get_current_pid_tgid() as u32;
    let inflight = Inflight {
        start_ns: unsafe { bpf_ktime_get_ns() },
        nr: nr as u32,
        _pad: 0,
    };
    let _ = INFLIGHT.insert(&tid, &inflight, 0);
    0
}

/// `sys_exit(struct pt_regs *regs, long ret)`.
#[raw_tracepoint(tracepoint = "sys_exit")]
pub fn sys_exit(ctx: RawTracePointContext) -> i32 {
    let Some((cg, cfg)) = current_watched() else {
        return 0;
    };
    let tid = bpf_get_current_pid_tgid() as u32;
    let Some(start) = (unsafe { INFLIGHT.get(&tid) }).copied() else {
        return 0;
    };
    let _ = INFLIGHT.remove(&tid);
    let latency = unsafe { bpf_ktime_get_ns() }.saturating_sub(start.start_ns);
    let ret: i64 = ctx.arg::<u64>(1) as i64;
    let key = SyscallKey {
        cgroup_id: cg,
        syscall_nr: start.nr,
        _pad: 0,
    };
    record_latency(&key, latency, ret);
    if cfg.slow_syscall_ns != 0 && latency >= cfg.slow_syscall_ns {
        match EVENTS.reserve::<SlowSyscallEvent>(0) {
            Some(mut entry) => {
                let ev = unsafe { &mut *entry.as_mut_ptr() };
                fill_current_header(&mut ev.header, EventKind::SlowSyscall, cg);
                ev.syscall_nr = start.nr;
                ev._pad = 0;
                ev.ret = ret;
                ev.latency_ns = latency;
                entry.submit(0);
            }
            None => count_lost(lost::RING_FULL),
        }
    }
    0
}

#[inline(always)]
fn log2_bucket(ns: u64) -> usize {
    // floor(log2(ns)) + 1 by binary search: BPF has no count-leading-zeros instruction.
    if ns == 0 {
        return 0;
    }
    let mut v = ns;
    let mut r = 0usize;
    if v >= 1 << 32 {
        v >>= 32;
        r += 32;
    }
    if v >= 1 << 16 {
        v >>= 16;
        r += 16;
    }
    if v >= 1 << 8 {
        v >>= 8;
        r += 8;
    }
    if v >= 1 << 4 {
        v >>= 4;
        r += 4;
    }
    if v >= 1 << 2 {
        v >>= 2;
        r += 2;
    }
    if v >= 1 << 1 {
        r += 1;
    }
    let b = r + 1;
    if b >= LATENCY_BUCKETS {
        LATENCY_BUCKETS - 1
    } else {
        b
    }
}

/// The per-CPU value of `key`, created from the all-zero `zero` map when missing.
/// Counts a loss when the map is full.
#[inline(always)]
fn get_or_zero<V>(
    map: &PerCpuHashMap<SyscallKey, V>,
    zero: &PerCpuArray<V>,
    key: &SyscallKey,
) -> Option<*mut V> {
    if let Some(p) = map.get_ptr_mut(key) {
        return Some(p);
    }
    let _ = map.insert(key, zero.get(0)?, BPF_NOEXIST as u64);
    let p = map.get_ptr_mut(key);
    if p.is_none() {
        count_lost(lost::STATS_MAP_FULL);
    }
    p
}

#[inline(always)]
fn record_latency(key: &SyscallKey, latency: u64, ret: i64) {
    let Some(stats) = get_or_zero(&SYSCALL_STATS, &ZERO_STATS, key) else {
        return;
    };
    // Per-CPU values: no other CPU writes this copy, plain adds are race-free.
    let s = unsafe { &mut *stats };
    s.count += 1;
    s.total_ns += latency;
    let b = log2_bucket(latency);
    if let Some(slot) = s.buckets.get_mut(b) {
        *slot += 1;
    }
    if (-4095..0).contains(&ret) {
        s.errors += 1;
        let errno = (-ret) as usize;
        let Some(errors) = get_or_zero(&SYSCALL_ERRORS, &ZERO_ERRORS, key) else {
            return;
        };
        let idx = if errno >= MAX_ERRNO {
            MAX_ERRNO - 1
        } else {
            errno
        };
        if let Some(slot) = unsafe { &mut *errors }.by_errno.get_mut(idx) {
            *slot += 1;
        }
    }
}

#[cfg(not(test))]
#[panic_handler]
fn panic(_info: &core::panic::PanicInfo) -> ! {
    loop {}
}

#[unsafe(link_section = "license")]
#[unsafe(no_mangle)]
static LICENSE: [u8; 13] = *b"Dual MIT/GPL\0";
