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
                lo = mid
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


def build_index(lines, every=100):
    """Index every `every`-th line of [(ts, offset), ...]."""
    idx = TimeIndex()
    for n, (ts, offset) in enumerate(lines):
        if n % every == 0:
            idx.add(ts, offset)
    return idx
