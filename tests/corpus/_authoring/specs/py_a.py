CASES = []

# ---------------------------------------------------------------- null-deref 001
CASES.append(dict(
id="py-null-deref-001", fault_class="null-deref", kind="semantic",
description="content_type() calls .split on headers.get('content-type') which is None when the header is absent",
module="headers",
source=r'''
"""Minimal HTTP request-header helpers used by the ingest service."""


class Headers:
    """Case-insensitive multi-value header map."""

    def __init__(self, pairs=None):
        self._items = []
        for name, value in pairs or []:
            self.add(name, value)

    def add(self, name, value):
        self._items.append((name.lower(), value.strip()))

    def get(self, name, default=None):
        name = name.lower()
        for key, value in self._items:
            if key == name:
                return value
        return default

    def get_all(self, name):
        name = name.lower()
        return [v for k, v in self._items if k == name]

    def __len__(self):
        return len(self._items)


def parse_raw(raw):
    """Parse a raw header block ("Name: value" lines) into Headers."""
    headers = Headers()
    for line in raw.split("\r\n"):
        if not line:
            continue
        name, sep, value = line.partition(":")
        if not sep:
            raise ValueError("malformed header line: %r" % line)
        headers.add(name.strip(), value)
    return headers


def content_type(headers):
    """Return (mime_type, params) for the Content-Type header.

    A missing header means application/octet-stream with no parameters.
    """
    raw = headers.get("content-type")
    if raw is None:
        return "application/octet-stream", {}
    parts = raw.split(";")
    mime = parts[0].strip().lower()
    params = {}
    for part in parts[1:]:
        key, _, val = part.partition("=")
        params[key.strip().lower()] = val.strip().strip('"')
    return mime, params


def charset(headers, default="utf-8"):
    _, params = content_type(headers)
    return params.get("charset", default)
''',
bug=[('''    raw = headers.get("content-type")
    if raw is None:
        return "application/octet-stream", {}
''', '''    raw = headers.get("content-type")
''')],
tests=r'''
import unittest

from app.headers import Headers, parse_raw, content_type, charset


class HeadersTest(unittest.TestCase):
    def test_parse_raw_case_insensitive(self):
        h = parse_raw("Host: example.org\r\nX-Trace: abc\r\n")
        self.assertEqual(h.get("host"), "example.org")
        self.assertEqual(h.get("X-TRACE"), "abc")
        self.assertEqual(len(h), 2)

    def test_multi_value(self):
        h = parse_raw("Accept: a\r\nAccept: b\r\n")
        self.assertEqual(h.get_all("accept"), ["a", "b"])

    def test_malformed_line(self):
        with self.assertRaises(ValueError):
            parse_raw("garbage\r\n")

    def test_content_type_with_params(self):
        h = Headers([("Content-Type", 'text/html; charset="ISO-8859-1"')])
        self.assertEqual(content_type(h), ("text/html", {"charset": "ISO-8859-1"}))

    def test_charset_default_without_header(self):
        h = Headers([("Host", "x")])
        self.assertEqual(charset(h), "utf-8")


if __name__ == "__main__":
    unittest.main()
''',
oracle=r'''
import unittest

from app.headers import Headers, parse_raw, content_type, charset


class OracleHeaders(unittest.TestCase):
    def test_missing_header(self):
        self.assertEqual(content_type(Headers()), ("application/octet-stream", {}))

    def test_missing_header_charset_custom_default(self):
        self.assertEqual(charset(Headers([("X", "1")]), default="latin-1"), "latin-1")

    def test_present_header_still_parsed(self):
        h = parse_raw("Content-Type: Application/JSON ; Charset=UTF-16\r\n")
        self.assertEqual(content_type(h), ("application/json", {"charset": "UTF-16"}))
        self.assertEqual(charset(h), "UTF-16")

    def test_present_without_params(self):
        self.assertEqual(content_type(Headers([("content-type", "text/plain")])), ("text/plain", {}))

    def test_charset_from_header(self):
        h = Headers([("Content-Type", "text/plain; charset=ascii")])
        self.assertEqual(charset(h), "ascii")


if __name__ == "__main__":
    unittest.main()
''',
evidence='''from app.headers import Headers, content_type; content_type(Headers([("Host", "x")]))''',
))

