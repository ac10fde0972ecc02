//! `healerd run`: the daemon. One actor task owns all state (policies, services, the sensor,
//! incidents, the audit log) and is fed by one channel of [`Input`]s: unit updates from the
//! systemd watchers, reload requests (SIGHUP, D-Bus), API commands with a oneshot reply, and
//! the periodic syscall-statistics tick. Sensor events are read by the same task, so nothing
//! needs a lock.

pub mod api;
pub mod detect;
mod heal;
pub mod incident;
pub mod remedy;

use std::{
    collections::{BTreeMap, HashMap},
    path::PathBuf,
    sync::Arc,
    time::{Duration, Instant, SystemTime, UNIX_EPOCH},
};

use anyhow::{Context as _, bail};
use healer_common::WatchConfig;
use serde_json::json;
use tokio::{
    signal::unix::{SignalKind, signal},
    sync::mpsc,
    task::JoinHandle,
};
use zbus::{Connection, object_server::SignalEmitter};

use crate::{
    audit::{AuditRecord, EntryKind, JournalWriter, fields},
    config::{self, Bus, Config, LoadedPolicy},
    sense::{Event, KernelSensor, SenseError, Sensor, SensorOptions, event::signal_name},
    systemd::{Systemd, SystemdOptions, UnitUpdate, WatchOptions},
};

use api::{ApiCommand, BUS_NAME, Caller, HealerApi, OBJECT_PATH, Refusal, Reply, Request};
use detect::{Detector, DetectorOptions, Fault, PolicyDetector, ServiceView};
use incident::{FaultKind, Incident, IncidentStore, State, Transition, now_us};
use remedy::{Remediator, RemedyError};

/// What the actor is fed.
#[derive(Debug)]
pub enum Input {
    /// From a unit's watcher; `generation` tells updates of a replaced watcher apart.
    Unit {
        unit: String,
        generation: u64,
        update: UnitUpdate,
    },
    /// SIGHUP.
    Reload,
    Api(ApiCommand),
    /// Time to poll the kernel's syscall aggregates.
    StatsTick,
    /// A heal task's progress.
    Heal {
        incident: String,
        step: Box<crate::heal::flow::HealStep>,
    },
    /// A canary (or post-mitigation) window ended.
    HealVerdict {
        incident: String,
        release: Option<String>,
    },
    Shutdown,
}

#[derive(Clone, Debug)]
pub struct DaemonOptions {
    pub config_dir: PathBuf,
    /// How often syscall latency and error rates are checked against the policies.
    pub stats_interval: Duration,
    pub detector: DetectorOptions,
}

impl DaemonOptions {
    pub fn new(config_dir: PathBuf) -> Self {
        Self {
            config_dir,
            stats_interval: Duration::from_secs(5),
            detector: DetectorOptions::default(),
        }
    }
}

/// Old cgroup ids kept per service: events of the processes of a cgroup that was just
/// replaced (the crash that caused a restart) may be read after the restart was seen.
const RETIRED_CGROUPS: usize = 8;

struct Service {
    policy: LoadedPolicy,
    /// Resolved state from systemd, when it has one.
    state: Option<crate::systemd::UnitState>,
    /// Why it cannot be followed right now (not found, bus error).
    problem: Option<String>,
    /// The cgroup in the sensor's filter (0: none).
    cgroup_id: u64,
    retired: Vec<u64>,
    /// The cgroup path the kernel follows for this service (see `KernelSensor::follow_path`).
    followed_path: Option<String>,
    main_pid: u32,
    generation: u64,
    forwarder: JoinHandle<()>,
}

impl Drop for Service {
    fn drop(&mut self) {
        // The forwarder owns the UnitWatcher; aborting it drops the watcher's task too.
        self.forwarder.abort();
    }
}

