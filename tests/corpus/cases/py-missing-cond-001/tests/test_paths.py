import unittest

from app.paths import normalize_path, resolve, split_ext


class PathsTest(unittest.TestCase):
    def test_collapse(self):
        self.assertEqual(normalize_path("/a//b/./c/../d"), "/a/b/d")

    def test_trailing_slash(self):
        self.assertEqual(normalize_path("a/b/"), "/a/b/")

    def test_split_ext(self):
        self.assertEqual(split_ext("/x/y.TAR"), ("/x/y", ".tar"))
        self.assertEqual(split_ext("/x/.bashrc"), ("/x/.bashrc", ""))

    def test_resolve_traversal_stays_inside(self):
        self.assertEqual(resolve("/srv/www", "/../../etc/passwd"), "/srv/www/etc/passwd")


if __name__ == "__main__":
    unittest.main()
