//! `cargo xtask bench repair`: the repair engine over the whole corpus, written into
//! docs/benchmarks.md between the `bench-repair` markers (the rest of the file is kept).
//!
//! Builds the release `healerctl`, runs `healerctl bench --json` over
//! `tests/corpus/manifest.toml`, keeps the raw report in `target/bench-repair.json` and
//! renders totals, per-language, per-fault-class and per-kind tables.
use std::{
    collections::BTreeMap,
    fmt::Write as _,
    path::Path,
    process::{Command, Stdio},
};

use anyhow::{Context as _, bail};
use healer_daemon::repair::bench::{BenchReport, CaseResult, load_manifest};
use serde_json::json;

use crate::{run, workspace_root};

const BEGIN: &str = "<!-- bench-repair:begin -->";
const END: &str = "<!-- bench-repair:end -->";

pub fn run_bench(json: bool, jobs: usize) -> anyhow::Result<()> {
    let root = workspace_root();
    let [healerctl] = crate::build_release_bins(["healerctl"])?;
    let manifest = root.join("tests/corpus/manifest.toml");
    let machine = Machine::probe(&root)?;
    let out = Command::new(&healerctl)
        .args(["bench", "--json", "--jobs", &jobs.to_string(), "--manifest"])
        .arg(&manifest)
        .current_dir(&root)
        .stderr(Stdio::inherit())
        .output()
        .context("running healerctl bench")?;
    if !out.status.success() {
        bail!("healerctl bench failed ({})", out.status);
    }
    let raw = root.join("target/bench-repair.json");
    std::fs::write(&raw, &out.stdout).with_context(|| format!("writing {}", raw.display()))?;
    let report: BenchReport =
        serde_json::from_slice(&out.stdout).context("parsing healerctl bench --json")?;
    // The manifest's `kind` (syntactic/semantic) is not part of a case result.
    let kinds: BTreeMap<String, String> = load_manifest(&manifest)?
        .into_iter()
        .map(|c| (c.id, c.kind.unwrap_or_else(|| "-".into())))
        .collect();
    let section = render(&report, &kinds, &machine, jobs);
    let doc = root.join("docs/benchmarks.md");
    let text =
        std::fs::read_to_string(&doc).with_context(|| format!("reading {}", doc.display()))?;
    std::fs::write(&doc, splice(&text, &section))
        .with_context(|| format!("writing {}", doc.display()))?;
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&json!({
                "machine": {"nproc": machine.nproc, "loadavg": machine.loadavg, "commit": machine.commit},
                "jobs": jobs,
                "summary": report.summary,
                "raw": raw,
            }))?
        );
    } else {
        print!("{section}");
    }
    Ok(())
}

struct Machine {
    nproc: usize,
    loadavg: String,
    commit: String,
}

impl Machine {
    fn probe(root: &Path) -> anyhow::Result<Machine> {
        let nproc = std::thread::available_parallelism().map_or(1, |n| n.get());
        let loadavg = std::fs::read_to_string("/proc/loadavg")
            .context("reading /proc/loadavg")?
            .split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ");
        let commit = run(Command::new("git")
            .args(["rev-parse", "--short=12", "HEAD"])
            .current_dir(root))?
        .trim()
        .to_string();
        let dirty = !run(Command::new("git")
            .args(["status", "--porcelain", "--untracked-files=no"])
            .current_dir(root))?
        .trim()
        .is_empty();
        Ok(Machine {
            nproc,
            loadavg,
            commit: if dirty {
                format!("{commit} (with uncommitted changes)")
            } else {
                commit
            },
        })
    }
}

/// Replace the text between the markers, or append a marked section when absent.
fn splice(doc: &str, section: &str) -> String {
    match (doc.find(BEGIN), doc.find(END)) {
        (Some(b), Some(e)) if b < e => format!("{}{BEGIN}\n{section}{}", &doc[..b], &doc[e..]),
        _ => format!(
            "{}\n## Repair engine (`cargo xtask bench repair`)\n\n{BEGIN}\n{section}{END}\n",
            doc.trim_end_matches('\n').to_string() + "\n"
        ),
    }
}

fn percentile(xs: &[f64], q: f64) -> Option<f64> {
    if xs.is_empty() {
        return None;
    }
    let mut v = xs.to_vec();
    v.sort_by(f64::total_cmp);
    // Nearest rank.
    let i = ((q * v.len() as f64).ceil() as usize).clamp(1, v.len()) - 1;
    Some(v[i])
}

fn secs(x: Option<f64>) -> String {
    x.map_or("–".into(), |v| format!("{v:.1} s"))
}

fn row(key: &str, cases: &[&CaseResult]) -> String {
    let n = cases.len();
    let plausible = cases.iter().filter(|c| c.plausible).count();
    let correct = cases.iter().filter(|c| c.correct).count();
    let times: Vec<f64> = cases
        .iter()
        .filter(|c| c.plausible)
        .map(|c| c.time_s)
        .collect();
    let tried: Vec<f64> = cases.iter().map(|c| c.candidates_tried as f64).collect();
    let pct = |k: usize| {
        if n == 0 {
            0.0
        } else {
            100.0 * k as f64 / n as f64
        }
    };
    format!(
        "| {key} | {n} | {plausible} ({:.0} %) | {correct} ({:.0} %) | {} | {} | {} |\n",
        pct(plausible),
        pct(correct),
        secs(percentile(&times, 0.5)),
        secs(percentile(&times, 0.9)),
        percentile(&tried, 0.5).map_or("–".into(), |v| format!("{v:.0}")),
    )
}

