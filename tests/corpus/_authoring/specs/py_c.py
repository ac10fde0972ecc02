CASES = []

# ---------------------------------------------------------------- uncaught-exception 002
CASES.append(dict(
id="py-uncaught-002", fault_class="uncaught-exception", kind="semantic",
description="parse_events() lets ValueError from datetime.strptime escape on a line with a malformed timestamp instead of counting it as rejected",
module="events",
source=r'''
"""Parse audit-event lines ("2024-03-01T10:00:00Z user action key=value ...")."""
from datetime import datetime, timezone

TS_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


def parse_ts(text):
    return datetime.strptime(text, TS_FORMAT).replace(tzinfo=timezone.utc)


def parse_line(line):
    parts = line.split()
    if len(parts) < 3:
        raise ValueError("too few fields")
    ts = parse_ts(parts[0])
    attrs = {}
    for item in parts[3:]:
        key, sep, value = item.partition("=")
        if sep:
            attrs[key] = value
    return {"ts": ts, "user": parts[1], "action": parts[2], "attrs": attrs}


def parse_events(lines):
    """Return (events, rejected_count); malformed lines are counted, never fatal."""
    events = []
    rejected = 0
    for line in lines:
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        try:
            events.append(parse_line(line))
        except ValueError:
            rejected += 1
    events.sort(key=lambda e: e["ts"])
    return events, rejected


def actions_per_user(events):
    out = {}
    for e in events:
        out.setdefault(e["user"], []).append(e["action"])
    return out


def between(events, start, end):
    s, e = parse_ts(start), parse_ts(end)
    return [ev for ev in events if s <= ev["ts"] < e]
''',
bug=[('''        try:
            events.append(parse_line(line))
        except ValueError:
            rejected += 1
''', '''        if len(line.split()) < 3:
            rejected += 1
            continue
        events.append(parse_line(line))
''')],
tests=r'''
import unittest

from app.events import parse_events, actions_per_user, between

LINES = [
    "2024-03-01T10:00:05Z alice login ip=10.0.0.1",
    "# comment",
    "2024-03-01T09:59:00Z bob logout",
    "",
    "2024-03-01T10:01:00Z alice delete id=7",
]


class EventsTest(unittest.TestCase):
    def test_sorted(self):
        events, rejected = parse_events(LINES)
        self.assertEqual([e["user"] for e in events], ["bob", "alice", "alice"])
        self.assertEqual(rejected, 0)

    def test_attrs(self):
        events, _ = parse_events(LINES[:1])
        self.assertEqual(events[0]["attrs"], {"ip": "10.0.0.1"})

    def test_per_user(self):
        events, _ = parse_events(LINES)
        self.assertEqual(actions_per_user(events)["alice"], ["login", "delete"])

    def test_bad_timestamp_rejected(self):
        events, rejected = parse_events(LINES + ["2024-13-01T00:00:00Z eve login"])
        self.assertEqual(len(events), 3)
        self.assertEqual(rejected, 1)


if __name__ == "__main__":
    unittest.main()
''',
oracle=r'''
import unittest

from app.events import parse_events, between


class OracleEvents(unittest.TestCase):
    def test_various_bad_lines(self):
        lines = [
            "yesterday bob login",
            "2024-03-01 10:00:00 bob login",
            "2024-03-01T10:00:00Z",
            "2024-03-01T10:00:00Z carol view page=1",
        ]
        events, rejected = parse_events(lines)
        self.assertEqual(rejected, 3)
        self.assertEqual([e["user"] for e in events], ["carol"])

    def test_between(self):
        events, _ = parse_events([
            "2024-03-01T10:00:00Z a x",
            "2024-03-01T11:00:00Z b y",
            "2024-03-01T12:00:00Z c z",
        ])
        got = between(events, "2024-03-01T10:30:00Z", "2024-03-01T12:00:00Z")
        self.assertEqual([e["user"] for e in got], ["b"])


if __name__ == "__main__":
    unittest.main()
''',
evidence='''from app.events import parse_events; parse_events(["2024-13-01T00:00:00Z eve login"])''',
))

