import unittest

from app.mount import Mounts, strip_prefix


def echo(name):
    return lambda inner: (200, name + ":" + inner)


class MountTest(unittest.TestCase):
    def setUp(self):
        self.m = Mounts()
        self.m.mount("/api", echo("api"))
        self.m.mount("/static/", echo("static"))

    def test_no_match(self):
        self.assertEqual(self.m("/other")[0], 404)

    def test_exact_prefix(self):
        self.assertEqual(self.m("/api"), (200, "api:/"))

    def test_static(self):
        self.assertEqual(self.m("/static/css/site.css"), (200, "static:/css/site.css"))

    def test_api_path_kept_intact(self):
        self.assertEqual(self.m("/api/pipelines/7"), (200, "api:/pipelines/7"))


if __name__ == "__main__":
    unittest.main()
