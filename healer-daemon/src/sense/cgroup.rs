//! cgroup v2 helpers: where the unified hierarchy is mounted, cgroup ids, scratch cgroups.

use std::{
    os::unix::fs::MetadataExt,
    path::{Path, PathBuf},
};

use super::SenseError;

/// Mount point of the cgroup v2 hierarchy: `/sys/fs/cgroup` on pure v2 hosts,
/// `/sys/fs/cgroup/unified` on hybrid ones.
pub fn cgroup2_mount() -> Result<PathBuf, SenseError> {
    let mounts = std::fs::read_to_string("/proc/self/mounts")
        .map_err(|e| SenseError::Missing(format!("/proc/self/mounts ({e})")))?;
    mounts
        .lines()
        .filter_map(|l| {
            let mut it = l.split_whitespace();
            let (_src, dst, fstype) = (it.next()?, it.next()?, it.next()?);
            (fstype == "cgroup2").then(|| PathBuf::from(dst))
        })
        .min_by_key(|p| p.as_os_str().len())
        .ok_or_else(|| SenseError::Missing("a mounted cgroup v2 hierarchy".into()))
}

/// The id the kernel reports for a cgroup (`bpf_get_current_cgroup_id()`, systemd's
/// `ControlGroupId`): the inode number of its cgroup2 directory.
pub fn cgroup_id(dir: &Path) -> Result<u64, SenseError> {
    std::fs::metadata(dir)
        .map(|m| m.ino())
        .map_err(|e| SenseError::Cgroup(format!("{}: {e}", dir.display())))
}

/// A cgroup created for one watched command and removed when dropped.
#[derive(Debug)]
pub struct ScratchCgroup {
    path: PathBuf,
    id: u64,
}

impl ScratchCgroup {
    /// Creates `<cgroup2>/healer/<name>`.
    pub fn create(name: &str) -> Result<Self, SenseError> {
        let path = cgroup2_mount()?.join("healer").join(name);
        std::fs::create_dir_all(&path)
            .map_err(|e| SenseError::Cgroup(format!("cannot create {}: {e}", path.display())))?;
        let id = cgroup_id(&path)?;
        Ok(Self { path, id })
    }

    /// Creates `<cgroup2>/healer/<prefix>-<pid>-<n>`, a name no other caller uses.
    pub fn create_unique(prefix: &str) -> Result<Self, SenseError> {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        Self::create(&format!("{prefix}-{}-{nanos}", std::process::id()))
    }

    pub fn id(&self) -> u64 {
        self.id
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// `cgroup.procs` of this cgroup: writing a pid (or "0" for the writer) moves it in.
    pub fn procs_file(&self) -> PathBuf {
        self.path.join("cgroup.procs")
    }

    pub fn add_pid(&self, pid: u32) -> Result<(), SenseError> {
        std::fs::write(self.procs_file(), pid.to_string()).map_err(|e| {
            SenseError::Cgroup(format!(
                "cannot move {pid} into {}: {e}",
                self.path.display()
            ))
        })
    }

    pub fn pids(&self) -> Vec<u32> {
        std::fs::read_to_string(self.procs_file())
            .map(|s| s.lines().filter_map(|l| l.trim().parse().ok()).collect())
            .unwrap_or_default()
    }
}

impl Drop for ScratchCgroup {
    fn drop(&mut self) {
        // Leftover processes keep the directory busy; kill them so the cgroup can go.
        if !self.pids().is_empty() {
            let _ = std::fs::write(self.path.join("cgroup.kill"), "1");
            for _ in 0..100 {
                if self.pids().is_empty() {
                    break;
                }
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
        }
        let _ = std::fs::remove_dir(&self.path);
    }
}
