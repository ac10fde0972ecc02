CASES = []

# ---------------------------------------------------------------- wrong-operator 002
CASES.append(dict(
id="py-wrong-op-002", fault_class="wrong-operator", kind="syntactic",
description="to_cents() divides the amount by 100 instead of multiplying, so prices are stored 10000x too small",
module="money",
source=r'''
"""Money helpers for the checkout service. Amounts are stored as integer cents."""
from decimal import Decimal, ROUND_HALF_UP

CURRENCIES = {"EUR": "\u20ac", "USD": "$", "GBP": "\u00a3"}


def to_cents(amount):
    """Convert a decimal amount (str, int or Decimal) to integer cents, rounding half up."""
    value = Decimal(str(amount))
    cents = (value * 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    return int(cents)


def from_cents(cents):
    return (Decimal(cents) / 100).quantize(Decimal("0.01"))


def format_money(cents, currency="EUR"):
    symbol = CURRENCIES.get(currency)
    if symbol is None:
        raise ValueError("unsupported currency %s" % currency)
    sign = "-" if cents < 0 else ""
    whole, frac = divmod(abs(cents), 100)
    return "%s%s%s.%02d" % (sign, symbol, "{:,}".format(whole), frac)


def split_evenly(cents, parts):
    """Split an amount into `parts` integer shares that sum to the original."""
    if parts < 1:
        raise ValueError("parts must be >= 1")
    base, rest = divmod(cents, parts)
    return [base + (1 if i < rest else 0) for i in range(parts)]


def apply_discount(cents, percent):
    if not 0 <= percent <= 100:
        raise ValueError("percent out of range")
    off = (Decimal(cents) * Decimal(str(percent)) / 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    return cents - int(off)


def cart_total(lines):
    """lines: iterable of (unit_price_str, quantity)."""
    return sum(to_cents(price) * qty for price, qty in lines)
''',
bug=[("cents = (value * 100).quantize", "cents = (value / 100).quantize")],
tests=r'''
import unittest

from app.money import to_cents, format_money, split_evenly, apply_discount, cart_total


class MoneyTest(unittest.TestCase):
    def test_format(self):
        self.assertEqual(format_money(123456), "\u20ac1,234.56")
        self.assertEqual(format_money(-5, "USD"), "-$0.05")

    def test_split(self):
        self.assertEqual(split_evenly(100, 3), [34, 33, 33])

    def test_discount(self):
        self.assertEqual(apply_discount(1999, 10), 1799)

    def test_to_cents(self):
        self.assertEqual(to_cents("19.99"), 1999)

    def test_cart_total(self):
        self.assertEqual(cart_total([("2.50", 2), ("0.99", 1)]), 599)


if __name__ == "__main__":
    unittest.main()
''',
oracle=r'''
import unittest
from decimal import Decimal

from app.money import to_cents, from_cents, cart_total


class OracleMoney(unittest.TestCase):
    def test_rounding_half_up(self):
        self.assertEqual(to_cents("0.005"), 1)
        self.assertEqual(to_cents("1.234"), 123)
        self.assertEqual(to_cents(Decimal("2.675")), 268)

    def test_ints_and_negatives(self):
        self.assertEqual(to_cents(7), 700)
        self.assertEqual(to_cents("-3.10"), -310)

    def test_roundtrip(self):
        for c in (0, 1, 99, 12345):
            self.assertEqual(to_cents(from_cents(c)), c)

    def test_cart(self):
        self.assertEqual(cart_total([("10", 3)]), 3000)


if __name__ == "__main__":
    unittest.main()
''',
))

