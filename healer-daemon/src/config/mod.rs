//! healer's configuration: `healer.toml` (the daemon) and `services.d/*.toml` (one policy per
//! watched service), parsed strictly. Loading never stops at the first bad file: it returns
//! everything that is valid plus every error, each naming file, line, column and key.
pub mod daemon;
pub mod error;
pub mod parse;
pub mod policy;

use std::{
    collections::BTreeMap,
    io::{self, Write},
    path::{Path, PathBuf},
};

pub use daemon::{Bus, DaemonConfig, Limits, RepairSettings};
pub use error::{ConfigError, ErrorKind, Location};
pub use policy::Policy;

use daemon::DEFAULT_MAX_POLICY_BYTES;
use parse::{Issues, KeyPath};

/// Where `healerd` looks without `--config-dir`.
pub const DEFAULT_CONFIG_DIR: &str = "/etc/healer";
pub const DAEMON_FILE: &str = "healer.toml";
pub const POLICY_DIR: &str = "services.d";

/// A valid policy and the file it came from (relative to the config directory).
#[derive(Clone, Debug, PartialEq)]
pub struct LoadedPolicy {
    pub file: PathBuf,
    pub policy: Policy,
}

/// Everything that loaded.
#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    pub dir: PathBuf,
    pub daemon: DaemonConfig,
    /// Keyed by unit name, which is unique across files.
    pub policies: BTreeMap<String, LoadedPolicy>,
}

/// The result of loading a directory: what is usable, and what is wrong.
#[derive(Debug)]
pub struct Load {
    pub config: Config,
    /// One entry per problem; `config` holds everything not affected by them.
    pub errors: Vec<ConfigError>,
}

impl Load {
    /// Whether `healer.toml` itself loaded cleanly (the daemon should not start on defaults
    /// silently substituted for a broken file).
    pub fn daemon_config_ok(&self) -> bool {
        !self.errors.iter().any(|e| e.file == Path::new(DAEMON_FILE))
    }
}

/// Load `dir/healer.toml` and `dir/services.d/*.toml`. Fails only when `dir` itself is
/// missing or unreadable; everything else is reported in [`Load::errors`].
pub fn load_dir(dir: &Path) -> Result<Load, ConfigError> {
    match std::fs::metadata(dir) {
        Ok(m) if m.is_dir() => {}
        Ok(_) => {
            return Err(ConfigError::new(
                dir,
                ErrorKind::Invalid("not a directory".into()),
            ));
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Err(ConfigError::new(dir, ErrorKind::MissingDir));
        }
        Err(e) => return Err(ConfigError::new(dir, ErrorKind::Io(e))),
    }
    let mut errors = Vec::new();
    let daemon = load_daemon(dir, &mut errors);
    let policies = load_policies(dir, &daemon.limits, &mut errors);
    Ok(Load {
        config: Config {
            dir: dir.to_path_buf(),
            daemon,
            policies,
        },
        errors,
    })
}

fn load_daemon(dir: &Path, errors: &mut Vec<ConfigError>) -> DaemonConfig {
    let shown = Path::new(DAEMON_FILE);
    let path = dir.join(DAEMON_FILE);
    // Only "not found" means missing; a permission error is reported as what it is, below.
    if matches!(std::fs::symlink_metadata(&path), Err(e) if e.kind() == io::ErrorKind::NotFound) {
        errors.push(ConfigError::new(shown, ErrorKind::MissingFile));
        return DaemonConfig::default();
    }
    let parsed = parse::read_limited(&path, shown, DEFAULT_MAX_POLICY_BYTES)
        .and_then(|b| parse::decode(b, shown));
    let text = match parsed {
        Ok(t) => t,
        Err(e) => {
            errors.push(e);
            return DaemonConfig::default();
        }
    };
    match parse::parse::<DaemonConfig>(&text, shown) {
        Ok(p) => {
            let mut issues = Issues::default();
            p.value.validate(&mut issues);
            if issues.0.is_empty() {
                p.value.repair.validate_in(dir, &mut issues);
            }
            if issues.0.is_empty() {
                p.value
            } else {
                errors.extend(p.errors(issues));
                DaemonConfig::default()
            }
        }
        Err(e) => {
            errors.push(e);
            DaemonConfig::default()
        }
    }
}

