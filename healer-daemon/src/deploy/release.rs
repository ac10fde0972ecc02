//! Versioned releases of one service under the state directory.
//!
//! ```text
//! <state_dir>/releases/<unit>/
//!     index.json          the history: every release, which one is active, which ran healthy
//!     r0001/<artifact>    the release adopted from what the unit ran before healer touched it
//!     r0002/<artifact>    a build healer made (e.g. a patched one)
//! ```
//! `index.json` is replaced atomically (write, fsync, rename), so a healerd killed at any point
//! finds either the old or the new history, never a torn one.
use std::{
    fs,
    io::Write,
    path::{Path, PathBuf},
    time::{SystemTime, UNIX_EPOCH},
};

use serde::{Deserialize, Serialize};

use super::DeployError;

/// Where a release came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    /// What the unit ran when healer first took charge of it.
    Adopted,
    /// A build of the service's repository as it is.
    Built,
    /// A build with a healer patch applied.
    Patched,
}

/// What is known about a release's health.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Health {
    /// Staged or serving, verdict pending (e.g. inside its canary window).
    Unknown,
    /// Ran healthy (adopted releases count as good: they were serving).
    Good,
    /// Failed its canary or was rolled back; never chosen for a rollback.
    Bad,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Release {
    /// `r0001`, `r0002`, …: ordered, never reused.
    pub id: String,
    pub origin: Origin,
    pub health: Health,
    pub created_unix: u64,
    /// The source commit the release was built from, when known.
    pub commit: Option<String>,
    /// The incident that produced it (patched releases).
    pub incident: Option<String>,
    /// File or directory name of the artifact inside the release directory.
    pub artifact_name: String,
    /// Why its health changed last, for `healerctl` and the audit log.
    pub note: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
struct Index {
    releases: Vec<Release>,
    /// The release the unit's target points at.
    active: Option<String>,
    next_seq: u32,
}

/// The release history of one unit.
#[derive(Debug)]
pub struct ReleaseStore {
    dir: PathBuf,
    index: Index,
}

impl ReleaseStore {
    /// Opens (creating if needed) `<state_dir>/releases/<unit>`.
    pub fn open(state_dir: &Path, unit: &str) -> Result<Self, DeployError> {
        if unit.is_empty() || unit.contains('/') || unit.starts_with('.') {
            return Err(DeployError::Invalid(format!(
                "{unit:?} is not a unit name usable as a directory"
            )));
        }
        let dir = state_dir.join("releases").join(unit);
        fs::create_dir_all(&dir).map_err(DeployError::io(&dir, "create the release directory"))?;
        let path = dir.join("index.json");
        let index = match fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| {
                DeployError::Invalid(format!("{}: corrupt release index: {e}", path.display()))
            })?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Index {
                next_seq: 1,
                ..Index::default()
            },
            Err(e) => return Err(DeployError::io(&path, "read")(e)),
        };
        Ok(Self { dir, index })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn releases(&self) -> &[Release] {
        &self.index.releases
    }

    pub fn get(&self, id: &str) -> Option<&Release> {
        self.index.releases.iter().find(|r| r.id == id)
    }

    pub fn active(&self) -> Option<&Release> {
        self.get(self.index.active.as_deref()?)
    }

    /// Directory of a release.
    pub fn release_dir(&self, id: &str) -> PathBuf {
        self.dir.join(id)
    }

    /// Path of a release's artifact.
    pub fn artifact_path(&self, release: &Release) -> PathBuf {
        self.release_dir(&release.id).join(&release.artifact_name)
    }

    /// The newest healthy release older than the active one: what a rollback goes to.
    pub fn rollback_target(&self) -> Option<&Release> {
        let active_pos = self
            .index
            .active
            .as_deref()
            .and_then(|a| self.index.releases.iter().position(|r| r.id == a))
            .unwrap_or(self.index.releases.len());
        self.index.releases[..active_pos]
            .iter()
            .rev()
            .find(|r| r.health == Health::Good)
    }

    /// Copies `artifact` (a file or a directory) into a new release directory. The release is
    /// recorded with unknown health and does not become active until [`Self::set_active`].
    pub fn stage(
        &mut self,
        artifact: &Path,
        origin: Origin,
        commit: Option<String>,
        incident: Option<String>,
    ) -> Result<Release, DeployError> {
        let name = artifact
            .file_name()
            .ok_or_else(|| {
                DeployError::Invalid(format!("{} has no file name", artifact.display()))
            })?
            .to_string_lossy()
            .into_owned();
        let id = format!("r{:04}", self.index.next_seq);
        let dir = self.release_dir(&id);
        // A directory left by a stage that was interrupted before the index was written.
        if dir.exists() {
            fs::remove_dir_all(&dir).map_err(DeployError::io(&dir, "remove a stale release"))?;
        }
        fs::create_dir_all(&dir).map_err(DeployError::io(&dir, "create"))?;
        copy_tree(artifact, &dir.join(&name))?;
        let release = Release {
            id: id.clone(),
            origin,
            health: if origin == Origin::Adopted {
                Health::Good
            } else {
                Health::Unknown
            },
            created_unix: now_unix(),
            commit,
            incident,
            artifact_name: name,
            note: None,
        };
        self.index.next_seq += 1;
        self.index.releases.push(release.clone());
        self.save()?;
        Ok(release)
    }

    /// Records that the unit's target now points at `id`.
    pub fn set_active(&mut self, id: &str) -> Result<(), DeployError> {
        if self.get(id).is_none() {
            return Err(DeployError::Invalid(format!("no release {id}")));
        }
        self.index.active = Some(id.to_string());
        self.save()
    }

    pub fn set_health(
        &mut self,
        id: &str,
        health: Health,
        note: impl Into<String>,
    ) -> Result<(), DeployError> {
        let r = self
            .index
            .releases
            .iter_mut()
            .find(|r| r.id == id)
            .ok_or_else(|| DeployError::Invalid(format!("no release {id}")))?;
        r.health = health;
        r.note = Some(note.into());
        self.save()
    }

    /// Deletes the oldest releases beyond `keep`, never the active one nor the rollback target.
    pub fn prune(&mut self, keep: usize) -> Result<Vec<String>, DeployError> {
        let keep = keep.max(2);
        let protected: Vec<String> = [
            self.index.active.clone(),
            self.rollback_target().map(|r| r.id.clone()),
        ]
        .into_iter()
        .flatten()
        .collect();
        let mut removed = Vec::new();
        while self.index.releases.len() > keep {
            let Some(pos) = self
                .index
                .releases
                .iter()
                .position(|r| !protected.contains(&r.id))
            else {
                break;
            };
            let r = self.index.releases.remove(pos);
            let dir = self.release_dir(&r.id);
            fs::remove_dir_all(&dir).map_err(DeployError::io(&dir, "remove"))?;
            removed.push(r.id);
        }
        if !removed.is_empty() {
            self.save()?;
        }
        Ok(removed)
    }

    fn save(&self) -> Result<(), DeployError> {
        let path = self.dir.join("index.json");
        let bytes = serde_json::to_vec_pretty(&self.index).expect("index serializes");
        write_atomic(&path, &bytes)
    }
}