# ---------------------------------------------------------------- wrong-operator 003
CASES.append(dict(
id="py-wrong-op-003", fault_class="wrong-operator", kind="syntactic",
description="RateLimiter.allow() compares with <= so a client gets limit+1 requests per window",
module="ratelimit",
source=r'''
"""Fixed-window rate limiter keyed by client id."""
import time


class RateLimiter:
    def __init__(self, limit, window=60.0, clock=time.monotonic):
        if limit < 1:
            raise ValueError("limit must be >= 1")
        self.limit = limit
        self.window = window
        self.clock = clock
        self._windows = {}

    def _bucket(self, client):
        now = self.clock()
        start = now - (now % self.window)
        current = self._windows.get(client)
        if current is None or current[0] != start:
            current = [start, 0]
            self._windows[client] = current
        return current

    def allow(self, client):
        bucket = self._bucket(client)
        if bucket[1] < self.limit:
            bucket[1] += 1
            return True
        return False

    def remaining(self, client):
        bucket = self._bucket(client)
        return max(0, self.limit - bucket[1])

    def retry_after(self, client):
        bucket = self._bucket(client)
        if bucket[1] < self.limit:
            return 0.0
        return bucket[0] + self.window - self.clock()

    def headers(self, client):
        return {
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(self.remaining(client)),
        }
''',
bug=[('''        bucket = self._bucket(client)
        if bucket[1] < self.limit:
            bucket[1] += 1''', '''        bucket = self._bucket(client)
        if bucket[1] <= self.limit:
            bucket[1] += 1''')],
tests=r'''
import unittest

from app.ratelimit import RateLimiter


class Clock:
    def __init__(self, t=0.0):
        self.t = t

    def __call__(self):
        return self.t


class RateLimiterTest(unittest.TestCase):
    def test_invalid(self):
        with self.assertRaises(ValueError):
            RateLimiter(0)

    def test_headers(self):
        rl = RateLimiter(5, clock=Clock())
        rl.allow("a")
        self.assertEqual(rl.headers("a"), {"X-RateLimit-Limit": "5", "X-RateLimit-Remaining": "4"})

    def test_limit_enforced(self):
        rl = RateLimiter(3, clock=Clock())
        results = [rl.allow("a") for _ in range(4)]
        self.assertEqual(results, [True, True, True, False])


if __name__ == "__main__":
    unittest.main()
''',
oracle=r'''
import unittest

from app.ratelimit import RateLimiter


class Clock:
    def __init__(self, t=0.0):
        self.t = t

    def __call__(self):
        return self.t


class OracleRateLimiter(unittest.TestCase):
    def test_limit_one(self):
        rl = RateLimiter(1, window=10, clock=Clock())
        self.assertTrue(rl.allow("x"))
        self.assertFalse(rl.allow("x"))
        self.assertTrue(rl.allow("y"))

    def test_window_reset_and_retry_after(self):
        clock = Clock(3.0)
        rl = RateLimiter(2, window=10, clock=clock)
        self.assertTrue(rl.allow("c"))
        self.assertTrue(rl.allow("c"))
        self.assertFalse(rl.allow("c"))
        self.assertEqual(rl.retry_after("c"), 7.0)
        self.assertEqual(rl.remaining("c"), 0)
        clock.t = 10.0
        self.assertTrue(rl.allow("c"))


if __name__ == "__main__":
    unittest.main()
''',
))

