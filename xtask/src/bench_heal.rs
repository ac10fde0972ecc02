//! `cargo xtask bench heal`: healer healing every service case of `tests/services/` live.
//!
//! One sandbox, every case installed as a unit, one release healerd in `auto` mode. Each case's
//! trigger is sent in turn and its incident followed to a verdict. Per case:
//! - detection: trigger sent → incident opened (healerd's timestamp);
//! - mitigation: trigger → the `mitigated` transition (service restarted);
//! - MTTR: trigger → the `canary` transition (the patched release is serving);
//! - healed: the incident reached `healed` and the trigger no longer kills the service.
use std::{
    path::PathBuf,
    time::{Duration, Instant, SystemTime, UNIX_EPOCH},
};

use healer_daemon::{config::policy::Mode, service_case};
use serde::Serialize;
use serde_json::Value;

use crate::{live::Live, workspace_root};

#[derive(Serialize)]
struct CaseRow {
    id: String,
    language: String,
    fault_class: String,
    state: String,
    healed: bool,
    detect_ms: Option<f64>,
    mitigation_ms: Option<f64>,
    mttr_s: Option<f64>,
    template: Option<String>,
    reason: Option<String>,
}

#[derive(Serialize)]
struct Report {
    cases: usize,
    healed: usize,
    heal_rate: f64,
    detect_p50_ms: Option<f64>,
    detect_p90_ms: Option<f64>,
    mitigation_p50_ms: Option<f64>,
    mttr_p50_s: Option<f64>,
    mttr_p90_s: Option<f64>,
    mttr_mean_s: Option<f64>,
    per_language: std::collections::BTreeMap<String, (usize, usize)>,
    rows: Vec<CaseRow>,
    nproc: usize,
    load_avg_start: String,
    commit: String,
    wall_s: f64,
}

fn now_us() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_micros() as i64)
        .unwrap_or(0)
}

fn pct(mut v: Vec<f64>, p: f64) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let i = ((v.len() as f64 - 1.0) * p).round() as usize;
    Some(v[i])
}

fn transition_at(inc: &Value, to: &str) -> Option<i64> {
    inc["history"]
        .as_array()?
        .iter()
        .find(|t| t["to"] == to)
        .and_then(|t| t["at_us"].as_i64())
}

pub fn run(id: Option<String>, json: bool, write_docs: bool) -> anyhow::Result<()> {
    let started = Instant::now();
    let load_avg_start = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let mut cases = service_case::load_all(&workspace_root().join("tests/services"))?;
    if let Some(id) = &id {
        cases.retain(|c| c.id.contains(id.as_str()));
    }
    eprintln!("installing {} service cases…", cases.len());
    let mut live = Live::start(cases, Mode::Auto, 3, false)?;
    let services = live.services.clone();
    let mut rows = Vec::new();
    for (c, inst) in &services {
        // Normal traffic first, as a live service has served before it fails: healerd replays
        // those inputs to check that a patch keeps their answers.
        for n in &c.normal {
            let _ = service_case::request(inst.port, n, Duration::from_secs(10));
        }
        let t0 = now_us();
        let _ = service_case::request(inst.port, &c.trigger, Duration::from_secs(10));
        let deadline = Instant::now() + Duration::from_secs(420);
        let verdict = loop {
            live.alive()?;
            let inc = live.latest_incident(&inst.unit);
            if let Some(inc) = &inc
                && matches!(
                    inc["state"].as_str(),
                    Some("healed" | "failed" | "rolled_back" | "rejected")
                )
            {
                break inc.clone();
            }
            if Instant::now() > deadline {
                break inc.unwrap_or(Value::Null);
            }
            std::thread::sleep(Duration::from_millis(100));
        };
        let state = verdict["state"].as_str().unwrap_or("none").to_string();
        let survived = state == "healed"
            && service_case::request(inst.port, &c.trigger, Duration::from_secs(10)).is_ok();
        let ms = |at: Option<i64>| at.map(|a| (a - t0) as f64 / 1000.0);
        let row = CaseRow {
            id: c.id.clone(),
            language: format!("{:?}", c.language).to_lowercase(),
            fault_class: c.fault_class.clone(),
            healed: survived,
            detect_ms: ms(verdict["opened_us"].as_i64()),
            mitigation_ms: ms(transition_at(&verdict, "mitigated")),
            mttr_s: ms(transition_at(&verdict, "canary")).map(|m| m / 1000.0),
            template: verdict["repair"]["template"].as_str().map(str::to_string),
            reason: verdict["history"]
                .as_array()
                .and_then(|h| h.last())
                .and_then(|t| t["reason"].as_str())
                .map(str::to_string),
            state,
        };
        eprintln!(
            "  {:<36} {:<12} detect {:>8} ms  mttr {:>7} s  {}",
            row.id,
            row.state,
            row.detect_ms.map_or("-".into(), |v| format!("{v:.1}")),
            row.mttr_s.map_or("-".into(), |v| format!("{v:.2}")),
            row.template.as_deref().unwrap_or("")
        );
        rows.push(row);
    }
    drop(live);

    let healed: Vec<&CaseRow> = rows.iter().filter(|r| r.healed).collect();
    let mttr: Vec<f64> = healed.iter().filter_map(|r| r.mttr_s).collect();
    let mut per_language = std::collections::BTreeMap::new();
    for r in &rows {
        let e = per_language.entry(r.language.clone()).or_insert((0, 0));
        e.0 += 1;
        e.1 += usize::from(r.healed);
    }
    let report = Report {
        cases: rows.len(),
        healed: healed.len(),
        heal_rate: healed.len() as f64 / rows.len().max(1) as f64,
        detect_p50_ms: pct(rows.iter().filter_map(|r| r.detect_ms).collect(), 0.5),
        detect_p90_ms: pct(rows.iter().filter_map(|r| r.detect_ms).collect(), 0.9),
        mitigation_p50_ms: pct(rows.iter().filter_map(|r| r.mitigation_ms).collect(), 0.5),
        mttr_p50_s: pct(mttr.clone(), 0.5),
        mttr_p90_s: pct(mttr.clone(), 0.9),
        mttr_mean_s: (!mttr.is_empty()).then(|| mttr.iter().sum::<f64>() / mttr.len() as f64),
        per_language,
        rows,
        nproc: std::thread::available_parallelism().map_or(1, |n| n.get()),
        load_avg_start: load_avg_start.trim().to_string(),
        commit: crate::run(std::process::Command::new("git").args([
            "rev-parse",
            "--short",
            "HEAD",
        ]))
        .unwrap_or_default()
        .trim()
        .to_string(),
        wall_s: started.elapsed().as_secs_f64(),
    };
    let table = markdown(&report);
    if json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print!("{table}");
    }
    if write_docs {
        write_section(&table)?;
    }
    Ok(())
}

