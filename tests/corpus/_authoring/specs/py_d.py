CASES = []

TIMEOUT_HELPER = r'''
def call_with_timeout(fn, *args, timeout=2.0):
    """Run fn(*args) in a daemon thread; fail instead of hanging forever."""
    box = {}

    def run():
        try:
            box["value"] = fn(*args)
        except BaseException as exc:  # re-raised in the test thread
            box["error"] = exc

    t = threading.Thread(target=run, daemon=True)
    t.start()
    t.join(timeout)
    if t.is_alive():
        raise AssertionError("call did not finish within %.1fs" % timeout)
    if "error" in box:
        raise box["error"]
    return box["value"]
'''

# ---------------------------------------------------------------- missing-initialization 003
CASES.append(dict(
id="py-missing-init-003", fault_class="missing-initialization", kind="semantic",
description="session_totals() re-initialises the totals dict inside the per-event loop, so only the last event survives (initialisation must move before the loop)",
module="sessions",
source=r'''
"""Session-duration accounting from login/logout events."""


def pair_sessions(events):
    """events: list of (ts, user, kind) with kind in {'login', 'logout'}.

    Returns a list of (user, start, end); unmatched logouts are ignored and
    sessions still open are closed at the last event timestamp.
    """
    open_at = {}
    sessions = []
    last_ts = None
    for ts, user, kind in sorted(events):
        last_ts = ts
        if kind == "login":
            open_at.setdefault(user, ts)
        elif kind == "logout" and user in open_at:
            sessions.append((user, open_at.pop(user), ts))
    for user, start in sorted(open_at.items()):
        sessions.append((user, start, last_ts))
    return sessions


def session_totals(events):
    """Total seconds online per user."""
    totals = {}
    for user, start, end in pair_sessions(events):
        totals[user] = totals.get(user, 0) + (end - start)
    return totals


def top_users(events, n=3):
    totals = session_totals(events)
    return sorted(totals, key=lambda u: (-totals[u], u))[:n]
''',
bug=[('''    totals = {}
    for user, start, end in pair_sessions(events):
        totals[user]''', '''    for user, start, end in pair_sessions(events):
        totals = {}
        totals[user]''')],
tests=r'''
import unittest

from app.sessions import pair_sessions, session_totals, top_users

EVENTS = [
    (100, "ann", "login"), (160, "ann", "logout"),
    (110, "bob", "login"), (400, "bob", "logout"),
    (500, "ann", "login"), (530, "ann", "logout"),
]


class SessionsTest(unittest.TestCase):
    def test_pairs(self):
        self.assertEqual(pair_sessions(EVENTS[:2]), [("ann", 100, 160)])

    def test_open_session_closed_at_end(self):
        self.assertEqual(pair_sessions([(1, "x", "login"), (9, "y", "logout")]), [("x", 1, 9)])

    def test_totals(self):
        self.assertEqual(session_totals(EVENTS), {"ann": 90, "bob": 290})


if __name__ == "__main__":
    unittest.main()
''',
oracle=r'''
import unittest

from app.sessions import session_totals, top_users


class OracleSessions(unittest.TestCase):
    def test_empty(self):
        self.assertEqual(session_totals([]), {})

    def test_many_users(self):
        ev = []
        for i, u in enumerate("abcd"):
            ev += [(i, u, "login"), (i + 10 * (i + 1), u, "logout")]
        self.assertEqual(session_totals(ev), {"a": 10, "b": 20, "c": 30, "d": 40})
        self.assertEqual(top_users(ev, 2), ["d", "c"])

    def test_same_user_sums(self):
        ev = [(0, "u", "login"), (5, "u", "logout"), (10, "u", "login"), (12, "u", "logout")]
        self.assertEqual(session_totals(ev), {"u": 7})


if __name__ == "__main__":
    unittest.main()
''',
))

