//! `healerd run` end to end: the real daemon binary against a sandbox's `systemd --user`
//! manager, its session bus and journald, driven with the real `healerctl`. Needs root (the
//! sandbox and the eBPF sensor). Waits are generous and nothing asserts on timing.

use std::{
    io::{Read as _, Write as _},
    os::unix::net::UnixStream,
    path::{Path, PathBuf},
    process::{Command, Output, Stdio},
    time::{Duration, Instant},
};

use futures_util::StreamExt as _;
use healer_daemon::{
    audit::EntryKind,
    daemon::api::HealerProxy,
    sandbox::{Sandbox, SandboxOptions},
    systemd::{BusKind, Systemd, SystemdOptions},
};
use healer_tests::{
    build_c,
    daemon::{Healerd, bins, json_of},
};
use serde_json::Value;

const WAIT: Duration = Duration::from_secs(120);
const UNIT: &str = "crashy.service";

async fn sandbox(bus_policy: Option<PathBuf>) -> Sandbox {
    Sandbox::start(SandboxOptions {
        bus_policy,
        ..SandboxOptions::default()
    })
    .await
    .expect("start the sandbox")
}

/// The shipped D-Bus policy file.
fn shipped_bus_policy() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../systemd/org.healer.Healer1.conf")
}

fn socket_of(sb: &Sandbox) -> PathBuf {
    sb.root().join("crashy.sock")
}

/// Installs `crashy.service` (the crashing server) and its policy, and healer.toml pointing
/// at the sandbox's bus and journald.
fn configure(sb: &Sandbox) {
    configure_with(sb, "", "");
}

/// [`configure`], with extra server arguments and extra policy text.
fn configure_with(sb: &Sandbox, server_args: &str, policy: &str) {
    let server = build_c("crashserver");
    std::fs::write(
        sb.unit_dir().join(UNIT),
        format!(
            "[Unit]\nDescription=healer test server\nStartLimitIntervalSec=0\n\
             [Service]\nExecStart={} {} {server_args}\nRestart=on-failure\nRestartSec=1\nLimitCORE=0\n",
            server.display(),
            socket_of(sb).display()
        ),
    )
    .expect("write unit");
    let cfg = sb.config_dir();
    std::fs::write(
        cfg.join("healer.toml"),
        format!(
            "bus = \"session\"\nstate_dir = \"{}\"\njournal_socket = \"{}\"\n",
            sb.root().join("state").display(),
            sb.journal_socket().display()
        ),
    )
    .expect("write healer.toml");
    std::fs::write(
        cfg.join("services.d/crashy.toml"),
        format!("unit = \"{UNIT}\"\nmode = \"propose\"\n{policy}"),
    )
    .expect("write policy");
}

async fn connect(sb: &Sandbox) -> Systemd {
    Systemd::connect(
        &BusKind::Address(sb.bus_address()),
        SystemdOptions::default(),
    )
    .await
    .expect("connect to the sandbox's manager")
}

fn healerctl(sb: &Sandbox, args: &[&str]) -> Output {
    healerctl_cmd(sb, None, args)
}

/// `healerctl ARGS --bus <sandbox bus>`, as root or, with `as_nobody`, through
/// `setpriv` as nobody/nogroup without supplementary groups.
fn healerctl_cmd(sb: &Sandbox, as_nobody: Option<()>, args: &[&str]) -> Output {
    let mut cmd = match as_nobody {
        None => Command::new(&bins().1),
        Some(()) => {
            let mut c = Command::new("setpriv");
            c.args(["--reuid=nobody", "--regid=nogroup", "--clear-groups"])
                .arg(&bins().1);
            c
        }
    };
    cmd.args(args)
        .arg("--bus")
        .arg(sb.bus_address())
        .stdin(Stdio::null())
        .output()
        .expect("run healerctl")
}

