//! `cargo xtask sandbox -- CMD ARGS…`: run CMD against a private systemd user manager,
//! its session bus and journald (see docs/sandbox.md), then tear it all down, also when
//! CMD fails or the sandbox is interrupted. Exits with CMD's status.

use std::process::ExitStatus;

use anyhow::{Context as _, bail};
use healer_daemon::sandbox::{Sandbox, SandboxOptions};
use tokio::{
    process::Command,
    signal::unix::{SignalKind, signal},
};

/// How long CMD gets to exit after a forwarded SIGTERM before it is killed.
const CMD_GRACE: std::time::Duration = std::time::Duration::from_secs(10);

pub fn run(cmd: Vec<String>) -> anyhow::Result<i32> {
    let Some((program, args)) = cmd.split_first() else {
        bail!("usage: cargo xtask sandbox -- CMD [ARGS…]");
    };
    let rt = tokio::runtime::Runtime::new().context("tokio runtime")?;
    rt.block_on(async {
        // Signal handlers first: a Ctrl-C during start-up must still tear down.
        let mut sigint = signal(SignalKind::interrupt()).context("SIGINT handler")?;
        let mut sigterm = signal(SignalKind::terminate()).context("SIGTERM handler")?;
        let mut sandbox = tokio::select! {
            sb = Sandbox::start(SandboxOptions::default()) => sb.context("starting the sandbox")?,
            _ = sigint.recv() => return Ok(130),
            _ = sigterm.recv() => return Ok(143),
        };
        eprintln!("healer sandbox up at {}", sandbox.root().display());
        for (k, v) in sandbox.env() {
            eprintln!("  {k}={}", v.to_string_lossy());
        }
        eprintln!(
            "  manager pid {}, cgroup {}, log {}",
            sandbox.manager_pid().unwrap_or_default(),
            sandbox.manager_cgroup(),
            sandbox.manager_log().display()
        );
        eprintln!(
            "  journal: journalctl --directory={} -o json …",
            sandbox.journal_dir().display()
        );
        let code = run_cmd(&sandbox, program, args, &mut sigint, &mut sigterm).await;
        eprintln!("healer sandbox: tearing down");
        // Blocking, in order: manager, journald, cgroups, scratch dir.
        let down = tokio::task::block_in_place(|| sandbox.stop());
        let code = code?;
        down.context("tearing down the sandbox")?;
        Ok(code)
    })
}

async fn run_cmd(
    sandbox: &Sandbox,
    program: &str,
    args: &[String],
    sigint: &mut tokio::signal::unix::Signal,
    sigterm: &mut tokio::signal::unix::Signal,
) -> anyhow::Result<i32> {
    let mut child = Command::new(program)
        .args(args)
        .envs(sandbox.env())
        .spawn()
        .with_context(|| format!("cannot run {program}"))?;
    let pid = child.id().map(|p| nix::unistd::Pid::from_raw(p as i32));
    let status = tokio::select! {
        s = child.wait() => s.context("waiting for CMD")?,
        // Ctrl-C reached CMD too (same process group): let it finish its own way.
        _ = sigint.recv() => {
            finish(&mut child, pid, None).await?;
            return Ok(130);
        }
        // SIGTERM was for us alone: pass it on.
        _ = sigterm.recv() => {
            finish(&mut child, pid, Some(nix::sys::signal::Signal::SIGTERM)).await?;
            return Ok(143);
        }
    };
    Ok(exit_code(status))
}

/// Waits for CMD after an interruption, killing it when it takes too long.
async fn finish(
    child: &mut tokio::process::Child,
    pid: Option<nix::unistd::Pid>,
    forward: Option<nix::sys::signal::Signal>,
) -> anyhow::Result<()> {
    if let (Some(pid), Some(sig)) = (pid, forward) {
        let _ = nix::sys::signal::kill(pid, sig);
    }
    if tokio::time::timeout(CMD_GRACE, child.wait()).await.is_err() {
        eprintln!("healer sandbox: CMD still running after {CMD_GRACE:?}; killing it");
        child.kill().await.context("killing CMD")?;
    }
    Ok(())
}

/// The shell convention: the exit code, or 128 + the signal that ended it.
fn exit_code(status: ExitStatus) -> i32 {
    use std::os::unix::process::ExitStatusExt as _;
    status
        .code()
        .or_else(|| status.signal().map(|s| 128 + s))
        .unwrap_or(1)
}
