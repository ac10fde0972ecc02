//! C: the test program is rebuilt with `gcc --coverage` around a generated
//! driver that `#include`s the test file (its `main` renamed) and calls one
//! test function per process; `gcov --json-format` reads the counts back
//! after each run. The compile command comes from `make -n -B` of the test
//! target, so the project's own flags and sources are used.

use std::collections::BTreeSet;
use std::sync::LazyLock;

use regex::Regex;
use serde::Deserialize;

use super::{CollectError, Ctx, sh_quote};
use crate::localize::spectrum::{Run, SpectrumBuilder};
use crate::repair::evidence;

static CALL_STMT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?m)^\s*([A-Za-z_]\w*)\s*\(\s*\)\s*;").expect("static regex"));
static MAIN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\bint\s+main\s*\(").expect("static regex"));

/// Test functions `main` calls without arguments and the file defines.
pub(crate) fn test_functions(src: &str) -> Vec<String> {
    let Some(m) = MAIN.find(src) else {
        return Vec::new();
    };
    let body = &src[m.end()..];
    let mut out = Vec::new();
    for c in CALL_STMT.captures_iter(body) {
        let name = c[1].to_string();
        let def = Regex::new(&format!(
            r"\b{}\s*\(\s*(void)?\s*\)\s*\{{",
            regex::escape(&name)
        ))
        .expect("escaped name");
        if def.is_match(&src[..m.start()]) && !out.contains(&name) {
            out.push(name);
        }
    }
    out
}

/// The driver: the test file with its `main` renamed, and a `main` that runs
/// the one test named by `argv[1]`. `coverage`: dump gcov counters on fatal
/// signals (the uprobe collector's driver has no counters to dump).
pub(crate) fn driver_source(
    test_file_abs: &str,
    tests: &[String],
    alarm_s: u64,
    coverage: bool,
) -> String {
    let mut s = format!(
        "#define main healer_original_main\n#include \"{}\"\n#undef main\n\
         #include <string.h>\n#include <signal.h>\n#include <unistd.h>\n",
        test_file_abs.replace('\\', "\\\\").replace('"', "\\\""),
    );
    if coverage {
        // Crashing and hanging tests are the interesting ones: dump the counters
        // from the fatal signal (and from an alarm before the collector's kill).
        s.push_str(
            "extern void __gcov_dump(void);\n\
             static void healer_dump(int sig)\n{\n    __gcov_dump();\n    _exit(128 + sig);\n}\n",
        );
    }
    s.push_str("int main(int argc, char **argv)\n{\n    if (argc < 2) return 2;\n");
    if coverage {
        s.push_str(
            "    int sigs[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGALRM, SIGTERM};\n\
             \x20   for (unsigned i = 0; i < sizeof sigs / sizeof sigs[0]; i++) signal(sigs[i], healer_dump);\n",
        );
    }
    s.push_str(&format!("    alarm({alarm_s});\n"));
    for t in tests {
        s.push_str(&format!(
            "    if (strcmp(argv[1], \"{t}\") == 0) {{ {t}(); return 0; }}\n"
        ));
    }
    s.push_str("    return 2;\n}\n");
    s
}

/// The compiler line of `make -n -B` that builds the test program, rewritten
/// to build the driver with coverage instead.
pub(crate) fn driver_compile_command(
    dry_run: &str,
    test_file_rel: &str,
    driver: &str,
    out: &str,
) -> Option<String> {
    let line = dry_run.lines().find(|l| {
        let first = l.split_whitespace().next().unwrap_or("");
        let cc = first.rsplit('/').next().unwrap_or(first);
        (cc == "cc" || cc.starts_with("gcc") || cc.starts_with("clang"))
            && l.split_whitespace().any(|w| w == test_file_rel)
    })?;
    let mut words: Vec<String> = Vec::new();
    let mut it = line.split_whitespace();
    while let Some(w) = it.next() {
        if w == "-o" {
            it.next();
            continue;
        }
        if w == test_file_rel {
            words.push(sh_quote(driver));
        } else {
            words.push(w.to_string());
        }
    }
    words.extend(["--coverage".into(), "-o".into(), sh_quote(out)]);
    Some(words.join(" "))
}

#[derive(Deserialize)]
struct GcovDoc {
    files: Vec<GcovFile>,
}

#[derive(Deserialize)]
struct GcovFile {
    file: String,
    lines: Vec<GcovLine>,
}

#[derive(Deserialize)]
struct GcovLine {
    line_number: u32,
    count: u64,
}

/// One test file's driver: built, with the test functions it can run.
pub(crate) struct Driver {
    /// The test file, relative to the repository.
    pub rel: String,
    /// Directory of the driver (gcov data lands here).
    pub dir: std::path::PathBuf,
    pub exe: std::path::PathBuf,
    pub tests: Vec<String>,
}

/// Build one driver per test file whose `main` calls test functions; with
/// `--coverage` when `coverage` (the uprobe collector needs none).
pub(crate) fn build_drivers(ctx: &Ctx<'_>, coverage: bool) -> Result<Vec<Driver>, CollectError> {
    let words: Vec<&str> = ctx.test_command.split_whitespace().collect();
    let targets = match words.as_slice() {
        ["make", rest @ ..] => rest.join(" "),
        _ => {
            return Err(CollectError::Unsupported(format!(
                "C test command `{}` is not a make target",
                ctx.test_command
            )));
        }
    };
    let dry = ctx.run("make-dry-run", &format!("make -n -B {targets}"), &[])?;
    let mut out = Vec::new();
    for (k, tf) in ctx
        .project
        .files
        .iter()
        .filter(|f| f.is_test_file)
        .enumerate()
    {
        let tests = test_functions(&tf.text);
        if tests.is_empty() {
            continue;
        }
        let rel = tf.path.to_string_lossy().into_owned();
        let dir = ctx.scratch.join(format!("gcov-{k}"));
        std::fs::create_dir_all(&dir).map_err(|e| CollectError::io("creating gcov dir", e))?;
        let driver = dir.join("healer_driver.c");
        let abs = ctx.repo.join(&tf.path);
        std::fs::write(
            &driver,
            driver_source(
                &abs.to_string_lossy(),
                &tests,
                ctx.opts.test_timeout.as_secs().saturating_sub(1).max(1),
                coverage,
            ),
        )
        .map_err(|e| CollectError::io("writing the test driver", e))?;
        let exe = dir.join("drv");
        let Some(mut cc) = driver_compile_command(
            &dry.output,
            &rel,
            &driver.to_string_lossy(),
            &exe.to_string_lossy(),
        ) else {
            continue;
        };
        if !coverage {
            // `driver_compile_command` appends `--coverage -o OUT` to the project's line.
            cc = cc.replacen(" --coverage -o ", " -o ", 1);
        }
        let built = ctx.run("coverage-build", &cc, &[])?;
        if !built.ok() {
            return Err(CollectError::Step {
                context: format!("building the test driver (`{cc}`)"),
                detail: built.output.lines().take(5).collect::<Vec<_>>().join(" | "),
            });
        }
        out.push(Driver {
            rel,
            dir,
            exe,
            tests,
        });
    }
    if out.is_empty() {
        return Err(CollectError::Unsupported(
            "no C test file with a main that calls test functions".into(),
        ));
    }
    Ok(out)
}

pub(super) fn collect(ctx: &Ctx<'_>, b: &mut SpectrumBuilder) -> Result<(), CollectError> {
    let mut n = 0usize;
    for d in build_drivers(ctx, true)? {
        let Driver {
            rel,
            dir,
            exe,
            tests,
        } = d;
        for t in tests {
            if n >= ctx.opts.max_runs {
                return Ok(());
            }
            n += 1;
            let r = ctx.run_test(
                "test",
                &format!("{} {t}", sh_quote(&exe.to_string_lossy())),
                &[],
            )?;
            let failed = !r.ok() || !evidence::parse(&r.output).failures.is_empty();
            let gcda: Vec<String> = std::fs::read_dir(&dir)
                .map_err(|e| CollectError::io("listing gcov data", e))?
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "gcda"))
                .map(|p| sh_quote(&p.to_string_lossy()))
                .collect();
            let mut lines = BTreeSet::new();
            if !gcda.is_empty() {
                let g = ctx.run(
                    "gcov",
                    &format!("gcov --json-format --stdout {} 2>/dev/null", gcda.join(" ")),
                    &[],
                )?;
                for doc in serde_json::Deserializer::from_str(&g.output).into_iter::<GcovDoc>() {
                    let Ok(doc) = doc else { break };
                    for f in doc.files {
                        for l in f.lines.iter().filter(|l| l.count > 0) {
                            if let Some(e) = ctx.element(&f.file, l.line_number) {
                                lines.insert(e);
                            }
                        }
                    }
                }
                for p in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
                    if p.path().extension().is_some_and(|x| x == "gcda") {
                        let _ = std::fs::remove_file(p.path());
                    }
                }
            }
            b.add_run(
                Run {
                    name: format!("{rel}::{t}"),
                    failed,
                },
                lines,
            );
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_tests_and_rewrites_the_compile_line() {
        let src = "static void test_a(void)\n{\n}\nstatic void helper(int x) {}\nvoid test_b() { }\nint main(void)\n{\n    test_a();\n    test_b();\n    helper(1);\n    undefined_fn();\n    return 0;\n}\n";
        assert_eq!(test_functions(src), vec!["test_a", "test_b"]);
        let dry = "mkdir -p build\ngcc -g -O0 -Isrc src/a.c tests/test_a.c -o build/t\ntimeout 10 ./build/t\n";
        assert_eq!(
            driver_compile_command(dry, "tests/test_a.c", "/s/drv.c", "/s/drv").unwrap(),
            "gcc -g -O0 -Isrc src/a.c /s/drv.c --coverage -o /s/drv"
        );
        let d = driver_source("/r/tests/test_a.c", &["test_a".into()], 5, true);
        assert!(d.contains("#include \"/r/tests/test_a.c\"") && d.contains("test_a(); return 0;"));
        assert!(d.contains("alarm(5);") && d.contains("__gcov_dump();"));
        let d = driver_source("/r/tests/test_a.c", &["test_a".into()], 5, false);
        assert!(d.contains("alarm(5);") && !d.contains("__gcov_dump"));
    }
}