# ---------------------------------------------------------------- uncaught-exception 003
CASES.append(dict(
id="py-uncaught-003", fault_class="uncaught-exception", kind="semantic",
description="parse_basic_auth() does not handle binascii.Error / UnicodeDecodeError from malformed base64 credentials (should return None)",
module="auth",
source=r'''
"""HTTP Basic authentication for the internal metrics endpoint."""
import base64
import binascii
import hashlib
import hmac


def parse_basic_auth(header):
    """Return (user, password) from an Authorization header, or None if absent/invalid."""
    if not header:
        return None
    scheme, _, token = header.strip().partition(" ")
    if scheme.lower() != "basic" or not token:
        return None
    try:
        decoded = base64.b64decode(token.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    user, sep, password = decoded.partition(":")
    if not sep:
        return None
    return user, password


def hash_password(password, salt):
    return hashlib.pbkdf2_hmac("sha256", password.encode(), salt.encode(), 1000).hex()


class UserStore:
    def __init__(self):
        self._users = {}

    def add(self, user, password, salt="pepper"):
        self._users[user] = (salt, hash_password(password, salt))

    def check(self, user, password):
        entry = self._users.get(user)
        if entry is None:
            return False
        salt, digest = entry
        return hmac.compare_digest(digest, hash_password(password, salt))


def authenticate(store, headers):
    """Return (status, user): 200 with the user name, or 401."""
    creds = parse_basic_auth(headers.get("Authorization"))
    if creds is None or not store.check(*creds):
        return 401, None
    return 200, creds[0]
''',
bug=[('''    try:
        decoded = base64.b64decode(token.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
''', '''    decoded = base64.b64decode(token.strip(), validate=True).decode("utf-8")
''')],
tests=r'''
import base64
import unittest

from app.auth import parse_basic_auth, UserStore, authenticate


def basic(s):
    return "Basic " + base64.b64encode(s.encode()).decode()


class AuthTest(unittest.TestCase):
    def setUp(self):
        self.store = UserStore()
        self.store.add("ops", "s3cret")

    def test_parse(self):
        self.assertEqual(parse_basic_auth(basic("a:b:c")), ("a", "b:c"))

    def test_wrong_scheme(self):
        self.assertIsNone(parse_basic_auth("Bearer abc"))

    def test_authenticate(self):
        self.assertEqual(authenticate(self.store, {"Authorization": basic("ops:s3cret")}), (200, "ops"))
        self.assertEqual(authenticate(self.store, {"Authorization": basic("ops:nope")}), (401, None))

    def test_garbage_token_is_401(self):
        self.assertEqual(authenticate(self.store, {"Authorization": "Basic %%%"}), (401, None))


if __name__ == "__main__":
    unittest.main()
''',
oracle=r'''
import base64
import unittest

from app.auth import parse_basic_auth, UserStore, authenticate


class OracleAuth(unittest.TestCase):
    def test_invalid_base64_variants(self):
        for token in ("abc", "!!!!", "YWJj=ZA=="):
            self.assertIsNone(parse_basic_auth("Basic " + token), token)

    def test_non_utf8(self):
        token = base64.b64encode(b"\xff\xfe:\xff").decode()
        self.assertIsNone(parse_basic_auth("Basic " + token))

    def test_no_colon(self):
        self.assertIsNone(parse_basic_auth("Basic " + base64.b64encode(b"justuser").decode()))

    def test_missing_header(self):
        self.assertEqual(authenticate(UserStore(), {}), (401, None))

    def test_valid_still_works(self):
        s = UserStore()
        s.add("u", "p")
        h = "basic " + base64.b64encode(b"u:p").decode()
        self.assertEqual(authenticate(s, {"Authorization": h}), (200, "u"))


if __name__ == "__main__":
    unittest.main()
''',
evidence='''from app.auth import parse_basic_auth; parse_basic_auth("Basic %%%")''',
))

