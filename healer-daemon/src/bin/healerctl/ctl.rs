//! The daemon commands of `healerctl`: D-Bus calls to `org.healer.Healer1`, printed as
//! tables (default) or the daemon's JSON (`--json`).

use std::process::ExitCode;

use clap::Args;
use healer_daemon::{
    daemon::api::{BUS_NAME, HealerProxy},
    systemd::BusKind,
};
use serde_json::Value;

/// Exit codes (documented in docs/daemon.md).
const EXIT_REFUSED: u8 = 1;
const EXIT_NOT_RUNNING: u8 = 3;

#[derive(Args, Debug)]
pub struct BusArgs {
    /// Print the daemon's JSON instead of a table.
    #[arg(long, global = true)]
    pub json: bool,
    /// `system`, `session`, or a D-Bus address such as `unix:path=/run/bus`.
    #[arg(long, default_value = "system", value_parser = parse_bus)]
    pub bus: BusKind,
}

#[derive(Args, Debug)]
pub struct IdArgs {
    /// Incident id (see `healerctl incidents`).
    pub id: String,
    #[command(flatten)]
    pub bus: BusArgs,
}

#[derive(Args, Debug)]
pub struct UnitArgs {
    /// The watched unit, e.g. `web.service`.
    pub unit: String,
    #[command(flatten)]
    pub bus: BusArgs,
}

fn parse_bus(s: &str) -> Result<BusKind, String> {
    s.parse()
}

pub enum Call {
    Status,
    Services,
    Incidents,
    Show(String),
    Approve(String),
    Reject(String),
    Rollback(String),
    Pause(String),
    Resume(String),
    Reload,
}

fn bus_label(b: &BusKind) -> String {
    match b {
        BusKind::System => "system".into(),
        BusKind::Session => "session".into(),
        BusKind::Address(a) => a.clone(),
    }
}

enum Failure {
    NotRunning(String),
    Refused(String),
}

pub fn run(args: &BusArgs, call: Call) -> ExitCode {
    let rt = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("healerctl: cannot start the async runtime: {e}");
            return ExitCode::from(EXIT_NOT_RUNNING);
        }
    };
    match rt.block_on(call_daemon(&args.bus, &call)) {
        Ok(v) => {
            if args.json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&v).unwrap_or_else(|_| v.to_string())
                );
            } else {
                print!("{}", render(&call, &v));
            }
            ExitCode::SUCCESS
        }
        Err(Failure::NotRunning(m)) => {
            eprintln!("{m}");
            ExitCode::from(EXIT_NOT_RUNNING)
        }
        Err(Failure::Refused(m)) => {
            eprintln!("healerctl: {m}");
            ExitCode::from(EXIT_REFUSED)
        }
    }
}

async fn call_daemon(bus: &BusKind, call: &Call) -> Result<Value, Failure> {
    let label = bus_label(bus);
    let conn = match bus {
        BusKind::System => zbus::Connection::system().await,
        BusKind::Session => zbus::Connection::session().await,
        BusKind::Address(a) => match zbus::connection::Builder::address(a.as_str()) {
            Ok(b) => b.build().await,
            Err(e) => Err(e),
        },
    }
    .map_err(|e| {
        Failure::NotRunning(format!(
            "healerd is not running (cannot connect to the {label} bus: {e})"
        ))
    })?;
    let dbus = zbus::fdo::DBusProxy::new(&conn)
        .await
        .map_err(|e| Failure::NotRunning(format!("the {label} bus: {e}")))?;
    let name = zbus::names::BusName::try_from(BUS_NAME).expect("a valid bus name");
    if !dbus.name_has_owner(name).await.unwrap_or(false) {
        return Err(Failure::NotRunning(format!(
            "healerd is not running (no owner of {BUS_NAME} on the {label} bus)"
        )));
    }
    let proxy = HealerProxy::new(&conn)
        .await
        .map_err(|e| Failure::NotRunning(format!("{BUS_NAME}: {e}")))?;
    let answer = match call {
        Call::Status => proxy.status().await,
        Call::Services => proxy.services().await,
        Call::Incidents => proxy.incidents().await,
        Call::Show(id) => proxy.show_incident(id).await,
        Call::Approve(id) => proxy.approve(id).await,
        Call::Reject(id) => proxy.reject(id).await,
        Call::Rollback(u) => proxy.rollback(u).await,
        Call::Pause(u) => proxy.pause(u).await,
        Call::Resume(u) => proxy.resume(u).await,
        Call::Reload => proxy.reload().await,
    };
    let text = answer.map_err(|e| match e {
        zbus::Error::MethodError(name, msg, _) => Failure::Refused(format!(
            "{} ({name})",
            msg.unwrap_or_else(|| "refused".into())
        )),
        zbus::Error::FDO(f) => {
            use zbus::DBusError as _;
            Failure::Refused(format!("{} ({})", f.description().unwrap_or(""), f.name()))
        }
        other => Failure::NotRunning(format!("calling healerd: {other}")),
    })?;
    serde_json::from_str(&text)
        .map_err(|e| Failure::Refused(format!("healerd answered something that is not JSON: {e}")))
}

fn time_of(us: &Value) -> String {
    let Some(us) = us.as_i64() else {
        return "-".into();
    };
    time::OffsetDateTime::from_unix_timestamp(us / 1_000_000)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_else(|| us.to_string())
}

