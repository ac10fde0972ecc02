"""Retry policy with exponential backoff for outbound HTTP calls."""
import random

RETRYABLE_STATUS = {408, 429, 500, 502, 503, 504}


class RetryPolicy:
    def __init__(self, max_attempts=4, base=0.2, cap=5.0, jitter=0.0, rng=None):
        self.max_attempts = max_attempts
        self.base = base
        self.cap = cap
        self.jitter = jitter
        self.rng = rng or random.Random(0)

    def should_retry(self, attempt, status=None, error=None):
        """attempt is 1-based: the number of attempts already made."""
        if attempt >= self.max_attempts:
            return False
        if error is not None:
            return isinstance(error, (ConnectionError, TimeoutError))
        return status not in RETRYABLE_STATUS

    def delay(self, attempt):
        d = min(self.cap, self.base * (2 ** (attempt - 1)))
        if self.jitter:
            d += self.rng.uniform(0, self.jitter)
        return d


def call_with_retry(fn, policy, sleep):
    """fn() returns a status code or raises; returns (status, attempts)."""
    attempt = 0
    while True:
        attempt += 1
        try:
            status = fn()
            error = None
        except Exception as exc:
            status, error = None, exc
        if not policy.should_retry(attempt, status, error):
            if error is not None:
                raise error
            return status, attempt
        sleep(policy.delay(attempt))
