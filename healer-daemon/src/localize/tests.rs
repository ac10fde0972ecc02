//! Collectors and localizers on tiny real projects: real coverage runs
//! (coverage.py, V8, gcov, llvm-cov), one planted fault each.

use std::path::Path;

use super::collect::{CollectOptions, collect};
use super::sbfl::{Formula, ranking, score_spectrum};
use super::spectrum::Spectrum;
use crate::repair::Language;
use crate::repair::project::Project;

fn write(root: &Path, files: &[(&str, &str)]) {
    for (rel, text) in files {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
}

/// The planted fault: `clamp` returns the low bound when above the high one.
/// Four tests: below, inside and above the range (the failing one), double.
fn check(s: &Spectrum, file: &str, fault_line: u32) {
    assert_eq!(s.runs.len(), 4, "one run per test: {:?}", s.runs);
    assert_eq!(s.failed_runs(), 1, "{:?}", s.runs);
    let failing = s.runs.iter().position(|r| r.failed).unwrap();
    assert!(s.runs[failing].name.contains("high"), "{:?}", s.runs);
    let fault = s
        .elements
        .iter()
        .position(|e| e.file == Path::new(file) && e.line == fault_line)
        .unwrap_or_else(|| panic!("fault line not covered: {:?}", s.elements));
    assert!(s.hits.get(fault, failing));
    for (col, r) in s.runs.iter().enumerate() {
        if !r.failed {
            assert!(!s.hits.get(fault, col), "{} ran the fault line", r.name);
        }
    }
    for f in [Formula::Ochiai, Formula::Dstar, Formula::Op2] {
        let scores = score_spectrum(s, f);
        let top = ranking(&scores)[0];
        assert_eq!(
            scores[top], scores[fault],
            "{f}: the fault line has the top score"
        );
    }
}

fn run(root: &Path, language: Language, test: &str) -> Spectrum {
    let project = Project::load(root, language).unwrap();
    collect(&project, test, &CollectOptions::default()).unwrap()
}

fn python_fixture(root: &Path) {
    write(
        root,
        &[
            ("app/__init__.py", ""),
            (
                "app/calc.py",
                "def clamp(x, lo, hi):\n    if x < lo:\n        return lo\n    if x > hi:\n        return lo\n    return x\n\n\ndef double(x):\n    return x * 2\n",
            ),
            ("tests/__init__.py", ""),
            (
                "tests/test_calc.py",
                "import unittest\nfrom app.calc import clamp, double\n\n\nclass T(unittest.TestCase):\n    def test_low(self):\n        self.assertEqual(clamp(-1, 0, 10), 0)\n\n    def test_mid(self):\n        self.assertEqual(clamp(5, 0, 10), 5)\n\n    def test_high(self):\n        self.assertEqual(clamp(11, 0, 10), 10)\n\n    def test_double(self):\n        self.assertEqual(double(2), 4)\n",
            ),
        ],
    );
}

#[test]
fn python_coverage_contexts_give_one_run_per_test() {
    let d = tempfile::tempdir().unwrap();
    python_fixture(d.path());
    let s = run(
        d.path(),
        Language::Python,
        "python3 -m unittest discover -s tests -t . -q",
    );
    check(&s, "app/calc.py", 5);
    assert!(
        s.elements
            .iter()
            .all(|e| e.file == Path::new("app/calc.py"))
    );
}

#[test]
fn node_v8_coverage_gives_one_run_per_test() {
    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        &[
            (
                "package.json",
                "{\"name\":\"calc\",\"version\":\"1.0.0\"}\n",
            ),
            (
                "src/calc.js",
                "'use strict';\nfunction clamp(x, lo, hi) {\n  if (x < lo) {\n    return lo;\n  }\n  if (x > hi) {\n    return lo;\n  }\n  return x;\n}\nfunction double(x) {\n  return x * 2;\n}\nmodule.exports = { clamp, double };\n",
            ),
            (
                "test/calc.test.js",
                "'use strict';\nconst test = require('node:test');\nconst assert = require('node:assert/strict');\nconst { clamp, double } = require('../src/calc');\n\ntest('low', () => assert.equal(clamp(-1, 0, 10), 0));\ntest('mid', () => assert.equal(clamp(5, 0, 10), 5));\ntest('high', () => assert.equal(clamp(11, 0, 10), 10));\ntest('double', () => assert.equal(double(2), 4));\n",
            ),
        ],
    );
    let s = run(d.path(), Language::Javascript, "node --test test/");
    check(&s, "src/calc.js", 7);
}

