//! Incidents: what healer saw go wrong with one service, the state it is in, and every state
//! change with its time and reason. Persisted in SQLite under the daemon's `state_dir`, so a
//! restarted `healerd` carries on with the same incidents.

use std::{
    fmt,
    path::{Path, PathBuf},
    str::FromStr,
    time::{SystemTime, UNIX_EPOCH},
};

use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};

/// Name of the database file inside `state_dir`.
pub const STORE_FILE: &str = "incidents.sqlite";

/// Lines of evidence kept per incident; older lines are dropped first (the count keeps
/// counting), so a crash loop cannot grow an incident without bound.
pub const MAX_EVIDENCE_LINES: usize = 64;

/// Where an incident is in its life. Later stages (diagnosis, repair, deploy) drive the
/// states after `detected`; [`State::can_go_to`] is the one table of allowed moves.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    Detected,
    Diagnosed,
    Mitigated,
    Repairing,
    Proposed,
    Approved,
    Rejected,
    Deploying,
    Canary,
    Healed,
    Failed,
    RolledBack,
}

impl State {
    pub const ALL: [State; 12] = [
        State::Detected,
        State::Diagnosed,
        State::Mitigated,
        State::Repairing,
        State::Proposed,
        State::Approved,
        State::Rejected,
        State::Deploying,
        State::Canary,
        State::Healed,
        State::Failed,
        State::RolledBack,
    ];

    pub fn name(self) -> &'static str {
        match self {
            State::Detected => "detected",
            State::Diagnosed => "diagnosed",
            State::Mitigated => "mitigated",
            State::Repairing => "repairing",
            State::Proposed => "proposed",
            State::Approved => "approved",
            State::Rejected => "rejected",
            State::Deploying => "deploying",
            State::Canary => "canary",
            State::Healed => "healed",
            State::Failed => "failed",
            State::RolledBack => "rolled_back",
        }
    }

    /// A closed incident is history: a new fault of the service opens a new one.
    pub fn is_closed(self) -> bool {
        matches!(
            self,
            State::Rejected | State::Healed | State::Failed | State::RolledBack
        )
    }

    /// Whether `self → to` is a legal transition.
    pub fn can_go_to(self, to: State) -> bool {
        use State::*;
        if self.is_closed() || self == to {
            return false;
        }
        // Giving up, and an operator's rollback, are possible from every open state.
        if matches!(to, Failed | RolledBack) {
            return true;
        }
        matches!(
            (self, to),
            (Detected, Diagnosed | Mitigated | Repairing | Healed)
                | (Diagnosed, Mitigated | Repairing | Proposed | Healed)
                | (Mitigated, Diagnosed | Repairing | Proposed | Healed)
                | (Repairing, Proposed | Deploying)
                | (Proposed, Approved | Rejected)
                | (Approved, Deploying)
                | (Deploying, Canary | Healed)
                | (Canary, Healed)
        )
    }
}

impl fmt::Display for State {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for State {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        State::ALL
            .into_iter()
            .find(|st| st.name() == s)
            .ok_or_else(|| format!("unknown incident state {s:?}"))
    }
}

/// What kind of fault opened (or last escalated) an incident.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FaultKind {
    /// A fatal signal (SIGSEGV, SIGABRT, …).
    Crash,
    /// Several crashes within the detector's window.
    CrashLoop,
    /// The main process exited with a failing status.
    AbnormalExit,
    /// The kernel's OOM killer chose a process of the service.
    OomKill,
    /// A syscall's 99th percentile latency went above the policy's bound.
    SyscallLatency,
    /// Failed syscalls per second went above the policy's bound.
    ErrorRate,
}

impl FaultKind {
    pub fn name(self) -> &'static str {
        match self {
            FaultKind::Crash => "crash",
            FaultKind::CrashLoop => "crash_loop",
            FaultKind::AbnormalExit => "abnormal_exit",
            FaultKind::OomKill => "oom_kill",
            FaultKind::SyscallLatency => "syscall_latency",
            FaultKind::ErrorRate => "error_rate",
        }
    }
}

