//! The actor's side of healing: starting a heal task for a new incident, turning its steps
//! into incident transitions, the canary window, automatic rollback, and the learned policy's
//! rewards. The stages themselves live in `crate::heal`; this file only keeps the books.
use std::{
    collections::HashMap,
    path::PathBuf,
    sync::{Arc, Mutex},
    time::Duration,
};

use futures_util::future::BoxFuture;
use tokio::sync::mpsc;

use super::{
    Actor, Input,
    incident::{Incident, RepairRecord, State},
    remedy::{Remediator, RemedyError, RemedyOutcome},
};
use crate::{
    audit::{AuditRecord, EntryKind, fields},
    config::{
        Policy,
        policy::{Action, Mode},
    },
    deploy::{Deployer, Health, ReleaseStore, SystemdDeployer},
    diagnose::JournalSource,
    heal::flow::{self, HealDeps, HealJob, HealStep, fault_class},
    learn::{ActionPolicy, Context, template_arm},
    systemd::Systemd,
};

/// What the actor remembers of each incident being healed (not persisted: after a restart
/// of healerd, open incidents resume from their persisted state, see `resume`).
#[derive(Default)]
struct Run {
    context: Option<Context>,
    template: Option<String>,
    mitigation: Option<String>,
}

pub(super) struct Healing {
    deps: Arc<HealDeps>,
    state_dir: PathBuf,
    journal: JournalSource,
    learned_path: PathBuf,
    repair_timeout: Duration,
    localizer: crate::localize::LocalizerSpec,
    runs: HashMap<String, Run>,
    steps: mpsc::Sender<(String, HealStep)>,
    /// Heal attempts per unit (start times), for the policy's rate limit.
    attempts: HashMap<String, Vec<std::time::Instant>>,
}

impl Healing {
    pub(super) fn new(
        systemd: Systemd,
        state_dir: PathBuf,
        journal: JournalSource,
        max_concurrent_repairs: usize,
        repair_timeout: Duration,
        localizer: crate::localize::LocalizerSpec,
        tx: mpsc::Sender<Input>,
    ) -> (Self, Arc<dyn Remediator>) {
        let learned_path = state_dir.join("learn/policy.json");
        let learned = ActionPolicy::load(&learned_path).unwrap_or_else(|e| {
            tracing::error!("{e}; starting with an empty learned policy");
            ActionPolicy::default()
        });
        let deployer: Arc<dyn Deployer> = Arc::new(SystemdDeployer {
            systemd: systemd.clone(),
            state_dir: state_dir.clone(),
        });
        let deps = Arc::new(HealDeps {
            systemd,
            deployer: deployer.clone(),
            learned: Arc::new(Mutex::new(learned)),
            repairs: Arc::new(tokio::sync::Semaphore::new(max_concurrent_repairs.max(1))),
        });
        let (steps, mut rx) = mpsc::channel::<(String, HealStep)>(64);
        {
            let tx = tx.clone();
            tokio::spawn(async move {
                while let Some((incident, step)) = rx.recv().await {
                    let input = Input::Heal {
                        incident,
                        step: Box::new(step),
                    };
                    if tx.send(input).await.is_err() {
                        break;
                    }
                }
            });
        }
        let remediator: Arc<dyn Remediator> = Arc::new(ReleaseRemediator {
            deps: deps.clone(),
            state_dir: state_dir.clone(),
            steps: steps.clone(),
        });
        (
            Self {
                deps,
                state_dir,
                journal,
                learned_path,
                repair_timeout,
                localizer,
                runs: HashMap::new(),
                steps,
                attempts: HashMap::new(),
            },
            remediator,
        )
    }

    fn learn(&self, ctx: &Context, arm: &str, success: bool) {
        let mut p = self.deps.learned.lock().unwrap_or_else(|e| e.into_inner());
        p.record(ctx, arm, success);
        if let Err(e) = p.save(&self.learned_path) {
            tracing::error!("learned policy not saved: {e}");
        }
    }

