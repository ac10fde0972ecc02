//! `cargo xtask demo`: healer healing live services, narrated.
//!
//! A private systemd user manager, session bus and journald (the sandbox fixture) run the demo
//! service cases of `tests/services/` (`demo = true`: Python, Rust, JavaScript services with a
//! latent fault reachable by one request). healerd watches them in `auto` mode. Each fault is
//! triggered in turn and its incident followed through healerctl until it is healed; then the
//! incident list and the journald story are shown, and everything is torn down.
use std::{
    collections::HashSet,
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

use crate::workspace_root;

const WAIT: Duration = Duration::from_secs(300);

fn build_bins() -> anyhow::Result<(PathBuf, PathBuf)> {
    let root = workspace_root();
    let status = Command::new("cargo")
        .args([
            "build",
            "--release",
            "--quiet",
            "-p",
            "healer-daemon",
            "--bins",
        ])
        .current_dir(&root)
        .status()
        .context("cargo build")?;
    if !status.success() {
        bail!("building healerd and healerctl failed");
    }
    Ok((
        root.join("target/release/healerd"),
        root.join("target/release/healerctl"),
    ))
}

struct Demo {
    sb: Sandbox,
    healerctl: PathBuf,
    healerd: Child,
    log: PathBuf,
}

impl Demo {
    fn ctl(&self, args: &[&str]) -> std::process::Output {
        Command::new(&self.healerctl)
            .args(args)
            .arg("--bus")
            .arg(self.sb.bus_address())
            .stdin(Stdio::null())
            .output()
            .expect("run healerctl")
    }

    fn ctl_json(&self, args: &[&str]) -> Option<Value> {
        let mut a = args.to_vec();
        a.push("--json");
        let out = self.ctl(&a);
        if !out.status.success() {
            return None;
        }
        serde_json::from_slice(&out.stdout).ok()
    }

    fn alive(&mut self) -> anyhow::Result<()> {
        if let Some(status) = self.healerd.try_wait()? {
            bail!(
                "healerd exited ({status}); its log:\n{}",
                std::fs::read_to_string(&self.log).unwrap_or_default()
            );
        }
        Ok(())
    }
}

impl Drop for Demo {
    fn drop(&mut self) {
        let pid = nix::unistd::Pid::from_raw(self.healerd.id() as i32);
        let _ = nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGTERM);
        let _ = self.healerd.wait();
    }
}

fn say(t0: Instant, what: impl AsRef<str>) {
    println!("[{:>6.2}s] {}", t0.elapsed().as_secs_f64(), what.as_ref());
}

fn indent(text: &str, prefix: &str) -> String {
    text.lines()
        .map(|l| format!("{prefix}{l}\n"))
        .collect::<String>()
}

