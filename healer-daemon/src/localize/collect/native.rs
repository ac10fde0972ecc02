//! Native binaries (Rust, C): function-level spectra from eBPF uprobes, with no
//! coverage rebuild. The test binary's functions come from its ELF symbol
//! table (blazesym), their source file and line from its DWARF line table;
//! the project's own non-test functions get one uprobe each, all in one
//! `uprobe.multi` link (per-function uprobes when the kernel lacks it), with
//! the function's element index as the attach cookie. After each test the
//! kernel's hit flags (`FN_HITS`) are read and cleared.
//!
//! Elements are the first lines of the project's functions (the tree-sitter
//! function table, as the other localizers use it), so the spectrum is
//! coarser than the line spectra of the coverage collectors: all lines of a
//! function share its verdicts.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use aya::maps::{Array, MapData};
use aya::programs::uprobe::{UProbeAttachLocation, UProbeAttachPoint, UProbeScope};
use aya::programs::{ProgramError, UProbe};
use aya::{Ebpf, EbpfLoader};
use blazesym::SymType;
use blazesym::inspect::{self, Inspector};
use blazesym::symbolize::{self, Input, Symbolized, Symbolizer};
use healer_common::fnhits::{self, CHUNK, CHUNKS, FnHitChunk};
use thiserror::Error;

use super::{CollectError, Ctx, sh_quote};
use crate::localize::spectrum::{Element, Run, SpectrumBuilder};
use crate::repair::evidence;

