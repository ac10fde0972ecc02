import unittest

from app.dedupe import Deduplicator, process


class Clock:
    def __init__(self):
        self.t = 0.0

    def __call__(self):
        return self.t


class DedupeTest(unittest.TestCase):
    def test_duplicate_detected(self):
        d = Deduplicator(clock=Clock())
        self.assertFalse(d.seen("a"))
        self.assertTrue(d.seen("a"))
        self.assertEqual(d.duplicates, 1)

    def test_process(self):
        got = []
        n = process([{"id": 1}, {"id": 2}, {"id": 1}], Deduplicator(clock=Clock()), got.append)
        self.assertEqual(n, 2)

    def test_memory_is_bounded(self):
        clock = Clock()
        d = Deduplicator(window=10, clock=clock)
        for i in range(10000):
            clock.t = i
            d.seen("req-%d" % i)
        self.assertLessEqual(len(d), 11)


if __name__ == "__main__":
    unittest.main()
