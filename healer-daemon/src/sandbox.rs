//! A private `systemd --user` manager with its socket-activated session bus and its own
//! systemd-journald, for tests, the demo and `cargo xtask sandbox` on hosts where PID 1 is
//! not systemd. Runs as root and never changes PID 1 or the host's mounts.
//!
//! Two rules hold everywhere here (see `docs/sandbox.md`):
//! 1. A systemd manager adopts the cgroup it starts in as its root and moves what it finds
//!    there into its own `init.scope`. Started in the root cgroup it would take over every
//!    process on the host. So the child that becomes the manager moves itself into a
//!    dedicated cgroup, in every hierarchy systemd manages, *before* it execs anything, and
//!    refuses to go on if it is still in a root cgroup. The caller stays where it is.
//! 2. `systemd --user` only starts when `/run/systemd/system/` exists ("booted with
//!    systemd"). That is faked only inside a private mount namespace, by bind-mounting
//!    scratch dirs over `/run/systemd` and `/run/log` and a scratch `journald.conf`.
//!
//! Several sandboxes may run at once: each has its own scratch dir, mount namespace and
//! cgroup subtree `healer.slice/healer-sandbox-<id>.slice/user-0.slice/user@0.service`.
//! The `user-0.slice/user@0.service` tail makes journald record `_SYSTEMD_USER_UNIT=` and
//! `_SYSTEMD_OWNER_UID=` for the services, as on a real host (journald skips any number of
//! leading `.slice` components).

use std::{
    ffi::OsString,
    fs,
    io::ErrorKind,
    os::unix::{fs::PermissionsExt, process::CommandExt},
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use nix::{
    sys::signal::{Signal, kill},
    unistd::Pid,
};

const CGROUP_SLICE: &str = "healer.slice";
/// The path below the sandbox's own slice; see the module docs for why it looks like this.
const MANAGER_CGROUP_TAIL: &str = "user-0.slice/user@0.service";

#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    #[error("the sandbox needs root (it creates cgroups and mount namespaces)")]
    NotRoot,
    #[error("{what} is missing: {detail}")]
    Missing { what: String, detail: String },
    #[error("{context}: {path}: {source}")]
    Io {
        context: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot start {program}: {source}")]
    Spawn {
        program: String,
        #[source]
        source: std::io::Error,
    },
    #[error("the systemd user manager exited during start-up ({status}); its log:\n{log}")]
    ManagerExited { status: String, log: String },
    #[error(
        "the systemd user manager did not answer on {address} within {timeout:?} (last: {last}); its log:\n{log}"
    )]
    NotReady {
        address: String,
        timeout: Duration,
        last: String,
        log: String,
    },
    #[error("tear-down left things behind: {0}")]
    TearDown(String),
}

fn io_err(context: &'static str, path: &Path) -> impl FnOnce(std::io::Error) -> SandboxError {
    let path = path.to_path_buf();
    move |source| SandboxError::Io {
        context,
        path,
        source,
    }
}

/// How to start a sandbox. `Default` fits the Debian layout of these machines.
#[derive(Clone, Debug)]
pub struct SandboxOptions {
    /// Where the scratch dir is created (a fresh `healer-sandbox-*` dir inside it).
    pub scratch_parent: PathBuf,
    pub systemd: PathBuf,
    pub journald: PathBuf,
    /// How long start-up may take before it counts as failed; generous because tests run
    /// on loaded 2-core machines.
    pub ready_timeout: Duration,
    /// How long the manager gets to stop its units and exit before it is killed.
    pub stop_timeout: Duration,
    /// A D-Bus policy file (`<busconfig>`) to include in the session bus's configuration.
    /// When set, the bus accepts connections from every user, names are owned only where
    /// this file (or the base config) allows it, and the sandbox's root and runtime dir are
    /// searchable by others, so tests can call over the bus as an unprivileged user and
    /// exercise a shipped system-bus policy such as `systemd/org.healer.Healer1.conf`.
    pub bus_policy: Option<PathBuf>,
}

impl Default for SandboxOptions {
    fn default() -> Self {
        Self {
            scratch_parent: std::env::temp_dir(),
            systemd: systemd_binary("systemd"),
            journald: systemd_binary("systemd-journald"),
            ready_timeout: Duration::from_secs(60),
            stop_timeout: Duration::from_secs(30),
            bus_policy: None,
        }
    }
}