/// Why function probes could not be set up or read.
#[derive(Debug, Error)]
pub enum ProbeError {
    /// Loading BPF programs or attaching uprobes needs root (or CAP_BPF + CAP_PERFMON).
    #[error("{step}: not permitted (uprobe spectra need root or CAP_BPF+CAP_PERFMON): {detail}")]
    NotPermitted { step: &'static str, detail: String },
    #[error("{step}: {detail}")]
    Bpf { step: &'static str, detail: String },
    #[error("reading the symbols of {path}: {detail}")]
    Symbols { path: PathBuf, detail: String },
    #[error("{0} functions to probe; at most {max} fit the hit map", max = CHUNK * CHUNKS as usize)]
    TooMany(usize),
    #[error("no function to probe in {0}")]
    NoFunctions(PathBuf),
}

impl ProbeError {
    fn bpf(step: &'static str, e: impl std::error::Error) -> Self {
        let mut detail = e.to_string();
        let mut denied = false;
        let mut src = e.source();
        while let Some(x) = src {
            detail.push_str(": ");
            detail.push_str(&x.to_string());
            // aya keeps the syscall's io::Error as the innermost source.
            denied |= x
                .downcast_ref::<std::io::Error>()
                .and_then(std::io::Error::raw_os_error)
                .is_some_and(|c| c == libc::EPERM || c == libc::EACCES);
            src = x.source();
        }
        if denied {
            ProbeError::NotPermitted { step, detail }
        } else {
            ProbeError::Bpf { step, detail }
        }
    }
}

/// How the per-function probes are attached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttachMode {
    /// `uprobe.multi` when the kernel supports it, else per-function uprobes.
    Auto,
    /// One `uprobe.multi` link for all functions (kernel ≥ 6.6).
    Multi,
    /// One perf-event uprobe per function.
    Single,
}

/// A function of a binary: its symbol and where the uprobe goes.
#[derive(Debug, Clone)]
pub struct FunctionSym {
    pub name: String,
    /// Virtual address (as in the ELF file).
    pub addr: u64,
    pub file_offset: u64,
}

/// The defined, non-empty function symbols of an ELF file (one per address).
pub fn functions(binary: &Path) -> Result<Vec<FunctionSym>, ProbeError> {
    let mut src = inspect::source::Elf::new(binary);
    // The ELF symbol table suffices here; DWARF is read once in `locate`.
    src.debug_syms = false;
    let src = inspect::source::Source::Elf(src);
    let mut out = Vec::new();
    Inspector::new()
        .for_each(&src, |s| {
            if s.sym_type == SymType::Function
                && s.addr != 0
                && s.size.is_some_and(|n| n > 0)
                && let Some(off) = s.file_offset
            {
                out.push(FunctionSym {
                    name: s.name.to_string(),
                    addr: s.addr,
                    file_offset: off,
                });
            }
            std::ops::ControlFlow::Continue(())
        })
        .map_err(|e| ProbeError::Symbols {
            path: binary.to_path_buf(),
            detail: e.to_string(),
        })?;
    out.sort_by_key(|f| f.addr);
    out.dedup_by_key(|f| f.addr);
    Ok(out)
}

/// Source file and line of each address (the line table at a function's
/// entry: its signature line), `None` where the binary has no line info.
pub fn locate(binary: &Path, addrs: &[u64]) -> Result<Vec<Option<(PathBuf, u32)>>, ProbeError> {
    let symbolizer = Symbolizer::builder().enable_code_info(true).build();
    let src = symbolize::source::Source::Elf(symbolize::source::Elf::new(binary));
    let syms = symbolizer
        .symbolize(&src, Input::VirtOffset(addrs))
        .map_err(|e| ProbeError::Symbols {
            path: binary.to_path_buf(),
            detail: e.to_string(),
        })?;
    Ok(syms
        .into_iter()
        .map(|s| match s {
            Symbolized::Sym(sym) => sym
                .code_info
                .as_deref()
                .and_then(|ci| Some((ci.to_path().into_owned(), ci.line?))),
            Symbolized::Unknown(_) => None,
        })
        .collect())
}

/// Uprobes on a set of functions of one binary, cookie = the index a hit is
/// reported under; detached when dropped.
pub struct FunctionProbes {
    // Owns the programs and links; dropping it detaches everything.
    _ebpf: Ebpf,
    hits: Array<MapData, FnHitChunk>,
    /// Largest index + 1.
    len: usize,
    /// Whether one `uprobe.multi` link carries all probes.
    pub multi: bool,
    /// Time spent in the attach call(s).
    pub attach_time: Duration,
}

impl FunctionProbes {
    /// Attach to `binary` at `points` = (file offset, index); indices may repeat.
    pub fn attach(
        binary: &Path,
        points: &[(u64, usize)],
        mode: AttachMode,
    ) -> Result<Self, ProbeError> {
        if points.is_empty() {
            return Err(ProbeError::NoFunctions(binary.to_path_buf()));
        }
        let len = points.iter().map(|p| p.1).max().map_or(0, |m| m + 1);
        if len > CHUNK * CHUNKS as usize {
            return Err(ProbeError::TooMany(len));
        }
        let multi = match mode {
            AttachMode::Multi => true,
            AttachMode::Single => false,
            AttachMode::Auto => {
                let ok =
                    aya::sys::is_uprobe_multi_supported(aya::sys::UProbeMultiFeature::LinkCreation)
                        .unwrap_or(false);
                if !ok {
                    tracing::info!(
                        "uprobe.multi is not supported by this kernel: attaching one uprobe per function"
                    );
                }
                ok
            }
        };
        let mut ebpf = EbpfLoader::new()
            // The object also holds the sensor's maps; keep its ring small, it is never used here.
            .map_max_entries(healer_common::maps::EVENTS, 4096)
            .load(crate::sense::EBPF_OBJECT)
            .map_err(|e| ProbeError::bpf("loading the eBPF object", e))?;
        let name = if multi {
            fnhits::PROG_MULTI
        } else {
            fnhits::PROG_SINGLE
        };
        let prog: &mut UProbe = ebpf
            .program_mut(name)
            .ok_or_else(|| ProbeError::Bpf {
                step: "finding the uprobe program",
                detail: format!("{name} is not in the object"),
            })?
            .try_into()
            .map_err(|e: ProgramError| ProbeError::bpf("uprobe program", e))?;
        prog.load()
            .map_err(|e| ProbeError::bpf("loading the uprobe program", e))?;
        let t = Instant::now();
        prog.attach(
            points.iter().map(|&(off, i)| UProbeAttachPoint {
                location: UProbeAttachLocation::AbsoluteOffset(off),
                cookie: Some(i as u64),
            }),
            binary,
            UProbeScope::AllProcesses,
        )
        .map_err(|e| ProbeError::bpf("attaching the uprobes", e))?;
        let attach_time = t.elapsed();
        let hits = Array::try_from(ebpf.take_map(fnhits::MAP).ok_or_else(|| ProbeError::Bpf {
            step: "opening the hit map",
            detail: format!("{} is not in the object", fnhits::MAP),
        })?)
        .map_err(|e| ProbeError::bpf("opening the hit map", e))?;
        Ok(FunctionProbes {
            _ebpf: ebpf,
            hits,
            len,
            multi,
            attach_time,
        })
    }

