import sys
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "app"))

from metrics import Metrics  # noqa: E402


class MetricsTest(unittest.TestCase):
    def setUp(self):
        self.metrics = Metrics(seed={})

    def test_observe_and_stats(self):
        for value in ("1", "2", "6"):
            self.metrics.handle(f"OBS rtt {value}")
        self.assertEqual(self.metrics.handle("STATS rtt"), "STATS count=3 mean=3.00 min=1 max=6")

    def test_unknown_series(self):
        self.assertEqual(self.metrics.handle("STATS nope"), "UNKNOWN")

    def test_median(self):
        for value in range(1, 11):
            self.metrics.handle(f"OBS rtt {value}")
        self.assertEqual(self.metrics.handle("PCT rtt 50"), "PCT 6")

    def test_percentile_validates_q(self):
        self.assertEqual(self.metrics.handle("PCT rtt 120"), "ERR q must be within 0..100")

    def test_rejects_non_numbers(self):
        self.assertEqual(self.metrics.handle("OBS rtt fast"), "ERR value must be a number")

    def test_seeded_series_are_listed(self):
        self.assertEqual(Metrics().handle("NAMES"), "NAMES latency_ms queue_depth")


if __name__ == "__main__":
    unittest.main()
