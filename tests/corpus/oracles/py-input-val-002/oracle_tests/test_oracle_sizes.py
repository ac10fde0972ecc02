import unittest

from app.sizes import parse_size, load_quotas


class OracleSizes(unittest.TestCase):
    def test_unknown_units(self):
        for raw in ("10XB", "3 bytes", "1kibi", "2 pb"):
            with self.assertRaises(ValueError, msg=raw):
                parse_size(raw)

    def test_case_insensitive(self):
        self.assertEqual(parse_size("2MiB"), 2 * 1024 ** 2)
        self.assertEqual(parse_size("2 mb"), 2000000)
        self.assertEqual(parse_size("7b"), 7)

    def test_errors_mention_input(self):
        _, errors = load_quotas({"x": "9 zb"})
        self.assertIn("zb", errors["x"])


if __name__ == "__main__":
    unittest.main()
