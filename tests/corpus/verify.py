#!/usr/bin/env python3
"""Verify fault cases described by corpus manifests (python.toml, javascript.toml, c.toml, ...).

For every [[case]] of the given manifest(s):
  1. copy `repo` to a temp dir, run `build` (if any) then `test`  -> test must FAIL
  2. copy `oracle_dir` contents over that buggy copy, run `oracle` -> should fail (warning only)
  3. fresh copy, `patch -p1 < fix` must apply cleanly
  4. build, test -> must PASS
  5. copy `oracle_dir` contents, run `oracle` -> must PASS
  6. `fault_line` lies within the first hunk of `fault_file` in the fix (changed lines)
  7. the evidence file exists when named
Every command runs under the case's `timeout_s`; a timeout counts as failure.

Usage: verify.py MANIFEST.toml [MANIFEST.toml ...] [--id ID ...] [-v]
Only the python3 standard library is used (tomllib needs Python >= 3.11).
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib

DEFAULT_TIMEOUT = 60


class CaseError(Exception):
    pass


def run_killing(cmd, cwd, timeout, verbose=False):
    """Like run(), but makes sure a timed-out process group is killed."""
    proc = subprocess.Popen(
        cmd, shell=True, cwd=cwd, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        out, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, 9)
        except ProcessLookupError:
            pass
        out, _ = proc.communicate()
        return False, None, out.decode("utf-8", "replace")
    out = out.decode("utf-8", "replace")
    if verbose:
        sys.stderr.write(f"--- [{cwd}] $ {cmd} -> rc={proc.returncode}\n{out[-3000:]}\n")
    return proc.returncode == 0, proc.returncode, out


def tail(s, n=400):
    s = s.strip()
    return s[-n:].replace("\n", " | ")


def copy_tree(src, dst):
    shutil.copytree(src, dst, dirs_exist_ok=True, symlinks=True)


def first_hunk_lines(patch_text, fault_file):
    """Return the set of acceptable buggy-file line numbers of the first hunk of fault_file.

    Removed ('-') lines count by their old-file line number. For pure insertions
    the old-file lines adjacent to the insertion point count.
    """
    cur = None
    lines = patch_text.splitlines()
    i = 0
    norm = fault_file.lstrip("./")
    while i < len(lines):
        ln = lines[i]
        if ln.startswith("--- "):
            name = ln[4:].split("\t")[0].strip()
            name = re.sub(r"^[ab]/", "", name)
            cur = name
        elif ln.startswith("+++ "):
            name = ln[4:].split("\t")[0].strip()
            name = re.sub(r"^[ab]/", "", name)
            if cur in (None, "/dev/null"):
                cur = name
        elif ln.startswith("@@") and cur is not None and (cur == norm or cur.endswith("/" + norm)):
            m = re.match(r"@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@", ln)
            if not m:
                raise CaseError(f"bad hunk header: {ln}")
            old = int(m.group(1))
            ok = set()
            i += 1
            while i < len(lines) and not lines[i].startswith(("@@", "--- ", "diff ")):
                body = lines[i]
                if body.startswith("-"):
                    ok.add(old)
                    old += 1
                elif body.startswith("+"):
                    ok.add(old)       # line the insertion precedes
                    ok.add(old - 1)   # line the insertion follows
                elif body.startswith("\\"):
                    pass
                else:
                    old += 1
                i += 1
            return ok
        i += 1
    return None


def verify_case(case, base, verbose=False):
    cid = case["id"]
    warnings = []
    for key in ("id", "repo", "test", "oracle_dir", "oracle", "fix", "fault_file", "fault_line"):
        if key not in case:
            raise CaseError(f"manifest entry lacks `{key}`")
    timeout = int(case.get("timeout_s", DEFAULT_TIMEOUT))
    repo = os.path.join(base, case["repo"])
    oracle_dir = os.path.join(base, case["oracle_dir"])
    fix = os.path.join(base, case["fix"])
    build = (case.get("build") or "").strip()
    test = case["test"]
    oracle = case["oracle"]
    for p, what in ((repo, "repo"), (oracle_dir, "oracle_dir"), (fix, "fix")):
        if not os.path.exists(p):
            raise CaseError(f"{what} missing: {p}")
    fault_path = os.path.join(repo, case["fault_file"])
    if not os.path.isfile(fault_path):
        raise CaseError(f"fault_file missing: {case['fault_file']}")
    n_lines = sum(1 for _ in open(fault_path, "rb"))
    fl = int(case["fault_line"])
    if not 1 <= fl <= n_lines:
        raise CaseError(f"fault_line {fl} outside 1..{n_lines}")
    if "evidence" in case:
        ev = os.path.join(repo, case["evidence"])
        if not os.path.isfile(ev) or os.path.getsize(ev) == 0:
            raise CaseError(f"evidence file missing or empty: {case['evidence']}")

    with open(fix, encoding="utf-8", errors="replace") as f:
        patch_text = f.read()
    ok_lines = first_hunk_lines(patch_text, case["fault_file"])
    if ok_lines is None:
        raise CaseError(f"fix has no hunk for fault_file {case['fault_file']}")
    if fl not in ok_lines:
        raise CaseError(f"fault_line {fl} not among first-hunk changed lines {sorted(ok_lines)}")

    with tempfile.TemporaryDirectory(prefix=f"verify-{cid}-") as tmp:
        # --- buggy ---
        bug = os.path.join(tmp, "buggy")
        copy_tree(repo, bug)
        if build:
            ok, rc, out = run_killing(build, bug, timeout, verbose)
            if not ok:
                raise CaseError(f"buggy build failed (rc={rc}): {tail(out)}")
        ok, rc, out = run_killing(test, bug, timeout, verbose)
        if ok:
            raise CaseError("project tests PASS on the buggy version")
        if rc is None:
            warnings.append("buggy test timed out (counts as failing)")
        copy_tree(oracle_dir, bug)
        ok, rc, out = run_killing(oracle, bug, timeout, verbose)
        if ok:
            warnings.append("oracle passes on the buggy version")

        # --- fixed ---
        fixed = os.path.join(tmp, "fixed")
        copy_tree(repo, fixed)
        ok, rc, out = run_killing(f"patch -p1 --batch --forward < {shlex_quote(fix)}", fixed, timeout, verbose)
        if not ok or re.search(r"with fuzz \d|\(offset -?\d+ lines?\)|FAILED|Reversed \(or previously applied\)", out):
            raise CaseError(f"fix does not apply cleanly: {tail(out)}")
        if build:
            ok, rc, out = run_killing(build, fixed, timeout, verbose)
            if not ok:
                raise CaseError(f"fixed build failed (rc={rc}): {tail(out)}")
        ok, rc, out = run_killing(test, fixed, timeout, verbose)
        if not ok:
            why = "timeout" if rc is None else f"rc={rc}"
            raise CaseError(f"project tests fail on the fixed version ({why}): {tail(out)}")
        copy_tree(oracle_dir, fixed)
        ok, rc, out = run_killing(oracle, fixed, timeout, verbose)
        if not ok:
            why = "timeout" if rc is None else f"rc={rc}"
            raise CaseError(f"oracle fails on the fixed version ({why}): {tail(out)}")
    return warnings


def shlex_quote(s):
    import shlex
    return shlex.quote(os.path.abspath(s))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("manifests", nargs="+")
    ap.add_argument("--id", action="append", default=[], help="only these case ids (repeatable)")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()

    total = failed = warned = 0
    seen = set()
    for mpath in args.manifests:
        with open(mpath, "rb") as f:
            data = tomllib.load(f)
        base = os.path.dirname(os.path.abspath(mpath))
        for case in data.get("case", []):
            cid = case.get("id", "?")
            if args.id and cid not in args.id:
                continue
            total += 1
            if cid in seen:
                failed += 1
                print(f"FAIL {cid}: duplicate id")
                continue
            seen.add(cid)
            try:
                warnings = verify_case(case, base, args.verbose)
            except CaseError as e:
                failed += 1
                print(f"FAIL {cid}: {e}", flush=True)
                continue
            if warnings:
                warned += 1
                print(f"OK   {cid} (warning: {'; '.join(warnings)})", flush=True)
            else:
                print(f"OK   {cid}", flush=True)
    print(f"\n{total} cases: {total - failed} ok, {failed} failed, {warned} with warnings")
    sys.exit(1 if failed or total == 0 else 0)


if __name__ == "__main__":
    main()
