//! Service cases (`tests/services/cases/<id>/`): small network services with a latent fault,
//! laid out as deployed systemd services for the demo, the end-to-end tests and
//! `cargo xtask bench heal`. The format is documented in `tests/services/README.md`.
//!
//! `install` turns a case into what an operator would have: a git repository with the
//! service's code, a first build, a release the unit runs through a `current` symlink, a unit
//! file, and a healer policy for it.
use std::{
    fs,
    io::{BufRead, BufReader, Write},
    net::{SocketAddr, TcpListener, TcpStream},
    path::{Path, PathBuf},
    process::Command,
    time::{Duration, Instant},
};

use anyhow::{Context, bail};
use serde::Deserialize;

use crate::config::policy::{
    Action, Install, Language, Mode, Policy, RateLimit, Release, Source, Watch,
};

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceCase {
    pub id: String,
    pub language: Language,
    pub fault_class: String,
    pub description: String,
    pub build: Vec<String>,
    pub test: Vec<String>,
    /// Relative to the repository: what a release ships.
    pub artifact: String,
    /// The unit's argv; `{release}/<artifact>` is where the running release's artifact lies.
    pub exec: Vec<String>,
    pub replay: Vec<String>,
    pub input_pattern: String,
    pub trigger: String,
    pub normal: Vec<String>,
    #[serde(default)]
    pub demo: bool,
    pub expect: Expect,
    #[serde(skip)]
    pub dir: PathBuf,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    /// `exception`, `panic` or `signal`.
    pub crash: String,
}

/// Every case under `root/cases`, sorted by id.
pub fn load_all(root: &Path) -> anyhow::Result<Vec<ServiceCase>> {
    let cases = root.join("cases");
    let mut out = Vec::new();
    for e in fs::read_dir(&cases).with_context(|| format!("listing {}", cases.display()))? {
        let dir = e?.path();
        let file = dir.join("case.toml");
        if !file.is_file() {
            continue;
        }
        let text = fs::read_to_string(&file)?;
        let mut case: ServiceCase =
            toml::from_str(&text).with_context(|| format!("{}", file.display()))?;
        case.dir = dir;
        out.push(case);
    }
    out.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(out)
}

/// Where and how to install a case.
pub struct InstallOptions<'a> {
    /// Scratch directory owned by the caller: repository, releases, state.
    pub root: &'a Path,
    /// Unit files go here (the manager's unit path).
    pub unit_dir: &'a Path,
    /// healer's config dir: the policy goes to `services.d/`.
    pub config_dir: &'a Path,
    pub port: u16,
    pub mode: Mode,
    pub canary_window_s: u64,
}

/// A case installed as a service.
#[derive(Clone, Debug)]
pub struct Installed {
    pub unit: String,
    pub repo: PathBuf,
    /// The symlink the unit runs the release through.
    pub target: PathBuf,
    pub port: u16,
    pub policy_file: PathBuf,
}

/// The identity of the commits the fixture makes (the "developer" of the service).
const GIT_ENV: [(&str, &str); 4] = [
    ("GIT_AUTHOR_NAME", "service developer"),
    ("GIT_AUTHOR_EMAIL", "dev@example.invalid"),
    ("GIT_COMMITTER_NAME", "service developer"),
    ("GIT_COMMITTER_EMAIL", "dev@example.invalid"),
];

