//! The audit log: every incident and every action healer takes, as structured journald
//! entries. `journalctl -o json HEALER_INCIDENT=<id>` tells an incident's whole story.
//!
//! Each kind of entry has a stable `MESSAGE_ID` (documented in `docs/config.md` and explained
//! in `config/catalog/healer.catalog`); never change one, tools match on them.
pub mod journald;

pub use journald::{Delivery, JournalWriter};

/// Value of `SYSLOG_IDENTIFIER` on every entry.
pub const SYSLOG_IDENTIFIER: &str = "healerd";

/// syslog priorities, as journald's `PRIORITY=` field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Priority {
    Emerg = 0,
    Alert = 1,
    Crit = 2,
    Err = 3,
    Warning = 4,
    Notice = 5,
    Info = 6,
    Debug = 7,
}

/// The kinds of audit entries, one `MESSAGE_ID` each.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EntryKind {
    IncidentOpened,
    Diagnosed,
    PatchProposed,
    PatchApproved,
    PatchRejected,
    Deployed,
    RolledBack,
    Failed,
    Healed,
    PolicyError,
    IncidentUpdated,
    IncidentChanged,
    HealingPaused,
    HealingResumed,
}

impl EntryKind {
    pub const ALL: [EntryKind; 14] = [
        Self::IncidentOpened,
        Self::Diagnosed,
        Self::PatchProposed,
        Self::PatchApproved,
        Self::PatchRejected,
        Self::Deployed,
        Self::RolledBack,
        Self::Failed,
        Self::Healed,
        Self::PolicyError,
        Self::IncidentUpdated,
        Self::IncidentChanged,
        Self::HealingPaused,
        Self::HealingResumed,
    ];

    /// The 128-bit `MESSAGE_ID`, as journald writes it (32 lowercase hex digits).
    pub fn message_id(self) -> &'static str {
        match self {
            Self::IncidentOpened => "eb00504c45094f7c984af8b5cdab6e5f",
            Self::Diagnosed => "dbf4beedcc1c45d2a4f00e69db183fa7",
            Self::PatchProposed => "8ccbe5166dc4455bb491fe6952410e76",
            Self::PatchApproved => "748b6d0000004177b24830031c81b381",
            Self::PatchRejected => "5fe9233f631342a2b2f04d11b31efc14",
            Self::Deployed => "7f32fa0207e4405f935a16b237c4486f",
            Self::RolledBack => "8754a56412fd4552b9c32c64ffe62538",
            Self::Failed => "21562b4becb8496d9fcbbc52a6eaa0e4",
            Self::Healed => "fa5a170e48384fd3ab0964fb76f155ac",
            Self::PolicyError => "7a2273052dfd44ea8ffb14c672fa4dd8",
            Self::IncidentUpdated => "d3390198f5d24b75b1b3c2afe28f8259",
            Self::IncidentChanged => "1c60b679956243d8af32641f848f5922",
            Self::HealingPaused => "be05eb4d462e4881adbf3f77ee6da6af",
            Self::HealingResumed => "2022e3fb925847bc9e9bb976064126c2",
        }
    }

    /// Value of `HEALER_KIND`: readable, stable, for `journalctl HEALER_KIND=…`.
    pub fn name(self) -> &'static str {
        match self {
            Self::IncidentOpened => "incident_opened",
            Self::Diagnosed => "diagnosed",
            Self::PatchProposed => "patch_proposed",
            Self::PatchApproved => "patch_approved",
            Self::PatchRejected => "patch_rejected",
            Self::Deployed => "deployed",
            Self::RolledBack => "rolled_back",
            Self::Failed => "failed",
            Self::Healed => "healed",
            Self::PolicyError => "policy_error",
            Self::IncidentUpdated => "incident_updated",
            Self::IncidentChanged => "incident_changed",
            Self::HealingPaused => "healing_paused",
            Self::HealingResumed => "healing_resumed",
        }
    }

    pub fn default_priority(self) -> Priority {
        match self {
            Self::IncidentOpened | Self::RolledBack => Priority::Warning,
            Self::Failed | Self::PolicyError => Priority::Err,
            Self::PatchProposed | Self::PatchApproved | Self::PatchRejected => Priority::Notice,
            Self::Deployed | Self::Healed => Priority::Notice,
            Self::Diagnosed | Self::IncidentChanged => Priority::Info,
            Self::IncidentUpdated => Priority::Warning,
            Self::HealingPaused | Self::HealingResumed => Priority::Notice,
        }
    }
}