/// `/lib/systemd/<name>` (Debian) or `/usr/lib/systemd/<name>` (merged-/usr distros),
/// whichever exists; the Debian path otherwise, for the error message.
fn systemd_binary(name: &str) -> PathBuf {
    ["/lib/systemd", "/usr/lib/systemd"]
        .iter()
        .map(|d| Path::new(d).join(name))
        .find(|p| p.is_file())
        .unwrap_or_else(|| Path::new("/lib/systemd").join(name))
}

/// The cgroup hierarchies a systemd manager manages on this host.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CgroupLayout {
    /// The cgroup2 mount (`/sys/fs/cgroup` on pure v2 hosts, `/sys/fs/cgroup/unified` on
    /// hybrid ones), if any.
    pub unified: Option<PathBuf>,
    /// The named v1 `name=systemd` hierarchy (hybrid and legacy hosts), if any.
    pub named_systemd: Option<PathBuf>,
}

impl CgroupLayout {
    /// Reads the layout from `/proc/self/mounts`.
    pub fn detect() -> Result<Self, SandboxError> {
        let mounts = fs::read_to_string("/proc/self/mounts")
            .map_err(io_err("cannot read mounts", Path::new("/proc/self/mounts")))?;
        Ok(Self::parse(&mounts))
    }

    fn parse(mounts: &str) -> Self {
        let mut unified: Option<PathBuf> = None;
        let mut named_systemd = None;
        for line in mounts.lines() {
            let f: Vec<&str> = line.split_whitespace().collect();
            let [_, dst, fstype, opts, ..] = f[..] else {
                continue;
            };
            match fstype {
                // The shortest one is the host's own mount, not a bind mount of a subtree.
                "cgroup2"
                    if unified
                        .as_ref()
                        .is_none_or(|u| dst.len() < u.as_os_str().len()) =>
                {
                    unified = Some(PathBuf::from(dst))
                }
                "cgroup" if opts.split(',').any(|o| o == "name=systemd") => {
                    named_systemd = Some(PathBuf::from(dst))
                }
                _ => {}
            }
        }
        Self {
            unified,
            named_systemd,
        }
    }

    pub fn hierarchies(&self) -> Vec<&Path> {
        [&self.unified, &self.named_systemd]
            .into_iter()
            .flatten()
            .map(PathBuf::as_path)
            .collect()
    }
}

/// A running sandbox. Dropping it tears it down; [`Sandbox::stop`] does the same and
/// reports what could not be cleaned up.
#[derive(Debug)]
pub struct Sandbox {
    root: PathBuf,
    id: String,
    layout: CgroupLayout,
    /// `<hierarchy>/healer.slice/healer-sandbox-<id>.slice` in each managed hierarchy: the
    /// subtree this sandbox owns and removes.
    own_cgroups: Vec<PathBuf>,
    manager: Option<Child>,
    stop_timeout: Duration,
    stopped: bool,
}

/// The script the manager's process runs in the host's mount namespace: join the dedicated
/// cgroups (passed as arguments), check that worked, then enter a private mount namespace.
const OUTER_SCRIPT: &str = r#"set -e
for procs do echo 0 > "$procs"; done
# Rule 1: never let a manager start in a root cgroup.
if grep -qE '^[0-9]+:(name=systemd)?:/$' /proc/self/cgroup; then
  echo "healer sandbox: still in a root cgroup, refusing to start systemd" >&2; exit 1
fi
exec unshare --mount --propagation private -- sh -c "$HEALER_SB_INNER"
"#;

/// Runs inside the private mount namespace: fake "booted with systemd", start journald,
/// wait for its socket, then become the user manager (same pid as the spawned child).
const INNER_SCRIPT: &str = r#"set -e
mount --bind "$HEALER_SB/rsd" /run/systemd
mount --bind "$HEALER_SB/jrun" /run/log
mount --bind "$HEALER_SB/journald.conf" /etc/systemd/journald.conf
mkdir -p /run/systemd/system /run/systemd/journal
"$HEALER_SB_JOURNALD" &
echo $! > "$HEALER_SB/journald.pid"
i=0
while [ ! -S /run/systemd/journal/socket ]; do
  i=$((i + 1)); [ $i -lt 3000 ] || { echo "healer sandbox: journald made no socket" >&2; exit 1; }
  sleep 0.02