fn run(cmd: &mut Command) -> anyhow::Result<()> {
    let out = cmd.output().with_context(|| format!("running {cmd:?}"))?;
    if !out.status.success() {
        bail!(
            "{cmd:?} failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(())
}

impl ServiceCase {
    pub fn unit_name(&self) -> String {
        format!("hc-{}.service", self.id)
    }

    /// Creates the repository, builds it, installs the first release, writes the unit and the
    /// policy. The unit is not started.
    pub fn install(&self, o: &InstallOptions<'_>) -> anyhow::Result<Installed> {
        let base = o.root.join(&self.id);
        let repo = base.join("repo");
        if base.exists() {
            fs::remove_dir_all(&base)?;
        }
        fs::create_dir_all(&base)?;
        crate::deploy::release::copy_tree(&self.dir.join("repo"), &repo)?;
        run(Command::new("git")
            .args(["init", "-q", "-b", "main"])
            .current_dir(&repo))?;
        run(Command::new("git").args(["add", "-A"]).current_dir(&repo))?;
        run(Command::new("git")
            .args(["commit", "-q", "-m", "service as deployed"])
            .envs(GIT_ENV)
            .current_dir(&repo))?;
        if let Some((prog, args)) = self.build.split_first() {
            run(Command::new(prog).args(args).current_dir(&repo))?;
        }

        // The first release, as an operator would have deployed it by hand.
        let artifact = repo.join(&self.artifact);
        let name = artifact
            .file_name()
            .context("artifact has no file name")?
            .to_owned();
        let first = base.join("deployed-by-hand");
        fs::create_dir_all(&first)?;
        crate::deploy::release::copy_tree(&artifact, &first.join(&name))?;
        let target = base.join("current");
        std::os::unix::fs::symlink(first.join(&name), &target)?;

        let unit = self.unit_name();
        let exec: Vec<String> = self
            .exec
            .iter()
            .map(|a| {
                a.replace(
                    &format!("{{release}}/{}", self.artifact),
                    &target.to_string_lossy(),
                )
            })
            .collect();
        if exec.iter().any(|a| a.contains("{release}")) {
            bail!(
                "{}: exec refers to {{release}} outside the artifact {}",
                self.id,
                self.artifact
            );
        }
        let unit_file = o.unit_dir.join(&unit);
        fs::create_dir_all(o.unit_dir)?;
        fs::write(
            &unit_file,
            format!(
                "[Unit]\nDescription=healer service case {id}\n\n[Service]\nExecStart={exec}\n\
                 Environment=PORT={port}\nEnvironment=PYTHONUNBUFFERED=1\nWorkingDirectory={wd}\n\
                 Restart=no\n",
                id = self.id,
                exec = exec
                    .iter()
                    .map(|a| systemd_quote(a))
                    .collect::<Vec<_>>()
                    .join(" "),
                port = o.port,
                wd = base.display(),
            ),
        )?;

        let policy = Policy {
            unit: unit.clone(),
            mode: o.mode,
            actions: vec![Action::Restart, Action::Rollback, Action::Repair],
            canary_window_s: o.canary_window_s,
            watch: Watch::default(),
            source: Some(Source {
                repo: repo.clone(),
                language: self.language,
                build: if self.build.is_empty() {
                    vec!["true".into()]
                } else {
                    self.build.clone()
                },
                test: self.test.clone(),
                replay: self.replay.clone(),
                input_pattern: Some(self.input_pattern.clone()),
                release: Release {
                    artifact,
                    install: Install::Symlink,
                    target: target.clone(),
                    keep: 3,
                },
            }),
            rate_limit: RateLimit {
                attempts_per_hour: 10,
                cooldown_s: 0,
            },
        };
        let dir = o.config_dir.join(crate::config::POLICY_DIR);
        fs::create_dir_all(&dir)?;
        let policy_file = dir.join(format!("{}.toml", self.id));
        fs::write(&policy_file, toml::to_string(&policy)?)?;
        Ok(Installed {
            unit,
            repo,
            target,
            port: o.port,
            policy_file,
        })
    }
}

/// systemd's quoting for one `ExecStart=` argument.
fn systemd_quote(arg: &str) -> String {
    let escaped = arg
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('%', "%%")
        .replace('$', "$$");
    format!("\"{escaped}\"")
}

/// A free TCP port on 127.0.0.1 (the kernel picks; the socket is closed before use).
pub fn free_port() -> std::io::Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// Sends one request line and reads one response line.
pub fn request(port: u16, line: &str, timeout: Duration) -> std::io::Result<String> {
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let mut s = TcpStream::connect_timeout(&addr, timeout)?;
    s.set_read_timeout(Some(timeout))?;
    s.set_write_timeout(Some(timeout))?;
    s.write_all(format!("{line}\n").as_bytes())?;
    let mut resp = String::new();
    let n = BufReader::new(&s).read_line(&mut resp)?;
    if n == 0 {
        return Err(std::io::Error::new(
            std::io::ErrorKind::UnexpectedEof,
            "connection closed without a response",
        ));
    }
    Ok(resp.trim_end().to_string())
}

/// Waits until the service answers `probe`.
pub fn wait_answering(port: u16, probe: &str, timeout: Duration) -> anyhow::Result<String> {
    let deadline = Instant::now() + timeout;
    loop {
        match request(port, probe, Duration::from_secs(2)) {
            Ok(r) => return Ok(r),
            Err(e) if Instant::now() >= deadline => {
                bail!("port {port} did not answer {probe:?} within {timeout:?}: {e}")
            }
            Err(_) => std::thread::sleep(Duration::from_millis(50)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn systemd_quoting_escapes_specials() {
        assert_eq!(systemd_quote("a b"), "\"a b\"");
        assert_eq!(systemd_quote("50%$HOME\"x\\"), "\"50%%$$HOME\\\"x\\\\\"");
    }
}
