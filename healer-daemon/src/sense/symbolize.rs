//! Native user stacks → binary, function (demangled), file:line, inlined frames.
//!
//! The kernel records each frame as (ELF build id, file offset) where it can, which stays
//! valid under ASLR and after the process is gone. To turn a build id back into a file we
//! index the binaries that watched processes map, captured from `/proc/<pid>/maps` when we
//! first hear of a process (its exec) and again when it crashes (it is still alive while the
//! fatal signal is delivered). Frames the kernel could only give as an address are resolved
//! through the captured memory map of the same process.

use std::{
    collections::HashMap,
    path::{Path, PathBuf},
};

use blazesym::symbolize::{
    self, Input, Symbolized,
    source::{Elf, Source},
};
use serde::Serialize;

use super::event::{Crash, RawFrame, hex};

/// One symbolized frame, innermost first. Inlined calls are frames of their own, marked
/// `inlined`, ordered like a debugger shows them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Frame {
    pub index: usize,
    pub binary: Option<String>,
    pub build_id: Option<String>,
    /// Absolute address in the process, when known.
    pub address: Option<u64>,
    pub file_offset: Option<u64>,
    pub function: Option<String>,
    pub file: Option<String>,
    pub line: Option<u32>,
    pub column: Option<u16>,
    pub inlined: bool,
}

/// One file-backed mapping of a process.
#[derive(Clone, Debug)]
pub struct Mapping {
    pub start: u64,
    pub end: u64,
    pub offset: u64,
    pub path: PathBuf,
}

/// The memory map of a process at one moment.
#[derive(Clone, Debug, Default)]
pub struct ProcMaps {
    pub mappings: Vec<Mapping>,
}

impl ProcMaps {
    pub fn capture(pid: u32) -> std::io::Result<Self> {
        let text = std::fs::read_to_string(format!("/proc/{pid}/maps"))?;
        Ok(Self::parse(&text))
    }

    /// Parses the `/proc/<pid>/maps` format, keeping file-backed mappings.
    pub fn parse(text: &str) -> Self {
        let mappings = text
            .lines()
            .filter_map(|line| {
                let mut it = line.split_whitespace();
                let range = it.next()?;
                let _perms = it.next()?;
                let offset = u64::from_str_radix(it.next()?, 16).ok()?;
                let _dev = it.next()?;
                let inode: u64 = it.next()?.parse().ok()?;
                let path = it.collect::<Vec<_>>().join(" ");
                if inode == 0 || !path.starts_with('/') {
                    return None;
                }
                let (s, e) = range.split_once('-')?;
                Some(Mapping {
                    start: u64::from_str_radix(s, 16).ok()?,
                    end: u64::from_str_radix(e, 16).ok()?,
                    offset,
                    path: PathBuf::from(path.trim_end_matches(" (deleted)")),
                })
            })
            .collect();
        Self { mappings }
    }

    /// (file, file offset) of an absolute address.
    pub fn resolve(&self, addr: u64) -> Option<(&Path, u64)> {
        self.mappings
            .iter()
            .find(|m| m.start <= addr && addr < m.end)
            .map(|m| (m.path.as_path(), addr - m.start + m.offset))
    }
}

/// Keeps what is needed to symbolize stacks of processes that may be gone.
pub struct StackSymbolizer {
    inner: symbolize::Symbolizer,
    by_build_id: HashMap<String, PathBuf>,
    indexed_paths: HashMap<PathBuf, Option<String>>,
    maps: HashMap<u32, ProcMaps>,
}

impl Default for StackSymbolizer {
    fn default() -> Self {
        Self::new()
    }
}

impl StackSymbolizer {
    pub fn new() -> Self {
        Self {
            inner: symbolize::Symbolizer::builder()
                .enable_code_info(true)
                .enable_inlined_fns(true)
                .enable_demangling(true)
                .build(),
            by_build_id: HashMap::new(),
            indexed_paths: HashMap::new(),
            maps: HashMap::new(),
        }
    }

    /// Indexes a binary by its build id (cheap when seen before).
    pub fn index_binary(&mut self, path: &Path) -> Option<String> {
        if let Some(id) = self.indexed_paths.get(path) {
            return id.clone();
        }
        let id = blazesym::helper::read_elf_build_id(&path)
            .ok()
            .flatten()
            .map(|b| hex(&b));
        if let Some(id) = &id {
            self.by_build_id.insert(id.clone(), path.to_path_buf());
        }
        self.indexed_paths.insert(path.to_path_buf(), id.clone());
        id
    }

