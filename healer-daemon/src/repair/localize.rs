//! Fault localization: evidence + project → ranked suspicious sites.
//!
//! [`Localizer`] is the plug-in point: the stack-based localizer here is the
//! first implementation; spectrum-based and learned rankers implement the same
//! trait and get the same context (evidence, parsed project, baseline test outcomes).

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::RepairError;
use super::evidence::{Evidence, TestOutcomes};
use super::project::Project;

/// A suspicious region of the project.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Site {
    /// Relative to the repository root.
    pub file: PathBuf,
    /// 1-based inclusive line range.
    pub start_line: u32,
    pub end_line: u32,
    /// Higher is more suspicious; only the order matters across localizers.
    pub score: f64,
    pub function: Option<String>,
    pub why: String,
}

impl Site {
    pub fn covers(&self, file: &Path, line: u32) -> bool {
        self.file == file && self.start_line <= line && line <= self.end_line
    }
}

/// Everything a localizer may look at.
pub struct LocalizeContext<'a> {
    pub evidence: &'a Evidence,
    pub project: &'a Project,
    /// Per-test results of the unpatched project (spectrum localizers pair them with coverage).
    pub baseline: &'a TestOutcomes,
    /// The test command, for localizers that re-run tests under instrumentation.
    pub test_command: &'a str,
}

pub trait Localizer: Send + Sync {
    fn name(&self) -> &'static str;
    /// Ranked sites, most suspicious first, no duplicates.
    fn localize(&self, ctx: &LocalizeContext<'_>) -> Result<Vec<Site>, RepairError>;
}

/// 1-based rank of the first site covering `file:line`.
pub fn rank_of(sites: &[Site], file: &Path, line: u32) -> Option<usize> {
    sites
        .iter()
        .position(|s| s.covers(file, line))
        .map(|i| i + 1)
}

/// Stack/evidence based localization, widened along the call graph.
///
/// Order: each failure's crash frame (innermost project frame outside test
/// code), then the enclosing function, then callers on the stack; then the
/// functions tested by failing tests (callees of the test frame); then callees
/// of everything above (faults that lie outside the stack); finally, when the
/// evidence has no usable frame at all, functions named in the messages and
/// then every non-test function.
#[derive(Debug, Default)]
pub struct StackLocalizer {
    /// How many call-graph hops to widen from the stack.
    pub widen_depth: usize,
}

impl StackLocalizer {
    pub fn new() -> Self {
        StackLocalizer { widen_depth: 2 }
    }
}

struct Ranked {
    sites: Vec<Site>,
    score: f64,
}

impl Ranked {
    fn push(&mut self, site: Site) {
        let dup = self.sites.iter().any(|s| {
            s.file == site.file && s.start_line == site.start_line && s.end_line == site.end_line
        });
        if !dup {
            self.sites.push(Site {
                score: self.score,
                ..site
            });
            // Geometric decay keeps scores positive and strictly ordered.
            self.score *= 0.9;
        }
    }
}

impl Localizer for StackLocalizer {
    fn name(&self) -> &'static str {
        "stack"
    }

