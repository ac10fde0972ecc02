import unittest

from app.accesslog import parse_line, summarize

L1 = '10.0.0.1 - - [10/Oct/2023:13:55:36 +0000] "GET /index.html HTTP/1.1" 200 2326'
L2 = '10.0.0.2 - bob [10/Oct/2023:13:55:37 +0000] "POST /api HTTP/1.1" 503 -'


class AccessLogTest(unittest.TestCase):
    def test_parse_line(self):
        e = parse_line(L1)
        self.assertEqual((e.ip, e.method, e.path, e.status, e.size),
                         ("10.0.0.1", "GET", "/index.html", 200, 2326))

    def test_dash_size(self):
        self.assertEqual(parse_line(L2).size, 0)

    def test_summarize(self):
        s = summarize([L1, L2, L1])
        self.assertEqual(s["by_class"], {"2xx": 2, "5xx": 1})
        self.assertEqual(s["bytes"], 4652)

    def test_summarize_skips_junk(self):
        s = summarize([L1, "-- log rotated --", ""])
        self.assertEqual(s["skipped"], 2)
        self.assertEqual(s["by_class"], {"2xx": 1})


if __name__ == "__main__":
    unittest.main()
