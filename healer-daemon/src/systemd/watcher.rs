//! [`UnitWatcher`]: follows one unit's state, cgroup id included, across starts, restarts
//! and daemon-reloads, and keeps retrying a unit that is not there (yet).

use std::{sync::Arc, time::Duration};

use futures_util::StreamExt as _;
use tokio::{
    sync::{Notify, mpsc},
    task::JoinHandle,
};
use zbus::fdo::{PropertiesChangedStream, PropertiesProxy};

use super::{
    Systemd, UnitError, UnitState, bus_err,
    proxies::{ReloadingStream, UnitRemovedStream},
};

/// What a watcher reports.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UnitUpdate {
    /// The unit's state, sent when first resolved and whenever anything in it changed
    /// (a new `control_group_id` after a restart, a new `main_pid`, …).
    State(UnitState),
    /// The unit does not exist (or cannot be loaded); the watcher tries again after
    /// `retry_in`. `attempt` counts the failed tries since it was last seen.
    Missing {
        unit: String,
        error: String,
        attempt: u32,
        retry_in: Duration,
    },
    /// Any other failure (e.g. the bus went away); retried the same way.
    Error {
        unit: String,
        error: String,
        attempt: u32,
        retry_in: Duration,
    },
}

#[derive(Clone, Debug)]
pub struct WatchOptions {
    /// First retry delay for a missing unit; doubles up to `max_backoff`.
    pub initial_backoff: Duration,
    pub max_backoff: Duration,
    /// The state is re-read this often even without signals, as a safety net against
    /// a lost signal; cheap (a handful of property reads).
    pub resync_interval: Duration,
}

impl Default for WatchOptions {
    fn default() -> Self {
        Self {
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(30),
            resync_interval: Duration::from_secs(30),
        }
    }
}

/// A background task following one unit; dropping the watcher stops it.
#[derive(Debug)]
pub struct UnitWatcher {
    unit: String,
    rx: mpsc::UnboundedReceiver<UnitUpdate>,
    task: JoinHandle<()>,
}

impl UnitWatcher {
    pub(super) fn spawn(sd: Systemd, unit: String, opts: WatchOptions) -> Self {
        // Unbounded: the task must keep draining the bus signals even when the consumer is
        // slow; updates are deduplicated, so this grows only with real state changes.
        let (tx, rx) = mpsc::unbounded_channel();
        let task = tokio::spawn(run(sd, unit.clone(), opts, tx));
        Self { unit, rx, task }
    }

    pub fn unit(&self) -> &str {
        &self.unit
    }

    /// The next update; `None` only if the watcher task ended (it does not on its own).
    pub async fn next(&mut self) -> Option<UnitUpdate> {
        self.rx.recv().await
    }
}