# ---------------------------------------------------------------- input-validation 001
CASES.append(dict(
id="py-input-val-001", fault_class="input-validation", kind="semantic",
description="list_params() calls int() on the raw 'page'/'per_page' query values without validation, so non-numeric input raises ValueError instead of using defaults",
module="listing",
source=r'''
"""Request-parameter handling for the /orders listing endpoint."""

DEFAULT_PAGE = 1
DEFAULT_PER_PAGE = 25
MAX_PER_PAGE = 200
SORT_FIELDS = ("created", "total", "status")


def _int_param(params, name, default, minimum=1, maximum=None):
    raw = params.get(name)
    if raw is None:
        return default
    try:
        value = int(str(raw).strip())
    except ValueError:
        return default
    if value < minimum:
        return default
    if maximum is not None and value > maximum:
        return maximum
    return value


def list_params(params):
    """Normalise untrusted query parameters into a listing request."""
    page = _int_param(params, "page", DEFAULT_PAGE)
    per_page = _int_param(params, "per_page", DEFAULT_PER_PAGE, maximum=MAX_PER_PAGE)
    sort = params.get("sort", "created")
    desc = sort.startswith("-")
    field = sort.lstrip("-")
    if field not in SORT_FIELDS:
        field, desc = "created", False
    return {"page": page, "per_page": per_page, "sort": field, "desc": desc}


def apply(orders, req):
    rows = sorted(orders, key=lambda o: o[req["sort"]], reverse=req["desc"])
    start = (req["page"] - 1) * req["per_page"]
    return rows[start:start + req["per_page"]]
''',
bug=[('''    try:
        value = int(str(raw).strip())
    except ValueError:
        return default
''', '''    value = int(str(raw).strip())
''')],
tests=r'''
import unittest

from app.listing import list_params, apply


class ListingTest(unittest.TestCase):
    def test_defaults(self):
        self.assertEqual(list_params({}), {"page": 1, "per_page": 25, "sort": "created", "desc": False})

    def test_clamp_and_sort(self):
        self.assertEqual(list_params({"page": "2", "per_page": "1000", "sort": "-total"}),
                         {"page": 2, "per_page": 200, "sort": "total", "desc": True})

    def test_apply(self):
        orders = [{"created": i, "total": 10 - i, "status": "x"} for i in range(5)]
        req = list_params({"per_page": "2", "page": "2", "sort": "total"})
        self.assertEqual([o["created"] for o in apply(orders, req)], [2, 1])

    def test_garbage_page_uses_default(self):
        self.assertEqual(list_params({"page": "abc"})["page"], 1)


if __name__ == "__main__":
    unittest.main()
''',
oracle=r'''
import unittest

from app.listing import list_params


class OracleListing(unittest.TestCase):
    def test_bad_values(self):
        for raw in ("", "1.5", "ten", "0x10", " "):
            self.assertEqual(list_params({"page": raw, "per_page": raw})["page"], 1, raw)
            self.assertEqual(list_params({"per_page": raw})["per_page"], 25, raw)

    def test_negative_and_zero(self):
        self.assertEqual(list_params({"page": "-3", "per_page": "0"})["page"], 1)
        self.assertEqual(list_params({"per_page": "0"})["per_page"], 25)

    def test_spaces_ok(self):
        self.assertEqual(list_params({"page": " 4 "})["page"], 4)

    def test_unknown_sort(self):
        self.assertEqual(list_params({"sort": "-password"})["sort"], "created")


if __name__ == "__main__":
    unittest.main()
''',
evidence='''from app.listing import list_params; list_params({"page": "abc"})''',
))

# ---------------------------------------------------------------- input-validation 002
CASES.append(dict(
id="py-input-val-002", fault_class="input-validation", kind="semantic",
description="parse_size() indexes the unit table with an unvalidated suffix, raising KeyError for unknown units instead of the documented ValueError",
module="sizes",
source=r'''
"""Parse human-readable sizes ("512K", "1.5 GiB") from the storage quota config."""
import re

UNITS = {
    "": 1,
    "b": 1,
    "k": 1000, "kb": 1000, "kib": 1024,
    "m": 1000 ** 2, "mb": 1000 ** 2, "mib": 1024 ** 2,
    "g": 1000 ** 3, "gb": 1000 ** 3, "gib": 1024 ** 3,
    "t": 1000 ** 4, "tb": 1000 ** 4, "tib": 1024 ** 4,
}

SIZE_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$")


def parse_size(text):
    """Return the size in bytes. Raises ValueError for anything malformed."""
    m = SIZE_RE.match(str(text))
    if not m:
        raise ValueError("invalid size: %r" % (text,))
    number, unit = m.group(1), m.group(2).lower()
    if unit not in UNITS:
        raise ValueError("unknown unit %r in %r" % (unit, text))
    return int(float(number) * UNITS[unit])


def format_size(n, binary=True):
    step = 1024 if binary else 1000
    suffixes = ["B", "KiB", "MiB", "GiB", "TiB"] if binary else ["B", "KB", "MB", "GB", "TB"]
    value = float(n)
    for suffix in suffixes:
        if value < step or suffix == suffixes[-1]:
            return ("%d %s" % (value, suffix)) if suffix == "B" else ("%.1f %s" % (value, suffix))
        value /= step


def load_quotas(mapping):
    """Parse {'user': '10GiB', ...}; collect errors instead of failing on the first."""
    quotas, errors = {}, {}
    for user, raw in mapping.items():
        try:
            quotas[user] = parse_size(raw)
        except ValueError as exc:
            errors[user] = str(exc)
    return quotas, errors
''',
bug=[('''    if unit not in UNITS:
        raise ValueError("unknown unit %r in %r" % (unit, text))
''', '')],
tests=r'''
import unittest

from app.sizes import parse_size, format_size, load_quotas


class SizesTest(unittest.TestCase):
    def test_parse(self):
        self.assertEqual(parse_size("512K"), 512000)
        self.assertEqual(parse_size("1.5 GiB"), 1610612736)
        self.assertEqual(parse_size(42), 42)

    def test_malformed(self):
        with self.assertRaises(ValueError):
            parse_size("lots")

    def test_format(self):
        self.assertEqual(format_size(1536), "1.5 KiB")
        self.assertEqual(format_size(999, binary=False), "999 B")

    def test_quotas_collect_errors(self):
        quotas, errors = load_quotas({"ann": "10GB", "bob": "5 parsecs"})
        self.assertEqual(quotas, {"ann": 10 ** 10})
        self.assertIn("bob", errors)


if __name__ == "__main__":
    unittest.main()
''',
oracle=r'''
import unittest

from app.sizes import parse_size, load_quotas


class OracleSizes(unittest.TestCase):
    def test_unknown_units(self):
        for raw in ("10XB", "3 bytes", "1kibi", "2 pb"):
            with self.assertRaises(ValueError, msg=raw):
                parse_size(raw)

    def test_case_insensitive(self):
        self.assertEqual(parse_size("2MiB"), 2 * 1024 ** 2)
        self.assertEqual(parse_size("2 mb"), 2000000)
        self.assertEqual(parse_size("7b"), 7)

    def test_errors_mention_input(self):
        _, errors = load_quotas({"x": "9 zb"})
        self.assertIn("zb", errors["x"])


if __name__ == "__main__":
    unittest.main()
''',
evidence='''from app.sizes import load_quotas; load_quotas({"ann": "10GB", "bob": "5 parsecs"})''',
))

