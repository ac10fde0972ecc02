//! Diagnose: what the failing process said before it died, read back from journald.
//!
//! The kernel sensor gives the signal and the native stack; interpreted runtimes (Python,
//! Node, Java) and Rust panics print their own traceback on stderr, which systemd sends to the
//! journal. This module reads the failing process's lines back (`journalctl -o json`, matched
//! on the unit and the pid), parses them with the repair engine's evidence parsers, and
//! recovers the failing input from the service's own request log (`source.input_pattern`).
use std::{
    path::PathBuf,
    process::Command,
    time::{Duration, Instant},
};

use regex::Regex;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::repair::evidence::{self, Evidence};

#[derive(Debug, Error)]
pub enum DiagnoseError {
    #[error("cannot run journalctl: {0}")]
    Spawn(std::io::Error),
    #[error("journalctl failed: {0}")]
    Journalctl(String),
}

/// Which journal to read and how units are named in it.
#[derive(Clone, Debug, Default)]
pub struct JournalSource {
    /// `--directory` for journalctl; `None` reads the host's journal.
    pub directory: Option<PathBuf>,
    /// Units of a `systemd --user` manager are matched on `_SYSTEMD_USER_UNIT`, those of the
    /// system manager on `_SYSTEMD_UNIT`.
    pub user_units: bool,
}

/// One line a unit's process logged.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogLine {
    pub realtime_usec: u64,
    pub pid: Option<u32>,
    pub message: String,
}

impl JournalSource {
    /// The last `limit` lines of `unit`, oldest first; only those of `pid` when given.
    pub fn unit_lines(
        &self,
        unit: &str,
        pid: Option<u32>,
        limit: usize,
    ) -> Result<Vec<LogLine>, DiagnoseError> {
        let mut cmd = Command::new("journalctl");
        if let Some(d) = &self.directory {
            cmd.arg(format!("--directory={}", d.display()));
        }
        let field = if self.user_units {
            "_SYSTEMD_USER_UNIT"
        } else {
            "_SYSTEMD_UNIT"
        };
        cmd.args(["-o", "json", "--no-pager", "-q", "-n"])
            .arg(limit.to_string())
            .arg(format!("{field}={unit}"));
        if let Some(pid) = pid {
            cmd.arg(format!("_PID={pid}"));
        }
        let out = cmd.output().map_err(DiagnoseError::Spawn)?;
        if !out.status.success() {
            return Err(DiagnoseError::Journalctl(
                String::from_utf8_lossy(&out.stderr).trim().to_string(),
            ));
        }
        Ok(String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .filter_map(|v| {
                Some(LogLine {
                    realtime_usec: v["__REALTIME_TIMESTAMP"].as_str()?.parse().ok()?,
                    pid: v["_PID"].as_str().and_then(|p| p.parse().ok()),
                    message: message_text(&v["MESSAGE"])?,
                })
            })
            .collect())
    }
}

/// journald stores non-UTF-8 messages as arrays of bytes.
fn message_text(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Array(bytes) => {
            let raw: Vec<u8> = bytes
                .iter()
                .filter_map(|b| b.as_u64().map(|b| b as u8))
                .collect();
            Some(String::from_utf8_lossy(&raw).into_owned())
        }
        _ => None,
    }
}

/// What the journal says about one failure.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Diagnosis {
    /// The failing process's own output (tracebacks, panics, assertion messages).
    pub log: String,
    /// Parsed traceback/panic frames, innermost first.
    pub evidence: Evidence,
    /// The last input the service logged before failing (`input_pattern`'s group).
    pub failing_input: Option<String>,
    /// Inputs the same process logged earlier and survived (distinct, oldest first, at most
    /// [`MAX_SERVED_INPUTS`]): what a patch must keep answering the same way.
    #[serde(default)]
    pub served_inputs: Vec<String>,
}

/// Served inputs kept per diagnosis.
pub const MAX_SERVED_INPUTS: usize = 50;

impl Diagnosis {
    /// Builds a diagnosis from the lines of the failing process.
    pub fn from_lines(lines: &[LogLine], input_pattern: Option<&Regex>) -> Self {
        let log: String = lines.iter().map(|l| format!("{}\n", l.message)).collect();
        let mut inputs: Vec<String> = input_pattern
            .map(|re| {
                lines
                    .iter()
                    .filter_map(|l| {
                        re.captures(&l.message)
                            .and_then(|c| c.get(1))
                            .map(|m| m.as_str().to_string())
                    })
                    .collect()
            })
            .unwrap_or_default();
        let failing_input = inputs.pop();
        let mut served_inputs: Vec<String> = Vec::new();
        // The most recent distinct ones; the failing input itself may also have been served
        // before (a fault that depends on state): it is not a reference answer.
        for i in inputs.into_iter().rev() {
            if served_inputs.len() < MAX_SERVED_INPUTS
                && Some(&i) != failing_input.as_ref()
                && !served_inputs.contains(&i)
            {
                served_inputs.push(i);
            }
        }
        served_inputs.reverse();
        Diagnosis {
            evidence: evidence::parse(&log),
            log,
            failing_input,
            served_inputs,
        }
    }

