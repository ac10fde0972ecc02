//! The D-Bus API: `org.healer.Healer1` at `/org/healer/Healer1` (interface
//! `org.healer.Healer1`). Structured answers are JSON strings (documented in
//! `docs/daemon.md`); every call is a command to the daemon's actor, answered over a oneshot.
//!
//! Mutating calls (Approve, Reject, Rollback, Pause, Resume, Reload) are allowed to uid 0 and
//! to members of the group [`ADMIN_GROUP`]; the caller's uid comes from the bus daemon
//! (`GetConnectionCredentials` of the message's sender), never from the message itself.

use tokio::sync::{mpsc, oneshot};
use zbus::{Connection, fdo, interface, message::Header, object_server::SignalEmitter, proxy};

use super::Input;

pub const BUS_NAME: &str = "org.healer.Healer1";
pub const OBJECT_PATH: &str = "/org/healer/Healer1";
pub const INTERFACE: &str = "org.healer.Healer1";
/// Members of this group may use the mutating calls.
pub const ADMIN_GROUP: &str = "healer";

/// Who called, as the bus daemon vouches for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Caller {
    pub uid: u32,
    /// Name for the audit log; `None` for a uid without a passwd entry.
    pub user: Option<String>,
}

impl Caller {
    /// `uid 0 (root)`: how the audit log names an operator.
    pub fn describe(&self) -> String {
        match &self.user {
            Some(u) => format!("uid {} ({u})", self.uid),
            None => format!("uid {}", self.uid),
        }
    }
}

/// A mutating operation, sent to the actor once the caller is allowed.
#[derive(Debug)]
pub enum Request {
    Status,
    Services,
    Incidents,
    Show(String),
    Approve(String),
    Reject(String),
    Rollback(String),
    Pause(String),
    Resume(String),
    Reload,
}

impl Request {
    pub fn mutates(&self) -> bool {
        !matches!(
            self,
            Request::Status | Request::Services | Request::Incidents | Request::Show(_)
        )
    }
}

/// Why the actor refused or could not do a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// No such incident or service.
    NotFound(String),
    /// The request does not fit the current state (approve a non-proposed incident, …).
    InvalidState(String),
    /// It was tried and failed, or cannot be done here.
    Failed(String),
}

impl From<Refusal> for fdo::Error {
    fn from(r: Refusal) -> Self {
        match r {
            Refusal::NotFound(m) => fdo::Error::InvalidArgs(m),
            Refusal::InvalidState(m) | Refusal::Failed(m) => fdo::Error::Failed(m),
        }
    }
}

pub type Reply = Result<serde_json::Value, Refusal>;

/// One API call for the actor.
#[derive(Debug)]
pub struct ApiCommand {
    pub request: Request,
    pub caller: Option<Caller>,
    pub reply: oneshot::Sender<Reply>,
}

/// The pure access rule: root, or a member of the admin group.
pub fn may_mutate(uid: u32, groups: &[u32], admin_gid: Option<u32>) -> bool {
    uid == 0 || admin_gid.is_some_and(|g| groups.contains(&g))
}

/// The groups `uid` belongs to: its primary group and its supplementary groups from the
/// group database, plus any the bus daemon saw on the connection.
fn groups_of(uid: u32, bus_groups: &[u32]) -> (Option<String>, Vec<u32>) {
    let mut groups = bus_groups.to_vec();
    let user = nix::unistd::User::from_uid(nix::unistd::Uid::from_raw(uid))
        .ok()
        .flatten();
    let name = user.as_ref().map(|u| u.name.clone());
    if let Some(u) = user {
        groups.push(u.gid.as_raw());
        if let Ok(cname) = std::ffi::CString::new(u.name.as_bytes())
            && let Ok(list) = nix::unistd::getgrouplist(&cname, u.gid)
        {
            groups.extend(list.into_iter().map(|g| g.as_raw()));
        }
    }
    (name, groups)
}

fn admin_gid() -> Option<u32> {
    nix::unistd::Group::from_name(ADMIN_GROUP)
        .ok()
        .flatten()
        .map(|g| g.gid.as_raw())
}