# ---------------------------------------------------------------- negated-condition 001
CASES.append(dict(
id="py-negated-001", fault_class="negated-condition", kind="syntactic",
description="parse_query() drops blank values when keep_blank is True and keeps them when it is False (condition inverted)",
module="querystring",
source=r'''
"""Query-string decoding for the search API."""
from urllib.parse import unquote_plus


def parse_query(qs, keep_blank=False, max_params=100):
    """Decode 'a=1&b=2&a=3' into {'a': ['1', '3'], 'b': ['2']}."""
    if qs.startswith("?"):
        qs = qs[1:]
    result = {}
    count = 0
    for pair in qs.split("&"):
        if not pair:
            continue
        count += 1
        if count > max_params:
            raise ValueError("too many query parameters")
        key, _, value = pair.partition("=")
        key = unquote_plus(key)
        value = unquote_plus(value)
        if not value and not keep_blank:
            continue
        result.setdefault(key, []).append(value)
    return result


def first(params, key, default=None):
    values = params.get(key)
    return values[0] if values else default


def get_int(params, key, default):
    raw = first(params, key)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        return default


def build_query(params):
    from urllib.parse import quote_plus
    parts = []
    for key in sorted(params):
        for value in params[key]:
            parts.append("%s=%s" % (quote_plus(key), quote_plus(value)))
    return "&".join(parts)
''',
bug=[("if not value and not keep_blank:", "if not value and keep_blank:")],
tests=r'''
import unittest

from app.querystring import parse_query, first, get_int, build_query


class QueryTest(unittest.TestCase):
    def test_multi(self):
        self.assertEqual(parse_query("?a=1&b=x+y&a=3"), {"a": ["1", "3"], "b": ["x y"]})

    def test_too_many(self):
        with self.assertRaises(ValueError):
            parse_query("&".join("k%d=1" % i for i in range(5)), max_params=4)

    def test_get_int(self):
        p = parse_query("page=3&size=abc")
        self.assertEqual(get_int(p, "page", 1), 3)
        self.assertEqual(get_int(p, "size", 20), 20)

    def test_blank_dropped_by_default(self):
        self.assertEqual(parse_query("q=&sort=asc"), {"sort": ["asc"]})

    def test_build(self):
        self.assertEqual(build_query({"b": ["2"], "a": ["x y"]}), "a=x+y&b=2")


if __name__ == "__main__":
    unittest.main()
''',
oracle=r'''
import unittest

from app.querystring import parse_query, first


class OracleQuery(unittest.TestCase):
    def test_keep_blank(self):
        self.assertEqual(parse_query("q=&x=1&flag", keep_blank=True), {"q": [""], "x": ["1"], "flag": [""]})

    def test_default_drops_blank(self):
        self.assertEqual(parse_query("q=&flag&x=%20"), {"x": [" "]})

    def test_first(self):
        p = parse_query("a=1&a=2")
        self.assertEqual(first(p, "a"), "1")
        self.assertEqual(first(p, "zz", "d"), "d")

    def test_empty(self):
        self.assertEqual(parse_query(""), {})
        self.assertEqual(parse_query("?&&"), {})


if __name__ == "__main__":
    unittest.main()
''',
))

# ---------------------------------------------------------------- negated-condition 002
CASES.append(dict(
id="py-negated-002", fault_class="negated-condition", kind="syntactic",
description="should_retry() retries when the status is NOT in the retryable set instead of when it is",
module="retry",
source=r'''
"""Retry policy with exponential backoff for outbound HTTP calls."""
import random

RETRYABLE_STATUS = {408, 429, 500, 502, 503, 504}


class RetryPolicy:
    def __init__(self, max_attempts=4, base=0.2, cap=5.0, jitter=0.0, rng=None):
        self.max_attempts = max_attempts
        self.base = base
        self.cap = cap
        self.jitter = jitter
        self.rng = rng or random.Random(0)

    def should_retry(self, attempt, status=None, error=None):
        """attempt is 1-based: the number of attempts already made."""
        if attempt >= self.max_attempts:
            return False
        if error is not None:
            return isinstance(error, (ConnectionError, TimeoutError))
        return status in RETRYABLE_STATUS

    def delay(self, attempt):
        d = min(self.cap, self.base * (2 ** (attempt - 1)))
        if self.jitter:
            d += self.rng.uniform(0, self.jitter)
        return d


def call_with_retry(fn, policy, sleep):
    """fn() returns a status code or raises; returns (status, attempts)."""
    attempt = 0
    while True:
        attempt += 1
        try:
            status = fn()
            error = None
        except Exception as exc:
            status, error = None, exc
        if not policy.should_retry(attempt, status, error):
            if error is not None:
                raise error
            return status, attempt
        sleep(policy.delay(attempt))
''',
bug=[("        return status in RETRYABLE_STATUS", "        return status not in RETRYABLE_STATUS")],
tests=r'''
import unittest

from app.retry import RetryPolicy, call_with_retry


class RetryTest(unittest.TestCase):
    def test_delay_backoff(self):
        p = RetryPolicy(base=1, cap=5)
        self.assertEqual([p.delay(n) for n in (1, 2, 3, 4)], [1, 2, 4, 5])

    def test_connection_error_retried(self):
        p = RetryPolicy()
        self.assertTrue(p.should_retry(1, error=ConnectionError()))
        self.assertFalse(p.should_retry(1, error=ValueError()))

    def test_success_first_try(self):
        sleeps = []
        self.assertEqual(call_with_retry(lambda: 200, RetryPolicy(), sleeps.append), (200, 1))
        self.assertEqual(sleeps, [])

    def test_retries_503(self):
        codes = iter([503, 503, 200])
        sleeps = []
        self.assertEqual(call_with_retry(lambda: next(codes), RetryPolicy(base=1), sleeps.append), (200, 3))
        self.assertEqual(sleeps, [1, 2])


if __name__ == "__main__":
    unittest.main()
''',
oracle=r'''
import unittest

from app.retry import RetryPolicy, call_with_retry


class OracleRetry(unittest.TestCase):
    def test_status_matrix(self):
        p = RetryPolicy()
        for s in (408, 429, 500, 502, 503, 504):
            self.assertTrue(p.should_retry(1, s), s)
        for s in (200, 201, 301, 400, 401, 404, 501):
            self.assertFalse(p.should_retry(1, s), s)

    def test_gives_up(self):
        sleeps = []
        self.assertEqual(call_with_retry(lambda: 500, RetryPolicy(max_attempts=3, base=1), sleeps.append), (500, 3))
        self.assertEqual(sleeps, [1, 2])

    def test_client_error_not_retried(self):
        self.assertEqual(call_with_retry(lambda: 404, RetryPolicy(), lambda s: None), (404, 1))


if __name__ == "__main__":
    unittest.main()
''',
))