done
exec "$HEALER_SB_SYSTEMD" --user --log-target=journal-or-kmsg
"#;

impl Sandbox {
    /// Starts journald and the user manager and waits until the manager answers on its bus
    /// and has finished starting up.
    pub async fn start(opts: SandboxOptions) -> Result<Self, SandboxError> {
        if !nix::unistd::geteuid().is_root() {
            return Err(SandboxError::NotRoot);
        }
        // The bind mounts need existing targets; creating them would change the host.
        for (p, dir) in [
            ("/run/systemd", true),
            ("/run/log", true),
            ("/etc/systemd/journald.conf", false),
        ] {
            let m = fs::metadata(p).map_err(|e| SandboxError::Missing {
                what: p.into(),
                detail: format!("needed as a bind-mount target ({e})"),
            })?;
            if m.is_dir() != dir {
                return Err(SandboxError::Missing {
                    what: p.into(),
                    detail: format!("expected a {}", if dir { "directory" } else { "file" }),
                });
            }
        }
        for bin in [&opts.systemd, &opts.journald] {
            if !bin.is_file() {
                return Err(SandboxError::Missing {
                    what: bin.display().to_string(),
                    detail: "systemd is not installed here".into(),
                });
            }
        }
        // The session bus is socket-activated by the user unit dbus.socket (Debian package
        // dbus-user-session); without it the manager starts but nothing ever answers.
        if ![
            "/usr/lib/systemd/user/dbus.socket",
            "/lib/systemd/user/dbus.socket",
        ]
        .iter()
        .any(|p| Path::new(p).is_file())
        {
            return Err(SandboxError::Missing {
                what: "the user unit dbus.socket".into(),
                detail: "install dbus-user-session".into(),
            });
        }
        let layout = CgroupLayout::detect()?;
        if layout.hierarchies().is_empty() {
            return Err(SandboxError::Missing {
                what: "a cgroup hierarchy for systemd".into(),
                detail: "neither cgroup2 nor name=systemd is mounted".into(),
            });
        }

        for gone in reap_stale(&layout, &opts.scratch_parent) {
            eprintln!("healer sandbox: removed a stale sandbox: {gone}");
        }
        let (root, id) = make_scratch_dir(&opts.scratch_parent)?;
        let mut sb = Sandbox {
            root,
            id,
            layout,
            own_cgroups: Vec::new(),
            manager: None,
            stop_timeout: opts.stop_timeout,
            stopped: false,
        };
        // From here on, an error drops `sb`, which tears down whatever was set up.
        sb.prepare_dirs()?;
        if let Some(policy) = &opts.bus_policy {
            sb.open_bus_to_other_users(policy)?;
        }
        let procs = sb.make_cgroups()?;
        sb.spawn_manager(&opts, &procs)?;
        sb.wait_ready(opts.ready_timeout).await?;
        Ok(sb)
    }

    fn prepare_dirs(&self) -> Result<(), SandboxError> {
        for d in [
            self.runtime_dir(),
            self.unit_dir(),
            self.root.join("rsd"),
            self.root.join("jrun"),
            self.config_dir().join("services.d"),
        ] {
            fs::create_dir_all(&d).map_err(io_err("cannot create", &d))?;
        }
        let rt = self.runtime_dir();
        fs::set_permissions(&rt, fs::Permissions::from_mode(0o700))
            .map_err(io_err("cannot chmod", &rt))?;
        // Volatile storage under the bind-mounted /run/log; no kmsg (the host's kernel log
        // is not ours); no rate limit, so tests never lose entries.
        let conf = self.root.join("journald.conf");
        fs::write(
            &conf,
            "[Journal]\nStorage=volatile\nReadKMsg=no\nRateLimitBurst=0\n",
        )
        .map_err(io_err("cannot write", &conf))
    }