/// Asks the bus daemon who sent `hdr`.
async fn caller_of(conn: &Connection, hdr: &Header<'_>) -> fdo::Result<(Caller, Vec<u32>)> {
    let sender = hdr
        .sender()
        .ok_or_else(|| fdo::Error::AccessDenied("the call has no sender on the bus".into()))?;
    let dbus = fdo::DBusProxy::new(conn).await?;
    let creds = dbus
        .get_connection_credentials(sender.clone().into())
        .await?;
    let uid = match creds.unix_user_id() {
        Some(u) => u,
        None => dbus.get_connection_unix_user(sender.clone().into()).await?,
    };
    let bus_groups = creds.unix_group_ids().cloned().unwrap_or_default();
    let (user, groups) = groups_of(uid, &bus_groups);
    Ok((Caller { uid, user }, groups))
}

/// The object served at [`OBJECT_PATH`].
pub struct HealerApi {
    tx: mpsc::Sender<Input>,
}

impl HealerApi {
    pub fn new(tx: mpsc::Sender<Input>) -> Self {
        Self { tx }
    }

    async fn ask(&self, request: Request, caller: Option<Caller>) -> fdo::Result<String> {
        let (reply, rx) = oneshot::channel();
        self.tx
            .send(Input::Api(ApiCommand {
                request,
                caller,
                reply,
            }))
            .await
            .map_err(|_| fdo::Error::Failed("healerd is shutting down".into()))?;
        let value = rx
            .await
            .map_err(|_| fdo::Error::Failed("healerd dropped the request".into()))??;
        Ok(value.to_string())
    }

    async fn ask_as(
        &self,
        conn: &Connection,
        hdr: &Header<'_>,
        request: Request,
    ) -> fdo::Result<String> {
        let (caller, groups) = caller_of(conn, hdr).await?;
        if request.mutates() && !may_mutate(caller.uid, &groups, admin_gid()) {
            return Err(fdo::Error::AccessDenied(format!(
                "{} may not {}: only root and members of group `{ADMIN_GROUP}` may change \
                 what healer does",
                caller.describe(),
                verb(&request)
            )));
        }
        self.ask(request, Some(caller)).await
    }
}

fn verb(r: &Request) -> &'static str {
    match r {
        Request::Approve(_) => "approve patches",
        Request::Reject(_) => "reject patches",
        Request::Rollback(_) => "roll services back",
        Request::Pause(_) => "pause healing",
        Request::Resume(_) => "resume healing",
        Request::Reload => "reload policies",
        _ => "do this",
    }
}

#[interface(name = "org.healer.Healer1")]
impl HealerApi {
    /// Daemon status: JSON object.
    async fn status(&self) -> fdo::Result<String> {
        self.ask(Request::Status, None).await
    }

    /// Watched services: JSON array.
    async fn services(&self) -> fdo::Result<String> {
        self.ask(Request::Services, None).await
    }

    /// Every incident, oldest first: JSON array.
    async fn incidents(&self) -> fdo::Result<String> {
        self.ask(Request::Incidents, None).await
    }

    /// One incident with all its evidence and history: JSON object.
    async fn show_incident(&self, id: String) -> fdo::Result<String> {
        self.ask(Request::Show(id), None).await
    }

    async fn approve(
        &self,
        #[zbus(connection)] conn: &Connection,
        #[zbus(header)] hdr: Header<'_>,
        id: String,
    ) -> fdo::Result<String> {
        self.ask_as(conn, &hdr, Request::Approve(id)).await
    }

    async fn reject(
        &self,
        #[zbus(connection)] conn: &Connection,
        #[zbus(header)] hdr: Header<'_>,
        id: String,
    ) -> fdo::Result<String> {
        self.ask_as(conn, &hdr, Request::Reject(id)).await
    }