# ---------------------------------------------------------------- input-validation 003
CASES.append(dict(
id="py-input-val-003", fault_class="input-validation", kind="semantic",
description="LRUCache accepts a non-positive capacity instead of raising ValueError; with a negative capacity put() evicts from an empty OrderedDict and raises KeyError",
module="lru",
source=r'''
"""LRU cache for compiled route templates."""
from collections import OrderedDict


class LRUCache:
    def __init__(self, capacity):
        if not isinstance(capacity, int) or capacity < 1:
            raise ValueError("capacity must be a positive integer")
        self.capacity = capacity
        self._data = OrderedDict()
        self.evictions = 0

    def get(self, key, default=None):
        if key not in self._data:
            return default
        self._data.move_to_end(key)
        return self._data[key]

    def put(self, key, value):
        if key in self._data:
            self._data.move_to_end(key)
        self._data[key] = value
        while len(self._data) > self.capacity:
            self._data.popitem(last=False)
            self.evictions += 1

    def __contains__(self, key):
        return key in self._data

    def __len__(self):
        return len(self._data)

    def keys(self):
        return list(self._data.keys())


def cached(cache):
    """Decorator memoising a single-argument function in `cache`."""
    def wrap(fn):
        def inner(arg):
            sentinel = object()
            value = cache.get(arg, sentinel)
            if value is sentinel:
                value = fn(arg)
                cache.put(arg, value)
            return value
        return inner
    return wrap
''',
bug=[('''        if not isinstance(capacity, int) or capacity < 1:
            raise ValueError("capacity must be a positive integer")
''', '')],
tests=r'''
import unittest

from app.lru import LRUCache, cached


class LRUTest(unittest.TestCase):
    def test_eviction_order(self):
        c = LRUCache(2)
        c.put("a", 1)
        c.put("b", 2)
        c.get("a")
        c.put("c", 3)
        self.assertEqual(c.keys(), ["a", "c"])
        self.assertEqual(c.evictions, 1)

    def test_cached(self):
        calls = []
        c = LRUCache(4)

        @cached(c)
        def square(x):
            calls.append(x)
            return x * x

        self.assertEqual([square(3), square(3), square(4)], [9, 9, 16])
        self.assertEqual(calls, [3, 4])

    def test_rejects_zero_capacity(self):
        with self.assertRaises(ValueError):
            LRUCache(0)


if __name__ == "__main__":
    unittest.main()
''',
oracle=r'''
import unittest

from app.lru import LRUCache


class OracleLRU(unittest.TestCase):
    def test_invalid_capacities(self):
        for cap in (0, -1, -100, 1.5, "3", None):
            with self.assertRaises(ValueError, msg=repr(cap)):
                LRUCache(cap)

    def test_capacity_one(self):
        c = LRUCache(1)
        c.put("a", 1)
        c.put("b", 2)
        self.assertNotIn("a", c)
        self.assertEqual(c.get("b"), 2)
        self.assertEqual(len(c), 1)

    def test_update_existing(self):
        c = LRUCache(2)
        c.put("a", 1)
        c.put("a", 5)
        self.assertEqual((len(c), c.get("a"), c.evictions), (1, 5, 0))


if __name__ == "__main__":
    unittest.main()
''',
evidence='''from app.lru import LRUCache; LRUCache(-1).put("a", 1)''',
))

