import unittest

from app.events import parse_events, actions_per_user, between

LINES = [
    "2024-03-01T10:00:05Z alice login ip=10.0.0.1",
    "# comment",
    "2024-03-01T09:59:00Z bob logout",
    "",
    "2024-03-01T10:01:00Z alice delete id=7",
]


class EventsTest(unittest.TestCase):
    def test_sorted(self):
        events, rejected = parse_events(LINES)
        self.assertEqual([e["user"] for e in events], ["bob", "alice", "alice"])
        self.assertEqual(rejected, 0)

    def test_attrs(self):
        events, _ = parse_events(LINES[:1])
        self.assertEqual(events[0]["attrs"], {"ip": "10.0.0.1"})

    def test_per_user(self):
        events, _ = parse_events(LINES)
        self.assertEqual(actions_per_user(events)["alice"], ["login", "delete"])

    def test_bad_timestamp_rejected(self):
        events, rejected = parse_events(LINES + ["2024-13-01T00:00:00Z eve login"])
        self.assertEqual(len(events), 3)
        self.assertEqual(rejected, 1)


if __name__ == "__main__":
    unittest.main()
