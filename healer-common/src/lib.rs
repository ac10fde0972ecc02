//! Types shared by healer's eBPF programs and the daemon.
//!
//! Everything here crosses the kernel boundary, so every type is `#[repr(C)]`,
//! `Copy`, free of pointers, and has explicit padding: the eBPF side writes
//! these bytes into maps and ring buffers and user space reads them back.
//! The `user` feature adds the `aya::Pod` impls user space needs.
#![no_std]

/// Length of `task_struct.comm`.
pub const COMM_LEN: usize = 16;
/// User stack frames captured per crash (the issue asks for at least 32).
pub const MAX_STACK_FRAMES: usize = 64;
/// Log2 latency buckets per syscall: bucket `i` counts latencies in `[2^(i-1), 2^i)` ns,
/// bucket 0 counts 0 ns; the last bucket also holds everything longer.
pub const LATENCY_BUCKETS: usize = 40;
/// Errnos counted per syscall; larger errnos are counted in the last slot.
pub const MAX_ERRNO: usize = 134;

/// Names of the maps the daemon opens.
pub mod maps {
    pub const EVENTS: &str = "EVENTS";
    pub const WATCHED: &str = "WATCHED";
    pub const SYSCALL_STATS: &str = "SYSCALL_STATS";
    pub const SYSCALL_ERRORS: &str = "SYSCALL_ERRORS";
    pub const LOST: &str = "LOST";
    pub const FOLLOWED_PATHS: &str = "FOLLOWED_PATHS";
}

/// Names of the global variables the daemon sets at load time with offsets read from BTF.
pub mod globals {
    pub const KERNEL_OFFSETS: &str = "KERNEL_OFFSETS";
}

/// Discriminant at the start of every ring-buffer event.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventKind {
    Crash = 1,
    Exit = 2,
    Oom = 3,
    SlowSyscall = 4,
    Exec = 5,
    CgroupCreated = 6,
}

impl EventKind {
    pub fn from_u32(v: u32) -> Option<Self> {
        Some(match v {
            1 => Self::Crash,
            2 => Self::Exit,
            3 => Self::Oom,
            4 => Self::SlowSyscall,
            5 => Self::Exec,
            6 => Self::CgroupCreated,
            _ => return None,
        })
    }
}

/// Common prefix of every event. `pid`/`tid` are the user-space process and thread ids
/// (kernel tgid/pid) of the task the event is about.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct EventHeader {
    pub kind: u32,
    pub pid: u32,
    pub tid: u32,
    pub _pad: u32,
    /// `bpf_ktime_get_boot_ns()` when the kernel saw it.
    pub boot_ns: u64,
    /// cgroup v2 id of the task.
    pub cgroup_id: u64,
    pub comm: [u8; COMM_LEN],
}

/// One user stack frame as `bpf_get_stack(BPF_F_USER_STACK | BPF_F_USER_BUILD_ID)` writes it
/// (`struct bpf_stack_build_id`): position independent, so it stays meaningful after the
/// process is gone and under ASLR.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct StackFrame {
    /// `BPF_STACK_BUILD_ID_*`: 0 empty, 1 valid (build id + file offset), 2 ip only.
    pub status: i32,
    pub build_id: [u8; 20],
    /// File offset when `status == 1`, absolute ip when `status == 2`.
    pub offset_or_ip: u64,
}

pub const STACK_FRAME_EMPTY: i32 = 0;
pub const STACK_FRAME_VALID: i32 = 1;
pub const STACK_FRAME_IP: i32 = 2;

