//! The daemon's own settings: `healer.toml`.
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::localize::{LocalizerSpec, ModelSource, localizer::CONFIG_MODEL_PATH};

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
    #[serde(default)]
    pub repair: RepairSettings,
}

/// `[repair]`: how the repair engine localizes faults.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RepairSettings {
    /// `learned` (the trained ranker over spectra and stack evidence), `stack` (the crash
    /// frames and their call graph only), or an SBFL formula (`ochiai`, `dstar`, `tarantula`,
    /// `op2`, `barinel`). Spectrum-based localizers fall back to the stack ranking when no
    /// failing test can be run under coverage. Default `stack`: on the repair corpus the
    /// learned order found no more correct patches and tried more candidates, and a live
    /// incident rarely has a failing test to take spectra from (docs/benchmarks.md).
    #[serde(default = "default_localizer")]
    pub localizer: String,
    /// The learned localizer's model: absolute, or relative to the configuration directory.
    /// Unset: `<config dir>/models/ranker.json` if that file exists, else the model compiled
    /// into healerd.
    #[serde(default)]
    pub model: Option<PathBuf>,
}

fn default_localizer() -> String {
    "stack".into()
}

impl Default for RepairSettings {
    fn default() -> Self {
        Self {
            localizer: default_localizer(),
            model: None,
        }
    }
}

impl RepairSettings {
    /// The localizer these settings name, with its model resolved against `config_dir`.
    pub fn localizer_spec(&self, config_dir: &Path) -> LocalizerSpec {
        let model = match &self.model {
            Some(p) => ModelSource::File(config_dir.join(p)),
            None => {
                let installed = config_dir.join(CONFIG_MODEL_PATH);
                if installed.exists() {
                    ModelSource::File(installed)
                } else {
                    ModelSource::Builtin
                }
            }
        };
        LocalizerSpec {
            name: self.localizer.clone(),
            model,
        }
    }

