//! Running the real `healerd run` and `healerctl` of this build against a sandbox.
use std::{
    path::{Path, PathBuf},
    process::{Child, Command, Output, Stdio},
    sync::OnceLock,
    time::{Duration, Instant},
};

use healer_daemon::sandbox::Sandbox;
use serde_json::Value;

/// `healerd` and `healerctl` of this build, built once (tests run from
/// `target/<profile>/deps`).
pub fn bins() -> &'static (PathBuf, PathBuf) {
    static BINS: OnceLock<(PathBuf, PathBuf)> = OnceLock::new();
    BINS.get_or_init(|| {
        let exe = std::env::current_exe().expect("current exe");
        let dir = exe
            .parent()
            .and_then(Path::parent)
            .expect("target/<profile>");
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let mut cmd = Command::new(cargo);
        cmd.args(["build", "-p", "healer-daemon", "--bins"]);
        if dir.ends_with("release") {
            cmd.arg("--release");
        }
        let status = cmd.status().expect("run cargo build");
        assert!(status.success(), "building healerd and healerctl failed");
        (dir.join("healerd"), dir.join("healerctl"))
    })
}

/// Writes `healer.toml` for the sandbox: session bus, its journald (socket and directory),
/// a state directory under the sandbox.
pub fn write_daemon_config(sb: &Sandbox) -> PathBuf {
    let state = sb.root().join("state");
    std::fs::write(
        sb.config_dir().join("healer.toml"),
        format!(
            "bus = \"session\"\nstate_dir = \"{}\"\njournal_socket = \"{}\"\n\
             journal_directory = \"{}\"\n",
            state.display(),
            sb.journal_socket().display(),
            sb.journal_dir().display(),
        ),
    )
    .expect("write healer.toml");
    state
}

/// A running `healerd run`; stopped with SIGTERM when dropped.
pub struct Healerd {
    child: Child,
    log: PathBuf,
}

impl Healerd {
    pub fn start(sb: &Sandbox) -> Self {
        let log = sb.root().join("healerd.log");
        let out = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&log)
            .expect("healerd log");
        let child = Command::new(&bins().0)
            .arg("run")
            .arg("--config-dir")
            .arg(sb.config_dir())
            .args(["--stats-interval-s", "1"])
            .envs(sb.env())
            .env("HEALER_LOG", "info")
            .stdout(out.try_clone().unwrap())
            .stderr(out)
            .spawn()
            .expect("start healerd");
        Self { child, log }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    pub fn assert_running(&mut self) {
        if let Ok(Some(status)) = self.child.try_wait() {
            panic!("healerd exited ({status}):\n{}", self.log());
        }
    }

    /// SIGKILL: no chance to clean up, as in a crash or an OOM kill.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// SIGTERM and wait; returns the exit status' success.
    pub fn stop(&mut self) -> bool {
        let pid = nix::unistd::Pid::from_raw(self.child.id() as i32);
        let _ = nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGTERM);
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                return status.success();
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        false
    }
}

impl Drop for Healerd {
    fn drop(&mut self) {
        self.stop();
    }
}

/// `healerctl ARGS --bus <sandbox bus>` as root.
pub fn healerctl(sb: &Sandbox, args: &[&str]) -> Output {
    Command::new(&bins().1)
        .args(args)
        .arg("--bus")
        .arg(sb.bus_address())
        .stdin(Stdio::null())
        .output()
        .expect("run healerctl")
}

pub fn json_of(out: &Output) -> Value {
    assert!(
        out.status.success(),
        "healerctl failed ({}): {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

/// `healerctl incidents --json` as a list (empty while healerd is not answering yet).
pub fn incidents(sb: &Sandbox) -> Vec<Value> {
    let out = healerctl(sb, &["incidents", "--json"]);
    if !out.status.success() {
        return Vec::new();
    }
    match serde_json::from_slice::<Value>(&out.stdout) {
        Ok(Value::Array(v)) => v,
        Ok(Value::Object(o)) => o
            .get("incidents")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default(),
        _ => Vec::new(),
    }
}

/// The journal entries of the sandbox matching `matches` (`FIELD=value`).
pub fn journal(sb: &Sandbox, matches: &[&str]) -> Vec<Value> {
    let out = Command::new("journalctl")
        .arg(format!("--directory={}", sb.journal_dir().display()))
        .args(["-o", "json", "--no-pager", "-q"])
        .args(matches)
        .output()
        .expect("run journalctl");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect()
}

/// Polls `f` every 200 ms until it returns `Some`, failing with `what` and healerd's log after
/// `wait`.
pub fn wait_for<T>(
    what: &str,
    d: &mut Healerd,
    wait: Duration,
    mut f: impl FnMut() -> Option<T>,
) -> T {
    let deadline = Instant::now() + wait;
    loop {
        if let Some(v) = f() {
            return v;
        }
        d.assert_running();
        assert!(
            Instant::now() < deadline,
            "timed out waiting for {what}; healerd log:\n{}",
            d.log()
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}