pub fn run() -> anyhow::Result<()> {
    if !nix::unistd::Uid::effective().is_root() {
        bail!("the demo loads eBPF programs and runs a systemd manager: run it as root");
    }
    println!("== building healerd and healerctl (release)");
    let (healerd, healerctl) = build_bins()?;
    let rt = tokio::runtime::Runtime::new()?;
    // zbus proxies unregister their matches on drop, which needs the runtime's context.
    let _in_runtime = rt.enter();
    let sb = rt
        .block_on(Sandbox::start(SandboxOptions::default()))
        .context("starting the systemd sandbox")?;
    let sd = rt.block_on(Systemd::connect(
        &BusKind::Address(sb.bus_address()),
        SystemdOptions::default(),
    ))?;
    println!(
        "== a private systemd user manager, session bus and journald run under {}",
        sb.root().display()
    );

    let cases: Vec<ServiceCase> = service_case::load_all(&workspace_root().join("tests/services"))?
        .into_iter()
        .filter(|c| c.demo)
        .collect();
    if cases.is_empty() {
        bail!("no demo cases in tests/services");
    }
    let state = sb.root().join("state");
    std::fs::write(
        sb.config_dir().join("healer.toml"),
        format!(
            "bus = \"session\"\nstate_dir = \"{}\"\njournal_socket = \"{}\"\n\
             journal_directory = \"{}\"\n",
            state.display(),
            sb.journal_socket().display(),
            sb.journal_dir().display()
        ),
    )?;
    let mut services: Vec<(ServiceCase, Installed)> = Vec::new();
    for c in cases {
        println!(
            "== installing {} ({:?}): {}",
            c.id, c.language, c.description
        );
        let port = service_case::free_port()?;
        let inst = c.install(&InstallOptions {
            root: &sb.root().join("services"),
            unit_dir: &sb.unit_dir(),
            config_dir: &sb.config_dir(),
            port,
            mode: Mode::Auto,
            canary_window_s: 5,
        })?;
        services.push((c, inst));
    }
    rt.block_on(sd.daemon_reload())?;
    for (c, inst) in &services {
        rt.block_on(sd.start(&inst.unit))?;
        let answer = service_case::wait_answering(inst.port, &c.normal[0], WAIT)?;
        println!(
            "   {} serving on port {}: {:?} -> {:?}",
            inst.unit, inst.port, c.normal[0], answer
        );
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
    let mut demo = Demo {
        sb,
        healerctl,
        healerd: child,
        log,
    };
    println!(
        "== healerd running in auto mode (log: {})",
        demo.log.display()
    );
    let deadline = Instant::now() + WAIT;
    loop {
        demo.alive()?;
        let watched = demo.ctl_json(&["services"]).is_some_and(|s| {
            s.as_array().is_some_and(|a| {
                a.len() == services.len() && a.iter().all(|x| x["cgroup_id"].as_u64() > Some(0))
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

    let mut healed = 0;
    for (c, inst) in &services {
        println!("\n== {}: {}", inst.unit, c.fault_class);
        let t0 = Instant::now();
        say(t0, format!("request {:?}", c.trigger));
        match service_case::request(inst.port, &c.trigger, Duration::from_secs(10)) {
            Ok(r) => say(t0, format!("answered {r:?} (the fault did not fire)")),
            Err(e) => say(t0, format!("no answer: the service died ({e})")),
        }
        if follow(&mut demo, c, inst, t0)? {
            healed += 1;
        }
    }

    println!("\n== healerctl incidents");
    print!(
        "{}",
        String::from_utf8_lossy(&demo.ctl(&["incidents"]).stdout)
    );
    if let Some(inc) = demo
        .ctl_json(&["incidents"])
        .and_then(|v| v.as_array().and_then(|a| a.first().cloned()))
    {
        let id = inc["id"].as_str().unwrap_or_default().to_string();
        println!("\n== the journald story of incident {id} (journalctl HEALER_INCIDENT={id})");
        let out = Command::new("journalctl")
            .arg(format!("--directory={}", demo.sb.journal_dir().display()))
            .args(["-o", "short-precise", "--no-pager", "-q"])
            .arg(format!("HEALER_INCIDENT={id}"))
            .output()?;
        print!("{}", String::from_utf8_lossy(&out.stdout));
    }
    println!(
        "\n== {healed} of {} services healed; tearing everything down",
        services.len()
    );
    drop(demo);
    if healed != services.len() {
        bail!("not every demo service was healed");
    }
    Ok(())
}

/// Prints the incident's transitions as they happen, until it closes. True when healed.
fn follow(demo: &mut Demo, c: &ServiceCase, inst: &Installed, t0: Instant) -> anyhow::Result<bool> {
    let deadline = Instant::now() + WAIT;
    let mut seen = HashSet::new();
    let mut shown_diff = false;
    loop {
        demo.alive()?;
        if Instant::now() > deadline {
            bail!("{}: no verdict within {WAIT:?}", inst.unit);
        }
        let inc = demo.ctl_json(&["incidents"]).and_then(|v| {
            v.as_array()?
                .iter()
                .rfind(|i| i["unit"] == inst.unit.as_str())
                .cloned()
        });
        let Some(inc) = inc else {
            std::thread::sleep(Duration::from_millis(100));
            continue;
        };
        let id = inc["id"].as_str().unwrap_or_default().to_string();
        let shown = demo.ctl_json(&["show", &id]).unwrap_or(inc);
        for t in shown["history"].as_array().into_iter().flatten() {
            let key = (t["to"].to_string(), t["at_us"].to_string());
            if !seen.insert(key) {
                continue;
            }
            let to = t["to"].as_str().unwrap_or("?");
            let reason = t["reason"].as_str().unwrap_or("");
            say(t0, format!("{to:<10} {reason}"));
            if to == "diagnosed"
                && let Some(log) = shown["repair"]["journal_log"].as_str()
            {
                let tail: Vec<&str> = log.lines().rev().take(8).collect();
                let tail: Vec<&str> = tail.into_iter().rev().collect();
                print!("{}", indent(&tail.join("\n"), "             │ "));
            }
        }
        if !shown_diff && let Some(diff) = shown["repair"]["diff"].as_str() {
            shown_diff = true;
            say(
                t0,
                format!(
                    "patch ({}), committed on {}:",
                    shown["repair"]["template"].as_str().unwrap_or("?"),
                    shown["repair"]["branch"].as_str().unwrap_or("?")
                ),
            );
            print!("{}", indent(diff, "             │ "));
        }
        match shown["state"].as_str() {
            Some("healed") => {
                let r = service_case::request(inst.port, &c.trigger, Duration::from_secs(10));
                say(
                    t0,
                    format!(
                        "request {:?} again -> {}",
                        c.trigger,
                        match &r {
                            Ok(a) => format!("answered {a:?}: healed"),
                            Err(e) => format!("still failing ({e})"),
                        }
                    ),
                );
                return Ok(r.is_ok());
            }
            Some("failed" | "rolled_back" | "rejected") => return Ok(false),
            _ => std::thread::sleep(Duration::from_millis(100)),
        }
    }
}
