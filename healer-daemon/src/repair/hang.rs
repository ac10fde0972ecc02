//! Evidence for hangs: a test that loops forever leaves no traceback, only a
//! timeout. [`probe`] re-runs the test command and, while it runs, samples the
//! stacks of the processes that are burning CPU: native programs (C, Rust)
//! through `gdb -p PID -batch` (non-destructive), Python through SIGABRT with
//! `PYTHONFAULTHANDLER=1` set (it dumps every thread's stack before dying).
//! The samples are parsed by the ordinary evidence parsers and marked `hang`.

use std::collections::HashMap;
use std::io::Read;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::evidence::{self, Evidence};
use super::validate::{NetIsolation, shell_command};

/// Does a baseline run look like a hang (killed on timeout, `timeout(1)`'s exit
/// status, or a test that reported it did not finish in time)?
pub fn looks_like_hang(timed_out: bool, exit_code: Option<i32>, output: &str) -> bool {
    if timed_out || exit_code == Some(124) {
        return true;
    }
    let lower = output.to_lowercase();
    [
        "did not finish",
        "timed out",
        "timeout",
        "error 124",
        "has been running for over",
    ]
    .iter()
    .any(|w| lower.contains(w))
}

/// One process seen while probing.
#[derive(Debug, Clone)]
struct Proc {
    ppid: i32,
    /// utime + stime in clock ticks.
    cpu_ticks: u64,
    exe: String,
}

fn read_proc(pid: i32) -> Option<Proc> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name may contain spaces and parentheses: fields follow the last ')'.
    let rest = &stat[stat.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ppid = f.get(1)?.parse().ok()?;
    let cpu_ticks = f.get(11)?.parse::<u64>().ok()? + f.get(12)?.parse::<u64>().ok()?;
    let exe = std::fs::read_link(format!("/proc/{pid}/exe"))
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_default();
    Some(Proc {
        ppid,
        cpu_ticks,
        exe,
    })
}

/// Every live descendant of `root` (by parent pid: `timeout(1)` and test
/// runners move children into other process groups).
fn descendants(root: i32) -> HashMap<i32, Proc> {
    let mut all = HashMap::new();
    if let Ok(rd) = std::fs::read_dir("/proc") {
        for e in rd.flatten() {
            if let Some(pid) = e.file_name().to_str().and_then(|s| s.parse::<i32>().ok())
                && let Some(p) = read_proc(pid)
            {
                all.insert(pid, p);
            }
        }
    }
    let mut out = HashMap::new();
    let mut frontier = vec![root];
    while let Some(parent) = frontier.pop() {
        for (pid, p) in &all {
            if p.ppid == parent && !out.contains_key(pid) {
                out.insert(*pid, p.clone());
                frontier.push(*pid);
            }
        }
    }
    out
}