impl Drop for UnitWatcher {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Why following a resolved unit stopped.
enum Lost {
    /// It vanished or became unloadable: resolve it again right away.
    Unit,
    /// A bus failure: report it and back off.
    Bus(UnitError),
}

async fn run(sd: Systemd, unit: String, opts: WatchOptions, tx: mpsc::UnboundedSender<UnitUpdate>) {
    let mut last: Option<UnitState> = None;
    let mut attempt = 0u32;
    let mut backoff = opts.initial_backoff;
    loop {
        let error = match follow(&sd, &unit, &opts, &tx, &mut last, &mut attempt).await {
            // The receiver is gone: nobody is listening any more.
            Err(Stop) => return,
            // It was there a moment ago (unloaded by the garbage collector or a reload):
            // resolve it again after a short pause, which bounds a load/unload cycle.
            Ok(Lost::Unit) => {
                tokio::time::sleep(opts.initial_backoff).await;
                continue;
            }
            Ok(Lost::Bus(e)) => e,
        };
        // The first failure after the unit was seen starts the backoff from scratch.
        if attempt <= 1 {
            backoff = opts.initial_backoff;
        }
        let retry_in = backoff;
        let (unit, error) = (unit.clone(), error);
        let update = match error {
            UnitError::NotFound { .. } | UnitError::NotLoaded { .. } => UnitUpdate::Missing {
                unit,
                error: error.to_string(),
                attempt,
                retry_in,
            },
            _ => UnitUpdate::Error {
                unit,
                error: error.to_string(),
                attempt,
                retry_in,
            },
        };
        // Once it is back, its state is reported again even if it looks the same.
        last = None;
        if tx.send(update).is_err() {
            return;
        }
        tokio::time::sleep(retry_in).await;
        backoff = (backoff * 2).min(opts.max_backoff);
    }
}

/// The consumer dropped the watcher.
struct Stop;

/// Resolves the unit and follows it until it is lost. `attempt` is reset once resolved
/// and incremented on each failed resolve.
async fn follow(
    sd: &Systemd,
    unit: &str,
    opts: &WatchOptions,
    tx: &mpsc::UnboundedSender<UnitUpdate>,
    last: &mut Option<UnitState>,
    attempt: &mut u32,
) -> Result<Lost, Stop> {
    let path = match sd.manager().load_unit(unit).await {
        Ok(p) => p,
        Err(e) => {
            *attempt += 1;
            return Ok(Lost::Bus(bus_err(unit, "Manager.LoadUnit")(e)));
        }
    };
    // Subscribe before reading, so no change between the read and the subscription is
    // lost: systemd sends PropertiesChanged on the unit's object path for every state
    // change (because the connection called Manager.Subscribe()).
    let streams = async {
        let props = PropertiesProxy::builder(sd.connection())
            .destination("org.freedesktop.systemd1")?
            .path(path.clone())?
            .build()
            .await?;
        let changed = props.receive_properties_changed().await?;
        // Filtered by the bus (arg0 = our unit): a reload removes and re-adds many units.
        let removed = sd
            .manager()
            .receive_unit_removed_with_args(&[(0, unit)])
            .await?;
        let reloaded = sd.manager().receive_reloading().await?;
        Ok::<_, zbus::Error>((changed, removed, reloaded))
    };
    let (changed, removed, reloaded) = match streams.await {
        Ok(s) => s,
        Err(e) => {
            *attempt += 1;
            return Ok(Lost::Bus(bus_err(unit, "signal subscription")(e)));
        }
    };
    // The streams are drained by their own task, always: zbus stops reading the socket
    // while any stream's queue is full, and a state read waiting for its reply while a
    // reload floods an unpolled stream would deadlock. The drainer only says "look again";
    // several changes coalesce into one read (Notify keeps a single permit).
    let kick = Arc::new(Notify::new());
    let mut drainer = AbortOnDrop(tokio::spawn(drain(
        changed,
        removed,
        reloaded,
        kick.clone(),
    )));
    let mut first = true;
    // Whether this round read the unit at least once: only then is a later NotFound a unit
    // that went away (resolve again) rather than one that is not there (report, back off).
    let mut seen = false;
    loop {
        if !first {
            tokio::select! {
                _ = kick.notified() => {}
                _ = &mut drainer.0 => return Ok(Lost::Bus(closed(unit))),
                _ = tokio::time::sleep(opts.resync_interval) => {}
            }
        }
        first = false;
        match sd.read_state(unit, path.clone()).await {
            Ok(state) => {
                *attempt = 0;
                seen = true;
                if last.as_ref() != Some(&state) {
                    *last = Some(state.clone());
                    tx.send(UnitUpdate::State(state)).map_err(|_| Stop)?;
                }
            }
            // Unloaded (garbage-collected, or gone after a reload): the object path may
            // come back with the next LoadUnit; resolve again.
            Err(UnitError::NotFound { .. } | UnitError::NotLoaded { .. }) if seen => {
                return Ok(Lost::Unit);
            }
            Err(e) => {
                *attempt += 1;
                return Ok(Lost::Bus(e));
            }
        }
    }
}

struct AbortOnDrop(JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Wakes the follower on every change of the unit, on its removal and at the end of each
/// daemon-reload; returns when the connection closes.
async fn drain(
    mut changed: PropertiesChangedStream,
    mut removed: UnitRemovedStream,
    mut reloaded: ReloadingStream,
    kick: Arc<Notify>,
) {
    loop {
        let wake = tokio::select! {
            c = changed.next() => match c {
                None => return,
                Some(_) => true,
            },
            r = removed.next() => match r {
                None => return,
                Some(_) => true,
            },
            r = reloaded.next() => match r {
                None => return,
                // Look again once a reload is over: the unit file may have changed.
                Some(sig) => sig.args().is_ok_and(|a| !a.active),
            },
        };
        if wake {
            kick.notify_one();
        }
    }
}

fn closed(unit: &str) -> UnitError {
    UnitError::Bus {
        call: format!("following {unit}"),
        source: Box::new(zbus::Error::InputOutput(std::sync::Arc::new(
            std::io::Error::new(
                std::io::ErrorKind::UnexpectedEof,
                "the bus connection closed",
            ),
        ))),
    }
}
