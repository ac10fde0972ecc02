import unittest

from app.breaker import CircuitBreaker, CircuitOpenError, CLOSED, OPEN, HALF_OPEN


class Clock:
    t = 0.0

    def __call__(self):
        return self.t


def boom():
    raise IOError("down")


class OracleBreaker(unittest.TestCase):
    def test_single_failure_stays_closed(self):
        b = CircuitBreaker(threshold=3)
        with self.assertRaises(IOError):
            b.call(boom)
        self.assertEqual((b.state, b.failures), (CLOSED, 1))

    def test_half_open_cycle(self):
        clock = Clock()
        b = CircuitBreaker(threshold=1, cooldown=10, clock=clock)
        with self.assertRaises(IOError):
            b.call(boom)
        with self.assertRaises(CircuitOpenError):
            b.call(lambda: 1)
        clock.t = 10
        self.assertEqual(b.call(lambda: "ok"), "ok")
        self.assertEqual((b.state, b.failures), (CLOSED, 0))

    def test_half_open_failure_reopens(self):
        clock = Clock()
        b = CircuitBreaker(threshold=5, cooldown=1, clock=clock)
        b.state, b.opened_at = OPEN, 0.0
        clock.t = 2
        with self.assertRaises(IOError):
            b.call(boom)
        self.assertEqual(b.state, OPEN)


if __name__ == "__main__":
    unittest.main()
