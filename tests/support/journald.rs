//! A private systemd-journald for tests, following `shared/notes/systemd-sandbox.md`:
//! `unshare --mount --propagation private`, private directories bind-mounted over
//! `/run/systemd` and `/run/log` and a test `journald.conf` over `/etc/systemd/journald.conf`,
//! all inside that namespace only; the host's mounts are never touched. journald alone
//! adopts no cgroups, so the "never from the root cgroup" rule (for the manager) does not
//! arise here. Needs root (mount namespaces and bind mounts).
//!
//! Seen from outside the namespace, the socket is `<root>/rsd/journal/socket` and the
//! journal files are under `<root>/jrun/journal`.
use std::{
    fs,
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    thread,
    time::{Duration, Instant, SystemTime, UNIX_EPOCH},
};

const JOURNALD: &str = "/lib/systemd/systemd-journald";

/// A running private journald. Dropping it kills journald and removes its directories, also
/// when the test panicked.
pub struct PrivateJournald {
    root: PathBuf,
    child: Child,
}

impl PrivateJournald {
    /// Start journald and wait for its socket (up to 10 s).
    pub fn start() -> Result<Self, String> {
        if !Path::new(JOURNALD).exists() {
            return Err(format!("{JOURNALD} not installed"));
        }
        // Unique per test even within one process: pid plus a timestamp in nanoseconds.
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let root =
            std::env::temp_dir().join(format!("healer-journald-{}-{nanos}", std::process::id()));
        let mk = |p: &Path| fs::create_dir_all(p).map_err(|e| format!("{}: {e}", p.display()));
        mk(&root.join("rsd"))?;
        mk(&root.join("jrun"))?;
        let conf = root.join("journald.conf");
        // volatile: files under /run/log/journal (our jrun); no kmsg; no rate limit, or a busy
        // test could lose entries and the failure would look like a writer bug.
        fs::write(
            &conf,
            "[Journal]\nStorage=volatile\nReadKMsg=no\nRateLimitBurst=0\nForwardToSyslog=no\nForwardToWall=no\n",
        )
        .map_err(|e| format!("{}: {e}", conf.display()))?;
        let log = fs::File::create(root.join("journald.log")).map_err(|e| e.to_string())?;
        let log2 = log.try_clone().map_err(|e| e.to_string())?;
        // `exec` makes the child's pid journald's own, so killing the child ends journald, and
        // with it the mount namespace.
        let script = "set -e
            mount --bind \"$1\" /run/systemd
            mount --bind \"$2\" /run/log
            mount --bind \"$3\" /etc/systemd/journald.conf
            mkdir -p /run/systemd/journal
            exec \"$4\"";
        let child = Command::new("unshare")
            .args([
                "--mount",
                "--propagation",
                "private",
                "--",
                "sh",
                "-c",
                script,
                "sh",
            ])
            .arg(root.join("rsd"))
            .arg(root.join("jrun"))
            .arg(&conf)
            .arg(JOURNALD)
            .stdin(Stdio::null())
            .stdout(log)
            .stderr(log2)
            .spawn()
            .map_err(|e| format!("spawn unshare: {e}"))?;
        let mut j = Self { root, child };
        let deadline = Instant::now() + Duration::from_secs(10);
        while !j.socket().exists() {
            if let Ok(Some(status)) = j.child.try_wait() {
                return Err(format!("journald exited ({status}): {}", j.log()));
            }
            if Instant::now() > deadline {
                return Err(format!("journald socket did not appear: {}", j.log()));
            }
            thread::sleep(Duration::from_millis(20));
        }
        Ok(j)
    }

    /// The native-protocol socket, as seen from outside the namespace.
    pub fn socket(&self) -> PathBuf {
        self.root.join("rsd/journal/socket")
    }

    /// The directory for `journalctl --directory`.
    pub fn journal_dir(&self) -> PathBuf {
        self.root.join("jrun/journal")
    }

    /// journald's own output, for failure messages.
    pub fn log(&self) -> String {
        fs::read_to_string(self.root.join("journald.log")).unwrap_or_default()
    }

    /// `journalctl -o json --all` with `matches` (`FIELD=value`), one JSON object per entry.
    pub fn query(&self, matches: &[&str]) -> Result<Vec<serde_json::Value>, String> {
        let out = Command::new("journalctl")
            .arg(format!("--directory={}", self.journal_dir().display()))
            .args(["-o", "json", "--all", "--no-pager"])
            .args(matches)
            .output()
            .map_err(|e| format!("run journalctl: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "journalctl failed: {}",
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| serde_json::from_str(l).map_err(|e| format!("{e}: {l}")))
            .collect()
    }

    /// Poll [`query`](Self::query) until it returns at least `count` entries (journald writes
    /// asynchronously to what it received) or `timeout` passes; returns the last result.
    pub fn wait_for(
        &self,
        matches: &[&str],
        count: usize,
        timeout: Duration,
    ) -> Result<Vec<serde_json::Value>, String> {
        let deadline = Instant::now() + timeout;
        loop {
            // journalctl fails until journald has created its first file: retry until then.
            let got = self.query(matches);
            match got {
                Ok(v) if v.len() >= count => return Ok(v),
                other if Instant::now() > deadline => {
                    return other.map_err(|e| format!("{e}; journald log: {}", self.log()));
                }
                _ => thread::sleep(Duration::from_millis(50)),
            }
        }
    }
}

impl Drop for PrivateJournald {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = fs::remove_dir_all(&self.root);
    }
}