# ---------------------------------------------------------------- negated-condition 003
CASES.append(dict(
id="py-negated-003", fault_class="negated-condition", kind="syntactic",
description="visible_entries() hides entries whose level is at or above the threshold instead of those below it",
module="loglevel",
source=r'''
"""Structured log filtering for the log-shipping sidecar."""
import json

LEVELS = {"trace": 5, "debug": 10, "info": 20, "warning": 30, "error": 40, "critical": 50}
ALIASES = {"warn": "warning", "err": "error", "fatal": "critical"}


def normalize_level(name):
    name = (name or "info").strip().lower()
    name = ALIASES.get(name, name)
    if name not in LEVELS:
        raise ValueError("unknown level %r" % name)
    return name


def parse_entry(line):
    """Parse a JSON log line; non-JSON lines become info-level messages."""
    line = line.strip()
    try:
        data = json.loads(line)
        if not isinstance(data, dict):
            raise ValueError
    except ValueError:
        return {"level": "info", "msg": line}
    data["level"] = normalize_level(data.get("level"))
    return data


def visible_entries(lines, threshold="info"):
    floor = LEVELS[normalize_level(threshold)]
    out = []
    for line in lines:
        if not line.strip():
            continue
        entry = parse_entry(line)
        if LEVELS[entry["level"]] < floor:
            continue
        out.append(entry)
    return out


def count_by_level(entries):
    counts = {}
    for e in entries:
        counts[e["level"]] = counts.get(e["level"], 0) + 1
    return counts
''',
bug=[('if LEVELS[entry["level"]] < floor:', 'if not LEVELS[entry["level"]] < floor:')],
tests=r'''
import unittest

from app.loglevel import normalize_level, parse_entry, visible_entries, count_by_level

LINES = [
    '{"level": "debug", "msg": "cache miss"}',
    '{"level": "WARN", "msg": "slow"}',
    'plain text line',
    '{"level": "error", "msg": "boom"}',
]


class LogLevelTest(unittest.TestCase):
    def test_normalize(self):
        self.assertEqual(normalize_level("Fatal"), "critical")
        with self.assertRaises(ValueError):
            normalize_level("loud")

    def test_parse_plain(self):
        self.assertEqual(parse_entry("hello"), {"level": "info", "msg": "hello"})

    def test_filter_warning(self):
        msgs = [e["msg"] for e in visible_entries(LINES, "warning")]
        self.assertEqual(msgs, ["slow", "boom"])


if __name__ == "__main__":
    unittest.main()
''',
oracle=r'''
import unittest

from app.loglevel import visible_entries, count_by_level

LINES = [
    '{"level": "trace", "msg": "t"}',
    '{"level": "info", "msg": "i"}',
    '',
    '{"level": "critical", "msg": "c"}',
    '[1, 2]',
]


class OracleLogLevel(unittest.TestCase):
    def test_default_threshold(self):
        self.assertEqual([e["msg"] for e in visible_entries(LINES)], ["i", "c", "[1, 2]"])

    def test_trace_shows_all(self):
        self.assertEqual(len(visible_entries(LINES, "trace")), 4)

    def test_counts(self):
        self.assertEqual(count_by_level(visible_entries(LINES, "error")), {"critical": 1})


if __name__ == "__main__":
    unittest.main()
''',
))

