import unittest

from app.traffic import busiest_hour


class OracleTraffic(unittest.TestCase):
    def test_empty(self):
        self.assertIsNone(busiest_hour([]))

    def test_tie_earliest(self):
        ts = ["2024-01-01T05:00:00", "2024-01-01T03:00:00"]
        self.assertEqual(busiest_hour(ts), ("2024-01-01T03", 1))

    def test_single(self):
        self.assertEqual(busiest_hour(["2024-01-01T00:00:01"]), ("2024-01-01T00", 1))


if __name__ == "__main__":
    unittest.main()