# ---------------------------------------------------------------- null-deref 002
CASES.append(dict(
id="py-null-deref-002", fault_class="null-deref", kind="semantic",
description="dispatch() dereferences the result of Router.match, which is None for unknown paths, instead of answering 404",
module="router",
source=r'''
"""Tiny routing table for the admin API."""
import re


class Route:
    def __init__(self, method, pattern, handler):
        self.method = method.upper()
        self.pattern = pattern
        self.handler = handler
        regex = re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", pattern)
        self.regex = re.compile("^" + regex + "$")

    def match(self, method, path):
        if method.upper() != self.method:
            return None
        m = self.regex.match(path)
        return m.groupdict() if m else None


class Router:
    def __init__(self):
        self.routes = []

    def add(self, method, pattern, handler):
        self.routes.append(Route(method, pattern, handler))
        return self

    def match(self, method, path):
        """Return (route, params) or None when nothing matches."""
        for route in self.routes:
            params = route.match(method, path)
            if params is not None:
                return route, params
        return None

    def allowed_methods(self, path):
        return sorted({r.method for r in self.routes if r.regex.match(path)})


def dispatch(router, method, path):
    """Run the handler for (method, path); returns (status, body)."""
    found = router.match(method, path)
    if found is None:
        allowed = router.allowed_methods(path)
        if allowed:
            return 405, "method not allowed; use " + ", ".join(allowed)
        return 404, "not found"
    route, params = found
    return 200, route.handler(**params)
''',
bug=[('''    found = router.match(method, path)
    if found is None:
        allowed = router.allowed_methods(path)
        if allowed:
            return 405, "method not allowed; use " + ", ".join(allowed)
        return 404, "not found"
''', '''    found = router.match(method, path)
''')],
tests=r'''
import unittest

from app.router import Router, dispatch


def make_router():
    r = Router()
    r.add("GET", "/users/{uid}", lambda uid: "user " + uid)
    r.add("GET", "/health", lambda: "ok")
    r.add("POST", "/users", lambda: "created")
    return r


class RouterTest(unittest.TestCase):
    def test_static_route(self):
        self.assertEqual(dispatch(make_router(), "GET", "/health"), (200, "ok"))

    def test_param_route(self):
        self.assertEqual(dispatch(make_router(), "get", "/users/42"), (200, "user 42"))

    def test_match_returns_params(self):
        route, params = make_router().match("GET", "/users/7")
        self.assertEqual(params, {"uid": "7"})

    def test_unknown_path_is_404(self):
        self.assertEqual(dispatch(make_router(), "GET", "/nope")[0], 404)


if __name__ == "__main__":
    unittest.main()
''',
oracle=r'''
import unittest

from app.router import Router, dispatch


def make_router():
    r = Router()
    r.add("GET", "/users/{uid}", lambda uid: "user " + uid)
    r.add("DELETE", "/users/{uid}", lambda uid: "deleted " + uid)
    r.add("GET", "/health", lambda: "ok")
    return r


class OracleRouter(unittest.TestCase):
    def test_404(self):
        self.assertEqual(dispatch(make_router(), "GET", "/missing"), (404, "not found"))

    def test_405_lists_methods(self):
        status, body = dispatch(make_router(), "PUT", "/users/3")
        self.assertEqual(status, 405)
        self.assertIn("DELETE", body)
        self.assertIn("GET", body)

    def test_405_static(self):
        self.assertEqual(dispatch(make_router(), "POST", "/health")[0], 405)

    def test_still_dispatches(self):
        self.assertEqual(dispatch(make_router(), "DELETE", "/users/9"), (200, "deleted 9"))

    def test_empty_router(self):
        self.assertEqual(dispatch(Router(), "GET", "/"), (404, "not found"))


if __name__ == "__main__":
    unittest.main()
''',
evidence='''from app.router import Router, dispatch; dispatch(Router().add("GET", "/health", lambda: "ok"), "GET", "/nope")''',
))

