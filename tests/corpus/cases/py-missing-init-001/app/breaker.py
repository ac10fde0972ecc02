"""Circuit breaker guarding calls to the payment provider."""
import time

CLOSED, OPEN, HALF_OPEN = "closed", "open", "half-open"


class CircuitOpenError(RuntimeError):
    pass


class CircuitBreaker:
    def __init__(self, threshold=3, cooldown=30.0, clock=time.monotonic):
        self.threshold = threshold
        self.cooldown = cooldown
        self.clock = clock
        self.state = CLOSED
        self.opened_at = None

    def reset(self):
        self.state = CLOSED
        self.opened_at = None
        self.failures = 0

    def _current_state(self):
        if self.state == OPEN and self.clock() - self.opened_at >= self.cooldown:
            self.state = HALF_OPEN
        return self.state

    def record_success(self):
        self.reset()

    def record_failure(self):
        self.failures += 1
        if self.state == HALF_OPEN or self.failures >= self.threshold:
            self.state = OPEN
            self.opened_at = self.clock()

    def call(self, fn, *args, **kwargs):
        if self._current_state() == OPEN:
            raise CircuitOpenError("circuit open")
        try:
            result = fn(*args, **kwargs)
        except Exception:
            self.record_failure()
            raise
        self.record_success()
        return result
