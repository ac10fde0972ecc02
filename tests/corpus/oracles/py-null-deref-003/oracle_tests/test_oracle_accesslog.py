import unittest

from app.accesslog import parse_line, summarize

L1 = '10.0.0.1 - - [10/Oct/2023:13:55:36 +0000] "GET /a HTTP/1.1" 404 12'
L2 = '10.0.0.9 - - [10/Oct/2023:13:55:39 +0000] "HEAD / HTTP/1.0" 301 -'


class OracleAccessLog(unittest.TestCase):
    def test_junk_returns_none(self):
        self.assertIsNone(parse_line("not a log line"))
        self.assertIsNone(parse_line(""))
        self.assertIsNone(parse_line('1.2.3.4 - - [x] "get / HTTP/1.1" 200 1'))

    def test_valid_after_junk(self):
        self.assertEqual(parse_line(L1).status, 404)

    def test_summary_mixed(self):
        s = summarize(["#comment", L1, L2, "   ", L1])
        self.assertEqual(s, {"by_class": {"4xx": 2, "3xx": 1}, "bytes": 24, "skipped": 2})

    def test_all_junk(self):
        self.assertEqual(summarize(["x", "y"]), {"by_class": {}, "bytes": 0, "skipped": 2})


if __name__ == "__main__":
    unittest.main()
