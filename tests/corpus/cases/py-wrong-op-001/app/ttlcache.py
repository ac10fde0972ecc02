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
        return self.clock() - stored_at < self.ttl

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
