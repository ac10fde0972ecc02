import unittest

from app.headers import Headers, parse_raw, content_type, charset


class HeadersTest(unittest.TestCase):
    def test_parse_raw_case_insensitive(self):
        h = parse_raw("Host: example.org\r\nX-Trace: abc\r\n")
        self.assertEqual(h.get("host"), "example.org")
        self.assertEqual(h.get("X-TRACE"), "abc")
        self.assertEqual(len(h), 2)

    def test_multi_value(self):
        h = parse_raw("Accept: a\r\nAccept: b\r\n")
        self.assertEqual(h.get_all("accept"), ["a", "b"])

    def test_malformed_line(self):
        with self.assertRaises(ValueError):
            parse_raw("garbage\r\n")

    def test_content_type_with_params(self):
        h = Headers([("Content-Type", 'text/html; charset="ISO-8859-1"')])
        self.assertEqual(content_type(h), ("text/html", {"charset": "ISO-8859-1"}))

    def test_charset_default_without_header(self):
        h = Headers([("Host", "x")])
        self.assertEqual(charset(h), "utf-8")


if __name__ == "__main__":
    unittest.main()
