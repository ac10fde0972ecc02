import unittest

from app.ratelimit import RateLimiter


class Clock:
    def __init__(self, t=0.0):
        self.t = t

    def __call__(self):
        return self.t


class RateLimiterTest(unittest.TestCase):
    def test_invalid(self):
        with self.assertRaises(ValueError):
            RateLimiter(0)

    def test_headers(self):
        rl = RateLimiter(5, clock=Clock())
        rl.allow("a")
        self.assertEqual(rl.headers("a"), {"X-RateLimit-Limit": "5", "X-RateLimit-Remaining": "4"})

    def test_limit_enforced(self):
        rl = RateLimiter(3, clock=Clock())
        results = [rl.allow("a") for _ in range(4)]
        self.assertEqual(results, [True, True, True, False])


if __name__ == "__main__":
    unittest.main()
