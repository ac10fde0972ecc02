//! zbus proxies for the parts of systemd's D-Bus API healer uses
//! (`org.freedesktop.systemd1(5)`). Property names that do not follow zbus's
//! snake_case→PascalCase mapping (`MainPID`) are named explicitly.

use zbus::{proxy, zvariant::OwnedObjectPath};

#[proxy(
    interface = "org.freedesktop.systemd1.Manager",
    default_service = "org.freedesktop.systemd1",
    default_path = "/org/freedesktop/systemd1",
    gen_blocking = false
)]
pub trait Manager {
    /// Without a subscription systemd emits no `PropertiesChanged` or job signals.
    fn subscribe(&self) -> zbus::Result<()>;
    fn get_unit(&self, name: &str) -> zbus::Result<OwnedObjectPath>;
    /// Loads the unit from disk if needed; a missing unit comes back with
    /// `LoadState=not-found` rather than an error.
    fn load_unit(&self, name: &str) -> zbus::Result<OwnedObjectPath>;
    fn start_unit(&self, name: &str, mode: &str) -> zbus::Result<OwnedObjectPath>;
    fn stop_unit(&self, name: &str, mode: &str) -> zbus::Result<OwnedObjectPath>;
    fn restart_unit(&self, name: &str, mode: &str) -> zbus::Result<OwnedObjectPath>;
    /// `daemon-reload`; the reply comes once the reload is done.
    fn reload(&self) -> zbus::Result<()>;

    #[zbus(property)]
    fn system_state(&self) -> zbus::Result<String>;
    /// The unit search path, highest priority first.
    #[zbus(property)]
    fn unit_path(&self) -> zbus::Result<Vec<String>>;

    #[zbus(signal)]
    fn job_removed(
        &self,
        id: u32,
        job: zbus::zvariant::ObjectPath<'_>,
        unit: &str,
        result: &str,
    ) -> zbus::Result<()>;
    #[zbus(signal)]
    fn unit_removed(&self, unit: &str, path: zbus::zvariant::ObjectPath<'_>) -> zbus::Result<()>;
    /// `active == false` once a daemon-reload finished.
    #[zbus(signal)]
    fn reloading(&self, active: bool) -> zbus::Result<()>;
}

#[proxy(
    interface = "org.freedesktop.systemd1.Unit",
    default_service = "org.freedesktop.systemd1",
    gen_blocking = false
)]
pub trait Unit {
    #[zbus(property)]
    fn id(&self) -> zbus::Result<String>;
    #[zbus(property)]
    fn load_state(&self) -> zbus::Result<String>;
    #[zbus(property)]
    fn active_state(&self) -> zbus::Result<String>;
    #[zbus(property)]
    fn sub_state(&self) -> zbus::Result<String>;
    /// A fresh 128-bit id for every start of the unit.
    #[zbus(property, name = "InvocationID")]
    fn invocation_id(&self) -> zbus::Result<Vec<u8>>;
    #[zbus(property)]
    fn fragment_path(&self) -> zbus::Result<String>;
    #[zbus(property)]
    fn drop_in_paths(&self) -> zbus::Result<Vec<String>>;
}

#[proxy(
    interface = "org.freedesktop.systemd1.Service",
    default_service = "org.freedesktop.systemd1",
    gen_blocking = false
)]
pub trait Service {
    /// Relative to the cgroup2 root; empty while the unit has no cgroup.
    #[zbus(property)]
    fn control_group(&self) -> zbus::Result<String>;
    /// The inode of the cgroup2 directory (= `bpf_get_current_cgroup_id()`); 0 when none.
    #[zbus(property)]
    fn control_group_id(&self) -> zbus::Result<u64>;
    #[zbus(property, name = "MainPID")]
    fn main_pid(&self) -> zbus::Result<u32>;
    #[zbus(property)]
    fn n_restarts(&self) -> zbus::Result<u32>;
    /// `si_code` of the last main process exit (CLD_EXITED=1, CLD_KILLED=2, CLD_DUMPED=3).
    #[zbus(property)]
    fn exec_main_code(&self) -> zbus::Result<i32>;
    /// Exit status or signal number, as `ExecMainCode` says.
    #[zbus(property)]
    fn exec_main_status(&self) -> zbus::Result<i32>;
    #[zbus(property)]
    fn result(&self) -> zbus::Result<String>;
}