/// Writes `bytes` to `path` so that readers see the old or the new content, never a mix:
/// a temporary sibling, fsync, rename, fsync of the directory.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), DeployError> {
    let tmp = sibling(path, "tmp");
    let mut f = fs::File::create(&tmp).map_err(DeployError::io(&tmp, "create"))?;
    f.write_all(bytes)
        .and_then(|_| f.sync_all())
        .map_err(DeployError::io(&tmp, "write"))?;
    fs::rename(&tmp, path).map_err(DeployError::io(path, "replace"))?;
    sync_parent(path);
    Ok(())
}

/// `<dir>/.<name>.healer-<tag>-<pid>`: a sibling on the same filesystem, so rename is atomic.
pub(crate) fn sibling(path: &Path, tag: &str) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.healer-{tag}-{}", std::process::id()))
}

pub(crate) fn sync_parent(path: &Path) {
    // Best effort: the rename is already visible; this only makes it durable sooner.
    if let Some(parent) = path.parent()
        && let Ok(d) = fs::File::open(parent)
    {
        let _ = d.sync_all();
    }
}

/// Copies a file (keeping its permissions) or a directory tree. Symlinks inside a tree are
/// recreated as symlinks, not followed.
pub fn copy_tree(from: &Path, to: &Path) -> Result<(), DeployError> {
    let meta = fs::metadata(from).map_err(DeployError::io(from, "read"))?;
    if meta.is_dir() {
        fs::create_dir_all(to).map_err(DeployError::io(to, "create"))?;
        fs::set_permissions(to, meta.permissions()).map_err(DeployError::io(to, "chmod"))?;
        for entry in fs::read_dir(from).map_err(DeployError::io(from, "list"))? {
            let entry = entry.map_err(DeployError::io(from, "list"))?;
            let src = entry.path();
            let dst = to.join(entry.file_name());
            let ft = entry.file_type().map_err(DeployError::io(&src, "stat"))?;
            if ft.is_symlink() {
                let target = fs::read_link(&src).map_err(DeployError::io(&src, "readlink"))?;
                std::os::unix::fs::symlink(&target, &dst)
                    .map_err(DeployError::io(&dst, "symlink"))?;
            } else {
                copy_tree(&src, &dst)?;
            }
        }
    } else {
        fs::copy(from, to).map_err(DeployError::io(to, "copy"))?;
        let f = fs::File::open(to).map_err(DeployError::io(to, "open"))?;
        f.sync_all().map_err(DeployError::io(to, "fsync"))?;
    }
    Ok(())
}

