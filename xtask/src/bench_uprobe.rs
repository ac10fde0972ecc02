//! `cargo xtask bench uprobe`: the uprobe spectrum collector's costs, measured
//! side by side in one run (needs root).
//!
//! 1. Attach time of N function probes (one generated C binary with N
//!    functions) with one `uprobe.multi` link vs one perf-event uprobe per
//!    function, plus detach time and one run of the binary calling every
//!    probed function (each hit once).
//! 2. Per-test cost on corpus Rust cases: the instrument-coverage collector vs
//!    the uprobe collector (each from a fresh copy, build included), and the
//!    plain `cargo test --no-run` build times of both, so the per-test part can
//!    be separated from the build.
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};
use healer_daemon::localize::collect::native::{AttachMode, FunctionProbes, functions};
use healer_daemon::localize::collect::{CollectOptions, Collector, collect};
use healer_daemon::localize::sbfl::{Formula, ranking, score_spectrum};
use healer_daemon::localize::spectrum::Spectrum;
use healer_daemon::repair::Language;
use healer_daemon::repair::project::Project;
use serde_json::{Value, json};

const BEGIN: &str = "<!-- bench-uprobe:begin -->";
const END: &str = "<!-- bench-uprobe:end -->";

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// A C program with `n` functions `f0..f{n-1}`; `./prog call` calls each once.
fn generated_binary(dir: &Path, n: usize) -> anyhow::Result<PathBuf> {
    let mut src = String::with_capacity(n * 64);
    for i in 0..n {
        src.push_str(&format!(
            "__attribute__((noinline)) int f{i}(int x) {{ return x + {i}; }}\n"
        ));
    }
    src.push_str("typedef int (*fp)(int);\nstatic fp fns[] = {");
    for i in 0..n {
        src.push_str(&format!("f{i},"));
    }
    src.push_str(
        "};\nint main(int argc, char **argv) {\n  (void)argv; int s = 0;\n  if (argc > 1) for (unsigned i = 0; i < sizeof fns / sizeof fns[0]; i++) s += fns[i](s);\n  return s == 12345;\n}\n",
    );
    let c = dir.join(format!("gen{n}.c"));
    let exe = dir.join(format!("gen{n}"));
    std::fs::write(&c, src)?;
    let st = std::process::Command::new("gcc")
        .args(["-O0", "-g0", "-o"])
        .arg(&exe)
        .arg(&c)
        .status()
        .context("gcc")?;
    if !st.success() {
        bail!("gcc failed on {}", c.display());
    }
    Ok(exe)
}

fn run_binary(exe: &Path) -> anyhow::Result<Duration> {
    let t = Instant::now();
    std::process::Command::new(exe)
        .arg("call")
        .status()
        .with_context(|| format!("running {}", exe.display()))?;
    Ok(t.elapsed())
}

fn attach_rows(sizes: &[usize], rounds: usize, single_max: usize) -> anyhow::Result<Vec<Value>> {
    let dir = tempfile::tempdir()?;
    let mut rows = Vec::new();
    for &n in sizes {
        let exe = generated_binary(dir.path(), n)?;
        let points: Vec<(u64, usize)> = functions(&exe)?
            .into_iter()
            .filter(|f| f.name.starts_with('f') && f.name[1..].parse::<usize>().is_ok())
            .enumerate()
            .map(|(i, f)| (f.file_offset, i))
            .collect();
        if points.len() != n {
            bail!("found {} of {n} generated functions", points.len());
        }
        let base = median(
            (0..rounds)
                .map(|_| run_binary(&exe).map(ms))
                .collect::<anyhow::Result<_>>()?,
        );
        let mut row = json!({ "functions": n, "run_unprobed_ms": base });
        for (mode, key) in [(AttachMode::Multi, "multi"), (AttachMode::Single, "single")] {
            // Each perf-event uprobe waits for an RCU grace period when it is removed
            // (~0.1 s here), so the per-function mode is measured on small sizes only, once.
            let rounds = match mode {
                AttachMode::Single if n > single_max => continue,
                AttachMode::Single if n > 100 => 1,
                _ => rounds,
            };
            let (mut attach, mut detach, mut run) = (Vec::new(), Vec::new(), Vec::new());
            for _ in 0..rounds {
                let mut p = FunctionProbes::attach(&exe, &points, mode)?;
                attach.push(ms(p.attach_time));
                run.push(ms(run_binary(&exe)?));
                let hit = p.take_hits()?.len();
                if hit != n {
                    bail!("{key}: {hit} of {n} functions recorded");
                }
                let t = Instant::now();
                drop(p);
                detach.push(ms(t.elapsed()));
            }
            row[key] = json!({
                "attach_ms": median(attach),
                "detach_ms": median(detach),
                "run_probed_ms": median(run),
            });
        }
        rows.push(row);
    }
    Ok(rows)
}

