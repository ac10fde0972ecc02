import unittest

from app.ttlcache import TTLCache


class FakeClock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


class OracleTTL(unittest.TestCase):
    def test_boundary(self):
        clock = FakeClock()
        c = TTLCache(5, clock)
        c.set("k", "v")
        clock.now = 4.999
        self.assertEqual(c.get("k"), "v")
        clock.now = 5.0
        self.assertIsNone(c.get("k"))

    def test_get_or_load_caches(self):
        clock = FakeClock()
        calls = []
        c = TTLCache(10, clock)
        loader = lambda k: calls.append(k) or k.upper()
        self.assertEqual(c.get_or_load("x", loader), "X")
        self.assertEqual(c.get_or_load("x", loader), "X")
        self.assertEqual(calls, ["x"])
        self.assertEqual((c.hits, c.misses), (1, 1))

    def test_purge(self):
        clock = FakeClock()
        c = TTLCache(3, clock)
        c.set("a", 1)
        clock.now = 2
        c.set("b", 2)
        clock.now = 4
        self.assertEqual(c.purge(), 1)
        self.assertEqual(len(c), 1)
        self.assertEqual(c.get("b"), 2)


if __name__ == "__main__":
    unittest.main()