# ---------------------------------------------------------------- api-misuse 001
CASES.append(dict(
id="py-api-misuse-001", fault_class="api-misuse", kind="syntactic",
description="leaderboard() assigns the result of list.sort() (None) and then iterates over it",
module="leaderboard",
source=r'''
"""Leaderboard for the weekly coding challenge."""


class Score:
    __slots__ = ("player", "points", "solved_at")

    def __init__(self, player, points, solved_at):
        self.player = player
        self.points = points
        self.solved_at = solved_at


def best_per_player(scores):
    best = {}
    for s in scores:
        cur = best.get(s.player)
        if cur is None or (s.points, -s.solved_at) > (cur.points, -cur.solved_at):
            best[s.player] = s
    return list(best.values())


def leaderboard(scores, limit=10):
    """Rank players by points (desc), earlier solve time breaking ties.

    Returns a list of (rank, player, points); equal (points, time) share a rank.
    """
    ranked = sorted(best_per_player(scores), key=lambda s: (-s.points, s.solved_at))
    out = []
    prev_key = None
    rank = 0
    for position, s in enumerate(ranked, start=1):
        key = (s.points, s.solved_at)
        if key != prev_key:
            rank = position
            prev_key = key
        out.append((rank, s.player, s.points))
    return out[:limit]


def player_rank(scores, player):
    for rank, name, _ in leaderboard(scores, limit=len(scores) or 1):
        if name == player:
            return rank
    return None
''',
bug=[("ranked = sorted(best_per_player(scores), key=lambda s: (-s.points, s.solved_at))",
      "ranked = best_per_player(scores).sort(key=lambda s: (-s.points, s.solved_at))")],
tests=r'''
import unittest

from app.leaderboard import Score, best_per_player, leaderboard, player_rank

SCORES = [Score("ann", 50, 10), Score("bob", 70, 30), Score("ann", 80, 40), Score("cy", 70, 20)]


class LeaderboardTest(unittest.TestCase):
    def test_best_per_player(self):
        best = {s.player: s.points for s in best_per_player(SCORES)}
        self.assertEqual(best, {"ann": 80, "bob": 70, "cy": 70})

    def test_leaderboard(self):
        self.assertEqual(leaderboard(SCORES), [(1, "ann", 80), (2, "cy", 70), (3, "bob", 70)])

    def test_player_rank(self):
        self.assertEqual(player_rank(SCORES, "bob"), 3)


if __name__ == "__main__":
    unittest.main()
''',
oracle=r'''
import unittest

from app.leaderboard import Score, leaderboard, player_rank


class OracleLeaderboard(unittest.TestCase):
    def test_shared_rank(self):
        scores = [Score("a", 10, 5), Score("b", 10, 5), Score("c", 5, 1)]
        self.assertEqual(leaderboard(scores), [(1, "a", 10), (1, "b", 10), (3, "c", 5)])

    def test_limit_and_empty(self):
        self.assertEqual(leaderboard([]), [])
        scores = [Score(str(i), i, 0) for i in range(20)]
        self.assertEqual([p for _, p, _ in leaderboard(scores, 3)], ["19", "18", "17"])

    def test_unknown_player(self):
        self.assertIsNone(player_rank([Score("a", 1, 1)], "zz"))


if __name__ == "__main__":
    unittest.main()
''',
evidence='''from app.leaderboard import Score, leaderboard; leaderboard([Score("ann", 50, 10), Score("bob", 70, 30)])''',
))

# ---------------------------------------------------------------- api-misuse 002
CASES.append(dict(
id="py-api-misuse-002", fault_class="api-misuse", kind="syntactic",
description="strip_prefix() uses str.lstrip(prefix), which strips a character set, instead of str.removeprefix, mangling paths like /api/pipelines",
module="mount",
source=r'''
"""Mount sub-applications under path prefixes (a tiny WSGI-style dispatcher)."""


def strip_prefix(path, prefix):
    """'/api/users' with prefix '/api' -> '/users'. Always returns an absolute path."""
    rest = path.removeprefix(prefix)
    if not rest.startswith("/"):
        rest = "/" + rest
    return rest


class Mounts:
    def __init__(self):
        self._mounts = []

    def mount(self, prefix, app):
        prefix = "/" + prefix.strip("/")
        self._mounts.append((prefix, app))
        self._mounts.sort(key=lambda m: len(m[0]), reverse=True)

    def _matches(self, prefix, path):
        return prefix == "/" or path == prefix or path.startswith(prefix + "/")

    def resolve(self, path):
        """Return (app, path_inside_app) for the longest matching prefix, or (None, path)."""
        for prefix, app in self._mounts:
            if self._matches(prefix, path):
                inner = path if prefix == "/" else strip_prefix(path, prefix)
                return app, inner
        return None, path

    def __call__(self, path):
        app, inner = self.resolve(path)
        if app is None:
            return 404, "no app mounted for " + path
        return app(inner)
''',
bug=[("rest = path.removeprefix(prefix)", "rest = path.lstrip(prefix)")],
tests=r'''
import unittest

from app.mount import Mounts, strip_prefix


def echo(name):
    return lambda inner: (200, name + ":" + inner)


class MountTest(unittest.TestCase):
    def setUp(self):
        self.m = Mounts()
        self.m.mount("/api", echo("api"))
        self.m.mount("/static/", echo("static"))

    def test_no_match(self):
        self.assertEqual(self.m("/other")[0], 404)

    def test_exact_prefix(self):
        self.assertEqual(self.m("/api"), (200, "api:/"))

    def test_static(self):
        self.assertEqual(self.m("/static/css/site.css"), (200, "static:/css/site.css"))

    def test_api_path_kept_intact(self):
        self.assertEqual(self.m("/api/pipelines/7"), (200, "api:/pipelines/7"))


if __name__ == "__main__":
    unittest.main()
''',
oracle=r'''
import unittest

from app.mount import Mounts, strip_prefix


class OracleMount(unittest.TestCase):
    def test_strip_prefix(self):
        self.assertEqual(strip_prefix("/api/pia", "/api"), "/pia")
        self.assertEqual(strip_prefix("/admin/dashboard", "/admin"), "/dashboard")
        self.assertEqual(strip_prefix("/v1/v1/x", "/v1"), "/v1/x")

    def test_longest_prefix(self):
        m = Mounts()
        m.mount("/", lambda p: (200, "root" + p))
        m.mount("/app", lambda p: (200, "app" + p))
        m.mount("/app/admin", lambda p: (200, "admin" + p))
        self.assertEqual(m("/app/admin/api"), (200, "admin/api"))
        self.assertEqual(m("/app/data"), (200, "app/data"))
        self.assertEqual(m("/application"), (200, "root/application"))


if __name__ == "__main__":
    unittest.main()
''',
))

