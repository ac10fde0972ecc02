//! Parsing crash and test-failure evidence into frames and messages.
//!
//! Every parser is a pure function over text, so the same code reads a
//! traceback from the journal, an evidence file, or the output of the
//! project's own test run. Frames are stored innermost first whatever order
//! the runtime printed them in.

use std::collections::BTreeSet;
use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

/// One stack frame as printed: the path is not resolved against the project yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Frame {
    pub file: String,
    pub line: u32,
    pub function: Option<String>,
}

/// One failure: a crash or a failing test.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Failure {
    /// Which parser recognised it (`python-traceback`, `rust-panic`, ...).
    pub source: String,
    /// The failing test, when the failure came from a test runner.
    pub test: Option<String>,
    /// Exception/error type (`ZeroDivisionError`, `TypeError`, `heap-buffer-overflow`).
    pub kind: Option<String>,
    pub message: String,
    /// Innermost frame first.
    pub frames: Vec<Frame>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    pub failures: Vec<Failure>,
}

impl Evidence {
    pub fn is_empty(&self) -> bool {
        self.failures.is_empty()
    }

    pub fn extend(&mut self, other: Evidence) {
        for f in other.failures {
            if !self.failures.contains(&f) {
                self.failures.push(f);
            }
        }
    }

    /// All messages, joined; used by templates to pick a fix that matches the error.
    pub fn messages(&self) -> String {
        self.failures
            .iter()
            .map(|f| format!("{} {}", f.kind.as_deref().unwrap_or(""), f.message))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

macro_rules! re {
    ($name:ident, $pat:expr) => {
        static $name: LazyLock<Regex> = LazyLock::new(|| Regex::new($pat).expect("static regex"));
    };
}

re!(PY_FILE, r#"^\s*File "([^"]+)", line (\d+)(?:,? in (\S+))?"#);
re!(
    PY_EXC,
    r"^([A-Za-z_][\w.]*(?:Error|Exception|Exit|Interrupt|Warning|Iteration)|AssertionError|KeyError|IndexError|StopIteration)(?::\s?(.*))?$"
);
re!(UNITTEST_HEAD, r"^(ERROR|FAIL): (\S+) \(([^)]+)\)");
re!(PYTEST_SECTION, r"^_{3,} (\S.*?) _{3,}$");
re!(PYTEST_LOC, r"^(\S+\.py):(\d+): ?(\w*)$");
re!(PYTEST_DEF, r"^\s*(?:async\s+)?def (\w+)\(");
re!(
    RUST_PANIC,
    r"^thread '([^']*)'(?: \(\d+\))? panicked at ([^:\s]+):(\d+):(\d+):?(.*)$"
);
re!(RUST_BT_FN, r"^\s*\d+: (.+)$");
re!(RUST_BT_AT, r"^\s+at (\S+?):(\d+)(?::\d+)?$");
re!(
    NODE_AT,
    r"^\s*(?:at\s+)?(?:async\s+)?(?:(.+?)\s+\()?((?:file://)?[^\s()]+?\.(?:js|mjs|cjs|ts)):(\d+):(\d+)\)?\s*$"
);
re!(
    NODE_ERR,
    r"^(?:Uncaught\s+)?([A-Za-z]*Error|Error|AssertionError \[\w+\])(?::\s?(.*))?$"
);
re!(TAP_NOT_OK, r"^\s*not ok \d+ - (.+)$");
re!(TAP_ERROR, r#"^\s*error: ?(?:'(.*)'|"(.*)"|(\|-)|(.*))$"#);
re!(TAP_NAME, r"^\s*name: '?([\w.]+)'?$");
re!(
    ASAN_HEAD,
    r"==\d+==ERROR: (AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer): ?(\S+)?(.*)$"
);
re!(
    ASAN_FRAME,
    r"^\s*#\d+ 0x[0-9a-f]+ in (\S+) (\S+?):(\d+)(?::\d+)?$"
);
re!(
    UBSAN,
    r"^(\S+?\.(?:c|h|cc|cpp)):(\d+):\d+: runtime error: (.*)$"
);
re!(
    C_ASSERT,
    r"^(?:\S+: )?(\S+?\.(?:c|h)):(\d+): (\w+): Assertion `(.*)' failed\.?$"
);
re!(
    GDB_FRAME,
    r"^#\d+\s+(?:0x[0-9a-f]+ in )?(\S+) \(.*\) at (\S+?):(\d+)$"
);
re!(GDB_SIGNAL, r"^Program received signal (\w+), (.*)$");
re!(
    GENERIC_LOC,
    r"^(?:\S+: )?([\w./-]+\.(?:c|h|py|js|mjs|cjs|rs)):(\d+):(?:\d+:)? ?(.*)$"
);
re!(CARGO_TEST_LINE, r"^test (\S+) \.\.\. (ok|FAILED|ignored)");
re!(CARGO_QUIET_FAILED, r"^(\S+) --- FAILED$");
re!(CARGO_SECTION, r"^---- (\S+) stdout ----$");
re!(
    UNITTEST_VERBOSE,
    r"^(\w+) \(([\w.]+)\)(?:\n.*?)? \.\.\. (ok|FAIL|ERROR|skipped.*)$"
);
re!(PYTEST_FAILED, r"^(FAILED|ERROR) (\S+\.py(?:::\S+)?)");
re!(PYTEST_PASSED, r"^(\S+::\S+) PASSED");
re!(TAP_RESULT, r"^(\s*)(ok|not ok) \d+ - (.+?)(?: # .*)?$");
re!(
    C_TEST_LINE,
    r"^(PASS|FAIL|ok|not ok|FAILED|PASSED):? ([A-Za-z_][\w./:-]*)\s*$"
);

/// Parse any supported evidence format; unknown text yields no failures.
pub fn parse(text: &str) -> Evidence {
    let lines: Vec<&str> = text.lines().collect();
    let mut ev = Evidence::default();
    for parser in [
        parse_python_traceback as fn(&[&str]) -> Vec<Failure>,
        parse_pytest,
        parse_rust,
        parse_node,
        parse_asan,
        parse_c_assert,
        parse_gdb,
    ] {
        ev.extend(Evidence {
            failures: parser(&lines),
        });
    }
    // Compiler-style `file:line: message` lines (custom check macros, build
    // errors) only when no structured format matched: they are less precise.
    if ev.is_empty() {
        ev.extend(Evidence {
            failures: parse_generic_locations(&lines),
        });
    }
    ev
}

fn parse_generic_locations(lines: &[&str]) -> Vec<Failure> {
    lines
        .iter()
        .filter_map(|l| GENERIC_LOC.captures(l.trim()))
        .map(|c| Failure {
            source: "location".into(),
            test: None,
            kind: None,
            message: c[3].trim().to_string(),
            frames: vec![Frame {
                file: c[1].to_string(),
                line: c[2].parse().unwrap_or(0),
                function: None,
            }],
        })
        .take(20)
        .collect()
}

fn parse_python_traceback(lines: &[&str]) -> Vec<Failure> {
    let mut out = Vec::new();
    let mut test: Option<String> = None;
    let mut i = 0;
    while i < lines.len() {
        if let Some(c) = UNITTEST_HEAD.captures(lines[i]) {
            test = Some(c[3].to_string());
        }
        // faulthandler dumps (hangs killed with SIGABRT): innermost first already.
        if lines[i].trim_end().ends_with("(most recent call first):") {
            let mut frames = Vec::new();
            let mut j = i + 1;
            while j < lines.len() {
                let Some(c) = PY_FILE.captures(lines[j]) else {
                    break;
                };
                frames.push(Frame {
                    file: c[1].to_string(),
                    line: c[2].parse().unwrap_or(0),
                    function: c.get(3).map(|m| m.as_str().to_string()),
                });
                j += 1;
            }
            if !frames.is_empty() {
                out.push(Failure {
                    source: "python-faulthandler".into(),
                    test: None,
                    kind: Some("hang".into()),
                    message: "process stuck (stack dumped on timeout)".into(),
                    frames,
                });
            }
            i = j;
            continue;
        }
        if lines[i]
            .trim_start()
            .starts_with("Traceback (most recent call last)")
        {
            let mut frames = Vec::new();
            let mut j = i + 1;
            let mut kind = None;
            let mut message = String::new();
            while j < lines.len() {
                let l = lines[j];
                if let Some(c) = PY_FILE.captures(l) {
                    frames.push(Frame {
                        file: c[1].to_string(),
                        line: c[2].parse().unwrap_or(0),
                        function: c.get(3).map(|m| m.as_str().to_string()),
                    });
                } else if !l.starts_with(' ') && !l.is_empty() {
                    if let Some(c) = PY_EXC.captures(l) {
                        kind = Some(c[1].rsplit('.').next().unwrap_or(&c[1]).to_string());
                        message = c.get(2).map(|m| m.as_str().to_string()).unwrap_or_default();
                    } else {
                        message = l.to_string();
                    }
                    break;
                }
                j += 1;
            }
            frames.reverse();
            out.push(Failure {
                source: "python-traceback".into(),
                test: test.take(),
                kind,
                message,
                frames,
            });
            i = j;
        }
        i += 1;
    }
    // Chained exceptions ("During handling of the above exception...") produce
    // several tracebacks; all are kept, the last printed is the one that escaped.
    out
}

fn parse_pytest(lines: &[&str]) -> Vec<Failure> {
    let mut out = Vec::new();
    let mut current: Option<Failure> = None;
    let mut last_def: Option<String> = None;
    for l in lines {
        if let Some(c) = PYTEST_SECTION.captures(l) {
            if let Some(f) = current.take() {
                out.push(f);
            }
            let name = c[1].to_string();
            if name.contains("short test summary") || name.contains(' ') {
                continue;
            }
            current = Some(Failure {
                source: "pytest".into(),
                test: Some(name),
                ..Failure::default()
            });
            last_def = None;
            continue;
        }
        let Some(f) = current.as_mut() else { continue };
        if let Some(c) = PYTEST_DEF.captures(l) {
            last_def = Some(c[1].to_string());
        } else if let Some(rest) = l.strip_prefix("E   ") {
            if f.message.is_empty() {
                let rest = rest.trim();
                if let Some(c) = PY_EXC.captures(rest) {
                    f.kind = Some(c[1].to_string());
                    f.message = c.get(2).map(|m| m.as_str().to_string()).unwrap_or_default();
                } else {
                    f.message = rest.to_string();
                }
            }
        } else if let Some(c) = PYTEST_LOC.captures(l) {
            // pytest prints outermost first; insert at the front to keep innermost first.
            f.frames.insert(
                0,
                Frame {
                    file: c[1].to_string(),
                    line: c[2].parse().unwrap_or(0),
                    function: last_def.take(),
                },
            );
            if !c[3].is_empty() && f.kind.is_none() {
                f.kind = Some(c[3].to_string());
            }
        }
    }
    out.extend(current);
    out.retain(|f| !f.frames.is_empty());
    out
}

fn parse_rust(lines: &[&str]) -> Vec<Failure> {
    let mut out: Vec<Failure> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let Some(c) = RUST_PANIC.captures(lines[i]) else {
            i += 1;
            continue;
        };
        let thread = c[1].to_string();
        let mut message = c[5].trim().to_string();
        let mut j = i + 1;
        // The message follows on the next lines (Rust >= 1.73) until a note/backtrace/blank line.
        while j < lines.len() {
            let l = lines[j];
            if l.is_empty() || l.starts_with("note:") || l.starts_with("stack backtrace:") {
                break;
            }
            if !message.is_empty() {
                message.push('\n');
            }
            message.push_str(l);
            j += 1;
        }
        let mut frames = vec![Frame {
            file: c[2].to_string(),
            line: c[3].parse().unwrap_or(0),
            function: None,
        }];
        if j < lines.len() && lines[j].starts_with("stack backtrace:") {
            j += 1;
            let mut func: Option<String> = None;
            while j < lines.len() {
                let l = lines[j];
                if let Some(a) = RUST_BT_AT.captures(l) {
                    let file = a[1].to_string();
                    // Only the program's own frames: std/core live under /rustc/ or the registry.
                    if !file.starts_with("/rustc/") && !file.contains("/.cargo/registry/") {
                        let fr = Frame {
                            file,
                            line: a[2].parse().unwrap_or(0),
                            function: func.clone(),
                        };
                        if frames[0].file.ends_with(fr.file.trim_start_matches("./"))
                            && frames[0].line == fr.line
                        {
                            frames[0].function = fr.function;
                        } else {
                            frames.push(fr);
                        }
                    }
                } else if let Some(f) = RUST_BT_FN.captures(l) {
                    let sym = f[1].trim();
                    let sym = sym.split("::{{closure}}").next().unwrap_or(sym);
                    func = Some(sym.rsplit("::").next().unwrap_or(sym).to_string());
                } else {
                    break;
                }
                j += 1;
            }
        }
        let kind = rust_panic_kind(&message);
        out.push(Failure {
            source: "rust-panic".into(),
            test: (thread != "main" && !thread.is_empty()).then_some(thread),
            kind,
            message,
            frames,
        });
        i = j.max(i + 1);
    }
    out
}

/// Classify a Rust panic message so templates can pick a fitting fix.
fn rust_panic_kind(msg: &str) -> Option<String> {
    let k = if msg.contains("unwrap()` on a `None`") || msg.contains("unwrap()` on an `Err`") {
        "unwrap"
    } else if msg.contains("index out of bounds") || msg.contains("out of range for slice") {
        "index-out-of-bounds"
    } else if msg.contains("divide by zero") || msg.contains("remainder with a divisor of zero") {
        "divide-by-zero"
    } else if msg.contains("overflow") {
        "overflow"
    } else if msg.starts_with("assertion") {
        "assertion"
    } else {
        return None;
    };
    Some(k.to_string())
}

fn parse_node(lines: &[&str]) -> Vec<Failure> {
    let mut out = Vec::new();
    let mut test: Option<String> = None;
    let mut pending_msg: Option<(Option<String>, String)> = None;
    let mut tap_kind: Option<String> = None;
    let mut i = 0;
    while i < lines.len() {
        let l = lines[i];
        if let Some(c) = TAP_NOT_OK.captures(l) {
            test = Some(c[1].trim().to_string());
            pending_msg = None;
            tap_kind = None;
        } else if let Some(c) = TAP_ERROR.captures(l) {
            if test.is_some() {
                let msg = if c.get(3).is_some() {
                    lines
                        .get(i + 1)
                        .map(|s| s.trim().to_string())
                        .unwrap_or_default()
                } else {
                    c.get(1)
                        .or(c.get(2))
                        .or(c.get(4))
                        .map(|m| m.as_str().to_string())
                        .unwrap_or_default()
                };
                pending_msg = Some((None, msg));
            }
        } else if let Some(c) = TAP_NAME.captures(l) {
            if test.is_some() {
                tap_kind = Some(c[1].to_string());
            }
        } else if let Some(c) = NODE_ERR.captures(l.trim_end()) {
            pending_msg = Some((
                Some(c[1].to_string()),
                c.get(2).map(|m| m.as_str().to_string()).unwrap_or_default(),
            ));
        }
        if NODE_AT.is_match(l) && pending_msg.is_some() {
            let mut frames = Vec::new();
            while i < lines.len() {
                let Some(c) = NODE_AT.captures(lines[i]) else {
                    break;
                };
                let file = c[2].trim_start_matches("file://").to_string();
                if !file.starts_with("node:") && !file.contains("/node_modules/") {
                    frames.push(Frame {
                        file,
                        line: c[3].parse().unwrap_or(0),
                        function: c.get(1).map(|m| {
                            let f = m.as_str().trim_start_matches("async ");
                            f.rsplit('.').next().unwrap_or(f).to_string()
                        }),
                    });
                }
                i += 1;
            }
            let (kind, message) = pending_msg.take().unwrap_or_default();
            out.push(Failure {
                source: "node-stack".into(),
                test: test.take(),
                kind: kind.or(tap_kind.take()),
                message,
                frames,
            });
            continue;
        }
        i += 1;
    }
    out
}

fn parse_asan(lines: &[&str]) -> Vec<Failure> {
    let mut out = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        if let Some(c) = ASAN_HEAD.captures(l) {
            let mut frames = Vec::new();
            for fl in &lines[i + 1..] {
                if let Some(f) = ASAN_FRAME.captures(fl) {
                    let file = f[2].to_string();
                    if !file.starts_with("../") && !file.contains("/libsanitizer/") {
                        frames.push(Frame {
                            file,
                            line: f[3].parse().unwrap_or(0),
                            function: Some(f[1].to_string()),
                        });
                    }
                } else if fl.trim().is_empty() && !frames.is_empty() {
                    // The first stack is the faulting access; later ones are allocation sites.
                    break;
                }
            }
            out.push(Failure {
                source: "sanitizer".into(),
                test: None,
                kind: c.get(2).map(|m| m.as_str().to_string()),
                message: format!("{}{}", c.get(2).map_or("", |m| m.as_str()), &c[3]),
                frames,
            });
        } else if let Some(c) = UBSAN.captures(l) {
            out.push(Failure {
                source: "sanitizer".into(),
                test: None,
                kind: Some("undefined-behavior".into()),
                message: c[3].to_string(),
                frames: vec![Frame {
                    file: c[1].to_string(),
                    line: c[2].parse().unwrap_or(0),
                    function: None,
                }],
            });
        }
    }
    out
}

fn parse_c_assert(lines: &[&str]) -> Vec<Failure> {
    lines
        .iter()
        .filter_map(|l| C_ASSERT.captures(l))
        .map(|c| Failure {
            source: "c-assert".into(),
            test: Some(c[3].to_string()),
            kind: Some("assertion".into()),
            message: c[4].to_string(),
            frames: vec![Frame {
                file: c[1].to_string(),
                line: c[2].parse().unwrap_or(0),
                function: Some(c[3].to_string()),
            }],
        })
        .collect()
}

fn parse_gdb(lines: &[&str]) -> Vec<Failure> {
    let mut message = String::new();
    let mut kind = None;
    let mut frames = Vec::new();
    for l in lines {
        if let Some(c) = GDB_SIGNAL.captures(l) {
            kind = Some(c[1].to_string());
            message = c[2].to_string();
        } else if let Some(c) = GDB_FRAME.captures(l) {
            let fr = Frame {
                file: c[2].to_string(),
                line: c[3].parse().unwrap_or(0),
                function: Some(c[1].to_string()),
            };
            if !frames.contains(&fr) {
                frames.push(fr);
            }
        }
    }
    if frames.is_empty() {
        return Vec::new();
    }
    vec![Failure {
        source: "gdb-backtrace".into(),
        test: None,
        kind,
        message,
        frames,
    }]
}

/// Per-test results as far as the runner's output tells them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TestOutcomes {
    pub passed: BTreeSet<String>,
    pub failed: BTreeSet<String>,
}

/// Extract test names and results from a test run's output (unittest,
/// pytest, cargo test, node --test TAP, and `PASS name`/`FAIL name` lines of C test drivers).
pub fn test_outcomes(output: &str) -> TestOutcomes {
    let mut t = TestOutcomes::default();
    let lines: Vec<&str> = output.lines().collect();
    for l in &lines {
        if let Some(c) = UNITTEST_HEAD.captures(l) {
            t.failed.insert(c[3].to_string());
        } else if let Some(c) = CARGO_TEST_LINE.captures(l) {
            match &c[2] {
                "ok" => t.passed.insert(c[1].to_string()),
                "FAILED" => t.failed.insert(c[1].to_string()),
                _ => false,
            };
        } else if let Some(c) = CARGO_QUIET_FAILED.captures(l) {
            t.failed.insert(c[1].to_string());
        } else if let Some(c) = CARGO_SECTION.captures(l) {
            t.failed.insert(c[1].to_string());
        } else if let Some(c) = PYTEST_FAILED.captures(l) {
            t.failed.insert(c[2].to_string());
        } else if let Some(c) = PYTEST_PASSED.captures(l) {
            t.passed.insert(c[1].to_string());
        } else if let Some(c) = TAP_RESULT.captures(l) {
            // Only top-level TAP results; nested ones are subtests of a suite.
            if c[1].is_empty() {
                let name = c[3].trim().to_string();
                if &c[2] == "ok" {
                    t.passed.insert(name);
                } else {
                    t.failed.insert(name);
                }
            }
        } else if let Some(c) = UNITTEST_VERBOSE.captures(l) {
            let name = format!("{}.{}", &c[2], &c[1]);
            if &c[3] == "ok" {
                t.passed.insert(name);
            } else if !c[3].starts_with("skipped") {
                t.failed.insert(name);
            }
        } else if let Some(c) = C_TEST_LINE.captures(l) {
            let name = c[2].trim_end_matches(':').to_string();
            if matches!(&c[1], "PASS" | "ok" | "PASSED") {
                t.passed.insert(name);
            } else {
                t.failed.insert(name);
            }
        }
    }
    t.passed.retain(|n| !t.failed.contains(n));
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> String {
        let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("src/repair/testdata")
            .join(name);
        std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
    }

    #[test]
    fn python_traceback_innermost_first() {
        let ev = parse(&fixture("python_traceback.txt"));
        assert_eq!(ev.failures.len(), 1);
        let f = &ev.failures[0];
        assert_eq!(f.kind.as_deref(), Some("AttributeError"));
        assert_eq!(f.message, "'NoneType' object has no attribute 'discount'");
        assert_eq!(f.frames[0].file, "/tmp/fx/py/app/orders.py");
        assert_eq!(f.frames[0].line, 7);
        assert_eq!(f.frames[0].function.as_deref(), Some("order_total"));
        assert_eq!(f.frames[1].function.as_deref(), Some("<module>"));
    }

    #[test]
    fn unittest_failures_carry_test_ids() {
        let out = fixture("python_unittest.txt");
        let ev = parse(&out);
        let tests: Vec<_> = ev.failures.iter().filter_map(|f| f.test.clone()).collect();
        assert!(tests.contains(&"tests.test_orders.OrdersTest.test_average_empty".to_string()));
        let zd = ev
            .failures
            .iter()
            .find(|f| f.kind.as_deref() == Some("ZeroDivisionError"))
            .unwrap();
        assert_eq!((zd.frames[0].line, zd.frames[1].line), (12, 10));
        let assertion = ev
            .failures
            .iter()
            .find(|f| f.kind.as_deref() == Some("AssertionError"))
            .unwrap();
        assert_eq!(assertion.message, "3.0 != 4");
        let o = test_outcomes(&out);
        assert_eq!(o.failed.len(), 3, "{o:?}");
    }

    #[test]
    fn pytest_sections() {
        let out = fixture("pytest.txt");
        let ev = parse(&out);
        let zd = ev
            .failures
            .iter()
            .find(|f| f.kind.as_deref() == Some("ZeroDivisionError"))
            .unwrap();
        assert_eq!(zd.source, "pytest");
        assert_eq!(zd.frames[0].file, "app/orders.py");
        assert_eq!(zd.frames[0].line, 12);
        assert_eq!(zd.frames[0].function.as_deref(), Some("average"));
        assert_eq!(zd.frames[1].file, "tests/test_orders.py");
        let o = test_outcomes(&out);
        assert!(
            o.failed
                .contains("tests/test_orders.py::OrdersTest::test_average")
        );
    }

    #[test]
    fn rust_panic_with_and_without_backtrace() {
        let ev = parse(&fixture("rust_panic_backtrace.txt"));
        let f = &ev.failures[0];
        assert_eq!(f.kind.as_deref(), Some("overflow"));
        assert_eq!(f.frames[0].file, "src/lib.rs");
        assert_eq!(f.frames[0].line, 7);
        assert_eq!(f.frames[0].function.as_deref(), Some("last_n"));
        assert_eq!(f.frames[1].file, "./src/main.rs");
        assert_eq!(f.frames[1].line, 3);
        let ev = parse(&fixture("rust_panic.txt"));
        assert_eq!(ev.failures[0].frames.len(), 1);
        assert_eq!(ev.failures[0].test, None);
    }

    #[test]
    fn cargo_test_output() {
        let out = fixture("cargo_test.txt");
        let ev = parse(&out);
        let unwrap = ev
            .failures
            .iter()
            .find(|f| f.test.as_deref() == Some("tests::port_bad"))
            .unwrap();
        assert_eq!(unwrap.kind.as_deref(), Some("unwrap"));
        assert_eq!(
            (unwrap.frames[0].file.as_str(), unwrap.frames[0].line),
            ("src/lib.rs", 2)
        );
        let o = test_outcomes(&out);
        assert_eq!(
            o.failed.iter().cloned().collect::<Vec<_>>(),
            vec!["tests::last_two".to_string(), "tests::port_bad".to_string()]
        );
    }

    #[test]
    fn node_crash_and_tap() {
        let ev = parse(&fixture("node_crash.txt"));
        let f = &ev.failures[0];
        assert_eq!(f.kind.as_deref(), Some("TypeError"));
        assert!(f.message.contains("reading 'price'"));
        assert_eq!(f.frames[0].file, "/tmp/fx/js/src/cart.js");
        assert_eq!(f.frames[0].line, 8);
        assert_eq!(f.frames[0].function.as_deref(), Some("priceOf"));
        assert_eq!(f.frames.len(), 2, "node: internals are dropped");

        let out = fixture("node_test.txt");
        let ev = parse(&out);
        assert_eq!(ev.failures.len(), 2);
        assert_eq!(
            ev.failures[0].test.as_deref(),
            Some("missing sku costs nothing")
        );
        assert_eq!(ev.failures[0].kind.as_deref(), Some("TypeError"));
        assert_eq!(ev.failures[1].kind.as_deref(), Some("AssertionError"));
        assert_eq!(ev.failures[1].frames[0].line, 11);
        let o = test_outcomes(&out);
        assert!(o.passed.contains("known sku"));
        assert!(o.failed.contains("clamp takes n items"));
    }

    #[test]
    fn c_sanitizer_assert_and_gdb() {
        let ev = parse(&fixture("c_asan.txt"));
        let f = &ev.failures[0];
        assert_eq!(f.kind.as_deref(), Some("heap-buffer-overflow"));
        assert_eq!(
            f.frames.len(),
            2,
            "libc frames and the allocation stack are dropped"
        );
        assert_eq!(
            (f.frames[0].file.as_str(), f.frames[0].line),
            ("/tmp/fx/c/stats.c", 7)
        );

        let ev = parse(&fixture("c_assert.txt"));
        assert_eq!(ev.failures[0].message, "sum_first(xs, 3, 1) == 1");
        assert_eq!(ev.failures[0].frames[0].line, 12);

        let ev = parse(&fixture("c_gdb_bt.txt"));
        let f = &ev.failures[0];
        assert_eq!(f.kind.as_deref(), Some("SIGSEGV"));
        assert_eq!(f.frames[0].function.as_deref(), Some("name_len"));
        assert_eq!(f.frames[1].file, "test_stats.c");
    }

    #[test]
    fn compiler_style_locations_when_nothing_structured_matches() {
        let ev = parse(&fixture("c_check_macro.txt"));
        assert_eq!(ev.failures.len(), 2);
        assert_eq!(ev.failures[0].source, "location");
        assert_eq!(
            (
                ev.failures[0].frames[0].file.as_str(),
                ev.failures[0].frames[0].line
            ),
            ("tests/test_histo.c", 16)
        );
        assert_eq!(ev.failures[1].message, "check failed: h.counts[3] == 2");
        // `make: *** [Makefile:13: test] Error 1` is not a source location.
        assert!(
            ev.failures
                .iter()
                .all(|f| !f.frames[0].file.contains("Makefile"))
        );
    }

    #[test]
    fn python_faulthandler_dump_of_a_hang() {
        let ev = parse(&fixture("python_faulthandler.txt"));
        let f = &ev.failures[0];
        assert_eq!(f.source, "python-faulthandler");
        assert_eq!(f.kind.as_deref(), Some("hang"));
        assert_eq!(
            (
                f.frames[0].file.as_str(),
                f.frames[0].line,
                f.frames[0].function.as_deref()
            ),
            ("/tmp/fxh/app/spin.py", 3, Some("wait_for"))
        );
        assert_eq!(f.frames.len(), 2);
    }

    #[test]
    fn unknown_text_gives_nothing() {
        assert!(parse("all good\nnothing to see\n").is_empty());
    }
}
