import unittest

from app.ini import parse_ini


class OracleIni(unittest.TestCase):
    def test_exact_structure(self):
        text = "[a]\nx=1\n[b]\ny = 2\n# c\n[A]\nz=3\n"
        self.assertEqual(parse_ini(text), {"a": {"x": "1", "z": "3"}, "b": {"y": "2"}})

    def test_only_sections(self):
        self.assertEqual(parse_ini("[s]\nk=v"), {"s": {"k": "v"}})

    def test_values_with_equals(self):
        self.assertEqual(parse_ini("[db]\ndsn = a=b;c=d\n")["db"]["dsn"], "a=b;c=d")


if __name__ == "__main__":
    unittest.main()
