import unittest

from app.quota import QuotaTable


class QuotaTest(unittest.TestCase):
    def test_default(self):
        self.assertEqual(QuotaTable().limit_for("t1"), 100)

    def test_plan(self):
        q = QuotaTable()
        q.assign("t1", "pro")
        self.assertEqual(q.limit_for("t1"), 10000)

    def test_unknown_plan(self):
        with self.assertRaises(ValueError):
            QuotaTable().assign("t", "gold")

    def test_override_wins(self):
        q = QuotaTable()
        q.assign("t1", "pro")
        q.override("t1", 5)
        self.assertEqual(q.limit_for("t1"), 5)


if __name__ == "__main__":
    unittest.main()
