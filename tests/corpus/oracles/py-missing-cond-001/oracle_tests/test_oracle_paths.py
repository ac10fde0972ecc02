import unittest

from app.paths import normalize_path, resolve, is_under


class OraclePaths(unittest.TestCase):
    def test_above_root(self):
        self.assertEqual(normalize_path("/.."), "/")
        self.assertEqual(normalize_path("../../x"), "/x")
        self.assertEqual(normalize_path("/a/../../b/"), "/b/")

    def test_plain(self):
        self.assertEqual(normalize_path("/"), "/")
        self.assertEqual(normalize_path("/a/b/.."), "/a")

    def test_resolve(self):
        self.assertEqual(resolve("/srv", "/img/../logo.png"), "/srv/logo.png")
        self.assertTrue(is_under("/srv", "/srv/a/../b"))
        self.assertFalse(is_under("/srv", "/srv2/x"))

    def test_too_deep(self):
        with self.assertRaises(ValueError):
            normalize_path("/" + "/".join(["d"] * 70))


if __name__ == "__main__":
    unittest.main()