/// Rank (1-based) in the Ochiai ranking of the first element inside the
/// faulty function (lines `start..=end` of `file`).
fn fault_rank(s: &Spectrum, file: &Path, start: u32, end: u32) -> Option<usize> {
    let scores = score_spectrum(s, Formula::Ochiai);
    ranking(&scores)
        .iter()
        .position(|&i| {
            let e = &s.elements[i];
            e.file == file && (start..=end).contains(&e.line)
        })
        .map(|r| r + 1)
}

fn build_time(repo: &Path, instrument: bool) -> anyhow::Result<f64> {
    let target = tempfile::tempdir()?;
    let mut cmd = std::process::Command::new("cargo");
    cmd.args(["test", "--offline", "-q", "--no-run"])
        .current_dir(repo)
        .env("CARGO_TARGET_DIR", target.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    if instrument {
        cmd.env("RUSTFLAGS", "-C instrument-coverage");
    }
    let t = Instant::now();
    if !cmd.status()?.success() {
        bail!("cargo test --no-run failed in {}", repo.display());
    }
    Ok(ms(t.elapsed()))
}

fn case_rows(ids: &[String], rounds: usize) -> anyhow::Result<Vec<Value>> {
    let manifest = crate::workspace_root().join("tests/corpus/rust.toml");
    let all = healer_daemon::repair::bench::load_manifest(&manifest)?;
    let mut rows = Vec::new();
    for id in ids {
        let case = all
            .iter()
            .find(|c| &c.id == id)
            .with_context(|| format!("no Rust corpus case {id}"))?;
        let (Some(fault_file), Some(fault_line)) = (&case.fault_file, case.fault_line) else {
            bail!("{id}: no fault_file/fault_line");
        };
        let project = Project::load(&case.repo, Language::Rust)?;
        let func = project
            .function_at(fault_file, fault_line)
            .with_context(|| format!("{id}: no function around the fault"))?;
        let (fs, fe) = (func.start_line, func.end_line);
        let mut row = json!({ "case": id });
        for (c, key, instrument) in [
            (Collector::Coverage, "coverage", true),
            (Collector::Uprobe, "uprobe", false),
        ] {
            let opts = CollectOptions {
                collector: c,
                ..CollectOptions::default()
            };
            let (mut builds, mut totals) = (Vec::new(), Vec::new());
            let mut last = None;
            for _ in 0..rounds {
                builds.push(build_time(&case.repo, instrument)?);
                let t = Instant::now();
                let s = collect(&project, &case.test, &opts)
                    .with_context(|| format!("{id}: {key} collector"))?;
                totals.push(ms(t.elapsed()));
                last = Some(s);
            }
            let s = last.context("no rounds")?;
            let (build, total) = (median(builds), median(totals));
            let runs = s.runs.len();
            row[key] = json!({
                "total_ms": total,
                "build_ms": build,
                "runs": runs,
                "per_test_ms": (total - build).max(0.0) / runs.max(1) as f64,
                "elements": s.elements.len(),
                "fault_function_rank": fault_rank(&s, fault_file, fs, fe),
            });
        }
        rows.push(row);
    }
    Ok(rows)
}

fn render(v: &Value) -> String {
    let f = |x: &Value| x.as_f64().map_or("-".into(), |x| format!("{x:.1}"));
    let mut s = String::new();
    s.push_str(&format!(
        "Generated by `cargo xtask bench uprobe --write-docs` at commit {}, kernel {}, on {} CPUs with load average {} at start (a noisy VM shared with other builds: compare columns of one run, not across runs). Medians of {} rounds (per-function uprobes: one round above 100 functions, none above {} — see below).\n\n",
        v["commit"].as_str().unwrap_or("?"),
        v["kernel"].as_str().unwrap_or("?"),
        v["cpus"],
        v["load"].as_str().unwrap_or("?"),
        v["rounds"],
        v["single_max"],
    ));
    s.push_str("Attaching N function probes to one binary (generated C, N functions; `run` = one run calling each function once):\n\n");
    s.push_str("| functions | uprobe.multi attach ms | per-function attach ms | multi detach ms | per-function detach ms | run unprobed ms | run probed (multi) ms | run probed (per-function) ms |\n|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for r in v["attach"].as_array().into_iter().flatten() {
        s.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} | {} |\n",
            r["functions"],
            f(&r["multi"]["attach_ms"]),
            f(&r["single"]["attach_ms"]),
            f(&r["multi"]["detach_ms"]),
            f(&r["single"]["detach_ms"]),
            f(&r["run_unprobed_ms"]),
            f(&r["multi"]["run_probed_ms"]),
            f(&r["single"]["run_probed_ms"]),
        ));
    }
    s.push_str("\nCollecting a corpus Rust case's spectrum (fresh copy each, build included; `build` = `cargo test --no-run` alone, with `-C instrument-coverage` for coverage; per test = (total − build) / runs; rank = position in the Ochiai ranking, ties in element order, of the first element inside the faulty function; medians of the rounds):\n\n");
    s.push_str("| case | collector | runs | elements | total ms | build ms | per test ms | fault function rank |\n|---|---|---:|---:|---:|---:|---:|---:|\n");
    for r in v["cases"].as_array().into_iter().flatten() {
        for key in ["coverage", "uprobe"] {
            let c = &r[key];
            s.push_str(&format!(
                "| {} | {} | {} | {} | {} | {} | {} | {} |\n",
                r["case"].as_str().unwrap_or("?"),
                if key == "coverage" {
                    "instrument-coverage (lines)"
                } else {
                    "uprobe (functions)"
                },
                c["runs"],
                c["elements"],
                f(&c["total_ms"]),
                f(&c["build_ms"]),
                f(&c["per_test_ms"]),
                c["fault_function_rank"],
            ));
        }
    }
    s
}

