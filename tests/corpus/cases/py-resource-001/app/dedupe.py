"""Idempotency-key deduplication for the payments webhook."""
import time
from collections import OrderedDict


class Deduplicator:
    """Remembers request ids for `window` seconds."""

    def __init__(self, window=300.0, clock=time.monotonic):
        if window <= 0:
            raise ValueError("window must be positive")
        self.window = window
        self.clock = clock
        self._seen = OrderedDict()
        self.duplicates = 0

    def _evict(self, now):
        cutoff = now - self.window
        while self._seen:
            key, ts = next(iter(self._seen.items()))
            if ts > cutoff:
                break
            self._seen.popitem(last=False)

    def seen(self, request_id):
        """Return True if request_id was seen within the window; records it otherwise."""
        now = self.clock()
        if request_id in self._seen:
            self.duplicates += 1
            return True
        self._seen[request_id] = now
        return False

    def __len__(self):
        return len(self._seen)


def process(events, dedupe, handler):
    handled = 0
    for event in events:
        if dedupe.seen(event["id"]):
            continue
        handler(event)
        handled += 1
    return handled
