//! End-to-end tests of the repair engine and `healerctl repair`/`bench` on
//! small fixture projects (one per language) under `tests/fixtures/repair/`.
//! Each fixture has a held-out oracle next to it, so the tests check that
//! the patch is plausible (the project's tests pass) and correct (the oracle passes).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use healer_daemon::repair::{Outcome, RepairRequest, repair, validate::copy_tree};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/repair")
}

/// A private copy of a fixture, so tests never write into the source tree.
fn copy_fixture(name: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let dst = dir.path().join(name);
    copy_tree(&fixtures().join(name), &dst).expect("copy fixture");
    (dir, dst)
}

fn sh(cwd: &Path, cmd: &str) -> bool {
    Command::new("sh")
        .args(["-c", cmd])
        .current_dir(cwd)
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .status()
        .expect("run sh")
        .success()
}

/// Repair a fixture with --apply semantics on a copy, then run its oracle.
fn repair_and_judge(name: &str, build: Option<&str>, test: &str, oracle: &str) -> String {
    let (_keep, repo) = copy_fixture(name);
    let mut req = RepairRequest::new(&repo, test);
    req.build = build.map(str::to_string);
    req.apply = true;
    req.timeout = Duration::from_secs(240);
    let report = repair(&req).expect("repair runs");
    assert_eq!(report.outcome, Outcome::Fixed, "{}", report.to_text());
    assert!(report.applied);
    let patch = report.patch.clone().expect("a patch");
    assert!(patch.starts_with("--- a/"), "{patch}");
    // Plausible: the project's own tests pass in the patched tree.
    if let Some(b) = build {
        assert!(sh(&repo, b), "build after --apply");
    }
    assert!(sh(&repo, test), "tests pass after --apply\n{patch}");
    // Correct: the held-out oracle passes too.
    copy_tree(&fixtures().join(format!("{name}-oracle")), &repo).expect("copy oracle");
    assert!(sh(&repo, oracle), "oracle passes\n{patch}");
    patch
}

#[test]
fn python_none_guard_is_plausible_and_correct() {
    let patch = repair_and_judge(
        "python",
        None,
        "python3 -m unittest discover -s tests -t .",
        "python3 -m unittest discover -s oracle_tests -t .",
    );
    assert!(patch.contains("inventory/stock.py"), "{patch}");
}

#[test]
fn javascript_loop_condition_is_plausible_and_correct() {
    let patch = repair_and_judge(
        "javascript",
        None,
        "node --test test/",
        "node --test oracle/",
    );
    assert!(patch.contains("out.length < n"), "{patch}");
}

#[test]
fn c_clamp_off_by_one_is_plausible_and_correct() {
    let patch = repair_and_judge("c", Some("make -s build"), "make -s test", "make -s oracle");
    assert!(patch.contains("src/histo.c"), "{patch}");
}

#[test]
fn rust_unwrap_becomes_the_functions_error() {
    let patch = repair_and_judge(
        "rust",
        None,
        "cargo test --offline -q --lib",
        "cargo test --offline -q --test oracle",
    );
    assert!(patch.contains("SpecError::BadRate"), "{patch}");
}

#[test]
fn cli_exit_codes_and_apply() {
    let ctl = healer_tests::healerctl_bin();
    let (_keep, repo) = copy_fixture("python");
    let test = "python3 -m unittest discover -s tests -t .";
    let before = std::fs::read_to_string(repo.join("inventory/stock.py")).unwrap();

    // Fixed, JSON, and nothing written without --apply.
    let out = Command::new(&ctl)
        .args(["repair", "--repo"])
        .arg(&repo)
        .args(["--test", test, "--json"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json report");
    assert_eq!(v["outcome"], "fixed");
    assert!(
        v["patch"]
            .as_str()
            .unwrap()
            .contains("+++ b/inventory/stock.py")
    );
    assert!(v["candidates_tried"].as_u64().unwrap() >= 1);
    assert_eq!(
        std::fs::read_to_string(repo.join("inventory/stock.py")).unwrap(),
        before
    );

    // --apply writes it; the suite then passes, so a second run is bad input (exit 2).
    let st = Command::new(&ctl)
        .args(["repair", "--repo"])
        .arg(&repo)
        .args(["--test", test, "--apply"])
        .output()
        .unwrap();
    assert_eq!(st.status.code(), Some(0));
    assert_ne!(
        std::fs::read_to_string(repo.join("inventory/stock.py")).unwrap(),
        before
    );
    let again = Command::new(&ctl)
        .args(["repair", "--repo"])
        .arg(&repo)
        .args(["--test", test])
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(2));
    let err = String::from_utf8_lossy(&again.stderr);
    assert!(err.contains("already passes"), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "one-line error: {err}");

    // Missing repository.
    let missing = Command::new(&ctl)
        .args([
            "repair",
            "--repo",
            "/nonexistent/healer/repo",
            "--test",
            "true",
        ])
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("does not exist"));

    // A test command that cannot run at all.
    let nocmd = Command::new(&ctl)
        .args(["repair", "--repo"])
        .arg(&repo)
        .args(["--test", "no-such-test-runner-xyz"])
        .output()
        .unwrap();
    assert_eq!(nocmd.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&nocmd.stderr).contains("cannot run at all"));
}

#[test]
fn cli_no_plausible_patch_exits_1() {
    let ctl = healer_tests::healerctl_bin();
    let (_keep, repo) = copy_fixture("python");
    // A test that fails whatever the code does: no patch can be plausible.
    let out = Command::new(&ctl)
        .args(["repair", "--repo"])
        .arg(&repo)
        .args([
            "--test",
            "python3 -m unittest discover -s tests -t . && false",
            "--timeout-s",
            "60",
            "--max-candidates",
            "3",
        ])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn cli_bench_runs_a_manifest_with_includes() {
    let ctl = healer_tests::healerctl_bin();
    let dir = tempfile::tempdir().unwrap();
    let fx = fixtures();
    std::fs::write(dir.path().join("all.toml"), "include = [\"python.toml\"]\n").unwrap();
    std::fs::write(
        dir.path().join("python.toml"),
        format!(
            "[[case]]\nid = \"fx-py-none-001\"\nlanguage = \"python\"\nfault_class = \"null-deref\"\n\
             repo = \"{}\"\ntest = \"python3 -m unittest discover -s tests -t .\"\n\
             oracle_dir = \"{}\"\noracle = \"python3 -m unittest discover -s oracle_tests -t .\"\n\
             fault_file = \"inventory/stock.py\"\nfault_line = 16\ntimeout_s = 60\n",
            fx.join("python").display(),
            fx.join("python-oracle").display()
        ),
    )
    .unwrap();
    let out = Command::new(&ctl)
        .args(["bench", "--json", "--manifest"])
        .arg(dir.path().join("all.toml"))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let case = &v["cases"][0];
    assert_eq!(case["id"], "fx-py-none-001");
    assert_eq!(case["plausible"], true);
    assert_eq!(case["correct"], true);
    assert_eq!(case["fault_rank"], 1);
    assert_eq!(v["summary"]["cases"], 1);
    assert_eq!(v["summary"]["broke_passing_tests"], 0);

    std::fs::write(dir.path().join("bad.toml"), "include = [\"gone.toml\"]\n").unwrap();
    let bad = Command::new(&ctl)
        .args(["bench", "--manifest"])
        .arg(dir.path().join("bad.toml"))
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("gone.toml"));
}