/// One symbolized stack frame, as kept with an incident.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StackFrame {
    pub function: Option<String>,
    pub file: Option<String>,
    pub line: Option<u32>,
    pub binary: Option<String>,
    pub address: Option<u64>,
}

impl fmt::Display for StackFrame {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.function.as_deref().unwrap_or("??"))?;
        match (&self.file, self.line) {
            (Some(file), Some(line)) => write!(f, " at {file}:{line}"),
            (Some(file), None) => write!(f, " at {file}"),
            _ => match (&self.binary, self.address) {
                (Some(b), Some(a)) => write!(f, " in {b} (0x{a:x})"),
                (Some(b), None) => write!(f, " in {b}"),
                _ => Ok(()),
            },
        }
    }
}

impl From<&crate::sense::Frame> for StackFrame {
    fn from(f: &crate::sense::Frame) -> Self {
        Self {
            function: f.function.clone(),
            file: f.file.clone(),
            line: f.line,
            binary: f.binary.clone(),
            address: f.address,
        }
    }
}

/// One state change.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transition {
    /// Microseconds since the Unix epoch.
    pub at_us: i64,
    /// `None` for the opening entry.
    pub from: Option<State>,
    pub to: State,
    pub reason: String,
    /// Who caused it: `healerd`, or `uid N` for an operator over the API.
    pub actor: String,
}

/// Everything healer knows about one incident.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Incident {
    /// Short, stable, printable (`journalctl HEALER_INCIDENT=<id>`).
    pub id: String,
    pub unit: String,
    pub kind: FaultKind,
    pub state: State,
    pub opened_us: i64,
    pub updated_us: i64,
    /// Faults folded into this incident (1 when it opens).
    pub count: u64,
    pub signal: Option<i32>,
    pub signal_name: Option<String>,
    pub exit_code: Option<i32>,
    pub pid: Option<u32>,
    /// The first fault's stack, innermost frame first.
    pub frames: Vec<StackFrame>,
    /// One line per fault or finding, oldest first (at most [`MAX_EVIDENCE_LINES`]).
    pub evidence: Vec<String>,
    pub history: Vec<Transition>,
    /// What diagnosis and repair found (journal evidence, patch, release, explanation).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repair: Option<RepairRecord>,
}

/// Diagnosis and repair results of an incident, filled in as the heal stages run.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RepairRecord {
    /// The runtime's own account: exception/panic kind, message, innermost frame.
    pub diagnosis: Option<String>,
    /// The failing process's output as read from the journal (traceback, panic).
    pub journal_log: Option<String>,
    /// The input the service logged last before failing.
    pub failing_input: Option<String>,
    pub mitigation: Option<String>,
    /// The release the patch was built into, its hotfix branch and patch file.
    pub release: Option<String>,
    pub branch: Option<String>,
    pub patch_file: Option<String>,
    pub diff: Option<String>,
    pub template: Option<String>,
    /// The repair engine's explanation record (sites, attempts, validation steps).
    pub explanation: Option<serde_json::Value>,
    /// The release the unit ran before the patched one was deployed.
    pub previous_release: Option<String>,
}

impl Incident {
    pub fn is_open(&self) -> bool {
        !self.state.is_closed()
    }

