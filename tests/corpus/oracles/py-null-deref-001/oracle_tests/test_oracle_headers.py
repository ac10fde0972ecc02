import unittest

from app.headers import Headers, parse_raw, content_type, charset


class OracleHeaders(unittest.TestCase):
    def test_missing_header(self):
        self.assertEqual(content_type(Headers()), ("application/octet-stream", {}))

    def test_missing_header_charset_custom_default(self):
        self.assertEqual(charset(Headers([("X", "1")]), default="latin-1"), "latin-1")

    def test_present_header_still_parsed(self):
        h = parse_raw("Content-Type: Application/JSON ; Charset=UTF-16\r\n")
        self.assertEqual(content_type(h), ("application/json", {"charset": "UTF-16"}))
        self.assertEqual(charset(h), "UTF-16")

    def test_present_without_params(self):
        self.assertEqual(content_type(Headers([("content-type", "text/plain")])), ("text/plain", {}))

    def test_charset_from_header(self):
        h = Headers([("Content-Type", "text/plain; charset=ascii")])
        self.assertEqual(charset(h), "ascii")


if __name__ == "__main__":
    unittest.main()
