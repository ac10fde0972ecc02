//! Shared helpers for healer's integration tests: building the test programs.
pub mod daemon;
pub mod journald;
use std::{
    collections::HashMap,
    path::{Path, PathBuf},
    process::Command,
    sync::{Mutex, OnceLock},
};

/// Each program is built once per test process: tests run in parallel, and rebuilding a
/// binary another test is executing fails with ETXTBSY.
fn build_once(name: &str, build: impl FnOnce(&Path)) -> PathBuf {
    static BUILT: OnceLock<Mutex<HashMap<String, PathBuf>>> = OnceLock::new();
    let mut built = BUILT
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    built
        .entry(name.to_string())
        .or_insert_with(|| {
            let out = scratch_dir().join(name);
            build(&out);
            out
        })
        .clone()
}

/// Directory of the test programs' sources.
pub fn programs_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("programs")
}

/// A scratch directory for build outputs, unique to this test process.
pub fn scratch_dir() -> PathBuf {
    let d = std::env::temp_dir().join(format!("healer-tests-{}", std::process::id()));
    std::fs::create_dir_all(&d).expect("create scratch dir");
    d
}

fn run(cmd: &mut Command) {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Builds `programs/<name>.c` with debug info and frame pointers; returns the binary.
pub fn build_c(name: &str) -> PathBuf {
    build_once(name, |out| {
        run(Command::new("gcc")
            .args(["-g", "-O0", "-fno-omit-frame-pointer", "-o"])
            .arg(out)
            .arg(programs_dir().join(format!("{name}.c"))))
    })
}

/// Builds `programs/<name>.rs` with debug info, frame pointers and `panic = "abort"`.
pub fn build_rust(name: &str) -> PathBuf {
    build_once(name, |out| {
        run(Command::new("rustc")
            .args([
                "-g",
                "-C",
                "panic=abort",
                "-C",
                "force-frame-pointers=yes",
                "-o",
            ])
            .arg(out)
            .arg(programs_dir().join(format!("{name}.rs"))))
    })
}

/// 1-based line of the first line of `file` containing `marker`.
pub fn line_of(file: &Path, marker: &str) -> u32 {
    let text = std::fs::read_to_string(file).expect("read source");
    text.lines()
        .position(|l| l.contains(marker))
        .map(|i| i as u32 + 1)
        .unwrap_or_else(|| panic!("{marker} not in {}", file.display()))
}

/// The `healerctl` binary of this target directory. The tests crate depends only on
/// healer-daemon's library, so cargo does not build the binary for it: build it here (a
/// no-op when fresh) so a stale binary is never tested.
pub fn healerctl_bin() -> PathBuf {
    let exe = std::env::current_exe().expect("current exe");
    let profile_dir = exe
        .parent()
        .and_then(Path::parent)
        .expect("target/<profile>");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut cmd = std::process::Command::new(cargo);
    cmd.args(["build", "-p", "healer-daemon", "--bin", "healerctl"]);
    if profile_dir.file_name().is_some_and(|n| n == "release") {
        cmd.arg("--release");
    }
    assert!(
        cmd.status().expect("cargo build").success(),
        "building healerctl"
    );
    profile_dir.join("healerctl")
}

/// The `healerd` binary of this build (tests run from `target/<profile>/deps`).
pub fn healerd_bin() -> PathBuf {
    let exe = std::env::current_exe().expect("current exe");
    let dir = exe.parent().and_then(Path::parent).expect("target dir");
    let bin = dir.join("healerd");
    assert!(
        bin.is_file(),
        "{} not built: run `cargo build --workspace --bins` first (scripts/test.sh does)",
        bin.display()
    );
    bin
}