# ---------------------------------------------------------------- wrong-variable 001
CASES.append(dict(
id="py-wrong-var-001", fault_class="wrong-variable", kind="syntactic",
description="endpoint_stats() divides the error count by total_requests (all endpoints) instead of the endpoint's own request count",
module="metrics",
source=r'''
"""Aggregate per-endpoint request metrics from parsed access records."""


def endpoint_stats(records):
    """records: iterable of dicts with 'path', 'status', 'ms'.

    Returns {path: {"count", "error_rate", "p_max", "avg_ms"}} with error_rate
    the fraction of that endpoint's requests answered with a 5xx status.
    """
    per_path = {}
    total_requests = 0
    for rec in records:
        total_requests += 1
        bucket = per_path.setdefault(rec["path"], {"count": 0, "errors": 0, "ms": []})
        bucket["count"] += 1
        if rec["status"] >= 500:
            bucket["errors"] += 1
        bucket["ms"].append(rec["ms"])

    out = {}
    for path, b in per_path.items():
        count = b["count"]
        out[path] = {
            "count": count,
            "error_rate": round(b["errors"] / count, 4),
            "p_max": max(b["ms"]),
            "avg_ms": round(sum(b["ms"]) / count, 2),
            "share": round(count / total_requests, 4),
        }
    return out


def worst_endpoints(stats, n=3):
    ranked = sorted(stats.items(), key=lambda kv: (-kv[1]["error_rate"], kv[0]))
    return [path for path, s in ranked[:n] if s["error_rate"] > 0]


def render_table(stats):
    lines = ["%-20s %6s %8s %8s" % ("path", "count", "err%", "avg_ms")]
    for path in sorted(stats):
        s = stats[path]
        lines.append("%-20s %6d %7.1f%% %8.2f" % (path, s["count"], s["error_rate"] * 100, s["avg_ms"]))
    return "\n".join(lines)
''',
bug=[('"error_rate": round(b["errors"] / count, 4),', '"error_rate": round(b["errors"] / total_requests, 4),')],
tests=r'''
import unittest

from app.metrics import endpoint_stats, worst_endpoints, render_table

RECORDS = [
    {"path": "/a", "status": 200, "ms": 10},
    {"path": "/a", "status": 500, "ms": 30},
    {"path": "/b", "status": 200, "ms": 5},
    {"path": "/b", "status": 200, "ms": 7},
]


class MetricsTest(unittest.TestCase):
    def test_counts_and_share(self):
        s = endpoint_stats(RECORDS)
        self.assertEqual(s["/a"]["count"], 2)
        self.assertEqual(s["/b"]["share"], 0.5)
        self.assertEqual(s["/a"]["avg_ms"], 20.0)

    def test_error_rate(self):
        self.assertEqual(endpoint_stats(RECORDS)["/a"]["error_rate"], 0.5)

    def test_render_header(self):
        self.assertTrue(render_table(endpoint_stats(RECORDS)).startswith("path"))


if __name__ == "__main__":
    unittest.main()
''',
oracle=r'''
import unittest

from app.metrics import endpoint_stats, worst_endpoints


class OracleMetrics(unittest.TestCase):
    def test_single_endpoint(self):
        s = endpoint_stats([{"path": "/x", "status": 503, "ms": 1}])
        self.assertEqual(s["/x"]["error_rate"], 1.0)

    def test_rates_independent_of_other_traffic(self):
        recs = [{"path": "/e", "status": 502, "ms": 1}, {"path": "/e", "status": 200, "ms": 1},
                {"path": "/e", "status": 200, "ms": 1}, {"path": "/e", "status": 200, "ms": 1}]
        recs += [{"path": "/ok", "status": 200, "ms": 1}] * 16
        s = endpoint_stats(recs)
        self.assertEqual(s["/e"]["error_rate"], 0.25)
        self.assertEqual(s["/ok"]["error_rate"], 0.0)
        self.assertEqual(s["/e"]["share"], 0.2)
        self.assertEqual(worst_endpoints(s), ["/e"])


if __name__ == "__main__":
    unittest.main()
''',
))

