import unittest

from app.loglevel import visible_entries, count_by_level

LINES = [
    '{"level": "trace", "msg": "t"}',
    '{"level": "info", "msg": "i"}',
    '',
    '{"level": "critical", "msg": "c"}',
    '[1, 2]',
]


class OracleLogLevel(unittest.TestCase):
    def test_default_threshold(self):
        self.assertEqual([e["msg"] for e in visible_entries(LINES)], ["i", "c", "[1, 2]"])

    def test_trace_shows_all(self):
        self.assertEqual(len(visible_entries(LINES, "trace")), 4)

    def test_counts(self):
        self.assertEqual(count_by_level(visible_entries(LINES, "error")), {"critical": 1})


if __name__ == "__main__":
    unittest.main()
