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
        return sum(v for _, v in self.samples) / len(self.samples)

    def maximum(self):
        return max((v for _, v in self.samples), default=0.0)

    def snapshot(self):
        return {
            "count": self.count(),
            "mean": round(self.mean(), 3),
            "max": self.maximum(),
        }