    pub fn push_evidence(&mut self, line: String) {
        self.evidence.push(line);
        if self.evidence.len() > MAX_EVIDENCE_LINES {
            let extra = self.evidence.len() - MAX_EVIDENCE_LINES;
            self.evidence.drain(..extra);
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("incident store {path}: {source}")]
    Sql {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },
    #[error("incident store {path}: cannot create {dir}: {source}")]
    Dir {
        path: PathBuf,
        dir: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("incident store {path}: incident {id} holds unreadable data: {why}")]
    Corrupt {
        path: PathBuf,
        id: String,
        why: String,
    },
    #[error("incident {id}: cannot go from {from} to {to}")]
    Transition { id: String, from: State, to: State },
    #[error("no incident {0}")]
    NotFound(String),
}

/// The persisted incidents (and which services an operator paused).
pub struct IncidentStore {
    conn: Connection,
    path: PathBuf,
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS incidents (
    id TEXT PRIMARY KEY,
    unit TEXT NOT NULL,
    state TEXT NOT NULL,
    opened_us INTEGER NOT NULL,
    updated_us INTEGER NOT NULL,
    -- The rest of the incident (kind, signal, frames, evidence, ...) as JSON.
    body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS incidents_unit ON incidents(unit, opened_us);
CREATE TABLE IF NOT EXISTS transitions (
    incident TEXT NOT NULL REFERENCES incidents(id),
    seq INTEGER NOT NULL,
    at_us INTEGER NOT NULL,
    from_state TEXT,
    to_state TEXT NOT NULL,
    reason TEXT NOT NULL,
    actor TEXT NOT NULL,
    PRIMARY KEY (incident, seq)
);
CREATE TABLE IF NOT EXISTS paused (
    unit TEXT PRIMARY KEY,
    at_us INTEGER NOT NULL,
    actor TEXT NOT NULL
);
";

/// The incident columns that are not part of the JSON body.
#[derive(Serialize, Deserialize)]
struct Body {
    kind: FaultKind,
    count: u64,
    signal: Option<i32>,
    signal_name: Option<String>,
    exit_code: Option<i32>,
    pid: Option<u32>,
    frames: Vec<StackFrame>,
    evidence: Vec<String>,
    #[serde(default)]
    repair: Option<RepairRecord>,
}

pub fn now_us() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_micros() as i64)
        .unwrap_or(0)
}

impl IncidentStore {
    /// Opens (creating if needed) `state_dir/incidents.sqlite`.
    pub fn open(state_dir: &Path) -> Result<Self, StoreError> {
        let path = state_dir.join(STORE_FILE);
        std::fs::create_dir_all(state_dir).map_err(|source| StoreError::Dir {
            path: path.clone(),
            dir: state_dir.to_path_buf(),
            source,
        })?;
        let conn = Connection::open(&path).map_err(|source| StoreError::Sql {
            path: path.clone(),
            source,
        })?;
        let store = Self { conn, path };
        store.conn.execute_batch(SCHEMA).map_err(|e| store.sql(e))?;
        Ok(store)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn sql(&self, source: rusqlite::Error) -> StoreError {
        StoreError::Sql {
            path: self.path.clone(),
            source,
        }
    }

    /// A new id: 8 lowercase hex digits, unique in this store.
    pub fn new_id(&self) -> Result<String, StoreError> {
        use std::hash::{BuildHasher, Hasher};
        for attempt in 0u64.. {
            // RandomState is seeded randomly per process; mixing in the clock and the
            // attempt makes each call differ.
            let mut h = std::collections::hash_map::RandomState::new().build_hasher();
            h.write_i64(now_us());
            h.write_u64(attempt);
            let id = format!("{:08x}", h.finish() as u32);
            if self.get(&id)?.is_none() {
                return Ok(id);
            }
        }
        unreachable!("the loop only ends by returning")
    }

    /// Stores a new incident with its opening transition (`history[0]`).
    pub fn insert(&mut self, inc: &Incident) -> Result<(), StoreError> {
        let tx = self.conn.transaction().map_err(|source| StoreError::Sql {
            path: self.path.clone(),
            source,
        })?;
        write_incident(&tx, &self.path, inc)?;
        for (seq, t) in inc.history.iter().enumerate() {
            insert_transition(&tx, &inc.id, seq, t).map_err(|source| StoreError::Sql {
                path: self.path.clone(),
                source,
            })?;
        }
        tx.commit().map_err(|e| self.sql(e))
    }

    /// Saves an incident's fields (count, evidence, kind, …) without a state change.
    pub fn update(&mut self, inc: &Incident) -> Result<(), StoreError> {
        write_incident(&self.conn, &self.path, inc)
    }

    /// Moves `inc` to `to`, if the table allows it, and stores the change.
    pub fn transition(
        &mut self,
        inc: &mut Incident,
        to: State,
        reason: impl Into<String>,
        actor: impl Into<String>,
    ) -> Result<Transition, StoreError> {
        if !inc.state.can_go_to(to) {
            return Err(StoreError::Transition {
                id: inc.id.clone(),
                from: inc.state,
                to,
            });
        }
        let t = Transition {
            at_us: now_us(),
            from: Some(inc.state),
            to,
            reason: reason.into(),
            actor: actor.into(),
        };
        let mut next = inc.clone();
        next.state = to;
        next.updated_us = t.at_us;
        next.history.push(t.clone());
        let path = self.path.clone();
        let sql = |source| StoreError::Sql {
            path: path.clone(),
            source,
        };
        let tx = self.conn.transaction().map_err(sql)?;
        write_incident(&tx, &path, &next)?;
        insert_transition(&tx, &next.id, next.history.len() - 1, &t).map_err(sql)?;
        tx.commit().map_err(sql)?;
        *inc = next;
        Ok(t)
    }

    pub fn get(&self, id: &str) -> Result<Option<Incident>, StoreError> {
        let row = self
            .conn
            .query_row(
                "SELECT id, unit, state, opened_us, updated_us, body FROM incidents WHERE id = ?1",
                params![id],
                row_tuple,
            )
            .optional()
            .map_err(|e| self.sql(e))?;
        match row {
            None => Ok(None),
            Some(r) => self.assemble(r).map(Some),
        }
    }

    /// Every incident, oldest first.
    pub fn all(&self) -> Result<Vec<Incident>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT id, unit, state, opened_us, updated_us, body FROM incidents \
                 ORDER BY opened_us, id",
            )
            .map_err(|e| self.sql(e))?;
        let rows: Vec<RowTuple> = stmt
            .query_map([], row_tuple)
            .and_then(|r| r.collect())
            .map_err(|e| self.sql(e))?;
        rows.into_iter().map(|r| self.assemble(r)).collect()
    }

