import unittest

from app.ini import parse_ini, get_typed, IniError

TEXT = """
; worker config
name = thumbs
[queue]
url = amqp://localhost
prefetch = 8
[flags]
debug = yes
"""


class IniTest(unittest.TestCase):
    def test_default_section(self):
        self.assertEqual(parse_ini(TEXT)["general"], {"name": "thumbs"})

    def test_errors(self):
        with self.assertRaises(IniError):
            parse_ini("[broken\n")
        with self.assertRaises(IniError):
            parse_ini("novalue\n")

    def test_sections(self):
        data = parse_ini(TEXT)
        self.assertEqual(get_typed(data, "queue", "prefetch", type_=int), 8)
        self.assertTrue(get_typed(data, "flags", "debug", type_=bool))


if __name__ == "__main__":
    unittest.main()
