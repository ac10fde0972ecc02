//! healer closing the loop, end to end: the real `healerd run` (kernel sensor, D-Bus API)
//! against a sandbox's `systemd --user` manager, session bus and journald, healing service
//! cases from `tests/services/` (real network services with a latent fault). Driven with the
//! real `healerctl`. Needs root. Waits are generous; nothing asserts on timing.
use std::{path::Path, time::Duration};

use healer_daemon::{
    config::policy::Mode,
    deploy::ReleaseStore,
    sandbox::{Sandbox, SandboxOptions},
    service_case::{self, InstallOptions, Installed, ServiceCase},
    systemd::{BusKind, Systemd, SystemdOptions},
};
use healer_tests::daemon::{
    Healerd, healerctl, incidents, journal, json_of, wait_for, write_daemon_config,
};
use serde_json::Value;

const WAIT: Duration = Duration::from_secs(300);
const IO: Duration = Duration::from_secs(10);

fn case(id: &str) -> ServiceCase {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("services");
    service_case::load_all(&root)
        .expect("service cases")
        .into_iter()
        .find(|c| c.id == id)
        .unwrap_or_else(|| panic!("no service case {id}"))
}

struct World {
    sb: Sandbox,
    sd: Systemd,
    case: ServiceCase,
    svc: Installed,
    state: std::path::PathBuf,
}

async fn world(id: &str, mode: Mode, canary_window_s: u64) -> World {
    let sb = Sandbox::start(SandboxOptions::default())
        .await
        .expect("sandbox");
    let sd = Systemd::connect(
        &BusKind::Address(sb.bus_address()),
        SystemdOptions::default(),
    )
    .await
    .expect("connect");
    let state = write_daemon_config(&sb);
    let case = case(id);
    let svc = case
        .install(&InstallOptions {
            root: &sb.root().join("services"),
            unit_dir: &sb.unit_dir(),
            config_dir: &sb.config_dir(),
            port: service_case::free_port().unwrap(),
            mode,
            canary_window_s,
        })
        .expect("install the service case");
    sd.daemon_reload().await.unwrap();
    sd.start(&svc.unit).await.unwrap();
    for line in &case.normal {
        service_case::wait_answering(svc.port, line, WAIT).expect("service answers");
    }
    World {
        sb,
        sd,
        case,
        svc,
        state,
    }
}

impl World {
    fn trigger(&self) -> std::io::Result<String> {
        service_case::request(self.svc.port, &self.case.trigger, IO)
    }

    /// The unit's incident once it reaches one of `states`.
    fn wait_state(&self, d: &mut Healerd, states: &[&str]) -> Value {
        wait_for(
            &format!("an incident of {} in {states:?}", self.svc.unit),
            d,
            WAIT,
            || {
                incidents(&self.sb).into_iter().find(|i| {
                    i["unit"] == self.svc.unit.as_str() && states.iter().any(|s| i["state"] == *s)
                })
            },
        )
    }

    fn show(&self, id: &str) -> Value {
        json_of(&healerctl(&self.sb, &["show", id, "--json"]))
    }

    fn healthy_after_trigger(&self) -> bool {
        service_case::wait_answering(self.svc.port, &self.case.normal[0], WAIT).is_ok()
            && self.trigger().is_ok()
    }

    fn active_release(&self) -> String {
        ReleaseStore::open(&self.state, &self.svc.unit)
            .unwrap()
            .active()
            .map(|r| r.id.clone())
            .unwrap_or_default()
    }
}

/// healerd started, answering, and following the unit's cgroup: only then is a crash seen.
fn start_healerd(w: &World) -> Healerd {
    let mut d = Healerd::start(&w.sb);
    wait_for("the unit watched", &mut d, WAIT, || {
        let out = healerctl(&w.sb, &["services", "--json"]);
        if !out.status.success() {
            return None;
        }
        let s: Value = serde_json::from_slice(&out.stdout).ok()?;
        let watched = s.as_array().is_some_and(|a| {
            a.iter()
                .any(|x| x["unit"] == w.svc.unit.as_str() && x["cgroup_id"].as_u64() > Some(0))
        });
        watched.then_some(())
    });
    d
}

fn kinds(entries: &[Value]) -> Vec<String> {
    entries
        .iter()
        .filter_map(|e| e["HEALER_KIND"].as_str().map(str::to_string))
        .collect()
}

