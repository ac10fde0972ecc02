//! A per-service policy: `services.d/<name>.toml`. What to watch, where the source lives and how
//! it becomes a release, how far healer may go on its own, and how often.
use std::{
    collections::{BTreeMap, BTreeSet},
    path::{Component, Path, PathBuf},
    str::FromStr,
};

use serde::{Deserialize, Serialize};

use super::parse::{Issues, KeyPath};

#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// The systemd unit, e.g. `web.service`.
    pub unit: String,
    #[serde(default)]
    pub mode: Mode,
    /// What healer may do; empty means nothing beyond reporting.
    #[serde(default)]
    pub actions: Vec<Action>,
    /// How long a deployed fix is watched before it counts as healed (and is otherwise rolled
    /// back).
    #[serde(default = "default_canary_window_s")]
    pub canary_window_s: u64,
    #[serde(default)]
    pub watch: Watch,
    /// Required for `repair` and `rollback`: healer needs the code and a way to ship it.
    pub source: Option<Source>,
    #[serde(default)]
    pub rate_limit: RateLimit,
}

fn default_canary_window_s() -> u64 {
    300
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// Detect and diagnose; never change anything.
    Observe,
    /// Diagnose and propose patches; an operator approves.
    #[default]
    Propose,
    /// Apply allowed actions without waiting for approval.
    Auto,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    Restart,
    Rollback,
    Repair,
}

#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Watch {
    /// Report crashes (fatal signals).
    #[serde(default = "yes")]
    pub crashes: bool,
    /// Exit codes that count as failures; empty means every non-zero exit code.
    #[serde(default)]
    pub failure_exit_codes: Vec<i64>,
    /// Any syscall slower than this is an event; unset turns single-call reporting off.
    pub slow_syscall_ms: Option<f64>,
    /// Per-syscall bounds on the 99th percentile latency, by syscall name.
    #[serde(default)]
    pub syscall_p99_ms: BTreeMap<String, f64>,
    pub error_rate: Option<ErrorRate>,
}

fn yes() -> bool {
    true
}