# ---------------------------------------------------------------- null-deref 003
CASES.append(dict(
id="py-null-deref-003", fault_class="null-deref", kind="semantic",
description="parse_line() calls .group() on a failed regex match for lines that are not access-log entries instead of returning None",
module="accesslog",
source=r'''
"""Parse nginx-style access log lines and aggregate per-status counts."""
import re

LINE_RE = re.compile(
    r'(?P<ip>\S+) \S+ \S+ \[(?P<ts>[^\]]+)\] '
    r'"(?P<method>[A-Z]+) (?P<path>\S+) [^"]*" (?P<status>\d{3}) (?P<size>\d+|-)'
)


class Entry:
    __slots__ = ("ip", "ts", "method", "path", "status", "size")

    def __init__(self, ip, ts, method, path, status, size):
        self.ip = ip
        self.ts = ts
        self.method = method
        self.path = path
        self.status = status
        self.size = size


def parse_line(line):
    """Return an Entry, or None if the line is not an access-log line."""
    m = LINE_RE.match(line.strip())
    if m is None:
        return None
    size = m.group("size")
    return Entry(
        m.group("ip"),
        m.group("ts"),
        m.group("method"),
        m.group("path"),
        int(m.group("status")),
        0 if size == "-" else int(size),
    )


def summarize(lines):
    """Count entries by status class (2xx, 3xx, ...) and total bytes; skip junk lines."""
    by_class = {}
    total_bytes = 0
    skipped = 0
    for line in lines:
        entry = parse_line(line)
        if entry is None:
            skipped += 1
            continue
        key = "%dxx" % (entry.status // 100)
        by_class[key] = by_class.get(key, 0) + 1
        total_bytes += entry.size
    return {"by_class": by_class, "bytes": total_bytes, "skipped": skipped}
''',
bug=[('''    m = LINE_RE.match(line.strip())
    if m is None:
        return None
''', '''    m = LINE_RE.match(line.strip())
''')],
tests=r'''
import unittest

from app.accesslog import parse_line, summarize

L1 = '10.0.0.1 - - [10/Oct/2023:13:55:36 +0000] "GET /index.html HTTP/1.1" 200 2326'
L2 = '10.0.0.2 - bob [10/Oct/2023:13:55:37 +0000] "POST /api HTTP/1.1" 503 -'


class AccessLogTest(unittest.TestCase):
    def test_parse_line(self):
        e = parse_line(L1)
        self.assertEqual((e.ip, e.method, e.path, e.status, e.size),
                         ("10.0.0.1", "GET", "/index.html", 200, 2326))

    def test_dash_size(self):
        self.assertEqual(parse_line(L2).size, 0)

    def test_summarize(self):
        s = summarize([L1, L2, L1])
        self.assertEqual(s["by_class"], {"2xx": 2, "5xx": 1})
        self.assertEqual(s["bytes"], 4652)

    def test_summarize_skips_junk(self):
        s = summarize([L1, "-- log rotated --", ""])
        self.assertEqual(s["skipped"], 2)
        self.assertEqual(s["by_class"], {"2xx": 1})


if __name__ == "__main__":
    unittest.main()
''',
oracle=r'''
import unittest

from app.accesslog import parse_line, summarize

L1 = '10.0.0.1 - - [10/Oct/2023:13:55:36 +0000] "GET /a HTTP/1.1" 404 12'
L2 = '10.0.0.9 - - [10/Oct/2023:13:55:39 +0000] "HEAD / HTTP/1.0" 301 -'


class OracleAccessLog(unittest.TestCase):
    def test_junk_returns_none(self):
        self.assertIsNone(parse_line("not a log line"))
        self.assertIsNone(parse_line(""))
        self.assertIsNone(parse_line('1.2.3.4 - - [x] "get / HTTP/1.1" 200 1'))

    def test_valid_after_junk(self):
        self.assertEqual(parse_line(L1).status, 404)

    def test_summary_mixed(self):
        s = summarize(["#comment", L1, L2, "   ", L1])
        self.assertEqual(s, {"by_class": {"4xx": 2, "3xx": 1}, "bytes": 24, "skipped": 2})

    def test_all_junk(self):
        self.assertEqual(summarize(["x", "y"]), {"by_class": {}, "bytes": 0, "skipped": 2})


if __name__ == "__main__":
    unittest.main()
''',
evidence='''from app.accesslog import summarize; summarize(["-- log rotated --"])''',
))

