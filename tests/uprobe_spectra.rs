//! The uprobe spectrum collector on corpus cases (needs root and BPF, like
//! `sense.rs`): per test, the functions it sees run are exactly the functions
//! the language's coverage collector sees run (gcov for C, instrument-coverage
//! for Rust), the verdicts are the same, and `healerctl localize --spectra
//! uprobe` ranks the faulty function first on a corpus case.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use healer_daemon::localize::collect::{CollectOptions, Collector, collect};
use healer_daemon::localize::spectrum::Spectrum;
use healer_daemon::repair::Language;
use healer_daemon::repair::bench::{CaseSpec, load_manifest};
use healer_daemon::repair::project::Project;

fn corpus_case(id: &str) -> CaseSpec {
    let m = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/manifest.toml");
    load_manifest(&m)
        .expect("corpus manifest")
        .into_iter()
        .find(|c| c.id == id)
        .unwrap_or_else(|| panic!("no corpus case {id}"))
}

/// Per run: (verdict, first lines of the non-test functions it executed).
fn functions_per_run(
    s: &Spectrum,
    p: &Project,
) -> BTreeMap<String, (bool, BTreeSet<(PathBuf, u32)>)> {
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
                        .map(|f| (f.file.clone(), f.start_line))
                })
                .collect();
            (r.name.clone(), (r.failed, f))
        })
        .collect()
}

fn agree(id: &str) {
    let case = corpus_case(id);
    let language: Language = case.language.parse().expect("language");
    let project = Project::load(&case.repo, language).expect("project");
    let opts = |collector| CollectOptions {
        collector,
        ..CollectOptions::default()
    };
    let up = collect(&project, &case.test, &opts(Collector::Uprobe)).expect("uprobe spectrum");
    let cov = collect(&project, &case.test, &opts(Collector::Coverage)).expect("coverage spectrum");
    assert!(up.failed_runs() > 0, "{id}: a failing run");
    let (u, c) = (
        functions_per_run(&up, &project),
        functions_per_run(&cov, &project),
    );
    assert_eq!(u, c, "{id}: uprobe vs coverage functions per run");
    // The faulty function ran in a failing test, so SBFL can rank it.
    let fault = project
        .function_at(
            case.fault_file.as_deref().expect("fault_file"),
            case.fault_line.expect("fault_line"),
        )
        .expect("function around the fault");
    assert!(
        u.values()
            .any(|(failed, fs)| *failed && fs.contains(&(fault.file.clone(), fault.start_line))),
        "{id}: {} not hit by a failing test: {u:?}",
        fault.name
    );
}

#[test]
fn c_corpus_cases_agree_with_gcov() {
    for id in ["c-api-misuse-001", "c-off-by-one-001", "c-null-deref-001"] {
        agree(id);
    }
}

#[test]
fn rust_corpus_cases_agree_with_instrument_coverage() {
    for id in ["rs-api-misuse-001", "rs-off-by-one-001", "rs-unwrap-001"] {
        agree(id);
    }
}

#[test]
fn healerctl_localize_with_uprobe_spectra_ranks_the_faulty_function_first() {
    let case = corpus_case("rs-api-misuse-001");
    let out = Command::new(healer_tests::healerctl_bin())
        .args(["localize", "--repo"])
        .arg(&case.repo)
        .args([
            "--test",
            &case.test,
            "--spectra",
            "uprobe",
            "--json",
            "--top",
            "5",
        ])
        .output()
        .expect("run healerctl");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let sites: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON sites");
    let project = Project::load(&case.repo, Language::Rust).expect("project");
    let fault = project
        .function_at(
            case.fault_file.as_deref().expect("fault_file"),
            case.fault_line.expect("fault_line"),
        )
        .expect("function around the fault");
    let sites = sites.as_array().expect("array");
    // Function-level spectra point at a function: its first line (and its site) must lead.
    let first = &sites[0];
    assert!(
        first["start_line"].as_u64() == Some(fault.start_line as u64)
            && first["file"].as_str() == fault.file.to_str(),
        "{} ranks first by Ochiai over uprobe spectra: {sites:#?}",
        fault.name
    );
}
