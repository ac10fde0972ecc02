import unittest

from app.histogram import Histogram


class HistogramTest(unittest.TestCase):
    def test_counts(self):
        h = Histogram(0, 100, 10)
        h.extend([1, 15, 15, 99, 150, -3])
        self.assertEqual(h.counts[0], 1)
        self.assertEqual(h.counts[1], 2)
        self.assertEqual(h.counts[9], 1)
        self.assertEqual((h.underflow, h.overflow), (1, 1))

    def test_total(self):
        h = Histogram(0, 10, 2)
        h.extend([1, 2, 30])
        self.assertEqual(h.total(), 3)

    def test_invalid(self):
        with self.assertRaises(ValueError):
            Histogram(5, 5, 1)

    def test_fractional_range(self):
        h = Histogram(0, 1, 4)
        h.extend([0.1, 0.3, 0.6, 0.9])
        self.assertEqual(h.counts, [1, 1, 1, 1])


if __name__ == "__main__":
    unittest.main()