    /// The indices hit since the last call, and clears them.
    pub fn take_hits(&mut self) -> Result<BTreeSet<usize>, ProbeError> {
        let mut out = BTreeSet::new();
        for c in 0..self.len.div_ceil(CHUNK) as u32 {
            let chunk = self
                .hits
                .get(&c, 0)
                .map_err(|e| ProbeError::bpf("reading the hit map", e))?;
            let mut any = false;
            for (k, &h) in chunk.hit.iter().enumerate() {
                if h != 0 {
                    out.insert(c as usize * CHUNK + k);
                    any = true;
                }
            }
            // Only chunks that were written need clearing.
            if any {
                self.hits
                    .set(c, &FnHitChunk { hit: [0; CHUNK] }, 0)
                    .map_err(|e| ProbeError::bpf("clearing the hit map", e))?;
            }
        }
        Ok(out)
    }
}

/// Probe points (file offset, element index) and the elements they report.
struct Points {
    points: Vec<(u64, usize)>,
    /// Function first lines of non-test project code.
    elements: Vec<Element>,
}

/// The probe points of a binary's project functions.
fn project_points(ctx: &Ctx<'_>, binary: &Path) -> Result<Points, ProbeError> {
    let funcs = functions(binary)?;
    let addrs: Vec<u64> = funcs.iter().map(|f| f.addr).collect();
    let locs = locate(binary, &addrs)?;
    let mut index: HashMap<Element, usize> = HashMap::new();
    let mut elements = Vec::new();
    let mut points = Vec::new();
    for (f, loc) in funcs.iter().zip(locs) {
        let Some((file, line)) = loc else { continue };
        let Some(sf) = ctx.source_file(&file.to_string_lossy()) else {
            continue;
        };
        // Monomorphized copies and closures map to the function around their entry line.
        let Some(func) = ctx.project.function_at(&sf.path, line) else {
            continue;
        };
        if func.is_test || ctx.project.is_test_code(&sf.path, func.start_line) {
            continue;
        }
        let e = Element {
            file: sf.path.clone(),
            line: func.start_line,
        };
        let next = elements.len();
        let i = *index.entry(e.clone()).or_insert(next);
        if i == next {
            elements.push(e);
        }
        points.push((f.file_offset, i));
    }
    Ok(Points { points, elements })
}

/// Run each test (name, shell command) of one probed binary.
fn run_tests(
    ctx: &Ctx<'_>,
    b: &mut SpectrumBuilder,
    binary: &Path,
    tests: &[(String, String)],
    n: &mut usize,
    evidence_verdict: bool,
) -> Result<(), CollectError> {
    let Points { points, elements } = project_points(ctx, binary)?;
    if points.is_empty() {
        return Ok(());
    }
    let mut probes = FunctionProbes::attach(binary, &points, AttachMode::Auto)?;
    tracing::debug!(
        binary = %binary.display(),
        functions = points.len(),
        elements = elements.len(),
        multi = probes.multi,
        attach_ms = probes.attach_time.as_secs_f64() * 1e3,
        "uprobes attached"
    );
    for (name, cmd) in tests {
        if *n >= ctx.opts.max_runs {
            return Ok(());
        }
        *n += 1;
        // Anything a previous process of this binary (e.g. `--list`) recorded is not this test's.
        probes.take_hits()?;
        let r = ctx.run_test("test", cmd, &[])?;
        // As the coverage collectors decide: C tests may fail by printing a diagnostic only.
        let failed =
            !r.ok() || (evidence_verdict && !evidence::parse(&r.output).failures.is_empty());
        let hit = probes.take_hits()?;
        b.add_run(
            Run {
                name: name.clone(),
                failed,
            },
            hit.into_iter().filter_map(|i| elements.get(i).cloned()),
        );
    }
    Ok(())
}

/// Rust: `cargo test --no-run` (normal build), each test alone with `--exact`.
pub(super) fn collect_rust(ctx: &Ctx<'_>, b: &mut SpectrumBuilder) -> Result<(), CollectError> {
    let cargo_args = super::rust::cargo_test_args(ctx)?;
    // A target directory of our own: the probed binaries are files only these runs execute.
    let target = ctx.scratch.join("target");
    let env = vec![(
        "CARGO_TARGET_DIR".to_string(),
        target.to_string_lossy().into_owned(),
    )];
    let exes = super::rust::build_test_executables(
        ctx,
        "test-build",
        "building the tests",
        &cargo_args,
        &env,
    )?;
    let mut n = 0usize;
    for exe in &exes {
        let q = sh_quote(exe);
        let list = ctx.run("list", &format!("{q} --list --format terse"), &[])?;
        let tests: Vec<(String, String)> = list
            .output
            .lines()
            .filter_map(|l| l.strip_suffix(": test"))
            .map(|t| {
                (
                    t.to_string(),
                    format!("{q} --exact {} --test-threads 1", sh_quote(t)),
                )
            })
            .collect();
        if !tests.is_empty() {
            run_tests(ctx, b, Path::new(exe), &tests, &mut n, false)?;
        }
    }
    Ok(())
}

/// C: the per-test driver of the gcov collector, built without `--coverage`.
pub(super) fn collect_c(ctx: &Ctx<'_>, b: &mut SpectrumBuilder) -> Result<(), CollectError> {
    let drivers = super::c::build_drivers(ctx, false)?;
    let mut n = 0usize;
    for d in &drivers {
        let q = sh_quote(&d.exe.to_string_lossy());
        let tests: Vec<(String, String)> = d
            .tests
            .iter()
            .map(|t| (format!("{}::{t}", d.rel), format!("{q} {t}")))
            .collect();
        run_tests(ctx, b, &d.exe, &tests, &mut n, true)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    //! Real uprobes on real test binaries (needs root and a kernel with BPF, as
    //! the sensor tests do).

    use std::collections::{BTreeMap, BTreeSet};
    use std::path::Path;

    use super::super::{CollectOptions, Collector, collect};
    use crate::localize::sbfl::{Formula, ranking, score_spectrum};
    use crate::localize::spectrum::Spectrum;
    use crate::repair::Language;
    use crate::repair::project::Project;

    fn write(root: &Path, files: &[(&str, &str)]) {
        for (rel, text) in files {
            let p = root.join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
    }

    /// A ledger whose fault (`big_fee`, line 13, takes 1 % instead of 10 %) is
    /// only called for large withdrawals and has returned long before the
    /// failing test's assertion panics: it is never on the failing stack.
    const RUST_LIB: &str = "\
pub struct Account {
    pub balance: i64,
}

pub fn deposit(a: &mut Account, amount: i64) {
    a.balance += amount;
}

fn small_fee(amount: i64) -> i64 {
    if amount > 10 { 1 } else { 0 }
}

fn big_fee(amount: i64) -> i64 {
    amount / 100
}

pub fn withdraw(a: &mut Account, amount: i64) {
    let fee = if amount > 1000 { big_fee(amount) } else { small_fee(amount) };
    a.balance -= amount + fee;
}

pub fn report(a: &Account) -> String {
    format!(\"balance {}\", a.balance)
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn deposits() {
        let mut a = Account { balance: 0 };
        deposit(&mut a, 5);
        assert_eq!(report(&a), \"balance 5\");
    }
    #[test]
    fn small_withdrawal() {
        let mut a = Account { balance: 100 };
        withdraw(&mut a, 50);
        assert_eq!(a.balance, 49);
    }
    #[test]
    fn tiny_withdrawal() {
        let mut a = Account { balance: 100 };
        withdraw(&mut a, 5);
        assert_eq!(report(&a), \"balance 95\");
    }
    #[test]
    fn large_withdrawal() {
        let mut a = Account { balance: 10000 };
        withdraw(&mut a, 2000);
        assert_eq!(a.balance, 7800);
    }
}
";

    fn opts(c: Collector) -> CollectOptions {
        CollectOptions {
            collector: c,
            ..CollectOptions::default()
        }
    }

    /// Per run name, the first lines of the functions it executed (a line
    /// spectrum reduced to functions through the project's function table).
    fn functions_per_run(s: &Spectrum, p: &Project) -> BTreeMap<String, BTreeSet<(String, u32)>> {
        s.runs
            .iter()
            .enumerate()
            .map(|(col, r)| {
                let f = (0..s.elements.len())
                    .filter(|&row| s.hits.get(row, col))
                    .filter_map(|row| {
                        let e = &s.elements[row];
                        p.function_at(&e.file, e.line)
                            .filter(|f| !f.is_test)
                            .map(|f| (f.file.to_string_lossy().into_owned(), f.start_line))
                    })
                    .collect();
                (r.name.clone(), f)
            })
            .collect()
    }

    fn row(s: &Spectrum, file: &str, line: u32) -> usize {
        s.elements
            .iter()
            .position(|e| e.file == Path::new(file) && e.line == line)
            .unwrap_or_else(|| panic!("{file}:{line} is not an element: {:?}", s.elements))
    }

    fn col(s: &Spectrum, name: &str) -> usize {
        s.runs
            .iter()
            .position(|r| r.name.contains(name))
            .unwrap_or_else(|| panic!("no run {name}: {:?}", s.runs))
    }

    #[test]
    fn uprobe_spectrum_of_a_rust_crate_matches_instrument_coverage() {
        let d = tempfile::tempdir().unwrap();
        write(
            d.path(),
            &[
                (
                    "Cargo.toml",
                    "[package]\nname = \"ledger\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[workspace]\n",
                ),
                ("src/lib.rs", RUST_LIB),
            ],
        );
        let project = Project::load(d.path(), Language::Rust).unwrap();
        let test = "cargo test --offline -q";
        let s = collect(&project, test, &opts(Collector::Uprobe)).unwrap();

        assert_eq!(s.runs.len(), 4, "{:?}", s.runs);
        let failing = col(&s, "large_withdrawal");
        assert!(s.runs[failing].failed);
        assert_eq!(s.failed_runs(), 1, "{:?}", s.runs);
        // Elements are function first lines of non-test code only.
        let lines: BTreeSet<u32> = s.elements.iter().map(|e| e.line).collect();
        assert_eq!(
            lines,
            BTreeSet::from([5, 9, 13, 17, 22]),
            "{:?}",
            s.elements
        );
        let fault = row(&s, "src/lib.rs", 13);
        for (c, r) in s.runs.iter().enumerate() {
            assert_eq!(s.hits.get(fault, c), r.failed, "big_fee hit in {}", r.name);
        }
        // small_fee: in the two small withdrawals only; deposit: in `deposits` only.
        let small = row(&s, "src/lib.rs", 9);
        assert!(s.hits.get(small, col(&s, "small_withdrawal")));
        assert!(s.hits.get(small, col(&s, "tiny_withdrawal")));
        assert!(!s.hits.get(small, failing) && !s.hits.get(small, col(&s, "deposits")));

        let scores = score_spectrum(&s, Formula::Ochiai);
        assert_eq!(
            ranking(&scores)[0],
            fault,
            "Ochiai ranks big_fee first: {scores:?}"
        );

        // The same function hits as instrument-coverage's lines, reduced to functions.
        let cov = collect(&project, test, &opts(Collector::Coverage)).unwrap();
        assert_eq!(
            functions_per_run(&s, &project),
            functions_per_run(&cov, &project)
        );
    }

    #[test]
    fn uprobe_spectrum_of_a_c_driver_matches_gcov() {
        let d = tempfile::tempdir().unwrap();
        // `scale` (line 13) is wrong and only `test_scaled` calls it (through
        // `normalize`, which returns before the check fails).
        write(
            d.path(),
            &[
                (
                    "Makefile",
                    "CC = gcc\nCFLAGS = -g -O0 -Wall\n\n.PHONY: build test\nbuild: build/test_calc\n\nbuild/test_calc: src/calc.c src/calc.h tests/test_calc.c\n\tmkdir -p build\n\t$(CC) $(CFLAGS) -Isrc src/calc.c tests/test_calc.c -o $@\n\ntest: build\n\t./build/test_calc\n",
                ),
                (
                    "src/calc.h",
                    "int clamp(int x, int lo, int hi);\nint normalize(int x, int big);\nint twice(int x);\n",
                ),
                (
                    "src/calc.c",
                    "#include \"calc.h\"\nint clamp(int x, int lo, int hi)\n{\n    if (x < lo)\n        return lo;\n    if (x > hi)\n        return hi;\n    return x;\n}\n\nstatic int scale(int x)\n{\n    return x / 100;\n}\n\nint normalize(int x, int big)\n{\n    return big ? scale(x) : clamp(x, 0, 10);\n}\n\nint twice(int x)\n{\n    return x * 2;\n}\n",
                ),
                (
                    "tests/test_calc.c",
                    "#include <stdio.h>\n#include \"calc.h\"\nstatic int failures;\n#define CHECK(c) do { if (!(c)) { fprintf(stderr, \"%s:%d: check failed: %s\\n\", __FILE__, __LINE__, #c); failures++; } } while (0)\n\nstatic void test_low(void) { CHECK(normalize(-1, 0) == 0); }\nstatic void test_mid(void) { CHECK(clamp(5, 0, 10) == 5); }\nstatic void test_scaled(void) { CHECK(normalize(5000, 1) == 500); }\nstatic void test_twice(void) { CHECK(twice(2) == 4); }\n\nint main(void)\n{\n    test_low();\n    test_mid();\n    test_scaled();\n    test_twice();\n    return failures ? 1 : 0;\n}\n",
                ),
            ],
        );
        let project = Project::load(d.path(), Language::C).unwrap();
        let s = collect(&project, "make test", &opts(Collector::Uprobe)).unwrap();
        assert_eq!(s.runs.len(), 4, "{:?}", s.runs);
        let failing = col(&s, "test_scaled");
        assert!(
            s.runs[failing].failed && s.failed_runs() == 1,
            "{:?}",
            s.runs
        );
        let fault = project.function_at(Path::new("src/calc.c"), 13).unwrap();
        let fault = row(&s, "src/calc.c", fault.start_line);
        for (c, r) in s.runs.iter().enumerate() {
            assert_eq!(s.hits.get(fault, c), r.failed, "scale hit in {}", r.name);
        }
        let scores = score_spectrum(&s, Formula::Ochiai);
        assert_eq!(
            ranking(&scores)[0],
            fault,
            "Ochiai ranks scale first: {scores:?}"
        );
        let cov = collect(&project, "make test", &opts(Collector::Coverage)).unwrap();
        assert_eq!(
            functions_per_run(&s, &project),
            functions_per_run(&cov, &project)
        );
    }

    #[test]
    fn probes_count_each_function_once_per_run_and_clear() {
        // The test binary itself: probe two of its own functions, call one.
        let exe = std::env::current_exe().unwrap();
        let fs = super::functions(&exe).unwrap();
        let find = |needle: &str| {
            fs.iter()
                .find(|f| f.name.contains(needle))
                .unwrap_or_else(|| panic!("no symbol {needle}"))
                .file_offset
        };
        let a = find("uprobe_probe_target_a");
        let b = find("uprobe_probe_target_b");
        let mut p =
            super::FunctionProbes::attach(&exe, &[(a, 3), (b, 70)], super::AttachMode::Auto)
                .unwrap();
        p.take_hits().unwrap();
        for _ in 0..5 {
            std::hint::black_box(uprobe_probe_target_a(std::hint::black_box(1)));
        }
        assert_eq!(p.take_hits().unwrap(), BTreeSet::from([3]));
        assert_eq!(
            p.take_hits().unwrap(),
            BTreeSet::new(),
            "cleared after reading"
        );
        std::hint::black_box(uprobe_probe_target_b(std::hint::black_box(2)));
        assert_eq!(p.take_hits().unwrap(), BTreeSet::from([70]));
        // The fallback path: one perf-event uprobe per function.
        drop(p);
        let mut p =
            super::FunctionProbes::attach(&exe, &[(a, 0), (b, 1)], super::AttachMode::Single)
                .unwrap();
        assert!(!p.multi);
        std::hint::black_box(uprobe_probe_target_b(std::hint::black_box(3)));
        assert_eq!(p.take_hits().unwrap(), BTreeSet::from([1]));
    }

    #[test]
    fn unprivileged_attach_is_a_typed_error() {
        const CHILD: &str = "HEALER_UPROBE_TEST_UNPRIVILEGED";
        let exe = std::env::current_exe().unwrap();
        if std::env::var_os(CHILD).is_some() {
            // In the child, as nobody without capabilities.
            let off = super::functions(&exe)
                .unwrap()
                .into_iter()
                .find(|f| f.name.contains("uprobe_probe_target_a"))
                .unwrap()
                .file_offset;
            match super::FunctionProbes::attach(&exe, &[(off, 0)], super::AttachMode::Auto) {
                Err(e @ super::ProbeError::NotPermitted { .. }) => {
                    println!("typed error: {e}");
                }
                Err(e) => panic!("expected NotPermitted, got {e:?}"),
                Ok(_) => panic!("attached without privileges"),
            }
            return;
        }
        let out = std::process::Command::new("setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
            .arg(&exe)
            .args([
                "--exact",
                "localize::collect::native::tests::unprivileged_attach_is_a_typed_error",
                "--nocapture",
            ])
            .env(CHILD, "1")
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success() && text.contains("typed error: loading the"),
            "{text}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    #[inline(never)]
    #[unsafe(no_mangle)]
    extern "C" fn uprobe_probe_target_a(x: u64) -> u64 {
        x.wrapping_mul(3) ^ 7
    }

    #[inline(never)]
    #[unsafe(no_mangle)]
    extern "C" fn uprobe_probe_target_b(x: u64) -> u64 {
        x.wrapping_add(11).rotate_left(3)
    }
}