# ---------------------------------------------------------------- missing-condition 001
CASES.append(dict(
id="py-missing-cond-001", fault_class="missing-condition", kind="semantic",
description="normalize_path() pops the segment stack on '..' without checking it is non-empty, crashing on paths that climb above the root",
module="paths",
source=r'''
"""URL path normalisation for the static file server."""

MAX_SEGMENTS = 64


def normalize_path(path):
    """Collapse '.', '..' and duplicate slashes. '..' never climbs above '/'."""
    if not path.startswith("/"):
        path = "/" + path
    stack = []
    for seg in path.split("/"):
        if seg in ("", "."):
            continue
        if seg == "..":
            if stack:
                stack.pop()
            continue
        stack.append(seg)
        if len(stack) > MAX_SEGMENTS:
            raise ValueError("path too deep")
    trailing = path.endswith("/") and bool(stack)
    return "/" + "/".join(stack) + ("/" if trailing else "")


def is_under(root, path):
    root = normalize_path(root).rstrip("/") + "/"
    return (normalize_path(path).rstrip("/") + "/").startswith(root)


def resolve(root, request_path):
    """Map a request path to a file path under root; None if it escapes."""
    rel = normalize_path(request_path).lstrip("/")
    full = root.rstrip("/") + "/" + rel
    if not is_under(root, full):
        return None
    return full


def split_ext(path):
    name = path.rsplit("/", 1)[-1]
    if "." not in name.strip("."):
        return path, ""
    base, ext = path.rsplit(".", 1)
    return base, "." + ext.lower()
''',
bug=[('''        if seg == "..":
            if stack:
                stack.pop()
            continue''', '''        if seg == "..":
            stack.pop()
            continue''')],
tests=r'''
import unittest

from app.paths import normalize_path, resolve, split_ext


class PathsTest(unittest.TestCase):
    def test_collapse(self):
        self.assertEqual(normalize_path("/a//b/./c/../d"), "/a/b/d")

    def test_trailing_slash(self):
        self.assertEqual(normalize_path("a/b/"), "/a/b/")

    def test_split_ext(self):
        self.assertEqual(split_ext("/x/y.TAR"), ("/x/y", ".tar"))
        self.assertEqual(split_ext("/x/.bashrc"), ("/x/.bashrc", ""))

    def test_resolve_traversal_stays_inside(self):
        self.assertEqual(resolve("/srv/www", "/../../etc/passwd"), "/srv/www/etc/passwd")


if __name__ == "__main__":
    unittest.main()
''',
oracle=r'''
import unittest

from app.paths import normalize_path, resolve, is_under


class OraclePaths(unittest.TestCase):
    def test_above_root(self):
        self.assertEqual(normalize_path("/.."), "/")
        self.assertEqual(normalize_path("../../x"), "/x")
        self.assertEqual(normalize_path("/a/../../b/"), "/b/")

    def test_plain(self):
        self.assertEqual(normalize_path("/"), "/")
        self.assertEqual(normalize_path("/a/b/.."), "/a")

    def test_resolve(self):
        self.assertEqual(resolve("/srv", "/img/../logo.png"), "/srv/logo.png")
        self.assertTrue(is_under("/srv", "/srv/a/../b"))
        self.assertFalse(is_under("/srv", "/srv2/x"))

    def test_too_deep(self):
        with self.assertRaises(ValueError):
            normalize_path("/" + "/".join(["d"] * 70))


if __name__ == "__main__":
    unittest.main()
''',
evidence='''from app.paths import resolve; resolve("/srv/www", "/../../etc/passwd")''',
))

