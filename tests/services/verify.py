#!/usr/bin/env python3
"""Verify the service cases in tests/services/cases/ (python3 >= 3.11, stdlib only).

For every case, in a temporary copy of its repo:
  faulty: build; tests pass; replay of the trigger dies as `expect.crash` says; replay of
          the normal lines exits 0; the running service answers the normal lines, dies on
          the trigger the same way, and logged `request: <trigger>` (input_pattern) first.
  fixed:  fixes/<id>.patch applies without fuzz or offset; build; tests pass; replay of the
          trigger and of the normal lines exit 0; the running service answers the normal
          lines, the trigger, and the normal lines again, and is still running.

    python3 tests/services/verify.py                 # every case
    python3 tests/services/verify.py --id py-kv -v   # cases whose id contains py-kv
    python3 tests/services/verify.py -j 2            # two cases at a time
"""

import argparse
import concurrent.futures
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import tomllib
from pathlib import Path

HERE = Path(__file__).resolve().parent
CASES = HERE / "cases"
FIXES = HERE / "fixes"

REQUIRED_KEYS = {
    "id": str, "language": str, "fault_class": str, "description": str, "build": list,
    "test": list, "artifact": str, "exec": list, "replay": list, "input_pattern": str,
    "trigger": str, "normal": list, "expect": dict,
}
CRASH_BY_LANGUAGE = {
    "python": {"exception"}, "javascript": {"exception"}, "rust": {"panic", "signal"},
    "c": {"signal"},
}
MIN_PER_LANGUAGE = {"python": 12, "rust": 8, "javascript": 6, "c": 6}
CRASH_SIGNALS = {signal.SIGSEGV, signal.SIGFPE, signal.SIGABRT, signal.SIGBUS, signal.SIGILL}
SOURCE_SUFFIXES = {".py", ".rs", ".js", ".c", ".h"}
SOURCE_LINES = (60, 250)
BUILD_TIMEOUT_S = 600
STEP_TIMEOUT_S = 120
SERVICE_TIMEOUT_S = 30


class CaseFailure(Exception):
    """A check of one case did not hold; the message says which and why."""


def log_tail(text, lines=12):
    return "\n".join(text.strip().splitlines()[-lines:])


def load_case(case_dir):
    case = tomllib.loads((case_dir / "case.toml").read_text())
    for key, kind in REQUIRED_KEYS.items():
        if not isinstance(case.get(key), kind):
            raise CaseFailure(f"case.toml: key {key!r} missing or not a {kind.__name__}")
    if case["id"] != case_dir.name:
        raise CaseFailure(f"case.toml: id {case['id']!r} differs from directory {case_dir.name!r}")
    crash = case["expect"].get("crash")
    if crash not in CRASH_BY_LANGUAGE.get(case["language"], set()):
        raise CaseFailure(f"case.toml: crash {crash!r} is not valid for language {case['language']!r}")
    if not isinstance(case.get("demo", False), bool):
        raise CaseFailure("case.toml: demo must be a boolean")
    if re.compile(case["input_pattern"]).groups != 1:
        raise CaseFailure("case.toml: input_pattern must have exactly one group")
    if not case["normal"] or not all(isinstance(line, str) and line for line in case["normal"]):
        raise CaseFailure("case.toml: normal must be a non-empty list of request lines")
    return case


def check_repo_shape(case, repo):
    if (repo / ".git").exists():
        raise CaseFailure("repo/ must not contain a .git")
    if not (FIXES / f"{case['id']}.patch").is_file():
        raise CaseFailure(f"missing fixes/{case['id']}.patch")
    lines = 0
    for path in repo.rglob("*"):
        relative = path.relative_to(repo)
        in_tests = any(part.startswith("test") for part in relative.parts)
        if path.is_file() and path.suffix in SOURCE_SUFFIXES and not in_tests:
            lines += sum(1 for line in path.read_text().splitlines() if line.strip())
    low, high = SOURCE_LINES
    if not low <= lines <= high:
        raise CaseFailure(f"service source has {lines} non-blank lines, expected {low}-{high}")
    return lines


def run_step(what, argv, cwd, timeout=STEP_TIMEOUT_S):
    env = {k: v for k, v in os.environ.items() if k != "CARGO_TARGET_DIR"}
    try:
        return subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True,
                              timeout=timeout, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired as err:
        raise CaseFailure(f"{what}: timed out after {timeout}s") from err
    except OSError as err:
        raise CaseFailure(f"{what}: cannot run {argv[0]}: {err}") from err


def require_ok(what, proc):
    if proc.returncode != 0:
        raise CaseFailure(f"{what}: exit {proc.returncode}\n{log_tail(proc.stdout + proc.stderr)}")


