import unittest

from app.retry import RetryPolicy, call_with_retry


class RetryTest(unittest.TestCase):
    def test_delay_backoff(self):
        p = RetryPolicy(base=1, cap=5)
        self.assertEqual([p.delay(n) for n in (1, 2, 3, 4)], [1, 2, 4, 5])

    def test_connection_error_retried(self):
        p = RetryPolicy()
        self.assertTrue(p.should_retry(1, error=ConnectionError()))
        self.assertFalse(p.should_retry(1, error=ValueError()))

    def test_success_first_try(self):
        sleeps = []
        self.assertEqual(call_with_retry(lambda: 200, RetryPolicy(), sleeps.append), (200, 1))
        self.assertEqual(sleeps, [])

    def test_retries_503(self):
        codes = iter([503, 503, 200])
        sleeps = []
        self.assertEqual(call_with_retry(lambda: next(codes), RetryPolicy(base=1), sleeps.append), (200, 3))
        self.assertEqual(sleeps, [1, 2])


if __name__ == "__main__":
    unittest.main()
