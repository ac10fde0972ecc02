import unittest

from app.batch import Batch


class BatchTest(unittest.TestCase):
    def test_progress(self):
        b = Batch("b", ["a", "b", "c", "d"])
        b.start("a"); b.finish("a")
        b.start("b"); b.finish("b", ok=False)
        self.assertEqual(b.progress(), 50.0)

    def test_bad_transition(self):
        b = Batch("b", ["a"])
        with self.assertRaises(RuntimeError):
            b.finish("a")

    def test_unknown_job(self):
        with self.assertRaises(KeyError):
            Batch("b", []).start("zzz")

    def test_empty_batch_is_complete(self):
        self.assertTrue(Batch("nightly", []).is_complete())


if __name__ == "__main__":
    unittest.main()