fn load_policies(
    dir: &Path,
    limits: &Limits,
    errors: &mut Vec<ConfigError>,
) -> BTreeMap<String, LoadedPolicy> {
    let pdir = dir.join(POLICY_DIR);
    let mut files = match std::fs::read_dir(&pdir) {
        Ok(rd) => {
            let mut files = Vec::new();
            for entry in rd {
                match entry {
                    Ok(e) => {
                        let name = e.file_name();
                        let n = name.to_string_lossy();
                        // Editors' backups and hidden files are not policies.
                        if n.ends_with(".toml") && !n.starts_with('.') {
                            files.push(name);
                        }
                    }
                    Err(e) => errors.push(ConfigError::new(POLICY_DIR, ErrorKind::Io(e))),
                }
            }
            files
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            errors.push(ConfigError::new(POLICY_DIR, ErrorKind::MissingDir));
            return BTreeMap::new();
        }
        Err(e) => {
            errors.push(ConfigError::new(POLICY_DIR, ErrorKind::Io(e)));
            return BTreeMap::new();
        }
    };
    // Name order makes "which of two duplicates wins" and the max_policies cut deterministic.
    files.sort();
    let mut policies: BTreeMap<String, LoadedPolicy> = BTreeMap::new();
    for (i, name) in files.iter().enumerate() {
        let shown = Path::new(POLICY_DIR).join(name);
        if i >= limits.max_policies as usize {
            errors.push(ConfigError::new(
                &shown,
                ErrorKind::Invalid(format!(
                    "more than limits.max_policies = {} policy files; not loaded",
                    limits.max_policies
                )),
            ));
            continue;
        }
        let text = match parse::read_limited(&pdir.join(name), &shown, limits.max_policy_bytes)
            .and_then(|b| parse::decode(b, &shown))
        {
            Ok(t) => t,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        let parsed = match parse::parse::<Policy>(&text, &shown) {
            Ok(p) => p,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        let mut issues = Issues::default();
        parsed.value.validate(&mut issues);
        if !issues.0.is_empty() {
            errors.extend(parsed.errors(issues));
            continue;
        }
        let unit = parsed.value.unit.clone();
        if let Some(first) = policies.get(&unit) {
            errors.push(
                ConfigError::new(
                    &shown,
                    ErrorKind::DuplicateUnit {
                        unit: unit.clone(),
                        first: first.file.clone(),
                    },
                )
                .at(parsed.location_of(&KeyPath::default().key("unit")))
                .key("unit"),
            );
            continue;
        }
        policies.insert(
            unit,
            LoadedPolicy {
                file: shown,
                policy: parsed.value,
            },
        );
    }
    policies
}

/// What a reload changed, by unit name.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReloadDiff {
    pub added: Vec<String>,
    pub removed: Vec<String>,
    pub changed: Vec<String>,
    /// Units whose file is now invalid: their last valid policy stays in force, so a typo in
    /// an edit does not silently stop healer from watching a service.
    pub kept_previous: Vec<String>,
    pub daemon_changed: bool,
}

impl ReloadDiff {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty()
            && self.removed.is_empty()
            && self.changed.is_empty()
            && !self.daemon_changed
    }
}

/// Load `previous.dir` again and compare. Errors in a file that previously loaded keep its
/// previous policy (listed in `kept_previous`); errors in `healer.toml` keep the previous
/// daemon settings. Fails only when the directory itself is gone; then nothing changes.
pub fn reload(previous: &Config) -> Result<(Load, ReloadDiff), ConfigError> {
    let mut load = load_dir(&previous.dir)?;
    let mut diff = ReloadDiff::default();
    if !load.daemon_config_ok() {
        load.config.daemon = previous.daemon.clone();
    }
    for (unit, old) in &previous.policies {
        let file_failed = load.errors.iter().any(|e| e.file == old.file);
        if file_failed && !load.config.policies.contains_key(unit) {
            load.config.policies.insert(unit.clone(), old.clone());
            diff.kept_previous.push(unit.clone());
        }
    }
    for (unit, new) in &load.config.policies {
        match previous.policies.get(unit) {
            None => diff.added.push(unit.clone()),
            Some(old) if old.policy != new.policy => diff.changed.push(unit.clone()),
            Some(_) => {}
        }
    }
    for unit in previous.policies.keys() {
        if !load.config.policies.contains_key(unit) {
            diff.removed.push(unit.clone());
        }
    }
    diff.daemon_changed = load.config.daemon != previous.daemon;
    Ok((load, diff))
}

/// Exit codes of `healerd check-config`.
pub const CHECK_OK: u8 = 0;
pub const CHECK_ERRORS: u8 = 1;
pub const CHECK_NO_DIR: u8 = 2;

/// `healerd check-config`: validate everything under `dir`, print each error on its own line
/// and a summary, and return the exit code. Reads files only: no root, no eBPF.
pub fn check_config(dir: &Path, out: &mut dyn Write) -> io::Result<u8> {
    let load = match load_dir(dir) {
        Ok(l) => l,
        Err(e) => {
            writeln!(out, "{e}")?;
            writeln!(out, "check-config: {}: nothing checked", dir.display())?;
            return Ok(if matches!(e.kind, ErrorKind::MissingDir) {
                CHECK_NO_DIR
            } else {
                CHECK_ERRORS
            });
        }
    };
    for e in &load.errors {
        writeln!(out, "{e}")?;
    }
    let units: Vec<&str> = load.config.policies.keys().map(String::as_str).collect();
    writeln!(
        out,
        "check-config: {}: {} {}, {} valid {}{}{}",
        dir.display(),
        load.errors.len(),
        if load.errors.len() == 1 {
            "error"
        } else {
            "errors"
        },
        units.len(),
        if units.len() == 1 {
            "policy"
        } else {
            "policies"
        },
        if units.is_empty() {
            String::new()
        } else {
            format!(" ({})", units.join(", "))
        },
        if load.daemon_config_ok() {
            ""
        } else {
            "; healer.toml is not valid"
        }
    )?;
    Ok(if load.errors.is_empty() {
        CHECK_OK
    } else {
        CHECK_ERRORS
    })
}
