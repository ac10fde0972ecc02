import unittest

from app.histogram import Histogram


class OracleHistogram(unittest.TestCase):
    def test_small_integer_range(self):
        h = Histogram(0, 3, 6)
        h.extend([0, 0.5, 1, 2.9])
        self.assertEqual(h.counts, [1, 1, 1, 0, 0, 1])

    def test_uneven_width(self):
        h = Histogram(0, 10, 4)
        self.assertEqual(h.edges(), [0, 2.5, 5.0, 7.5, 10.0])
        h.extend([2.4, 2.5, 9.99])
        self.assertEqual(h.counts, [1, 1, 0, 1])

    def test_render(self):
        h = Histogram(0, 1, 2)
        h.extend([0.1, 0.2, 0.7])
        self.assertEqual(h.render(), "[0, 0.5) ##\n[0.5, 1) #")


if __name__ == "__main__":
    unittest.main()
