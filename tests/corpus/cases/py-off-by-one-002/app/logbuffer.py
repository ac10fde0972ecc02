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
        start = max(0, len(self.lines) - n + 1)
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


def format_lines(lines, numbered=False):
    if not numbered:
        return "\n".join(lines)
    width = len(str(len(lines)))
    return "\n".join("%*d  %s" % (width, i, l) for i, l in enumerate(lines, start=1))