fn s(v: &Value) -> String {
    match v {
        Value::Null => "-".into(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Columns padded to the widest cell.
fn table(header: &[&str], rows: Vec<Vec<String>>) -> String {
    let mut width: Vec<usize> = header.iter().map(|h| h.len()).collect();
    for r in &rows {
        for (w, c) in width.iter_mut().zip(r) {
            *w = (*w).max(c.chars().count());
        }
    }
    let mut out = String::new();
    let line = |cells: Vec<String>, out: &mut String| {
        let n = cells.len();
        for (i, (c, w)) in cells.into_iter().zip(&width).enumerate() {
            if i + 1 == n {
                out.push_str(&c);
            } else {
                out.push_str(&format!("{c:<w$}  "));
            }
        }
        out.push('\n');
    };
    line(header.iter().map(|h| h.to_string()).collect(), &mut out);
    for r in rows {
        line(r, &mut out);
    }
    out
}

fn frame_line(f: &Value) -> String {
    let func = f["function"].as_str().unwrap_or("??");
    match (f["file"].as_str(), f["line"].as_u64()) {
        (Some(file), Some(line)) => format!("{func} at {file}:{line}"),
        _ => match f["binary"].as_str() {
            Some(b) => format!("{func} in {b}"),
            None => func.to_string(),
        },
    }
}

fn render(call: &Call, v: &Value) -> String {
    match call {
        Call::Status => {
            let mut out = String::new();
            for k in [
                "version",
                "pid",
                "bus",
                "config_dir",
                "state_dir",
                "sensor",
                "services",
                "incidents",
                "open_incidents",
                "uptime_s",
            ] {
                out.push_str(&format!("{k:<15} {}\n", s(&v[k])));
            }
            out.push_str(&format!(
                "{:<15} {}\n",
                "started",
                time_of(&v["started_us"])
            ));
            if let Some(p) = v["paused"].as_array().filter(|p| !p.is_empty()) {
                let p: Vec<String> = p.iter().map(s).collect();
                out.push_str(&format!("{:<15} {}\n", "paused", p.join(", ")));
            }
            for e in v["policy_errors"].as_array().into_iter().flatten() {
                out.push_str(&format!("policy error    {}\n", s(e)));
            }
            out
        }
        Call::Services => table(
            &[
                "UNIT", "STATE", "CGROUP", "PID", "MODE", "PAUSED", "INCIDENT",
            ],
            v.as_array()
                .into_iter()
                .flatten()
                .map(|svc| {
                    let state = match svc["problem"].as_str() {
                        Some(p) => format!("problem: {p}"),
                        None => format!("{}/{}", s(&svc["active_state"]), s(&svc["sub_state"])),
                    };
                    vec![
                        s(&svc["unit"]),
                        state,
                        s(&svc["cgroup_id"]),
                        s(&svc["main_pid"]),
                        s(&svc["mode"]),
                        if svc["paused"].as_bool() == Some(true) {
                            "yes".into()
                        } else {
                            "no".into()
                        },
                        s(&svc["open_incident"]),
                    ]
                })
                .collect(),
        ),
        Call::Incidents => table(
            &[
                "ID", "UNIT", "KIND", "STATE", "COUNT", "SIGNAL", "OPENED", "WHERE",
            ],
            v.as_array()
                .into_iter()
                .flatten()
                .map(|i| {
                    let top = i["frames"]
                        .as_array()
                        .and_then(|f| f.iter().find(|f| f["function"].is_string()))
                        .map(frame_line)
                        .unwrap_or_else(|| "-".into());
                    vec![
                        s(&i["id"]),
                        s(&i["unit"]),
                        s(&i["kind"]),
                        s(&i["state"]),
                        s(&i["count"]),
                        s(&i["signal_name"]),
                        time_of(&i["opened_us"]),
                        top,
                    ]
                })
                .collect(),
        ),
        Call::Show(_) | Call::Approve(_) | Call::Reject(_) => show(v),
        Call::Rollback(_) | Call::Pause(_) | Call::Resume(_) | Call::Reload => {
            let mut out = String::new();
            if let Some(m) = v.as_object() {
                for (k, val) in m {
                    out.push_str(&format!("{k:<15} {}\n", s(val)));
                }
            }
            out
        }
    }
}

fn show(i: &Value) -> String {
    let mut out = format!(
        "incident {} of {}\n  kind     {}\n  state    {}\n  opened   {}\n  updated  {}\n  faults   {}\n",
        s(&i["id"]),
        s(&i["unit"]),
        s(&i["kind"]),
        s(&i["state"]),
        time_of(&i["opened_us"]),
        time_of(&i["updated_us"]),
        s(&i["count"]),
    );
    if !i["signal_name"].is_null() {
        out.push_str(&format!("  signal   {}\n", s(&i["signal_name"])));
    }
    if !i["exit_code"].is_null() {
        out.push_str(&format!("  exit     {}\n", s(&i["exit_code"])));
    }
    if !i["pid"].is_null() {
        out.push_str(&format!("  pid      {}\n", s(&i["pid"])));
    }
    if let Some(frames) = i["frames"].as_array().filter(|f| !f.is_empty()) {
        out.push_str("stack (innermost first):\n");
        for (n, f) in frames.iter().enumerate() {
            out.push_str(&format!("  #{n:<2} {}\n", frame_line(f)));
        }
    }
    if let Some(ev) = i["evidence"].as_array().filter(|e| !e.is_empty()) {
        out.push_str("evidence:\n");
        for e in ev {
            out.push_str(&format!("  {}\n", s(e)));
        }
    }
    if let Some(h) = i["history"].as_array() {
        out.push_str("history:\n");
        for t in h {
            out.push_str(&format!(
                "  {}  {:<12} {}  ({})\n",
                time_of(&t["at_us"]),
                s(&t["to"]),
                s(&t["reason"]),
                s(&t["actor"])
            ));
        }
    }
    out
}