fn table(s: &mut String, title: &str, report: &BenchReport, key: impl Fn(&CaseResult) -> String) {
    let mut groups: BTreeMap<String, Vec<&CaseResult>> = BTreeMap::new();
    for c in &report.cases {
        groups.entry(key(c)).or_default().push(c);
    }
    let _ = writeln!(
        s,
        "\n| {title} | cases | plausible | correct | median time to plausible | p90 | median candidates tried |"
    );
    let _ = writeln!(s, "|---|---|---|---|---|---|---|");
    for (k, cases) in &groups {
        s.push_str(&row(k, cases));
    }
}

fn render(
    report: &BenchReport,
    kinds: &BTreeMap<String, String>,
    m: &Machine,
    jobs: usize,
) -> String {
    let mut s = String::new();
    let sm = &report.summary;
    let _ = writeln!(
        s,
        "Generated by `cargo xtask bench repair --jobs {jobs}` (release `healerctl bench` over \
         `tests/corpus/manifest.toml`) at commit {}, on {} CPUs with load average {} at start; \
         wall time {:.0} s. Time is the time to the first plausible patch; medians and p90 are \
         over plausible cases. Raw per-case JSON: `target/bench-repair.json`.\n",
        m.commit, m.nproc, m.loadavg, sm.wall_time_s
    );
    let all: Vec<&CaseResult> = report.cases.iter().collect();
    let _ = writeln!(
        s,
        "| set | cases | plausible | correct | median time to plausible | p90 | median candidates tried |"
    );
    let _ = writeln!(s, "|---|---|---|---|---|---|---|");
    s.push_str(&row("**all**", &all));
    table(&mut s, "language", report, |c| c.language.clone());
    table(&mut s, "fault class", report, |c| c.fault_class.clone());
    table(&mut s, "kind", report, |c| {
        kinds.get(&c.id).cloned().unwrap_or_else(|| "-".into())
    });

    // Where the true fault site landed in the localization.
    let mut ranks: BTreeMap<&str, usize> = BTreeMap::new();
    for c in &report.cases {
        let bucket = match c.fault_rank {
            Some(1) => "1",
            Some(2..=5) => "2–5",
            Some(6..=10) => "6–10",
            Some(_) => "> 10",
            None => "not ranked",
        };
        *ranks.entry(bucket).or_default() += 1;
    }
    let _ = writeln!(s, "\nFault-site rank in the localization (1 = first):\n");
    let _ = writeln!(s, "| rank | 1 | 2–5 | 6–10 | > 10 | not ranked |");
    let _ = writeln!(s, "|---|---|---|---|---|---|");
    let _ = writeln!(
        s,
        "| cases | {} | {} | {} | {} | {} |",
        ranks.get("1").unwrap_or(&0),
        ranks.get("2–5").unwrap_or(&0),
        ranks.get("6–10").unwrap_or(&0),
        ranks.get("> 10").unwrap_or(&0),
        ranks.get("not ranked").unwrap_or(&0)
    );
    let tried: usize = report.cases.iter().map(|c| c.candidates_tried).sum();
    let _ = writeln!(
        s,
        "\nCandidates validated in all: {tried}. Patches that broke a previously passing test: \
         **{}**. Cases that ended in an engine error: {}.",
        sm.broke_passing_tests, sm.errors
    );
    let mut failing: Vec<String> = report
        .cases
        .iter()
        .filter(|c| !c.correct)
        .map(|c| {
            let what = if c.plausible {
                "plausible, not correct"
            } else if c.error.is_some() {
                "error"
            } else {
                "no plausible patch"
            };
            format!("`{}` ({what})", c.id)
        })
        .collect();
    failing.sort();
    if !failing.is_empty() {
        let _ = writeln!(s, "\nNot correct: {}.", failing.join(", "));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splice_replaces_only_the_marked_section() {
        let doc = format!("# B\n\nbefore\n{BEGIN}\nold\n{END}\nafter\n");
        let out = splice(&doc, "new\n");
        assert_eq!(out, format!("# B\n\nbefore\n{BEGIN}\nnew\n{END}\nafter\n"));
        let appended = splice("# B\n\ntext\n", "x\n");
        assert!(appended.starts_with("# B\n\ntext\n\n## Repair"));
        assert!(appended.ends_with(&format!("{BEGIN}\nx\n{END}\n")));
    }

    #[test]
    fn nearest_rank_percentiles() {
        let xs = [5.0, 1.0, 3.0, 2.0, 4.0];
        assert_eq!(percentile(&xs, 0.5), Some(3.0));
        assert_eq!(percentile(&xs, 0.9), Some(5.0));
        assert_eq!(percentile(&[], 0.9), None);
    }
}