#[test]
fn gcov_driver_gives_one_run_per_test_function() {
    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        &[
            (
                "Makefile",
                "CC = gcc\nCFLAGS = -g -O0 -Wall\n\n.PHONY: build test\nbuild: build/test_calc\n\nbuild/test_calc: src/calc.c src/calc.h tests/test_calc.c\n\tmkdir -p build\n\t$(CC) $(CFLAGS) -Isrc src/calc.c tests/test_calc.c -o $@\n\ntest: build\n\t./build/test_calc\n",
            ),
            (
                "src/calc.h",
                "int clamp(int x, int lo, int hi);\nint twice(int x);\n",
            ),
            (
                "src/calc.c",
                "#include \"calc.h\"\nint clamp(int x, int lo, int hi)\n{\n    if (x < lo)\n        return lo;\n    if (x > hi)\n        return lo;\n    return x;\n}\n\nint twice(int x)\n{\n    return x * 2;\n}\n",
            ),
            (
                "tests/test_calc.c",
                "#include <stdio.h>\n#include \"calc.h\"\nstatic int failures;\n#define CHECK(c) do { if (!(c)) { fprintf(stderr, \"%s:%d: check failed: %s\\n\", __FILE__, __LINE__, #c); failures++; } } while (0)\n\nstatic void test_low(void) { CHECK(clamp(-1, 0, 10) == 0); }\nstatic void test_mid(void) { CHECK(clamp(5, 0, 10) == 5); }\nstatic void test_high(void) { CHECK(clamp(11, 0, 10) == 10); }\nstatic void test_twice(void) { CHECK(twice(2) == 4); }\n\nint main(void)\n{\n    test_low();\n    test_mid();\n    test_high();\n    test_twice();\n    return failures ? 1 : 0;\n}\n",
            ),
        ],
    );
    let s = run(d.path(), Language::C, "make test");
    check(&s, "src/calc.c", 7);
}

#[test]
fn llvm_cov_gives_one_run_per_rust_test() {
    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        &[
            (
                "Cargo.toml",
                "[package]\nname = \"calc\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[workspace]\n",
            ),
            (
                "src/lib.rs",
                "pub fn clamp(x: i32, lo: i32, hi: i32) -> i32 {\n    if x < lo {\n        return lo;\n    }\n    if x > hi {\n        return lo;\n    }\n    x\n}\n\npub fn double(x: i32) -> i32 {\n    x * 2\n}\n\n#[cfg(test)]\nmod tests {\n    use super::*;\n    #[test]\n    fn low() {\n        assert_eq!(clamp(-1, 0, 10), 0);\n    }\n    #[test]\n    fn mid() {\n        assert_eq!(clamp(5, 0, 10), 5);\n    }\n    #[test]\n    fn high() {\n        assert_eq!(clamp(11, 0, 10), 10);\n    }\n    #[test]\n    fn doubles() {\n        assert_eq!(double(2), 4);\n    }\n}\n",
            ),
        ],
    );
    let s = run(d.path(), Language::Rust, "cargo test --offline -q");
    check(&s, "src/lib.rs", 6);
    assert!(
        s.elements.iter().all(|e| e.line < 15),
        "test code is not an element: {:?}",
        s.elements
    );
}

#[test]
fn repair_engine_ranks_with_the_spectrum_and_learned_localizers() {
    use crate::localize::{LearnedLocalizer, SpectrumLocalizer};
    use crate::repair::localize::{Localizer, rank_of};
    use crate::repair::{RepairEngine, RepairRequest};
    let d = tempfile::tempdir().unwrap();
    python_fixture(d.path());
    let model = Path::new(env!("CARGO_MANIFEST_DIR")).join("../config/models/ranker.json");
    let localizers: Vec<Box<dyn Localizer>> = vec![
        Box::new(SpectrumLocalizer::new(Formula::Ochiai)),
        Box::new(LearnedLocalizer::load(&model).unwrap()),
    ];
    for loc in localizers {
        let name = loc.name();
        let engine = RepairEngine {
            localizer: loc,
            ..RepairEngine::default()
        };
        let mut req = RepairRequest::new(d.path(), "python3 -m unittest discover -s tests -t . -q");
        req.max_candidates = 1;
        let report = engine.repair(&req).unwrap();
        assert_eq!(report.localizer, name);
        assert_eq!(
            rank_of(&report.sites, Path::new("app/calc.py"), 5),
            Some(1),
            "{name}: {:?}",
            &report.sites[..3.min(report.sites.len())]
        );
        // Every line site says how often failing and passing tests ran it.
        let line = report
            .sites
            .iter()
            .find(|s| s.start_line == s.end_line)
            .unwrap();
        assert!(line.why.contains("1/1 failing"), "{}", line.why);
    }
}
