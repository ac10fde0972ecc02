import unittest

from app.ratelimit import RateLimiter


class Clock:
    def __init__(self, t=0.0):
        self.t = t

    def __call__(self):
        return self.t


class OracleRateLimiter(unittest.TestCase):
    def test_limit_one(self):
        rl = RateLimiter(1, window=10, clock=Clock())
        self.assertTrue(rl.allow("x"))
        self.assertFalse(rl.allow("x"))
        self.assertTrue(rl.allow("y"))

    def test_window_reset_and_retry_after(self):
        clock = Clock(3.0)
        rl = RateLimiter(2, window=10, clock=clock)
        self.assertTrue(rl.allow("c"))
        self.assertTrue(rl.allow("c"))
        self.assertFalse(rl.allow("c"))
        self.assertEqual(rl.retry_after("c"), 7.0)
        self.assertEqual(rl.remaining("c"), 0)
        clock.t = 10.0
        self.assertTrue(rl.allow("c"))


if __name__ == "__main__":
    unittest.main()