/// Runs the daemon until SIGTERM or SIGINT.
///
/// `remediator` overrides the release store for rollbacks and approved deploys (tests); `None`
/// uses the real one under the state directory.
pub async fn run(
    opts: DaemonOptions,
    remediator: Option<Arc<dyn Remediator>>,
) -> anyhow::Result<()> {
    let load = config::load_dir(&opts.config_dir).map_err(|e| anyhow::anyhow!("{e}"))?;
    if !load.daemon_config_ok() {
        let errs: Vec<String> = load.errors.iter().map(|e| e.to_string()).collect();
        bail!(
            "{}/{} is not valid; not starting on defaults:\n{}",
            opts.config_dir.display(),
            config::DAEMON_FILE,
            errs.join("\n")
        );
    }
    let daemon = load.config.daemon.clone();
    let journal = JournalWriter::new(&daemon.journal_socket)
        .with_context(|| format!("audit log {}", daemon.journal_socket.display()))?;
    let store = IncidentStore::open(&daemon.state_dir)?;
    let (sensor, sensor_problem) = match KernelSensor::load(&SensorOptions::default()) {
        Ok(s) => (Some(s), None),
        Err(e) => {
            tracing::error!("kernel sensor unavailable, crashes will not be seen: {e}");
            (None, Some(e.to_string()))
        }
    };

    let (tx, rx) = mpsc::channel(1024);
    let builder = match daemon.bus {
        Bus::System => zbus::connection::Builder::system(),
        Bus::Session => zbus::connection::Builder::session(),
    }
    .context("D-Bus connection")?;
    // The well-known name is requested only once every service is watched (below): with
    // `Type=dbus` that is when systemd reports healerd started, so a crash right after
    // start-up is never missed because its cgroup was not in the kernel filter yet.
    let conn = builder
        .serve_at(OBJECT_PATH, HealerApi::new(tx.clone()))
        .context("serving the API")?
        .build()
        .await
        .with_context(|| format!("connecting to the {} bus", bus_label(daemon.bus)))?;
    let systemd = Systemd::from_connection(conn.clone(), SystemdOptions::default())
        .await
        .context("connecting to systemd")?;

    spawn_signal_forwarders(tx.clone())?;
    {
        let tx = tx.clone();
        let every = opts.stats_interval;
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(every);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                if tx.send(Input::StatsTick).await.is_err() {
                    break;
                }
            }
        });
    }

    let localizer = daemon.repair.localizer_spec(&load.config.dir);
    tracing::info!(
        "repairs localize with {}{}",
        localizer.name,
        if localizer.name == "learned" {
            format!(" ({})", localizer.model)
        } else {
            String::new()
        }
    );
    let (healing, release_remediator) = heal::Healing::new(
        systemd.clone(),
        daemon.state_dir.clone(),
        crate::diagnose::JournalSource {
            directory: daemon.journal_directory.clone(),
            user_units: daemon.bus == Bus::Session,
        },
        daemon.limits.max_concurrent_repairs as usize,
        Duration::from_secs(daemon.limits.repair_timeout_s),
        localizer,
        tx.clone(),
    );
    let remediator = remediator.unwrap_or(release_remediator);
    let mut actor = Actor {
        config: load.config.clone(),
        policy_errors: Vec::new(),
        services: BTreeMap::new(),
        by_cgroup: HashMap::new(),
        sensor,
        sensor_problem,
        detector: Box::new(PolicyDetector::new(opts.detector.clone())),
        store,
        incidents: BTreeMap::new(),
        open_by_unit: HashMap::new(),
        paused: BTreeMap::new(),
        journal,
        systemd,
        emitter: SignalEmitter::new(&conn, OBJECT_PATH)?.into_owned(),
        conn: conn.clone(),
        tx,
        remediator,
        healing: Some(healing),
        started_us: now_us(),
        next_generation: 0,
    };
    actor.restore()?;
    actor.report_policy_errors(&load.errors);
    for (unit, lp) in &load.config.policies {
        actor.add_service(unit, lp.clone());
    }
    let mut rx = rx;
    if !actor
        .wait_until_watching(&mut rx, STARTUP_RESOLVE_LIMIT)
        .await
    {
        tracing::info!("healerd: stopping during start-up");
        return Ok(());
    }
    own_bus_name(&conn, daemon.bus).await?;
    actor.resume_healing();
    tracing::info!(
        "healerd: watching {} services, {} open incidents, on the {} bus as {BUS_NAME}",
        actor.services.len(),
        actor.open_by_unit.len(),
        bus_label(daemon.bus)
    );
    actor.run(rx).await;
    Ok(())
}

/// The kernel's handle for a service's followed path: its generation, which is unique per
/// added service (wrapping after 2^32 additions, far beyond any reload rate).
fn slot_of(generation: u64) -> u32 {
    generation as u32
}

/// How long start-up waits for systemd to resolve every watched unit before owning the bus
/// name anyway (a unit that is slow to resolve is reported in `services` meanwhile).
const STARTUP_RESOLVE_LIMIT: Duration = Duration::from_secs(10);

async fn own_bus_name(conn: &zbus::Connection, bus: Bus) -> anyhow::Result<()> {
    use zbus::fdo::{RequestNameFlags, RequestNameReply};
    let reply = conn
        .request_name_with_flags(BUS_NAME, RequestNameFlags::DoNotQueue.into())
        .await;
    match reply {
        Ok(RequestNameReply::PrimaryOwner | RequestNameReply::AlreadyOwner) => Ok(()),
        Ok(other) => bail!(
            "cannot own {BUS_NAME} on the {} bus ({other:?}): is another healerd running?",
            bus_label(bus)
        ),
        Err(e) => Err(e).with_context(|| {
            format!(
                "cannot own {BUS_NAME} on the {} bus (does the bus policy let this user own it?)",
                bus_label(bus)
            )
        }),
    }
}

fn bus_label(b: Bus) -> &'static str {
    match b {
        Bus::System => "system",
        Bus::Session => "session",
    }
}

fn spawn_signal_forwarders(tx: mpsc::Sender<Input>) -> anyhow::Result<()> {
    let mut hup = signal(SignalKind::hangup()).context("SIGHUP handler")?;
    let mut term = signal(SignalKind::terminate()).context("SIGTERM handler")?;
    let mut int = signal(SignalKind::interrupt()).context("SIGINT handler")?;
    tokio::spawn(async move {
        loop {
            let input = tokio::select! {
                _ = hup.recv() => Input::Reload,
                _ = term.recv() => Input::Shutdown,
                _ = int.recv() => Input::Shutdown,
            };
            if tx.send(input).await.is_err() {
                break;
            }
        }
    });
    Ok(())
}

