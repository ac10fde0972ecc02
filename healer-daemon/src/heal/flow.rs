//! One incident's way through the heal stages, cheapest action first, as a task of its own.
//!
//! The task never touches the daemon's state: it reports each step as a [`HealStep`] on a
//! channel, and the daemon's actor turns steps into incident transitions, audit entries and
//! signals. The canary verdict belongs to the actor too (it sees the faults); the task ends
//! when the patched release is serving, proposed, or when healing gave up.
use std::{path::PathBuf, sync::Arc, time::Duration};

use regex::Regex;
use serde::Serialize;
use tokio::sync::mpsc;

use super::{FixRequest, PreparedFix, ensure_adopted, prepare_fix};
use crate::{
    config::policy::{Action, Mode, Policy},
    deploy::{Deployer, Health, ReleaseStore},
    diagnose::{Diagnosis, JournalSource, diagnose},
    learn::{ActionPolicy, Context},
    systemd::Systemd,
};

/// What the task did, in order. The actor maps each to an incident state.
#[derive(Clone, Debug, Serialize)]
pub enum HealStep {
    /// The failing process's own account (traceback, panic) and the failing input.
    Diagnosed {
        summary: String,
        diagnosis: Box<Diagnosis>,
    },
    /// Service restored by a fast action (`restart` or `rollback`), before any repair.
    Mitigated { action: String, detail: String },
    /// The repair engine is working on a patch.
    Repairing { base_release: Option<String> },
    /// A validated patch, committed on a hotfix branch and staged as a release.
    Patched {
        release: String,
        branch: String,
        patch_file: PathBuf,
        diff: String,
        template: Option<String>,
        explanation: serde_json::Value,
    },
    /// Mode `propose`: waiting for `healerctl approve`.
    AwaitingApproval { release: String },
    /// The patched release is serving; the canary window starts now.
    Deployed {
        release: String,
        from: Option<String>,
    },
    /// Healing stopped here; the service runs on its last good release (or as it was).
    GaveUp { reason: String },
}

/// What a heal task needs; cheap to clone into the task.
#[derive(Clone)]
pub struct HealJob {
    pub incident: String,
    pub policy: Policy,
    /// The pid whose death opened the incident, to find its lines in the journal.
    pub pid: Option<u32>,
    /// Faults so far in this incident: the restart backoff grows with it.
    pub faults: u64,
    pub state_dir: PathBuf,
    pub journal: JournalSource,
    pub repair_timeout: Duration,
    pub max_candidates: usize,
    /// The localizer repairs use (`[repair]` of `healer.toml`).
    pub localizer: crate::localize::LocalizerSpec,
    /// The kernel sensor's symbolized stack of the crash, rendered as a debugger backtrace
    /// (the only stack a native program leaves: it prints no traceback of its own).
    pub native_stack: Option<String>,
}

/// Shared services of all heal tasks.
pub struct HealDeps {
    pub systemd: Systemd,
    pub deployer: Arc<dyn Deployer>,
    /// The learned ordering of templates; read at the start of a repair.
    pub learned: Arc<std::sync::Mutex<ActionPolicy>>,
    /// At most this many repairs run at once (`limits.max_concurrent_repairs`).
    pub repairs: Arc<tokio::sync::Semaphore>,
}

/// The fault class a learned policy files an outcome under: the runtime's own name for the
/// failure when there is one (`KeyError`, `unwrap`, `SIGSEGV`), else the incident's kind.
pub fn fault_class(diagnosis: &Diagnosis, fallback: &str) -> String {
    diagnosis
        .evidence
        .failures
        .first()
        .and_then(|f| f.kind.clone())
        .filter(|k| !k.is_empty())
        .unwrap_or_else(|| fallback.to_string())
}

/// How long to wait before restarting a unit after its `faults`-th fault: exponential, so a
/// crash loop is not hammered (250 ms, 500 ms, 1 s, … at most 60 s).
pub fn restart_backoff(faults: u64) -> Duration {
    Duration::from_millis(250 * (1u64 << faults.saturating_sub(1).min(8)))
        .min(Duration::from_secs(60))
}

