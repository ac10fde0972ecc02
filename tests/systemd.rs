//! The systemd module against a real `systemd --user` manager, its session bus and journald,
//! each test in its own sandbox (`healer_daemon::sandbox`). Needs root. Timeouts are
//! generous and nothing asserts on timing: these run on loaded 2-core machines.

use std::{
    os::unix::fs::MetadataExt,
    path::{Path, PathBuf},
    process::Command,
    time::Duration,
};

use healer_daemon::{
    sandbox::{Sandbox, SandboxOptions},
    systemd::{
        BusKind, Systemd, SystemdOptions, UnitError, UnitState, UnitUpdate, UnitWatcher,
        WatchOptions,
    },
};

const WAIT: Duration = Duration::from_secs(90);

async fn sandbox() -> Sandbox {
    Sandbox::start(SandboxOptions::default())
        .await
        .expect("start the sandbox")
}

async fn connect(sb: &Sandbox) -> Systemd {
    Systemd::connect(
        &BusKind::Address(sb.bus_address()),
        SystemdOptions::default(),
    )
    .await
    .expect("connect to the sandbox's manager")
}

fn install_unit(sb: &Sandbox, name: &str, contents: &str) {
    std::fs::write(sb.unit_dir().join(name), contents).expect("write unit file");
}

fn cgroup2(sb: &Sandbox) -> PathBuf {
    sb.layout()
        .unified
        .clone()
        .expect("a cgroup2 hierarchy (ControlGroupId is a cgroup2 inode)")
}

fn cmdline(pid: u32) -> String {
    std::fs::read(format!("/proc/{pid}/cmdline"))
        .map(|b| String::from_utf8_lossy(&b).replace('\0', " "))
        .unwrap_or_default()
}

