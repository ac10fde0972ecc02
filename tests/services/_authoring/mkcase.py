#!/usr/bin/env python3
"""Regenerate tests/services/cases/ and tests/services/fixes/ from _authoring/bases/.

Each base directory holds the CORRECT service (the source tree exactly as a
case's repo/ looks, minus the fault) and a `_spec.toml` with the settings the
cases of that base share and one `[[case]]` table per case.  A case injects its
fault with `[[case.inject]]` replacements (`file`, `old`, `new`; `old` must occur
exactly once).  The reference fix is the reverse diff, produced by `diff -u`, so
it cannot drift from the sources.

    python3 tests/services/_authoring/mkcase.py            # all bases
    python3 tests/services/_authoring/mkcase.py py-kv      # bases whose name contains py-kv
"""

import json
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SHARED_KEYS = ("language", "crash", "build", "test", "artifact", "exec", "replay", "input_pattern", "normal")
CASE_KEYS = ("id", "language", "fault_class", "description", "build", "test", "artifact",
             "exec", "replay", "input_pattern", "trigger", "normal")


def toml_value(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    raise TypeError(f"unsupported value {value!r}")


def render_case_toml(case):
    lines = [f"{key} = {toml_value(case[key])}" for key in CASE_KEYS]
    if case.get("demo"):
        lines.append("demo = true")
    lines += ["", "[expect]", f"crash = {toml_value(case['crash'])}", ""]
    return "\n".join(lines)


def copy_tree(src, dst):
    shutil.copytree(src, dst, ignore=shutil.ignore_patterns("_spec.toml", "target", "__pycache__", "*.o"))


def make_patch(faulty, correct):
    """Unified diff, -p1 relative to the repo, of every file that differs."""
    out = subprocess.run(
        ["diff", "-ruN", "a", "b"], cwd=faulty.parent, capture_output=True, text=True)
    if out.returncode not in (0, 1):
        raise RuntimeError(out.stderr)
    # Drop the timestamps diff writes after the file names: regenerating must not churn.
    return "".join(
        line.split("\t", 1)[0] + "\n" if line.startswith(("--- ", "+++ ")) else line
        for line in out.stdout.splitlines(keepends=True))


def build_case(base_dir, shared, case):
    cid = case["id"]
    with tempfile.TemporaryDirectory() as tmp:
        a, b = Path(tmp) / "a", Path(tmp) / "b"
        copy_tree(base_dir, b)
        copy_tree(base_dir, a)
        for inj in case["inject"]:
            path = a / inj["file"]
            text = path.read_text()
            count = text.count(inj["old"])
            if count != 1:
                raise SystemExit(f"{cid}: injection old text occurs {count} times in {inj['file']}")
            path.write_text(text.replace(inj["old"], inj["new"]))
        patch = make_patch(a, b)
        if not patch:
            raise SystemExit(f"{cid}: injection changed nothing")
        dest = ROOT / "cases" / cid
        if dest.exists():
            shutil.rmtree(dest)
        dest.mkdir(parents=True)
        shutil.copytree(a, dest / "repo")
    (ROOT / "fixes").mkdir(exist_ok=True)
    (ROOT / "fixes" / f"{cid}.patch").write_text(patch)
    merged = {**shared, **{k: v for k, v in case.items() if k != "inject"}}
    (dest / "case.toml").write_text(render_case_toml(merged))
    print(f"{cid}: {len(patch.splitlines())} patch lines")


def main(argv):
    wanted = argv[1] if len(argv) > 1 else ""
    for base_dir in sorted((HERE / "bases").iterdir()):
        if wanted not in base_dir.name:
            continue
        spec = tomllib.loads((base_dir / "_spec.toml").read_text())
        shared = {k: spec[k] for k in SHARED_KEYS}
        for case in spec["case"]:
            build_case(base_dir, shared, case)


if __name__ == "__main__":
    main(sys.argv)
