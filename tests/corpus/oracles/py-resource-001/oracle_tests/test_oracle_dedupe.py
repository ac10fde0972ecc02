import unittest

from app.dedupe import Deduplicator


class Clock:
    def __init__(self):
        self.t = 0.0

    def __call__(self):
        return self.t


class OracleDedupe(unittest.TestCase):
    def test_expired_id_accepted_again(self):
        clock = Clock()
        d = Deduplicator(window=5, clock=clock)
        d.seen("x")
        clock.t = 4.9
        self.assertTrue(d.seen("x"))
        clock.t = 5.0
        self.assertFalse(d.seen("x"))

    def test_bounded_under_load(self):
        clock = Clock()
        d = Deduplicator(window=2, clock=clock)
        for i in range(5000):
            clock.t = i / 10
            d.seen(i)
        self.assertLessEqual(len(d), 21)
        self.assertTrue(d.seen(4999))

    def test_invalid_window(self):
        with self.assertRaises(ValueError):
            Deduplicator(window=0)


if __name__ == "__main__":
    unittest.main()
