import unittest

from app.includes import resolve, ConfigError


class OracleIncludes(unittest.TestCase):
    def test_self_include(self):
        with self.assertRaises(ConfigError) as cm:
            resolve("x", {"x": {"include": ["x"]}})
        self.assertIn("x -> x", str(cm.exception))

    def test_long_cycle(self):
        src = {"a": {"include": ["b"]}, "b": {"include": ["c"]}, "c": {"include": ["a"]}}
        with self.assertRaises(ConfigError) as cm:
            resolve("a", src)
        self.assertIn("a -> b -> c -> a", str(cm.exception))

    def test_diamond_is_not_a_cycle(self):
        src = {
            "common": {"x": 1},
            "l": {"include": ["common"], "l": True},
            "r": {"include": ["common"], "r": True},
            "top": {"include": ["l", "r"], "x": 2},
        }
        self.assertEqual(resolve("top", src), {"x": 2, "l": True, "r": True})

    def test_include_order(self):
        src = {"a": {"v": "a"}, "b": {"v": "b"}, "t": {"include": ["a", "b"]}}
        self.assertEqual(resolve("t", src), {"v": "b"})


if __name__ == "__main__":
    unittest.main()
