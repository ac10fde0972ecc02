import unittest

from app.loglevel import normalize_level, parse_entry, visible_entries, count_by_level

LINES = [
    '{"level": "debug", "msg": "cache miss"}',
    '{"level": "WARN", "msg": "slow"}',
    'plain text line',
    '{"level": "error", "msg": "boom"}',
]


class LogLevelTest(unittest.TestCase):
    def test_normalize(self):
        self.assertEqual(normalize_level("Fatal"), "critical")
        with self.assertRaises(ValueError):
            normalize_level("loud")

    def test_parse_plain(self):
        self.assertEqual(parse_entry("hello"), {"level": "info", "msg": "hello"})

    def test_filter_warning(self):
        msgs = [e["msg"] for e in visible_entries(LINES, "warning")]
        self.assertEqual(msgs, ["slow", "boom"])


if __name__ == "__main__":
    unittest.main()
