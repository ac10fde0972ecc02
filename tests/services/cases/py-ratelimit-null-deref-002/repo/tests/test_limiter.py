import sys
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "app"))

from limiter import RateLimiter  # noqa: E402


class FakeClock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


class RateLimiterTest(unittest.TestCase):
    def setUp(self):
        self.clock = FakeClock()
        self.limiter = RateLimiter(self.clock)

    def test_burst_then_deny(self):
        self.limiter.handle("LIMIT api 1 2")
        self.assertEqual(self.limiter.handle("HIT api"), "ALLOW remaining=1")
        self.assertEqual(self.limiter.handle("HIT api"), "ALLOW remaining=0")
        self.assertEqual(self.limiter.handle("HIT api"), "DENY retry_after=1.00")

    def test_refill_over_time(self):
        self.limiter.handle("LIMIT api 2 1")
        self.limiter.handle("HIT api")
        self.clock.now += 0.5
        self.assertEqual(self.limiter.handle("HIT api"), "ALLOW remaining=0")

    def test_limit_reports_refill_time(self):
        self.assertEqual(self.limiter.handle("LIMIT batch 4 20"), "OK refill=5.0s")

    def test_limit_rejects_text(self):
        self.assertEqual(self.limiter.handle("LIMIT api fast 3"), "ERR rate and burst must be numbers")

    def test_status_of_known_client(self):
        self.limiter.handle("HIT web")
        self.assertEqual(self.limiter.handle("STATUS web"), "STATUS tokens=9.0 rate=5 burst=10")

    def test_reset(self):
        self.limiter.handle("HIT web")
        self.assertEqual(self.limiter.handle("RESET web"), "OK")
        self.assertEqual(self.limiter.handle("RESET web"), "UNKNOWN")


if __name__ == "__main__":
    unittest.main()