/// Runs the heal stages for one incident. Steps go to `steps`; the function returns when the
/// task has nothing more to do on its own.
pub async fn run(job: HealJob, deps: Arc<HealDeps>, steps: mpsc::Sender<(String, HealStep)>) {
    let send = |step: HealStep| {
        let steps = steps.clone();
        let id = job.incident.clone();
        async move {
            let _ = steps.send((id, step)).await;
        }
    };
    let policy = &job.policy;
    let unit = &policy.unit;
    if policy.mode == Mode::Observe {
        return;
    }

    // Diagnose first: it only reads, and the journal will not keep the lines forever.
    let pattern = policy
        .source
        .as_ref()
        .and_then(|s| s.input_pattern.as_deref())
        .and_then(|p| Regex::new(p).ok());
    let diagnosis = {
        let (journal, unit, pid) = (job.journal.clone(), unit.clone(), job.pid);
        tokio::task::spawn_blocking(move || {
            diagnose(
                &journal,
                &unit,
                pid,
                pattern.as_ref(),
                Duration::from_secs(3),
            )
        })
        .await
    };
    let diagnosis = match diagnosis {
        Ok(Ok(d)) => d,
        Ok(Err(e)) => {
            tracing::warn!("{unit}: cannot read the journal: {e}");
            Diagnosis::default()
        }
        Err(e) => {
            tracing::warn!("{unit}: diagnosis task: {e}");
            Diagnosis::default()
        }
    };
    let mut diagnosis = diagnosis;
    if let Some(stack) = &job.native_stack
        && diagnosis.evidence.is_empty()
    {
        diagnosis.log.push_str(stack);
        diagnosis.evidence = crate::repair::evidence::parse(&diagnosis.log);
    }
    let summary = match (diagnosis.evidence.failures.first(), diagnosis.top_frame()) {
        (Some(f), Some(frame)) => format!(
            "{}: {} at {frame}",
            f.kind.as_deref().unwrap_or("failure"),
            f.message
        ),
        (Some(f), None) => format!("{}: {}", f.kind.as_deref().unwrap_or("failure"), f.message),
        _ => "no traceback or panic in the journal; the kernel's stack is the evidence".into(),
    };
    send(HealStep::Diagnosed {
        summary,
        diagnosis: Box::new(diagnosis.clone()),
    })
    .await;

    // Mitigate: the cheapest action that brings the service back.
    if let Some(source) = &policy.source
        && source.release.install == crate::config::policy::Install::Symlink
    {
        // Adopting is idempotent: it records the first release once.
        let (state, p) = (job.state_dir.clone(), policy.clone());
        if let Ok(Err(e)) = tokio::task::spawn_blocking(move || ensure_adopted(&state, &p)).await {
            tracing::warn!("{unit}: cannot record the running release: {e}");
        }
    }
    let store = ReleaseStore::open(&job.state_dir, unit).ok();
    let active_unproven = store
        .as_ref()
        .and_then(|s| s.active())
        .is_some_and(|r| r.health != Health::Good);
    let rollback_target = store
        .as_ref()
        .and_then(|s| s.rollback_target().map(|r| r.id.clone()));
    if policy.actions.contains(&Action::Rollback) && active_unproven && rollback_target.is_some() {
        // The failure follows a release change that has not proven itself: go back.
        match deps
            .deployer
            .rollback(policy, "failure after a release change")
            .await
        {
            Ok(s) => {
                send(HealStep::Mitigated {
                    action: "rollback".into(),
                    detail: format!("{} -> {}", s.from.unwrap_or_default(), s.to),
                })
                .await
            }
            Err(e) => tracing::warn!("{unit}: rollback failed: {e}"),
        }
    } else if policy.actions.contains(&Action::Restart) {
        let backoff = restart_backoff(job.faults);
        tokio::time::sleep(backoff).await;
        match deps.systemd.restart(unit).await {
            Ok(_) => {
                send(HealStep::Mitigated {
                    action: "restart".into(),
                    detail: format!("restarted after {} ms backoff", backoff.as_millis()),
                })
                .await
            }
            Err(e) => tracing::warn!("{unit}: restart failed: {e}"),
        }
    }

    // Repair.
    if !policy.actions.contains(&Action::Repair) || policy.source.is_none() {
        return;
    }
    let Ok(_permit) = deps.repairs.clone().acquire_owned().await else {
        return;
    };
    send(HealStep::Repairing {
        base_release: store.and_then(|s| s.active().map(|r| r.id.clone())),
    })
    .await;
    let language = format!(
        "{:?}",
        policy.source.as_ref().map(|s| s.language).expect("checked")
    )
    .to_lowercase();
    let ctx = Context::new(fault_class(&diagnosis, "crash"), language);
    let template_weights = {
        let learned = deps.learned.lock().unwrap_or_else(|e| e.into_inner());
        learned.template_weights(&ctx)
    };
    let fixed = {
        let job = job.clone();
        let diagnosis = diagnosis.clone();
        tokio::task::spawn_blocking(move || {
            prepare_fix(&FixRequest {
                policy: &job.policy,
                incident: &job.incident,
                diagnosis: &diagnosis,
                state_dir: &job.state_dir,
                timeout: job.repair_timeout,
                max_candidates: job.max_candidates,
                template_weights,
                localizer: &job.localizer,
            })
        })
        .await
    };
    let fix: PreparedFix = match fixed {
        Ok(Ok(Ok(fix))) => fix,
        Ok(Ok(Err(no))) => {
            send(HealStep::GaveUp {
                reason: format!("no validated patch: {}", no.reason),
            })
            .await;
            return;
        }
        Ok(Err(e)) => {
            send(HealStep::GaveUp {
                reason: format!("repair failed: {e}"),
            })
            .await;
            return;
        }
        Err(e) => {
            send(HealStep::GaveUp {
                reason: format!("repair task: {e}"),
            })
            .await;
            return;
        }
    };
    let release = fix.release.id.clone();
    send(HealStep::Patched {
        release: release.clone(),
        branch: fix.hotfix.branch.clone(),
        patch_file: fix.hotfix.patch_file.clone(),
        diff: fix.report.patch.clone().unwrap_or_default(),
        template: fix.report.chosen.as_ref().map(|c| c.template.clone()),
        explanation: serde_json::to_value(&fix.report).unwrap_or_default(),
    })
    .await;
    if policy.mode != Mode::Auto {
        send(HealStep::AwaitingApproval { release }).await;
        return;
    }
    deploy_release(&deps, policy, &release, &job.incident, &steps).await;
}

/// Deploys a staged release (mode `auto`, or after approval) and reports the result.
pub async fn deploy_release(
    deps: &HealDeps,
    policy: &Policy,
    release: &str,
    incident: &str,
    steps: &mpsc::Sender<(String, HealStep)>,
) {
    let step = match deps.deployer.deploy(policy, release).await {
        Ok(s) => HealStep::Deployed {
            release: s.to,
            from: s.from,
        },
        Err(e) => HealStep::GaveUp {
            reason: format!("deploying {release} failed, previous release restored: {e}"),
        },
    };
    let _ = steps.send((incident.to_string(), step)).await;
}
