//! The systemd side of healer, over D-Bus (zbus, tokio): resolve a watched unit to its
//! cgroup and state, follow it across restarts ([`UnitWatcher`]), and the operations later
//! stages need (start, stop, restart, drop-ins with `daemon-reload`).
//!
//! Production talks to the system manager on the system bus; tests and the sandbox talk to a
//! private `systemd --user` manager on its session bus ([`BusKind`]).

mod proxies;
mod watcher;

use std::{
    path::{Path, PathBuf},
    time::Duration,
};

use futures_util::StreamExt as _;
pub use proxies::{ManagerProxy, ServiceProxy, UnitProxy};
pub use watcher::{UnitUpdate, UnitWatcher, WatchOptions};
use zbus::{
    Connection,
    proxy::CacheProperties,
    zvariant::{ObjectPath, OwnedObjectPath},
};

/// Which bus the manager is on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BusKind {
    /// The system manager (production).
    System,
    /// The session bus from `DBUS_SESSION_BUS_ADDRESS`: a user manager (tests, sandbox).
    Session,
    /// An explicit D-Bus address, e.g. `unix:path=/tmp/…/run/bus`.
    Address(String),
}

impl std::str::FromStr for BusKind {
    type Err = String;

    /// `system`, `session`, or a D-Bus address such as `unix:path=/run/…/bus`: the form a
    /// config file names the bus in.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "system" => Ok(Self::System),
            "session" => Ok(Self::Session),
            a if a.contains(':') && a.contains('=') => Ok(Self::Address(a.to_string())),
            _ => Err(format!(
                "expected \"system\", \"session\" or a D-Bus address like \"unix:path=/run/bus\", got {s:?}"
            )),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum UnitError {
    #[error("unit {unit} not found (not loaded and no unit file for it)")]
    NotFound { unit: String },
    #[error("unit {unit} cannot be used: load state {load_state}")]
    NotLoaded { unit: String, load_state: String },
    #[error("invalid unit name {unit:?}: {why}")]
    InvalidName { unit: String, why: String },
    #[error("invalid drop-in name {0:?}: use letters, digits, '-' and '_' only")]
    InvalidDropinName(String),
    #[error("{op} of {unit} failed: job result {result:?}")]
    JobFailed {
        unit: String,
        op: &'static str,
        result: String,
    },
    #[error("timed out after {timeout:?} waiting for {what}")]
    Timeout { what: String, timeout: Duration },
    #[error("cannot connect to the {bus} bus: {source}")]
    Connect {
        bus: String,
        #[source]
        source: Box<zbus::Error>,
    },
    #[error("D-Bus call {call} failed: {source}")]
    Bus {
        call: String,
        #[source]
        source: Box<zbus::Error>,
    },
    #[error("{context} {path}: {source}")]
    Io {
        context: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("the manager's unit path has no admin config dir for drop-ins: {0:?}")]
    NoDropinDir(Vec<String>),
}

/// The D-Bus error name of a failed call, if it has one.
fn error_name(e: &zbus::Error) -> Option<String> {
    match e {
        zbus::Error::MethodError(name, _, _) => Some(name.to_string()),
        zbus::Error::FDO(f) => {
            use zbus::DBusError as _;
            Some(f.name().to_string())
        }
        _ => None,
    }
}

/// Maps "no such unit/object" answers to [`UnitError::NotFound`], the rest to `Bus`.
fn bus_err(unit: &str, call: impl Into<String>) -> impl FnOnce(zbus::Error) -> UnitError {
    let (unit, call) = (unit.to_string(), call.into());
    move |source| match error_name(&source).as_deref() {
        Some(
            "org.freedesktop.systemd1.NoSuchUnit"
            | "org.freedesktop.DBus.Error.UnknownObject"
            | "org.freedesktop.DBus.Error.UnknownMethod",
        ) => UnitError::NotFound { unit },
        Some("org.freedesktop.DBus.Error.InvalidArgs") if call.ends_with("Unit") => {
            UnitError::InvalidName {
                unit,
                why: source.to_string(),
            }
        }
        _ => UnitError::Bus {
            call,
            source: Box::new(source),
        },
    }
}

/// One property of a GetAll answer, if present and of the expected type.
fn prop<T>(
    all: &std::collections::HashMap<String, zbus::zvariant::OwnedValue>,
    key: &str,
) -> Option<T>
where
    T: TryFrom<zbus::zvariant::OwnedValue>,
{
    all.get(key)?.try_clone().ok()?.try_into().ok()
}

/// A snapshot of one service unit, read in one go after each change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnitState {
    pub name: String,
    pub object_path: OwnedObjectPath,
    pub load_state: String,
    pub active_state: String,
    pub sub_state: String,
    /// cgroup path relative to the cgroup2 root; `None` while the unit has none.
    pub control_group: Option<String>,
    /// Where the unit's cgroup is, or will be when it next starts: `control_group`, else its
    /// slice's cgroup joined with the unit name (systemd's layout). `None` when neither is
    /// known (the slice has no cgroup either).
    pub cgroup_path: Option<String>,
    /// The cgroup's id (inode); 0 while the unit has none. Changes when systemd recreates
    /// the cgroup, e.g. on a restart after a drop-in change: never cache it across starts.
    pub control_group_id: u64,
    /// 0 when no main process runs.
    pub main_pid: u32,
    pub n_restarts: u32,
    pub exec_main_code: i32,
    pub exec_main_status: i32,
    /// `success`, `exit-code`, `signal`, `core-dump`, `timeout`, …
    pub result: String,
}