# ---------------------------------------------------------------- api-misuse 003
CASES.append(dict(
id="py-api-misuse-003", fault_class="api-misuse", kind="syntactic",
description="AlertRule.matches() uses re.match (anchored at the start) instead of re.search, missing patterns that occur mid-line",
module="alerts",
source=r'''
"""Log-based alert rules for the on-call pager."""
import re


class AlertRule:
    def __init__(self, name, pattern, threshold=1, severity="warning"):
        self.name = name
        self.regex = re.compile(pattern)
        self.threshold = threshold
        self.severity = severity

    def matches(self, line):
        return self.regex.search(line) is not None


def evaluate(rules, lines):
    """Return fired alerts [(name, severity, count)] ordered by severity then name."""
    counts = {r.name: 0 for r in rules}
    for line in lines:
        for rule in rules:
            if rule.matches(line):
                counts[rule.name] += 1
    order = {"critical": 0, "warning": 1, "info": 2}
    fired = [(r.name, r.severity, counts[r.name]) for r in rules if counts[r.name] >= r.threshold]
    return sorted(fired, key=lambda a: (order.get(a[1], 9), a[0]))


def load_rules(spec):
    """spec: list of dicts with name/pattern and optional threshold/severity."""
    rules = []
    for item in spec:
        if "name" not in item or "pattern" not in item:
            raise ValueError("rule needs name and pattern")
        rules.append(AlertRule(item["name"], item["pattern"],
                               int(item.get("threshold", 1)), item.get("severity", "warning")))
    return rules
''',
bug=[("return self.regex.search(line) is not None", "return self.regex.match(line) is not None")],
tests=r'''
import unittest

from app.alerts import AlertRule, evaluate, load_rules

LINES = [
    "ERROR db: connection refused",
    "2024-01-01 12:00:00 ERROR cache: timeout",
    "INFO ok",
    "WARN disk 91% used",
]


class AlertsTest(unittest.TestCase):
    def test_load_rules_validation(self):
        with self.assertRaises(ValueError):
            load_rules([{"name": "x"}])

    def test_line_start_match(self):
        self.assertTrue(AlertRule("e", "ERROR").matches(LINES[0]))

    def test_evaluate(self):
        rules = load_rules([
            {"name": "errors", "pattern": r"ERROR", "threshold": 2, "severity": "critical"},
            {"name": "disk", "pattern": r"disk \d+%"},
        ])
        self.assertEqual(evaluate(rules, LINES), [("errors", "critical", 2), ("disk", "warning", 1)])


if __name__ == "__main__":
    unittest.main()
''',
oracle=r'''
import unittest

from app.alerts import AlertRule, evaluate, load_rules


class OracleAlerts(unittest.TestCase):
    def test_mid_line(self):
        r = AlertRule("oom", r"OutOfMemory")
        self.assertTrue(r.matches("java.lang.OutOfMemoryError: heap"))
        self.assertFalse(r.matches("all good"))

    def test_anchored_patterns_still_anchor(self):
        r = AlertRule("start", r"^PANIC")
        self.assertTrue(r.matches("PANIC now"))
        self.assertFalse(r.matches("no PANIC"))

    def test_threshold_not_reached(self):
        rules = load_rules([{"name": "t", "pattern": "timeout", "threshold": 3}])
        self.assertEqual(evaluate(rules, ["a timeout", "b timeout"]), [])
        self.assertEqual(evaluate(rules, ["x timeout"] * 3), [("t", "warning", 3)])


if __name__ == "__main__":
    unittest.main()
''',
))

