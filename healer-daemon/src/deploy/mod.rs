//! Deploy: versioned releases, switching a unit to one through systemd, and the way back.
//!
//! - `release.rs` — the per-unit release history under the state directory.
//! - `install.rs` — repointing the unit's target (symlink or copy), atomically.
//! - `hotfix.rs` — a healed fix as a commit on `healer/<incident>` plus a patch file.
//!
//! Invariant: the target only ever points at a complete release directory, and a release that
//! failed (restart failed, canary failed) is marked bad and never chosen by a rollback.
pub mod hotfix;
pub mod install;
pub mod release;

use std::path::{Path, PathBuf};

use futures_util::future::BoxFuture;
use thiserror::Error;

use crate::{
    config::policy::{Install, Policy, Release as ReleaseSpec},
    systemd::Systemd,
};
pub use release::{Health, Origin, Release, ReleaseStore};

#[derive(Debug, Error)]
pub enum DeployError {
    #[error("{path}: cannot {op}: {source}")]
    Io {
        path: PathBuf,
        op: &'static str,
        source: std::io::Error,
    },
    #[error("{0}")]
    Invalid(String),
    #[error("{what} failed: {}", output.trim())]
    Command { what: String, output: String },
    #[error("no earlier healthy release of {unit} is recorded: nothing to roll back to")]
    NoEarlierRelease { unit: String },
    #[error("{unit} has no [source.release] in its policy: healer does not know how it ships")]
    NoReleaseSpec { unit: String },
    #[error("systemd: {0}")]
    Systemd(#[from] crate::systemd::UnitError),
}

impl DeployError {
    pub(crate) fn io(path: &Path, op: &'static str) -> impl FnOnce(std::io::Error) -> Self {
        let path = path.to_path_buf();
        move |source| DeployError::Io { path, op, source }
    }
}

/// What a switch did, for the incident record and the audit log.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Switched {
    pub unit: String,
    pub from: Option<String>,
    pub to: String,
}

/// The deploy stage's plug-in point: how a release reaches a running unit and how it goes back.
pub trait Deployer: Send + Sync {
    /// Makes `release` the unit's active release and restarts the unit. When the restart fails,
    /// the previous release is put back (and restarted) before the error is returned.
    fn deploy<'a>(
        &'a self,
        policy: &'a Policy,
        release: &'a str,
    ) -> BoxFuture<'a, Result<Switched, DeployError>>;

    /// Marks the active release bad (`why`) and returns the unit to the newest healthy
    /// release before it.
    fn rollback<'a>(
        &'a self,
        policy: &'a Policy,
        why: &'a str,
    ) -> BoxFuture<'a, Result<Switched, DeployError>>;
}

/// Releases under `state_dir`, units restarted through systemd over D-Bus.
pub struct SystemdDeployer {
    pub systemd: Systemd,
    pub state_dir: PathBuf,
}

fn spec(policy: &Policy) -> Result<&ReleaseSpec, DeployError> {
    policy
        .source
        .as_ref()
        .map(|s| &s.release)
        .ok_or_else(|| DeployError::NoReleaseSpec {
            unit: policy.unit.clone(),
        })
}

/// Records what the unit runs now as its first release, so there is always something to roll
/// back to. Does nothing when the unit already has a history.
pub fn adopt(state_dir: &Path, policy: &Policy) -> Result<Option<Release>, DeployError> {
    let spec = spec(policy)?;
    let mut store = ReleaseStore::open(state_dir, &policy.unit)?;
    if !store.releases().is_empty() {
        return Ok(None);
    }
    let current = install::current_artifact(spec.install, &spec.target)?;
    let commit = policy
        .source
        .as_ref()
        .and_then(|s| hotfix::head_commit(&s.repo));
    let r = store.stage(&current, Origin::Adopted, commit, None)?;
    if spec.install == Install::Symlink {
        // From now on the target points into the release store.
        install::switch(spec.install, &store.artifact_path(&r), &spec.target)?;
    }
    store.set_active(&r.id)?;
    Ok(Some(r))
}

impl SystemdDeployer {
    async fn switch_and_restart(
        &self,
        policy: &Policy,
        store: &mut ReleaseStore,
        to: &Release,
    ) -> Result<(), DeployError> {
        let spec = spec(policy)?;
        install::switch(spec.install, &store.artifact_path(to), &spec.target)?;
        store.set_active(&to.id)?;
        self.systemd.restart(&policy.unit).await?;
        Ok(())
    }
}

impl Deployer for SystemdDeployer {
    fn deploy<'a>(
        &'a self,
        policy: &'a Policy,
        release: &'a str,
    ) -> BoxFuture<'a, Result<Switched, DeployError>> {
        Box::pin(async move {
            let mut store = ReleaseStore::open(&self.state_dir, &policy.unit)?;
            let to = store
                .get(release)
                .cloned()
                .ok_or_else(|| DeployError::Invalid(format!("no release {release}")))?;
            let from = store.active().cloned();
            if let Err(e) = self.switch_and_restart(policy, &mut store, &to).await {
                store.set_health(&to.id, Health::Bad, format!("deploy failed: {e}"))?;
                if let Some(prev) = &from {
                    // Put the last release back; its own failure is reported with the first.
                    if let Err(back) = self.switch_and_restart(policy, &mut store, prev).await {
                        return Err(DeployError::Invalid(format!(
                            "deploying {} failed ({e}) and restoring {} failed too ({back})",
                            to.id, prev.id
                        )));
                    }
                }
                return Err(e);
            }
            Ok(Switched {
                unit: policy.unit.clone(),
                from: from.map(|r| r.id),
                to: to.id,
            })
        })
    }

    fn rollback<'a>(
        &'a self,
        policy: &'a Policy,
        why: &'a str,
    ) -> BoxFuture<'a, Result<Switched, DeployError>> {
        Box::pin(async move {
            let mut store = ReleaseStore::open(&self.state_dir, &policy.unit)?;
            let to =
                store
                    .rollback_target()
                    .cloned()
                    .ok_or_else(|| DeployError::NoEarlierRelease {
                        unit: policy.unit.clone(),
                    })?;
            let from = store.active().cloned();
            if let Some(f) = &from {
                store.set_health(&f.id, Health::Bad, format!("rolled back: {why}"))?;
            }
            self.switch_and_restart(policy, &mut store, &to).await?;
            Ok(Switched {
                unit: policy.unit.clone(),
                from: from.map(|r| r.id),
                to: to.id,
            })
        })
    }
}
