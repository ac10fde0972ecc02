"""Token-bucket rate limiter: one bucket per client key, limits configurable per client."""

import time

DEFAULT_RATE = 5.0  # tokens added per second
DEFAULT_BURST = 10  # bucket capacity


class Bucket:
    def __init__(self, rate, burst, now):
        self.rate = rate
        self.burst = burst
        self.tokens = float(burst)
        self.updated = now

    def refill(self, now):
        elapsed = max(0.0, now - self.updated)
        self.tokens = min(float(self.burst), self.tokens + elapsed * self.rate)
        self.updated = now

    def retry_after(self):
        return max(0.0, (1.0 - self.tokens) / self.rate)


class RateLimiter:
    def __init__(self, clock=time.monotonic):
        self.clock = clock
        self.buckets = {}
        self.limits = {}

    def handle(self, line):
        parts = line.split()
        if not parts:
            return "ERR empty request"
        command, args = parts[0].upper(), parts[1:]
        if command == "HIT" and len(args) == 1:
            return self.hit(args[0])
        if command == "LIMIT" and len(args) == 3:
            return self.set_limit(*args)
        if command == "STATUS" and len(args) == 1:
            return self.status(args[0])
        if command == "RESET" and len(args) == 1:
            return "OK" if self.buckets.pop(args[0], None) else "UNKNOWN"
        return "ERR usage: HIT c | LIMIT c rate burst | STATUS c | RESET c"

    def bucket_for(self, client):
        bucket = self.buckets.get(client)
        if bucket is None:
            rate, burst = self.limits.get(client, (DEFAULT_RATE, DEFAULT_BURST))
            bucket = Bucket(rate, burst, self.clock())
            self.buckets[client] = bucket
        return bucket

    def hit(self, client):
        now = self.clock()
        bucket = self.bucket_for(client)
        bucket.refill(now)
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            return f"ALLOW remaining={int(bucket.tokens)}"
        return f"DENY retry_after={bucket.retry_after():.2f}"

    def set_limit(self, client, rate_text, burst_text):
        try:
            rate = float(rate_text)
            burst = int(burst_text)
        except ValueError:
            return "ERR rate and burst must be numbers"
        if burst < 1:
            return "ERR burst must be >= 1"
        self.limits[client] = (rate, burst)
        self.buckets.pop(client, None)
        refill_seconds = burst / rate
        return f"OK refill={refill_seconds:.1f}s"

    def status(self, client):
        bucket = self.buckets.get(client)
        if bucket is None:
            return "UNKNOWN"
        bucket.refill(self.clock())
        return f"STATUS tokens={bucket.tokens:.1f} rate={bucket.rate:g} burst={bucket.burst}"
