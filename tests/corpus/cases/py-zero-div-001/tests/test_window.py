import unittest

from app.window import SlidingWindow


class WindowTest(unittest.TestCase):
    def test_mean(self):
        w = SlidingWindow(10)
        w.add(1, 10.0)
        w.add(2, 20.0)
        self.assertEqual(w.mean(), 15.0)

    def test_expiry(self):
        w = SlidingWindow(5)
        w.add(0, 100.0)
        w.add(6, 1.0)
        self.assertEqual(w.count(), 1)
        self.assertEqual(w.maximum(), 1.0)

    def test_invalid_span(self):
        with self.assertRaises(ValueError):
            SlidingWindow(0)

    def test_snapshot_of_idle_window(self):
        w = SlidingWindow(5)
        w.add(0, 3.0)
        w.advance(100)
        self.assertEqual(w.snapshot(), {"count": 0, "mean": 0.0, "max": 0.0})


if __name__ == "__main__":
    unittest.main()