    fn assemble(&self, r: RowTuple) -> Result<Incident, StoreError> {
        let (id, unit, state, opened_us, updated_us, body) = r;
        let corrupt = |why: String| StoreError::Corrupt {
            path: self.path.clone(),
            id: id.clone(),
            why,
        };
        let state: State = state.parse().map_err(corrupt)?;
        let body: Body = serde_json::from_str(&body).map_err(|e| corrupt(e.to_string()))?;
        let mut stmt = self
            .conn
            .prepare(
                "SELECT at_us, from_state, to_state, reason, actor FROM transitions \
                 WHERE incident = ?1 ORDER BY seq",
            )
            .map_err(|e| self.sql(e))?;
        let raw: Vec<(i64, Option<String>, String, String, String)> = stmt
            .query_map(params![id], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })
            .and_then(|r| r.collect())
            .map_err(|e| self.sql(e))?;
        let mut history = Vec::with_capacity(raw.len());
        for (at_us, from, to, reason, actor) in raw {
            history.push(Transition {
                at_us,
                from: from.map(|f| f.parse()).transpose().map_err(corrupt)?,
                to: to.parse().map_err(corrupt)?,
                reason,
                actor,
            });
        }
        Ok(Incident {
            id: id.clone(),
            unit,
            kind: body.kind,
            state,
            opened_us,
            updated_us,
            count: body.count,
            signal: body.signal,
            signal_name: body.signal_name,
            exit_code: body.exit_code,
            pid: body.pid,
            frames: body.frames,
            evidence: body.evidence,
            repair: body.repair,
            history,
        })
    }

    /// Units an operator paused, with who did it.
    pub fn paused(&self) -> Result<Vec<(String, String)>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT unit, actor FROM paused ORDER BY unit")
            .map_err(|e| self.sql(e))?;
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .and_then(|r| r.collect())
            .map_err(|e| self.sql(e))
    }

    /// Records `unit` as paused (`true`) or not; returns whether that changed anything.
    pub fn set_paused(
        &mut self,
        unit: &str,
        paused: bool,
        actor: &str,
    ) -> Result<bool, StoreError> {
        let n = if paused {
            self.conn.execute(
                "INSERT OR IGNORE INTO paused (unit, at_us, actor) VALUES (?1, ?2, ?3)",
                params![unit, now_us(), actor],
            )
        } else {
            self.conn
                .execute("DELETE FROM paused WHERE unit = ?1", params![unit])
        }
        .map_err(|e| self.sql(e))?;
        Ok(n > 0)
    }
}

