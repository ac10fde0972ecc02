import unittest

from app.metrics import endpoint_stats, worst_endpoints, render_table

RECORDS = [
    {"path": "/a", "status": 200, "ms": 10},
    {"path": "/a", "status": 500, "ms": 30},
    {"path": "/b", "status": 200, "ms": 5},
    {"path": "/b", "status": 200, "ms": 7},
]


class MetricsTest(unittest.TestCase):
    def test_counts_and_share(self):
        s = endpoint_stats(RECORDS)
        self.assertEqual(s["/a"]["count"], 2)
        self.assertEqual(s["/b"]["share"], 0.5)
        self.assertEqual(s["/a"]["avg_ms"], 20.0)

    def test_error_rate(self):
        self.assertEqual(endpoint_stats(RECORDS)["/a"]["error_rate"], 0.5)

    def test_render_header(self):
        self.assertTrue(render_table(endpoint_stats(RECORDS)).startswith("path"))


if __name__ == "__main__":
    unittest.main()