# ---------------------------------------------------------------- missing-condition 002
CASES.append(dict(
id="py-missing-cond-002", fault_class="missing-condition", kind="semantic",
description="render() looks up every {{placeholder}} in the context without a branch for unknown names, raising KeyError instead of leaving them untouched",
module="template",
source=r'''
"""Tiny {{name}} / {{name|filter}} templating for notification e-mails."""
import html
import re

TOKEN = re.compile(r"\{\{\s*([a-zA-Z_][\w.]*)\s*(?:\|\s*(\w+)\s*)?\}\}")

FILTERS = {
    "upper": lambda s: s.upper(),
    "lower": lambda s: s.lower(),
    "title": lambda s: s.title(),
    "raw": lambda s: s,
}


def lookup(context, dotted):
    """Resolve 'user.name' against nested dicts; raises KeyError when absent."""
    value = context
    for part in dotted.split("."):
        if not isinstance(value, dict) or part not in value:
            raise KeyError(dotted)
        value = value[part]
    return value


def render(template, context, autoescape=True):
    """Substitute placeholders. Unknown names are left in the output unchanged."""

    def substitute(match):
        name, filt = match.group(1), match.group(2)
        try:
            value = lookup(context, name)
        except KeyError:
            return match.group(0)
        text = "" if value is None else str(value)
        if filt:
            if filt not in FILTERS:
                raise ValueError("unknown filter %s" % filt)
            text = FILTERS[filt](text)
        if autoescape and filt != "raw":
            text = html.escape(text)
        return text

    return TOKEN.sub(substitute, template)


def placeholders(template):
    return sorted({m.group(1) for m in TOKEN.finditer(template)})
''',
bug=[('''        try:
            value = lookup(context, name)
        except KeyError:
            return match.group(0)
''', '''        value = lookup(context, name)
''')],
tests=r'''
import unittest

from app.template import render, placeholders


class TemplateTest(unittest.TestCase):
    def test_simple(self):
        self.assertEqual(render("Hi {{ user.name }}!", {"user": {"name": "Ann"}}), "Hi Ann!")

    def test_filter_and_escape(self):
        self.assertEqual(render("{{x|upper}}", {"x": "<b>"}), "&lt;B&gt;")
        self.assertEqual(render("{{x|raw}}", {"x": "<b>"}), "<b>")

    def test_placeholders(self):
        self.assertEqual(placeholders("{{b}} {{a|upper}} {{b}}"), ["a", "b"])

    def test_unknown_left_alone(self):
        self.assertEqual(render("Dear {{name}}, code {{code}}", {"name": "Bo"}), "Dear Bo, code {{code}}")


if __name__ == "__main__":
    unittest.main()
''',
oracle=r'''
import unittest

from app.template import render


class OracleTemplate(unittest.TestCase):
    def test_unknown_nested(self):
        self.assertEqual(render("{{ a.b.c }}", {"a": {"b": 1}}), "{{ a.b.c }}")
        self.assertEqual(render("{{user.email|lower}}", {"user": {}}), "{{user.email|lower}}")

    def test_none_renders_empty(self):
        self.assertEqual(render("[{{v}}]", {"v": None}), "[]")

    def test_unknown_filter_still_errors(self):
        with self.assertRaises(ValueError):
            render("{{v|shout}}", {"v": "x"})

    def test_no_autoescape(self):
        self.assertEqual(render("{{v}}", {"v": "a&b"}, autoescape=False), "a&b")


if __name__ == "__main__":
    unittest.main()
''',
evidence='''from app.template import render; render("Dear {{name}}, code {{code}}", {"name": "Bo"})''',
))

