#!/usr/bin/env python3
"""Write a deterministic subset of the repair corpus as chunk manifests.

Every STEP-th case in manifest order, starting at OFFSET, (the order `healerctl bench` loads them:
the includes of tests/corpus/manifest.toml in turn) is kept. The kept cases are
dealt round-robin over the languages into chunks of about CHUNK cases, so that a
run stopped after any number of chunks still covers every language. Paths are
made absolute, so the chunk manifests can live anywhere.

    scripts/bench-subset.py tests/corpus/manifest.toml OUT_DIR [--step 3] [--offset 0] [--chunk 8]

Writes OUT_DIR/chunk-NN.toml and OUT_DIR/cases.txt (the kept ids, in chunk order).
Stdlib only (tomllib, Python 3.11+).
"""
import argparse
import json
import pathlib
import tomllib

PATH_KEYS = ("repo", "oracle_dir")


def load(path, out):
    path = pathlib.Path(path).resolve()
    data = tomllib.loads(path.read_text())
    for inc in data.get("include", []):
        load(path.parent / inc, out)
    for case in data.get("case", []):
        case = dict(case)
        for k in PATH_KEYS:
            if k in case:
                case[k] = str(path.parent / case[k])
        # The reference fix is never needed by the benchmark.
        case.pop("fix", None)
        out.append(case)


def value(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    return json.dumps(str(v))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("manifest")
    ap.add_argument("out")
    ap.add_argument("--step", type=int, default=3)
    ap.add_argument("--chunk", type=int, default=8)
    ap.add_argument("--offset", type=int, default=0)
    a = ap.parse_args()
    cases = []
    load(a.manifest, cases)
    kept = cases[a.offset :: a.step]
    by_lang = {}
    for c in kept:
        by_lang.setdefault(c["language"], []).append(c)
    order = []
    while any(by_lang.values()):
        for lang in list(by_lang):
            if by_lang[lang]:
                order.append(by_lang[lang].pop(0))
    out = pathlib.Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    for n, start in enumerate(range(0, len(order), a.chunk)):
        lines = [f"# cases i % {a.step} == {a.offset} (manifest order) of {a.manifest}, chunk {n}\n"]
        for c in order[start : start + a.chunk]:
            lines.append("\n[[case]]\n")
            lines.extend(f"{k} = {value(v)}\n" for k, v in c.items())
        (out / f"chunk-{n:02}.toml").write_text("".join(lines))
    (out / "cases.txt").write_text("".join(c["id"] + "\n" for c in order))
    print(f"{len(cases)} cases, kept {len(order)} in {-(-len(order) // a.chunk)} chunks")


if __name__ == "__main__":
    main()
