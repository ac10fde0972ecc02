//! `cargo xtask demo`: healer healing live services, narrated.
//!
//! A private systemd user manager, session bus and journald (the sandbox fixture) run the demo
//! service cases of `tests/services/` (`demo = true`: Python, Rust, JavaScript services with a
//! latent fault reachable by one request). healerd watches them in `auto` mode. Each fault is
//! triggered in turn and its incident followed through healerctl until it is healed; then the
//! incident list and the journald story are shown, and everything is torn down.
use std::{
    collections::HashSet,
    process::Command,
    time::{Duration, Instant},
};

use anyhow::bail;
use healer_daemon::{
    config::policy::Mode,
    service_case::{self, Installed, ServiceCase},
};

use crate::{
    live::{self, Live},
    workspace_root,
};

fn say(t0: Instant, what: impl AsRef<str>) {
    println!("[{:>6.2}s] {}", t0.elapsed().as_secs_f64(), what.as_ref());
}

fn indent(text: &str, prefix: &str) -> String {
    text.lines()
        .map(|l| format!("{prefix}{l}\n"))
        .collect::<String>()
}

pub fn run() -> anyhow::Result<()> {
    println!("== building healerd and healerctl (release), starting the sandbox");
    let cases: Vec<ServiceCase> = service_case::load_all(&workspace_root().join("tests/services"))?
        .into_iter()
        .filter(|c| c.demo)
        .collect();
    if cases.is_empty() {
        bail!("no demo cases in tests/services");
    }
    let mut demo = Live::start(cases, Mode::Auto, 5, true)?;
    let services = demo.services.clone();
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
fn follow(demo: &mut Live, c: &ServiceCase, inst: &Installed, t0: Instant) -> anyhow::Result<bool> {
    let deadline = Instant::now() + live::WAIT;
    let mut seen = HashSet::new();
    let mut shown_diff = false;
    loop {
        demo.alive()?;
        if Instant::now() > deadline {
            bail!("{}: no verdict within {:?}", inst.unit, live::WAIT);
        }
        let Some(shown) = demo.latest_incident(&inst.unit) else {
            std::thread::sleep(Duration::from_millis(100));
            continue;
        };
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