    async fn rollback(
        &self,
        #[zbus(connection)] conn: &Connection,
        #[zbus(header)] hdr: Header<'_>,
        unit: String,
    ) -> fdo::Result<String> {
        self.ask_as(conn, &hdr, Request::Rollback(unit)).await
    }

    async fn pause(
        &self,
        #[zbus(connection)] conn: &Connection,
        #[zbus(header)] hdr: Header<'_>,
        unit: String,
    ) -> fdo::Result<String> {
        self.ask_as(conn, &hdr, Request::Pause(unit)).await
    }

    async fn resume(
        &self,
        #[zbus(connection)] conn: &Connection,
        #[zbus(header)] hdr: Header<'_>,
        unit: String,
    ) -> fdo::Result<String> {
        self.ask_as(conn, &hdr, Request::Resume(unit)).await
    }

    /// Reloads the policies; answers with what changed (JSON object).
    async fn reload(
        &self,
        #[zbus(connection)] conn: &Connection,
        #[zbus(header)] hdr: Header<'_>,
    ) -> fdo::Result<String> {
        self.ask_as(conn, &hdr, Request::Reload).await
    }

    /// An incident was opened.
    #[zbus(signal)]
    pub async fn incident_opened(
        emitter: &SignalEmitter<'_>,
        id: &str,
        unit: &str,
        kind: &str,
    ) -> zbus::Result<()>;

    /// An incident changed: a new state, or a new fault folded into it.
    #[zbus(signal)]
    pub async fn incident_changed(
        emitter: &SignalEmitter<'_>,
        id: &str,
        unit: &str,
        state: &str,
    ) -> zbus::Result<()>;
}

/// The client side, for `healerctl`.
#[proxy(
    interface = "org.healer.Healer1",
    default_service = "org.healer.Healer1",
    default_path = "/org/healer/Healer1"
)]
pub trait Healer {
    fn status(&self) -> zbus::Result<String>;
    fn services(&self) -> zbus::Result<String>;
    fn incidents(&self) -> zbus::Result<String>;
    fn show_incident(&self, id: &str) -> zbus::Result<String>;
    fn approve(&self, id: &str) -> zbus::Result<String>;
    fn reject(&self, id: &str) -> zbus::Result<String>;
    fn rollback(&self, unit: &str) -> zbus::Result<String>;
    fn pause(&self, unit: &str) -> zbus::Result<String>;
    fn resume(&self, unit: &str) -> zbus::Result<String>;
    fn reload(&self) -> zbus::Result<String>;
    #[zbus(signal)]
    fn incident_opened(&self, id: &str, unit: &str, kind: &str) -> zbus::Result<()>;
    #[zbus(signal)]
    fn incident_changed(&self, id: &str, unit: &str, state: &str) -> zbus::Result<()>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_root_and_the_admin_group_may_mutate() {
        assert!(may_mutate(0, &[], None));
        assert!(may_mutate(0, &[], Some(990)));
        assert!(may_mutate(1000, &[100, 990], Some(990)));
        assert!(!may_mutate(1000, &[100], Some(990)));
        // No `healer` group on the host: only root.
        assert!(!may_mutate(1000, &[990], None));
        assert!(!may_mutate(65534, &[65534], Some(990)));
    }

    #[test]
    fn reads_do_not_need_privileges_and_writes_do() {
        for r in [
            Request::Status,
            Request::Services,
            Request::Incidents,
            Request::Show("x".into()),
        ] {
            assert!(!r.mutates(), "{r:?}");
        }
        for r in [
            Request::Approve("x".into()),
            Request::Reject("x".into()),
            Request::Rollback("u".into()),
            Request::Pause("u".into()),
            Request::Resume("u".into()),
            Request::Reload,
        ] {
            assert!(r.mutates(), "{r:?}");
        }
    }

    #[test]
    fn the_primary_group_counts() {
        // root's primary group is 0 on every system with a passwd entry for it.
        let (name, groups) = groups_of(0, &[]);
        assert_eq!(name.as_deref(), Some("root"));
        assert!(groups.contains(&0));
        assert!(may_mutate(1, &groups, Some(0)));
    }
}