    pub(super) fn learned_json(&self) -> serde_json::Value {
        let p = self.deps.learned.lock().unwrap_or_else(|e| e.into_inner());
        serde_json::json!({
            "outcomes": p.outcomes,
            "table": p.table().into_iter().map(|(ctx, arm, c)| serde_json::json!({
                "context": ctx, "arm": arm, "successes": c.successes, "failures": c.failures,
            })).collect::<Vec<_>>(),
        })
    }
}

/// Rollback and approved deploys through the release store (the `Remediator` the D-Bus API
/// calls).
struct ReleaseRemediator {
    deps: Arc<HealDeps>,
    state_dir: PathBuf,
    steps: mpsc::Sender<(String, HealStep)>,
}

impl Remediator for ReleaseRemediator {
    fn rollback<'a>(&'a self, unit: &'a str, policy: &'a Policy) -> BoxFuture<'a, RemedyOutcome> {
        Box::pin(async move {
            match self
                .deps
                .deployer
                .rollback(policy, "operator rollback")
                .await
            {
                Ok(s) => Ok(format!(
                    "{unit}: {} -> {}",
                    s.from.unwrap_or_else(|| "?".into()),
                    s.to
                )),
                Err(e @ crate::deploy::DeployError::NoEarlierRelease { .. })
                | Err(e @ crate::deploy::DeployError::NoReleaseSpec { .. }) => {
                    Err(RemedyError::Unavailable(e.to_string()))
                }
                Err(e) => Err(RemedyError::Failed(e.to_string())),
            }
        })
    }

    fn deploy_approved<'a>(
        &'a self,
        incident: &'a Incident,
        policy: &'a Policy,
    ) -> BoxFuture<'a, RemedyOutcome> {
        Box::pin(async move {
            let release = incident
                .repair
                .as_ref()
                .and_then(|r| r.release.clone())
                .ok_or_else(|| {
                    RemedyError::Unavailable(format!(
                        "incident {} has no staged release to deploy",
                        incident.id
                    ))
                })?;
            let store = ReleaseStore::open(&self.state_dir, &policy.unit)
                .map_err(|e| RemedyError::Failed(e.to_string()))?;
            if store.get(&release).is_none() {
                return Err(RemedyError::Unavailable(format!(
                    "release {release} of {} is gone (pruned?)",
                    policy.unit
                )));
            }
            // The deploy itself reports `Deployed` (→ canary) or `GaveUp` (→ failed) as steps,
            // after this call has moved the incident to `deploying`.
            let (deps, policy, id, steps) = (
                self.deps.clone(),
                policy.clone(),
                incident.id.clone(),
                self.steps.clone(),
            );
            let r = release.clone();
            tokio::spawn(async move {
                flow::deploy_release(&deps, &policy, &r, &id, &steps).await;
            });
            Ok(format!("deploying {release}"))
        })
    }
}

impl Actor {
    fn healing_policy(&self, unit: &str) -> Option<Policy> {
        self.services.get(unit).map(|s| s.policy.policy.clone())
    }