    fn localize(&self, ctx: &LocalizeContext<'_>) -> Result<Vec<Site>, RepairError> {
        let p = ctx.project;
        let mut r = Ranked {
            sites: Vec::new(),
            score: 1.0,
        };
        let mut stack_functions: Vec<(PathBuf, String, u32, u32)> = Vec::new();
        let mut tested: Vec<String> = Vec::new();

        // Crash frames and callers; collect each failure's project frames.
        let mut per_failure: Vec<Vec<(PathBuf, u32, bool)>> = Vec::new();
        for failure in &ctx.evidence.failures {
            let frames: Vec<(PathBuf, u32, bool)> = failure
                .frames
                .iter()
                .filter_map(|f| {
                    let file = p.resolve(&f.file)?;
                    Some((file.clone(), f.line, p.is_test_code(&file, f.line)))
                })
                .collect();
            per_failure.push(frames);
        }
        // Crash lines of all failures first (one fault often fails several tests).
        for frames in &per_failure {
            if let Some((file, line, _)) = frames.iter().find(|(_, _, t)| !t) {
                let func = p.function_at(file, *line);
                r.push(Site {
                    file: file.clone(),
                    start_line: *line,
                    end_line: *line,
                    score: 0.0,
                    function: func.map(|f| f.name.clone()),
                    why: "crash frame: innermost frame in the project's own code".into(),
                });
            }
        }
        for frames in &per_failure {
            let mut first = true;
            for (file, line, is_test) in frames {
                if *is_test {
                    // The test frame names the function under test: its callees.
                    // (A test body may be an anonymous callback: the line alone still counts.)
                    let tf_calls = p
                        .function_at(file, *line)
                        .map(|tf| tf.calls.clone())
                        .unwrap_or_default();
                    let line_calls = calls_on_line(p, file, *line);
                    for c in line_calls.iter().chain(tf_calls.iter()) {
                        if !tested.contains(c) {
                            tested.push(c.clone());
                        }
                    }
                    continue;
                }
                let func = p.function_at(file, *line);
                if !first {
                    r.push(Site {
                        file: file.clone(),
                        start_line: *line,
                        end_line: *line,
                        score: 0.0,
                        function: func.map(|f| f.name.clone()),
                        why: "caller on the failing stack".into(),
                    });
                }
                first = false;
                if let Some(f) = func {
                    r.push(Site {
                        file: f.file.clone(),
                        start_line: f.start_line,
                        end_line: f.end_line,
                        score: 0.0,
                        function: Some(f.name.clone()),
                        why: format!("function `{}` on the failing stack", f.name),
                    });
                    stack_functions.push((
                        f.file.clone(),
                        f.name.clone(),
                        f.start_line,
                        f.end_line,
                    ));
                }
            }
        }
        // Functions exercised by failing tests whose stack ends in test code (wrong results).
        for name in &tested {
            for f in p.functions_named(name) {
                r.push(Site {
                    file: f.file.clone(),
                    start_line: f.start_line,
                    end_line: f.end_line,
                    score: 0.0,
                    function: Some(f.name.clone()),
                    why: format!("`{}` is called by the failing test", f.name),
                });
                stack_functions.push((f.file.clone(), f.name.clone(), f.start_line, f.end_line));
            }
        }
        // Names mentioned in failure messages (C assertion expressions, test names).
        if r.sites.is_empty() {
            let text = ctx.evidence.messages()
                + &ctx
                    .evidence
                    .failures
                    .iter()
                    .filter_map(|f| f.test.clone())
                    .collect::<Vec<_>>()
                    .join(" ");
            for f in p.functions.iter().filter(|f| !f.is_test) {
                if contains_word(&text, &f.name) {
                    r.push(Site {
                        file: f.file.clone(),
                        start_line: f.start_line,
                        end_line: f.end_line,
                        score: 0.0,
                        function: Some(f.name.clone()),
                        why: format!("`{}` is named in the failure message", f.name),
                    });
                    stack_functions.push((
                        f.file.clone(),
                        f.name.clone(),
                        f.start_line,
                        f.end_line,
                    ));
                }
            }
        }
        // Widen along the call graph: callees of the suspicious functions.
        let mut frontier: Vec<String> = stack_functions.iter().map(|s| s.1.clone()).collect();
        for depth in 0..self.widen_depth {
            let mut next = Vec::new();
            for name in &frontier {
                let callees: Vec<String> = p
                    .functions_named(name)
                    .flat_map(|f| f.calls.clone())
                    .collect();
                for c in callees {
                    for f in p.functions_named(&c) {
                        r.push(Site {
                            file: f.file.clone(),
                            start_line: f.start_line,
                            end_line: f.end_line,
                            score: 0.0,
                            function: Some(f.name.clone()),
                            why: format!(
                                "`{}` is called (depth {}) from a suspicious function",
                                f.name,
                                depth + 1
                            ),
                        });
                        next.push(f.name.clone());
                    }
                }
            }
            frontier = next;
        }
        // No usable evidence at all: every non-test function, small ones first
        // (a crude prior: faults in short helpers are cheaper to try).
        if r.sites.is_empty() {
            let mut all: Vec<_> = p.functions.iter().filter(|f| !f.is_test).collect();
            all.sort_by_key(|f| f.end_line - f.start_line);
            for f in all {
                r.push(Site {
                    file: f.file.clone(),
                    start_line: f.start_line,
                    end_line: f.end_line,
                    score: 0.0,
                    function: Some(f.name.clone()),
                    why: "no frame in the evidence: every project function".into(),
                });
            }
        }
        Ok(r.sites)
    }
}

