//! JavaScript: Node's built-in V8 block coverage. Each test runs in its own
//! `node --test --test-name-pattern` process with `NODE_V8_COVERAGE` set; the
//! innermost V8 range around a line's first token says whether it ran.

use std::collections::BTreeSet;
use std::sync::LazyLock;

use regex::Regex;
use serde::Deserialize;

use super::{CollectError, Ctx, sh_quote};
use crate::localize::spectrum::{Run, SpectrumBuilder};

static TEST_CALL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"\b(?:test|it)\s*\(\s*(['"`])((?:\\.|[^\\])*?)['"`]"#).expect("static regex")
});
static TAP_COUNT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?m)^# (pass|fail) (\d+)").expect("static regex"));

#[derive(Deserialize)]
struct CoverageFile {
    result: Vec<Script>,
}

#[derive(Deserialize)]
struct Script {
    url: String,
    functions: Vec<Function>,
}

#[derive(Deserialize)]
struct Function {
    ranges: Vec<Range>,
}

#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "camelCase")]
struct Range {
    start_offset: usize,
    end_offset: usize,
    count: u64,
}

/// Names of the tests a test file declares (`test('name', ...)`, `it(...)`).
fn test_names(src: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for c in TEST_CALL.captures_iter(src) {
        let n = c[2].replace("\\'", "'").replace("\\\"", "\"");
        if !out.contains(&n) {
            out.push(n);
        }
    }
    out
}

/// Lines (1-based) whose first token lies in a range V8 counted as executed.
fn executed_lines(src: &str, ranges: &[Range]) -> Vec<u32> {
    let mut out = Vec::new();
    let mut offset = 0usize; // UTF-16 code units, as V8 counts
    for (i, line) in src.split('\n').enumerate() {
        let indent: usize = line
            .chars()
            .take_while(|c| c.is_whitespace())
            .map(char::len_utf16)
            .sum();
        let code = line.trim();
        let is_code = !code.is_empty()
            && !code.starts_with("//")
            && !code.starts_with("/*")
            && !code.starts_with('*')
            && !code.chars().all(|c| "})];,".contains(c));
        if is_code {
            let at = offset + indent;
            let innermost = ranges
                .iter()
                .filter(|r| r.start_offset <= at && at < r.end_offset)
                .min_by_key(|r| r.end_offset - r.start_offset);
            if innermost.is_some_and(|r| r.count > 0) {
                out.push(i as u32 + 1);
            }
        }
        offset += line.chars().map(char::len_utf16).sum::<usize>() + 1;
    }
    out
}

fn regex_escape(s: &str) -> String {
    regex::escape(s)
}

pub(super) fn collect(ctx: &Ctx<'_>, b: &mut SpectrumBuilder) -> Result<(), CollectError> {
    let test_files: Vec<_> = ctx
        .project
        .files
        .iter()
        .filter(|f| f.is_test_file)
        .collect();
    if test_files.is_empty() {
        return Err(CollectError::Unsupported("no JavaScript test files".into()));
    }
    let mut n = 0usize;
    for tf in test_files {
        for name in test_names(&tf.text) {
            if n >= ctx.opts.max_runs {
                return Ok(());
            }
            let dir = ctx.scratch.join(format!("v8-{n}"));
            n += 1;
            let cmd = format!(
                "node --test --test-name-pattern={} {}",
                sh_quote(&format!("^{}$", regex_escape(&name))),
                sh_quote(&tf.path.to_string_lossy())
            );
            let r = ctx.run_test(
                "node-coverage",
                &cmd,
                &[(
                    "NODE_V8_COVERAGE".into(),
                    dir.to_string_lossy().into_owned(),
                )],
            )?;
            let (mut pass, mut fail) = (0u64, 0u64);
            for c in TAP_COUNT.captures_iter(&r.output) {
                let v: u64 = c[2].parse().unwrap_or(0);
                if &c[1] == "pass" {
                    pass += v
                } else {
                    fail += v
                }
            }
            if pass + fail == 0 && r.ok() {
                // The pattern selected nothing (a nested or computed name).
                continue;
            }
            let failed = fail > 0 || !r.ok();
            let mut lines = BTreeSet::new();
            let entries = std::fs::read_dir(&dir).map_err(|e| {
                CollectError::io(format!("reading V8 coverage in {}", dir.display()), e)
            })?;
            for ent in entries.flatten() {
                let Ok(text) = std::fs::read_to_string(ent.path()) else {
                    continue;
                };
                let Ok(cov) = serde_json::from_str::<CoverageFile>(&text) else {
                    continue;
                };
                for s in cov.result {
                    let Some(path) = s.url.strip_prefix("file://") else {
                        continue;
                    };
                    let Some(sf) = ctx.source_file(path) else {
                        continue;
                    };
                    let ranges: Vec<Range> = s
                        .functions
                        .iter()
                        .flat_map(|f| f.ranges.iter().copied())
                        .collect();
                    for l in executed_lines(&sf.text, &ranges) {
                        lines.insert((path.to_string(), l));
                    }
                }
            }
            let elements: Vec<_> = lines
                .iter()
                .filter_map(|(f, l)| ctx.element(f, *l))
                .collect();
            b.add_run(
                Run {
                    name: format!("{}::{name}", tf.path.display()),
                    failed,
                },
                elements,
            );
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn innermost_range_decides_and_names_are_found() {
        let src = "function f(x) {\n  if (x) {\n    return 1;\n  }\n  return 2;\n}\nf(0);\n";
        // Whole script ran once, f ran once, the `if` body never.
        let body_start = src.find("{\n    return 1").unwrap();
        let body_end = src.find("  return 2").unwrap();
        let ranges = [
            Range {
                start_offset: 0,
                end_offset: src.len(),
                count: 1,
            },
            Range {
                start_offset: 0,
                end_offset: src.find("\nf(0)").unwrap(),
                count: 1,
            },
            Range {
                start_offset: body_start,
                end_offset: body_end,
                count: 0,
            },
        ];
        assert_eq!(executed_lines(src, &ranges), vec![1, 2, 5, 7]);
        let t = "test('a b', () => {});\nit(\"c\", async () => {});\ntest(`d`, ()=>{})";
        assert_eq!(test_names(t), vec!["a b", "c", "d"]);
    }
}