struct Actor {
    config: Config,
    policy_errors: Vec<String>,
    services: BTreeMap<String, Service>,
    by_cgroup: HashMap<u64, String>,
    sensor: Option<KernelSensor>,
    sensor_problem: Option<String>,
    detector: Box<dyn Detector>,
    store: IncidentStore,
    /// Every incident, by id.
    incidents: BTreeMap<String, Incident>,
    /// The open incident of each unit.
    open_by_unit: HashMap<String, String>,
    /// Paused units and who paused them.
    paused: BTreeMap<String, String>,
    journal: JournalWriter,
    systemd: Systemd,
    emitter: SignalEmitter<'static>,
    conn: Connection,
    tx: mpsc::Sender<Input>,
    remediator: Arc<dyn Remediator>,
    /// Heal tasks, canaries and the learned policy (`heal.rs`).
    healing: Option<heal::Healing>,
    started_us: i64,
    next_generation: u64,
}

/// Reads the next sensor event, or never returns without a sensor.
async fn next_sensor_event(sensor: &mut Option<KernelSensor>) -> Result<Event, SenseError> {
    match sensor {
        Some(s) => s.next_event().await,
        None => std::future::pending().await,
    }
}

#[derive(PartialEq, Eq)]
enum Flow {
    Continue,
    Stop,
    Deadline,
}

enum Step {
    Sensor(Result<Event, SenseError>),
    Input(Option<Input>),
}

impl Actor {
    async fn run(&mut self, mut rx: mpsc::Receiver<Input>) {
        while self.step(&mut rx, None).await == Flow::Continue {}
        tracing::info!("healerd: stopping");
        let units: Vec<String> = self.services.keys().cloned().collect();
        for unit in units {
            self.remove_service(&unit);
        }
    }

    /// Handles inputs until every service's unit has been resolved once (its cgroup is then
    /// in the sensor's filter) or it is known to be missing, or until `limit`. False when
    /// told to shut down meanwhile.
    async fn wait_until_watching(
        &mut self,
        rx: &mut mpsc::Receiver<Input>,
        limit: Duration,
    ) -> bool {
        let deadline = tokio::time::Instant::now() + limit;
        let unresolved = |a: &Self| {
            a.services
                .iter()
                .filter(|(_, s)| s.state.is_none() && s.problem.is_none())
                .map(|(u, _)| u.clone())
                .collect::<Vec<_>>()
        };
        while !unresolved(self).is_empty() {
            match self.step(rx, Some(deadline)).await {
                Flow::Continue => {}
                Flow::Stop => return false,
                Flow::Deadline => {
                    let slow = unresolved(self).join(", ");
                    tracing::warn!("start-up: not resolved after {limit:?}: {slow}");
                    return true;
                }
            }
        }
        true
    }

