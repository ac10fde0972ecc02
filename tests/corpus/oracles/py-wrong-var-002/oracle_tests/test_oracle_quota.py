import unittest

from app.quota import QuotaTable


class OracleQuota(unittest.TestCase):
    def test_zero_override_blocks(self):
        q = QuotaTable()
        q.override("t", 0)
        self.assertFalse(q.consume("t"))
        self.assertEqual(q.remaining("t"), 0)

    def test_override_consumption(self):
        q = QuotaTable("pro")
        q.override("t", 3)
        self.assertEqual([q.consume("t") for _ in range(4)], [True, True, True, False])
        self.assertEqual(q.remaining("t"), 0)
        q.reset()
        self.assertEqual(q.remaining("t"), 3)

    def test_large_override(self):
        q = QuotaTable()
        q.override("big", 500)
        self.assertTrue(q.consume("big", 300))


if __name__ == "__main__":
    unittest.main()