# ---------------------------------------------------------------- zero-division 001
CASES.append(dict(
id="py-zero-div-001", fault_class="zero-division", kind="semantic",
description="SlidingWindow.mean() divides by the number of samples without handling an empty window (expected 0.0)",
module="window",
source=r'''
"""Sliding-window latency statistics for the health endpoint."""
from collections import deque


class SlidingWindow:
    """Keeps the samples of the last `span` seconds."""

    def __init__(self, span):
        if span <= 0:
            raise ValueError("span must be positive")
        self.span = span
        self.samples = deque()

    def add(self, ts, value):
        self.samples.append((ts, value))
        self._expire(ts)

    def _expire(self, now):
        cutoff = now - self.span
        while self.samples and self.samples[0][0] <= cutoff:
            self.samples.popleft()

    def advance(self, now):
        self._expire(now)

    def count(self):
        return len(self.samples)

    def mean(self):
        """Average of the samples in the window; 0.0 when the window is empty."""
        if not self.samples:
            return 0.0
        return sum(v for _, v in self.samples) / len(self.samples)

    def maximum(self):
        return max((v for _, v in self.samples), default=0.0)

    def snapshot(self):
        return {
            "count": self.count(),
            "mean": round(self.mean(), 3),
            "max": self.maximum(),
        }
''',
bug=[('''        if not self.samples:
            return 0.0
        return sum(''', '''        return sum(''')],
tests=r'''
import unittest

from app.window import SlidingWindow


class WindowTest(unittest.TestCase):
    def test_mean(self):
        w = SlidingWindow(10)
        w.add(1, 10.0)
        w.add(2, 20.0)
        self.assertEqual(w.mean(), 15.0)

    def test_expiry(self):
        w = SlidingWindow(5)
        w.add(0, 100.0)
        w.add(6, 1.0)
        self.assertEqual(w.count(), 1)
        self.assertEqual(w.maximum(), 1.0)

    def test_invalid_span(self):
        with self.assertRaises(ValueError):
            SlidingWindow(0)

    def test_snapshot_of_idle_window(self):
        w = SlidingWindow(5)
        w.add(0, 3.0)
        w.advance(100)
        self.assertEqual(w.snapshot(), {"count": 0, "mean": 0.0, "max": 0.0})


if __name__ == "__main__":
    unittest.main()
''',
oracle=r'''
import unittest

from app.window import SlidingWindow


class OracleWindow(unittest.TestCase):
    def test_empty_mean(self):
        self.assertEqual(SlidingWindow(3).mean(), 0.0)

    def test_mean_after_partial_expiry(self):
        w = SlidingWindow(5)
        w.add(0, 9.0)
        w.add(3, 2.0)
        w.add(4, 4.0)
        w.advance(6)
        self.assertEqual(w.mean(), 3.0)

    def test_snapshot_rounding(self):
        w = SlidingWindow(10)
        for i, v in enumerate([1.0, 1.0, 2.0]):
            w.add(i, v)
        self.assertEqual(w.snapshot(), {"count": 3, "mean": 1.333, "max": 2.0})

    def test_fresh_snapshot(self):
        self.assertEqual(SlidingWindow(1).snapshot(), {"count": 0, "mean": 0.0, "max": 0.0})


if __name__ == "__main__":
    unittest.main()
''',
evidence='''from app.window import SlidingWindow; SlidingWindow(5).snapshot()''',
))

# ---------------------------------------------------------------- zero-division 002
CASES.append(dict(
id="py-zero-div-002", fault_class="zero-division", kind="semantic",
description="Batch.progress() divides by the total job count, crashing for an empty batch that should report 100%",
module="batch",
source=r'''
"""Job batch bookkeeping for the export worker."""

PENDING, RUNNING, DONE, FAILED = "pending", "running", "done", "failed"


class Batch:
    def __init__(self, name, job_ids):
        self.name = name
        self.state = {jid: PENDING for jid in job_ids}

    def start(self, jid):
        self._transition(jid, PENDING, RUNNING)

    def finish(self, jid, ok=True):
        self._transition(jid, RUNNING, DONE if ok else FAILED)

    def _transition(self, jid, expected, new):
        current = self.state.get(jid)
        if current is None:
            raise KeyError("unknown job %r" % jid)
        if current != expected:
            raise RuntimeError("job %r is %s, expected %s" % (jid, current, expected))
        self.state[jid] = new

    def counts(self):
        out = {PENDING: 0, RUNNING: 0, DONE: 0, FAILED: 0}
        for s in self.state.values():
            out[s] += 1
        return out

    def progress(self):
        """Percentage of finished (done or failed) jobs; an empty batch is complete."""
        total = len(self.state)
        if total == 0:
            return 100.0
        c = self.counts()
        return round(100.0 * (c[DONE] + c[FAILED]) / total, 1)

    def is_complete(self):
        return self.progress() >= 100.0

    def report(self):
        c = self.counts()
        return "%s: %s%% (%d ok, %d failed)" % (self.name, self.progress(), c[DONE], c[FAILED])
''',
bug=[('''        total = len(self.state)
        if total == 0:
            return 100.0
''', '''        total = len(self.state)
''')],
tests=r'''
import unittest

from app.batch import Batch


class BatchTest(unittest.TestCase):
    def test_progress(self):
        b = Batch("b", ["a", "b", "c", "d"])
        b.start("a"); b.finish("a")
        b.start("b"); b.finish("b", ok=False)
        self.assertEqual(b.progress(), 50.0)

    def test_bad_transition(self):
        b = Batch("b", ["a"])
        with self.assertRaises(RuntimeError):
            b.finish("a")

    def test_unknown_job(self):
        with self.assertRaises(KeyError):
            Batch("b", []).start("zzz")

    def test_empty_batch_is_complete(self):
        self.assertTrue(Batch("nightly", []).is_complete())


if __name__ == "__main__":
    unittest.main()
''',
oracle=r'''
import unittest

from app.batch import Batch


class OracleBatch(unittest.TestCase):
    def test_empty(self):
        b = Batch("e", [])
        self.assertEqual(b.progress(), 100.0)
        self.assertEqual(b.report(), "e: 100.0% (0 ok, 0 failed)")

    def test_partial_rounding(self):
        b = Batch("p", ["x", "y", "z"])
        b.start("x"); b.finish("x")
        self.assertEqual(b.progress(), 33.3)
        self.assertFalse(b.is_complete())

    def test_all_done(self):
        b = Batch("d", ["x"])
        b.start("x"); b.finish("x")
        self.assertTrue(b.is_complete())

    def test_none_done(self):
        self.assertEqual(Batch("n", ["x", "y"]).progress(), 0.0)


if __name__ == "__main__":
    unittest.main()
''',
evidence='''from app.batch import Batch; Batch("nightly", []).is_complete()''',
))