type RowTuple = (String, String, String, i64, i64, String);

fn row_tuple(r: &rusqlite::Row<'_>) -> rusqlite::Result<RowTuple> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
    ))
}

/// Upserts the incident row.
fn write_incident(conn: &Connection, path: &Path, inc: &Incident) -> Result<(), StoreError> {
    let body = serde_json::to_string(&Body {
        kind: inc.kind,
        count: inc.count,
        signal: inc.signal,
        signal_name: inc.signal_name.clone(),
        exit_code: inc.exit_code,
        pid: inc.pid,
        frames: inc.frames.clone(),
        evidence: inc.evidence.clone(),
        repair: inc.repair.clone(),
    })
    .map_err(|e| StoreError::Corrupt {
        path: path.to_path_buf(),
        id: inc.id.clone(),
        why: e.to_string(),
    })?;
    conn.execute(
        "INSERT INTO incidents (id, unit, state, opened_us, updated_us, body) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6) \
         ON CONFLICT(id) DO UPDATE SET state = ?3, updated_us = ?5, body = ?6",
        params![
            inc.id,
            inc.unit,
            inc.state.name(),
            inc.opened_us,
            inc.updated_us,
            body
        ],
    )
    .map(|_| ())
    .map_err(|source| StoreError::Sql {
        path: path.to_path_buf(),
        source,
    })
}

