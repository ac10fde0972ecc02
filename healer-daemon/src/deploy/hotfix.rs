//! Every healed fix becomes a git commit on a `healer/<incident>` branch and a patch file.
//!
//! Only git plumbing is used (a private index file, `apply --cached`, `write-tree`,
//! `commit-tree`, `update-ref`), so the operator's working tree, index and checked-out branch
//! are never touched, even when they hold uncommitted work.
use std::{
    fs,
    path::{Path, PathBuf},
    process::{Command, Stdio},
};

use super::DeployError;

/// A fix recorded in the service's repository.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Hotfix {
    pub branch: String,
    pub commit: String,
    pub base: String,
    pub patch_file: PathBuf,
}

/// The commit `HEAD` points at; `None` when `repo` is not a git repository or has no commits.
pub fn head_commit(repo: &Path) -> Option<String> {
    git(repo, &["rev-parse", "--verify", "-q", "HEAD^{commit}"], &[])
        .ok()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

/// Writes the tree of `rev` into `dest` (which must be empty or absent): the source a release
/// was built from, without touching the repository.
pub fn export_tree(repo: &Path, rev: &str, dest: &Path) -> Result<(), DeployError> {
    fs::create_dir_all(dest).map_err(DeployError::io(dest, "create"))?;
    let mut archive = Command::new("git")
        .arg("-C")
        .arg(repo)
        .args(["archive", "--format=tar", rev])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(DeployError::io(repo, "run git archive"))?;
    let tar = Command::new("tar")
        .arg("-x")
        .arg("-C")
        .arg(dest)
        .stdin(archive.stdout.take().expect("piped"))
        .output()
        .map_err(DeployError::io(dest, "run tar"))?;
    let archived = archive
        .wait_with_output()
        .map_err(DeployError::io(repo, "run git archive"))?;
    if !archived.status.success() {
        return Err(DeployError::Command {
            what: format!("git archive {rev} in {}", repo.display()),
            output: String::from_utf8_lossy(&archived.stderr).into_owned(),
        });
    }
    if !tar.status.success() {
        return Err(DeployError::Command {
            what: format!("tar -x into {}", dest.display()),
            output: String::from_utf8_lossy(&tar.stderr).into_owned(),
        });
    }
    Ok(())
}

/// Commits `diff` (a unified diff with `a/`/`b/` repository-relative paths) on top of `base`
/// as branch `healer/<incident>`, and writes it as `<patch_dir>/<incident>.patch` in
/// `git format-patch` form. An existing branch of that name is moved to the new commit.
pub fn record(
    repo: &Path,
    base: &str,
    diff: &str,
    incident: &str,
    message: &str,
    patch_dir: &Path,
) -> Result<Hotfix, DeployError> {
    if incident.is_empty()
        || !incident
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(DeployError::Invalid(format!(
            "{incident:?} cannot name a branch"
        )));
    }
    let scratch = tempfile::tempdir().map_err(DeployError::io(Path::new("/tmp"), "tempdir"))?;
    let index = scratch.path().join("index");
    let patch = scratch.path().join("fix.diff");
    fs::write(&patch, diff).map_err(DeployError::io(&patch, "write"))?;
    let env = [("GIT_INDEX_FILE", index.as_os_str())];
    git(repo, &["read-tree", base], &env)?;
    git(
        repo,
        &["apply", "--cached", "-p1", &patch.to_string_lossy()],
        &env,
    )?;
    let tree = git(repo, &["write-tree"], &env)?.trim().to_string();
    let commit = git(
        repo,
        &["commit-tree", &tree, "-p", base, "-m", message],
        &IDENTITY.map(|(k, v)| (k, std::ffi::OsStr::new(v))),
    )?
    .trim()
    .to_string();
    let branch = format!("healer/{incident}");
    git(
        repo,
        &["update-ref", &format!("refs/heads/{branch}"), &commit],
        &[],
    )?;
    let formatted = git(repo, &["format-patch", "-1", "--stdout", &commit], &[])?;
    fs::create_dir_all(patch_dir).map_err(DeployError::io(patch_dir, "create"))?;
    let patch_file = patch_dir.join(format!("{incident}.patch"));
    super::release::write_atomic(&patch_file, formatted.as_bytes())?;
    Ok(Hotfix {
        branch,
        commit,
        base: base.to_string(),
        patch_file,
    })
}