# ---------------------------------------------------------------- zero-division 003
CASES.append(dict(
id="py-zero-div-003", fault_class="zero-division", kind="syntactic",
description="Histogram computes bucket width with floor division, which is 0 when the range is smaller than the bucket count",
module="histogram",
source=r'''
"""Fixed-range histogram used for response-size dashboards."""


class Histogram:
    def __init__(self, lo, hi, buckets):
        if hi <= lo:
            raise ValueError("hi must be greater than lo")
        if buckets < 1:
            raise ValueError("need at least one bucket")
        self.lo = lo
        self.hi = hi
        self.buckets = buckets
        self.width = (hi - lo) / buckets
        self.counts = [0] * buckets
        self.underflow = 0
        self.overflow = 0

    def add(self, value):
        if value < self.lo:
            self.underflow += 1
            return
        if value >= self.hi:
            self.overflow += 1
            return
        idx = int((value - self.lo) / self.width)
        idx = min(idx, self.buckets - 1)
        self.counts[idx] += 1

    def extend(self, values):
        for v in values:
            self.add(v)

    def edges(self):
        return [self.lo + i * self.width for i in range(self.buckets + 1)]

    def total(self):
        return sum(self.counts) + self.underflow + self.overflow

    def render(self, bar="#"):
        lines = []
        edges = self.edges()
        for i, c in enumerate(self.counts):
            lines.append("[%g, %g) %s" % (edges[i], edges[i + 1], bar * c))
        return "\n".join(lines)
''',
bug=[("self.width = (hi - lo) / buckets", "self.width = (hi - lo) // buckets")],
tests=r'''
import unittest

from app.histogram import Histogram


class HistogramTest(unittest.TestCase):
    def test_counts(self):
        h = Histogram(0, 100, 10)
        h.extend([1, 15, 15, 99, 150, -3])
        self.assertEqual(h.counts[0], 1)
        self.assertEqual(h.counts[1], 2)
        self.assertEqual(h.counts[9], 1)
        self.assertEqual((h.underflow, h.overflow), (1, 1))

    def test_total(self):
        h = Histogram(0, 10, 2)
        h.extend([1, 2, 30])
        self.assertEqual(h.total(), 3)

    def test_invalid(self):
        with self.assertRaises(ValueError):
            Histogram(5, 5, 1)

    def test_fractional_range(self):
        h = Histogram(0, 1, 4)
        h.extend([0.1, 0.3, 0.6, 0.9])
        self.assertEqual(h.counts, [1, 1, 1, 1])


if __name__ == "__main__":
    unittest.main()
''',
oracle=r'''
import unittest

from app.histogram import Histogram


class OracleHistogram(unittest.TestCase):
    def test_small_integer_range(self):
        h = Histogram(0, 3, 6)
        h.extend([0, 0.5, 1, 2.9])
        self.assertEqual(h.counts, [1, 1, 1, 0, 0, 1])

    def test_uneven_width(self):
        h = Histogram(0, 10, 4)
        self.assertEqual(h.edges(), [0, 2.5, 5.0, 7.5, 10.0])
        h.extend([2.4, 2.5, 9.99])
        self.assertEqual(h.counts, [1, 1, 0, 1])

    def test_render(self):
        h = Histogram(0, 1, 2)
        h.extend([0.1, 0.2, 0.7])
        self.assertEqual(h.render(), "[0, 0.5) ##\n[0.5, 1) #")


if __name__ == "__main__":
    unittest.main()
''',
evidence='''from app.histogram import Histogram; Histogram(0, 1, 4).add(0.1)''',
))

