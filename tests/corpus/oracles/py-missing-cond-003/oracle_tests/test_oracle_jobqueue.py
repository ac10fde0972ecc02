import unittest

from app.jobqueue import JobQueue


class OracleJobQueue(unittest.TestCase):
    def test_all_cancelled(self):
        q = JobQueue()
        q.push("a", {})
        q.cancel("a")
        self.assertIsNone(q.pop())

    def test_cancel_unknown(self):
        self.assertFalse(JobQueue().cancel("zz"))

    def test_drain_skips_cancelled(self):
        q = JobQueue()
        for i, p in enumerate([3, 1, 3, 2]):
            q.push("j%d" % i, None, p)
        q.cancel("j2")
        q.cancel("j1")
        self.assertEqual(q.drain(), ["j0", "j3"])

    def test_reuse_id_after_pop(self):
        q = JobQueue()
        q.push("x", 1)
        q.pop()
        q.push("x", 2)
        self.assertEqual(q.pop().payload, 2)


if __name__ == "__main__":
    unittest.main()