    /// Indexes an executable and the shared libraries it links (its `DT_NEEDED` entries,
    /// found in the usual library directories), so its stacks can be symbolized even when the
    /// process dies before its memory map can be read.
    pub fn index_executable(&mut self, path: &Path) {
        if self.indexed_paths.contains_key(path) {
            return;
        }
        self.index_binary(path);
        for lib in needed_libraries(path) {
            self.index_binary(&lib);
        }
    }

    /// Captures the memory map of a live process and indexes what it maps. Returns false
    /// when the process is already gone.
    pub fn learn_process(&mut self, pid: u32) -> bool {
        let Ok(maps) = ProcMaps::capture(pid) else {
            return false;
        };
        let root = PathBuf::from(format!("/proc/{pid}/root"));
        let mut paths: Vec<PathBuf> = maps.mappings.iter().map(|m| m.path.clone()).collect();
        paths.dedup();
        for p in paths {
            // The path is in the process's mount namespace. Prefer our own view of it, which
            // outlives the process; fall back to /proc/<pid>/root for private mounts.
            if self.index_binary(&p).is_none() {
                self.index_binary(&root.join(p.strip_prefix("/").unwrap_or(&p)));
            }
        }
        self.maps.insert(pid, maps);
        true
    }

    /// Forgets the memory map of a process that has exited (binaries stay indexed).
    pub fn forget_process(&mut self, pid: u32) {
        self.maps.remove(&pid);
    }

    pub fn symbolize(&self, crash: &Crash) -> Vec<Frame> {
        let maps = self.maps.get(&crash.pid);
        let mut out = Vec::new();
        for (i, raw) in crash.raw_frames.iter().enumerate() {
            // A frame-pointer walk that entered code built without frame pointers (glibc)
            // repeats the same bogus frame; nothing after it is trustworthy.
            if i > 0 && crash.raw_frames[i - 1] == *raw {
                break;
            }
            let address = crash.ips.get(i).copied();
            let (binary, build_id, file_offset) = match raw {
                RawFrame::BuildId {
                    build_id,
                    file_offset,
                } => (
                    self.by_build_id.get(build_id).cloned().or_else(|| {
                        address
                            .and_then(|a| maps?.resolve(a))
                            .map(|(p, _)| p.to_path_buf())
                    }),
                    Some(build_id.clone()),
                    Some(*file_offset),
                ),
                RawFrame::Address { ip } => match maps.and_then(|m| m.resolve(*ip)) {
                    Some((p, off)) => (Some(p.to_path_buf()), None, Some(off)),
                    None => (None, None, None),
                },
            };
            let base = Frame {
                index: 0,
                binary: binary.as_ref().map(|p| p.display().to_string()),
                build_id,
                address: address.or(match raw {
                    RawFrame::Address { ip } => Some(*ip),
                    RawFrame::BuildId { .. } => None,
                }),
                file_offset,
                ..Frame::default()
            };
            match (binary, file_offset) {
                // Return addresses point after the call; look up the call itself so the
                // line is the caller's line, not the next statement.
                (Some(path), Some(off)) => {
                    let lookup = if i == 0 { off } else { off.saturating_sub(1) };
                    out.extend(self.lookup(&path, lookup, &base));
                }
                _ => out.push(base),
            }
        }
        for (i, f) in out.iter_mut().enumerate() {
            f.index = i;
        }
        out
    }

    fn lookup(&self, path: &Path, file_offset: u64, base: &Frame) -> Vec<Frame> {
        let src = Source::Elf(Elf::new(path));
        let sym = match self
            .inner
            .symbolize_single(&src, Input::FileOffset(file_offset))
        {
            Ok(Symbolized::Sym(sym)) => sym,
            Ok(Symbolized::Unknown(_)) | Err(_) => return vec![base.clone()],
        };
        let loc = |ci: Option<&symbolize::CodeInfo<'_>>| {
            ci.map(|ci| (Some(ci.to_path().display().to_string()), ci.line, ci.column))
                .unwrap_or((None, None, None))
        };
        let mut frames = Vec::with_capacity(sym.inlined.len() + 1);
        // Innermost inlined call first; each inlined fn's code_info is the location inside it.
        for inl in sym.inlined.iter().rev() {
            let (file, line, column) = loc(inl.code_info.as_ref());
            frames.push(Frame {
                function: Some(inl.name.to_string()),
                file,
                line,
                column,
                inlined: true,
                ..base.clone()
            });
        }
        let (file, line, column) = loc(sym.code_info.as_deref());
        frames.push(Frame {
            function: Some(sym.name.to_string()),
            file,
            line,
            column,
            inlined: false,
            ..base.clone()
        });
        frames
    }
}

