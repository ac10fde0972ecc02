//! Sandboxed validation: a private copy of the repository, commands run with
//! per-step timeouts in their own process group, without network where the
//! platform allows it.

use std::collections::HashMap;
use std::io::Read;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use super::RepairError;
use super::evidence::{TestOutcomes, test_outcomes};
use super::synth::Candidate;

/// Result of one command run in the sandbox.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StepResult {
    pub step: String,
    pub command: String,
    /// Exit code; None when killed by a signal or the timeout.
    pub exit_code: Option<i32>,
    pub timed_out: bool,
    pub duration_s: f64,
    /// The combined stdout+stderr (truncated to the last 64 KiB).
    #[serde(skip)]
    pub output: String,
}

impl StepResult {
    pub fn ok(&self) -> bool {
        self.exit_code == Some(0) && !self.timed_out
    }
}

/// How commands are isolated from the network.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum NetIsolation {
    /// `unshare --net`: a private network namespace with only loopback.
    Namespace,
    /// Not available (not root, or no unshare): commands run with the host network.
    None,
}

impl NetIsolation {
    /// Probe once: can we create a network namespace here?
    pub fn probe() -> NetIsolation {
        // SAFETY: geteuid has no preconditions.
        let root = unsafe { libc::geteuid() } == 0;
        if !root {
            return NetIsolation::None;
        }
        let ok = Command::new("unshare")
            .args(["--net", "--", "true"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if ok {
            NetIsolation::Namespace
        } else {
            NetIsolation::None
        }
    }
}

/// A private working copy of the repository.
pub struct Sandbox {
    _dir: tempfile::TempDir,
    pub root: PathBuf,
    /// Original contents of files changed by the current candidate.
    touched: HashMap<PathBuf, String>,
    /// Pristine contents of files changed by committed (kept) edits.
    committed: HashMap<PathBuf, String>,
    pub net: NetIsolation,
    env: Vec<(String, String)>,
}

impl Sandbox {
    /// Copy `repo` (minus VCS data) into a fresh temporary directory.
    pub fn create(repo: &Path, net: NetIsolation) -> Result<Sandbox, RepairError> {
        let dir = tempfile::Builder::new()
            .prefix("healer-repair-")
            .tempdir()
            .map_err(|e| RepairError::io("creating sandbox directory", e))?;
        let root = dir.path().join("repo");
        copy_tree(repo, &root)?;
        let env = vec![
            // Stale bytecode could mask a same-size, same-second edit.
            ("PYTHONDONTWRITEBYTECODE".into(), "1".into()),
            // Dump Python stacks on SIGABRT (sent on timeout): evidence for hangs.
            ("PYTHONFAULTHANDLER".into(), "1".into()),
            (
                "CARGO_TARGET_DIR".into(),
                root.join("target").display().to_string(),
            ),
            ("CARGO_TERM_COLOR".into(), "never".into()),
            ("NO_COLOR".into(), "1".into()),
            ("NODE_DISABLE_COLORS".into(), "1".into()),
            // Backtraces give the localizer the callers of a panic.
            ("RUST_BACKTRACE".into(), "1".into()),
            (
                "ASAN_OPTIONS".into(),
                "abort_on_error=0:detect_leaks=0:symbolize=1".into(),
            ),
        ];
        Ok(Sandbox {
            _dir: dir,
            root,
            touched: HashMap::new(),
            committed: HashMap::new(),
            net,
            env,
        })
    }

    /// Apply a candidate, remembering the original text for [`Sandbox::reset`].
    pub fn apply(&mut self, cand: &Candidate, original: &str) -> Result<(), RepairError> {
        let path = self.root.join(&cand.file);
        self.touched
            .entry(cand.file.clone())
            .or_insert_with(|| original.to_string());
        std::fs::write(&path, cand.apply(original))
            .map_err(|e| RepairError::io(format!("writing {}", path.display()), e))
    }

    /// Restore every file changed since the last reset; build outputs stay, so
    /// the next candidate's build is incremental.
    pub fn reset(&mut self) -> Result<(), RepairError> {
        for (rel, text) in self.touched.drain() {
            let path = self.root.join(&rel);
            std::fs::write(&path, text)
                .map_err(|e| RepairError::io(format!("restoring {}", path.display()), e))?;
        }
        Ok(())
    }

    /// Keep the current candidate's edits: later resets no longer revert them.
    pub fn commit(&mut self) {
        for (rel, text) in self.touched.drain() {
            self.committed.entry(rel).or_insert(text);
        }
    }

    /// Files changed by committed edits: (path, pristine text, current text).
    pub fn committed_changes(&self) -> Result<Vec<(PathBuf, String, String)>, RepairError> {
        let mut out = Vec::new();
        for (rel, old) in &self.committed {
            let path = self.root.join(rel);
            let new = std::fs::read_to_string(&path)
                .map_err(|e| RepairError::io(format!("reading {}", path.display()), e))?;
            out.push((rel.clone(), old.clone(), new));
        }
        out.sort();
        Ok(out)
    }

    /// Re-run a hanging command and sample the stacks of its busy processes.
    pub fn probe_hang(
        &self,
        command: &str,
        limit: Duration,
    ) -> (super::evidence::Evidence, String) {
        super::hang::probe(&self.root, command, limit, self.net, &self.env)
    }

    /// Run a shell command in the sandbox with a timeout.
    pub fn run(
        &self,
        step: &str,
        command: &str,
        timeout: Duration,
    ) -> Result<StepResult, RepairError> {
        run_command(&self.root, step, command, timeout, self.net, &self.env)
    }
}

/// Copy a directory tree, skipping `.git` and build outputs of the source (they
/// may be huge and belong to another path).
pub fn copy_tree(from: &Path, to: &Path) -> Result<(), RepairError> {
    std::fs::create_dir_all(to)
        .map_err(|e| RepairError::io(format!("creating {}", to.display()), e))?;
    let rd = std::fs::read_dir(from)
        .map_err(|e| RepairError::io(format!("reading {}", from.display()), e))?;
    for entry in rd {
        let entry = entry.map_err(|e| RepairError::io(format!("reading {}", from.display()), e))?;
        let name = entry.file_name();
        if name == ".git" || name == "target" || name == "__pycache__" {
            continue;
        }
        let src = entry.path();
        let dst = to.join(&name);
        let ft = entry
            .file_type()
            .map_err(|e| RepairError::io(format!("stat {}", src.display()), e))?;
        if ft.is_dir() {
            copy_tree(&src, &dst)?;
        } else if ft.is_symlink() {
            let target = std::fs::read_link(&src)
                .map_err(|e| RepairError::io(format!("readlink {}", src.display()), e))?;
            std::os::unix::fs::symlink(&target, &dst)
                .map_err(|e| RepairError::io(format!("symlink {}", dst.display()), e))?;
        } else {
            std::fs::copy(&src, &dst)
                .map_err(|e| RepairError::io(format!("copying {}", src.display()), e))?;
        }
    }
    Ok(())
}

const OUTPUT_LIMIT: usize = 64 * 1024;

/// `sh -c command`, in a private network namespace when `net` says so.
pub fn shell_command(command: &str, net: NetIsolation) -> Command {
    match net {
        NetIsolation::Namespace => {
            let mut c = Command::new("unshare");
            // Bring loopback up so services under test can still talk to themselves.
            c.args([
                "--net",
                "--",
                "sh",
                "-c",
                "ip link set lo up 2>/dev/null; eval \"$HEALER_STEP_COMMAND\"",
            ]);
            c.env("HEALER_STEP_COMMAND", command);
            c
        }
        NetIsolation::None => {
            let mut c = Command::new("sh");
            c.args(["-c", command]);
            c
        }
    }
}

/// Run `sh -c command` in its own process group; kill the whole group on timeout.
pub fn run_command(
    cwd: &Path,
    step: &str,
    command: &str,
    timeout: Duration,
    net: NetIsolation,
    env: &[(String, String)],
) -> Result<StepResult, RepairError> {
    let mut cmd = shell_command(command, net);
    cmd.current_dir(cwd)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let start = Instant::now();
    let mut child = cmd
        .spawn()
        .map_err(|e| RepairError::io(format!("spawning `{command}`"), e))?;
    let pgid = child.id() as i32;
    // Drain both pipes on threads so a chatty test cannot block on a full pipe.
    let mut out = child.stdout.take().expect("piped stdout");
    let mut err = child.stderr.take().expect("piped stderr");
    let t_out = std::thread::spawn(move || {
        let mut b = Vec::new();
        let _ = out.read_to_end(&mut b);
        b
    });
    let t_err = std::thread::spawn(move || {
        let mut b = Vec::new();
        let _ = err.read_to_end(&mut b);
        b
    });
    let mut timed_out = false;
    let status = loop {
        match child.try_wait() {
            Ok(Some(s)) => break Some(s),
            Ok(None) => {}
            Err(e) => return Err(RepairError::io(format!("waiting for `{command}`"), e)),
        }
        if start.elapsed() >= timeout {
            timed_out = true;
            // SIGABRT first: runtimes with a fault handler (Python with
            // PYTHONFAULTHANDLER) print where they were stuck, which is the
            // only evidence a hang leaves. Then SIGKILL the whole group.
            // SAFETY: kill(2) on our own child's process group.
            unsafe {
                libc::kill(-pgid, libc::SIGABRT);
            }
            std::thread::sleep(Duration::from_millis(300));
            // SAFETY: as above.
            unsafe {
                libc::kill(-pgid, libc::SIGKILL);
            }
            break child.wait().ok();
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    // Grandchildren that escaped into the group still hold the pipes; make sure they die.
    // SAFETY: as above; ESRCH when the group is already gone is harmless.
    unsafe {
        libc::kill(-pgid, libc::SIGKILL);
    }
    let mut output = String::from_utf8_lossy(&t_out.join().unwrap_or_default()).into_owned();
    output.push_str(&String::from_utf8_lossy(&t_err.join().unwrap_or_default()));
    if output.len() > OUTPUT_LIMIT {
        let cut = output.len() - OUTPUT_LIMIT;
        let cut = (cut..output.len())
            .find(|i| output.is_char_boundary(*i))
            .unwrap_or(cut);
        output = output[cut..].to_string();
    }
    Ok(StepResult {
        step: step.to_string(),
        command: command.to_string(),
        exit_code: if timed_out {
            None
        } else {
            status.and_then(|s| s.code())
        },
        timed_out,
        duration_s: start.elapsed().as_secs_f64(),
        output,
    })
}

/// The unpatched project's behaviour, recorded once before repairing.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Baseline {
    pub build: Option<StepResult>,
    pub test: StepResult,
    pub outcomes: TestOutcomes,
}

/// Validation verdict for one candidate.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Verdict {
    pub plausible: bool,
    pub steps: Vec<StepResult>,
    /// Tests that passed on the unpatched copy and fail with the candidate.
    pub broke: Vec<String>,
    /// Failing tests of the baseline that now pass.
    pub fixed: Vec<String>,
    /// Fixes some failing tests, breaks none, and no new test fails: worth
    /// keeping while the remaining failures are repaired (several faults).
    pub partial: bool,
    /// Per-test results with the candidate applied.
    pub now: TestOutcomes,
    pub reason: String,
}

/// The plug-in point for validation strategies.
pub trait Validator {
    fn validate(&mut self, cand: &Candidate, original: &str) -> Result<Verdict, RepairError>;
}

/// Validates candidates in one reused sandbox: apply, build, test, reset.
pub struct SandboxValidator<'a> {
    pub sandbox: &'a mut Sandbox,
    pub build: Option<&'a str>,
    pub test: &'a str,
    pub baseline: Baseline,
    pub step_timeout: Duration,
}

impl Validator for SandboxValidator<'_> {
    fn validate(&mut self, cand: &Candidate, original: &str) -> Result<Verdict, RepairError> {
        self.sandbox.apply(cand, original)?;
        let verdict = self.check();
        self.sandbox.reset()?;
        verdict
    }
}

