//! The heal path's stages against the real things: a service case installed as a unit of a
//! real `systemd --user` manager (sandbox), its crash read back from the real journald, the
//! repair engine producing a validated fix, the fix recorded as a git commit, built into a
//! release, deployed through systemd over D-Bus, and rolled back. Needs root.
use std::{path::Path, time::Duration};

use healer_daemon::{
    config::{self, policy::Mode},
    deploy::{Deployer, Health, ReleaseStore, SystemdDeployer},
    diagnose::{JournalSource, diagnose},
    heal::{FixRequest, ensure_adopted, prepare_fix},
    sandbox::{Sandbox, SandboxOptions},
    service_case::{self, InstallOptions, ServiceCase},
    systemd::{BusKind, Systemd, SystemdOptions},
};

const WAIT: Duration = Duration::from_secs(60);

fn case(id: &str) -> ServiceCase {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("services");
    service_case::load_all(&root)
        .expect("load service cases")
        .into_iter()
        .find(|c| c.id == id)
        .unwrap_or_else(|| panic!("no service case {id}"))
}

async fn wait_stopped(sd: &Systemd, unit: &str) -> healer_daemon::systemd::UnitState {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let s = sd.resolve(unit).await.expect("resolve");
        if s.active_state != "active" && s.active_state != "deactivating" {
            return s;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "{unit} still {}",
            s.active_state
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn answering(port: u16, line: &str) -> String {
    service_case::wait_answering(port, line, WAIT).expect("service answers")
}

#[tokio::test(flavor = "multi_thread")]
async fn crash_is_diagnosed_from_the_journal_repaired_deployed_and_rolled_back() {
    let sb = Sandbox::start(SandboxOptions::default())
        .await
        .expect("sandbox");
    let sd = Systemd::connect(
        &BusKind::Address(sb.bus_address()),
        SystemdOptions::default(),
    )
    .await
    .expect("connect");
    let scratch = tempfile::tempdir().unwrap();
    let state = scratch.path().join("state");
    let c = case("py-kv-missing-key-001");
    let inst = c
        .install(&InstallOptions {
            root: scratch.path(),
            unit_dir: &sb.unit_dir(),
            config_dir: &sb.config_dir(),
            port: service_case::free_port().unwrap(),
            mode: Mode::Auto,
            canary_window_s: 30,
        })
        .expect("install the case");
    std::fs::write(
        sb.config_dir().join("healer.toml"),
        format!(
            "bus = \"session\"\nstate_dir = {:?}\njournal_socket = {:?}\n\
             [repair]\nlocalizer = \"learned\"\n",
            state,
            sb.journal_socket()
        ),
    )
    .unwrap();
    let load = config::load_dir(&sb.config_dir()).expect("config");
    assert!(load.errors.is_empty(), "{:?}", load.errors);
    let policy = load.config.policies[&inst.unit].policy.clone();
    // The learned localizer (it falls back to the stack ranking here, where the service's own
    // tests pass and only the replay fails).
    let localizer = load.config.daemon.repair.localizer_spec(&sb.config_dir());

    // healer takes charge: what runs now becomes release r0001.
    let adopted = ensure_adopted(&state, &policy).unwrap().expect("adopted");
    assert_eq!(adopted.id, "r0001");
    sd.daemon_reload().await.unwrap();
    sd.start(&inst.unit).await.unwrap();
    for line in &c.normal {
        answering(inst.port, line);
    }

    // The latent fault.
    let pid = sd.resolve(&inst.unit).await.unwrap().main_pid;
    assert!(service_case::request(inst.port, &c.trigger, WAIT).is_err());
    let dead = wait_stopped(&sd, &inst.unit).await;
    assert_eq!(dead.result, "exit-code", "{dead:?}");

    // Diagnose from the real journal: the traceback and the failing request.
    let journal = JournalSource {
        directory: Some(sb.journal_dir()),
        user_units: true,
    };
    let re = regex::Regex::new(&c.input_pattern).unwrap();
    let d = diagnose(
        &journal,
        &inst.unit,
        Some(pid),
        Some(&re),
        Duration::from_secs(10),
    )
    .unwrap();
    assert_eq!(
        d.failing_input.as_deref(),
        Some(c.trigger.as_str()),
        "{d:?}"
    );
    // What the process served before: a patch must keep answering it the same way.
    for line in &c.normal {
        assert!(d.served_inputs.contains(line), "{line:?} not in {d:?}");
    }
    let failure = &d.evidence.failures[0];
    assert_eq!(failure.kind.as_deref(), Some("KeyError"), "{d:?}");
    assert!(
        failure
            .frames
            .iter()
            .any(|f| f.file.ends_with("kvstore.py")),
        "{d:?}"
    );

    // Repair on the release's source, validated by the tests and the replay of the request.
    let fix = tokio::task::spawn_blocking({
        let (policy, state, d) = (policy.clone(), state.clone(), d.clone());
        let localizer = localizer.clone();
        move || {
            prepare_fix(&FixRequest {
                policy: &policy,
                incident: "inc-test-1",
                diagnosis: &d,
                state_dir: &state,
                timeout: Duration::from_secs(240),
                max_candidates: 100,
                template_weights: Default::default(),
                localizer: &localizer,
            })
        }
    })
    .await
    .unwrap()
    .expect("no engine error")
    .unwrap_or_else(|no| panic!("no fix: {}", no.reason));
    assert_eq!(fix.report.localizer, "learned");
    assert_eq!(fix.release.id, "r0002");
    assert_eq!(fix.hotfix.branch, "healer/inc-test-1");
    // The unpatched build's answers to the served inputs were recorded and checked against.
    let answers = std::fs::read_to_string(state.join("work/inc-test-1/served-answers"))
        .expect("served answers recorded");
    assert_eq!(answers.lines().count(), d.served_inputs.len(), "{answers}");
    let shown = std::process::Command::new("git")
        .args(["-C"])
        .arg(&inst.repo)
        .args(["log", "-1", "--format=%an%n%s", "healer/inc-test-1"])
        .output()
        .unwrap();
    let shown = String::from_utf8_lossy(&shown.stdout);
    assert!(
        shown.starts_with("healer\nhealer: fix incident inc-test-1"),
        "{shown}"
    );
    assert!(fix.hotfix.patch_file.is_file());
    // The operator's checkout is untouched.
    let status = std::process::Command::new("git")
        .args(["-C"])
        .arg(&inst.repo)
        .args(["status", "--porcelain", "--untracked-files=no"])
        .output()
        .unwrap();
    assert!(status.stdout.is_empty());

    // Deploy through systemd: the patched release serves, and survives the trigger.
    let deployer = SystemdDeployer {
        systemd: sd.clone(),
        state_dir: state.clone(),
    };
    let switched = deployer.deploy(&policy, &fix.release.id).await.unwrap();
    assert_eq!(switched.from.as_deref(), Some("r0001"));
    assert_eq!(switched.to, "r0002");
    answering(inst.port, &c.normal[0]);
    // Any answer will do (the engine chooses the fallback value); the process must live.
    service_case::request(inst.port, &c.trigger, WAIT).unwrap_or_else(|e| {
        panic!(
            "patched service failed on the trigger ({e}): {:?}",
            fix.report.patch
        )
    });
    assert!(sd.resolve(&inst.unit).await.unwrap().is_running());

    // Rolling back returns to the adopted release and marks the patched one bad.
    let back = deployer.rollback(&policy, "test").await.unwrap();
    assert_eq!(
        (back.from.as_deref(), back.to.as_str()),
        (Some("r0002"), "r0001")
    );
    let store = ReleaseStore::open(&state, &inst.unit).unwrap();
    assert_eq!(store.get("r0002").unwrap().health, Health::Bad);
    assert_eq!(store.active().unwrap().id, "r0001");
    answering(inst.port, &c.normal[0]);
    assert!(service_case::request(inst.port, &c.trigger, WAIT).is_err());
    drop(sb);
}
