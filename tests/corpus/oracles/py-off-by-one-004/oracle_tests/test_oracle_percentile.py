import math
import unittest

from app.percentile import percentile, summary, slo_met


class OraclePercentile(unittest.TestCase):
    def test_against_definition(self):
        data = [15, 20, 35, 40, 50]
        self.assertEqual([percentile(data, p) for p in (5, 30, 40, 50, 100)], [15, 20, 20, 35, 50])

    def test_many(self):
        data = list(range(1, 101))
        for p in (1, 25, 50, 90, 99, 100):
            self.assertEqual(percentile(data, p), p)
        self.assertEqual(percentile(list(range(1, 11)), 95), 10)

    def test_summary_and_slo(self):
        data = list(range(1, 1001))
        self.assertEqual(summary(data), {"p50": 500, "p90": 900, "p99": 990})
        self.assertTrue(slo_met(data, 99, 990))
        self.assertFalse(slo_met(data, 99, 989))


if __name__ == "__main__":
    unittest.main()
