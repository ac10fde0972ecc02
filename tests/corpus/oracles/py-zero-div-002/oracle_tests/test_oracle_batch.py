import unittest

from app.batch import Batch


class OracleBatch(unittest.TestCase):
    def test_empty(self):
        b = Batch("e", [])
        self.assertEqual(b.progress(), 100.0)
        self.assertEqual(b.report(), "e: 100.0% (0 ok, 0 failed)")

    def test_partial_rounding(self):
        b = Batch("p", ["x", "y", "z"])
        b.start("x"); b.finish("x")
        self.assertEqual(b.progress(), 33.3)
        self.assertFalse(b.is_complete())

    def test_all_done(self):
        b = Batch("d", ["x"])
        b.start("x"); b.finish("x")
        self.assertTrue(b.is_complete())

    def test_none_done(self):
        self.assertEqual(Batch("n", ["x", "y"]).progress(), 0.0)


if __name__ == "__main__":
    unittest.main()