impl UnitState {
    /// The unit's cgroup directory under the given cgroup2 mount.
    pub fn cgroup_dir(&self, cgroup2_mount: &Path) -> Option<PathBuf> {
        let cg = self.control_group.as_deref()?;
        Some(cgroup2_mount.join(cg.trim_start_matches('/')))
    }

    pub fn is_running(&self) -> bool {
        self.active_state == "active" && self.main_pid != 0
    }
}

/// How a start/stop/restart job ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JobOutcome {
    pub job: OwnedObjectPath,
    /// `done` on success (anything else becomes [`UnitError::JobFailed`]).
    pub result: String,
}

/// Where drop-ins go and how long jobs may take.
#[derive(Clone, Debug)]
pub struct SystemdOptions {
    /// The admin unit dir to write drop-ins under (`/etc/systemd/system`,
    /// `$XDG_CONFIG_HOME/systemd/user`). `None`: ask the manager (its `UnitPath`).
    pub dropin_root: Option<PathBuf>,
    /// How long to wait for a start/stop/restart job to finish.
    pub job_timeout: Duration,
}

impl Default for SystemdOptions {
    fn default() -> Self {
        Self {
            dropin_root: None,
            job_timeout: Duration::from_secs(90),
        }
    }
}

/// A connection to one systemd manager, subscribed to its signals.
#[derive(Clone, Debug)]
pub struct Systemd {
    conn: Connection,
    manager: ManagerProxy<'static>,
    opts: SystemdOptions,
}

/// systemctl's rule: a name without a unit type means a service. healer only watches
/// services (the cgroup and main-process properties are on the Service interface).
pub fn normalize_unit_name(name: &str) -> Result<String, UnitError> {
    let invalid = |why: &str| UnitError::InvalidName {
        unit: name.to_string(),
        why: why.to_string(),
    };
    if name.is_empty() || name.len() > 255 {
        return Err(invalid("empty or longer than 255 bytes"));
    }
    if name.contains('/') || name.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err(invalid("contains '/', whitespace or control characters"));
    }
    match name.rsplit_once('.') {
        Some(("", "service")) => Err(invalid("no name before .service")),
        Some((_, "service")) => Ok(name.to_string()),
        Some((_, ty))
            if [
                "socket",
                "target",
                "timer",
                "mount",
                "slice",
                "scope",
                "path",
                "swap",
                "device",
                "automount",
            ]
            .contains(&ty) =>
        {
            Err(invalid("only .service units can be watched"))
        }
        _ => Ok(format!("{name}.service")),
    }
}

fn valid_dropin_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

impl Systemd {
    /// Connects and calls `Manager.Subscribe()` (without it systemd sends no signals).
    pub async fn connect(bus: &BusKind, opts: SystemdOptions) -> Result<Self, UnitError> {
        let (label, conn) = match bus {
            BusKind::System => ("system", Connection::system().await),
            BusKind::Session => ("session", Connection::session().await),
            BusKind::Address(a) => (
                a.as_str(),
                async {
                    zbus::connection::Builder::address(a.as_str())?
                        .build()
                        .await
                }
                .await,
            ),
        };
        let conn = conn.map_err(|source| UnitError::Connect {
            bus: label.to_string(),
            source: Box::new(source),
        })?;
        Self::from_connection(conn, opts).await
    }