# ---------------------------------------------------------------- wrong-variable 002
CASES.append(dict(
id="py-wrong-var-002", fault_class="wrong-variable", kind="syntactic",
description="QuotaTable.limit_for() returns self.default_limit even when a per-tenant override was found",
module="quota",
source=r'''
"""Per-tenant API quotas with plan defaults and explicit overrides."""

PLANS = {"free": 100, "pro": 10000, "enterprise": 1000000}


class QuotaTable:
    def __init__(self, default_plan="free"):
        self.default_limit = PLANS[default_plan]
        self.tenant_plan = {}
        self.overrides = {}
        self.used = {}

    def assign(self, tenant, plan):
        if plan not in PLANS:
            raise ValueError("unknown plan %r" % plan)
        self.tenant_plan[tenant] = plan

    def override(self, tenant, limit):
        if limit < 0:
            raise ValueError("limit must be >= 0")
        self.overrides[tenant] = limit

    def limit_for(self, tenant):
        limit = self.overrides.get(tenant)
        if limit is not None:
            return limit
        plan = self.tenant_plan.get(tenant)
        if plan is not None:
            return PLANS[plan]
        return self.default_limit

    def consume(self, tenant, n=1):
        """Record usage; returns False (and records nothing) when over quota."""
        used = self.used.get(tenant, 0)
        if used + n > self.limit_for(tenant):
            return False
        self.used[tenant] = used + n
        return True

    def remaining(self, tenant):
        return self.limit_for(tenant) - self.used.get(tenant, 0)

    def reset(self):
        self.used.clear()
''',
bug=[('''        if limit is not None:
            return limit''', '''        if limit is not None:
            return self.default_limit''')],
tests=r'''
import unittest

from app.quota import QuotaTable


class QuotaTest(unittest.TestCase):
    def test_default(self):
        self.assertEqual(QuotaTable().limit_for("t1"), 100)

    def test_plan(self):
        q = QuotaTable()
        q.assign("t1", "pro")
        self.assertEqual(q.limit_for("t1"), 10000)

    def test_unknown_plan(self):
        with self.assertRaises(ValueError):
            QuotaTable().assign("t", "gold")

    def test_override_wins(self):
        q = QuotaTable()
        q.assign("t1", "pro")
        q.override("t1", 5)
        self.assertEqual(q.limit_for("t1"), 5)


if __name__ == "__main__":
    unittest.main()
''',
oracle=r'''
import unittest

from app.quota import QuotaTable


class OracleQuota(unittest.TestCase):
    def test_zero_override_blocks(self):
        q = QuotaTable()
        q.override("t", 0)
        self.assertFalse(q.consume("t"))
        self.assertEqual(q.remaining("t"), 0)

    def test_override_consumption(self):
        q = QuotaTable("pro")
        q.override("t", 3)
        self.assertEqual([q.consume("t") for _ in range(4)], [True, True, True, False])
        self.assertEqual(q.remaining("t"), 0)
        q.reset()
        self.assertEqual(q.remaining("t"), 3)

    def test_large_override(self):
        q = QuotaTable()
        q.override("big", 500)
        self.assertTrue(q.consume("big", 300))


if __name__ == "__main__":
    unittest.main()
''',
))

