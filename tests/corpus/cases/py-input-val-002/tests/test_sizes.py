import unittest

from app.sizes import parse_size, format_size, load_quotas


class SizesTest(unittest.TestCase):
    def test_parse(self):
        self.assertEqual(parse_size("512K"), 512000)
        self.assertEqual(parse_size("1.5 GiB"), 1610612736)
        self.assertEqual(parse_size(42), 42)

    def test_malformed(self):
        with self.assertRaises(ValueError):
            parse_size("lots")

    def test_format(self):
        self.assertEqual(format_size(1536), "1.5 KiB")
        self.assertEqual(format_size(999, binary=False), "999 B")

    def test_quotas_collect_errors(self):
        quotas, errors = load_quotas({"ann": "10GB", "bob": "5 parsecs"})
        self.assertEqual(quotas, {"ann": 10 ** 10})
        self.assertIn("bob", errors)


if __name__ == "__main__":
    unittest.main()