fn now_unix() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn artifact(dir: &Path, name: &str, body: &str) -> PathBuf {
        let p = dir.join(name);
        fs::write(&p, body).unwrap();
        p
    }

    #[test]
    fn stage_activate_and_rollback_target_survive_reopen() {
        let state = tempfile::tempdir().unwrap();
        let src = tempfile::tempdir().unwrap();
        let mut store = ReleaseStore::open(state.path(), "web.service").unwrap();
        assert!(store.active().is_none());
        assert!(store.rollback_target().is_none());

        let a = artifact(src.path(), "app", "v1");
        let r1 = store.stage(&a, Origin::Adopted, None, None).unwrap();
        store.set_active(&r1.id).unwrap();
        assert_eq!(r1.id, "r0001");
        assert_eq!(r1.health, Health::Good);
        // Nothing older than the active release: nowhere to roll back to.
        assert!(store.rollback_target().is_none());

        fs::write(&a, "v2").unwrap();
        let r2 = store
            .stage(&a, Origin::Patched, Some("abc".into()), Some("i1".into()))
            .unwrap();
        store.set_active(&r2.id).unwrap();
        assert_eq!(store.rollback_target().unwrap().id, "r0001");
        assert_eq!(
            fs::read_to_string(store.artifact_path(&r2)).unwrap(),
            "v2",
            "the release holds a copy, not a reference"
        );
        assert_eq!(fs::read_to_string(store.artifact_path(&r1)).unwrap(), "v1");

        drop(store);
        let mut store = ReleaseStore::open(state.path(), "web.service").unwrap();
        assert_eq!(store.active().unwrap().id, "r0002");
        assert_eq!(store.get("r0002").unwrap().incident.as_deref(), Some("i1"));

        // A bad release is never a rollback target.
        fs::write(&a, "v3").unwrap();
        let r3 = store.stage(&a, Origin::Patched, None, None).unwrap();
        store
            .set_health(&r2.id, Health::Bad, "canary failed")
            .unwrap();
        store.set_active(&r3.id).unwrap();
        assert_eq!(store.rollback_target().unwrap().id, "r0001");
    }

    #[test]
    fn prune_keeps_active_and_rollback_target() {
        let state = tempfile::tempdir().unwrap();
        let src = tempfile::tempdir().unwrap();
        let mut store = ReleaseStore::open(state.path(), "q.service").unwrap();
        let a = artifact(src.path(), "bin", "x");
        let first = store.stage(&a, Origin::Adopted, None, None).unwrap();
        for _ in 0..4 {
            store.stage(&a, Origin::Built, None, None).unwrap();
        }
        store.set_active("r0005").unwrap();
        let removed = store.prune(2).unwrap();
        assert_eq!(removed, vec!["r0002", "r0003", "r0004"]);
        let ids: Vec<_> = store.releases().iter().map(|r| r.id.clone()).collect();
        assert_eq!(ids, vec![first.id.clone(), "r0005".to_string()]);
        assert!(!store.release_dir("r0003").exists());
        // Ids are never reused after pruning.
        assert_eq!(
            store.stage(&a, Origin::Built, None, None).unwrap().id,
            "r0006"
        );
    }

    #[test]
    fn directories_are_copied_with_symlinks_and_modes() {
        use std::os::unix::fs::PermissionsExt;
        let state = tempfile::tempdir().unwrap();
        let src = tempfile::tempdir().unwrap();
        let app = src.path().join("app");
        fs::create_dir_all(app.join("lib")).unwrap();
        fs::write(app.join("run"), "#!/bin/sh\n").unwrap();
        fs::set_permissions(app.join("run"), fs::Permissions::from_mode(0o755)).unwrap();
        std::os::unix::fs::symlink("run", app.join("start")).unwrap();
        fs::write(app.join("lib/x.py"), "x = 1\n").unwrap();
        let mut store = ReleaseStore::open(state.path(), "a.service").unwrap();
        let r = store.stage(&app, Origin::Built, None, None).unwrap();
        let copy = store.artifact_path(&r);
        assert_eq!(
            fs::metadata(copy.join("run")).unwrap().permissions().mode() & 0o777,
            0o755
        );
        assert_eq!(
            fs::read_link(copy.join("start")).unwrap(),
            PathBuf::from("run")
        );
        assert_eq!(
            fs::read_to_string(copy.join("lib/x.py")).unwrap(),
            "x = 1\n"
        );
    }

    #[test]
    fn corrupt_index_is_an_error_not_an_empty_history() {
        let state = tempfile::tempdir().unwrap();
        let dir = state.path().join("releases/w.service");
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join("index.json"), "{not json").unwrap();
        let err = ReleaseStore::open(state.path(), "w.service").unwrap_err();
        assert!(err.to_string().contains("corrupt release index"), "{err}");
        assert!(ReleaseStore::open(state.path(), "../etc").is_err());
    }
}
