//! Kernel struct offsets for the eBPF programs, read from the running kernel's BTF.
//!
//! aya's Rust eBPF side cannot emit CO-RE relocations, so the programs read fields at byte
//! offsets that we compute here once at start-up and patch into the object before loading.

use std::path::Path;

use btfparse::{Offset, Readable, TypeInformation, TypeVariant};
use healer_common::KernelOffsets;

use super::SenseError;

pub const VMLINUX_BTF: &str = "/sys/kernel/btf/vmlinux";

struct Bytes(Vec<u8>);

impl Readable for Bytes {
    fn read(&self, offset: u64, buffer: &mut [u8]) -> btfparse::Result<()> {
        let start = usize::try_from(offset).unwrap_or(usize::MAX);
        match start
            .checked_add(buffer.len())
            .and_then(|end| self.0.get(start..end))
        {
            Some(src) => {
                buffer.copy_from_slice(src);
                Ok(())
            }
            None => Err(btfparse::Error::new(
                btfparse::ErrorKind::IOError,
                "read past the end of the BTF data",
            )),
        }
    }
}

/// Parsed kernel BTF.
pub struct KernelBtf {
    types: TypeInformation,
}

impl KernelBtf {
    pub fn load(path: &Path) -> Result<Self, SenseError> {
        let data = std::fs::read(path).map_err(|e| {
            SenseError::Missing(format!(
                "kernel BTF at {} ({e}); healer needs a kernel built with CONFIG_DEBUG_INFO_BTF=y",
                path.display()
            ))
        })?;
        let types = TypeInformation::new(&Bytes(data))
            .map_err(|e| SenseError::Btf(format!("cannot parse {}: {e:?}", path.display())))?;
        Ok(Self { types })
    }

    /// Byte offset of `path` (dotted, through anonymous members) inside struct `ty`.
    pub fn offset_of(&self, ty: &str, path: &str) -> Result<u32, SenseError> {
        let tid = self
            .types
            .id_of(ty)
            .ok_or_else(|| SenseError::Btf(format!("type `{ty}` not found in kernel BTF")))?;
        match self.types.offset_of(tid, path) {
            Ok((_, Offset::ByteOffset(off))) => Ok(off),
            Ok((_, Offset::BitOffsetAndSize(..))) => Err(SenseError::Btf(format!(
                "`{ty}.{path}` is a bitfield; healer reads whole bytes"
            ))),
            Err(e) => Err(SenseError::Btf(format!(
                "`{ty}.{path}` not found in kernel BTF: {e:?}"
            ))),
        }
    }

    /// The prototype behind `btf_trace_<name>` (typedef → pointer → function prototype).
    fn tracepoint_proto(&self, name: &str) -> Option<btfparse::FuncProto> {
        let mut tid = self.types.id_of(&format!("btf_trace_{name}"))?;
        // Bounded: a malformed BTF must not loop forever.
        for _ in 0..8 {
            match self.types.from_id(tid)? {
                TypeVariant::Typedef(t) => tid = *t.tid(),
                TypeVariant::Ptr(p) => tid = *p.tid(),
                TypeVariant::FuncProto(f) => return Some(f),
                _ => return None,
            }
        }
        None
    }

    /// Number of arguments a raw tracepoint passes (its prototype minus the `void *`
    /// context), or `None` when the kernel has no such tracepoint.
    pub fn tracepoint_arity(&self, name: &str) -> Option<usize> {
        self.tracepoint_proto(name)
            .map(|f| f.parameter_list().len().saturating_sub(1))
    }

    /// Whether argument `index` (0-based, after the context) of a tracepoint is a pointer.
    pub fn tracepoint_arg_is_pointer(&self, name: &str, index: usize) -> Option<bool> {
        let proto = self.tracepoint_proto(name)?;
        let param = proto.parameter_list().get(index + 1)?;
        Some(matches!(
            self.types.from_id(param.tid())?,
            TypeVariant::Ptr(_)
        ))
    }

    /// Every offset the eBPF programs need.
    pub fn kernel_offsets(&self) -> Result<KernelOffsets, SenseError> {
        let o = |ty: &str, path: &str| self.offset_of(ty, path);
        for tp in [
            "signal_generate",
            "signal_deliver",
            "sched_process_exit",
            "sched_process_exec",
            "sys_enter",
            "sys_exit",
            "cgroup_mkdir",
        ] {
            if self.tracepoint_arity(tp).is_none() {
                return Err(SenseError::Missing(format!(
                    "kernel tracepoint `{tp}` (not in the kernel's BTF)"
                )));
            }
        }
        Ok(KernelOffsets {
            task_tgid: o("task_struct", "tgid")?,
            task_pid: o("task_struct", "pid")?,
            task_exit_code: o("task_struct", "exit_code")?,
            task_comm: o("task_struct", "comm")?,
            task_cgroups: o("task_struct", "cgroups")?,
            task_signal: o("task_struct", "signal")?,
            signal_group_exit_code: o("signal_struct", "group_exit_code")?,
            k_sigaction_handler: o("k_sigaction", "sa.sa_handler")?,
            binprm_filename: o("linux_binprm", "filename")?,
            css_set_dfl_cgrp: o("css_set", "dfl_cgrp")?,
            cgroup_kn: o("cgroup", "kn")?,
            kernfs_node_id: o("kernfs_node", "id")?,
            cgroup_root: o("cgroup", "root")?,
            cgroup_root_hierarchy_id: o("cgroup_root", "hierarchy_id")?,
            siginfo_code: o("kernel_siginfo", "si_code")?,
            siginfo_pid: o("kernel_siginfo", "_sifields._kill._pid")?,
            siginfo_uid: o("kernel_siginfo", "_sifields._kill._uid")?,
            siginfo_addr: o("kernel_siginfo", "_sifields._sigfault._addr")?,
            exit_tp_has_group_dead: u32::from(
                self.tracepoint_arity("sched_process_exit").unwrap_or(1) >= 2,
            ),
            oom_tp_has_task: u32::from(
                self.tracepoint_arg_is_pointer("mark_victim", 0)
                    .unwrap_or(false),
            ),
            valid: 1,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_from_running_kernel() {
        let Ok(btf) = KernelBtf::load(Path::new(VMLINUX_BTF)) else {
            eprintln!("no kernel BTF here; skipping");
            return;
        };
        let o = btf.kernel_offsets().expect("offsets");
        // siginfo is user ABI on 64-bit: si_code at 8, the union at 16.
        assert_eq!(o.siginfo_code, 8);
        assert_eq!(o.siginfo_pid, 16);
        assert_eq!(o.siginfo_uid, 20);
        assert_eq!(o.siginfo_addr, 16);
        assert_eq!(o.k_sigaction_handler, 0);
        assert!(o.task_tgid > 0 && o.task_pid > 0 && o.task_tgid != o.task_pid);
        assert_eq!(btf.tracepoint_arity("sys_enter"), Some(2));
        assert_eq!(btf.tracepoint_arity("signal_generate"), Some(5));
        assert!(btf.offset_of("task_struct", "no_such_field").is_err());
    }
}