# ---------------------------------------------------------------- wrong-variable 003
CASES.append(dict(
id="py-wrong-var-003", fault_class="wrong-variable", kind="syntactic",
description="parse_ini() stores keys under the previous section name (last_section) instead of the current one",
module="ini",
source=r'''
"""Minimal INI parser for worker configuration files."""


class IniError(ValueError):
    def __init__(self, lineno, msg):
        super().__init__("line %d: %s" % (lineno, msg))
        self.lineno = lineno


def parse_ini(text, default_section="general"):
    """Return {section: {key: value}}. Keys are lower-cased; ';' and '#' start comments."""
    data = {default_section: {}}
    section = default_section
    last_section = None
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line[0] in ";#":
            continue
        if line.startswith("["):
            if not line.endswith("]") or len(line) < 3:
                raise IniError(lineno, "bad section header")
            last_section = section
            section = line[1:-1].strip().lower()
            data.setdefault(section, {})
            continue
        key, sep, value = line.partition("=")
        if not sep:
            raise IniError(lineno, "expected key = value")
        key = key.strip().lower()
        if not key:
            raise IniError(lineno, "empty key")
        data[section][key] = value.strip()
    if not data[default_section]:
        del data[default_section]
    return data


def get_typed(data, section, key, default=None, type_=str):
    raw = data.get(section, {}).get(key)
    if raw is None:
        return default
    if type_ is bool:
        return raw.lower() in ("1", "true", "yes", "on")
    return type_(raw)
''',
bug=[("        data[section][key] = value.strip()", "        data[last_section or section][key] = value.strip()")],
tests=r'''
import unittest

from app.ini import parse_ini, get_typed, IniError

TEXT = """
; worker config
name = thumbs
[queue]
url = amqp://localhost
prefetch = 8
[flags]
debug = yes
"""


class IniTest(unittest.TestCase):
    def test_default_section(self):
        self.assertEqual(parse_ini(TEXT)["general"], {"name": "thumbs"})

    def test_errors(self):
        with self.assertRaises(IniError):
            parse_ini("[broken\n")
        with self.assertRaises(IniError):
            parse_ini("novalue\n")

    def test_sections(self):
        data = parse_ini(TEXT)
        self.assertEqual(get_typed(data, "queue", "prefetch", type_=int), 8)
        self.assertTrue(get_typed(data, "flags", "debug", type_=bool))


if __name__ == "__main__":
    unittest.main()
''',
oracle=r'''
import unittest

from app.ini import parse_ini


class OracleIni(unittest.TestCase):
    def test_exact_structure(self):
        text = "[a]\nx=1\n[b]\ny = 2\n# c\n[A]\nz=3\n"
        self.assertEqual(parse_ini(text), {"a": {"x": "1", "z": "3"}, "b": {"y": "2"}})

    def test_only_sections(self):
        self.assertEqual(parse_ini("[s]\nk=v"), {"s": {"k": "v"}})

    def test_values_with_equals(self):
        self.assertEqual(parse_ini("[db]\ndsn = a=b;c=d\n")["db"]["dsn"], "a=b;c=d")


if __name__ == "__main__":
    unittest.main()
''',
))

# ---------------------------------------------------------------- missing-initialization 001
CASES.append(dict(
id="py-missing-init-001", fault_class="missing-initialization", kind="semantic",
description="CircuitBreaker.__init__ never initialises self.failures (only reset() does), so the first recorded failure raises AttributeError",
module="breaker",
source=r'''
"""Circuit breaker guarding calls to the payment provider."""
import time

CLOSED, OPEN, HALF_OPEN = "closed", "open", "half-open"


class CircuitOpenError(RuntimeError):
    pass


class CircuitBreaker:
    def __init__(self, threshold=3, cooldown=30.0, clock=time.monotonic):
        self.threshold = threshold
        self.cooldown = cooldown
        self.clock = clock
        self.state = CLOSED
        self.opened_at = None
        self.failures = 0

    def reset(self):
        self.state = CLOSED
        self.opened_at = None
        self.failures = 0

    def _current_state(self):
        if self.state == OPEN and self.clock() - self.opened_at >= self.cooldown:
            self.state = HALF_OPEN
        return self.state

    def record_success(self):
        self.reset()

    def record_failure(self):
        self.failures += 1
        if self.state == HALF_OPEN or self.failures >= self.threshold:
            self.state = OPEN
            self.opened_at = self.clock()

    def call(self, fn, *args, **kwargs):
        if self._current_state() == OPEN:
            raise CircuitOpenError("circuit open")
        try:
            result = fn(*args, **kwargs)
        except Exception:
            self.record_failure()
            raise
        self.record_success()
        return result
''',
bug=[('''        self.opened_at = None
        self.failures = 0

    def reset(self):''', '''        self.opened_at = None

    def reset(self):''')],
tests=r'''
import unittest

from app.breaker import CircuitBreaker, CircuitOpenError, CLOSED, OPEN


def boom():
    raise IOError("down")


class BreakerTest(unittest.TestCase):
    def test_success_passthrough(self):
        self.assertEqual(CircuitBreaker().call(lambda x: x + 1, 1), 2)

    def test_reset(self):
        b = CircuitBreaker()
        b.reset()
        self.assertEqual(b.state, CLOSED)

    def test_opens_after_threshold(self):
        b = CircuitBreaker(threshold=2, clock=lambda: 0.0)
        for _ in range(2):
            with self.assertRaises(IOError):
                b.call(boom)
        self.assertEqual(b.state, OPEN)
        with self.assertRaises(CircuitOpenError):
            b.call(lambda: 1)


if __name__ == "__main__":
    unittest.main()
''',
oracle=r'''
import unittest

from app.breaker import CircuitBreaker, CircuitOpenError, CLOSED, OPEN, HALF_OPEN


class Clock:
    t = 0.0

    def __call__(self):
        return self.t


def boom():
    raise IOError("down")


class OracleBreaker(unittest.TestCase):
    def test_single_failure_stays_closed(self):
        b = CircuitBreaker(threshold=3)
        with self.assertRaises(IOError):
            b.call(boom)
        self.assertEqual((b.state, b.failures), (CLOSED, 1))

    def test_half_open_cycle(self):
        clock = Clock()
        b = CircuitBreaker(threshold=1, cooldown=10, clock=clock)
        with self.assertRaises(IOError):
            b.call(boom)
        with self.assertRaises(CircuitOpenError):
            b.call(lambda: 1)
        clock.t = 10
        self.assertEqual(b.call(lambda: "ok"), "ok")
        self.assertEqual((b.state, b.failures), (CLOSED, 0))

    def test_half_open_failure_reopens(self):
        clock = Clock()
        b = CircuitBreaker(threshold=5, cooldown=1, clock=clock)
        b.state, b.opened_at = OPEN, 0.0
        clock.t = 2
        with self.assertRaises(IOError):
            b.call(boom)
        self.assertEqual(b.state, OPEN)


if __name__ == "__main__":
    unittest.main()
''',
evidence='''from app.breaker import CircuitBreaker; CircuitBreaker().record_failure()''',
))

