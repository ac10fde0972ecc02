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
