import unittest

from app.ttlcache import TTLCache


class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


class TTLCacheTest(unittest.TestCase):
    def test_invalid_ttl(self):
        with self.assertRaises(ValueError):
            TTLCache(0)

    def test_missing(self):
        c = TTLCache(5, FakeClock())
        self.assertIsNone(c.get("nope"))
        self.assertEqual(c.misses, 1)

    def test_hit_before_expiry(self):
        clock = FakeClock()
        c = TTLCache(5, clock)
        c.set("a", 1)
        clock.now += 2
        self.assertEqual(c.get("a"), 1)

    def test_expired(self):
        clock = FakeClock()
        c = TTLCache(5, clock)
        c.set("a", 1)
        clock.now += 10
        self.assertIsNone(c.get("a"))


if __name__ == "__main__":
    unittest.main()
