import unittest

from app.retry import RetryPolicy, call_with_retry


class OracleRetry(unittest.TestCase):
    def test_status_matrix(self):
        p = RetryPolicy()
        for s in (408, 429, 500, 502, 503, 504):
            self.assertTrue(p.should_retry(1, s), s)
        for s in (200, 201, 301, 400, 401, 404, 501):
            self.assertFalse(p.should_retry(1, s), s)

    def test_gives_up(self):
        sleeps = []
        self.assertEqual(call_with_retry(lambda: 500, RetryPolicy(max_attempts=3, base=1), sleeps.append), (500, 3))
        self.assertEqual(sleeps, [1, 2])

    def test_client_error_not_retried(self):
        self.assertEqual(call_with_retry(lambda: 404, RetryPolicy(), lambda s: None), (404, 1))


if __name__ == "__main__":
    unittest.main()