impl Default for Watch {
    fn default() -> Self {
        Self {
            crashes: true,
            failure_exit_codes: Vec::new(),
            slow_syscall_ms: None,
            syscall_p99_ms: BTreeMap::new(),
            error_rate: None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ErrorRate {
    /// Failed syscalls per second, averaged over `window_s`, above which the service is failing.
    pub max_per_s: f64,
    #[serde(default = "default_window_s")]
    pub window_s: u64,
}

fn default_window_s() -> u64 {
    60
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// Git repository with the service's code.
    pub repo: PathBuf,
    pub language: Language,
    /// argv, run in `repo`; no shell (write `["sh", "-c", "…"]` to have one).
    pub build: Vec<String>,
    pub test: Vec<String>,
    /// Replays a failure from its captured input: argv run in the source tree after the build,
    /// with `{input}` replaced by a file holding the failing input; exits 0 when the input is
    /// handled. Empty: a repair is validated by the tests alone.
    #[serde(default)]
    pub replay: Vec<String>,
    /// Regex with one capture group matching the log line the service writes before it handles
    /// a request; the last match before a failure is the failing input.
    pub input_pattern: Option<String>,
    pub release: Release,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    Python,
    Rust,
    C,
    Javascript,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Release {
    /// What the build produces (file or directory), absolute.
    pub artifact: PathBuf,
    pub install: Install,
    /// Where the unit runs the release from, absolute.
    pub target: PathBuf,
    /// Releases kept for rollback.
    #[serde(default = "default_keep")]
    pub keep: u32,
}

fn default_keep() -> u32 {
    3
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Install {
    /// Copy the artifact into the state directory and atomically repoint the `target`
    /// symlink at it; rollback repoints it at the previous release.
    Symlink,
    /// Copy the artifact over `target` (previous releases saved in the state directory).
    Copy,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RateLimit {
    /// Healing attempts (restart, rollback or repair) allowed per hour.
    #[serde(default = "default_attempts")]
    pub attempts_per_hour: u32,
    /// Quiet time after an attempt before the next one.
    #[serde(default = "default_cooldown")]
    pub cooldown_s: u64,
}

fn default_attempts() -> u32 {
    3
}
fn default_cooldown() -> u64 {
    300
}

impl Default for RateLimit {
    fn default() -> Self {
        Self {
            attempts_per_hour: default_attempts(),
            cooldown_s: default_cooldown(),
        }
    }
}

/// Longest canary window accepted: a day. Longer windows are almost certainly a unit mistake
/// (milliseconds typed as seconds) and would hold a rollback open for ages.
pub const MAX_CANARY_WINDOW_S: u64 = 86_400;

impl Policy {
    /// Semantic checks serde cannot express.
    pub fn validate(&self, issues: &mut Issues) {
        let root = KeyPath::default();
        if let Err(why) = check_unit_name(&self.unit) {
            issues.push(root.key("unit"), why);
        }
        let mut seen = BTreeSet::new();
        for (i, a) in self.actions.iter().enumerate() {
            if !seen.insert(*a) {
                issues.push(
                    root.key("actions").index(i),
                    format!("{a:?} is listed twice"),
                );
            }
        }
        if self.canary_window_s == 0 || self.canary_window_s > MAX_CANARY_WINDOW_S {
            issues.push(
                root.key("canary_window_s"),
                format!(
                    "expected 1 to {MAX_CANARY_WINDOW_S} seconds, found {}",
                    self.canary_window_s
                ),
            );
        }
        for needs_source in [Action::Repair, Action::Rollback] {
            if self.actions.contains(&needs_source) && self.source.is_none() {
                issues.push(
                    root.key("actions"),
                    format!(
                        "action `{}` needs a [source] table",
                        format!("{needs_source:?}").to_lowercase()
                    ),
                );
            }
        }
        self.watch.validate(&root.key("watch"), issues);
        if let Some(s) = &self.source {
            s.validate(&root.key("source"), issues);
        }
        let rl = root.key("rate_limit");
        if self.rate_limit.attempts_per_hour == 0 {
            issues.push(
                rl.key("attempts_per_hour"),
                "expected a positive number (use mode = \"observe\" to never act)",
            );
        }
        if self.rate_limit.cooldown_s > 86_400 {
            issues.push(
                rl.key("cooldown_s"),
                format!(
                    "expected at most 86400 seconds, found {}",
                    self.rate_limit.cooldown_s
                ),
            );
        }
    }
}

impl Watch {
    fn validate(&self, at: &KeyPath, issues: &mut Issues) {
        for (i, code) in self.failure_exit_codes.iter().enumerate() {
            if !(1..=255).contains(code) {
                issues.push(
                    at.key("failure_exit_codes").index(i),
                    format!("expected an exit code from 1 to 255, found {code}"),
                );
            }
        }
        if let Some(ms) = self.slow_syscall_ms {
            positive(ms, &at.key("slow_syscall_ms"), issues);
        }
        for (name, ms) in &self.syscall_p99_ms {
            let p = at.key("syscall_p99_ms").key(name);
            if syscalls::Sysno::from_str(name).is_err() {
                issues.push(p.clone(), format!("unknown syscall `{name}`"));
            }
            positive(*ms, &p, issues);
        }
        if let Some(er) = &self.error_rate {
            let p = at.key("error_rate");
            positive(er.max_per_s, &p.key("max_per_s"), issues);
            if er.window_s == 0 || er.window_s > 3600 {
                issues.push(
                    p.key("window_s"),
                    format!("expected 1 to 3600 seconds, found {}", er.window_s),
                );
            }
        }
    }
}

impl Source {
    fn validate(&self, at: &KeyPath, issues: &mut Issues) {
        safe_path(&self.repo, &at.key("repo"), issues);
        command(&self.build, &at.key("build"), issues);
        command(&self.test, &at.key("test"), issues);
        if !self.replay.is_empty() {
            command(&self.replay, &at.key("replay"), issues);
            if !self.replay.iter().any(|a| a.contains("{input}")) {
                issues.push(
                    at.key("replay"),
                    "expected an argument containing `{input}` (the file with the failing input)",
                );
            }
            if self.input_pattern.is_none() {
                issues.push(
                    at.key("replay"),
                    "a replay needs `input_pattern` to capture the failing input",
                );
            }
        }
        if let Some(pat) = &self.input_pattern {
            match regex::Regex::new(pat) {
                Err(e) => issues.push(at.key("input_pattern"), format!("invalid regex: {e}")),
                Ok(re) if re.captures_len() < 2 => issues.push(
                    at.key("input_pattern"),
                    "expected a regex with one capture group (the input)",
                ),
                Ok(_) => {}
            }
        }
        let r = at.key("release");
        safe_path(&self.release.artifact, &r.key("artifact"), issues);
        safe_path(&self.release.target, &r.key("target"), issues);
        if self.release.target == Path::new("/") {
            issues.push(
                r.key("target"),
                "the root directory cannot be a release target",
            );
        }
        if self.release.keep == 0 {
            issues.push(
                r.key("keep"),
                "expected at least 1 (rollback needs a previous release)",
            );
        }
    }
}

fn positive(v: f64, at: &KeyPath, issues: &mut Issues) {
    if !(v.is_finite() && v > 0.0) {
        issues.push(at.clone(), format!("expected a positive number, found {v}"));
    }
}

fn command(argv: &[String], at: &KeyPath, issues: &mut Issues) {
    if argv.is_empty() {
        issues.push(at.clone(), "expected a non-empty command (argv array)");
        return;
    }
    for (i, a) in argv.iter().enumerate() {
        if a.contains('\0') {
            issues.push(at.index(i), "argument contains a NUL byte");
        }
    }
    if argv[0].trim().is_empty() {
        issues.push(
            at.index(0),
            "expected a program name, found an empty string",
        );
    }
}

/// Absolute, no `..` (a policy must not reach outside what it names by traversal), no NUL.
pub(crate) fn safe_path(p: &Path, at: &KeyPath, issues: &mut Issues) {
    let s = p.as_os_str().as_encoded_bytes();
    if s.contains(&0) {
        issues.push(at.clone(), "path contains a NUL byte");
    } else if !p.is_absolute() {
        issues.push(
            at.clone(),
            format!(
                "expected an absolute path, found {:?}",
                p.display().to_string()
            ),
        );
    } else if p.components().any(|c| c == Component::ParentDir) {
        issues.push(
            at.clone(),
            format!(
                "path must not contain `..` components, found {:?}",
                p.display().to_string()
            ),
        );
    }
}

/// systemd's rules for a unit name (systemd's `unit_name_is_valid`), restricted to
/// `.service` units with a concrete instance: at most 255 bytes, characters from
/// `[A-Za-z0-9:_.\-\\@]`, a non-empty prefix, and for `x@i.service` a non-empty instance.
pub fn check_unit_name(name: &str) -> Result<(), String> {
    const MAX: usize = 255;
    let Some(stem) = name.strip_suffix(".service") else {
        return Err(format!(
            "expected a systemd unit name ending in .service, found {name:?}"
        ));
    };
    if name.len() > MAX {
        return Err(format!("unit name longer than {MAX} bytes"));
    }
    if stem.is_empty() {
        return Err("unit name has an empty prefix".into());
    }
    if let Some(bad) = stem
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || ":-_.\\@".contains(*c)))
    {
        return Err(format!(
            "invalid character {bad:?} in unit name {name:?} (allowed: A-Z a-z 0-9 : - _ . \\ @)"
        ));
    }
    if let Some((prefix, instance)) = stem.split_once('@') {
        if prefix.is_empty() {
            return Err("unit name has an empty prefix before `@`".into());
        }
        if instance.is_empty() {
            return Err(format!(
                "{name:?} is a template; name an instance such as {prefix}@1.service"
            ));
        }
        if instance.contains('@') {
            return Err(format!("more than one `@` in unit name {name:?}"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unit_names_follow_systemd_rules() {
        for ok in [
            "web.service",
            "a-b_c:d.e.service",
            "getty@tty1.service",
            "x\\x2d.service",
        ] {
            assert_eq!(check_unit_name(ok), Ok(()), "{ok}");
        }
        for bad in [
            "web",
            "web.socket",
            ".service",
            "we b.service",
            "web/../x.service",
            "getty@.service",
            "@x.service",
            "a@b@c.service",
        ] {
            assert!(check_unit_name(bad).is_err(), "{bad} accepted");
        }
        let long = format!("{}.service", "a".repeat(250));
        assert!(check_unit_name(&long).unwrap_err().contains("255"));
    }

    #[test]
    fn paths_must_be_absolute_without_parent_components() {
        let mut issues = Issues::default();
        let at = KeyPath::default().key("p");
        safe_path(Path::new("/srv/app"), &at, &mut issues);
        assert!(issues.0.is_empty());
        safe_path(Path::new("srv/app"), &at, &mut issues);
        safe_path(Path::new("/srv/../etc/shadow"), &at, &mut issues);
        let msgs: Vec<_> = issues.0.iter().map(|i| i.message.as_str()).collect();
        assert!(msgs[0].contains("absolute"), "{msgs:?}");
        assert!(msgs[1].contains(".."), "{msgs:?}");
    }

    #[test]
    fn repair_without_source_is_rejected_and_thresholds_must_be_positive() {
        let p: Policy = toml::from_str(
            "unit = \"a.service\"\nactions = [\"repair\", \"repair\"]\ncanary_window_s = 0\n\
             [watch]\nslow_syscall_ms = -1.0\nfailure_exit_codes = [0, 3]\n\
             [watch.syscall_p99_ms]\nread = 5.0\nnot_a_syscall = 1.0\n",
        )
        .unwrap();
        let mut issues = Issues::default();
        p.validate(&mut issues);
        let got: Vec<String> = issues
            .0
            .iter()
            .map(|i| format!("{}: {}", i.path, i.message))
            .collect();
        let want = [
            "actions[1]: Repair is listed twice",
            "canary_window_s: expected 1 to 86400 seconds, found 0",
            "actions: action `repair` needs a [source] table",
            "watch.failure_exit_codes[0]: expected an exit code from 1 to 255, found 0",
            "watch.slow_syscall_ms: expected a positive number, found -1",
            "watch.syscall_p99_ms.not_a_syscall: unknown syscall `not_a_syscall`",
        ];
        assert_eq!(got, want);
    }
}