/// A fatal signal delivered to a watched task, seen in the context of the task that dies,
/// so the stack is the faulting thread's own.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct CrashEvent {
    pub header: EventHeader,
    pub signal: i32,
    pub si_code: i32,
    /// `si_addr` for fault signals (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP), else 0.
    pub fault_addr: u64,
    /// Sender when another process sent the signal (0 when the kernel raised it).
    pub sender_pid: u32,
    pub sender_uid: u32,
    pub sender_comm: [u8; COMM_LEN],
    /// Raw user instruction pointers of the same stack, for frames without a build id.
    pub ips: [u64; MAX_STACK_FRAMES],
    /// Bytes of `frames` that `bpf_get_stack` filled (negative errno on failure).
    pub stack_bytes: i64,
    pub ips_bytes: i64,
    pub frames: [StackFrame; MAX_STACK_FRAMES],
}

/// The last thread of a watched process exited.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct ExitEvent {
    pub header: EventHeader,
    /// `task_struct.exit_code`: `status << 8` for exit(), signal number (| 0x80 for a core dump)
    /// when killed.
    pub exit_code: u32,
    pub _pad: u32,
}

/// The OOM killer chose a watched task.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct OomEvent {
    /// About the victim.
    pub header: EventHeader,
    /// The task whose allocation triggered the OOM kill.
    pub trigger_pid: u32,
    pub _pad: u32,
    pub trigger_comm: [u8; COMM_LEN],
}

/// A syscall of a watched task that took longer than its cgroup's threshold.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct SlowSyscallEvent {
    pub header: EventHeader,
    pub syscall_nr: u32,
    pub _pad: u32,
    pub ret: i64,
    pub latency_ns: u64,
}

/// A watched task called execve (lets user space learn the binary before it can crash).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct ExecEvent {
    pub header: EventHeader,
    /// The path given to execve (NUL-terminated; may be relative to the caller's cwd).
    pub filename: [u8; EXEC_FILENAME_LEN],
}

pub const EXEC_FILENAME_LEN: usize = 256;

/// Longest cgroup path (from the cgroup2 root, NUL included) the kernel side can follow.
pub const CGROUP_PATH_LEN: usize = 256;

/// Key of the `FOLLOWED_PATHS` map: a cgroup path as `cgroup_mkdir` reports it ("/a/b.service"),
/// NUL-terminated and zero-padded so equal paths are equal keys.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct CgroupPath {
    pub bytes: [u8; CGROUP_PATH_LEN],
}

/// Value of the `FOLLOWED_PATHS` map. When a cgroup with that path is created (a service
/// (re)starts), the kernel side puts its id into `WATCHED` with `config` at once and reports a
/// [`CgroupCreatedEvent`]: no event of the new cgroup's processes waits for user space.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct FollowedPath {
    pub config: WatchConfig,
    /// User space's handle for whoever follows the path (echoed in the event).
    pub slot: u32,
    pub _pad: u32,
}

/// A followed cgroup path was created again; `header.cgroup_id` is the new cgroup's id (the
/// rest of the header is about the creating task, usually the service manager).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct CgroupCreatedEvent {
    pub header: EventHeader,
    pub slot: u32,
    pub _pad: u32,
}

/// Value of the `WATCHED` map, keyed by cgroup id.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct WatchConfig {
    /// Syscalls slower than this produce a `SlowSyscallEvent`; 0 disables them.
    pub slow_syscall_ns: u64,
}

/// Key of the per-syscall maps.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct SyscallKey {
    pub cgroup_id: u64,
    pub syscall_nr: u32,
    pub _pad: u32,
}

/// Per-CPU aggregate for one (cgroup, syscall): latency histogram and error total.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct SyscallStats {
    pub count: u64,
    pub errors: u64,
    pub total_ns: u64,
    pub buckets: [u64; LATENCY_BUCKETS],
}

/// Per-CPU error counts of one (cgroup, syscall), indexed by errno.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct SyscallErrors {
    pub by_errno: [u64; MAX_ERRNO],
}

/// Index of the per-CPU `LOST` array: why an event was not delivered.
pub mod lost {
    /// Ring buffer reservation failed (ring full).
    pub const RING_FULL: u32 = 0;
    /// A per-syscall stats entry could not be created (map full).
    pub const STATS_MAP_FULL: u32 = 1;
    pub const SLOTS: u32 = 2;
}