/// Checks what the kernel says about a running unit against what systemd said.
fn assert_cgroup_matches(sb: &Sandbox, s: &UnitState) {
    let cg = s
        .control_group
        .as_deref()
        .expect("a running unit has a cgroup");
    assert!(
        cg.starts_with(&sb.manager_cgroup()),
        "{cg} is not below the sandbox's manager {}",
        sb.manager_cgroup()
    );
    let dir = s.cgroup_dir(&cgroup2(sb)).unwrap();
    let ino = std::fs::metadata(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .ino();
    assert_eq!(
        s.control_group_id,
        ino,
        "ControlGroupId vs inode of {}",
        dir.display()
    );
    let procs = std::fs::read_to_string(dir.join("cgroup.procs")).unwrap();
    assert!(
        procs.lines().any(|l| l.trim() == s.main_pid.to_string()),
        "MainPID {} not in {} ({procs:?})",
        s.main_pid,
        dir.display()
    );
}

/// Waits for a state the predicate accepts; fails with everything seen on the way.
async fn wait_for(w: &mut UnitWatcher, what: &str, pred: impl Fn(&UnitState) -> bool) -> UnitState {
    let mut seen = Vec::new();
    let found = tokio::time::timeout(WAIT, async {
        while let Some(u) = w.next().await {
            if let UnitUpdate::State(s) = &u
                && pred(s)
            {
                return Some(s.clone());
            }
            seen.push(u);
        }
        None
    })
    .await;
    match found {
        Ok(Some(s)) => s,
        _ => panic!("no state with {what} within {WAIT:?}; saw {seen:#?}"),
    }
}

const DEMO: &str = "healer-demo.service";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn service_is_followed_across_restarts_crashes_and_dropins() {
    let sb = sandbox().await;
    install_unit(
        &sb,
        DEMO,
        "[Unit]\nDescription=healer test service\n\n[Service]\n\
         # exec: jobs finish once the command runs, so MainPID's cmdline is final.\n\
         Type=exec\n\
         ExecStartPre=/bin/echo healer-demo-started\n\
         ExecStart=/bin/sleep 1001\n\
         Restart=on-failure\n\
         # Long enough for the auto-restart state to be seen on a loaded machine.\n\
         RestartSec=5\n",
    );
    let sd = connect(&sb).await;
    sd.daemon_reload().await.unwrap();
    let job = sd.start("healer-demo").await.expect("start");
    assert_eq!(job.result, "done");

    let first = sd.resolve("healer-demo").await.expect("resolve");
    assert_eq!(first.name, DEMO);
    assert_eq!(first.load_state, "loaded");
    assert!(first.is_running(), "{first:#?}");
    assert_eq!(first.sub_state, "running");
    assert_eq!(first.n_restarts, 0);
    assert!(cmdline(first.main_pid).contains("sleep 1001"));
    assert_cgroup_matches(&sb, &first);

    // A short resync: systemd prunes a stopped unit's cgroup a moment after it reported
    // "inactive", and does not always signal that change.
    let opts = WatchOptions {
        resync_interval: Duration::from_secs(2),
        ..Default::default()
    };
    let mut w = sd.watch(DEMO, opts).unwrap();
    let seen = wait_for(&mut w, "the running unit", |s| s.is_running()).await;
    assert_eq!(seen.main_pid, first.main_pid);

    // A restart: new main process, and the watcher reports it with a valid cgroup id.
    sd.restart(DEMO).await.expect("restart");
    let old_pid = first.main_pid;
    let restarted = wait_for(&mut w, "a new MainPID", |s| {
        s.is_running() && s.main_pid != old_pid
    })
    .await;
    assert_cgroup_matches(&sb, &restarted);

    // A crash: systemd records the signal, restarts it (Restart=on-failure), counts it.
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(restarted.main_pid as i32),
        nix::sys::signal::Signal::SIGSEGV,
    )
    .unwrap();
    let crashed = wait_for(&mut w, "the SIGSEGV recorded", |s| {
        s.exec_main_status == libc::SIGSEGV && matches!(s.exec_main_code, 2 | 3)
    })
    .await;
    assert!(
        crashed.result == "signal" || crashed.result == "core-dump",
        "{crashed:#?}"
    );
    let back = wait_for(&mut w, "running again after the crash", |s| {
        s.is_running() && s.n_restarts >= 1
    })
    .await;
    assert_ne!(back.main_pid, restarted.main_pid);
    assert_cgroup_matches(&sb, &back);

    // A drop-in replacing ExecStart= takes effect on the next restart.
    let path = sd
        .write_dropin(
            DEMO,
            "exec",
            "[Service]\nExecStart=\nExecStart=/bin/sleep 2002\n",
        )
        .await
        .expect("write drop-in");
    assert_eq!(
        path,
        sb.unit_dir().join("healer-demo.service.d/healer-exec.conf")
    );
    sd.restart(DEMO).await.expect("restart with the drop-in");
    let patched = wait_for(&mut w, "the drop-in's command", |s| {
        s.is_running() && cmdline(s.main_pid).contains("sleep 2002")
    })
    .await;
    assert_cgroup_matches(&sb, &patched);
    assert_eq!(sd.resolve(DEMO).await.unwrap().main_pid, patched.main_pid);

    assert!(sd.remove_dropin(DEMO, "exec").await.unwrap());
    assert!(!path.exists());
    assert!(
        !sd.remove_dropin(DEMO, "exec").await.unwrap(),
        "already gone"
    );
    sd.restart(DEMO).await.expect("restart without the drop-in");
    let reverted = wait_for(&mut w, "the original command again", |s| {
        s.is_running() && cmdline(s.main_pid).contains("sleep 1001")
    })
    .await;
    assert_cgroup_matches(&sb, &reverted);

    // Stopped: no main process and no cgroup any more.
    sd.stop(DEMO).await.expect("stop");
    let stopped = wait_for(&mut w, "inactive without a cgroup", |s| {
        s.active_state == "inactive" && s.control_group.is_none()
    })
    .await;
    assert_eq!(stopped.main_pid, 0);
    assert_eq!(stopped.control_group_id, 0);

    // The sandbox's journald got the service's stdout, tagged with the user unit.
    let out = Command::new("journalctl")
        .arg(format!("--directory={}", sb.journal_dir().display()))
        .args(["-o", "cat", &format!("_SYSTEMD_USER_UNIT={DEMO}")])
        .output()
        .expect("journalctl");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("healer-demo-started"),
        "journal of {DEMO}: {text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn missing_unit_is_not_found_and_watched_until_it_appears() {
    let sb = sandbox().await;
    let sd = connect(&sb).await;
    let name = "healer-late.service";
    match sd.resolve(name).await {
        Err(UnitError::NotFound { unit }) => assert_eq!(unit, name),
        other => panic!("expected NotFound, got {other:?}"),
    }
    assert!(matches!(
        sd.start(name).await,
        Err(UnitError::NotFound { .. })
    ));

    let mut w = sd.watch(name, Default::default()).unwrap();
    let first_retry = match tokio::time::timeout(WAIT, w.next()).await {
        Ok(Some(UnitUpdate::Missing {
            unit,
            attempt,
            retry_in,
            ..
        })) => {
            assert_eq!(unit, name);
            assert_eq!(attempt, 1);
            retry_in
        }
        other => panic!("expected Missing, got {other:?}"),
    };
    // It keeps retrying, backing off.
    match tokio::time::timeout(WAIT, w.next()).await {
        Ok(Some(UnitUpdate::Missing {
            attempt, retry_in, ..
        })) => {
            assert_eq!(attempt, 2);
            assert!(retry_in > first_retry, "{retry_in:?} after {first_retry:?}");
        }
        other => panic!("expected a second Missing, got {other:?}"),
    }

    // Once it exists and runs, the same watcher reports it.
    install_unit(&sb, name, "[Service]\nExecStart=/bin/sleep infinity\n");
    sd.daemon_reload().await.unwrap();
    sd.start(name).await.expect("start the late unit");
    let s = wait_for(&mut w, "the late unit running", |s| s.is_running()).await;
    assert_cgroup_matches(&sb, &s);

    // Stopped and its unit file gone: after the reload the watcher reports it missing
    // again (and keeps trying) instead of failing.
    sd.stop(name).await.unwrap();
    std::fs::remove_file(sb.unit_dir().join(name)).unwrap();
    sd.daemon_reload().await.unwrap();
    let gone = tokio::time::timeout(WAIT, async {
        loop {
            match w.next().await {
                Some(UnitUpdate::Missing { attempt, .. }) => break attempt,
                Some(UnitUpdate::State(_)) => continue,
                other => panic!("expected Missing, got {other:?}"),
            }
        }
    })
    .await
    .expect("a Missing update after the unit file went away");
    assert_eq!(gone, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn teardown_leaves_no_cgroups_processes_or_files() {
    let mut sb = sandbox().await;
    // Commands get what they need through env(): systemctl --user talks to this manager.
    let active = Command::new("systemctl")
        .args(["--user", "is-active", "dbus.socket"])
        .envs(sb.env())
        .output()
        .expect("systemctl");
    assert_eq!(String::from_utf8_lossy(&active.stdout).trim(), "active");
    // Outside the sandbox's mount namespace the host does not look booted with systemd
    // (is-system-running says "offline"); inside it, it does.
    let state = sb
        .command_in_namespace("systemctl")
        .args(["--user", "is-system-running"])
        .output()
        .expect("nsenter systemctl");
    assert_eq!(String::from_utf8_lossy(&state.stdout).trim(), "running");
    // journald's native socket works from outside the namespace (what healer's journal
    // writer gets as HEALER_JOURNAL_SOCKET), and the entry is readable in journal_dir().
    let marker = format!("sandbox-{}", std::process::id());
    std::os::unix::net::UnixDatagram::unbound()
        .unwrap()
        .send_to(
            format!("MESSAGE=hello from the test\nHEALER_TEST={marker}\nPRIORITY=6\n").as_bytes(),
            sb.journal_socket(),
        )
        .expect("send to journald's socket");
    let found = tokio::time::timeout(WAIT, async {
        loop {
            let out = Command::new("journalctl")
                .arg(format!("--directory={}", sb.journal_dir().display()))
                .args(["-o", "cat", &format!("HEALER_TEST={marker}")])
                .output()
                .expect("journalctl");
            if String::from_utf8_lossy(&out.stdout).contains("hello from the test") {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    })
    .await;
    assert!(
        found.is_ok(),
        "the native entry never showed up in the journal"
    );
    assert!(sb.config_dir().join("services.d").is_dir());

    install_unit(
        &sb,
        "healer-idle.service",
        "[Service]\nExecStart=/bin/sleep infinity\n",
    );
    let sd = connect(&sb).await;
    sd.daemon_reload().await.unwrap();
    sd.start("healer-idle").await.unwrap();
    let unit = sd.resolve("healer-idle").await.unwrap();

    let pids = [
        sb.manager_pid().expect("manager pid"),
        sb.journald_pid().expect("journald pid"),
        unit.main_pid,
    ];
    for p in pids {
        assert!(Path::new(&format!("/proc/{p}")).exists(), "{p} runs");
    }
    let cgroups = sb.cgroup_dirs().to_vec();
    assert_eq!(cgroups.len(), sb.layout().hierarchies().len());
    let root = sb.root().to_path_buf();
    drop(sd);

    sb.stop().expect("clean tear-down");
    for p in pids {
        // Gone, or at most a zombie waiting for its (new) parent to reap it.
        let stat = std::fs::read_to_string(format!("/proc/{p}/stat")).unwrap_or_default();
        assert!(
            stat.is_empty()
                || stat
                    .rsplit_once(')')
                    .unwrap()
                    .1
                    .trim_start()
                    .starts_with('Z'),
            "{p} still runs: {stat}"
        );
    }
    for cg in cgroups {
        assert!(!cg.exists(), "{} left behind", cg.display());
    }
    assert!(!root.exists(), "{} left behind", root.display());
    sb.stop().expect("stopping twice is fine");
}

/// Not a test on its own: `stale_sandboxes_are_reaped` runs it in a child process and
/// SIGKILLs it while its sandbox is up, as a timeout would kill a test binary.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "helper process for stale_sandboxes_are_reaped"]
async fn orphan_helper() {
    if std::env::var_os("HEALER_TEST_ORPHAN").is_none() {
        return;
    }
    let sb = sandbox().await;
    println!("SANDBOX {}", sb.root().display());
    std::thread::sleep(Duration::from_secs(600));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stale_sandboxes_are_reaped() {
    use std::io::BufRead as _;
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "orphan_helper", "--ignored", "--nocapture"])
        .env("HEALER_TEST_ORPHAN", "1")
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("spawn the orphan helper");
    let out = std::io::BufReader::new(child.stdout.take().unwrap());
    let root = out
        .lines()
        .map_while(Result::ok)
        .find_map(|l| l.strip_prefix("SANDBOX ").map(PathBuf::from))
        .expect("the helper's sandbox came up");
    let id = root
        .file_name()
        .unwrap()
        .to_string_lossy()
        .strip_prefix("healer-sandbox-")
        .unwrap()
        .to_string();

    let layout = healer_daemon::sandbox::CgroupLayout::detect().unwrap();
    let owns: Vec<PathBuf> = layout
        .hierarchies()
        .iter()
        .map(|h| h.join(format!("healer.slice/healer-sandbox-{id}.slice")))
        .collect();
    let procs_file = owns[0].join("user-0.slice/user@0.service/init.scope/cgroup.procs");
    let left: Vec<u32> = std::fs::read_to_string(&procs_file)
        .expect("the orphaned manager's cgroup")
        .lines()
        .filter_map(|l| l.trim().parse().ok())
        .collect();
    assert!(!left.is_empty(), "the orphaned manager and journald run");
    child.kill().unwrap();
    child.wait().unwrap();

    // Tests starting sandboxes in parallel reap it too (Sandbox::start does): whoever gets
    // there first, it must be gone afterwards.
    let reaped = healer_daemon::sandbox::reap_stale(&layout, &std::env::temp_dir());
    let ours = format!("healer-sandbox-{id}");
    assert!(
        reaped
            .iter()
            .all(|r| !r.starts_with(&format!("{ours} (partly"))),
        "{reaped:?}"
    );
    for own in owns {
        assert!(!own.exists(), "{} left behind", own.display());
    }
    assert!(!root.exists(), "{} left behind", root.display());
    for p in left {
        let stat = std::fs::read_to_string(format!("/proc/{p}/stat")).unwrap_or_default();
        assert!(
            stat.is_empty()
                || stat
                    .rsplit_once(')')
                    .unwrap()
                    .1
                    .trim_start()
                    .starts_with('Z'),
            "{p} still runs: {stat}"
        );
    }
}
