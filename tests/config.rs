//! Config loading end to end: the shipped examples pass `healerd check-config`; malformed and
//! hostile policies each get their documented error while the valid ones keep loading;
//! reload reports what changed. Needs no root except the "as nobody" test (setpriv).
use std::{
    fs,
    os::unix::fs::PermissionsExt,
    path::{Path, PathBuf},
    process::Command,
};

use healer_daemon::config::{self, ErrorKind, ReloadDiff, load_dir, reload};
use healer_tests::healerd_bin;

fn examples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../config")
}

/// A scratch config dir holding copies of the shipped examples.
fn scratch_with_examples() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::copy(
        examples_dir().join("healer.toml"),
        dir.path().join("healer.toml"),
    )
    .unwrap();
    fs::create_dir(dir.path().join("services.d")).unwrap();
    for e in fs::read_dir(examples_dir().join("services.d")).unwrap() {
        let e = e.unwrap();
        fs::copy(e.path(), dir.path().join("services.d").join(e.file_name())).unwrap();
    }
    dir
}

fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) {
    fs::write(dir.join("services.d").join(name), bytes).unwrap();
}

fn check_config(dir: &Path) -> (i32, String) {
    let out = Command::new(healerd_bin())
        .args(["check-config", "--config-dir"])
        .arg(dir)
        .output()
        .expect("run healerd check-config");
    (
        out.status.code().expect("exited"),
        String::from_utf8(out.stdout).unwrap(),
    )
}

const EXAMPLE_UNITS: [&str; 3] = [
    "legacy-gateway.service",
    "queue-worker@1.service",
    "web.service",
];

#[test]
fn shipped_examples_pass_check_config() {
    let (code, out) = check_config(&examples_dir());
    assert_eq!(code, 0, "{out}");
    let summary = out.lines().last().unwrap();
    assert!(
        summary.ends_with(&format!(
            "0 errors, 3 valid policies ({})",
            EXAMPLE_UNITS.join(", ")
        )),
        "{out}"
    );
    // The examples exercise every table, so a renamed key in the code breaks this test.
    let load = load_dir(&examples_dir()).unwrap();
    let web = &load.config.policies["web.service"].policy;
    assert_eq!(web.mode, config::policy::Mode::Propose);
    assert_eq!(web.watch.syscall_p99_ms["fsync"], 200.0);
    assert_eq!(web.watch.error_rate.as_ref().unwrap().max_per_s, 20.0);
    let src = web.source.as_ref().unwrap();
    assert_eq!(src.language, config::policy::Language::Python);
    assert_eq!(src.release.install, config::policy::Install::Symlink);
    assert_eq!(load.config.daemon.limits.max_policy_bytes, 65536);
}

#[test]
fn missing_directory_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let (code, out) = check_config(&dir.path().join("absent"));
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("config directory does not exist"), "{out}");
}