/// Directories the dynamic loader searches on common distributions.
const LIBRARY_DIRS: &[&str] = &[
    "/lib/x86_64-linux-gnu",
    "/usr/lib/x86_64-linux-gnu",
    "/lib/aarch64-linux-gnu",
    "/usr/lib/aarch64-linux-gnu",
    "/lib64",
    "/usr/lib64",
    "/lib",
    "/usr/lib",
];

/// The shared libraries an ELF file names in `DT_NEEDED`, resolved to existing files.
fn needed_libraries(path: &Path) -> Vec<PathBuf> {
    use object::{elf, read::elf::ElfFile64};
    let Ok(data) = std::fs::read(path) else {
        return Vec::new();
    };
    let Ok(file) = ElfFile64::<object::Endianness>::parse(data.as_slice()) else {
        return Vec::new();
    };
    let Ok(dynamic) = file.elf_dynamic_table() else {
        return Vec::new();
    };
    dynamic
        .iter()
        .filter(|d| d.tag == elf::DT_NEEDED)
        .filter_map(|d| dynamic.string(d).ok())
        .filter_map(|name| {
            let name = std::str::from_utf8(name).ok()?;
            LIBRARY_DIRS
                .iter()
                .map(|dir| Path::new(dir).join(name))
                .find(|p| p.is_file())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_maps_and_resolves_offsets() {
        let text = "\
5581a0000000-5581a0001000 r--p 00000000 fe:01 1234 /usr/bin/prog
5581a0001000-5581a0003000 r-xp 00001000 fe:01 1234 /usr/bin/prog
7f0000000000-7f0000021000 rw-p 00000000 00:00 0
7ffd00000000-7ffd00021000 rw-p 00000000 00:00 0 [stack]
7f1000000000-7f1000100000 r-xp 00028000 fe:01 99 /lib/with space.so (deleted)
";
        let m = ProcMaps::parse(text);
        assert_eq!(m.mappings.len(), 3);
        assert_eq!(
            m.resolve(0x5581a0001010),
            Some((Path::new("/usr/bin/prog"), 0x1010))
        );
        assert_eq!(
            m.resolve(0x7f1000000010),
            Some((Path::new("/lib/with space.so"), 0x28010))
        );
        assert_eq!(m.resolve(0x7f0000000010), None);
    }

    #[test]
    fn finds_needed_libraries_of_own_binary() {
        let exe = std::env::current_exe().unwrap();
        let libs = needed_libraries(&exe);
        assert!(
            libs.iter().any(|l| l
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("libc.so"))),
            "{libs:?}"
        );
    }

    #[test]
    fn symbolizes_own_frames() {
        // Symbolize an address of this test binary through its own live memory map.
        let mut s = StackSymbolizer::new();
        assert!(s.learn_process(std::process::id()));
        let ip = parses_maps_and_resolves_offsets as *const () as u64;
        let crash = Crash {
            pid: std::process::id(),
            tid: 0,
            comm: String::new(),
            cgroup_id: 0,
            boot_ns: 0,
            signal: 11,
            si_code: 0,
            fault_addr: 0,
            sender: None,
            frames: Vec::new(),
            raw_frames: vec![RawFrame::Address { ip }],
            ips: vec![ip],
            stack_error: None,
        };
        let frames = s.symbolize(&crash);
        let f = frames.last().expect("a frame");
        assert!(
            f.function
                .as_deref()
                .is_some_and(|n| n.contains("parses_maps_and_resolves_offsets")),
            "{frames:?}"
        );
        assert!(
            f.file
                .as_deref()
                .is_some_and(|p| p.ends_with("symbolize.rs"))
        );
    }
}