# ---------------------------------------------------------------- resource-exhaustion 001
CASES.append(dict(
id="py-resource-001", fault_class="resource-exhaustion", kind="semantic",
description="Deduplicator.seen() never evicts request ids older than the window, so its table grows without bound",
module="dedupe",
source=r'''
"""Idempotency-key deduplication for the payments webhook."""
import time
from collections import OrderedDict


class Deduplicator:
    """Remembers request ids for `window` seconds."""

    def __init__(self, window=300.0, clock=time.monotonic):
        if window <= 0:
            raise ValueError("window must be positive")
        self.window = window
        self.clock = clock
        self._seen = OrderedDict()
        self.duplicates = 0

    def _evict(self, now):
        cutoff = now - self.window
        while self._seen:
            key, ts = next(iter(self._seen.items()))
            if ts > cutoff:
                break
            self._seen.popitem(last=False)

    def seen(self, request_id):
        """Return True if request_id was seen within the window; records it otherwise."""
        now = self.clock()
        self._evict(now)
        if request_id in self._seen:
            self.duplicates += 1
            return True
        self._seen[request_id] = now
        return False

    def __len__(self):
        return len(self._seen)


def process(events, dedupe, handler):
    handled = 0
    for event in events:
        if dedupe.seen(event["id"]):
            continue
        handler(event)
        handled += 1
    return handled
''',
bug=[('''        now = self.clock()
        self._evict(now)
        if request_id''', '''        now = self.clock()
        if request_id''')],
tests=r'''
import unittest

from app.dedupe import Deduplicator, process


class Clock:
    def __init__(self):
        self.t = 0.0

    def __call__(self):
        return self.t


class DedupeTest(unittest.TestCase):
    def test_duplicate_detected(self):
        d = Deduplicator(clock=Clock())
        self.assertFalse(d.seen("a"))
        self.assertTrue(d.seen("a"))
        self.assertEqual(d.duplicates, 1)

    def test_process(self):
        got = []
        n = process([{"id": 1}, {"id": 2}, {"id": 1}], Deduplicator(clock=Clock()), got.append)
        self.assertEqual(n, 2)

    def test_memory_is_bounded(self):
        clock = Clock()
        d = Deduplicator(window=10, clock=clock)
        for i in range(10000):
            clock.t = i
            d.seen("req-%d" % i)
        self.assertLessEqual(len(d), 11)


if __name__ == "__main__":
    unittest.main()
''',
oracle=r'''
import unittest

from app.dedupe import Deduplicator


class Clock:
    def __init__(self):
        self.t = 0.0

    def __call__(self):
        return self.t


class OracleDedupe(unittest.TestCase):
    def test_expired_id_accepted_again(self):
        clock = Clock()
        d = Deduplicator(window=5, clock=clock)
        d.seen("x")
        clock.t = 4.9
        self.assertTrue(d.seen("x"))
        clock.t = 5.0
        self.assertFalse(d.seen("x"))

    def test_bounded_under_load(self):
        clock = Clock()
        d = Deduplicator(window=2, clock=clock)
        for i in range(5000):
            clock.t = i / 10
            d.seen(i)
        self.assertLessEqual(len(d), 21)
        self.assertTrue(d.seen(4999))

    def test_invalid_window(self):
        with self.assertRaises(ValueError):
            Deduplicator(window=0)


if __name__ == "__main__":
    unittest.main()
''',
))