/// Each hostile file gets exactly its documented error line, the valid examples still load,
/// and the exit code is 1.
#[test]
fn hostile_policies_get_precise_errors_and_do_not_stop_the_others() {
    let dir = scratch_with_examples();
    let d = dir.path();
    write(
        d,
        "a-unknown.toml",
        "unit = \"a.service\"\nmode = \"auto\"\nrestart_everything = true\n",
    );
    write(
        d,
        "b-type.toml",
        "unit = \"b.service\"\n\n[rate_limit]\nattempts_per_hour = \"many\"\n",
    );
    write(
        d,
        "c-enum.toml",
        "unit = \"c.service\"\n# why\n\n\n\n\nmode = \"fast\"\n",
    );
    write(
        d,
        "d-traversal.toml",
        "unit = \"d.service\"\nactions = [\"repair\"]\n[source]\nrepo = \"/srv/d/../../etc\"\n\
         language = \"c\"\nbuild = [\"make\"]\ntest = [\"\"]\n[source.release]\n\
         artifact = \"/srv/d/out\"\ninstall = \"copy\"\ntarget = \"usr/bin/d\"\n",
    );
    let mut huge = b"unit = \"e.service\"\n".to_vec();
    huge.resize(70_000, b'#');
    write(d, "e-huge.toml", &huge);
    write(
        d,
        "f-utf8.toml",
        b"unit = \"f.service\"\n# caf\xc3\xa9 \xfe\n",
    );
    write(d, "g-unit.toml", "unit = \"../../etc/passwd\"\n");
    write(
        d,
        "i-threshold.toml",
        "unit = \"i.service\"\n[watch]\nsyscall_p99_ms = { read = 0.0 }\n",
    );
    write(
        d,
        "j-replay.toml",
        "unit = \"j.service\"\n[source]\nrepo = \"/srv/j\"\nlanguage = \"python\"\n\
         build = [\"true\"]\ntest = [\"true\"]\nreplay = [\"python3\", \"replay.py\"]\n\
         input_pattern = \"no group\"\n[source.release]\nartifact = \"/srv/j/app\"\n\
         install = \"copy\"\ntarget = \"/opt/j\"\n",
    );
    // Sorts after web.toml: the first file in name order keeps the unit.
    write(
        d,
        "z-dup.toml",
        "# same unit as web.toml\nunit = \"web.service\"\n",
    );
    write(d, "notes.txt", "not a policy, ignored");
    // A FIFO must not hang the loader waiting for a writer.
    let fifo = d.join("services.d/y-fifo.toml");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );

    let (code, out) = check_config(d);
    assert_eq!(code, 1, "{out}");
    let want = [
        "services.d/a-unknown.toml:3:1: key `restart_everything`: unknown key; expected one of unit, mode, actions, canary_window_s, watch, source, rate_limit",
        "services.d/b-type.toml:4:21: key `rate_limit.attempts_per_hour`: expected u32, found string \"many\"",
        "services.d/c-enum.toml:7:8: key `mode`: expected one of observe, propose, auto, found \"fast\"",
        "services.d/d-traversal.toml:4:8: key `source.repo`: path must not contain `..` components, found \"/srv/d/../../etc\"",
        "services.d/d-traversal.toml:7:9: key `source.test[0]`: expected a program name, found an empty string",
        "services.d/d-traversal.toml:11:10: key `source.release.target`: expected an absolute path, found \"usr/bin/d\"",
        "services.d/e-huge.toml: file is larger than the limit of 65536 bytes (limits.max_policy_bytes); not parsed",
        "services.d/f-utf8.toml:2:8: invalid UTF-8 at byte offset 27",
        "services.d/g-unit.toml:1:8: key `unit`: expected a systemd unit name ending in .service, found \"../../etc/passwd\"",
        "services.d/i-threshold.toml:3:27: key `watch.syscall_p99_ms.read`: expected a positive number, found 0",
        "services.d/j-replay.toml:7:10: key `source.replay`: expected an argument containing `{input}` (the file with the failing input)",
        "services.d/j-replay.toml:8:17: key `source.input_pattern`: expected a regex with one capture group (the input)",
        "services.d/y-fifo.toml: not a regular file",
        "services.d/z-dup.toml:2:8: key `unit`: unit web.service is already defined in services.d/web.toml; this file is ignored",
    ];
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(&lines[..lines.len() - 1], want, "{out}");
    assert!(
        lines
            .last()
            .unwrap()
            .ends_with("14 errors, 3 valid policies (legacy-gateway.service, queue-worker@1.service, web.service)"),
        "{out}"
    );

    // The library view: the same errors, typed, and the valid policies loaded.
    let load = load_dir(d).unwrap();
    assert_eq!(
        load.config.policies.keys().collect::<Vec<_>>(),
        EXAMPLE_UNITS
    );
    assert_eq!(
        load.config.policies["web.service"].file,
        Path::new("services.d/web.toml")
    );
    assert!(
        load.errors
            .iter()
            .any(|e| matches!(e.kind, ErrorKind::TooLarge { limit: 65536 }))
    );
}

#[test]
fn check_config_needs_no_privileges() {
    let dir = scratch_with_examples();
    // tempdirs are 0700; nobody must be able to read the copy.
    for p in [dir.path().to_path_buf(), dir.path().join("services.d")] {
        fs::set_permissions(&p, fs::Permissions::from_mode(0o755)).unwrap();
    }
    let out = Command::new("setpriv")
        .args([
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
            "--inh-caps=-all",
        ])
        .arg(healerd_bin())
        .args(["check-config", "--config-dir"])
        .arg(dir.path())
        .output()
        .expect("run healerd as nobody");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("0 errors, 3 valid policies"), "{stdout}");
}

