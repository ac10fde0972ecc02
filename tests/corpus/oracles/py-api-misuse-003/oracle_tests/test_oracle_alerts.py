import unittest

from app.alerts import AlertRule, evaluate, load_rules


class OracleAlerts(unittest.TestCase):
    def test_mid_line(self):
        r = AlertRule("oom", r"OutOfMemory")
        self.assertTrue(r.matches("java.lang.OutOfMemoryError: heap"))
        self.assertFalse(r.matches("all good"))

    def test_anchored_patterns_still_anchor(self):
        r = AlertRule("start", r"^PANIC")
        self.assertTrue(r.matches("PANIC now"))
        self.assertFalse(r.matches("no PANIC"))

    def test_threshold_not_reached(self):
        rules = load_rules([{"name": "t", "pattern": "timeout", "threshold": 3}])
        self.assertEqual(evaluate(rules, ["a timeout", "b timeout"]), [])
        self.assertEqual(evaluate(rules, ["x timeout"] * 3), [("t", "warning", 3)])


if __name__ == "__main__":
    unittest.main()