    /// A new incident: start its heal task unless the unit is paused, observed only, or over
    /// its rate limit.
    pub(super) fn start_healing(&mut self, id: &str) {
        let Some(inc) = self.incidents.get(id).cloned() else {
            return;
        };
        let Some(policy) = self.healing_policy(&inc.unit) else {
            return;
        };
        if policy.mode == Mode::Observe || policy.actions.is_empty() {
            return;
        }
        if self.paused.contains_key(&inc.unit) {
            self.note(
                &inc,
                "healing is paused for this unit; incident left for an operator",
            );
            return;
        }
        let Some(h) = self.healing.as_mut() else {
            return;
        };
        let now = std::time::Instant::now();
        let attempts = h.attempts.entry(inc.unit.clone()).or_default();
        attempts.retain(|t| now.duration_since(*t) < Duration::from_secs(3600));
        let cooldown = Duration::from_secs(policy.rate_limit.cooldown_s);
        let limited = if attempts.len() >= policy.rate_limit.attempts_per_hour as usize {
            Some(format!(
                "rate limit: {} healing attempts in the last hour",
                attempts.len()
            ))
        } else {
            attempts
                .last()
                .filter(|t| now.duration_since(**t) < cooldown)
                .map(|_| {
                    format!(
                        "cooling down ({}s after the last attempt)",
                        cooldown.as_secs()
                    )
                })
        };
        if let Some(why) = limited {
            self.note(&inc, &why);
            return;
        }
        attempts.push(now);
        let job = HealJob {
            incident: inc.id.clone(),
            policy,
            pid: inc.pid,
            faults: inc.count,
            state_dir: h.state_dir.clone(),
            journal: h.journal.clone(),
            repair_timeout: h.repair_timeout,
            max_candidates: 300,
            localizer: h.localizer.clone(),
            native_stack: native_stack(&inc),
        };
        h.runs.insert(inc.id.clone(), Run::default());
        tokio::spawn(flow::run(job, h.deps.clone(), h.steps.clone()));
    }

    /// One more fault folded into an open incident.
    pub(super) fn fault_during_healing(&mut self, id: &str) {
        let Some(inc) = self.incidents.get(id).cloned() else {
            return;
        };
        let Some(policy) = self.healing_policy(&inc.unit) else {
            return;
        };
        match inc.state {
            // The patched release failed its canary: back to the release before it.
            State::Canary => {
                let why = format!(
                    "fault during the canary window ({} faults so far)",
                    inc.count
                );
                self.canary_failed(&inc, &policy, why);
            }
            // Still repairing: keep the service up meanwhile, with the backoff of the count.
            State::Mitigated | State::Repairing | State::Diagnosed | State::Proposed
                if policy.mode != Mode::Observe
                    && policy.actions.contains(&Action::Restart)
                    && !self.paused.contains_key(&inc.unit) =>
            {
                let sd = self.systemd.clone();
                let unit = inc.unit.clone();
                let backoff = flow::restart_backoff(inc.count);
                tokio::spawn(async move {
                    tokio::time::sleep(backoff).await;
                    if let Err(e) = sd.restart(&unit).await {
                        tracing::warn!("{unit}: restart failed: {e}");
                    }
                });
            }
            _ => {}
        }
    }

    fn canary_failed(&mut self, inc: &Incident, policy: &Policy, why: String) {
        let Some(h) = self.healing.as_ref() else {
            return;
        };
        if let Some(run) = h.runs.get(&inc.id)
            && let (Some(ctx), Some(t)) = (&run.context, &run.template)
        {
            h.learn(ctx, &template_arm(t), false);
            h.learn(ctx, "repair", false);
        }
        let deployer = h.deps.deployer.clone();
        let (policy, id) = (policy.clone(), inc.id.clone());
        let tx = self.tx.clone();
        tokio::spawn(async move {
            let step = match deployer.rollback(&policy, &why).await {
                Ok(s) => HealStep::GaveUp {
                    reason: format!(
                        "rolled back {} -> {}: {why}",
                        s.from.unwrap_or_default(),
                        s.to
                    ),
                },
                Err(e) => HealStep::GaveUp {
                    reason: format!("canary failed ({why}) and the rollback failed too: {e}"),
                },
            };
            let _ = tx
                .send(Input::Heal {
                    incident: id,
                    step: Box::new(step),
                })
                .await;
        });
    }

    fn with_repair(&mut self, id: &str, f: impl FnOnce(&mut RepairRecord)) {
        if let Some(inc) = self.incidents.get_mut(id) {
            f(inc.repair.get_or_insert_with(RepairRecord::default));
            let inc = inc.clone();
            if let Err(e) = self.store.update(&inc) {
                tracing::error!("{e}");
            }
        }
    }

