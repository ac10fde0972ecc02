import unittest

from app.includes import resolve, resolve_all, ConfigError

SOURCES = {
    "base": {"log": {"level": "info"}, "port": 80},
    "prod": {"include": ["base"], "log": {"level": "warning"}},
    "edge": {"include": ["prod"], "port": 443},
}


class IncludesTest(unittest.TestCase):
    def test_chain(self):
        self.assertEqual(resolve("edge", SOURCES), {"log": {"level": "warning"}, "port": 443})

    def test_unknown(self):
        with self.assertRaises(ConfigError):
            resolve("nope", SOURCES)

    def test_cycle_reported(self):
        sources = dict(SOURCES, a={"include": ["b"]}, b={"include": ["a"]})
        ok, errors = resolve_all(sources)
        self.assertIn("edge", ok)
        self.assertIn("a", errors)


if __name__ == "__main__":
    unittest.main()