# ---------------------------------------------------------------- off-by-one 001
CASES.append(dict(
id="py-off-by-one-001", fault_class="off-by-one", kind="syntactic",
description="paginate() slices items[start:end - 1], dropping the last item of every page",
module="pagination",
source=r'''
"""Offset pagination for list endpoints."""
import math

DEFAULT_PER_PAGE = 20
MAX_PER_PAGE = 100


class Page:
    def __init__(self, items, page, per_page, total):
        self.items = items
        self.page = page
        self.per_page = per_page
        self.total = total

    @property
    def pages(self):
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_next(self):
        return self.page < self.pages

    @property
    def has_prev(self):
        return self.page > 1

    def to_dict(self):
        return {
            "items": self.items,
            "page": self.page,
            "per_page": self.per_page,
            "total": self.total,
            "pages": self.pages,
        }


def paginate(items, page=1, per_page=DEFAULT_PER_PAGE):
    """Return the requested 1-based page of `items`."""
    if page < 1:
        raise ValueError("page must be >= 1")
    per_page = max(1, min(per_page, MAX_PER_PAGE))
    start = (page - 1) * per_page
    end = start + per_page
    return Page(items[start:end], page, per_page, len(items))
''',
bug=[("return Page(items[start:end], page", "return Page(items[start:end - 1], page")],
tests=r'''
import unittest

from app.pagination import paginate


class PaginationTest(unittest.TestCase):
    def test_pages_count(self):
        p = paginate(list(range(45)), page=1, per_page=10)
        self.assertEqual(p.pages, 5)
        self.assertTrue(p.has_next)
        self.assertFalse(p.has_prev)

    def test_invalid_page(self):
        with self.assertRaises(ValueError):
            paginate([1, 2], page=0)

    def test_per_page_is_clamped(self):
        self.assertEqual(paginate([], per_page=1000).per_page, 100)

    def test_second_page_items(self):
        p = paginate(list(range(25)), page=2, per_page=10)
        self.assertEqual(p.items, list(range(10, 20)))


if __name__ == "__main__":
    unittest.main()
''',
oracle=r'''
import unittest

from app.pagination import paginate


class OraclePagination(unittest.TestCase):
    def test_first_page(self):
        self.assertEqual(paginate(list("abcdef"), 1, 4).items, list("abcd"))

    def test_last_partial_page(self):
        p = paginate(list("abcdef"), 2, 4)
        self.assertEqual(p.items, ["e", "f"])
        self.assertFalse(p.has_next)

    def test_page_size_one(self):
        self.assertEqual(paginate([7, 8, 9], 3, 1).items, [9])

    def test_beyond_end(self):
        self.assertEqual(paginate([1, 2], 5, 2).items, [])

    def test_all_items_covered(self):
        data = list(range(37))
        seen = []
        for n in range(1, paginate(data, 1, 5).pages + 1):
            seen.extend(paginate(data, n, 5).items)
        self.assertEqual(seen, data)


if __name__ == "__main__":
    unittest.main()
''',
))