    /// The innermost frame as `function (file:line)`, for messages.
    pub fn top_frame(&self) -> Option<String> {
        let f = self.evidence.failures.first()?;
        let frame = f.frames.first()?;
        Some(format!(
            "{} ({}:{})",
            frame.function.as_deref().unwrap_or("?"),
            frame.file,
            frame.line
        ))
    }
}

/// Reads the failing process's lines, waiting briefly for stragglers: the sensor sees the
/// death before journald has stored the traceback the process wrote just before it. Returns
/// once a traceback parses and no new line arrived for a moment, or when `wait` is over.
pub fn diagnose(
    source: &JournalSource,
    unit: &str,
    pid: Option<u32>,
    input_pattern: Option<&Regex>,
    wait: Duration,
) -> Result<Diagnosis, DiagnoseError> {
    let deadline = Instant::now() + wait;
    let mut last_len = usize::MAX;
    loop {
        let lines = source.unit_lines(unit, pid, 2000)?;
        let d = Diagnosis::from_lines(&lines, input_pattern);
        let settled = lines.len() == last_len && !d.evidence.is_empty();
        if settled || Instant::now() >= deadline {
            return Ok(d);
        }
        last_len = lines.len();
        std::thread::sleep(Duration::from_millis(150));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(msg: &str) -> LogLine {
        LogLine {
            realtime_usec: 0,
            pid: Some(7),
            message: msg.to_string(),
        }
    }

    #[test]
    fn python_traceback_and_last_input_from_service_lines() {
        let lines: Vec<LogLine> = [
            "listening on 8080",
            "request: GET /kv/a",
            "request: GET /kv/missing",
            "Traceback (most recent call last):",
            "  File \"/opt/kv/app/server.py\", line 40, in <module>",
            "    main()",
            "  File \"/opt/kv/app/store.py\", line 12, in get",
            "    return self.items.get(key).value",
            "AttributeError: 'NoneType' object has no attribute 'value'",
        ]
        .map(line)
        .to_vec();
        let re = Regex::new("^request: (.*)$").unwrap();
        let d = Diagnosis::from_lines(&lines, Some(&re));
        assert_eq!(d.failing_input.as_deref(), Some("GET /kv/missing"));
        assert_eq!(
            d.top_frame().as_deref(),
            Some("get (/opt/kv/app/store.py:12)")
        );
        assert_eq!(
            d.evidence.failures[0].kind.as_deref(),
            Some("AttributeError")
        );
        assert!(Diagnosis::from_lines(&lines, None).failing_input.is_none());
    }

    #[test]
    fn inputs_served_before_the_failure_are_kept_distinct_and_apart_from_it() {
        let lines = [
            "request: OBS api 12",
            "request: RATE api 0",
            "request: OBS api 12",
            "request: SUMMARY api",
            "request: RATE api 0",
            "thread 'main' panicked at src/histogram.rs:92:32:",
            "attempt to divide by zero",
        ]
        .map(line);
        let re = Regex::new("^request: (.*)$").unwrap();
        let d = Diagnosis::from_lines(&lines, Some(&re));
        assert_eq!(d.failing_input.as_deref(), Some("RATE api 0"));
        // The failing input served earlier is no reference answer; repeats count once.
        assert_eq!(d.served_inputs, ["OBS api 12", "SUMMARY api"]);
        assert!(Diagnosis::from_lines(&lines, None).served_inputs.is_empty());
    }

    #[test]
    fn rust_panic_location() {
        let lines = [
            "request: PUT /q",
            "thread 'main' panicked at src/queue.rs:31:22:",
            "called `Option::unwrap()` on a `None` value",
            "note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace",
        ]
        .map(line);
        let d = Diagnosis::from_lines(&lines, None);
        let f = &d.evidence.failures[0];
        assert_eq!(f.frames[0].file, "src/queue.rs");
        assert_eq!(f.frames[0].line, 31);
    }

    #[test]
    fn non_utf8_messages_are_kept() {
        let v: serde_json::Value = serde_json::json!([104, 105, 255]);
        assert_eq!(message_text(&v).unwrap(), "hi\u{fffd}");
    }
}
