//! The audit writer against a real systemd-journald (private, in its own mount namespace:
//! see `support/journald.rs`). Needs root. Entries are read back with `journalctl -o json`
//! and every field is compared.
use std::{
    io::{self, Write},
    sync::{Arc, Mutex},
    time::Duration,
};

use healer_daemon::audit::{AuditRecord, Delivery, EntryKind, JournalWriter, Priority};
use healer_tests::journald::PrivateJournald;
use serde_json::{Value, json};

const WAIT: Duration = Duration::from_secs(10);

fn journald() -> PrivateJournald {
    PrivateJournald::start().unwrap_or_else(|e| panic!("private journald (needs root): {e}"))
}

/// A unique incident id per test run, so entries of earlier runs can never match.
fn incident_id(tag: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!("{tag}-{}-{nanos}", std::process::id())
}

/// A `Write` the test can read after handing it to the writer.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Captured {
    fn text(&self) -> String {
        String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
    }
}

impl Write for Captured {
    fn write(&mut self, b: &[u8]) -> io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Captured {
    type Writer = Captured;
    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

/// One record per kind, as an incident's life would write them, with evidence.
fn story(incident: &str) -> Vec<AuditRecord> {
    let frames = json!([
        {"function": "handle_request", "file": "/srv/web/app/server.py", "line": 42},
        {"function": "main", "file": "/srv/web/app/server.py", "line": 90}
    ]);
    EntryKind::ALL
        .iter()
        .enumerate()
        .map(|(i, &kind)| {
            let r = AuditRecord::new(kind, format!("step {i}: {}", kind.name()))
                .unit("web.service")
                .incident(incident);
            match kind {
                EntryKind::IncidentOpened => r.signal("SIGSEGV").frames(&frames),
                EntryKind::Diagnosed => r.explanation("null deref in handle_request\nwhen the header is absent"),
                EntryKind::PatchProposed => r.patch("--- a/app/server.py\n+++ b/app/server.py\n@@ -42 +42 @@\n-    x = h[k]\n+    x = h.get(k)\n"),
                EntryKind::PatchApproved | EntryKind::PatchRejected => r.field("HEALER_ACTOR", "uid=0"),
                EntryKind::Deployed | EntryKind::RolledBack => r.field("HEALER_RELEASE", "r7"),
                EntryKind::Failed => r.explanation("tests failed").priority(Priority::Crit),
                EntryKind::PolicyError => r.field("HEALER_POLICY_FILE", "services.d/web.toml"),
                EntryKind::Healed => r,
                EntryKind::IncidentUpdated => r.field("HEALER_COUNT", "2").field("HEALER_FAULT", "crash_loop"),
                EntryKind::IncidentChanged => r.field("HEALER_STATE", "repairing").field("HEALER_PREVIOUS_STATE", "diagnosed"),
                EntryKind::HealingPaused | EntryKind::HealingResumed => r.field("HEALER_ACTOR", "uid 0 (root)"),
            }
        })
        .collect()
}

#[test]
fn every_entry_kind_reaches_journald_with_all_its_fields() {
    let j = journald();
    let w = JournalWriter::with_fallback(j.socket(), Captured::default()).unwrap();
    let incident = incident_id("inc");
    let records = story(&incident);
    for r in &records {
        assert_eq!(w.write(r).unwrap(), Delivery::Datagram);
    }
    let entries = j
        .wait_for(
            &[&format!("HEALER_INCIDENT={incident}")],
            records.len(),
            WAIT,
        )
        .unwrap();
    assert_eq!(entries.len(), records.len(), "{entries:#?}");
    for (r, e) in records.iter().zip(&entries) {
        // Every field we sent comes back with the same value (journald adds its own `_*` ones).
        for (k, v) in r.journal_fields().unwrap() {
            assert_eq!(
                e[k],
                Value::String(v.to_string()),
                "{k} of {:?}: {e:#}",
                r.kind
            );
        }
        assert_eq!(e["SYSLOG_IDENTIFIER"], "healerd");
        assert_eq!(e["MESSAGE_ID"], r.kind.message_id());
        assert_eq!(e["HEALER_KIND"], r.kind.name());
        // journald attributes the entry to this process: the trusted `_PID` is ours.
        assert_eq!(e["_PID"], std::process::id().to_string());
    }
    let opened = &entries[0];
    assert_eq!(opened["PRIORITY"], "4");
    assert_eq!(opened["HEALER_SIGNAL"], "SIGSEGV");
    let frames: Value = serde_json::from_str(opened["HEALER_FRAMES"].as_str().unwrap()).unwrap();
    assert_eq!(frames[0]["function"], "handle_request");
    // Multi-line values went in the binary length form and came back intact.
    assert!(
        entries[2]["HEALER_PATCH"]
            .as_str()
            .unwrap()
            .contains("\n+    x = h.get(k)\n")
    );
    assert_eq!(entries[7]["PRIORITY"], "2");

    // MESSAGE_ID selects one kind.
    let healed = j
        .query(&[
            &format!("HEALER_INCIDENT={incident}"),
            &format!("MESSAGE_ID={}", EntryKind::Healed.message_id()),
        ])
        .unwrap();
    assert_eq!(healed.len(), 1);
    assert_eq!(healed[0]["MESSAGE"], "step 8: healed");
}

/// An entry bigger than a datagram can carry goes through a sealed memfd and arrives whole.
#[test]
fn entries_too_big_for_a_datagram_go_through_a_memfd() {
    let j = journald();
    let w = JournalWriter::with_fallback(j.socket(), Captured::default()).unwrap();
    let incident = incident_id("big");
    // 2 MiB: far over the AF_UNIX datagram limit (the socket send buffer, ~208 KiB by default).
    let patch: String = (0..40_000)
        .map(|i| format!("+line {i:06} of a big generated patch\n"))
        .collect();
    assert!(patch.len() > 1 << 20);
    let r = AuditRecord::new(EntryKind::PatchProposed, "big patch")
        .unit("web.service")
        .incident(&incident)
        .patch(patch.clone());
    assert_eq!(w.write(&r).unwrap(), Delivery::Memfd);
    let e = j
        .wait_for(&[&format!("HEALER_INCIDENT={incident}")], 1, WAIT)
        .unwrap();
    assert_eq!(e.len(), 1);
    assert_eq!(e[0]["HEALER_PATCH"].as_str().unwrap(), patch);
    assert_eq!(e[0]["MESSAGE_ID"], EntryKind::PatchProposed.message_id());
}

/// journald goes away: one warning, and every record is on the fallback as a JSON line with
/// the same fields.
#[test]
fn when_journald_is_gone_records_go_to_the_fallback_with_one_warning() {
    let j = journald();
    let socket = j.socket();
    let out = Captured::default();
    let logs = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(logs.clone())
        .with_ansi(false)
        .finish();
    tracing::subscriber::with_default(subscriber, || {
        let w = JournalWriter::with_fallback(&socket, out.clone()).unwrap();
        let incident = incident_id("gone");
        let first = AuditRecord::new(EntryKind::IncidentOpened, "before")
            .unit("web.service")
            .incident(&incident);
        assert_eq!(w.write(&first).unwrap(), Delivery::Datagram);
        j.wait_for(&[&format!("HEALER_INCIDENT={incident}")], 1, WAIT)
            .unwrap();
        drop(j); // kills journald and removes its directories: the socket is gone.
        let records = story(&incident);
        for r in &records {
            assert_eq!(w.write(r).unwrap(), Delivery::Fallback);
        }
        let lines: Vec<Value> = out
            .text()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), records.len());
        for (r, l) in records.iter().zip(&lines) {
            for (k, v) in r.journal_fields().unwrap() {
                assert_eq!(l[k], Value::String(v.to_string()), "{k}");
            }
        }
    });
    let logs = logs.text();
    let warnings: Vec<&str> = logs.lines().filter(|l| l.contains("WARN")).collect();
    assert_eq!(warnings.len(), 1, "{logs}");
    assert!(warnings[0].contains("journald is not reachable"), "{logs}");
    assert!(
        warnings[0].contains(&socket.display().to_string()),
        "{logs}"
    );
}