fn gdb_available() -> bool {
    Command::new("gdb")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// `gdb -p PID -batch -ex 'thread apply all bt'`, bounded in time.
fn native_stack(pid: i32, timeout: Duration) -> String {
    let Ok(mut child) = Command::new("gdb")
        .args(["-p", &pid.to_string(), "-batch", "-nx"])
        .args(["-ex", "set pagination off", "-ex", "thread apply all bt"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
    else {
        return String::new();
    };
    let mut out = child.stdout.take().expect("piped stdout");
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = out.read_to_string(&mut s);
        s
    });
    let start = Instant::now();
    loop {
        if let Ok(Some(_)) = child.try_wait() {
            break;
        }
        if start.elapsed() > timeout {
            let _ = child.kill();
            let _ = child.wait();
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    reader.join().unwrap_or_default()
}

/// How long a process must have been busy before it is sampled.
const BUSY_AFTER: Duration = Duration::from_millis(1000);

/// Re-run `command` and sample the stacks of busy processes; returns the
/// parsed evidence (every failure's kind set to `hang`) and the raw text.
pub fn probe(
    cwd: &Path,
    command: &str,
    limit: Duration,
    net: NetIsolation,
    env: &[(String, String)],
) -> (Evidence, String) {
    let mut cmd = shell_command(command, net);
    cmd.current_dir(cwd)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let Ok(mut child) = cmd.spawn() else {
        return (Evidence::default(), String::new());
    };
    let root = child.id() as i32;
    let mut pipes: Vec<std::thread::JoinHandle<Vec<u8>>> = Vec::new();
    if let Some(mut o) = child.stdout.take() {
        pipes.push(std::thread::spawn(move || {
            let mut b = Vec::new();
            let _ = o.read_to_end(&mut b);
            b
        }));
    }
    if let Some(mut e) = child.stderr.take() {
        pipes.push(std::thread::spawn(move || {
            let mut b = Vec::new();
            let _ = e.read_to_end(&mut b);
            b
        }));
    }
    // SAFETY: sysconf has no preconditions.
    let hz = unsafe { libc::sysconf(libc::_SC_CLK_TCK) }.max(1) as f64;
    let have_gdb = gdb_available();
    let start = Instant::now();
    let mut samples = String::new();
    let mut first_seen: HashMap<i32, (Instant, u64)> = HashMap::new();
    let mut seen_pids: Vec<i32> = Vec::new();
    let mut sampled = false;
    while start.elapsed() < limit && !sampled {
        if let Ok(Some(_)) = child.try_wait() {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
        for (pid, p) in descendants(root) {
            if !seen_pids.contains(&pid) {
                seen_pids.push(pid);
            }
            let (t0, c0) = *first_seen
                .entry(pid)
                .or_insert((Instant::now(), p.cpu_ticks));
            let wall = t0.elapsed();
            let cpu = (p.cpu_ticks.saturating_sub(c0)) as f64 / hz;
            // Busy: on CPU for a good share of the time it has been watched
            // (a share, not most of it: the machine may be loaded).
            if wall < BUSY_AFTER || cpu < 0.1 || cpu < 0.1 * wall.as_secs_f64() {
                continue;
            }
            if p.exe.starts_with("python") {
                // SAFETY: kill(2) on a descendant of our own child.
                unsafe {
                    libc::kill(pid, libc::SIGABRT);
                }
                // Give faulthandler time to write before the pipes are drained.
                std::thread::sleep(Duration::from_millis(300));
                sampled = true;
            } else if have_gdb
                && !matches!(
                    p.exe.as_str(),
                    "node" | "sh" | "bash" | "make" | "cargo" | "timeout"
                )
            {
                let bt = native_stack(pid, Duration::from_secs(20));
                if !bt.trim().is_empty() {
                    samples.push_str(&bt);
                    samples.push('\n');
                    sampled = true;
                }
            }
            if sampled {
                break;
            }
        }
    }
    // Tear down: the group, then every descendant that left it.
    for pid in descendants(root).keys().chain(seen_pids.iter()) {
        // SAFETY: kill(2) on descendants of our own child; ESRCH is harmless.
        unsafe {
            libc::kill(*pid, libc::SIGKILL);
        }
    }
    // SAFETY: as above, on our child's process group.
    unsafe {
        libc::kill(-root, libc::SIGKILL);
    }
    let _ = child.wait();
    let mut text = samples;
    for p in pipes {
        text.push_str(&String::from_utf8_lossy(&p.join().unwrap_or_default()));
    }
    let mut ev = evidence::parse(&text);
    // Only stacks sampled from the busy process are evidence of the hang.
    ev.failures
        .retain(|f| f.source == "gdb-backtrace" || f.source == "python-faulthandler");
    for f in &mut ev.failures {
        f.kind = Some("hang".into());
        if f.message.is_empty() {
            f.message = "process busy past its time (stack sampled while it ran)".into();
        }
    }
    (ev, text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hang_signatures() {
        assert!(looks_like_hang(true, None, ""));
        assert!(looks_like_hang(
            false,
            Some(2),
            "make: *** [Makefile:14: test] Error 124"
        ));
        assert!(looks_like_hang(
            false,
            Some(1),
            "AssertionError: call did not finish within 2.0s"
        ));
        assert!(!looks_like_hang(false, Some(1), "AssertionError: 3 != 4"));
    }

    #[test]
    fn samples_a_spinning_native_program() {
        if !gdb_available() || Command::new("gcc").arg("--version").output().is_err() {
            eprintln!("gdb or gcc missing: skipped");
            return;
        }
        let d = tempfile::tempdir().unwrap();
        std::fs::write(
            d.path().join("spin.c"),
            "int spin(volatile int n) {\n    int i = 0;\n    while (n > 0) {\n        i++;\n    }\n    return i;\n}\nint main(void) { return spin(3); }\n",
        )
        .unwrap();
        let ok = Command::new("gcc")
            .args(["-g", "-O0", "-o", "spin", "spin.c"])
            .current_dir(d.path())
            .status()
            .unwrap()
            .success();
        assert!(ok);
        let (ev, text) = probe(
            d.path(),
            "timeout 30 ./spin",
            Duration::from_secs(25),
            NetIsolation::None,
            &[],
        );
        let f = ev
            .failures
            .first()
            .unwrap_or_else(|| panic!("no stack sampled:\n{text}"));
        assert_eq!(f.kind.as_deref(), Some("hang"));
        assert_eq!(f.frames[0].function.as_deref(), Some("spin"));
        assert!(f.frames[0].file.ends_with("spin.c"));
    }

    #[test]
    fn samples_a_spinning_python_thread() {
        let d = tempfile::tempdir().unwrap();
        std::fs::write(
            d.path().join("loop.py"),
            "import threading\n\ndef wait_for(flag):\n    while not flag:\n        pass\n\nt = threading.Thread(target=wait_for, args=([],), daemon=True)\nt.start()\nt.join(30)\n",
        )
        .unwrap();
        let env = [("PYTHONFAULTHANDLER".to_string(), "1".to_string())];
        let (ev, text) = probe(
            d.path(),
            "python3 loop.py",
            Duration::from_secs(20),
            NetIsolation::None,
            &env,
        );
        assert!(
            ev.failures.iter().any(|f| f
                .frames
                .first()
                .is_some_and(|fr| fr.function.as_deref() == Some("wait_for"))),
            "{text}"
        );
    }
}