fn calls_on_line(p: &Project, file: &Path, line: u32) -> Vec<String> {
    let Some(sf) = p.file(file) else {
        return Vec::new();
    };
    let spec = p.language.spec();
    let mut out = Vec::new();
    super::project::walk(sf.tree.root_node(), &mut |n| {
        let row = n.start_position().row as u32 + 1;
        if row == line
            && spec.call_kinds.contains(&n.kind())
            && let Some(c) = super::project::callee_name(n, &sf.text)
            && !out.contains(&c)
        {
            out.push(c);
        }
    });
    // Functions named on the line without a call the parser can see: code
    // run in a child process or evaluated from a string (`run("m.f(1)")`).
    if let Some(text) = sf.text.lines().nth(line.saturating_sub(1) as usize) {
        for f in p.functions.iter().filter(|f| !f.is_test) {
            if f.name.len() > 2 && contains_word(text, &f.name) && !out.contains(&f.name) {
                out.push(f.name.clone());
            }
        }
    }
    out
}

fn contains_word(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + word.len()..].chars().next();
        let is_ident = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
        !is_ident(before) && !is_ident(after)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::repair::evidence;
    use crate::repair::lang::Language;

    #[test]
    fn crash_frame_first_then_function_then_tested_callees() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("app")).unwrap();
        std::fs::create_dir_all(dir.path().join("tests")).unwrap();
        std::fs::write(
            dir.path().join("app/orders.py"),
            "def find_customer(db, cid):\n    return db.get(cid)\n\n\ndef order_total(db, cid, items):\n    customer = find_customer(db, cid)\n    discount = customer.discount\n    return sum(items) * (1 - discount)\n",
        )
        .unwrap();
        std::fs::write(
            dir.path().join("tests/test_orders.py"),
            "from app.orders import order_total\n\n\ndef test_x():\n    assert order_total({}, 1, []) == 0\n",
        )
        .unwrap();
        let project = Project::load(dir.path(), Language::Python).unwrap();
        let ev = evidence::parse(
            "Traceback (most recent call last):\n  File \"/ci/tests/test_orders.py\", line 5, in test_x\n    assert order_total({}, 1, []) == 0\n  File \"/ci/app/orders.py\", line 7, in order_total\n    discount = customer.discount\nAttributeError: 'NoneType' object has no attribute 'discount'\n",
        );
        let baseline = TestOutcomes::default();
        let sites = StackLocalizer::new()
            .localize(&LocalizeContext {
                evidence: &ev,
                project: &project,
                baseline: &baseline,
                test_command: "true",
            })
            .unwrap();
        assert_eq!(
            (sites[0].file.to_str(), sites[0].start_line),
            (Some("app/orders.py"), 7)
        );
        assert_eq!((sites[1].start_line, sites[1].end_line), (5, 8));
        // find_customer is outside the stack but called by the crash function.
        assert_eq!(rank_of(&sites, Path::new("app/orders.py"), 2), Some(3));
        assert!(sites.windows(2).all(|w| w[0].score > w[1].score));
    }

    #[test]
    fn a_function_named_in_a_string_on_the_failing_test_line_is_tested() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("src")).unwrap();
        std::fs::create_dir_all(dir.path().join("test")).unwrap();
        std::fs::write(
            dir.path().join("src/search.js"),
            "function countHits(s, t) {\n  let n = 0;\n  return n;\n}\nfunction other() {\n  return 1;\n}\nmodule.exports = { countHits, other };\n",
        )
        .unwrap();
        std::fs::write(
            dir.path().join("test/search.test.js"),
            "const test = require('node:test');\nconst run = (code) => code;\ntest('counts', () => {\n  run('m.countHits(\"a\", \"b\")');\n});\n",
        )
        .unwrap();
        let project = Project::load(dir.path(), Language::Javascript).unwrap();
        let ev = evidence::Evidence {
            failures: vec![evidence::Failure {
                source: "node-stack".into(),
                test: Some("counts".into()),
                kind: Some("Error".into()),
                message: "did not finish within 3000ms".into(),
                frames: vec![evidence::Frame {
                    file: "/ci/test/search.test.js".into(),
                    line: 4,
                    function: None,
                }],
            }],
        };
        let baseline = TestOutcomes::default();
        let sites = StackLocalizer::new()
            .localize(&LocalizeContext {
                evidence: &ev,
                project: &project,
                baseline: &baseline,
                test_command: "true",
            })
            .unwrap();
        assert_eq!(
            sites[0].function.as_deref(),
            Some("countHits"),
            "{sites:#?}"
        );
    }
}