# ---------------------------------------------------------------- off-by-one 002
CASES.append(dict(
id="py-off-by-one-002", fault_class="off-by-one", kind="syntactic",
description="LogBuffer.tail(n) starts one index too late and returns only n-1 lines",
module="logbuffer",
source=r'''
"""In-memory ring of recent log lines served by /debug/logs."""


class LogBuffer:
    def __init__(self, capacity=1000):
        if capacity < 1:
            raise ValueError("capacity must be >= 1")
        self.capacity = capacity
        self.lines = []
        self.dropped = 0

    def append(self, line):
        self.lines.append(line.rstrip("\n"))
        if len(self.lines) > self.capacity:
            del self.lines[0]
            self.dropped += 1

    def extend(self, text):
        for line in text.splitlines():
            self.append(line)

    def tail(self, n):
        """Return the last n lines, oldest first."""
        if n <= 0:
            return []
        start = max(0, len(self.lines) - n)
        out = []
        for i in range(start, len(self.lines)):
            out.append(self.lines[i])
        return out

    def grep(self, needle, limit=None):
        hits = [l for l in self.lines if needle in l]
        if limit is not None:
            hits = hits[-limit:] if limit > 0 else []
        return hits

    def stats(self):
        return {"lines": len(self.lines), "dropped": self.dropped, "capacity": self.capacity}
''',
bug=[("start = max(0, len(self.lines) - n)", "start = max(0, len(self.lines) - n + 1)")],
tests=r'''
import unittest

from app.logbuffer import LogBuffer


class LogBufferTest(unittest.TestCase):
    def test_capacity(self):
        b = LogBuffer(3)
        b.extend("a\nb\nc\nd\n")
        self.assertEqual(b.stats(), {"lines": 3, "dropped": 1, "capacity": 3})

    def test_grep(self):
        b = LogBuffer()
        b.extend("GET /a\nPOST /b\nGET /c\n")
        self.assertEqual(b.grep("GET"), ["GET /a", "GET /c"])
        self.assertEqual(b.grep("GET", limit=1), ["GET /c"])

    def test_tail_zero(self):
        self.assertEqual(LogBuffer().tail(0), [])

    def test_tail(self):
        b = LogBuffer()
        b.extend("1\n2\n3\n4\n5\n")
        self.assertEqual(b.tail(2), ["4", "5"])


if __name__ == "__main__":
    unittest.main()
''',
oracle=r'''
import unittest

from app.logbuffer import LogBuffer


class OracleLogBuffer(unittest.TestCase):
    def setUp(self):
        self.b = LogBuffer(10)
        self.b.extend("".join("l%d\n" % i for i in range(6)))

    def test_tail_one(self):
        self.assertEqual(self.b.tail(1), ["l5"])

    def test_tail_all(self):
        self.assertEqual(self.b.tail(6), ["l%d" % i for i in range(6)])

    def test_tail_more_than_available(self):
        self.assertEqual(len(self.b.tail(50)), 6)

    def test_tail_three(self):
        self.assertEqual(self.b.tail(3), ["l3", "l4", "l5"])

    def test_tail_negative(self):
        self.assertEqual(self.b.tail(-2), [])


if __name__ == "__main__":
    unittest.main()
''',
))

# ---------------------------------------------------------------- off-by-one 003
CASES.append(dict(
id="py-off-by-one-003", fault_class="off-by-one", kind="syntactic",
description="load_rows() skips two lines instead of just the CSV header, losing the first data row",
module="csvload",
source=r'''
"""Load price lists exported as CSV by the billing team."""
import csv
import io
from decimal import Decimal, InvalidOperation

REQUIRED = ("sku", "name", "price")


def _header(row):
    cols = [c.strip().lower() for c in row]
    missing = [c for c in REQUIRED if c not in cols]
    if missing:
        raise ValueError("missing columns: " + ", ".join(missing))
    return cols


def load_rows(text):
    """Parse CSV text into a list of dicts keyed by the (lower-cased) header."""
    rows = list(csv.reader(io.StringIO(text)))
    rows = [r for r in rows if any(cell.strip() for cell in r)]
    if not rows:
        return []
    cols = _header(rows[0])
    out = []
    for r in rows[1:]:
        r = r + [""] * (len(cols) - len(r))
        out.append({c: v.strip() for c, v in zip(cols, r)})
    return out


def load_prices(text):
    """Map sku -> Decimal price; rows with an unparsable price are reported."""
    prices = {}
    errors = []
    for i, row in enumerate(load_rows(text), start=2):
        try:
            prices[row["sku"]] = Decimal(row["price"])
        except InvalidOperation:
            errors.append((i, row["sku"]))
    return prices, errors


def total(prices, skus):
    return sum((prices[s] for s in skus), Decimal("0"))
''',
bug=[("for r in rows[1:]:", "for r in rows[2:]:")],
tests=r'''
import unittest
from decimal import Decimal

from app.csvload import load_rows, load_prices, total

DATA = "sku,name,price\nA1,Apple,0.50\nB2,Bread,2.25\nC3,Cheese,7.10\n"


class CsvLoadTest(unittest.TestCase):
    def test_missing_columns(self):
        with self.assertRaises(ValueError):
            load_rows("sku,name\nA,b\n")

    def test_empty(self):
        self.assertEqual(load_rows(""), [])

    def test_rows(self):
        rows = load_rows(DATA)
        self.assertEqual(len(rows), 3)
        self.assertEqual(rows[0]["name"], "Apple")

    def test_total(self):
        prices, errors = load_prices(DATA)
        self.assertEqual(errors, [])
        self.assertEqual(total(prices, ["B2", "C3"]), Decimal("9.35"))


if __name__ == "__main__":
    unittest.main()
''',
oracle=r'''
import unittest
from decimal import Decimal

from app.csvload import load_rows, load_prices


class OracleCsvLoad(unittest.TestCase):
    def test_single_row(self):
        self.assertEqual(load_rows("SKU,Name,Price\nX,Thing,1\n"),
                         [{"sku": "X", "name": "Thing", "price": "1"}])

    def test_header_only(self):
        self.assertEqual(load_rows("sku,name,price\n"), [])

    def test_blank_lines_and_short_rows(self):
        rows = load_rows("sku,name,price\n\nA,a\n,,\nB,b,3\n")
        self.assertEqual([r["sku"] for r in rows], ["A", "B"])
        self.assertEqual(rows[0]["price"], "")

    def test_errors_line_numbers(self):
        prices, errors = load_prices("sku,name,price\nA,a,1.5\nB,b,oops\n")
        self.assertEqual(prices, {"A": Decimal("1.5")})
        self.assertEqual(errors, [(3, "B")])


if __name__ == "__main__":
    unittest.main()
''',
))