fn f(v: Option<f64>, digits: usize) -> String {
    v.map_or("–".into(), |v| format!("{v:.digits$}"))
}

fn markdown(r: &Report) -> String {
    let mut s = format!(
        "Measured by `cargo xtask bench heal --write-docs` at commit `{}`: {} cases, {} CPUs, \
         load average at start {}, wall time {:.0} s. Debug-free release build of healerd; \
         canary window 3 s.\n\n",
        r.commit, r.cases, r.nproc, r.load_avg_start, r.wall_s
    );
    s += "| metric | healer (this run) | published reference |\n|---|---|---|\n";
    s += &format!(
        "| detection (fault → incident), p50 / p90 | {} ms / {} ms | median 1.2 s |\n",
        f(r.detect_p50_ms, 1),
        f(r.detect_p90_ms, 1)
    );
    s += &format!(
        "| mitigation (fault → service restarted), p50 | {} ms | – |\n",
        f(r.mitigation_p50_ms, 0)
    );
    s += &format!(
        "| MTTR (fault → patched release serving), p50 / p90 / mean | {} s / {} s / {} s | mean 3.4 s |\n",
        f(r.mttr_p50_s, 2),
        f(r.mttr_p90_s, 2),
        f(r.mttr_mean_s, 2)
    );
    s += &format!(
        "| healed (canary passed, trigger survives) | {}/{} ({:.1}%) | 78.6% repaired |\n\n",
        r.healed,
        r.cases,
        100.0 * r.heal_rate
    );
    s += "| language | cases | healed |\n|---|---|---|\n";
    for (l, (n, h)) in &r.per_language {
        s += &format!("| {l} | {n} | {h} |\n");
    }
    s += "\n<details><summary>per case</summary>\n\n| case | state | detect ms | MTTR s | template | last reason |\n|---|---|---|---|---|---|\n";
    for c in &r.rows {
        s += &format!(
            "| {} | {} | {} | {} | {} | {} |\n",
            c.id,
            c.state,
            f(c.detect_ms, 1),
            f(c.mttr_s, 2),
            c.template.as_deref().unwrap_or(""),
            c.reason
                .as_deref()
                .unwrap_or("")
                .replace('|', "/")
                .chars()
                .take(120)
                .collect::<String>()
        );
    }
    s += "\n</details>\n";
    s
}

fn write_section(table: &str) -> anyhow::Result<()> {
    let path: PathBuf = workspace_root().join("docs/benchmarks.md");
    let doc = std::fs::read_to_string(&path)?;
    let (begin, end) = ("<!-- bench-heal:begin -->", "<!-- bench-heal:end -->");
    let section = format!("{begin}\n{table}{end}");
    let new = match (doc.find(begin), doc.find(end)) {
        (Some(b), Some(e)) if b < e => format!("{}{section}{}", &doc[..b], &doc[e + end.len()..]),
        _ => format!("{doc}\n## Healing live services (`cargo xtask bench heal`)\n\n{section}\n"),
    };
    std::fs::write(&path, new)?;
    eprintln!("wrote {}", path.display());
    Ok(())
}
