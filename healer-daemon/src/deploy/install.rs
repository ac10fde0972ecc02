//! Pointing a unit's target path at a release, atomically.
//!
//! - `symlink`: `target` is a symlink; a new link is made beside it and renamed over it, so the
//!   unit sees the old or the new release, never nothing.
//! - `copy`: the artifact is copied beside `target` and renamed over it; a directory is swapped
//!   in with `renameat2(RENAME_EXCHANGE)` and the old tree removed afterwards.
use std::{fs, path::Path};

use nix::fcntl::{AT_FDCWD, RenameFlags, renameat2};

use super::{
    DeployError,
    release::{copy_tree, sibling, sync_parent},
};
use crate::config::policy::Install;

/// Makes `target` serve `artifact` (a release's artifact path).
pub fn switch(mode: Install, artifact: &Path, target: &Path) -> Result<(), DeployError> {
    if let Some(parent) = target.parent() {
        fs::create_dir_all(parent).map_err(DeployError::io(parent, "create"))?;
    }
    match mode {
        Install::Symlink => switch_symlink(artifact, target),
        Install::Copy => switch_copy(artifact, target),
    }
}

fn switch_symlink(artifact: &Path, target: &Path) -> Result<(), DeployError> {
    if let Ok(meta) = fs::symlink_metadata(target)
        && meta.is_dir()
    {
        return Err(DeployError::Invalid(format!(
            "{} is a directory, not a symlink: install = \"symlink\" needs the unit to run the \
             release through a symlink (move the directory away or use install = \"copy\")",
            target.display()
        )));
    }
    let tmp = sibling(target, "link");
    let _ = fs::remove_file(&tmp);
    std::os::unix::fs::symlink(artifact, &tmp).map_err(DeployError::io(&tmp, "symlink"))?;
    fs::rename(&tmp, target).map_err(|e| {
        let _ = fs::remove_file(&tmp);
        DeployError::io(target, "repoint")(e)
    })?;
    sync_parent(target);
    Ok(())
}

fn switch_copy(artifact: &Path, target: &Path) -> Result<(), DeployError> {
    let tmp = sibling(target, "new");
    remove_any(&tmp)?;
    copy_tree(artifact, &tmp)?;
    let is_dir = fs::metadata(artifact)
        .map_err(DeployError::io(artifact, "stat"))?
        .is_dir();
    let target_is_dir = fs::symlink_metadata(target).is_ok_and(|m| m.is_dir());
    if is_dir && target_is_dir {
        // A directory cannot be renamed over a non-empty one: exchange them atomically, then
        // remove the old tree, which now sits at `tmp`.
        renameat2(
            AT_FDCWD,
            &tmp,
            AT_FDCWD,
            target,
            RenameFlags::RENAME_EXCHANGE,
        )
        .map_err(|e| {
            DeployError::io(target, "swap in")(std::io::Error::from_raw_os_error(e as i32))
        })?;
        remove_any(&tmp)?;
    } else {
        if target_is_dir != is_dir && fs::symlink_metadata(target).is_ok() {
            remove_any(target)?;
        }
        fs::rename(&tmp, target).map_err(DeployError::io(target, "replace"))?;
    }
    sync_parent(target);
    Ok(())
}

/// What `target` serves now, resolved to a path whose content can be adopted as a release.
pub fn current_artifact(mode: Install, target: &Path) -> Result<std::path::PathBuf, DeployError> {
    match fs::symlink_metadata(target) {
        Err(e) => Err(DeployError::io(target, "find what the unit runs")(e)),
        Ok(_) if mode == Install::Symlink => {
            fs::canonicalize(target).map_err(DeployError::io(target, "resolve"))
        }
        Ok(_) => Ok(target.to_path_buf()),
    }
}

fn remove_any(path: &Path) -> Result<(), DeployError> {
    match fs::symlink_metadata(path) {
        Err(_) => Ok(()),
        Ok(m) if m.is_dir() => fs::remove_dir_all(path).map_err(DeployError::io(path, "remove")),
        Ok(_) => fs::remove_file(path).map_err(DeployError::io(path, "remove")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn symlink_switch_repoints_and_refuses_a_directory() {
        let d = tempfile::tempdir().unwrap();
        let (a, b) = (d.path().join("a"), d.path().join("b"));
        fs::write(&a, "A").unwrap();
        fs::write(&b, "B").unwrap();
        let target = d.path().join("bin/current");
        switch(Install::Symlink, &a, &target).unwrap();
        assert_eq!(fs::read_to_string(&target).unwrap(), "A");
        switch(Install::Symlink, &b, &target).unwrap();
        assert_eq!(fs::read_link(&target).unwrap(), b);
        assert_eq!(
            current_artifact(Install::Symlink, &target).unwrap(),
            fs::canonicalize(&b).unwrap()
        );
        // No temporary link left behind.
        assert_eq!(fs::read_dir(d.path().join("bin")).unwrap().count(), 1);

        let dir_target = d.path().join("dir");
        fs::create_dir(&dir_target).unwrap();
        let err = switch(Install::Symlink, &a, &dir_target).unwrap_err();
        assert!(err.to_string().contains("not a symlink"), "{err}");
    }

    #[test]
    fn copy_switch_replaces_files_and_swaps_directories() {
        use std::os::unix::fs::PermissionsExt;
        let d = tempfile::tempdir().unwrap();
        let exe = d.path().join("exe");
        fs::write(&exe, "#!/bin/sh\necho 2\n").unwrap();
        fs::set_permissions(&exe, fs::Permissions::from_mode(0o755)).unwrap();
        let target = d.path().join("usr/bin/tool");
        fs::create_dir_all(target.parent().unwrap()).unwrap();
        fs::write(&target, "old").unwrap();
        switch(Install::Copy, &exe, &target).unwrap();
        assert_eq!(fs::read_to_string(&target).unwrap(), "#!/bin/sh\necho 2\n");
        assert_eq!(
            fs::metadata(&target).unwrap().permissions().mode() & 0o777,
            0o755
        );

        let (v1, v2) = (d.path().join("v1"), d.path().join("v2"));
        for (dir, body) in [(&v1, "one"), (&v2, "two")] {
            fs::create_dir_all(dir.join("pkg")).unwrap();
            fs::write(dir.join("pkg/mod.py"), body).unwrap();
        }
        fs::write(v1.join("only_in_v1"), "").unwrap();
        let app = d.path().join("srv/app");
        switch(Install::Copy, &v1, &app).unwrap();
        switch(Install::Copy, &v2, &app).unwrap();
        assert_eq!(fs::read_to_string(app.join("pkg/mod.py")).unwrap(), "two");
        assert!(
            !app.join("only_in_v1").exists(),
            "the old tree is replaced, not merged"
        );
        assert_eq!(fs::read_dir(d.path().join("srv")).unwrap().count(), 1);
    }
}