def describe_exit(code):
    if code is not None and code < 0:
        return f"signal {signal.Signals(-code).name}"
    return f"exit {code}"


def check_crash(what, case, code, stderr):
    """The process must have died the way expect.crash says, with the runtime's report."""
    kind = case["expect"]["crash"]
    if kind == "exception":
        marker = "Traceback (most recent call last)" if case["language"] == "python" else "\n    at "
        ok = code is not None and code > 0 and marker in stderr
    elif kind == "panic":
        ok = code == 101 and "panicked at" in stderr
    else:
        ok = code is not None and code < 0 and -code in CRASH_SIGNALS
    if not ok:
        raise CaseFailure(f"{what}: expected a {kind} crash, got {describe_exit(code)}\n"
                          f"{log_tail(stderr)}")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RunningService:
    """The service started the way its systemd unit starts it: exec argv, PORT, cwd /."""

    def __init__(self, case, release):
        self.port = free_port()
        argv = [arg.replace("{release}", str(release)) for arg in case["exec"]]
        env = {**os.environ, "PORT": str(self.port)}
        self.proc = subprocess.Popen(argv, cwd="/", env=env, stdin=subprocess.DEVNULL,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        self.stderr_lines = []
        self.listening = threading.Event()
        self.reader = threading.Thread(target=self._read_stderr, daemon=True)
        self.reader.start()
        self.conn = None
        self.pending = b""

    def _read_stderr(self):
        for line in self.proc.stderr:
            self.stderr_lines.append(line)
            if line.startswith("listening on "):
                self.listening.set()

    def stderr(self):
        return "".join(self.stderr_lines)

    def connect(self):
        if not self.listening.wait(SERVICE_TIMEOUT_S):
            raise CaseFailure(f"service never printed 'listening on' ({describe_exit(self.proc.poll())})"
                              f"\n{log_tail(self.stderr())}")
        self.conn = socket.create_connection(("127.0.0.1", self.port), timeout=SERVICE_TIMEOUT_S)

    def request(self, line):
        """Send one request line; return the response line, or None when the connection closed."""
        try:
            self.conn.sendall(line.encode() + b"\n")
            while b"\n" not in self.pending:
                chunk = self.conn.recv(4096)
                if not chunk:
                    return None
                self.pending += chunk
        except (ConnectionResetError, BrokenPipeError):
            return None
        except socket.timeout as err:
            raise CaseFailure(f"service: no response to {line!r} within {SERVICE_TIMEOUT_S}s") from err
        reply, self.pending = self.pending.split(b"\n", 1)
        return reply.decode("utf-8", "replace")

    def wait_exit(self):
        try:
            code = self.proc.wait(SERVICE_TIMEOUT_S)
        except subprocess.TimeoutExpired as err:
            raise CaseFailure("service: still running after the trigger") from err
        self.reader.join(5)
        return code

    def stop(self):
        if self.conn is not None:
            self.conn.close()
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.reader.join(5)


def replay(case, repo, tmp, name, lines):
    request_file = Path(tmp) / f"{name}.txt"
    request_file.write_text("".join(line + "\n" for line in lines))
    argv = [arg.replace("{input}", str(request_file)) for arg in case["replay"]]
    return run_step(f"replay {name}", argv, repo)


def prepare(case, case_dir, tmp, name, patch=None):
    repo = Path(tmp) / name
    shutil.copytree(case_dir / "repo", repo)
    if patch is not None:
        applied = run_step("apply fix", ["patch", "-p1", "-F0", "--no-backup-if-mismatch",
                                         "-i", str(patch)], repo)
        require_ok("apply fix", applied)
        if re.search(r"offset|fuzz", applied.stdout, re.I):
            raise CaseFailure(f"apply fix: not exact\n{applied.stdout}")
    if case["build"]:
        require_ok(f"{name}: build", run_step(f"{name}: build", case["build"], repo, BUILD_TIMEOUT_S))
    if not (repo / case["artifact"]).exists():
        raise CaseFailure(f"{name}: artifact {case['artifact']} not produced by the build")
    require_ok(f"{name}: test", run_step(f"{name}: test", case["test"], repo, BUILD_TIMEOUT_S))
    return repo


def check_normal_replay(case, repo, tmp, name):
    proc = replay(case, repo, tmp, f"{name}-normal", case["normal"])
    require_ok(f"{name}: replay normal", proc)
    answers = proc.stdout.strip().splitlines()
    if len(answers) != len(case["normal"]):
        raise CaseFailure(f"{name}: replay normal printed {len(answers)} lines for "
                          f"{len(case['normal'])} requests")


def send_normal(service, case, name):
    for line in case["normal"]:
        if service.request(line) is None:
            raise CaseFailure(f"{name}: service closed the connection on normal request {line!r}"
                              f" ({describe_exit(service.proc.poll())})\n{log_tail(service.stderr())}")


def check_faulty(case, case_dir, tmp):
    repo = prepare(case, case_dir, tmp, "faulty")
    proc = replay(case, repo, tmp, "faulty-trigger", [case["trigger"]])
    check_crash("faulty: replay trigger", case, proc.returncode, proc.stderr)
    check_normal_replay(case, repo, tmp, "faulty")

    service = RunningService(case, repo)
    try:
        service.connect()
        send_normal(service, case, "faulty")
        reply = service.request(case["trigger"])
        if reply is not None:
            raise CaseFailure(f"faulty: service answered the trigger: {reply!r}")
        code = service.wait_exit()
        check_crash("faulty: service on trigger", case, code, service.stderr())
        pattern = re.compile(case["input_pattern"])
        captured = [m.group(1) for line in service.stderr().splitlines()
                    if (m := pattern.match(line))]
        if case["trigger"] not in captured:
            raise CaseFailure("faulty: stderr holds no input_pattern line for the trigger")
    finally:
        service.stop()


def check_fixed(case, case_dir, tmp):
    repo = prepare(case, case_dir, tmp, "fixed", FIXES / f"{case['id']}.patch")
    proc = replay(case, repo, tmp, "fixed-trigger", [case["trigger"]])
    require_ok("fixed: replay trigger", proc)
    check_normal_replay(case, repo, tmp, "fixed")

    service = RunningService(case, repo)
    try:
        service.connect()
        send_normal(service, case, "fixed")
        if service.request(case["trigger"]) is None:
            raise CaseFailure(f"fixed: service died on the trigger ({describe_exit(service.proc.poll())})"
                              f"\n{log_tail(service.stderr())}")
        send_normal(service, case, "fixed (after trigger)")
        if service.proc.poll() is not None:
            raise CaseFailure("fixed: service exited")
    finally:
        service.stop()


def verify_case(case_dir, verbose):
    started = time.monotonic()
    case = {"id": case_dir.name, "language": "?", "fault_class": "?"}
    try:
        case = load_case(case_dir)
        check_repo_shape(case, case_dir / "repo")
        with tempfile.TemporaryDirectory(prefix=f"svc-{case['id']}-") as tmp:
            check_faulty(case, case_dir, tmp)
            check_fixed(case, case_dir, tmp)
        error = None
    except CaseFailure as err:
        error = str(err)
    elapsed = time.monotonic() - started
    if verbose:
        print(f"{case['id']}: {'PASS' if error is None else 'FAIL'} ({elapsed:.1f}s)", flush=True)
    return case, error, elapsed


def check_spread(cases):
    """Collection-level requirements; only checked when every case is selected."""
    problems = []
    for language, minimum in MIN_PER_LANGUAGE.items():
        count = sum(1 for c in cases if c.get("language") == language)
        if count < minimum:
            problems.append(f"{language}: {count} cases, need >= {minimum}")
    demos = [c for c in cases if c.get("demo")]
    if len(demos) != 3 or not {"python", "rust"} <= {c["language"] for c in demos}:
        problems.append("need exactly 3 demo cases, including a python and a rust one")
    return problems


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--id", default="", help="only cases whose id contains this substring")
    parser.add_argument("-j", "--jobs", type=int, default=1, help="cases verified concurrently")
    parser.add_argument("-v", "--verbose", action="store_true", help="print each case as it finishes")
    args = parser.parse_args()

    case_dirs = sorted(d for d in CASES.iterdir() if d.is_dir() and args.id in d.name)
    if not case_dirs:
        print(f"no case matches {args.id!r}", file=sys.stderr)
        return 2
    started = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        results = list(pool.map(lambda d: verify_case(d, args.verbose), case_dirs))

    print(f"\n{'id':34} {'language':10} {'fault_class':18} {'demo':5} {'result':6} {'time':>7}")
    failures = 0
    for case, error, elapsed in results:
        verdict = "PASS" if error is None else "FAIL"
        failures += error is not None
        demo = "yes" if case.get("demo") else ""
        print(f"{case['id']:34} {case['language']:10} {case['fault_class']:18} {demo:5} "
              f"{verdict:6} {elapsed:6.1f}s")
        if error is not None:
            print("    " + error.replace("\n", "\n    "))
    problems = check_spread([c for c, _, _ in results]) if not args.id else []
    for problem in problems:
        print(f"collection: {problem}")
    total = time.monotonic() - started
    print(f"\n{len(results) - failures}/{len(results)} cases PASS in {total:.1f}s")
    return 1 if failures or problems else 0


if __name__ == "__main__":
    sys.exit(main())
