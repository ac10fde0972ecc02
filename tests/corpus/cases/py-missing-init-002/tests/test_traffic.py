import unittest

from app.traffic import busiest_hour, quiet_hours, report

TS = ["2024-05-01T13:05:00", "2024-05-01T13:59:59", "2024-05-01T14:00:00", "2024-05-01T09:30:00"]


class TrafficTest(unittest.TestCase):
    def test_busiest(self):
        self.assertEqual(busiest_hour(TS), ("2024-05-01T13", 2))

    def test_quiet(self):
        self.assertEqual(quiet_hours(TS, 2), ["2024-05-01T09", "2024-05-01T14"])

    def test_report(self):
        self.assertEqual(report(TS), "busiest hour 2024-05-01T13 with 2 requests (4 total)")

    def test_report_without_traffic(self):
        self.assertEqual(report([]), "no traffic")


if __name__ == "__main__":
    unittest.main()
