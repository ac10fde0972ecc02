import unittest

from app.jobqueue import JobQueue


class JobQueueTest(unittest.TestCase):
    def test_priority_order(self):
        q = JobQueue()
        q.push("a", {}, 1)
        q.push("b", {}, 5)
        q.push("c", {}, 1)
        self.assertEqual(q.drain(), ["b", "a", "c"])

    def test_duplicate(self):
        q = JobQueue()
        q.push("a", {})
        with self.assertRaises(KeyError):
            q.push("a", {})

    def test_len_excludes_cancelled(self):
        q = JobQueue()
        q.push("a", {})
        q.push("b", {})
        q.cancel("a")
        self.assertEqual(len(q), 1)

    def test_cancelled_not_returned(self):
        q = JobQueue()
        q.push("a", {})
        q.push("b", {})
        q.cancel("a")
        self.assertEqual(q.pop().id, "b")


if __name__ == "__main__":
    unittest.main()