# ---------------------------------------------------------------- resource-exhaustion 002
CASES.append(dict(
id="py-resource-002", fault_class="resource-exhaustion", kind="semantic",
description="resolve() follows 'include' directives recursively without cycle detection, so mutually-including configs recurse until RecursionError (should raise ConfigError naming the cycle)",
module="includes",
source=r'''
"""Resolve `include:` directives in layered YAML-ish (dict) configuration sources."""


class ConfigError(Exception):
    pass


def merge(base, override):
    out = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = value
    return out


def resolve(name, sources, _stack=None):
    """sources: {name: dict}. A dict may list other source names under 'include';
    included sources are merged first, then the including source on top.
    A cycle of includes raises ConfigError."""
    stack = list(_stack or [])
    if name in stack:
        raise ConfigError("include cycle: " + " -> ".join(stack + [name]))
    if name not in sources:
        raise ConfigError("unknown config source %r" % name)
    stack.append(name)
    doc = dict(sources[name])
    result = {}
    for inc in doc.pop("include", []):
        result = merge(result, resolve(inc, sources, stack))
    return merge(result, doc)


def resolve_all(sources):
    """Resolve every source; returns ({name: config}, {name: error message})."""
    ok, errors = {}, {}
    for name in sorted(sources):
        try:
            ok[name] = resolve(name, sources)
        except ConfigError as exc:
            errors[name] = str(exc)
    return ok, errors
''',
bug=[('''def resolve(name, sources, _stack=None):''', '''def resolve(name, sources):'''),
     ('''    stack = list(_stack or [])
    if name in stack:
        raise ConfigError("include cycle: " + " -> ".join(stack + [name]))
    if name not in sources:''', '''    if name not in sources:'''),
     ('''    stack.append(name)
    doc = dict(sources[name])''', '''    doc = dict(sources[name])'''),
     ('''resolve(inc, sources, stack))''', '''resolve(inc, sources))''')],
tests=r'''
import unittest

from app.includes import resolve, resolve_all, ConfigError

SOURCES = {
    "base": {"log": {"level": "info"}, "port": 80},
    "prod": {"include": ["base"], "log": {"level": "warning"}},
    "edge": {"include": ["prod"], "port": 443},
}


class IncludesTest(unittest.TestCase):
    def test_chain(self):
        self.assertEqual(resolve("edge", SOURCES), {"log": {"level": "warning"}, "port": 443})

    def test_unknown(self):
        with self.assertRaises(ConfigError):
            resolve("nope", SOURCES)

    def test_cycle_reported(self):
        sources = dict(SOURCES, a={"include": ["b"]}, b={"include": ["a"]})
        ok, errors = resolve_all(sources)
        self.assertIn("edge", ok)
        self.assertIn("a", errors)


if __name__ == "__main__":
    unittest.main()
''',
oracle=r'''
import unittest

from app.includes import resolve, ConfigError


class OracleIncludes(unittest.TestCase):
    def test_self_include(self):
        with self.assertRaises(ConfigError) as cm:
            resolve("x", {"x": {"include": ["x"]}})
        self.assertIn("x -> x", str(cm.exception))

    def test_long_cycle(self):
        src = {"a": {"include": ["b"]}, "b": {"include": ["c"]}, "c": {"include": ["a"]}}
        with self.assertRaises(ConfigError) as cm:
            resolve("a", src)
        self.assertIn("a -> b -> c -> a", str(cm.exception))

    def test_diamond_is_not_a_cycle(self):
        src = {
            "common": {"x": 1},
            "l": {"include": ["common"], "l": True},
            "r": {"include": ["common"], "r": True},
            "top": {"include": ["l", "r"], "x": 2},
        }
        self.assertEqual(resolve("top", src), {"x": 2, "l": True, "r": True})

    def test_include_order(self):
        src = {"a": {"v": "a"}, "b": {"v": "b"}, "t": {"include": ["a", "b"]}}
        self.assertEqual(resolve("t", src), {"v": "b"})


if __name__ == "__main__":
    unittest.main()
''',
evidence='''from app.includes import resolve; resolve("a", {"a": {"include": ["b"]}, "b": {"include": ["a"]}})''',
))

# ---------------------------------------------------------------- resource-exhaustion 003
CASES.append(dict(
id="py-resource-003", fault_class="resource-exhaustion", kind="syntactic",
description="parse_user_agent() is memoised with functools.lru_cache(maxsize=None), an unbounded cache keyed by attacker-controlled strings",
module="useragent",
source=r'''
"""User-Agent classification for request analytics."""
import functools
import re

BOT_RE = re.compile(r"bot|crawler|spider|slurp|curl|wget", re.I)
BROWSERS = [
    ("edge", re.compile(r"Edg/(\d+)")),
    ("chrome", re.compile(r"Chrome/(\d+)")),
    ("firefox", re.compile(r"Firefox/(\d+)")),
    ("safari", re.compile(r"Version/(\d+).*Safari/")),
]
OS_HINTS = [("windows", "Windows NT"), ("android", "Android"), ("ios", "iPhone"), ("macos", "Mac OS X"), ("linux", "Linux")]

CACHE_SIZE = 1024


@functools.lru_cache(maxsize=CACHE_SIZE)
def parse_user_agent(ua):
    """Return a (kind, browser, major_version, os) tuple."""
    if not ua:
        return ("unknown", None, None, None)
    if BOT_RE.search(ua):
        return ("bot", None, None, None)
    browser, version = None, None
    for name, regex in BROWSERS:
        m = regex.search(ua)
        if m:
            browser, version = name, int(m.group(1))
            break
    os_name = next((name for name, hint in OS_HINTS if hint in ua), None)
    kind = "mobile" if os_name in ("android", "ios") else "desktop"
    return (kind, browser, version, os_name)


def tally(user_agents):
    counts = {}
    for ua in user_agents:
        kind, browser, _, _ = parse_user_agent(ua)
        key = "%s/%s" % (kind, browser or "-")
        counts[key] = counts.get(key, 0) + 1
    return counts
''',
bug=[("@functools.lru_cache(maxsize=CACHE_SIZE)", "@functools.lru_cache(maxsize=None)")],
tests=r'''
import unittest

from app.useragent import parse_user_agent, tally, CACHE_SIZE

CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36"
IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Version/17.0 Mobile Safari/604.1"


class UserAgentTest(unittest.TestCase):
    def test_chrome(self):
        self.assertEqual(parse_user_agent(CHROME), ("desktop", "chrome", 120, "windows"))

    def test_iphone(self):
        self.assertEqual(parse_user_agent(IPHONE), ("mobile", "safari", 17, "ios"))

    def test_bot(self):
        self.assertEqual(tally(["Googlebot/2.1", "", CHROME]), {"bot/-": 1, "unknown/-": 1, "desktop/chrome": 1})

    def test_cache_is_bounded(self):
        parse_user_agent.cache_clear()
        for i in range(3000):
            parse_user_agent("client-%d" % i)
        self.assertLessEqual(parse_user_agent.cache_info().currsize, CACHE_SIZE)


if __name__ == "__main__":
    unittest.main()
''',
oracle=r'''
import unittest

from app.useragent import parse_user_agent, CACHE_SIZE


class OracleUserAgent(unittest.TestCase):
    def test_bounded(self):
        parse_user_agent.cache_clear()
        for i in range(CACHE_SIZE * 3):
            parse_user_agent("Mozilla/5.0 Firefox/%d" % i)
        info = parse_user_agent.cache_info()
        self.assertIsNotNone(info.maxsize)
        self.assertLessEqual(info.currsize, CACHE_SIZE)

    def test_still_caches(self):
        parse_user_agent.cache_clear()
        parse_user_agent("curl/8.0")
        parse_user_agent("curl/8.0")
        self.assertEqual(parse_user_agent.cache_info().hits, 1)

    def test_edge_before_chrome(self):
        ua = "Mozilla/5.0 (Windows NT 10.0) Chrome/120.0 Safari/537.36 Edg/120.0"
        self.assertEqual(parse_user_agent(ua)[1:3], ("edge", 120))


if __name__ == "__main__":
    unittest.main()
''',
))

