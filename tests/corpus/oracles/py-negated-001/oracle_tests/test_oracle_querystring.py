import unittest

from app.querystring import parse_query, first


class OracleQuery(unittest.TestCase):
    def test_keep_blank(self):
        self.assertEqual(parse_query("q=&x=1&flag", keep_blank=True), {"q": [""], "x": ["1"], "flag": [""]})

    def test_default_drops_blank(self):
        self.assertEqual(parse_query("q=&flag&x=%20"), {"x": [" "]})

    def test_first(self):
        p = parse_query("a=1&a=2")
        self.assertEqual(first(p, "a"), "1")
        self.assertEqual(first(p, "zz", "d"), "d")

    def test_empty(self):
        self.assertEqual(parse_query(""), {})
        self.assertEqual(parse_query("?&&"), {})


if __name__ == "__main__":
    unittest.main()
