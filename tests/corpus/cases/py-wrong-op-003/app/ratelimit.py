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
        if bucket[1] <= self.limit:
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
