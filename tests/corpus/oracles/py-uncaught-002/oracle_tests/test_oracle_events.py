import unittest

from app.events import parse_events, between


class OracleEvents(unittest.TestCase):
    def test_various_bad_lines(self):
        lines = [
            "yesterday bob login",
            "2024-03-01 10:00:00 bob login",
            "2024-03-01T10:00:00Z",
            "2024-03-01T10:00:00Z carol view page=1",
        ]
        events, rejected = parse_events(lines)
        self.assertEqual(rejected, 3)
        self.assertEqual([e["user"] for e in events], ["carol"])

    def test_between(self):
        events, _ = parse_events([
            "2024-03-01T10:00:00Z a x",
            "2024-03-01T11:00:00Z b y",
            "2024-03-01T12:00:00Z c z",
        ])
        got = between(events, "2024-03-01T10:30:00Z", "2024-03-01T12:00:00Z")
        self.assertEqual([e["user"] for e in got], ["b"])


if __name__ == "__main__":
    unittest.main()