    /// Replaces the session bus's configuration with one that lets every user connect and
    /// includes `policy`: a drop-in for the user unit `dbus.service` pointing
    /// `dbus-daemon` at it.
    fn open_bus_to_other_users(&self, policy: &Path) -> Result<(), SandboxError> {
        let policy = fs::canonicalize(policy).map_err(io_err("cannot find", policy))?;
        // Like the system bus: anyone may connect and call, nobody may own a name the
        // included policy reserves. `own="*"` stays for the manager's own names.
        let conf = self.root.join("session-bus.conf");
        let text = format!(
            r#"<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <keep_umask/>
  <listen>unix:path={runtime}/bus</listen>
  <auth>EXTERNAL</auth>
  <standard_session_servicedirs/>
  <policy context="default">
    <allow user="*"/>
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
    <deny own="org.healer.Healer1"/>
  </policy>
  <include>{policy}</include>
</busconfig>
"#,
            runtime = self.runtime_dir().display(),
            policy = policy.display()
        );
        fs::write(&conf, text).map_err(io_err("cannot write", &conf))?;
        let dropin_dir = self.unit_dir().join("dbus.service.d");
        fs::create_dir_all(&dropin_dir).map_err(io_err("cannot create", &dropin_dir))?;
        let dropin = dropin_dir.join("healer-bus-policy.conf");
        fs::write(
            &dropin,
            format!(
                "[Service]\nExecStart=\nExecStart=/usr/bin/dbus-daemon --config-file={} \
                 --address=systemd: --nofork --nopidfile --systemd-activation --syslog-only\n",
                conf.display()
            ),
        )
        .map_err(io_err("cannot write", &dropin))?;
        for d in [self.root.clone(), self.runtime_dir()] {
            fs::set_permissions(&d, fs::Permissions::from_mode(0o711))
                .map_err(io_err("cannot chmod", &d))?;
        }
        Ok(())
    }

    /// Creates the sandbox's cgroup subtree in every managed hierarchy; returns the
    /// `cgroup.procs` files the manager's process moves itself into.
    fn make_cgroups(&mut self) -> Result<Vec<PathBuf>, SandboxError> {
        let mut procs = Vec::new();
        for h in self.layout.hierarchies() {
            let own = h
                .join(CGROUP_SLICE)
                .join(format!("healer-sandbox-{}.slice", self.id));
            let leaf = own.join(MANAGER_CGROUP_TAIL);
            // Record before creating, so a half-made subtree is still removed.
            self.own_cgroups.push(own);
            create_dir_all_racy(&leaf)?;
            procs.push(leaf.join("cgroup.procs"));
        }
        Ok(procs)
    }

