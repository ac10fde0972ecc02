#!/usr/bin/env python3
"""Authoring helper: materialise fault cases from spec files.

A spec file (specs/*.py) defines CASES = [dict(...), ...] with keys:
  id, fault_class, kind, description, module,
  source  -- the CORRECT module text
  bug     -- list of (old, new) replacements applied to `source` to inject the fault
  tests   -- project test file text
  oracle  -- held-out oracle test file text
  evidence (optional) -- a python -c / node -e snippet whose crash output becomes evidence.txt
  timeout_s (optional)

Generated: cases/ID, oracles/ID, fixes/ID.patch and the manifests python.toml /
javascript.toml (rewritten from all spec files). Run from anywhere:
  python3 tests/corpus/_authoring/mkcase.py
"""
import glob
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.dirname(HERE)

LANG = {
    "py": dict(language="python", src="app/{m}.py", test="tests/test_{m}.py",
               oracle="oracle_tests/test_oracle_{m}.py",
               test_cmd="python3 -m unittest discover -s tests -t . -q",
               oracle_cmd="python3 -m unittest discover -s oracle_tests -t . -q",
               inits=["app/__init__.py", "tests/__init__.py"], oinits=["oracle_tests/__init__.py"],
               run=["python3", "-c"], manifest="python.toml"),
    "js": dict(language="javascript", src="src/{m}.js", test="test/{m}.test.js",
               oracle="oracle_test/{m}.oracle.test.js",
               test_cmd="node --test test/", oracle_cmd="node --test oracle_test/",
               inits=[], oinits=[], run=["node", "-e"], manifest="javascript.toml"),
}


def load_specs():
    cases = []
    extras = {}
    for path in sorted(glob.glob(os.path.join(HERE, "specs", "*.py"))):
        spec = importlib.util.spec_from_file_location(os.path.basename(path)[:-3], path)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        cases.extend(getattr(mod, "CASES", []))
        extras.update(getattr(mod, "EXTRAS", {}))
    by_id = {c["id"]: c for c in cases}
    for cid, (text, exports) in extras.items():
        by_id[cid]["extra"] = text
        by_id[cid]["extra_exports"] = exports
    return cases


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def dedent(s):
    s = s.lstrip("\n")
    import textwrap
    return textwrap.dedent(s)


def build_case(c):
    cid = c["id"]
    lang = LANG[cid.split("-")[0]]
    m = c["module"]
    src_rel = lang["src"].format(m=m)
    correct = dedent(c["source"])
    if c.get("extra"):
        extra = dedent(c["extra"])
        if lang["language"] == "javascript":
            i = correct.index("module.exports = {")
            correct = correct[:i] + extra + "\n" + correct[i:]
            if c.get("extra_exports"):
                j = correct.rindex("module.exports = {")
                k = correct.index(" };", j)
                correct = correct[:k] + ", " + ", ".join(c["extra_exports"]) + correct[k:]
        else:
            correct = correct.rstrip("\n") + "\n\n\n" + extra
    buggy = correct
    for old, new in c["bug"]:
        old, new = old, new
        n = buggy.count(old)
        if n != 1:
            raise SystemExit(f"{cid}: bug pattern occurs {n} times: {old!r}")
        buggy = buggy.replace(old, new)
    if buggy == correct:
        raise SystemExit(f"{cid}: bug changes nothing")

    case_dir = os.path.join(CORPUS, "cases", cid)
    oracle_dir = os.path.join(CORPUS, "oracles", cid)
    shutil.rmtree(case_dir, ignore_errors=True)
    shutil.rmtree(oracle_dir, ignore_errors=True)
    write(os.path.join(case_dir, src_rel), buggy)
    for i in lang["inits"]:
        write(os.path.join(case_dir, i), "")
    write(os.path.join(case_dir, lang["test"].format(m=m)), dedent(c["tests"]))
    write(os.path.join(oracle_dir, lang["oracle"].format(m=m)), dedent(c["oracle"]))
    for i in lang["oinits"]:
        write(os.path.join(oracle_dir, i), "")

    # reference fix
    with tempfile.TemporaryDirectory() as tmp:
        a = os.path.join(tmp, "a", src_rel)
        b = os.path.join(tmp, "b", src_rel)
        write(a, buggy)
        write(b, correct)
        p = subprocess.run(["diff", "-u", f"a/{src_rel}", f"b/{src_rel}"], cwd=tmp,
                           capture_output=True, text=True)
        patch = p.stdout
    patch = re.sub(r"^(---|\+\+\+) (\S+)\t.*$", r"\1 \2", patch, flags=re.M)
    write(os.path.join(CORPUS, "fixes", cid + ".patch"), patch)
    hm = re.search(r"^@@ -(\d+)(?:,\d+)? ", patch, re.M)
    old = int(hm.group(1))
    body = patch[hm.end():].split("\n")[1:]
    fault_line = None
    for ln in body:
        if ln.startswith("-"):
            fault_line = old
            break
        if ln.startswith("+"):
            fault_line = old  # insertion precedes this buggy line
            break
        old += 1

    # evidence
    has_ev = False
    if c.get("evidence"):
        snippet = dedent(c["evidence"]).strip()
        with tempfile.TemporaryDirectory() as tmp:
            work = os.path.join(tmp, "case")
            shutil.copytree(case_dir, work)
            p = subprocess.run(lang["run"] + [snippet], cwd=work, capture_output=True, text=True,
                               timeout=30)
            out = (p.stdout + p.stderr).replace(work + "/", "").replace(work, ".")
        if p.returncode == 0:
            raise SystemExit(f"{cid}: evidence snippet did not crash:\n{out}")
        shown = lang["run"][0] + " " + lang["run"][1] + " '" + snippet + "'"
        write(os.path.join(case_dir, "evidence.txt"), f"$ {shown}\n{out}")
        has_ev = True

    entry = dict(
        id=cid, language=lang["language"], fault_class=c["fault_class"], kind=c["kind"],
        description=c["description"], repo=f"cases/{cid}", build="", test=lang["test_cmd"],
    )
    if has_ev:
        entry["evidence"] = "evidence.txt"
    entry.update(oracle_dir=f"oracles/{cid}", oracle=lang["oracle_cmd"], fix=f"fixes/{cid}.patch",
                 fault_file=src_rel, fault_line=fault_line, timeout_s=c.get("timeout_s", 60))
    return lang["manifest"], entry


def toml_entry(e):
    out = ["[[case]]"]
    for k, v in e.items():
        out.append(f"{k} = {v}" if isinstance(v, int) else f"{k} = {json.dumps(v)}")
    return "\n".join(out) + "\n"


def main():
    only = set(sys.argv[1:])
    cases = load_specs()
    ids = [c["id"] for c in cases]
    dup = {i for i in ids if ids.count(i) > 1}
    if dup:
        raise SystemExit(f"duplicate ids: {dup}")
    manifests = {"python.toml": [], "javascript.toml": []}
    for c in cases:
        if only and c["id"] not in only:
            # keep existing entry data by rebuilding cheaply (no evidence rerun needed)
            pass
        man, entry = build_case(c)
        manifests[man].append(entry)
    for name, entries in manifests.items():
        head = (f"# Fault cases ({'Python' if name.startswith('python') else 'JavaScript'}).\n"
                "# Generated by _authoring/mkcase.py from _authoring/specs/*.py; "
                "verify with: python3 verify.py " + name + "\n\n")
        write(os.path.join(CORPUS, name), head + "\n".join(toml_entry(e) for e in entries))
    print(f"built {len(cases)} cases")


if __name__ == "__main__":
    main()
