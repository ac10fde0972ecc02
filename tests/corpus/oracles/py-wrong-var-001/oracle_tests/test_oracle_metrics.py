import unittest

from app.metrics import endpoint_stats, worst_endpoints


class OracleMetrics(unittest.TestCase):
    def test_single_endpoint(self):
        s = endpoint_stats([{"path": "/x", "status": 503, "ms": 1}])
        self.assertEqual(s["/x"]["error_rate"], 1.0)

    def test_rates_independent_of_other_traffic(self):
        recs = [{"path": "/e", "status": 502, "ms": 1}, {"path": "/e", "status": 200, "ms": 1},
                {"path": "/e", "status": 200, "ms": 1}, {"path": "/e", "status": 200, "ms": 1}]
        recs += [{"path": "/ok", "status": 200, "ms": 1}] * 16
        s = endpoint_stats(recs)
        self.assertEqual(s["/e"]["error_rate"], 0.25)
        self.assertEqual(s["/ok"]["error_rate"], 0.0)
        self.assertEqual(s["/e"]["share"], 0.2)
        self.assertEqual(worst_endpoints(s), ["/e"])


if __name__ == "__main__":
    unittest.main()