fn insert_transition(
    conn: &Connection,
    id: &str,
    seq: usize,
    t: &Transition,
) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO transitions (incident, seq, at_us, from_state, to_state, reason, actor) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            id,
            seq as i64,
            t.at_us,
            t.from.map(State::name),
            t.to.name(),
            t.reason,
            t.actor
        ],
    )
    .map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(store: &IncidentStore, unit: &str) -> Incident {
        let now = now_us();
        Incident {
            id: store.new_id().unwrap(),
            unit: unit.into(),
            kind: FaultKind::Crash,
            state: State::Detected,
            opened_us: now,
            updated_us: now,
            count: 1,
            signal: Some(11),
            signal_name: Some("SIGSEGV".into()),
            exit_code: None,
            pid: Some(42),
            frames: vec![StackFrame {
                function: Some("handle_request".into()),
                file: Some("server.c".into()),
                line: Some(17),
                binary: Some("/usr/bin/server".into()),
                address: Some(0x1234),
            }],
            evidence: vec!["SIGSEGV in pid 42".into()],
            history: vec![Transition {
                at_us: now,
                from: None,
                to: State::Detected,
                reason: "crash".into(),
                actor: "healerd".into(),
            }],
            repair: None,
        }
    }

    #[test]
    fn incidents_survive_reopening_the_store() {
        let dir = tempfile::tempdir().unwrap();
        let id;
        {
            let mut store = IncidentStore::open(dir.path()).unwrap();
            let mut inc = sample(&store, "web.service");
            id = inc.id.clone();
            store.insert(&inc).unwrap();
            inc.count = 3;
            inc.kind = FaultKind::CrashLoop;
            inc.push_evidence("second".into());
            store.update(&inc).unwrap();
            store
                .transition(&mut inc, State::Diagnosed, "located", "healerd")
                .unwrap();
            store.set_paused("web.service", true, "uid 0").unwrap();
        }
        let store = IncidentStore::open(dir.path()).unwrap();
        let inc = store.get(&id).unwrap().expect("reloaded");
        assert_eq!(inc.state, State::Diagnosed);
        assert_eq!(inc.kind, FaultKind::CrashLoop);
        assert_eq!(inc.count, 3);
        assert_eq!(inc.frames[0].function.as_deref(), Some("handle_request"));
        assert_eq!(inc.evidence.len(), 2);
        let states: Vec<_> = inc.history.iter().map(|t| (t.from, t.to)).collect();
        assert_eq!(
            states,
            [
                (None, State::Detected),
                (Some(State::Detected), State::Diagnosed)
            ]
        );
        assert_eq!(inc.history[1].reason, "located");
        assert_eq!(store.all().unwrap().len(), 1);
        assert_eq!(
            store.paused().unwrap(),
            [("web.service".to_string(), "uid 0".to_string())]
        );
    }

    #[test]
    fn illegal_transitions_are_refused_and_not_stored() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = IncidentStore::open(dir.path()).unwrap();
        let mut inc = sample(&store, "a.service");
        store.insert(&inc).unwrap();
        let err = store
            .transition(&mut inc, State::Approved, "x", "uid 0")
            .unwrap_err();
        assert!(matches!(
            err,
            StoreError::Transition {
                from: State::Detected,
                to: State::Approved,
                ..
            }
        ));
        assert_eq!(inc.state, State::Detected);
        assert_eq!(store.get(&inc.id).unwrap().unwrap().history.len(), 1);
        // The full happy path is legal, and a closed incident stays closed.
        for to in [
            State::Diagnosed,
            State::Repairing,
            State::Proposed,
            State::Approved,
            State::Deploying,
            State::Canary,
            State::Healed,
        ] {
            store.transition(&mut inc, to, "step", "healerd").unwrap();
        }
        assert!(!inc.is_open());
        assert!(
            store
                .transition(&mut inc, State::Failed, "late", "healerd")
                .is_err()
        );
        assert_eq!(store.get(&inc.id).unwrap().unwrap().history.len(), 8);
    }

    #[test]
    fn every_open_state_can_fail_or_roll_back_and_names_round_trip() {
        for s in State::ALL {
            assert_eq!(s.name().parse::<State>().unwrap(), s);
            if !s.is_closed() {
                assert!(s.can_go_to(State::Failed), "{s}");
                assert!(s.can_go_to(State::RolledBack), "{s}");
            }
        }
        assert!(State::Proposed.can_go_to(State::Rejected));
        assert!(!State::Detected.can_go_to(State::Rejected));
    }

    #[test]
    fn evidence_is_bounded() {
        let dir = tempfile::tempdir().unwrap();
        let store = IncidentStore::open(dir.path()).unwrap();
        let mut inc = sample(&store, "a.service");
        for i in 0..200 {
            inc.push_evidence(format!("line {i}"));
        }
        assert_eq!(inc.evidence.len(), MAX_EVIDENCE_LINES);
        assert_eq!(inc.evidence.last().unwrap(), "line 199");
    }

    #[test]
    fn ids_are_short_printable_and_unique() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = IncidentStore::open(dir.path()).unwrap();
        let mut seen = std::collections::HashSet::new();
        for _ in 0..50 {
            let inc = sample(&store, "a.service");
            assert_eq!(inc.id.len(), 8);
            assert!(inc.id.bytes().all(|b| b.is_ascii_hexdigit()));
            assert!(seen.insert(inc.id.clone()));
            store.insert(&inc).unwrap();
        }
    }
}
