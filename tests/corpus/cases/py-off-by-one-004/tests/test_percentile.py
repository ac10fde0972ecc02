import unittest

from app.percentile import percentile, summary, slo_met, error_budget


class PercentileTest(unittest.TestCase):
    def test_validation(self):
        with self.assertRaises(ValueError):
            percentile([], 50)
        with self.assertRaises(ValueError):
            percentile([1], 0)

    def test_error_budget(self):
        self.assertEqual(error_budget([10] * 99 + [500], 100, target=99.0), 1.0)

    def test_median_of_four(self):
        self.assertEqual(percentile([40, 10, 30, 20], 50), 20)

    def test_p100_is_max(self):
        self.assertEqual(percentile([5, 1, 9], 100), 9)


if __name__ == "__main__":
    unittest.main()