    pub async fn from_connection(
        conn: Connection,
        opts: SystemdOptions,
    ) -> Result<Self, UnitError> {
        let manager = ManagerProxy::builder(&conn)
            .cache_properties(CacheProperties::No)
            .build()
            .await
            .map_err(bus_err("", "Manager proxy"))?;
        manager
            .subscribe()
            .await
            .map_err(bus_err("", "Manager.Subscribe"))?;
        Ok(Self {
            conn,
            manager,
            opts,
        })
    }

    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    pub fn manager(&self) -> &ManagerProxy<'static> {
        &self.manager
    }

    /// Loads `name` (from disk if needed) and reads its state. A unit with no unit file
    /// and not loaded is [`UnitError::NotFound`].
    pub async fn resolve(&self, name: &str) -> Result<UnitState, UnitError> {
        let name = normalize_unit_name(name)?;
        let path = self
            .manager
            .load_unit(&name)
            .await
            .map_err(bus_err(&name, "Manager.LoadUnit"))?;
        self.read_state(&name, path).await
    }

    /// Reads a loaded unit's state from its object path.
    pub async fn read_state(
        &self,
        name: &str,
        path: OwnedObjectPath,
    ) -> Result<UnitState, UnitError> {
        let unit = UnitProxy::builder(&self.conn)
            .path(path.clone())
            .map_err(bus_err(name, "Unit proxy"))?
            .cache_properties(CacheProperties::No)
            .build()
            .await
            .map_err(bus_err(name, "Unit proxy"))?;
        let load_state = unit
            .load_state()
            .await
            .map_err(bus_err(name, "Unit.LoadState"))?;
        match load_state.as_str() {
            "loaded" => {}
            "not-found" => {
                return Err(UnitError::NotFound {
                    unit: name.to_string(),
                });
            }
            _ => {
                return Err(UnitError::NotLoaded {
                    unit: name.to_string(),
                    load_state,
                });
            }
        }
        let props = zbus::fdo::PropertiesProxy::builder(&self.conn)
            .destination("org.freedesktop.systemd1")
            .and_then(|b| b.path(path.clone()))
            .map_err(bus_err(name, "Properties proxy"))?
            .build()
            .await
            .map_err(bus_err(name, "Properties proxy"))?;
        let service_iface = zbus::names::InterfaceName::from_static_str_unchecked(
            "org.freedesktop.systemd1.Service",
        );
        // systemd answers each call from its single-threaded event loop, so one GetAll of
        // the Service interface is a consistent picture (cgroup, id, MainPID, …). Reading
        // properties one by one could mix a cgroup id from before a restart with the MainPID
        // from after it. The unit's InvocationID (new on every start) and states, read
        // before and after, tell whether it moved on in between; then read again.
        let mut tries = 0;
        loop {
            tries += 1;
            let before = self.unit_phase(name, &unit).await?;
            let svc = props
                .get_all(service_iface.clone())
                .await
                .map_err(|e| bus_err(name, format!("{name} Service.GetAll"))(e.into()))?;
            let after = self.unit_phase(name, &unit).await?;
            // A unit flapping faster than it can be read: report the latest picture.
            if before != after && tries < 10 {
                continue;
            }
            let (_, active_state, sub_state) = after;
            let control_group = prop::<String>(&svc, "ControlGroup").unwrap_or_default();
            let cgroup_path = if control_group.is_empty() {
                match prop::<String>(&svc, "Slice") {
                    Some(slice) if !slice.is_empty() => self
                        .slice_cgroup(&slice)
                        .await
                        .map(|cg| format!("{}/{name}", cg.trim_end_matches('/'))),
                    _ => None,
                }
            } else {
                Some(control_group.clone())
            };
            return Ok(UnitState {
                cgroup_path,
                name: name.to_string(),
                object_path: path,
                load_state,
                active_state,
                sub_state,
                control_group: (!control_group.is_empty()).then_some(control_group),
                control_group_id: prop(&svc, "ControlGroupId").unwrap_or(0),
                main_pid: prop(&svc, "MainPID").unwrap_or(0),
                n_restarts: prop(&svc, "NRestarts").unwrap_or(0),
                exec_main_code: prop(&svc, "ExecMainCode").unwrap_or(0),
                exec_main_status: prop(&svc, "ExecMainStatus").unwrap_or(0),
                result: prop::<String>(&svc, "Result").unwrap_or_default(),
            });
        }
    }

    /// The cgroup of a slice unit, when it has one.
    async fn slice_cgroup(&self, slice: &str) -> Option<String> {
        let path = self.manager.load_unit(slice).await.ok()?;
        let props = zbus::fdo::PropertiesProxy::builder(&self.conn)
            .destination("org.freedesktop.systemd1")
            .ok()?
            .path(path)
            .ok()?
            .build()
            .await
            .ok()?;
        let iface =
            zbus::names::InterfaceName::from_static_str_unchecked("org.freedesktop.systemd1.Slice");
        let cg: String = props
            .get(iface, "ControlGroup")
            .await
            .ok()?
            .try_into()
            .ok()?;
        (!cg.is_empty()).then_some(cg)
    }

    /// (InvocationID, ActiveState, SubState): changes whenever the unit (re)starts or stops.
    async fn unit_phase(
        &self,
        name: &str,
        unit: &UnitProxy<'_>,
    ) -> Result<(Vec<u8>, String, String), UnitError> {
        let b = |p: &str| bus_err(name, format!("{name} {p}"));
        Ok((
            unit.invocation_id().await.map_err(b("InvocationID"))?,
            unit.active_state().await.map_err(b("ActiveState"))?,
            unit.sub_state().await.map_err(b("SubState"))?,
        ))
    }

    /// Follows `name` across restarts and reloads; see [`UnitWatcher`].
    pub fn watch(&self, name: &str, opts: WatchOptions) -> Result<UnitWatcher, UnitError> {
        let name = normalize_unit_name(name)?;
        Ok(UnitWatcher::spawn(self.clone(), name, opts))
    }

    pub async fn start(&self, name: &str) -> Result<JobOutcome, UnitError> {
        self.run_job(name, "start").await
    }

    pub async fn stop(&self, name: &str) -> Result<JobOutcome, UnitError> {
        self.run_job(name, "stop").await
    }

    pub async fn restart(&self, name: &str) -> Result<JobOutcome, UnitError> {
        self.run_job(name, "restart").await
    }

    /// Queues a job (mode `replace`, as systemctl does) and waits until systemd removes it.
    async fn run_job(&self, name: &str, op: &'static str) -> Result<JobOutcome, UnitError> {
        let name = normalize_unit_name(name)?;
        // Listen before queueing, or a fast job's JobRemoved is gone before we look.
        let mut removed = self
            .manager
            .receive_job_removed()
            .await
            .map_err(bus_err(&name, "JobRemoved match"))?;
        let call = async {
            match op {
                "start" => self.manager.start_unit(&name, "replace").await,
                "stop" => self.manager.stop_unit(&name, "replace").await,
                _ => self.manager.restart_unit(&name, "replace").await,
            }
        };
        // Drain JobRemoved while the call is in flight: zbus stops reading the socket while a
        // stream's queue is full, so an unpolled stream on a busy manager would stall the
        // reply we wait for.
        tokio::pin!(call);
        let mut early = Vec::new();
        let job = loop {
            tokio::select! {
                r = &mut call => break r.map_err(bus_err(&name, format!("Manager.{op} unit")))?,
                Some(sig) = removed.next() => {
                    if let Ok(a) = sig.args() {
                        early.push((OwnedObjectPath::from(a.job.to_owned()), a.result.to_string()));
                    }
                }
            }
        };
        let wait = async {
            if let Some((_, result)) = early.into_iter().find(|(j, _)| *j == job) {
                return Some(result);
            }
            while let Some(sig) = removed.next().await {
                let Ok(args) = sig.args() else { continue };
                if ObjectPath::from(&job) == args.job {
                    return Some(args.result.to_string());
                }
            }
            None
        };
        let timeout = self.opts.job_timeout;
        let result = tokio::time::timeout(timeout, wait)
            .await
            .map_err(|_| UnitError::Timeout {
                what: format!("the {op} job of {name}"),
                timeout,
            })?
            .ok_or_else(|| UnitError::Bus {
                call: format!("waiting for the {op} job of {name}"),
                source: Box::new(zbus::Error::InputOutput(std::sync::Arc::new(
                    std::io::Error::new(
                        std::io::ErrorKind::UnexpectedEof,
                        "the bus connection closed",
                    ),
                ))),
            })?;
        if result != "done" {
            return Err(UnitError::JobFailed {
                unit: name.clone(),
                op,
                result,
            });
        }
        Ok(JobOutcome { job, result })
    }

    /// `daemon-reload`: returns once the manager has reloaded.
    pub async fn daemon_reload(&self) -> Result<(), UnitError> {
        self.manager
            .reload()
            .await
            .map_err(bus_err("", "Manager.Reload"))
    }

    /// The admin dir drop-ins go under: the configured one, else the first entry of the
    /// manager's `UnitPath` that is a plain `systemd/system` or `systemd/user` dir
    /// (`/etc/systemd/system`, `$XDG_CONFIG_HOME/systemd/user`); the `.control`,
    /// `transient` and generator dirs before it belong to systemd itself.
    pub async fn dropin_root(&self) -> Result<PathBuf, UnitError> {
        if let Some(root) = &self.opts.dropin_root {
            return Ok(root.clone());
        }
        let paths = self
            .manager
            .unit_path()
            .await
            .map_err(bus_err("", "Manager.UnitPath"))?;
        paths
            .iter()
            .find(|p| p.ends_with("/systemd/system") || p.ends_with("/systemd/user"))
            .map(PathBuf::from)
            .ok_or(UnitError::NoDropinDir(paths))
    }

    /// The file a drop-in called `name` for `unit` lives in.
    pub async fn dropin_path(&self, unit: &str, name: &str) -> Result<PathBuf, UnitError> {
        let unit = normalize_unit_name(unit)?;
        if !valid_dropin_name(name) {
            return Err(UnitError::InvalidDropinName(name.to_string()));
        }
        Ok(self
            .dropin_root()
            .await?
            .join(format!("{unit}.d"))
            .join(format!("healer-{name}.conf")))
    }

    /// Writes `<root>/<unit>.d/healer-<name>.conf` (atomically: temp file, then rename)
    /// and reloads the manager. It takes effect on the unit's next (re)start.
    pub async fn write_dropin(
        &self,
        unit: &str,
        name: &str,
        contents: &str,
    ) -> Result<PathBuf, UnitError> {
        let path = self.dropin_path(unit, name).await?;
        let dir = path.parent().expect("a drop-in path has a dir");
        let io = |context, p: &Path| {
            let p = p.to_path_buf();
            move |source| UnitError::Io {
                context,
                path: p,
                source,
            }
        };
        tokio::fs::create_dir_all(dir)
            .await
            .map_err(io("cannot create", dir))?;
        let tmp = dir.join(format!(
            ".{}.tmp",
            path.file_name().unwrap_or_default().to_string_lossy()
        ));
        tokio::fs::write(&tmp, contents)
            .await
            .map_err(io("cannot write", &tmp))?;
        tokio::fs::rename(&tmp, &path)
            .await
            .map_err(io("cannot rename into", &path))?;
        self.daemon_reload().await?;
        Ok(path)
    }

    /// Removes a drop-in written by [`Systemd::write_dropin`] (and its dir when empty),
    /// then reloads. Returns whether there was one.
    pub async fn remove_dropin(&self, unit: &str, name: &str) -> Result<bool, UnitError> {
        let path = self.dropin_path(unit, name).await?;
        let existed = match tokio::fs::remove_file(&path).await {
            Ok(()) => true,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => false,
            Err(source) => {
                return Err(UnitError::Io {
                    context: "cannot remove",
                    path,
                    source,
                });
            }
        };
        if let Some(dir) = path.parent() {
            // Fails (and is left alone) while other drop-ins are in it.
            let _ = tokio::fs::remove_dir(dir).await;
        }
        self.daemon_reload().await?;
        Ok(existed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unit_names_are_normalized_like_systemctl() {
        assert_eq!(normalize_unit_name("web").unwrap(), "web.service");
        assert_eq!(normalize_unit_name("web.service").unwrap(), "web.service");
        assert_eq!(
            normalize_unit_name("foo@bar.baz").unwrap(),
            "foo@bar.baz.service"
        );
        for bad in ["", "a/b.service", "a b", "x.socket", "x.timer", ".service"] {
            assert!(
                matches!(normalize_unit_name(bad), Err(UnitError::InvalidName { .. })),
                "{bad:?} accepted"
            );
        }
    }

    #[test]
    fn bus_kinds_parse_from_config_strings() {
        assert_eq!("system".parse::<BusKind>().unwrap(), BusKind::System);
        assert_eq!("session".parse::<BusKind>().unwrap(), BusKind::Session);
        assert_eq!(
            "unix:path=/tmp/x/bus".parse::<BusKind>().unwrap(),
            BusKind::Address("unix:path=/tmp/x/bus".into())
        );
        assert!("System".parse::<BusKind>().is_err());
        assert!("".parse::<BusKind>().is_err());
    }

    #[test]
    fn dropin_names_cannot_escape_the_dir() {
        assert!(valid_dropin_name("exec-start_2"));
        for bad in ["", "../x", "a/b", "a.conf", "x y"] {
            assert!(!valid_dropin_name(bad), "{bad:?} accepted");
        }
    }
}