# ---------------------------------------------------------------- missing-condition 003
CASES.append(dict(
id="py-missing-cond-003", fault_class="missing-condition", kind="semantic",
description="JobQueue.pop() returns cancelled jobs because it lacks the check that skips them",
module="jobqueue",
source=r'''
"""Priority job queue for the thumbnail workers."""
import heapq
import itertools


class Job:
    def __init__(self, job_id, payload, priority=0):
        self.id = job_id
        self.payload = payload
        self.priority = priority
        self.cancelled = False


class JobQueue:
    def __init__(self):
        self._heap = []
        self._jobs = {}
        self._seq = itertools.count()

    def push(self, job_id, payload, priority=0):
        if job_id in self._jobs:
            raise KeyError("duplicate job id %r" % job_id)
        job = Job(job_id, payload, priority)
        self._jobs[job_id] = job
        heapq.heappush(self._heap, (-priority, next(self._seq), job))
        return job

    def cancel(self, job_id):
        job = self._jobs.get(job_id)
        if job is None:
            return False
        job.cancelled = True
        return True

    def pop(self):
        """Highest priority first, FIFO within a priority; None when empty."""
        while self._heap:
            _, _, job = heapq.heappop(self._heap)
            del self._jobs[job.id]
            if job.cancelled:
                continue
            return job
        return None

    def __len__(self):
        return sum(1 for j in self._jobs.values() if not j.cancelled)

    def drain(self):
        out = []
        job = self.pop()
        while job is not None:
            out.append(job.id)
            job = self.pop()
        return out
''',
bug=[('''            del self._jobs[job.id]
            if job.cancelled:
                continue
''', '''            del self._jobs[job.id]
''')],
tests=r'''
import unittest

from app.jobqueue import JobQueue


class JobQueueTest(unittest.TestCase):
    def test_priority_order(self):
        q = JobQueue()
        q.push("a", {}, 1)
        q.push("b", {}, 5)
        q.push("c", {}, 1)
        self.assertEqual(q.drain(), ["b", "a", "c"])

    def test_duplicate(self):
        q = JobQueue()
        q.push("a", {})
        with self.assertRaises(KeyError):
            q.push("a", {})

    def test_len_excludes_cancelled(self):
        q = JobQueue()
        q.push("a", {})
        q.push("b", {})
        q.cancel("a")
        self.assertEqual(len(q), 1)

    def test_cancelled_not_returned(self):
        q = JobQueue()
        q.push("a", {})
        q.push("b", {})
        q.cancel("a")
        self.assertEqual(q.pop().id, "b")


if __name__ == "__main__":
    unittest.main()
''',
oracle=r'''
import unittest

from app.jobqueue import JobQueue


class OracleJobQueue(unittest.TestCase):
    def test_all_cancelled(self):
        q = JobQueue()
        q.push("a", {})
        q.cancel("a")
        self.assertIsNone(q.pop())

    def test_cancel_unknown(self):
        self.assertFalse(JobQueue().cancel("zz"))

    def test_drain_skips_cancelled(self):
        q = JobQueue()
        for i, p in enumerate([3, 1, 3, 2]):
            q.push("j%d" % i, None, p)
        q.cancel("j2")
        q.cancel("j1")
        self.assertEqual(q.drain(), ["j0", "j3"])

    def test_reuse_id_after_pop(self):
        q = JobQueue()
        q.push("x", 1)
        q.pop()
        q.push("x", 2)
        self.assertEqual(q.pop().payload, 2)


if __name__ == "__main__":
    unittest.main()
''',
))