/// Byte offsets of kernel struct fields, read from the running kernel's BTF at start-up and
/// written into the eBPF object before loading (aya cannot emit CO-RE relocations).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct KernelOffsets {
    pub task_tgid: u32,
    pub task_pid: u32,
    pub task_exit_code: u32,
    pub task_comm: u32,
    pub task_cgroups: u32,
    pub task_signal: u32,
    pub signal_group_exit_code: u32,
    pub k_sigaction_handler: u32,
    pub binprm_filename: u32,
    pub css_set_dfl_cgrp: u32,
    pub cgroup_kn: u32,
    pub kernfs_node_id: u32,
    /// `cgroup.root` and `cgroup_root.hierarchy_id` (0 is the cgroup v2 hierarchy).
    pub cgroup_root: u32,
    pub cgroup_root_hierarchy_id: u32,
    pub siginfo_code: u32,
    pub siginfo_pid: u32,
    pub siginfo_uid: u32,
    pub siginfo_addr: u32,
    /// 1 when `sched_process_exit` passes `group_dead` as its second argument (kernel ≥ 6.16).
    pub exit_tp_has_group_dead: u32,
    /// 1 when `mark_victim` passes a `task_struct *` (newer kernels) rather than a pid.
    pub oom_tp_has_task: u32,
    /// Must be non-zero: lets the programs refuse to run with unset offsets.
    pub valid: u32,
}

/// Decodes `task_struct.exit_code` into what `waitpid` would report.
pub fn decode_exit_code(code: u32) -> (Option<i32>, Option<i32>, bool) {
    let sig = (code & 0x7f) as i32;
    if sig == 0 {
        (Some(((code >> 8) & 0xff) as i32), None, false)
    } else {
        (None, Some(sig), code & 0x80 != 0)
    }
}

#[cfg(feature = "user")]
mod pod {
    use super::*;
    // SAFETY: all of these are repr(C), Copy, with explicit padding and no pointers.
    unsafe impl aya::Pod for WatchConfig {}
    unsafe impl aya::Pod for SyscallKey {}
    unsafe impl aya::Pod for SyscallStats {}
    unsafe impl aya::Pod for SyscallErrors {}
    unsafe impl aya::Pod for KernelOffsets {}
    unsafe impl aya::Pod for CgroupPath {}
    unsafe impl aya::Pod for FollowedPath {}
}

/// Function-level hit flags recorded by the `fn_hit` uprobes (spectrum collection): the
/// attach cookie of a probe is the function's index `i`; the kernel sets byte `i % CHUNK` of
/// entry `i / CHUNK` of the `FN_HITS` array. Flags are plain byte stores (idempotent, so
/// concurrent threads need no atomics), and the chunks let user space read and clear many
/// functions per map syscall.
pub mod fnhits {
    /// Map of [`FnHitChunk`]s.
    pub const MAP: &str = "FN_HITS";
    /// Program in the `uprobe.multi` section (one link for all functions).
    pub const PROG_MULTI: &str = "fn_hit_multi";
    /// The same program in a plain `uprobe` section (one perf-event uprobe per function).
    pub const PROG_SINGLE: &str = "fn_hit";
    /// Functions per map entry.
    pub const CHUNK: usize = 64;
    /// Map entries: at most `CHUNKS * CHUNK` (262 144) functions per binary.
    pub const CHUNKS: u32 = 4096;

    #[repr(C)]
    #[derive(Clone, Copy, Debug)]
    pub struct FnHitChunk {
        /// Non-zero: function `entry * CHUNK + i` ran since the last clear.
        pub hit: [u8; CHUNK],
    }

    #[cfg(feature = "user")]
    // SAFETY: repr(C), Copy, a plain byte array.
    unsafe impl aya::Pod for FnHitChunk {}
}
