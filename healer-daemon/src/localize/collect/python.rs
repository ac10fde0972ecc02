//! Python: coverage.py with `dynamic_context = test_function`, so one run of
//! the suite records which lines each test executed.

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;

use super::{CollectError, Ctx, runs_ok, sh_quote};
use crate::localize::spectrum::{Run, SpectrumBuilder};
use crate::repair::evidence::test_outcomes;

/// An interpreter that has coverage.py: the project's `python3` first, then
/// the system one (Debian's `python3-coverage`).
fn coverage_python() -> Option<&'static str> {
    ["python3", "/usr/bin/python3", "python"]
        .into_iter()
        .find(|py| runs_ok(py, &["-m", "coverage", "--version"]))
}

/// `python3 -m unittest ...` / `pytest ...` → the same under `coverage run`.
fn instrumented_command(test: &str, py: &str, rc: &str) -> Result<String, CollectError> {
    let words: Vec<&str> = test.split_whitespace().collect();
    let prefix = format!("{py} -m coverage run --rcfile={}", sh_quote(rc));
    match words.as_slice() {
        [interp, "-m", rest @ ..] if interp.starts_with("python") => {
            Ok(format!("{prefix} -m {}", rest.join(" ")))
        }
        [runner, rest @ ..] if *runner == "pytest" || runner.ends_with("/pytest") => {
            Ok(format!("{prefix} -m pytest {}", rest.join(" ")))
        }
        _ => Err(CollectError::Unsupported(format!(
            "test command `{test}` is neither `python -m MODULE ...` nor `pytest ...`"
        ))),
    }
}

#[derive(Deserialize)]
struct Report {
    files: BTreeMap<String, FileReport>,
}

#[derive(Deserialize)]
struct FileReport {
    #[serde(default)]
    contexts: BTreeMap<String, Vec<String>>,
}

pub(super) fn collect(ctx: &Ctx<'_>, b: &mut SpectrumBuilder) -> Result<(), CollectError> {
    let py = coverage_python().ok_or_else(|| CollectError::MissingTool {
        tool: "coverage.py".into(),
        detail: "`python3 -m coverage` fails (install python3-coverage)".into(),
    })?;
    let rc = ctx.scratch.join("coveragerc");
    let data = ctx.scratch.join("coverage.data");
    std::fs::write(
        &rc,
        format!(
            "[run]\ndynamic_context = test_function\ndata_file = {}\nsource = {}\n",
            data.display(),
            ctx.repo.display()
        ),
    )
    .map_err(|e| CollectError::io("writing the coverage rcfile", e))?;
    let rc_s = rc.to_string_lossy().into_owned();
    let cmd = instrumented_command(ctx.test_command, py, &rc_s)?;
    let run = ctx.run("coverage-run", &cmd, &[])?;
    let outcomes = test_outcomes(&run.output);
    let json = ctx.scratch.join("coverage.json");
    let report = ctx.run(
        "coverage-json",
        &format!(
            "{py} -m coverage json --rcfile={} --show-contexts -o {}",
            sh_quote(&rc_s),
            sh_quote(&json.to_string_lossy())
        ),
        &[],
    )?;
    if !report.ok() {
        return Err(CollectError::Step {
            context: "coverage json".into(),
            detail: report.output.lines().last().unwrap_or("").to_string(),
        });
    }
    let text = std::fs::read_to_string(&json)
        .map_err(|e| CollectError::io("reading the coverage report", e))?;
    let rep: Report = serde_json::from_str(&text).map_err(|e| CollectError::Step {
        context: "parsing the coverage report".into(),
        detail: e.to_string(),
    })?;
    // Invert line → contexts into context (test) → lines.
    let mut per_test: BTreeMap<String, BTreeSet<(String, u32)>> = BTreeMap::new();
    for (file, fr) in &rep.files {
        for (line, tests) in &fr.contexts {
            let Ok(line) = line.parse::<u32>() else {
                continue;
            };
            for t in tests.iter().filter(|t| !t.is_empty()) {
                per_test
                    .entry(t.clone())
                    .or_default()
                    .insert((file.clone(), line));
            }
        }
    }
    for (test, lines) in per_test.into_iter().take(ctx.opts.max_runs) {
        let failed = outcomes.failed.iter().any(|f| names_match(f, &test));
        let elements: Vec<_> = lines
            .iter()
            .filter_map(|(f, l)| ctx.element(f, *l))
            .collect();
        b.add_run(Run { name: test, failed }, elements);
    }
    Ok(())
}

/// A failed test id (`tests.test_m.Case.test_x`, pytest `tests/test_m.py::test_x`)
/// against a coverage context (`tests.test_m.Case.test_x`, `tests.test_m.test_x`).
fn names_match(failed: &str, context: &str) -> bool {
    let norm = |s: &str| s.replace(".py::", ".").replace("::", ".").replace('/', ".");
    let (f, c) = (norm(failed), norm(context));
    f == c || f.ends_with(&format!(".{c}")) || c.ends_with(&format!(".{f}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_are_rewritten_under_coverage() {
        assert_eq!(
            instrumented_command("python3 -m unittest discover -s tests", "py", "/r c").unwrap(),
            "py -m coverage run --rcfile='/r c' -m unittest discover -s tests"
        );
        assert!(
            instrumented_command("pytest -q", "py", "rc")
                .unwrap()
                .ends_with("-m pytest -q")
        );
        assert!(instrumented_command("make test", "py", "rc").is_err());
        assert!(names_match(
            "tests.test_a.T.test_x",
            "tests.test_a.T.test_x"
        ));
        assert!(names_match(
            "tests/test_a.py::test_x",
            "tests.test_a.test_x"
        ));
        assert!(!names_match(
            "tests.test_a.T.test_x",
            "tests.test_a.T.test_xy"
        ));
    }
}
