//! The kernel sensor against the real kernel: real eBPF programs, real crashing processes,
//! each in a fresh cgroup the test creates and removes. Needs root.
use std::time::Duration;

use healer_common::WatchConfig;
use healer_daemon::{
    sense::{Event, KernelSensor, Sensor, SensorOptions, cgroup::ScratchCgroup, event::Crash},
    watch::{WatchOptions, WatchReport, command_in_cgroup, run_watch},
};
use healer_tests::{build_c, build_rust, healerd_bin, line_of, programs_dir};

async fn watch(cmd: Vec<String>, slow_ms: u64) -> WatchReport {
    let mut out = Vec::new();
    run_watch(
        WatchOptions {
            json: true,
            slow_syscall_ns: slow_ms * 1_000_000,
            ring_bytes: 1 << 22,
            keep_events: true,
            cmd,
        },
        &mut out,
    )
    .await
    .expect("watch")
}

fn args(bin: &std::path::Path, rest: &[&str]) -> Vec<String> {
    std::iter::once(bin.display().to_string())
        .chain(rest.iter().map(|s| s.to_string()))
        .collect()
}

fn crashes(r: &WatchReport) -> Vec<&Crash> {
    r.events
        .iter()
        .filter_map(|e| match e {
            Event::Crash(c) => Some(c),
            _ => None,
        })
        .collect()
}

