//! The daemon's own settings: `healer.toml`.
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::{
    parse::{Issues, KeyPath},
    policy::safe_path,
};

/// Where journald listens for native-protocol datagrams.
pub const DEFAULT_JOURNAL_SOCKET: &str = "/run/systemd/journal/socket";
/// Default cap on one policy file (and on `healer.toml`).
pub const DEFAULT_MAX_POLICY_BYTES: u64 = 64 * 1024;
/// No configurable limit may go beyond this: policies are hand-written text.
pub const HARD_MAX_POLICY_BYTES: u64 = 16 * 1024 * 1024;

#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DaemonConfig {
    #[serde(default)]
    pub bus: Bus,
    #[serde(default = "default_state_dir")]
    pub state_dir: PathBuf,
    #[serde(default = "default_journal_socket")]
    pub journal_socket: PathBuf,
    /// Where journald stores the journal healer reads tracebacks from (journalctl
    /// `--directory`); unset: the host's journal.
    #[serde(default)]
    pub journal_directory: Option<PathBuf>,
    #[serde(default)]
    pub limits: Limits,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Bus {
    /// Production: the system bus and the system manager.
    #[default]
    System,
    /// Tests and unprivileged trials: the session bus of a user manager.
    Session,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Limits {
    /// Repairs (build + test + deploy) running at once, across all services.
    #[serde(default = "default_concurrent")]
    pub max_concurrent_repairs: u32,
    /// Policy files larger than this are rejected before being parsed.
    #[serde(default = "default_policy_bytes")]
    pub max_policy_bytes: u64,
    /// Policies loaded at most; files beyond this (in name order) are reported and skipped.
    #[serde(default = "default_max_policies")]
    pub max_policies: u32,
    /// Wall-clock budget of one repair (localize, synthesize, validate).
    #[serde(default = "default_repair_timeout")]
    pub repair_timeout_s: u64,
}

fn default_state_dir() -> PathBuf {
    PathBuf::from("/var/lib/healer")
}
fn default_journal_socket() -> PathBuf {
    PathBuf::from(DEFAULT_JOURNAL_SOCKET)
}
fn default_repair_timeout() -> u64 {
    600
}
fn default_concurrent() -> u32 {
    1
}
fn default_policy_bytes() -> u64 {
    DEFAULT_MAX_POLICY_BYTES
}
fn default_max_policies() -> u32 {
    256
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_concurrent_repairs: default_concurrent(),
            max_policy_bytes: default_policy_bytes(),
            max_policies: default_max_policies(),
            repair_timeout_s: default_repair_timeout(),
        }
    }
}

impl Default for DaemonConfig {
    fn default() -> Self {
        Self {
            bus: Bus::default(),
            state_dir: default_state_dir(),
            journal_socket: default_journal_socket(),
            journal_directory: None,
            limits: Limits::default(),
        }
    }
}

impl DaemonConfig {
    pub fn validate(&self, issues: &mut Issues) {
        let root = KeyPath::default();
        safe_path(&self.state_dir, &root.key("state_dir"), issues);
        safe_path(&self.journal_socket, &root.key("journal_socket"), issues);
        if let Some(d) = &self.journal_directory {
            safe_path(d, &root.key("journal_directory"), issues);
        }
        let l = root.key("limits");
        if self.limits.max_concurrent_repairs == 0 {
            issues.push(
                l.key("max_concurrent_repairs"),
                "expected a positive number, found 0",
            );
        }
        if !(10..=86_400).contains(&self.limits.repair_timeout_s) {
            issues.push(
                l.key("repair_timeout_s"),
                format!(
                    "expected 10 to 86400 seconds, found {}",
                    self.limits.repair_timeout_s
                ),
            );
        }
        if self.limits.max_policy_bytes == 0 || self.limits.max_policy_bytes > HARD_MAX_POLICY_BYTES
        {
            issues.push(
                l.key("max_policy_bytes"),
                format!(
                    "expected 1 to {HARD_MAX_POLICY_BYTES} bytes, found {}",
                    self.limits.max_policy_bytes
                ),
            );
        }
        if self.limits.max_policies == 0 {
            issues.push(l.key("max_policies"), "expected a positive number, found 0");
        }
    }
}