# ---------------------------------------------------------------- infinite-loop 001
CASES.append(dict(
id="py-inf-loop-001", fault_class="infinite-loop", kind="syntactic",
description="first_at_or_after() binary search sets lo = mid instead of mid + 1, so the loop stops making progress",
module="timeindex",
source=r'''
"""Time index over sorted log offsets, used to seek into large log files."""


class TimeIndex:
    def __init__(self):
        self.times = []
        self.offsets = []

    def add(self, ts, offset):
        if self.times and ts < self.times[-1]:
            raise ValueError("timestamps must be non-decreasing")
        self.times.append(ts)
        self.offsets.append(offset)

    def first_at_or_after(self, ts):
        """Index of the first entry with time >= ts (len(times) if none)."""
        lo, hi = 0, len(self.times)
        while lo < hi:
            mid = (lo + hi) // 2
            if self.times[mid] < ts:
                lo = mid + 1
            else:
                hi = mid
        return lo

    def seek(self, ts):
        """Byte offset to start reading from to see every entry >= ts, or None."""
        i = self.first_at_or_after(ts)
        if i == len(self.times):
            return None
        return self.offsets[i]

    def window(self, start, end):
        """(first_offset, count) for entries with start <= time < end."""
        i = self.first_at_or_after(start)
        j = self.first_at_or_after(end)
        if i >= j:
            return None, 0
        return self.offsets[i], j - i
''',
bug=[("                lo = mid + 1", "                lo = mid")],
tests=r'''
import threading
import unittest

from app.timeindex import TimeIndex
''' + TIMEOUT_HELPER + r'''

def build():
    idx = TimeIndex()
    for i, t in enumerate([10, 20, 20, 30, 45]):
        idx.add(t, i * 100)
    return idx


class TimeIndexTest(unittest.TestCase):
    def test_order_enforced(self):
        idx = TimeIndex()
        idx.add(5, 0)
        with self.assertRaises(ValueError):
            idx.add(4, 10)

    def test_seek_before_everything(self):
        self.assertEqual(call_with_timeout(build().seek, 0), 0)

    def test_seek_middle(self):
        self.assertEqual(call_with_timeout(build().seek, 20), 100)


if __name__ == "__main__":
    unittest.main()
''',
oracle=r'''
import threading
import unittest

from app.timeindex import TimeIndex
''' + TIMEOUT_HELPER + r'''

def build(times):
    idx = TimeIndex()
    for i, t in enumerate(times):
        idx.add(t, i)
    return idx


class OracleTimeIndex(unittest.TestCase):
    def test_exhaustive(self):
        times = [1, 3, 3, 3, 7, 9, 12]
        idx = build(times)
        for q in range(0, 15):
            expected = next((i for i, t in enumerate(times) if t >= q), len(times))
            self.assertEqual(call_with_timeout(idx.first_at_or_after, q), expected, q)

    def test_after_end_and_empty(self):
        self.assertIsNone(call_with_timeout(build([1, 2]).seek, 3))
        self.assertIsNone(call_with_timeout(build([]).seek, 3))

    def test_window(self):
        self.assertEqual(call_with_timeout(build([1, 2, 2, 5]).window, 2, 5), (1, 2))


if __name__ == "__main__":
    unittest.main()
''',
))