    /// Waits for one sensor event or input (or `deadline`) and handles it.
    async fn step(
        &mut self,
        rx: &mut mpsc::Receiver<Input>,
        deadline: Option<tokio::time::Instant>,
    ) -> Flow {
        let until = async {
            match deadline {
                Some(d) => tokio::time::sleep_until(d).await,
                None => std::future::pending().await,
            }
        };
        let step = tokio::select! {
            ev = next_sensor_event(&mut self.sensor) => Step::Sensor(ev),
            input = rx.recv() => Step::Input(input),
            _ = until => return Flow::Deadline,
        };
        match step {
            Step::Sensor(Ok(ev)) => self.on_event(ev),
            Step::Sensor(Err(e)) => {
                tracing::warn!("sensor: {e}");
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            Step::Input(None | Some(Input::Shutdown)) => return Flow::Stop,
            Step::Input(Some(input)) => self.handle(input).await,
        }
        Flow::Continue
    }

    async fn handle(&mut self, input: Input) {
        match input {
            Input::Unit {
                unit,
                generation,
                update,
            } => {
                // Events already in the ring happened before this update: read them first,
                // so a crash is attributed before its cgroup is replaced.
                self.drain_sensor();
                if let Some(path) = self.on_unit(&unit, generation, update) {
                    // Before the next input: a crash right after the start must find the
                    // binary indexed. A hardened healerd (no CAP_SYS_PTRACE) cannot read
                    // /proc/PID/exe or the maps of a process started before it; the unit says
                    // what runs, and reading that file needs no ptrace access.
                    match exec_start_paths(&self.conn, path).await {
                        Ok(paths) => {
                            if let Some(sensor) = self.sensor.as_mut() {
                                for p in paths {
                                    sensor.index_executable(&p);
                                }
                            }
                        }
                        Err(e) => tracing::debug!("{unit}: reading ExecStart: {e}"),
                    }
                }
            }
            Input::Reload => {
                if let Err(r) = self.reload(None) {
                    tracing::error!("reload: {r:?}");
                }
            }
            Input::Api(cmd) => {
                let reply = self.api(cmd.request, cmd.caller).await;
                let _ = cmd.reply.send(reply);
            }
            Input::StatsTick => self.poll_stats(),
            Input::Heal { incident, step } => self.on_heal_step(&incident, *step),
            Input::HealVerdict { incident, release } => self.on_heal_verdict(&incident, release),
            Input::Shutdown => {}
        }
    }

    fn drain_sensor(&mut self) {
        let mut events = Vec::new();
        if let Some(s) = self.sensor.as_mut() {
            while let Some(r) = s.try_next_event() {
                match r {
                    Ok(ev) => events.push(ev),
                    Err(e) => tracing::warn!("sensor: {e}"),
                }
            }
        }
        for ev in events {
            self.on_event(ev);
        }
    }

    /// Loads incidents and paused units from the store.
    fn restore(&mut self) -> anyhow::Result<()> {
        for inc in self.store.all()? {
            if inc.is_open() {
                self.open_by_unit.insert(inc.unit.clone(), inc.id.clone());
            }
            self.incidents.insert(inc.id.clone(), inc);
        }
        self.paused = self.store.paused()?.into_iter().collect();
        Ok(())
    }

    fn audit(&self, record: AuditRecord) {
        if let Err(e) = self.journal.write(&record) {
            tracing::error!("audit: {e}");
        }
    }

    fn report_policy_errors(&mut self, errors: &[config::ConfigError]) {
        self.policy_errors = errors.iter().map(|e| e.to_string()).collect();
        for e in errors {
            tracing::warn!("{e}");
            self.audit(AuditRecord::policy_error(e));
        }
    }

    fn add_service(&mut self, unit: &str, policy: LoadedPolicy) {
        self.next_generation += 1;
        let generation = self.next_generation;
        let tx = self.tx.clone();
        let (problem, forwarder) = match self.systemd.watch(unit, WatchOptions::default()) {
            Ok(mut w) => {
                let unit = unit.to_string();
                (
                    None,
                    tokio::spawn(async move {
                        while let Some(update) = w.next().await {
                            let input = Input::Unit {
                                unit: unit.clone(),
                                generation,
                                update,
                            };
                            if tx.send(input).await.is_err() {
                                break;
                            }
                        }
                    }),
                )
            }
            Err(e) => (Some(e.to_string()), tokio::spawn(async {})),
        };
        self.services.insert(
            unit.to_string(),
            Service {
                policy,
                state: None,
                problem,
                cgroup_id: 0,
                retired: Vec::new(),
                followed_path: None,
                main_pid: 0,
                generation,
                forwarder,
            },
        );
    }

    fn remove_service(&mut self, unit: &str) {
        if let Some(svc) = self.services.remove(unit) {
            if svc.cgroup_id != 0
                && let Some(s) = self.sensor.as_mut()
                && let Err(e) = s.unwatch(svc.cgroup_id)
            {
                tracing::warn!("{unit}: unwatch cgroup {}: {e}", svc.cgroup_id);
            }
            for id in svc.retired.iter().chain([&svc.cgroup_id]) {
                self.by_cgroup.remove(id);
            }
            if let (Some(path), Some(s)) = (&svc.followed_path, self.sensor.as_mut())
                && let Err(e) = s.unfollow_path(path)
            {
                tracing::warn!("{unit}: unfollow {path}: {e}");
            }
        }
        self.detector.forget(unit);
    }

    fn watch_config(policy: &LoadedPolicy) -> WatchConfig {
        WatchConfig {
            slow_syscall_ns: policy
                .policy
                .watch
                .slow_syscall_ms
                .map(|ms| (ms.max(0.0) * 1e6).ceil() as u64)
                .unwrap_or(0),
        }
    }

    /// Applies a unit update; returns the unit's object path when it (re)started, so its
    /// binaries can be indexed.
    fn on_unit(
        &mut self,
        unit: &str,
        generation: u64,
        update: UnitUpdate,
    ) -> Option<zbus::zvariant::OwnedObjectPath> {
        let svc = self.services.get_mut(unit)?;
        if svc.generation != generation {
            return None;
        }
        let mut index_path = None;
        match update {
            UnitUpdate::State(st) => {
                if let (Some(path), Some(sensor)) = (&st.cgroup_path, self.sensor.as_mut())
                    && svc.followed_path.as_ref() != Some(path)
                {
                    if let Some(old) = svc.followed_path.take()
                        && let Err(e) = sensor.unfollow_path(&old)
                    {
                        tracing::warn!("{unit}: unfollow {old}: {e}");
                    }
                    let cfg = Self::watch_config(&svc.policy);
                    match sensor.follow_path(path, slot_of(generation), cfg) {
                        Ok(()) => svc.followed_path = Some(path.clone()),
                        // Still followed through systemd, just later after each restart.
                        Err(e) => tracing::warn!("{unit}: {e}"),
                    }
                }
                let new_id = st.control_group_id;
                // New to systemd's reports, though the kernel may have switched to it already.
                let reported_before = svc.state.as_ref().map(|s| s.control_group_id);
                if new_id != 0 && reported_before != Some(new_id) && self.sensor.is_some() {
                    index_path = Some(st.object_path.clone());
                }
                self.switch_cgroup(unit, new_id, "systemd");
                let svc = self.services.get_mut(unit)?;
                if st.main_pid != 0 && st.main_pid != svc.main_pid {
                    svc.main_pid = st.main_pid;
                    // Index the binary now: a crash is symbolized with what is known then.
                    if let Some(sensor) = self.sensor.as_mut()
                        && let Ok(exe) = std::fs::read_link(format!("/proc/{}/exe", st.main_pid))
                    {
                        sensor.index_executable(&exe);
                    }
                }
                svc.problem = None;
                svc.state = Some(st);
            }
            UnitUpdate::Missing { error, .. } | UnitUpdate::Error { error, .. } => {
                svc.problem = Some(error);
            }
        }
        index_path
    }

    /// Points the service's filter and attribution at cgroup `new_id` (0: none), keeping the
    /// old id attributable for a while (its last events may still be in the ring).
    fn switch_cgroup(&mut self, unit: &str, new_id: u64, source: &str) {
        let Some(svc) = self.services.get_mut(unit) else {
            return;
        };
        let old = svc.cgroup_id;
        if old == new_id {
            return;
        }
        if let Some(sensor) = self.sensor.as_mut() {
            if old != 0
                && let Err(e) = sensor.unwatch(old)
            {
                tracing::warn!("{unit}: unwatch cgroup {old}: {e}");
            }
            if new_id != 0
                && let Err(e) = sensor.watch(new_id, Self::watch_config(&svc.policy))
            {
                tracing::error!("{unit}: watch cgroup {new_id}: {e}");
            }
        }
        if old != 0 {
            svc.retired.push(old);
            if svc.retired.len() > RETIRED_CGROUPS {
                let gone = svc.retired.remove(0);
                self.by_cgroup.remove(&gone);
            }
        }
        if new_id != 0 {
            self.by_cgroup.insert(new_id, unit.to_string());
        }
        svc.cgroup_id = new_id;
        self.detector.reset_stats(unit);
        tracing::info!("{unit}: cgroup id {old} -> {new_id} ({source})");
    }

    /// The kernel saw a followed service's cgroup created again and already watches it.
    fn on_cgroup_created(&mut self, ev: &crate::sense::event::CgroupCreated) {
        let unit = self
            .services
            .iter()
            .find(|(_, s)| slot_of(s.generation) == ev.slot)
            .map(|(u, _)| u.clone());
        match unit {
            Some(unit) => self.switch_cgroup(&unit, ev.cgroup_id, "kernel"),
            // The service was removed after the kernel matched its path: don't leak the entry.
            None => {
                if let Some(s) = self.sensor.as_mut() {
                    let _ = s.unwatch(ev.cgroup_id);
                }
            }
        }
    }

    fn on_event(&mut self, ev: Event) {
        if let Event::CgroupCreated(c) = &ev {
            self.on_cgroup_created(c);
            return;
        }
        let Some(unit) = self.by_cgroup.get(&ev.cgroup_id()).cloned() else {
            return;
        };
        let Some(svc) = self.services.get(&unit) else {
            return;
        };
        let view = ServiceView {
            unit: &unit,
            policy: &svc.policy.policy,
            main_pid: svc.main_pid,
        };
        let faults = self.detector.on_event(&view, &ev, Instant::now());
        for f in faults {
            self.record_fault(&unit, f);
        }
    }

    fn poll_stats(&mut self) {
        let Some(sensor) = self.sensor.as_ref() else {
            return;
        };
        let mut faults = Vec::new();
        for (unit, svc) in &self.services {
            let w = &svc.policy.policy.watch;
            if svc.cgroup_id == 0 || (w.syscall_p99_ms.is_empty() && w.error_rate.is_none()) {
                continue;
            }
            match sensor.syscall_stats(svc.cgroup_id) {
                Ok(aggs) => {
                    let view = ServiceView {
                        unit,
                        policy: &svc.policy.policy,
                        main_pid: svc.main_pid,
                    };
                    for f in self.detector.on_stats(&view, &aggs, Instant::now()) {
                        faults.push((unit.clone(), f));
                    }
                }
                Err(e) => tracing::warn!("{unit}: syscall stats: {e}"),
            }
        }
        for (unit, f) in faults {
            self.record_fault(&unit, f);
        }
    }

    /// Opens an incident for the fault, or folds it into the unit's open one.
    fn record_fault(&mut self, unit: &str, f: Fault) {
        tracing::warn!("{unit}: {}", f.summary);
        let now = now_us();
        if let Some(id) = self.open_by_unit.get(unit).cloned()
            && let Some(inc) = self.incidents.get_mut(&id)
        {
            inc.count += 1;
            inc.updated_us = now;
            inc.push_evidence(f.summary.clone());
            let escalated = f.kind == FaultKind::CrashLoop && inc.kind != FaultKind::CrashLoop;
            if escalated {
                inc.kind = FaultKind::CrashLoop;
            }
            if inc.frames.is_empty() && !f.frames.is_empty() {
                inc.frames = f.frames.clone();
            }
            let inc = inc.clone();
            if let Err(e) = self.store.update(&inc) {
                tracing::error!("{e}");
            }
            let mut rec = AuditRecord::new(
                EntryKind::IncidentUpdated,
                format!(
                    "{unit}: incident {id} ({}) now holds {} faults: {}",
                    inc.kind.name(),
                    inc.count,
                    f.summary
                ),
            )
            .unit(unit)
            .incident(&id)
            .field(fields::FAULT, inc.kind.name())
            .field(fields::STATE, inc.state.name())
            .field(fields::COUNT, inc.count.to_string());
            rec = fault_fields(rec, &f);
            self.audit(rec);
            self.emit_changed(&inc);
            self.fault_during_healing(&id);
            return;
        }
        let id = match self.store.new_id() {
            Ok(id) => id,
            Err(e) => {
                tracing::error!("{unit}: cannot open an incident: {e}");
                return;
            }
        };
        let inc = Incident {
            id: id.clone(),
            unit: unit.to_string(),
            kind: f.kind,
            state: State::Detected,
            opened_us: now,
            updated_us: now,
            count: 1,
            signal: f.signal,
            signal_name: f.signal.map(signal_name),
            exit_code: f.exit_code,
            pid: f.pid,
            frames: f.frames.clone(),
            evidence: vec![f.summary.clone()],
            history: vec![Transition {
                at_us: now,
                from: None,
                to: State::Detected,
                reason: f.summary.clone(),
                actor: "healerd".into(),
            }],
            repair: None,
        };
        if let Err(e) = self.store.insert(&inc) {
            // Keep it in memory anyway: the operator still sees it; the log says it is not
            // persisted.
            tracing::error!("{unit}: incident {id} not persisted: {e}");
        }
        let rec = AuditRecord::new(
            EntryKind::IncidentOpened,
            format!("{unit}: incident {id} opened: {}", f.summary),
        )
        .unit(unit)
        .incident(&id)
        .field(fields::FAULT, f.kind.name())
        .field(fields::STATE, State::Detected.name());
        self.audit(fault_fields(rec, &f));
        self.open_by_unit.insert(unit.to_string(), id.clone());
        self.incidents.insert(id.clone(), inc);
        self.start_healing(&id);
        let emitter = self.emitter.clone();
        let kind = f.kind.name();
        let unit = unit.to_string();
        tokio::spawn(async move {
            if let Err(e) = HealerApi::incident_opened(&emitter, &id, &unit, kind).await {
                tracing::warn!("IncidentOpened signal: {e}");
            }
        });
    }

    fn emit_changed(&self, inc: &Incident) {
        let emitter = self.emitter.clone();
        let (id, unit, state) = (inc.id.clone(), inc.unit.clone(), inc.state.name());
        tokio::spawn(async move {
            if let Err(e) = HealerApi::incident_changed(&emitter, &id, &unit, state).await {
                tracing::warn!("IncidentChanged signal: {e}");
            }
        });
    }

    /// Moves an incident to `to`, stores it, writes the audit entry and signals it.
    fn transition(
        &mut self,
        id: &str,
        to: State,
        reason: &str,
        actor: &str,
    ) -> Result<Incident, Refusal> {
        let mut inc = self
            .incidents
            .get(id)
            .cloned()
            .ok_or_else(|| Refusal::NotFound(format!("no incident {id}")))?;
        let t = self
            .store
            .transition(&mut inc, to, reason, actor)
            .map_err(|e| Refusal::Failed(e.to_string()))?;
        let kind = match to {
            State::Diagnosed => EntryKind::Diagnosed,
            State::Proposed => EntryKind::PatchProposed,
            State::Approved => EntryKind::PatchApproved,
            State::Rejected => EntryKind::PatchRejected,
            State::Canary => EntryKind::Deployed,
            State::Healed => EntryKind::Healed,
            State::Failed => EntryKind::Failed,
            State::RolledBack => EntryKind::RolledBack,
            _ => EntryKind::IncidentChanged,
        };
        let from = t.from.map(State::name).unwrap_or("");
        self.audit(
            AuditRecord::new(
                kind,
                format!("{}: incident {id}: {from} -> {to}: {reason}", inc.unit),
            )
            .unit(&inc.unit)
            .incident(id)
            .field(fields::STATE, to.name())
            .field(fields::PREVIOUS_STATE, from)
            .field(fields::REASON, reason)
            .field(fields::ACTOR, actor),
        );
        if !inc.is_open() && self.open_by_unit.get(&inc.unit).map(String::as_str) == Some(id) {
            self.open_by_unit.remove(&inc.unit);
        }
        self.incidents.insert(id.to_string(), inc.clone());
        self.emit_changed(&inc);
        Ok(inc)
    }

    async fn api(&mut self, req: Request, caller: Option<Caller>) -> Reply {
        let actor = caller
            .as_ref()
            .map(Caller::describe)
            .unwrap_or_else(|| "healerd".into());
        match req {
            Request::Status => Ok(self.status_json()),
            Request::Services => Ok(self.services_json()),
            Request::Incidents => Ok(serde_json::Value::Array(
                self.incidents
                    .values()
                    .map(|i| serde_json::to_value(i).unwrap_or_default())
                    .collect(),
            )),
            Request::Show(id) => self
                .incidents
                .get(&id)
                .map(|i| serde_json::to_value(i).unwrap_or_default())
                .ok_or_else(|| Refusal::NotFound(format!("no incident {id}"))),
            Request::Approve(id) => self.approve(&id, &actor).await,
            Request::Reject(id) => {
                self.require_proposed(&id, "rejected")?;
                let inc = self.transition(&id, State::Rejected, "patch rejected", &actor)?;
                Ok(serde_json::to_value(&inc).unwrap_or_default())
            }
            Request::Rollback(unit) => self.rollback(&unit, &actor).await,
            Request::Pause(unit) => self.set_paused(&unit, true, &actor),
            Request::Resume(unit) => self.set_paused(&unit, false, &actor),
            Request::Reload => self.reload(Some(&actor)),
        }
    }

    fn require_proposed(&self, id: &str, what: &str) -> Result<&Incident, Refusal> {
        let inc = self
            .incidents
            .get(id)
            .ok_or_else(|| Refusal::NotFound(format!("no incident {id}")))?;
        if inc.state != State::Proposed {
            return Err(Refusal::InvalidState(format!(
                "incident {id} is {}: only a proposed incident can be {what}",
                inc.state
            )));
        }
        Ok(inc)
    }

    async fn approve(&mut self, id: &str, actor: &str) -> Reply {
        let unit = self.require_proposed(id, "approved")?.unit.clone();
        if self.paused.contains_key(&unit) {
            return Err(Refusal::InvalidState(format!(
                "healing of {unit} is paused (healerctl resume {unit} first)"
            )));
        }
        let policy = self
            .services
            .get(&unit)
            .map(|s| s.policy.policy.clone())
            .ok_or_else(|| Refusal::NotFound(format!("{unit} has no policy any more")))?;
        let inc = self.transition(id, State::Approved, "patch approved", actor)?;
        let remediator = self.remediator.clone();
        let outcome = remediator.deploy_approved(&inc, &policy).await;
        let inc = match outcome {
            Ok(what) => self.transition(id, State::Deploying, &what, "healerd")?,
            Err(e) => self.transition(id, State::Failed, &e.to_string(), "healerd")?,
        };
        Ok(serde_json::to_value(&inc).unwrap_or_default())
    }

    async fn rollback(&mut self, unit: &str, actor: &str) -> Reply {
        let policy = self
            .services
            .get(unit)
            .map(|s| s.policy.policy.clone())
            .ok_or_else(|| Refusal::NotFound(format!("{unit} is not watched by healer")))?;
        let remediator = self.remediator.clone();
        match remediator.rollback(unit, &policy).await {
            Ok(what) => {
                let incident = match self.open_by_unit.get(unit).cloned() {
                    Some(id) => Some(self.transition(&id, State::RolledBack, &what, actor)?.id),
                    None => {
                        self.audit(
                            AuditRecord::new(
                                EntryKind::RolledBack,
                                format!("{unit}: rolled back: {what}"),
                            )
                            .unit(unit)
                            .field(fields::ACTOR, actor),
                        );
                        None
                    }
                };
                Ok(json!({"unit": unit, "rolled_back": true, "detail": what, "incident": incident}))
            }
            Err(RemedyError::Unavailable(why)) => Err(Refusal::Failed(why)),
            Err(RemedyError::Failed(why)) => {
                let mut rec =
                    AuditRecord::new(EntryKind::Failed, format!("{unit}: rollback failed: {why}"))
                        .unit(unit)
                        .field(fields::ACTOR, actor)
                        .field(fields::REASON, why.clone());
                if let Some(id) = self.open_by_unit.get(unit) {
                    rec = rec.incident(id.clone());
                }
                self.audit(rec);
                Err(Refusal::Failed(format!("rollback of {unit} failed: {why}")))
            }
        }
    }

    fn set_paused(&mut self, unit: &str, paused: bool, actor: &str) -> Reply {
        if !self.services.contains_key(unit) {
            return Err(Refusal::NotFound(format!(
                "{unit} is not watched by healer"
            )));
        }
        let changed = self
            .store
            .set_paused(unit, paused, actor)
            .map_err(|e| Refusal::Failed(e.to_string()))?;
        if paused {
            self.paused.insert(unit.to_string(), actor.to_string());
        } else {
            self.paused.remove(unit);
        }
        if changed {
            let (kind, verb) = if paused {
                (EntryKind::HealingPaused, "paused")
            } else {
                (EntryKind::HealingResumed, "resumed")
            };
            self.audit(
                AuditRecord::new(kind, format!("{unit}: healing {verb} by {actor}"))
                    .unit(unit)
                    .field(fields::ACTOR, actor),
            );
        }
        Ok(json!({"unit": unit, "paused": paused, "changed": changed}))
    }

    fn reload(&mut self, actor: Option<&str>) -> Reply {
        let (load, diff) =
            config::reload(&self.config).map_err(|e| Refusal::Failed(e.to_string()))?;
        self.report_policy_errors(&load.errors);
        for unit in &diff.removed {
            self.remove_service(unit);
        }
        for unit in diff.added.iter() {
            if let Some(lp) = load.config.policies.get(unit) {
                self.add_service(unit, lp.clone());
            }
        }
        for unit in &diff.changed {
            if let (Some(lp), Some(svc)) =
                (load.config.policies.get(unit), self.services.get_mut(unit))
            {
                svc.policy = lp.clone();
                if let Some(s) = self.sensor.as_mut() {
                    let cfg = Self::watch_config(lp);
                    if svc.cgroup_id != 0
                        && let Err(e) = s.watch(svc.cgroup_id, cfg)
                    {
                        tracing::warn!("{unit}: updating the sensor's filter: {e}");
                    }
                    if let Some(path) = &svc.followed_path
                        && let Err(e) = s.follow_path(path, slot_of(svc.generation), cfg)
                    {
                        tracing::warn!("{unit}: updating the followed path: {e}");
                    }
                }
                self.detector.reset_stats(unit);
            }
        }
        self.config = load.config;
        tracing::info!(
            "reload by {}: added {:?}, removed {:?}, changed {:?}, kept previous {:?}, {} errors",
            actor.unwrap_or("SIGHUP"),
            diff.added,
            diff.removed,
            diff.changed,
            diff.kept_previous,
            self.policy_errors.len()
        );
        Ok(json!({
            "added": diff.added,
            "removed": diff.removed,
            "changed": diff.changed,
            "kept_previous": diff.kept_previous,
            "daemon_changed": diff.daemon_changed,
            "errors": self.policy_errors,
        }))
    }

    fn status_json(&self) -> serde_json::Value {
        let lost = self.sensor.as_ref().and_then(|s| s.lost().ok());
        json!({
            "version": env!("CARGO_PKG_VERSION"),
            "pid": std::process::id(),
            "started_us": self.started_us,
            "uptime_s": (now_us() - self.started_us) / 1_000_000,
            "config_dir": self.config.dir,
            "state_dir": self.config.daemon.state_dir,
            "bus": bus_label(self.config.daemon.bus),
            "sensor": match &self.sensor_problem {
                None => "loaded".to_string(),
                Some(p) => format!("unavailable: {p}"),
            },
            "events_lost": lost,
            "services": self.services.len(),
            "paused": self.paused.keys().collect::<Vec<_>>(),
            "incidents": self.incidents.len(),
            "open_incidents": self.open_by_unit.len(),
            "policy_errors": self.policy_errors,
            "learned": self.healing.as_ref().map(|h| h.learned_json()),
        })
    }

    fn services_json(&self) -> serde_json::Value {
        let list: Vec<serde_json::Value> = self
            .services
            .iter()
            .map(|(unit, svc)| {
                let (active, sub) = svc
                    .state
                    .as_ref()
                    .map(|s| (s.active_state.clone(), s.sub_state.clone()))
                    .unwrap_or_else(|| ("unknown".into(), String::new()));
                json!({
                    "unit": unit,
                    "policy_file": svc.policy.file,
                    "mode": svc.policy.policy.mode,
                    "active_state": active,
                    "sub_state": sub,
                    "problem": svc.problem,
                    "cgroup_id": svc.cgroup_id,
                    "followed_cgroup_path": svc.followed_path,
                    "main_pid": svc.main_pid,
                    "n_restarts": svc.state.as_ref().map(|s| s.n_restarts),
                    "paused": self.paused.contains_key(unit),
                    "open_incident": self.open_by_unit.get(unit),
                })
            })
            .collect();
        serde_json::Value::Array(list)
    }
}

/// One `ExecStart=` entry as systemd exports it: path, argv, ignore-failure, start and exit
/// timestamps (realtime, monotonic), pid, exit code, status.
type ExecCommand = (String, Vec<String>, bool, u64, u64, u64, u64, u32, i32, i32);

async fn exec_start_paths(
    conn: &Connection,
    path: zbus::zvariant::OwnedObjectPath,
) -> zbus::Result<Vec<PathBuf>> {
    let proxy = zbus::Proxy::new(
        conn,
        "org.freedesktop.systemd1",
        path,
        "org.freedesktop.systemd1.Service",
    )
    .await?;
    let cmds: Vec<ExecCommand> = proxy.get_property("ExecStart").await?;
    Ok(cmds
        .into_iter()
        .map(|c| PathBuf::from(c.0))
        .filter(|p| p.is_absolute())
        .collect())
}

/// The fault's evidence as audit fields.
fn fault_fields(mut rec: AuditRecord, f: &Fault) -> AuditRecord {
    if let Some(s) = f.signal {
        rec = rec.signal(signal_name(s));
    }
    if let Some(c) = f.exit_code {
        rec = rec.field(fields::EXIT_CODE, c.to_string());
    }
    if let Some(p) = f.pid {
        rec = rec.field(fields::PID, p.to_string());
    }
    if !f.frames.is_empty() {
        rec = rec.frames(&serde_json::to_value(&f.frames).unwrap_or_default());
    }
    rec
}

/// Microseconds since the epoch as seconds, for display.
pub fn us_to_system_time(us: i64) -> SystemTime {
    UNIX_EPOCH + Duration::from_micros(us.max(0) as u64)
}