    fn note(&self, inc: &Incident, what: &str) {
        self.audit(
            AuditRecord::new(
                EntryKind::IncidentUpdated,
                format!("{}: incident {}: {what}", inc.unit, inc.id),
            )
            .unit(&inc.unit)
            .incident(&inc.id)
            .field(fields::REASON, what),
        );
    }

    /// Moves the incident along if the state machine allows it; a heal step arriving after
    /// an operator closed the incident is only logged.
    fn heal_transition(&mut self, id: &str, to: State, reason: &str) -> bool {
        let Some(inc) = self.incidents.get(id) else {
            return false;
        };
        if !inc.state.can_go_to(to) {
            tracing::info!(
                "incident {id}: {} -> {} not taken ({reason})",
                inc.state,
                to
            );
            return false;
        }
        match self.transition(id, to, reason, "healerd") {
            Ok(_) => true,
            Err(e) => {
                tracing::error!("incident {id}: {e:?}");
                false
            }
        }
    }

    pub(super) fn on_heal_step(&mut self, id: &str, step: HealStep) {
        let Some(inc) = self.incidents.get(id).cloned() else {
            return;
        };
        match step {
            HealStep::Diagnosed { summary, diagnosis } => {
                let ctx_lang = self
                    .healing_policy(&inc.unit)
                    .and_then(|p| p.source.map(|s| format!("{:?}", s.language).to_lowercase()))
                    .unwrap_or_else(|| "native".into());
                if let Some(run) = self.healing.as_mut().and_then(|h| h.runs.get_mut(id)) {
                    run.context = Some(Context::new(
                        fault_class(&diagnosis, inc.kind.name()),
                        ctx_lang,
                    ));
                }
                self.with_repair(id, |r| {
                    r.diagnosis = Some(summary.clone());
                    r.journal_log = Some(diagnosis.log.clone()).filter(|l| !l.is_empty());
                    r.failing_input = diagnosis.failing_input.clone();
                });
                let mut rec = AuditRecord::new(
                    EntryKind::Diagnosed,
                    format!("{}: incident {id} diagnosed: {summary}", inc.unit),
                )
                .unit(&inc.unit)
                .incident(id)
                .explanation(diagnosis.log.clone());
                if let Some(input) = &diagnosis.failing_input {
                    rec = rec.field("HEALER_FAILING_INPUT", input.clone());
                }
                self.audit(rec);
                self.heal_transition(id, State::Diagnosed, &summary);
            }
            HealStep::Mitigated { action, detail } => {
                let what = format!("{action}: {detail}");
                if let Some(run) = self.healing.as_mut().and_then(|h| h.runs.get_mut(id)) {
                    run.mitigation = Some(action.clone());
                }
                self.with_repair(id, |r| r.mitigation = Some(what.clone()));
                self.heal_transition(id, State::Mitigated, &what);
                // Without a repair to follow, the incident is healed when the service stays
                // up for the canary window after the mitigation.
                if let Some(p) = self.healing_policy(&inc.unit)
                    && (!p.actions.contains(&Action::Repair) || p.source.is_none())
                {
                    self.schedule_verdict(id, None, p.canary_window_s);
                }
            }
            HealStep::Repairing { base_release } => {
                self.heal_transition(
                    id,
                    State::Repairing,
                    &format!(
                        "repairing the source of release {}",
                        base_release.as_deref().unwrap_or("(repository HEAD)")
                    ),
                );
            }
            HealStep::Patched {
                release,
                branch,
                patch_file,
                diff,
                template,
                explanation,
            } => {
                if let Some(run) = self.healing.as_mut().and_then(|h| h.runs.get_mut(id)) {
                    run.template = template.clone();
                }
                self.with_repair(id, |r| {
                    r.release = Some(release.clone());
                    r.branch = Some(branch.clone());
                    r.patch_file = Some(patch_file.display().to_string());
                    r.diff = Some(diff.clone());
                    r.template = template.clone();
                    r.explanation = Some(explanation.clone());
                });
                self.audit(
                    AuditRecord::new(
                        EntryKind::PatchProposed,
                        format!(
                            "{}: incident {id}: validated patch ({}) committed on {branch}, \
                             staged as release {release}",
                            inc.unit,
                            template.as_deref().unwrap_or("?")
                        ),
                    )
                    .unit(&inc.unit)
                    .incident(id)
                    .patch(diff)
                    .field("HEALER_RELEASE", release)
                    .field("HEALER_BRANCH", branch)
                    .field("HEALER_PATCH_FILE", patch_file.display().to_string())
                    .explanation(serde_json::to_string_pretty(&explanation).unwrap_or_default()),
                );
            }
            HealStep::AwaitingApproval { release } => {
                self.heal_transition(
                    id,
                    State::Proposed,
                    &format!("release {release} awaits `healerctl approve {id}`"),
                );
            }
            HealStep::Deployed { release, from } => {
                if inc.state == State::Repairing {
                    self.heal_transition(id, State::Deploying, &format!("deploying {release}"));
                }
                self.with_repair(id, |r| r.previous_release = from.clone());
                let window = self
                    .healing_policy(&inc.unit)
                    .map(|p| p.canary_window_s)
                    .unwrap_or(300);
                if self.heal_transition(
                    id,
                    State::Canary,
                    &format!(
                        "release {release} serving (was {}); canary for {window}s",
                        from.as_deref().unwrap_or("?")
                    ),
                ) {
                    self.schedule_verdict(id, Some(release), window);
                }
            }
            HealStep::GaveUp { reason } => {
                let rolled_back = reason.starts_with("rolled back");
                let to = if rolled_back {
                    State::RolledBack
                } else {
                    State::Failed
                };
                if !rolled_back
                    && let Some(h) = self.healing.as_ref()
                    && let Some(ctx) = h.runs.get(id).and_then(|r| r.context.clone())
                {
                    h.learn(&ctx, "repair", false);
                }
                self.heal_transition(id, to, &reason);
                if let Some(h) = self.healing.as_mut() {
                    h.runs.remove(id);
                }
            }
        }
    }