# ---------------------------------------------------------------- infinite-loop 002
CASES.append(dict(
id="py-inf-loop-002", fault_class="infinite-loop", kind="semantic",
description="wrap() never consumes a word longer than the line width (it only flushes the empty line and retries), looping forever",
module="wrap",
source=r'''
"""Plain-text wrapping for notification e-mails and CLI output."""


def wrap(text, width=72):
    """Greedy word wrap. Words longer than `width` are hard-split."""
    if width < 1:
        raise ValueError("width must be >= 1")
    words = text.split()
    lines = []
    current = ""
    i = 0
    while i < len(words):
        word = words[i]
        if not current:
            if len(word) > width:
                lines.append(word[:width])
                words[i] = word[width:]
                continue
            current = word
            i += 1
        elif len(current) + 1 + len(word) <= width:
            current += " " + word
            i += 1
        else:
            lines.append(current)
            current = ""
    if current:
        lines.append(current)
    return lines


def indent(lines, prefix="    "):
    return [prefix + l if l else l for l in lines]


def format_paragraphs(text, width=72):
    out = []
    for para in text.split("\n\n"):
        if out:
            out.append("")
        out.extend(wrap(para, width))
    return "\n".join(out)
''',
bug=[('''        if not current:
            if len(word) > width:
                lines.append(word[:width])
                words[i] = word[width:]
                continue
            current = word
            i += 1
        elif len(current) + 1 + len(word) <= width:''', '''        if len(current) + len(word) + (1 if current else 0) <= width:
            current = current + " " + word if current else word
            i += 1
        elif len(current) + 1 + len(word) <= width:''')],
tests=r'''
import threading
import unittest

from app.wrap import wrap, format_paragraphs
''' + TIMEOUT_HELPER + r'''

class WrapTest(unittest.TestCase):
    def test_basic(self):
        self.assertEqual(call_with_timeout(wrap, "the quick brown fox jumps", 10), ["the quick", "brown fox", "jumps"])

    def test_invalid_width(self):
        with self.assertRaises(ValueError):
            wrap("x", 0)

    def test_paragraphs(self):
        self.assertEqual(call_with_timeout(format_paragraphs, "a b\n\nc", 10), "a b\n\nc")

    def test_long_word(self):
        self.assertEqual(call_with_timeout(wrap, "see https://example.com/x", 10), ["see", "https://ex", "ample.com/", "x"])


if __name__ == "__main__":
    unittest.main()
''',
oracle=r'''
import threading
import unittest

from app.wrap import wrap
''' + TIMEOUT_HELPER + r'''

class OracleWrap(unittest.TestCase):
    def test_exact_width_word(self):
        self.assertEqual(call_with_timeout(wrap, "abcde fg", 5), ["abcde", "fg"])

    def test_width_one(self):
        self.assertEqual(call_with_timeout(wrap, "ab c", 1), ["a", "b", "c"])

    def test_long_word_in_middle(self):
        self.assertEqual(call_with_timeout(wrap, "a bcdefgh i", 3), ["a", "bcd", "efg", "h i"])

    def test_empty(self):
        self.assertEqual(call_with_timeout(wrap, "   ", 4), [])


if __name__ == "__main__":
    unittest.main()
''',
))

# ---------------------------------------------------------------- infinite-loop 003
CASES.append(dict(
id="py-inf-loop-003", fault_class="infinite-loop", kind="semantic",
description="split_command() handles a backslash escape without advancing the index, so any escaped character loops forever",
module="cmdline",
source=r'''
"""Split job command lines (shell-like quoting, no expansion) for the task runner."""


class QuoteError(ValueError):
    pass


def split_command(s):
    """'run --name "a b" it\\'s' -> ['run', '--name', 'a b', "it's"]"""
    args = []
    cur = []
    have_token = False
    quote = None
    i = 0
    n = len(s)
    while i < n:
        c = s[i]
        if c == "\\" and quote != "'" and i + 1 < n:
            cur.append(s[i + 1])
            have_token = True
            i += 2
            continue
        if quote:
            if c == quote:
                quote = None
            else:
                cur.append(c)
        elif c in "\"'":
            quote = c
            have_token = True
        elif c.isspace():
            if have_token:
                args.append("".join(cur))
                cur, have_token = [], False
        else:
            cur.append(c)
            have_token = True
        i += 1
    if quote:
        raise QuoteError("unterminated %s quote" % quote)
    if have_token:
        args.append("".join(cur))
    return args


def join_command(args):
    out = []
    for a in args:
        if a and all(ch.isalnum() or ch in "-_./=:" for ch in a):
            out.append(a)
        else:
            out.append("'" + a.replace("'", "'\"'\"'") + "'")
    return " ".join(out)
''',
bug=[('''            have_token = True
            i += 2
            continue''', '''            have_token = True
            continue''')],
tests=r'''
import threading
import unittest

from app.cmdline import split_command, join_command, QuoteError
''' + TIMEOUT_HELPER + r'''

class CmdlineTest(unittest.TestCase):
    def test_quotes(self):
        self.assertEqual(call_with_timeout(split_command, 'run --name "a b" x'), ["run", "--name", "a b", "x"])

    def test_unterminated(self):
        with self.assertRaises(QuoteError):
            call_with_timeout(split_command, "echo 'oops")

    def test_join(self):
        self.assertEqual(join_command(["echo", "a b", ""]), "echo 'a b' ''")

    def test_escaped_space(self):
        self.assertEqual(call_with_timeout(split_command, r"cp my\ file /tmp"), ["cp", "my file", "/tmp"])


if __name__ == "__main__":
    unittest.main()
''',
oracle=r'''
import threading
import unittest

from app.cmdline import split_command, join_command
''' + TIMEOUT_HELPER + r'''

class OracleCmdline(unittest.TestCase):
    def test_escapes(self):
        self.assertEqual(call_with_timeout(split_command, r'a\"b "c\"d" \\'), ['a"b', 'c"d', "\\"])

    def test_single_quotes_literal(self):
        self.assertEqual(call_with_timeout(split_command, r"'a\b' c"), ["a\\b", "c"])

    def test_trailing_backslash(self):
        self.assertEqual(call_with_timeout(split_command, "x \\"), ["x", "\\"])

    def test_roundtrip(self):
        args = ["run", "it's", "a b", "", "--x=1"]
        self.assertEqual(call_with_timeout(split_command, join_command(args)), args)


if __name__ == "__main__":
    unittest.main()
''',
))

