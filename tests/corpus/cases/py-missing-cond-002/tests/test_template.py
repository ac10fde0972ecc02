import unittest

from app.template import render, placeholders


class TemplateTest(unittest.TestCase):
    def test_simple(self):
        self.assertEqual(render("Hi {{ user.name }}!", {"user": {"name": "Ann"}}), "Hi Ann!")

    def test_filter_and_escape(self):
        self.assertEqual(render("{{x|upper}}", {"x": "<b>"}), "&lt;B&gt;")
        self.assertEqual(render("{{x|raw}}", {"x": "<b>"}), "<b>")

    def test_placeholders(self):
        self.assertEqual(placeholders("{{b}} {{a|upper}} {{b}}"), ["a", "b"])

    def test_unknown_left_alone(self):
        self.assertEqual(render("Dear {{name}}, code {{code}}", {"name": "Bo"}), "Dear Bo, code {{code}}")


if __name__ == "__main__":
    unittest.main()