fn exit_of(r: &WatchReport) -> (Option<i32>, Option<i32>) {
    r.events
        .iter()
        .find_map(|e| match e {
            Event::Exit(x) if x.pid == r.pid => Some((x.exit_status, x.signal)),
            _ => None,
        })
        .expect("an exit event for the command")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn segv_three_calls_deep_is_symbolized() {
    let bin = build_c("crash");
    let r = watch(args(&bin, &["segv"]), 0).await;
    let c = crashes(&r);
    assert_eq!(c.len(), 1, "{:#?}", r.events);
    let c = c[0];
    assert_eq!(c.signal, 11);
    assert_eq!(c.si_code, 1, "SEGV_MAPERR");
    assert_eq!(c.fault_addr, 0, "NULL dereference");
    assert!(c.sender.is_none(), "the kernel raised it");
    let names: Vec<&str> = c
        .frames
        .iter()
        .filter_map(|f| f.function.as_deref())
        .collect();
    assert_eq!(
        &names[..4],
        ["level3", "level2", "level1", "main"],
        "{:#?}",
        c.frames
    );
    let top = &c.frames[0];
    assert!(top.file.as_deref().unwrap().ends_with("programs/crash.c"));
    assert_eq!(
        top.line,
        Some(line_of(&programs_dir().join("crash.c"), "CRASH-LINE"))
    );
    assert_eq!(top.binary.as_deref(), Some(bin.to_str().unwrap()));
    assert!(top.build_id.is_some(), "position-independent frame");
    assert_eq!(exit_of(&r), (None, Some(11)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn inlined_frames_are_their_own_frames() {
    let bin = build_c("crash");
    let r = watch(args(&bin, &["inline"]), 0).await;
    let c = crashes(&r);
    assert_eq!(c.len(), 1, "{:#?}", r.events);
    let src = programs_dir().join("crash.c");
    let f = &c[0].frames;
    assert_eq!(f[0].function.as_deref(), Some("read_counter"), "{f:#?}");
    assert!(f[0].inlined);
    assert_eq!(f[0].line, Some(line_of(&src, "INLINE-LINE")));
    assert_eq!(f[1].function.as_deref(), Some("handle_inline"));
    assert!(!f[1].inlined);
    assert_eq!(f[1].line, Some(line_of(&src, "CALLER-LINE")));
    // Both describe the same machine instruction.
    assert_eq!(f[0].address, f[1].address);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn c_abort_is_a_sigabrt_crash() {
    let bin = build_c("crash");
    let r = watch(args(&bin, &["abort"]), 0).await;
    let c = crashes(&r);
    assert_eq!(c.len(), 1, "{:#?}", r.events);
    assert_eq!(c[0].signal, 6);
    // abort() raises the signal itself: the sender is the process.
    assert_eq!(c[0].sender.as_ref().map(|s| s.pid), Some(r.pid));
    assert!(!c[0].frames.is_empty());
    assert_eq!(exit_of(&r), (None, Some(6)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rust_panic_abort_is_a_sigabrt_crash() {
    let bin = build_rust("panic");
    let r = watch(args(&bin, &[]), 0).await;
    let c = crashes(&r);
    assert_eq!(c.len(), 1, "{:#?}", r.events);
    assert_eq!(c[0].signal, 6);
    assert_eq!(c[0].comm, "panic");
    // The innermost frame is glibc's raise path, symbolized through the indexed libc.
    assert!(c[0].frames[0].function.is_some(), "{:#?}", c[0].frames);
    assert_eq!(exit_of(&r), (None, Some(6)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn integer_division_by_zero_is_a_sigfpe() {
    let bin = build_c("crash");
    let r = watch(args(&bin, &["fpe"]), 0).await;
    let c = crashes(&r);
    assert_eq!(c.len(), 1, "{:#?}", r.events);
    assert_eq!(c[0].signal, 8);
    assert_eq!(c[0].si_code, 1, "FPE_INTDIV");
    assert_eq!(c[0].frames[0].function.as_deref(), Some("divide"));
    assert_eq!(
        c[0].frames[0].line,
        Some(line_of(&programs_dir().join("crash.c"), "FPE-LINE"))
    );
    // For SIGFPE the kernel reports the faulting instruction as the address.
    assert_eq!(Some(c[0].fault_addr), c[0].frames[0].address);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exit_status_is_reported() {
    let bin = build_c("crash");
    let r = watch(args(&bin, &["exit3"]), 0).await;
    assert!(crashes(&r).is_empty());
    assert_eq!(exit_of(&r), (Some(3), None));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_sleep_lands_in_its_bucket_and_is_reported() {
    let bin = build_c("crash");
    let r = watch(args(&bin, &["sleep"]), 100).await;
    // glibc implements nanosleep() with clock_nanosleep.
    let is_sleep = |name: &str| name == "nanosleep" || name == "clock_nanosleep";
    let slow: Vec<_> = r
        .events
        .iter()
        .filter_map(|e| match e {
            Event::SlowSyscall(s) if is_sleep(&s.syscall) => Some(s),
            _ => None,
        })
        .collect();
    assert_eq!(slow.len(), 1, "{:#?}", r.events);
    assert!((200_000_000..400_000_000).contains(&slow[0].latency_ns));
    let agg = r
        .syscalls
        .iter()
        .find(|s| is_sleep(&s.aggregate.syscall))
        .expect("sleep aggregated");
    // 200 ms lies in [2^27, 2^28) ns: log2 bucket 28.
    assert_eq!(agg.aggregate.buckets[28], 1, "{:?}", agg.aggregate.buckets);
    assert!(agg.max_ns >= 1 << 27 && agg.max_ns < 1 << 28);
    // Nothing else of this short program is that slow.
    assert!(
        r.events
            .iter()
            .all(|e| !matches!(e, Event::SlowSyscall(s) if !is_sleep(&s.syscall)))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forbidden_open_is_counted_under_eacces() {
    let bin = build_c("crash");
    let secret = healer_tests::scratch_dir().join("secret");
    std::fs::write(&secret, "root only").unwrap();
    std::fs::set_permissions(&secret, std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap();
    // Drop to nobody so the permission check applies.
    let cmd = vec![
        "setpriv".into(),
        "--reuid=65534".into(),
        "--regid=65534".into(),
        "--clear-groups".into(),
        bin.display().to_string(),
        "eacces".into(),
        secret.display().to_string(),
    ];
    let r = watch(cmd, 0).await;
    let openat = r
        .syscalls
        .iter()
        .find(|s| s.aggregate.syscall == "openat")
        .expect("openat aggregated");
    assert!(
        openat
            .aggregate
            .errnos
            .get(&libc::EACCES)
            .copied()
            .unwrap_or(0)
            >= 1,
        "{openat:?}"
    );
    assert!(openat.aggregate.errors >= 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_from_another_process_names_the_sender() {
    let bin = build_c("crash");
    let mut sensor = KernelSensor::load(&SensorOptions::default()).expect("load");
    let cg = ScratchCgroup::create_unique("test-kill").unwrap();
    sensor.watch(cg.id(), WatchConfig::default()).unwrap();
    let mut child = command_in_cgroup(bin.to_str().unwrap(), &["wait".into()], &cg)
        .unwrap()
        .spawn()
        .unwrap();
    let pid = child.id().unwrap();
    // Wait until it runs (its exec event), then kill it from this process.
    loop {
        let ev = tokio::time::timeout(Duration::from_secs(10), sensor.next_event())
            .await
            .expect("exec event")
            .unwrap();
        if matches!(ev, Event::Exec(ref e) if e.pid == pid) {
            break;
        }
    }
    tokio::time::sleep(Duration::from_millis(50)).await;
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(pid as i32),
        nix::sys::signal::SIGKILL,
    )
    .unwrap();
    child.wait().await.unwrap();
    let crash = loop {
        let ev = tokio::time::timeout(Duration::from_secs(10), sensor.next_event())
            .await
            .expect("crash event")
            .unwrap();
        if let Event::Crash(c) = ev {
            break c;
        }
    };
    assert_eq!(crash.signal, 9);
    let sender = crash.sender.expect("sender recorded");
    assert_eq!(sender.pid, std::process::id());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn other_cgroups_produce_nothing() {
    let bin = build_c("crash");
    let mut sensor = KernelSensor::load(&SensorOptions::default()).expect("load");
    let watched = ScratchCgroup::create_unique("test-watched").unwrap();
    let other = ScratchCgroup::create_unique("test-other").unwrap();
    sensor
        .watch(watched.id(), WatchConfig { slow_syscall_ns: 1 })
        .unwrap();
    // A crash, an exit and many (slow-by-threshold) syscalls, all in the unwatched cgroup.
    for mode in ["segv", "exit3", "sleep"] {
        command_in_cgroup(bin.to_str().unwrap(), &[mode.into()], &other)
            .unwrap()
            .status()
            .await
            .unwrap();
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(
        sensor.try_next_event().is_none(),
        "events leaked from another cgroup"
    );
    assert!(sensor.syscall_stats(other.id()).unwrap().is_empty());
    assert!(sensor.syscall_stats(watched.id()).unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ring_overflow_is_counted_and_the_sensor_keeps_working() {
    let bin = build_c("crash");
    // The smallest ring (one page) and a 1 ns threshold: every syscall wants a ring event.
    let mut sensor = KernelSensor::load(&SensorOptions {
        ring_bytes: 4096,
        ..SensorOptions::default()
    })
    .expect("load");
    let cg = ScratchCgroup::create_unique("test-flood").unwrap();
    sensor
        .watch(cg.id(), WatchConfig { slow_syscall_ns: 1 })
        .unwrap();
    // Do not read while flooding: the ring must overflow.
    command_in_cgroup(
        bin.to_str().unwrap(),
        &["flood".into(), "100000".into()],
        &cg,
    )
    .unwrap()
    .status()
    .await
    .unwrap();
    let lost = sensor.lost().unwrap();
    assert!(lost.ring_full > 0, "{lost:?}");
    let mut drained = 0;
    while sensor.try_next_event().is_some() {
        drained += 1;
    }
    assert!(drained > 0);
    // Still sensing: a crash after the flood arrives and is symbolized.
    sensor
        .watch(cg.id(), WatchConfig { slow_syscall_ns: 0 })
        .unwrap();
    command_in_cgroup(bin.to_str().unwrap(), &["segv".into()], &cg)
        .unwrap()
        .status()
        .await
        .unwrap();
    let crash = loop {
        let ev = tokio::time::timeout(Duration::from_secs(10), sensor.next_event())
            .await
            .expect("crash after flood")
            .unwrap();
        if let Event::Crash(c) = ev {
            break c;
        }
    };
    assert_eq!(
        crash.frames.first().and_then(|f| f.function.as_deref()),
        Some("level3")
    );
    assert_eq!(sensor.decode_errors(), 0);
}

#[test]
fn healerd_watch_prints_json_lines() {
    let bin = build_c("crash");
    let out = std::process::Command::new(healerd_bin())
        .args(["watch", "--json", "--"])
        .arg(&bin)
        .arg("segv")
        .output()
        .expect("run healerd");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    let crash = lines
        .iter()
        .find(|v| v["kind"] == "crash")
        .expect("crash line");
    assert_eq!(crash["signal"], 11);
    assert!(crash["pid"].as_u64().unwrap() > 0);
    assert_eq!(crash["frames"][0]["function"], "level3");
    assert!(
        crash["frames"][0]["file"]
            .as_str()
            .unwrap()
            .ends_with("crash.c")
    );
    assert!(crash["frames"][0]["line"].as_u64().unwrap() > 0);
    let exit = lines
        .iter()
        .find(|v| v["kind"] == "exit")
        .expect("exit line");
    assert_eq!(exit["signal"], 11);
    let summary = lines.last().unwrap();
    assert_eq!(summary["kind"], "summary");
    assert_eq!(summary["lost"]["ring_full"], 0);
    assert_eq!(summary["crashes"], 1);
    assert_eq!(summary["exits"], 1);
}

#[test]
fn healerd_without_privileges_says_what_is_missing() {
    let out = std::process::Command::new("setpriv")
        .args([
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
            "--inh-caps=-all",
        ])
        .arg(healerd_bin())
        .args(["watch", "--", "true"])
        .output()
        .expect("run healerd as nobody");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    assert!(err.contains("missing: privileges"), "{err}");
    assert!(!err.contains("panicked"));
}

/// A memory-limited cgroup for the OOM test: cgroup v2 `memory.max` where the unified
/// hierarchy has the memory controller, else a v1 `memory` cgroup (hybrid hosts).
struct MemoryLimit {
    dir: std::path::PathBuf,
}

impl MemoryLimit {
    fn new(watched: &ScratchCgroup, bytes: u64) -> Option<Self> {
        let v2_controllers = watched
            .path()
            .parent()
            .map(|p| p.join("cgroup.controllers"))
            .and_then(|p| std::fs::read_to_string(p).ok())
            .unwrap_or_default();
        if v2_controllers.split_whitespace().any(|c| c == "memory") {
            std::fs::write(watched.path().join("memory.max"), bytes.to_string()).ok()?;
            std::fs::write(watched.path().join("memory.swap.max"), "0").ok();
            return Some(Self {
                dir: watched.path().to_path_buf(),
            });
        }
        let v1 = std::path::Path::new("/sys/fs/cgroup/memory");
        if !v1.join("cgroup.procs").exists() {
            return None;
        }
        let dir = v1.join(format!("healer-test-oom-{}", std::process::id()));
        std::fs::create_dir_all(&dir).ok()?;
        std::fs::write(dir.join("memory.limit_in_bytes"), bytes.to_string()).ok()?;
        std::fs::write(dir.join("memory.memsw.limit_in_bytes"), bytes.to_string()).ok();
        Some(Self { dir })
    }

    fn add(&self, pid: u32) {
        std::fs::write(self.dir.join("cgroup.procs"), pid.to_string()).expect("join memory cgroup");
    }
}

impl Drop for MemoryLimit {
    fn drop(&mut self) {
        if self.dir.starts_with("/sys/fs/cgroup/memory") {
            let _ = std::fs::remove_dir(&self.dir);
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oom_kill_is_reported() {
    use tokio::io::AsyncWriteExt;
    let bin = build_c("crash");
    let mut sensor = KernelSensor::load(&SensorOptions::default()).expect("load");
    let cg = ScratchCgroup::create_unique("test-oom").unwrap();
    let Some(limit) = MemoryLimit::new(&cg, 64 << 20) else {
        eprintln!("no memory controller to limit a cgroup with; skipping");
        return;
    };
    sensor.watch(cg.id(), WatchConfig::default()).unwrap();
    let mut child = command_in_cgroup(bin.to_str().unwrap(), &["hog".into()], &cg)
        .unwrap()
        .stdin(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id().unwrap();
    limit.add(pid);
    child.stdin.take().unwrap().write_all(b"g").await.unwrap();
    let status = tokio::time::timeout(Duration::from_secs(30), child.wait())
        .await
        .expect("the OOM killer acts within 30 s")
        .unwrap();
    assert_eq!(
        std::os::unix::process::ExitStatusExt::signal(&status),
        Some(9)
    );
    let mut oom = None;
    let mut exit = None;
    while oom.is_none() || exit.is_none() {
        let ev = tokio::time::timeout(Duration::from_secs(10), sensor.next_event())
            .await
            .expect("oom and exit events")
            .unwrap();
        match ev {
            Event::Oom(o) if o.pid == pid => oom = Some(o),
            Event::Exit(e) if e.pid == pid => exit = Some(e),
            _ => {}
        }
    }
    let oom = oom.unwrap();
    assert_eq!(oom.comm, "crash");
    assert_eq!(exit.unwrap().signal, Some(9));
}