# ---------------------------------------------------------------- wrong-operator 001
CASES.append(dict(
id="py-wrong-op-001", fault_class="wrong-operator", kind="syntactic",
description="TTLCache._expired uses < instead of >=, so fresh entries are treated as expired and stale ones are served",
module="ttlcache",
source=r'''
"""TTL cache for upstream token lookups."""
import time


class TTLCache:
    def __init__(self, ttl, clock=time.monotonic):
        if ttl <= 0:
            raise ValueError("ttl must be positive")
        self.ttl = ttl
        self.clock = clock
        self._data = {}
        self.hits = 0
        self.misses = 0

    def _expired(self, stored_at):
        return self.clock() - stored_at >= self.ttl

    def set(self, key, value):
        self._data[key] = (value, self.clock())

    def get(self, key, default=None):
        item = self._data.get(key)
        if item is None:
            self.misses += 1
            return default
        value, stored_at = item
        if self._expired(stored_at):
            del self._data[key]
            self.misses += 1
            return default
        self.hits += 1
        return value

    def get_or_load(self, key, loader):
        sentinel = object()
        value = self.get(key, sentinel)
        if value is sentinel:
            value = loader(key)
            self.set(key, value)
        return value

    def purge(self):
        dead = [k for k, (_, t) in self._data.items() if self._expired(t)]
        for k in dead:
            del self._data[k]
        return len(dead)

    def __len__(self):
        return len(self._data)
''',
bug=[("return self.clock() - stored_at >= self.ttl", "return self.clock() - stored_at < self.ttl")],
tests=r'''
import unittest

from app.ttlcache import TTLCache


class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


class TTLCacheTest(unittest.TestCase):
    def test_invalid_ttl(self):
        with self.assertRaises(ValueError):
            TTLCache(0)

    def test_missing(self):
        c = TTLCache(5, FakeClock())
        self.assertIsNone(c.get("nope"))
        self.assertEqual(c.misses, 1)

    def test_hit_before_expiry(self):
        clock = FakeClock()
        c = TTLCache(5, clock)
        c.set("a", 1)
        clock.now += 2
        self.assertEqual(c.get("a"), 1)

    def test_expired(self):
        clock = FakeClock()
        c = TTLCache(5, clock)
        c.set("a", 1)
        clock.now += 10
        self.assertIsNone(c.get("a"))


if __name__ == "__main__":
    unittest.main()
''',
oracle=r'''
import unittest

from app.ttlcache import TTLCache


class FakeClock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


class OracleTTL(unittest.TestCase):
    def test_boundary(self):
        clock = FakeClock()
        c = TTLCache(5, clock)
        c.set("k", "v")
        clock.now = 4.999
        self.assertEqual(c.get("k"), "v")
        clock.now = 5.0
        self.assertIsNone(c.get("k"))

    def test_get_or_load_caches(self):
        clock = FakeClock()
        calls = []
        c = TTLCache(10, clock)
        loader = lambda k: calls.append(k) or k.upper()
        self.assertEqual(c.get_or_load("x", loader), "X")
        self.assertEqual(c.get_or_load("x", loader), "X")
        self.assertEqual(calls, ["x"])
        self.assertEqual((c.hits, c.misses), (1, 1))

    def test_purge(self):
        clock = FakeClock()
        c = TTLCache(3, clock)
        c.set("a", 1)
        clock.now = 2
        c.set("b", 2)
        clock.now = 4
        self.assertEqual(c.purge(), 1)
        self.assertEqual(len(c), 1)
        self.assertEqual(c.get("b"), 2)


if __name__ == "__main__":
    unittest.main()
''',
))