    fn schedule_verdict(&self, id: &str, release: Option<String>, window_s: u64) {
        let tx = self.tx.clone();
        let id = id.to_string();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_secs(window_s)).await;
            let _ = tx
                .send(Input::HealVerdict {
                    incident: id,
                    release,
                })
                .await;
        });
    }

    /// The window passed: if nothing went wrong meanwhile, the incident is healed.
    pub(super) fn on_heal_verdict(&mut self, id: &str, release: Option<String>) {
        let Some(inc) = self.incidents.get(id).cloned() else {
            return;
        };
        let expected = if release.is_some() {
            State::Canary
        } else {
            State::Mitigated
        };
        if inc.state != expected {
            return;
        }
        let reason = match &release {
            Some(r) => format!("release {r} passed its canary window"),
            None => "no recurrence after the mitigation".to_string(),
        };
        if let (Some(r), Some(h)) = (&release, self.healing.as_ref()) {
            match ReleaseStore::open(&h.state_dir, &inc.unit) {
                Ok(mut store) => {
                    if let Err(e) = store.set_health(r, Health::Good, "passed its canary") {
                        tracing::error!("{e}");
                    }
                }
                Err(e) => tracing::error!("{e}"),
            }
        }
        if let Some(h) = self.healing.as_ref()
            && let Some(run) = h.runs.get(id)
            && let Some(ctx) = &run.context
        {
            match (&release, &run.template, &run.mitigation) {
                (Some(_), Some(t), _) => {
                    h.learn(ctx, &template_arm(t), true);
                    h.learn(ctx, "repair", true);
                }
                (None, _, Some(m)) => h.learn(ctx, m, true),
                _ => {}
            }
        }
        self.heal_transition(id, State::Healed, &reason);
        if let Some(h) = self.healing.as_mut() {
            h.runs.remove(id);
        }
    }

    /// After a healerd restart: incidents caught mid-way are settled from their persisted
    /// state. A patched release whose canary was cut short is rolled back (it never proved
    /// itself); an incident caught while repairing or deploying is marked failed, and the
    /// release store guarantees the unit still points at a complete release.
    pub(super) fn resume_healing(&mut self) {
        let open: Vec<Incident> = self
            .incidents
            .values()
            .filter(|i| i.is_open())
            .cloned()
            .collect();
        for inc in open {
            let Some(policy) = self.healing_policy(&inc.unit) else {
                continue;
            };
            match inc.state {
                State::Canary | State::Deploying => {
                    // Roll back only if the unit really runs the incident's release: a deploy
                    // cut short before the switch left the previous release active.
                    let patched = inc.repair.as_ref().and_then(|r| r.release.clone());
                    let active = self.healing.as_ref().and_then(|h| {
                        ReleaseStore::open(&h.state_dir, &inc.unit)
                            .ok()
                            .and_then(|s| s.active().map(|r| r.id.clone()))
                    });
                    if patched.is_some() && patched == active {
                        self.canary_failed(
                            &inc,
                            &policy,
                            "healerd restarted before the canary verdict".into(),
                        );
                    } else {
                        self.heal_transition(
                            &inc.id,
                            State::Failed,
                            "healerd restarted before the patched release was switched in; \
                             the service runs its previous release",
                        );
                    }
                }
                State::Repairing | State::Diagnosed | State::Detected => {
                    self.heal_transition(
                        &inc.id,
                        State::Failed,
                        "healerd restarted while healing; the service keeps its current release",
                    );
                }
                State::Mitigated => self.schedule_verdict(&inc.id, None, policy.canary_window_s),
                _ => {}
            }
        }
    }
}