/// Auto mode: crash → incident → diagnosis from the journal → restart → validated patch →
/// hotfix commit → new release through systemd → canary → healed; the trigger no longer
/// crashes the service, and the journal tells the story.
async fn auto_heals(id: &str) {
    let w = world(id, Mode::Auto, 3).await;
    let mut d = start_healerd(&w);
    assert!(w.trigger().is_err(), "the faulty release must crash");

    let inc = w.wait_state(&mut d, &["healed", "failed", "rolled_back"]);
    let id = inc["id"].as_str().unwrap().to_string();
    let shown = w.show(&id);
    assert_eq!(
        inc["state"],
        "healed",
        "{}\nhealerd log:\n{}",
        serde_json::to_string_pretty(&shown).unwrap(),
        d.log()
    );
    let repair = &shown["repair"];
    assert_eq!(repair["failing_input"], w.case.trigger.as_str(), "{shown}");
    assert!(
        repair["diff"]
            .as_str()
            .is_some_and(|p| p.contains("+++ b/")),
        "{shown}"
    );
    let branch = repair["branch"].as_str().unwrap();
    assert_eq!(branch, format!("healer/{id}"));
    assert!(
        std::process::Command::new("git")
            .arg("-C")
            .arg(&w.svc.repo)
            .args(["rev-parse", "--verify", branch])
            .status()
            .unwrap()
            .success()
    );
    assert_ne!(w.active_release(), "r0001", "a patched release serves");
    assert!(
        w.healthy_after_trigger(),
        "the healed service survives the trigger"
    );

    let story = kinds(&journal(&w.sb, &[&format!("HEALER_INCIDENT={id}")]));
    for k in [
        "incident_opened",
        "diagnosed",
        "patch_proposed",
        "deployed",
        "healed",
    ] {
        assert!(story.iter().any(|s| s == k), "{k} missing from {story:?}");
    }
    drop(d);
}

#[tokio::test(flavor = "multi_thread")]
async fn auto_heals_a_crashing_python_service() {
    auto_heals("py-kv-missing-key-001").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn auto_heals_a_crashing_rust_service() {
    auto_heals("rs-inventory-unwrap-001").await;
}

/// Propose mode: the patch waits for `healerctl approve`; nothing changes before.
#[tokio::test(flavor = "multi_thread")]
async fn propose_mode_waits_for_approval() {
    let w = world("py-kv-missing-key-001", Mode::Propose, 3).await;
    let mut d = start_healerd(&w);
    assert!(w.trigger().is_err());
    let inc = w.wait_state(
        &mut d,
        &[
            "detected",
            "diagnosed",
            "mitigated",
            "repairing",
            "proposed",
        ],
    );
    let id = inc["id"].as_str().unwrap().to_string();
    w.wait_state(&mut d, &["proposed"]);
    assert_eq!(
        w.active_release(),
        "r0001",
        "nothing deployed before approval"
    );
    let out = healerctl(&w.sb, &["approve", &id, "--json"]);
    assert!(out.status.success(), "{out:?}");
    let done = w.wait_state(&mut d, &["healed", "failed", "rolled_back"]);
    assert_eq!(done["state"], "healed", "{}", d.log());
    assert!(w.healthy_after_trigger());
}

/// A new fault during the canary window rolls the patched release back automatically.
#[tokio::test(flavor = "multi_thread")]
async fn a_fault_in_the_canary_window_rolls_back() {
    let w = world("py-kv-missing-key-001", Mode::Auto, 600).await;
    let mut d = start_healerd(&w);
    assert!(w.trigger().is_err());
    let inc = w.wait_state(
        &mut d,
        &["detected", "diagnosed", "mitigated", "repairing", "canary"],
    );
    let id = inc["id"].as_str().unwrap().to_string();
    w.wait_state(&mut d, &["canary"]);
    let patched = w.active_release();
    assert_ne!(patched, "r0001");
    // The patched release misbehaves: its process dies of a signal.
    let pid = w.sd.resolve(&w.svc.unit).await.unwrap().main_pid;
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(pid as i32),
        nix::sys::signal::Signal::SIGSEGV,
    )
    .unwrap();
    let done = w.wait_state(&mut d, &["rolled_back", "failed"]);
    assert_eq!(done["state"], "rolled_back", "{}", d.log());
    assert_eq!(w.active_release(), "r0001");
    let store = ReleaseStore::open(&w.state, &w.svc.unit).unwrap();
    assert_eq!(
        store.get(&patched).unwrap().health,
        healer_daemon::deploy::Health::Bad
    );
    let story = kinds(&journal(&w.sb, &[&format!("HEALER_INCIDENT={id}")]));
    assert!(story.iter().any(|k| k == "rolled_back"), "{story:?}");
}

/// healerd killed while a patched release is in its canary: the restarted healerd never
/// leaves the service on an unproven release.
#[tokio::test(flavor = "multi_thread")]
async fn healerd_killed_mid_canary_resumes_and_rolls_back() {
    let w = world("py-kv-missing-key-001", Mode::Auto, 600).await;
    let mut d = start_healerd(&w);
    assert!(w.trigger().is_err());
    w.wait_state(&mut d, &["canary"]);
    assert_ne!(w.active_release(), "r0001");
    d.kill();
    let mut d = Healerd::start(&w.sb);
    let done = w.wait_state(&mut d, &["rolled_back", "failed"]);
    assert_eq!(done["state"], "rolled_back", "{}", d.log());
    assert_eq!(w.active_release(), "r0001");
    service_case::wait_answering(w.svc.port, &w.case.normal[0], WAIT).expect("serving again");
}