impl SandboxValidator<'_> {
    fn check(&mut self) -> Result<Verdict, RepairError> {
        let mut steps = Vec::new();
        if let Some(b) = self.build {
            let r = self.sandbox.run("build", b, self.step_timeout)?;
            let ok = r.ok();
            steps.push(r);
            if !ok {
                return Ok(Verdict {
                    plausible: false,
                    steps,
                    broke: vec![],
                    fixed: vec![],
                    partial: false,
                    now: TestOutcomes::default(),
                    reason: "build failed".into(),
                });
            }
        }
        // The test command is the failure's replay and the regression suite at
        // once: the baseline recorded which tests failed (the replay targets)
        // and which passed (the regression set).
        let r = self.sandbox.run("test", self.test, self.step_timeout)?;
        let now = test_outcomes(&r.output);
        let broke: Vec<String> = self
            .baseline
            .outcomes
            .passed
            .iter()
            .filter(|t| now.failed.contains(*t))
            .cloned()
            .collect();
        let fixed: Vec<String> = self
            .baseline
            .outcomes
            .failed
            .iter()
            .filter(|t| !now.failed.contains(*t))
            .cloned()
            .collect();
        let passed = r.ok();
        let reason = if r.timed_out {
            "test suite timed out".to_string()
        } else if !broke.is_empty() {
            format!("broke previously passing tests: {}", broke.join(", "))
        } else if !passed {
            let still: Vec<&String> = now.failed.iter().take(5).collect();
            if still.is_empty() {
                "test suite still fails".to_string()
            } else {
                format!(
                    "still failing: {}",
                    still
                        .iter()
                        .map(|s| s.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            }
        } else {
            "builds, failure gone, no previously passing test broken".to_string()
        };
        let partial = !passed
            && !r.timed_out
            && broke.is_empty()
            && !fixed.is_empty()
            // Tests must actually have run: a build error lists no test at all.
            && !now.failed.is_empty()
            && now.failed.is_subset(&self.baseline.outcomes.failed);
        steps.push(r);
        Ok(Verdict {
            plausible: passed && broke.is_empty(),
            steps,
            broke,
            fixed,
            partial,
            now,
            reason,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timeout_kills_the_whole_process_group() {
        let dir = tempfile::tempdir().unwrap();
        let start = Instant::now();
        let r = run_command(
            dir.path(),
            "t",
            "sleep 30 & sleep 30; echo never",
            Duration::from_millis(300),
            NetIsolation::None,
            &[],
        )
        .unwrap();
        assert!(r.timed_out);
        assert!(!r.ok());
        // The backgrounded sleep holds stdout; returning quickly proves it was killed too.
        assert!(start.elapsed() < Duration::from_secs(5));
    }

    #[test]
    fn exit_codes_and_output_are_captured() {
        let dir = tempfile::tempdir().unwrap();
        let r = run_command(
            dir.path(),
            "t",
            "echo out; echo err >&2; exit 3",
            Duration::from_secs(10),
            NetIsolation::None,
            &[],
        )
        .unwrap();
        assert_eq!(r.exit_code, Some(3));
        assert!(r.output.contains("out") && r.output.contains("err"));
        let r = run_command(
            dir.path(),
            "t",
            "definitely-not-a-command-xyz",
            Duration::from_secs(10),
            NetIsolation::None,
            &[],
        )
        .unwrap();
        assert_eq!(r.exit_code, Some(127));
    }

    #[test]
    fn network_namespace_has_no_route_out() {
        if NetIsolation::probe() != NetIsolation::Namespace {
            return; // Not root or no unshare here: isolation is documented as best effort.
        }
        let dir = tempfile::tempdir().unwrap();
        let r = run_command(
            dir.path(),
            "t",
            "cat /proc/net/route | wc -l",
            Duration::from_secs(10),
            NetIsolation::Namespace,
            &[],
        )
        .unwrap();
        // Only the header line: no routes inside the namespace.
        assert_eq!(r.output.trim(), "1");
    }

    #[test]
    fn sandbox_apply_and_reset_leave_the_source_untouched() {
        let repo = tempfile::tempdir().unwrap();
        std::fs::write(repo.path().join("a.py"), "x = 1\n").unwrap();
        std::fs::create_dir(repo.path().join(".git")).unwrap();
        let mut sb = Sandbox::create(repo.path(), NetIsolation::None).unwrap();
        assert!(!sb.root.join(".git").exists());
        let cand = Candidate {
            file: "a.py".into(),
            edit: super::super::synth::Edit {
                start: 4,
                end: 5,
                text: "2".into(),
            },
            template: "t".into(),
            description: String::new(),
            prior: 1.0,
            site_rank: 0,
            score: 1.0,
        };
        sb.apply(&cand, "x = 1\n").unwrap();
        assert_eq!(
            std::fs::read_to_string(sb.root.join("a.py")).unwrap(),
            "x = 2\n"
        );
        sb.reset().unwrap();
        assert_eq!(
            std::fs::read_to_string(sb.root.join("a.py")).unwrap(),
            "x = 1\n"
        );
        assert_eq!(
            std::fs::read_to_string(repo.path().join("a.py")).unwrap(),
            "x = 1\n"
        );
    }
}