    fn spawn_manager(
        &mut self,
        opts: &SandboxOptions,
        procs: &[PathBuf],
    ) -> Result<(), SandboxError> {
        let log = self.manager_log();
        let out = fs::File::create(&log).map_err(io_err("cannot create", &log))?;
        let err = out.try_clone().map_err(io_err("cannot dup", &log))?;
        let child = Command::new("sh")
            .arg("-c")
            .arg(OUTER_SCRIPT)
            .arg("healer-sandbox")
            .args(procs)
            // A clean environment: the manager passes its own to every unit.
            .env_clear()
            .env(
                "PATH",
                "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            )
            .env("HOME", self.home_dir())
            .env("XDG_RUNTIME_DIR", self.runtime_dir())
            .env("XDG_CONFIG_HOME", self.home_dir().join(".config"))
            .env("LANG", "C.UTF-8")
            .env("HEALER_SB", &self.root)
            .env("HEALER_SB_INNER", INNER_SCRIPT)
            .env("HEALER_SB_SYSTEMD", &opts.systemd)
            .env("HEALER_SB_JOURNALD", &opts.journald)
            // Own process group: a Ctrl-C meant for the caller must not reach the manager,
            // which is stopped in order by the tear-down instead.
            .process_group(0)
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .spawn()
            .map_err(|source| SandboxError::Spawn {
                program: "sh (systemd --user)".into(),
                source,
            })?;
        self.manager = Some(child);
        Ok(())
    }

    async fn wait_ready(&mut self, timeout: Duration) -> Result<(), SandboxError> {
        let address = self.bus_address();
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(child) = self.manager.as_mut()
                && let Ok(Some(status)) = child.try_wait()
            {
                self.manager = None;
                return Err(SandboxError::ManagerExited {
                    status: status.to_string(),
                    log: self.manager_log_text(),
                });
            }
            let last = if self.runtime_dir().join("bus").exists() {
                let attempt = tokio::time::timeout(Duration::from_secs(10), system_state(&address));
                match attempt.await {
                    // "running" or "degraded": start-up is over, units can be managed.
                    Ok(Ok(state)) if state == "running" || state == "degraded" => return Ok(()),
                    Ok(Ok(state)) => format!("SystemState {state}"),
                    Ok(Err(e)) => e.to_string(),
                    Err(_) => "no answer within 10 s".into(),
                }
            } else {
                "no bus socket yet".into()
            };
            if Instant::now() >= deadline {
                return Err(SandboxError::NotReady {
                    address,
                    timeout,
                    last,
                    log: self.manager_log_text(),
                });
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The scratch dir holding everything of this sandbox.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// `unix:path=…/run/bus`: the session bus the manager socket-activates.
    pub fn bus_address(&self) -> String {
        format!("unix:path={}", self.runtime_dir().join("bus").display())
    }

    /// `$XDG_RUNTIME_DIR` of the manager (what `systemctl --user` needs).
    pub fn runtime_dir(&self) -> PathBuf {
        self.root.join("run")
    }

    pub fn home_dir(&self) -> PathBuf {
        self.root.join("home")
    }

    /// `$XDG_CONFIG_HOME/systemd/user`: unit files put here load after a daemon-reload.
    pub fn unit_dir(&self) -> PathBuf {
        self.home_dir().join(".config/systemd/user")
    }

    /// The journal files (`journalctl --directory=…`).
    pub fn journal_dir(&self) -> PathBuf {
        self.root.join("jrun/journal")
    }

    /// journald's native socket as seen from outside the sandbox's mount namespace (inside
    /// it, it is `/run/systemd/journal/socket`).
    pub fn journal_socket(&self) -> PathBuf {
        self.root.join("rsd/journal/socket")
    }

    /// A scratch `/etc/healer` equivalent, with an empty `services.d/`.
    pub fn config_dir(&self) -> PathBuf {
        self.root.join("etc-healer")
    }

    /// stdout and stderr of the manager's process (journald gets the manager's own log).
    pub fn manager_log(&self) -> PathBuf {
        self.root.join("manager.log")
    }

    pub fn manager_pid(&self) -> Option<u32> {
        self.manager.as_ref().map(Child::id)
    }

    pub fn journald_pid(&self) -> Option<u32> {
        fs::read_to_string(self.root.join("journald.pid"))
            .ok()?
            .trim()
            .parse()
            .ok()
    }

    /// The cgroup the manager runs in, relative to each hierarchy's root; its services
    /// live below it (`…/app.slice/<unit>`).
    pub fn manager_cgroup(&self) -> String {
        format!(
            "/{CGROUP_SLICE}/healer-sandbox-{}.slice/{MANAGER_CGROUP_TAIL}",
            self.id
        )
    }

    /// The cgroup subtrees this sandbox created (and removes), one per managed hierarchy.
    pub fn cgroup_dirs(&self) -> &[PathBuf] {
        &self.own_cgroups
    }

    pub fn layout(&self) -> &CgroupLayout {
        &self.layout
    }

    /// What a command run against the sandbox needs in its environment.
    pub fn env(&self) -> Vec<(String, OsString)> {
        vec![
            ("DBUS_SESSION_BUS_ADDRESS".into(), self.bus_address().into()),
            ("XDG_RUNTIME_DIR".into(), self.runtime_dir().into()),
            ("HEALER_CONFIG_DIR".into(), self.config_dir().into()),
            ("HEALER_JOURNAL_DIR".into(), self.journal_dir().into()),
            ("HEALER_JOURNAL_SOCKET".into(), self.journal_socket().into()),
            ("HEALER_UNIT_DIR".into(), self.unit_dir().into()),
            ("HEALER_SANDBOX".into(), self.root.clone().into()),
            // For `nsenter --mount --target=$HEALER_SANDBOX_PID` into its mount namespace.
            (
                "HEALER_SANDBOX_PID".into(),
                self.manager_pid().unwrap_or_default().to_string().into(),
            ),
        ]
    }

    /// A command that runs `program` inside the sandbox's mount namespace (where
    /// `/run/systemd` is the sandbox's), with [`Sandbox::env`] set.
    pub fn command_in_namespace(&self, program: impl AsRef<std::ffi::OsStr>) -> Command {
        let mut cmd = Command::new("nsenter");
        cmd.arg("--mount")
            .arg(format!(
                "--target={}",
                self.manager_pid().unwrap_or_default()
            ))
            .arg("--")
            .arg(program)
            .envs(self.env());
        cmd
    }

    /// Tears the sandbox down: the manager (which stops its units), journald, anything left
    /// in its cgroups, the cgroups, the scratch dir. Idempotent; each step runs even when
    /// an earlier one failed, and every failure is reported.
    pub fn stop(&mut self) -> Result<(), SandboxError> {
        if self.stopped {
            return Ok(());
        }
        self.stopped = true;
        let mut problems = Vec::new();
        if let Some(mut child) = self.manager.take() {
            // SIGTERM makes a user manager stop all units and exit.
            let _ = kill(Pid::from_raw(child.id() as i32), Signal::SIGTERM);
            if !wait_child(&mut child, self.stop_timeout) {
                problems.push(format!(
                    "manager {} ignored SIGTERM for {:?}; killed",
                    child.id(),
                    self.stop_timeout
                ));
                let _ = child.kill();
                let _ = child.wait();
            }
        }
        if let Some(pid) = self.journald_pid() {
            // journald was reparented when its parent became the manager and exited; it is
            // not our child, so check it is still journald before signalling the pid.
            if is_process(pid, "systemd-journal") {
                let _ = kill(Pid::from_raw(pid as i32), Signal::SIGTERM);
                if !wait_gone(pid, Duration::from_secs(10)) {
                    problems.push(format!("journald {pid} ignored SIGTERM; killed"));
                    let _ = kill(Pid::from_raw(pid as i32), Signal::SIGKILL);
                    wait_gone(pid, Duration::from_secs(5));
                }
            }
        }
        for own in &self.own_cgroups {
            if let Err(e) = kill_cgroup_tree(own) {
                problems.push(e);
            }
        }
        for own in &self.own_cgroups {
            if let Err(e) = remove_cgroup_tree(own) {
                problems.push(e);
            }
            // The shared parent goes when the last sandbox goes; others may still use it.
            if let Some(parent) = own.parent() {
                let _ = fs::remove_dir(parent);
            }
        }
        if let Err(e) = fs::remove_dir_all(&self.root)
            && e.kind() != ErrorKind::NotFound
        {
            problems.push(format!("cannot remove {}: {e}", self.root.display()));
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(SandboxError::TearDown(problems.join("; ")))
        }
    }

    fn manager_log_text(&self) -> String {
        let text = fs::read_to_string(self.manager_log()).unwrap_or_default();
        let tail: Vec<&str> = text.lines().rev().take(40).collect();
        tail.into_iter().rev().collect::<Vec<_>>().join("\n")
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        if let Err(e) = self.stop() {
            eprintln!("healer sandbox {}: {e}", self.root.display());
        }
    }
}

/// Removes sandboxes whose owning process died without tearing them down (a test binary
/// killed by a timeout, say): kills everything in their cgroups, removes the cgroups and
/// the scratch dir. A sandbox's id starts with its owner's pid; one whose owner still runs
/// (or whose pid was reused) is left alone. Returns what was removed, or why not.
pub fn reap_stale(layout: &CgroupLayout, scratch_parent: &Path) -> Vec<String> {
    let mut stale = std::collections::BTreeSet::new();
    for h in layout.hierarchies() {
        let Ok(entries) = fs::read_dir(h.join(CGROUP_SLICE)) else {
            continue;
        };
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            let Some(id) = name
                .strip_prefix("healer-sandbox-")
                .and_then(|r| r.strip_suffix(".slice"))
            else {
                continue;
            };
            let owner = id.split('-').next().and_then(|p| p.parse::<u32>().ok());
            if owner.is_some_and(|pid| !Path::new(&format!("/proc/{pid}")).exists()) {
                stale.insert(id.to_string());
            }
        }
    }
    let mut report = Vec::new();
    for id in stale {
        let mut problems = Vec::new();
        let owns: Vec<PathBuf> = layout
            .hierarchies()
            .iter()
            .map(|h| {
                h.join(CGROUP_SLICE)
                    .join(format!("healer-sandbox-{id}.slice"))
            })
            .collect();
        for own in &owns {
            problems.extend(kill_cgroup_tree(own).err());
        }
        for own in &owns {
            problems.extend(remove_cgroup_tree(own).err());
            if let Some(parent) = own.parent() {
                let _ = fs::remove_dir(parent);
            }
        }
        let dir = scratch_parent.join(format!("healer-sandbox-{id}"));
        if let Err(e) = fs::remove_dir_all(&dir)
            && e.kind() != ErrorKind::NotFound
        {
            problems.push(format!("cannot remove {}: {e}", dir.display()));
        }
        report.push(if problems.is_empty() {
            format!("healer-sandbox-{id}")
        } else {
            format!("healer-sandbox-{id} (partly: {})", problems.join("; "))
        });
    }
    report
}

async fn system_state(address: &str) -> Result<String, zbus::Error> {
    let conn = zbus::connection::Builder::address(address)?.build().await?;
    crate::systemd::ManagerProxy::new(&conn)
        .await?
        .system_state()
        .await
}

/// A fresh `healer-sandbox-<pid>-<n>` dir; `n` counts up until the name is free, so no
/// global counter is needed for parallel sandboxes in one process.
fn make_scratch_dir(parent: &Path) -> Result<(PathBuf, String), SandboxError> {
    let pid = std::process::id();
    for n in 0u32.. {
        let id = format!("{pid}-{n}");
        let dir = parent.join(format!("healer-sandbox-{id}"));
        match fs::create_dir(&dir) {
            Ok(()) => return Ok((dir, id)),
            Err(e) if e.kind() == ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(io_err("cannot create", &dir)(e)),
        }
    }
    unreachable!("u32 ran out of sandbox names")
}

/// `create_dir_all` that survives another sandbox removing the shared `healer.slice`
/// parent between our mkdirs.
fn create_dir_all_racy(dir: &Path) -> Result<(), SandboxError> {
    let mut tries = 0;
    loop {
        match fs::create_dir_all(dir) {
            Ok(()) => return Ok(()),
            Err(e) if e.kind() == ErrorKind::NotFound && tries < 10 => tries += 1,
            Err(e) => return Err(io_err("cannot create cgroup", dir)(e)),
        }
    }
}

fn wait_child(child: &mut Child, timeout: Duration) -> bool {
    let deadline = Instant::now() + timeout;
    loop {
        match child.try_wait() {
            Ok(Some(_)) | Err(_) => return true,
            Ok(None) if Instant::now() >= deadline => return false,
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
        }
    }
}

/// Whether `pid` runs a program whose `comm` is `comm` (and is not a zombie).
fn is_process(pid: u32, comm: &str) -> bool {
    let Ok(stat) = fs::read_to_string(format!("/proc/{pid}/stat")) else {
        return false;
    };
    // "pid (comm) S …": comm may hold spaces, so split at the last ')'.
    let Some((head, rest)) = stat.rsplit_once(')') else {
        return false;
    };
    let alive = !rest.trim_start().starts_with('Z');
    alive && head.split_once('(').is_some_and(|(_, c)| c == comm)
}

/// Waits until `pid` is gone or a zombie (its new parent reaps it, not us).
fn wait_gone(pid: u32, timeout: Duration) -> bool {
    let deadline = Instant::now() + timeout;
    loop {
        let gone = match fs::read_to_string(format!("/proc/{pid}/stat")) {
            Err(_) => true,
            Ok(s) => s
                .rsplit_once(')')
                .is_some_and(|(_, r)| r.trim_start().starts_with('Z')),
        };
        if gone {
            return true;
        }
        if Instant::now() >= deadline {
            return false;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// All dirs below (and including) `dir`, deepest first.
fn cgroup_dirs_depth_first(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = fs::read_dir(dir) {
        for e in entries.flatten() {
            if e.file_type().is_ok_and(|t| t.is_dir()) {
                out.extend(cgroup_dirs_depth_first(&e.path()));
            }
        }
    }
    if dir.is_dir() {
        out.push(dir.to_path_buf());
    }
    out
}

fn procs_in(dirs: &[PathBuf]) -> Vec<i32> {
    dirs.iter()
        .filter_map(|d| fs::read_to_string(d.join("cgroup.procs")).ok())
        .flat_map(|s| {
            s.lines()
                .filter_map(|l| l.trim().parse().ok())
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Kills whatever is still running in the subtree (normally nothing: the manager stopped
/// its units) and waits until it is empty.
fn kill_cgroup_tree(own: &Path) -> Result<(), String> {
    let dirs = cgroup_dirs_depth_first(own);
    if procs_in(&dirs).is_empty() {
        return Ok(());
    }
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        // cgroup.kill (cgroup2, Linux 5.14+) kills the whole subtree at once; elsewhere
        // (the v1 named hierarchy) each process is killed by pid.
        let kill_file = own.join("cgroup.kill");
        if !(kill_file.exists() && fs::write(&kill_file, "1").is_ok()) {
            for pid in procs_in(&dirs) {
                let _ = kill(Pid::from_raw(pid), Signal::SIGKILL);
            }
        }
        std::thread::sleep(Duration::from_millis(20));
        let left = procs_in(&dirs);
        if left.is_empty() {
            return Ok(());
        }
        if Instant::now() >= deadline {
            return Err(format!(
                "processes {left:?} still in {} after SIGKILL",
                own.display()
            ));
        }
    }
}

fn remove_cgroup_tree(own: &Path) -> Result<(), String> {
    let mut failed = Vec::new();
    for d in cgroup_dirs_depth_first(own) {
        // A cgroup whose last process just died can be busy for a moment.
        let mut result = fs::remove_dir(&d);
        for _ in 0..50 {
            match &result {
                Err(e) if e.kind() == ErrorKind::ResourceBusy => {
                    std::thread::sleep(Duration::from_millis(20));
                    result = fs::remove_dir(&d);
                }
                _ => break,
            }
        }
        match result {
            Ok(()) => {}
            Err(e) if e.kind() == ErrorKind::NotFound => {}
            Err(e) => failed.push(format!("{}: {e}", d.display())),
        }
    }
    if failed.is_empty() {
        Ok(())
    } else {
        Err(format!("cannot remove cgroups {}", failed.join(", ")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hybrid_layout_is_detected() {
        let mounts = "\
tmpfs /sys/fs/cgroup tmpfs rw,relatime,mode=755 0 0
cgroup2 /sys/fs/cgroup/unified cgroup2 rw,nosuid,nodev,noexec,relatime 0 0
cgroup /sys/fs/cgroup/cpu cgroup rw,relatime,cpu 0 0
cgroup /sys/fs/cgroup/systemd cgroup rw,relatime,name=systemd 0 0
";
        let l = CgroupLayout::parse(mounts);
        assert_eq!(
            l.unified.as_deref(),
            Some(Path::new("/sys/fs/cgroup/unified"))
        );
        assert_eq!(
            l.named_systemd.as_deref(),
            Some(Path::new("/sys/fs/cgroup/systemd"))
        );
        assert_eq!(l.hierarchies().len(), 2);
    }

    #[test]
    fn pure_v2_layout_is_detected() {
        let mounts = "\
cgroup2 /sys/fs/cgroup cgroup2 rw,nosuid,nodev,noexec,relatime,nsdelegate 0 0
cgroup2 /run/some/bind cgroup2 rw 0 0
";
        let l = CgroupLayout::parse(mounts);
        assert_eq!(l.unified.as_deref(), Some(Path::new("/sys/fs/cgroup")));
        assert_eq!(l.named_systemd, None);
    }

    #[test]
    fn manager_script_refuses_to_run_in_a_root_cgroup() {
        // No cgroup.procs to move into: a caller in a root cgroup stays there, and the
        // script must stop before it execs anything (here a harmless echo).
        let in_root = fs::read_to_string("/proc/self/cgroup")
            .unwrap()
            .lines()
            .any(|l| {
                let f: Vec<&str> = l.splitn(3, ':').collect();
                f.len() == 3 && (f[1].is_empty() || f[1] == "name=systemd") && f[2] == "/"
            });
        let out = Command::new("sh")
            .args(["-c", OUTER_SCRIPT, "healer-sandbox"])
            .env("HEALER_SB_INNER", "echo inner-ran")
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        if in_root {
            assert!(!out.status.success());
            assert!(!stdout.contains("inner-ran"), "{stdout}");
            assert!(String::from_utf8_lossy(&out.stderr).contains("refusing"));
        } else {
            assert!(stdout.contains("inner-ran"), "{stdout}");
        }
    }

    #[test]
    fn process_check_reads_comm_with_spaces() {
        let me = std::process::id();
        let stat = fs::read_to_string(format!("/proc/{me}/stat")).unwrap();
        let comm = stat.split_once('(').unwrap().1.rsplit_once(')').unwrap().0;
        assert!(is_process(me, comm));
        assert!(!is_process(me, "surely-not-this"));
    }
}