# ---------------------------------------------------------------- missing-initialization 002
CASES.append(dict(
id="py-missing-init-002", fault_class="missing-initialization", kind="semantic",
description="busiest_hour() initialises best_hour only inside the loop body's if-branch, so an empty input raises UnboundLocalError instead of returning None",
module="traffic",
source=r'''
"""Hourly traffic aggregation for the capacity-planning report."""
from collections import Counter
from datetime import datetime


def hour_of(ts):
    """'2024-05-01T13:45:10' -> '2024-05-01T13'"""
    return datetime.fromisoformat(ts).strftime("%Y-%m-%dT%H")


def per_hour(timestamps):
    return Counter(hour_of(ts) for ts in timestamps)


def busiest_hour(timestamps):
    """Return (hour, count) of the busiest hour, earliest on ties; None when empty."""
    counts = per_hour(timestamps)
    best_hour = None
    best_count = 0
    for hour in sorted(counts):
        if counts[hour] > best_count:
            best_hour = hour
            best_count = counts[hour]
    if best_hour is None:
        return None
    return best_hour, best_count


def quiet_hours(timestamps, threshold):
    counts = per_hour(timestamps)
    return sorted(h for h, c in counts.items() if c < threshold)


def report(timestamps):
    busiest = busiest_hour(timestamps)
    if busiest is None:
        return "no traffic"
    hour, count = busiest
    return "busiest hour %s with %d requests (%d total)" % (hour, count, len(timestamps))
''',
bug=[('''    best_hour = None
    best_count = 0
''', '''    best_count = 0
''')],
tests=r'''
import unittest

from app.traffic import busiest_hour, quiet_hours, report

TS = ["2024-05-01T13:05:00", "2024-05-01T13:59:59", "2024-05-01T14:00:00", "2024-05-01T09:30:00"]


class TrafficTest(unittest.TestCase):
    def test_busiest(self):
        self.assertEqual(busiest_hour(TS), ("2024-05-01T13", 2))

    def test_quiet(self):
        self.assertEqual(quiet_hours(TS, 2), ["2024-05-01T09", "2024-05-01T14"])

    def test_report(self):
        self.assertEqual(report(TS), "busiest hour 2024-05-01T13 with 2 requests (4 total)")

    def test_report_without_traffic(self):
        self.assertEqual(report([]), "no traffic")


if __name__ == "__main__":
    unittest.main()
''',
oracle=r'''
import unittest

from app.traffic import busiest_hour


class OracleTraffic(unittest.TestCase):
    def test_empty(self):
        self.assertIsNone(busiest_hour([]))

    def test_tie_earliest(self):
        ts = ["2024-01-01T05:00:00", "2024-01-01T03:00:00"]
        self.assertEqual(busiest_hour(ts), ("2024-01-01T03", 1))

    def test_single(self):
        self.assertEqual(busiest_hour(["2024-01-01T00:00:01"]), ("2024-01-01T00", 1))


if __name__ == "__main__":
    unittest.main()
''',
evidence='''from app.traffic import report; report([])''',
))