/// Who healer's commits are by: identifiable in `git log`, independent of the host's git config.
const IDENTITY: [(&str, &str); 4] = [
    ("GIT_AUTHOR_NAME", "healer"),
    ("GIT_AUTHOR_EMAIL", "healer@localhost"),
    ("GIT_COMMITTER_NAME", "healer"),
    ("GIT_COMMITTER_EMAIL", "healer@localhost"),
];

fn git(
    repo: &Path,
    args: &[&str],
    env: &[(&str, &std::ffi::OsStr)],
) -> Result<String, DeployError> {
    let mut cmd = Command::new("git");
    cmd.arg("-C").arg(repo).args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd
        .output()
        .map_err(DeployError::io(Path::new("git"), "run"))?;
    if !out.status.success() {
        return Err(DeployError::Command {
            what: format!("git {} in {}", args.join(" "), repo.display()),
            output: String::from_utf8_lossy(&out.stderr).into_owned(),
        });
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sh(dir: &Path, script: &str) -> String {
        let out = Command::new("sh")
            .arg("-c")
            .arg(script)
            .current_dir(dir)
            .output()
            .unwrap();
        assert!(out.status.success(), "{script}: {out:?}");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn repo() -> tempfile::TempDir {
        let d = tempfile::tempdir().unwrap();
        sh(
            d.path(),
            "git init -q -b main && mkdir app && printf 'def f(x):\\n    return 1 / x\\n' > app/m.py \
             && git add -A && git -c user.name=t -c user.email=t@t commit -q -m init",
        );
        d
    }

    #[test]
    fn records_a_branch_and_patch_without_touching_the_worktree() {
        let d = repo();
        let base = head_commit(d.path()).unwrap();
        // Uncommitted operator work must survive.
        fs::write(d.path().join("notes.txt"), "wip").unwrap();
        let diff = crate::repair::explain::unified_diff(
            Path::new("app/m.py"),
            "def f(x):\n    return 1 / x\n",
            "def f(x):\n    if x == 0:\n        return 0\n    return 1 / x\n",
        );
        let patches = tempfile::tempdir().unwrap();
        let fix = record(
            d.path(),
            &base,
            &diff,
            "inc-42",
            "healer: guard division by zero",
            patches.path(),
        )
        .unwrap();
        assert_eq!(fix.branch, "healer/inc-42");
        assert_eq!(
            sh(d.path(), "git rev-parse healer/inc-42").trim(),
            fix.commit
        );
        assert_eq!(sh(d.path(), "git rev-parse HEAD").trim(), base);
        assert_eq!(
            sh(d.path(), "git show healer/inc-42:app/m.py"),
            "def f(x):\n    if x == 0:\n        return 0\n    return 1 / x\n"
        );
        assert_eq!(
            fs::read_to_string(d.path().join("app/m.py")).unwrap(),
            "def f(x):\n    return 1 / x\n"
        );
        assert_eq!(
            sh(d.path(), "git status --porcelain").trim(),
            "?? notes.txt"
        );
        assert!(sh(d.path(), "git log -1 --format=%an healer/inc-42").starts_with("healer"));
        let patch = fs::read_to_string(&fix.patch_file).unwrap();
        assert!(
            patch.contains("Subject: [PATCH] healer: guard division by zero"),
            "{patch}"
        );
        assert!(patch.contains("+    if x == 0:"), "{patch}");

        let out = tempfile::tempdir().unwrap();
        export_tree(d.path(), &fix.commit, out.path()).unwrap();
        assert!(
            fs::read_to_string(out.path().join("app/m.py"))
                .unwrap()
                .contains("if x == 0")
        );
        assert!(!out.path().join("notes.txt").exists());
    }

    #[test]
    fn a_diff_that_does_not_apply_is_an_error_and_leaves_no_branch() {
        let d = repo();
        let base = head_commit(d.path()).unwrap();
        let diff = crate::repair::explain::unified_diff(Path::new("app/m.py"), "nope\n", "yes\n");
        let patches = tempfile::tempdir().unwrap();
        let err = record(d.path(), &base, &diff, "inc-1", "x", patches.path()).unwrap_err();
        assert!(err.to_string().contains("git apply"), "{err}");
        assert!(
            sh(d.path(), "git branch --list 'healer/*'")
                .trim()
                .is_empty()
        );
        assert!(head_commit(tempfile::tempdir().unwrap().path()).is_none());
        assert!(record(d.path(), &base, &diff, "../x", "x", patches.path()).is_err());
    }
}