/// Polls `f` until it returns `Some` or `WAIT` passes.
async fn wait_for<T>(what: &str, d: &mut Healerd, mut f: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + WAIT;
    loop {
        d.assert_running();
        if let Some(v) = f() {
            return v;
        }
        if Instant::now() > deadline {
            panic!("timed out waiting for {what}; healerd log:\n{}", d.log());
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

/// healerd's view of `unit`, once healerd answers.
fn service(sb: &Sandbox, unit: &str) -> Option<Value> {
    let out = healerctl(sb, &["services", "--json"]);
    if !out.status.success() {
        return None;
    }
    let v: Value = serde_json::from_slice(&out.stdout).ok()?;
    v.as_array()?.iter().find(|s| s["unit"] == unit).cloned()
}

/// Waits until healerd watches the unit's current cgroup (as systemd reports it), and that
/// cgroup is not `previous`.
async fn wait_watched(sb: &Sandbox, sd: &Systemd, d: &mut Healerd, previous: u64) -> u64 {
    let mut id = 0;
    wait_for("healerd to watch the unit's cgroup", d, || {
        id = 0;
        let svc = service(sb, UNIT)?;
        let watched = svc["cgroup_id"].as_u64()?;
        let actual = futures_block(sd.resolve(UNIT)).ok()?.control_group_id;
        (watched != 0 && watched != previous && watched == actual).then(|| id = watched)
    })
    .await;
    id
}

/// Runs a future to completion from inside a synchronous poll closure.
fn futures_block<F: std::future::Future>(f: F) -> F::Output {
    tokio::task::block_in_place(|| tokio::runtime::Handle::current().block_on(f))
}

/// One request to the server; `None` when the connection died without an answer (the
/// server crashed).
fn request(sb: &Sandbox) -> Option<String> {
    let mut s = UnixStream::connect(socket_of(sb)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(30))).ok()?;
    s.write_all(b"hello\n").ok()?;
    let mut reply = String::new();
    s.read_to_string(&mut reply).ok()?;
    (!reply.is_empty()).then_some(reply)
}

/// Sends requests until one goes unanswered (the third, by the program's design).
fn crash_server(sb: &Sandbox) {
    for n in 1..=2 {
        let r = request(sb).unwrap_or_else(|| panic!("request {n} unanswered"));
        assert_eq!(r.trim(), format!("ok {n}"));
    }
    assert_eq!(
        request(sb),
        None,
        "the third request should crash the server"
    );
}

fn incidents(sb: &Sandbox) -> Vec<Value> {
    let out = healerctl(sb, &["incidents", "--json"]);
    json_of(&out).as_array().cloned().unwrap_or_default()
}

fn functions(incident: &Value) -> Vec<String> {
    incident["frames"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| f["function"].as_str().map(String::from))
        .collect()
}

/// `journalctl --directory=<sandbox journal> -o json MATCHES`.
fn journal(sb: &Sandbox, matches: &[&str]) -> Vec<Value> {
    let out = Command::new("journalctl")
        .arg(format!("--directory={}", sb.journal_dir().display()))
        .args(["-o", "json", "--all", "--no-pager"])
        .args(matches)
        .output()
        .expect("journalctl");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect()
}

async fn start_unit(sb: &Sandbox) -> Systemd {
    let sd = connect(sb).await;
    sd.daemon_reload().await.expect("daemon-reload");
    sd.start(UNIT).await.expect("start crashy.service");
    // The server is up once its socket answers.
    let deadline = Instant::now() + WAIT;
    while !socket_of(sb).exists() {
        assert!(Instant::now() < deadline, "crashy.service never listened");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    sd
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crash_opens_an_incident_with_a_symbolized_stack_and_audit_entries() {
    let sb = sandbox(None).await;
    configure(&sb);
    let sd = start_unit(&sb).await;
    let mut d = Healerd::start(&sb);
    wait_watched(&sb, &sd, &mut d, 0).await;
    // Listen for the IncidentOpened signal before the crash.
    let bus = zbus::connection::Builder::address(sb.bus_address().as_str())
        .unwrap()
        .build()
        .await
        .expect("connect to the sandbox bus");
    let proxy = HealerProxy::new(&bus).await.expect("healer proxy");
    let mut opened = proxy
        .receive_incident_opened()
        .await
        .expect("subscribe to IncidentOpened");

    crash_server(&sb);
    let inc = wait_for("an incident for crashy.service", &mut d, || {
        incidents(&sb).into_iter().find(|i| i["unit"] == UNIT)
    })
    .await;
    let signal = tokio::time::timeout(WAIT, opened.next())
        .await
        .expect("an IncidentOpened signal")
        .expect("signal stream open");
    let args = signal.args().expect("IncidentOpened args");
    assert_eq!(
        (args.id(), args.unit(), args.kind()),
        (&inc["id"].as_str().unwrap(), &UNIT, &"crash")
    );
    assert_eq!(inc["signal"], 11, "{inc:#}");
    assert_eq!(inc["signal_name"], "SIGSEGV");
    assert_eq!(inc["kind"], "crash");
    assert_eq!(inc["state"], "detected");
    let funcs = functions(&inc);
    for f in ["store_request", "handle_request", "main"] {
        assert!(funcs.iter().any(|g| g == f), "{f} not in {funcs:?}");
    }
    assert_eq!(
        funcs[0], "store_request",
        "innermost frame first: {funcs:?}"
    );
    let top = &inc["frames"][0];
    assert!(
        top["file"]
            .as_str()
            .unwrap_or("")
            .ends_with("crashserver.c")
            && top["line"].is_u64(),
        "{top}"
    );
    let id = inc["id"].as_str().expect("id").to_string();
    assert_eq!(id.len(), 8);

    // The audit log tells the story under HEALER_INCIDENT=<id>.
    let filter = format!("HEALER_INCIDENT={id}");
    let mut entries = Vec::new();
    wait_for("the incident's audit entry", &mut d, || {
        entries = journal(&sb, &[&filter]);
        (!entries.is_empty()).then_some(())
    })
    .await;
    let opened = entries
        .iter()
        .find(|e| e["MESSAGE_ID"] == EntryKind::IncidentOpened.message_id())
        .unwrap_or_else(|| panic!("no incident_opened entry in {entries:#?}"));
    assert_eq!(opened["HEALER_UNIT"], UNIT);
    assert_eq!(opened["HEALER_KIND"], "incident_opened");
    assert_eq!(opened["HEALER_FAULT"], "crash");
    assert_eq!(opened["HEALER_SIGNAL"], "SIGSEGV");
    assert_eq!(opened["PRIORITY"], "4");
    assert_eq!(opened["SYSLOG_IDENTIFIER"], "healerd");
    let frames: Value =
        serde_json::from_str(opened["HEALER_FRAMES"].as_str().expect("HEALER_FRAMES")).unwrap();
    assert_eq!(frames[0]["function"], "store_request");

    // The human view shows the same.
    let show = healerctl(&sb, &["show", &id]);
    let text = String::from_utf8_lossy(&show.stdout);
    assert!(show.status.success(), "{show:?}");
    assert!(
        text.contains("SIGSEGV") && text.contains("store_request at "),
        "{text}"
    );

    // Incidents survive a restart of healerd (the SQLite store under state_dir).
    assert!(d.stop(), "healerd did not stop cleanly:\n{}", d.log());
    let mut d = Healerd::start(&sb);
    let again = wait_for("healerd to answer after its restart", &mut d, || {
        let out = healerctl(&sb, &["show", &id, "--json"]);
        out.status.success().then(|| json_of(&out))
    })
    .await;
    assert_eq!(again["id"], id.as_str());
    assert_eq!(functions(&again), funcs);
    assert_eq!(again["history"][0]["to"], "detected");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn b_the_cgroup_is_followed_across_restarts() {
    let sb = sandbox(None).await;
    configure(&sb);
    let sd = start_unit(&sb).await;
    let mut d = Healerd::start(&sb);
    let before = wait_watched(&sb, &sd, &mut d, 0).await;

    let out = Command::new("systemctl")
        .args(["--user", "restart", UNIT])
        .envs(sb.env())
        .output()
        .expect("systemctl");
    assert!(out.status.success(), "{out:?}");
    // A restart makes a new cgroup; healerd follows it.
    let after = wait_watched(&sb, &sd, &mut d, before).await;

    // Events of the new cgroup reach healerd: the crash after the restart is detected.
    crash_server(&sb);
    let inc = wait_for("an incident after the restart", &mut d, || {
        incidents(&sb).into_iter().find(|i| i["unit"] == UNIT)
    })
    .await;
    assert_eq!(inc["signal_name"], "SIGSEGV");
    assert!(functions(&inc).iter().any(|f| f == "store_request"));
    // The service restarts itself (Restart=on-failure) into yet another cgroup, which is
    // followed too; further crashes fold into the same open incident, and the third within
    // the window makes it a crash loop.
    let mut cgroup = after;
    for crashes in [2, 3] {
        cgroup = wait_watched(&sb, &sd, &mut d, cgroup).await;
        let deadline = Instant::now() + WAIT;
        while request(&sb).is_none() {
            assert!(
                Instant::now() < deadline,
                "the restarted server never answered"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        // That was request 1 of the new process; two more crash it.
        assert!(request(&sb).is_some());
        assert_eq!(request(&sb), None);
        let id = inc["id"].clone();
        wait_for("the crash folded into the open incident", &mut d, || {
            incidents(&sb)
                .into_iter()
                .find(|i| i["id"] == id && i["count"].as_u64() >= Some(crashes))
        })
        .await;
    }
    let all = incidents(&sb);
    let mine: Vec<&Value> = all.iter().filter(|i| i["unit"] == UNIT).collect();
    assert_eq!(mine.len(), 1, "one incident, updated: {all:#?}");
    assert_eq!(mine[0]["kind"], "crash_loop", "{:#}", mine[0]);
    assert_eq!(mine[0]["count"], 3);
    let filter = format!("HEALER_INCIDENT={}", inc["id"].as_str().unwrap());
    let updated_id = format!("MESSAGE_ID={}", EntryKind::IncidentUpdated.message_id());
    let updates = wait_for("two incident_updated entries", &mut d, || {
        Some(journal(&sb, &[&filter, &updated_id])).filter(|e| e.len() >= 2)
    })
    .await;
    assert_eq!(updates[1]["HEALER_FAULT"], "crash_loop", "{updates:#?}");
    assert_eq!(updates[1]["HEALER_COUNT"], "3");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn c_malformed_policies_do_not_stop_the_valid_ones() {
    let sb = sandbox(None).await;
    configure(&sb);
    let dir = sb.config_dir().join("services.d");
    std::fs::write(
        dir.join("unknown-key.toml"),
        "unit = \"a.service\"\nfrobnicate = 1\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("wrong-type.toml"),
        "unit = \"b.service\"\nmode = 3\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("traversal.toml"),
        "unit = \"c.service\"\n[source]\nrepo = \"/srv/../etc\"\nlanguage = \"c\"\n\
         build = [\"make\"]\ntest = [\"make\", \"test\"]\n\
         [source.release]\nartifact = \"/srv/c/out\"\ninstall = \"copy\"\ntarget = \"/opt/c\"\n",
    )
    .unwrap();
    std::fs::write(dir.join("not-utf8.toml"), b"unit = \"d\xff.service\"\n").unwrap();
    std::fs::write(
        dir.join("huge.toml"),
        format!("unit = \"e.service\"\n# {}\n", "x".repeat(1 << 20)),
    )
    .unwrap();
    let sd = start_unit(&sb).await;
    let mut d = Healerd::start(&sb);
    wait_watched(&sb, &sd, &mut d, 0).await;

    let services = json_of(&healerctl(&sb, &["services", "--json"]));
    let units: Vec<&str> = services
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| s["unit"].as_str())
        .collect();
    assert_eq!(units, [UNIT]);
    let status = json_of(&healerctl(&sb, &["status", "--json"]));
    let errors: Vec<String> = status["policy_errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e.as_str().unwrap().to_string())
        .collect();
    for f in [
        "unknown-key.toml",
        "wrong-type.toml",
        "traversal.toml",
        "not-utf8.toml",
        "huge.toml",
    ] {
        assert!(
            errors.iter().any(|e| e.contains(f)),
            "no error for {f} in {errors:#?}"
        );
    }
    // Each one is in the audit log as a policy_error.
    let filter = format!("MESSAGE_ID={}", EntryKind::PolicyError.message_id());
    wait_for("five policy_error entries", &mut d, || {
        (journal(&sb, &[&filter]).len() >= 5).then_some(())
    })
    .await;

    // Reload (D-Bus, as root) picks up a fixed file, and the broken ones still do not stop it.
    std::fs::write(dir.join("unknown-key.toml"), "unit = \"a.service\"\n").unwrap();
    let diff = json_of(&healerctl(&sb, &["reload", "--json"]));
    assert_eq!(diff["added"], serde_json::json!(["a.service"]), "{diff:#}");
    let services = json_of(&healerctl(&sb, &["services", "--json"]));
    let a = services
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["unit"] == "a.service")
        .expect("a.service watched after the reload");
    // It does not exist: reported, not fatal.
    let svc = wait_for("a.service reported missing", &mut d, || {
        service(&sb, "a.service").filter(|s| s["problem"].is_string())
    })
    .await;
    assert!(a["unit"] == svc["unit"]);

    // SIGHUP reloads too.
    std::fs::write(
        dir.join("wrong-type.toml"),
        "unit = \"b.service\"\nmode = \"observe\"\n",
    )
    .unwrap();
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(d.pid() as i32),
        nix::sys::signal::Signal::SIGHUP,
    )
    .unwrap();
    let b = wait_for("b.service watched after SIGHUP", &mut d, || {
        service(&sb, "b.service")
    })
    .await;
    assert_eq!(b["mode"], "observe");
    let status = json_of(&healerctl(&sb, &["status", "--json"]));
    assert_eq!(
        status["policy_errors"].as_array().unwrap().len(),
        3,
        "{status:#}"
    );
    assert_eq!(status["services"], 3);
    d.assert_running();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn d_unprivileged_callers_may_read_but_not_act() {
    let sb = sandbox(Some(shipped_bus_policy())).await;
    configure(&sb);

    // Before healerd runs, healerctl says so and exits 3.
    let out = healerctl(&sb, &["status"]);
    assert_eq!(out.status.code(), Some(3), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("healerd is not running (no owner of org.healer.Healer1 on the unix:path="),
        "{err}"
    );

    let sd = start_unit(&sb).await;
    let mut d = Healerd::start(&sb);
    wait_watched(&sb, &sd, &mut d, 0).await;

    let nobody = |args: &[&str]| healerctl_cmd(&sb, Some(()), args);
    let status = nobody(&["status", "--json"]);
    assert!(
        status.status.success(),
        "nobody may read the status: {status:?}"
    );
    assert_eq!(json_of(&status)["services"], 1);
    assert!(nobody(&["incidents"]).status.success());

    for args in [&["approve", "0000abcd"][..], &["rollback", UNIT][..]] {
        let out = nobody(args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {out:?}");
        assert!(
            err.contains("org.freedesktop.DBus.Error.AccessDenied") && err.contains("uid 65534"),
            "{args:?}: {err}"
        );
    }
    // The shipped bus policy lets only root own the name.
    let own = Command::new("setpriv")
        .args(["--reuid=nobody", "--regid=nogroup", "--clear-groups"])
        .arg("dbus-send")
        .arg(format!("--bus={}", sb.bus_address()))
        .args([
            "--print-reply",
            "--dest=org.freedesktop.DBus",
            "/org/freedesktop/DBus",
            "org.freedesktop.DBus.RequestName",
            "string:org.healer.Healer1",
            "uint32:4",
        ])
        .output()
        .expect("dbus-send");
    assert!(!own.status.success());
    assert!(
        String::from_utf8_lossy(&own.stderr).contains("AccessDenied"),
        "{own:?}"
    );

    // Root gets past the access check, to honest answers.
    let out = healerctl(&sb, &["approve", "0000abcd"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no incident 0000abcd"));
    let out = healerctl(&sb, &["rollback", UNIT]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("no earlier healthy release of crashy.service"),
        "{out:?}"
    );
    // Approve only acts on a proposed incident.
    crash_server(&sb);
    let inc = wait_for("an incident", &mut d, || {
        incidents(&sb).into_iter().find(|i| i["unit"] == UNIT)
    })
    .await;
    let id = inc["id"].as_str().unwrap();
    let out = healerctl(&sb, &["approve", id]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("is detected: only a proposed incident can be approved"),
        "{out:?}"
    );
    // Pause and resume are recorded.
    assert!(healerctl(&sb, &["pause", UNIT]).status.success());
    assert_eq!(service(&sb, UNIT).unwrap()["paused"], true);
    assert!(healerctl(&sb, &["resume", UNIT]).status.success());
    assert_eq!(service(&sb, UNIT).unwrap()["paused"], false);
    let filter = format!("MESSAGE_ID={}", EntryKind::HealingPaused.message_id());
    let paused = wait_for("the healing_paused entry", &mut d, || {
        Some(journal(&sb, &[&filter])).filter(|e| !e.is_empty())
    })
    .await;
    assert_eq!(paused.len(), 1, "{paused:#?}");
    assert_eq!(paused[0]["HEALER_ACTOR"], "uid 0 (root)");
}

/// The shipped `systemd/healer.service`, run by the sandbox's manager (as root, so the
/// hardening applies for real), with only what cannot work in a sandbox under /tmp changed:
/// paths, `PrivateTmp` (it would hide the sandbox's bus and journal), `StateDirectory`,
/// `ProtectKernelLogs` (this host's mount namespace has no /proc/kmsg to mask) and the
/// ordering on the system `dbus.service`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn e_the_shipped_unit_runs_healerd_hardened() {
    let sb = sandbox(None).await;
    configure(&sb);
    let state = sb.root().join("state");
    std::fs::create_dir_all(&state).unwrap();
    let shipped = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../systemd/healer.service"),
    )
    .expect("systemd/healer.service");
    let mut unit = String::new();
    for line in shipped.lines() {
        let key = line.split('=').next().unwrap_or("");
        let line = match key {
            "ExecStart" => format!(
                "ExecStart={} run --config-dir {}",
                bins().0.display(),
                sb.config_dir().display()
            ),
            "ReadWritePaths" => format!("ReadWritePaths={}", state.display()),
            "PrivateTmp" | "StateDirectory" | "StateDirectoryMode" | "ProtectKernelLogs"
            | "After" | "Requires" => continue,
            _ => line.to_string(),
        };
        unit.push_str(&line);
        unit.push('\n');
    }
    for kept in [
        "Type=dbus",
        "BusName=org.healer.Healer1",
        "ProtectSystem=strict",
        "NoNewPrivileges=yes",
        "CapabilityBoundingSet=CAP_BPF CAP_PERFMON CAP_SYS_RESOURCE CAP_DAC_READ_SEARCH",
    ] {
        assert!(unit.contains(kept), "{kept} missing from the shipped unit");
    }
    std::fs::write(sb.unit_dir().join("healer.service"), unit).unwrap();
    let sd = start_unit(&sb).await;
    // Type=dbus: the start job finishes once healerd owns its name.
    sd.start("healer.service")
        .await
        .expect("healer.service starts");
    let main_pid = sd.resolve("healer.service").await.unwrap().main_pid;
    let status = std::fs::read_to_string(format!("/proc/{main_pid}/status")).unwrap();
    let eff = status
        .lines()
        .find_map(|l| l.strip_prefix("CapEff:"))
        .map(|v| u64::from_str_radix(v.trim(), 16).unwrap())
        .unwrap();
    const CAP_SYS_ADMIN: u64 = 1 << 21;
    const CAP_SYS_PTRACE: u64 = 1 << 19;
    const CAP_BPF: u64 = 1 << 39;
    const CAP_PERFMON: u64 = 1 << 38;
    assert_eq!(eff & (CAP_SYS_ADMIN | CAP_SYS_PTRACE), 0, "CapEff {eff:x}");
    assert_eq!(eff & (CAP_BPF | CAP_PERFMON), CAP_BPF | CAP_PERFMON);
    assert!(status.lines().any(|l| l == "NoNewPrivs:\t1"), "{status}");

    // With only those capabilities the sensor loads, and crashes are seen.
    let out = healerctl(&sb, &["status", "--json"]);
    assert_eq!(json_of(&out)["sensor"], "loaded");
    crash_server(&sb);
    let deadline = Instant::now() + WAIT;
    let inc = loop {
        if let Some(i) = incidents(&sb).into_iter().find(|i| i["unit"] == UNIT) {
            break i;
        }
        assert!(
            Instant::now() < deadline,
            "no incident from the hardened healerd; status {}; its log: {:#?}",
            String::from_utf8_lossy(&healerctl(&sb, &["status", "--json"]).stdout),
            journal(&sb, &["_SYSTEMD_USER_UNIT=healer.service"])
                .iter()
                .map(|e| match &e["MESSAGE"] {
                    Value::Array(b) => String::from_utf8_lossy(
                        &b.iter()
                            .filter_map(|x| x.as_u64().map(|x| x as u8))
                            .collect::<Vec<u8>>()
                    )
                    .into_owned(),
                    m => m.to_string(),
                })
                .collect::<Vec<_>>()
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    };
    assert!(
        functions(&inc).iter().any(|f| f == "store_request"),
        "{inc:#}"
    );
    // And the store under ReadWritePaths works (ProtectSystem=strict elsewhere).
    assert!(state.join("incidents.sqlite").is_file());
}

/// A service whose requests became slow: the p99 bound of the policy is crossed and one
/// `syscall_latency` incident opens (through the kernel's histograms, polled every second).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn f_a_p99_latency_breach_opens_one_incident() {
    let sb = sandbox(None).await;
    // Never crash; sleep 20 ms in every request. Bound: 5 ms.
    configure_with(
        &sb,
        "0 20",
        "[watch.syscall_p99_ms]\nnanosleep = 5.0\nclock_nanosleep = 5.0\n",
    );
    let sd = start_unit(&sb).await;
    let mut d = Healerd::start(&sb);
    wait_watched(&sb, &sd, &mut d, 0).await;
    // Requests until the next statistics check sees enough slow calls (at least 20 in one
    // interval); the bound, not the clock, ends the loop.
    let deadline = Instant::now() + WAIT;
    let inc = loop {
        for _ in 0..25 {
            assert!(request(&sb).is_some(), "the slow server stopped answering");
        }
        if let Some(i) = incidents(&sb).into_iter().find(|i| i["unit"] == UNIT) {
            break i;
        }
        d.assert_running();
        assert!(
            Instant::now() < deadline,
            "no latency incident; log:\n{}",
            d.log()
        );
    };
    assert_eq!(inc["kind"], "syscall_latency", "{inc:#}");
    let evidence = inc["evidence"][0].as_str().unwrap();
    assert!(
        evidence.contains("nanosleep: p99 latency") && evidence.contains("above the policy's 5 ms"),
        "{evidence}"
    );
    // A lasting breach is one fault, not one per check.
    for _ in 0..50 {
        assert!(request(&sb).is_some());
    }
    let now = incidents(&sb);
    assert_eq!(now.len(), 1, "{now:#?}");
    assert_eq!(now[0]["count"], 1, "{:#}", now[0]);
}

/// A service whose backend starts failing: failed syscalls per second over the policy's
/// window cross `error_rate.max_per_s`, and one `error_rate` incident opens.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn g_an_error_rate_breach_opens_an_incident() {
    let sb = sandbox(None).await;
    // Never crash, no sleep, 200 failing opens per request. Bound: 50 failures/s over 2 s.
    configure_with(
        &sb,
        "0 0 200",
        "[watch.error_rate]\nmax_per_s = 50.0\nwindow_s = 2\n",
    );
    let sd = start_unit(&sb).await;
    let mut d = Healerd::start(&sb);
    wait_watched(&sb, &sd, &mut d, 0).await;
    let deadline = Instant::now() + WAIT;
    let inc = loop {
        for _ in 0..5 {
            assert!(request(&sb).is_some(), "the server stopped answering");
        }
        if let Some(i) = incidents(&sb).into_iter().find(|i| i["unit"] == UNIT) {
            break i;
        }
        d.assert_running();
        assert!(
            Instant::now() < deadline,
            "no error-rate incident; log:\n{}",
            d.log()
        );
        // Keep failing over a full window (the rate is only judged over one).
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert_eq!(inc["kind"], "error_rate", "{inc:#}");
    let evidence = inc["evidence"][0].as_str().unwrap();
    assert!(
        evidence.contains("failed syscalls/s") && evidence.contains("(most from open"),
        "{evidence}"
    );
}

/// Approve and reject, end to end: incidents a repair stage left `proposed` in the store
/// (seeded through the store's API before healerd starts) are approved or rejected over
/// D-Bus; without a release store the approved patch cannot be deployed and the incident
/// says so.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn h_approve_and_reject_act_on_proposed_incidents() {
    use healer_daemon::daemon::incident::{
        FaultKind, Incident, IncidentStore, State, Transition, now_us,
    };
    let sb = sandbox(None).await;
    configure(&sb);
    let state = sb.root().join("state");
    let mut ids = Vec::new();
    {
        let mut store = IncidentStore::open(&state).expect("open the store");
        for _ in 0..2 {
            let now = now_us();
            let mut inc = Incident {
                id: store.new_id().unwrap(),
                unit: UNIT.into(),
                kind: FaultKind::Crash,
                state: State::Detected,
                opened_us: now,
                updated_us: now,
                count: 1,
                signal: Some(11),
                signal_name: Some("SIGSEGV".into()),
                exit_code: None,
                pid: Some(1),
                frames: Vec::new(),
                evidence: vec!["seeded".into()],
                history: vec![Transition {
                    at_us: now,
                    from: None,
                    to: State::Detected,
                    reason: "seeded".into(),
                    actor: "test".into(),
                }],
                repair: None,
            };
            store.insert(&inc).unwrap();
            for to in [State::Diagnosed, State::Repairing, State::Proposed] {
                store
                    .transition(&mut inc, to, "repair stage", "test")
                    .unwrap();
            }
            ids.push(inc.id);
        }
    }
    let sd = start_unit(&sb).await;
    let mut d = Healerd::start(&sb);
    wait_watched(&sb, &sd, &mut d, 0).await;

    let out = healerctl(&sb, &["approve", &ids[0], "--json"]);
    let approved = json_of(&out);
    let states: Vec<&str> = approved["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["to"].as_str().unwrap())
        .collect();
    assert_eq!(
        states,
        [
            "detected",
            "diagnosed",
            "repairing",
            "proposed",
            "approved",
            "failed"
        ]
    );
    let last = approved["history"].as_array().unwrap().last().unwrap();
    assert!(
        last["reason"]
            .as_str()
            .unwrap()
            .contains("has no staged release to deploy"),
        "{last}"
    );
    let out = healerctl(&sb, &["reject", &ids[1]]);
    assert!(out.status.success(), "{out:?}");
    let rejected = json_of(&healerctl(&sb, &["show", &ids[1], "--json"]));
    assert_eq!(rejected["state"], "rejected");
    let prev = rejected["history"].as_array().unwrap().last().unwrap();
    assert_eq!(prev["actor"], "uid 0 (root)");
    // Both closed: approving again is refused with the state.
    let out = healerctl(&sb, &["approve", &ids[1]]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is rejected"));
    // The audit log has the operator's decisions.
    for (id, kind) in [
        (&ids[0], EntryKind::PatchApproved),
        (&ids[0], EntryKind::Failed),
        (&ids[1], EntryKind::PatchRejected),
    ] {
        let f1 = format!("HEALER_INCIDENT={id}");
        let f2 = format!("MESSAGE_ID={}", kind.message_id());
        let e = wait_for("the decision's audit entry", &mut d, || {
            journal(&sb, &[&f1, &f2]).into_iter().next()
        })
        .await;
        assert_eq!(e["HEALER_UNIT"], UNIT);
        assert!(e["HEALER_ACTOR"].is_string(), "{e:#}");
    }
}

/// A release that crashes as it starts, restarted over and over: each start runs in a new
/// cgroup and dies within a millisecond, long before systemd's signal about the new cgroup
/// reaches healerd. The kernel side follows the unit's cgroup path, so every one of those
/// crashes is seen, with its stack.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn i_crashes_at_start_up_are_seen_on_every_restart() {
    let sb = sandbox(None).await;
    configure_with(&sb, "-1", "");
    let sd = connect(&sb).await;
    sd.daemon_reload().await.expect("daemon-reload");
    let mut d = Healerd::start(&sb);
    // healerd learns the unit's cgroup path the first time systemd reports a cgroup for it.
    sd.start(UNIT).await.expect("start crashy.service");
    let path = wait_for("healerd to follow the unit's cgroup path", &mut d, || {
        service(&sb, UNIT)?["followed_cgroup_path"]
            .as_str()
            .map(String::from)
    })
    .await;
    assert!(path.ends_with("/crashy.service"), "{path}");
    let restarts = || {
        futures_block(sd.resolve(UNIT))
            .map(|s| s.n_restarts)
            .unwrap_or(0)
    };
    let from = restarts();
    // Every start from the next one on is followed in the kernel (RestartSec=1).
    let upto = wait_for("five more restarts", &mut d, || {
        let n = restarts();
        (n >= from + 5).then_some(n)
    })
    .await;
    // (A stop resets NRestarts.)
    sd.stop(UNIT).await.expect("stop crashy.service");
    let starts_followed = u64::from(upto - from - 1);

    let seen = || -> u64 {
        incidents(&sb)
            .iter()
            .filter(|i| i["unit"] == UNIT)
            .filter_map(|i| i["count"].as_u64())
            .sum()
    };
    let count = wait_for("a crash seen for every followed start", &mut d, || {
        let n = seen();
        (n >= starts_followed).then_some(n)
    })
    .await;
    assert!(count >= starts_followed, "{count} < {starts_followed}");
    let inc = incidents(&sb)
        .into_iter()
        .find(|i| i["unit"] == UNIT)
        .expect("an incident");
    assert_eq!(inc["kind"], "crash_loop", "{inc:#}");
    assert!(
        functions(&inc).iter().any(|f| f == "store_request"),
        "{inc:#}"
    );
    assert!(
        d.log().contains("(kernel)"),
        "no cgroup switch came from the kernel side:\n{}",
        d.log()
    );
}
