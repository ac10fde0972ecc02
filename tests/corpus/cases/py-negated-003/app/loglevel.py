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
        if not LEVELS[entry["level"]] < floor:
            continue
        out.append(entry)
    return out


def count_by_level(entries):
    counts = {}
    for e in entries:
        counts[e["level"]] = counts.get(e["level"], 0) + 1
    return counts