/// Evidence field names healer uses; [`AuditRecord::field`] takes others too.
pub mod fields {
    pub const SIGNAL: &str = "HEALER_SIGNAL";
    /// Symbolized stack, JSON array of frames.
    pub const FRAMES: &str = "HEALER_FRAMES";
    /// Unified diff of a proposed or deployed patch.
    pub const PATCH: &str = "HEALER_PATCH";
    pub const EXPLANATION: &str = "HEALER_EXPLANATION";
    pub const EXIT_CODE: &str = "HEALER_EXIT_CODE";
    pub const RELEASE: &str = "HEALER_RELEASE";
    pub const ACTOR: &str = "HEALER_ACTOR";
    pub const POLICY_FILE: &str = "HEALER_POLICY_FILE";
    pub const POLICY_LINE: &str = "HEALER_POLICY_LINE";
    pub const POLICY_COLUMN: &str = "HEALER_POLICY_COLUMN";
    pub const POLICY_KEY: &str = "HEALER_POLICY_KEY";
    /// Incident kind (`crash`, `crash_loop`, `abnormal_exit`, ...).
    pub const FAULT: &str = "HEALER_FAULT";
    /// Incident state after the entry, and before it for a transition.
    pub const STATE: &str = "HEALER_STATE";
    pub const PREVIOUS_STATE: &str = "HEALER_PREVIOUS_STATE";
    /// Faults folded into the incident so far.
    pub const COUNT: &str = "HEALER_COUNT";
    pub const PID: &str = "HEALER_PID";
    /// Why a transition happened.
    pub const REASON: &str = "HEALER_REASON";
}

/// Fields the writer sets itself; a record cannot override them.
const RESERVED: [&str; 7] = [
    "MESSAGE",
    "MESSAGE_ID",
    "PRIORITY",
    "SYSLOG_IDENTIFIER",
    "HEALER_KIND",
    "HEALER_UNIT",
    "HEALER_INCIDENT",
];

#[derive(Debug, thiserror::Error)]
pub enum AuditError {
    #[error("invalid journal field name {name:?}: {why}")]
    FieldName { name: String, why: &'static str },
    #[error("audit record lost: journal: {journal}; fallback: {fallback}")]
    Lost {
        journal: std::io::Error,
        fallback: std::io::Error,
    },
}

/// One audit entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditRecord {
    pub kind: EntryKind,
    pub message: String,
    pub priority: Priority,
    pub unit: Option<String>,
    pub incident: Option<String>,
    /// Evidence, in the order given.
    pub extra: Vec<(String, String)>,
}

impl AuditRecord {
    pub fn new(kind: EntryKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
            priority: kind.default_priority(),
            unit: None,
            incident: None,
            extra: Vec::new(),
        }
    }

    pub fn unit(mut self, unit: impl Into<String>) -> Self {
        self.unit = Some(unit.into());
        self
    }

    pub fn incident(mut self, id: impl Into<String>) -> Self {
        self.incident = Some(id.into());
        self
    }

    pub fn priority(mut self, p: Priority) -> Self {
        self.priority = p;
        self
    }

    /// Any evidence field; the name is checked when the record is written.
    pub fn field(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.extra.push((name.into(), value.into()));
        self
    }

    pub fn signal(self, s: impl Into<String>) -> Self {
        self.field(fields::SIGNAL, s)
    }

    pub fn frames(self, frames: &serde_json::Value) -> Self {
        self.field(fields::FRAMES, frames.to_string())
    }

    pub fn patch(self, diff: impl Into<String>) -> Self {
        self.field(fields::PATCH, diff)
    }

    pub fn explanation(self, text: impl Into<String>) -> Self {
        self.field(fields::EXPLANATION, text)
    }

    /// The entry for a configuration error: the full message, and where, as fields an
    /// operator can filter on (`journalctl HEALER_POLICY_FILE=services.d/web.toml`).
    pub fn policy_error(e: &crate::config::ConfigError) -> Self {
        let mut r = Self::new(EntryKind::PolicyError, e.to_string())
            .field(fields::POLICY_FILE, e.file.display().to_string());
        if let Some(l) = e.location {
            r = r
                .field(fields::POLICY_LINE, l.line.to_string())
                .field(fields::POLICY_COLUMN, l.column.to_string());
        }
        if let Some(k) = &e.key {
            r = r.field(fields::POLICY_KEY, k.clone());
        }
        r
    }

    /// All fields in the order they are sent, names checked.
    pub fn journal_fields(&self) -> Result<Vec<(&str, &str)>, AuditError> {
        let mut out: Vec<(&str, &str)> = vec![
            ("MESSAGE", &self.message),
            ("MESSAGE_ID", self.kind.message_id()),
            ("PRIORITY", priority_str(self.priority)),
            ("SYSLOG_IDENTIFIER", SYSLOG_IDENTIFIER),
            ("HEALER_KIND", self.kind.name()),
        ];
        if let Some(u) = &self.unit {
            out.push(("HEALER_UNIT", u));
        }
        if let Some(i) = &self.incident {
            out.push(("HEALER_INCIDENT", i));
        }
        for (k, v) in &self.extra {
            check_field_name(k)?;
            if RESERVED.contains(&k.as_str()) {
                return Err(AuditError::FieldName {
                    name: k.clone(),
                    why: "set by the writer itself",
                });
            }
            out.push((k, v));
        }
        Ok(out)
    }

    /// The record as one JSON object (the stderr fallback's format: the same field names as
    /// in the journal, so one parser reads both).
    pub fn to_json(&self) -> Result<serde_json::Value, AuditError> {
        let map: serde_json::Map<String, serde_json::Value> = self
            .journal_fields()?
            .into_iter()
            .map(|(k, v)| (k.to_string(), serde_json::Value::String(v.to_string())))
            .collect();
        Ok(serde_json::Value::Object(map))
    }
}