#[test]
fn reload_reports_added_removed_changed_and_keeps_the_last_good_policy() {
    let dir = scratch_with_examples();
    let d = dir.path();
    let first = load_dir(d).unwrap();
    assert!(first.errors.is_empty(), "{:?}", first.errors);

    // Nothing changed: empty diff.
    let (_, diff) = reload(&first.config).unwrap();
    assert_eq!(diff, ReloadDiff::default());

    // web: changed; legacy-gateway: removed; cache: added; queue-worker: broken by an edit.
    let web = fs::read_to_string(d.join("services.d/web.toml")).unwrap();
    write(
        d,
        "web.toml",
        web.replace("mode = \"propose\"", "mode = \"auto\""),
    );
    fs::remove_file(d.join("services.d/legacy-gateway.toml")).unwrap();
    write(
        d,
        "cache.toml",
        "unit = \"cache.service\"\nmode = \"observe\"\n",
    );
    let worker = fs::read_to_string(d.join("services.d/queue-worker.toml")).unwrap();
    write(
        d,
        "queue-worker.toml",
        worker.replace("cooldown_s = 60", "cooldown_s = -60"),
    );

    let (load, diff) = reload(&first.config).unwrap();
    assert_eq!(
        diff,
        ReloadDiff {
            added: vec!["cache.service".into()],
            removed: vec!["legacy-gateway.service".into()],
            changed: vec!["web.service".into()],
            kept_previous: vec!["queue-worker@1.service".into()],
            daemon_changed: false,
        }
    );
    assert_eq!(load.errors.len(), 1, "{:?}", load.errors);
    assert_eq!(
        load.errors[0].file,
        Path::new("services.d/queue-worker.toml")
    );
    assert_eq!(
        load.config.policies["queue-worker@1.service"],
        first.config.policies["queue-worker@1.service"]
    );
    assert_eq!(
        load.config.policies["web.service"].policy.mode,
        config::policy::Mode::Auto
    );

    // A broken healer.toml keeps the previous daemon settings.
    fs::write(d.join("healer.toml"), "bus = \"carrier-pigeon\"\n").unwrap();
    let (load, diff) = reload(&first.config).unwrap();
    assert!(!load.daemon_config_ok());
    assert!(!diff.daemon_changed);
    assert_eq!(load.config.daemon, first.config.daemon);

    // The directory gone: reload fails and the caller keeps what it has.
    drop(dir);
    let e = reload(&first.config).unwrap_err();
    assert!(matches!(e.kind, ErrorKind::MissingDir));
}

/// Every key the examples use (they use every key) is documented in docs/config.md.
#[test]
fn every_key_is_documented() {
    let docs = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/config.md"))
        .unwrap();
    fn keys(v: &serde_json::Value, prefix: &str, out: &mut Vec<String>) {
        if let serde_json::Value::Object(m) = v {
            for (k, v) in m {
                out.push(k.clone());
                // Map keys there are syscall names, not settings.
                if k != "syscall_p99_ms" {
                    keys(v, &format!("{prefix}{k}."), out);
                }
            }
        }
    }
    let load = load_dir(&examples_dir()).unwrap();
    let mut all = Vec::new();
    keys(
        &serde_json::to_value(&load.config.daemon).unwrap(),
        "",
        &mut all,
    );
    for p in load.config.policies.values() {
        keys(&serde_json::to_value(&p.policy).unwrap(), "", &mut all);
    }
    for k in [
        "limits",
        "max_policy_bytes",
        "watch",
        "error_rate",
        "source",
        "release",
        "artifact",
        "rate_limit",
    ] {
        assert!(all.iter().any(|a| a == k), "walk missed {k}: {all:?}");
    }
    for k in all {
        assert!(
            [
                format!("`{k}`"),
                format!(".{k}`"),
                format!("`{k}."),
                format!("[{k}]")
            ]
            .iter()
            .any(|form| docs.contains(form.as_str())),
            "key `{k}` is not documented in docs/config.md"
        );
    }
}

#[test]
fn missing_healer_toml_is_reported_and_policies_still_load() {
    let dir = scratch_with_examples();
    fs::remove_file(dir.path().join("healer.toml")).unwrap();
    let (code, out) = check_config(dir.path());
    assert_eq!(code, 1, "{out}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "healer.toml: required file is missing");
    assert!(
        lines[1].ends_with("1 error, 3 valid policies (legacy-gateway.service, queue-worker@1.service, web.service); healer.toml is not valid"),
        "{out}"
    );
}
