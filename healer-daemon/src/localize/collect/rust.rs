//! Rust: the tests are rebuilt with `-C instrument-coverage`, each test runs
//! alone (`--exact`) with its own `LLVM_PROFILE_FILE`, and `llvm-profdata` +
//! `llvm-cov export` (the toolchain's `llvm-tools` component) give its lines.

use std::collections::BTreeSet;
use std::path::PathBuf;

use serde::Deserialize;

use super::{CollectError, Ctx, sh_quote};
use crate::localize::spectrum::{Run, SpectrumBuilder};

fn llvm_tool(name: &str) -> Option<PathBuf> {
    let out = std::process::Command::new("rustc")
        .args(["--print", "sysroot"])
        .output()
        .ok()?;
    let sysroot = String::from_utf8(out.stdout).ok()?;
    let lib = PathBuf::from(sysroot.trim()).join("lib/rustlib");
    std::fs::read_dir(&lib)
        .ok()?
        .flatten()
        .map(|d| d.path().join("bin").join(name))
        .find(|p| p.is_file())
}

#[derive(Deserialize)]
struct Artifact {
    reason: String,
    #[serde(default)]
    executable: Option<String>,
    #[serde(default)]
    profile: Option<Profile>,
}

#[derive(Deserialize)]
struct Profile {
    test: bool,
}

/// The `cargo test` arguments of the test command (up to `--`, without `-q`).
pub(super) fn cargo_test_args<'c>(ctx: &'c Ctx<'_>) -> Result<Vec<&'c str>, CollectError> {
    let words: Vec<&str> = ctx.test_command.split_whitespace().collect();
    match words.as_slice() {
        ["cargo", "test", rest @ ..] => Ok(rest
            .iter()
            .take_while(|w| **w != "--")
            .filter(|w| **w != "-q" && **w != "--quiet")
            .copied()
            .collect()),
        _ => Err(CollectError::Unsupported(format!(
            "Rust test command `{}` is not `cargo test ...`",
            ctx.test_command
        ))),
    }
}

/// Builds the test executables (`cargo test --no-run` with `env`) and returns their paths.
pub(super) fn build_test_executables(
    ctx: &Ctx<'_>,
    step: &str,
    what: &str,
    cargo_args: &[&str],
    env: &[(String, String)],
) -> Result<Vec<String>, CollectError> {
    let build = ctx.run_long(
        step,
        &format!(
            "cargo test --no-run --message-format=json {}",
            cargo_args.join(" ")
        ),
        env,
    )?;
    if !build.ok() {
        return Err(CollectError::Step {
            context: what.into(),
            detail: build
                .output
                .lines()
                .rev()
                .take(3)
                .collect::<Vec<_>>()
                .join(" | "),
        });
    }
    Ok(build
        .output
        .lines()
        .filter_map(|l| serde_json::from_str::<Artifact>(l).ok())
        .filter(|a| a.reason == "compiler-artifact" && a.profile.as_ref().is_some_and(|p| p.test))
        .filter_map(|a| a.executable)
        .collect())
}

/// Lines with a non-zero count per source file, from an lcov export.
pub(crate) fn lcov_lines(lcov: &str) -> Vec<(String, u32)> {
    let mut out = Vec::new();
    let mut file = String::new();
    for l in lcov.lines() {
        if let Some(f) = l.strip_prefix("SF:") {
            file = f.to_string();
        } else if let Some(da) = l.strip_prefix("DA:") {
            let mut it = da.split(',');
            if let (Some(line), Some(count)) = (it.next(), it.next())
                && let (Ok(line), Ok(count)) = (line.parse::<u32>(), count.parse::<u64>())
                && count > 0
            {
                out.push((file.clone(), line));
            }
        }
    }
    out
}

pub(super) fn collect(ctx: &Ctx<'_>, b: &mut SpectrumBuilder) -> Result<(), CollectError> {
    let cargo_args = cargo_test_args(ctx)?;
    let (Some(profdata), Some(cov)) = (llvm_tool("llvm-profdata"), llvm_tool("llvm-cov")) else {
        return Err(CollectError::MissingTool {
            tool: "llvm-tools".into(),
            detail: "llvm-profdata/llvm-cov not in the toolchain (rustup component add llvm-tools)"
                .into(),
        });
    };
    let target = ctx.scratch.join("target");
    let env = vec![
        (
            "RUSTFLAGS".to_string(),
            "-C instrument-coverage".to_string(),
        ),
        (
            "CARGO_TARGET_DIR".to_string(),
            target.to_string_lossy().into_owned(),
        ),
        (
            "LLVM_PROFILE_FILE".to_string(),
            ctx.scratch
                .join("build-%p.profraw")
                .to_string_lossy()
                .into_owned(),
        ),
    ];
    let exes = build_test_executables(
        ctx,
        "coverage-build",
        "building the tests with -C instrument-coverage",
        &cargo_args,
        &env,
    )?;
    let mut n = 0usize;
    for exe in &exes {
        let q = sh_quote(exe);
        let list = ctx.run("list", &format!("{q} --list --format terse"), &env)?;
        let tests: Vec<String> = list
            .output
            .lines()
            .filter_map(|l| l.strip_suffix(": test"))
            .map(str::to_string)
            .collect();
        for t in tests {
            if n >= ctx.opts.max_runs {
                return Ok(());
            }
            let raw = ctx.scratch.join(format!("t{n}.profraw"));
            let data = ctx.scratch.join(format!("t{n}.profdata"));
            n += 1;
            let mut tenv = env.clone();
            tenv.push((
                "LLVM_PROFILE_FILE".into(),
                raw.to_string_lossy().into_owned(),
            ));
            let r = ctx.run_test(
                "test",
                &format!("{q} --exact {} --test-threads 1", sh_quote(&t)),
                &tenv,
            )?;
            let failed = !r.ok();
            let merge = ctx.run(
                "llvm-profdata",
                &format!(
                    "{} merge -sparse {} -o {}",
                    sh_quote(&profdata.to_string_lossy()),
                    sh_quote(&raw.to_string_lossy()),
                    sh_quote(&data.to_string_lossy())
                ),
                &[],
            )?;
            if !merge.ok() {
                continue;
            }
            let export = ctx.run(
                "llvm-cov",
                &format!(
                    "{} export -format=lcov -instr-profile={} {q}",
                    sh_quote(&cov.to_string_lossy()),
                    sh_quote(&data.to_string_lossy())
                ),
                &[],
            )?;
            let lines: BTreeSet<_> = lcov_lines(&export.output)
                .into_iter()
                .filter_map(|(f, l)| ctx.element(&f, l))
                .collect();
            let _ = std::fs::remove_file(&raw);
            let _ = std::fs::remove_file(&data);
            b.add_run(Run { name: t, failed }, lines);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lcov_keeps_executed_lines() {
        let l = "SF:/r/src/lib.rs\nDA:1,3\nDA:2,0\nend_of_record\nSF:/r/src/m.rs\nDA:7,1\n";
        assert_eq!(
            lcov_lines(l),
            vec![("/r/src/lib.rs".into(), 1), ("/r/src/m.rs".into(), 7)]
        );
    }
}