fn priority_str(p: Priority) -> &'static str {
    ["0", "1", "2", "3", "4", "5", "6", "7"][p as usize]
}

/// journald's rules for field names (`journal_field_valid`): 1 to 64 bytes of `A-Z`, `0-9`
/// and `_`, not starting with a digit or `_` (leading `_` is for trusted fields journald adds).
pub fn check_field_name(name: &str) -> Result<(), AuditError> {
    let why = if name.is_empty() {
        Some("empty")
    } else if name.len() > 64 {
        Some("longer than 64 bytes")
    } else if name.starts_with('_') {
        Some("starts with `_` (reserved for journald's trusted fields)")
    } else if name.as_bytes()[0].is_ascii_digit() {
        Some("starts with a digit")
    } else if !name
        .bytes()
        .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
    {
        Some("only A-Z, 0-9 and _ are allowed")
    } else {
        None
    };
    match why {
        Some(why) => Err(AuditError::FieldName {
            name: name.to_string(),
            why,
        }),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_ids_are_unique_128_bit_hex() {
        let mut seen = std::collections::HashSet::new();
        for k in EntryKind::ALL {
            let id = k.message_id();
            assert_eq!(id.len(), 32, "{k:?}");
            assert!(
                id.bytes()
                    .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
            );
            assert!(seen.insert(id), "{k:?} reuses {id}");
        }
    }

    #[test]
    fn catalog_has_one_entry_per_message_id() {
        let catalog = include_str!("../../../config/catalog/healer.catalog");
        for k in EntryKind::ALL {
            let header = format!("-- {}", k.message_id());
            assert_eq!(
                catalog.lines().filter(|l| l.trim() == header).count(),
                1,
                "{k:?} ({header}) must appear exactly once in the catalog"
            );
        }
        let entries = catalog.lines().filter(|l| l.starts_with("-- ")).count();
        assert_eq!(entries, EntryKind::ALL.len(), "catalog has stray entries");
    }

    #[test]
    fn docs_list_every_message_id() {
        let docs = include_str!("../../../docs/config.md");
        for k in EntryKind::ALL {
            let row = format!("| `{}` | `{}` |", k.name(), k.message_id());
            assert!(docs.contains(&row), "docs/config.md lacks {row}");
        }
    }

    #[test]
    fn policy_errors_carry_where_as_fields() {
        use crate::config::{ConfigError, ErrorKind, Location};
        let e = ConfigError::new("services.d/web.toml", ErrorKind::Invalid("bad".into()))
            .at(Some(Location { line: 3, column: 9 }))
            .key("source.repo");
        let r = AuditRecord::policy_error(&e);
        let f = r.journal_fields().unwrap();
        assert!(f.contains(&("MESSAGE", "services.d/web.toml:3:9: key `source.repo`: bad")));
        assert!(f.contains(&("MESSAGE_ID", EntryKind::PolicyError.message_id())));
        assert!(f.contains(&("HEALER_POLICY_FILE", "services.d/web.toml")));
        assert!(f.contains(&("HEALER_POLICY_LINE", "3")));
        assert!(f.contains(&("HEALER_POLICY_COLUMN", "9")));
        assert!(f.contains(&("HEALER_POLICY_KEY", "source.repo")));
    }

    #[test]
    fn field_names_follow_journald_rules() {
        assert!(check_field_name("HEALER_SIGNAL").is_ok());
        for bad in ["", "_PID", "1X", "healer", "A-B", &"A".repeat(65)] {
            assert!(check_field_name(bad).is_err(), "{bad:?} accepted");
        }
        let r = AuditRecord::new(EntryKind::Failed, "x").field("MESSAGE_ID", "forged");
        assert!(matches!(
            r.journal_fields(),
            Err(AuditError::FieldName { .. })
        ));
    }
}
