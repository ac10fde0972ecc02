//! `healerctl repair` (the real binary) on cases of the benchmark corpus,
//! two per language: the patch must be plausible (exit 0, the project's own
//! tests pass after `--apply`) and correct (the case's held-out oracle tests,
//! copied over the patched copy only afterwards, pass too).

use std::path::{Path, PathBuf};
use std::process::Command;

use healer_daemon::repair::bench::{CaseSpec, load_manifest};
use healer_daemon::repair::validate::copy_tree;

fn corpus_manifest() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/manifest.toml")
}

fn case(id: &str) -> CaseSpec {
    load_manifest(&corpus_manifest())
        .expect("corpus manifest loads")
        .into_iter()
        .find(|c| c.id == id)
        .unwrap_or_else(|| panic!("case {id} is in the manifest"))
}

fn sh(cwd: &Path, cmd: &str) -> (bool, String) {
    let out = Command::new("sh")
        .args(["-c", cmd])
        .current_dir(cwd)
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .output()
        .expect("run sh");
    let mut text = String::from_utf8_lossy(&out.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&out.stderr));
    (out.status.success(), text)
}

/// Repair a private copy of the case with `healerctl repair --apply`, then
/// judge it: own tests, then the oracle copied over the patched tree.
fn repair_case(id: &str) {
    let c = case(id);
    let dir = tempfile::tempdir().expect("tempdir");
    let repo = dir.path().join("repo");
    copy_tree(&c.repo, &repo).expect("copy case");
    let build = c.build.clone().filter(|b| !b.trim().is_empty());
    let mut cmd = Command::new(healer_tests::healerctl_bin());
    cmd.arg("repair")
        .arg("--repo")
        .arg(&repo)
        .args(["--test", &c.test, "--language", &c.language, "--apply"])
        .args(["--timeout-s", "240"]);
    if let Some(b) = &build {
        cmd.args(["--build", b]);
    }
    if let Some(e) = &c.evidence {
        cmd.arg("--evidence").arg(repo.join(e));
    }
    let out = cmd.output().expect("run healerctl repair");
    let report = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{id}: no plausible patch\n{report}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        report.contains("--- a/"),
        "{id}: the patch is printed\n{report}"
    );
    // Plausible: the project's own tests pass in the tree --apply wrote.
    if let Some(b) = &build {
        let (ok, log) = sh(&repo, b);
        assert!(ok, "{id}: build after --apply\n{log}");
    }
    let (ok, log) = sh(&repo, &c.test);
    assert!(ok, "{id}: own tests after --apply\n{report}\n{log}");
    // Correct: the held-out oracle passes.
    if let Some(o) = &c.oracle_dir {
        copy_tree(o, &repo).expect("copy oracle");
    }
    if let Some(b) = &build {
        let (ok, log) = sh(&repo, b);
        assert!(ok, "{id}: build with the oracle\n{log}");
    }
    let oracle = c.oracle.clone().expect("case has an oracle command");
    let (ok, log) = sh(&repo, &oracle);
    assert!(ok, "{id}: oracle fails on the patch\n{report}\n{log}");
}

#[test]
fn python_cases_are_repaired_correctly() {
    for id in PYTHON {
        repair_case(id);
    }
}

#[test]
fn javascript_cases_are_repaired_correctly() {
    for id in JAVASCRIPT {
        repair_case(id);
    }
}

#[test]
fn c_cases_are_repaired_correctly() {
    for id in C {
        repair_case(id);
    }
}

#[test]
fn rust_cases_are_repaired_correctly() {
    for id in RUST {
        repair_case(id);
    }
}

/// Hangs: no traceback, only a timeout; the engine samples the stack of the
/// busy process (Python faulthandler, gdb for C) and makes the loop progress.
#[test]
fn hung_loops_are_repaired_from_sampled_stacks() {
    for id in HANGS {
        repair_case(id);
    }
}

// Cases chosen for speed (a few seconds each in a debug build) and for
// covering different templates.
const PYTHON: [&str; 2] = ["py-wrong-op-003", "py-null-deref-003"];
const JAVASCRIPT: [&str; 2] = ["js-uncaught-003", "js-api-misuse-002"];
const C: [&str; 2] = ["c-negated-condition-001", "c-zero-division-001"];
const RUST: [&str; 2] = ["rs-uncaught-exception-002", "rs-zero-division-001"];
const HANGS: [&str; 2] = ["py-inf-loop-001", "c-infinite-loop-001"];