    /// Checks that need the configuration directory: the learned localizer's model must load.
    pub fn validate_in(&self, config_dir: &Path, issues: &mut Issues) {
        if self.localizer != "learned" {
            return;
        }
        let spec = self.localizer_spec(config_dir);
        if let Err(e) = spec.model.load() {
            let root = KeyPath::default().key("repair");
            // Point at the key that chose the file: `model` when given, else `localizer`.
            let at = if self.model.is_some() {
                root.key("model")
            } else {
                root.key("localizer")
            };
            issues.push(
                at,
                format!(
                    "the learned localizer's model cannot be used: {e}; fix or reinstall it, \
                     set repair.model, or choose repair.localizer = \"stack\""
                ),
            );
        }
    }
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
            repair: RepairSettings::default(),
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
        let r = root.key("repair");
        if !LocalizerSpec::known_name(&self.repair.localizer) {
            issues.push(
                r.key("localizer"),
                format!(
                    "expected stack, learned, ochiai, dstar, tarantula, op2 or barinel, found {:?}",
                    self.repair.localizer
                ),
            );
        }
        if let Some(m) = &self.repair.model {
            if m.as_os_str().as_encoded_bytes().contains(&0) {
                issues.push(r.key("model"), "path contains a NUL byte");
            } else if m.components().any(|c| c == std::path::Component::ParentDir) {
                issues.push(
                    r.key("model"),
                    format!(
                        "path must not contain `..` components, found {:?}",
                        m.display().to_string()
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::config::{DAEMON_FILE, load_dir};
    use crate::localize::{LocalizerSpec, ModelSource};

    fn dir_with(healer_toml: &str) -> tempfile::TempDir {
        let d = tempfile::tempdir().unwrap();
        std::fs::write(d.path().join(DAEMON_FILE), healer_toml).unwrap();
        std::fs::create_dir(d.path().join(crate::config::POLICY_DIR)).unwrap();
        d
    }

    fn shipped_model() -> &'static Path {
        Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../config/models/ranker.json"
        ))
    }

    /// The daemon's settings and the text of every error.
    fn load(d: &Path) -> (super::DaemonConfig, Vec<String>) {
        let l = load_dir(d).unwrap();
        let errors = l.errors.iter().map(|e| e.to_string()).collect();
        (l.config.daemon, errors)
    }

    #[test]
    fn repair_defaults_to_stack_and_learned_uses_the_builtin_model() {
        let d = dir_with("bus = \"session\"\n");
        let (c, errors) = load(d.path());
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(c.repair.localizer, "stack");
        assert_eq!(
            c.repair.localizer_spec(d.path()).build().unwrap().name(),
            "stack"
        );
        let d = dir_with("[repair]\nlocalizer = \"learned\"\n");
        let (c, errors) = load(d.path());
        assert!(errors.is_empty(), "{errors:?}");
        let spec = c.repair.localizer_spec(d.path());
        assert_eq!(spec.model, ModelSource::Builtin);
        assert_eq!(spec.build().unwrap().name(), "learned");
    }

    #[test]
    fn an_installed_model_in_the_config_dir_is_preferred() {
        let d = dir_with("");
        std::fs::create_dir(d.path().join("models")).unwrap();
        std::fs::copy(shipped_model(), d.path().join("models/ranker.json")).unwrap();
        let (c, errors) = load(d.path());
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(
            c.repair.localizer_spec(d.path()).model,
            ModelSource::File(d.path().join("models/ranker.json"))
        );
    }

    #[test]
    fn repair_settings_parse() {
        let d = dir_with("[repair]\nlocalizer = \"stack\"\n");
        let (c, errors) = load(d.path());
        assert!(errors.is_empty(), "{errors:?}");
        let spec = c.repair.localizer_spec(d.path());
        assert_eq!(spec.name, "stack");
        assert_eq!(spec.build().unwrap().name(), "stack");

        let d = dir_with("[repair]\nlocalizer = \"dstar\"\n");
        let (c, errors) = load(d.path());
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(
            c.repair.localizer_spec(d.path()).build().unwrap().name(),
            "dstar"
        );

        // A relative model path is resolved against the configuration directory.
        let d = dir_with("[repair]\nlocalizer = \"learned\"\nmodel = \"ranker-v2.json\"\n");
        std::fs::copy(shipped_model(), d.path().join("ranker-v2.json")).unwrap();
        let (c, errors) = load(d.path());
        assert!(errors.is_empty(), "{errors:?}");
        let spec = c.repair.localizer_spec(d.path());
        assert_eq!(
            spec,
            LocalizerSpec {
                name: "learned".into(),
                model: ModelSource::File(d.path().join("ranker-v2.json")),
            }
        );
        assert_eq!(spec.build().unwrap().name(), "learned");
    }

    #[test]
    fn malformed_repair_settings_are_located() {
        let (_, errors) =
            load(dir_with("bus = \"session\"\n[repair]\nlocalizer = \"magic\"\n").path());
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(
            errors[0]
                .starts_with("healer.toml:3:13: key `repair.localizer`: expected stack, learned"),
            "{errors:?}"
        );

        let (_, errors) = load(dir_with("[repair]\nlocaliser = \"stack\"\n").path());
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(
            errors[0].starts_with("healer.toml:2:1: key `repair.localiser`"),
            "{errors:?}"
        );

        let (_, errors) = load(dir_with("[repair]\nmodel = \"../ranker.json\"\n").path());
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(
            errors[0]
                .starts_with("healer.toml:2:9: key `repair.model`: path must not contain `..`"),
            "{errors:?}"
        );
    }

    #[test]
    fn a_missing_or_corrupt_model_is_a_config_error() {
        let (_, errors) = load(
            dir_with("[repair]\nlocalizer = \"learned\"\nmodel = \"/nonexistent/ranker.json\"\n")
                .path(),
        );
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(
            errors[0].starts_with(
                "healer.toml:3:9: key `repair.model`: the learned localizer's model cannot be used: \
                 reading model /nonexistent/ranker.json"
            ),
            "{errors:?}"
        );

        // The default path, present but not a model: named, though healer.toml never says it.
        let d = dir_with("[repair]\nlocalizer = \"learned\"\n");
        std::fs::create_dir(d.path().join("models")).unwrap();
        std::fs::write(d.path().join("models/ranker.json"), "{\"kind\": ").unwrap();
        let l = load_dir(d.path()).unwrap();
        assert!(!l.daemon_config_ok());
        let errors: Vec<String> = l.errors.iter().map(|e| e.to_string()).collect();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(
            errors[0].starts_with("healer.toml:2:13: key `repair.localizer`")
                && errors[0].contains("parsing model")
                && errors[0].contains("models/ranker.json"),
            "{errors:?}"
        );

        // Not needed, not read: the stack localizer ignores the model.
        let (_, errors) =
            load(dir_with("[repair]\nlocalizer = \"stack\"\nmodel = \"/nonexistent\"\n").path());
        assert!(errors.is_empty(), "{errors:?}");
    }
}
