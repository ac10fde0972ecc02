import unittest

from app.window import SlidingWindow


class OracleWindow(unittest.TestCase):
    def test_empty_mean(self):
        self.assertEqual(SlidingWindow(3).mean(), 0.0)

    def test_mean_after_partial_expiry(self):
        w = SlidingWindow(5)
        w.add(0, 9.0)
        w.add(3, 2.0)
        w.add(4, 4.0)
        w.advance(6)
        self.assertEqual(w.mean(), 3.0)

    def test_snapshot_rounding(self):
        w = SlidingWindow(10)
        for i, v in enumerate([1.0, 1.0, 2.0]):
            w.add(i, v)
        self.assertEqual(w.snapshot(), {"count": 3, "mean": 1.333, "max": 2.0})

    def test_fresh_snapshot(self):
        self.assertEqual(SlidingWindow(1).snapshot(), {"count": 0, "mean": 0.0, "max": 0.0})


if __name__ == "__main__":
    unittest.main()