# ---------------------------------------------------------------- off-by-one 004
CASES.append(dict(
id="py-off-by-one-004", fault_class="off-by-one", kind="semantic",
description="percentile() computes the nearest-rank index as int(p/100*n) instead of ceil(p/100*n)-1, returning the next-higher sample (and IndexError at p=100)",
module="percentile",
source=r'''
"""Latency percentiles (nearest-rank method) for the SLO report."""
import math


def percentile(values, p):
    """Nearest-rank percentile: the smallest value such that at least p% of the
    data is <= it. p in (0, 100]."""
    if not values:
        raise ValueError("no data")
    if not 0 < p <= 100:
        raise ValueError("p must be in (0, 100]")
    ordered = sorted(values)
    rank = math.ceil(p / 100 * len(ordered))
    return ordered[rank - 1]


def summary(values, points=(50, 90, 99)):
    return {"p%g" % p: percentile(values, p) for p in points}


def slo_met(values, p, threshold_ms):
    """True if the p-th percentile latency is within the threshold."""
    return percentile(values, p) <= threshold_ms


def error_budget(values, threshold_ms, target=99.0):
    """Fraction of the error budget consumed: slow requests / allowed slow requests."""
    if not values:
        return 0.0
    slow = sum(1 for v in values if v > threshold_ms)
    allowed = len(values) * (100 - target) / 100
    if allowed == 0:
        return float("inf") if slow else 0.0
    return round(slow / allowed, 3)
''',
bug=[('''    rank = math.ceil(p / 100 * len(ordered))
    return ordered[rank - 1]''', '''    rank = int(p / 100 * len(ordered))
    return ordered[rank]''')],
tests=r'''
import unittest

from app.percentile import percentile, summary, slo_met, error_budget


class PercentileTest(unittest.TestCase):
    def test_validation(self):
        with self.assertRaises(ValueError):
            percentile([], 50)
        with self.assertRaises(ValueError):
            percentile([1], 0)

    def test_error_budget(self):
        self.assertEqual(error_budget([10] * 99 + [500], 100, target=99.0), 1.0)

    def test_median_of_four(self):
        self.assertEqual(percentile([40, 10, 30, 20], 50), 20)

    def test_p100_is_max(self):
        self.assertEqual(percentile([5, 1, 9], 100), 9)


if __name__ == "__main__":
    unittest.main()
''',
oracle=r'''
import math
import unittest

from app.percentile import percentile, summary, slo_met


class OraclePercentile(unittest.TestCase):
    def test_against_definition(self):
        data = [15, 20, 35, 40, 50]
        self.assertEqual([percentile(data, p) for p in (5, 30, 40, 50, 100)], [15, 20, 20, 35, 50])

    def test_many(self):
        data = list(range(1, 101))
        for p in (1, 25, 50, 90, 99, 100):
            self.assertEqual(percentile(data, p), p)
        self.assertEqual(percentile(list(range(1, 11)), 95), 10)

    def test_summary_and_slo(self):
        data = list(range(1, 1001))
        self.assertEqual(summary(data), {"p50": 500, "p90": 900, "p99": 990})
        self.assertTrue(slo_met(data, 99, 990))
        self.assertFalse(slo_met(data, 99, 989))


if __name__ == "__main__":
    unittest.main()
''',
evidence='''from app.percentile import percentile; percentile([5, 1, 9], 100)''',
))
