//! Typed sensor events, decoded from the ring buffer's bytes.

use healer_common::{
    COMM_LEN, CgroupCreatedEvent, CrashEvent, EventHeader, EventKind, ExecEvent, ExitEvent,
    MAX_STACK_FRAMES, OomEvent, STACK_FRAME_IP, STACK_FRAME_VALID, SlowSyscallEvent, StackFrame,
};
use serde::Serialize;

use super::{SenseError, symbolize::Frame};

/// Where a raw user stack frame points, before symbolization.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "loc", rename_all = "snake_case")]
pub enum RawFrame {
    /// Position independent: the ELF file with this build id, at this file offset.
    BuildId { build_id: String, file_offset: u64 },
    /// Only the absolute address is known (resolved through the process's memory map).
    Address { ip: u64 },
}

#[derive(Clone, Debug, Serialize)]
pub struct Sender {
    pub pid: u32,
    pub uid: u32,
    pub comm: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct Crash {
    pub pid: u32,
    pub tid: u32,
    pub comm: String,
    pub cgroup_id: u64,
    pub boot_ns: u64,
    pub signal: i32,
    pub si_code: i32,
    pub fault_addr: u64,
    /// Set when another process sent the signal.
    pub sender: Option<Sender>,
    /// The stack, symbolized, innermost first (filled in by the sensor).
    pub frames: Vec<Frame>,
    /// The stack as the kernel recorded it; `ips[i]` and `raw_frames[i]` are the same frame.
    #[serde(skip)]
    pub raw_frames: Vec<RawFrame>,
    #[serde(skip)]
    pub ips: Vec<u64>,
    /// Why the stack is empty, when it is (a negative errno from `bpf_get_stack`).
    pub stack_error: Option<i64>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Exit {
    pub pid: u32,
    pub comm: String,
    pub cgroup_id: u64,
    pub boot_ns: u64,
    /// `exit()` status when the process exited normally.
    pub exit_status: Option<i32>,
    /// Terminating signal when it was killed.
    pub signal: Option<i32>,
    pub core_dumped: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct Oom {
    pub pid: u32,
    pub tid: u32,
    pub comm: String,
    pub cgroup_id: u64,
    pub boot_ns: u64,
    pub trigger_pid: u32,
    pub trigger_comm: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct SlowSyscall {
    pub pid: u32,
    pub tid: u32,
    pub comm: String,
    pub cgroup_id: u64,
    pub boot_ns: u64,
    pub syscall_nr: u32,
    pub syscall: String,
    pub latency_ns: u64,
    pub ret: i64,
}

#[derive(Clone, Debug, Serialize)]
pub struct Exec {
    pub pid: u32,
    pub comm: String,
    pub filename: String,
    pub cgroup_id: u64,
    pub boot_ns: u64,
}

/// A followed cgroup path was created again (a service restarted): the kernel already
/// watches `cgroup_id`; `slot` says whose path it is.
#[derive(Clone, Debug, Serialize)]
pub struct CgroupCreated {
    pub cgroup_id: u64,
    pub slot: u32,
    pub boot_ns: u64,
    /// The task that created it (usually the service manager).
    pub pid: u32,
}

/// One event from the kernel, decoded.
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Event {
    Crash(Crash),
    Exit(Exit),
    Oom(Oom),
    SlowSyscall(SlowSyscall),
    Exec(Exec),
    CgroupCreated(CgroupCreated),
}

impl Event {
    pub fn pid(&self) -> u32 {
        match self {
            Event::Crash(e) => e.pid,
            Event::Exit(e) => e.pid,
            Event::Oom(e) => e.pid,
            Event::SlowSyscall(e) => e.pid,
            Event::Exec(e) => e.pid,
            Event::CgroupCreated(e) => e.pid,
        }
    }

    pub fn cgroup_id(&self) -> u64 {
        match self {
            Event::Crash(e) => e.cgroup_id,
            Event::Exit(e) => e.cgroup_id,
            Event::Oom(e) => e.cgroup_id,
            Event::SlowSyscall(e) => e.cgroup_id,
            Event::Exec(e) => e.cgroup_id,
            Event::CgroupCreated(e) => e.cgroup_id,
        }
    }
}

pub fn comm_str(c: &[u8; COMM_LEN]) -> String {
    let end = c.iter().position(|&b| b == 0).unwrap_or(COMM_LEN);
    String::from_utf8_lossy(&c[..end]).into_owned()
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Name of a syscall number on this architecture (`"syscall_N"` when unknown).
pub fn syscall_name(nr: u32) -> String {
    match syscalls::Sysno::new(nr as usize) {
        Some(s) => s.name().to_string(),
        None => format!("syscall_{nr}"),
    }
}

/// Name of a signal number (`"SIG<n>"` when unknown).
pub fn signal_name(sig: i32) -> String {
    nix::sys::signal::Signal::try_from(sig)
        .map(|s| s.as_str().to_string())
        .unwrap_or_else(|_| format!("SIG{sig}"))
}

/// Symbolic name of an errno (`EACCES`).
pub fn errno_name(errno: i32) -> String {
    format!("{:?}", nix::errno::Errno::from_raw(errno))
}

fn read<T: Copy>(bytes: &[u8]) -> Result<T, SenseError> {
    if bytes.len() < std::mem::size_of::<T>() {
        return Err(SenseError::Decode(format!(
            "event of {} bytes is shorter than {} ({} bytes)",
            bytes.len(),
            std::any::type_name::<T>(),
            std::mem::size_of::<T>()
        )));
    }
    // SAFETY: length checked; every type read here is repr(C) plain data for which any
    // bit pattern is valid, and read_unaligned copes with the ring's 8-byte alignment.
    Ok(unsafe { std::ptr::read_unaligned(bytes.as_ptr().cast::<T>()) })
}

/// Decodes one ring-buffer record.
pub fn decode(bytes: &[u8]) -> Result<Event, SenseError> {
    let header: EventHeader = read(bytes)?;
    let kind = EventKind::from_u32(header.kind)
        .ok_or_else(|| SenseError::Decode(format!("unknown event kind {}", header.kind)))?;
    let comm = comm_str(&header.comm);
    Ok(match kind {
        EventKind::Crash => {
            let ev: Box<CrashEvent> = Box::new(read(bytes)?);
            decode_crash(&ev, comm)
        }
        EventKind::Exit => {
            let ev: ExitEvent = read(bytes)?;
            let (exit_status, signal, core_dumped) = healer_common::decode_exit_code(ev.exit_code);
            Event::Exit(Exit {
                pid: header.pid,
                comm,
                cgroup_id: header.cgroup_id,
                boot_ns: header.boot_ns,
                exit_status,
                signal,
                core_dumped,
            })
        }
        EventKind::Oom => {
            let ev: OomEvent = read(bytes)?;
            Event::Oom(Oom {
                pid: header.pid,
                tid: header.tid,
                comm,
                cgroup_id: header.cgroup_id,
                boot_ns: header.boot_ns,
                trigger_pid: ev.trigger_pid,
                trigger_comm: comm_str(&ev.trigger_comm),
            })
        }
        EventKind::SlowSyscall => {
            let ev: SlowSyscallEvent = read(bytes)?;
            Event::SlowSyscall(SlowSyscall {
                pid: header.pid,
                tid: header.tid,
                comm,
                cgroup_id: header.cgroup_id,
                boot_ns: header.boot_ns,
                syscall_nr: ev.syscall_nr,
                syscall: syscall_name(ev.syscall_nr),
                latency_ns: ev.latency_ns,
                ret: ev.ret,
            })
        }
        EventKind::Exec => {
            let ev: Box<ExecEvent> = Box::new(read(bytes)?);
            let end = ev
                .filename
                .iter()
                .position(|&b| b == 0)
                .unwrap_or(ev.filename.len());
            Event::Exec(Exec {
                pid: header.pid,
                comm,
                filename: String::from_utf8_lossy(&ev.filename[..end]).into_owned(),
                cgroup_id: header.cgroup_id,
                boot_ns: header.boot_ns,
            })
        }
        EventKind::CgroupCreated => {
            let ev: CgroupCreatedEvent = read(bytes)?;
            Event::CgroupCreated(CgroupCreated {
                cgroup_id: header.cgroup_id,
                slot: ev.slot,
                boot_ns: header.boot_ns,
                pid: header.pid,
            })
        }
    })
}

fn decode_crash(ev: &CrashEvent, comm: String) -> Event {
    let h = &ev.header;
    let frame_size = std::mem::size_of::<StackFrame>() as i64;
    let n_frames = (ev.stack_bytes.max(0) / frame_size).min(MAX_STACK_FRAMES as i64) as usize;
    let n_ips = (ev.ips_bytes.max(0) / 8).min(MAX_STACK_FRAMES as i64) as usize;
    let ips: Vec<u64> = ev.ips[..n_ips].to_vec();
    let raw_frames = ev.frames[..n_frames]
        .iter()
        .enumerate()
        .filter_map(|(i, f)| match f.status {
            STACK_FRAME_VALID => Some(RawFrame::BuildId {
                build_id: hex(&f.build_id),
                file_offset: f.offset_or_ip,
            }),
            STACK_FRAME_IP => Some(RawFrame::Address { ip: f.offset_or_ip }),
            // Empty build-id slot: fall back to the plain ip of the same frame.
            _ => ips.get(i).map(|&ip| RawFrame::Address { ip }),
        })
        .collect();
    let stack_error = [ev.stack_bytes, ev.ips_bytes].into_iter().find(|&b| b < 0);
    Event::Crash(Crash {
        pid: h.pid,
        tid: h.tid,
        comm,
        cgroup_id: h.cgroup_id,
        boot_ns: h.boot_ns,
        signal: ev.signal,
        si_code: ev.si_code,
        fault_addr: ev.fault_addr,
        sender: (ev.sender_pid != 0).then(|| Sender {
            pid: ev.sender_pid,
            uid: ev.sender_uid,
            comm: comm_str(&ev.sender_comm),
        }),
        frames: Vec::new(),
        raw_frames,
        ips,
        stack_error,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(kind: EventKind) -> EventHeader {
        let mut comm = [0u8; COMM_LEN];
        comm[..4].copy_from_slice(b"prog");
        EventHeader {
            kind: kind as u32,
            pid: 42,
            tid: 43,
            _pad: 0,
            boot_ns: 7,
            cgroup_id: 99,
            comm,
        }
    }

    fn bytes_of<T>(v: &T) -> Vec<u8> {
        // SAFETY: test-only view of plain repr(C) data.
        unsafe {
            std::slice::from_raw_parts((v as *const T).cast::<u8>(), std::mem::size_of::<T>())
        }
        .to_vec()
    }

    #[test]
    fn decodes_exit_status_and_signal() {
        let ev = ExitEvent {
            header: header(EventKind::Exit),
            exit_code: 3 << 8,
            _pad: 0,
        };
        let Event::Exit(e) = decode(&bytes_of(&ev)).unwrap() else {
            panic!("not an exit")
        };
        assert_eq!(
            (e.pid, e.exit_status, e.signal, e.comm.as_str()),
            (42, Some(3), None, "prog")
        );

        let ev = ExitEvent {
            header: header(EventKind::Exit),
            exit_code: 11 | 0x80,
            _pad: 0,
        };
        let Event::Exit(e) = decode(&bytes_of(&ev)).unwrap() else {
            panic!("not an exit")
        };
        assert_eq!(
            (e.exit_status, e.signal, e.core_dumped),
            (None, Some(11), true)
        );
    }

    #[test]
    fn crash_frames_prefer_build_id_and_fall_back_to_ips() {
        let mut ev: CrashEvent = unsafe { std::mem::zeroed() };
        ev.header = header(EventKind::Crash);
        ev.signal = 11;
        ev.frames[0].status = STACK_FRAME_VALID;
        ev.frames[0].build_id = [0xab; 20];
        ev.frames[0].offset_or_ip = 0x1234;
        ev.frames[1].status = STACK_FRAME_IP;
        ev.frames[1].offset_or_ip = 0x5555;
        ev.ips[2] = 0x7777;
        ev.stack_bytes = 3 * std::mem::size_of::<StackFrame>() as i64;
        ev.ips_bytes = 3 * 8;
        let Event::Crash(c) = decode(&bytes_of(&ev)).unwrap() else {
            panic!("not a crash")
        };
        assert_eq!(
            c.raw_frames,
            vec![
                RawFrame::BuildId {
                    build_id: "ab".repeat(20),
                    file_offset: 0x1234
                },
                RawFrame::Address { ip: 0x5555 },
                RawFrame::Address { ip: 0x7777 },
            ]
        );
        assert!(c.sender.is_none());
        assert_eq!(c.stack_error, None);
    }

    #[test]
    fn rejects_truncated_and_unknown_records() {
        assert!(decode(&[0u8; 4]).is_err());
        let mut h = header(EventKind::Crash);
        h.kind = 77;
        assert!(decode(&bytes_of(&h)).is_err());
    }

    #[test]
    fn names() {
        assert_eq!(syscall_name(35), "nanosleep");
        assert_eq!(signal_name(11), "SIGSEGV");
        assert_eq!(errno_name(13), "EACCES");
    }
}
