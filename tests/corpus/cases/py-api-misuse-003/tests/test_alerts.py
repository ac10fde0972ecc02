import unittest

from app.alerts import AlertRule, evaluate, load_rules

LINES = [
    "ERROR db: connection refused",
    "2024-01-01 12:00:00 ERROR cache: timeout",
    "INFO ok",
    "WARN disk 91% used",
]


class AlertsTest(unittest.TestCase):
    def test_load_rules_validation(self):
        with self.assertRaises(ValueError):
            load_rules([{"name": "x"}])

    def test_line_start_match(self):
        self.assertTrue(AlertRule("e", "ERROR").matches(LINES[0]))

    def test_evaluate(self):
        rules = load_rules([
            {"name": "errors", "pattern": r"ERROR", "threshold": 2, "severity": "critical"},
            {"name": "disk", "pattern": r"disk \d+%"},
        ])
        self.assertEqual(evaluate(rules, LINES), [("errors", "critical", 2), ("disk", "warning", 1)])


if __name__ == "__main__":
    unittest.main()