fn sh(cmd: &str, args: &[&str]) -> String {
    std::process::Command::new(cmd)
        .args(args)
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default()
}

pub fn run(
    json_out: bool,
    write_docs: bool,
    sizes: Vec<usize>,
    cases: Vec<String>,
    rounds: usize,
    single_max: usize,
) -> anyhow::Result<()> {
    if cfg!(debug_assertions) && std::env::var_os("HEALER_BENCH_NO_REEXEC").is_none() {
        // The collectors' user-side work (symbols, DWARF) is timed too: release only.
        let mut args: Vec<String> = std::env::args().skip(1).collect();
        args.splice(
            0..0,
            ["run", "--release", "--quiet", "-p", "xtask", "--"].map(String::from),
        );
        let status = std::process::Command::new(std::env::var("CARGO").unwrap_or("cargo".into()))
            .args(&args)
            .env("HEALER_BENCH_NO_REEXEC", "1")
            .status()?;
        std::process::exit(status.code().unwrap_or(1));
    }
    let load = std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default();
    let attach = attach_rows(&sizes, rounds, single_max)?;
    let cases = case_rows(&cases, rounds)?;
    let v = json!({
        "commit": sh("git", &["rev-parse", "--short=12", "HEAD"]),
        "kernel": sh("uname", &["-r"]),
        "cpus": std::thread::available_parallelism().map_or(1, |n| n.get()),
        "load": load,
        "rounds": rounds,
        "single_max": single_max,
        "attach": attach,
        "cases": cases,
    });
    if json_out {
        println!("{}", serde_json::to_string_pretty(&v)?);
    } else {
        print!("{}", render(&v));
    }
    if write_docs {
        let path = crate::workspace_root().join("docs/benchmarks.md");
        let doc = std::fs::read_to_string(&path)?;
        let (Some(b), Some(e)) = (doc.find(BEGIN), doc.find(END)) else {
            bail!("{} has no {BEGIN} … {END} section", path.display());
        };
        let new = format!("{}{BEGIN}\n{}{}", &doc[..b], render(&v), &doc[e..]);
        std::fs::write(&path, new)?;
    }
    Ok(())
}
