//! The plug-in point for actions that change what runs: rolling a service back to an earlier
//! release and deploying an approved patch. The release store (`deploy`) implements
//! [`Remediator`]; until one is plugged in, [`NoReleaseStore`] says plainly that nothing can
//! be done, instead of pretending.

use futures_util::future::BoxFuture;

use crate::config::Policy;

use super::incident::Incident;

#[derive(Debug, thiserror::Error)]
pub enum RemedyError {
    /// There is nothing to act on (no earlier release, no patch): an answer, not a failure.
    #[error("{0}")]
    Unavailable(String),
    /// The action was tried and failed.
    #[error("{0}")]
    Failed(String),
}

/// What a successful action did, in one line for the audit log and the caller.
pub type RemedyOutcome = Result<String, RemedyError>;

pub trait Remediator: Send + Sync {
    /// Puts the unit back on its previous release and restarts it.
    fn rollback<'a>(&'a self, unit: &'a str, policy: &'a Policy) -> BoxFuture<'a, RemedyOutcome>;
    /// Builds, installs and starts the patch an operator approved for `incident`.
    fn deploy_approved<'a>(
        &'a self,
        incident: &'a Incident,
        policy: &'a Policy,
    ) -> BoxFuture<'a, RemedyOutcome>;
}

/// A healerd without a release store: it has recorded no releases, so it can neither roll
/// back nor deploy, and says why.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoReleaseStore;

impl Remediator for NoReleaseStore {
    fn rollback<'a>(&'a self, unit: &'a str, policy: &'a Policy) -> BoxFuture<'a, RemedyOutcome> {
        let why = if policy.source.is_none() {
            format!(
                "no earlier release of {unit} recorded: its policy has no [source] \
                 section, so healer never installed a release of it"
            )
        } else {
            format!("no earlier release of {unit} recorded")
        };
        Box::pin(async move { Err(RemedyError::Unavailable(why)) })
    }

    fn deploy_approved<'a>(
        &'a self,
        incident: &'a Incident,
        _policy: &'a Policy,
    ) -> BoxFuture<'a, RemedyOutcome> {
        let why = format!(
            "cannot deploy the patch of incident {}: this healerd has no release store",
            incident.id
        );
        Box::pin(async move { Err(RemedyError::Unavailable(why)) })
    }
}
