import unittest

from app.template import render


class OracleTemplate(unittest.TestCase):
    def test_unknown_nested(self):
        self.assertEqual(render("{{ a.b.c }}", {"a": {"b": 1}}), "{{ a.b.c }}")
        self.assertEqual(render("{{user.email|lower}}", {"user": {}}), "{{user.email|lower}}")

    def test_none_renders_empty(self):
        self.assertEqual(render("[{{v}}]", {"v": None}), "[]")

    def test_unknown_filter_still_errors(self):
        with self.assertRaises(ValueError):
            render("{{v|shout}}", {"v": "x"})

    def test_no_autoescape(self):
        self.assertEqual(render("{{v}}", {"v": "a&b"}, autoescape=False), "a&b")


if __name__ == "__main__":
    unittest.main()