# ---------------------------------------------------------------- uncaught-exception 001
CASES.append(dict(
id="py-uncaught-001", fault_class="uncaught-exception", kind="semantic",
description="load_config() lets json.JSONDecodeError from a malformed override file escape instead of falling back to the defaults and recording the error",
module="config",
source=r'''
"""Layered JSON configuration: defaults < override file < environment."""
import copy
import json
import os

DEFAULTS = {
    "port": 8080,
    "workers": 2,
    "log": {"level": "info", "json": False},
    "features": [],
}


def deep_merge(base, override):
    out = copy.deepcopy(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = deep_merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def read_override(path):
    if not path or not os.path.exists(path):
        return {}
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if not text.strip():
        return {}
    return json.loads(text)


def load_config(path=None, env=None):
    """Return (config, errors). A broken override file is reported, not fatal."""
    env = os.environ if env is None else env
    errors = []
    try:
        override = read_override(path)
    except json.JSONDecodeError as exc:
        errors.append("%s: %s" % (path, exc.msg))
        override = {}
    if not isinstance(override, dict):
        errors.append("%s: top-level value must be an object" % path)
        override = {}
    config = deep_merge(DEFAULTS, override)
    if "APP_PORT" in env:
        config["port"] = int(env["APP_PORT"])
    if "APP_LOG_LEVEL" in env:
        config["log"]["level"] = env["APP_LOG_LEVEL"].lower()
    return config, errors
''',
bug=[('''    try:
        override = read_override(path)
    except json.JSONDecodeError as exc:
        errors.append("%s: %s" % (path, exc.msg))
        override = {}
''', '''    override = read_override(path)
''')],
tests=r'''
import os
import tempfile
import unittest

from app.config import load_config, deep_merge


def write(text):
    fd, path = tempfile.mkstemp(suffix=".json")
    with os.fdopen(fd, "w") as f:
        f.write(text)
    return path


class ConfigTest(unittest.TestCase):
    def test_defaults(self):
        cfg, errors = load_config(None, env={})
        self.assertEqual(cfg["port"], 8080)
        self.assertEqual(errors, [])

    def test_override_and_env(self):
        path = write('{"workers": 8, "log": {"json": true}}')
        cfg, _ = load_config(path, env={"APP_LOG_LEVEL": "DEBUG"})
        self.assertEqual(cfg["workers"], 8)
        self.assertEqual(cfg["log"], {"level": "debug", "json": True})
        os.unlink(path)

    def test_deep_merge(self):
        self.assertEqual(deep_merge({"a": {"b": 1}}, {"a": {"c": 2}}), {"a": {"b": 1, "c": 2}})

    def test_malformed_file_falls_back(self):
        path = write('{"workers": 8,,}')
        cfg, errors = load_config(path, env={})
        os.unlink(path)
        self.assertEqual(cfg["workers"], 2)
        self.assertEqual(len(errors), 1)


if __name__ == "__main__":
    unittest.main()
''',
oracle=r'''
import os
import tempfile
import unittest

from app.config import load_config, DEFAULTS


def write(text):
    fd, path = tempfile.mkstemp(suffix=".json")
    with os.fdopen(fd, "w") as f:
        f.write(text)
    return path


class OracleConfig(unittest.TestCase):
    def test_malformed_still_uses_env(self):
        path = write("{not json")
        try:
            cfg, errors = load_config(path, env={"APP_PORT": "9000"})
        finally:
            os.unlink(path)
        self.assertEqual(cfg["port"], 9000)
        self.assertEqual(cfg["workers"], 2)
        self.assertTrue(errors[0].startswith(path))

    def test_non_object(self):
        path = write("[1, 2]")
        try:
            cfg, errors = load_config(path, env={})
        finally:
            os.unlink(path)
        self.assertEqual(cfg, DEFAULTS)
        self.assertEqual(len(errors), 1)

    def test_missing_and_empty_file(self):
        self.assertEqual(load_config("/nonexistent/x.json", env={}), (DEFAULTS, []))
        path = write("   ")
        try:
            self.assertEqual(load_config(path, env={})[1], [])
        finally:
            os.unlink(path)

    def test_defaults_not_mutated(self):
        load_config(None, env={"APP_LOG_LEVEL": "WARN"})
        self.assertEqual(DEFAULTS["log"]["level"], "info")


if __name__ == "__main__":
    unittest.main()
''',
evidence='''import tempfile; f = tempfile.NamedTemporaryFile("w", suffix=".json", delete=False); f.write("{\\"workers\\": 8,,}"); f.close(); from app.config import load_config; load_config(f.name, env={})''',
))
