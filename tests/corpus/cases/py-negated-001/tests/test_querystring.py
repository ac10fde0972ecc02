import unittest

from app.querystring import parse_query, first, get_int, build_query


class QueryTest(unittest.TestCase):
    def test_multi(self):
        self.assertEqual(parse_query("?a=1&b=x+y&a=3"), {"a": ["1", "3"], "b": ["x y"]})

    def test_too_many(self):
        with self.assertRaises(ValueError):
            parse_query("&".join("k%d=1" % i for i in range(5)), max_params=4)

    def test_get_int(self):
        p = parse_query("page=3&size=abc")
        self.assertEqual(get_int(p, "page", 1), 3)
        self.assertEqual(get_int(p, "size", 20), 20)

    def test_blank_dropped_by_default(self):
        self.assertEqual(parse_query("q=&sort=asc"), {"sort": ["asc"]})

    def test_build(self):
        self.assertEqual(build_query({"b": ["2"], "a": ["x y"]}), "a=x+y&b=2")


if __name__ == "__main__":
    unittest.main()
