import unittest

from app.breaker import CircuitBreaker, CircuitOpenError, CLOSED, OPEN


def boom():
    raise IOError("down")


class BreakerTest(unittest.TestCase):
    def test_success_passthrough(self):
        self.assertEqual(CircuitBreaker().call(lambda x: x + 1, 1), 2)

    def test_reset(self):
        b = CircuitBreaker()
        b.reset()
        self.assertEqual(b.state, CLOSED)

    def test_opens_after_threshold(self):
        b = CircuitBreaker(threshold=2, clock=lambda: 0.0)
        for _ in range(2):
            with self.assertRaises(IOError):
                b.call(boom)
        self.assertEqual(b.state, OPEN)
        with self.assertRaises(CircuitOpenError):
            b.call(lambda: 1)


if __name__ == "__main__":
    unittest.main()