/// Config errors become `policy_error` entries an operator can filter by file.
#[test]
fn policy_errors_are_audited_with_their_location() {
    let j = journald();
    let w = JournalWriter::with_fallback(j.socket(), Captured::default()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("healer.toml"), "bus = \"session\"\n").unwrap();
    std::fs::create_dir(dir.path().join("services.d")).unwrap();
    let file = format!("{}.toml", incident_id("policy"));
    std::fs::write(
        dir.path().join("services.d").join(&file),
        "unit = \"web.service\"\n\nmode = \"fast\"\n",
    )
    .unwrap();
    let load = healer_daemon::config::load_dir(dir.path()).unwrap();
    assert_eq!(load.errors.len(), 1);
    let r = AuditRecord::policy_error(&load.errors[0]);
    assert_eq!(w.write(&r).unwrap(), Delivery::Datagram);
    let shown = format!("services.d/{file}");
    let e = j
        .wait_for(&[&format!("HEALER_POLICY_FILE={shown}")], 1, WAIT)
        .unwrap();
    assert_eq!(e.len(), 1);
    assert_eq!(e[0]["MESSAGE_ID"], EntryKind::PolicyError.message_id());
    assert_eq!(e[0]["PRIORITY"], "3");
    assert_eq!(e[0]["HEALER_POLICY_LINE"], "3");
    assert_eq!(e[0]["HEALER_POLICY_COLUMN"], "8");
    assert_eq!(e[0]["HEALER_POLICY_KEY"], "mode");
    assert_eq!(
        e[0]["MESSAGE"],
        format!("{shown}:3:8: key `mode`: expected one of observe, propose, auto, found \"fast\"")
    );
}

/// journalctl itself compiles the message catalog (into a scratch root, not the host's) and
/// lists exactly one entry per MESSAGE_ID.
#[test]
fn catalog_compiles_with_journalctl() {
    let root = tempfile::tempdir().unwrap();
    let cat_dir = root.path().join("usr/lib/systemd/catalog");
    std::fs::create_dir_all(&cat_dir).unwrap();
    std::fs::create_dir_all(root.path().join("var/lib/systemd/catalog")).unwrap();
    std::fs::copy(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../config/catalog/healer.catalog"),
        cat_dir.join("healer.catalog"),
    )
    .unwrap();
    let run = |args: &[&str]| {
        let out = std::process::Command::new("journalctl")
            .arg(format!("--root={}", root.path().display()))
            .args(args)
            .output()
            .expect("run journalctl");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    run(&["--update-catalog"]);
    let listed = run(&["--list-catalog"]);
    assert_eq!(listed.lines().count(), EntryKind::ALL.len(), "{listed}");
    for k in EntryKind::ALL {
        assert_eq!(
            listed
                .lines()
                .filter(|l| l.starts_with(&format!("{} healer: ", k.message_id())))
                .count(),
            1,
            "{k:?} not listed once: {listed}"
        );
    }
}
