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
        if len(line.split()) < 3:
            rejected += 1
            continue
        events.append(parse_line(line))
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
