//! A live healer for the demo and `bench heal`: the systemd sandbox, service cases installed
//! as units, and the release `healerd run` watching them, driven through `healerctl`.
use std::{
    path::PathBuf,
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use anyhow::{Context as _, bail};
use healer_daemon::{
    config::policy::Mode,
    sandbox::{Sandbox, SandboxOptions},
    service_case::{self, InstallOptions, Installed, ServiceCase},
    systemd::{BusKind, Systemd, SystemdOptions},
};
use serde_json::Value;

pub const WAIT: Duration = Duration::from_secs(300);

pub struct Live {
    // Field order is drop order: healerd stops before the sandbox goes, and the systemd
    // connection is dropped while the runtime still exists.
    healerd: Child,
    /// Taken in `drop` inside the runtime's context (zbus unregisters matches on drop).
    sd: Option<Systemd>,
    pub sb: Sandbox,
    pub rt: tokio::runtime::Runtime,
    healerctl: PathBuf,
    pub log: PathBuf,
    pub services: Vec<(ServiceCase, Installed)>,
}

impl Live {
    /// Builds healer, starts the sandbox, installs and starts `cases`, starts healerd, and
    /// returns once healerd follows every unit's cgroup.
    pub fn start(
        cases: Vec<ServiceCase>,
        mode: Mode,
        canary_window_s: u64,
        verbose: bool,
    ) -> anyhow::Result<Self> {
        if !nix::unistd::Uid::effective().is_root() {
            bail!("healer loads eBPF programs and runs a systemd manager here: run as root");
        }
        let [healerd, healerctl] = crate::build_release_bins(["healerd", "healerctl"])?;
        let rt = tokio::runtime::Runtime::new()?;
        let _in_runtime = rt.enter();
        let sb = rt
            .block_on(Sandbox::start(SandboxOptions::default()))
            .context("starting the systemd sandbox")?;
        let sd = rt.block_on(Systemd::connect(
            &BusKind::Address(sb.bus_address()),
            SystemdOptions::default(),
        ))?;
        if verbose {
            println!(
                "== a private systemd user manager, session bus and journald run under {}",
                sb.root().display()
            );
        }
        std::fs::write(
            sb.config_dir().join("healer.toml"),
            format!(
                "bus = \"session\"\nstate_dir = \"{}\"\njournal_socket = \"{}\"\n\
                 journal_directory = \"{}\"\n",
                sb.root().join("state").display(),
                sb.journal_socket().display(),
                sb.journal_dir().display()
            ),
        )?;
        let mut services = Vec::new();
        for c in cases {
            if verbose {
                println!(
                    "== installing {} ({:?}): {}",
                    c.id, c.language, c.description
                );
            }
            let inst = c
                .install(&InstallOptions {
                    root: &sb.root().join("services"),
                    unit_dir: &sb.unit_dir(),
                    config_dir: &sb.config_dir(),
                    port: service_case::free_port()?,
                    mode,
                    canary_window_s,
                })
                .with_context(|| format!("installing {}", c.id))?;
            services.push((c, inst));
        }
        rt.block_on(sd.daemon_reload())?;
        for (c, inst) in &services {
            rt.block_on(sd.start(&inst.unit))?;
            let answer = service_case::wait_answering(inst.port, &c.normal[0], WAIT)?;
            if verbose {
                println!(
                    "   {} serving on port {}: {:?} -> {:?}",
                    inst.unit, inst.port, c.normal[0], answer
                );
            }
        }
        let log = sb.root().join("healerd.log");
        let out = std::fs::File::create(&log)?;
        let child = Command::new(&healerd)
            .args(["run", "--config-dir"])
            .arg(sb.config_dir())
            .envs(sb.env())
            .env("HEALER_LOG", "warn")
            .stdout(out.try_clone()?)
            .stderr(out)
            .spawn()
            .context("starting healerd")?;
        let mut live = Live {
            healerd: child,
            sd: Some(sd),
            sb,
            rt,
            healerctl,
            log,
            services,
        };
        let deadline = Instant::now() + WAIT;
        loop {
            live.alive()?;
            let n = live.services.len();
            let watched = live.ctl_json(&["services"]).is_some_and(|s| {
                s.as_array().is_some_and(|a| {
                    a.len() == n && a.iter().all(|x| x["cgroup_id"].as_u64() > Some(0))
                })
            });
            if watched {
                break;
            }
            if Instant::now() > deadline {
                bail!("healerd did not start watching the services");
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        if verbose {
            println!(
                "== healerd running in {mode:?} mode (log: {})",
                live.log.display()
            );
        }
        Ok(live)
    }

    pub fn ctl(&self, args: &[&str]) -> std::process::Output {
        Command::new(&self.healerctl)
            .args(args)
            .arg("--bus")
            .arg(self.sb.bus_address())
            .stdin(Stdio::null())
            .output()
            .expect("run healerctl")
    }

    pub fn ctl_json(&self, args: &[&str]) -> Option<Value> {
        let mut a = args.to_vec();
        a.push("--json");
        let out = self.ctl(&a);
        if !out.status.success() {
            return None;
        }
        serde_json::from_slice(&out.stdout).ok()
    }

    pub fn alive(&mut self) -> anyhow::Result<()> {
        if let Some(status) = self.healerd.try_wait()? {
            bail!(
                "healerd exited ({status}); its log:\n{}",
                std::fs::read_to_string(&self.log).unwrap_or_default()
            );
        }
        Ok(())
    }

    /// The newest incident of `unit`, with everything `healerctl show` has.
    pub fn latest_incident(&self, unit: &str) -> Option<Value> {
        let inc = self
            .ctl_json(&["incidents"])
            .and_then(|v| v.as_array()?.iter().rfind(|i| i["unit"] == unit).cloned())?;
        let id = inc["id"].as_str()?.to_string();
        Some(self.ctl_json(&["show", &id]).unwrap_or(inc))
    }
}

impl Drop for Live {
    fn drop(&mut self) {
        let pid = nix::unistd::Pid::from_raw(self.healerd.id() as i32);
        let _ = nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGTERM);
        let _ = self.healerd.wait();
        let _in_runtime = self.rt.enter();
        drop(self.sd.take());
    }
}