/// The incident's symbolized stack as a gdb-style backtrace, which the repair engine's
/// evidence parsers read like any other: only frames with a source location.
fn native_stack(inc: &Incident) -> Option<String> {
    let signal = inc.signal_name.as_deref()?;
    let frames: Vec<String> = inc
        .frames
        .iter()
        .filter_map(|f| {
            Some((
                f.function.as_deref()?,
                f.file.as_deref()?,
                f.line?,
                f.address,
            ))
        })
        .enumerate()
        .map(|(i, (func, file, line, addr))| {
            format!(
                "#{i}  {:#018x} in {func} () at {file}:{line}",
                addr.unwrap_or(0)
            )
        })
        .collect();
    if frames.is_empty() {
        return None;
    }
    Some(format!(
        "\nProgram received signal {signal}.\n{}\n",
        frames.join("\n")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::daemon::incident::{FaultKind, StackFrame};

    #[test]
    fn native_stack_parses_as_evidence() {
        let frame = |f: &str, file: &str, line| StackFrame {
            function: Some(f.into()),
            file: Some(file.into()),
            line: Some(line),
            binary: Some("/srv/cached".into()),
            address: Some(0x4011d6),
        };
        let inc = Incident {
            id: "i".into(),
            unit: "u.service".into(),
            kind: FaultKind::Crash,
            state: State::Detected,
            opened_us: 0,
            updated_us: 0,
            count: 1,
            signal: Some(11),
            signal_name: Some("SIGSEGV".into()),
            exit_code: None,
            pid: Some(1),
            frames: vec![
                frame("cache_len", "/build/cache.c", 42),
                StackFrame {
                    function: None,
                    file: None,
                    line: None,
                    binary: None,
                    address: Some(1),
                },
                frame("main", "/build/main.c", 88),
            ],
            evidence: vec![],
            history: vec![],
            repair: None,
        };
        let text = native_stack(&inc).unwrap();
        let ev = crate::repair::evidence::parse(&text);
        let frames = &ev.failures[0].frames;
        assert_eq!(frames[0].function.as_deref(), Some("cache_len"));
        assert_eq!(
            (frames[0].file.as_str(), frames[0].line),
            ("/build/cache.c", 42)
        );
        assert_eq!(frames[1].function.as_deref(), Some("main"));
    }
}
