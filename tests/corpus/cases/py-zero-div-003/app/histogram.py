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
        self.width = (hi - lo) // buckets
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
